/**
 * The chaos action `failover.evacuate` (Chaos Kong): evacuate a region as an
 * experiment action, with the failover engine's pre-checks, pre-scaling,
 * safety rules, lock and guards. Its undo is `failover rollback` (stepwise,
 * guarded), registered the moment the first step is live; its manual undo is
 * the `aws route53` batch that restores the weights before. The plan is
 * given inline (the same fields and rules as a plan file, without SLO files:
 * an experiment judges steady state with its own probes; and without a
 * capacity plan file: the target is sized by percentToMatch). Destructive, so only
 * in an account listed in `chaos.allow.awsAccounts`, and deployments only in
 * the experiment's Kubernetes context, listed in `chaos.allow.kubeContexts`.
 * Pure: ports only.
 */
import { z } from 'zod';
import type { ClusterPort } from '../../ports/cluster.js';
import type { ComputePort } from '../../ports/compute.js';
import type { ActionDefinition, ActivityContext } from '../chaos/activity.js';
import { requireAwsAccount, requireKubeContext } from '../chaos/targets.js';
import { InputError } from '../errors.js';
import { throwProblems, type Problem } from '../validation.js';
import { parseDuration } from '../units.js';
import { applyFailover, rollbackFailover } from './engine.js';
import { resolveTarget } from './inspect.js';
import { isoOf, type Journal } from './journal.js';
import { operationId } from './lock.js';
import { checkDirection, FAILOVER_PLAN_DOCS, FailoverPlanSchema, normaliseFailoverPlan, planProblems, type CapacityRef, type FailoverPlan } from './plan-schema.js';
import type { FailoverPorts } from './ports.js';
import { preview } from './preview.js';
import { restoreCommand } from './steps.js';

/** A bake such as 0s, 30s or 2m, in milliseconds (0 allowed: one guard sample). */
const bakeMs = z.string().transform((v, ctx) => {
  try {
    // Stryker disable next-line StringLiteral: equivalent, parseDuration's message (the only use of the field name) is replaced by the issue below
    return Math.round(parseDuration(v, 'bake', { allowZero: true }) * 1000);
  } catch {
    ctx.addIssue({
      // Stryker disable next-line StringLiteral: equivalent, the code is never shown (a custom issue is reported by its message)
      code: 'custom',
      message: `expected a duration such as 0s, 30s or 2m, got ${JSON.stringify(v)}`,
    });
    return z.NEVER;
  }
});

const EvacuateArgs = z.strictObject({
  /** The failover plan, inline (see docs/failover.md#plan-file); `slos` are not read here. */
  plan: FailoverPlanSchema,
  from: z.string().min(1),
  to: z.string().min(1),
  steps: z.array(z.number().gt(0).max(100)).min(1).optional(),
  bake: bakeMs.optional(),
  mode: z.enum(['graceful', 'ungraceful']).default('graceful'),
});
export type EvacuateArgs = z.infer<typeof EvacuateArgs>;

/** The inline plan's `file`, as the engine's messages name it ("experiment: dns.zone: no hosted zone ..."). */
const EXPERIMENT = 'experiment';

/**
 * The inline plan, held to the plan file's rules (fields under `plan.`), without a capacity plan file.
 * Its `slos` are never read: the engine gets no SLO guard (portsOf), the experiment's probes judge steady state.
 */
function planOf(a: EvacuateArgs): FailoverPlan {
  const found: Problem[] = planProblems(a.plan, EXPERIMENT).map((p) => ({ path: `plan.${p.path}`, message: p.message, suggestion: p.suggestion }));
  if (a.plan.capacity?.plan !== undefined) {
    found.push({
      path: 'plan.capacity.plan',
      message: 'failover.evacuate reads no capacity plan file; it sizes the target by capacity.percentToMatch',
      suggestion: 'leave capacity.plan out (the target then needs percentToMatch of the source), or run relia failover apply --plan FILE, which reads it',
    });
  }
  if (found.length > 0) throwProblems(found, `see ${FAILOVER_PLAN_DOCS} for the plan fields`);
  const plan = normaliseFailoverPlan(a.plan, EXPERIMENT);
  checkDirection(plan, a.from, a.to);
  return plan;
}

/**
 * The experiment's one Kubernetes context, for the plan's deployment entries:
 * allowed by chaos.allow.kubeContexts (as for every Kubernetes action), and
 * the context each entry names, if it names one (exit 2 otherwise: another
 * cluster cannot be reached from here, and scaling this one instead would
 * leave the real target unscaled).
 */
