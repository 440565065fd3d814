/**
 * OpenSLO v1 (`apiVersion: openslo/v1`): `SLO` documents with an inline
 * `indicator` or an `indicatorRef` to an `SLI` document of the same input.
 * Whatever relia cannot honour is a problem naming the field, never silently
 * dropped. Mapping: docs/budget-specs.md#openslo-v1. Pure.
 */
import { z } from 'zod';
import type { Budgeting, SliDefinition, SloDefinition, SloWindow } from '../model.js';
import { calendarWindow, checkRollingSeconds } from './native.js';
import type { RangeFunction } from './promql-window.js';
import {
  checkLabels,
  checkQuery,
  describeValue,
  expecting,
  LabelValue,
  NAME_RE,
  parseFields,
  parseShape,
  percentToFraction,
  strict,
  tidy,
  type DocContext,
  type FieldValues,
  type Path,
  type ProblemList,
} from './common.js';

export const Name = z
  .string(expecting('a name such as checkout-availability'))
  .regex(NAME_RE, { error: 'expected a name: letters, digits, ".", "_" or "-", starting and ending with a letter or digit' });

export const Metadata = strict({
  name: Name,
  displayName: z.string(expecting('a display name (a string)')).optional(),
  labels: z.record(z.string(), z.union([LabelValue, z.array(z.string())], { error: (i) => `expected a label value (a string or a list of strings), got ${describeValue(i.input)}` })).optional(),
  annotations: z.record(z.string(), z.string(expecting('an annotation value (a string)'))).optional(),
});

const MetricSource = strict({
  metricSourceRef: z.string().optional(),
  type: z.string(expecting('a metric source type such as Prometheus')).optional(),
  spec: z.record(z.string(), z.unknown(), expecting('a mapping holding query')),
});

const MetricSpec = strict({ metricSource: MetricSource });

const RatioMetric = strict({
  counter: z.boolean(expecting('true or false')).optional(),
  good: MetricSpec.optional(),
  bad: MetricSpec.optional(),
  total: MetricSpec.optional(),
  rawType: z.enum(['success', 'failure'], expecting('success or failure')).optional(),
  raw: MetricSpec.optional(),
});

const SliSpec = strict({
  description: z.string(expecting('a description (a string)')).optional(),
  thresholdMetric: MetricSpec.optional(),
  ratioMetric: RatioMetric.optional(),
});

const InlineIndicator = strict({ metadata: Metadata, spec: SliSpec });

export const OpenSloSliSchema = strict({
  apiVersion: z.literal('openslo/v1'),
  kind: z.literal('SLI'),
  metadata: Metadata,
  spec: SliSpec,
});

const TimeWindow = strict({
  duration: z.string(expecting('a duration shorthand such as 28d or 1M')),
  isRolling: z.boolean(expecting('true or false')).optional(),
  calendar: strict({
    startTime: z.string(expecting('a start time such as "2026-01-01 00:00:00"')),
    timeZone: z.string(expecting('an IANA time zone; only UTC is supported')),
  }).optional(),
});

const Objective = strict({
  displayName: z.string(expecting('a display name (a string)')).optional(),
  op: z.enum(['lt', 'lte', 'gt', 'gte'], expecting('one of lt, lte, gt, gte')).optional(),
  value: z.number(expecting('a number')).optional(),
  target: z.number(expecting('a fraction such as 0.999')).optional(),
  targetPercent: z.number(expecting('a percentage such as 99.9')).optional(),
  timeSliceTarget: z.number(expecting('a fraction such as 0.95')).optional(),
  timeSliceWindow: z.union([z.number(), z.string()], { error: 'expected a duration such as 1m, or a number of minutes' }).optional(),
  // Known OpenSLO fields relia cannot honour (each is reported below, by name).
  indicator: z.unknown().optional(),
  indicatorRef: z.unknown().optional(),
  compositeWeight: z.unknown().optional(),
});

const SloSpec = strict({
  description: z.string(expecting('a description (a string)')).optional(),
  service: Name,
  indicator: InlineIndicator.optional(),
  indicatorRef: z.string(expecting('the name of an SLI document')).optional(),
  timeWindow: z.array(TimeWindow, expecting('a list with one time window')),
  budgetingMethod: z.string(expecting('Occurrences or Timeslices')),
  objectives: z.array(Objective, expecting('a list with one objective')),
  alertPolicies: z.unknown().optional(),
});

