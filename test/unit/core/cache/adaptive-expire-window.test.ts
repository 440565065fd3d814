/**
 * Adaptive rate (AIMD on the request rate), the sample-read hit ratio, the
 * checkpoint handle, expiring invalidation, the origin re-warmer and the
 * stats window.
 */
import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../../../src/ports/cache.js';
import { InputError } from '../../../../src/core/errors.js';
import { AdaptiveRate, TokenBucket } from '../../../../src/core/cache/protection.js';
import { warm, type WarmHandle } from '../../../../src/core/cache/warm.js';
import { canExpire, invalidate, originRewarmer, planInvalidation } from '../../../../src/core/cache/invalidate.js';
import { cacheStats } from '../../../../src/core/cache/stats.js';
import { seededRandom as pureRandom } from '../../../../src/core/cache/random.js';
import { FakeClock, FakeHttp, FakeKv, rejectionOf, seededRandom } from './fakes.js';
import { InstrumentedCheckpointStore } from '../../../fakes/instrumented-checkpoint.js';

const ORIGIN = 'http://origin/items/{key}';
const keys = (n: number, p = 'k:') => Array.from({ length: n }, (_, i) => `${p}${i}`);

/** A KeyValueCache that can also expire keys, like the Redis adapter. */
/** FakeKv with the ExpiringCache capability: forwards to MemoryCache.expireMany, which the cache-expire contract checks against Redis. */
class ExpiringKv extends FakeKv {
  async expireMany(ks: readonly string[], ttlSeconds: number): Promise<number> {
    return this.inner.expireMany(ks, ttlSeconds);
  }
}

describe('AdaptiveRate', () => {
  it('halves the measured rate on overload, once per round, then creeps back up, never above the ceiling', () => {
    const a = new AdaptiveRate({ ceiling: 300 });
    for (let t = 0; t < 1000; t += 5) a.started(t); // 200/s
    expect(a.limit).toBeUndefined();
    expect(a.succeeded(0)).toBeUndefined(); // nothing to recover from yet
    expect(a.overloaded(990, 1000)).toBe(99.5); // 199 starts in the last second, halved
    expect(a.overloaded(995, 1001)).toBeUndefined(); // started before the decrease: same round
    const after = a.succeeded(1002) as number;
    expect(after).toBeGreaterThan(99.5);
    for (let i = 0; i < 100_000; i++) a.succeeded(2000);
    expect(a.limit).toBe(300);
    expect(a.succeeded(3000)).toBeUndefined();
    expect(a.history).toEqual({ low: a.history.low, decreases: 1 });
  });

  it('measures a fast opening over the time since the first request, not a whole window', () => {
    const a = new AdaptiveRate();
    for (let i = 0; i < 50; i++) a.started(0);
    expect(a.measured(0)).toBe(500); // 50 in (at least) 100 ms
    expect(a.overloaded(0, 1)).toBe(250);
    expect(new AdaptiveRate({ min: 2 }).overloaded(0, 5000)).toBe(2);
  });

  it('drops old samples as the window slides', () => {
    const a = new AdaptiveRate({ windowMs: 1000 });
    for (let t = 0; t < 10_000; t++) a.started(t);
    expect(a.measured(10_000)).toBe(999);
    expect(a.measured(20_000)).toBe(0);
  });

  it('a token bucket can change its rate in flight', () => {
    const clock = new FakeClock(0);
    const b = new TokenBucket(clock, 10, 1);
    expect(b.reserve()).toBe(0);
    b.setRate(100);
    expect(b.burst).toBe(10);
    expect(b.reserve()).toBe(10);
  });
});

