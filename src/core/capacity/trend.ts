/**
 * Ordinary least-squares line through (t, v) points, for the recent trend of
 * `relia capacity headroom`. Times are centred before fitting so epoch seconds
 * (1.8e9) do not cost precision. Pure.
 *
 *   slope = Σ (t − t̄)(v − v̄) / Σ (t − t̄)²,   v(t) = v̄ + slope · (t − t̄)
 *   R²    = 1 − SS_res / SS_tot
 */

export interface LinearTrend {
  /** Units per second. */
  slope: number;
  /** Fitted value at `at`. */
  valueAt: number;
  /** The time the fitted value is given at (unix seconds; the last point's time). */
  at: number;
  /** Coefficient of determination (1 for a perfect line; 0 when the series is flat). */
  r2: number;
  points: number;
}

/** Fit a line; null with fewer than 2 finite points or all at one time. */
export function linearTrend(points: ReadonlyArray<readonly [number, number]>): LinearTrend | null {
  const pts = points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  const n = pts.length;
  // Stryker disable next-line ConditionalExpression: equivalent, 0 or 1 points give Σ(t − t̄)² = 0, which returns null below too
  if (n < 2) return null;
  let mt = 0;
  let mv = 0;
  for (const [t, v] of pts) {
    mt += t;
    mv += v;
  }
  mt /= n;
  mv /= n;
  let stt = 0;
  let stv = 0;
  let svv = 0;
  for (const [t, v] of pts) {
    stt += (t - mt) ** 2;
    stv += (t - mt) * (v - mv);
    svv += (v - mv) ** 2;
  }
  if (stt === 0) return null;
  const slope = stv / stt;
  const at = Math.max(...pts.map(([t]) => t));
  let ssRes = 0;
  for (const [t, v] of pts) ssRes += (v - (mv + slope * (t - mt))) ** 2;
  return { slope, valueAt: mv + slope * (at - mt), at, r2: svv > 0 ? Math.max(0, 1 - ssRes / svv) : 0, points: n };
}
