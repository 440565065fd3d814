/**
 * relia's native SLO spec (`apiVersion: relia/v1`): one SLO per document
 * (`kind: SLO`) or a list (`slos:` with shared `service` and `labels`).
 * The zod schema below is the single source of truth: it validates the input
 * and generates docs/schemas/slo.schema.json (`nativeSpecJsonSchema`).
 * Reference: docs/budget-specs.md. Pure.
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from '../../units.js';
import type { Budgeting, SliDefinition, SloAlerting, SloDefinition, SloWindow } from '../model.js';
import {
  AlertName,
  checkLabels,
  convertAlerting,
  checkQuery,
  describeValue,
  DURATION_RE,
  expecting,
  FIX_SEPARATOR,
  LABEL_NAME_RE,
  LabelValue,
  isPlainObject,
  NAME_RE,
  parseFields,
  percentToFraction,
  strict,
  tidy,
  type DocContext,
  type Path,
  type ProblemList,
} from './common.js';

const Name = (what: string) =>
  z
    .string(expecting(`${what} such as checkout`))
    .regex(NAME_RE, { error: `expected ${what}: letters, digits, ".", "_" or "-", starting and ending with a letter or digit` })
    .meta({ description: `The ${what}: letters, digits, ".", "_" or "-", starting and ending with a letter or digit.` });

const Query = (description: string) =>
  z
    .string(expecting('a PromQL query template holding {{.window}}'))
    .min(1, { error: 'expected a PromQL query, got an empty string' })
    .meta({ description: `${description} PromQL template; every range is written [{{.window}}].` });

const Duration = z
  .string(expecting('a duration such as 30d, 28d or 1h'))
  .regex(DURATION_RE, { error: 'expected a duration such as 30d, 28d, 6h or 1h30m (units ms, s, m, h, d, w)' })
  .meta({ id: 'Duration', description: 'A duration: 30d, 28d, 6h, 1h30m (units ms, s, m, h, d, w).' });

const PERCENT_PATTERN = /^\d+(?:\.\d+)?\s*%?$/;

const Percent = (description: string, max: '< 100' | '<= 100') => {
  const range = { min: 1, max: 100, maxInclusive: max === '<= 100' };
  const outOfRange = {
    error: (issue: { input?: unknown }) => {
      // Only the number branch's bounds call this: the input is a number.
      const n = issue.input as number;
      const fix = n > 0 && n <= 1 ? `${FIX_SEPARATOR}write it in percent, e.g. ${tidy(n * 100)}` : '';
      return `${String(percentToFraction(n, range))}${fix}`;
    },
  };
  return z
    .union(
      [
        max === '< 100' ? z.number().gt(1, outOfRange).lt(100, outOfRange) : z.number().gt(1, outOfRange).lte(100, outOfRange),
        z.string().regex(PERCENT_PATTERN, { error: 'expected a percentage such as 99.9 or "99.9%"' }),
      ],
      { error: (issue) => (issue.input === undefined ? 'required: expected a percentage such as 99.9' : 'expected a percentage such as 99.9 or "99.9%"') },
    )
    .meta({ description });
};

// Label names are checked by checkLabels (so every bad and reserved name is reported at once);
// the JSON Schema states the pattern.
const LabelMap = z.record(z.string(), LabelValue, expecting('a mapping of labels')).meta({
  id: 'Labels',
  description: 'Prometheus labels (name → value) put on the generated rules and alerts.',
  propertyNames: { pattern: LABEL_NAME_RE.source },
});

const AnnotationMap = z.record(z.string(), z.string(expecting('an annotation value (a string)')), expecting('a mapping of annotations')).meta({ id: 'Annotations', description: 'Prometheus alert annotations.' });

const SliSchema = z
  .union(
    [
      strict({ good: Query('Good events per second over {{.window}}.'), total: Query('All events per second over {{.window}}.') }),
      strict({ bad: Query('Bad events per second over {{.window}}.'), total: Query('All events per second over {{.window}}.') }),
      strict({ errorRatio: Query('The error ratio (0–1) over {{.window}}.') }),
      strict({
        threshold: strict({
          query: Query('A value per slice, e.g. a latency quantile over {{.window}}.'),
          op: z.enum(['lt', 'lte', 'gt', 'gte'], expecting('one of lt, lte, gt, gte')),
          value: z.number(expecting('a number')),
        }),
      }),
    ],
    { error: 'expected one of {good, total}, {bad, total}, {errorRatio} or {threshold: {query, op, value}}' },
  )
  .meta({ id: 'Sli', description: 'The indicator: good/total, bad/total, a raw error ratio, or a threshold (threshold needs timeslice budgeting).' });

const CALENDAR_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;

const WindowSchema = z
  .union(
    [
      Duration,
      strict({ rolling: Duration }),
      strict({
        calendar: z.enum(CALENDAR_UNITS, expecting('one of day, week, month, quarter, year')),
        timeZone: z.literal('UTC', { error: 'only UTC calendar windows are supported' }).optional(),
      }),
    ],
    { error: 'expected a rolling window such as 30d, or {calendar: month}' },
  )
  .meta({ id: 'Window', description: 'A rolling window (`30d`, or `{rolling: 30d}`) or a calendar window (`{calendar: month}`, UTC).' });

const BudgetingSchema = z
  .union(
    [
      z.literal('occurrences'),
      strict({ method: z.literal('occurrences') }),
      strict({
        method: z.literal('timeslices'),
        slice: Duration,
        sliceTarget: Percent('A slice is good when its SLI is at least this percentage (omit for threshold SLIs).', '<= 100').optional(),
      }),
    ],
    { error: 'expected occurrences, or {method: timeslices, slice: 1m, sliceTarget: 95}' },
  )
  .meta({ id: 'Budgeting', description: 'How the budget is counted: occurrences (events, the default) or timeslices.' });

const TierSchema = strict({
  enabled: z.boolean(expecting('true or false')).optional(),
  labels: LabelMap.optional(),
  annotations: AnnotationMap.optional(),
}).meta({ id: 'AlertTier', description: 'Settings of one alert tier; enabled: false switches it off for this SLO.' });

const AlertingSchema = strict({
  name: AlertName.optional(),
  labels: LabelMap.optional(),
  annotations: AnnotationMap.optional(),
  page: TierSchema.optional(),
  ticket: TierSchema.optional(),
}).meta({ id: 'Alerting', description: 'Names, labels and annotations of the alerts `relia budget rules` generates for this SLO.' });

const PolicySchema = z
  .record(z.string(), z.unknown(), expecting('a mapping of policy fields'))
  .meta({ id: 'PolicyOverrides', description: 'Per-SLO overrides of the budget policy (see docs/budget.md).' });

const sloShape = {
  service: Name('service name'),
  name: Name('SLO name'),
  description: z.string(expecting('a description (a string)')).optional(),
  objective: Percent('The objective in percent: 99.9 or "99.9%" (always a percentage; values of 1 or less are rejected).', '< 100'),
  window: WindowSchema,
  sli: SliSchema,
  budgeting: BudgetingSchema.optional(),
  labels: LabelMap.optional(),
  alerting: AlertingSchema.optional(),
  policy: PolicySchema.optional(),
};

const ApiVersion = z.literal('relia/v1', expecting('relia/v1'));

export const NativeSingleSchema = strict({ apiVersion: ApiVersion, kind: z.literal('SLO', expecting('SLO')), ...sloShape }).meta({
  title: 'relia SLO (one per document)',
});

export const NativeEntrySchema = strict({ ...sloShape, service: sloShape.service.optional() });

export const NativeListSchema = strict({
  apiVersion: ApiVersion,
  service: Name('service name').optional(),
  labels: LabelMap.optional(),
  slos: z.array(NativeEntrySchema, expecting('a list of SLOs')).min(1, { error: 'expected at least one SLO' }),
}).meta({ title: 'relia SLO list (shared service and labels)' });

/** The whole native format: a single-SLO document or a list document. */
export const NativeSpecSchema = z.union([NativeSingleSchema, NativeListSchema]).meta({
  title: 'relia SLO spec (apiVersion: relia/v1)',
  description: 'relia native SLO spec. Reference: docs/budget-specs.md.',
});

