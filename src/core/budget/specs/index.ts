/**
 * Reading SLO specs: every YAML document of every input is classified
 * (relia native, OpenSLO v1 and v1alpha, Sloth, Pyrra) and parsed into the one
 * `SloDefinition` model. Every problem is collected with its file, field path
 * and line; nothing stops at the first. OpenSLO `indicatorRef`s resolve to
 * `SLI` documents anywhere in the same input. Pure: takes texts, not paths.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { SloDefinition } from '../model.js';
import { InputError } from '../../errors.js';
import { formatProblem, type Problem } from '../../validation.js';
import { isPlainObject, ProblemList, SPEC_DOCS, subContext, type DocContext } from './common.js';
import { parseNativeDocument } from './native.js';
import { parseOpenSloSli, parseOpenSloSlo, type ParsedSli } from './openslo.js';
import { OPENSLO_V1ALPHA, parseOpenSloV1alpha } from './openslo-v1alpha.js';
import { parsePyrraDocument } from './pyrra.js';
import { parseSlothDocument, parseSlothResource } from './sloth.js';
import { checkYamlDepth } from '../../yaml-depth.js';

export { nativeSpecJsonSchema, NativeSpecSchema } from './native.js';
export { normaliseWindowPlaceholder } from './common.js';

export interface SpecInput {
  /** The file name shown in messages. */
  file: string;
  text: string;
}

export interface SpecReport {
  slos: SloDefinition[];
  problems: Problem[];
  /**
   * Non-empty YAML documents read, over all inputs, whether a format reads them or not; each item of a top-level list
   * is a document. One that cannot be read (a syntax error, an alias bomb) is not counted.
   */
  documents: number;
}

/**
 * Per-SLO policy override validation (the budget policy module's
 * `validatePolicyOverrides`): returns the problems it finds, never throws.
 */
export type PolicyValidator = (data: Record<string, unknown>, where: { file: string; path: string }) => Problem[];

export interface SpecOptions {
  validatePolicy?: PolicyValidator;
}

type Format = 'relia' | 'openslo' | 'openslo-v1alpha' | 'openslo-sli' | 'openslo-source' | 'openslo-other' | 'sloth' | 'sloth-k8s' | 'pyrra';

interface Doc {
  ctx: DocContext;
  data: Record<string, unknown>;
  /** undefined for a document no format reads (a problem says why): it counts in `documents`, and nothing reads it. */
  format: Format | undefined;
}

const OPENSLO_OTHER: Record<string, string> = {
  Service: '',
  AlertPolicy: 'AlertPolicy documents are not supported: relia generates multiwindow multi-burn-rate alerts itself (relia budget rules)',
  AlertCondition: 'AlertCondition documents are not supported: relia generates multiwindow multi-burn-rate alerts itself (relia budget rules)',
  AlertNotificationTarget: 'AlertNotificationTarget documents are not supported: route the generated alerts with Alertmanager',
};

