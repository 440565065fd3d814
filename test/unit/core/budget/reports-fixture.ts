import type { BudgetEvaluation, SloStatus } from '../../../../src/core/budget/evaluate-types.js';

/**
 * A hand-built SloStatus for the report tests: a passing 99.9 % / 30d event
 * SLO with round numbers (1,000,000 events, 250 bad: SLI 99.975 %, 25 % of the
 * 1,000 bad events allowed consumed, 75 % left). Each test overrides only the
 * fields its case is about, so every cell the reports print can be derived by hand.
 */
export function status(over: Partial<SloStatus> = {}): SloStatus {
  return {
    id: 'shop/availability',
    name: 'availability',
    service: 'shop',
    source: { file: 'slos/shop.yaml', path: 'slos[0]', format: 'relia' },
    objective: 0.999,
    window: '30d',
    windowType: 'rolling',
    windowStart: '2026-10-02T00:00:00Z',
    windowSeconds: 2_592_000,
    periodSeconds: 2_592_000,
    budgeting: 'occurrences',
    sliType: 'ratio',
    sli: 0.99975,
    errorRatio: 0.00025,
    budget: 0.001,
    consumed: 0.25,
    budgetRemaining: 0.75,
    events: { total: 1_000_000, bad: 250, allowedBad: 1000, remainingBad: 750 },
    badMinutes: null,
    slices: null,
    burnRates: { '5m': 0.5, '1h': 0.25 },
    exhaustion: { '1h': null, '6h': null },
    fastBurn: [],
    traffic: { current: null, peak: null, low: null, tier: 'unknown', multiplier: 1 },
    incidents: [],
    postmortemRequired: false,
    trend: [],
    sparkline: '▇▆',
    step: 3600,
    unavailable: null,
    invalid: null,
    queries: 2,
    verdict: 'pass',
    blocked: false,
    reasons: ['within policy: 75% of the error budget remains'],
    blocks: [],
    bypassed: [],
    exception: null,
    ...over,
  };
}

/** An evaluation of the given SLOs, with a summary counted from them. */
export function evaluation(slos: SloStatus[], at = '2026-11-01T00:00:00Z'): BudgetEvaluation {
  const n = (f: (s: SloStatus) => boolean) => slos.filter(f).length;
  return {
    at,
    slos,
    summary: {
      total: slos.length,
      pass: n((s) => s.verdict === 'pass'),
      fail: n((s) => s.verdict === 'fail'),
      noData: n((s) => s.verdict === 'no-data'),
      blocked: n((s) => s.blocked),
      unavailable: n((s) => s.unavailable !== null),
      invalid: n((s) => s.verdict === 'invalid'),
    },
    queries: slos.reduce((a, s) => a + s.queries, 0),
  };
}
