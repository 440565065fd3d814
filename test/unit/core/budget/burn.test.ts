import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessTraffic, burnRate, exhaustionSeconds, fastBurn, quantile } from '../../../../src/core/budget/burn.js';
import { burnDown, consumption, findIncidents, samplePoints, type Bucket } from '../../../../src/core/budget/incidents.js';
import { defaultPolicy } from '../../../../src/core/budget/policy.js';

describe('burn math', () => {
  it('burn = error ratio / (1 − objective)', () => {
    expect(burnRate(0.001, 0.999)).toBeCloseTo(1, 12);
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 10);
    expect(burnRate(null, 0.999)).toBeNull();
    expect(burnRate(Number.NaN, 0.999)).toBeNull();
  });

  it('exhaustion = remaining × period / burn; 0 when spent; null when not burning', () => {
    expect(exhaustionSeconds(0.5, 2, 2_592_000)).toBe(648_000);
    expect(exhaustionSeconds(-0.1, 2, 2_592_000)).toBe(0);
    expect(exhaustionSeconds(0, 2, 2_592_000)).toBe(0);
    expect(exhaustionSeconds(0.5, 0, 2_592_000)).toBeNull();
    expect(exhaustionSeconds(0.5, null, 2_592_000)).toBeNull();
    expect(exhaustionSeconds(null, 1, 2_592_000)).toBeNull();
  });

  it('quantile follows Prometheus (rank φ(n − 1), linear)', () => {
    expect(quantile(0.9, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(9.1, 12);
    expect(quantile(0.5, [3, 1, 2])).toBe(2);
    expect(quantile(0, [3, 1])).toBe(1);
    expect(quantile(1, [3, 1])).toBe(3);
    expect(quantile(0.5, [])).toBeNaN();
    expect(quantile(0.5, [Number.NaN, 4])).toBe(4);
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, phi) => {
        const q = quantile(phi, xs);
        expect(q).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(q).toBeLessThanOrEqual(Math.max(...xs));
      }),
    );
  });

  it('classifies traffic against the window quantiles', () => {
    const d = { ...defaultPolicy().dynamic, low: { quantile: 0.1, factor: 1.5 } };
    const rates = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(assessTraffic(95, rates, d)).toMatchObject({ tier: 'peak', multiplier: 0.5 });
    expect(assessTraffic(50, rates, d)).toMatchObject({ tier: 'normal', multiplier: 1 });
    expect(assessTraffic(5, rates, d)).toMatchObject({ tier: 'low', multiplier: 1.5 });
    expect(assessTraffic(5, rates, { ...d, enabled: false })).toMatchObject({ tier: 'unknown', multiplier: 1, current: 5 });
    expect(assessTraffic(null, rates, d)).toMatchObject({ tier: 'unknown', current: null });
    expect(assessTraffic(5, [], d).tier).toBe('unknown');
  });

  it('fires a fast-burn condition only when both windows exceed the scaled factor', () => {
    const conds = defaultPolicy().fastBurn;
    expect(fastBurn(conds, { '1h': 15, '5m': 20, '6h': 1, '30m': 1 }, 1).map((c) => c.firing)).toEqual([true, false]);
    expect(fastBurn(conds, { '1h': 15, '5m': 10, '6h': 1, '30m': 1 }, 1).map((c) => c.firing)).toEqual([false, false]);
    expect(fastBurn(conds, { '1h': 10, '5m': 10, '6h': 4, '30m': 4 }, 0.5).map((c) => [c.factor, c.firing])).toEqual([
      [7.2, true],
      [3, true],
    ]);
    expect(fastBurn(conds, { '1h': 14.4, '5m': 100 }, 1)[0]?.firing).toBe(false);
    expect(fastBurn(conds, {}, 1)[0]).toMatchObject({ longBurn: null, shortBurn: null, firing: false });
  });
});

