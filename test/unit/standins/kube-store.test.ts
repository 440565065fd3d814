/**
 * The Kubernetes API stand-in's semantics that the adapter contract does not
 * reach: PDB budgets from percents and maxUnavailable, unready pods, stale
 * resourceVersions on replace and patch, JSON-patch errors, dry runs.
 */
import { describe, expect, it } from 'vitest';
import { KubeStore, StatusError } from '../../../scripts/standins/kube-store.mjs';

function store(pods: number, ready = pods) {
  const s = new KubeStore();
  for (let i = 0; i < pods; i++) {
    s.create('pods', 'ns', { metadata: { name: `p${i}`, labels: { app: 'a' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: i < ready ? 'True' : 'False' }] } });
  }
  return s;
}

const statusOf = (fn: () => unknown): { code: number; reason: string } => {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return { code: e.code, reason: e.reason };
    throw e;
  }
  throw new Error('expected a Status error');
};

describe('kube stand-in store', () => {
  it('computes disruptionsAllowed like the disruption controller: ints, percents (rounded up), maxUnavailable, unready pods', () => {
    const s = store(4, 3);
    s.create('poddisruptionbudgets', 'ns', { metadata: { name: 'min' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'a' } } } });
    s.create('poddisruptionbudgets', 'ns', { metadata: { name: 'pct' }, spec: { minAvailable: '50%', selector: { matchLabels: { app: 'a' } } } });
    s.create('poddisruptionbudgets', 'ns', { metadata: { name: 'max' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'a' } } } });
    const allowed = Object.fromEntries(s.list('poddisruptionbudgets', 'ns').items.map((b) => [b.metadata.name, b.status?.disruptionsAllowed]));
    // 3 healthy of 4: min 2 → 1; 50 % of 4 → 2 → 1; maxUnavailable 1 → desired 3 → 0
    expect(allowed).toEqual({ min: 1, pct: 1, max: 0 });
  });

  it('an eviction spends the budget: the next one is 429 TooManyRequests; a dry run spends nothing', () => {
    const s = store(3);
    s.create('poddisruptionbudgets', 'ns', { metadata: { name: 'b' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'a' } } } });
    s.evict('ns', 'p0', { dryRun: true });
    expect(s.list('pods', 'ns').items).toHaveLength(3);
    s.evict('ns', 'p0');
    expect(statusOf(() => s.evict('ns', 'p1'))).toEqual({ code: 429, reason: 'TooManyRequests' });
    expect(statusOf(() => s.evict('ns', 'p0'))).toEqual({ code: 404, reason: 'NotFound' });
  });

  it('a replace or patch with a stale resourceVersion is 409 Conflict; a current one succeeds', () => {
    const s = new KubeStore();
    const cm = s.create('configmaps', 'ns', { metadata: { name: 'c' }, data: { a: '1' } });
    s.replace('configmaps', 'ns', 'c', { metadata: { name: 'c', resourceVersion: cm.metadata.resourceVersion }, data: { a: '2' } });
    expect(statusOf(() => s.replace('configmaps', 'ns', 'c', { metadata: { name: 'c', resourceVersion: cm.metadata.resourceVersion }, data: { a: '3' } }))).toEqual({ code: 409, reason: 'Conflict' });
    expect(s.get('configmaps', 'ns', 'c').data).toEqual({ a: '2' });
    s.create('nodes', undefined, { metadata: { name: 'n1' } });
    expect(statusOf(() => s.patch('nodes', undefined, 'n1', 'application/merge-patch+json', { metadata: { resourceVersion: '1' }, spec: { unschedulable: true } }))).toEqual({ code: 409, reason: 'Conflict' });
    s.patch('nodes', undefined, 'n1', 'application/json-patch+json', [{ op: 'add', path: '/spec/unschedulable', value: true }]);
    expect(s.get('nodes', undefined, 'n1').spec?.unschedulable).toBe(true);
    expect(statusOf(() => s.patch('nodes', undefined, 'n1', 'application/json-patch+json', [{ op: 'test', path: '/spec/unschedulable', value: false }]))).toEqual({ code: 422, reason: 'Invalid' });
    expect(statusOf(() => s.create('configmaps', 'ns', { metadata: { name: 'c' } }))).toEqual({ code: 409, reason: 'AlreadyExists' });
  });

  it('the scale subresource validates replicas, and a dry run changes nothing', () => {
    const s = new KubeStore();
    s.create('deployments', 'ns', { metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } } } });
    expect(statusOf(() => s.replaceScale('deployments', 'ns', 'web', { spec: { replicas: -1 } }))).toEqual({ code: 422, reason: 'Invalid' });
    s.replaceScale('deployments', 'ns', 'web', { spec: { replicas: 1 } }, { dryRun: true });
    expect(s.scale('deployments', 'ns', 'web').spec?.replicas).toBe(3);
    s.replaceScale('deployments', 'ns', 'web', { spec: { replicas: 1 } });
    expect(s.get('deployments', 'ns', 'web').status?.readyReplicas).toBe(1);
  });

  it('deleting a namespace deletes what is in it', () => {
    const s = store(2);
    s.create('namespaces', undefined, { metadata: { name: 'ns' } });
    s.delete('namespaces', undefined, 'ns');
    expect(s.list('pods', 'ns').items).toEqual([]);
  });

  it('the scale subresource takes a merge patch (kubectl scale) and a JSON patch; a stale resourceVersion in the patch is 409; replicas < 0 is 422', () => {
    const s = new KubeStore();
    s.create('deployments', 'ns', { metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } } } });
    expect(s.patchScale('deployments', 'ns', 'web', 'application/merge-patch+json', { spec: { replicas: 1 } }).spec?.replicas).toBe(1);
    expect(s.get('deployments', 'ns', 'web').spec?.replicas).toBe(1);
    expect(s.patchScale('deployments', 'ns', 'web', 'application/json-patch+json', [{ op: 'replace', path: '/spec/replicas', value: 4 }]).spec?.replicas).toBe(4);
    const stale = s.scale('deployments', 'ns', 'web').metadata.resourceVersion;
    s.patchScale('deployments', 'ns', 'web', 'application/merge-patch+json', { spec: { replicas: 2 } });
    expect(statusOf(() => s.patchScale('deployments', 'ns', 'web', 'application/merge-patch+json', { metadata: { resourceVersion: stale }, spec: { replicas: 5 } }))).toEqual({ code: 409, reason: 'Conflict' });
    expect(statusOf(() => s.patchScale('deployments', 'ns', 'web', 'application/merge-patch+json', { spec: { replicas: -1 } }))).toEqual({ code: 422, reason: 'Invalid' });
    expect(statusOf(() => s.patchScale('deployments', 'ns', 'absent', 'application/merge-patch+json', { spec: { replicas: 1 } }))).toEqual({ code: 404, reason: 'NotFound' });
    expect(s.patchScale('deployments', 'ns', 'web', 'application/merge-patch+json', { spec: { replicas: 0 } }, { dryRun: true }).spec?.replicas).toBe(0);
    expect(s.get('deployments', 'ns', 'web').spec?.replicas).toBe(2);
  });
});
