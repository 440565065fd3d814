/**
 * kubernetes.pod-kill and kubernetes.scale as a user meets them: what
 * `chaos plan` prints (targets, does, undo), the errors with their fixes, the
 * journal events and the undo, and what reaches the cluster (the run's abort
 * signal on every call, the grace period).
 */
import { describe, expect, it } from 'vitest';
import { podKill, scaleDown } from '../../../../src/core/chaos/actions/kubernetes.js';
import { InputError, SafetyStopError } from '../../../../src/core/errors.js';
import { MemoryCluster, PDB_BLOCKED_REASON } from '../../../fakes/memory-cluster.js';
import { rejection } from '../../../helpers/errors.js';
import { spyCluster } from './cluster-spy.js';
import { args, faultsCtx } from './faults-ctx.js';

const owner = { kind: 'ReplicaSet', name: 'api-7d9f' };

/** web/api-0 (tier web, on node-a), web/api-1 (tier batch, Pending, no node), web/api-2 terminating; kube-system/dns-0. */
function pods(): MemoryCluster {
  const c = new MemoryCluster();
  c.addPod({ namespace: 'web', name: 'api-0', labels: { app: 'api', tier: 'web' }, nodeName: 'node-a', owner });
  c.addPod({ namespace: 'web', name: 'api-1', labels: { app: 'api', tier: 'batch' }, phase: 'Pending', owner });
  c.addPod({ namespace: 'web', name: 'api-2', labels: { app: 'api', tier: 'web' }, nodeName: 'node-a', owner, deletionTimestamp: '2026-12-03T10:00:00.000Z' });
  c.addPod({ namespace: 'kube-system', name: 'dns-0', labels: { app: 'api' }, nodeName: 'node-a', owner });
  return c;
}

