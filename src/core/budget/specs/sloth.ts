/**
 * Sloth specs (`version: "prometheus/v1"`): a service with a list of SLOs,
 * objectives in percent, `sli.events` (error/total) or `sli.raw` (error ratio)
 * query templates with `{{.window}}`, and an `alerting` section that relia
 * turns into the same alert names, labels and annotations. Sloth's SLO period
 * is a CLI flag (default 30d), so every Sloth SLO is a 30d rolling window.
 * Mapping: docs/budget-specs.md#sloth-prometheusv1. Pure.
 */
import { z } from 'zod';
import type { SliDefinition, SloAlerting, SloDefinition } from '../model.js';
import { windowFromSeconds } from './native.js';
import {
  checkLabels,
  checkQuery,
  convertAlerting,
  describeValue,
  expecting,
  isPlainObject,
  LabelValue,
  AlertName,
  NAME_RE,
  parseFields,
  strict,
  subContext,
  tidy,
  type DocContext,
  type Path,
  type ProblemList,
} from './common.js';

/** Sloth's default SLO period (`--default-slo-period`). */
export const SLOTH_PERIOD_SECONDS = 30 * 86_400;

const Name = z
  .string(expecting('a name such as checkout'))
  .regex(NAME_RE, { error: 'expected a name: letters, digits, ".", "_" or "-", starting and ending with a letter or digit' });
const Labels = z.record(z.string(), LabelValue, expecting('a mapping of labels'));
const Annotations = z.record(z.string(), z.string(expecting('an annotation value (a string)')), expecting('a mapping of annotations'));
const Query = z.string(expecting('a PromQL query holding {{.window}}'));

const Alert = strict({
  disable: z.boolean(expecting('true or false')).optional(),
  labels: Labels.optional(),
  annotations: Annotations.optional(),
});

/** Field names: snake_case in the `prometheus/v1` file, camelCase in the Kubernetes `PrometheusServiceLevel` resource. */
interface Style {
  errorQuery: string;
  totalQuery: string;
  errorRatioQuery: string;
  pageAlert: string;
  ticketAlert: string;
  sloPlugins: string;
}

const FILE_STYLE: Style = { errorQuery: 'error_query', totalQuery: 'total_query', errorRatioQuery: 'error_ratio_query', pageAlert: 'page_alert', ticketAlert: 'ticket_alert', sloPlugins: 'slo_plugins' };
const RESOURCE_STYLE: Style = { errorQuery: 'errorQuery', totalQuery: 'totalQuery', errorRatioQuery: 'errorRatioQuery', pageAlert: 'pageAlert', ticketAlert: 'ticketAlert', sloPlugins: 'sloPlugins' };

function slothSchemas(style: Style) {
  const slo = strict({
    name: Name,
    description: z.string(expecting('a description (a string)')).optional(),
    objective: z.number(expecting('an objective in percent such as 99.9')),
    labels: Labels.optional(),
    // Sloth's SLO plugins: a known field, rejected by name below.
    plugins: z.unknown().optional(),
    sli: strict({
      events: strict({ [style.errorQuery]: Query, [style.totalQuery]: Query }).optional(),
      raw: strict({ [style.errorRatioQuery]: Query }).optional(),
      plugin: z.unknown().optional(),
    }),
    alerting: strict({
      name: AlertName.optional(),
      labels: Labels.optional(),
      annotations: Annotations.optional(),
      [style.pageAlert]: Alert.optional(),
      [style.ticketAlert]: Alert.optional(),
    }).optional(),
  });
  const spec = {
    service: Name,
    labels: Labels.optional(),
    [style.sloPlugins]: z.unknown().optional(),
    slos: z.array(z.unknown(), expecting('a list of SLOs')).min(1, { error: 'expected at least one SLO' }),
  };
  return { slo, spec };
}

const FILE = slothSchemas(FILE_STYLE);
const RESOURCE = slothSchemas(RESOURCE_STYLE);

export const SlothSpecSchema = strict({ version: z.literal('prometheus/v1'), ...FILE.spec });
const SlothResourceSpecSchema = strict(RESOURCE.spec);

/** The Kubernetes resource's shell; its `spec` is read like a `prometheus/v1` file with camelCase fields. */
const SlothResourceSchema = strict({
  apiVersion: z.literal('sloth.slok.dev/v1'),
  kind: z.literal('PrometheusServiceLevel'),
  metadata: z.record(z.string(), z.unknown(), expecting('a mapping (Kubernetes metadata)')).optional(),
  spec: z.record(z.string(), z.unknown(), expecting('a mapping (the service level spec)')),
  status: z.unknown().optional(),
});

type AlertT = z.output<typeof Alert>;
type Queries = Record<string, string | undefined>;
interface SliT {
  events?: Queries;
  raw?: Queries;
  plugin?: unknown;
}
interface AlertingT {
  name?: string;
  labels?: Record<string, string | number | boolean>;
  annotations?: Record<string, string>;
  [tier: string]: unknown;
}

