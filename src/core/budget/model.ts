/**
 * The normalised SLO model. Every spec format (relia native YAML,
 * OpenSLO v1 and v1alpha, Sloth, Pyrra) parse into `SloDefinition`; the evaluation
 * engine, the gate and the rule generator only ever see this shape. Pure.
 *
 * Query templates hold the placeholder `{{.window}}` (the parsers normalise
 * OpenSLO's `[window]`-style and other spellings to it). A template evaluated
 * over window W returns a per-second rate averaged over W (Sloth's convention):
 * events over W = value × seconds(W).
 */

/** Where a definition came from, for error messages: file plus the document's path inside it. */
export interface SourceRef {
  file: string;
  /** Field path of the SLO inside the file, e.g. `slos[2]` or `documents[1]`. */
  path: string;
  format: 'relia' | 'openslo' | 'sloth' | 'pyrra';
}

export type SliDefinition =
  /** Event-based: good/total or bad/total (exactly one of good/bad). */
  | { type: 'ratio'; good?: string; bad?: string; total: string }
  /** A query returning the error ratio over {{.window}} directly (Sloth `sli.raw`). */
  | { type: 'error-ratio'; query: string }
  /**
   * OpenSLO thresholdMetric, only with timeslice budgeting: a slice is good
   * when `query` (evaluated over the slice) compares `op` against `value`.
   */
  | { type: 'threshold'; query: string; op: 'lt' | 'lte' | 'gt' | 'gte'; value: number };

export type SloWindow =
  | { type: 'rolling'; seconds: number; /** as written, e.g. `30d` */ label: string }
  | { type: 'calendar'; unit: 'day' | 'week' | 'month' | 'quarter' | 'year'; /** IANA zone; only UTC is supported */ timeZone: 'UTC'; label: string };

export type Budgeting =
  | { method: 'occurrences' }
  /** A slice of `sliceSeconds` is good when its SLI ≥ `sliceTarget` (ratio) or its threshold holds. */
  | { method: 'timeslices'; sliceSeconds: number; sliceTarget: number };

export interface SloDefinition {
  /** Unique within one run: `<service>/<name>`. */
  id: string;
  service: string;
  name: string;
  description?: string;
  /** A fraction in (0, 1), e.g. 0.999. */
  objective: number;
  window: SloWindow;
  budgeting: Budgeting;
  sli: SliDefinition;
  labels: Record<string, string>;
  /** Per-SLO policy overrides, merged over the policy file (see ./policy.ts). */
  policy?: PolicyOverrides;
  /**
   * How `relia budget rules` names, labels and annotates this SLO's burn-rate
   * alerts (native `alerting:`, Sloth `alerting:`). Absent: the defaults.
   * Additive field, used only by ./rules.ts.
   */
  alerting?: SloAlerting;
  source: SourceRef;
}

/** One alert tier (page or ticket) of an SLO's generated burn-rate alerts. */
export interface AlertTierSettings {
  /** False switches this tier off for this SLO (Sloth `disable: true`). */
  enabled: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Alert naming for the generated multiwindow multi-burn-rate alerts. */
export interface SloAlerting {
  /** Alert name used by both tiers; absent: relia's default name. */
  name?: string;
  /** Labels and annotations on both tiers' alerts (tier settings win on conflicts). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  page: AlertTierSettings;
  ticket: AlertTierSettings;
  /** Alerts when a metric of the SLI is absent (Pyrra's `alerting.absent`); absent: none. */
  absent?: AbsentAlerting;
}

/** An absent-metric alert: `absent(selector) == 1` for each selector. */
export interface AbsentAlerting {
  /** Alert name; absent: `SLOMetricAbsent`. */
  name?: string;
  /** Series selectors whose absence means the SLI cannot be measured. */
  selectors: string[];
  /** The alert's `severity` label; absent: `page` (`critical` for Pyrra specs). */
  severity?: string;
}

/** Per-SLO overrides: any subset of the policy's fields (validated by ./policy.ts). */
export type PolicyOverrides = Record<string, unknown>;

/** Fill a query template for one window. */
export function renderQuery(template: string, windowLabel: string): string {
  return template.replaceAll('{{.window}}', windowLabel);
}
