/**
 * What a MetricsDataError says (docs/budget.md "Bad metric data": exit 3,
 * naming the query, the value as Prometheus writes it, its time and series),
 * the dependency name it carries, and the tolerance of assertNotAbove
 * (relative 1e-9 plus 1e-12). Values by hand.
 */
import { describe, expect, it } from 'vitest';
import { assertNotAbove, formatValue, guardMetrics, MetricsDataError, valueProblem } from '../../../src/core/metrics-guard.js';
import type { MetricsSource } from '../../../src/ports/metrics.js';
import { MemoryMetrics } from '../../fakes/memory-metrics.js';

const AT = Date.parse('2026-11-01T00:00:00Z');
const SUGGESTIONS = [
  'run the query in the metrics UI at that time; fix the recording rule or exporter that produces this value',
  'counters must only grow: a negative rate means a broken counter or a subtraction in the query; wrap ratios so 0/0 cannot occur',
];
const caught = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as MetricsDataError;

describe('the MetricsDataError message', () => {
  it('the value as Prometheus writes it, the time, the series labels and the query', () => {
    const e = new MetricsDataError('prometheus', { query: 'up', value: -Infinity, time: '2026-11-01T00:00:00Z', problem: 'an infinite value', series: { job: 'api', le: '+Inf' } });
    expect(e.message).toBe('prometheus answered an infinite value: -Inf at 2026-11-01T00:00:00Z in series {job="api", le="+Inf"}; query: up');
    expect([e.exitCode, e.dependency, e.query, e.value, e.time, e.suggestions]).toEqual([3, 'prometheus', 'up', '-Inf', '2026-11-01T00:00:00Z', SUGGESTIONS]);
  });
  it('no time and no labels: neither part is written; a text value is kept as it is', () => {
    expect(new MetricsDataError('datadog', { query: 'q', value: 'bad 2 > total 1', time: null, problem: 'bad larger than total', series: {} }).message).toBe('datadog answered bad larger than total: bad 2 > total 1; query: q');
    expect(new MetricsDataError('p', { query: 'q', value: Number.NaN, time: null, problem: 'x' }).value).toBe('NaN');
  });
  it('formatValue and valueProblem, value by value', () => {
    expect([Number.NaN, Infinity, -Infinity, -0.5, 0, 2.5].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '-0.5', '0', '2.5']);
    expect([Number.NaN, Infinity, -Infinity, -1e-300, 0, 1e300].map(valueProblem)).toEqual(['a value that is not a number', 'an infinite value', 'an infinite value', 'a negative value', null, null]);
    expect(valueProblem('1' as unknown as number)).toBe('a value that is not a number');
  });
});

describe('guardMetrics', () => {
  const source = () => MemoryMetrics.fromPoints([{ labels: { __name__: 'neg', job: 'api' }, points: [[AT / 1000, -2]] }], { lookbackSeconds: 1 });
  it('an instant query names its series and, only when the query gave one, its time', async () => {
    const g = guardMetrics(source());
    expect((await caught(g.instant('neg', { time: AT }))).message).toBe('memory-metrics answered a negative value: -2 at 2026-11-01T00:00:00Z in series {__name__="neg", job="api"}; query: neg');
    // at the server's now (no time asked) and a series without labels: neither part is written
    const now = MemoryMetrics.fromPoints([{ labels: { __name__: 'q', job: 'api' }, points: [[AT / 1000, -1]] }], { now: () => AT, kind: 'stub' });
    const e = await caught(guardMetrics(now).instant('sum(q)'));
    expect([e.time, e.message]).toEqual([null, 'stub answered a negative value: -1; query: sum(q)']);
  });
  it('the dependency is the source kind unless named; the wrapper keeps the kind', async () => {
    const m = source();
    expect([guardMetrics(m).kind, (await caught(guardMetrics(m).instant('neg', { time: AT }))).dependency]).toEqual([m.kind, m.kind]);
    expect((await caught(guardMetrics(m, { dependency: 'thanos' }).range('neg', { start: AT, end: AT, step: 60 }))).message).toMatch(/^thanos answered a negative value: -2 at 2026-11-01T00:00:00Z/);
  });
  it('close is passed to the source', async () => {
    let closed = 0;
    const m = source();
    // the fake, with its close counted
    const counting: MetricsSource = {
      kind: m.kind,
      instant: (q, o) => m.instant(q, o),
      range: (q, o) => m.range(q, o),
      close: async () => {
        closed++;
        await m.close();
      },
    };
    await guardMetrics(counting).close();
    expect(closed).toBe(1);
  });
});

describe('assertNotAbove: part ≤ whole within 1e-9 of whole plus 1e-12', () => {
  const ctx = { dependency: 'prometheus', query: 'q', time: '2026-11-01T00:00:00Z' };
  const check = (part: number, whole: number) => () => assertNotAbove({ name: 'bad', value: part }, { name: 'total', value: whole }, ctx);
  it('equal is fine; dust within the slack is fine; past it is exit 3 naming both', () => {
    expect(check(1000, 1000)).not.toThrow();
    expect(check(1000 + 5e-7, 1000)).not.toThrow(); // slack 1e-6 + 1e-12
    expect(check(1000 + 2e-6, 1000)).toThrow('prometheus answered bad larger than total: bad 1000.000002 > total 1000 at 2026-11-01T00:00:00Z; query: q');
  });
  it('at zero the absolute 1e-12 is the whole slack: 5e-13 passes, 2e-12 does not', () => {
    expect(check(5e-13, 0)).not.toThrow();
    expect(check(1e-12, 0)).not.toThrow(); // exactly at the edge
    expect(check(2e-12, 0)).toThrow(MetricsDataError);
  });
  it('a negative whole still gets a positive slack', () => {
    expect(check(-1 + 5e-10, -1)).not.toThrow();
    expect(check(-1 + 2e-9, -1)).toThrow(MetricsDataError);
  });
});
