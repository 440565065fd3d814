/**
 * Kubernetes API failures as relia errors: `Status` bodies are read for the
 * reason and message; transport failures and timeouts name the server and the
 * context. No client library here.
 */
import type { PluginKit } from '../../../src/ports/providers.js';

export interface KubeStatus {
  code: number;
  reason: string;
  message: string;
}

/** The HTTP status and Status body of an ApiException (client-node 1.x), or undefined for a transport failure. */
export function statusOf(err: unknown): KubeStatus | undefined {
  const e = err as { code?: unknown; body?: unknown; message?: string };
  if (typeof e?.code !== 'number') return undefined;
  let body: { reason?: string; message?: string } = {};
  if (typeof e.body === 'string') {
    try {
      body = JSON.parse(e.body) as typeof body;
    } catch {
      body = { message: e.body };
    }
  } else if (e.body && typeof e.body === 'object') body = e.body as typeof body;
  return { code: e.code, reason: body.reason ?? '', message: body.message ?? e.message ?? '' };
}

export interface KubeWhere {
  /** `evictPod ns/name`. */
  call: string;
  context: string;
  server: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function kubeFailure(kit: PluginKit, where: KubeWhere, err: unknown): Error {
  if (where.signal?.aborted) return where.signal.reason instanceof Error ? where.signal.reason : new Error(String(where.signal.reason));
  if (typeof err === 'object' && err !== null && typeof (err as { exitCode?: unknown }).exitCode === 'number') return err as Error;
  const at = `kubernetes ${where.call} (context ${where.context}, ${where.server})`;
  const status = statusOf(err);
  if (status && (status.code === 401 || status.code === 403)) {
    return new kit.errors.DependencyError('kubernetes', `${at} was refused: HTTP ${status.code} ${status.reason}: ${status.message}`.trim(), {
      suggestions: [`check the credentials and RBAC of context ${where.context}: kubectl auth can-i --list --context ${where.context}`],
      cause: err,
    });
  }
  if (status) {
    return new kit.errors.DependencyError('kubernetes', `${at} failed: HTTP ${status.code} ${status.reason}: ${status.message}`.trim(), {
      suggestions: [status.code === 409 ? 'another writer keeps changing the object; retry when it is quiet' : 'retry; if it persists, check the API server: kubectl get --raw /readyz'],
      cause: err,
    });
  }
  const e = err as { name?: string; code?: string; message?: string; type?: string };
  const timedOut = e?.name === 'AbortError' || e?.type === 'aborted' || e?.name === 'TimeoutError';
  const reason = timedOut ? `timed out after ${where.timeoutMs} ms` : (e?.code ?? e?.message ?? String(err));
  return new kit.errors.DependencyError('kubernetes', `${at} failed: ${reason}`, {
    suggestions: [`check that the API server is reachable: kubectl cluster-info --context ${where.context}`],
    cause: err,
  });
}
