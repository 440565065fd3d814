import { describe, expect, it } from 'vitest';
import { nodeDrain, podKill, scaleDown } from '../../../../src/core/chaos/actions/kubernetes.js';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { inputError } from '../../../helpers/errors.js';
import { args, faultsCtx } from './faults-ctx.js';

function cluster(context = 'memory') {
  const c = new MemoryCluster(context);
  for (let i = 0; i < 6; i++) c.addPod({ namespace: 'web', name: `api-${i}`, labels: { app: 'api' }, nodeName: i % 2 === 0 ? 'node-a' : 'node-b', owner: { kind: 'ReplicaSet', name: 'api-7d9f' } });
  c.addPods('kube-system', 'dns', 2, { app: 'api' }, ['node-a']);
  return c;
}
const rejects = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as Error & { exitCode: number; field?: string });

describe('kubernetes.pod-kill', () => {
  it('evicts the chosen pods only, reproducibly by seed, never in protected namespaces', async () => {
    const c = cluster();
    const a = args(podKill, { namespace: 'web', selector: 'app=api', mode: { count: 2 }, seed: 3 });
    const plan = await podKill.plan(a, faultsCtx({ cluster: c }));
    expect(plan.targets.map((t) => t.id)).toHaveLength(2);
    const out = (await podKill.run(a, faultsCtx({ cluster: c }))) as { evicted: string[] };
    expect(out.evicted).toEqual(plan.targets.map((t) => t.id));
    expect((await c.listPods('web')).map((p) => `web/${p.name}`).filter((id) => out.evicted.includes(id))).toEqual([]);
    expect(await c.listPods('kube-system')).toHaveLength(2);
  });

  it('a PodDisruptionBudget that allows nothing fails the action (exit 4), skips with onBlocked: skip, and is bypassed only by force: true', async () => {
    const c = cluster();
    c.addPdb({ namespace: 'web', name: 'api-pdb', matchLabels: { app: 'api' }, disruptionsAllowed: 0 });
    const plan = await podKill.plan(args(podKill, { namespace: 'web', selector: { app: 'api' } }), faultsCtx({ cluster: c }));
    expect(plan.targets[0]?.detail).toMatch(/api-pdb allows no disruption.*the action would fail/);
    const err = await rejects(podKill.run(args(podKill, { namespace: 'web', selector: { app: 'api' } }), faultsCtx({ cluster: c })));
    expect(err.exitCode).toBe(4);
    expect(err.message).toMatch(/blocked by a PodDisruptionBudget/);
    expect(await c.listPods('web')).toHaveLength(6);
    const skipped = (await podKill.run(args(podKill, { namespace: 'web', selector: 'app=api', mode: 'all', onBlocked: 'skip' }), faultsCtx({ cluster: c }))) as { skipped: unknown[]; evicted: string[] };
    expect(skipped.skipped).toHaveLength(6);
    expect(await c.listPods('web')).toHaveLength(6);
    const forced = (await podKill.run(args(podKill, { namespace: 'web', selector: 'app=api', force: true, gracePeriod: '5s' }), faultsCtx({ cluster: c }))) as { forced: string[] };
    expect(forced.forced).toHaveLength(1);
    expect(await c.listPods('web')).toHaveLength(5);
  });

  it('a selector matching nothing and a disallowed context are exit 2 before anything changes', async () => {
    const c = cluster();
    const none = await rejects(podKill.run(args(podKill, { namespace: 'web', selector: 'app=nope' }), faultsCtx({ cluster: c })));
    expect(none.exitCode).toBe(2);
    expect(none.field).toBe('selector');
    const prod = cluster('prod');
    const denied = await rejects(podKill.run(args(podKill, { namespace: 'web', selector: 'app=api' }), faultsCtx({ cluster: prod })));
    expect(denied.field).toBe('chaos.allow.kubeContexts');
    expect(await prod.listPods('web')).toHaveLength(6);
    expect(inputError(() => args(podKill, { namespace: 'web', selector: 'app=api', mode: { percent: 120 } })).field).toBe('mode.percent');
    expect(inputError(() => args(podKill, { namespace: 'web', selector: 'app=api', grace: 3 })).message).toMatch(/unknown field "grace"/);
  });
});

