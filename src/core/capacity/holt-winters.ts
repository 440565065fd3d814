/**
 * Additive Holt-Winters (Holt 1957; Winters 1960) in the error-correction form
 * of Hyndman & Athanasopoulos, "Forecasting: Principles and Practice" (3rd ed.),
 * §8.3, which is the ETS(A,A,A) state-space model of §8.5:
 *
 *   ŷ(t|t−1) = ℓ(t−1) + b(t−1) + s(t−m)              one-step forecast
 *   e(t)     = y(t) − ŷ(t|t−1)
 *   ℓ(t)     = ℓ(t−1) + b(t−1) + α·e(t)               level
 *   b(t)     = b(t−1) + α·β*·e(t)                     trend   (β = α·β* in ETS terms)
 *   s(t)     = s(t−m) + γ·e(t)                        season  (0 ≤ γ ≤ 1 − α)
 *   ŷ(n+h|n) = ℓ(n) + h·b(n) + s(n+h−m(k+1)),  k = ⌊(h−1)/m⌋
 *
 * With no season (m = 0) it is Holt's linear method, ETS(A,A,N).
 * α, β*, γ minimise the sum of squared one-step errors (SSE), by a fixed grid
 * and then Nelder–Mead in logit space, so fits are deterministic.
 *
 * Prediction intervals: ŷ ± z·σ_h with, for the linear ETS models (Hyndman,
 * Koehler, Ord & Snyder 2008, "Forecasting with Exponential Smoothing", ch. 6;
 * FPP3 §8.7, the forecast-variance table of the additive ETS models):
 *   σ_h² = σ²·[1 + Σ_{j=1}^{h−1} c_j²],  c_j = α + β·j + γ·[j mod m = 0]
 *        = σ²·[1 + (h−1){α² + αβh + β²h(2h−1)/6} + γk{2α + γ + βm(k+1)}]
 * where σ² is the variance of the one-step errors of the fit. Pure.
 */
import { nelderMead } from './nelder-mead.js';

export interface HwParams {
  /** Level smoothing, 0 < α < 1. */
  alpha: number;
  /** Trend smoothing β* (component form), 0 ≤ β* ≤ 1. */
  beta: number;
  /** Seasonal smoothing, 0 ≤ γ ≤ 1 − α (0 without a season). */
  gamma: number;
}

export interface HwState {
  level: number;
  trend: number;
  /** m seasonal terms; slot i is the term of every observation t with t mod m = i. */
  season: number[];
}

export interface HwFit {
  params: HwParams;
  /** Season length in points; 0 for no season. */
  period: number;
  /** Observations fitted. */
  n: number;
  /** State after the last observation. */
  state: HwState;
  sse: number;
  /** σ of the one-step errors: sqrt(SSE / (n − number of parameters)). */
  sigma: number;
  /** One-step errors e(t), t = 0..n−1. */
  residuals: number[];
}

export interface HwForecastPoint {
  /** Steps ahead, 1..H */
  h: number;
  mean: number;
  lower: number;
  upper: number;
  sd: number;
}

const mean = (xs: ArrayLike<number>, from: number, to: number): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i] as number;
  return s / (to - from);
};

/**
 * Initial state by classical decomposition of the first two seasons (FPP3
 * §8.3 footnote; Hyndman et al. 2008 §2.6.1): level = mean of season 1,
 * trend = (mean of season 2 − mean of season 1) / m, season = the detrended
 * deviations averaged over both seasons (they sum to 0: see below). The state
 * returned is the one *before* observation 0. Needs n ≥ 2m (or n ≥ 2 with no season).
 */
export function initialState(y: ArrayLike<number>, period: number): HwState {
  if (period === 0) {
    const k = Math.min(10, y.length - 1);
    const trend = k > 0 ? ((y[k] as number) - (y[0] as number)) / k : 0;
    return { level: (y[0] as number) - trend, trend, season: [] };
  }
  const m = period;
  if (y.length < 2 * m) throw new RangeError(`need at least ${2 * m} observations for a season of ${m}`);
  const m1 = mean(y, 0, m);
  const m2 = mean(y, m, 2 * m);
  const trend = (m2 - m1) / m;
  // Stryker disable next-line ArrayDeclaration: equivalent, the loop below assigns every slot 0..m−1 in order, so an unsized array ends up the same
  const season = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    // the season's mean sits at its centre, (m − 1) / 2; so the offsets sum to 0 over a season and, as each
    // season's deviations from its own mean sum to 0 too, the terms sum to 0 without a normalising step
    const offset = (i - (m - 1) / 2) * trend;
    season[i] = ((y[i] as number) - (m1 + offset) + (y[m + i] as number) - (m2 + offset)) / 2;
  }
  // level one step before observation 0
  return { level: m1 - trend * ((m - 1) / 2 + 1), trend, season };
}

