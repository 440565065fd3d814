/**
 * chaostoolkit experiments (format v1, JSON or YAML) run unchanged: the
 * hypothesis with its tolerances, the method with pauses and background
 * activities, rollbacks, configuration and secrets (env types, `${name}`),
 * `ref` to an earlier activity, and providers mapped by ./ctk-providers.ts.
 * relia guards and a blast radius may be added in an extension named `relia`
 * (`extensions: [{name: relia, guards: [...], blastRadius: {...}}]`), which
 * chaostoolkit itself ignores. Pure.
 */
import { InputError } from '../errors.js';
import { throwProblems, type Problem } from '../validation.js';
import { CTK_PYTHON, mapHttp, mapProcess, supportedPython } from './ctk-providers.js';
import type { ActivitySpec, Experiment, MethodStep, Tolerance } from './model.js';
import { CHAOS_DOCS, NativeExperimentSchema, parseNative, type ParseOptions } from './native.js';
import { resolveConfiguration, substitute } from './substitute.js';
import { parseJsonPath } from './tolerance.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A document is chaostoolkit's when it has its hyphenated hypothesis key, or a method of `type:` activities. */
export function isChaostoolkit(data: unknown): boolean {
  if (!isRec(data)) return false;
  if ('steady-state-hypothesis' in data) return true;
  const method = data.method;
  return Array.isArray(method) && method.some((m) => isRec(m) && (m.type === 'action' || m.type === 'probe') && 'provider' in m);
}

class Collector {
  readonly problems: Problem[] = [];
  constructor(private readonly file: string) {}
  add(path: string, message: string, suggestion?: string): void {
    const p: Problem = { file: this.file, path, message };
    // Stryker disable next-line ConditionalExpression: equivalent, throwProblems drops undefined suggestions
    if (suggestion !== undefined) p.suggestion = suggestion;
    this.problems.push(p);
  }
}

function toleranceOf(t: unknown, path: string, c: Collector, mapActivity: (a: unknown, path: string) => ActivitySpec | null): Tolerance | undefined {
  if (typeof t === 'boolean' || typeof t === 'number' || typeof t === 'string') return t;
  if (Array.isArray(t)) {
    if (t.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) return t as Array<string | number | boolean>;
    c.add(path, 'a list tolerance holds strings, numbers or booleans');
    return undefined;
  }
  if (!isRec(t)) {
    c.add(path, 'expected a bool, int, string, list or a {type: range|regex|jsonpath|probe} tolerance');
    return undefined;
  }
  const target = typeof t.target === 'string' ? { target: t.target } : {};
  switch (t.type) {
    case 'range': {
      const r = t.range;
      if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'number' || typeof r[1] !== 'number') {
        c.add(`${path}.range`, 'expected two numbers [min, max]', 'write range: [0, 250]');
        return undefined;
      }
      return { type: 'range', range: [r[0], r[1]], ...target };
    }
    case 'regex':
      if (typeof t.pattern !== 'string') {
        c.add(`${path}.pattern`, 'required: the regular expression');
        return undefined;
      }
      try {
        new RegExp(t.pattern);
      } catch (error) {
        c.add(`${path}.pattern`, `not a valid regular expression: ${(error as Error).message}`);
        return undefined;
      }
      return { type: 'regex', pattern: t.pattern, ...target };
    case 'jsonpath': {
      if (typeof t.path !== 'string') {
        c.add(`${path}.path`, 'required: the JSONPath, e.g. $.status');
        return undefined;
      }
      try {
        parseJsonPath(t.path);
      } catch (error) {
        c.add(`${path}.path`, (error as Error).message);
        return undefined;
      }
      const out: Tolerance = { type: 'jsonpath', path: t.path, ...target };
      if ('expect' in t) out.expect = t.expect;
      if (typeof t.count === 'number') out.count = t.count;
      return out;
    }
    case 'probe': {
      const probe = mapActivity({ ...t, type: 'probe' }, path);
      return probe ? { type: 'probe', probe } : undefined;
    }
    default:
      c.add(`${path}.type`, `unsupported tolerance type ${JSON.stringify(t.type)}`, 'use range, regex, jsonpath or probe');
      return undefined;
  }
}

