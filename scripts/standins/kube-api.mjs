#!/usr/bin/env node
/**
 * A loopback STAND-IN for a Kubernetes API server. No real API server can run
 * on this machine (machine-notes), so this serves exactly the REST paths
 * relia's Kubernetes adapter calls, with Kubernetes-shaped objects, `Status`
 * errors and the semantics the adapter relies on (docs/test-servers.md#kubernetes-api-stand-in).
 * It is not Kubernetes: there is no scheduler or kubelet (pods are Running
 * and Ready as created, deletes are immediate) and no watch.
 *
 *   node scripts/standins/kube-api.mjs --port 0 [--host 127.0.0.1] [--kubeconfig FILE]
 *
 * Prints `kube stand-in listening on http://HOST:PORT` once it listens, and
 * writes FILE: a kubeconfig whose context `relia-stand-in` points at it with a
 * bearer token (requests without it get 401).
 *
 * Paths (dryRun=All honoured on every write):
 *   /api/v1/namespaces[/NAME]                               GET POST DELETE
 *   /api/v1/nodes[/NAME]                                    GET POST PATCH PUT DELETE (labelSelector, fieldSelector)
 *   /api/v1/namespaces/NS/{pods,configmaps}[/NAME]          GET POST PUT PATCH DELETE (labelSelector, fieldSelector)
 *   /api/v1/pods                                            GET: pods of every namespace (labelSelector, fieldSelector)
 *   /api/v1/namespaces/NS/pods/NAME/eviction                POST: 201 and the pod is gone, or 429 when a PDB disallows it
 *   /apis/policy/v1/namespaces/NS/poddisruptionbudgets[/NAME] GET POST DELETE: status.disruptionsAllowed is
 *                                                            computed from the live Ready pods, as the disruption controller does
 *   /apis/apps/v1/namespaces/NS/{deployments,statefulsets}[/NAME] GET POST PUT DELETE; status follows spec.replicas
 *   .../{deployments,statefulsets}/NAME/scale                GET PUT PATCH (resourceVersion checked: 409 Conflict)
 * PUT and PATCH carrying a stale metadata.resourceVersion answer 409 Conflict.
 *
 * Admin (for tests, no token needed):
 *   GET  /__standin/health
 *   POST /__standin/reset
 *   POST /__standin/interfere {resource, namespace?, name, reads}: after each of the next `reads`
 *        GETs of that object (or of its scale), another writer updates it (its resourceVersion moves on)
 *   POST /__standin/rollout {resource?: deployments, namespace, name, readyAfterMs}: from then on, a scale-up
 *        of that workload becomes ready readyAfterMs later (status.readyReplicas stays at what was ready
 *        before until then), as a rollout waits for new pods
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { KubeStore, StatusError } from './kube-store.mjs';

export const STAND_IN_TOKEN = 'relia-stand-in-token';
export const STAND_IN_CONTEXT = 'relia-stand-in';

const NAMESPACED = {
  '/api/v1': ['pods', 'configmaps'],
  '/apis/policy/v1': ['poddisruptionbudgets'],
  '/apis/apps/v1': ['deployments', 'statefulsets'],
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new StatusError(400, 'BadRequest', `the request body is not JSON: ${text.slice(0, 80)}`));
      }
    });
    req.on('error', reject);
  });
}

function route(path) {
  // Pods of every namespace: list only, as the API serves it.
  if (path === '/api/v1/pods') return { resource: 'pods', namespace: undefined, name: undefined, allNamespaces: true };
  let m = /^\/api\/v1\/(namespaces|nodes)(?:\/([^/]+))?$/.exec(path);
  if (m) return { resource: m[1], namespace: undefined, name: m[2] && decodeURIComponent(m[2]) };
  for (const [prefix, resources] of Object.entries(NAMESPACED)) {
    if (!path.startsWith(`${prefix}/namespaces/`)) continue;
    m = /^\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/(eviction|scale))?$/.exec(path.slice(prefix.length));
    if (!m || !resources.includes(m[2])) return undefined;
    const sub = m[4];
    if (sub === 'eviction' && m[2] !== 'pods') return undefined;
    if (sub === 'scale' && !['deployments', 'statefulsets'].includes(m[2])) return undefined;
    return { resource: m[2], namespace: decodeURIComponent(m[1]), name: m[3] && decodeURIComponent(m[3]), sub };
  }
  return undefined;
}

export function createKubeStandIn(store = new KubeStore()) {
  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/__standin/health') return send(200, { ok: true });
    if (url.pathname === '/__standin/reset' && req.method === 'POST') {
      store.reset();
      return send(200, { ok: true });
    }
    if (url.pathname === '/__standin/rollout' && req.method === 'POST') {
      const b = (await readBody(req)) ?? {};
      store.rolloutMs.set(store.key(b.resource ?? 'deployments', b.namespace, b.name), Number(b.readyAfterMs ?? 0));
      return send(200, { ok: true });
    }
    if (url.pathname === '/__standin/interfere' && req.method === 'POST') {
      const b = (await readBody(req)) ?? {};
      store.interference.set(store.key(b.resource, b.namespace, b.name), Number(b.reads ?? 1));
      return send(200, { ok: true });
    }
    if (req.headers.authorization !== `Bearer ${STAND_IN_TOKEN}`) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
    const r = route(url.pathname);
    if (!r) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    const dryRun = url.searchParams.get('dryRun') === 'All';
    const opts = { dryRun };
    const { resource, namespace, name, sub, allNamespaces } = r;
    if (allNamespaces && req.method !== 'GET') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    if (resource !== 'namespaces' && resource !== 'nodes' && namespace === undefined && !allNamespaces) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    const body = ['POST', 'PUT', 'PATCH'].includes(req.method) ? await readBody(req) : undefined;
    if (sub === 'eviction') {
      if (req.method !== 'POST') throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
      if (body?.metadata?.name !== undefined && body.metadata.name !== name) throw new StatusError(400, 'BadRequest', `name in URL does not match name in Eviction object`);
      return send(201, store.evict(namespace, name, opts));
    }
    if (sub === 'scale') {
      if (req.method === 'GET') return send(200, store.scale(resource, namespace, name));
      if (req.method === 'PUT') return send(200, store.replaceScale(resource, namespace, name, body, opts));
      if (req.method === 'PATCH') return send(200, store.patchScale(resource, namespace, name, String(req.headers['content-type'] ?? ''), body, opts));
      throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if (name === undefined) {
      if (req.method === 'GET') return send(200, store.list(resource, namespace, { labelSelector: url.searchParams.get('labelSelector') ?? undefined, fieldSelector: url.searchParams.get('fieldSelector') ?? undefined }));
      if (req.method === 'POST') {
        if (namespace !== undefined && body?.metadata?.namespace !== undefined && body.metadata.namespace !== namespace) {
          throw new StatusError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
        }
        return send(201, store.create(resource, namespace, body, opts));
      }
      throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if (req.method === 'GET') return send(200, store.get(resource, namespace, name));
    if (req.method === 'PUT') return send(200, store.replace(resource, namespace, name, body, opts));
    if (req.method === 'PATCH') return send(200, store.patch(resource, namespace, name, String(req.headers['content-type'] ?? ''), body, opts));
    if (req.method === 'DELETE') {
      const gone = store.delete(resource, namespace, name, opts);
      return send(200, gone);
    }
    throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      const status = error instanceof StatusError ? error : new StatusError(500, 'InternalError', String(error?.stack ?? error));
      res.writeHead(status.code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status.toStatus()));
    });
  });
  server.store = store;
  return server;
}

/** A kubeconfig whose context points at the stand-in (JSON is valid YAML). */
export function standInKubeconfig(url) {
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses a plain-http server unless TLS verification is off; the stand-in is loopback http.
      clusters: [{ name: STAND_IN_CONTEXT, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: STAND_IN_CONTEXT, user: { token: STAND_IN_TOKEN } }],
      contexts: [{ name: STAND_IN_CONTEXT, context: { cluster: STAND_IN_CONTEXT, user: STAND_IN_CONTEXT, namespace: 'default' } }],
      'current-context': STAND_IN_CONTEXT,
    },
    null,
    2,
  )}\n`;
}

/** Starts it on host:port (0: a free port); writes `kubeconfig` when given. */
export function startKubeStandIn({ host = '127.0.0.1', port = 0, kubeconfig } = {}) {
  const server = createKubeStandIn();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}`;
      if (kubeconfig) writeFileSync(kubeconfig, standInKubeconfig(url));
      resolve({ url, store: server.store, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const arg = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const { url } = await startKubeStandIn({ host: arg('host', '127.0.0.1'), port: Number(arg('port', '0')), kubeconfig: arg('kubeconfig', undefined) });
  process.stdout.write(`kube stand-in listening on ${url}\n`);
}