/** JSON Schema (draft 2020-12) of the native spec, generated from the zod schema. */
export function nativeSpecJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://relia.dev/schemas/slo.schema.json',
    ...(z.toJSONSchema(NativeSpecSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>),
  };
}

type Entry = z.output<typeof NativeEntrySchema>;

const MIN_WINDOW_S = 3600;

export function windowFromSeconds(seconds: number): SloWindow {
  return { type: 'rolling', seconds, label: formatDuration(seconds) };
}

export function calendarWindow(unit: (typeof CALENDAR_UNITS)[number]): SloWindow {
  return { type: 'calendar', unit, timeZone: 'UTC', label: `calendar ${unit}` };
}

/** A rolling window in seconds, or a problem (at least 1h, whole seconds). */
export function checkRollingSeconds(problems: ProblemList, ctx: DocContext, path: Path, seconds: number): SloWindow | undefined {
  if (seconds < MIN_WINDOW_S || !Number.isInteger(seconds)) {
    // A fraction of a second is shown as written: formatDuration would round 3600.5s to a whole-looking 3601s.
    const got = Number.isInteger(seconds) ? formatDuration(seconds) : `${seconds}s`;
    problems.add(ctx, path, `expected a window of at least 1h in whole seconds, got ${got}`, 'SLO windows are usually 28d or 30d');
    return undefined;
  }
  return windowFromSeconds(seconds);
}

