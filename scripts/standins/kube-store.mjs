/**
 * The object store and the semantics of the Kubernetes API stand-in
 * (scripts/standins/kube-api.mjs): namespaced pods, PodDisruptionBudgets,
 * deployments, statefulsets and ConfigMaps, cluster-scoped nodes;
 * resourceVersions, Status errors, dry runs, and the eviction rules
 * (disruptionsAllowed computed from the live pods, as the disruption
 * controller does). No HTTP here.
 */
import { randomUUID } from 'node:crypto';
import { matchesLabels, parseSelector } from './label-selector.mjs';

/** A JSON patch (add, replace, remove) or a merge patch applied to a copy of `current`; 415 for any other media type. */
function applyPatch(current, contentType, patch, resource, name) {
  let next = clone(current);
  if (contentType.startsWith('application/json-patch+json')) {
    if (!Array.isArray(patch)) throw new StatusError(400, 'BadRequest', 'a JSON patch is an array of operations');
    for (const op of patch) next = applyJsonPatchOp(next, op, resource, name);
  } else if (contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/strategic-merge-patch+json')) {
    next = mergePatch(next, patch);
  } else {
    throw new StatusError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json');
  }
  return next;
}

export class StatusError extends Error {
  constructor(code, reason, message, details = undefined) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus() {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, ...(this.details ? { details: this.details } : {}), code: this.code };
  }
}

const GROUP = { pods: '', nodes: '', configmaps: '', namespaces: '', poddisruptionbudgets: 'policy', deployments: 'apps', statefulsets: 'apps' };
const KIND = { pods: 'Pod', nodes: 'Node', configmaps: 'ConfigMap', namespaces: 'Namespace', poddisruptionbudgets: 'PodDisruptionBudget', deployments: 'Deployment', statefulsets: 'StatefulSet' };
const API_VERSION = { '': 'v1', policy: 'policy/v1', apps: 'apps/v1' };

const qualified = (resource) => (GROUP[resource] ? `${resource}.${GROUP[resource]}` : resource);
export const notFound = (resource, name) => new StatusError(404, 'NotFound', `${qualified(resource)} "${name}" not found`, { name, kind: resource, ...(GROUP[resource] ? { group: GROUP[resource] } : {}) });
const conflict = (resource, name) =>
  new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind: resource });
const invalid = (resource, name, message) => new StatusError(422, 'Invalid', `${KIND[resource]} "${name}" is invalid: ${message}`, { name, kind: resource });

const clone = (o) => structuredClone(o);

/** minAvailable / maxUnavailable: an int, or a percent of `total` rounded up (as the disruption controller does). */
function amount(value, total) {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value));
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(value);
}

