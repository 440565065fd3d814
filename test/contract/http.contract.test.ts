import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../plugins/http/src/adapter.js';
import type { HttpClient } from '../../src/ports/http.js';
import { createServer, type Server } from 'node:net';
import { InstrumentedHttp } from '../fakes/instrumented-http.js';
import { type Handler, MemoryHttp, fakeOrigin } from '../fakes/memory-http.js';
import { FakeClock } from '../fakes/virtual-clock.js';
import { startOrigin, type PrivateOrigin } from '../helpers/origin.js';
import { deadPort, kit, servers } from '../helpers/servers.js';
import { httpContract } from './suites/http.js';

const client = () => createHttpClient({ timeoutMs: 5000, userAgent: 'relia-contract-test' }, kit);

/** A loopback server that accepts each connection and closes it at once (a reset origin). */
let resetter: Server | undefined;
async function resetUrl(): Promise<string> {
  if (!resetter) {
    resetter = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => resetter!.listen(0, '127.0.0.1', resolve));
  }
  return `http://127.0.0.1:${(resetter.address() as { port: number }).port}`;
}
afterAll(() => new Promise<void>((resolve) => (resetter ? resetter.close(() => resolve()) : resolve())));

httpContract('undici adapter through nginx → origin', async () => ({
  client: client(),
  origin: servers().nginx.url,
  refused: `http://127.0.0.1:${await deadPort()}`,
  reset: await resetUrl(),
  slow: { url: `${servers().nginx.url}/__origin/slow?ms=3000`, slowerThanMs: 200 },
}));

function memoryHandler(): Handler {
  const origin = fakeOrigin();
  return (req) => {
    const url = new URL(req.url);
    if (url.host === 'refused.test') return 'refuse';
    if (url.host === 'reset.test') return { error: 'ECONNRESET' };
    if (url.pathname === '/slow') return { status: 200, body: 'late', delayMs: 3000 };
    return origin(req);
  };
}
const memoryUrls = { origin: 'http://origin.test', refused: 'http://refused.test', reset: 'http://reset.test', slow: { url: 'http://origin.test/slow', slowerThanMs: 200 } };

httpContract('memory fake', async () => ({ client: new MemoryHttp(memoryHandler()), ...memoryUrls }));

// As core tests use it: latency on a virtual clock, inside the recording wrapper.
httpContract('memory fake on a virtual clock inside InstrumentedHttp', async () => {
  const clock = new FakeClock(0);
  return { client: new InstrumentedHttp(new MemoryHttp(memoryHandler(), { clock }), clock), ...memoryUrls };
});

interface OriginStats {
  total: number;
  byPath: Record<string, number>;
  byStatus: Record<string, number>;
}

async function stats(http: HttpClient, originUrl: string): Promise<OriginStats> {
  const res = await http.request({ method: 'GET', url: `${originUrl}/__origin/stats` });
  return JSON.parse(res.body!.toString()) as OriginStats;
}

const unique = (tag: string) => `/items/${tag}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

describe('nginx caches the origin', () => {
  it('a second GET of the same URL is a HIT and does not reach the origin', async () => {
    const http = client();
    const { nginx, origin } = servers();
    const path = unique('cache');
    const first = await http.request({ method: 'GET', url: `${nginx.url}${path}` });
    expect(first.status).toBe(200);
    expect(first.headers['x-cache-status']).toBe('MISS');
    expect((await stats(http, origin.url)).byPath[path]).toBe(1);
    const second = await http.request({ method: 'GET', url: `${nginx.url}${path}` });
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.body!.equals(first.body!)).toBe(true);
    expect((await stats(http, origin.url)).byPath[path]).toBe(1);
    await http.close();
  });

  it('honours the origin: 404s (no-store) are not cached', async () => {
    const http = client();
    const { nginx, origin } = servers();
    const path = `/missing/${unique('404').slice('/items/'.length)}`;
    for (let i = 0; i < 2; i++) {
      const res = await http.request({ method: 'GET', url: `${nginx.url}${path}` });
      expect(res.status).toBe(404);
      expect(res.headers['x-cache-status']).toBe('MISS');
    }
    expect((await stats(http, origin.url)).byPath[path]).toBe(2);
    await http.close();
  });

  it('the origin serves cacheable, deterministic content with ETags and 304s', async () => {
    const http = client();
    const { origin } = servers();
    const a = await http.request({ method: 'GET', url: `${origin.url}/items/k-1` });
    const b = await http.request({ method: 'GET', url: `${origin.url}/items/k-1` });
    expect(a.headers['cache-control']).toBe('public, max-age=300');
    expect(a.body!.equals(b.body!)).toBe(true);
    expect(a.body!.length).toBeGreaterThanOrEqual(1000);
    expect(a.body!.length).toBeLessThanOrEqual(2048);
    const etag = a.headers.etag!;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const c = await http.request({ method: 'GET', url: `${origin.url}/items/k-1`, headers: { 'if-none-match': etag } });
    expect(c.status).toBe(304);
    const title = await http.request({ method: 'GET', url: `${origin.url}/titles/t001.json` });
    expect(JSON.parse(title.body!.toString()).id).toBe('t001');
    const sitemap = await http.request({ method: 'GET', url: `${servers().nginx.url}/sitemap.xml` });
    const locs = [...sitemap.body!.toString().matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toHaveLength(200);
    expect(locs[0]).toBe(`${servers().nginx.url}/items/item-001`);
    await http.close();
  });
});

// Modes change the origin for everyone, so they are tested on a private origin.
describe('scripts/origin.mjs modes (private origin)', () => {
  let origin: PrivateOrigin | undefined;
  let base = '';
  const http = client();

  beforeAll(async () => {
    origin = await startOrigin();
    base = origin.base;
  });

  afterAll(async () => {
    await http.close();
    await origin?.stop();
  });

  const mode = async (m: object) => {
    const res = await fetch(`${base}/__origin/mode`, { method: 'POST', body: JSON.stringify(m) });
    expect(res.status).toBe(200);
  };
  const statuses = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await http.request({ method: 'GET', url: `${base}/items/m${i}` })).status);
    return out;
  };

  it('failRatio fails an exact, evenly spread share with 503', async () => {
    await mode({ failRatio: 0.25 });
    expect(await statuses(8)).toEqual([200, 200, 200, 503, 200, 200, 200, 503]);
    await mode({});
  });

  it('status429Above answers 429 with Retry-After above the rate', async () => {
    await mode({ status429Above: 3 });
    const got = await Promise.all(Array.from({ length: 6 }, (_, i) => http.request({ method: 'GET', url: `${base}/items/r${i}` })));
    expect(got.filter((r) => r.status === 200)).toHaveLength(3);
    const limited = got.filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    expect(limited[0]!.headers['retry-after']).toBe('1');
    await mode({});
  });

  it('latencyMs delays answers; stats count content requests and reset zeroes them', async () => {
    await fetch(`${base}/__origin/reset`, { method: 'POST' });
    await mode({ latencyMs: 150 });
    const res = await http.request({ method: 'GET', url: `${base}/items/slow` });
    expect(res.durationMs).toBeGreaterThanOrEqual(140);
    await mode({});
    const s = await stats(http, base);
    expect(s.total).toBe(1);
    expect(s.byPath['/items/slow']).toBe(1);
    expect(s.byStatus['200']).toBe(1);
    const bad = await fetch(`${base}/__origin/mode`, { method: 'POST', body: JSON.stringify({ failRatio: 2 }) });
    expect(bad.status).toBe(400);
  });
});
