export class StatusError extends Error {
  code: number;
  reason: string;
  toStatus(): { kind: 'Status'; code: number; reason: string; message: string };
}
/** The parts of a stored object tests read. */
export interface KubeObject {
  metadata: { name: string; namespace?: string; uid: string; resourceVersion: string; labels?: Record<string, string> };
  spec?: { replicas?: number; unschedulable?: boolean; [key: string]: unknown };
  status?: { disruptionsAllowed?: number; readyReplicas?: number; [key: string]: unknown };
  data?: Record<string, string>;
  [key: string]: unknown;
}
export class KubeStore {
  reset(): void;
  list(resource: string, namespace: string | undefined, selectors?: { labelSelector?: string; fieldSelector?: string }): { items: Array<KubeObject> };
  get(resource: string, namespace: string | undefined, name: string): KubeObject;
  create(resource: string, namespace: string | undefined, body: unknown, options?: { dryRun?: boolean }): KubeObject;
  replace(resource: string, namespace: string | undefined, name: string, body: unknown, options?: { dryRun?: boolean }): KubeObject;
  delete(resource: string, namespace: string | undefined, name: string, options?: { dryRun?: boolean }): KubeObject;
  scale(resource: string, namespace: string, name: string): KubeObject;
  replaceScale(resource: string, namespace: string, name: string, body: unknown, options?: { dryRun?: boolean }): KubeObject;
  patchScale(resource: string, namespace: string, name: string, contentType: string, patch: unknown, options?: { dryRun?: boolean }): KubeObject;
  evict(namespace: string, name: string, options?: { dryRun?: boolean }): KubeObject;
  patch(resource: string, namespace: string | undefined, name: string, contentType: string, patch: unknown, options?: { dryRun?: boolean }): KubeObject;
}
