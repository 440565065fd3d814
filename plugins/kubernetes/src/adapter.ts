/**
 * ClusterPort over the Kubernetes API with @kubernetes/client-node 1.x. The
 * kubeconfig comes from settings (path, context), else KUBECONFIG, else
 * ~/.kube/config, else the in-cluster service account. Each call carries a
 * timeout (settings.timeoutMs) and the caller's AbortSignal. Eviction uses the
 * eviction subresource (a PDB's 429 → `blocked`); scale uses the scale
 * subresource with the resourceVersion just read, and a 409 conflict is
 * retried with a fresh read; cordon is a JSON patch of spec.unschedulable.
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PolicyV1Api,
  Observable,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
  type V1Node,
  type V1Pod,
  type V1PodList,
} from '@kubernetes/client-node';
import type {
  ClusterCallOptions,
  ClusterPort,
  ClusterWriteOptions,
  EvictionOutcome,
  NodeInfo,
  PdbInfo,
  PodInfo,
  ScaleInfo,
  WorkloadRef,
} from '../../../src/ports/cluster.js';
import type { KubernetesProviderSettings, PluginKit } from '../../../src/ports/providers.js';
import { kubeFailure, statusOf } from './errors.js';

/** How many times a write that meets a 409 conflict is tried, each after a fresh read. */
const CONFLICT_TRIES = 4;

type CallOptions = ConfigurationOptions;

export class KubernetesCluster implements ClusterPort {
  readonly kind = 'kubernetes';
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly policy: PolicyV1Api;
  private readonly contextName: string;
  private readonly server: string;

  constructor(
    private readonly settings: KubernetesProviderSettings,
    private readonly kit: PluginKit,
  ) {
    const kc = new KubeConfig();
    try {
      if (settings.kubeconfig) kc.loadFromFile(settings.kubeconfig);
      else kc.loadFromDefault();
    } catch (error) {
      throw new kit.errors.InputError(`cannot read the kubeconfig ${settings.kubeconfig ?? '(KUBECONFIG or ~/.kube/config)'}: ${(error as Error).message}`, {
        field: 'kubernetes.kubeconfig',
        suggestions: ['point environments.<env>.kubernetes.kubeconfig (or KUBECONFIG) at a readable kubeconfig'],
        cause: error,
      });
    }
    if (settings.context) {
      if (!kc.getContextObject(settings.context)) {
        const known = kc.getContexts().map((c) => c.name);
        throw new kit.errors.InputError(`kubernetes context "${settings.context}" is not in the kubeconfig`, {
          field: 'kubernetes.context',
          suggestions: [known.length > 0 ? `use one of: ${known.join(', ')}` : 'the kubeconfig has no contexts: kubectl config get-contexts'],
        });
      }
      kc.setCurrentContext(settings.context);
    }
    this.contextName = kc.getCurrentContext();
    this.server = kc.getCurrentCluster()?.server ?? '(no cluster)';
    if (!kc.getCurrentCluster()) {
      throw new kit.errors.InputError(`kubernetes context "${this.contextName}" names no cluster`, { field: 'kubernetes.context', suggestions: ['check the kubeconfig: kubectl config view'] });
    }
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.policy = kc.makeApiClient(PolicyV1Api);
  }

  context(): string {
    return this.contextName;
  }

  /** Per-call options: the timeout and the caller's signal, through a middleware. */
  private options(signal: AbortSignal | undefined): CallOptions {
    const timeoutMs = this.settings.timeoutMs;
    const pre = (ctx: RequestContext) => {
      const timeout = AbortSignal.timeout(timeoutMs);
      ctx.setSignal(signal ? AbortSignal.any([signal, timeout]) : timeout);
      return new Observable(Promise.resolve(ctx));
    };
    return { middleware: [{ pre, post: (r: ResponseContext) => new Observable(Promise.resolve(r)) }], middlewareMergeStrategy: 'append' };
  }

