/**
 * The cluster port: what chaos and failover need from Kubernetes. Shaped by
 * the core's needs, not by the API: pods by selector, eviction (which honours
 * PodDisruptionBudgets), workload scale, node cordon, and a ConfigMap for the
 * chaos halt switch.
 *
 * Semantics every implementation must keep (the contract suite pins them):
 * - `get*` of something absent returns null; `list*` of nothing returns [].
 * - `listPods*` are sorted by namespace, then name.
 * - `evictPod` returns `blocked` (never throws) when a PDB disallows the
 *   disruption (the API's 429), and `gone` when the pod no longer exists.
 * - Writes take `dryRun` (the API's `dryRun=All`): validated, nothing changed.
 * - `setScale` of an absent workload and `setUnschedulable` of an absent node
 *   raise InputError (exit 2) naming it.
 * - Transport and server errors raise DependencyError (exit 3) naming the
 *   call; a 409 conflict is retried by the adapter with a fresh read, and
 *   raises DependencyError only when it persists.
 */

export interface PodInfo {
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  /** Pending, Running, Succeeded, Failed, Unknown. */
  phase: string;
  nodeName?: string;
  /** The Ready condition is True. */
  ready: boolean;
  /** The controlling owner, e.g. {kind: 'ReplicaSet', name: 'api-7d9f'}. */
  owner?: { kind: string; name: string };
  /** Set while the pod is terminating. */
  deletionTimestamp?: string;
  /**
   * The API's mirror of a static pod (annotation kubernetes.io/config.mirror):
   * the kubelet owns it, so evicting or deleting it does nothing lasting.
   */
  mirror?: boolean;
}

export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  unschedulable: boolean;
  ready: boolean;
}

export interface PdbInfo {
  namespace: string;
  name: string;
  /** spec.selector.matchLabels (matchExpressions are not modelled). */
  matchLabels: Record<string, string>;
  /** status.disruptionsAllowed. */
  disruptionsAllowed: number;
}

export type WorkloadKind = 'deployment' | 'statefulset';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

export interface ScaleInfo {
  /** spec.replicas of the scale subresource. */
  replicas: number;
  /** status.readyReplicas of the workload (0 when absent). */
  readyReplicas: number;
}

export type EvictionOutcome =
  | { status: 'evicted' }
  | { status: 'gone' }
  /** A PodDisruptionBudget disallows it (HTTP 429); `reason` is the server's message. */
  | { status: 'blocked'; reason: string };

export interface ClusterCallOptions {
  signal?: AbortSignal;
}

export interface ClusterWriteOptions extends ClusterCallOptions {
  /** Server-side dry run: validated and authorised, nothing changed. */
  dryRun?: boolean;
}

export interface ClusterPort {
  readonly kind: string;
  /** The kubeconfig context in use, checked against chaos.allow.kubeContexts. */
  context(): string;
  listPods(namespace: string, options?: ClusterCallOptions & { labelSelector?: string; fieldSelector?: string }): Promise<PodInfo[]>;
  /**
   * Pods of every namespace (the API's /api/v1/pods), for what crosses
   * namespaces, such as a node's pods: `fieldSelector: spec.nodeName=NODE`.
   */
  listPodsAllNamespaces(options?: ClusterCallOptions & { labelSelector?: string; fieldSelector?: string }): Promise<PodInfo[]>;
  getPod(namespace: string, name: string, options?: ClusterCallOptions): Promise<PodInfo | null>;
  /** The Eviction API: honours PodDisruptionBudgets. */
  evictPod(namespace: string, name: string, options?: ClusterWriteOptions & { gracePeriodSeconds?: number }): Promise<EvictionOutcome>;
  /** Plain delete (bypasses PDBs: only with an explicit `force: true`). Absent pod: resolves. */
  deletePod(namespace: string, name: string, options: ClusterWriteOptions & { gracePeriodSeconds: number }): Promise<void>;
  listPdbs(namespace: string, options?: ClusterCallOptions): Promise<PdbInfo[]>;
  /** The scale subresource plus ready replicas; null when the workload does not exist. */
  getScale(ref: WorkloadRef, options?: ClusterCallOptions): Promise<ScaleInfo | null>;
  setScale(ref: WorkloadRef, replicas: number, options?: ClusterWriteOptions): Promise<void>;
  listNodes(options?: ClusterCallOptions & { labelSelector?: string }): Promise<NodeInfo[]>;
  /** Cordon (true) or uncordon (false). */
  setUnschedulable(node: string, unschedulable: boolean, options?: ClusterWriteOptions): Promise<void>;
  getConfigMap(namespace: string, name: string, options?: ClusterCallOptions): Promise<Record<string, string> | null>;
  /** Create or replace. */
  putConfigMap(namespace: string, name: string, data: Record<string, string>, options?: ClusterWriteOptions): Promise<void>;
  /** Absent: resolves. */
  deleteConfigMap(namespace: string, name: string, options?: ClusterWriteOptions): Promise<void>;
  close(): Promise<void>;
}
