/**
 * kubernetes.node-drain as a user meets it: which nodes it picks (selector or
 * names), what `chaos plan` prints for each node and pod, the errors, the
 * cordon and its undo, and what reaches the cluster (the run's signal, the
 * node's field selector, one list per namespace when `namespaces` is given).
 */
import { describe, expect, it } from 'vitest';
import { drainKeeps, nodeDrain } from '../../../../src/core/chaos/actions/kubernetes.js';
import { InputError } from '../../../../src/core/errors.js';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { inputError, rejection } from '../../../helpers/errors.js';
import { spyCluster } from './cluster-spy.js';
import { allowAll, args, faultsCtx } from './faults-ctx.js';

const rs = { kind: 'ReplicaSet', name: 'api-7d9f' };

/**
 * node-a and node-b (pool spot), node-c (pool base, already cordoned).
 * On node-a: batch/job-0 and web/api-0 (same labels), web/agent (DaemonSet), kube-system/dns-0.
 * A budget in web allows no disruption of tier=web.
 */
function nodes(): MemoryCluster {
  const c = new MemoryCluster();
  c.addNode({ name: 'node-a', labels: { pool: 'spot' } });
  c.addNode({ name: 'node-b', labels: { pool: 'spot' } });
  c.addNode({ name: 'node-c', labels: { pool: 'base' }, unschedulable: true });
  c.addPod({ namespace: 'batch', name: 'job-0', labels: { tier: 'web' }, nodeName: 'node-a', owner: { kind: 'Job', name: 'nightly' } });
  c.addPod({ namespace: 'web', name: 'api-0', labels: { tier: 'web' }, nodeName: 'node-a', owner: rs });
  c.addPod({ namespace: 'web', name: 'agent', labels: { app: 'agent' }, nodeName: 'node-a', owner: { kind: 'DaemonSet', name: 'agent' } });
  c.addPod({ namespace: 'kube-system', name: 'dns-0', labels: { app: 'dns' }, nodeName: 'node-a', owner: rs });
  c.addPod({ namespace: 'web', name: 'api-1', labels: { tier: 'web' }, nodeName: 'node-c', owner: rs });
  c.addPdb({ namespace: 'web', name: 'a-web', matchLabels: { tier: 'web' }, disruptionsAllowed: 0 });
  return c;
}

const plan = async (raw: Record<string, unknown>, c: MemoryCluster = nodes()) => nodeDrain.plan(args(nodeDrain, raw), faultsCtx({ cluster: c }));

describe('kubernetes.node-drain plan', () => {
  it('lists the node, each pod it would evict (a budget only in the pod\'s own namespace marks it) and each pod that stays, with why', async () => {
    const blocked = 'PodDisruptionBudget a-web allows no disruption now';
    const targets = (detail: string) => [
      { kind: 'node', id: 'node-a', detail: 'cordon' },
      { kind: 'pod', id: 'batch/job-0', detail: 'evict from node-a' },
      { kind: 'pod', id: 'web/api-0', detail: `${blocked}: ${detail}` },
      { kind: 'kept pod', id: 'kube-system/dns-0', detail: 'stays on node-a: namespace kube-system is protected (chaos.protectedNamespaces)' },
      { kind: 'kept pod', id: 'web/agent', detail: 'stays on node-a: DaemonSet pod (agent): its controller ignores the cordon' },
    ];
    expect(await plan({ names: ['node-a'] })).toEqual({
      targets: targets('the drain would fail'),
      does: 'cordon and drain (evict their pods in every namespace; DaemonSet, mirror, protected and unmanaged pods stay) one of the matching nodes (context memory)',
      undo: 'uncordon the nodes this action cordoned (evicted pods are replaced by their controllers)',
    });
    expect((await plan({ names: ['node-a'], onBlocked: 'skip' })).targets).toEqual(targets('would be skipped'));
    expect((await plan({ names: ['node-a'], force: true, onBlocked: 'skip' })).targets).toEqual(targets('would be deleted (force: true)'));
  });

  it('says which namespaces it drains and whether unmanaged pods stay; drain: false only cordons and lists no pods', async () => {
    expect((await plan({ names: ['node-a'], namespaces: ['web', 'batch'], mode: 'all' })).does).toBe('cordon and drain (evict their pods in web, batch; DaemonSet, mirror, protected and unmanaged pods stay) all of the matching nodes (context memory)');
    expect((await plan({ names: ['node-a'], unmanaged: 'evict', seed: 2 })).does).toBe('cordon and drain (evict their pods in every namespace; DaemonSet, mirror, protected pods stay) one, seed 2 of the matching nodes (context memory)');
    expect(await plan({ names: ['node-a', 'node-c'], drain: false, mode: 'all' })).toEqual({
      targets: [
        { kind: 'node', id: 'node-a', detail: 'cordon' },
        { kind: 'node', id: 'node-c', detail: 'already cordoned (left cordoned)' },
      ],
      does: 'cordon all of the matching nodes (context memory)',
      undo: 'uncordon the nodes this action cordoned (evicted pods are replaced by their controllers)',
    });
  });

  it('namespaces narrows the drain to those namespaces\' pods, one list call each with the node\'s field selector', async () => {
    const c = spyCluster(nodes());
    const ctx = faultsCtx({ cluster: c.cluster });
    const p = await nodeDrain.plan(args(nodeDrain, { names: ['node-a'], namespaces: ['batch'] }), ctx);
    expect(p.targets.map((t) => t.id)).toEqual(['node-a', 'batch/job-0']);
    expect(c.calls.filter((k) => k.method.startsWith('listPods')).map((k) => [k.method, ...k.args])).toEqual([['listPods', 'batch', { signal: ctx.signal, fieldSelector: 'spec.nodeName=node-a' }]]);
  });

  it('picks nodes by label selector (asked of the API) or by names, and says what matched nothing', async () => {
    const c = spyCluster(nodes());
    const ctx = faultsCtx({ cluster: c.cluster });
    const ids = async (raw: Record<string, unknown>) => (await nodeDrain.plan(args(nodeDrain, { drain: false, mode: 'all', ...raw }), ctx)).targets.map((t) => t.id);
    expect(await ids({ selector: 'pool=spot' })).toEqual(['node-a', 'node-b']);
    expect(c.calls[0]?.options).toEqual({ signal: ctx.signal, labelSelector: 'pool=spot' });
    expect(await ids({ names: ['node-c', 'node-a'] })).toEqual(['node-a', 'node-c']);
    const byNames = await rejection(plan({ names: ['node-x', 'node-y'] }), InputError);
    expect([byNames.field, byNames.message]).toEqual(['names', 'names: no nodes match node-x, node-y (context memory)']);
    const bySelector = await rejection(plan({ selector: { pool: 'none' } }), InputError);
    expect([bySelector.field, bySelector.message]).toEqual(['selector', 'selector: no nodes match pool=none (context memory)']);
  });

  it('the nodes must be named, and namespaces needs a drain: exit 2 with the field', () => {
    const none = inputError(() => args(nodeDrain, { mode: 'all' }));
    expect([none.field, none.message]).toEqual(['selector', 'selector: name the nodes by selector or names']);
    const narrow = inputError(() => args(nodeDrain, { names: ['node-a'], drain: false, namespaces: ['web'] }));
    expect([narrow.field, narrow.message]).toEqual(['namespaces', 'namespaces: namespaces only narrow a drain: remove it, or set drain: true']);
  });
});

