/**
 * Kubernetes faults through the cluster port, only in contexts listed in
 * `chaos.allow.kubeContexts`:
 * - `kubernetes.pod-kill`: evict pods (the Eviction API honours
 *   PodDisruptionBudgets). A blocked eviction fails the action or is skipped
 *   (`onBlocked`); it is bypassed only with an explicit `force: true`, which
 *   deletes the pod with a grace period instead;
 * - `kubernetes.scale`: scale a deployment or statefulset down; the undo
 *   scales it back to what it was;
 * - `kubernetes.node-drain`: cordon nodes and evict their pods, found in
 *   every namespace by `spec.nodeName` (DaemonSet pods, mirror pods,
 *   protected namespaces or labels, and by default pods no controller owns
 *   stay, as kubectl drain leaves DaemonSet and mirror pods and refuses
 *   unmanaged ones); the undo uncordons what this action cordoned.
 */
import { z } from 'zod';
import { InputError, SafetyStopError } from '../../errors.js';
import type { ClusterPort, PodInfo } from '../../../ports/cluster.js';
import type { ActionDefinition, ActivityContext, ActivityPlan, PlannedTarget } from '../activity.js';
import { chooseTargets, describeMode, labelSelector, protection, requireKubeContext, selectionFields } from '../targets.js';
import { durationMs, issueAt, labelMap } from './common.js';

const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'expected a Kubernetes name such as api or api-7d9f' });

const evictionFields = {
  /** Grace period for the pod's containers; omitted: the pod's own. */
  gracePeriod: durationMs('30s').optional(),
  /** A PodDisruptionBudget blocks the eviction: `fail` the action (default) or `skip` the pod. */
  onBlocked: z.enum(['fail', 'skip']).default('fail'),
  /** Bypass PodDisruptionBudgets by deleting the pod instead. Only when written explicitly. */
  force: z.boolean().default(false),
};

const PodKillArgs = z.strictObject({
  namespace: name.default('default'),
  /** Label selector: `app=api,tier=web` or a map. */
  selector: labelMap,
  fieldSelector: z.string().optional(),
  ...selectionFields,
  ...evictionFields,
});
export type PodKillArgs = z.infer<typeof PodKillArgs>;

interface EvictionReport {
  evicted: string[];
  forced: string[];
  skipped: Array<{ pod: string; reason: string }>;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 1000));

async function blockingPdbs(cluster: ClusterPort, pods: PodInfo[], signal: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const ns of new Set(pods.map((p) => p.namespace))) {
    const pdbs = await cluster.listPdbs(ns, { signal });
    for (const p of pods.filter((x) => x.namespace === ns)) {
      const pdb = pdbs.find((b) => b.disruptionsAllowed < 1 && Object.entries(b.matchLabels).every(([k, v]) => p.labels[k] === v));
      if (pdb) out.set(`${p.namespace}/${p.name}`, `PodDisruptionBudget ${pdb.name} allows no disruption now`);
    }
  }
  return out;
}

async function evictAll(cluster: ClusterPort, pods: PodInfo[], a: z.infer<z.ZodObject<typeof evictionFields>>, ctx: ActivityContext): Promise<EvictionReport> {
  const report: EvictionReport = { evicted: [], forced: [], skipped: [] };
  const grace = seconds(a.gracePeriod);
  for (const pod of pods) {
    const id = `${pod.namespace}/${pod.name}`;
    const outcome = await cluster.evictPod(pod.namespace, pod.name, { signal: ctx.signal, ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) });
    if (outcome.status !== 'blocked') {
      report.evicted.push(id);
      ctx.log('kubernetes.pod-evicted', { pod: id, outcome: outcome.status });
      continue;
    }
    if (a.force) {
      await cluster.deletePod(pod.namespace, pod.name, { signal: ctx.signal, gracePeriodSeconds: grace ?? 30 });
      report.forced.push(id);
      ctx.log('kubernetes.pod-deleted', { pod: id, reason: `force: true bypassed the PodDisruptionBudget (${outcome.reason})` });
    } else if (a.onBlocked === 'skip') {
      report.skipped.push({ pod: id, reason: outcome.reason });
      ctx.log('kubernetes.pod-skipped', { pod: id, reason: outcome.reason });
    } else {
      throw new SafetyStopError(`eviction of ${id} blocked by a PodDisruptionBudget: ${outcome.reason}`, {
        suggestions: ['the budget protects the service: wait for pods to be ready, or widen the budget', 'onBlocked: skip goes on with the other pods', 'force: true deletes the pod despite the budget (explicit only)'],
      });
    }
  }
  return report;
}

