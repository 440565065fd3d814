/**
 * Prometheus rule generation for SLOs (`relia budget rules`): recording rules
 * for the SLI error ratio per window, and multiwindow, multi-burn-rate alerts
 * whose windows and factors come from ./burn-windows.ts (the SRE Workbook's
 * conditions as Sloth writes them, or Pyrra's; never a factor below 1).
 *
 * Alert expressions are built by one function over a window → series
 * reference, so the recorded form (reading the recording rules) and the
 * inline form (recording rules expanded, for evaluating over history that was
 * never recorded) are the same expression modulo that substitution.
 * Pure. Reference: docs/budget-specs.md#relia-budget-rules.
 */
import { Document } from 'yaml';
import { formatDuration } from '../units.js';
import { burnWindows, type BurnScheme, type BurnWindow, type Tier } from './burn-windows.js';
import { renderQuery, type SloDefinition, type SloWindow } from './model.js';

export type { BurnScheme, BurnWindow, Tier } from './burn-windows.js';
export { burnFactor, BURN_SCHEMES } from './burn-windows.js';

/** Metric name of the recorded error ratio over `window` (e.g. `1h`). */
export function recordName(window: string): string {
  return `relia_slo:sli_error:ratio_rate${window}`;
}

const NOMINAL_CALENDAR_SECONDS = { day: 86_400, week: 7 * 86_400, month: 30 * 86_400, quarter: 90 * 86_400, year: 365 * 86_400 } as const;

