#!/usr/bin/env node
/**
 * A loopback STAND-IN for AWS FIS's JSON API (moto creates templates but
 * cannot start experiments). It is not FIS: it serves only what relia's FIS
 * adapter calls, with FIS's shapes and error types (docs/test-servers.md#fis-stand-in).
 *
 *   node scripts/standins/fis.mjs --port 0 [--host 127.0.0.1]
 *
 * Prints `fis stand-in listening on http://HOST:PORT` once it listens.
 *
 * The API (REST-JSON, as @aws-sdk/client-fis sends it; the region is read
 * from the SigV4 credential scope, so regions are separate):
 *   POST   /experiments        StartExperiment {experimentTemplateId, clientToken, tags}
 *   GET    /experiments/{id}   GetExperiment
 *   DELETE /experiments/{id}   StopExperiment
 * Errors: HTTP 404 with `x-amzn-errortype: ResourceNotFoundException`, 400
 * ValidationException, 409 ConflictException (stopping a finished experiment),
 * each with a JSON body {message}.
 *
 * Lifecycle, one step per GetExperiment (deterministic, no clock): initiating
 * → running (× runningPolls) → completed, or failed when the template says so.
 * StopExperiment answers `stopping`; the next GetExperiment says `stopped`.
 *
 * Admin (for tests):
 *   POST /__standin/templates {region, id, runningPolls?: number|null (null: until stopped), fail?: reason}
 *   POST /__standin/reset      forget templates and experiments
 *   GET  /__standin/health     {"ok":true}
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const FINAL = new Set(['completed', 'stopped', 'failed', 'cancelled']);

/** The region of a SigV4-signed request: Credential=AKID/DATE/REGION/SERVICE/aws4_request. */
function regionOf(req) {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '');
  return m ? m[1] : 'us-east-1';
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? {} : JSON.parse(text));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

export function createFisStandIn() {
  const templates = new Map(); // region/id → {runningPolls, fail}
  const experiments = new Map(); // id → experiment
  const tokens = new Map(); // region/clientToken → id

  const view = (e) => ({
    id: e.id,
    experimentTemplateId: e.templateId,
    roleArn: 'arn:aws:iam::123456789012:role/relia-fis-stand-in',
    state: { status: e.status, ...(e.reason ? { reason: e.reason } : {}) },
    creationTime: e.created,
    startTime: e.created,
    ...(FINAL.has(e.status) ? { endTime: e.ended } : {}),
    tags: e.tags,
    targets: {},
    actions: {},
    stopConditions: [{ source: 'none' }],
  });

  function advance(e) {
    if (FINAL.has(e.status)) return;
    if (e.status === 'stopping') {
      e.status = 'stopped';
      e.ended = Date.now() / 1000;
      return;
    }
    const t = templates.get(`${e.region}/${e.templateId}`);
    e.polls++;
    if (e.polls === 1) e.status = 'running';
    else if (t.runningPolls !== null && e.polls > t.runningPolls) {
      e.status = t.fail ? 'failed' : 'completed';
      e.reason = t.fail || 'Experiment completed.';
      e.ended = Date.now() / 1000;
    }
  }

  function send(res, status, body, errorType) {
    const headers = { 'content-type': 'application/json' };
    if (errorType) headers['x-amzn-errortype'] = errorType;
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    const path = url.pathname;
    if (path === '/__standin/health') return send(res, 200, { ok: true });
    if (path === '/__standin/reset' && req.method === 'POST') {
      templates.clear();
      experiments.clear();
      tokens.clear();
      return send(res, 200, { ok: true });
    }
    if (path === '/__standin/templates' && req.method === 'POST') {
      const t = await readBody(req);
      if (typeof t.id !== 'string' || typeof t.region !== 'string') return send(res, 400, { message: 'region and id are required' });
      templates.set(`${t.region}/${t.id}`, { runningPolls: t.runningPolls === null ? null : Number(t.runningPolls ?? 2), fail: t.fail ?? '' });
      return send(res, 200, { ok: true });
    }
    const region = regionOf(req);
    if (path === '/experiments' && req.method === 'POST') {
      const body = await readBody(req);
      const templateId = body.experimentTemplateId;
      if (typeof templateId !== 'string' || templateId === '') return send(res, 400, { message: 'experimentTemplateId is required' }, 'ValidationException');
      if (!templates.has(`${region}/${templateId}`)) return send(res, 404, { message: `Experiment template ${templateId} not found.` }, 'ResourceNotFoundException');
      const tokenKey = `${region}/${body.clientToken ?? ''}`;
      if (body.clientToken && tokens.has(tokenKey)) return send(res, 200, { experiment: view(experiments.get(tokens.get(tokenKey))) });
      const id = `EXP${randomBytes(8).toString('hex').toUpperCase()}`;
      const e = { id, region, templateId, status: 'initiating', polls: 0, created: Date.now() / 1000, tags: body.tags ?? {} };
      experiments.set(id, e);
      if (body.clientToken) tokens.set(tokenKey, id);
      return send(res, 200, { experiment: view(e) });
    }
    const m = /^\/experiments\/([^/]+)$/.exec(path);
    if (m) {
      const e = experiments.get(decodeURIComponent(m[1]));
      if (!e || e.region !== region) return send(res, 404, { message: `Experiment ${m[1]} not found.` }, 'ResourceNotFoundException');
      if (req.method === 'GET') {
        advance(e);
        return send(res, 200, { experiment: view(e) });
      }
      if (req.method === 'DELETE') {
        if (FINAL.has(e.status)) return send(res, 409, { message: `Experiment ${e.id} is ${e.status} and cannot be stopped.` }, 'ConflictException');
        e.status = 'stopping';
        e.reason = 'Experiment stopped by user.';
        return send(res, 200, { experiment: view(e) });
      }
    }
    return send(res, 404, { message: `no route ${req.method} ${path} in the FIS stand-in` }, 'ResourceNotFoundException');
  }

  return createServer((req, res) => {
    handle(req, res).catch((error) => send(res, 400, { message: String(error?.message ?? error) }, 'ValidationException'));
  });
}

/** Starts it on host:port (0: a free port); resolves with its URL and a close function. */
export function startFisStandIn({ host = '127.0.0.1', port = 0 } = {}) {
  const server = createFisStandIn();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ url: `http://${host}:${p}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const arg = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const { url } = await startFisStandIn({ host: arg('host', '127.0.0.1'), port: Number(arg('port', '0')) });
  process.stdout.write(`fis stand-in listening on ${url}\n`);
}