describe('warm against an origin that rate-limits', () => {
  it('keeps the request rate under the limit after the first 429s (adaptive rate), and warms everything', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const limit = 100;
    const recent: number[] = [];
    const origin = new FakeHttp(clock, () => {
      const now = clock.now();
      recent.push(now);
      while (recent.length > 0 && (recent[0] as number) <= now - 1000) recent.shift();
      return recent.length > limit ? { status: 429, headers: { 'retry-after': '1' }, latencyMs: 1 } : { status: 200, body: 'v', latencyMs: 2 };
    });
    const result = await warm({ keys: keys(3000), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN, hitRatioSample: 0 }, clock, random: seededRandom(3), limits: { retries: 20, concurrency: 32 } });
    expect(result).toMatchObject({ warmed: 3000, failed: 0 });
    expect(result.adaptiveRate?.decreases).toBeGreaterThan(0);
    const times = origin.requests.map((r) => r.at);
    const throttled = times.length - 3000;
    expect(throttled / times.length).toBeLessThan(0.1);
    // after the first second (the warmer has to find the limit), the average rate stays under it
    const settled = times.filter((t) => t >= 2000);
    const span = ((settled[settled.length - 1] as number) - 2000) / 1000;
    expect(settled.length / span).toBeLessThan(limit);
  });

  it('--no-adaptive leaves the rate alone', async () => {
    const clock = new FakeClock(0);
    const origin = new FakeHttp(clock, () => ({ status: 429, headers: { 'retry-after': '0' } }));
    const result = await warm({ keys: keys(3), target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin, originUrl: ORIGIN }, clock, random: seededRandom(3), limits: { retries: 1, adaptive: false, maxFailures: 10 } });
    expect(result.adaptiveRate).toBeNull();
    expect(result.failed).toBe(3);
  });
});

describe('hit ratio from a sample read', () => {
  it('uses the INFO keyspace deltas; not exact when other clients read meanwhile', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    cache.put('k:0', 'x');
    const getMany = cache.getMany.bind(cache);
    cache.getMany = async (ks) => {
      cache.hits += 3; // another client's hits land in the same window
      return getMany(ks);
    };
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v' }));
    const r = await warm({ keys: keys(4), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN }, clock, random: seededRandom(1) });
    expect(r.hitRatioMeasurements?.before).toEqual({ method: 'info-delta', sampled: 4, present: 1, keyspaceHits: 4, keyspaceMisses: 3, exact: false, ratio: 4 / 7 });
  });

  it('falls back to the sample itself when INFO fails or its counters do not move', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    cache.put('k:1', 'x');
    cache.stats = async () => {
      throw new Error('INFO is disabled');
    };
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v' }));
    const r = await warm({ keys: keys(4), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN }, clock, random: seededRandom(1) });
    expect(r.hitRatioMeasurements?.before).toMatchObject({ method: 'sample', present: 1, sampled: 4, ratio: 0.25, keyspaceHits: null });
    const frozen = new FakeKv(clock);
    const stats = frozen.stats.bind(frozen);
    frozen.stats = async () => ({ ...(await stats()), hits: 0, misses: 0 });
    const r2 = await warm({ keys: keys(4), target: { kind: 'redis', mode: 'origin', cache: frozen, origin, originUrl: ORIGIN }, clock, random: seededRandom(1) });
    expect(r2.hitRatioMeasurements?.after).toMatchObject({ method: 'sample', ratio: 1, exact: false });
  });
});

describe('the checkpoint handle (for cleanup hooks)', () => {
  it('saves progress on demand mid-run, and refuses once the run has cleared its checkpoint', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const store = new InstrumentedCheckpointStore();
    let handle: WarmHandle | undefined;
    const saves: number[] = [];
    const origin = new FakeHttp(clock, (req) => {
      if (req.url.endsWith('k%3A150') && handle) void handle.checkpointNow(100).then((ok) => ok && saves.push(store.saved?.doneCount ?? -1));
      return { status: 200, body: 'v', latencyMs: 5 };
    });
    await warm({ keys: keys(300), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN, batchSize: 10 }, clock, random: seededRandom(1), checkpoint: store, onStart: (h) => (handle = h), limits: { adaptive: false, concurrency: 4 } });
    expect(saves).toHaveLength(1);
    expect(saves[0]).toBeGreaterThan(0);
    expect(saves[0]).toBeLessThan(300);
    expect(store.saved).toBeNull(); // cleared at the end
    expect(await handle?.checkpointNow()).toBe(false);
  });

  it('does nothing without a store', async () => {
    const clock = new FakeClock(0);
    let handle: WarmHandle | undefined;
    await warm({ keys: keys(2), target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin: new FakeHttp(clock, () => ({ status: 200 })), originUrl: ORIGIN }, clock, random: seededRandom(1), onStart: (h) => (handle = h) });
    expect(await handle?.checkpointNow()).toBe(false);
  });
});