/** Run the recursions; returns the state after the last observation, the SSE and (optionally) the one-step errors. */
export function runHw(y: ArrayLike<number>, period: number, p: HwParams, init: HwState, keepResiduals = false): { state: HwState; sse: number; residuals: number[] } {
  let level = init.level;
  let trend = init.trend;
  const season = [...init.season];
  const ab = p.alpha * p.beta;
  let sse = 0;
  const residuals: number[] = [];
  for (let t = 0; t < y.length; t++) {
    const s = period > 0 ? (season[t % period] as number) : 0;
    const e = (y[t] as number) - (level + trend + s);
    sse += e * e;
    if (keepResiduals) residuals.push(e);
    level = level + trend + p.alpha * e;
    trend = trend + ab * e;
    if (period > 0) season[t % period] = s + p.gamma * e;
  }
  return { state: { level, trend, season }, sse, residuals };
}

const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => Math.log(p / (1 - p));

function paramsFrom(u: number[], seasonal: boolean): HwParams {
  const alpha = logistic(u[0] as number);
  return { alpha, beta: logistic(u[1] as number), gamma: seasonal ? (1 - alpha) * logistic(u[2] as number) : 0 };
}

export interface FitOptions {
  /** Fixed parameters instead of fitting (all three). */
  params?: HwParams;
}

/** Fit α, β*, γ by minimising the one-step SSE. Deterministic. */
export function fitHoltWinters(y: ArrayLike<number>, period: number, options: FitOptions = {}): HwFit {
  const seasonal = period > 0;
  const init = initialState(y, period);
  let params: HwParams;
  if (options.params) params = options.params;
  else {
    const sse = (u: number[]): number => runHw(y, period, paramsFrom(u, seasonal), init).sse;
    // A coarse grid picks the basin; Nelder–Mead refines it.
    let best: { u: number[]; v: number } | undefined;
    for (const a of [0.05, 0.2, 0.5, 0.8]) {
      for (const b of [0.001, 0.02, 0.2]) {
        for (const g of seasonal ? [0.05, 0.2, 0.5] : [0.5]) {
          const u = [logit(a), logit(b), logit(g)];
          const v = sse(u);
          if (best === undefined || v < best.v) best = { u, v };
        }
      }
    }
    const start = (best as { u: number[] }).u;
    const result = nelderMead(sse, seasonal ? start : start.slice(0, 2), { step: 1, tolerance: 1e-10, maxIterations: 600 });
    params = paramsFrom(result.x, seasonal);
  }
  const run = runHw(y, period, params, init, true);
  const k = seasonal ? 3 : 2;
  const dof = Math.max(1, y.length - k);
  return { params, period, n: y.length, state: run.state, sse: run.sse, sigma: Math.sqrt(run.sse / dof), residuals: run.residuals };
}

/** Variance multiplier σ_h² / σ² for ETS(A,A,A) / ETS(A,A,N): 1 + Σ_{j=1}^{h−1} c_j². Closed form (FPP3 §8.7). */
export function varianceFactor(p: HwParams, period: number, h: number): number {
  const a = p.alpha;
  const b = p.alpha * p.beta; // ETS β
  const g = period > 0 ? p.gamma : 0;
  const k = period > 0 ? Math.floor((h - 1) / period) : 0;
  return 1 + (h - 1) * (a * a + a * b * h + (b * b * h * (2 * h - 1)) / 6) + g * k * (2 * a + g + b * period * (k + 1));
}

/** Forecast H steps ahead with ŷ ± z·σ_h. */
export function forecastHw(fit: HwFit, steps: number, z: number): HwForecastPoint[] {
  const out: HwForecastPoint[] = [];
  const { level, trend, season } = fit.state;
  const m = fit.period;
  for (let h = 1; h <= steps; h++) {
    const meanValue = level + h * trend + (m > 0 ? (season[(fit.n - 1 + h) % m] as number) : 0);
    const sd = fit.sigma * Math.sqrt(varianceFactor(fit.params, m, h));
    out.push({ h, mean: meanValue, lower: meanValue - z * sd, upper: meanValue + z * sd, sd });
  }
  return out;
}

/**
 * Standard normal CDF via erf (Abramowitz & Stegun 1964, formula 7.1.26;
 * absolute error < 1.5e-7).
 */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** z such that a central interval of `level` (e.g. 0.95) is ±z; bisection on normalCdf. */
export function zForLevel(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError('level must be in (0, 1)');
  const target = (1 + level) / 2;
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