function pausesOf(p: unknown, path: string, c: Collector): ActivitySpec['pauses'] | undefined {
  if (p === undefined) return undefined;
  if (!isRec(p)) {
    c.add(path, 'expected {before: seconds, after: seconds}');
    return undefined;
  }
  const out: NonNullable<ActivitySpec['pauses']> = {};
  for (const k of ['before', 'after'] as const) {
    const v = p[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || v < 0) c.add(`${path}.${k}`, 'expected seconds (a number ≥ 0)');
    else out[k] = Math.round(v * 1000);
  }
  return out;
}

/** Parse a chaostoolkit v1 experiment (already substituted later, per activity). */
export function parseChaostoolkit(data: unknown, opts: ParseOptions): Experiment {
  const { file } = opts;
  if (!isRec(data)) throw new InputError(`${file}: expected a chaostoolkit experiment (a mapping)`, { file, suggestions: [`see ${CHAOS_DOCS}`] });
  const c = new Collector(file);
  if (typeof data.title !== 'string' || data.title === '') c.add('title', 'required: the experiment title');
  if (data.version !== undefined && !/^1(\.\d+)*$/.test(String(data.version))) c.add('version', `chaostoolkit format ${String(data.version)} is not supported`, 'relia runs format 1.x');
  if (!Array.isArray(data.method) || data.method.length === 0) c.add('method', 'required: a list of activities');
  if (data.controls !== undefined) c.add('controls', 'chaostoolkit controls run Python and are not supported', 'remove controls; relia guards replace safeguards (extensions: [{name: relia, guards: [...]}])');

  const resolved = resolveConfiguration(
    isRec(data.configuration) ? data.configuration : undefined,
    isRec(data.secrets) ? (data.secrets as Record<string, Rec>) : undefined,
    opts.env,
    opts.vars,
    file,
  );
  const byName = new Map<string, Rec>();

  const mapActivity = (raw: unknown, path: string, expected?: 'action' | 'probe'): ActivitySpec | null => {
    if (!isRec(raw)) {
      c.add(path, 'expected an activity (a mapping with type, name and provider)');
      return null;
    }
    let a = raw;
    if (typeof a.ref === 'string') {
      const found = byName.get(a.ref);
      if (!found) {
        c.add(`${path}.ref`, `no earlier activity is named ${JSON.stringify(a.ref)}`);
        return null;
      }
      a = found;
    }
    const kind = a.type;
    if (kind !== 'action' && kind !== 'probe') {
      c.add(`${path}.type`, `expected "action" or "probe", got ${JSON.stringify(kind)}`);
      return null;
    }
    if (expected === 'probe' && kind !== 'probe') c.add(`${path}.type`, 'the hypothesis runs probes only');
    if (typeof a.name !== 'string') c.add(`${path}.name`, 'required: the activity name');
    else byName.set(a.name, a);
    const provider = a.provider;
    if (!isRec(provider)) {
      c.add(`${path}.provider`, 'required: {type: http|process|python, ...}');
      return null;
    }
    const sub = substitute(provider, resolved.values, `${path}.provider`, file) as Rec;
    let mapped: { type: string; args: Rec } | null = null;
    if (sub.type === 'http') {
      if (typeof sub.url !== 'string') c.add(`${path}.provider.url`, 'required: the URL');
      else mapped = mapHttp(sub);
    } else if (sub.type === 'process') {
      if (typeof sub.path !== 'string') c.add(`${path}.provider.path`, 'required: the executable');
      else mapped = mapProcess(sub);
    } else if (sub.type === 'python') {
      const fn = `${String(sub.module)}.${String(sub.func)}`;
      const known = CTK_PYTHON[fn];
      if (!known) {
        c.add(
          `${path}.provider`,
          `activity ${JSON.stringify(a.name)}: python provider ${fn} is not supported (relia runs no Python)`,
          `relia supports the http and process providers and the python functions ${supportedPython().join(', ')}; or rewrite it as a native relia activity (relia chaos validate lists the types)`,
        );
      } else {
        if (known.kind !== kind) c.add(`${path}.type`, `${fn} is ${known.kind === 'action' ? 'an action' : 'a probe'}`);
        mapped = known.map(isRec(sub.arguments) ? sub.arguments : {}, resolved.values);
      }
    } else {
      c.add(`${path}.provider.type`, `unknown provider type ${JSON.stringify(sub.type)}`, 'use http, process or python');
    }
    if (!mapped) return null;
    const spec: ActivitySpec = { kind, name: String(a.name), type: mapped.type, args: mapped.args, path, source: a };
    if (a.background === true) spec.background = true;
    const pauses = pausesOf(a.pauses, `${path}.pauses`, c);
    if (pauses) spec.pauses = pauses;
    if ('tolerance' in a) {
      const t = toleranceOf(substitute(a.tolerance, resolved.values, `${path}.tolerance`, file), `${path}.tolerance`, c, (x, p) => mapActivity(x, p, 'probe'));
      // Stryker disable next-line ConditionalExpression: equivalent, toleranceOf returns undefined only after adding a problem, and then the parse throws
      if (t !== undefined) spec.tolerance = t;
    }
    return spec;
  };

  let steadyState: Experiment['steadyState'] = null;
  const hypo = data['steady-state-hypothesis'];
  if (hypo !== undefined) {
    if (!isRec(hypo)) c.add('steady-state-hypothesis', 'expected {title, probes}');
    else {
      const probes: ActivitySpec[] = [];
      (Array.isArray(hypo.probes) ? hypo.probes : []).forEach((p, i) => {
        const path = `steady-state-hypothesis.probes[${i}]`;
        const spec = mapActivity(p, path, 'probe');
        if (spec && spec.tolerance === undefined && !(isRec(p) && 'tolerance' in p)) c.add(`${path}.tolerance`, 'required: a hypothesis probe has a tolerance');
        // Stryker disable next-line ConditionalExpression: equivalent, a null spec added a problem, and then the parse throws
        if (spec) probes.push(spec);
      });
      steadyState = { title: typeof hypo.title === 'string' ? hypo.title : String(data.title), probes };
    }
  }
  /** Each activity of a list that could be read; the others added a problem, and then the parse throws. */
  const mapAll = (list: unknown, name: string): ActivitySpec[] =>
    (Array.isArray(list) ? list : []).flatMap((a, i) => {
      // Stryker disable next-line ArrayDeclaration: equivalent, a null spec added a problem, and then the parse throws
      return mapActivity(a, `${name}[${i}]`) ?? [];
    });
  const method: MethodStep[] = mapAll(data.method, 'method');
  const rollbacks = mapAll(data.rollbacks, 'rollbacks');

  // relia's own extension: guards and blast radius, parsed by the native schema.
  const ext = Array.isArray(data.extensions) ? data.extensions.findIndex((e) => isRec(e) && e.name === 'relia') : -1;
  let guards: Experiment['guards'] = [];
  let blastRadius: Experiment['blastRadius'] = {};
  if (ext >= 0) {
    const e = (data.extensions as Rec[])[ext] as Rec;
    const probe = parseNative(
      { title: 'extension', method: [{ pause: 0 }], guards: e.guards ?? [], blastRadius: e.blastRadius ?? {}, configuration: data.configuration, secrets: data.secrets },
      opts,
    );
    guards = probe.guards.map((g) => ({ ...g, path: `extensions[${ext}].${g.path}` }));
    blastRadius = probe.blastRadius;
  }
  if (c.problems.length > 0) throwProblems(c.problems, `see ${CHAOS_DOCS}#chaostoolkit for what relia runs`);

  const exp: Experiment = {
    format: 'chaostoolkit',
    title: String(data.title),
    tags: Array.isArray(data.tags) ? data.tags.map(String) : [],
    steadyState,
    method,
    rollbacks,
    guards,
    blastRadius,
    secretValues: resolved.secretValues,
    raw: data,
  };
  if (typeof data.description === 'string') exp.description = data.description;
  return exp;
}

/** Either format, by its shape. */
export function parseExperiment(data: unknown, opts: ParseOptions): Experiment {
  return isChaostoolkit(data) ? parseChaostoolkit(data, opts) : parseNative(data, opts);
}

export { NativeExperimentSchema };
