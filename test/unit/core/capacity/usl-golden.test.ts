/**
 * `relia capacity usl` fits (src/core/capacity/usl.ts) against SciPy's least_squares on the same objective
 * (scripts/golden/usl_scipy.py prints every number used here: MINPACK's Levenberg–Marquardt unconstrained,
 * the trust-region reflective method with σ, κ ≥ 0). Four data sets:
 * - codahale (the codahale/usl README) and a noisy peak: nothing clamped, the unconstrained optimum;
 * - better than linear from 1 to 3 units: σ < 0 unconstrained, so σ is held at 0 and the fit is SciPy's
 *   bounded optimum, which only the σ-held candidate of the active set reaches (projected steps with both
 *   free stall at SSE 3565, against 2448);
 * - Amdahl rising slightly: κ < 0 unconstrained, κ held at 0 (projected steps stall at SSE 1100, against 73.6);
 * - throughput collapsing from N = 0.5: the linearised start has a pole at N = 0.5, so κ starts at 0 (before
 *   2026-12-04 the fit never left that start, reported it as the unconstrained fit and ended at SSE 53.5, against 1.58).
 * relia's SSE must be no worse than SciPy's (relia's codahale optimum is lower by 1.3e-6, within a flat valley
 * where the coefficients agree to 2e-6). `iterations` (in the --json result) is pinned: it is the path of
 * relia's own solver from its own start, so a change to the damping, the Jacobian or the stopping rules shows.
 */
import { describe, expect, it } from 'vitest';
import { fitUsl, uslThroughput, type UslPoint } from '../../../../src/core/capacity/usl.js';
import { uslSse } from '../../../../src/core/capacity/usl-solver.js';
import { AMDAHL_RISING, CODAHALE, FRACTIONAL, points, SUPERLINEAR } from './usl-data.js';

const sse = (pts: UslPoint[], c: { lambda: number; sigma: number; kappa: number }) => uslSse(pts, [c.lambda, c.sigma, c.kappa]);
/** |a − b| ≤ rel·|b|. */
const near = (a: number, b: number, rel: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.abs(b));
const expectCoefficients = (got: { lambda: number; sigma: number; kappa: number }, want: { lambda: number; sigma: number; kappa: number }, rel: number) => {
  near(got.lambda, want.lambda, rel);
  near(got.sigma, want.sigma, rel);
  near(got.kappa, want.kappa, rel);
};
const rmse = (sum: number, n: number) => Math.sqrt(sum / n);

describe('nothing clamped: the unconstrained optimum', () => {
  it('codahale/usl README data', () => {
    const pts = CODAHALE;
    const scipy = { lambda: 89.9871070639903, sigma: 0.027728852422184924, kappa: 0.00010434829219023507 };
    const fit = fitUsl(pts);
    expectCoefficients(fit, scipy, 1e-5);
    expect(sse(pts, fit)).toBeLessThanOrEqual(27310.081479734818);
    near(sse(pts, fit), 27310.081479734818, 1e-9);
    expect(fit.unconstrained).toEqual({ lambda: fit.lambda, sigma: fit.sigma, kappa: fit.kappa });
    expect(fit.clamped).toEqual([]);
    expect(fit.warnings).toEqual([]);
    expect(fit.iterations).toBe(10);
  });

  it('a noisy peak', () => {
    const pts = points([
      [1, 52],
      [4, 170],
      [8, 255],
      [16, 330],
      [32, 345],
      [64, 290],
    ]);
    const fit = fitUsl(pts);
    expectCoefficients(fit, { lambda: 53.35221549263319, sigma: 0.08418061670712843, kappa: 0.0013548638451751937 }, 1e-7);
    near(sse(pts, fit), 7.017492481414186, 1e-9);
    expect(fit.clamped).toEqual([]);
    expect(fit.warnings).toEqual([]);
    expect(fit.iterations).toBe(6);
  });
});

