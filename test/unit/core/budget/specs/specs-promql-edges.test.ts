/**
 * Edges of the windowing rewrite (src/core/budget/specs/promql-window.ts), as
 * docs/budget-specs.md "Queries without a window" states it: a number scales
 * series only by * or /, in any spelling (parenthesised, negative); a number
 * added is refused; vector matching keeps its clause; a range anywhere is
 * reported as a range, whatever wraps it; every refusal names the construct
 * and its fix; syntax errors say where. Expected texts are derived from the
 * doc's rules and the query texts, by hand.
 */
import { describe, expect, it } from 'vitest';
import { isVectorSelector, promqlSyntaxError, windowQuery } from '../../../../../src/core/budget/specs/promql-window.js';

const W = '[{{.window}}]';
const rewrite = (q: string, fn: 'rate' | 'avg_over_time' = 'rate') => windowQuery(q, fn);

describe('windowQuery: numbers that scale series', () => {
  it('accepts a number on either side of *, parenthesised or negative, and a divisor in any spelling', () => {
    expect(rewrite('a * 2')).toEqual({ ok: true, query: `rate(a${W}) * 2` });
    expect(rewrite('2 * a')).toEqual({ ok: true, query: `2 * rate(a${W})` });
    expect(rewrite('(2) * a')).toEqual({ ok: true, query: `(2) * rate(a${W})` });
    expect(rewrite('((2)) * a')).toEqual({ ok: true, query: `((2)) * rate(a${W})` });
    expect(rewrite('-2 * a')).toEqual({ ok: true, query: `-2 * rate(a${W})` });
    expect(rewrite('a / (2)')).toEqual({ ok: true, query: `rate(a${W}) / (2)` });
    expect(rewrite('a / -(2)')).toEqual({ ok: true, query: `rate(a${W}) / -(2)` });
  });

  it('refuses a number added or subtracted in any spelling, saying counters for rate and gauges for avg_over_time', () => {
    const fix = `write the query with an explicit range, e.g. rate(metric[{{.window}}]) inside the aggregation, or use a sum of counters`;
    expect(rewrite('a - 1')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "a - 1": adding a number to counters does not commute with rate()', fix });
    expect(rewrite('1 + a')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "1 + a": adding a number to counters does not commute with rate()', fix });
    expect(rewrite('a - (1)')).toMatchObject({ ok: false, message: expect.stringMatching(/adding a number to counters/) });
    expect(rewrite('a - -1')).toMatchObject({ ok: false, message: expect.stringMatching(/adding a number to counters/) });
    expect(rewrite('a + 1', 'avg_over_time')).toEqual({
      ok: false,
      message: 'cannot apply avg_over_time() over the window to "a + 1": adding a number to gauges does not commute with avg_over_time()',
      fix: 'write the query with an explicit range, e.g. avg_over_time(metric[{{.window}}]) inside the aggregation, or use a sum of gauges',
    });
  });

  it('refuses a number divided by series, and a query of numbers only as selecting no series', () => {
    expect(rewrite('2 / a')).toMatchObject({ ok: false, message: expect.stringMatching(/^cannot apply rate\(\) over the window to "2 \/ a": rate\(\) of a product or quotient/) });
    // Numbers alone select nothing, whichever operator joins them.
    expect(rewrite('2 * 4')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "4": it selects no series' });
    expect(rewrite('2 / 4')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "2": it selects no series' });
  });
});

describe('windowQuery: vector matching, aggregations, functions', () => {
  it('keeps on()/group_left clauses and rewrites both sides', () => {
    expect(rewrite('a + on(x) b')).toEqual({ ok: true, query: `rate(a${W}) + on(x) rate(b${W})` });
    expect(rewrite('a - ignoring(y) group_left b')).toEqual({ ok: true, query: `rate(a${W}) - ignoring(y) group_left rate(b${W})` });
    expect(rewrite('sum(a) by (x)')).toEqual({ ok: true, query: `sum(rate(a${W})) by (x)` });
  });

  it('refuses bool on arithmetic, which Prometheus rejects (bool applies only to comparisons)', () => {
    expect(rewrite('a + bool b')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "a + bool b": bool applies only to comparison operators' });
    expect(rewrite('a > bool 0')).toMatchObject({ ok: false, message: expect.stringMatching(/the operator > does not commute with rate\(\)$/) });
  });

  it('refuses an aggregation with no argument or a parameter, saying which', () => {
    expect(rewrite('sum()')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "sum()": missing argument' });
    expect(rewrite('sum(a, b)')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "sum(a, b)": sum() with a parameter is not supported' });
  });

  it('rewrites label_join, refuses label_replace() without arguments, names other functions in the fix', () => {
    expect(rewrite('label_join(a, "x", ",", "y")')).toEqual({ ok: true, query: `label_join(rate(a${W}), "x", ",", "y")` });
    expect(rewrite('label_replace()')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "label_replace()": missing argument' });
    expect(rewrite('abs(a)')).toEqual({
      ok: false,
      message: 'cannot apply rate() over the window to "abs(a)": abs() does not commute with rate()',
      fix: 'write the query with an explicit range, e.g. abs(rate(metric[{{.window}}]))',
    });
  });

  it('refuses an offset on anything but a selector', () => {
    expect(rewrite('(a) offset 1h')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "(a) offset 1h": offset applies only to a series selector here' });
  });

  it('reports an existing range as such, even inside a construct that is refused too', () => {
    expect(rewrite('max(rate(a[5m]))')).toEqual({
      ok: false,
      message: 'cannot apply rate() over the window to "a[5m]": the query already has a range',
      fix: 'OpenSLO queries without a window must not hold ranges; or write every range as [{{.window}}]',
    });
  });

  it('reports a subquery as a range too, even inside a construct that is refused', () => {
    expect(rewrite('max(a[5m:1m])')).toMatchObject({ ok: false, message: 'cannot apply rate() over the window to "a[5m:1m]": the query already has a range' });
  });

  it('refuses a string or a number as selecting no series, and @ as pinning one instant, each with its fix', () => {
    expect(rewrite('"x"')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "\\"x\\"": it selects no series', fix: 'select the series, e.g. http_requests_total{code="500"}' });
    expect(rewrite('42')).toMatchObject({ fix: 'select the series, e.g. http_requests_total{code="500"}' });
    expect(rewrite('a @ 100')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "a @ 100": the @ modifier pins the query to one instant', fix: 'remove the @ modifier' });
  });

  it('gives the fix for products and comparisons: separate queries or explicit ranges', () => {
    const fix = 'give good, bad and total as separate queries (ratioMetric good/bad/total), or write the ranges yourself as [{{.window}}]';
    expect(rewrite('a / b')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "a / b": rate() of a product or quotient of series is not the product or quotient of their rates', fix });
    expect(rewrite('a % 2')).toEqual({ ok: false, message: 'cannot apply rate() over the window to "a % 2": the operator % does not commute with rate()', fix });
  });
});

describe('promqlSyntaxError: the first error, with where it is', () => {
  it('gives the 1-based character and up to 10 characters either side', () => {
    // "sum(rate(a[5m])" ends before the last ")": the error is at index 15 (character 16), text from index 5.
    expect(promqlSyntaxError('sum(rate(a[5m])')).toBe('not valid PromQL: syntax error at character 16 (near "ate(a[5m])")');
    // "a b": the error is at index 2; the text from the start.
    expect(promqlSyntaxError('a b')).toBe('not valid PromQL: syntax error at character 3 (near "a b")');
    // Error at index 2 of a long text: near holds the 10 characters from there (from index 0: none before).
    expect(promqlSyntaxError('a b cdefghijklmnopqrstuvwxyz')).toBe('not valid PromQL: syntax error at character 3 (near "a b cdefghij")');
  });

  it('says nothing about where when there is no text', () => {
    expect(promqlSyntaxError('')).toBe('not valid PromQL: syntax error at character 1');
    expect(rewrite('')).toEqual({ ok: false, message: 'not valid PromQL: syntax error at character 1', fix: 'fix the PromQL syntax (promtool and the Prometheus UI show the same error)' });
  });
});

describe('isVectorSelector: one series selector, as Pyrra requires', () => {
  it('is true for a selector, with or without matchers and surrounding spaces', () => {
    expect(isVectorSelector('http_requests_total{code="500"}')).toBe(true);
    expect(isVectorSelector(' a ')).toBe(true);
    expect(isVectorSelector('{__name__="a"}')).toBe(true);
  });

  it('is false for anything else, and for invalid PromQL', () => {
    for (const q of ['sum(a)', 'a[5m]', 'a offset 5m', 'rate(a[5m])', 'a + b', '(a)', 'a{', '']) expect(isVectorSelector(q), q).toBe(false);
  });

  it('is false for a selector followed by a comment: the comment would swallow the range relia appends', () => {
    expect(isVectorSelector('http_requests_total{code="500"} # errors')).toBe(false);
    expect(isVectorSelector('a\n# note')).toBe(false);
  });
});

describe('windowQuery: comments are kept and do not count as parts of the query', () => {
  // PromQL allows # comments to the end of a line; the rewrite must read the query around them as Prometheus does.
  const rewrite = (q: string) => windowQuery(q, 'rate');
  it('a comment line before the query', () => {
    expect(rewrite('# errors\nsum(x)')).toEqual({ ok: true, query: '# errors\nsum(rate(x[{{.window}}]))' });
  });

  it('a comment inside an aggregation is not a second argument', () => {
    expect(rewrite('sum(\n  x # errors\n)')).toEqual({ ok: true, query: 'sum(\n  rate(x[{{.window}}]) # errors\n)' });
  });

  it('a comment between an operand and its operator is not an operand', () => {
    expect(rewrite('x # errors\n* 2')).toEqual({ ok: true, query: 'rate(x[{{.window}}]) # errors\n* 2' });
  });

  it('a comment inside an offset', () => {
    expect(rewrite('x offset # back\n 5m')).toEqual({ ok: true, query: 'rate(x[{{.window}}] offset 5m)' });
  });
});