async function resolvePods(a: PodKillArgs, ctx: ActivityContext): Promise<{ cluster: ClusterPort; context: string; pods: PodInfo[] }> {
  const cluster = await ctx.ports.get('cluster');
  const context = requireKubeContext(cluster, ctx.policy);
  const selector = labelSelector(a.selector);
  const listed = await cluster.listPods(a.namespace, { signal: ctx.signal, labelSelector: selector, ...(a.fieldSelector ? { fieldSelector: a.fieldSelector } : {}) });
  const live = listed.filter((p) => p.deletionTimestamp === undefined);
  const byId = new Map(live.map((p) => [`${p.namespace}/${p.name}`, p]));
  const chosen = chooseTargets(
    live.map((p) => ({ id: `${p.namespace}/${p.name}`, namespace: p.namespace, labels: p.labels })),
    a,
    { policy: ctx.policy, random: ctx.random, field: 'selector', what: 'pods', selector: `${selector} in namespace ${a.namespace} (context ${context})`, claim: ctx.claimTargets },
  );
  return {
    cluster,
    context,
    pods: chosen.chosen.map((c) => byId.get(c.id) as PodInfo),
  };
}

export const podKill: ActionDefinition<PodKillArgs> = {
  type: 'kubernetes.pod-kill',
  summary: 'Evict pods chosen by label selector (PodDisruptionBudgets honoured; force: true deletes instead)',
  args: PodKillArgs,
  async plan(a, ctx): Promise<ActivityPlan> {
    const { cluster, context, pods } = await resolvePods(a, ctx);
    const blocked = await blockingPdbs(cluster, pods, ctx.signal);
    return {
      targets: pods.map((p) => {
        const id = `${p.namespace}/${p.name}`;
        const b = blocked.get(id);
        return { kind: 'pod', id, detail: b ? `${b}: ${a.force ? 'would be deleted (force: true)' : a.onBlocked === 'skip' ? 'would be skipped' : 'the action would fail'}` : `${p.phase}${p.nodeName ? ` on ${p.nodeName}` : ''}` };
      }),
      does: `${a.force ? 'evict (delete when a budget blocks)' : 'evict'} ${describeMode(a)} of the pods matching ${labelSelector(a.selector)} in ${a.namespace} (context ${context})`,
      undo: 'nothing to undo: their controllers replace evicted pods',
    };
  },
  async run(a, ctx) {
    const { cluster, pods } = await resolvePods(a, ctx);
    return evictAll(cluster, pods, a, ctx);
  },
};

const ScaleArgs = z.strictObject({
  kind: z.enum(['deployment', 'statefulset']).default('deployment'),
  namespace: name.default('default'),
  name,
  /** The replicas to scale down to. */
  replicas: z.number().int().min(0),
});
export type ScaleArgs = z.infer<typeof ScaleArgs>;

async function currentScale(a: ScaleArgs, ctx: ActivityContext): Promise<{ cluster: ClusterPort; context: string; replicas: number }> {
  const cluster = await ctx.ports.get('cluster');
  const context = requireKubeContext(cluster, ctx.policy);
  const why = protection({ id: a.name, namespace: a.namespace, labels: {} }, ctx.policy);
  if (why) throw new InputError(`namespace: ${why}`, { field: 'namespace', suggestions: ['chaos never touches protected namespaces: pick a workload elsewhere'] });
  const scale = await cluster.getScale({ kind: a.kind, namespace: a.namespace, name: a.name }, { signal: ctx.signal });
  if (scale === null) throw new InputError(`name: no ${a.kind} ${a.namespace}/${a.name} in context ${context}`, { field: 'name', suggestions: [`check it exists: kubectl --context ${context} -n ${a.namespace} get ${a.kind} ${a.name}`] });
  if (a.replicas > scale.replicas) {
    throw new InputError(`replicas: ${a.replicas} is above the current ${scale.replicas}; this action scales down`, { field: 'replicas', suggestions: [`use a number from 0 to ${scale.replicas} (its replicas now)`] });
  }
  return { cluster, context, replicas: scale.replicas };
}