/** The shell of an OpenSLO `SLO` document of `apiVersion`; its `spec` is validated field by field. */
export function sloShell<V extends string>(apiVersion: V) {
  return strict({
    apiVersion: z.literal(apiVersion),
    kind: z.literal('SLO'),
    metadata: Metadata,
    spec: z.record(z.string(), z.unknown(), expecting('a mapping (the SLO spec)')),
  });
}

const SloShell = sloShell('openslo/v1');

type SliSpecT = z.output<typeof SliSpec>;
type MetricSpecT = z.output<typeof MetricSpec>;
type ObjectiveT = z.output<typeof Objective>;

/** An SLI document (or inline indicator), converted once; `sli` undefined when it had problems. */
export interface ParsedSli {
  kind: 'ratio' | 'threshold';
  /** Ratio SLIs are complete; threshold SLIs get op/value from the SLO's objective. */
  sli?: SliDefinition;
  thresholdQuery?: string;
}

/** What one SLI conversion shares between its metric sources. */
interface MetricContext {
  /** `DataSource` documents of the input: name → type. */
  sources: ReadonlyMap<string, string>;
  /** A non-Prometheus source was reported already: report it once, not per query. */
  foreign: boolean;
}

function sourceType(src: MetricSpecT['metricSource'], mc: MetricContext): string | undefined {
  if (src.type !== undefined) return src.type;
  return src.metricSourceRef === undefined ? undefined : mc.sources.get(src.metricSourceRef);
}

function metricQuery(problems: ProblemList, ctx: DocContext, path: Path, m: MetricSpecT, mc: MetricContext, windowless?: RangeFunction): string | undefined {
  const src = m.metricSource;
  const at = [...path, 'metricSource'];
  const type = sourceType(src, mc);
  if (type === undefined) {
    if (src.metricSourceRef !== undefined) {
      problems.add(
        ctx,
        [...at, 'metricSourceRef'],
        `no DataSource document named ${JSON.stringify(src.metricSourceRef)} in the input, and no type`,
        'add type: Prometheus next to metricSourceRef (relia queries the Prometheus given by --prometheus or the config environment)',
      );
    } else problems.add(ctx, [...at, 'type'], 'required: expected Prometheus', 'set metricSource.type: Prometheus');
    return undefined;
  }
  if (type.toLowerCase() !== 'prometheus') {
    // One problem per SLI: the rest of a foreign source (its spec keys, its query language) is not relia's to judge.
    if (!mc.foreign) {
      problems.add(ctx, [...at, src.type !== undefined ? 'type' : 'metricSourceRef'], `metric source type ${JSON.stringify(type)} is not supported: relia reads Prometheus only`, 'express the SLI as a PromQL query with type: Prometheus');
    }
    mc.foreign = true;
    return undefined;
  }
  // A refused key drops the SLI without dropping its query here: convertSli keeps no SLI after any problem.
  for (const key of Object.keys(src.spec)) {
    if (key !== 'query') problems.add(ctx, [...at, 'spec', key], `${JSON.stringify(key)} is not supported in a Prometheus metric source: only query is read`, 'remove it; put everything into the PromQL query');
  }
  const query = src.spec.query;
  if (typeof query !== 'string') {
    problems.add(ctx, [...at, 'spec', 'query'], query === undefined ? 'required: expected a PromQL query' : `expected a PromQL query, got ${describeValue(query)}`, 'set spec.query to the PromQL query');
    return undefined;
  }
  return checkQuery(problems, ctx, [...at, 'spec', 'query'], query, windowless);
}

