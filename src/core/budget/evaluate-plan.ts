/**
 * Query planning for `relia budget status|check`: exactly two queries per SLO.
 *
 * 1. One INSTANT query at `at` batching every window the evaluation needs (the
 *    SLO window, the burn windows, the fast-burn windows and the dynamic
 *    budget's current window) and every part (total and good/bad events, or
 *    the error ratio, or the bad-slice fraction). Each sub-expression is
 *    tagged with `label_replace` (labels `relia_w` = window, `relia_p` = part)
 *    and they are joined with `or`, so one answer carries them all.
 * 2. One RANGE query over the SLO window at a step of about window/resolution
 *    (a multiple of 60 s, or of the slice): per-step events for the budget
 *    burn-down (sparkline), the incidents and the traffic quantiles.
 *
 * Query templates return a per-second rate averaged over `{{.window}}`, so
 * events over W = value × seconds(W). Pure.
 */
import { formatDuration, parseDuration } from '../units.js';
import { renderQuery, type SliDefinition, type SloDefinition, type SloWindow } from './model.js';
import type { BudgetPolicy } from './policy.js';

/** What a tagged sub-expression measures. */
export type PartName = 'total' | 'good' | 'bad' | 'ratio' | 'badslices';

export interface PlannedPart {
  /** Window label (`relia_w`), e.g. `1h`, `30d`, `1234567s`. */
  window: string;
  part: PartName;
  /** The sub-expression before tagging. */
  expr: string;
  /**
   * The query sent on its own in unbatched mode (for metrics providers that
   * do not speak PromQL's label_replace/or): the rendered template itself;
   * several series are summed (max for error ratios) by the engine.
   */
  raw: string;
}

export interface PlannedWindow {
  label: string;
  seconds: number;
}

export interface SloWindowPlan {
  /** The label used in queries: `30d`, or `<elapsed>s` for calendar windows. */
  label: string;
  /** Seconds covered by the evaluation: the rolling length, or the calendar time elapsed. */
  seconds: number;
  /** Epoch ms of the window start. */
  start: number;
  /** The whole period in seconds (rolling: the window; calendar: the full day/week/month/quarter/year). */
  periodSeconds: number;
}

export interface SloPlan {
  slo: SloDefinition;
  policy: BudgetPolicy;
  /** Evaluation instant, epoch ms. */
  at: number;
  window: SloWindowPlan;
  /** Every window of the instant query (deduplicated by label). */
  windows: PlannedWindow[];
  instant: { query: string; time: number; parts: PlannedPart[] };
  range: { query: string; start: number; end: number; step: number; points: number; parts: PlannedPart[] };
}

export const WINDOW_LABEL = 'relia_w';
/** Burn windows the projected time to exhaustion is computed at. */
export const EXHAUSTION_WINDOWS = ['1h', '6h'] as const;
export const PART_LABEL = 'relia_p';

const DAY_MS = 86_400_000;

/** Start (inclusive) and end (exclusive) of the calendar period holding `at`, in UTC, epoch ms. */
export function calendarPeriod(unit: Extract<SloWindow, { type: 'calendar' }>['unit'], at: number): { start: number; end: number } {
  const d = new Date(at);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'day': {
      const start = Date.UTC(y, m, d.getUTCDate());
      return { start, end: start + DAY_MS };
    }
    case 'week': {
      // ISO weeks start on Monday.
      const dow = (d.getUTCDay() + 6) % 7;
      const start = Date.UTC(y, m, d.getUTCDate() - dow);
      return { start, end: start + 7 * DAY_MS };
    }
    case 'month':
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
    case 'quarter': {
      const q = Math.floor(m / 3) * 3;
      return { start: Date.UTC(y, q, 1), end: Date.UTC(y, q + 3, 1) };
    }
    case 'year':
      return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
  }
}

/** The evaluation window of an SLO as of `at`. */
export function sloWindow(window: SloWindow, at: number): SloWindowPlan {
  if (window.type === 'rolling') {
    return { label: formatDuration(window.seconds), seconds: window.seconds, start: at - window.seconds * 1000, periodSeconds: window.seconds };
  }
  const period = calendarPeriod(window.unit, at);
  const seconds = Math.max(1, Math.floor((at - period.start) / 1000));
  return { label: `${seconds}s`, seconds, start: at - seconds * 1000, periodSeconds: (period.end - period.start) / 1000 };
}

/** A PromQL number literal. */
function num(x: number): string {
  return String(Number(x.toPrecision(15)));
}

function tag(expr: string, labels: Record<string, string>): string {
  let out = expr;
  for (const [k, v] of Object.entries(labels)) out = `label_replace(${out}, "${k}", "${v}", "", "")`;
  return out;
}

/**
 * The bad-slice indicator over one slice: 1 when the slice is bad (below
 * `target`, the share of good events a slice needs), 0 when it is good.
 * Slices without data (0/0 = NaN) compare false, so they count good.
 */
