/**
 * OpenSLO v1alpha (`apiVersion: openslo/v1alpha`, `kind: SLO`), the version
 * Sloth reads: `objectives[].ratioMetrics` with `good`/`total` queries
 * (`source: prometheus`, `queryType: promql`), `target` as a fraction,
 * `timeWindows` as a count of days. Every objective is its own SLO, named
 * `<name>-<index>` as Sloth names them. What Sloth does not read of v1alpha
 * (thresholdMetric, Timeslices, calendar windows, other units and sources) is
 * refused by name with a fix. Mapping: docs/budget-specs.md#openslo-v1alpha.
 * Pure.
 */
import { z } from 'zod';
import type { SliDefinition, SloDefinition, SloWindow } from '../model.js';
import { formatPath } from '../../validation.js';
import { windowFromSeconds } from './native.js';
import { ALERT_POLICIES, Name, sloShell } from './openslo.js';
import type { RangeFunction } from './promql-window.js';
import { SLOTH_PERIOD_SECONDS } from './sloth.js';
import { checkLabels, checkQuery, describeValue, expecting, isPlainObject, parseFields, strict, tidy, type DocContext, type Path, type ProblemList } from './common.js';

export const OPENSLO_V1ALPHA = 'openslo/v1alpha';

const MetricSource = strict({
  source: z.string(expecting('a data source such as prometheus')),
  queryType: z.string(expecting('a query type such as promql')),
  query: z.string(expecting('a PromQL query')),
  // The README's optional data-source details: a known field, refused below.
  metadata: z.unknown().optional(),
});

const RatioMetrics = strict({
  counter: z.boolean(expecting('true or false')).optional(),
  // The name `counter` had before 2021-09; the OpenSLO Go SDK still writes it.
  incremental: z.boolean(expecting('true or false')).optional(),
  good: MetricSource.optional(),
  bad: MetricSource.optional(),
  total: MetricSource.optional(),
});

const Objective = strict({
  displayName: z.string(expecting('a display name (a string)')).optional(),
  target: z.number(expecting('a fraction such as 0.999')),
  ratioMetrics: RatioMetrics.optional(),
  // Written by the OpenSLO SDK on every objective; used only with a thresholdMetric, which is refused.
  value: z.number(expecting('a number')).optional(),
  // Known fields relia cannot honour here, each refused by name below.
  op: z.unknown().optional(),
  timeSliceTarget: z.unknown().optional(),
});

const TimeWindow = strict({
  count: z.number(expecting('a whole number of days such as 30')).int({ error: 'expected a whole number of days such as 30' }).positive({ error: 'expected a whole number of days above 0' }),
  unit: z.string(expecting('Day')),
  isRolling: z.boolean(expecting('true or false')).optional(),
  calendar: z.unknown().optional(),
});

const SloSpec = strict({
  description: z.string(expecting('a description (a string)')).optional(),
  service: Name,
  budgetingMethod: z.string(expecting('Occurrences')),
  timeWindows: z.array(TimeWindow, expecting('a list with one time window')).optional(),
  objectives: z.array(Objective, expecting('a list of objectives, each with ratioMetrics and target')),
  indicator: z.unknown().optional(),
  alertPolicies: z.unknown().optional(),
});

const Shell = sloShell(OPENSLO_V1ALPHA);

type ObjectiveT = z.output<typeof Objective>;
type MetricSourceT = z.output<typeof MetricSource>;
type TimeWindowT = z.output<typeof TimeWindow>;

const DAY = 86_400;
/** v1alpha units relia can express as days, for the fix line. */
const DAYS_PER_UNIT: Record<string, number> = { week: 7 };

function convertWindow(problems: ProblemList, ctx: DocContext, path: Path, windows: TimeWindowT[] | undefined): SloWindow | undefined {
  // Sloth: no time window means its default SLO period (30d).
  if (windows === undefined) return windowFromSeconds(SLOTH_PERIOD_SECONDS);
  if (windows.length !== 1) {
    problems.add(ctx, path, `expected exactly one time window, got ${windows.length}`, 'keep one item, e.g. - {count: 30, unit: Day}');
    return undefined;
  }
  const w = windows[0] as TimeWindowT;
  const at = [...path, 0];
  // A window refused below is still returned: parseOpenSloV1alpha makes no SLO after any problem.
  if (w.calendar !== undefined) {
    problems.add(
      ctx,
      [...at, 'calendar'],
      'calendar-aligned windows are not supported in openslo/v1alpha: relia, like Sloth, reads a v1alpha window as a rolling count of days',
      'remove calendar and isRolling for a rolling window, or convert the SLO to openslo/v1 (timeWindow: [{duration: 1M, calendar: {startTime, timeZone: UTC}}])',
    );
  } else if (w.isRolling === false) {
    problems.add(
      ctx,
      [...at, 'isRolling'],
      'isRolling: false without calendar is neither a rolling nor a calendar-aligned window',
      'set isRolling: true (or remove it): relia, like Sloth, reads the window as a rolling count of days',
    );
  }
  if (w.unit.toLowerCase() !== 'day') {
    const perUnit = DAYS_PER_UNIT[w.unit.toLowerCase()];
    problems.add(
      ctx,
      [...at, 'unit'],
      `unit ${JSON.stringify(w.unit)} is not supported: relia, like Sloth, reads openslo/v1alpha windows in days only`,
      perUnit !== undefined ? `write count: ${w.count * perUnit}, unit: Day` : 'write the window in days, e.g. count: 30, unit: Day (or use openslo/v1 for other durations)',
    );
  }
  // count is a whole number above 0 (the schema), so the window is at least a day: nothing for checkRollingSeconds to refuse.
  return windowFromSeconds(w.count * DAY);
}

