/**
 * relia's native experiment format (YAML or JSON), docs/chaos.md#native.
 * The zod schema here is the source of docs/schemas/chaos-experiment.schema.json.
 * Parsing: shape (zod, every bad field with its path) → configuration and
 * secrets resolved → `${name}` substituted → durations and fractions
 * converted → the normalised Experiment. Pure.
 */
import { z } from 'zod';
import { InputError, ReliaError } from '../errors.js';
import { parseDuration, parseFraction } from '../units.js';
import { parseWithSchema } from '../validation.js';
import type { ActivitySpec, BlastRadius, Experiment, GuardSpec, MethodStep, Tolerance } from './model.js';
import { resolveConfiguration, substitute } from './substitute.js';

export const CHAOS_DOCS = 'docs/chaos.md';

const duration = z.union([z.string(), z.number().nonnegative()]);
const fraction = z.union([z.string(), z.number().nonnegative()]);
const envRef = z.strictObject({ type: z.literal('env'), key: z.string().min(1), default: z.unknown().optional(), env_var_type: z.enum(['str', 'int', 'float', 'bool', 'json']).optional() });
const configValue = z.union([envRef, z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

const ToleranceSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.boolean(),
    z.number(),
    z.string(),
    z.array(z.union([z.string(), z.number(), z.boolean()])),
    z.strictObject({ type: z.literal('range'), range: z.tuple([z.number(), z.number()]), target: z.string().optional() }),
    z.strictObject({ type: z.literal('regex'), pattern: z.string().min(1), target: z.string().optional() }),
    z.strictObject({ type: z.literal('jsonpath'), path: z.string().min(1), target: z.string().optional(), expect: z.unknown().optional(), count: z.number().int().nonnegative().optional() }),
    z.strictObject({ type: z.literal('probe'), probe: z.string().min(1), name: z.string().optional(), args: z.record(z.string(), z.unknown()).default({}) }),
  ]),
);

const common = {
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
  timeout: duration.optional(),
  pauses: z.strictObject({ before: duration.optional(), after: duration.optional() }).optional(),
};
const ActionStep = z.strictObject({ ...common, action: z.string().min(1), background: z.boolean().default(false) });
const ProbeStep = z.strictObject({ ...common, probe: z.string().min(1), background: z.boolean().default(false), tolerance: ToleranceSchema.optional() });
const PauseStep = z.strictObject({ pause: duration });
const onError = z.enum(['abort', 'continue']).default('abort');

const GuardSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('userImpact'),
    name: z.string().optional(),
    query: z.string().min(1).optional(),
    probe: z.strictObject({ probe: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) }).optional(),
    every: duration.default('1s'),
    slowerThan: duration.optional(),
    minSamples: z.number().int().positive().default(1),
    warmup: duration.default('0s'),
    max: fraction.default('1%'),
    window: duration.default('30s'),
    onError,
  }),
  z.strictObject({
    type: z.literal('sloBurn'),
    name: z.string().optional(),
    slo: z.string().min(1),
    select: z.string().optional(),
    maxBurn: z.number().positive(),
    window: z.string().default('5m'),
    onError,
  }),
  z.strictObject({ type: z.literal('maxDuration'), name: z.string().optional(), duration, onError }),
  z.strictObject({ type: z.literal('alarm'), name: z.string().optional(), region: z.string().min(1), alarms: z.array(z.string().min(1)).min(1), onError }),
]);

export const NativeExperimentSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).default(1),
  title: z.string().min(1),
  description: z.string().optional(),
  tags: z.array(z.string()).default([]),
  configuration: z.record(z.string(), configValue).optional(),
  secrets: z.record(z.string(), z.record(z.string(), configValue)).optional(),
  steadyState: z
    .strictObject({
      title: z.string().optional(),
      probes: z.array(ProbeStep).min(1),
      /** Also check the hypothesis every `every` during the method (journal `steady_states.during`). */
      continuous: z.strictObject({ every: duration.default('1s'), failFast: z.boolean().default(false) }).optional(),
    })
    .optional(),
  method: z.array(z.union([ActionStep, ProbeStep, PauseStep])).min(1),
  rollbacks: z.array(ActionStep).default([]),
  guards: z.array(GuardSchema).default([]),
  blastRadius: z.strictObject({ maxTargets: z.number().int().positive().optional() }).default({}),
});
export type NativeExperiment = z.input<typeof NativeExperimentSchema>;

/** Run `fn`, re-raising a units InputError with the file and the full field path. */
export function at<T>(file: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, what at() wraps (parseDuration, parseFraction) throws only InputError
    if (ReliaError.is(error) && error instanceof InputError) {
      throw new InputError(`${file}: ${error.message}`, { file, field: path, suggestions: error.suggestions });
    }
    throw error;
  }
}

export function ms(file: string, path: string, value: string | number, allowZero = false): number {
  return at(file, path, () => Math.round(parseDuration(value, path, { allowZero, allowBareSeconds: typeof value === 'number' }) * 1000));
}

function toleranceOf(t: unknown, path: string): Tolerance {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, a checked tolerance is never null, and a number, text or list has no type 'probe'
  if (typeof t === 'object' && t !== null && !Array.isArray(t) && (t as { type?: unknown }).type === 'probe') {
    const p = t as { probe: string; name?: string; args: Record<string, unknown> };
    return { type: 'probe', probe: { kind: 'probe', name: p.name ?? p.probe, type: p.probe, args: p.args, path: `${path}.tolerance`, source: { ...p } } };
  }
  return t as Tolerance;
}

