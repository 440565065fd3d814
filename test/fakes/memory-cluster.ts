/**
 * In-memory ClusterPort for core tests. It passes the same contract suite as
 * the Kubernetes adapter (test/contract/cluster.contract.test.ts):
 * eviction honours PodDisruptionBudgets (`blocked` when disruptionsAllowed is
 * 0; an eviction spends one allowed disruption of every matching PDB), evicted
 * and deleted pods are gone, dryRun validates and changes nothing.
 *
 * Seed it with addPod/addPdb/addWorkload/addNode/seedConfigMap. `calls` lists
 * every port call, for tests that assert what was (not) done.
 */
import { DependencyError, InputError } from '../../src/core/errors.js';
import type {
  ClusterCallOptions,
  ClusterPort,
  ClusterWriteOptions,
  EvictionOutcome,
  NodeInfo,
  PdbInfo,
  PodInfo,
  ScaleInfo,
  WorkloadKind,
  WorkloadRef,
} from '../../src/ports/cluster.js';
import { matchesLabels, parseSelector } from '../../scripts/standins/label-selector.mjs';

export const PDB_BLOCKED_REASON = "Cannot evict pod as it would violate the pod's disruption budget.";

export interface WorkloadSeed {
  kind?: WorkloadKind;
  namespace: string;
  name: string;
  replicas: number;
  /** Defaults to `replicas`. */
  readyReplicas?: number;
  /** When true (the default) readyReplicas follows a setScale at once; when false it stays until setReady. */
  readyFollows?: boolean;
}

type Workload = Required<WorkloadSeed>;

const key = (namespace: string, name: string) => `${namespace}/${name}`;
const wkey = (ref: { kind?: WorkloadKind; namespace: string; name: string }) => `${ref.kind ?? 'deployment'}:${ref.namespace}/${ref.name}`;

export class MemoryCluster implements ClusterPort {
  readonly kind = 'memory-cluster';
  readonly calls: string[] = [];
  private readonly pods = new Map<string, PodInfo>();
  private readonly pdbs = new Map<string, PdbInfo>();
  private readonly workloads = new Map<string, Workload>();
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly configMaps = new Map<string, Record<string, string>>();
  private uidCounter = 0;
  /** Set to make every call fail as an unreachable API server would. */
  unreachable = false;

  constructor(private readonly contextName = 'memory') {}

  // ---- seeding -------------------------------------------------------------

  addPod(pod: Partial<PodInfo> & { namespace: string; name: string }): PodInfo {
    const full: PodInfo = { uid: `uid-${++this.uidCounter}`, labels: {}, phase: 'Running', ready: true, ...pod };
    this.pods.set(key(pod.namespace, pod.name), full);
    return full;
  }

  /** `count` pods named `<prefix>-0..n-1` with the same labels, spread over `nodes` when given. */
  addPods(namespace: string, prefix: string, count: number, labels: Record<string, string>, nodes: string[] = []): PodInfo[] {
    return Array.from({ length: count }, (_, i) => {
      const pod: Partial<PodInfo> & { namespace: string; name: string } = { namespace, name: `${prefix}-${i}`, labels: { ...labels } };
      if (nodes.length > 0) pod.nodeName = nodes[i % nodes.length]!;
      return this.addPod(pod);
    });
  }

  addPdb(pdb: PdbInfo): void {
    this.pdbs.set(key(pdb.namespace, pdb.name), { ...pdb, matchLabels: { ...pdb.matchLabels } });
  }

  addWorkload(seed: WorkloadSeed): void {
    const w: Workload = { kind: 'deployment', readyReplicas: seed.replicas, readyFollows: true, ...seed };
    this.workloads.set(wkey(w), w);
  }

  /** Sets status.readyReplicas, as the controllers would once pods are ready. */
  setReady(ref: WorkloadRef, readyReplicas: number): void {
    const w = this.workloads.get(wkey(ref));
    if (!w) throw new Error(`no workload ${wkey(ref)}`);
    w.readyReplicas = readyReplicas;
  }

  addNode(node: Partial<NodeInfo> & { name: string }): void {
    this.nodes.set(node.name, { labels: {}, unschedulable: false, ready: true, ...node });
  }

  seedConfigMap(namespace: string, name: string, data: Record<string, string>): void {
    this.configMaps.set(key(namespace, name), { ...data });
  }

  // ---- the port ------------------------------------------------------------

  private enter(call: string, options?: ClusterCallOptions): void {
    options?.signal?.throwIfAborted();
    this.calls.push(call);
    if (this.unreachable) {
      throw new DependencyError('kubernetes', `${call} failed: connect ECONNREFUSED (context ${this.contextName})`, {
        suggestions: ['check that the API server is reachable: kubectl cluster-info'],
      });
    }
  }

  context(): string {
    return this.contextName;
  }

  async listPods(namespace: string, options: ClusterCallOptions & { labelSelector?: string; fieldSelector?: string } = {}): Promise<PodInfo[]> {
    this.enter(`listPods ${namespace}`, options);
    return this.selectPods((p) => p.namespace === namespace, options);
  }

  async listPodsAllNamespaces(options: ClusterCallOptions & { labelSelector?: string; fieldSelector?: string } = {}): Promise<PodInfo[]> {
    this.enter('listPods (all namespaces)', options);
    return this.selectPods(() => true, options);
  }

