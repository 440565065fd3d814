/**
 * Pyrra's Kubernetes resource (`apiVersion: pyrra.dev/v1alpha1`,
 * `kind: ServiceLevelObjective`, as defined by Pyrra's
 * kubernetes/api/v1alpha1/servicelevelobjective_types.go): the `ratio`,
 * `latency` (histogram buckets) and `bool_gauge` indicators over series
 * selectors, `target` as a percent string, `window`, `grouping`, and
 * `alerting` (disabled/burnrates, name, absent, absentName, severities).
 * The SLI expressions are Pyrra's own: errors/total rates, 1 − success/total
 * rates, and (count − sum)/count over time for a boolean gauge.
 * Mapping: docs/budget-specs.md#pyrra. Pure.
 */
import { z } from 'zod';
import type { AlertTierSettings, SliDefinition, SloAlerting, SloDefinition } from '../model.js';
import { checkRollingSeconds, specDuration } from './native.js';
import { isVectorSelector } from './promql-window.js';
import {
  AlertName,
  checkLabels,
  checkQuery,
  describeValue,
  expecting,
  NAME_RE,
  parseFields,
  percentToFraction,
  strict,
  subContext,
  tidy,
  type DocContext,
  type Path,
  type ProblemList,
} from './common.js';

const Query = strict({ metric: z.string(expecting('a series selector such as http_requests_total{job="api"}')) });
const Grouping = z.array(z.string(expecting('a label name')), expecting('a list of label names')).optional();

const Indicator = strict({
  ratio: strict({ errors: Query, total: Query, grouping: Grouping }).optional(),
  latency: strict({ success: Query, total: Query, grouping: Grouping }).optional(),
  latencyNative: z.unknown().optional(),
  bool_gauge: strict({ metric: z.string(expecting('a series selector of a 0/1 gauge')), grouping: Grouping }).optional(),
});

const Alerting = strict({
  disabled: z.boolean(expecting('true or false')).optional(),
  burnrates: z.boolean(expecting('true or false')).optional(),
  absent: z.boolean(expecting('true or false')).optional(),
  name: AlertName.optional(),
  absentName: AlertName.optional(),
  severities: strict({
    absent: z.string(expecting('a severity label value')).optional(),
    fastBurn: z.string(expecting('a severity label value')).optional(),
    mediumBurn: z.string(expecting('a severity label value')).optional(),
    slowBurn: z.string(expecting('a severity label value')).optional(),
    longTermBurn: z.string(expecting('a severity label value')).optional(),
  }).optional(),
});

const Spec = strict({
  description: z.string(expecting('a description (a string)')).optional(),
  target: z.union([z.string(), z.number()], expecting('a percentage such as "99.9"')),
  window: z.string(expecting('a Prometheus duration such as 28d or 2w')),
  indicator: Indicator,
  alerting: Alerting.optional(),
  // Rule-output tuning of Pyrra's own generator: accepted, not used (relia writes its own rules).
  partial_response_strategy: z.string().optional(),
  performanceOverAccuracy: z.boolean().optional(),
  ruleOutput: z.unknown().optional(),
});

const Metadata = z
  .object({
    name: z.string(expecting('a name such as api-errors')).regex(NAME_RE, { error: 'expected a name: letters, digits, ".", "_" or "-", starting and ending with a letter or digit' }),
    namespace: z.string(expecting('a Kubernetes namespace')).regex(NAME_RE, { error: 'expected a Kubernetes namespace name' }).optional(),
    labels: z.record(z.string(), z.string(expecting('a label value (a string)'))).optional(),
  })
  .loose();

const Shell = strict({
  apiVersion: z.literal('pyrra.dev/v1alpha1'),
  kind: z.literal('ServiceLevelObjective'),
  metadata: Metadata,
  spec: z.record(z.string(), z.unknown(), expecting('a mapping (the SLO spec)')),
  status: z.unknown().optional(),
});

/** Pyrra copies metadata labels with this prefix onto its rules (without the prefix). */
const RULE_LABEL_PREFIX = 'pyrra.dev/';

type IndicatorT = z.output<typeof Indicator>;

function selector(problems: ProblemList, ctx: DocContext, path: Path, metric: string): string | undefined {
  if (!isVectorSelector(metric)) {
    problems.add(ctx, path, `expected a series selector such as http_requests_total{code=~"5.."}, got ${describeValue(metric)}`, 'Pyrra applies rate() itself: give the bare counter selector, without functions or ranges');
    return undefined;
  }
  return metric.trim();
}

