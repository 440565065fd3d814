/**
 * The range answer of the budget engine (the burn-down, the incidents, the
 * traffic quantiles) and the consistency rules that make nonsense in either
 * answer an `invalid` verdict instead of a number. Expected values are worked
 * by hand in the comments: a 30d window (2 592 000 s) at the default
 * resolution has a 1h step (3 600 s); a step whose total rate is r carries
 * r × 3 600 of the window's events.
 */
import { describe, expect, it } from 'vitest';
import { computeStatus, defaultPolicy, mergePolicy, planSlo, type BudgetPolicy, type SloDefinition } from '../../../../src/core/budget/index.js';
import { MetricsDataError } from '../../../../src/core/metrics-guard.js';
import type { InstantSample, RangeSeries } from '../../../../src/ports/metrics.js';
import { availabilitySlo as slo, totalQuery } from './slo-fixture.js';

const AT = Date.parse('2026-11-01T00:00:00Z');
const END = AT / 1000;
const HOUR = 3600;
const policy = defaultPolicy();

/** Unix seconds of the range step `k` hours before --at (the last step ends at --at). */
const step = (hoursBefore: number) => END - hoursBefore * HOUR;
const tag = (w: string, part: string, value: number): InstantSample => ({ labels: { relia_w: w, relia_p: part }, value });
const points = (part: string, values: Array<[number, number]>): RangeSeries => ({ labels: { relia_p: part }, points: values });
const status = (def: SloDefinition, instant: InstantSample[], range: RangeSeries[], p: BudgetPolicy = policy) => computeStatus(planSlo(def, p, AT), instant, range, {});

function invalid(fn: () => unknown): MetricsDataError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MetricsDataError);
  return caught as MetricsDataError;
}

const goodQuery = (svc: string) => `sum(rate(req_total{service="${svc}",code="200"}[{{.window}}]))`;
const goodSlo = slo('v', { sli: { type: 'ratio', good: goodQuery('v'), total: totalQuery('v') } });
const rawSlo = slo('v', { sli: { type: 'error-ratio', query: 'err_ratio[{{.window}}]' } });
const slicesSlo = slo('v', { budgeting: { method: 'timeslices', sliceSeconds: 60, sliceTarget: 0.99 } });
const thresholdSlo = slo('v', {
  sli: { type: 'threshold', query: 'latency_p99[{{.window}}]', op: 'lt', value: 0.5 },
  budgeting: { method: 'timeslices', sliceSeconds: 60, sliceTarget: 0.99 },
});
/** The bad-slice fraction of slicesSlo over W, written out from docs/budget.md (bad/total > bool 1 − sliceTarget, averaged over 1m slices). */
const badSlices = (w: string) => `avg_over_time(((sum(sum(rate(req_total{service="v",code="500"}[1m]))) / sum(sum(rate(req_total{service="v"}[1m])))) > bool 0.01)[${w}:1m])`;

