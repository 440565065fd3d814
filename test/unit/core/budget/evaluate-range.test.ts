/**
 * The range answer of the budget engine (the burn-down, the incidents, the
 * traffic quantiles) and the consistency rules that make nonsense in either
 * answer an `invalid` verdict instead of a number. Expected values are worked
 * by hand in the comments: a 30d window (2 592 000 s) at the default
 * resolution has a 1h step (3 600 s); a step whose total rate is r carries
 * r × 3 600 of the window's events.
 */
import { describe, expect, it } from 'vitest';
import { computeStatus, defaultPolicy, planSlo, type BudgetPolicy, type SloDefinition } from '../../../../src/core/budget/index.js';
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