/** `sum by (grouping) (` … `)`, or `sum(` … `)`. */
function sumBy(grouping: readonly string[] | undefined, inner: string): string {
  return grouping && grouping.length > 0 ? `sum by (${grouping.join(', ')}) (${inner})` : `sum(${inner})`;
}

function convertIndicator(problems: ProblemList, ctx: DocContext, path: Path, ind: IndicatorT): { sli: SliDefinition; selectors: string[] } | undefined {
  if (ind.latencyNative !== undefined) {
    problems.add(ctx, [...path, 'latencyNative'], 'latencyNative (native histograms) is not supported', 'use latency with classic histogram buckets (success: the _bucket series with le, total: the _count series)');
    return undefined;
  }
  const set = (['ratio', 'latency', 'bool_gauge'] as const).filter((k) => ind[k] !== undefined);
  if (set.length !== 1) {
    problems.add(ctx, path, set.length === 0 ? 'required: expected one of ratio, latency or bool_gauge' : `expected exactly one of ratio, latency or bool_gauge, got ${set.join(', ')}`, 'keep one indicator per SLO');
    return undefined;
  }
  const w = '[{{.window}}]';
  const check = (field: Path, query: string) => checkQuery(problems, ctx, [...path, ...field], query);
  if (ind.ratio) {
    const errors = selector(problems, ctx, [...path, 'ratio', 'errors', 'metric'], ind.ratio.errors.metric);
    const total = selector(problems, ctx, [...path, 'ratio', 'total', 'metric'], ind.ratio.total.metric);
    // Stryker disable next-line LogicalOperator: equivalent, a selector is undefined only after a problem, which drops the SLO; the query built with the text "undefined" is valid PromQL, so it adds no problem
    if (!errors || !total) return undefined;
    const g = ind.ratio.grouping;
    const bad = sumBy(g, `rate(${errors}${w})`);
    const all = sumBy(g, `rate(${total}${w})`);
    // Grouped: one error ratio per group (the worst group decides budget check); otherwise events add up.
    const sli: SliDefinition = g && g.length > 0 ? { type: 'error-ratio', query: check(['ratio'], `${bad} / ${all}`) ?? '' } : { type: 'ratio', bad: check(['ratio', 'errors'], bad) ?? '', total: check(['ratio', 'total'], all) ?? '' };
    return { sli, selectors: [total] };
  }
  if (ind.latency) {
    const success = selector(problems, ctx, [...path, 'latency', 'success', 'metric'], ind.latency.success.metric);
    const total = selector(problems, ctx, [...path, 'latency', 'total', 'metric'], ind.latency.total.metric);
    if (!success || !total) return undefined;
    if (!/\ble\s*=\s*"/.test(success)) {
      problems.add(ctx, [...path, 'latency', 'success', 'metric'], 'expected a histogram bucket selector with an le="…" matcher', 'select the bucket of the latency target, e.g. http_request_duration_seconds_bucket{le="0.1"}');
      return undefined;
    }
    const g = ind.latency.grouping;
    const good = sumBy(g, `rate(${success}${w})`);
    const all = sumBy(g, `rate(${total}${w})`);
    const sli: SliDefinition = g && g.length > 0 ? { type: 'error-ratio', query: check(['latency'], `1 - (${good} / ${all})`) ?? '' } : { type: 'ratio', good: check(['latency', 'success'], good) ?? '', total: check(['latency', 'total'], all) ?? '' };
    return { sli, selectors: [total, success] };
  }
  const gauge = ind.bool_gauge as NonNullable<IndicatorT['bool_gauge']>;
  const metric = selector(problems, ctx, [...path, 'bool_gauge', 'metric'], gauge.metric);
  if (!metric) return undefined;
  // Every sample of a 0/1 gauge is one observation: the error ratio is the share of 0 samples.
  const query = `(${sumBy(gauge.grouping, `count_over_time(${metric}${w})`)} - ${sumBy(gauge.grouping, `sum_over_time(${metric}${w})`)}) / ${sumBy(gauge.grouping, `count_over_time(${metric}${w})`)}`;
  const checked = check(['bool_gauge'], query);
  return checked === undefined ? undefined : { sli: { type: 'error-ratio', query: checked }, selectors: [metric] };
}

function tierSettings(enabled: boolean, severity: string | undefined): AlertTierSettings {
  return { enabled, labels: severity === undefined ? {} : { severity }, annotations: {} };
}

