/**
 * The ClusterPort contract. One suite, every implementation: the in-memory
 * fake, the Kubernetes adapter (real @kubernetes/client-node) against the
 * loopback API stand-in, and against a real cluster when RELIA_TEST_KUBECONFIG
 * is set. Each test works in a fresh namespace (and node names prefixed by it).
 */
import { describe, expect, it } from 'vitest';
import type { ClusterPort, WorkloadKind } from '../../../src/ports/cluster.js';
import { expectDependencyError, expectInputError } from './dependency-error.js';

export interface ClusterSeed {
  /** `count` Running, Ready pods named `<prefix>-<i>` with these labels (on `nodeName` when given). */
  pods(prefix: string, count: number, labels: Record<string, string>, nodeName?: string): Promise<void>;
  /** A PDB selecting matchLabels whose status allows exactly `disruptionsAllowed`. */
  pdb(name: string, matchLabels: Record<string, string>, disruptionsAllowed: number): Promise<void>;
  workload(kind: WorkloadKind, name: string, replicas: number): Promise<void>;
  node(name: string, labels: Record<string, string>): Promise<void>;
}

export interface ClusterFixture {
  cluster: ClusterPort;
  /** Fresh for this test. */
  namespace: string;
  seed: ClusterSeed;
  /** A second fresh namespace (named after the first) and its seed, for what crosses namespaces. */
  other(): Promise<{ namespace: string; seed: ClusterSeed }>;
}

