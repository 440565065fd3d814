import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultProxy } from '../../plugins/local/src/proxy.js';
import { parseToxics, toxicDecisions } from '../../src/core/chaos/toxics.js';
import { seededRandom } from '../../src/core/cache/random.js';
import { createHttpClient } from '../../plugins/http/src/adapter.js';
import type { ProxyHandle } from '../../src/ports/proxy.js';
import { MemoryFaultProxy } from '../fakes/memory-proxy.js';
import { kit } from '../helpers/kit.js';
import { servers } from '../helpers/servers.js';
import { proxyContract, proxyOptions } from './suites/proxy.js';

/** A loopback echo server: every byte comes back. */
let echo: Server;
let echoPort = 0;
beforeAll(async () => {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

proxyContract('plugins/local (node:net)', async () => ({ port: createFaultProxy(kit), upstream: { host: '127.0.0.1', port: echoPort } }));
proxyContract('memory fake', async () => ({ port: new MemoryFaultProxy(), upstream: { host: '127.0.0.1', port: 9 } }));

/** Open a connection, send `payload`, collect until `want` bytes or the socket ends. */
function exchange(port: number, payload: Buffer, want = payload.length): Promise<{ data: Buffer; ms: number; error?: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let got = 0;
    const s: Socket = connect({ host: '127.0.0.1', port });
    const done = (error?: string) => {
      s.destroy();
      resolve({ data: Buffer.concat(chunks), ms: performance.now() - started, ...(error ? { error } : {}) });
    };
    s.on('connect', () => s.write(payload));
    s.on('data', (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= want) done();
    });
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    s.on('end', () => done('end'));
  });
}

describe('the fault proxy moves bytes (plugins/local against a loopback echo server)', () => {
  const port = createFaultProxy(kit);
  const open: ProxyHandle[] = [];
  const start = async (toxics: ReturnType<typeof parseToxics> | null, random: () => number = () => 0.5) => {
    const h = await port.start({ ...proxyOptions({ port, upstream: { host: '127.0.0.1', port: echoPort } }), toxics, random });
    open.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of open) await h.close();
  });

  it('passes bytes through unchanged without toxics and counts them', async () => {
    const h = await start(null);
    const payload = Buffer.from('x'.repeat(100_000));
    const r = await exchange(h.port, payload);
    expect(r.data.equals(payload)).toBe(true);
    expect(h.stats()).toMatchObject({ connections: 1, refused: 0, bytesUp: 100_000, bytesDown: 100_000 });
  });

  it('adds latency each way (a round trip through an echo pays it twice)', async () => {
    const h = await start(null);
    await exchange(h.port, Buffer.from('warm'));
    const base = await exchange(h.port, Buffer.from('ping'));
    h.set(parseToxics({ latency: '100ms' }));
    const slow = await exchange(h.port, Buffer.from('ping'));
    expect(slow.data.toString()).toBe('ping');
    expect(slow.ms).toBeGreaterThanOrEqual(199);
    expect(slow.ms - base.ms).toBeLessThan(500);
    h.set(null);
    const after = await exchange(h.port, Buffer.from('ping'));
    expect(after.ms).toBeLessThan(100);
  });

  it('loss refuses the share the seeded draws say, connection by connection', async () => {
    const toxics = parseToxics({ loss: '30%' });
    const h = await start(toxics, seededRandom(7));
    const oracle = seededRandom(7);
    const expected = Array.from({ length: 40 }, () => (oracle() < 0.3 ? 1 : 0));
    const outcomes: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await exchange(h.port, Buffer.from('a'));
      outcomes.push(r.error === undefined ? 0 : 1);
      if (r.error !== undefined) expect(['ECONNRESET', 'end', 'EPIPE']).toContain(r.error);
    }
    expect(outcomes).toEqual(expected);
    expect(h.stats().refused).toBe(expected.filter((x) => x === 1).length);
    expect(h.stats().refused).toBeGreaterThan(0);
  });

  // The proxy closes with SO_LINGER 0 (resetAndDestroy); whether the client reads that as a reset or an end depends on timing.
  it('cuts a connection after exactly N bytes downstream', async () => {
    const h = await start(parseToxics({ resetAfter: 1000 }));
    const r = await exchange(h.port, Buffer.alloc(5000, 1), 5000);
    expect(r.data.length).toBe(1000);
    expect(['ECONNRESET', 'end']).toContain(r.error);
    expect(h.stats().resets).toBe(1);
  });

  // The echo pipelines: the reply streams back while the request is still arriving, so the round trip is about one transfer.
  it('limits bandwidth: 40 KB at 100KB/s takes about 0.4 s', async () => {
    const h = await start(parseToxics({ bandwidth: '100KB/s' }));
    const r = await exchange(h.port, Buffer.alloc(40_000, 2));
    expect(r.data.length).toBe(40_000);
    expect(r.ms).toBeGreaterThanOrEqual(395);
    expect(r.ms).toBeLessThan(1500);
  });

  it('timeout holds a connection, forwards nothing, then closes it', async () => {
    const h = await start(parseToxics({ timeout: '200ms' }));
    const r = await exchange(h.port, Buffer.from('hello'));
    expect(r.data.length).toBe(0);
    expect(r.error).toBe('end');
    expect(r.ms).toBeGreaterThanOrEqual(190);
    expect(h.stats().bytesUp).toBe(0);
  });

  it('close() ends open connections and stops listening', async () => {
    const h = await start(null);
    const s = connect({ host: '127.0.0.1', port: h.port });
    await new Promise((resolve) => s.once('connect', resolve));
    const closed = new Promise((resolve) => s.once('close', resolve));
    await h.close();
    await closed;
    const r = await exchange(h.port, Buffer.from('x'));
    expect(r.error).toBe('ECONNREFUSED');
  });
});

describe('the fault proxy in front of the real nginx → origin', () => {
  it('adds the configured latency to HTTP requests, within tolerance, and removing it restores them', async () => {
    const target = new URL(servers().nginx.url);
    const port = createFaultProxy(kit);
    const h = await port.start({ listenHost: '127.0.0.1', listenPort: 0, upstreamHost: target.hostname, upstreamPort: Number(target.port), toxics: null, random: seededRandom(1), decisions: toxicDecisions });
    const http = createHttpClient({ timeoutMs: 5000, userAgent: 'relia-proxy-test' }, kit);
    const url = `http://127.0.0.1:${h.port}/items/proxy-latency`;
    const median = async (n: number) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const res = await http.request({ method: 'GET', url, headers: { connection: 'close' } });
        expect(res.status).toBe(200);
        times.push(res.durationMs);
      }
      return times.sort((a, b) => a - b)[Math.floor(n / 2)] as number;
    };
    const base = await median(5);
    h.set(parseToxics({ latency: '150ms', jitter: '20ms' }));
    const slow = await median(5);
    // A fresh connection: request up (150 ± 20) and response down (150 ± 20).
    expect(slow - base).toBeGreaterThanOrEqual(260);
    expect(slow - base).toBeLessThan(450);
    h.set(null);
    expect(await median(5)).toBeLessThan(base + 60);
    await http.close();
    await h.close();
  });
});
