/**
 * Additive Holt-Winters (src/core/capacity/holt-winters.ts; FPP3 §8.3 error-correction form, §8.7 variance
 * table) worked by hand on series of 3 to 4 points: the initial state by classical decomposition, the
 * recursions ℓ, b, s step by step, σ = √(SSE / (n − parameters)), and forecasts ŷ(n+h|n) = ℓ + h·b + s with
 * ŷ ± z·σ·√(1 + Σ c_j²), c_j = α + αβ*·j + γ·[j mod m = 0].
 */
import { describe, expect, it } from 'vitest';
import { fitHoltWinters, forecastHw, initialState, runHw, varianceFactor, type HwFit } from '../../../../src/core/capacity/holt-winters.js';

const p = { alpha: 0.5, beta: 0.2, gamma: 0.25 }; // αβ* = 0.1

describe('initialState by hand', () => {
  it('season of 2 on 1, 3, 5, 9: means 2 and 7, trend 2.5, season ∓0.25, level 2 − 2.5·1.5', () => {
    // season[0] = (1 − (2 − 1.25) + 5 − (7 − 1.25)) / 2 = −0.25; season[1] = (3 − 3.25 + 9 − 8.25) / 2 = 0.25
    const s = initialState([1, 3, 5, 9], 2);
    expect(s.trend).toBeCloseTo(2.5, 12);
    expect(s.level).toBeCloseTo(-1.75, 12);
    expect(s.season[0]).toBeCloseTo(-0.25, 12);
    expect(s.season[1]).toBeCloseTo(0.25, 12);
    expect(() => initialState([1, 3, 5], 2)).toThrow('need at least 4 observations for a season of 2');
  });

  it('no season: the trend over the first 10 steps at most, the level one step before y_0', () => {
    // y_10 − y_0 = 10 over 10 steps: trend 1 (y_11 = 100 is not used), level 0 − 1
    expect(initialState([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], 0)).toEqual({ level: -1, trend: 1, season: [] });
    expect(initialState([1, 2, 4, 4], 0)).toEqual({ level: 0, trend: 1, season: [] });
    expect(initialState([4], 0)).toEqual({ level: 4, trend: 0, season: [] });
  });
});

describe('runHw by hand (α 0.5, β* 0.2, γ 0.25, m = 2)', () => {
  it('updates level, trend and the season slot of each observation', () => {
    // t0: ŷ = 9 + 1 + 0.5 = 10.5, e = −0.5 → ℓ 9.75, b 0.95, s0 0.375
    // t1: ŷ = 9.75 + 0.95 − 0.5 = 10.2, e = 1.8 → ℓ 11.6, b 1.13, s1 −0.05
    // t2: ŷ = 11.6 + 1.13 + 0.375 = 13.105, e = −2.105 → ℓ 11.6775, b 0.9195, s0 −0.15125
    const init = { level: 9, trend: 1, season: [0.5, -0.5] };
    const r = runHw([10, 12, 11], 2, p, init, true);
    expect(r.residuals.map((e) => Number(e.toFixed(10)))).toEqual([-0.5, 1.8, -2.105]);
    expect(r.sse).toBeCloseTo(0.25 + 3.24 + 4.431025, 10);
    expect(r.state.level).toBeCloseTo(11.6775, 10);
    expect(r.state.trend).toBeCloseTo(0.9195, 10);
    expect(r.state.season[0]).toBeCloseTo(-0.15125, 10);
    expect(r.state.season[1]).toBeCloseTo(-0.05, 10);
    expect(init.season).toEqual([0.5, -0.5]); // the initial state is not changed
    expect(runHw([10, 12, 11], 2, p, init).residuals).toEqual([]);
  });
});

describe('fitHoltWinters with given parameters, by hand (no season)', () => {
  it('σ = √(SSE / (n − 2)) and forecasts ℓ + h·b with the variance factor', () => {
    // init ℓ 0, b 1; errors 0, 0, 1 (ℓ 3.5, b 1.1), −0.6 (ℓ 4.3, b 1.04); SSE 1.36 over 4 − 2 = 2
    const fit = fitHoltWinters([1, 2, 4, 4], 0, { params: p });
    expect(fit.params).toEqual(p);
    expect(fit.n).toBe(4);
    expect(fit.sse).toBeCloseTo(1.36, 12);
    expect(fit.sigma).toBeCloseTo(Math.sqrt(0.68), 12);
    expect(fit.state.level).toBeCloseTo(4.3, 12);
    expect(fit.state.trend).toBeCloseTo(1.04, 12);
    const [h1, h2] = forecastHw(fit, 2, 2);
    expect(h1?.mean).toBeCloseTo(5.34, 12);
    expect(h1?.sd).toBeCloseTo(Math.sqrt(0.68), 12);
    expect(h1?.lower).toBeCloseTo(5.34 - 2 * Math.sqrt(0.68), 12);
    expect(h1?.upper).toBeCloseTo(5.34 + 2 * Math.sqrt(0.68), 12);
    // c_1 = α + αβ* = 0.6: factor 1.36
    expect(h2?.mean).toBeCloseTo(6.38, 12);
    expect(h2?.sd).toBeCloseTo(Math.sqrt(0.68 * 1.36), 12);
  });
});

describe('forecastHw by hand (m = 2)', () => {
  it('takes the season slot of observation n − 1 + h and widens by c_1 = 0.6, c_2 = 0.95', () => {
    const fit: HwFit = { params: p, period: 2, n: 3, state: { level: 11.6775, trend: 0.9195, season: [-0.15125, -0.05] }, sse: 0, sigma: 2, residuals: [] };
    const f = forecastHw(fit, 3, 2);
    // h = 1: slot (3 − 1 + 1) mod 2 = 1
    expect(f[0]?.mean).toBeCloseTo(11.6775 + 0.9195 - 0.05, 12);
    expect(f[0]?.sd).toBeCloseTo(2, 12);
    expect(f[1]?.mean).toBeCloseTo(11.6775 + 2 * 0.9195 - 0.15125, 12);
    expect(f[1]?.sd).toBeCloseTo(2 * Math.sqrt(1.36), 12);
    // 1 + 0.6² + 0.95² = 2.2625
    expect(f[2]?.mean).toBeCloseTo(11.6775 + 3 * 0.9195 - 0.05, 12);
    expect(f[2]?.sd).toBeCloseTo(2 * Math.sqrt(2.2625), 12);
    expect(f.map((x) => x.h)).toEqual([1, 2, 3]);
  });
});

describe('varianceFactor by hand', () => {
  it('without a season γ plays no part: 1 + (h − 1)(α² + αβh + β²h(2h − 1)/6), here β = αβ* = 0.1', () => {
    // h = 3: c_1 = 0.6, c_2 = 0.7 → 1 + 0.36 + 0.49 = 1.85, whatever γ says
    expect(varianceFactor(p, 0, 3)).toBeCloseTo(1.85, 12);
    expect(varianceFactor({ ...p, gamma: 0 }, 0, 3)).toBeCloseTo(1.85, 12);
    expect(varianceFactor(p, 0, 1)).toBe(1);
  });

  it('with a season of 2, γ joins every second c_j: h = 3 → 1 + 0.6² + 0.95² = 2.2625', () => {
    expect(varianceFactor(p, 2, 3)).toBeCloseTo(2.2625, 12);
    // h = 5: c_1..c_4 = 0.6, 0.95, 0.8, 1.15 → 1 + 0.36 + 0.9025 + 0.64 + 1.3225 = 4.225
    expect(varianceFactor(p, 2, 5)).toBeCloseTo(4.225, 12);
  });
});
