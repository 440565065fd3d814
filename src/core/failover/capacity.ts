/**
 * Pre-scaling the target before any traffic moves, as ARC Region switch's
 * ASG and EKS blocks do: the target's need is ceil(percentToMatch × source
 * InService instances / ready replicas), or the capacity family's region-loss
 * sizing when the plan names a capacity plan. relia never scales down here:
 * desired = max(current desired, need); then it waits until that many
 * instances are InService (and Healthy) / replicas ready, within
 * capacity.timeout. Target entries pair by position with the source's entries
 * of the same kind. Pure: I/O through ports, time through the Clock.
 */
import type { PlanReport, PolicyName } from '../capacity/plan.js';
import { CheckFailedError, InputError, throwIfAborted } from '../errors.js';
import type { FailoverPlan, CapacityRef } from './plan-schema.js';
import { need as needPort, type FailoverPorts } from './ports.js';

export interface CapacityState {
  ref: CapacityRef;
  /** Desired capacity / spec.replicas. */
  desired: number;
  /** InService & Healthy instances / ready replicas. */
  ready: number;
  /** ASG max (null for deployments). */
  max: number | null;
}

export interface CapacityNeed {
  target: CapacityState;
  /** null when the source could not be read (ungraceful mode). */
  source: CapacityState | null;
  need: number;
  /** How the need was computed, for the plan output. */
  basis: string;
  /** What relia will set: max(desired, need). */
  desired: number;
}

const POLL_MS = 5_000;

function inService(instances: ReadonlyArray<{ lifecycleState: string; healthStatus: string }>): number {
  return instances.filter((i) => i.lifecycleState === 'InService' && i.healthStatus.toLowerCase() === 'healthy').length;
}

/** Read one capacity entry; absence is an InputError naming the plan field. */
export async function readCapacity(plan: FailoverPlan, ref: CapacityRef, ports: FailoverPorts): Promise<CapacityState> {
  const opts = ports.signal ? { signal: ports.signal } : {};
  if (ref.kind === 'asg') {
    const compute = needPort(ports.compute, 'Auto Scaling', ref.field);
    const [g] = await compute.describeGroups(ref.region, [ref.name], opts);
    if (!g) throw new InputError(`${plan.file}: ${ref.field}: no Auto Scaling group ${JSON.stringify(ref.name)} in ${ref.region}`, { field: ref.field, file: plan.file, suggestions: [`check the name and region: aws autoscaling describe-auto-scaling-groups --region ${ref.region}`] });
    return { ref, desired: g.desired, ready: inService(g.instances), max: g.max };
  }
  const cluster = await needPort(ports.cluster, 'Kubernetes', ref.field)(ref.context);
  const s = await cluster.getScale({ kind: 'deployment', namespace: ref.namespace, name: ref.name }, opts);
  if (!s) throw new InputError(`${plan.file}: ${ref.field}: no deployment ${ref.namespace}/${ref.name}${ref.context ? ` in context ${ref.context}` : ''}`, { field: ref.field, file: plan.file, suggestions: [`check the namespace, deployment and context: kubectl get deploy -n ${ref.namespace}${ref.context ? ` --context ${ref.context}` : ''}`] });
  return { ref, desired: s.replicas, ready: s.readyReplicas, max: null };
}

/** Pair target entries with the source's of the same kind, by position (exit 2 when they do not pair). */
export function pairEntries(plan: FailoverPlan, from: string, to: string): Array<{ target: CapacityRef; source: CapacityRef | null }> {
  // Stryker disable next-line ArrayDeclaration: equivalent, a non-object entry matches no kind below, as none does
  const src = plan.regions[from]?.capacity ?? [];
  // Stryker disable next-line ArrayDeclaration: equivalent, a non-object entry matches no kind below, as none does
  const dst = plan.regions[to]?.capacity ?? [];
  const out: Array<{ target: CapacityRef; source: CapacityRef | null }> = [];
  for (const kind of ['asg', 'deployment'] as const) {
    const s = src.filter((c) => c.kind === kind);
    const t = dst.filter((c) => c.kind === kind);
    if (plan.capacity.plan === undefined && t.length > 0 && s.length !== t.length) {
      throw new InputError(`${plan.file}: regions.${to}.capacity: ${t.length} ${kind} entr${t.length === 1 ? 'y' : 'ies'} in ${to} but ${s.length} in ${from}; percentToMatch pairs them by position`, {
        field: `regions.${to}.capacity`,
        file: plan.file,
        suggestions: [`list the same ${kind === 'asg' ? 'ASGs' : 'deployments'} in the same order in both regions`, 'or size the target from a capacity plan (capacity.plan)'],
      });
    }
    t.forEach((ref, i) => out.push({ target: ref, source: s[i] ?? null }));
  }
  return out;
}

