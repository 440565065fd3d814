import { budgetOf } from './burn.js';

/**
 * What the one range query per SLO yields: per-step buckets of the SLO
 * window, turned into the budget burn-down (the sparkline) and the incidents
 * (contiguous runs of buckets burning fast). Pure. Math: docs/budget.md#math.
 */

export interface Bucket {
  /** End of the bucket, unix seconds: it covers (t − step, t]. */
  t: number;
  /** Error ratio inside the bucket (bad/total, or the bad-slice fraction); null without data. */
  errorRatio: number | null;
  /**
   * Share of the SLO window's weight in this bucket: events_i / events(window)
   * for event-based SLIs, step / window for time-based ones.
   */
  weight: number;
  /** Bad events in the bucket (event-based SLIs only). */
  bad: number | null;
  /** Events per second in the bucket (event-based SLIs only). */
  rate: number | null;
}

/**
 * Fraction of the budget each bucket consumed: errorRatio_i × weight_i / (1 − objective).
 * Summed over the window this is the budget consumed (up to the range's resolution).
 */
export function consumption(buckets: readonly Bucket[], objective: number): number[] {
  const budget = budgetOf(objective);
  return buckets.map((b) => (b.errorRatio === null ? 0 : (b.errorRatio * b.weight) / budget));
}

/** Budget remaining after each bucket: 1 − Σ_{j ≤ i} consumption_j (the burn-down). */
export function burnDown(consumed: readonly number[]): number[] {
  let sum = 0;
  return consumed.map((c) => {
    sum += c;
    return 1 - sum;
  });
}

/** `points` samples of a series: the last value of each of `points` equal chunks. */
export function samplePoints(values: readonly number[], points: number): number[] {
  // fewer values than points: each value is its own chunk
  const n = Math.min(points, values.length);
  const out: number[] = [];
  for (let i = 1; i <= n; i++) out.push(values[Math.ceil((i * values.length) / n) - 1] as number);
  return out;
}

export interface Incident {
  /** Start of the first bucket, unix seconds. */
  start: number;
  /** End of the last bucket, unix seconds. */
  end: number;
  /** Fraction of the budget the incident consumed. */
  budgetShare: number;
  /** Highest bucket burn rate in the incident. */
  peakBurn: number;
  /** Bad events in the incident (event-based SLIs only). */
  badEvents: number | null;
}

/**
 * Contiguous bad periods: maximal runs of adjacent buckets (no gap) whose burn
 * rate errorRatio / (1 − objective) is at least `minBurn`. Largest share first.
 */
export function findIncidents(buckets: readonly Bucket[], objective: number, step: number, minBurn: number): Incident[] {
  const budget = budgetOf(objective);
  const shares = consumption(buckets, objective);
  const out: Incident[] = [];
  let current: Incident | null = null;
  let lastT = Number.NaN;
  buckets.forEach((b, i) => {
    const burn = b.errorRatio === null ? null : b.errorRatio / budget;
    const bad = burn !== null && burn >= minBurn;
    const adjacent = b.t - lastT === step;
    if (bad) {
      if (current === null || !adjacent) {
        if (current) out.push(current);
        current = { start: b.t - step, end: b.t, budgetShare: 0, peakBurn: 0, badEvents: 0 };
      }
      current.end = b.t;
      current.budgetShare += shares[i] as number;
      current.peakBurn = Math.max(current.peakBurn, burn);
      // unknown (null) from the first bucket without a count on
      if (current.badEvents !== null) current.badEvents = b.bad === null ? null : current.badEvents + b.bad;
    } else if (current) {
      out.push(current);
      current = null;
    }
    lastT = b.t;
  });
  if (current) out.push(current);
  // out is in time order (buckets come in time order) and sort is stable: equal shares keep it
  return out.sort((a, b) => b.budgetShare - a.budgetShare);
}