export function clusterContract(name: string, make: () => Promise<ClusterFixture>, options: { unreachable?: () => Promise<ClusterPort> } = {}) {
  describe(`ClusterPort contract: ${name}`, () => {
    it('names its context', async () => {
      const { cluster } = await make();
      expect(cluster.context()).toMatch(/\S/);
      await cluster.close();
    });

    it('lists pods by label selector (equality, inequality, set-based) and gets one; absent is null / []', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.pods('api', 3, { app: 'api', tier: 'web' });
      await seed.pods('worker', 2, { app: 'worker', tier: 'batch' });
      const names = async (labelSelector?: string) => (await cluster.listPods(ns, labelSelector === undefined ? {} : { labelSelector })).map((p) => p.name).sort();
      expect(await names('app=api')).toEqual(['api-0', 'api-1', 'api-2']);
      expect(await names('tier!=web')).toEqual(['worker-0', 'worker-1']);
      expect(await names('app in (api,worker),tier=batch')).toEqual(['worker-0', 'worker-1']);
      expect(await names('app=nothing')).toEqual([]);
      expect(await names()).toHaveLength(5);
      const pod = await cluster.getPod(ns, 'api-1');
      expect(pod).toMatchObject({ namespace: ns, name: 'api-1', labels: { app: 'api', tier: 'web' } });
      expect(pod!.uid).toMatch(/\S/);
      expect(await cluster.getPod(ns, 'no-such-pod')).toBeNull();
      expect(await cluster.listPods(`${ns}-empty`, { labelSelector: 'app=api' })).toEqual([]);
      await cluster.close();
    });

    it('filters pods by field selector (spec.nodeName)', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.node(`${ns}-n1`, {});
      await seed.pods('a', 2, { app: 'a' }, `${ns}-n1`);
      await seed.pods('b', 1, { app: 'a' });
      const onNode = await cluster.listPods(ns, { fieldSelector: `spec.nodeName=${ns}-n1` });
      expect(onNode.map((p) => p.name).sort()).toEqual(['a-0', 'a-1']);
      expect(onNode.every((p) => p.nodeName === `${ns}-n1`)).toBe(true);
      await cluster.close();
    });

    it('lists pods of every namespace by label and field selector, sorted by namespace then name', async () => {
      const { cluster, namespace: ns, seed, other } = await make();
      const second = await other();
      await seed.pods('a', 2, { suite: ns, app: 'a' });
      await second.seed.pods('b', 1, { suite: ns, app: 'b' });
      await seed.pods('c', 1, { suite: `${ns}-not` });
      const ids = (pods: Array<{ namespace: string; name: string }>) => pods.map((p) => `${p.namespace}/${p.name}`);
      const all = await cluster.listPodsAllNamespaces({ labelSelector: `suite=${ns}` });
      expect(ids(all)).toEqual([`${ns}/a-0`, `${ns}/a-1`, `${second.namespace}/b-0`]);
      expect(all.find((p) => p.name === 'b-0')).toMatchObject({ namespace: second.namespace, labels: { suite: ns, app: 'b' } });
      expect(ids(await cluster.listPodsAllNamespaces({ labelSelector: `suite=${ns}`, fieldSelector: `metadata.namespace=${second.namespace}` }))).toEqual([`${second.namespace}/b-0`]);
      expect(await cluster.listPodsAllNamespaces({ labelSelector: `suite=${ns}-nothing` })).toEqual([]);
      await cluster.close();
    });

    it('finds a node\'s pods across namespaces with fieldSelector spec.nodeName', async () => {
      const { cluster, namespace: ns, seed, other } = await make();
      const second = await other();
      await seed.node(`${ns}-n1`, {});
      await seed.pods('a', 1, { app: 'a' }, `${ns}-n1`);
      await second.seed.pods('b', 2, { app: 'b' }, `${ns}-n1`);
      await seed.pods('c', 1, { app: 'a' });
      const onNode = await cluster.listPodsAllNamespaces({ fieldSelector: `spec.nodeName=${ns}-n1` });
      expect(onNode.map((p) => `${p.namespace}/${p.name}`)).toEqual([`${ns}/a-0`, `${second.namespace}/b-0`, `${second.namespace}/b-1`]);
      expect(onNode.every((p) => p.nodeName === `${ns}-n1`)).toBe(true);
      await cluster.close();
    });

    it('evicts a pod a PDB allows: evicted, and the pod is gone', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.pods('api', 2, { app: 'api' });
      await seed.pdb('api', { app: 'api' }, 1);
      expect(await cluster.evictPod(ns, 'api-0')).toEqual({ status: 'evicted' });
      expect(await cluster.getPod(ns, 'api-0')).toBeNull();
      expect((await cluster.listPods(ns, { labelSelector: 'app=api' })).map((p) => p.name)).toEqual(['api-1']);
      await cluster.close();
    });

    it('a PDB with no disruption allowed blocks the eviction (never throws) and the pod stays', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.pods('db', 1, { app: 'db' });
      await seed.pdb('db', { app: 'db' }, 0);
      const out = await cluster.evictPod(ns, 'db-0');
      expect(out.status).toBe('blocked');
      expect(out.status === 'blocked' && out.reason).toMatch(/disruption budget/i);
      expect(await cluster.getPod(ns, 'db-0')).not.toBeNull();
      expect((await cluster.listPdbs(ns)).find((b) => b.name === 'db')?.disruptionsAllowed).toBe(0);
      await cluster.close();
    });

    it('evicting an absent pod is `gone`', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.pods('x', 1, { app: 'x' });
      expect(await cluster.evictPod(ns, 'not-here')).toEqual({ status: 'gone' });
      await cluster.close();
    });

    it('dry runs validate and change nothing: eviction, delete, scale, cordon, ConfigMap', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.pods('api', 2, { app: 'api' });
      await seed.pdb('api', { app: 'api' }, 1);
      await seed.workload('deployment', 'web', 3);
      await seed.node(`${ns}-n1`, { pool: ns });
      expect(await cluster.evictPod(ns, 'api-0', { dryRun: true })).toEqual({ status: 'evicted' });
      await cluster.deletePod(ns, 'api-1', { dryRun: true, gracePeriodSeconds: 0 });
      expect((await cluster.listPods(ns)).map((p) => p.name).sort()).toEqual(['api-0', 'api-1']);
      expect((await cluster.listPdbs(ns))[0]?.disruptionsAllowed).toBe(1);
      await cluster.setScale({ kind: 'deployment', namespace: ns, name: 'web' }, 0, { dryRun: true });
      expect((await cluster.getScale({ kind: 'deployment', namespace: ns, name: 'web' }))?.replicas).toBe(3);
      await cluster.setUnschedulable(`${ns}-n1`, true, { dryRun: true });
      expect((await cluster.listNodes({ labelSelector: `pool=${ns}` }))[0]?.unschedulable).toBe(false);
      await cluster.putConfigMap(ns, 'halt', { halted: 'true' }, { dryRun: true });
      expect(await cluster.getConfigMap(ns, 'halt')).toBeNull();
      await cluster.close();
    });

    it('deletePod removes the pod whatever the PDB says; an absent pod resolves', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.pods('db', 1, { app: 'db' });
      await seed.pdb('db', { app: 'db' }, 0);
      await cluster.deletePod(ns, 'db-0', { gracePeriodSeconds: 0 });
      expect(await cluster.getPod(ns, 'db-0')).toBeNull();
      await expect(cluster.deletePod(ns, 'db-0', { gracePeriodSeconds: 0 })).resolves.toBeUndefined();
      await cluster.close();
    });

    it('lists PDBs with their matchLabels and disruptionsAllowed', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.pods('api', 3, { app: 'api' });
      await seed.pdb('api-pdb', { app: 'api' }, 2);
      const pdbs = await cluster.listPdbs(ns);
      expect(pdbs).toEqual([{ namespace: ns, name: 'api-pdb', matchLabels: { app: 'api' }, disruptionsAllowed: 2 }]);
      expect(await cluster.listPdbs(`${ns}-empty`)).toEqual([]);
      await cluster.close();
    });

    it('reads and sets the scale of deployments and statefulsets; an absent workload is null, and setting it is exit 2', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.workload('deployment', 'web', 3);
      await seed.workload('statefulset', 'db', 2);
      const web = { kind: 'deployment' as const, namespace: ns, name: 'web' };
      const db = { kind: 'statefulset' as const, namespace: ns, name: 'db' };
      expect((await cluster.getScale(web))?.replicas).toBe(3);
      await cluster.setScale(web, 1);
      await cluster.setScale(db, 4);
      expect((await cluster.getScale(web))?.replicas).toBe(1);
      expect((await cluster.getScale(db))?.replicas).toBe(4);
      const ready = (await cluster.getScale(db))!.readyReplicas;
      expect(ready).toBeGreaterThanOrEqual(0);
      expect(await cluster.getScale({ kind: 'deployment', namespace: ns, name: 'absent' })).toBeNull();
      expect(await cluster.getScale({ kind: 'statefulset', namespace: ns, name: 'web' })).toBeNull();
      await expectInputError(() => cluster.setScale({ kind: 'deployment', namespace: ns, name: 'absent' }, 2), /absent/);
      await cluster.close();
    });

    it('lists nodes by label, cordons and uncordons', async () => {
      const { cluster, namespace: ns, seed } = await make();
      await seed.node(`${ns}-a`, { pool: ns, zone: 'z1' });
      await seed.node(`${ns}-b`, { pool: ns, zone: 'z2' });
      expect((await cluster.listNodes({ labelSelector: `pool=${ns},zone=z2` })).map((n) => n.name)).toEqual([`${ns}-b`]);
      await cluster.setUnschedulable(`${ns}-a`, true);
      const cordoned = await cluster.listNodes({ labelSelector: `pool=${ns}` });
      expect(Object.fromEntries(cordoned.map((n) => [n.name, n.unschedulable]))).toEqual({ [`${ns}-a`]: true, [`${ns}-b`]: false });
      await cluster.setUnschedulable(`${ns}-a`, false);
      expect((await cluster.listNodes({ labelSelector: `pool=${ns}` })).every((n) => !n.unschedulable)).toBe(true);
      await expectInputError(() => cluster.setUnschedulable(`${ns}-absent`, true), /absent/);
      await cluster.close();
    });

    it('ConfigMaps: absent is null; put creates then replaces; delete removes; deleting an absent one resolves', async () => {
      const { cluster, namespace: ns } = await make();
      expect(await cluster.getConfigMap(ns, 'relia-chaos-halt')).toBeNull();
      await cluster.putConfigMap(ns, 'relia-chaos-halt', { halted: 'true', by: 'alice' });
      expect(await cluster.getConfigMap(ns, 'relia-chaos-halt')).toEqual({ halted: 'true', by: 'alice' });
      await cluster.putConfigMap(ns, 'relia-chaos-halt', { halted: 'false' });
      expect(await cluster.getConfigMap(ns, 'relia-chaos-halt')).toEqual({ halted: 'false' });
      await cluster.deleteConfigMap(ns, 'relia-chaos-halt');
      expect(await cluster.getConfigMap(ns, 'relia-chaos-halt')).toBeNull();
      await expect(cluster.deleteConfigMap(ns, 'relia-chaos-halt')).resolves.toBeUndefined();
      await cluster.close();
    });

    it('an aborted signal rejects the call', async () => {
      const { cluster, namespace: ns } = await make();
      const ac = new AbortController();
      ac.abort(new Error('stop now'));
      await expect(cluster.listPods(ns, { signal: ac.signal })).rejects.toThrow();
      await cluster.close();
    });

    if (options.unreachable) {
      it('an unreachable API server is a DependencyError (exit 3) naming the call, with a suggestion', async () => {
        const cluster = await options.unreachable!();
        await expectDependencyError(() => cluster.listPods('default'), /listPods|pods/i);
        await cluster.close();
      });
    }
  });
}
