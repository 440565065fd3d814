/**
 * Seeding a Kubernetes API (the loopback stand-in, or a real cluster named by
 * RELIA_TEST_KUBECONFIG) for the cluster contract: a namespace per test, pods,
 * PDBs sized to allow exactly N disruptions, deployments, statefulsets and
 * nodes. Seeding uses @kubernetes/client-node directly; the code under test
 * is always the adapter. On a real cluster it waits for the controllers
 * (pods Ready, PDB status) instead of assuming them.
 */
import { AppsV1Api, CoreV1Api, KubeConfig, PolicyV1Api } from '@kubernetes/client-node';
import type { WorkloadKind } from '../../src/ports/cluster.js';
import type { ClusterSeed } from '../contract/suites/cluster.js';

const PAUSE = { name: 'pause', image: 'registry.k8s.io/pause:3.9' };

export interface KubeTarget {
  kubeconfig: string;
  context?: string;
  /** True on a real cluster: wait for controllers, clean up namespaces and nodes. */
  real: boolean;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export class KubeSeeder {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly policy: PolicyV1Api;
  private readonly nodes: string[] = [];
  private readonly namespaces: string[] = [];

  constructor(private readonly target: KubeTarget) {
    const kc = new KubeConfig();
    kc.loadFromFile(target.kubeconfig);
    if (target.context) kc.setCurrentContext(target.context);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.policy = kc.makeApiClient(PolicyV1Api);
  }

  async namespace(name: string): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name, labels: { 'relia.dev/test': 'contract' } } } });
    this.namespaces.push(name);
  }

  seed(namespace: string): ClusterSeed {
    return {
      pods: async (prefix, count, labels, nodeName) => {
        for (let i = 0; i < count; i++) {
          await this.core.createNamespacedPod({ namespace, body: { metadata: { name: `${prefix}-${i}`, labels }, spec: { containers: [PAUSE], ...(nodeName ? { nodeName } : {}) } } });
        }
        // Pods bound to a node object with no kubelet (the contract's nodes) never start: wait only for the others.
        if (this.target.real && !nodeName) {
          await until(`${count} ${prefix} pods Ready`, async () => {
            const list = await this.core.listNamespacedPod({ namespace });
            const readyCount = list.items.filter((p) => p.metadata?.name?.startsWith(`${prefix}-`) && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length;
            return readyCount >= count ? true : undefined;
          }, 180_000);
        }
      },
      pdb: async (name, matchLabels, disruptionsAllowed) => {
        const selector = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
        const healthy = (await this.core.listNamespacedPod({ namespace, labelSelector: selector })).items.length;
        await this.policy.createNamespacedPodDisruptionBudget({ namespace, body: { metadata: { name }, spec: { minAvailable: Math.max(0, healthy - disruptionsAllowed), selector: { matchLabels } } } });
        await until(`PDB ${name} to allow ${disruptionsAllowed}`, async () => {
          const b = await this.policy.readNamespacedPodDisruptionBudget({ name, namespace });
          return b.status?.disruptionsAllowed === disruptionsAllowed ? true : undefined;
        }, 60_000);
      },
      workload: (kind, name, replicas) => this.workload(kind, namespace, name, replicas),
      node: async (name, labels) => {
        await this.core.createNode({ body: { metadata: { name, labels }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } });
        this.nodes.push(name);
      },
    };
  }

  private async workload(kind: WorkloadKind, namespace: string, name: string, replicas: number): Promise<void> {
    const labels = { app: name };
    const spec = { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [PAUSE] } } };
    if (kind === 'deployment') await this.apps.createNamespacedDeployment({ namespace, body: { metadata: { name }, spec } });
    else await this.apps.createNamespacedStatefulSet({ namespace, body: { metadata: { name }, spec: { ...spec, serviceName: name } } });
  }

  /** One pod with what `seed().pods` does not set: annotations (a mirror pod's), an owner (a DaemonSet's), a node. */
  async pod(namespace: string, name: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string>; owner?: { kind: string; name: string }; nodeName?: string }): Promise<void> {
    const ownerReferences = extra.owner ? [{ apiVersion: 'apps/v1', kind: extra.owner.kind, name: extra.owner.name, uid: `uid-${extra.owner.name}`, controller: true }] : undefined;
    await this.core.createNamespacedPod({
      namespace,
      body: { metadata: { name, labels: extra.labels ?? {}, ...(extra.annotations ? { annotations: extra.annotations } : {}), ...(ownerReferences ? { ownerReferences } : {}) }, spec: { containers: [PAUSE], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) } },
    });
  }

  /** Real clusters only: remove what the tests created. */
  async cleanup(): Promise<void> {
    if (!this.target.real) return;
    for (const name of this.nodes) await this.core.deleteNode({ name }).catch(() => undefined);
    for (const name of this.namespaces) await this.core.deleteNamespace({ name }).catch(() => undefined);
  }
}
