/**
 * What the failover engine needs from the outside world, in one bundle: the
 * ports (DNS always; compute, alarms and clusters when the plan names ASGs,
 * alarms or deployments), the SLO guard, a notifier, the clock and the
 * cancellation signal. The CLI builds it (src/cli/failover/context.ts); tests
 * build it from the in-memory fakes and a virtual clock.
 */
import type { AlarmsPort } from '../../ports/alarms.js';
import type { Clock } from '../../ports/clock.js';
import type { ClusterPort } from '../../ports/cluster.js';
import type { ComputePort } from '../../ports/compute.js';
import type { DnsPort } from '../../ports/dns.js';
import { InputError } from '../errors.js';

export interface SloVerdict {
  /** `<service>/<name>`. */
  id: string;
  ok: boolean;
  /** Why not (fast burn, budget exhausted), one line each. */
  reasons: string[];
}

/** The SLO guard of a region at an instant (see ./slo-guard.ts). */
export type SloGuard = (region: string, at: number, signal?: AbortSignal) => Promise<SloVerdict[]>;

export interface FailoverEvent {
  /** precheck | lock | scale | step | insync | guard | breach | revert | done | interrupted | ... */
  type: string;
  message: string;
  at: number;
  /** The operation (journal) id. */
  operation?: string;
  step?: number;
  data?: Record<string, unknown>;
}

export interface FailoverPorts {
  dns: DnsPort;
  compute?: ComputePort;
  alarms?: AlarmsPort;
  /** A cluster port for a kubeconfig context (undefined: the current one). */
  cluster?: (context: string | undefined) => Promise<ClusterPort>;
  sloGuard?: SloGuard;
  clock: Clock;
  signal?: AbortSignal;
  /** Progress and notifications (webhook); failures here never stop the operation. */
  onEvent?: (event: FailoverEvent) => void | Promise<void>;
}

export function need<T>(port: T | undefined, what: string, field: string): T {
  if (port === undefined) {
    throw new InputError(`${field}: the plan needs ${what}, and no provider is configured for it`, { field, suggestions: ['install and configure the aws / kubernetes plugins (see docs/failover.md#providers)'] });
  }
  return port;
}