/** A duration in a spec: seconds, or undefined after a problem naming the file and field (`0d` included). */
export function specDuration(problems: ProblemList, ctx: DocContext, path: Path, text: string): number | undefined {
  try {
    // Stryker disable next-line StringLiteral: equivalent, parseDuration's message (which names this label) is replaced by the problem below
    return parseDuration(text, 'window');
  } catch {
    problems.add(ctx, path, `expected a duration above zero such as 28d, got ${describeValue(text)}`, 'write a duration such as 28d or 30d');
    return undefined;
  }
}

function convertWindow(problems: ProblemList, ctx: DocContext, path: Path, w: Entry['window']): SloWindow | undefined {
  if (typeof w === 'string' || 'rolling' in w) {
    const text = typeof w === 'string' ? w : w.rolling;
    const at = typeof w === 'string' ? path : [...path, 'rolling'];
    const seconds = specDuration(problems, ctx, at, text);
    return seconds === undefined ? undefined : checkRollingSeconds(problems, ctx, at, seconds);
  }
  return calendarWindow(w.calendar);
}

function convertSli(problems: ProblemList, ctx: DocContext, path: Path, sli: Entry['sli']): SliDefinition | undefined {
  const q = (field: string, text: string) => checkQuery(problems, ctx, [...path, field], text);
  if ('errorRatio' in sli) {
    const query = q('errorRatio', sli.errorRatio);
    return query === undefined ? undefined : { type: 'error-ratio', query };
  }
  if ('threshold' in sli) {
    const query = checkQuery(problems, ctx, [...path, 'threshold', 'query'], sli.threshold.query);
    return query === undefined ? undefined : { type: 'threshold', query, op: sli.threshold.op, value: sli.threshold.value };
  }
  const total = q('total', sli.total);
  if ('good' in sli) {
    const good = q('good', sli.good);
    // Stryker disable next-line LogicalOperator: equivalent, checkQuery returns undefined only after adding a problem, and convertEntry then returns no SLO before using the SLI
    return good === undefined || total === undefined ? undefined : { type: 'ratio', good, total };
  }
  const bad = q('bad', sli.bad);
  // Stryker disable next-line LogicalOperator: equivalent, checkQuery returns undefined only after adding a problem, and convertEntry then returns no SLO before using the SLI
  return bad === undefined || total === undefined ? undefined : { type: 'ratio', bad, total };
}

function convertBudgeting(problems: ProblemList, ctx: DocContext, path: Path, b: Entry['budgeting'], sli: Entry['sli']): Budgeting | undefined {
  const isThreshold = 'threshold' in sli;
  if (b === undefined || b === 'occurrences' || b.method === 'occurrences') {
    if (isThreshold) {
      problems.add(ctx, [...path.slice(0, -1), 'sli', 'threshold'], 'a threshold SLI needs timeslice budgeting', 'add budgeting: {method: timeslices, slice: 1m}');
      return undefined;
    }
    return { method: 'occurrences' };
  }
  const sliceSeconds = specDuration(problems, ctx, [...path, 'slice'], b.slice);
  if (sliceSeconds === undefined) return undefined;
  // parseDuration refuses zero and negative durations, so a slice of whole seconds is at least 1s.
  if (!Number.isInteger(sliceSeconds)) {
    problems.add(ctx, [...path, 'slice'], `expected a slice of whole seconds, at least 1s, got ${b.slice}`);
    return undefined;
  }
  if (isThreshold) {
    if (b.sliceTarget !== undefined) {
      problems.add(ctx, [...path, 'sliceTarget'], 'sliceTarget does not apply to a threshold SLI: a slice is good when its threshold holds', 'remove sliceTarget');
      return undefined;
    }
    return { method: 'timeslices', sliceSeconds, sliceTarget: 1 };
  }
  if (b.sliceTarget === undefined) {
    problems.add(ctx, [...path, 'sliceTarget'], 'required: expected the percentage a slice must reach to be good, such as 95');
    return undefined;
  }
  const target = percentToFraction(b.sliceTarget, { min: 1, max: 100, maxInclusive: true });
  if (typeof target === 'string') {
    problems.add(ctx, [...path, 'sliceTarget'], target);
    return undefined;
  }
  return { method: 'timeslices', sliceSeconds, sliceTarget: target };
}