describe('expiring invalidation and re-warming', () => {
  it('gives keys a TTL instead of deleting them, paced like deletes', async () => {
    const clock = new FakeClock(0);
    const cache = new ExpiringKv(clock);
    for (const k of keys(20, 't:')) cache.put(k, 'v');
    expect(canExpire(cache)).toBe(true);
    expect(canExpire(new FakeKv(clock))).toBe(false);
    const plan = await planInvalidation({ cache, pattern: 't:*', expireSeconds: 60 });
    expect(plan.action).toBe('expire');
    const r = await invalidate({ cache, clock, pattern: 't:*', rate: 100, expireSeconds: 60, onProgress: () => undefined, progressIntervalMs: 0 });
    expect(r).toMatchObject({ action: 'expire', expireSeconds: 60, expired: 20, deleted: 0, matched: 20 });
    expect(cache.ttl('t:3')).toBe(60);
    expect(cache.has('t:3')).toBe(true);
  });

  it('refuses --expire on a cache that cannot, with --rewarm, or below 1 s', async () => {
    const clock = new FakeClock(0);
    const plain = new FakeKv(clock);
    const err = await rejectionOf(invalidate({ cache: plain, clock, pattern: 'x*', expireSeconds: 10 }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/cannot set TTLs/);
    const ex = new ExpiringKv(clock);
    expect(await rejectionOf(invalidate({ cache: ex, clock, pattern: 'x*', expireSeconds: 10, rewarm: async () => undefined }))).toBeInstanceOf(InputError);
    expect(await rejectionOf(invalidate({ cache: ex, clock, pattern: 'x*', expireSeconds: 0.5 }))).toBeInstanceOf(InputError);
  });

  it('re-warms from the origin with a jittered TTL, and rejects a non-2xx answer', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const origin = new FakeHttp(clock, (req) => (req.url.endsWith('gone') ? { status: 404 } : { status: 200, body: `v:${req.url}` }));
    const rewarm = originRewarmer({ cache, origin, originUrl: ORIGIN, ttlSeconds: 100, random: pureRandom(5), headers: { accept: 'application/json' }, timeoutMs: 1000 });
    await rewarm('a b');
    expect(cache.value('a b')).toBe('v:http://origin/items/a%20b');
    const ttl = cache.ttl('a b');
    expect(ttl).toBeGreaterThanOrEqual(90);
    expect(ttl).toBeLessThanOrEqual(110);
    expect(origin.requests[0]?.headers).toEqual({ accept: 'application/json' });
    await expect(rewarm('gone')).rejects.toThrow('http 404');
    const noTtl = originRewarmer({ cache, origin, originUrl: ORIGIN, random: pureRandom(5) });
    await noTtl('c');
    expect(cache.ttl('c')).toBe(-1);
    expect(() => originRewarmer({ cache, origin, originUrl: 'ftp://x/{key}', random: pureRandom(1) })).toThrow(InputError);
    const sets: CacheEntry[] = cache.sets;
    expect(sets.map((s) => s.key)).toEqual(['a b', 'c']);
  });
});

describe('stats over a window', () => {
  it('reports the deltas of hits, misses, evictions and expiries over the window', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    cache.hits = 100;
    cache.misses = 100;
    clock.sleep = async (ms) => {
      clock.advance(ms);
      cache.hits += 90;
      cache.misses += 10;
      cache.evictedKeys += 2;
    };
    const s = await cacheStats({ cache, clock, windowSeconds: 10, sampleSize: 0 });
    expect(s.hitRatio).toBeCloseTo(190 / 300);
    expect(s.window).toEqual({ seconds: 10, hits: 90, misses: 10, hitRatio: 0.9, lookupsPerSecond: 10, evictedKeys: 2, expiredKeys: 0 });
    expect((await cacheStats({ cache, sampleSize: 0 })).window).toBeNull();
    expect(await rejectionOf(cacheStats({ cache, windowSeconds: 5 }))).toBeInstanceOf(InputError);
  });

  it('a seeded Random is reproducible and in [0, 1)', () => {
    const a = pureRandom(42);
    const b = pureRandom(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
