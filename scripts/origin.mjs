#!/usr/bin/env node
/**
 * A tiny deterministic origin for cache tests and the demo (docs/test-servers.md#origin).
 *
 *   node scripts/origin.mjs --port 8080 [--host 127.0.0.1]     (--port 0 picks a free port)
 *
 * Prints `origin listening on http://HOST:PORT` once it listens.
 *
 * Content (cacheable: Cache-Control: public, max-age=300; Vary: Accept-Encoding; strong ETag; 304 on If-None-Match):
 *   GET|HEAD /items/<key>         JSON {key, kind, title, body, …} of 1–2 KB, derived from the key only
 *   GET|HEAD /titles/<id>.json    JSON for a title id (t001 … t050 are the ones in the history)
 *   GET|HEAD /sitemap.xml         200 item URLs (/items/item-001 … item-200) on the Host the request named
 * Admin (never counted, never cacheable):
 *   GET  /__origin/health         {"ok":true}
 *   GET  /__origin/stats          {total, byPath, byStatus, since, maxPerSecond}: content requests since the last reset;
 *                                 maxPerSecond = the most that arrived in any sliding 1-second window
 *   POST /__origin/reset          zero the stats (the mode is kept)
 *   GET  /__origin/mode           the current mode
 *   POST /__origin/mode           replace the mode: {status429Above?: rps, failRatio?: 0..1, latencyMs?: ms}
 *   GET  /__origin/slow?ms=N      answers 200 after N ms (for timeout tests)
 * Anything else is 404 with Cache-Control: no-store.
 *
 * Modes apply to content requests, in this order: latencyMs delays the answer;
 * status429Above answers 429 (Retry-After: 1) when more than that many content
 * requests arrived in the last second; failRatio answers 503 to a fixed share,
 * spread evenly and deterministically (request n fails when
 * floor(n·ratio) > floor((n−1)·ratio), so 0.25 fails every 4th request).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '0'));

const CACHEABLE = 'public, max-age=300';
const VARY = 'Accept-Encoding';
const LAST_MODIFIED = new Date(Date.UTC(2026, 9, 1)).toUTCString();
const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(' ');

const arrivals = [];
let stats = freshStats();
let mode = {};
let admitted = 0;
const recent = [];

function freshStats() {
  arrivals.length = 0;
  return { total: 0, byPath: {}, byStatus: {}, since: new Date().toISOString(), maxPerSecond: 0 };
}

/** A content request arrived: the most seen in any sliding 1-second window (a load cap check). */
function arrived() {
  const now = performance.now();
  arrivals.push(now);
  while (arrivals.length > 0 && arrivals[0] <= now - 1000) arrivals.shift();
  if (arrivals.length > stats.maxPerSecond) stats.maxPerSecond = arrivals.length;
}

/** A deterministic filler of 900–1700 characters derived from the key. */
function filler(key) {
  const digest = createHash('sha256').update(key).digest();
  const length = 900 + (digest.readUInt16BE(0) % 800);
  const words = [];
  let size = 0;
  for (let i = 0; size < length; i++) {
    const w = WORDS[(digest[i % digest.length] + 7 * i) % WORDS.length];
    words.push(w);
    size += w.length + 1;
  }
  return words.join(' ').slice(0, length);
}

function itemBody(key) {
  return JSON.stringify({ key, kind: 'item', title: `Item ${key}`, version: 1, body: filler(`item:${key}`) });
}

function titleBody(id) {
  return JSON.stringify({ id, kind: 'title', name: `Title ${id}`, version: 1, synopsis: filler(`title:${id}`) });
}

