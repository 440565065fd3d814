/**
 * Season detection for `relia capacity forecast`: the sample autocorrelation
 * (FPP3 §2.8) of the linearly detrended series at the lags of one day and
 * one week, given the sampling step.
 *
 *   r_k = Σ_{t=1}^{n−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_{t=1}^{n} (x_t − x̄)²
 *
 * Detection compares lags of very different length (288 and 2,016 points at
 * 5 m), and r_k shrinks by (n − k)/n because it sums only n − k products; so
 * it uses the lag-adjusted r_k · n/(n − k) (each covariance averaged over its
 * own pairs), which is ≈ 1 for a pure season at any lag.
 *
 * Rule (docs/capacity-planning.md#seasonality):
 *   - a candidate season needs a whole number of steps and at least 2 full
 *     seasons of data (Holt-Winters initialises from the first two);
 *   - daily when r_1d ≥ 0.3;
 *   - weekly instead when r_7d ≥ 0.3 and r_7d ≥ r_1d + 0.1: the weekly season
 *     then nests the daily cycle and explains clearly more (with only a daily
 *     cycle, r_7d ≈ r_1d because 7 days is a multiple of 1 day);
 *   - otherwise no season (Holt's linear trend).
 * 0.3 is well above the ±2/√n noise band of r_k for white noise
 * (n ≥ 576 points at 5 m steps for 2 days: 2/√576 ≈ 0.08). Pure.
 */

export const DAY = 86_400;
export const WEEK = 7 * DAY;
export const SEASON_THRESHOLD = 0.3;
export const WEEKLY_MARGIN = 0.1;

/** Residuals of a least-squares line through (i, y_i). */
export function detrend(y: ArrayLike<number>): number[] {
  const n = y.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += i;
    sy += y[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * ((y[i] as number) - my);
    sxx += (i - mx) * (i - mx);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((y[i] as number) - (my + slope * (i - mx)));
  return out;
}

/**
 * Sample autocorrelation at `lag`; 0 for a constant series, null when lag ≥ n.
 * `adjusted` scales it by n/(n − lag).
 */
export function autocorrelation(x: ArrayLike<number>, lag: number, adjusted = false): number | null {
  const n = x.length;
  if (lag >= n || lag < 1) return null;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] as number;
  mean /= n;
  let den = 0;
  for (let i = 0; i < n; i++) den += ((x[i] as number) - mean) ** 2;
  if (den === 0) return 0;
  let num = 0;
  for (let i = 0; i + lag < n; i++) num += ((x[i] as number) - mean) * ((x[i + lag] as number) - mean);
  return adjusted ? (num / den) * (n / (n - lag)) : num / den;
}

export interface SeasonCandidate {
  /** `1d` or `7d` */
  name: string;
  seconds: number;
  /** Lag in points; null when the step does not divide the season. */
  points: number | null;
  /** Autocorrelation at that lag; null when there is not enough data (fewer than 2 seasons). */
  acf: number | null;
}

export interface SeasonChoice {
  /** Season length in seconds, or null for none. */
  seconds: number | null;
  /** Season length in points (0 for none). */
  points: number;
  candidates: SeasonCandidate[];
  reason: string;
}

/** Pick the season of a regular series sampled every `step` seconds. */
export function detectSeason(y: ArrayLike<number>, step: number): SeasonChoice {
  const x = detrend(y);
  const candidates: SeasonCandidate[] = [
    { name: '1d', seconds: DAY },
    { name: '7d', seconds: WEEK },
  ].map((c) => {
    const points = Number.isInteger(c.seconds / step) ? c.seconds / step : null;
    const acf = points !== null && points >= 2 && y.length >= 2 * points ? autocorrelation(x, points, true) : null;
    return { ...c, points, acf };
  });
  const [day, week] = candidates as [SeasonCandidate, SeasonCandidate];
  const r = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
  if (week.acf !== null && week.acf >= SEASON_THRESHOLD && week.acf >= (day.acf ?? -1) + WEEKLY_MARGIN) {
    return { seconds: WEEK, points: week.points as number, candidates, reason: `weekly: autocorrelation ${r(week.acf)} at 7d exceeds ${r(day.acf)} at 1d by ≥ ${WEEKLY_MARGIN}` };
  }
  if (day.acf !== null && day.acf >= SEASON_THRESHOLD) {
    return { seconds: DAY, points: day.points as number, candidates, reason: `daily: autocorrelation ${r(day.acf)} at 1d ≥ ${SEASON_THRESHOLD}${week.acf === null ? ' (weekly needs 14 days of data)' : `; 7d (${r(week.acf)}) adds nothing`}` };
  }
  const why =
    day.points === null ? `the step ${step}s does not divide a day` : day.acf === null ? 'less than 2 days of data' : `autocorrelation ${r(day.acf)} at 1d is below ${SEASON_THRESHOLD}`;
  return { seconds: null, points: 0, candidates, reason: `no season: ${why}` };
}