describe('inconsistent answers name the query that answered them', () => {
  // A consistent SLO window (100 req/s, error ratio 0.0002) so only the range step is at fault.
  const main = { bad: [tag('30d', 'total', 100), tag('30d', 'bad', 0.02)], good: [tag('30d', 'total', 100), tag('30d', 'good', 99.98)], raw: [tag('30d', 'ratio', 0.0002)], slices: [tag('30d', 'total', 100), tag('30d', 'badslices', 0.001)] };
  const at19 = '2026-10-31T05:00:00Z';

  it.each([
    ['bad above total in a range step', slo('v'), main.bad, [points('total', [[step(19), 100]]), points('bad', [[step(19), 200]])], 'bad (1h) 200 > total (1h) 100', 'sum(rate(req_total{service="v",code="500"}[1h]))'],
    ['good above total in a range step', goodSlo, main.good, [points('total', [[step(19), 100]]), points('good', [[step(19), 100.5]])], 'good (1h) 100.5 > total (1h) 100', 'sum(rate(req_total{service="v",code="200"}[1h]))'],
    ['an error ratio above 1 in a range step', rawSlo, main.raw, [points('ratio', [[step(19), 1.5]])], 'error ratio (1h) 1.5 > the maximum 1', 'err_ratio[1h]'],
    ['a bad-slice fraction above 1 in a range step', slicesSlo, main.slices, [points('total', [[step(19), 100]]), points('badslices', [[step(19), 1.5]])], 'error ratio (1h) 1.5 > the maximum 1', badSlices('1h')],
  ])('%s', (_name, def, instant, range, value, query) => {
    const e = invalid(() => status(def, instant, range));
    expect(e.value).toBe(value);
    expect(e.query).toBe(query);
    expect(e.time).toBe(at19);
  });

  it('names the bad-slice query (not the total) when a timeslice answer is above 1 or missing over the SLO window', () => {
    const e = invalid(() => status(slicesSlo, [tag('30d', 'total', 100), tag('30d', 'badslices', 1.5)], []));
    expect(e.value).toBe('error ratio (30d) 1.5 > the maximum 1');
    expect(e.query).toBe(badSlices('30d'));
    const threshold = invalid(() => status(thresholdSlo, [tag('30d', 'badslices', 2)], []));
    expect(threshold.query).toBe('avg_over_time((max(latency_p99[1m]) >= bool 0.5)[30d:1m])');
    expect(() => status(slicesSlo, [tag('30d', 'total', 100)], [])).toThrow(`query returned no series over 30d at 2026-11-01T00:00:00Z: ${badSlices('30d')}`);
  });

  it('accepts a range step with bad equal to total (every request failed, not nonsense)', () => {
    const s = status(slo('v'), main.bad, [points('total', [[step(19), 100]]), points('bad', [[step(19), 100]])]);
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]?.peakBurn).toBeCloseTo(1000, 9);
  });
});

describe('the parts the engine did not ask for', () => {
  // Each form with consistent answers in every window and a few range steps; then series
  // of every other part, with values that would be invalid (or change the numbers) if read.
  const forms: Array<[string, SloDefinition, Record<string, number>, string[]]> = [
    ['bad/total', slo('v'), { total: 100, bad: 0.02 }, ['good', 'ratio', 'badslices']],
    ['good/total', goodSlo, { total: 100, good: 99.98 }, ['bad', 'ratio', 'badslices']],
    ['raw error ratio', rawSlo, { ratio: 0.0002 }, ['total', 'bad', 'good', 'badslices']],
    ['timeslices, bad/total', slicesSlo, { total: 100, badslices: 0.0002 }, ['bad', 'good', 'ratio']],
    ['timeslices, threshold', thresholdSlo, { badslices: 0.0002 }, ['total', 'bad', 'good', 'ratio']],
  ];
  // A stray total is tiny (0.001/s: 2 592 events, under minEvents) and stray bad/good/ratios are huge.
  const stray = (part: string) => (part === 'total' ? 0.001 : 1e9);

  it.each(forms)('%s: stray series change nothing', (_name, def, values, others) => {
    const plan = planSlo(def, policy, AT);
    const answer = (parts: Record<string, number>) => plan.windows.flatMap((w) => Object.entries(parts).map(([p, v]) => tag(w.label, p, v)));
    const series = (parts: Record<string, number>) => Object.entries(parts).map(([p, v]) => points(p, [step(2), step(1), step(0)].map((t) => [t, v] as [number, number])));
    const clean = status(def, answer(values), series(values));
    const extra = Object.fromEntries(others.map((p) => [p, stray(p)]));
    expect(status(def, [...answer(values), ...answer(extra)], [...series(values), ...series(extra)])).toEqual(clean);
    expect(clean.verdict).toBe('pass');
  });
});

