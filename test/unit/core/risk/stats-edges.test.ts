/**
 * The small statistics and the model helpers at their edges (docs/risk.md#trend):
 * the sample sd of exactly two values, Mann-Kendall for a series with no trend
 * (S = 0 gives Z = 0 and p = 1 exactly) and with exactly three points, the ETTF
 * of a risk that never happens, and the bad-minutes ranking as a comparator.
 */
import { describe, expect, it } from 'vitest';
import { byBadMinutes, ettfDays, mannKendall, stdDev, YEAR_DAYS } from '../../../../src/core/risk/index.js';

describe('stdDev', () => {
  it('is defined from two values on: the sample sd of 1 and 3 is √2 (n − 1 = 1)', () => {
    // mean 2, squared deviations 1 + 1 = 2, divided by n − 1 = 1
    expect(stdDev([1, 3])).toBeCloseTo(Math.SQRT2, 15);
    expect(stdDev([7])).toBeNull();
  });
});

describe('mannKendall', () => {
  it('gives Z = 0 and p = 1 exactly for a series with S = 0 (no trend either way)', () => {
    // 2, 4, 1, 3: pairs (2,4)+ (2,1)− (2,3)+ (4,1)− (4,3)− (1,3)+ → S = 0
    // Var(S) = 4 · 3 · 13 / 18 = 26/3 (no ties); Z = 0, p = 2 (1 − Φ(0)) = 1
    const mk = mannKendall([2, 4, 1, 3]);
    expect(mk).toEqual({ n: 4, s: 0, varS: 26 / 3, z: 0, pValue: 1 });
  });

  it('tests a series of exactly three points: 1, 2, 3 has S = 3, Z = 2/√(11/3) and p ≈ 0.296', () => {
    // Var(S) = 3 · 2 · 11 / 18 = 11/3; Z = (S − 1)/√Var = 1.0445; Φ(1.0445) ≈ 0.8519 → p ≈ 0.2963
    const mk = mannKendall([1, 2, 3]);
    expect(mk.n).toBe(3);
    expect(mk.s).toBe(3);
    expect(mk.varS).toBeCloseTo(11 / 3, 12);
    expect(mk.z).toBeCloseTo(2 / Math.sqrt(11 / 3), 12);
    expect(mk.pValue).toBeGreaterThan(0.295);
    expect(mk.pValue).toBeLessThan(0.298);
    // falling: S = −3, Z = (S + 1)/√Var, the same p
    const down = mannKendall([3, 2, 1]);
    expect(down.z).toBeCloseTo(-2 / Math.sqrt(11 / 3), 12);
    expect(down.pValue).toBeCloseTo(mk.pValue, 12);
  });
});

describe('ettfDays', () => {
  it('is 365.25 d / frequency, and +∞ for a risk that never happens (a frequency of zero or less)', () => {
    expect(ettfDays(4)).toBe(YEAR_DAYS / 4);
    expect(ettfDays(0)).toBe(Number.POSITIVE_INFINITY);
    expect(ettfDays(-0)).toBe(Number.POSITIVE_INFINITY);
    expect(ettfDays(-1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('byBadMinutes', () => {
  it('is a consistent comparator: most bad minutes first, equal minutes by name both ways, 0 only for the same row', () => {
    const a = { name: 'a', minutes: 5 };
    const b = { name: 'b', minutes: 5 };
    const big = { name: 'z', minutes: 9 };
    expect(byBadMinutes(big, a)).toBeLessThan(0);
    expect(byBadMinutes(a, big)).toBeGreaterThan(0);
    expect(byBadMinutes(a, b)).toBeLessThan(0);
    expect(byBadMinutes(b, a)).toBeGreaterThan(0);
    expect(byBadMinutes(a, { ...a })).toBe(0);
  });
});