/** Convert an SLI (an SLI document or an inline indicator: `metadata` and `spec` under `root`); any problem, refused labels too, leaves it without queries. */
export function convertSli(problems: ProblemList, ctx: DocContext, root: Path, sliDoc: { metadata: z.output<typeof Metadata>; spec: SliSpecT }, sources: ReadonlyMap<string, string> = new Map()): ParsedSli | undefined {
  const before = problems.count;
  rejectSliLabels(problems, ctx, [...root, 'metadata'], sliDoc.metadata);
  const path = [...root, 'spec'];
  const spec = sliDoc.spec;
  const mc: MetricContext = { sources, foreign: false };
  if ((spec.thresholdMetric === undefined) === (spec.ratioMetric === undefined)) {
    problems.add(ctx, path, 'expected exactly one of thresholdMetric or ratioMetric');
    return undefined;
  }
  if (spec.thresholdMetric) {
    const query = metricQuery(problems, ctx, [...path, 'thresholdMetric'], spec.thresholdMetric, mc);
    return query === undefined || problems.count > before ? { kind: 'threshold' } : { kind: 'threshold', thresholdQuery: query };
  }
  const r = spec.ratioMetric as NonNullable<SliSpecT['ratioMetric']>;
  const at = [...path, 'ratioMetric'];
  // Queries without {{.window}}: counters get rate() over the window, gauges avg_over_time() (./promql-window.ts).
  const windowless: RangeFunction = r.counter === false ? 'avg_over_time' : 'rate';
  const q = (field: 'good' | 'bad' | 'total' | 'raw') => {
    const m = r[field];
    return m === undefined ? undefined : metricQuery(problems, ctx, [...at, field], m, mc, field === 'raw' ? undefined : windowless);
  };
  if (r.raw !== undefined) {
    for (const f of ['good', 'bad', 'total'] as const) if (r[f] !== undefined) problems.add(ctx, [...at, f], `${f} cannot be used together with raw`);
    if (r.rawType === undefined) problems.add(ctx, [...at, 'rawType'], 'required with raw: expected success or failure');
    const raw = q('raw');
    // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent, a kind is only ever compared with 'threshold', so a missing or empty kind reads as 'ratio'
    if (raw === undefined || r.rawType === undefined || problems.count > before) return { kind: 'ratio' };
    return { kind: 'ratio', sli: { type: 'error-ratio', query: r.rawType === 'failure' ? raw : `1 - (${raw})` } };
  }
  if (r.rawType !== undefined) problems.add(ctx, [...at, 'rawType'], 'rawType applies only with raw', 'remove rawType');
  if (r.total === undefined) problems.add(ctx, [...at, 'total'], 'required: expected total with good or bad (or use raw with rawType)');
  if ((r.good === undefined) === (r.bad === undefined)) problems.add(ctx, at, 'expected exactly one of good or bad, with total');
  const good = q('good');
  const bad = q('bad');
  const total = q('total');
  // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent, a kind is only ever compared with 'threshold', so a missing or empty kind reads as 'ratio'
  if (problems.count > before || total === undefined) return { kind: 'ratio' };
  if (good !== undefined) return { kind: 'ratio', sli: { type: 'ratio', good, total } };
  // No problem so far: exactly one of good and bad is set (else a problem above), and its query was read (metricQuery returns nothing only after a problem).
  return { kind: 'ratio', sli: { type: 'ratio', bad: bad as string, total } };
}

/** Parse an `SLI` document for the reference table. */
export function parseOpenSloSli(data: Record<string, unknown>, ctx: DocContext, problems: ProblemList, sources: ReadonlyMap<string, string> = new Map()): ParsedSli | undefined {
  const doc = parseShape(OpenSloSliSchema, data, problems, ctx);
  if (!doc) return undefined;
  return convertSli(problems, ctx, [], doc, sources);
}

function rejectSliLabels(problems: ProblemList, ctx: DocContext, path: Path, metadata: z.output<typeof Metadata>): void {
  if (metadata.labels !== undefined && Object.keys(metadata.labels).length > 0) {
    problems.add(ctx, [...path, 'labels'], 'labels on an SLI are not used', "move them to the SLO's metadata.labels");
  }
}

const SHORTHAND = /^(\d+)([mhdwMQY])$/;
const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86_400, w: 7 * 86_400 };
const CALENDAR_UNIT = { d: 'day', w: 'week', M: 'month', Q: 'quarter', Y: 'year' } as const;

