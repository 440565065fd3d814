/**
 * The windowing rewrite (src/core/budget/specs/promql-window.ts) on syntax the Prometheus parser it uses
 * (@prometheus-io/lezer-promql 0.315) reads beyond the constructs docs/budget-specs.md "Queries without a window"
 * lists: the trim operators `</` and `>/`, the `fill()` binary modifiers, and the `anchored` and `smoothed`
 * modifiers. None of them is in the doc's accepted list, so each must be refused with the doc's message shape
 * (`cannot apply rate() over the window to "<construct>": <why>`) and a fix, never rewritten, and the spec reader
 * must report it as a problem of the query's field, not throw (checkSpecs: "never throws on bad input"). Before
 * 2026-12-04 a trim operator threw a TypeError out of checkSpecs (the operator was looked up in a fixed list).
 */
import { describe, expect, it } from 'vitest';
import { windowQuery } from '../../../../../src/core/budget/specs/promql-window.js';
import { check, opensloSloDoc } from './helpers.js';

const DEFAULT_FIX = 'write the query with an explicit range, e.g. rate(metric[{{.window}}]) inside the aggregation, or use a sum of counters';

describe('windowQuery: syntax outside the accepted list is refused', () => {
  it('refuses the trim operators like any operator that does not commute with rate()', () => {
    const fix = 'give good, bad and total as separate queries (ratioMetric good/bad/total), or write the ranges yourself as [{{.window}}]';
    expect(windowQuery('a >/ b', 'rate')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "a >/ b": the operator >/ does not commute with rate()', fix });
    expect(windowQuery('sum(a </ 5)', 'avg_over_time')).toEqual({
      ok: false,
      message: 'cannot apply avg_over_time() over the window to "a </ 5": the operator </ does not commute with avg_over_time()',
      fix,
    });
  });

  it('refuses a fill() modifier on any operator, naming it', () => {
    const fix = 'write the ranges yourself as [{{.window}}]';
    expect(windowQuery('a + fill(0) b', 'rate')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "a + fill(0) b": the fill(0) modifier is not supported here', fix });
    expect(windowQuery('a - on(x) fill_left(1) b', 'rate')).toEqual({
      ok: false,
      message: 'cannot apply rate() over the window to "a - on(x) fill_left(1) b": the fill_left(1) modifier is not supported here',
      fix,
    });
    // A number on one side would otherwise be scaling, which is accepted: the modifier is refused first.
    expect(windowQuery('2 * fill(0) a', 'rate')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "2 * fill(0) a": the fill(0) modifier is not supported here' });
  });

  it('refuses the anchored and smoothed modifiers by the kind of expression they make, not rewriting the selector under them', () => {
    expect(windowQuery('errors anchored', 'rate')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "errors anchored": AnchoredExpr is not supported here', fix: DEFAULT_FIX });
    expect(windowQuery('sum(errors smoothed)', 'rate')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "errors smoothed": SmoothedExpr is not supported here', fix: DEFAULT_FIX });
  });
});

describe('the spec reader reports them as problems of the query', () => {
  const spec = (bad: string) =>
    opensloSloDoc({
      metadata: '',
      service: 'checkout',
      indicator: `  indicator:
    metadata: {name: errors}
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: '${bad}'
        total:
          metricSource:
            type: Prometheus
            spec:
              query: 'sum(requests)'`,
    });

  it('gives one problem at the bad query and no SLO, for each construct', () => {
    for (const [query, why] of [
      ['sum(errors >/ 5)', 'cannot apply rate() over the window to "errors >/ 5": the operator >/ does not commute with rate()'],
      ['sum(errors + fill(0) retries)', 'cannot apply rate() over the window to "errors + fill(0) retries": the fill(0) modifier is not supported here'],
      ['sum(errors) anchored', 'cannot apply rate() over the window to "sum(errors) anchored": AnchoredExpr is not supported here'],
    ]) {
      const r = check(spec(query as string));
      expect(r.slos, query).toEqual([]);
      expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')]), query).toEqual([['spec.indicator.spec.ratioMetric.bad.metricSource.spec.query', why]]);
    }
  });
});