describe('σ < 0 unconstrained: σ held at 0', () => {
  const pts = SUPERLINEAR;
  // Fitted inside each test: Stryker switches a mutant on only once the tests start (in a beforeAll hook), after describe blocks are collected.
  const fitted = () => fitUsl(pts);

  it('is the bounded optimum, with σ exactly 0 and the unconstrained coefficients reported', () => {
    const fit = fitted();
    expect(fit.sigma).toBe(0);
    near(fit.lambda, 134.1725053920707, 1e-8);
    near(fit.kappa, 0.0058053049388621936, 1e-7);
    near(sse(pts, fit), 2448.045254465374, 1e-12);
    expectCoefficients(fit.unconstrained, { lambda: 114.69854295786725, sigma: -0.09151594036380807, kappa: 0.014179126906100459 }, 1e-6);
    near(sse(pts, fit.unconstrained), 515.2137110436739, 1e-12);
    expect(fit.clamped).toEqual(['sigma']);
    expect(fit.iterations).toBe(7);
  });

  it('warns with the RMSE before and after, and the rise against the mean throughput', () => {
    const fit = fitted();
    // RMSE √(515.2137/6) = 9.267 → √(2448.045/6) = 20.20; (20.199 − 9.267) / mean 458.33 = 2.4 %
    expect(rmse(515.2137110436739, 6).toPrecision(4)).toBe('9.267');
    expect(rmse(2448.045254465374, 6).toPrecision(4)).toBe('20.20');
    expect(fit.warnings).toEqual([
      'the unconstrained fit gives σ = -0.09152, negative, which has no physical meaning; σ is held at 0 (the constraint σ ≥ 0 is active) and the other coefficients refitted: the RMSE goes from 9.267 to 20.20, 2.4% of the mean throughput (a large rise means the data scale better than the USL allows, e.g. caches warming up as load grows)',
    ]);
  });

  it('peaks at N* = √(1/κ), where only coherency costs', () => {
    const fit = fitted();
    expect(fit.peakConcurrency).toBeCloseTo(Math.sqrt(1 / fit.kappa), 12);
    expect(fit.peakThroughput).toBeCloseTo(uslThroughput(fit, Math.sqrt(1 / fit.kappa)), 9);
    expect(fit.constraint).toBe('coherency');
    expect(fit.terms.contention).toBe(0);
  });
});

describe('κ < 0 unconstrained: κ held at 0', () => {
  const pts = AMDAHL_RISING;

  it('is the bounded optimum: Amdahl, no peak, the ceiling λ/σ', () => {
    const fit = fitUsl(pts);
    expect(fit.kappa).toBe(0);
    near(fit.lambda, 97.68415958997106, 1e-8);
    near(fit.sigma, 0.08973204109561358, 1e-7);
    near(sse(pts, fit), 73.55564902312645, 1e-10);
    expectCoefficients(fit.unconstrained, { lambda: 100.16387857486447, sigma: 0.09796780523699483, kappa: -0.00017877507360391837 }, 1e-7);
    expect(fit.clamped).toEqual(['kappa']);
    expect(fit.peakConcurrency).toBeNull();
    expect(fit.asymptote).toBeCloseTo(fit.lambda / fit.sigma, 9);
    expect(fit.constraint).toBe('contention');
    const mean = pts.reduce((s, p) => s + p.throughput, 0) / pts.length;
    const rise = ((rmse(73.55564902312645, 6) - rmse(0.007945307501036253, 6)) / mean) * 100;
    expect(rise.toPrecision(2)).toBe('0.81');
    expect(fit.warnings).toEqual([
      'the unconstrained fit gives κ = -0.0001788, negative, which has no physical meaning; κ is held at 0 (the constraint κ ≥ 0 is active) and the other coefficients refitted: the RMSE goes from 0.03639 to 3.501, 0.81% of the mean throughput (a large rise means the data scale better than the USL allows, e.g. caches warming up as load grows)',
      'κ = 0: no coherency penalty, so no peak (peakConcurrency and peakThroughput are null); throughput approaches λ/σ = 1088.62',
    ]);
    expect(fit.iterations).toBe(7);
  });
});

