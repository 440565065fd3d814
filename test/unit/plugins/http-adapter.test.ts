/**
 * plugins/http's undici adapter, in-process against a loopback node:http
 * server of the test's: what the http contract suite does not pin and the
 * adapter does by hand — the URL split without a URL object (and the URLs
 * that must go through one), repeated response headers, 1xx answers before
 * the final one, the configured headers under the request's, a request body,
 * one caller signal shared by many requests in flight, and an invalid URL.
 * Also the hooks of plugins/http, plugins/prometheus and plugins/local.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type UndiciHttpClient } from '../../../plugins/http/src/adapter.js';
import httpProviders from '../../../plugins/http/src/hooks/providers.js';
import localProviders from '../../../plugins/local/src/hooks/providers.js';
import prometheusProviders from '../../../plugins/prometheus/src/hooks/providers.js';
import { makeKit } from '../../../src/cli/providers.js';
import { DependencyError } from '../../../src/core/errors.js';

const kit = makeKit('test');
let server: Server;
let base: string;
let port: number;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
/** Requests held open until released (for the shared-signal test). */
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString() });
      if (req.url?.startsWith('/hold')) return void held.push(res);
      if (req.url === '/early') res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.setHeader('X-Multi', ['a', 'b']);
      res.setHeader('Content-Type', 'text/plain');
      res.end(`you asked ${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  for (const r of held) r.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (extra: { headers?: Record<string, string> } = {}): UndiciHttpClient => createHttpClient({ timeoutMs: 5000, userAgent: 'relia-test', connections: 4, ...extra }, kit);

describe('requests as sent', () => {
  it('the path and query as given, a query-only URL gets "/", dot segments and upper-case schemes go through URL', async () => {
    const http = client();
    try {
      seen.length = 0;
      await http.request({ method: 'GET', url: `${base}/items/a%20b?x=1&y=%2F` });
      await http.request({ method: 'GET', url: `${base}?q=1` });
      await http.request({ method: 'GET', url: base });
      await http.request({ method: 'GET', url: `${base}/a/./b/../c` });
      await http.request({ method: 'GET', url: `HTTP://127.0.0.1:${port}/Upper` });
      await http.request({ method: 'GET', url: `${base}/sp ace` });
      expect(seen.map((s) => s.url)).toEqual(['/items/a%20b?x=1&y=%2F', '/?q=1', '/', '/a/c', '/Upper', '/sp%20ace']);
    } finally {
      await http.close();
    }
  });

  it('user agent and configured headers on every request, the request’s own headers over them; a POST body', async () => {
    const http = client({ headers: { 'x-tenant': 'one', 'x-over': 'config' } });
    try {
      seen.length = 0;
      await http.request({ method: 'GET', url: `${base}/h` });
      await http.request({ method: 'POST', url: `${base}/p`, headers: { 'x-over': 'request', 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(seen[0]?.headers).toMatchObject({ 'user-agent': 'relia-test', 'x-tenant': 'one', 'x-over': 'config' });
      expect(seen[1]).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'x-tenant': 'one', 'x-over': 'request', 'content-type': 'application/json' } });
    } finally {
      await http.close();
    }
  });
});

describe('answers as read', () => {
  it('repeated headers joined with ", ", names lower-cased; a 103 before the 200 is skipped; the body read unless not wanted', async () => {
    const http = client();
    try {
      const res = await http.request({ method: 'GET', url: `${base}/early` });
      expect(res.status).toBe(200);
      expect(res.headers['x-multi']).toBe('a, b');
      expect(res.headers['content-type']).toBe('text/plain');
      expect(res.body?.toString()).toBe('you asked GET /early');
      expect(res.durationMs).toBeGreaterThanOrEqual(0);
      const unread = await http.request({ method: 'GET', url: `${base}/x`, readBody: false });
      expect(unread.status).toBe(200);
      expect(unread.body).toBeUndefined();
      const post = await http.request({ method: 'POST', url: `${base}/x`, body: 'b', readBody: true });
      expect(post.body?.toString()).toBe('you asked POST /x');
    } finally {
      await http.close();
    }
  });

  it('one caller signal shared by requests in flight: aborting it rejects each with the reason; later requests reject at once', async () => {
    const http = client();
    try {
      held.length = 0;
      const c = new AbortController();
      const calls = [1, 2, 3].map((i) => http.request({ method: 'GET', url: `${base}/hold/${i}`, signal: c.signal }));
      await expect.poll(() => held.length, { timeout: 10_000 }).toBe(3);
      const reason = new Error('interrupted by SIGINT');
      c.abort(reason);
      for (const r of await Promise.allSettled(calls)) expect(r).toEqual({ status: 'rejected', reason });
      await expect(http.request({ method: 'GET', url: `${base}/after`, signal: c.signal })).rejects.toBe(reason);
    } finally {
      await http.close();
    }
  });

  it('an invalid or non-HTTP URL is exit 3 naming it, without a request', async () => {
    const http = client();
    try {
      seen.length = 0;
      for (const url of ['ftp://127.0.0.1/x', 'not a url']) {
        const e = (await http.request({ method: 'GET', url }).catch((x: unknown) => x)) as DependencyError;
        expect(e).toBeInstanceOf(DependencyError);
        expect(e.message).toBe(`GET ${url} failed: invalid URL`);
      }
      expect(seen).toEqual([]);
    } finally {
      await http.close();
    }
  });
});

describe('the hooks of plugins/http, plugins/prometheus and plugins/local', () => {
  it('register their ports and schemes, and create() builds each adapter', async () => {
    const regs = [...(await httpProviders({ kit })), ...(await prometheusProviders({ kit })), ...(await localProviders({ kit }))];
    expect(regs.map((r) => `${r.port}/${r.scheme}`)).toEqual(['http/http', 'metrics/prometheus', 'process/local', 'proxy/local']);
    const settings = { http: { timeoutMs: 1000, userAgent: 'relia' }, metrics: { url: base, timeoutMs: 1000, retries: 0 }, process: {}, proxy: {} } as const;
    const kinds: string[] = [];
    for (const r of regs) {
      const port = (await r.create(settings[r.port as keyof typeof settings] as never, kit)) as { kind: string; close?: () => Promise<void> };
      kinds.push(port.kind);
      await port.close?.();
    }
    expect(kinds).toEqual(['http', 'prometheus', 'local', 'local']);
  });
});