function convertNativeAlerting(problems: ProblemList, ctx: DocContext, path: Path, a: z.output<typeof AlertingSchema> | undefined): SloAlerting | undefined {
  if (a === undefined) return undefined;
  return convertAlerting(problems, ctx, path, a, {
    page: ['page', { ...a.page, enabled: a.page?.enabled ?? true }],
    ticket: ['ticket', { ...a.ticket, enabled: a.ticket?.enabled ?? true }],
  });
}

/** Convert one entry from its validated fields; fields that failed validation were reported already. */
function convertEntry(
  problems: ProblemList,
  ctx: DocContext,
  path: Path,
  fields: { values: Partial<Entry>; failed: Set<string> },
  defaults: { service?: string | undefined; labels: Record<string, string> },
  sourcePath: string,
): SloDefinition | undefined {
  const e = fields.values;
  const before = problems.count;
  const service = e.service ?? defaults.service;
  if (service === undefined && !fields.failed.has('service')) {
    problems.add(ctx, [...path, 'service'], 'required: expected a service name such as checkout', 'set service on the SLO or once at the top of the document');
  }
  let objective: number | undefined;
  if (e.objective !== undefined) {
    const o = percentToFraction(e.objective, { min: 1, max: 100, maxInclusive: false });
    if (typeof o === 'string') problems.add(ctx, [...path, 'objective'], o, 'write the objective in percent, e.g. objective: 99.9');
    else objective = o;
  }
  const window = e.window === undefined ? undefined : convertWindow(problems, ctx, [...path, 'window'], e.window);
  const sli = e.sli === undefined ? undefined : convertSli(problems, ctx, [...path, 'sli'], e.sli);
  const budgeting = e.sli === undefined || fields.failed.has('budgeting') ? undefined : convertBudgeting(problems, ctx, [...path, 'budgeting'], e.budgeting, e.sli);
  const labels = { ...defaults.labels, ...checkLabels(problems, ctx, [...path, 'labels'], e.labels) };
  const alerting = convertNativeAlerting(problems, ctx, [...path, 'alerting'], e.alerting);
  if (fields.failed.size > 0 || problems.count > before) return undefined;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, each of these is undefined only after a failed field or a new problem, returned on above (this line narrows the types)
  if (service === undefined || e.name === undefined || objective === undefined || !window || !sli || !budgeting) return undefined;
  const slo: SloDefinition = {
    id: `${service}/${e.name}`,
    service,
    name: e.name,
    objective,
    window,
    budgeting,
    sli,
    labels,
    source: { file: ctx.file, path: sourcePath, format: 'relia' },
  };
  if (e.description !== undefined) slo.description = e.description;
  if (e.policy !== undefined) slo.policy = e.policy;
  if (alerting !== undefined) slo.alerting = alerting;
  return slo;
}

const ListShellSchema = NativeListSchema.extend({ slos: z.array(z.unknown(), expecting('a list of SLOs')).min(1, { error: 'expected at least one SLO' }) });

/** Parse one `apiVersion: relia/v1` document. */
export function parseNativeDocument(data: Record<string, unknown>, ctx: DocContext, problems: ProblemList): SloDefinition[] {
  const out: SloDefinition[] = [];
  if ('kind' in data || !('slos' in data)) {
    const fields = parseFields(NativeSingleSchema, data, problems, ctx);
    // Stryker disable next-line ObjectLiteral: equivalent, spreading the labels of {} (none) gives the same {} as spreading labels: {}
    const slo = convertEntry(problems, ctx, [], fields, { labels: {} }, ctx.prefix);
    if (slo) out.push(slo);
    return out;
  }
  const shell = parseFields(ListShellSchema, data, problems, ctx);
  const shared = checkLabels(problems, ctx, ['labels'], shell.values.labels);
  const serviceFailed = shell.failed.has('service');
  // Stryker disable next-line StringLiteral: equivalent, any text stands for a shared service that failed: it only keeps entries from also reporting it missing, and none of them is kept
  const service = serviceFailed ? '' : shell.values.service;
  const defaults = { service, labels: shared };
  (shell.values.slos ?? []).forEach((raw, i) => {
    const path: Path = ['slos', i];
    if (!isPlainObject(raw)) {
      problems.add(ctx, path, `expected a mapping (one SLO), got ${describeValue(raw)}`);
      return;
    }
    const fields = parseFields(NativeEntrySchema, raw, problems, ctx, path);
    const slo = convertEntry(problems, ctx, path, fields, defaults, `${ctx.prefix ? `${ctx.prefix}.` : ''}slos[${i}]`);
    // (apiVersion cannot fail here: only relia/v1 documents reach this reader.)
    if (slo && !shell.failed.has('labels') && !shell.failed.has('service')) out.push(slo);
  });
  return out;
}
