import { describe, expect, it } from 'vitest';
import { DependencyError, InputError } from '../../../../src/core/errors.js';
import type { HttpRequest } from '../../../../src/ports/http.js';
import { parseVary } from '../../../../src/core/cache/http-cache.js';
import { warm, WarmStoppedError, type WarmEvent, type WarmOptions } from '../../../../src/core/cache/warm.js';
import { FakeClock, FakeHttp, rejectionOf, type Reply, seededRandom } from './fakes.js';
import { InstrumentedCheckpointStore } from '../../../fakes/instrumented-checkpoint.js';

/** A caching proxy: the first request for a URL + Accept-Encoding is a MISS (it fills the cache), later ones HIT. */
function cdn(options: { latencyMs?: number; cached?: string[]; answer?: (req: HttpRequest) => Reply | undefined } = {}) {
  const stored = new Set(options.cached ?? []);
  return (req: HttpRequest): Reply => {
    const special = options.answer?.(req);
    if (special) return special;
    const key = `${req.url}|${req.headers?.['accept-encoding'] ?? ''}`; // the fake, like a server, sees header names lower-cased
    const hit = stored.has(key);
    stored.add(key);
    return { status: 200, headers: { 'X-Cache-Status': hit ? 'HIT' : 'MISS' }, body: 'page', latencyMs: options.latencyMs ?? 5 };
  };
}

const PATHS = Array.from({ length: 10 }, (_, i) => `/titles/${i}`);

function setup(handler: (req: HttpRequest) => Reply) {
  const clock = new FakeClock(0);
  const http = new FakeHttp(clock, handler);
  const store = new InstrumentedCheckpointStore();
  const events: WarmEvent[] = [];
  const base = (over: Partial<WarmOptions> = {}): WarmOptions => ({
    keys: PATHS,
    target: { kind: 'http', http, baseUrl: 'http://cdn.local' },
    clock,
    random: seededRandom(3),
    checkpoint: store,
    onProgress: (e) => events.push(e),
    ...over,
  });
  return { clock, http, store, events, base };
}