function convertPyrraAlerting(problems: ProblemList, ctx: DocContext, path: Path, a: z.output<typeof Alerting> | undefined, selectors: string[]): SloAlerting {
  const burn = a?.disabled !== true && a?.burnrates !== false;
  const sev = a?.severities;
  // relia's page tier is Pyrra's fast and medium burn, the ticket tier its slow and long-term burn.
  for (const [x, y] of [['fastBurn', 'mediumBurn'], ['slowBurn', 'longTermBurn']] as const) {
    if (sev?.[x] !== undefined && sev[y] !== undefined && sev[x] !== sev[y]) {
      problems.add(ctx, [...path, 'severities', y], `${y} must equal ${x}: relia alerts on them as one tier`, `set both to ${JSON.stringify(sev[x])}, or leave ${y} out`);
    }
  }
  const out: SloAlerting = {
    labels: {},
    annotations: {},
    page: tierSettings(burn, sev?.fastBurn ?? sev?.mediumBurn),
    ticket: tierSettings(burn, sev?.slowBurn ?? sev?.longTermBurn),
  };
  if (a?.name !== undefined) out.name = a.name;
  if (a?.absent !== false) {
    out.absent = { selectors };
    if (a?.absentName !== undefined) out.absent.name = a.absentName;
    if (sev?.absent !== undefined) out.absent.severity = sev.absent;
  }
  return out;
}

/** Parse one `pyrra.dev/v1alpha1` `ServiceLevelObjective`. */
export function parsePyrraDocument(data: Record<string, unknown>, ctx: DocContext, problems: ProblemList): SloDefinition[] {
  const before = problems.count;
  const shell = parseFields(Shell, data, problems, ctx);
  const meta = shell.values.metadata;
  if (!shell.values.spec) return [];
  const sctx = subContext(ctx, ['spec']);
  const { values: spec } = parseFields(Spec, shell.values.spec, problems, sctx);

  let objective: number | undefined;
  if (spec.target !== undefined) {
    const f = percentToFraction(spec.target, { min: 0, max: 100, maxInclusive: false });
    if (typeof f === 'string') problems.add(sctx, ['target'], f, 'write the target in percent as a string, e.g. target: "99.9"');
    else if (f <= 0.01) {
      // The percent Pyrra reads, and the one a fraction would mean (tidied: 0.07 × 100 is 7.000000000000001).
      const read = tidy(f * 100);
      const meant = tidy(read * 100);
      const fix = meant < 100 ? `write target: "${meant}" if you meant ${meant}%` : 'write the target in percent, e.g. target: "99.9" (100% leaves no error budget)';
      problems.add(sctx, ['target'], `target ${JSON.stringify(spec.target)} is read as ${read}%: Pyrra targets are percentages`, fix);
    }
    else objective = f;
  }
  const seconds = spec.window === undefined ? undefined : specDuration(problems, sctx, ['window'], spec.window);
  const window = seconds === undefined ? undefined : checkRollingSeconds(problems, sctx, ['window'], seconds);
  const indicator = spec.indicator === undefined ? undefined : convertIndicator(problems, sctx, ['indicator'], spec.indicator);

  // Labels: Pyrra puts the pyrra.dev/-prefixed metadata labels on its rules; the others select the PrometheusRule.
  const ruleLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta?.labels ?? {})) if (k.startsWith(RULE_LABEL_PREFIX)) ruleLabels[k] = v;
  const labels = checkLabels(problems, ctx, ['metadata', 'labels'], ruleLabels, 'label', RULE_LABEL_PREFIX);
  const alerting = indicator ? convertPyrraAlerting(problems, sctx, ['alerting'], spec.alerting, indicator.selectors) : undefined;

  // A field that failed its schema was reported (problems.count); the other tests narrow the types.
  if (problems.count > before || !meta || !window || !indicator || objective === undefined || !alerting) return [];
  const service = meta.namespace ?? 'default';
  const slo: SloDefinition = {
    id: `${service}/${meta.name}`,
    service,
    name: meta.name,
    objective,
    window,
    budgeting: { method: 'occurrences' },
    sli: indicator.sli,
    labels,
    alerting,
    source: { file: ctx.file, path: ctx.prefix, format: 'pyrra' },
  };
  if (spec.description !== undefined && spec.description !== '') slo.description = spec.description;
  return [slo];
}
