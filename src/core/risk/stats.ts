/**
 * Small statistics used by the risk commands: order-independent mean and
 * quantiles, the standard normal CDF, the Mann-Kendall trend test (normal
 * approximation with tie correction) and Sen's slope. Pure. Definitions in
 * docs/risk.md#trend.
 */

/** Ascending copy. */
export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Mean, summed in ascending order so the result does not depend on input order; null when empty. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return sorted(values).reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman & Fan
 * type 7, the default of R and NumPy): h = (n − 1)·q. Null when empty.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const xs = sorted(values);
  const h = (xs.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const a = xs[lo] as number;
  const b = xs[Math.min(lo + 1, xs.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

/** Sample standard deviation (n − 1); null for fewer than two values. */
export function stdDev(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values) as number;
  return Math.sqrt(sorted(values.map((v) => (v - m) ** 2)).reduce((s, v) => s + v, 0) / (values.length - 1));
}

/**
 * erfc(x) by Abramowitz & Stegun (1964) formula 7.1.26 (absolute error of
 * erf below 1.5e-7), using erfc(−x) = 2 − erfc(x) for negative x.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = poly * Math.exp(-z * z);
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export interface MannKendall {
  /** Points in the series (missing points are skipped). */
  n: number;
  /** S = Σ_{i<j} sign(x_j − x_i). */
  s: number;
  /** Var(S) with the tie correction. */
  varS: number;
  /** Continuity-corrected normal score. */
  z: number;
  /** Two-sided p-value, 2·(1 − Φ(|z|)); 1 when there are too few points. */
  pValue: number;
}

/**
 * Mann-Kendall test for a monotonic trend in a series given in time order.
 * Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over groups of t tied values;
 * Z = (S − 1)/√Var for S > 0, (S + 1)/√Var for S < 0, 0 for S = 0.
 */
export function mannKendall(series: readonly number[]): MannKendall {
  const xs = series.filter(Number.isFinite);
  const n = xs.length;
  let s = 0;
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: equivalent, a pass with i ≥ n − 1 has no pair (j starts at i + 1 ≥ n)
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign((xs[j] as number) - (xs[i] as number));
  }
  const ties = new Map<number, number>();
  for (const x of xs) ties.set(x, (ties.get(x) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, below 3 points S is 0 or ±1 and Z is 0 anyway, and p = min(1, 2(1 − Φ(0))) = 1
    n < 3 ||
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, Var(S) ≤ 0 only when all points tie (S = 0), which gives Z = 0 and p = 1 anyway
    varS <= 0
  )
    return { n, s, varS, z: 0, pValue: 1 };
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { n, s, varS, z, pValue };
}

/**
 * Sen's slope: the median of (y_j − y_i)/(x_j − x_i) over all pairs i < j with
 * x_j ≠ x_i. Points are [x, y]; null with fewer than two usable points.
 */
export function sensSlope(points: ReadonlyArray<readonly [number, number]>): number | null {
  const slopes: number[] = [];
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: equivalent, a pass with i ≥ length − 1 has no pair (j starts at i + 1)
  for (let i = 0; i < points.length - 1; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const [xi, yi] = points[i] as readonly [number, number];
      const [xj, yj] = points[j] as readonly [number, number];
      if (xj !== xi) slopes.push((yj - yi) / (xj - xi));
    }
  }
  return median(slopes);
}
