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
  alertNameSchema,
  checkLabels,
  checkQuery,
  convertAlerting,
  describeValue,
  expecting,
  isPlainObject,
  LabelValue,
  NAME_RE,
  parseFields,
  strict,
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

const SlothSlo = strict({
  name: Name,
  description: z.string(expecting('a description (a string)')).optional(),
  objective: z.number(expecting('an objective in percent such as 99.9')),
  labels: Labels.optional(),
  infoLabels: z.unknown().optional(),
  sli: strict({
    events: strict({ error_query: Query, total_query: Query }).optional(),
    raw: strict({ error_ratio_query: Query }).optional(),
    plugin: z.unknown().optional(),
  }),
  alerting: strict({
    name: alertNameSchema('CheckoutAvailability').optional(),
    labels: Labels.optional(),
    annotations: Annotations.optional(),
    page_alert: Alert.optional(),
    ticket_alert: Alert.optional(),
  }).optional(),
  interval: z.unknown().optional(),
});

export const SlothSpecSchema = strict({
  version: z.literal('prometheus/v1'),
  service: Name,
  labels: Labels.optional(),
  slos: z.array(z.unknown(), expecting('a list of SLOs')).min(1, { error: 'expected at least one SLO' }),
});

type SlothSloT = z.output<typeof SlothSlo>;

function convertSli(problems: ProblemList, ctx: DocContext, path: Path, sli: SlothSloT['sli']): SliDefinition | undefined {
  if (sli.plugin !== undefined) {
    problems.add(ctx, [...path, 'plugin'], 'Sloth SLI plugins are not supported: relia cannot run them', 'write the SLI as events (error_query/total_query) or raw (error_ratio_query)');
  }
  const forms = [sli.events, sli.raw, sli.plugin].filter((x) => x !== undefined).length;
  if (forms !== 1) {
    if (forms === 0) problems.add(ctx, path, 'required: expected events (error_query, total_query) or raw (error_ratio_query)');
    else problems.add(ctx, path, 'expected exactly one of events, raw or plugin');
    return undefined;
  }
  if (sli.events) {
    const bad = checkQuery(problems, ctx, [...path, 'events', 'error_query'], sli.events.error_query);
    const total = checkQuery(problems, ctx, [...path, 'events', 'total_query'], sli.events.total_query);
    return bad === undefined || total === undefined ? undefined : { type: 'ratio', bad, total };
  }
  if (sli.raw) {
    const query = checkQuery(problems, ctx, [...path, 'raw', 'error_ratio_query'], sli.raw.error_ratio_query);
    return query === undefined ? undefined : { type: 'error-ratio', query };
  }
  return undefined; // plugin: reported above
}

function convertSlothAlerting(problems: ProblemList, ctx: DocContext, path: Path, a: SlothSloT['alerting']): SloAlerting | undefined {
  if (a === undefined) return undefined;
  return convertAlerting(problems, ctx, path, a, {
    page: ['page_alert', { ...a.page_alert, enabled: a.page_alert?.disable !== true }],
    ticket: ['ticket_alert', { ...a.ticket_alert, enabled: a.ticket_alert?.disable !== true }],
  });
}

/** Parse one `version: "prometheus/v1"` document. */
export function parseSlothDocument(data: Record<string, unknown>, ctx: DocContext, problems: ProblemList): SloDefinition[] {
  const doc = parseFields(SlothSpecSchema, data, problems, ctx);
  const shared = checkLabels(problems, ctx, ['labels'], doc.values.labels);
  const service = doc.values.service;
  const out: SloDefinition[] = [];
  (doc.values.slos ?? []).forEach((raw, i) => {
    const path: Path = ['slos', i];
    if (!isPlainObject(raw)) {
      problems.add(ctx, path, `expected a mapping (one SLO), got ${describeValue(raw)}`);
      return;
    }
    const { values: slo, failed } = parseFields(SlothSlo, raw, problems, ctx, path);
    const before = problems.count;
    if (slo.objective !== undefined && !(slo.objective > 0 && slo.objective < 100)) {
      problems.add(ctx, [...path, 'objective'], `expected an objective in percent above 0 and below 100, got ${slo.objective}`, slo.objective === 100 ? 'a 100% objective leaves no error budget; use e.g. 99.99' : undefined);
    }
    if (slo.infoLabels !== undefined) {
      problems.add(ctx, [...path, 'infoLabels'], 'infoLabels is not supported: relia does not generate sloth_slo_info metadata rules', 'remove infoLabels; use labels for labels on the generated rules');
    }
    if (slo.interval !== undefined) {
      problems.add(ctx, [...path, 'interval'], 'interval is not supported: relia rule groups use the Prometheus global evaluation_interval', 'remove interval');
    }
    const sli = slo.sli === undefined ? undefined : convertSli(problems, ctx, [...path, 'sli'], slo.sli);
    const labels = { ...shared, ...checkLabels(problems, ctx, [...path, 'labels'], slo.labels) };
    const alerting = convertSlothAlerting(problems, ctx, [...path, 'alerting'], slo.alerting);
    if (failed.size > 0 || problems.count > before || doc.failed.size > 0) return;
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
