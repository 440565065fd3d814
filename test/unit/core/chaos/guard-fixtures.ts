import type { SloDefinition } from '../../../../src/core/budget/index.js';
import type { GuardEnv } from '../../../../src/core/chaos/guards.js';
import { MemoryAlarms } from '../../../fakes/memory-alarms.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { availabilitySlo } from '../budget/slo-fixture.js';

/** The guard's clock in the guard unit tests. */
export const NOW = 1_700_000_000_000;

/** A guard environment at NOW with empty metrics and alarms, no SLOs or windows, and a live signal; `over` replaces any part. */
export function guardEnv(over: Partial<GuardEnv> = {}): GuardEnv {
  return { now: () => NOW, startedAt: NOW, metrics: async () => new MemoryMetrics([]), alarms: async () => new MemoryAlarms(), slos: new Map(), windows: new Map(), signal: new AbortController().signal, ...over };
}

/** checkout's 99 % availability SLO from slo.yaml, with the given SLI. */
export const checkoutSlo = (sli: SloDefinition['sli']): SloDefinition =>
  availabilitySlo('checkout', { objective: 0.99, sli, source: { file: 'slo.yaml', path: '', format: 'relia' } });