export const scaleDown: ActionDefinition<ScaleArgs> = {
  type: 'kubernetes.scale',
  summary: 'Scale a deployment or statefulset down; the undo restores its replicas',
  args: ScaleArgs,
  async plan(a, ctx) {
    const { context, replicas } = await currentScale(a, ctx);
    return {
      targets: [{ kind: a.kind, id: `${a.namespace}/${a.name}`, detail: `${replicas} replicas` }],
      does: `scale ${a.kind} ${a.namespace}/${a.name} from ${replicas} to ${a.replicas} (context ${context})`,
      undo: `scale it back to ${replicas}`,
    };
  },
  async run(a, ctx) {
    const { cluster, context, replicas } = await currentScale(a, ctx);
    const ref = { kind: a.kind, namespace: a.namespace, name: a.name };
    await cluster.setScale(ref, a.replicas, { signal: ctx.signal });
    ctx.inject({
      description: `${a.kind} ${a.namespace}/${a.name} scaled from ${replicas} to ${a.replicas}`,
      manualUndo: `kubectl --context ${context} -n ${a.namespace} scale ${a.kind}/${a.name} --replicas=${replicas}`,
      async undo(u) {
        const c = await u.ports.get('cluster');
        await c.setScale(ref, replicas, { signal: u.signal });
      },
    });
    return { workload: `${a.kind}/${a.namespace}/${a.name}`, from: replicas, to: a.replicas };
  },
};

const DrainArgs = z
  .strictObject({
    /** Node label selector: `node-pool=spot` or a map. */
    selector: labelMap.optional(),
    /** Or node names. */
    names: z.array(z.string().min(1)).min(1).optional(),
    ...selectionFields,
    /** Evict the node's pods after cordoning (default true); false only cordons. */
    drain: z.boolean().default(true),
    /** Only these namespaces' pods on the node are evicted; omitted: every namespace (protected ones never). */
    namespaces: z.array(name).min(1).optional(),
    /** Pods no controller owns would not come back: `keep` them on the node (default), or `evict` them too (gone for good). */
    unmanaged: z.enum(['keep', 'evict']).default('keep'),
    ...evictionFields,
  })
  .superRefine((a, ctx) => {
    if (a.selector === undefined && a.names === undefined) ctx.addIssue(issueAt(['selector'], 'name the nodes by selector or names'));
    if (!a.drain && a.namespaces !== undefined) ctx.addIssue(issueAt(['namespaces'], 'namespaces only narrow a drain: remove it, or set drain: true'));
  });
export type DrainArgs = z.infer<typeof DrainArgs>;

/** A pod on a drained node that stays, and why (as kubectl drain leaves them). */
export interface KeptPod {
  pod: string;
  reason: string;
}

/** Why a pod on a node is not evicted by a drain; undefined when it is. */
export function drainKeeps(p: PodInfo, policy: ActivityContext['policy'], unmanaged: 'keep' | 'evict' = 'keep'): string | undefined {
  if (p.deletionTimestamp !== undefined) return 'already terminating';
  if (p.mirror) return 'mirror pod of a static pod (the kubelet owns it)';
  if (p.owner?.kind === 'DaemonSet') return `DaemonSet pod (${p.owner.name}): its controller ignores the cordon`;
  const why = protection({ id: p.name, namespace: p.namespace, labels: p.labels }, policy);
  if (why) return why;
  if (p.owner === undefined && unmanaged === 'keep') return 'no controller owns it, so nothing would replace it (unmanaged: evict evicts it anyway)';
  return undefined;
}

/** The pods on `node`: from every namespace with a field selector, or only from `namespaces`; split into evict and keep. */
async function podsOnNode(cluster: ClusterPort, node: string, a: DrainArgs, ctx: ActivityContext): Promise<{ evict: PodInfo[]; kept: KeptPod[] }> {
  if (!a.drain) return { evict: [], kept: [] };
  const fieldSelector = `spec.nodeName=${node}`;
  const listed: PodInfo[] = [];
  if (a.namespaces) for (const ns of a.namespaces) listed.push(...(await cluster.listPods(ns, { signal: ctx.signal, fieldSelector })));
  else listed.push(...(await cluster.listPodsAllNamespaces({ signal: ctx.signal, fieldSelector })));
  const evict: PodInfo[] = [];
  const kept: KeptPod[] = [];
  for (const p of listed) {
    const why = drainKeeps(p, ctx.policy, a.unmanaged);
    if (why) kept.push({ pod: `${p.namespace}/${p.name}`, reason: why });
    else evict.push(p);
  }
  return { evict, kept };
}