const podReady = (p) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export class KubeStore {
  constructor() {
    this.reset();
  }

  reset() {
    this.objects = new Map(); // `${resource}/${namespace}/${name}` → object
    this.version = 1000;
    /** `${resource}/${namespace}/${name}` → how many more reads are followed by another writer's update. */
    this.interference = new Map();
    /** `${resource}/${namespace}/${name}` → ms a scale-up takes to become ready (set by tests through /__standin/rollout). */
    this.rolloutMs = new Map();
    /** `${resource}/${namespace}/${name}` → {ready, until}: a scale-up in progress (readyReplicas held at `ready` until `until`). */
    this.rolling = new Map();
  }

  key(resource, namespace, name) {
    return `${resource}/${namespace ?? ''}/${name}`;
  }

  bump(obj) {
    obj.metadata.resourceVersion = String(++this.version);
  }

  list(resource, namespace, { labelSelector, fieldSelector } = {}) {
    const labels = parseSelector(labelSelector);
    const fields = parseSelector(fieldSelector);
    const items = [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`${resource}/${namespace ?? ''}/`) || (namespace === undefined && k.startsWith(`${resource}/`)))
      .map(([, o]) => o)
      .filter((o) => labels(o.metadata.labels ?? {}) && fields(fieldsOf(o)))
      .sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name))
      .map((o) => this.present(resource, o));
    const g = GROUP[resource];
    return { kind: `${KIND[resource]}List`, apiVersion: API_VERSION[g], metadata: { resourceVersion: String(this.version) }, items };
  }

  get(resource, namespace, name) {
    const k = this.key(resource, namespace, name);
    const o = this.objects.get(k);
    if (!o) throw notFound(resource, name);
    const out = this.present(resource, o);
    const left = this.interference.get(k) ?? 0;
    if (left > 0) {
      // Another writer updates the object right after this read.
      this.interference.set(k, left - 1);
      this.bump(o);
    }
    return out;
  }

  /** What a GET shows: a copy, with the status the controllers would have written. */
  present(resource, o) {
    const out = clone(o);
    if (resource === 'poddisruptionbudgets') out.status = { ...(out.status ?? {}), ...this.pdbStatus(o) };
    if (resource === 'deployments' || resource === 'statefulsets') {
      const replicas = out.spec?.replicas ?? 1;
      out.status = { replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, observedGeneration: out.metadata.generation ?? 1, ...(o.status ?? {}) };
      const rolling = this.rolling.get(this.key(resource, o.metadata.namespace, o.metadata.name));
      if (rolling && Date.now() < rolling.until) out.status = { ...out.status, readyReplicas: Math.min(rolling.ready, replicas), availableReplicas: Math.min(rolling.ready, replicas) };
    }
    return out;
  }

  pdbStatus(pdb) {
    const pods = [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`pods/${pdb.metadata.namespace}/`))
      .map(([, p]) => p)
      .filter((p) => matchesLabels(pdb.spec?.selector?.matchLabels ?? {}, p.metadata.labels ?? {}) && !p.metadata.deletionTimestamp);
    const expected = pods.length;
    const healthy = pods.filter(podReady).length;
    let desired = 0;
    if (pdb.spec?.minAvailable !== undefined) desired = amount(pdb.spec.minAvailable, expected);
    else if (pdb.spec?.maxUnavailable !== undefined) desired = Math.max(0, expected - amount(pdb.spec.maxUnavailable, expected));
    return { currentHealthy: healthy, desiredHealthy: desired, expectedPods: expected, disruptionsAllowed: Math.max(0, healthy - desired), observedGeneration: 1 };
  }

  create(resource, namespace, body, { dryRun = false } = {}) {
    const name = body?.metadata?.name;
    if (!name) throw invalid(resource, '', 'metadata.name: Required value: name is required');
    const k = this.key(resource, namespace, name);
    if (this.objects.has(k)) throw new StatusError(409, 'AlreadyExists', `${qualified(resource)} "${name}" already exists`, { name, kind: resource });
    const obj = clone(body);
    obj.apiVersion = API_VERSION[GROUP[resource]];
    obj.kind = KIND[resource];
    obj.metadata = { ...obj.metadata, name, uid: randomUUID(), creationTimestamp: new Date().toISOString(), generation: 1, ...(namespace ? { namespace } : {}) };
    if (resource === 'pods') obj.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], ...(obj.status ?? {}) };
    this.bump(obj);
    if (!dryRun) this.objects.set(k, obj);
    return this.present(resource, obj);
  }

  /** PUT: the body's resourceVersion, when given, must be the current one. */
  replace(resource, namespace, name, body, { dryRun = false } = {}) {
    const k = this.key(resource, namespace, name);
    const current = this.objects.get(k);
    if (!current) throw notFound(resource, name);
    const rv = body?.metadata?.resourceVersion;
    if (rv !== undefined && rv !== current.metadata.resourceVersion) throw conflict(resource, name);
    const obj = { ...clone(body), apiVersion: current.apiVersion, kind: current.kind, metadata: { ...clone(current.metadata), labels: body?.metadata?.labels ?? current.metadata.labels } };
    if (resource !== 'configmaps') obj.status = current.status;
    if (JSON.stringify(obj.spec) !== JSON.stringify(current.spec)) obj.metadata.generation = (current.metadata.generation ?? 1) + 1;
    this.bump(obj);
    if (!dryRun) this.objects.set(k, obj);
    return this.present(resource, obj);
  }

  delete(resource, namespace, name, { dryRun = false } = {}) {
    const k = this.key(resource, namespace, name);
    const current = this.objects.get(k);
    if (!current) throw notFound(resource, name);
    if (!dryRun) {
      this.objects.delete(k);
      if (resource === 'namespaces') for (const key of [...this.objects.keys()]) if (key.split('/')[1] === name) this.objects.delete(key);
    }
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: resource, uid: current.metadata.uid } };
  }

  /** The scale subresource of a deployment or statefulset. */
  scale(resource, namespace, name) {
    const o = this.get(resource, namespace, name);
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name, namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 1 },
      status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([a, b]) => `${a}=${b}`).join(',') },
    };
  }

  replaceScale(resource, namespace, name, body, { dryRun = false } = {}) {
    const k = this.key(resource, namespace, name);
    const current = this.objects.get(k);
    if (!current) throw notFound(resource, name);
    const replicas = body?.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) throw invalid(resource, name, `spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
    const rv = body?.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw conflict(resource, name);
    const next = clone(current);
    const lag = this.rolloutMs.get(k);
    const readyBefore = this.present(resource, current).status?.readyReplicas ?? 0;
    // A scale-up under a rollout lag: the new replicas become ready `lag` ms later (a scale-down is at once).
    if (!dryRun && lag !== undefined && replicas > readyBefore) this.rolling.set(k, { ready: readyBefore, until: Date.now() + lag });
    next.spec = { ...next.spec, replicas };
    if (next.status) next.status = { ...next.status, replicas, readyReplicas: replicas, availableReplicas: replicas };
    next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    this.bump(next);
    if (!dryRun) this.objects.set(k, next);
    return { ...this.scale(resource, namespace, name), ...(dryRun ? { spec: { replicas } } : {}) };
  }

  /** PATCH of the scale subresource (`kubectl scale` sends a merge patch): applied to the Scale, then the same checks as a replace. */
  patchScale(resource, namespace, name, contentType, patch, options = {}) {
    const current = this.scale(resource, namespace, name);
    const next = applyPatch(current, contentType, patch, resource, name);
    return this.replaceScale(resource, namespace, name, next, options);
  }

  /** The eviction subresource: 429 when a PDB allows no disruption, 201 and the pod is gone otherwise. */
  evict(namespace, name, { dryRun = false } = {}) {
    const k = this.key('pods', namespace, name);
    const pod = this.objects.get(k);
    if (!pod) throw notFound('pods', name);
    const pdbs = [...this.objects.entries()]
      .filter(([key]) => key.startsWith(`poddisruptionbudgets/${namespace}/`))
      .map(([, b]) => b)
      .filter((b) => matchesLabels(b.spec?.selector?.matchLabels ?? {}, pod.metadata.labels ?? {}));
    if (pdbs.length > 1) throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (pdbs.length === 1 && podReady(pod)) {
      const s = this.pdbStatus(pdbs[0]);
      if (s.disruptionsAllowed <= 0) {
        throw new StatusError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
          causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdbs[0].metadata.name} needs ${s.desiredHealthy} healthy pods and has ${s.currentHealthy} currently` }],
        });
      }
    }
    if (!dryRun) this.objects.delete(k);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  }

  /** JSON patch (add, replace, remove) or a merge patch, then the same checks as a replace. */
  patch(resource, namespace, name, contentType, patch, { dryRun = false } = {}) {
    const current = this.objects.get(this.key(resource, namespace, name));
    if (!current) throw notFound(resource, name);
    const next = applyPatch(current, contentType, patch, resource, name);
    const rv = next.metadata?.resourceVersion;
    if (rv !== current.metadata.resourceVersion) throw conflict(resource, name);
    next.metadata = { ...current.metadata, labels: next.metadata?.labels ?? current.metadata.labels, annotations: next.metadata?.annotations ?? current.metadata.annotations };
    this.bump(next);
    if (!dryRun) this.objects.set(this.key(resource, namespace, name), next);
    return this.present(resource, next);
  }
}