  private selectPods(where: (p: PodInfo) => boolean, options: { labelSelector?: string; fieldSelector?: string }): PodInfo[] {
    const labels = parseSelector(options.labelSelector);
    const fields = parseSelector(options.fieldSelector);
    return [...this.pods.values()]
      .filter((p) => where(p) && labels(p.labels) && fields(podFields(p)))
      .map(clonePod)
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  async getPod(namespace: string, name: string, options?: ClusterCallOptions): Promise<PodInfo | null> {
    this.enter(`getPod ${namespace}/${name}`, options);
    const p = this.pods.get(key(namespace, name));
    return p ? clonePod(p) : null;
  }

  async evictPod(namespace: string, name: string, options: ClusterWriteOptions & { gracePeriodSeconds?: number } = {}): Promise<EvictionOutcome> {
    this.enter(`evictPod ${namespace}/${name}${options.dryRun ? ' (dry run)' : ''}`, options);
    const pod = this.pods.get(key(namespace, name));
    if (!pod) return { status: 'gone' };
    const matching = [...this.pdbs.values()].filter((b) => b.namespace === namespace && matchesLabels(b.matchLabels, pod.labels));
    if (matching.some((b) => b.disruptionsAllowed <= 0)) return { status: 'blocked', reason: PDB_BLOCKED_REASON };
    if (!options.dryRun) {
      for (const b of matching) b.disruptionsAllowed--;
      this.pods.delete(key(namespace, name));
    }
    return { status: 'evicted' };
  }

  async deletePod(namespace: string, name: string, options: ClusterWriteOptions & { gracePeriodSeconds: number }): Promise<void> {
    this.enter(`deletePod ${namespace}/${name}${options.dryRun ? ' (dry run)' : ''}`, options);
    if (!options.dryRun) this.pods.delete(key(namespace, name));
  }

  async listPdbs(namespace: string, options?: ClusterCallOptions): Promise<PdbInfo[]> {
    this.enter(`listPdbs ${namespace}`, options);
    return [...this.pdbs.values()]
      .filter((b) => b.namespace === namespace)
      .map((b) => ({ ...b, matchLabels: { ...b.matchLabels } }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async getScale(ref: WorkloadRef, options?: ClusterCallOptions): Promise<ScaleInfo | null> {
    this.enter(`getScale ${wkey(ref)}`, options);
    const w = this.workloads.get(wkey(ref));
    return w ? { replicas: w.replicas, readyReplicas: w.readyReplicas } : null;
  }

  async setScale(ref: WorkloadRef, replicas: number, options: ClusterWriteOptions = {}): Promise<void> {
    this.enter(`setScale ${wkey(ref)} ${replicas}${options.dryRun ? ' (dry run)' : ''}`, options);
    const w = this.workloads.get(wkey(ref));
    if (!w) throw notFound(`${ref.kind} ${ref.namespace}/${ref.name}`, 'workload');
    if (!Number.isInteger(replicas) || replicas < 0) throw new InputError(`replicas must be a whole number >= 0, got ${replicas}`, { field: 'replicas', suggestions: ['give a replica count of 0 or more'] });
    if (options.dryRun) return;
    w.replicas = replicas;
    if (w.readyFollows) w.readyReplicas = replicas;
  }

  async listNodes(options: ClusterCallOptions & { labelSelector?: string } = {}): Promise<NodeInfo[]> {
    this.enter('listNodes', options);
    const labels = parseSelector(options.labelSelector);
    return [...this.nodes.values()]
      .filter((n) => labels(n.labels))
      .map((n) => ({ ...n, labels: { ...n.labels } }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async setUnschedulable(node: string, unschedulable: boolean, options: ClusterWriteOptions = {}): Promise<void> {
    this.enter(`setUnschedulable ${node} ${unschedulable}${options.dryRun ? ' (dry run)' : ''}`, options);
    const n = this.nodes.get(node);
    if (!n) throw notFound(`node ${node}`, 'node');
    if (!options.dryRun) n.unschedulable = unschedulable;
  }

  async getConfigMap(namespace: string, name: string, options?: ClusterCallOptions): Promise<Record<string, string> | null> {
    this.enter(`getConfigMap ${namespace}/${name}`, options);
    const cm = this.configMaps.get(key(namespace, name));
    return cm ? { ...cm } : null;
  }

  async putConfigMap(namespace: string, name: string, data: Record<string, string>, options: ClusterWriteOptions = {}): Promise<void> {
    this.enter(`putConfigMap ${namespace}/${name}${options.dryRun ? ' (dry run)' : ''}`, options);
    if (!options.dryRun) this.configMaps.set(key(namespace, name), { ...data });
  }

  async deleteConfigMap(namespace: string, name: string, options: ClusterWriteOptions = {}): Promise<void> {
    this.enter(`deleteConfigMap ${namespace}/${name}${options.dryRun ? ' (dry run)' : ''}`, options);
    if (!options.dryRun) this.configMaps.delete(key(namespace, name));
  }

  async close(): Promise<void> {}
}

function clonePod(p: PodInfo): PodInfo {
  const out: PodInfo = { ...p, labels: { ...p.labels } };
  if (p.owner) out.owner = { ...p.owner };
  return out;
}

/** The pod fields the API server accepts in a fieldSelector. */
function podFields(p: PodInfo): Record<string, string> {
  return { 'metadata.name': p.name, 'metadata.namespace': p.namespace, 'spec.nodeName': p.nodeName ?? '', 'status.phase': p.phase };
}

function notFound(what: string, field: string): InputError {
  return new InputError(`${what} not found`, { field, suggestions: [`check the name and namespace: kubectl get ${what.split(' ')[0]}`] });
}
