import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../property-runs.js';
import { prng } from '../../../helpers/prng.js';
import { fitHoltWinters, forecastHw, initialState, normalCdf, runHw, varianceFactor, zForLevel, type HwFit, type HwParams } from '../../../../src/core/capacity/holt-winters.js';
import { nelderMead } from '../../../../src/core/capacity/nelder-mead.js';

/** mulberry32: a small seeded PRNG, so the tests are reproducible. */

/** Standard normal by Box–Muller. */
function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

describe('nelderMead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const rosen = (x: number[]) => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2;
    const r = nelderMead(rosen, [-1.2, 1], { maxIterations: 2000, tolerance: 1e-14 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
    expect(r.value).toBeLessThan(1e-8);
    expect(r.evaluations).toBeGreaterThan(r.iterations);
  });

  it('walks away from non-finite values and honours per-axis steps and the iteration cap', () => {
    const f = (x: number[]) => ((x[0] as number) < 0 ? Number.NaN : ((x[0] as number) - 2) ** 2);
    expect(nelderMead(f, [0.5], { step: [0.25] }).x[0]).toBeCloseTo(2, 4);
    const capped = nelderMead((x) => (x[0] as number) ** 2 + (x[1] as number) ** 2, [5, 5], { maxIterations: 3 });
    expect(capped.converged).toBe(false);
    expect(capped.iterations).toBe(3);
    // defaults: step 0.5, and a shrink when nothing else improves
    const abs = nelderMead((x) => Math.abs(x[0] as number) + Math.abs(x[1] as number), [0.1, -0.1]);
    expect(abs.value).toBeLessThan(1e-6);
  });
});

describe('normal quantiles', () => {
  it('agree with tables to 6 digits', () => {
    // Standard normal table values: z(0.95) = 1.959964, z(0.80) = 1.281552, z(0.99) = 2.575829.
    expect(zForLevel(0.95)).toBeCloseTo(1.959964, 5);
    expect(zForLevel(0.8)).toBeCloseTo(1.281552, 5);
    expect(zForLevel(0.99)).toBeCloseTo(2.575829, 5);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7); // A&S 7.1.26 is good to 1.5e-7
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
    expect(() => zForLevel(1)).toThrow(RangeError);
    expect(() => zForLevel(0)).toThrow(RangeError);
  });
});

describe('initialState', () => {
  it('recovers level, trend and season of a noiseless series', () => {
    const m = 4;
    const season = [3, -1, -4, 2];
    const y = Array.from({ length: 3 * m }, (_, t) => 100 + 0.5 * t + (season[t % m] as number));
    const s = initialState(y, m);
    expect(s.trend).toBeCloseTo(0.5, 12);
    // the state before observation 0: level 100 − 0.5
    expect(s.level).toBeCloseTo(99.5, 12);
    s.season.forEach((v, i) => expect(v).toBeCloseTo(season[i] as number, 12));
    // so one-step errors are all zero
    expect(runHw(y, m, { alpha: 0.3, beta: 0.1, gamma: 0.2 }, s).sse).toBeCloseTo(0, 18);
  });

  it('needs 2 seasons; without a season it starts from the first points', () => {
    expect(() => initialState([1, 2, 3], 2)).toThrow(RangeError);
    const s = initialState([10, 12, 14, 16], 0);
    expect(s).toEqual({ level: 8, trend: 2, season: [] });
    expect(initialState([5], 0)).toEqual({ level: 5, trend: 0, season: [] });
  });
});