function sitemap(req) {
  const base = `http://${req.headers.host ?? `${host}:${port}`}`;
  const urls = [];
  for (let i = 1; i <= 200; i++) urls.push(`  <url><loc>${base}/items/item-${String(i).padStart(3, '0')}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

const etagOf = (body) => `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;

function send(req, res, status, headers, body = '') {
  const buf = Buffer.from(body);
  res.writeHead(status, { 'content-length': buf.length, ...headers });
  res.end(req.method === 'HEAD' ? undefined : buf);
}

const noStore = (type = 'text/plain; charset=utf-8') => ({ 'content-type': type, 'cache-control': 'no-store' });
const json = (req, res, status, value) => send(req, res, status, noStore('application/json'), JSON.stringify(value));

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function validMode(m) {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'the mode must be a JSON object';
  for (const k of Object.keys(m)) if (!['status429Above', 'failRatio', 'latencyMs'].includes(k)) return `unknown field ${k}`;
  if (m.status429Above !== undefined && !(Number.isFinite(m.status429Above) && m.status429Above >= 0)) return 'status429Above must be a number ≥ 0';
  if (m.failRatio !== undefined && !(Number.isFinite(m.failRatio) && m.failRatio >= 0 && m.failRatio <= 1)) return 'failRatio must be in 0..1';
  if (m.latencyMs !== undefined && !(Number.isFinite(m.latencyMs) && m.latencyMs >= 0)) return 'latencyMs must be a number ≥ 0';
  return undefined;
}

async function admin(req, res, path, url) {
  if (path === '/__origin/health') return json(req, res, 200, { ok: true });
  if (path === '/__origin/stats') return json(req, res, 200, stats);
  if (path === '/__origin/reset' && req.method === 'POST') {
    stats = freshStats();
    return json(req, res, 200, { ok: true });
  }
  if (path === '/__origin/mode') {
    if (req.method === 'GET') return json(req, res, 200, mode);
    if (req.method === 'POST') {
      let parsed;
      try {
        const text = await readBody(req);
        parsed = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        return json(req, res, 400, { error: 'the body must be JSON' });
      }
      const problem = validMode(parsed);
      if (problem) return json(req, res, 400, { error: problem });
      mode = parsed;
      admitted = 0;
      recent.length = 0;
      return json(req, res, 200, mode);
    }
  }
  if (path === '/__origin/slow') {
    const ms = Math.min(60_000, Math.max(0, Number(url.searchParams.get('ms') ?? '1000') || 0));
    const timer = setTimeout(() => send(req, res, 200, noStore(), `slept ${ms} ms\n`), ms);
    res.on('close', () => clearTimeout(timer));
    return undefined;
  }
  return json(req, res, 405, { error: `${req.method} ${path} is not an admin operation` });
}

/** Route a content request: { type, body } for a content path, { status } for a bad one, undefined for 404. */
function route(req, path) {
  let m = /^\/items\/(.+)$/.exec(path);
  if (m) {
    try {
      return { type: 'application/json', body: itemBody(decodeURIComponent(m[1])) };
    } catch {
      return { status: 400 };
    }
  }
  m = /^\/titles\/([A-Za-z0-9_-]+)\.json$/.exec(path);
  if (m) return { type: 'application/json', body: titleBody(m[1]) };
  if (path === '/sitemap.xml') return { type: 'application/xml', body: sitemap(req) };
  return undefined;
}

function count(path, status) {
  stats.total++;
  stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://origin.invalid');
  const path = url.pathname;
  const reply = (status, headers, body) => {
    count(path, status);
    send(req, res, status, headers, body);
  };
  try {
    if (path.startsWith('/__origin/')) return await admin(req, res, path, url);
    arrived();
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { ...noStore(), allow: 'GET, HEAD' }, 'method not allowed\n');
    const content = route(req, path);
    if (!content) return reply(404, noStore(), 'not found\n');
    if (content.status) return reply(content.status, noStore(), 'bad request\n');
    if (mode.latencyMs) await new Promise((r) => setTimeout(r, mode.latencyMs));
    if (mode.status429Above !== undefined) {
      const now = performance.now();
      recent.push(now);
      while (recent.length > 0 && recent[0] <= now - 1000) recent.shift();
      if (recent.length > mode.status429Above) return reply(429, { ...noStore(), 'retry-after': '1' }, 'too many requests\n');
    }
    if (mode.failRatio) {
      admitted++;
      if (Math.floor(admitted * mode.failRatio) > Math.floor((admitted - 1) * mode.failRatio)) {
        return reply(503, noStore(), 'service unavailable (origin failRatio mode)\n');
      }
    }
    const etag = etagOf(content.body);
    // Vary: caches keep one copy per Accept-Encoding value (the bytes are the same here, as if it compressed nothing)
    if (req.headers['if-none-match'] === etag) return reply(304, { 'cache-control': CACHEABLE, vary: VARY, etag }, '');
    return reply(200, { 'content-type': content.type, 'cache-control': CACHEABLE, vary: VARY, etag, 'last-modified': LAST_MODIFIED }, content.body);
  } catch (error) {
    if (!res.headersSent) send(req, res, 500, noStore(), `origin error: ${error.message}\n`);
    else res.destroy();
    return undefined;
  }
});

server.keepAliveTimeout = 30_000;
server.listen(port, host, () => {
  const addr = server.address();
  console.log(`origin listening on http://${host}:${addr.port}`);
});
server.on('error', (error) => {
  console.error(`origin: ${error.code === 'EADDRINUSE' ? `address already in use: ${host}:${port}` : error.message}`);
  process.exit(1);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}
