/**
 * plugins/kubernetes without an API server: reading `Status` bodies and
 * mapping failures to relia's errors (src/errors.ts), the kubeconfig checks
 * of the adapter's constructor, and what each call makes of an error answer
 * from a loopback endpoint that answers every request with one canned
 * Status (401, 403, 404, 409, 429, 500) or never answers. The success paths
 * are the cluster contract suite's (test/contract/suites/cluster.ts, against
 * the loopback API stand-in).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesCluster } from '../../../plugins/kubernetes/src/adapter.js';
import { kubeFailure, statusOf } from '../../../plugins/kubernetes/src/errors.js';
import providers from '../../../plugins/kubernetes/src/hooks/providers.js';
import { makeKit } from '../../../src/cli/providers.js';
import { DependencyError, InputError, type ReliaError } from '../../../src/core/errors.js';

const kit = makeKit('test');
const where = { call: 'evictPod shop/api-1', context: 'prod', server: 'https://10.0.0.1:6443', timeoutMs: 5000 };

describe('statusOf', () => {
  it('reads the code and the Status body (JSON text or object), falling back to the text or the message', () => {
    expect(statusOf({ code: 409, body: JSON.stringify({ kind: 'Status', reason: 'Conflict', message: 'the object has been modified' }) })).toEqual({ code: 409, reason: 'Conflict', message: 'the object has been modified' });
    expect(statusOf({ code: 500, body: 'upstream connect error' })).toEqual({ code: 500, reason: '', message: 'upstream connect error' });
    expect(statusOf({ code: 404, body: { reason: 'NotFound', message: 'pods "x" not found' } })).toEqual({ code: 404, reason: 'NotFound', message: 'pods "x" not found' });
    expect(statusOf({ code: 503, message: 'HTTP-Code: 503' })).toEqual({ code: 503, reason: '', message: 'HTTP-Code: 503' });
    expect(statusOf(new Error('ECONNREFUSED'))).toBeUndefined();
    expect(statusOf(undefined)).toBeUndefined();
  });
});

describe('kubeFailure: exit 3 naming the call, the context and the server', () => {
  const fail = (err: unknown, w: Partial<typeof where> & { signal?: AbortSignal } = {}) => kubeFailure(kit, { ...where, ...w }, err) as ReliaError;

  it('401/403: refused, with the RBAC check for the context', () => {
    const e = fail({ code: 403, body: JSON.stringify({ reason: 'Forbidden', message: 'pods "api-1" is forbidden' }) });
    expect(e).toBeInstanceOf(DependencyError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('kubernetes evictPod shop/api-1 (context prod, https://10.0.0.1:6443) was refused: HTTP 403 Forbidden: pods "api-1" is forbidden');
    expect(e.suggestions).toEqual(['check the credentials and RBAC of context prod: kubectl auth can-i --list --context prod']);
    expect(fail({ code: 401, body: '' }).message).toMatch(/was refused: HTTP 401/);
  });

  it('other statuses: failed with the status; 409 says another writer, the rest to check the API server', () => {
    expect(fail({ code: 409, body: { reason: 'Conflict', message: 'modified' } }).suggestions[0]).toMatch(/another writer/);
    const e = fail({ code: 500, body: { reason: 'InternalError', message: 'etcd timeout' } });
    expect(e.message).toBe('kubernetes evictPod shop/api-1 (context prod, https://10.0.0.1:6443) failed: HTTP 500 InternalError: etcd timeout');
    expect(e.suggestions[0]).toMatch(/readyz/);
  });

  it('transport failures and timeouts: the reason, and how to reach the server', () => {
    expect(fail(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).message).toMatch(/failed: ECONNREFUSED$/);
    expect(fail({ name: 'AbortError', message: 'The operation was aborted' }).message).toMatch(/failed: timed out after 5000 ms$/);
    expect(fail({ type: 'aborted' }).message).toMatch(/timed out after 5000 ms$/);
    expect(fail({ name: 'TimeoutError' }).message).toMatch(/timed out after 5000 ms$/);
    expect(fail(new Error('socket hang up')).message).toMatch(/failed: socket hang up$/);
    expect(fail('weird').message).toMatch(/failed: weird$/);
    expect(fail(new Error('x')).suggestions).toEqual(['check that the API server is reachable: kubectl cluster-info --context prod']);
  });

  it('the caller’s abort rethrows its reason; a relia error passes through', () => {
    const c = new AbortController();
    const reason = new Error('interrupted by SIGTERM');
    c.abort(reason);
    expect(kubeFailure(kit, { ...where, signal: c.signal }, { code: 500 })).toBe(reason);
    const c2 = new AbortController();
    c2.abort('text');
    expect(kubeFailure(kit, { ...where, signal: c2.signal }, {}).message).toBe('text');
    const input = new InputError('bad', {});
    expect(kubeFailure(kit, where, input)).toBe(input);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'relia-kube-errors-'));
let server: Server;
let answer: { status: number; body: unknown } | 'hang' = { status: 500, body: {} };
let kubeconfig: string;

function writeKubeconfig(path: string, server: string): void {
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
  - { name: stand-in, cluster: { server: "${server}", insecure-skip-tls-verify: true } }
  - { name: other, cluster: { server: "http://127.0.0.1:1" } }
users:
  - { name: tester, user: { token: t0k3n } }
contexts:
  - { name: prod, context: { cluster: stand-in, user: tester } }
  - { name: orphan, context: { cluster: nowhere, user: tester } }
current-context: prod
`,
  );
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    if (answer === 'hang') return; // never answers: the call times out
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfig, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const status = (code: number, reason: string, message: string) => ({ status: code, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message } });

describe('the adapter’s kubeconfig checks (exit 2 before any call)', () => {
  it('an unreadable kubeconfig, an unknown context, a context without a cluster', () => {
    expect(() => new KubernetesCluster({ kubeconfig: join(dir, 'missing.yaml'), timeoutMs: 1000 }, kit)).toThrow(/cannot read the kubeconfig .*missing\.yaml/);
    const unknown = (() => {
      try {
        new KubernetesCluster({ kubeconfig, context: 'staging', timeoutMs: 1000 }, kit);
      } catch (error) {
        return error as InputError;
      }
      return undefined;
    })();
    expect(unknown).toBeInstanceOf(InputError);
    expect(unknown?.message).toBe('kubernetes context "staging" is not in the kubeconfig');
    expect(unknown?.suggestions).toEqual(['use one of: prod, orphan']);
    expect(() => new KubernetesCluster({ kubeconfig, context: 'orphan', timeoutMs: 1000 }, kit)).toThrow('kubernetes context "orphan" names no cluster');
    expect(new KubernetesCluster({ kubeconfig, timeoutMs: 1000 }, kit).context()).toBe('prod');
  });
});

describe('the adapter’s calls against error answers', () => {
  const cluster = () => new KubernetesCluster({ kubeconfig, timeoutMs: 1500 }, kit);

  it('404: a missing pod is null, an eviction of a gone pod is "gone"; 429: an eviction a PDB blocks is "blocked" with its message', async () => {
    answer = status(404, 'NotFound', 'pods "api-1" not found');
    expect(await cluster().getPod('shop', 'api-1')).toBeNull();
    expect(await cluster().evictPod('shop', 'api-1')).toEqual({ status: 'gone' });
    answer = status(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.');
    expect(await cluster().evictPod('shop', 'api-1', { dryRun: true })).toEqual({ status: 'blocked', reason: "Cannot evict pod as it would violate the pod's disruption budget." });
  });

  it('403 and 500 are exit 3 naming the call, the context and the server', async () => {
    answer = status(403, 'Forbidden', 'pods is forbidden: User "tester" cannot list resource "pods"');
    const e = (await cluster().listPods('shop').catch((x: unknown) => x)) as DependencyError;
    expect(e).toBeInstanceOf(DependencyError);
    expect(e.message).toMatch(/^kubernetes listPods shop \(context prod, http:\/\/127\.0\.0\.1:\d+\) was refused: HTTP 403 Forbidden: pods is forbidden/);
    answer = status(500, 'InternalError', 'etcdserver: request timed out');
    await expect(cluster().getPod('shop', 'api-1')).rejects.toThrow(/getPod shop\/api-1 .* failed: HTTP 500 InternalError: etcdserver: request timed out/);
  });

  it('no answer within the timeout: exit 3 "timed out"; an aborted signal: its reason, before any request', async () => {
    answer = 'hang';
    await expect(cluster().getPod('shop', 'api-1')).rejects.toThrow(/timed out after 1500 ms/);
    const c = new AbortController();
    c.abort(new Error('interrupted by SIGINT'));
    await expect(cluster().getPod('shop', 'api-1', { signal: c.signal })).rejects.toThrow('interrupted by SIGINT');
  });

  it('the hook registers "kubernetes" for the cluster port and create() builds the adapter for the given context', async () => {
    const regs = await providers({ kit });
    expect(regs.map((r) => `${r.port}/${r.scheme}`)).toEqual(['cluster/kubernetes']);
    const port = (await regs[0]!.create({ kubeconfig, context: 'prod', timeoutMs: 1000 } as never, kit)) as KubernetesCluster;
    expect(port.kind).toBe('kubernetes');
    expect(port.context()).toBe('prod');
    await port.close();
  });
});
