/**
 * One SLO, checkout availability at 99.9 % over 30d, written in every format
 * relia reads (test/fixtures/peer-specs/): `relia budget check` on the real
 * Prometheus with the backfilled 30-day history gives the same numbers
 * whichever format, and they are the generator's (expected.json). The
 * OpenSLO spec's queries have no range (counter: true) and are rewritten by
 * relia; the Pyrra spec gives bare selectors.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BudgetCheckResult } from '../../commands/budget/check.js';
import type { HistoryExpected } from '../../scripts/history/expected.mjs';
import { reliaJson } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const PEER = 'test/fixtures/peer-specs';

const FORMATS: Record<string, string> = {
  relia: 'docs/examples/slo/checkout/relia.yaml',
  sloth: `${PEER}/sloth/checkout.yaml`,
  'sloth-k8s': `${PEER}/sloth/checkout-k8s.yaml`,
  'openslo-windowless': `${PEER}/openslo/checkout.yaml`,
  'openslo-explicit': `${PEER}/openslo/explicit-window.yaml`,
  pyrra: `${PEER}/pyrra/checkout.yaml`,
};

type Slo = BudgetCheckResult['slos'][number];
const numbers = (s: Slo) => ({
  objective: s.objective,
  window: s.window,
  sli: s.sli,
  events: s.events,
  budgetRemaining: s.budgetRemaining,
  burnRates: s.burnRates,
  exhaustion: s.exhaustion,
  verdict: s.verdict,
});

describe('budget check: the same SLO in every format gives the same numbers', () => {
  let prom: string;
  let expected: HistoryExpected;
  const results: Record<string, Slo> = {};

  beforeAll(async () => {
    const info = servers();
    prom = info.prometheus.url;
    expected = JSON.parse(readFileSync(info.history.expectedFile, 'utf8')) as HistoryExpected;
    for (const [format, file] of Object.entries(FORMATS)) {
      const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', file, '--prometheus', prom, '--at', expected.end]);
      expect([0, 1], `${format}: ${r.stderr}`).toContain(r.exitCode);
      const slos = r.json.result!.slos;
      expect(slos, format).toHaveLength(1);
      results[format] = slos[0]!;
    }
  });

  it('agrees exactly across relia, Sloth (file and Kubernetes resource), OpenSLO (windowless and explicit) and Pyrra', () => {
    const reference = numbers(results.relia!);
    for (const format of Object.keys(FORMATS)) expect(numbers(results[format]!), format).toEqual(reference);
  });

  it('and the numbers are the generator’s', () => {
    const e = expected.services.checkout!.windows['30d']!;
    const s = results['openslo-windowless']!;
    expect(s.events?.total).toBe(e.total);
    expect(s.events?.bad).toBe(e.bad);
    expect(Math.abs(s.sli! - (1 - e.bad / e.total))).toBeLessThan(1e-12);
    const h = expected.services.checkout!.windows['1h']!;
    expect(Math.abs(s.burnRates['1h']! - h.bad / h.total / 0.001) / Math.max(1e-300, h.bad / h.total / 0.001)).toBeLessThan(1e-9);
  });
});