describe('kubernetes.scale', () => {
  it('scales down and the undo restores the replicas', async () => {
    const c = cluster();
    c.addWorkload({ kind: 'deployment', namespace: 'web', name: 'api', replicas: 5 });
    const ctx = faultsCtx({ cluster: c });
    const a = args(scaleDown, { namespace: 'web', name: 'api', replicas: 1 });
    expect((await scaleDown.plan(a, ctx)).undo).toBe('scale it back to 5');
    await scaleDown.run(a, ctx);
    expect((await c.getScale({ kind: 'deployment', namespace: 'web', name: 'api' }))?.replicas).toBe(1);
    expect(ctx.injections[0]?.manualUndo).toBe('kubectl --context memory -n web scale deployment/api --replicas=5');
    await ctx.undoAll();
    expect((await c.getScale({ kind: 'deployment', namespace: 'web', name: 'api' }))?.replicas).toBe(5);
  });
  it('a missing workload, a scale-up or a protected namespace is exit 2', async () => {
    const c = cluster();
    c.addWorkload({ kind: 'deployment', namespace: 'web', name: 'api', replicas: 2 });
    expect((await rejects(scaleDown.run(args(scaleDown, { namespace: 'web', name: 'nope', replicas: 0 }), faultsCtx({ cluster: c })))).field).toBe('name');
    expect((await rejects(scaleDown.run(args(scaleDown, { namespace: 'web', name: 'api', replicas: 9 }), faultsCtx({ cluster: c })))).field).toBe('replicas');
    expect((await rejects(scaleDown.run(args(scaleDown, { namespace: 'kube-system', name: 'coredns', replicas: 0 }), faultsCtx({ cluster: c })))).field).toBe('namespace');
  });
});