async function clusterFor(ctx: ActivityContext, deployments: ReadonlyArray<CapacityRef & { kind: 'deployment' }>): Promise<ClusterPort> {
  const cluster = await ctx.ports.get('cluster');
  const current = requireKubeContext(cluster, ctx.policy);
  const other = deployments.find((d) => d.context !== undefined && d.context !== current);
  if (other) {
    const field = `plan.${other.field}.context`;
    throw new InputError(`${field}: ${other.context} is not the experiment's Kubernetes context (${current}); failover.evacuate reaches deployments in that context only`, {
      field,
      suggestions: [`set context: ${current} or leave it out`, 'or run the experiment in that context (kubernetes.context in config, or --context) and allow it in chaos.allow.kubeContexts'],
    });
  }
  return cluster;
}

/** The engine's ports: compute is the one the account check opened; Kubernetes and CloudWatch only when the plan has deployments or alarms; no SLO guard. */
async function portsOf(ctx: ActivityContext, plan: FailoverPlan, compute: ComputePort, signal: AbortSignal): Promise<FailoverPorts> {
  const ports: FailoverPorts = { dns: await ctx.ports.get('dns'), compute, clock: ctx.clock, signal, onEvent: (e) => ctx.log(`failover.${e.type}`, { message: e.message }) };
  const regions = Object.values(plan.regions);
  const deployments = regions.flatMap((r) => r.capacity.filter((c): c is CapacityRef & { kind: 'deployment' } => c.kind === 'deployment'));
  if (deployments.length > 0) {
    const cluster = await clusterFor(ctx, deployments);
    ports.cluster = async () => cluster;
  }
  if (regions.some((r) => r.alarms.length > 0)) ports.alarms = await ctx.ports.get('alarms');
  return ports;
}

export const failoverEvacuate: ActionDefinition<EvacuateArgs> = {
  type: 'failover.evacuate',
  summary: 'Evacuate a region over Route 53 weights (Chaos Kong); the undo is a guarded failover rollback',
  args: EvacuateArgs,
  async plan(a, ctx) {
    const plan = planOf(a);
    const compute = await ctx.ports.get('compute');
    await requireAwsAccount(compute, ctx.policy, ctx.signal);
    const pv = await preview(plan, a.from, a.to, await portsOf(ctx, plan, compute, ctx.signal), { mode: a.mode, steps: a.mode === 'ungraceful' ? [100] : (a.steps ?? plan.steps) });
    return {
      targets: [
        { kind: 'weighted-record', id: `${plan.record} ${plan.type}`, detail: Object.entries(pv.weights).map(([r, w]) => `${r}=${w}`).join(' ') },
        ...pv.capacity.map((c) => ({ kind: c.target.ref.kind, id: c.target.ref.name, detail: `${c.target.desired} → ${c.desired}` })),
      ],
      does: `move ${a.from}'s traffic to ${a.to} in ${pv.steps.length} guarded step${pv.steps.length === 1 ? '' : 's'} (${pv.steps.map((s) => `${s.percent}%`).join(', ')})${pv.ok ? '' : `; pre-checks would refuse: ${pv.prechecks.filter((p) => !p.ok).map((p) => p.name).join(', ')}`}`,
      undo: `failover rollback to ${Object.entries(pv.weights).map(([r, w]) => `${r}=${w}`).join(' ')}, stepwise with the same guards`,
    };
  },
  async run(a, ctx) {
    const plan = planOf(a);
    const compute = await ctx.ports.get('compute');
    await requireAwsAccount(compute, ctx.policy, ctx.signal);
    const ports = await portsOf(ctx, plan, compute, ctx.signal);
    const target = await resolveTarget(plan, ports);
    let injected = false;
    const manualUndo = restoreCommand(target.zoneId, target.records, target.weights, { all: true });
    const sink = {
      save(j: Journal) {
        if (injected || j.position < 0) return;
        injected = true;
        ctx.inject({
          description: `${plan.record}: traffic moving ${a.from} → ${a.to} (operation ${j.id})`,
          manualUndo,
          async undo(u) {
            const undoPorts: FailoverPorts = { ...ports, clock: u.clock, signal: u.signal, onEvent: (e) => u.log(`failover.${e.type}`, { message: e.message }) };
            await rollbackFailover({ plan, ports: undoPorts, sink: { save: () => undefined }, owner: 'relia-chaos', operationId: operationId(u.clock.now(), () => 0.5), journal: structuredClone(j), bakeMs: a.bake });
          },
        });
      },
    };
    const out = await applyFailover({
      plan,
      ports,
      sink,
      owner: 'relia-chaos',
      operationId: operationId(ctx.clock.now(), ctx.random),
      from: a.from,
      to: a.to,
      mode: a.mode,
      ...(a.steps ? { steps: a.steps } : {}),
      bakeMs: a.bake, // undefined: the plan's
    });
    return { operation: out.journal?.id ?? null, weights: out.weights, nothingToDo: out.nothingToDo, at: isoOf(ctx.clock.now()) };
  },
};