describe('kubernetes.node-drain run', () => {
  it('cordons with a manual undo, carries the run\'s signal on every call, and the undo uncordons with its own signal', async () => {
    const c = spyCluster(nodes());
    const ctx = faultsCtx({ cluster: c.cluster });
    const out = await nodeDrain.run(args(nodeDrain, { names: ['node-a'], onBlocked: 'skip' }), ctx);
    expect(out).toMatchObject({ cordoned: ['node-a'], evicted: ['batch/job-0'], forced: [] });
    expect(ctx.injections.map((i) => [i.description, i.manualUndo])).toEqual([['node node-a cordoned', 'kubectl --context memory uncordon node-a']]);
    for (const k of c.calls) expect(k.options?.['signal']).toBe(ctx.signal);
    const before = c.calls.length;
    await ctx.undoAll();
    const undo = c.calls.slice(before);
    expect(undo.map((k) => k.args.slice(0, 2))).toEqual([['node-a', false]]);
    expect(undo[0]?.options?.['signal']).toBeInstanceOf(AbortSignal);
  });

  it('a node already cordoned is left as it was: not cordoned again, and the undo does not uncordon it', async () => {
    const c = spyCluster(nodes());
    const ctx = faultsCtx({ cluster: c.cluster });
    const out = await nodeDrain.run(args(nodeDrain, { names: ['node-c'], onBlocked: 'skip' }), ctx);
    expect(out).toEqual({ cordoned: [], evicted: [], forced: [], skipped: [{ pod: 'web/api-1', reason: expect.stringMatching(/disruption budget/) }], kept: [] });
    expect(c.calls.map((k) => k.method)).not.toContain('setUnschedulable');
    expect(ctx.injections).toEqual([]);
    await ctx.undoAll();
    expect((await c.cluster.listNodes()).find((n) => n.name === 'node-c')?.unschedulable).toBe(true);
  });

  it('drain: false reports the cordon alone', async () => {
    const out = await nodeDrain.run(args(nodeDrain, { names: ['node-a'], drain: false }), faultsCtx({ cluster: nodes() }));
    expect(out).toEqual({ cordoned: ['node-a'], evicted: [], forced: [], skipped: [], kept: [] });
  });
});

describe('drainKeeps', () => {
  it('keeps a pod no controller owns unless told to evict it', () => {
    const lonely = { namespace: 'batch', name: 'lonely', uid: 'u1', labels: {}, phase: 'Running', ready: true };
    expect(drainKeeps(lonely, allowAll)).toBe('no controller owns it, so nothing would replace it (unmanaged: evict evicts it anyway)');
    expect(drainKeeps(lonely, allowAll, 'evict')).toBeUndefined();
  });
});