describe('the burn-down, incidents and traffic from the range answer', () => {
  // 100 req/s over 30d: 259 200 000 events. A step at 100 req/s carries 360 000 of them (weight 1/720);
  // at error ratio 0.01 it burns 10× and consumes 0.01 × (1/720) / 0.001 = 1/72 of the budget.
  const main = [tag('30d', 'total', 100), tag('30d', 'bad', 0.02)];
  const c = 1 / 72;

  it('skips steps without traffic or without a total: they consume nothing and end no incident early', () => {
    const s = status(slo('v'), main, [
      points('total', [[step(2), 100], [step(1), 0], [step(0), 100]]),
      points('bad', [[step(3), 0], [step(2), 0], [step(1), 0], [step(0), 1]]),
    ]);
    expect(s.trend).toEqual([1, 1, 1, expect.closeTo(1 - c, 12)]);
    expect(s.incidents).toEqual([{ start: '2026-10-31T23:00:00Z', end: '2026-11-01T00:00:00Z', budgetShare: expect.closeTo(c, 12), peakBurn: expect.closeTo(10, 9), badEvents: 3600 }]);
  });

  it('orders the steps by time whatever order the series come in', () => {
    // Two series of the total (a provider that does not sum), the later one first; the errors are in the earliest step.
    const s = status(slo('v'), main, [points('total', [[step(1), 100], [step(0), 100]]), points('total', [[step(3), 100], [step(2), 100]]), points('bad', [[step(3), 1]])]);
    expect(s.trend).toEqual([1 - c, 1 - c, 1 - c, 1 - c].map((v) => expect.closeTo(v, 12)));
    expect(s.incidents.map((i) => [i.start, i.end])).toEqual([['2026-10-31T20:00:00Z', '2026-10-31T21:00:00Z']]);
  });

  it.each([
    ['bad/total without a bad series', slo('v'), main, [points('total', [[step(1), 100], [step(0), 100]])]],
    ['good/total without a good series', goodSlo, [tag('30d', 'total', 100), tag('30d', 'good', 99.98)], [points('total', [[step(1), 100], [step(0), 100]])]],
    ['timeslices without a bad-slice series', slicesSlo, [tag('30d', 'total', 100), tag('30d', 'badslices', 0.0002)], [points('total', [[step(1), 100], [step(0), 100]])]],
  ])('reads a range answer missing a part as no errors: %s', (_name, def, instant, range) => {
    const s = status(def, instant, range);
    expect(s.trend).toEqual([1, 1]);
    expect(s.incidents).toEqual([]);
  });

  it('keeps every number finite when the SLO window has no events but the steps have some', () => {
    const s = status(slo('v'), [tag('30d', 'total', 0), tag('30d', 'bad', 0)], [points('total', [[step(1), 100], [step(0), 100]]), points('bad', [[step(1), 0], [step(0), 1]])]);
    expect(s.verdict).toBe('no-data');
    // No window events: no step carries any of the budget.
    expect(s.trend).toEqual([1, 1]);
    expect(s.incidents.map((i) => i.budgetShare)).toEqual([0]);
  });

  it.each([
    // Steps at 36 000 req/s carry half the window's events each (weight 0.5); error ratio 0.002 there consumes 0.002 × 0.5 / 0.001 = 1.
    ['within budget: scale 0–100 %', [[step(1), 0], [step(0), 36]], [1, 1, 0.5], '██▅'],
    ['overspent: the scale extends below 0', [[step(1), 72], [step(0), 72]], [1, 0, -1], '█▅▁'],
  ] as Array<[string, Array<[number, number]>, number[], string]>)('draws the burn-down sparkline %s', (_name, bad, trend, spark) => {
    const s = status(slo('v'), main, [points('total', [[step(2), 100], [step(1), 36_000], [step(0), 36_000]]), points('bad', [[step(2), 0], ...bad])]);
    expect(s.trend).toEqual(trend);
    expect(s.sparkline).toBe(spark);
  });
});