describe('fitHoltWinters', () => {
  it('forecasts a noiseless seasonal series with a trend exactly', () => {
    const m = 24;
    const y = Array.from({ length: 5 * m }, (_, t) => 500 + 2 * t + 80 * Math.sin((2 * Math.PI * t) / m));
    const fit = fitHoltWinters(y, m);
    expect(fit.sigma).toBeLessThan(1e-6);
    const fc = forecastHw(fit, 2 * m, 1.96);
    fc.forEach((p) => {
      const t = y.length - 1 + p.h;
      expect(p.mean).toBeCloseTo(500 + 2 * t + 80 * Math.sin((2 * Math.PI * t) / m), 4);
    });
  });

  it("Holt's linear trend (no season) on a line", () => {
    const y = Array.from({ length: 50 }, (_, t) => 3 + 0.25 * t);
    const fit = fitHoltWinters(y, 0);
    expect(fit.params.gamma).toBe(0);
    expect(forecastHw(fit, 10, 1.96)[9]?.mean).toBeCloseTo(3 + 0.25 * 59, 6);
  });

  it('keeps 0 < α < 1, 0 ≤ β* ≤ 1, 0 ≤ γ ≤ 1 − α, and uses given parameters as they are', () => {
    const rand = gaussian(prng(7));
    const y = Array.from({ length: 200 }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 10) + 3 * rand());
    const fit = fitHoltWinters(y, 10);
    expect(fit.params.alpha).toBeGreaterThan(0);
    expect(fit.params.alpha).toBeLessThan(1);
    expect(fit.params.beta).toBeGreaterThanOrEqual(0);
    expect(fit.params.beta).toBeLessThanOrEqual(1);
    expect(fit.params.gamma).toBeLessThanOrEqual(1 - fit.params.alpha);
    expect(fit.residuals).toHaveLength(200);
    const fixed = fitHoltWinters(y, 10, { params: { alpha: 0.5, beta: 0.5, gamma: 0.5 } });
    expect(fixed.params).toEqual({ alpha: 0.5, beta: 0.5, gamma: 0.5 });
    // the fitted parameters minimise the SSE: no worse than a fixed guess
    expect(fit.sse).toBeLessThanOrEqual(fixed.sse);
  });

  it('is deterministic', () => {
    const rand = gaussian(prng(11));
    const y = Array.from({ length: 120 }, (_, t) => 20 + 5 * Math.cos(t / 2) + rand());
    expect(fitHoltWinters(y, 12)).toEqual(fitHoltWinters(y, 12));
  });
});

describe('prediction intervals: σ_h² = σ²(1 + Σ_{j<h} c_j²)', () => {
  it('the closed form (FPP3 §8.7) equals the sum of c_j² = (α + βj + γ[j mod m = 0])²', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 200 }),
        (alpha, betaStar, gFrac, m, h) => {
          const p: HwParams = { alpha, beta: betaStar, gamma: m > 0 ? (1 - alpha) * gFrac : 0 };
          const b = alpha * betaStar;
          let sum = 1;
          for (let j = 1; j < h; j++) sum += (alpha + b * j + (m > 0 && j % m === 0 ? p.gamma : 0)) ** 2;
          expect(varianceFactor(p, m, h)).toBeCloseTo(sum, Math.max(0, 8 - Math.ceil(Math.log10(sum + 1))));
        },
      ),
      { numRuns: propertyRuns(300) },
    );
    expect(varianceFactor({ alpha: 0.3, beta: 0.1, gamma: 0.2 }, 12, 1)).toBe(1);
  });

  it('matches the spread of simulated ETS(A,A,A) paths (Monte Carlo)', () => {
    // Simulate the state-space model forward from a known state with N(0, σ²) errors and
    // compare the sample variance of y(n+h) − ŷ(n+h|n) with σ²·varianceFactor.
    // 4,000 paths: the sample variance's relative standard error is √(2/4000) ≈ 2.2%, so ±10% is > 4 SE.
    const m = 4;
    const params: HwParams = { alpha: 0.4, beta: 0.3, gamma: 0.3 };
    const sigma = 2;
    const state = { level: 100, trend: 1, season: [5, -2, -6, 3] };
    const fit: HwFit = { params, period: m, n: 8, state, sse: 0, sigma, residuals: [] };
    const horizons = [1, 3, 5, 9, 12];
    const means = forecastHw(fit, 12, 1.96);
    const rand = gaussian(prng(2024));
    const errors = horizons.map(() => [] as number[]);
    for (let path = 0; path < 4000; path++) {
      let { level, trend } = state;
      const season = [...state.season];
      for (let h = 1; h <= 12; h++) {
        const slot = (fit.n - 1 + h) % m;
        const e = sigma * rand();
        const y = level + trend + (season[slot] as number) + e;
        level = level + trend + params.alpha * e;
        trend = trend + params.alpha * params.beta * e;
        season[slot] = (season[slot] as number) + params.gamma * e;
        const k = horizons.indexOf(h);
        if (k >= 0) (errors[k] as number[]).push(y - (means[h - 1] as { mean: number }).mean);
      }
    }
    horizons.forEach((h, k) => {
      const errs = errors[k] as number[];
      const avg = errs.reduce((a, b) => a + b, 0) / errs.length;
      const variance = errs.reduce((a, b) => a + (b - avg) ** 2, 0) / (errs.length - 1);
      const expected = sigma ** 2 * varianceFactor(params, m, h);
      expect(Math.abs(avg)).toBeLessThan(0.1 * Math.sqrt(expected));
      expect(variance / expected).toBeGreaterThan(0.9);
      expect(variance / expected).toBeLessThan(1.1);
      expect((means[h - 1] as { sd: number }).sd).toBeCloseTo(Math.sqrt(expected), 10);
    });
  });
});