describe('kubernetes.node-drain', () => {
  it('cordons the node, evicts its pods (not DaemonSet ones), and the undo uncordons it', async () => {
    const c = cluster();
    c.addNode({ name: 'node-a', labels: { pool: 'spot' } });
    c.addNode({ name: 'node-b', labels: { pool: 'base' } });
    c.addPod({ namespace: 'web', name: 'agent-x', labels: { app: 'agent' }, nodeName: 'node-a', owner: { kind: 'DaemonSet', name: 'agent' } });
    const ctx = faultsCtx({ cluster: c });
    const out = (await nodeDrain.run(args(nodeDrain, { selector: 'pool=spot', namespaces: ['web', 'kube-system'] }), ctx)) as { cordoned: string[]; evicted: string[] };
    expect(out.cordoned).toEqual(['node-a']);
    expect(out.evicted.length).toBeGreaterThan(0);
    expect(out.evicted.every((id) => id.startsWith('web/api'))).toBe(true);
    expect((await c.listNodes()).find((n) => n.name === 'node-a')?.unschedulable).toBe(true);
    expect(await c.getPod('web', 'agent-x')).not.toBeNull();
    expect(await c.listPods('kube-system')).toHaveLength(2);
    await ctx.undoAll();
    expect((await c.listNodes()).find((n) => n.name === 'node-a')?.unschedulable).toBe(false);
  });
  it('without namespaces, drain finds the node\'s pods in every namespace; DaemonSet, mirror, terminating and protected pods stay', async () => {
    const c = cluster();
    c.addNode({ name: 'node-a', labels: { pool: 'spot' } });
    c.addNode({ name: 'node-b', labels: { pool: 'base' } });
    for (const name of ['job-0', 'job-1']) c.addPod({ namespace: 'batch', name, labels: { app: 'job' }, nodeName: 'node-a', owner: { kind: 'Job', name: 'nightly' } });
    c.addPod({ namespace: 'batch', name: 'lonely', labels: {}, nodeName: 'node-a' });
    c.addPod({ namespace: 'web', name: 'agent-x', labels: { app: 'agent' }, nodeName: 'node-a', owner: { kind: 'DaemonSet', name: 'agent' } });
    c.addPod({ namespace: 'web', name: 'etcd-node-a', labels: { tier: 'control' }, nodeName: 'node-a', mirror: true });
    c.addPod({ namespace: 'web', name: 'leaving', labels: {}, nodeName: 'node-a', deletionTimestamp: '2026-12-03T10:00:00.000Z' });
    c.addPod({ namespace: 'batch', name: 'keep-me', labels: { 'chaos.relia.dev/protected': 'true' }, nodeName: 'node-a' });
    c.addPods('batch', 'elsewhere', 1, { app: 'job' }, ['node-b']);
    const ctx = faultsCtx({ cluster: c });
    const a = args(nodeDrain, { names: ['node-a'] });
    const plan = await nodeDrain.plan(a, ctx);
    expect(plan.does).toMatch(/every namespace/);
    const evictions = plan.targets.filter((t) => t.kind === 'pod').map((t) => t.id);
    expect(plan.targets.filter((t) => t.kind === 'kept pod').map((t) => t.id)).toEqual(['batch/keep-me', 'batch/lonely', 'kube-system/dns-0', 'kube-system/dns-1', 'web/agent-x', 'web/etcd-node-a', 'web/leaving']);
    expect(evictions).toEqual(['batch/job-0', 'batch/job-1', 'web/api-0', 'web/api-2', 'web/api-4']);
    expect(c.calls).toContain('listPods (all namespaces)');
    const out = (await nodeDrain.run(a, ctx)) as { cordoned: string[]; evicted: string[]; kept: Array<{ pod: string; reason: string }> };
    expect(out.evicted).toEqual(evictions);
    const kept = Object.fromEntries(out.kept.map((k) => [k.pod, k.reason]));
    expect(kept['web/agent-x']).toMatch(/DaemonSet/);
    expect(kept['web/etcd-node-a']).toMatch(/mirror/);
    expect(kept['web/leaving']).toMatch(/terminating/);
    expect(kept['batch/keep-me']).toMatch(/protected/);
    expect(kept['batch/lonely']).toMatch(/no controller owns it/);
    expect(kept['kube-system/dns-0']).toMatch(/namespace kube-system is protected/);
    expect((await c.listPodsAllNamespaces({ fieldSelector: 'spec.nodeName=node-a' })).map((p) => `${p.namespace}/${p.name}`)).toEqual(['batch/keep-me', 'batch/lonely', 'kube-system/dns-0', 'kube-system/dns-1', 'web/agent-x', 'web/etcd-node-a', 'web/leaving']);
    expect(await c.getPod('batch', 'elsewhere-0')).not.toBeNull();
    await ctx.undoAll();
    expect((await c.listNodes()).find((n) => n.name === 'node-a')?.unschedulable).toBe(false);
  });

  it('a PodDisruptionBudget blocks the drain: the action fails after cordoning (the undo uncordons), onBlocked: skip keeps the pod, force deletes it', async () => {
    const c = cluster();
    c.addNode({ name: 'node-a', labels: {} });
    c.addPdb({ namespace: 'web', name: 'api-pdb', matchLabels: { app: 'api' }, disruptionsAllowed: 0 });
    const plan = await nodeDrain.plan(args(nodeDrain, { names: ['node-a'], namespaces: ['web'] }), faultsCtx({ cluster: c }));
    expect(plan.targets.find((t) => t.id === 'web/api-0')?.detail).toMatch(/api-pdb allows no disruption.*the drain would fail/);
    const ctx = faultsCtx({ cluster: c });
    const err = await rejects(nodeDrain.run(args(nodeDrain, { names: ['node-a'] }), ctx));
    expect(err.exitCode).toBe(4);
    expect(await c.listPods('web')).toHaveLength(6);
    expect((await c.listNodes())[0]?.unschedulable).toBe(true);
    await ctx.undoAll();
    expect((await c.listNodes())[0]?.unschedulable).toBe(false);
    const skipped = (await nodeDrain.run(args(nodeDrain, { names: ['node-a'], onBlocked: 'skip' }), faultsCtx({ cluster: c }))) as { skipped: unknown[] };
    expect(skipped.skipped).toHaveLength(3);
    await c.setUnschedulable('node-a', false);
    const forced = (await nodeDrain.run(args(nodeDrain, { names: ['node-a'], force: true }), faultsCtx({ cluster: c }))) as { forced: string[] };
    expect(forced.forced).toEqual(['web/api-0', 'web/api-2', 'web/api-4']);
  });

  it('unmanaged: evict also evicts pods no controller owns (they are gone for good); protected ones still stay', async () => {
    const c = cluster();
    c.addNode({ name: 'node-a', labels: {} });
    c.addPod({ namespace: 'batch', name: 'lonely', labels: {}, nodeName: 'node-a' });
    const a = args(nodeDrain, { names: ['node-a'], unmanaged: 'evict' });
    expect((await nodeDrain.plan(a, faultsCtx({ cluster: c }))).does).not.toMatch(/unmanaged/);
    const out = (await nodeDrain.run(a, faultsCtx({ cluster: c }))) as { evicted: string[]; kept: Array<{ pod: string }> };
    expect(out.evicted).toEqual(['batch/lonely', 'web/api-0', 'web/api-2', 'web/api-4']);
    expect(out.kept.map((k) => k.pod)).toEqual(['kube-system/dns-0', 'kube-system/dns-1']);
    expect(await c.getPod('batch', 'lonely')).toBeNull();
  });

  it('drain: false only cordons; namespaces with drain: false is exit 2 naming the field', async () => {
    const c = cluster();
    c.addNode({ name: 'node-a', labels: {} });
    const out = (await nodeDrain.run(args(nodeDrain, { names: ['node-a'], drain: false }), faultsCtx({ cluster: c }))) as { cordoned: string[]; evicted: string[] };
    expect(out).toMatchObject({ cordoned: ['node-a'], evicted: [] });
    expect(await c.listPods('web')).toHaveLength(6);
    expect(inputError(() => args(nodeDrain, { names: ['node-a'], drain: false, namespaces: ['web'] })).field).toBe('namespaces');
  });
});