function fieldsOf(o) {
  return { 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '', 'spec.nodeName': o.spec?.nodeName ?? '', 'status.phase': o.status?.phase ?? '', 'spec.unschedulable': String(o.spec?.unschedulable === true) };
}

function applyJsonPatchOp(doc, op, resource, name) {
  const parts = String(op.path ?? '').split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts.length === 0) throw invalid(resource, name, `invalid JSON patch path ${op.path}`);
  let parent = doc;
  for (const p of parts.slice(0, -1)) {
    if (parent[p] === undefined) {
      if (op.op === 'remove') throw invalid(resource, name, `doc is missing path: ${op.path}`);
      parent[p] = {};
    }
    parent = parent[p];
  }
  const last = parts.at(-1);
  if (op.op === 'add' || op.op === 'replace') {
    if (op.op === 'replace' && parent[last] === undefined) throw invalid(resource, name, `replace operation does not apply: doc is missing key: ${op.path}`);
    parent[last] = clone(op.value);
  } else if (op.op === 'remove') {
    if (parent[last] === undefined) throw invalid(resource, name, `remove operation does not apply: doc is missing path: ${op.path}`);
    delete parent[last];
  } else if (op.op === 'test') {
    if (JSON.stringify(parent[last]) !== JSON.stringify(op.value)) throw invalid(resource, name, `the test operation failed at ${op.path}`);
  } else {
    throw new StatusError(400, 'BadRequest', `the stand-in does not support the JSON patch op ${op.op}`);
  }
  return doc;
}

function mergePatch(target, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