function convertTimeWindow(problems: ProblemList, ctx: DocContext, path: Path, windows: Array<z.output<typeof TimeWindow>>): SloWindow | undefined {
  if (windows.length !== 1) {
    problems.add(ctx, path, `expected exactly one time window, got ${windows.length}`);
    return undefined;
  }
  const w = windows[0] as z.output<typeof TimeWindow>;
  const at = [...path, 0];
  const m = SHORTHAND.exec(w.duration);
  if (!m) {
    problems.add(ctx, [...at, 'duration'], `expected a duration shorthand (a whole number and one of m, h, d, w, M, Q, Y), got ${describeValue(w.duration)}`, 'write e.g. 28d or 1M');
    return undefined;
  }
  const count = Number(m[1]);
  const unit = m[2] as string;
  if (w.calendar === undefined) {
    if (w.isRolling !== true) {
      problems.add(ctx, [...at, 'isRolling'], 'a window without calendar must be rolling: expected isRolling: true', 'set isRolling: true, or add calendar: {startTime, timeZone: UTC}');
      return undefined;
    }
    const size = UNIT_SECONDS[unit];
    if (size === undefined) {
      problems.add(ctx, [...at, 'duration'], `a rolling window needs a fixed length; ${w.duration} (months, quarters, years) varies`, 'write it in days, e.g. 30d or 90d');
      return undefined;
    }
    return checkRollingSeconds(problems, ctx, [...at, 'duration'], count * size);
  }
  if (w.isRolling === true) {
    problems.add(ctx, [...at, 'isRolling'], 'a calendar window cannot be rolling', 'remove isRolling (or set it to false)');
    return undefined;
  }
  const calUnit = CALENDAR_UNIT[unit as keyof typeof CALENDAR_UNIT];
  if (count !== 1 || calUnit === undefined) {
    problems.add(ctx, [...at, 'duration'], `calendar windows of ${w.duration} are not supported: expected one of 1d, 1w, 1M, 1Q, 1Y`);
    return undefined;
  }
  const tz = w.calendar.timeZone;
  if (!['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Zulu', 'Zulu'].includes(tz)) {
    problems.add(ctx, [...at, 'calendar', 'timeZone'], `calendar windows in time zone ${JSON.stringify(tz)} are not supported: only UTC`, 'use timeZone: UTC, or a rolling window');
    return undefined;
  }
  const problem = startTimeProblem(w.calendar.startTime, calUnit);
  if (problem) {
    problems.add(ctx, [...at, 'calendar', 'startTime'], problem, `windows start at UTC ${calUnit} boundaries; use e.g. "2026-01-01 00:00:00"`);
    return undefined;
  }
  return calendarWindow(calUnit);
}

/** relia's calendar windows start at UTC unit boundaries (weeks on Monday); other anchors are problems. */
function startTimeProblem(text: string, unit: 'day' | 'week' | 'month' | 'quarter' | 'year'): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$/.exec(text.trim());
  if (!m) return `expected a start time such as "2026-01-01 00:00:00", got ${describeValue(text)}`;
  const [, y, mo, d, hh = '00', mm = '00', ss = '00'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  // A day past the month's end (at most 99) lands in a later month, never a year later: the month alone tells.
  if (date.getUTCMonth() !== Number(mo) - 1) return `not a valid date: ${text}`;
  if (hh !== '00' || mm !== '00' || ss !== '00') return `a calendar ${unit} starting at ${hh}:${mm}:${ss} is not supported: windows start at 00:00:00 UTC`;
  if (unit === 'week' && date.getUTCDay() !== 1) return 'calendar weeks start on Monday: the start time must be a Monday';
  if ((unit === 'month' || unit === 'quarter' || unit === 'year') && Number(d) !== 1) return `a calendar ${unit} starts on day 1, got day ${Number(d)}`;
  if (unit === 'quarter' && (Number(mo) - 1) % 3 !== 0) return 'calendar quarters start in January, April, July or October';
  if (unit === 'year' && Number(mo) !== 1) return 'calendar years start on January 1';
  return undefined;
}