/** apiVersions of formats relia does not read, named so the message says what the file is. */
const FOREIGN_FORMATS: ReadonlyArray<[RegExp, string]> = [
  [/^n9\//, 'a Nobl9 spec'],
  [/^monitoring\.coreos\.com\//, 'a Prometheus Operator resource'],
  [/^openslo\//, 'an OpenSLO document of another version'],
];

const ACCEPTED = 'relia/v1, openslo/v1, openslo/v1alpha, Sloth version: "prometheus/v1", sloth.slok.dev/v1 PrometheusServiceLevel, or pyrra.dev/v1alpha1 ServiceLevelObjective';

function classify(data: unknown, ctx: DocContext, problems: ProblemList): Format | undefined {
  if (!isPlainObject(data)) {
    problems.add(ctx, [], `expected a mapping (an SLO spec), got ${JSON.stringify(data)}`, `see ${SPEC_DOCS} for the accepted formats`);
    return undefined;
  }
  const api = data.apiVersion;
  const kind = data.kind;
  if (api !== undefined) {
    if (api === 'relia/v1') return 'relia';
    if (api === 'openslo/v1') {
      if (kind === 'SLO') return 'openslo';
      if (kind === 'SLI') return 'openslo-sli';
      if (kind === 'DataSource') return 'openslo-source';
      if (typeof kind === 'string' && kind in OPENSLO_OTHER) return 'openslo-other';
      problems.add(ctx, ['kind'], `expected an OpenSLO kind (SLO, SLI, Service, DataSource), got ${JSON.stringify(kind)}`, 'use kind: SLO for an SLO');
      return undefined;
    }
    if (api === OPENSLO_V1ALPHA) {
      if (kind === 'SLO') return 'openslo-v1alpha';
      if (kind === 'Service') {
        // Stryker disable next-line StringLiteral: equivalent, a v1alpha Service has no effect either way: no reader takes the format '', and as 'openslo-other' its message (OPENSLO_OTHER.Service) is empty
        return 'openslo-other';
      }
      problems.add(ctx, ['kind'], `OpenSLO v1alpha ${JSON.stringify(kind)} documents are not read: relia, like Sloth, reads kind: SLO (and accepts Service)`, 'use kind: SLO, or remove the document from the SLO input');
      return undefined;
    }
    if (api === 'sloth.slok.dev/v1') {
      if (kind === 'PrometheusServiceLevel') return 'sloth-k8s';
      problems.add(ctx, ['kind'], `Sloth ${JSON.stringify(kind)} resources are not SLO specs relia reads: only PrometheusServiceLevel`, kind === 'AlertWindows' ? 'choose the alert windows with relia budget rules --burn-scheme' : 'use kind: PrometheusServiceLevel');
      return undefined;
    }
    if (api === 'pyrra.dev/v1alpha1') {
      if (kind === 'ServiceLevelObjective') return 'pyrra';
      problems.add(ctx, ['kind'], `Pyrra ${JSON.stringify(kind)} resources are not SLO specs: expected kind: ServiceLevelObjective`, 'use kind: ServiceLevelObjective');
      return undefined;
    }
    const foreign = typeof api === 'string' ? FOREIGN_FORMATS.find(([re]) => re.test(api)) : undefined;
    const what = foreign ? `${foreign[1]} (apiVersion ${JSON.stringify(api)}${typeof kind === 'string' ? `, kind ${kind}` : ''})` : `apiVersion ${JSON.stringify(api)}${typeof kind === 'string' ? ` kind ${kind}` : ''}`;
    problems.add(ctx, ['apiVersion'], `${what} is not a format relia reads: expected ${ACCEPTED}`, typeof api === 'string' && api.startsWith('openslo/') ? 'convert the document to openslo/v1 (relia reads openslo/v1 and openslo/v1alpha)' : `see ${SPEC_DOCS} for the accepted formats`);
    return undefined;
  }
  if (data.version !== undefined) {
    if (data.version === 'prometheus/v1') return 'sloth';
    problems.add(ctx, ['version'], `Sloth spec version ${JSON.stringify(data.version)} is not supported: expected "prometheus/v1"`, 'write version: "prometheus/v1"');
    return undefined;
  }
  problems.add(ctx, [], `not an SLO spec: expected ${ACCEPTED}`, `see ${SPEC_DOCS} for the formats`);
  return undefined;
}

function readDocuments(input: SpecInput, problems: ProblemList, order: { next: number }): Doc[] {
  const lineCounter = new LineCounter();
  const out: Doc[] = [];
  // Deep nesting can abort Node inside yaml's recursive composer: refused first (exit 2).
  checkYamlDepth(input.text, input.file);
  // Never throws for a string: yaml (2.9) reports every lexer, parser and composer problem in the document's errors,
  // a stack overflow it can catch included (RESOURCE_EXHAUSTION); its throws are in APIs this does not call (CST
  // editing, stringifying, toJS, schema options) or need a non-string.
  const docs = parseAllDocuments(input.text, { lineCounter, prettyErrors: false });
  // An EmptyStream (no documents) is an array too.
  const list: ReadonlyArray<(typeof docs)[number]> = docs;
  const fileOrder = order.next;
  order.next += list.length + 1;
  const multi = list.length > 1;
  let nonEmpty = 0;
  list.forEach((doc, i) => {
    const ctx: DocContext = { file: input.file, prefix: multi ? `documents[${i}]` : '', doc, lineCounter, order: fileOrder + i };
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const line = lineCounter.linePos(e.pos[0]).line;
        problems.add({ file: input.file, prefix: ctx.prefix, order: ctx.order as number }, [], `YAML syntax error: ${e.message.split('\n')[0]}${line ? ` (line ${line})` : ''}`, 'fix the YAML syntax');
      }
      return;
    }
    let data: unknown;
    try {
      // Stryker disable next-line ObjectLiteral: equivalent, 100 is also yaml's default maxAliasCount (stated here so the limit is visible)
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      nonEmpty++;
      problems.add(ctx, [], `cannot read the document: ${(error as Error).message}`);
      return;
    }
    if (data === null || data === undefined) return; // an empty document (e.g. after a trailing ---)
    nonEmpty++;
    if (Array.isArray(data)) {
      // A top-level list of documents, as the OpenSLO SDK and CLI write them.
      if (data.length === 0) problems.add(ctx, [], 'the top-level list holds no documents', 'add an SLO spec to the list, or leave the file out of --slo');
      data.forEach((item, j) => {
        const itemCtx = subContext(ctx, [j]);
        out.push({ ctx: itemCtx, data: item as Record<string, unknown>, format: classify(item, itemCtx, problems) });
      });
      return;
    }
    out.push({ ctx, data: data as Record<string, unknown>, format: classify(data, ctx, problems) });
  });
  if (nonEmpty === 0 && !list.some((d) => d.errors.length > 0)) {
    problems.add({ file: input.file, prefix: '', order: fileOrder }, [], 'the file holds no YAML documents', 'add an SLO spec, or leave the file out of --slo');
  }
  return out;
}

/** Parse every input; never throws on bad input (problems are returned). */
export function checkSpecs(inputs: readonly SpecInput[], options: SpecOptions = {}): SpecReport {
  const problems = new ProblemList();
  const order = { next: 0 };
  const docs = inputs.flatMap((input) => readDocuments(input, problems, order));

  // OpenSLO DataSource documents (name → type), for metricSourceRef.
  const sources = new Map<string, string>();
  for (const d of docs) {
    if (d.format !== 'openslo-source') continue;
    const meta = d.data.metadata;
    const spec = d.data.spec;
    const name = isPlainObject(meta) && typeof meta.name === 'string' ? meta.name : undefined;
    const type = isPlainObject(spec) && typeof spec.type === 'string' ? spec.type : undefined;
    if (name === undefined || type === undefined) problems.add(d.ctx, name === undefined ? ['metadata', 'name'] : ['spec', 'type'], 'required: a DataSource needs metadata.name and spec.type', 'add them, e.g. spec.type: Prometheus');
    else sources.set(name, type);
  }

  // OpenSLO SLI documents first, so indicatorRef resolves regardless of order.
  const slis = new Map<string, ParsedSli | undefined>();
  const sliAt = new Map<string, string>();
  for (const d of docs) {
    if (d.format !== 'openslo-sli') continue;
    const sli = parseOpenSloSli(d.data, d.ctx, problems, sources);
    const meta = d.data.metadata;
    const name = isPlainObject(meta) && typeof meta.name === 'string' ? meta.name : undefined;
    if (name === undefined) continue;
    const where = `${d.ctx.file}${d.ctx.prefix ? ` ${d.ctx.prefix}` : ''}`;
    if (slis.has(name)) {
      problems.add(d.ctx, ['metadata', 'name'], `duplicate SLI name ${JSON.stringify(name)} (also in ${sliAt.get(name)})`, 'give every SLI document a unique metadata.name');
      continue;
    }
    slis.set(name, sli);
    sliAt.set(name, where);
  }

  const slos: SloDefinition[] = [];
  const orderOf = new Map<SloDefinition, number>();
  const add = (d: Doc, list: SloDefinition[]) => {
    for (const slo of list) {
      slos.push(slo);
      orderOf.set(slo, d.ctx.order ?? 0);
    }
  };
  for (const d of docs) {
    if (d.format === 'relia') add(d, parseNativeDocument(d.data, d.ctx, problems));
    else if (d.format === 'sloth') add(d, parseSlothDocument(d.data, d.ctx, problems));
    else if (d.format === 'sloth-k8s') add(d, parseSlothResource(d.data, d.ctx, problems));
    else if (d.format === 'pyrra') add(d, parsePyrraDocument(d.data, d.ctx, problems));
    else if (d.format === 'openslo') add(d, parseOpenSloSlo(d.data, d.ctx, problems, slis, sources));
    else if (d.format === 'openslo-v1alpha') add(d, parseOpenSloV1alpha(d.data, d.ctx, problems));
    else if (d.format === 'openslo-other') {
      const message = OPENSLO_OTHER[d.data.kind as string] as string;
      if (message) problems.add(d.ctx, ['kind'], message, 'remove the document from the SLO input');
    }
  }

  // Policy overrides, validated by the policy module.
  if (options.validatePolicy) {
    for (const slo of slos) {
      if (slo.policy === undefined) continue;
      const path = `${slo.source.path ? `${slo.source.path}.` : ''}policy`;
      for (const p of options.validatePolicy(slo.policy, { file: slo.source.file, path })) problems.push(p, orderOf.get(slo) ?? 0);
    }
  }

  // Unique ids over the whole input.
  const seen = new Map<string, SloDefinition>();
  const unique: SloDefinition[] = [];
  for (const slo of slos) {
    const first = seen.get(slo.id);
    if (first) {
      problems.push({
        file: slo.source.file,
        path: slo.source.path,
        message: `duplicate SLO ${slo.id}: also defined in ${first.source.file}${first.source.path ? ` at ${first.source.path}` : ''}`,
        suggestion: 'give each SLO of a service a unique name',
      }, orderOf.get(slo) ?? 0);
      continue;
    }
    seen.set(slo.id, slo);
    unique.push(slo);
  }
  // Every input that gives no document has a problem (syntax, no documents, not a spec, an empty list): without problems, the documents were all SLI, Service or DataSource ones.
  if (inputs.length > 0 && unique.length === 0 && problems.count === 0) {
    // Stryker disable next-line OptionalChaining: equivalent, inputs is not empty here
    problems.push({ file: inputs[0]?.file as string, path: '', message: 'no SLO definitions found (only SLI or Service documents)', suggestion: 'add an SLO document' }, 0);
  }
  return { slos: unique, problems: problems.items, documents: docs.length };
}

/** The InputError for spec problems: one line per problem, each with its fix. Exit 2. */
export function specProblemsError(problems: readonly Problem[]): InputError {
  const lines = problems.map((p) => `${formatProblem(p)}${p.suggestion ? `\n      fix: ${p.suggestion}` : ''}`);
  const head = problems.length === 1 ? 'SLO spec problem' : `${problems.length} SLO spec problems`;
  const first = problems[0];
  const options: ConstructorParameters<typeof InputError>[1] = { suggestions: [`see ${SPEC_DOCS} for the accepted formats`] };
  // Stryker disable next-line OptionalChaining: equivalent, loadSpecs (the one caller) passes at least one problem, so first is defined
  if (first?.path) options.field = first.path;
  // Stryker disable next-line OptionalChaining: equivalent, loadSpecs (the one caller) passes at least one problem, so first is defined
  if (first?.file !== undefined) options.file = first.file;
  return new InputError(`${head}:\n  ${lines.join('\n  ')}`, options);
}

/** Parse every input into SLO definitions, or throw one InputError listing every problem (exit 2). */
export function loadSpecs(inputs: readonly SpecInput[], options: SpecOptions = {}): SloDefinition[] {
  const report = checkSpecs(inputs, options);
  if (report.problems.length > 0) throw specProblemsError(report.problems);
  return report.slos;
}
