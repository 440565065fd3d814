/**
 * The Kubernetes adapter (plugins/kubernetes, the real @kubernetes/client-node)
 * through the cluster contract: against the loopback API stand-in
 * (scripts/standins/kube-api.mjs), and against a real cluster when
 * RELIA_TEST_KUBECONFIG names one (RELIA_TEST_KUBECONTEXT picks the context).
 * Then what only an adapter has: 409 conflicts retried with a fresh read,
 * Status errors, credentials refused, timeouts, the kubeconfig from settings
 * or KUBECONFIG.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKubernetesCluster } from '../../plugins/kubernetes/src/adapter.js';
import { standInKubeconfig } from '../../scripts/standins/kube-api.mjs';
import { ReliaError } from '../../src/core/errors.js';
import { KubeSeeder, type KubeTarget } from '../helpers/kube.js';
import { deadPort, kit, servers } from '../helpers/servers.js';
import { clusterContract } from './suites/cluster.js';
import { expectDependencyError, expectInputError } from './suites/dependency-error.js';

let n = 0;
const unique = () => `contract-${process.pid}-${++n}-${Date.now().toString(36)}`;

function contractOn(name: string, target: () => KubeTarget) {
  const seeders: KubeSeeder[] = [];
  afterAll(async () => {
    for (const s of seeders) await s.cleanup();
  });
  clusterContract(name, async () => {
    const t = target();
    const seeder = new KubeSeeder(t);
    seeders.push(seeder);
    const namespace = unique();
    await seeder.namespace(namespace);
    const cluster = await createKubernetesCluster({ kubeconfig: t.kubeconfig, ...(t.context ? { context: t.context } : {}), timeoutMs: 10_000 }, kit);
    const other = async () => {
      await seeder.namespace(`${namespace}-b`);
      return { namespace: `${namespace}-b`, seed: seeder.seed(`${namespace}-b`) };
    };
    return { cluster, namespace, seed: seeder.seed(namespace), other };
  }, {
    unreachable: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'relia-kube-'));
      const file = join(dir, 'kubeconfig.yaml');
      writeFileSync(file, standInKubeconfig(`http://127.0.0.1:${await deadPort()}`));
      return createKubernetesCluster({ kubeconfig: file, timeoutMs: 2000 }, kit);
    },
  });
}

const standIn = (): KubeTarget => ({ kubeconfig: servers().kube.kubeconfig, context: servers().kube.context, real: false });
contractOn('kubernetes adapter on the loopback API stand-in', standIn);

const realKubeconfig = process.env.RELIA_TEST_KUBECONFIG;
if (realKubeconfig) {
  const context = process.env.RELIA_TEST_KUBECONTEXT;
  contractOn(`kubernetes adapter on a real cluster (${realKubeconfig})`, () => ({ kubeconfig: realKubeconfig, ...(context ? { context } : {}), real: true }));
}

async function standInCluster(timeoutMs = 5000) {
  const t = standIn();
  const seeder = new KubeSeeder(t);
  const namespace = unique();
  await seeder.namespace(namespace);
  return { cluster: await createKubernetesCluster({ kubeconfig: t.kubeconfig, timeoutMs }, kit), namespace, seed: seeder.seed(namespace) };
}

async function interfere(resource: string, namespace: string | undefined, name: string, reads: number) {
  const res = await fetch(`${servers().kube.url}/__standin/interfere`, { method: 'POST', body: JSON.stringify({ resource, namespace, name, reads }) });
  expect(res.status).toBe(200);
}

describe('kubernetes adapter: what the contract does not cover', () => {
  it('a 409 conflict on the scale subresource is retried with a fresh read, and the write lands', async () => {
    const { cluster, namespace, seed } = await standInCluster();
    await seed.workload('deployment', 'web', 3);
    await interfere('deployments', namespace, 'web', 2);
    await cluster.setScale({ kind: 'deployment', namespace, name: 'web' }, 5);
    expect((await cluster.getScale({ kind: 'deployment', namespace, name: 'web' }))?.replicas).toBe(5);
  });

  it('a conflict that persists is a DependencyError (exit 3) naming the call', async () => {
    const { cluster, namespace, seed } = await standInCluster();
    await seed.workload('statefulset', 'db', 2);
    await interfere('statefulsets', namespace, 'db', 100);
    await expectDependencyError(() => cluster.setScale({ kind: 'statefulset', namespace, name: 'db' }, 1), /setScale statefulset .*\/db.*(Conflict|conflict)/);
    await interfere('statefulsets', namespace, 'db', 0);
    expect((await cluster.getScale({ kind: 'statefulset', namespace, name: 'db' }))?.replicas).toBe(2);
  });

  it('putConfigMap retries a conflicting replace', async () => {
    const { cluster, namespace } = await standInCluster();
    await cluster.putConfigMap(namespace, 'halt', { halted: 'false' });
    await interfere('configmaps', namespace, 'halt', 1);
    await cluster.putConfigMap(namespace, 'halt', { halted: 'true' });
    expect(await cluster.getConfigMap(namespace, 'halt')).toEqual({ halted: 'true' });
  });

  it('a second PDB over the same pod is the server\'s 500 Status, reported as a DependencyError with its message', async () => {
    const { cluster, namespace, seed } = await standInCluster();
    await seed.pods('api', 2, { app: 'api' });
    await seed.pdb('one', { app: 'api' }, 1);
    await seed.pdb('two', { app: 'api' }, 1);
    await expectDependencyError(() => cluster.evictPod(namespace, 'api-0'), /more than one PodDisruptionBudget/);
  });

  it('evicting until the PDB is spent: the next eviction is blocked', async () => {
    const { cluster, namespace, seed } = await standInCluster();
    await seed.pods('api', 3, { app: 'api' });
    await seed.pdb('api', { app: 'api' }, 1);
    expect((await cluster.evictPod(namespace, 'api-0')).status).toBe('evicted');
    expect((await cluster.evictPod(namespace, 'api-1')).status).toBe('blocked');
    expect((await cluster.listPods(namespace)).map((p) => p.name)).toEqual(['api-1', 'api-2']);
  });

  it('refused credentials are a DependencyError saying so, with an RBAC suggestion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-kube-'));
    const file = join(dir, 'kubeconfig.yaml');
    writeFileSync(file, standInKubeconfig(servers().kube.url).replace('relia-stand-in-token', 'wrong-token'));
    const cluster = await createKubernetesCluster({ kubeconfig: file, timeoutMs: 2000 }, kit);
    await expectDependencyError(() => cluster.listPods('default'), /refused: HTTP 401/);
  });

  it('a server that never answers times out as a DependencyError naming the timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const dir = mkdtempSync(join(tmpdir(), 'relia-kube-'));
      const file = join(dir, 'kubeconfig.yaml');
      writeFileSync(file, standInKubeconfig(`http://127.0.0.1:${(silent.address() as { port: number }).port}`));
      const cluster = await createKubernetesCluster({ kubeconfig: file, timeoutMs: 300 }, kit);
      await expectDependencyError(() => cluster.getPod('default', 'x'), /timed out after 300 ms/);
    } finally {
      silent.close();
    }
  });

  it('a missing kubeconfig or an unknown context is exit 2 naming the field', async () => {
    await expectInputError(() => createKubernetesCluster({ kubeconfig: '/nonexistent/kubeconfig', timeoutMs: 1000 }, kit), /nonexistent\/kubeconfig/);
    const err = await createKubernetesCluster({ kubeconfig: servers().kube.kubeconfig, context: 'prod-use1', timeoutMs: 1000 }, kit).catch((e: unknown) => e);
    expect(ReliaError.is(err) && err.field).toBe('kubernetes.context');
    expect((err as ReliaError).suggestions.join(' ')).toContain('relia-stand-in');
  });

  it('without a path, KUBECONFIG is read, and context() names the current context', async () => {
    const before = process.env.KUBECONFIG;
    process.env.KUBECONFIG = servers().kube.kubeconfig;
    try {
      const cluster = await createKubernetesCluster({ timeoutMs: 2000 }, kit);
      expect(cluster.context()).toBe('relia-stand-in');
      expect(await cluster.listPods(`absent-${unique()}`)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = before;
    }
  });
});

describe('kubernetes adapter: what a drain reads from pods', () => {
  it('a mirror pod (annotation kubernetes.io/config.mirror) and a DaemonSet pod are told apart from the rest, in every namespace', async () => {
    const t = standIn();
    const seeder = new KubeSeeder(t);
    const a = unique();
    const b = `${a}-b`;
    await seeder.namespace(a);
    await seeder.namespace(b);
    const node = `${a}-node`;
    await seeder.seed(a).node(node, {});
    await seeder.pod(a, 'etcd', { nodeName: node, annotations: { 'kubernetes.io/config.mirror': 'abc123' } });
    await seeder.pod(b, 'agent', { nodeName: node, owner: { kind: 'DaemonSet', name: 'agent' } });
    await seeder.pod(b, 'web', { nodeName: node, owner: { kind: 'ReplicaSet', name: 'web-7d9f' } });
    const cluster = await createKubernetesCluster({ kubeconfig: t.kubeconfig, timeoutMs: 5000 }, kit);
    const pods = await cluster.listPodsAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
    expect(pods.map((p) => ({ id: `${p.namespace}/${p.name}`, mirror: p.mirror === true, owner: p.owner?.kind }))).toEqual([
      { id: `${a}/etcd`, mirror: true, owner: undefined },
      { id: `${b}/agent`, mirror: false, owner: 'DaemonSet' },
      { id: `${b}/web`, mirror: false, owner: 'ReplicaSet' },
    ]);
  });

  it('the stand-in serves /api/v1/pods for GET only: a write there is the API\'s 405 Status', async () => {
    const res = await fetch(`${servers().kube.url}/api/v1/pods`, { method: 'POST', headers: { authorization: 'Bearer relia-stand-in-token', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'MethodNotAllowed', code: 405 });
  });
});