function convertObjective(
  problems: ProblemList,
  ctx: DocContext,
  path: Path,
  o: ObjectiveT,
  method: 'occurrences' | 'timeslices',
  kind: 'ratio' | 'threshold',
): { objective: number; budgeting: Budgeting; op: 'lt' | 'lte' | 'gt' | 'gte' | undefined; value: number | undefined } | undefined {
  const before = problems.count;
  for (const field of ['indicator', 'indicatorRef', 'compositeWeight'] as const) {
    if (o[field] !== undefined) problems.add(ctx, [...path, field], `objectives[].${field} (composite SLOs) is not supported`, 'define the indicator on the SLO (spec.indicator or spec.indicatorRef)');
  }
  let objective: number | undefined;
  if ((o.target === undefined) === (o.targetPercent === undefined)) {
    problems.add(ctx, path, 'expected exactly one of target (0.999) or targetPercent (99.9)');
  } else if (o.target !== undefined) {
    if (o.target > 0 && o.target < 1) objective = tidy(o.target);
    else problems.add(ctx, [...path, 'target'], `expected a fraction above 0 and below 1, got ${o.target}`, o.target > 1 && o.target < 100 ? `write targetPercent: ${o.target}, or target: ${tidy(o.target / 100)}` : undefined);
  } else {
    const f = percentToFraction(o.targetPercent as number, { min: 0, max: 100, maxInclusive: false });
    if (typeof f === 'string') problems.add(ctx, [...path, 'targetPercent'], f);
    else objective = f;
  }
  if (kind === 'threshold') {
    if (o.op === undefined) problems.add(ctx, [...path, 'op'], 'required with thresholdMetric: expected one of lt, lte, gt, gte');
    if (o.value === undefined) problems.add(ctx, [...path, 'value'], 'required with thresholdMetric: expected the threshold value');
  } else {
    if (o.op !== undefined) problems.add(ctx, [...path, 'op'], 'op applies only to a thresholdMetric', 'remove op');
    if (o.value !== undefined) problems.add(ctx, [...path, 'value'], 'value applies only to a thresholdMetric', 'remove value');
  }
  let budgeting: Budgeting | undefined;
  if (method === 'occurrences') {
    if (kind === 'threshold') problems.add(ctx, path, 'a thresholdMetric is supported only with budgetingMethod: Timeslices', 'set budgetingMethod: Timeslices with timeSliceWindow');
    for (const f of ['timeSliceTarget', 'timeSliceWindow'] as const) {
      if (o[f] !== undefined) problems.add(ctx, [...path, f], `${f} applies only with budgetingMethod: Timeslices`, `remove ${f}, or set budgetingMethod: Timeslices`);
    }
    budgeting = { method: 'occurrences' };
  } else {
    let sliceSeconds: number | undefined;
    const w = o.timeSliceWindow;
    if (w === undefined) problems.add(ctx, [...path, 'timeSliceWindow'], 'required with Timeslices: expected a duration such as 1m (a bare number means minutes)');
    else if (typeof w === 'number') {
      if (Number.isInteger(w) && w > 0) sliceSeconds = w * 60;
      else problems.add(ctx, [...path, 'timeSliceWindow'], `expected a whole number of minutes above 0, got ${w}`);
    } else {
      const m = /^(\d+)([smhd])$/.exec(w.trim());
      const size = m ? ({ s: 1, m: 60, h: 3600, d: 86_400 } as Record<string, number>)[m[2] as string] : undefined;
      if (m && size !== undefined && Number(m[1]) > 0) sliceSeconds = Number(m[1]) * size;
      else problems.add(ctx, [...path, 'timeSliceWindow'], `expected a duration such as 1m or 5m, got ${describeValue(w)}`);
    }
    let sliceTarget: number | undefined;
    if (kind === 'threshold') {
      if (o.timeSliceTarget !== undefined && o.timeSliceTarget !== 1) {
        problems.add(
          ctx,
          [...path, 'timeSliceTarget'],
          `timeSliceTarget ${o.timeSliceTarget} is not supported with a thresholdMetric: relia evaluates the threshold once per slice, so a slice is good or bad as a whole`,
          'remove timeSliceTarget (or set it to 1)',
        );
      } else sliceTarget = 1;
    } else if (o.timeSliceTarget === undefined) {
      problems.add(ctx, [...path, 'timeSliceTarget'], 'required with Timeslices: expected the fraction a slice must reach to be good, such as 0.95');
    } else if (o.timeSliceTarget > 0 && o.timeSliceTarget <= 1) {
      sliceTarget = tidy(o.timeSliceTarget);
    } else {
      problems.add(ctx, [...path, 'timeSliceTarget'], `expected a fraction above 0 and at most 1, got ${o.timeSliceTarget}`);
    }
    // Stryker disable next-line LogicalOperator: equivalent, each of them is undefined only after a problem, and any problem returns undefined below
    if (sliceSeconds !== undefined && sliceTarget !== undefined) budgeting = { method: 'timeslices', sliceSeconds, sliceTarget };
  }
  // Stryker disable next-line LogicalOperator: equivalent, objective and budgeting are undefined only after a problem, and parseOpenSloSlo makes no SLO after any problem (this line narrows the types)
  if (problems.count > before || objective === undefined || budgeting === undefined) return undefined;
  // op and value: set for a threshold SLI (required above), undefined for a ratio SLI (refused above).
  return { objective, budgeting, op: o.op, value: o.value };
}

/** `spec.alertPolicies`, refused alike in v1 and v1alpha. */
export const ALERT_POLICIES = {
  message: 'alertPolicies is not supported: relia generates multiwindow multi-burn-rate alerts itself (relia budget rules)',
  fix: 'remove alertPolicies; tune alert names and labels in a relia or Sloth spec, or switch tiers with --no-page/--no-ticket',
};

