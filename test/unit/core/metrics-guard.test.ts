import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricsSource } from '../../../src/ports/metrics.js';
import { assertNotAbove, guardMetrics, MetricsDataError, valueProblem } from '../../../src/core/metrics-guard.js';

/** A source that answers exactly these values (instant: one sample each; range: one series). */
function answering(values: number[]): MetricsSource {
  return {
    kind: 'fake',
    instant: async () => values.map((value, i) => ({ labels: { i: String(i) }, value })),
    range: async (_q, o) => [{ labels: {}, points: values.map((v, i) => [o.start / 1000 + i * o.step, v] as [number, number]) }],
    close: async () => {},
  };
}
const good = fc.double({ min: 0, max: 1e300, noNaN: true });
const bad = fc.oneof(fc.constant(Number.NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }));

describe('guardMetrics', () => {
  it('passes finite non-negative answers through unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(good, { maxLength: 20 }), async (values) => {
        const g = guardMetrics(answering(values));
        expect((await g.instant('q', { time: 0 })).map((s) => s.value)).toEqual(values);
        expect((await g.range('q', { start: 0, end: 1000, step: 60 }))[0]!.points.map((p) => p[1])).toEqual(values);
      }),
    );
  });

  it('rejects any NaN, ±Inf or negative value anywhere, naming query, value and time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(good, { maxLength: 10 }), bad, fc.array(good, { maxLength: 10 }), async (before, x, after) => {
        const g = guardMetrics(answering([...before, x, ...after]));
        const inst = await g.instant('sum(rate(x[5m]))', { time: Date.parse('2026-11-01T00:00:00Z') }).catch((e: unknown) => e);
        expect(inst).toBeInstanceOf(MetricsDataError);
        expect((inst as MetricsDataError).exitCode).toBe(3);
        expect((inst as MetricsDataError).query).toBe('sum(rate(x[5m]))');
        expect((inst as MetricsDataError).time).toBe('2026-11-01T00:00:00Z');
        expect((inst as MetricsDataError).message).toContain((inst as MetricsDataError).value);
        const range = await g.range('r', { start: 0, end: 1e6, step: 60 }).catch((e: unknown) => e);
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
