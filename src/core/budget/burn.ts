/**
 * Burn-rate math (docs/budget.md#math). Pure.
 *
 *   budget            b = 1 − objective
 *   burn rate over w  burn(w) = errorRatio(w) / b
 *   consumed          c = errorRatio(SLO window) / b          (a fraction of the budget)
 *   remaining         r = 1 − c                               (negative when overspent)
 *   exhaustion        t(w) = r × period / burn(w)             (0 when r ≤ 0; null when burn(w) = 0)
 */
import type { BudgetPolicy, FastBurnCondition } from './policy.js';

/** The error budget 1 − objective, without floating-point dust (1 − 0.999 = 0.001, not 0.0010000000000000009). */
export function budgetOf(objective: number): number {
  return Number((1 - objective).toPrecision(12));
}

/** Burn rate of an error ratio; null when the ratio is unknown. */
export function burnRate(errorRatio: number | null, objective: number): number | null {
  // Stryker disable next-line ConditionalExpression: equivalent, Number.isFinite(null) is false: the next test refuses null too
  if (errorRatio === null) return null;
  if (!Number.isFinite(errorRatio)) return null;
  return errorRatio / budgetOf(objective);
}

/**
 * Seconds until the remaining budget is spent at a constant burn rate:
 * remaining × period / burn. 0 when already exhausted, null when the burn
 * is zero or unknown (never, at this rate).
 */
export function exhaustionSeconds(remaining: number | null, burn: number | null, periodSeconds: number): number | null {
  if (remaining === null) return null;
  if (remaining <= 0) return 0;
  // Stryker disable next-line ConditionalExpression: equivalent, !(null > 0) is true: the next test refuses null too
  if (burn === null) return null;
  if (!(burn > 0)) return null;
  return (remaining * periodSeconds) / burn;
}

/**
 * φ-quantile as Prometheus' `quantile` computes it: rank φ·(n − 1) over the
 * sorted values, linear interpolation between neighbours. NaN for no values.
 */
export function quantile(phi: number, values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  if (phi <= 0) return sorted[0] as number;
  // Stryker disable next-line EqualityOperator: equivalent, at φ = 1 both neighbours are the last value (weight 0 of a zero difference)
  if (phi >= 1) return sorted[sorted.length - 1] as number;
  const rank = phi * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const w = rank - lo;
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * w;
}

export type TrafficTier = 'peak' | 'normal' | 'low' | 'unknown';

export interface TrafficAssessment {
  /** Current traffic, events per second over the dynamic current window. */
  current: number | null;
  /** Traffic at the policy's peak quantile of the window (events/s). */
  peak: number | null;
  /** Traffic at the policy's low quantile of the window (events/s). */
  low: number | null;
  tier: TrafficTier;
  /** Multiplier applied to every fast-burn factor. */
  multiplier: number;
}

/**
 * Dynamic error budgets: compare current traffic with the window's quantiles
 * (from the per-step rates of the range query). Above the peak quantile the
 * fast-burn factors are multiplied by `peak.factor` (stricter), below the low
 * quantile by `low.factor` (looser); otherwise by 1.
 */
export function assessTraffic(current: number | null, stepRates: readonly number[], dynamic: BudgetPolicy['dynamic']): TrafficAssessment {
  const rates = stepRates.filter(Number.isFinite);
  if (
    !dynamic.enabled ||
    // Stryker disable next-line ConditionalExpression: equivalent, Number.isFinite(null) is false: the next test catches null too
    current === null ||
    !Number.isFinite(current) ||
    rates.length === 0
  ) {
    const known =
      Number.isFinite(current) &&
      // Stryker disable next-line ConditionalExpression: equivalent, Number.isFinite(null) is false (this test narrows the type)
      current !== null;
    return { current: known ? current : null, peak: null, low: null, tier: 'unknown', multiplier: 1 };
  }
  const peak = quantile(dynamic.peak.quantile, rates);
  const low = quantile(dynamic.low.quantile, rates);
  if (current > peak) return { current, peak, low, tier: 'peak', multiplier: dynamic.peak.factor };
  if (current < low) return { current, peak, low, tier: 'low', multiplier: dynamic.low.factor };
  return { current, peak, low, tier: 'normal', multiplier: 1 };
}

export interface FastBurnResult {
  long: string;
  short: string;
  /** The policy's factor. */
  baseFactor: number;
  /** After dynamic scaling: baseFactor × multiplier. */
  factor: number;
  longBurn: number | null;
  shortBurn: number | null;
  /** burn(long) > factor AND burn(short) > factor. */
  firing: boolean;
}

/** Evaluate the fast-burn (page) conditions against measured burn rates. */
export function fastBurn(conditions: readonly FastBurnCondition[], burns: Readonly<Record<string, number | null>>, multiplier: number): FastBurnResult[] {
  return conditions.map((c) => {
    const factor = Number((c.factor * multiplier).toPrecision(12));
    const longBurn = burns[c.long] ?? null;
    const shortBurn = burns[c.short] ?? null;
    const firing = longBurn !== null && shortBurn !== null && longBurn > factor && shortBurn > factor;
    return { long: c.long, short: c.short, baseFactor: c.factor, factor, longBurn, shortBurn, firing };
  });
}