async function resolveNodes(a: DrainArgs, ctx: ActivityContext) {
  const cluster = await ctx.ports.get('cluster');
  const context = requireKubeContext(cluster, ctx.policy);
  const selector = a.selector ? labelSelector(a.selector) : undefined;
  let nodes = await cluster.listNodes({ signal: ctx.signal, ...(selector ? { labelSelector: selector } : {}) });
  const names = a.names;
  if (names) nodes = nodes.filter((n) => names.includes(n.name));
  const chosen = chooseTargets(
    nodes.map((n) => ({ id: n.name, labels: n.labels })),
    a,
    // Stryker disable next-line OptionalChaining: equivalent, names is set whenever selector is not (the schema refuses a drain with neither)
    { policy: ctx.policy, random: ctx.random, field: a.selector ? 'selector' : 'names', what: 'nodes', selector: `${selector ?? a.names?.join(', ')} (context ${context})`, claim: ctx.claimTargets },
  );
  return { cluster, context, nodes: chosen.chosen.map((c) => nodes.find((n) => n.name === c.id) as (typeof nodes)[number]) };
}

const drainScope = (a: DrainArgs) => (a.namespaces ? `their pods in ${a.namespaces.join(', ')}` : 'their pods in every namespace');

export const nodeDrain: ActionDefinition<DrainArgs> = {
  type: 'kubernetes.node-drain',
  summary: 'Cordon nodes and evict their pods (PodDisruptionBudgets honoured); the undo uncordons them',
  args: DrainArgs,
  async plan(a, ctx) {
    const { cluster, context, nodes } = await resolveNodes(a, ctx);
    const targets: PlannedTarget[] = [];
    for (const n of nodes) {
      targets.push({ kind: 'node', id: n.name, detail: n.unschedulable ? 'already cordoned (left cordoned)' : 'cordon' });
      const { evict, kept } = await podsOnNode(cluster, n.name, a, ctx);
      const blocked = await blockingPdbs(cluster, evict, ctx.signal);
      for (const p of evict) {
        const id = `${p.namespace}/${p.name}`;
        const b = blocked.get(id);
        targets.push({ kind: 'pod', id, detail: b ? `${b}: ${a.force ? 'would be deleted (force: true)' : a.onBlocked === 'skip' ? 'would be skipped' : 'the drain would fail'}` : `evict from ${n.name}` });
      }
      for (const k of kept) targets.push({ kind: 'kept pod', id: k.pod, detail: `stays on ${n.name}: ${k.reason}` });
    }
    return {
      targets,
      does: `cordon${a.drain ? ` and drain (evict ${drainScope(a)}; DaemonSet, mirror, protected${a.unmanaged === 'keep' ? ' and unmanaged' : ''} pods stay)` : ''} ${describeMode(a)} of the matching nodes (context ${context})`,
      undo: 'uncordon the nodes this action cordoned (evicted pods are replaced by their controllers)',
    };
  },
  async run(a, ctx) {
    const { cluster, context, nodes } = await resolveNodes(a, ctx);
    const report: EvictionReport & { cordoned: string[]; kept: KeptPod[] } = { cordoned: [], evicted: [], forced: [], skipped: [], kept: [] };
    for (const n of nodes) {
      if (!n.unschedulable) {
        await cluster.setUnschedulable(n.name, true, { signal: ctx.signal });
        report.cordoned.push(n.name);
        ctx.inject({
          description: `node ${n.name} cordoned`,
          manualUndo: `kubectl --context ${context} uncordon ${n.name}`,
          async undo(u) {
            const c = await u.ports.get('cluster');
            await c.setUnschedulable(n.name, false, { signal: u.signal });
          },
        });
      }
      const { evict, kept } = await podsOnNode(cluster, n.name, a, ctx);
      report.kept.push(...kept);
      const r = await evictAll(cluster, evict, a, ctx);
      report.evicted.push(...r.evicted);
      report.forced.push(...r.forced);
      report.skipped.push(...r.skipped);
    }
    return report;
  },
};

export const kubernetesActions = [podKill, scaleDown, nodeDrain] as ActionDefinition<unknown>[];
