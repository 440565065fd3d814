/**
 * Prometheus rule generation for SLOs (`relia budget rules`): recording rules
 * for the SLI error ratio per window, and the SRE Workbook's multiwindow,
 * multi-burn-rate alerts (page: 14.4× over 1h/5m, 6× over 6h/30m; ticket: 3×
 * over 1d/2h, 1× over 3d/6h for a 30d period), with burn factors scaled to
 * the SLO period: factor = budget fraction consumed × period / long window.
 *
 * Alert expressions are built by one function over a window → series
 * reference, so the recorded form (reading the recording rules) and the
 * inline form (recording rules expanded, for evaluating over history that was
 * never recorded) are the same expression modulo that substitution.
 * Pure. Reference: docs/budget-specs.md#relia-budget-rules.
 */
import { Document } from 'yaml';
import { formatDuration } from '../units.js';
import { renderQuery, type SloDefinition, type SloWindow } from './model.js';

export type Tier = 'page' | 'ticket';

export interface BurnCondition {
  /** Long window, seconds. */
  longSeconds: number;
  /** Short (reset) window, seconds: 1/12 of the long window. */
  shortSeconds: number;
  /** Fraction of the whole budget spent over the long window at which to alert. */
  budgetFraction: number;
}

/** The Workbook's thresholds: 2% of the budget in 1h, 5% in 6h (page); 10% in 1d and 10% in 3d (ticket). */
export const BURN_CONDITIONS: Readonly<Record<Tier, readonly BurnCondition[]>> = {
  page: [
    { longSeconds: 3600, shortSeconds: 300, budgetFraction: 0.02 },
    { longSeconds: 21_600, shortSeconds: 1800, budgetFraction: 0.05 },
  ],
  ticket: [
    { longSeconds: 86_400, shortSeconds: 7200, budgetFraction: 0.1 },
    { longSeconds: 259_200, shortSeconds: 21_600, budgetFraction: 0.1 },
  ],
};

/** Windows that get an error-ratio recording rule (plus the SLO period). */
export const RULE_WINDOWS_SECONDS = [300, 1800, 3600, 7200, 21_600, 86_400, 259_200] as const;

/** Metric name of the recorded error ratio over `window` (e.g. `1h`). */
export function recordName(window: string): string {
  return `relia_slo:sli_error:ratio_rate${window}`;
}

const NOMINAL_CALENDAR_SECONDS = { day: 86_400, week: 7 * 86_400, month: 30 * 86_400, quarter: 90 * 86_400, year: 365 * 86_400 } as const;

/** The SLO period in seconds; calendar windows use their nominal length (a month is 30d). */
export function periodSeconds(window: SloWindow): number {
  return window.type === 'rolling' ? window.seconds : NOMINAL_CALENDAR_SECONDS[window.unit];
}

function tidy(x: number): number {
  return Number(x.toPrecision(10));
}

/** Burn-rate factor: budget fraction × period / long window (14.4 for 2% of 30d in 1h; 13.44 for 28d). */
export function burnFactor(budgetFraction: number, periodS: number, longWindowS: number): number {
  return tidy((budgetFraction * periodS) / longWindowS);
}

/** The error budget as a fraction of events (1 − objective), without binary noise. */
export function errorBudget(slo: SloDefinition): number {
  return Number((1 - slo.objective).toPrecision(12));
}

const OPS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** The PromQL error ratio of an SLO over one window (e.g. `1h`), from its raw series. */
export function errorRatioExpr(slo: SloDefinition, windowSeconds: number): string {
  const sli = slo.sli;
  const b = slo.budgeting;
  if (b.method === 'occurrences') {
    const w = formatDuration(windowSeconds);
    if (sli.type === 'error-ratio') return renderQuery(sli.query, w);
    if (sli.type === 'threshold') throw new Error('threshold SLIs need timeslice budgeting');
    if (sli.bad !== undefined) return `(${renderQuery(sli.bad, w)}) / (${renderQuery(sli.total, w)})`;
    return `1 - ((${renderQuery(sli.good as string, w)}) / (${renderQuery(sli.total, w)}))`;
  }
  // Timeslices: the share of bad slices over the window, by a subquery with one point per slice.
  const s = formatDuration(b.sliceSeconds);
  const range = `[${formatDuration(Math.max(windowSeconds, b.sliceSeconds))}:${s}]`;
  const allowed = Number((1 - b.sliceTarget).toPrecision(12));
  let good: string;
  if (sli.type === 'threshold') good = `(${renderQuery(sli.query, s)}) ${OPS[sli.op]} bool ${sli.value}`;
  else if (sli.type === 'error-ratio') good = `(${renderQuery(sli.query, s)}) <= bool ${allowed}`;
  else if (sli.bad !== undefined) good = `(${renderQuery(sli.bad, s)}) <= bool (${allowed} * (${renderQuery(sli.total, s)}))`;
  else good = `(${renderQuery(sli.good as string, s)}) >= bool (${b.sliceTarget} * (${renderQuery(sli.total, s)}))`;
  return `1 - avg_over_time((${good})${range})`;
}