function activity(step: z.output<typeof ActionStep> | z.output<typeof ProbeStep>, path: string, file: string): ActivitySpec {
  const isAction = 'action' in step;
  const spec: ActivitySpec = {
    kind: isAction ? 'action' : 'probe',
    name: step.name,
    type: isAction ? step.action : step.probe,
    args: step.args,
    background: step.background,
    path,
    source: { ...step },
  };
  if (step.timeout !== undefined) spec.timeoutMs = ms(file, `${path}.timeout`, step.timeout);
  if (step.pauses) {
    spec.pauses = {};
    if (step.pauses.before !== undefined) spec.pauses.before = ms(file, `${path}.pauses.before`, step.pauses.before, true);
    if (step.pauses.after !== undefined) spec.pauses.after = ms(file, `${path}.pauses.after`, step.pauses.after, true);
  }
  if (!isAction && step.tolerance !== undefined) spec.tolerance = toleranceOf(step.tolerance, path);
  return spec;
}

function guard(g: z.output<typeof GuardSchema>, i: number, file: string): GuardSpec {
  const path = `guards[${i}]`;
  const name = g.name ?? `${g.type}#${i + 1}`;
  switch (g.type) {
    case 'userImpact': {
      if ((g.query === undefined) === (g.probe === undefined)) {
        throw new InputError(`${file}: ${path}: a userImpact guard needs exactly one of query (Prometheus, returning the bad share 0..1) or probe (relia samples it)`, {
          file,
          field: path,
          suggestions: ["add query: 'sum(rate(http_requests_total{code=~\"5..\"}[1m])) / sum(rate(http_requests_total[1m]))'", 'or probe: {probe: http.request, args: {url: ...}}'],
        });
      }
      const common = { type: 'userImpact' as const, name, path, onError: g.onError, max: at(file, `${path}.max`, () => parseFraction(g.max, `${path}.max`)), windowMs: ms(file, `${path}.window`, g.window) };
      if (g.query !== undefined) return { ...common, source: { kind: 'prometheus', query: g.query } };
      const probe = g.probe as { probe: string; args: Record<string, unknown> };
      const source: Extract<GuardSpec, { type: 'userImpact' }>['source'] = {
        kind: 'probe',
        probe: { kind: 'probe', name: `${name} sample`, type: probe.probe, args: probe.args, path: `${path}.probe`, source: { ...probe } },
        everyMs: ms(file, `${path}.every`, g.every),
        minSamples: g.minSamples,
        warmupMs: ms(file, `${path}.warmup`, g.warmup, true),
      };
      if (g.slowerThan !== undefined) source.slowerThanMs = ms(file, `${path}.slowerThan`, g.slowerThan);
      return { ...common, source };
    }
    case 'sloBurn': {
      at(file, `${path}.window`, () => parseDuration(g.window, `${path}.window`));
      const out: GuardSpec = { type: 'sloBurn', name, path, onError: g.onError, sloFile: g.slo, maxBurn: g.maxBurn, window: g.window };
      if (g.select !== undefined) out.slo = g.select;
      return out;
    }
    case 'maxDuration':
      return { type: 'maxDuration', name, path, onError: g.onError, ms: ms(file, `${path}.duration`, g.duration) };
    case 'alarm':
      return { type: 'alarm', name, path, onError: g.onError, region: g.region, alarms: g.alarms };
  }
}

export interface ParseOptions {
  file: string;
  env: Record<string, string | undefined>;
  vars: Record<string, string>;
}

/** Parse a native experiment document into the normalised model. */
export function parseNative(data: unknown, opts: ParseOptions): Experiment {
  const { file } = opts;
  const doc = parseWithSchema(NativeExperimentSchema, data, { file, docs: CHAOS_DOCS });
  const resolved = resolveConfiguration(doc.configuration, doc.secrets, opts.env, opts.vars, file);
  const sub = <T>(value: T, path: string): T => substitute(value, resolved.values, path, file) as T;

  const steady: Experiment['steadyState'] = doc.steadyState
    ? { title: doc.steadyState.title ?? doc.title, probes: doc.steadyState.probes.map((p, i) => activity(sub(p, `steadyState.probes[${i}]`), `steadyState.probes[${i}]`, file)) }
    : null;
  const cont = doc.steadyState?.continuous;
  if (steady && cont) steady.continuous = { everyMs: ms(file, 'steadyState.continuous.every', sub(cont.every, 'steadyState.continuous.every')), failFast: cont.failFast };
  const method: MethodStep[] = doc.method.map((s, i) => {
    const path = `method[${i}]`;
    if ('pause' in s) return { kind: 'pause', ms: ms(file, `${path}.pause`, sub(s.pause, path), true), path };
    return activity(sub(s, path), path, file);
  });
  const rollbacks = doc.rollbacks.map((r, i) => activity(sub(r, `rollbacks[${i}]`), `rollbacks[${i}]`, file));
  const guards = doc.guards.map((g, i) => guard(sub(g, `guards[${i}]`), i, file));
  const blastRadius: BlastRadius = {};
  if (doc.blastRadius.maxTargets !== undefined) blastRadius.maxTargets = doc.blastRadius.maxTargets;
  const exp: Experiment = {
    format: 'relia',
    title: doc.title,
    tags: doc.tags,
    steadyState: steady,
    method,
    rollbacks,
    guards,
    blastRadius,
    secretValues: resolved.secretValues,
    raw: data as Record<string, unknown>,
  };
  if (doc.description !== undefined) exp.description = doc.description;
  return exp;
}

export const CHAOS_EXPERIMENT_SCHEMA_ID = 'https://relia.dev/schemas/chaos-experiment.schema.json';

/** docs/schemas/chaos-experiment.schema.json, generated from the zod schema (a test checks there is no drift). */
export function chaosExperimentJsonSchema(): Record<string, unknown> {
  return { $id: CHAOS_EXPERIMENT_SCHEMA_ID, ...(z.toJSONSchema(NativeExperimentSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>) };
}