export function badSliceExpr(sli: SliDefinition, target: number, sliceLabel: string): string {
  if (sli.type === 'ratio') {
    const total = `sum(${renderQuery(sli.total, sliceLabel)})`;
    if (sli.bad !== undefined) return `(sum(${renderQuery(sli.bad, sliceLabel)}) / ${total}) > bool ${num(1 - target)}`;
    // a ratio SLI has bad or good (the spec parsers)
    return `(sum(${renderQuery(sli.good as string, sliceLabel)}) / ${total}) < bool ${num(target)}`;
  }
  if (sli.type === 'error-ratio') return `max(${renderQuery(sli.query, sliceLabel)}) > bool ${num(1 - target)}`;
  const q = renderQuery(sli.query, sliceLabel);
  switch (sli.op) {
    case 'lt':
      return `max(${q}) >= bool ${num(sli.value)}`;
    case 'lte':
      return `max(${q}) > bool ${num(sli.value)}`;
    case 'gt':
      return `min(${q}) <= bool ${num(sli.value)}`;
    case 'gte':
      return `min(${q}) < bool ${num(sli.value)}`;
  }
}

/** The parts measured over one window (instant) or one step (range). */
function partsFor(slo: SloDefinition, window: string): PlannedPart[] {
  const sli = slo.sli;
  const out: PlannedPart[] = [];
  if (slo.budgeting.method === 'timeslices') {
    const slice = formatDuration(slo.budgeting.sliceSeconds);
    const bad = `avg_over_time((${badSliceExpr(sli, slo.budgeting.sliceTarget, slice)})[${window}:${slice}])`;
    out.push({ window, part: 'badslices', expr: bad, raw: bad });
    if (sli.type === 'ratio') out.push({ window, part: 'total', expr: `sum(${renderQuery(sli.total, window)})`, raw: renderQuery(sli.total, window) });
    return out;
  }
  if (sli.type === 'ratio') {
    out.push({ window, part: 'total', expr: `sum(${renderQuery(sli.total, window)})`, raw: renderQuery(sli.total, window) });
    if (sli.bad !== undefined) out.push({ window, part: 'bad', expr: `sum(${renderQuery(sli.bad, window)})`, raw: renderQuery(sli.bad, window) });
    else out.push({ window, part: 'good', expr: `sum(${renderQuery(sli.good as string, window)})`, raw: renderQuery(sli.good as string, window) });
    return out;
  }
  if (sli.type === 'error-ratio') {
    out.push({ window, part: 'ratio', expr: `max(${renderQuery(sli.query, window)})`, raw: renderQuery(sli.query, window) });
    return out;
  }
  // A threshold SLI without timeslices cannot be evaluated (the spec parsers reject it).
  throw new Error(`internal: SLO ${slo.id} has a threshold SLI without timeslice budgeting`);
}

/** The step of the range query: about window/resolution, a multiple of 60 s (or of the slice). */
export function rangeStep(slo: SloDefinition, windowSeconds: number, resolution: number): number {
  const unit = slo.budgeting.method === 'timeslices' ? Math.max(1, Math.round(slo.budgeting.sliceSeconds)) : 60;
  return Math.max(unit, Math.ceil(windowSeconds / resolution / unit) * unit);
}

/** Plan the two queries of one SLO as of `at` (epoch ms) under its effective policy. */
export function planSlo(slo: SloDefinition, policy: BudgetPolicy, at: number): SloPlan {
  const window = sloWindow(slo.window, at);
  // 1h and 6h always: the projected exhaustion uses them.
  const labels = [window.label, ...policy.burnWindows, ...policy.fastBurn.flatMap((c) => [c.long, c.short]), ...EXHAUSTION_WINDOWS];
  if (policy.dynamic.enabled) labels.push(policy.dynamic.currentWindow);
  const windows: PlannedWindow[] = [];
  const seen = new Set<string>();
  for (const label of labels) {
    if (seen.has(label)) continue;
    seen.add(label);
    // labels are canonical durations (the policy normalises its windows; calendar windows are `<n>s`)
    windows.push({ label, seconds: parseDuration(label) });
  }
  const instantParts = windows.flatMap((w) => partsFor(slo, w.label));
  const instantQuery = instantParts.map((p) => tag(p.expr, { [WINDOW_LABEL]: p.window, [PART_LABEL]: p.part })).join(' or ');

  const step = rangeStep(slo, window.seconds, policy.resolution);
  const points = Math.max(1, Math.floor(window.seconds / step));
  const stepLabel = formatDuration(step);
  const rangeParts = partsFor(slo, stepLabel);
  const rangeQuery = rangeParts.map((p) => tag(p.expr, { [PART_LABEL]: p.part })).join(' or ');
  return {
    slo,
    policy,
    at,
    window,
    windows,
    instant: { query: instantQuery, time: at, parts: instantParts },
    range: { query: rangeQuery, start: at - (points - 1) * step * 1000, end: at, step, points, parts: rangeParts },
  };
}