describe('burn math at its boundaries (mutation-testing survivors)', () => {
  it('burn rate of an unknown, NaN or infinite ratio is null, not a number', () => {
    expect(burnRate(null, 0.999)).toBeNull();
    expect(burnRate(Number.NaN, 0.999)).toBeNull();
    expect(burnRate(Number.POSITIVE_INFINITY, 0.999)).toBeNull();
    expect(burnRate(0, 0.999)).toBe(0);
  });

  it('exhaustion: exactly 0 remaining is already exhausted (0), whatever the burn; no burn → null', () => {
    expect(exhaustionSeconds(0, null, 3600)).toBe(0);
    expect(exhaustionSeconds(0, 0, 3600)).toBe(0);
    expect(exhaustionSeconds(-0.2, 5, 3600)).toBe(0);
    expect(exhaustionSeconds(0.5, null, 3600)).toBeNull();
    expect(exhaustionSeconds(0.5, 0, 3600)).toBeNull();
    expect(exhaustionSeconds(0.5, -1, 3600)).toBeNull();
    expect(exhaustionSeconds(0.5, Number.NaN, 3600)).toBeNull();
    expect(exhaustionSeconds(0.5, 2, 3600)).toBe(900);
  });

  it('quantile: no finite values → NaN; φ outside [0, 1] clamps to min and max; NaN values are ignored', () => {
    expect(quantile(0.5, [])).toBeNaN();
    expect(quantile(0.5, [Number.NaN, Number.POSITIVE_INFINITY])).toBeNaN();
    expect(quantile(-0.5, [3, 1, 2])).toBe(1);
    expect(quantile(1.5, [3, 1, 2])).toBe(3);
    expect(quantile(0.5, [Number.NaN, 1, 3])).toBe(2);
  });

  it('traffic: NaN current or only non-finite step rates → unknown tier, multiplier 1', () => {
    const d = { ...defaultPolicy().dynamic, enabled: true };
    expect(assessTraffic(Number.NaN, [1, 2, 3], d)).toEqual({ current: null, peak: null, low: null, tier: 'unknown', multiplier: 1 });
    expect(assessTraffic(5, [Number.NaN, Number.POSITIVE_INFINITY], d)).toEqual({ current: 5, peak: null, low: null, tier: 'unknown', multiplier: 1 });
    expect(assessTraffic(1000, [1, 2, 3], { ...d, enabled: false })).toEqual({ current: 1000, peak: null, low: null, tier: 'unknown', multiplier: 1 });
    // non-finite steps are dropped before the quantiles
    expect(assessTraffic(2, [1, 2, 3, Number.NaN], d).tier).toBe('normal');
  });

  it('fast burn needs BOTH windows strictly above the factor: equal does not fire, one unknown does not fire', () => {
    const conds = [{ long: '1h', short: '5m', factor: 14.4 }] as ReturnType<typeof defaultPolicy>['fastBurn'];
    const firing = (long: number | null, short: number | null) => fastBurn(conds, { '1h': long, '5m': short }, 1)[0]!.firing;
    expect(firing(14.5, 14.5)).toBe(true);
    expect(firing(14.4, 100)).toBe(false);
    expect(firing(100, 14.4)).toBe(false);
    expect(firing(null, 100)).toBe(false);
    expect(firing(100, null)).toBe(false);
    expect(firing(100, 1)).toBe(false);
    expect(firing(1, 100)).toBe(false);
  });
});

describe('burn-down and incidents', () => {
  const b = (t: number, errorRatio: number | null, weight = 0.1, bad: number | null = null): Bucket => ({ t, errorRatio, weight, bad, rate: null });

  it('accumulates consumption into the burn-down', () => {
    const buckets = [b(60, 0.001), b(120, 0.002), b(180, null), b(240, 0)];
    const c = consumption(buckets, 0.999);
    expect(c.map((x) => Number(x.toFixed(9)))).toEqual([0.1, 0.2, 0, 0]);
    expect(burnDown(c).map((x) => Number(x.toFixed(9)))).toEqual([0.9, 0.7, 0.7, 0.7]);
  });

  it('finds contiguous bad runs, split by good buckets and gaps, largest first', () => {
    const buckets = [b(60, 0), b(120, 0.01, 0.1, 5), b(180, 0.02, 0.1, 7), b(240, 0), b(300, 0.005, 0.1, 1), b(420, 0.005, 0.1, 1), b(480, 0.005, 0.1, null)];
    const inc = findIncidents(buckets, 0.999, 60, 2);
    expect(inc.map((i) => [i.start, i.end, Number(i.budgetShare.toFixed(6)), Number(i.peakBurn.toFixed(6)), i.badEvents])).toEqual([
      [60, 180, 3, 20, 12],
      [360, 480, 1, 5, null],
      [240, 300, 0.5, 5, 1],
    ]);
    expect(findIncidents([b(60, 0.0015)], 0.999, 60, 2)).toEqual([]);
  });

  it('a bucket burning exactly minBurn is part of an incident; one without data never is, even at minBurn 0', () => {
    // 0.2 % errors against a 0.1 % budget is a burn of exactly 2
    expect(findIncidents([b(60, 0), b(120, 0.002, 0.1, 4)], 0.999, 60, 2).map((i) => [i.start, i.end, i.peakBurn, i.badEvents])).toEqual([[60, 120, 2, 4]]);
    const noData = findIncidents([b(60, 0.001), b(120, null), b(180, 0)], 0.999, 60, 0);
    expect(noData.map((i) => [i.start, i.end])).toEqual([
      [0, 60],
      [120, 180],
    ]);
  });

  it('bad events stay unknown for the rest of an incident once a bucket has no count; equal shares list the earlier first', () => {
    const [inc] = findIncidents([b(60, 0.01, 0.1, null), b(120, 0.01, 0.1, 3)], 0.999, 60, 2);
    expect(inc?.badEvents).toBeNull();
    const tie = findIncidents([b(60, 0.01), b(120, 0), b(180, 0.01), b(240, 0), b(300, 0.01)], 0.999, 60, 2);
    expect(tie.map((i) => i.start)).toEqual([0, 120, 240]);
  });

  it('a bucket without data consumes nothing, whatever its weight', () => {
    expect(consumption([b(60, null, Number.NaN), b(120, null, Number.POSITIVE_INFINITY)], 0.999)).toEqual([0, 0]);
  });

  it('samples the last value of equal chunks', () => {
    expect(samplePoints([1, 2, 3, 4, 5, 6], 3)).toEqual([2, 4, 6]);
    expect(samplePoints([1, 2], 5)).toEqual([1, 2]);
    expect(samplePoints([1, 2, 3], 3)).toEqual([1, 2, 3]);
    expect(samplePoints([], 3)).toEqual([]);
    expect(samplePoints(Array.from({ length: 720 }, (_, i) => i), 48).at(-1)).toBe(719);
  });
});