/** Query of one `good`/`bad`/`total` source: Prometheus (or Sloth) PromQL, else a problem. */
function metricQuery(problems: ProblemList, ctx: DocContext, path: Path, m: MetricSourceT, windowless: RangeFunction, state: { foreign: boolean }): string | undefined {
  const source = m.source.toLowerCase();
  if (source !== 'prometheus' && source !== 'sloth') {
    // One problem per objective: a foreign source's query type and query are not relia's to judge.
    if (!state.foreign) problems.add(ctx, [...path, 'source'], `source ${JSON.stringify(m.source)} is not supported: relia reads Prometheus only`, 'express the SLI as PromQL with source: prometheus and queryType: promql');
    state.foreign = true;
    return undefined;
  }
  // A refused queryType or metadata drops the SLI without dropping its query here: convertRatio keeps no SLI after any problem.
  if (m.queryType.toLowerCase() !== 'promql') {
    problems.add(ctx, [...path, 'queryType'], `queryType ${JSON.stringify(m.queryType)} is not supported: expected promql`, 'write queryType: promql and a PromQL query');
  }
  if (m.metadata !== undefined) {
    problems.add(ctx, [...path, 'metadata'], 'metadata (data-source details) is not supported: only query is read', 'remove metadata; put everything into the PromQL query');
  }
  return checkQuery(problems, ctx, [...path, 'query'], m.query, windowless);
}

function convertRatio(problems: ProblemList, ctx: DocContext, path: Path, r: NonNullable<ObjectiveT['ratioMetrics']>): SliDefinition | undefined {
  const before = problems.count;
  if (r.counter !== undefined && r.incremental !== undefined && r.counter !== r.incremental) {
    problems.add(ctx, [...path, 'incremental'], `incremental: ${r.incremental} contradicts counter: ${r.counter} (incremental is counter's earlier name)`, 'keep only counter');
  }
  // Queries without {{.window}}: counters get rate() over the window, gauges avg_over_time(), as in openslo/v1.
  const windowless: RangeFunction = (r.counter ?? r.incremental) === false ? 'avg_over_time' : 'rate';
  if (r.total === undefined) problems.add(ctx, [...path, 'total'], 'required: expected total (the denominator) with good', 'add total: {source: prometheus, queryType: promql, query: ...}');
  if ((r.good === undefined) === (r.bad === undefined)) {
    problems.add(ctx, path, r.good === undefined ? 'expected good (or bad) with total' : 'expected exactly one of good or bad, with total', r.good === undefined ? 'add good: {source: prometheus, queryType: promql, query: ...}' : 'keep good (Sloth reads good/total)');
  }
  // Stryker disable next-line ObjectLiteral: equivalent, a missing foreign is read as false, like foreign: false
  const state = { foreign: false };
  const q = (field: 'good' | 'bad' | 'total') => {
    const m = r[field];
    return m === undefined ? undefined : metricQuery(problems, ctx, [...path, field], m, windowless, state);
  };
  const good = q('good');
  const bad = q('bad');
  const total = q('total');
  // Stryker disable next-line LogicalOperator: equivalent, total is undefined only after a problem, and parseOpenSloV1alpha makes no SLO after any problem
  if (problems.count > before || total === undefined) return undefined;
  if (good !== undefined) return { type: 'ratio', good, total };
  // No problem so far: exactly one of good and bad is set (else a problem above), and its query was read (metricQuery returns nothing only after a problem).
  return { type: 'ratio', bad: bad as string, total };
}

/** What the spec-level checks reported already, so an objective does not repeat it. */
interface Reported {
  indicator: boolean;
  timeslices: boolean;
}