function convertSli(problems: ProblemList, ctx: DocContext, path: Path, sli: SliT, style: Style): SliDefinition | undefined {
  if (sli.plugin !== undefined) {
    problems.add(ctx, [...path, 'plugin'], 'Sloth SLI plugins are not supported: relia cannot run them', `write the SLI as events (${style.errorQuery}/${style.totalQuery}) or raw (${style.errorRatioQuery})`);
  }
  const forms = [sli.events, sli.raw, sli.plugin].filter((x) => x !== undefined).length;
  if (forms !== 1) {
    if (forms === 0) problems.add(ctx, path, `required: expected events (${style.errorQuery}, ${style.totalQuery}) or raw (${style.errorRatioQuery})`, 'add sli.events or sli.raw');
    else problems.add(ctx, path, 'expected exactly one of events, raw or plugin', 'keep one of them');
    return undefined;
  }
  if (sli.events) {
    const bad = checkQuery(problems, ctx, [...path, 'events', style.errorQuery], sli.events[style.errorQuery] as string);
    const total = checkQuery(problems, ctx, [...path, 'events', style.totalQuery], sli.events[style.totalQuery] as string);
    // Stryker disable next-line LogicalOperator: equivalent, checkQuery returns undefined only after a problem, and parseSlos makes no SLO after any problem
    return bad === undefined || total === undefined ? undefined : { type: 'ratio', bad, total };
  }
  if (sli.raw) {
    const query = checkQuery(problems, ctx, [...path, 'raw', style.errorRatioQuery], sli.raw[style.errorRatioQuery] as string);
    return query === undefined ? undefined : { type: 'error-ratio', query };
  }
  return undefined; // plugin: reported above
}

function convertSlothAlerting(problems: ProblemList, ctx: DocContext, path: Path, a: AlertingT | undefined, style: Style): SloAlerting | undefined {
  if (a === undefined) return undefined;
  const page = a[style.pageAlert] as AlertT | undefined;
  const ticket = a[style.ticketAlert] as AlertT | undefined;
  return convertAlerting(problems, ctx, path, a, {
    page: [style.pageAlert, { ...page, enabled: page?.disable !== true }],
    ticket: [style.ticketAlert, { ...ticket, enabled: ticket?.disable !== true }],
  });
}

const PLUGINS_MESSAGE = 'Sloth SLO plugins are not supported: relia cannot run them';

function parseSlos(
  data: Record<string, unknown>,
  ctx: DocContext,
  problems: ProblemList,
  style: Style,
  schema: z.ZodObject<z.core.$ZodLooseShape>,
  sloSchema: z.ZodObject<z.core.$ZodLooseShape>,
): SloDefinition[] {
  const doc = parseFields(schema, data, problems, ctx);
  const values = doc.values as { service?: string; labels?: Record<string, string | number | boolean>; slos?: unknown[]; [k: string]: unknown };
  if (values[style.sloPlugins] !== undefined) problems.add(ctx, [style.sloPlugins], PLUGINS_MESSAGE, `remove ${style.sloPlugins}; relia's rules are generated from the SLI and objective alone`);
  const shared = checkLabels(problems, ctx, ['labels'], values.labels);
  const service = values.service;
  const out: SloDefinition[] = [];
  (values.slos ?? []).forEach((raw, i) => {
    const path: Path = ['slos', i];
    if (!isPlainObject(raw)) {
      problems.add(ctx, path, `expected a mapping (one SLO), got ${describeValue(raw)}`, 'write each SLO as a mapping with name, objective and sli');
      return;
    }
    const parsed = parseFields(sloSchema, raw, problems, ctx, path);
    const slo = parsed.values as { name?: string; description?: string; objective?: number; labels?: Record<string, string | number | boolean>; plugins?: unknown; sli?: SliT; alerting?: AlertingT };
    const before = problems.count;
    if (slo.objective !== undefined && !(slo.objective > 0 && slo.objective < 100)) {
      problems.add(
        ctx,
        [...path, 'objective'],
        `expected an objective in percent above 0 and below 100, got ${slo.objective}`,
        slo.objective === 100 ? 'a 100% objective leaves no error budget; use e.g. 99.99' : 'write the objective in percent, e.g. 99.9',
      );
    }
    if (slo.plugins !== undefined) problems.add(ctx, [...path, 'plugins'], PLUGINS_MESSAGE, "remove plugins; relia's rules are generated from the SLI and objective alone");
    const sli = slo.sli === undefined ? undefined : convertSli(problems, ctx, [...path, 'sli'], slo.sli, style);
    const labels = { ...shared, ...checkLabels(problems, ctx, [...path, 'labels'], slo.labels) };
    const alerting = convertSlothAlerting(problems, ctx, [...path, 'alerting'], slo.alerting, style);
    if (parsed.failed.size > 0 || problems.count > before || doc.failed.size > 0) return;
    // Stryker disable next-line LogicalOperator: equivalent, each of these is undefined only after a failed field or a new problem, returned on above (this line narrows the types)
    if (!sli || service === undefined || slo.name === undefined || slo.objective === undefined) return;
    const def: SloDefinition = {
      id: `${service}/${slo.name}`,
      service,
      name: slo.name,
      objective: tidy(slo.objective / 100),
      window: windowFromSeconds(SLOTH_PERIOD_SECONDS),
      budgeting: { method: 'occurrences' },
      sli,
      labels,
      source: { file: ctx.file, path: `${ctx.prefix ? `${ctx.prefix}.` : ''}slos[${i}]`, format: 'sloth' },
    };
    if (slo.description !== undefined) def.description = slo.description;
    if (alerting !== undefined) def.alerting = alerting;
    out.push(def);
  });
  return out;
}

/** Parse one `version: "prometheus/v1"` document. */
export function parseSlothDocument(data: Record<string, unknown>, ctx: DocContext, problems: ProblemList): SloDefinition[] {
  return parseSlos(data, ctx, problems, FILE_STYLE, SlothSpecSchema, FILE.slo);
}

/** Parse one Kubernetes `sloth.slok.dev/v1` `PrometheusServiceLevel`: its `spec`, with camelCase fields. */
export function parseSlothResource(data: Record<string, unknown>, ctx: DocContext, problems: ProblemList): SloDefinition[] {
  const shell = parseFields(SlothResourceSchema, data, problems, ctx);
  const spec = shell.values.spec;
  if (spec === undefined) return [];
  return parseSlos(spec, subContext(ctx, ['spec']), problems, RESOURCE_STYLE, SlothResourceSpecSchema, RESOURCE.slo);
}
