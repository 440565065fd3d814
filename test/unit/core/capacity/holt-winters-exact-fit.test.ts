/**
 * Additive Holt-Winters (src/core/capacity/holt-winters.ts; docs/capacity-planning.md#holt-winters) on
 * histories the model fits exactly, worked by hand: the starting state of the classical decomposition makes
 * every one-step error 0 for every α, β*, γ, so the SSE is 0 at every point of the documented grid
 * (α ∈ {0.05, 0.2, 0.5, 0.8} × β* ∈ {0.001, 0.02, 0.2} × γ/(1 − α) ∈ {0.05, 0.2, 0.5}). The grid keeps the first
 * of equal points and Nelder–Mead stops at once on a flat simplex, so the fit reports the first grid point,
 * mapped through logit and back: α 0.05, β* 0.001, γ = (1 − 0.05) · 0.05 = 0.0475 (0 without a season).
 * Also by hand: the starting season of an odd period (centred on (m − 1)/2, summing to 0 with no normalising
 * step), the state without a season (no seasonal terms), γ playing no part in the variance without a season,
 * Φ(0) of Abramowitz & Stegun 7.1.26, and the level error naming the field.
 */
import { describe, expect, it } from 'vitest';
import { fitHoltWinters, forecastHw, initialState, normalCdf, varianceFactor, zForLevel } from '../../../../src/core/capacity/holt-winters.js';

describe('a history the model fits exactly: every grid point ties at SSE 0, the first is kept', () => {
  it("Holt's linear trend on 1, 3, 5, 7, 9, 11: α 0.05, β* 0.001, no γ, σ 0, no seasonal terms", () => {
    // start: trend (y_5 − y_0)/5 = 2, level 1 − 2 = −1; every ŷ = y exactly, so ℓ ends at 11 and b stays 2
    const fit = fitHoltWinters([1, 3, 5, 7, 9, 11], 0);
    expect(fit.params.alpha).toBeCloseTo(0.05, 12);
    expect(fit.params.beta).toBeCloseTo(0.001, 12);
    expect(fit.params.gamma).toBe(0);
    expect(fit.sse).toBe(0);
    expect(fit.sigma).toBe(0);
    expect(fit.residuals).toEqual([0, 0, 0, 0, 0, 0]);
    expect(fit.state).toEqual({ level: 11, trend: 2, season: [] });
    expect(forecastHw(fit, 2, 1.96)).toEqual([
      { h: 1, mean: 13, lower: 13, upper: 13, sd: 0 },
      { h: 2, mean: 15, lower: 15, upper: 15, sd: 0 },
    ]);
  });

  it('season of 2 on 1, 4, 3, 6, 5, 8 (1 + t + [0, 2]): α 0.05, β* 0.001, γ 0.95 · 0.05 = 0.0475', () => {
    // start: means 2.5 and 4.5, trend 1, offsets ∓0.5, season (1 − 2 + 3 − 4)/2 = −1 and (4 − 3 + 6 − 5)/2 = 1,
    // level 2.5 − 1.5 = 1; ŷ(0) = 1 + 1 − 1 = 1, ŷ(1) = 2 + 1 + 1 = 4, …: every error 0, ℓ ends at 7
    const fit = fitHoltWinters([1, 4, 3, 6, 5, 8], 2);
    expect(fit.params.alpha).toBeCloseTo(0.05, 12);
    expect(fit.params.beta).toBeCloseTo(0.001, 12);
    expect(fit.params.gamma).toBeCloseTo(0.0475, 12);
    expect(fit.sse).toBe(0);
    expect(fit.state).toEqual({ level: 7, trend: 1, season: [-1, 1] });
    // y(6) = 1 + 6 + 0 = 7, y(7) = 1 + 7 + 2 = 10
    expect(forecastHw(fit, 2, 1.96).map((p) => p.mean)).toEqual([7, 10]);
  });
});

describe('the starting season by hand', () => {
  it('an odd period of 3 on 3, 0, 6, 6, 3, 9: centred on slot 1, the terms sum to 0 as they are', () => {
    // means 3 and 6, trend 1, offsets −1, 0, 1: s0 = (3 − 2 + 6 − 5)/2 = 1, s1 = (0 − 3 + 3 − 6)/2 = −3,
    // s2 = (6 − 4 + 9 − 7)/2 = 2 (sum 0); level 3 − 1 · (1 + 1) = 1
    expect(initialState([3, 0, 6, 6, 3, 9], 3)).toEqual({ level: 1, trend: 1, season: [1, -3, 2] });
  });
});

describe('without a season', () => {
  it('the fitted state has no seasonal terms, even with a γ given', () => {
    // errors 0, 0, 1, −0.6 (holt-winters-hand): with m = 0 nothing is written to the season
    const fit = fitHoltWinters([1, 2, 4, 4], 0, { params: { alpha: 0.5, beta: 0.2, gamma: 0.25 } });
    expect(fit.state.season).toEqual([]);
  });

  it('γ plays no part in the variance factor, whatever it holds', () => {
    // α 0.5, β = αβ* = 0.1, h = 3: 1 + 0.6² + 0.7² = 1.85
    expect(varianceFactor({ alpha: 0.5, beta: 0.2, gamma: Number.NaN }, 0, 3)).toBeCloseTo(1.85, 12);
    expect(varianceFactor({ alpha: 0.5, beta: 0.2, gamma: Number.POSITIVE_INFINITY }, 0, 3)).toBeCloseTo(1.85, 12);
  });
});

describe('normal CDF and quantile edges', () => {
  it('Φ(0) takes the x ≥ 0 branch: erf(0) = 1 − (a1 + … + a5) = 1e−9 in A&S 7.1.26, so Φ(0) = 0.5 + 5e−10', () => {
    // 0.254829592 − 0.284496736 + 1.421413741 − 1.453152027 + 1.061405429 = 0.999999999
    expect(normalCdf(0)).toBeCloseTo(0.5000000005, 14);
    // the same value as just above 0: Φ is continuous from the right at 0
    expect(normalCdf(0)).toBe(normalCdf(Number.MIN_VALUE));
  });

  it('a level outside (0, 1) is refused naming the level', () => {
    expect(() => zForLevel(0)).toThrow('level must be in (0, 1)');
    expect(() => zForLevel(1.5)).toThrow('level must be in (0, 1)');
    expect(() => zForLevel(Number.NaN)).toThrow('level must be in (0, 1)');
  });
});