/** An objective's SLI, after reporting what is wrong with the objective; parseOpenSloV1alpha makes no SLO after any problem. */
function convertObjective(problems: ProblemList, ctx: DocContext, path: Path, o: ObjectiveT, reported: Reported): SliDefinition | undefined {
  if (!(o.target > 0 && o.target < 1)) {
    problems.add(
      ctx,
      [...path, 'target'],
      `expected a fraction above 0 and below 1, got ${o.target}`,
      o.target > 1 && o.target < 100 ? `write target: ${tidy(o.target / 100)} (OpenSLO targets are fractions)` : 'write e.g. target: 0.999',
    );
  }
  if (o.op !== undefined && !reported.indicator) problems.add(ctx, [...path, 'op'], 'op applies only to a thresholdMetric, which openslo/v1alpha support does not include', 'remove op');
  if (o.timeSliceTarget !== undefined && !reported.timeslices) problems.add(ctx, [...path, 'timeSliceTarget'], 'timeSliceTarget applies only with budgetingMethod: Timeslices, which is not supported in openslo/v1alpha', 'remove timeSliceTarget');
  if (o.ratioMetrics !== undefined) return convertRatio(problems, ctx, [...path, 'ratioMetrics'], o.ratioMetrics);
  if (!reported.indicator) problems.add(ctx, [...path, 'ratioMetrics'], 'required: expected ratioMetrics with good and total', 'add ratioMetrics: {good: {source: prometheus, queryType: promql, query: ...}, total: {...}}');
  return undefined;
}

/** Parse an `openslo/v1alpha` `SLO` document: one SLO per objective. */
export function parseOpenSloV1alpha(data: Record<string, unknown>, ctx: DocContext, problems: ProblemList): SloDefinition[] {
  const before = problems.count;
  const root = parseFields(Shell, data, problems, ctx);
  const spec = isPlainObject(root.values.spec) ? parseFields(SloSpec, root.values.spec, problems, ctx, ['spec']).values : {};
  if (spec.alertPolicies !== undefined) problems.add(ctx, ['spec', 'alertPolicies'], ALERT_POLICIES.message, ALERT_POLICIES.fix);
  if (spec.indicator !== undefined) {
    problems.add(
      ctx,
      ['spec', 'indicator'],
      'indicator (thresholdMetric) is not supported in openslo/v1alpha: relia, like Sloth, reads only objectives[].ratioMetrics',
      'give each objective ratioMetrics with good and total, or convert the SLO to openslo/v1 (thresholdMetric with budgetingMethod: Timeslices)',
    );
  }
  const method = spec.budgetingMethod;
  if (method === 'Timeslices') {
    problems.add(
      ctx,
      ['spec', 'budgetingMethod'],
      'budgetingMethod Timeslices is not supported in openslo/v1alpha: v1alpha has no timeSliceWindow, so the slice length is unknown (Sloth computes occurrences whatever is written)',
      'write budgetingMethod: Occurrences, or convert the SLO to openslo/v1 with timeSliceWindow',
    );
  } else if (method !== undefined && method !== 'Occurrences') {
    problems.add(ctx, ['spec', 'budgetingMethod'], `expected Occurrences, got ${describeValue(method)}`, method.toLowerCase() === 'occurrences' ? 'write Occurrences' : 'write budgetingMethod: Occurrences');
  }
  // A spec that is not a mapping was reported; its window is then the default one, unused.
  const window = convertWindow(problems, ctx, ['spec', 'timeWindows'], spec.timeWindows);
  const objectives = spec.objectives ?? [];
  if (spec.objectives !== undefined && objectives.length === 0) problems.add(ctx, ['spec', 'objectives'], 'expected at least one objective', 'add an objective with ratioMetrics and target');
  const reported: Reported = { indicator: spec.indicator !== undefined, timeslices: method === 'Timeslices' };
  const slis = objectives.map((o, i) => convertObjective(problems, ctx, ['spec', 'objectives', i], o, reported));
  const meta = root.values.metadata;
  const labels = checkLabels(problems, ctx, ['metadata', 'labels'], meta?.labels);
  if (problems.count > before || !meta || spec.service === undefined || !window) return [];
  const service = spec.service;
  const out: SloDefinition[] = [];
  objectives.forEach((o, i) => {
    const sli = slis[i];
    if (sli === undefined) return; // only after a problem (returned above); narrows the type
    // Sloth's naming: one SLO per objective, `<metadata.name>-<index>`.
    const name = `${meta.name}-${i}`;
    const slo: SloDefinition = {
      id: `${service}/${name}`,
      service,
      name,
      objective: tidy(o.target),
      window,
      budgeting: { method: 'occurrences' },
      sli,
      labels,
      source: { file: ctx.file, path: formatPath(['spec', 'objectives', i], ctx.prefix), format: 'openslo' },
    };
    const description = spec.description ?? meta.displayName;
    if (description !== undefined) slo.description = description;
    out.push(slo);
  });
  return out;
}