function escapeLabelValue(v: string): string {
  return v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** The recorded series of an SLO for one window, e.g. `relia_slo:sli_error:ratio_rate1h{relia_service="checkout",relia_slo="availability"}`. */
export function recordedSelector(slo: SloDefinition, windowSeconds: number): string {
  return `${recordName(formatDuration(windowSeconds))}{relia_service="${escapeLabelValue(slo.service)}",relia_slo="${escapeLabelValue(slo.name)}"}`;
}

/** Burn conditions of a tier that fit the SLO period (a long window longer than the period is dropped). */
export function tierConditions(slo: SloDefinition, tier: Tier): Array<BurnCondition & { factor: number; threshold: number }> {
  const period = periodSeconds(slo.window);
  const budget = errorBudget(slo);
  return BURN_CONDITIONS[tier]
    .filter((c) => c.longSeconds <= period)
    .map((c) => {
      const factor = burnFactor(c.budgetFraction, period, c.longSeconds);
      return { ...c, factor, threshold: Number((factor * budget).toPrecision(12)) };
    });
}

/**
 * The alert expression of one tier. `ref(window)` gives the error-ratio series
 * for a window: the recorded selector (`mode: 'recorded'`) or the inlined
 * expression (`mode: 'inline'`).
 */
export function alertExpr(slo: SloDefinition, tier: Tier, mode: 'recorded' | 'inline' = 'recorded'): string {
  const ref = (w: number) => (mode === 'recorded' ? recordedSelector(slo, w) : `(${errorRatioExpr(slo, w)})`);
  const budget = errorBudget(slo);
  return tierConditions(slo, tier)
    .map((c) => `(\n  ${ref(c.longSeconds)} > (${c.factor} * ${budget})\nand\n  ${ref(c.shortSeconds)} > (${c.factor} * ${budget})\n)`)
    .join('\nor\n');
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type PromRule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  rules: PromRule[];
}

export interface RulesOptions {
  page: boolean;
  ticket: boolean;
}

export interface GeneratedRules {
  groups: RuleGroup[];
  /** Things the rules approximate or leave out (calendar periods, dropped conditions). */
  warnings: string[];
}

/** Default alert name when a spec names none. */
export const DEFAULT_ALERT_NAME = 'ErrorBudgetBurn';

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(10))}%`;
}

function recordingWindows(slo: SloDefinition): number[] {
  const period = periodSeconds(slo.window);
  return [...new Set([...RULE_WINDOWS_SECONDS, period])].sort((a, b) => a - b);
}

function alertRule(slo: SloDefinition, tier: Tier): AlertingRule | undefined {
  const conditions = tierConditions(slo, tier);
  if (conditions.length === 0) return undefined;
  const alerting = slo.alerting;
  const labels: Record<string, string> = { severity: tier, relia_service: slo.service, relia_slo: slo.name, ...slo.labels };
  if (slo.source.format === 'sloth') {
    // The labels Sloth puts on its alerts, so existing Alertmanager routes keep matching.
    Object.assign(labels, { sloth_id: `${slo.service}-${slo.name}`, sloth_service: slo.service, sloth_slo: slo.name, sloth_severity: tier });
  }
  Object.assign(labels, alerting?.labels, alerting?.[tier].labels);
  const parts = conditions.map((c) => `${c.factor}× the budget rate (error ratio > ${c.threshold}) over ${formatDuration(c.longSeconds)} and ${formatDuration(c.shortSeconds)}`);
  const annotations: Record<string, string> = {
    summary: `${slo.id} is burning its error budget too fast (${tier})`,
    description:
      `${slo.id} (objective ${pct(slo.objective)} over ${slo.window.label}) has an error ratio above ${parts.join(', or ')}. ` +
      `At ${conditions[0]?.factor}× the whole budget lasts ${formatDuration(Math.round(periodSeconds(slo.window) / (conditions[0]?.factor ?? 1)))}.`,
    ...alerting?.annotations,
    ...alerting?.[tier].annotations,
  };
  return { alert: alerting?.name ?? DEFAULT_ALERT_NAME, expr: alertExpr(slo, tier), labels, annotations };
}

/** Recording and alerting rules for every SLO: one group per SLO, recordings first. */
export function generateRules(slos: readonly SloDefinition[], options: RulesOptions): GeneratedRules {
  const warnings: string[] = [];
  const groups: RuleGroup[] = [];
  for (const slo of slos) {
    const rules: PromRule[] = recordingWindows(slo).map((w) => ({
      record: recordName(formatDuration(w)),
      expr: errorRatioExpr(slo, w),
      labels: { relia_service: slo.service, relia_slo: slo.name, ...slo.labels },
    }));
    if (slo.window.type === 'calendar') {
      warnings.push(`${slo.id}: the calendar ${slo.window.unit} is approximated by a nominal ${formatDuration(periodSeconds(slo.window))} period in the rules (burn factors and the ${formatDuration(periodSeconds(slo.window))} recording rule)`);
    }
    for (const tier of ['page', 'ticket'] as const) {
      if (!options[tier] || slo.alerting?.[tier].enabled === false) continue;
      const dropped = BURN_CONDITIONS[tier].filter((c) => c.longSeconds > periodSeconds(slo.window));
      for (const c of dropped) {
        warnings.push(`${slo.id}: the ${tier} condition over ${formatDuration(c.longSeconds)}/${formatDuration(c.shortSeconds)} is longer than the ${slo.window.label} period and is left out`);
      }
      const rule = alertRule(slo, tier);
      if (rule) rules.push(rule);
    }
    groups.push({ name: `relia-slo:${slo.id}`, rules });
  }
  return { groups, warnings };
}

/** The rule file as YAML, with a header naming its origin. */
export function renderRuleFile(groups: readonly RuleGroup[], header?: string): string {
  const doc = new Document({ groups });
  if (header) doc.commentBefore = header
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
  return doc.toString({ lineWidth: 0 });
}