describe('incidents, the postmortem flag and the traffic tier', () => {
  it('reports the 5 largest of more incidents, largest first', () => {
    // Seven separate one-step incidents, k bad req/s (of 100) two hours apart: error ratio k/100, share k/72.
    const hours = [1, 2, 3, 4, 5, 6, 7].map((k) => [step(2 * k), k] as [number, number]);
    const s = status(slo('v'), [tag('30d', 'total', 100), tag('30d', 'bad', 0.02)], [points('total', hours.map(([t]) => [t, 100])), points('bad', hours)]);
    expect(s.incidents.map((i) => [i.start, i.budgetShare])).toEqual([
      ['2026-10-31T09:00:00Z', expect.closeTo(7 / 72, 12)],
      ['2026-10-31T11:00:00Z', expect.closeTo(6 / 72, 12)],
      ['2026-10-31T13:00:00Z', expect.closeTo(5 / 72, 12)],
      ['2026-10-31T15:00:00Z', expect.closeTo(4 / 72, 12)],
      ['2026-10-31T17:00:00Z', expect.closeTo(3 / 72, 12)],
    ]);
  });

  // Objective 0.75 (budget 0.25), 1 req/s over 30d (2 592 000 events). A step at 90 req/s holds
  // 324 000 of them (weight 0.125): all bad it consumes 1 × 0.125 / 0.25 = 0.5 of the budget,
  // half bad 0.5 × 0.125 / 0.25 = 0.25 (burn 2, just an incident). Exact in binary floating point.
  const quarter = slo('v', { objective: 0.75 });
  const twoIncidents = [points('total', [[step(5), 90], [step(0), 90]]), points('bad', [[step(5), 90], [step(0), 45]])];
  it.each([
    [0.5, false, 'the largest share exactly at the threshold'],
    [0.4999, true, 'the largest a hair over'],
    [0.25, true, 'one over and one exactly at'],
  ])('flags a postmortem only for a share above postmortem.incidentBudgetShare %d (%s)', (share, required) => {
    const s = status(quarter, [tag('30d', 'total', 1), tag('30d', 'bad', 0.1)], twoIncidents, mergePolicy(policy, { postmortem: { incidentBudgetShare: share } }));
    expect(s.incidents.map((i) => i.budgetShare)).toEqual([0.5, 0.25]);
    expect(s.postmortemRequired).toBe(required);
    expect(s.reasons.some((r) => r.startsWith('postmortem required'))).toBe(required);
  });

  // Step rates 50, 100 and 150 req/s: p90 = 140, p10 = 60 (docs/budget.md: Prometheus' quantile).
  const rates = [points('total', [[step(2), 50], [step(1), 100], [step(0), 150]]), points('bad', [[step(0), 0]])];
  const loose = mergePolicy(policy, { dynamic: { low: { quantile: 0.1, factor: 1.5 } } });

  it('assesses the current traffic over dynamic.currentWindow against the steps', () => {
    const peak = status(slo('v'), [tag('30d', 'total', 100), tag('30d', 'bad', 0.02), tag('1h', 'total', 200)], rates, loose);
    expect(peak.traffic).toEqual({ current: 200, peak: 140, low: 60, tier: 'peak', multiplier: 0.5 });
    const low = status(slo('v'), [tag('30d', 'total', 100), tag('30d', 'bad', 0.02), tag('1h', 'total', 10)], rates, loose);
    expect(low.traffic).toMatchObject({ current: 10, tier: 'low', multiplier: 1.5 });
  });

  it('calls the tier unknown, never low (which may loosen the factors), when the current window has no total series', () => {
    const s = status(slo('v'), [tag('30d', 'total', 100), tag('30d', 'bad', 0.02), tag('1h', 'bad', 0)], rates, loose);
    expect(s.traffic).toEqual({ current: null, peak: null, low: null, tier: 'unknown', multiplier: 1 });
    expect(s.fastBurn.map((f) => f.factor)).toEqual([14.4, 6]);
  });

  it('reads bad events without a total in a short window as no traffic there (burn unknown), not as nonsense', () => {
    const s = status(slo('v'), [tag('30d', 'total', 100), tag('30d', 'bad', 0.02), tag('1h', 'bad', 0.5), tag('5m', 'bad', 0.5)], []);
    expect(s.verdict).toBe('pass');
    expect(s.burnRates['1h']).toBeNull();
    expect(s.burnRates['5m']).toBeNull();
  });
});