describe('kubernetes.pod-kill plan', () => {
  it('lists each live pod with its phase and node, and says what it does and that there is nothing to undo; terminating pods are never chosen', async () => {
    const plan = await podKill.plan(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all' }), faultsCtx({ cluster: pods() }));
    expect(plan).toEqual({
      targets: [
        { kind: 'pod', id: 'web/api-0', detail: 'Running on node-a' },
        { kind: 'pod', id: 'web/api-1', detail: 'Pending' },
      ],
      does: 'evict all of the pods matching app=api in web (context memory)',
      undo: 'nothing to undo: their controllers replace evicted pods',
    });
    const forced = await podKill.plan(args(podKill, { namespace: 'web', selector: { app: 'api' }, mode: { count: 1 }, seed: 4, force: true }), faultsCtx({ cluster: pods() }));
    expect(forced.does).toBe('evict (delete when a budget blocks) 1, seed 4 of the pods matching app=api in web (context memory)');
  });

  it('fieldSelector narrows the pods the API lists', async () => {
    const c = spyCluster(pods());
    const plan = await podKill.plan(args(podKill, { namespace: 'web', selector: 'app=api', fieldSelector: 'status.phase=Pending', mode: 'all' }), faultsCtx({ cluster: c.cluster }));
    expect(plan.targets.map((t) => t.id)).toEqual(['web/api-1']);
    expect(c.calls.find((k) => k.method === 'listPods')?.options).toMatchObject({ labelSelector: 'app=api', fieldSelector: 'status.phase=Pending' });
  });

  it('marks a pod only when a budget that allows no disruption selects all of its labels, and says what would happen to it', async () => {
    const c = pods();
    c.addPdb({ namespace: 'web', name: 'a-web', matchLabels: { app: 'api', tier: 'web' }, disruptionsAllowed: 0 });
    c.addPdb({ namespace: 'web', name: 'b-batch', matchLabels: { app: 'api', tier: 'batch' }, disruptionsAllowed: 1 });
    c.addPdb({ namespace: 'web', name: 'c-other', matchLabels: { app: 'other' }, disruptionsAllowed: 0 });
    const blocked = 'PodDisruptionBudget a-web allows no disruption now';
    const details = async (extra: Record<string, unknown>) =>
      (await podKill.plan(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all', ...extra }), faultsCtx({ cluster: c }))).targets.map((t) => t.detail);
    expect(await details({})).toEqual([`${blocked}: the action would fail`, 'Pending']);
    expect(await details({ onBlocked: 'skip' })).toEqual([`${blocked}: would be skipped`, 'Pending']);
    expect(await details({ force: true })).toEqual([`${blocked}: would be deleted (force: true)`, 'Pending']);
    expect(await details({ force: true, onBlocked: 'skip' })).toEqual([`${blocked}: would be deleted (force: true)`, 'Pending']);
  });

  it('no match is exit 2 naming the selector, the namespace and the context', async () => {
    const e = await rejection(podKill.plan(args(podKill, { namespace: 'web', selector: 'app=nope' }), faultsCtx({ cluster: pods() })), InputError);
    expect(e.message).toBe('selector: no pods match app=nope in namespace web (context memory)');
    expect(e.field).toBe('selector');
  });
});

describe('kubernetes.pod-kill run', () => {
  it('evicts with the pod\'s own grace period unless gracePeriod is given (in whole seconds), and journals each eviction', async () => {
    const c = spyCluster(pods());
    const ctx = faultsCtx({ cluster: c.cluster });
    const out = await podKill.run(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all' }), ctx);
    expect(out).toEqual({ evicted: ['web/api-0', 'web/api-1'], forced: [], skipped: [] });
    const evictions = c.calls.filter((k) => k.method === 'evictPod');
    expect(evictions.map((k) => k.args.slice(0, 2))).toEqual([['web', 'api-0'], ['web', 'api-1']]);
    for (const k of evictions) expect(k.options).not.toHaveProperty('gracePeriodSeconds');
    expect(ctx.events).toEqual([
      { event: 'kubernetes.pod-evicted', detail: { pod: 'web/api-0', outcome: 'evicted' } },
      { event: 'kubernetes.pod-evicted', detail: { pod: 'web/api-1', outcome: 'evicted' } },
    ]);

    const graced = spyCluster(pods());
    await podKill.run(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all', gracePeriod: '1500ms' }), faultsCtx({ cluster: graced.cluster }));
    expect(graced.calls.filter((k) => k.method === 'evictPod').map((k) => k.options?.['gracePeriodSeconds'])).toEqual([2, 2]);
  });

  it('every cluster call carries the run\'s abort signal, so a cancelled run stops at the API', async () => {
    const c = pods();
    c.addPdb({ namespace: 'web', name: 'a-web', matchLabels: { tier: 'web' }, disruptionsAllowed: 0 });
    const spy = spyCluster(c);
    const ctx = faultsCtx({ cluster: spy.cluster });
    const a = args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all', force: true });
    await podKill.plan(a, ctx);
    await podKill.run(a, ctx);
    expect(spy.calls.map((k) => k.method)).toEqual(['listPods', 'listPdbs', 'listPods', 'evictPod', 'deletePod', 'evictPod']);
    for (const k of spy.calls) expect(k.options?.['signal']).toBe(ctx.signal);
  });

  it('a blocked eviction: force deletes (grace 30 s unless given), skip journals and goes on, the default stops with exit 4 and three ways out', async () => {
    const fixture = () => {
      const c = pods();
      c.addPdb({ namespace: 'web', name: 'a-web', matchLabels: { tier: 'web' }, disruptionsAllowed: 0 });
      return spyCluster(c);
    };
    const forced = fixture();
    const ctx = faultsCtx({ cluster: forced.cluster });
    expect(await podKill.run(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all', force: true }), ctx)).toEqual({ evicted: ['web/api-1'], forced: ['web/api-0'], skipped: [] });
    expect(forced.calls.find((k) => k.method === 'deletePod')?.options?.['gracePeriodSeconds']).toBe(30);
    expect(ctx.events[0]).toEqual({ event: 'kubernetes.pod-deleted', detail: { pod: 'web/api-0', reason: `force: true bypassed the PodDisruptionBudget (${PDB_BLOCKED_REASON})` } });
    const graced = fixture();
    await podKill.run(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all', force: true, gracePeriod: '5s' }), faultsCtx({ cluster: graced.cluster }));
    expect(graced.calls.find((k) => k.method === 'deletePod')?.options?.['gracePeriodSeconds']).toBe(5);

    const skipped = fixture();
    const sctx = faultsCtx({ cluster: skipped.cluster });
    expect(await podKill.run(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all', onBlocked: 'skip' }), sctx)).toEqual({ evicted: ['web/api-1'], forced: [], skipped: [{ pod: 'web/api-0', reason: PDB_BLOCKED_REASON }] });
    expect(sctx.events[0]).toEqual({ event: 'kubernetes.pod-skipped', detail: { pod: 'web/api-0', reason: PDB_BLOCKED_REASON } });

    const failed = fixture();
    const e = await rejection(podKill.run(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all' }), faultsCtx({ cluster: failed.cluster })), SafetyStopError);
    expect(e.message).toBe(`eviction of web/api-0 blocked by a PodDisruptionBudget: ${PDB_BLOCKED_REASON}`);
    expect(e.suggestions).toEqual(['the budget protects the service: wait for pods to be ready, or widen the budget', 'onBlocked: skip goes on with the other pods', 'force: true deletes the pod despite the budget (explicit only)']);
    expect(failed.calls.filter((k) => k.method === 'evictPod')).toHaveLength(1);
  });
});

describe('kubernetes.scale', () => {
  const workloads = () => {
    const c = new MemoryCluster();
    c.addWorkload({ kind: 'deployment', namespace: 'web', name: 'api', replicas: 5 });
    c.addWorkload({ kind: 'statefulset', namespace: 'web', name: 'db', replicas: 3 });
    return spyCluster(c);
  };

  it('the plan names the workload, its replicas now and after; scaling to the current count is allowed', async () => {
    const plan = await scaleDown.plan(args(scaleDown, { kind: 'statefulset', namespace: 'web', name: 'db', replicas: 3 }), faultsCtx({ cluster: workloads().cluster }));
    expect(plan).toEqual({ targets: [{ kind: 'statefulset', id: 'web/db', detail: '3 replicas' }], does: 'scale statefulset web/db from 3 to 3 (context memory)', undo: 'scale it back to 3' });
  });

  it('the run reports and journals the change, and the undo restores it; every call carries its signal', async () => {
    const c = workloads();
    const ctx = faultsCtx({ cluster: c.cluster });
    expect(await scaleDown.run(args(scaleDown, { namespace: 'web', name: 'api', replicas: 1 }), ctx)).toEqual({ workload: 'deployment/web/api', from: 5, to: 1 });
    expect(ctx.injections.map((i) => i.description)).toEqual(['deployment web/api scaled from 5 to 1']);
    for (const k of c.calls) expect(k.options?.['signal']).toBe(ctx.signal);
    const before = c.calls.length;
    await ctx.undoAll();
    const undo = c.calls.slice(before);
    expect(undo.map((k) => k.args.slice(0, 2))).toEqual([[{ kind: 'deployment', namespace: 'web', name: 'api' }, 5]]);
    expect(undo[0]?.options?.['signal']).toBeInstanceOf(AbortSignal);
  });

  it('a protected namespace, a missing workload or a scale-up is exit 2 with the field and a way out', async () => {
    const fail = async (raw: Record<string, unknown>) => rejection(scaleDown.plan(args(scaleDown, raw), faultsCtx({ cluster: workloads().cluster })), InputError);
    const prot = await fail({ namespace: 'kube-system', name: 'coredns', replicas: 0 });
    expect([prot.field, prot.message, prot.suggestions]).toEqual(['namespace', 'namespace: namespace kube-system is protected (chaos.protectedNamespaces)', ['chaos never touches protected namespaces: pick a workload elsewhere']]);
    const missing = await fail({ kind: 'statefulset', namespace: 'web', name: 'api', replicas: 0 });
    expect([missing.field, missing.message, missing.suggestions]).toEqual(['name', 'name: no statefulset web/api in context memory', ['check it exists: kubectl --context memory -n web get statefulset api']]);
    const up = await fail({ namespace: 'web', name: 'api', replicas: 6 });
    expect([up.field, up.message, up.suggestions]).toEqual(['replicas', 'replicas: 6 is above the current 5; this action scales down', ['use a number from 0 to 5 (its replicas now)']]);
  });
});