const METHODS: Record<string, 'occurrences' | 'timeslices'> = { Occurrences: 'occurrences', Timeslices: 'timeslices' };

/** Parse an OpenSLO `SLO` document; `slis` holds the input's `SLI` documents by name. */
export function parseOpenSloSlo(
  data: Record<string, unknown>,
  ctx: DocContext,
  problems: ProblemList,
  slis: ReadonlyMap<string, ParsedSli | undefined>,
  sources: ReadonlyMap<string, string> = new Map(),
): SloDefinition[] {
  const before = problems.count;
  const root = parseFields(SloShell, data, problems, ctx);
  const { values: spec, failed } = root.values.spec ? parseFields(SloSpec, root.values.spec, problems, ctx, ['spec']) : { values: {} as FieldValues<typeof SloSpec.shape>, failed: new Set<string>() };
  if (spec.alertPolicies !== undefined) {
    problems.add(ctx, ['spec', 'alertPolicies'], ALERT_POLICIES.message, ALERT_POLICIES.fix);
  }
  const method = spec.budgetingMethod === undefined ? undefined : METHODS[spec.budgetingMethod];
  if (spec.budgetingMethod !== undefined && method === undefined) {
    const written = spec.budgetingMethod;
    const fixed = Object.keys(METHODS).find((k) => k.toLowerCase() === written.toLowerCase());
    problems.add(
      ctx,
      ['spec', 'budgetingMethod'],
      written === 'RatioTimeslices' ? 'budgetingMethod RatioTimeslices is not supported' : `expected Occurrences or Timeslices, got ${describeValue(written)}`,
      fixed ? `write ${fixed}` : 'use Occurrences or Timeslices',
    );
  }
  const window = spec.timeWindow === undefined ? undefined : convertTimeWindow(problems, ctx, ['spec', 'timeWindow'], spec.timeWindow);

  let indicator: ParsedSli | undefined;
  if (failed.has('indicator') || failed.has('indicatorRef')) {
    // reported already
  } else if ((spec.indicator === undefined) === (spec.indicatorRef === undefined)) {
    if (root.values.spec) problems.add(ctx, ['spec'], 'expected exactly one of indicator or indicatorRef');
  } else if (spec.indicator !== undefined) {
    indicator = convertSli(problems, ctx, ['spec', 'indicator'], spec.indicator, sources);
  } else {
    const ref = spec.indicatorRef as string;
    if (!slis.has(ref)) {
      const known = [...slis.keys()];
      problems.add(
        ctx,
        ['spec', 'indicatorRef'],
        `no SLI document named ${JSON.stringify(ref)} in the input`,
        known.length > 0 ? `known SLIs: ${known.join(', ')}` : 'add the kind: SLI document to the files given with --slo, or inline the indicator',
      );
    } else {
      // A broken SLI document is reported where it is; its problems are not repeated here (no indicator: no SLO).
      indicator = slis.get(ref);
    }
  }

  const objectives = spec.objectives;
  if (objectives !== undefined && objectives.length !== 1) {
    problems.add(
      ctx,
      ['spec', 'objectives'],
      `expected exactly one objective, got ${objectives.length}`,
      objectives.length > 1 ? 'write one SLO document per objective' : 'add an objective with target or targetPercent',
    );
  }
  const objective =
    objectives?.length === 1 && indicator !== undefined && method !== undefined
      ? convertObjective(problems, ctx, ['spec', 'objectives', 0], objectives[0] as ObjectiveT, method, indicator.kind)
      : undefined;

  const meta = root.values.metadata;
  const labels = checkLabels(problems, ctx, ['metadata', 'labels'], meta?.labels);
  if (problems.count > before || !meta || !spec.service || !window || !indicator || !objective) return [];

  let sli: SliDefinition | undefined = indicator.sli;
  if (indicator.kind === 'threshold') {
    if (indicator.thresholdQuery === undefined) return [];
    sli = { type: 'threshold', query: indicator.thresholdQuery, op: objective.op as 'lt', value: objective.value as number };
  }
  if (!sli) return [];
  const slo: SloDefinition = {
    id: `${spec.service}/${meta.name}`,
    service: spec.service,
    name: meta.name,
    objective: objective.objective,
    window,
    budgeting: objective.budgeting,
    sli,
    labels,
    source: { file: ctx.file, path: ctx.prefix, format: 'openslo' },
  };
  const description = spec.description ?? meta.displayName;
  if (description !== undefined) slo.description = description;
  return [slo];
}