/** The SLO period in seconds; calendar windows use their nominal length (a month is 30d). */
export function periodSeconds(window: SloWindow): number {
  return window.type === 'rolling' ? window.seconds : NOMINAL_CALENDAR_SECONDS[window.unit];
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

export type Condition = BurnWindow & { /** factor × error budget: the error ratio both windows must exceed. */ threshold: number };

/** The conditions of a tier for an SLO's period, with the error-ratio threshold of each. */
// Stryker disable next-line StringLiteral: equivalent, every scheme but 'pyrra' gives the sloth windows
export function tierConditions(slo: SloDefinition, tier: Tier, scheme: BurnScheme = 'sloth'): Condition[] {
  const budget = errorBudget(slo);
  return burnWindows(periodSeconds(slo.window), scheme)
    .filter((c) => c.tier === tier)
    .map((c) => ({ ...c, threshold: Number((c.factor * budget).toPrecision(12)) }));
}

function conditionExpr(slo: SloDefinition, c: BurnWindow, mode: 'recorded' | 'inline'): string {
  const ref = (w: number) => (mode === 'recorded' ? recordedSelector(slo, w) : `(${errorRatioExpr(slo, w)})`);
  const budget = errorBudget(slo);
  return `(\n  ${ref(c.longSeconds)} > (${c.factor} * ${budget})\nand\n  ${ref(c.shortSeconds)} > (${c.factor} * ${budget})\n)`;
}

/**
 * The alert expression of one tier (the `sloth` scheme: the tier's conditions
 * joined by `or`), or of one condition (`role`, the `pyrra` scheme: one alert
 * per condition). The error-ratio series of a window is the recorded selector
 * (`mode: 'recorded'`) or the inlined expression (`mode: 'inline'`).
 */
export function alertExpr(
  slo: SloDefinition,
  tier: Tier,
  mode: 'recorded' | 'inline' = 'recorded',
  // Stryker disable next-line StringLiteral: equivalent, every scheme but 'pyrra' gives the sloth windows
  scheme: BurnScheme = 'sloth',
  role?: BurnWindow['role'],
): string {
  return tierConditions(slo, tier, scheme)
    .filter((c) => role === undefined || c.role === role)
    .map((c) => conditionExpr(slo, c, mode))
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
  /** Prometheus `for:` (only the pyrra scheme and absent alerts set it). */
  for?: string;
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
  /** Windows, factors and `for:` of the burn-rate alerts; default `sloth`. */
  scheme?: BurnScheme;
}

export interface GeneratedRules {
  groups: RuleGroup[];
  /** Things the rules approximate or leave out (calendar periods, dropped conditions). */
  warnings: string[];
}

/** Default alert name when a spec names none. */
export const DEFAULT_ALERT_NAME = 'ErrorBudgetBurn';
/** Default name of the absent-metric alert of Pyrra specs (Pyrra's own default). */
export const DEFAULT_ABSENT_ALERT_NAME = 'SLOMetricAbsent';

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(10))}%`;
}

function recordingWindows(slo: SloDefinition, scheme: BurnScheme): number[] {
  const windows = burnWindows(periodSeconds(slo.window), scheme).flatMap((c) => [c.longSeconds, c.shortSeconds]);
  return [...new Set([...windows, periodSeconds(slo.window)])].sort((a, b) => a - b);
}

/** Labels the peer tool puts on its alerts, so existing Alertmanager routes keep matching. */
function peerLabels(slo: SloDefinition, tier: Tier): Record<string, string> {
  if (slo.source.format === 'sloth') return { sloth_id: `${slo.service}-${slo.name}`, sloth_service: slo.service, sloth_slo: slo.name, sloth_severity: tier };
  if (slo.source.format === 'pyrra') return { slo: slo.name, severity: tier === 'page' ? 'critical' : 'warning' };
  return {};
}

/** The alert of a tier's conditions (never empty: every scheme has two conditions per tier, for any period). */
function alertRule(slo: SloDefinition, tier: Tier, conditions: readonly Condition[], scheme: BurnScheme): AlertingRule {
  const alerting = slo.alerting;
  const single = scheme === 'pyrra' ? conditions[0] : undefined;
  const labels: Record<string, string> = { severity: tier, relia_service: slo.service, relia_slo: slo.name, ...slo.labels };
  if (single) Object.assign(labels, { long: formatDuration(single.longSeconds), short: formatDuration(single.shortSeconds) });
  Object.assign(labels, peerLabels(slo, tier), alerting?.labels, alerting?.[tier].labels);
  const parts = conditions.map((c) => `${c.factor}× the budget rate (error ratio > ${c.threshold}) over ${formatDuration(c.longSeconds)} and ${formatDuration(c.shortSeconds)}`);
  const first = conditions[0] as Condition;
  const annotations: Record<string, string> = {
    summary: `${slo.id} is burning its error budget too fast (${tier})`,
    description:
      `${slo.id} (objective ${pct(slo.objective)} over ${slo.window.label}) has an error ratio above ${parts.join(', or ')}. ` +
      `At ${first.factor}× the whole budget lasts ${formatDuration(Math.round(periodSeconds(slo.window) / first.factor))}.`,
    ...alerting?.annotations,
    ...alerting?.[tier].annotations,
  };
  const rule: AlertingRule = { alert: alerting?.name ?? DEFAULT_ALERT_NAME, expr: conditions.map((c) => conditionExpr(slo, c, 'recorded')).join('\nor\n'), labels, annotations };
  if (first.forSeconds > 0 && single) rule.for = formatDuration(first.forSeconds);
  return rule;
}

/**
 * The absent-metric alert of a Pyrra SLO (`alerting.absent`, on by default in
 * Pyrra): fires when a metric of its SLI is gone for as long as the page-quick
 * condition would take to fire at a 100 % error ratio, plus its `for:`.
 */
function absentRules(slo: SloDefinition, scheme: BurnScheme): AlertingRule[] {
  const absent = slo.alerting?.absent;
  if (!absent) return [];
  const quick = burnWindows(periodSeconds(slo.window), scheme)[0] as BurnWindow;
  const seconds = Math.max(60, Math.round((quick.factor * errorBudget(slo) * quick.longSeconds + quick.forSeconds) / 60) * 60);
  // One rule for all selectors: separate rules with equal labels would be duplicates to Prometheus.
  return [
    {
      alert: absent.name ?? DEFAULT_ABSENT_ALERT_NAME,
      expr: absent.selectors.map((selector) => `absent(${selector}) == 1`).join(' or '),
      for: formatDuration(seconds),
      // Stryker disable next-line OptionalChaining: equivalent, absent is read from slo.alerting above, so it is set here
      labels: { severity: 'page', relia_service: slo.service, relia_slo: slo.name, ...slo.labels, ...peerLabels(slo, 'page'), ...slo.alerting?.labels, ...(absent.severity === undefined ? {} : { severity: absent.severity }) },
      annotations: {
        summary: `${slo.id}: a metric of its SLI is absent`,
        description: `${absent.selectors.join(' or ')} has returned no series for ${formatDuration(seconds)}: ${slo.id} cannot be measured.`,
      },
    },
  ];
}

/** Recording and alerting rules for every SLO: one group per SLO, recordings first. */
export function generateRules(slos: readonly SloDefinition[], options: RulesOptions): GeneratedRules {
  // Stryker disable next-line StringLiteral: equivalent, every scheme but 'pyrra' gives the sloth windows
  const scheme = options.scheme ?? 'sloth';
  const warnings: string[] = [];
  const groups: RuleGroup[] = [];
  for (const slo of slos) {
    const rules: PromRule[] = recordingWindows(slo, scheme).map((w) => ({
      record: recordName(formatDuration(w)),
      expr: errorRatioExpr(slo, w),
      labels: { relia_service: slo.service, relia_slo: slo.name, ...slo.labels },
    }));
    if (slo.window.type === 'calendar') {
      warnings.push(`${slo.id}: the calendar ${slo.window.unit} is approximated by a nominal ${formatDuration(periodSeconds(slo.window))} period in the rules (burn factors and the ${formatDuration(periodSeconds(slo.window))} recording rule)`);
    }
    for (const tier of ['page', 'ticket'] as const) {
      if (!options[tier] || slo.alerting?.[tier].enabled === false) continue;
      const conditions = tierConditions(slo, tier, scheme);
      const sets = scheme === 'pyrra' ? conditions.map((c) => [c]) : [conditions];
      for (const set of sets) rules.push(alertRule(slo, tier, set, scheme));
    }
    rules.push(...absentRules(slo, scheme));
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
