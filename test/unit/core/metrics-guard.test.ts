import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryMetrics } from '../../fakes/memory-metrics.js';
import { assertNotAbove, guardMetrics, MetricsDataError, valueProblem } from '../../../src/core/metrics-guard.js';

const AT = Date.parse('2026-11-01T00:00:00Z');
/**
 * The metrics fake holding exactly these values as gauges: `one_each` is one
 * series per value with its sample at AT; `in_order` is one series with value
 * i at i × 60 s. A 1 s lookback keeps each range step to its own sample.
 */
function answering(values: number[]): MemoryMetrics {
  return MemoryMetrics.fromPoints(
    [
      ...values.map((v, i) => ({ labels: { __name__: 'one_each', i: String(i) }, points: [[AT / 1000, v]] as Array<[number, number]> })),
      ...(values.length ? [{ labels: { __name__: 'in_order' }, points: values.map((v, i) => [i * 60, v] as [number, number]) }] : []),
    ],
    { lookbackSeconds: 1 },
  );
}
const byIndex = (samples: Array<{ labels: Record<string, string>; value: number }>) => [...samples].sort((a, b) => Number(a.labels.i) - Number(b.labels.i)).map((s) => s.value);
const good = fc.double({ min: 0, max: 1e300, noNaN: true });
const bad = fc.oneof(fc.constant(Number.NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }));

describe('guardMetrics', () => {
  it('passes finite non-negative answers through unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(good, { maxLength: 20 }), async (values) => {
        const g = guardMetrics(answering(values));
        expect(byIndex(await g.instant('one_each', { time: AT }))).toEqual(values);
        expect((await g.range('in_order', { start: 0, end: 60_000 * 25, step: 60 }))[0]?.points.map((p) => p[1]) ?? []).toEqual(values);
      }),
    );
  });

  it('rejects any NaN, ±Inf or negative value anywhere, naming query, value and time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(good, { maxLength: 10 }), bad, fc.array(good, { maxLength: 10 }), async (before, x, after) => {
        const g = guardMetrics(answering([...before, x, ...after]));
        const inst = await g.instant('one_each', { time: AT }).catch((e: unknown) => e);
        expect(inst).toBeInstanceOf(MetricsDataError);
        expect((inst as MetricsDataError).exitCode).toBe(3);
        expect((inst as MetricsDataError).query).toBe('one_each');
        expect((inst as MetricsDataError).time).toBe('2026-11-01T00:00:00Z');
        expect((inst as MetricsDataError).message).toContain((inst as MetricsDataError).value);
        const range = await g.range('in_order', { start: 0, end: 60_000 * 25, step: 60 }).catch((e: unknown) => e);
        expect(range).toBeInstanceOf(MetricsDataError);
        expect((range as MetricsDataError).time).toBe(new Date(before.length * 60_000).toISOString().replace('.000Z', 'Z'));
      }),
    );
  });

  it('names values as Prometheus writes them', () => {
    expect(valueProblem(Number.NaN)).toMatch(/not a number/);
    expect(valueProblem(-0.5)).toMatch(/negative/);
    expect(valueProblem(0)).toBeNull();
    expect(() => assertNotAbove({ name: 'bad', value: 2 }, { name: 'total', value: 1 }, { dependency: 'prometheus', query: 'q', time: null })).toThrow(/bad larger than total: bad 2 > total 1/);
    expect(() => assertNotAbove({ name: 'bad', value: 1 + 1e-12 }, { name: 'total', value: 1 }, { dependency: 'prometheus', query: 'q', time: null })).not.toThrow();
  });
});