/** The capacity plan's need for a tier in a region: its region-loss scenario, else the tier's sizing (by its binding policy). */
export function planNeed(report: PlanReport, plan: FailoverPlan, region: string, ref: CapacityRef): { instances: number; policy: PolicyName } {
  const r = report.regions.find((x) => x.name === region);
  if (!r) throw new InputError(`${plan.file}: capacity.plan: the capacity plan has no region ${region}`, { field: 'capacity.plan', file: plan.file, suggestions: [`add ${region} to the capacity plan's regions (same names as the failover plan)`] });
  const t = r.tiers.find((x) => x.tier === ref.tier);
  if (!t) throw new InputError(`${plan.file}: ${ref.field.replace(/\.(asg|kubernetes)$/, '')}.tier: the capacity plan has no tier ${JSON.stringify(ref.tier)}`, { field: ref.field.replace(/\.(asg|kubernetes)$/, '.tier'), file: plan.file, suggestions: [`use one of: ${r.tiers.map((x) => x.tier).join(', ')}`] });
  const loss = t.scenarios.find((s) => s.policy === 'region-loss');
  return loss ? { instances: loss.instances, policy: loss.policy } : { instances: t.instances, policy: t.binding };
}

/** What the target needs, entry by entry (reads both regions). */
export async function capacityNeeds(plan: FailoverPlan, from: string, to: string, ports: FailoverPorts, options: { ungraceful: boolean; report?: PlanReport; warn?: (line: string) => void }): Promise<CapacityNeed[]> {
  const out: CapacityNeed[] = [];
  for (const pair of pairEntries(plan, from, to)) {
    const target = await readCapacity(plan, pair.target, ports);
    let source: CapacityState | null = null;
    let needed: number;
    let basis: string;
    if (options.report) {
      const sized = planNeed(options.report, plan, to, pair.target);
      needed = sized.instances;
      basis = `capacity plan ${plan.capacity.plan}: ${to} ${pair.target.tier} sized for ${sized.policy === 'region-loss' ? 'region loss' : `${sized.policy} (the capacity plan has no region-loss scenario)`}`;
    } else {
      try {
        source = pair.source ? await readCapacity(plan, pair.source, ports) : null;
      } catch (error) {
        if (!options.ungraceful || error instanceof InputError) throw error;
        options.warn?.(`ungraceful: cannot read the source capacity (${(error as Error).message}); keeping the target's desired capacity`);
      }
      // Ungraceful: the source is down, so its InService count says little; its desired capacity is what it carried.
      const sourceCount = source === null ? 0 : options.ungraceful ? Math.max(source.ready, source.desired) : source.ready;
      needed = Math.ceil((plan.capacity.percentToMatch * sourceCount) / 100 - 1e-9);
      basis = source === null ? 'source unreadable: no scaling' : `ceil(${plan.capacity.percentToMatch}% × ${sourceCount} ${options.ungraceful ? 'desired' : source.ref.kind === 'asg' ? 'InService' : 'ready'} in ${from})`;
    }
    out.push({ target, source, need: needed, basis, desired: Math.max(target.desired, needed) });
  }
  return out;
}

/** Problems that stop a pre-check: a need above an ASG's max (relia never changes min or max; only ASGs have a max). */
export function capacityProblems(needs: readonly CapacityNeed[]): string[] {
  return needs.filter((n) => n.target.max !== null && n.desired > n.target.max).map((n) => `ASG ${n.target.ref.name} needs ${n.desired} but its max size is ${n.target.max}`);
}

export interface ScaleOutcome {
  need: CapacityNeed;
  ready: number;
  met: boolean;
}

/** Set every target's desired capacity (never down), then wait until each is ready or the timeout passes. */
export async function scaleAndWait(plan: FailoverPlan, needs: readonly CapacityNeed[], ports: FailoverPorts, options: { onScaled?: (n: CapacityNeed) => void | Promise<void>; pollMs?: number } = {}): Promise<ScaleOutcome[]> {
  const opts = ports.signal ? { signal: ports.signal } : {};
  for (const n of needs) {
    if (n.desired <= n.target.desired) continue;
    const ref = n.target.ref;
    if (ref.kind === 'asg') await needPort(ports.compute, 'Auto Scaling', ref.field).setDesiredCapacity(ref.region, ref.name, n.desired, opts);
    else await (await needPort(ports.cluster, 'Kubernetes', ref.field)(ref.context)).setScale({ kind: 'deployment', namespace: ref.namespace, name: ref.name }, n.desired, opts);
    await options.onScaled?.(n);
  }
  const deadline = ports.clock.now() + plan.capacity.timeoutMs;
  const poll = options.pollMs ?? POLL_MS;
  for (;;) {
    throwIfAborted(ports.signal);
    const outcomes: ScaleOutcome[] = [];
    for (const n of needs) {
      const now = await readCapacity(plan, n.target.ref, ports);
      outcomes.push({ need: n, ready: now.ready, met: now.ready >= n.need });
    }
    if (outcomes.every((o) => o.met) || ports.clock.now() >= deadline) return outcomes;
    await ports.clock.sleep(Math.min(poll, Math.max(1, deadline - ports.clock.now())), ports.signal);
  }
}

export function unmet(outcomes: readonly ScaleOutcome[]): CheckFailedError | null {
  const bad = outcomes.filter((o) => !o.met);
  if (bad.length === 0) return null;
  return new CheckFailedError(`target capacity not ready within capacity.timeout: ${bad.map((o) => `${o.need.target.ref.name} ${o.ready}/${o.need.need}`).join(', ')}; no traffic was moved`, {
    suggestions: ['look at the target group’s scaling activities, or raise capacity.timeout', 'the scale-up stays in place; rollback with capacity.scaleBackOnRollback undoes it'],
  });
}
