import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erfc, mannKendall, mean, median, normalCdf, quantile, sensSlope, stdDev } from '../../../../src/core/risk/index.js';

describe('mean and quantiles', () => {
  it('computes type-7 quantiles by hand', () => {
    // [1, 2, 3, 4]: median at h = 3 × 0.5 = 1.5 → 2 + 0.5 × (3 − 2) = 2.5
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // p90 at h = 3 × 0.9 = 2.7 → 3 + 0.7 × (4 − 3) = 3.7
    expect(quantile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2], 1.5)).toBe(2); // q is clamped to [0, 1]
    expect(quantile([], 0.5)).toBeNull();
    // (1 + 2 + 3 + 4) / 4 = 2.5
    expect(mean([4, 1, 3, 2])).toBe(2.5);
    expect(mean([])).toBeNull();
    // deviations −1.5, −0.5, 0.5, 1.5 → squares sum 5 → √(5/3) = 1.29099
    expect(stdDev([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(stdDev([1])).toBeNull();
  });

  it('does not depend on the order of the values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), (xs) => {
        const reversed = [...xs].reverse();
        return mean(xs) === mean(reversed) && quantile(xs, 0.9) === quantile(reversed, 0.9) && median(xs) === median(reversed);
      }),
    );
  });
});

describe('normal distribution', () => {
  it('matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
    expect(normalCdf(1)).toBeCloseTo(0.8413447, 6);
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(-1)).toBeCloseTo(2 - 0.1572992, 6);
  });
});

describe('mannKendall', () => {
  it('tests a rising series by hand', () => {
    // [1..5]: every pair rises → S = C(5,2) = 10
    // Var(S) = 5·4·15/18 = 16.667; Z = (10 − 1)/√16.667 = 2.2045; p = 2(1 − Φ(2.2045)) = 0.0275
    const mk = mannKendall([1, 2, 3, 4, 5]);
    expect(mk.s).toBe(10);
    expect(mk.varS).toBeCloseTo(300 / 18, 12);
    expect(mk.z).toBeCloseTo(9 / Math.sqrt(300 / 18), 12);
    expect(mk.pValue).toBeCloseTo(0.0275, 3);
    expect(mk.n).toBe(5);
  });

  it('corrects the variance for ties', () => {
    // [1, 1, 2, 3]: pairs (1,1)=0 and five rises → S = 5
    // ties: one group of t = 2 → 2·1·9 = 18; Var(S) = (4·3·13 − 18)/18 = 138/18 = 7.667
    // Z = (5 − 1)/√7.667 = 1.4446; p = 0.1486
    const mk = mannKendall([1, 1, 2, 3]);
    expect(mk.s).toBe(5);
    expect(mk.varS).toBeCloseTo(138 / 18, 12);
    expect(mk.z).toBeCloseTo(4 / Math.sqrt(138 / 18), 12);
    expect(mk.pValue).toBeCloseTo(0.1486, 3);
  });

  it('is symmetric for a falling series and neutral when flat or short', () => {
    const down = mannKendall([5, 4, 3, 2, 1]);
    expect(down.s).toBe(-10);
    expect(down.z).toBeCloseTo(-9 / Math.sqrt(300 / 18), 12);
    expect(mannKendall([2, 2, 2, 2])).toMatchObject({ s: 0, z: 0, pValue: 1 });
    expect(mannKendall([1, 2])).toMatchObject({ n: 2, pValue: 1 });
    expect(mannKendall([1, 3, 2]).z).toBe(0); // S = 1 → Z = (1 − 1)/σ = 0
    expect(mannKendall([1, 2, Number.NaN, 3]).n).toBe(3); // missing points are skipped
  });
});

describe('sensSlope', () => {
  it('is the median pairwise slope', () => {
    // (0,1) (1,3) (2,2) (3,5): slopes 2, 0.5, 1.333, −1, 1, 3 → sorted −1, 0.5, 1, 1.333, 2, 3 → (1 + 1.333)/2 = 1.1667
    expect(sensSlope([[0, 1], [1, 3], [2, 2], [3, 5]])).toBeCloseTo(7 / 6, 12);
    expect(sensSlope([[0, 1]])).toBeNull();
    expect(sensSlope([[1, 1], [1, 2]])).toBeNull(); // same x: no slope
  });
});