describe('warm: http target', () => {
  it('requests every URL once per header variant and classifies MISS as warmed', async () => {
    const { http, base } = setup(cdn());
    const variants = parseVary(['Accept-Encoding: gzip,br']);
    const result = await warm(base({ target: { kind: 'http', http, baseUrl: 'http://cdn.local/', variants, verify: true } }));
    expect(result).toMatchObject({ mode: 'http', keys: 10, variants: 2, total: 20, warmed: 20, alreadyHot: 0, failed: 0, hitRatioBefore: 0, hitRatioAfter: 1, exitCode: 0 });
    expect(result.cacheStatus).toEqual({ hit: 0, stale: 0, miss: 20, bypass: 0, unknown: 0 });
    expect(result.verify).toEqual({ requests: 20, hit: 20, stale: 0, miss: 0, bypass: 0, unknown: 0, errors: 0 });
    const warmPass = http.requests.slice(0, 20);
    // variant-major: every URL with gzip, then every URL with br (two variants of one URL are never in flight together)
    expect(warmPass.map((r) => `${r.url} ${r.headers['Accept-Encoding']}`)).toEqual([
      ...PATHS.map((p) => `http://cdn.local${p} gzip`),
      ...PATHS.map((p) => `http://cdn.local${p} br`),
    ]);
    expect(http.requests).toHaveLength(40);
  });

  it('counts cached answers as already hot and measures the hit ratio before from the warm pass', async () => {
    const cached = PATHS.slice(0, 4).map((p) => `http://cdn.local${p}|`);
    const { base } = setup(cdn({ cached }));
    const result = await warm(base());
    expect(result).toMatchObject({ warmed: 6, alreadyHot: 4, hitRatioBefore: 0.4, hitRatioAfter: null });
    expect(result.verify).toBeUndefined();
  });

  it('treats Age > 0 as a hit, unknown answers as warmed, bypass as warmed-but-not-stored, 3xx as success', async () => {
    const { base } = setup((req): Reply => {
      const i = Number(req.url.split('/').pop());
      if (i === 0) return { status: 200, headers: { Age: '30' } };
      if (i === 1) return { status: 301, headers: { Location: '/x' } };
      if (i === 2) return { status: 200, headers: { 'CF-Cache-Status': 'BYPASS' } };
      if (i === 3) return { status: 200, headers: { 'X-Cache': 'STALE' } };
      return { status: 200, headers: { 'X-Cache': 'MISS' } };
    });
    const result = await warm(base());
    expect(result.cacheStatus).toEqual({ hit: 1, stale: 1, miss: 6, bypass: 1, unknown: 1 });
    expect(result).toMatchObject({ alreadyHot: 2, warmed: 8, failed: 0, hitRatioBefore: 2 / 8 });
  });

  it('sends HEAD and the extra headers, and uses absolute URLs as they are', async () => {
    const { http, base } = setup(cdn());
    await warm(base({ keys: ['https://other.example/a', '/b'], target: { kind: 'http', http, baseUrl: 'http://cdn.local/root', method: 'HEAD', headers: { 'X-Warm': '1' }, readBody: false } }));
    expect(http.requests.map((r) => [r.method, r.url, r.headers['X-Warm']])).toEqual([
      ['HEAD', 'https://other.example/a', '1'],
      ['HEAD', 'http://cdn.local/root/b', '1'],
    ]);
  });

  it('refuses relative paths without a base URL, and a bad base URL, before any request', async () => {
    const { http, base } = setup(cdn());
    const err = await rejectionOf(warm(base({ keys: ['https://x/a', '/b'], target: { kind: 'http', http } })));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('--base-url');
    await expect(warm(base({ target: { kind: 'http', http, baseUrl: 'cdn.local' } }))).rejects.toThrow(InputError);
    expect(http.requests).toHaveLength(0);
    const ok = await warm(base({ keys: ['https://x/a'], target: { kind: 'http', http } }));
    expect(ok.target).toBe('memory-http');
  });

  it('names the variant of a failed request', async () => {
    const { base, http } = setup(cdn({ answer: (req) => (req.url.endsWith('/3') && req.headers?.['accept-encoding'] === 'br' ? { status: 404 } : undefined) }));
    const result = await warm(base({ target: { kind: 'http', http, baseUrl: 'http://cdn.local', variants: parseVary(['Accept-Encoding: gzip,br']) } }));
    expect(result.failures).toEqual([{ key: '/titles/3', variant: 'Accept-Encoding=br', reason: 'http 404' }]);
    expect(result.exitCode).toBe(1);
  });

  it('verifies an even sample when asked, counting errors apart', async () => {
    const many = Array.from({ length: 100 }, (_, i) => `/p/${i}`);
    const verifying = (): boolean => s.http.requests.length > 100; // the warm pass makes exactly 100
    const s = setup(cdn({ answer: (req) => (verifying() && req.url.endsWith('/p/50') ? { status: 502 } : verifying() && req.url.endsWith('/p/60') ? { error: 'reset' } : undefined) }));
    const { http, base, events } = s;
    const result = await warm(base({ keys: many, target: { kind: 'http', http, baseUrl: 'http://cdn.local', verify: { sample: 10 } }, progressIntervalMs: 0 }));
    expect(events.some((e) => e.event === 'progress' && e.phase === 'verify')).toBe(true);
    expect(result.verify).toEqual({ requests: 10, hit: 8, stale: 0, miss: 0, bypass: 0, unknown: 0, errors: 2 });
    expect(result.hitRatioAfter).toBe(1);
    expect(http.requests.slice(100).map((r) => r.url.split('/').pop())).toEqual(['0', '10', '20', '30', '40', '50', '60', '70', '80', '90']);
  });

  it('resumes a multi-variant run so every URL × variant is requested exactly once', async () => {
    const ctl = new AbortController();
    const handler = cdn({ latencyMs: 20 });
    const first = setup((req) => {
      if (first.http.requests.length === 7) ctl.abort(new Error('SIGINT'));
      return handler(req);
    });
    const variants = parseVary(['Accept-Encoding: gzip,br']);
    const target = (http: FakeHttp) => ({ kind: 'http' as const, http, baseUrl: 'http://cdn.local', variants });
    const err = await rejectionOf(warm(first.base({ target: target(first.http), signal: ctl.signal, limits: { concurrency: 3, adaptive: false } })));
    expect((err as Error).message).toBe('SIGINT');
    const second = setup(handler);
    const result = await warm(second.base({ target: target(second.http), checkpoint: first.store }));
    expect(result.resumed).toBe(7);
    const all = [...first.http.requests, ...second.http.requests].map((r) => `${r.url} ${r.headers['Accept-Encoding']}`);
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
    expect(result.warmed + result.resumed).toBe(20);
  });

  it('opens the breaker on 5xx from the cache (exit 4) and calls an unreachable cache a dependency failure (exit 3)', async () => {
    let n = 0;
    const failing = setup(() => (++n > 5 ? { status: 503, latencyMs: 5 } : { status: 200, latencyMs: 5 }));
    const err = await rejectionOf(warm(failing.base({ keys: Array.from({ length: 300 }, (_, i) => `/x/${i}`), random: () => 0 })));
    expect(err).toBeInstanceOf(WarmStoppedError);
    expect((err as Error).message).toMatch(/of the last \d+ http requests failed/);
    expect(failing.store.saved).not.toBeNull();
    const down = setup(() => ({ error: 'ENOTFOUND cdn.local' }));
    const err2 = await rejectionOf(warm(down.base({ random: () => 0, limits: { breaker: { minSamples: 5, window: 10 } } })));
    expect(err2).toBeInstanceOf(DependencyError);
    expect((err2 as DependencyError).dependency).toBe('http');
    expect((err2 as Error).message).toMatch(/ENOTFOUND/);
  });
});
