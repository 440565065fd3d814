/**
 * The shapes `relia budget status|check` return (one per SLO, and the run).
 * Every number is finite or null; null means "not measurable" (e.g. no events
 * in a burn window, or the SLI type has no event counts). Additive: fields
 * may be added, never renamed.
 */
import type { FastBurnResult } from './burn.js';
import type { BlockReason } from './policy.js';

/** `invalid`: the metrics answered values that cannot be true (NaN, ±Inf, negative, bad > total). */
export type Verdict = 'pass' | 'fail' | 'no-data' | 'invalid';

/** A fast-burn condition evaluated for one SLO (the gate's input). */
export type FastBurnStatus = FastBurnResult;

export interface IncidentStatus {
  /** RFC 3339, start of the first range bucket of the incident. */
  start: string;
  /** RFC 3339, end of the last bucket. */
  end: string;
  /** Fraction of the budget this incident consumed. */
  budgetShare: number;
  /** Highest bucket burn rate. */
  peakBurn: number;
  /** Bad events in the incident (event-based SLIs), else null. */
  badEvents: number | null;
}

/** The deploy gate's decision for one SLO (gate.ts `decide`); part of each SloStatus. */
export interface GateDecision {
  verdict: Verdict;
  /** True when this SLO makes the gate fail. */
  blocked: boolean;
  reasons: string[];
  /** Block conditions that held (before exceptions). */
  blocks: BlockReason[];
  /** Blocks an exception let through. */
  bypassed: BlockReason[];
  /** Name of the exception that applied, or null. */
  exception: string | null;
}

export interface SloStatus extends GateDecision {
  /** `<service>/<name>`. */
  id: string;
  name: string;
  service: string;
  description?: string;
  source: { file: string; path: string; format: 'relia' | 'openslo' | 'sloth' | 'pyrra' };
  /** A fraction, e.g. 0.999. */
  objective: number;
  /** The window as written: `30d`, `month`. */
  window: string;
  windowType: 'rolling' | 'calendar';
  /** RFC 3339 start of the evaluated window. */
  windowStart: string;
  /** Seconds evaluated (calendar: elapsed so far). */
  windowSeconds: number;
  /** The whole period in seconds (calendar: the full month etc.). */
  periodSeconds: number;
  budgeting: 'occurrences' | 'timeslices';
  sliType: 'ratio' | 'error-ratio' | 'threshold';
  /** The SLI over the window, a fraction; null without data. */
  sli: number | null;
  /** 1 − sli. */
  errorRatio: number | null;
  /** The error budget as a fraction of events or time: 1 − objective. */
  budget: number;
  /** Fraction of the budget consumed: errorRatio / budget. */
  consumed: number | null;
  /** 1 − consumed; negative when overspent. */
  budgetRemaining: number | null;
  /** Event counts over the window (event-based SLIs). */
  events: { total: number; bad: number; allowedBad: number; remainingBad: number } | null;
  /** The budget in "bad minutes": allowed = budget × window minutes; consumed = errorRatio × window minutes. */
  badMinutes: { allowed: number; consumed: number; remaining: number } | null;
  /** Timeslice counts (timeslice budgeting). */
  slices: { seconds: number; total: number; bad: number; allowed: number } | null;
  /** Burn rate per window label (`5m`, `1h`, ...): errorRatio(w) / budget. */
  burnRates: Record<string, number | null>;
  /** Projected seconds to exhaustion at the current 1h and 6h burn; 0 when exhausted, null when not burning. */
  exhaustion: Record<string, number | null>;
  fastBurn: FastBurnStatus[];
  traffic: {
    /** Events per second over the dynamic current window. */
    current: number | null;
    /** Traffic at the peak quantile of the window, events/s. */
    peak: number | null;
    /** Traffic at the low quantile of the window, events/s. */
    low: number | null;
    tier: 'peak' | 'normal' | 'low' | 'unknown';
    /** Multiplier applied to the fast-burn factors. */
    multiplier: number;
  };
  /** Largest first (at most 5). */
  incidents: IncidentStatus[];
  postmortemRequired: boolean;
  /** Budget remaining across the window (burn-down), up to 48 points, oldest first. */
  trend: number[];
  /** The trend as a terminal sparkline. */
  sparkline: string;
  /** Range step in seconds. */
  step: number;
  /** Set when metrics were unavailable and --on-unavailable pass turned that into a pass. */
  unavailable: string | null;
  /**
   * Set when the metrics answered nonsense for a series the verdict depends on
   * (NaN, ±Inf, a negative value, bad > total, a ratio > 1): which query,
   * which value (as text: `NaN`, `+Inf`, `-3`) and when. Verdict `invalid`.
   */
  invalid: { message: string; query: string; value: string; time: string | null } | null;
  /** Queries sent for this SLO. */
  queries: number;
}

export interface BudgetEvaluation {
  /** RFC 3339 evaluation instant. */
  at: string;
  slos: SloStatus[];
  summary: { total: number; pass: number; fail: number; noData: number; blocked: number; unavailable: number; invalid: number };
  /** Queries sent in total. */
  queries: number;
}
