/**
 * Semantic checks and the plan. `checkExperiment` resolves every activity
 * against the registry (unknown type, action used as a probe, arguments that
 * fail the activity's schema: exit 2 with the field path). `planExperiment`
 * asks each activity to resolve its targets read-only through the ports and
 * enforces the experiment-wide blast radius (the method's targets together
 * within blastRadius.maxTargets; each action enforces its own selection). Pure.
 */
import { InputError } from '../errors.js';
import { closestCommand } from '../suggest.js';
import { schemaProblems, throwProblems, type Problem } from '../validation.js';
import type { ActivityContext, ActivityPlan, ActivityRegistry } from './activity.js';
import { isProbeTolerance } from './hypothesis.js';
import { allActivities, type ActivitySpec, type Experiment } from './model.js';
import { CHAOS_DOCS } from './native.js';

/** Activities with their arguments parsed by the registry's schemas. */
export type CheckedArgs = Map<ActivitySpec, unknown>;

/** Validate every activity against the registry; returns the parsed args per activity. */
export function checkExperiment(exp: Experiment, registry: ActivityRegistry, file: string): CheckedArgs {
  const problems: Problem[] = [];
  const out: CheckedArgs = new Map();
  for (const a of allActivities(exp)) {
    const def = a.kind === 'action' ? registry.action(a.type) : registry.probe(a.type);
    if (!def) {
      const other = a.kind === 'action' ? registry.probe(a.type) : registry.action(a.type);
      const known = a.kind === 'action' ? registry.actionTypes() : registry.probeTypes();
      const near = closestCommand(a.type, known);
      problems.push({
        file,
        path: a.path,
        message: other
          ? `${a.type} is ${a.kind === 'action' ? 'a probe' : 'an action'}, not ${a.kind === 'action' ? 'an action' : 'a probe'}`
          : `unknown ${a.kind} type ${JSON.stringify(a.type)}${known.length ? ` (known: ${known.join(', ')})` : ' (no activities are registered)'}`,
        suggestion: near ? `did you mean ${near}?` : 'install the plugin that provides it',
      });
      continue;
    }
    const parsed = def.args.safeParse(a.args, { reportInput: true });
    if (!parsed.success) problems.push(...schemaProblems(parsed.error, file, `${a.path}.args`));
    else out.set(a, parsed.data);
  }
  // Stryker disable next-line ArrayDeclaration: equivalent, with no steady state a list of strings holds no probe tolerance to check
  for (const p of exp.steadyState?.probes ?? []) {
    if (!isProbeTolerance(p.tolerance)) continue;
    const t = p.tolerance.probe;
    const def = registry.probe(t.type);
    if (def && !def.withValue) {
      // Stryker disable next-line OptionalChaining: equivalent, n comes from probeTypes() so probe(n) is always defined
      const takers = registry.probeTypes().filter((n) => registry.probe(n)?.withValue);
      problems.push({
        file,
        path: t.path,
        message: `${t.type} cannot be a tolerance probe: it does not take the measured value (the argument \`value\`)`,
        suggestion: takers.length ? `use one that does: ${takers.join(', ')}` : 'use a range, regex or jsonpath tolerance',
      });
    }
  }
  if (exp.steadyState === null && exp.method.every((s) => s.kind !== 'action')) {
    problems.push({ file, path: 'method', message: 'the experiment has no steady state and injects nothing', suggestion: 'add an action to the method' });
  }
  if (problems.length > 0) throwProblems(problems, `see ${CHAOS_DOCS} for the experiment format; relia chaos validate lists the registered types`);
  return out;
}

export interface PlannedActivity {
  path: string;
  name: string;
  kind: 'action' | 'probe' | 'pause';
  type: string;
  phase: 'steady-state' | 'method' | 'rollbacks' | 'guards';
  background: boolean;
  plan: ActivityPlan;
}

/** Resolve every activity's targets read-only, in run order; enforce the blast radius. */
export async function planExperiment(exp: Experiment, registry: ActivityRegistry, args: CheckedArgs, ctx: ActivityContext, file: string): Promise<PlannedActivity[]> {
  const out: PlannedActivity[] = [];
  let total = 0;
  const one = async (a: ActivitySpec, phase: PlannedActivity['phase']): Promise<void> => {
    const def = a.kind === 'action' ? registry.action(a.type) : registry.probe(a.type);
    if (!def) throw new InputError(`${file}: ${a.path}: unknown ${a.kind} ${a.type}`, { file, field: a.path, suggestions: [`run relia chaos validate ${file}: it lists the registered types`] });
    const plan = await def.plan(args.get(a), { ...ctx, dryRun: true });
    if (a.kind === 'action' && phase === 'method') {
      total += plan.targets.length;
      const cap = exp.blastRadius.maxTargets ?? Number.POSITIVE_INFINITY;
      if (total > cap) {
        throw new InputError(`${file}: ${a.path}: the method would touch ${total} targets, over blastRadius.maxTargets ${cap}`, {
          file,
          field: 'blastRadius.maxTargets',
          suggestions: ["narrow the actions' selectors or modes (one, {count: N}, {percent: P})", `raise blastRadius.maxTargets to ${total} if that is intended`],
        });
      }
    }
    out.push({ path: a.path, name: a.name, kind: a.kind, type: a.type, phase, background: a.background === true, plan });
  };
  for (const p of exp.steadyState?.probes ?? []) await one(p, 'steady-state');
  for (const s of exp.method) {
    if (s.kind === 'pause') out.push({ path: s.path, name: 'pause', kind: 'pause', type: 'pause', phase: 'method', background: false, plan: { targets: [], does: `wait ${s.ms} ms`, undo: 'nothing to undo' } });
    else await one(s, 'method');
  }
  for (const r of exp.rollbacks) await one(r, 'rollbacks');
  for (const g of exp.guards) if (g.type === 'userImpact' && g.source.kind === 'probe') await one(g.source.probe, 'guards');
  return out;
}
