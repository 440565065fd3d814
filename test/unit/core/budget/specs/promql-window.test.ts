/**
 * Windowing PromQL queries written without a range (OpenSLO ratioMetric
 * queries for other tools): the rewrite on the Prometheus parser's syntax
 * tree, where it is exact, and the refusals where it would not be.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVectorSelector, promqlSyntaxError, windowQuery } from '../../../../../src/core/budget/specs/promql-window.js';

const ok = (q: string, fn: 'rate' | 'avg_over_time' = 'rate') => {
  const r = windowQuery(q, fn);
  if (!r.ok) throw new Error(r.message);
  return r.query;
};
const refusal = (q: string) => {
  const r = windowQuery(q, 'rate');
  if (r.ok) throw new Error(`expected a refusal, got ${r.query}`);
  return r;
};

describe('windowQuery: the range function goes on every selector, inside aggregations', () => {
  it('rewrites selectors, sums, averages, sums of series, scalings, label functions and offsets', () => {
    expect(ok('http_requests_total{code="500"}')).toBe('rate(http_requests_total{code="500"}[{{.window}}])');
    expect(ok('sum(http_requests_total{service="checkout",code="500"})')).toBe('sum(rate(http_requests_total{service="checkout",code="500"}[{{.window}}]))');
    expect(ok('sum by (service) (a) + sum by (service) (b)')).toBe('sum by (service) (rate(a[{{.window}}])) + sum by (service) (rate(b[{{.window}}]))');
    expect(ok('avg without (instance) (a{x=~"y|z"})')).toBe('avg without (instance) (rate(a{x=~"y|z"}[{{.window}}]))');
    expect(ok('2 * (a - b) / 60')).toBe('2 * (rate(a[{{.window}}]) - rate(b[{{.window}}])) / 60');
    expect(ok('-a')).toBe('-rate(a[{{.window}}])');
    expect(ok('sum(a offset 1h)')).toBe('sum(rate(a[{{.window}}] offset 1h))');
    expect(ok('sum(label_replace(a, "x", "$1", "y", "(.*)"))')).toBe('sum(label_replace(rate(a[{{.window}}]), "x", "$1", "y", "(.*)"))');
    expect(ok('sum(a)', 'avg_over_time')).toBe('sum(avg_over_time(a[{{.window}}]))');
    expect(ok('{__name__="a", job="x"}')).toBe('rate({__name__="a", job="x"}[{{.window}}])');
  });

  it('refuses what does not commute with rate(), naming the construct and a fix', () => {
    expect(refusal('max(a)').message).toMatch(/max\(\) does not commute with rate\(\)/);
    expect(refusal('max(a)').fix).toMatch(/write max\(rate\(metric\[\{\{\.window\}\}\]\)\) yourself/);
    for (const [q, re] of [
      ['topk(3, a)', /topk\(\) does not commute/],
      ['count(a)', /count\(\) does not commute/],
      ['quantile(0.9, a)', /quantile\(\) does not commute/],
      ['a / b', /product or quotient of series/],
      ['a * b', /product or quotient of series/],
      ['2 / a', /product or quotient/],
      ['a + 1', /adding a number/],
      ['a > 0', /operator > does not commute/],
      ['a and b', /operator and does not commute/],
      ['abs(a)', /abs\(\) does not commute/],
      ['histogram_quantile(0.9, a)', /histogram_quantile\(\) does not commute/],
      ['sum(rate(a[5m]))', /already has a range/],
      ['sum(a[5m:1m])', /already has a range/],
      ['a @ 100', /@ modifier/],
      ['42', /selects no series/],
    ] as const) {
      expect(refusal(q).message, q).toMatch(re);
    }
  });

  it('refuses PromQL keywords where a metric name should be (the property test does not generate them)', () => {
    expect(refusal('nan').message).toBe('cannot apply rate() over the window to "nan": it selects no series');
    expect(refusal('inf').message).toBe('cannot apply rate() over the window to "inf": it selects no series');
    for (const k of ['offset', 'bool', 'on', 'ignoring']) expect(refusal(`sum(${k})`).message, k).toMatch(/^not valid PromQL: syntax error/);
  });

  it('reports syntax errors with their position', () => {
    expect(refusal('sum(a').message).toMatch(/^not valid PromQL: syntax error at character/);
    expect(promqlSyntaxError('sum(rate(a[5m]))')).toBeUndefined();
    expect(promqlSyntaxError('sum(rate(a[5m])')).toMatch(/syntax error/);
  });

  it('keeps every character outside the selectors (property)', () => {
    // PromQL keywords are no metric names (`nan`, `inf`: numbers; the others: syntax errors), so they are not generated.
    const KEYWORDS = new Set(['nan', 'inf', 'offset', 'bool', 'on', 'ignoring', 'group_left', 'group_right']);
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((n) => !KEYWORDS.has(n));
    const sel = fc.tuple(name, fc.option(fc.stringMatching(/^[a-z]{1,5}$/))).map(([n, v]) => (v === null ? n : `${n}{code="${v}"}`));
    const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        sel,
        tie('e').map((e) => `sum(${e as string})`),
        fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a as string} + ${b as string}`),
        tie('e').map((e) => `(${e as string}) * 2`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (q) => {
        const out = ok(q);
        // Removing the inserted rate( and [{{.window}}]) gives the input back.
        expect(out.replaceAll('rate(', '').replaceAll('[{{.window}}])', '')).toBe(q.replaceAll('rate(', ''));
        expect(promqlSyntaxError(out.replaceAll('{{.window}}', '5m'))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe('isVectorSelector (Pyrra metrics)', () => {
  it('accepts one selector only', () => {
    expect(isVectorSelector('http_requests_total{code=~"5.."}')).toBe(true);
    expect(isVectorSelector(' a ')).toBe(true);
    for (const q of ['rate(a[5m])', 'a + b', 'sum(a)', 'a[5m]', 'a{', '']) expect(isVectorSelector(q), q).toBe(false);
  });
});