describe('a start with a pole at a measured N', () => {
  it('fractional concurrency collapsing: the unconstrained optimum, found from κ = 0', () => {
    const pts = FRACTIONAL;
    const fit = fitUsl(pts);
    expectCoefficients(fit, { lambda: 20.13192886038057, sigma: 0.9959758699781838, kappa: 1.2026792166595142 }, 1e-8);
    near(sse(pts, fit), 1.5831382533082952, 1e-12);
    expect(fit.unconstrained).toEqual({ lambda: fit.lambda, sigma: fit.sigma, kappa: fit.kappa });
    expect(fit.clamped).toEqual([]);
    expect(fit.warnings).toEqual([]);
    expect(fit.iterations).toBe(13);
  });
});

describe('both coefficients negative, or the held one starting above 0', () => {
  it('three points each better than linear: σ = κ = 0 and λ = ΣNX / ΣN² (by hand: 1064.6 / 21)', () => {
    const pts = points([
      [1, 43.6],
      [2, 91.7],
      [4, 209.4],
    ]);
    const fit = fitUsl(pts);
    expect(fit.sigma).toBe(0);
    expect(fit.kappa).toBe(0);
    near(fit.lambda, 1064.6 / 21, 1e-13);
    near(sse(pts, fit), 188.0595238095238, 1e-12);
    // three coefficients through three points: the unconstrained curve is exact (SciPy: SSE 2e-28)
    expectCoefficients(fit.unconstrained, { lambda: 43.6, sigma: -0.042431388151985855, kappa: -0.003320838094127067 }, 1e-9);
    expect(fit.clamped).toEqual(['sigma', 'kappa']);
    expect(fit.warnings).toHaveLength(3);
    expect(fit.warnings[2]).toBe('σ = κ = 0: the measurements scale linearly; there is no peak (peakConcurrency and peakThroughput are null)');
    expect(fit.iterations).toBe(4);
  });

  it('κ < 0 unconstrained while the linearised start has κ > 0: κ is held at 0, not at its start', () => {
    const pts = points([
      [1, 48.6],
      [2, 97.9],
      [4, 184.3],
      [8, 348.4],
    ]);
    const fit = fitUsl(pts);
    expect(fit.kappa).toBe(0);
    near(fit.lambda, 48.85929533701246, 1e-9);
    near(fit.sigma, 0.017532654819041805, 1e-8);
    near(sse(pts, fit), 5.49047892876804, 1e-12);
    expectCoefficients(fit.unconstrained, { lambda: 49.809622462488385, sigma: 0.03228858380109917, kappa: -0.0014679419548002154 }, 1e-6);
    expect(fit.clamped).toEqual(['kappa']);
    expect(fit.iterations).toBe(6);
  });
});

describe('data no finite USL curve fits', () => {
  it('throughput collapsing to 0: the coefficients run away, and the fit says it stopped at its iteration limit', () => {
    const fit = fitUsl(
      points([
        [1, 100],
        [2, 0],
        [3, 0],
      ]),
    );
    expect(fit.iterations).toBe(1000);
    expect(fit.lambda).toBe(100);
    expect(fit.sigma).toBeGreaterThan(1e70);
    expect(fit.warnings[0]).toBe(
      'the fit stopped at its limit of 1000 iterations while still improving: the coefficients are the best found, not a converged optimum (coefficients running away to very large values mean the data fit no finite USL curve, e.g. throughput collapsing to 0)',
    );
  });

  it('a converged fit has no such warning', () => {
    const fit = fitUsl(
      points([
        [1, 52],
        [4, 170],
        [8, 255],
        [16, 330],
      ]),
    );
    expect(fit.iterations).toBeLessThan(1000);
    expect(fit.warnings.filter((w) => w.includes('iterations'))).toEqual([]);
  });
});