  /** Runs one API call; `onStatus` turns an expected HTTP status into an answer. */
  private async call<T>(call: string, signal: AbortSignal | undefined, fn: (o: CallOptions) => Promise<T>, onStatus?: (code: number, message: string) => { value: T } | Error | undefined): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await fn(this.options(signal));
    } catch (error) {
      const status = statusOf(error);
      if (status && onStatus && !signal?.aborted) {
        const r = onStatus(status.code, status.message);
        if (r instanceof Error) throw r;
        if (r !== undefined) return r.value;
      }
      throw kubeFailure(this.kit, { call, context: this.contextName, server: this.server, timeoutMs: this.settings.timeoutMs, ...(signal ? { signal } : {}) }, error);
    }
  }

  private notFound(what: string, field: string, kind: string): Error {
    return new this.kit.errors.InputError(`${what} not found in context ${this.contextName}`, { field, suggestions: [`check the name and namespace: kubectl get ${kind} --context ${this.contextName}`] });
  }

  async listPods(namespace: string, options: ClusterCallOptions & { labelSelector?: string; fieldSelector?: string } = {}): Promise<PodInfo[]> {
    return this.pagedPods(`listPods ${namespace}`, options, (page, o) =>
      this.core.listNamespacedPod({ namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: 500, _continue: page }, o),
    );
  }

  async listPodsAllNamespaces(options: ClusterCallOptions & { labelSelector?: string; fieldSelector?: string } = {}): Promise<PodInfo[]> {
    return this.pagedPods('listPods (all namespaces)', options, (page, o) =>
      this.core.listPodForAllNamespaces({ labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: 500, _continue: page }, o),
    );
  }

  /** Follows `continue` tokens page by page; sorted by namespace, then name. */
  private async pagedPods(call: string, options: ClusterCallOptions, list: (page: string | undefined, o: CallOptions) => Promise<V1PodList>): Promise<PodInfo[]> {
    const out: PodInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(call, options.signal, (o) => list(token, o));
      for (const p of page.items) out.push(podInfo(p));
      token = page.metadata?._continue || undefined;
    } while (token);
    return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  async getPod(namespace: string, name: string, options: ClusterCallOptions = {}): Promise<PodInfo | null> {
    const pod = await this.call<V1Pod | null>(`getPod ${namespace}/${name}`, options.signal, (o) => this.core.readNamespacedPod({ name, namespace }, o), (code) => (code === 404 ? { value: null } : undefined));
    return pod ? podInfo(pod) : null;
  }

  async evictPod(namespace: string, name: string, options: ClusterWriteOptions & { gracePeriodSeconds?: number } = {}): Promise<EvictionOutcome> {
    const dryRun = options.dryRun ? 'All' : undefined;
    const body = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name, namespace },
      deleteOptions: { ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }), ...(dryRun ? { dryRun: [dryRun] } : {}) },
    };
    return this.call<EvictionOutcome>(`evictPod ${namespace}/${name}`, options.signal, async (o) => {
      await this.core.createNamespacedPodEviction({ name, namespace, body, dryRun }, o);
      return { status: 'evicted' };
    }, (code, message) => {
      if (code === 404) return { value: { status: 'gone' } };
      if (code === 429) return { value: { status: 'blocked', reason: message || 'a PodDisruptionBudget disallows the eviction' } };
      return undefined;
    });
  }

  async deletePod(namespace: string, name: string, options: ClusterWriteOptions & { gracePeriodSeconds: number }): Promise<void> {
    await this.call(`deletePod ${namespace}/${name}`, options.signal, async (o) => {
      await this.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: options.gracePeriodSeconds, dryRun: options.dryRun ? 'All' : undefined }, o);
    }, (code) => (code === 404 ? { value: undefined } : undefined));
  }

  async listPdbs(namespace: string, options: ClusterCallOptions = {}): Promise<PdbInfo[]> {
    const list = await this.call(`listPdbs ${namespace}`, options.signal, (o) => this.policy.listNamespacedPodDisruptionBudget({ namespace }, o));
    return list.items
      .map((b) => ({ namespace, name: b.metadata?.name ?? '', matchLabels: { ...(b.spec?.selector?.matchLabels ?? {}) }, disruptionsAllowed: b.status?.disruptionsAllowed ?? 0 }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private readScale(ref: WorkloadRef, signal: AbortSignal | undefined) {
    const { name, namespace } = ref;
    return this.call(`getScale ${ref.kind} ${namespace}/${name}`, signal, (o) =>
      ref.kind === 'deployment' ? this.apps.readNamespacedDeploymentScale({ name, namespace }, o) : this.apps.readNamespacedStatefulSetScale({ name, namespace }, o),
    (code) => (code === 404 ? { value: null } : undefined));
  }

  async getScale(ref: WorkloadRef, options: ClusterCallOptions = {}): Promise<ScaleInfo | null> {
    const scale = await this.readScale(ref, options.signal);
    if (!scale) return null;
    const { name, namespace } = ref;
    const workload = await this.call(`get ${ref.kind} ${namespace}/${name}`, options.signal, (o) =>
      ref.kind === 'deployment' ? this.apps.readNamespacedDeployment({ name, namespace }, o) : this.apps.readNamespacedStatefulSet({ name, namespace }, o),
    (code) => (code === 404 ? { value: null } : undefined));
    if (!workload) return null;
    return { replicas: scale.spec?.replicas ?? 0, readyReplicas: workload.status?.readyReplicas ?? 0 };
  }

  async setScale(ref: WorkloadRef, replicas: number, options: ClusterWriteOptions = {}): Promise<void> {
    const { name, namespace } = ref;
    const call = `setScale ${ref.kind} ${namespace}/${name}`;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new this.kit.errors.InputError(`${call}: replicas must be a whole number >= 0, got ${replicas}`, { field: 'replicas', suggestions: ['give a replica count of 0 or more'] });
    }
    await this.withConflictRetry(call, async (last) => {
      const scale = await this.readScale(ref, options.signal);
      if (!scale) throw this.notFound(`${ref.kind} ${namespace}/${name}`, 'workload', ref.kind);
      const body = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace, resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas } };
      const dryRun = options.dryRun ? 'All' : undefined;
      return this.call(call, options.signal, async (o) => {
        if (ref.kind === 'deployment') await this.apps.replaceNamespacedDeploymentScale({ name, namespace, body, dryRun }, o);
        else await this.apps.replaceNamespacedStatefulSetScale({ name, namespace, body, dryRun }, o);
        return true;
      }, (code) => (code === 409 && !last ? { value: false } : code === 404 ? this.notFound(`${ref.kind} ${namespace}/${name}`, 'workload', ref.kind) : undefined));
    });
  }

  /** Tries `attempt` until it returns true; it returns false on a 409 conflict (the last try lets the conflict raise). */
  private async withConflictRetry(call: string, attempt: (last: boolean) => Promise<boolean>): Promise<void> {
    for (let i = 1; i <= CONFLICT_TRIES; i++) if (await attempt(i === CONFLICT_TRIES)) return;
    throw new this.kit.errors.DependencyError('kubernetes', `${call}: conflict persisted after ${CONFLICT_TRIES} tries`, { suggestions: ['another writer keeps changing the object; retry when it is quiet'] });
  }

  async listNodes(options: ClusterCallOptions & { labelSelector?: string } = {}): Promise<NodeInfo[]> {
    const list = await this.call('listNodes', options.signal, (o) => this.core.listNode({ labelSelector: options.labelSelector }, o));
    return list.items.map(nodeInfo).sort((a, b) => a.name.localeCompare(b.name));
  }

  async setUnschedulable(node: string, unschedulable: boolean, options: ClusterWriteOptions = {}): Promise<void> {
    const body = [{ op: 'add', path: '/spec/unschedulable', value: unschedulable }];
    await this.call(`setUnschedulable ${node}`, options.signal, (o) => this.core.patchNode({ name: node, body, dryRun: options.dryRun ? 'All' : undefined }, o), (code) =>
      code === 404 ? this.notFound(`node ${node}`, 'node', 'nodes') : undefined,
    );
  }

  async getConfigMap(namespace: string, name: string, options: ClusterCallOptions = {}): Promise<Record<string, string> | null> {
    const cm = await this.call(`getConfigMap ${namespace}/${name}`, options.signal, (o) => this.core.readNamespacedConfigMap({ name, namespace }, o), (code) => (code === 404 ? { value: null } : undefined));
    return cm ? { ...(cm.data ?? {}) } : null;
  }

  async putConfigMap(namespace: string, name: string, data: Record<string, string>, options: ClusterWriteOptions = {}): Promise<void> {
    const call = `putConfigMap ${namespace}/${name}`;
    const dryRun = options.dryRun ? 'All' : undefined;
    await this.withConflictRetry(call, async (last) => {
      const current = await this.call(`getConfigMap ${namespace}/${name}`, options.signal, (o) => this.core.readNamespacedConfigMap({ name, namespace }, o), (code) => (code === 404 ? { value: null } : undefined));
      const retry = (code: number) => (code === 409 && !last ? { value: false } : undefined);
      if (!current) {
        const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
        return this.call(call, options.signal, async (o) => Boolean(await this.core.createNamespacedConfigMap({ namespace, body, dryRun }, o)), retry);
      }
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...current.metadata, name, namespace }, data };
      return this.call(call, options.signal, async (o) => Boolean(await this.core.replaceNamespacedConfigMap({ name, namespace, body, dryRun }, o)), retry);
    });
  }

  async deleteConfigMap(namespace: string, name: string, options: ClusterWriteOptions = {}): Promise<void> {
    await this.call(`deleteConfigMap ${namespace}/${name}`, options.signal, async (o) => {
      await this.core.deleteNamespacedConfigMap({ name, namespace, dryRun: options.dryRun ? 'All' : undefined }, o);
    }, (code) => (code === 404 ? { value: undefined } : undefined));
  }

  async close(): Promise<void> {}
}

