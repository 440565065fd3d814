/**
 * The USL fit's numerical kernel (src/core/capacity/usl-solver.ts), piece by piece, against independent values:
 * - solveLinear: answers worked by hand (NumPy agrees), a zero and a tiny leading pivot (partial pivoting
 *   swaps rows: without it the 1e-20 pivot loses x₀ entirely), and the singular threshold |pivot| < 1e-300;
 * - uslSse: Σ (Xᵢ − X(Nᵢ))² by hand, and +∞ wherever the USL denominator is ≤ 0 at a measured N;
 * - initialGuess: λ = max X/N and the linearised least squares N·λ/X − 1 = σ(N − 1) + κN(N − 1), against
 *   NumPy's lstsq (scripts/golden/usl_scipy.py), with its clamps (0 ≤ σ ≤ 0.99, κ ≥ 0), zero throughputs
 *   skipped (N·λ/0 is infinite) and the fallback [λ, 0.01, 0] when the linear system is singular.
 * The whole fit against SciPy is in usl-golden.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { initialGuess, solveLinear, uslSse } from '../../../../src/core/capacity/usl-solver.js';
import { AMDAHL_RISING, CODAHALE, FRACTIONAL, points, SUPERLINEAR } from './usl-data.js';

describe('solveLinear', () => {
  it('solves a 3×3 system whose first column has a 0 below the largest pivot', () => {
    // [1 2 3; 2 1 1; 0 1 2] · [1 2 3] = [14 7 8]
    const x = solveLinear(
      [
        [1, 2, 3],
        [2, 1, 1],
        [0, 1, 2],
      ],
      [14, 7, 8],
    ) as number[];
    expect(x).toHaveLength(3);
    x.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 12));
  });

  it('swaps rows for a zero or a tiny leading pivot', () => {
    expect(
      solveLinear(
        [
          [0, 1],
          [1, 0],
        ],
        [2, 3],
      ),
    ).toEqual([3, 2]);
    // without the swap: a multiplier of 1e20 wipes out the second row and x₀ comes out 0
    expect(
      solveLinear(
        [
          [1e-20, 1],
          [1, 1],
        ],
        [1, 2],
      ),
    ).toEqual([1, 1]);
  });

  it('is singular (null) when a pivot is below 1e-300 in magnitude, not at 1e-300', () => {
    expect(
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [3, 6],
      ),
    ).toBeNull();
    expect(solveLinear([[5e-301]], [1])).toBeNull();
    expect(solveLinear([[1e-300]], [1e-300])).toEqual([1]);
  });
});

describe('uslSse', () => {
  const pts = points([
    [1, 10],
    [2, 15],
    [4, 20],
  ]);

  it('sums the squared errors of the curve', () => {
    // λ = 10, σ = 0.5, κ = 0: X(1) = 10, X(2) = 20/1.5, X(4) = 40/2.5 = 16 → 0 + (5/3)² + 4² = 25/9 + 16
    expect(uslSse(pts, [10, 0.5, 0])).toBeCloseTo(25 / 9 + 16, 12);
    // σ = 0, κ = 0.25: X(2) = 20/(1 + 0.25·2·1) = 20/1.5, X(4) = 40/(1 + 0.25·4·3) = 10 → (5/3)² + 10²
    expect(uslSse(pts, [10, 0, 0.25])).toBeCloseTo(25 / 9 + 100, 12);
  });

  it('is +∞ where the denominator 1 + σ(N − 1) + κN(N − 1) is 0 or negative', () => {
    // σ = −1: the denominator is 0 at N = 2 (even with λ = 0, where the curve would read 0/0)
    expect(uslSse(pts.slice(0, 2), [0, -1, 0])).toBe(Number.POSITIVE_INFINITY);
    expect(uslSse(pts, [10, -1, 0])).toBe(Number.POSITIVE_INFINITY);
    // σ = −0.5: 0.5 at N = 2, −0.5 at N = 4
    expect(uslSse(pts, [10, -0.5, 0])).toBe(Number.POSITIVE_INFINITY);
    // κ = −0.1: 1 − 0.2 = 0.8 at N = 2, 1 − 1.2 < 0 at N = 4
    expect(uslSse(pts, [10, 0, -0.1])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('initialGuess', () => {

  it('λ is the best throughput per unit; σ and κ the linearised least squares (NumPy lstsq)', () => {
    const [lambda, sigma, kappa] = initialGuess(CODAHALE) as [number, number, number];
    expect(lambda).toBe(65);
    expect(sigma).toBeCloseTo(0.017099204402561574, 14);
    expect(kappa).toBeCloseTo(7.897220290796193e-5, 17);
  });

  it('skips a zero throughput, whose N·λ/X is infinite', () => {
    const guess = initialGuess([...CODAHALE, { concurrency: 300, throughput: 0 }]);
    expect(guess).toEqual(initialGuess(CODAHALE));
  });

  it('clamps a negative σ or κ to 0 and keeps the other as solved', () => {
    // better than linear from 1 to 3 units: lstsq gives σ = −0.021481896740319285, κ = 0.007846568949172301
    const [l1, s1, k1] = initialGuess(SUPERLINEAR) as [number, number, number];
    expect(l1).toBe(130);
    expect(s1).toBe(0);
    expect(k1).toBeCloseTo(0.007846568949172301, 15);
    // Amdahl rising slightly: lstsq gives σ = 0.09805696303758539, κ = −0.00018016848275283768
    const [l2, s2, k2] = initialGuess(AMDAHL_RISING) as [number, number, number];
    expect(l2).toBeCloseTo(100.2, 12);
    expect(s2).toBeCloseTo(0.09805696303758539, 13);
    expect(k2).toBe(0);
  });

  it('clamps σ to 0.99: flat throughput solves to σ = 1', () => {
    const [lambda, sigma, kappa] = initialGuess(
      points([
        [1, 10],
        [2, 10],
        [4, 10],
      ]),
    ) as [number, number, number];
    expect(lambda).toBe(10);
    expect(sigma).toBe(0.99);
    expect(kappa).toBeCloseTo(0, 14);
  });

  it('drops κ to 0 when the solved start has a pole at a measured N (finite SSE from the start)', () => {
    // lstsq: σ = −4.48 → 0, κ = 11.36: 1 + 0 − 11.36 · 0.5 · 0.5 < 0 at N = 0.5
    const pts = FRACTIONAL;
    expect(uslSse(pts, [100, 0, 11.364161849710978])).toBe(Number.POSITIVE_INFINITY);
    expect(initialGuess(pts)).toEqual([100, 0, 0]);
    expect(uslSse(pts, [100, 0, 0])).toBe(129_525); // (50 − 50)² + (20 − 100)² + (10 − 200)² + (5 − 300)²
  });

  it('falls back to σ = 0.01, κ = 0 when only one N > 1 has a throughput (a singular system)', () => {
    // rows N = 1 (all-zero coefficients) and N = 2; N = 3 measured 0 is skipped
    expect(
      initialGuess(
        points([
          [1, 100],
          [2, 150],
          [3, 0],
        ]),
      ),
    ).toEqual([100, 0.01, 0]);
  });
});