export async function createKubernetesCluster(settings: KubernetesProviderSettings, kit: PluginKit): Promise<ClusterPort> {
  return new KubernetesCluster(settings, kit);
}

/** The annotation the kubelet puts on the API's mirror of a static pod. */
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

const ready = (conditions: Array<{ type: string; status: string }> | undefined) => (conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

function podInfo(p: V1Pod): PodInfo {
  const info: PodInfo = {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    uid: p.metadata?.uid ?? '',
    labels: { ...(p.metadata?.labels ?? {}) },
    phase: p.status?.phase ?? 'Unknown',
    ready: ready(p.status?.conditions),
  };
  if (p.spec?.nodeName) info.nodeName = p.spec.nodeName;
  const owner = p.metadata?.ownerReferences?.find((o) => o.controller) ?? p.metadata?.ownerReferences?.[0];
  if (owner) info.owner = { kind: owner.kind, name: owner.name };
  if (p.metadata?.deletionTimestamp) info.deletionTimestamp = new Date(p.metadata.deletionTimestamp).toISOString();
  if (p.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined) info.mirror = true;
  return info;
}

function nodeInfo(n: V1Node): NodeInfo {
  return { name: n.metadata?.name ?? '', labels: { ...(n.metadata?.labels ?? {}) }, unschedulable: n.spec?.unschedulable === true, ready: ready(n.status?.conditions) };
}
