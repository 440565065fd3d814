import { describe, expect, it } from 'vitest';
import { DependencyError, InputError, InterruptedError, SafetyStopError } from '../../../../src/core/errors.js';
import type { HttpRequest } from '../../../../src/ports/http.js';
import { applyShard } from '../../../../src/core/cache/shard.js';
import { warm, WarmStoppedError, type WarmEvent, type WarmOptions, type WarmResult } from '../../../../src/core/cache/warm.js';
import { FakeClock, FakeHttp, FakeKv, rejectionOf, type Reply, seededRandom } from './fakes.js';
import { InstrumentedCheckpointStore, InstrumentedLock } from '../../../fakes/instrumented-checkpoint.js';
import { MemoryLock } from '../../../fakes/memory-lock.js';

const ORIGIN = 'http://origin/items/{key}';

function keyOf(req: HttpRequest): string {
  return decodeURIComponent(req.url.slice('http://origin/items/'.length));
}

function okOrigin(latencyMs = 10): (req: HttpRequest) => Reply {
  return (req) => ({ status: 200, body: `v:${keyOf(req)}`, latencyMs });
}

function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `k:${i}`);
}

function setup(handler: (req: HttpRequest) => Reply = okOrigin()) {
  const clock = new FakeClock(0);
  const cache = new FakeKv(clock);
  const origin = new FakeHttp(clock, handler);
  const store = new InstrumentedCheckpointStore();
  const events: WarmEvent[] = [];
  const base = (over: Partial<WarmOptions> = {}): WarmOptions => ({
    keys: keys(100),
    target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN },
    clock,
    random: seededRandom(7),
    checkpoint: store,
    onProgress: (e) => events.push(e),
    ...over,
  });
  const done = (): WarmResult | undefined => {
    const last = events[events.length - 1];
    return last?.event === 'done' ? last.result : undefined;
  };
  return { clock, cache, origin, store, events, base, done };
}

/** Largest number of timestamps in any window of `ms`. */
function maxInWindow(times: number[], ms: number): number {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < s.length; hi++) {
    while ((s[hi] as number) - (s[lo] as number) >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('warm: redis target from the origin', () => {
  it('warms missing keys, skips present ones, and writes pipelined batches with jittered TTLs', async () => {
    const { cache, origin, store, base } = setup();
    for (let i = 0; i < 250; i += 5) cache.put(`k:${i}`, 'old');
    const result = await warm(
      base({ keys: keys(250), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN, ttlSeconds: 3600, ttlJitter: 0.1, batchSize: 100 } }),
    );
    expect(result).toMatchObject({ mode: 'redis-origin', total: 250, attempted: 250, warmed: 200, alreadyHot: 50, failed: 0, remaining: 0, exitCode: 0, checkpoint: 'cleared' });
    expect(result.hitRatioBefore).toBe(0.2);
    expect(result.hitRatioAfter).toBe(1);
    // only the missing keys went to the origin, key percent-encoded
    expect(origin.requests).toHaveLength(200);
    expect(origin.requests[0]?.url).toBe('http://origin/items/k%3A1');
    expect(origin.requests.some((r) => r.url.endsWith('k%3A5'))).toBe(false);
    expect(cache.value('k:7')).toBe('v:k:7');
    expect(cache.value('k:5')).toBe('old');
    // batched: existence checks of ≤ 100 keys, writes of ≤ 100 entries
    const writes = cache.calls.filter((c) => c.op === 'setMany');
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.every((c) => c.keys.length <= 100)).toBe(true);
    expect(writes.reduce((n, c) => n + c.keys.length, 0)).toBe(200);
    const checks = cache.calls.filter((c) => c.op === 'existsMany');
    expect(checks.map((c) => c.keys.length)).toEqual([100, 100, 50]); // three batches
    // the hit ratio: the sample (all 250 keys) read before and after, INFO keyspace deltas
    expect(cache.calls.filter((c) => c.op === 'getMany').map((c) => c.keys.length)).toEqual([250, 250]);
    expect(result.hitRatioMeasurements).toEqual({
      before: { method: 'info-delta', sampled: 250, present: 50, keyspaceHits: 50, keyspaceMisses: 200, exact: true, ratio: 0.2 },
      after: { method: 'info-delta', sampled: 250, present: 250, keyspaceHits: 250, keyspaceMisses: 0, exact: true, ratio: 1 },
    });
    // TTLs spread over 3600 ± 10%
    const ttls = cache.sets.map((e) => e.ttlSeconds as number);
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(3240);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(3960);
    expect(new Set(ttls).size).toBeGreaterThan(50);
    expect(store.saved).toBeNull();
    expect(store.clears).toBe(1);
  });

  it('overwrites present keys with refresh, and sets no TTL without --ttl', async () => {
    const { cache, origin, base } = setup();
    cache.put('k:1', 'old');
    const result = await warm(base({ keys: keys(10), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN, refresh: true, hitRatioSample: 0 } }));
    expect(result).toMatchObject({ warmed: 10, alreadyHot: 0, hitRatioBefore: null, hitRatioAfter: null });
    expect(cache.value('k:1')).toBe('v:k:1');
    expect(cache.ttl('k:1')).toBe(-1);
    expect(cache.count('existsMany')).toBe(0);
  });

  it('never exceeds the token-bucket rate (100/s, burst 10)', async () => {
    const { origin, base } = setup(okOrigin(5));
    const result = await warm(base({ keys: keys(300), limits: { rate: 100, burst: 10, concurrency: 8 } }));
    expect(result.warmed).toBe(300);
    const times = origin.requests.map((r) => r.at);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(110);
    expect(result.durationSeconds).toBeGreaterThanOrEqual(2.9);
    expect(result.durationSeconds).toBeLessThan(3.1);
  });

  it('holds a fixed concurrency limit', async () => {
    const { origin, base } = setup(okOrigin(50));
    const result = await warm(base({ keys: keys(40), limits: { concurrency: 3, adaptive: false } }));
    expect(result.warmed).toBe(40);
    expect(origin.maxInFlight).toBe(3);
    expect(result.concurrency).toEqual({ final: 3, low: 3, high: 3, decreases: 0 });
  });

  it('adapts concurrency to an origin that sheds load (AIMD), with far fewer 503s than a fixed limit', async () => {
    const run = async (adaptive: boolean) => {
      const s = setup();
      let overloads = 0;
      const capacity = (req: HttpRequest): Reply => {
        if (s.origin.active > 6) {
          overloads++;
          return { status: 503, latencyMs: 1 };
        }
        return okOrigin(20)(req);
      };
      const origin = new FakeHttp(s.clock, capacity);
      s.origin = origin;
      const result = await warm(
        s.base({
          keys: keys(600),
          target: { kind: 'redis', mode: 'origin', cache: s.cache, origin, originUrl: ORIGIN },
          limits: { concurrency: 32, adaptive, retries: 10, breaker: false },
        }),
      );
      return { result, overloads, origin };
    };
    const adaptive = await run(true);
    const fixed = await run(false);
    expect(adaptive.result.failed).toBe(0);
    expect(adaptive.result.warmed).toBe(600);
    expect(adaptive.result.concurrency.decreases).toBeGreaterThan(0);
    expect(adaptive.result.concurrency.high).toBeLessThanOrEqual(32);
    expect(adaptive.overloads * 3).toBeLessThan(fixed.overloads);
  });

  it('retries 5xx with full-jitter exponential backoff from the injected Random', async () => {
    const attempts = new Map<string, number>();
    const { origin, base } = setup((req) => {
      const k = keyOf(req);
      const n = (attempts.get(k) ?? 0) + 1;
      attempts.set(k, n);
      return k === 'k:3' && n <= 2 ? { status: 500 } : { status: 200, body: 'x' };
    });
    const result = await warm(base({ keys: keys(5), random: () => 0.5, limits: { concurrency: 1 } }));
    expect(result).toMatchObject({ warmed: 5, failed: 0, retries: 2 });
    const times = origin.requests.filter((r) => r.url.endsWith('k%3A3')).map((r) => r.at);
    // waits of ⌊0.5 × 100⌋ and ⌊0.5 × 200⌋ ms
    expect(times.map((t) => t - (times[0] as number))).toEqual([0, 50, 150]);
  });

  it('does not retry a 404, and counts failures by reason (exit 1 above --max-failures)', async () => {
    const { origin, base } = setup((req) => (keyOf(req) === 'k:2' ? { status: 404 } : { status: 200, body: 'x' }));
    const result = await warm(base({ keys: keys(5) }));
    expect(result).toMatchObject({ warmed: 4, failed: 1, retries: 0, exitCode: 1, failuresByReason: { 'http 404': 1 } });
    expect(result.failures).toEqual([{ key: 'k:2', reason: 'http 404' }]);
    expect(origin.requests.filter((r) => r.url.endsWith('k%3A2'))).toHaveLength(1);
    const lenient = await warm(setup((req) => (keyOf(req) === 'k:2' ? { status: 404 } : { status: 200 })).base({ keys: keys(5), limits: { maxFailures: 1 } }));
    expect(lenient.exitCode).toBe(0);
  });

  it('retries transport errors and timeouts, then reports them with the error text', async () => {
    const { origin, base } = setup((req) => {
      const k = keyOf(req);
      if (k === 'k:0') return { error: 'ECONNREFUSED' };
      if (k === 'k:1') return { status: 200, latencyMs: 5000 };
      return { status: 200 };
    });
    const result = await warm(base({ keys: keys(30), limits: { timeoutMs: 1000, breaker: false } }));
    expect(result.failed).toBe(2);
    expect(result.failuresByReason).toEqual({ transport: 2 });
    expect(result.failures.find((f) => f.key === 'k:0')?.detail).toMatch(/ECONNREFUSED/);
    expect(result.failures.find((f) => f.key === 'k:1')?.detail).toMatch(/timed out after 1000 ms/);
    expect(origin.countsByUrl().get('http://origin/items/k%3A0')).toBe(4);
  });

  it('honours Retry-After on 429, capped by maxRetryAfterMs', async () => {
    const seen = new Map<string, number>();
    const handler = (after: string) => (req: HttpRequest): Reply => {
      const k = keyOf(req);
      seen.set(k, (seen.get(k) ?? 0) + 1);
      return k === 'k:0' && seen.get(k) === 1 ? { status: 429, headers: { 'Retry-After': after } } : { status: 200 };
    };
    // adaptive pacing off: this test isolates Retry-After (the adaptive rate has its own tests)
    const a = setup(handler('2'));
    await warm(a.base({ keys: keys(3), limits: { adaptive: false } }));
    const t = a.origin.requests.filter((r) => r.url.endsWith('k%3A0')).map((r) => r.at);
    expect((t[1] as number) - (t[0] as number)).toBe(2000);
    seen.clear();
    const b = setup(handler('3600'));
    await warm(b.base({ keys: keys(3), limits: { maxRetryAfterMs: 1000, adaptive: false } }));
    const u = b.origin.requests.filter((r) => r.url.endsWith('k%3A0')).map((r) => r.at);
    expect((u[1] as number) - (u[0] as number)).toBe(1000);
  });

  it('opens the breaker when origin errors cross the threshold: exit 4, checkpoint kept', async () => {
    let served = 0;
    const { origin, store, base, done } = setup(() => (++served <= 30 ? { status: 200, body: 'x', latencyMs: 10 } : { status: 500, latencyMs: 10 }));
    const lock = new InstrumentedLock();
    const err = await rejectionOf(warm(base({ keys: keys(500), lock, limits: { concurrency: 4, adaptive: false } })));
    expect(err).toBeInstanceOf(WarmStoppedError);
    expect(err).toBeInstanceOf(SafetyStopError);
    expect((err as WarmStoppedError).exitCode).toBe(4);
    expect((err as Error).message).toMatch(/circuit breaker opened: \d+(\.\d)?% of the last \d+ origin requests failed \(threshold 50%\)/);
    const result = (err as WarmStoppedError).result;
    expect(result).toMatchObject({ stoppedBy: 'breaker', exitCode: 4, warmed: 30, checkpoint: 'saved' });
    expect(result.breaker?.open).toBe(true);
    expect(origin.requests.length).toBeLessThan(100);
    expect(store.saved?.doneCount).toBe(30);
    expect(done()).toEqual(result);
    expect(lock.held).toBe(false);
  });

  it('reports an origin that never answers as unreachable (exit 3)', async () => {
    const { store, base } = setup(() => ({ error: 'ECONNREFUSED' }));
    const err = await rejectionOf(warm(base({ keys: keys(100), random: () => 0 })));
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as DependencyError).dependency).toBe('origin');
    expect((err as Error).message).toMatch(/origin unreachable: none of 2\d requests got an answer \(last error: .*ECONNREFUSED\)/);
    expect(store.saved).toBeNull(); // nothing done: no checkpoint to trip over on a changed re-run
  });

  it('fails fast (exit 3) when the cache is unreachable at the start, leaving no checkpoint behind', async () => {
    const { cache, origin, store, base, done } = setup();
    cache.fault = () => new DependencyError('redis', 'redis: ECONNREFUSED 127.0.0.1:6379');
    const err = await rejectionOf(warm(base()));
    expect(err).toBeInstanceOf(DependencyError);
    expect(origin.requests).toHaveLength(0);
    expect(store.saves).toBe(0);
    expect(done()?.checkpoint).toBe('none');
  });

  it('stops cleanly at --max-duration, keeping the checkpoint (exit 0)', async () => {
    const { store, base } = setup(okOrigin(5));
    const result = await warm(base({ keys: keys(1000), limits: { rate: 100, burst: 1, maxDuration: 2 } }));
    expect(result.stoppedBy).toBe('max-duration');
    expect(result.exitCode).toBe(0);
    expect(result.warmed).toBeGreaterThanOrEqual(195);
    expect(result.warmed).toBeLessThanOrEqual(205);
    expect(result.remaining).toBe(1000 - result.warmed);
    expect(result.durationSeconds).toBeGreaterThanOrEqual(2);
    expect(result.durationSeconds).toBeLessThan(2.1);
    expect(store.saved?.doneCount).toBe(result.warmed);
    expect(result.checkpoint).toBe('saved');
  });

  it('either finishes past --max-failures (exit 1, checkpoint cleared) or stops there (checkpoint kept)', async () => {
    const failing = (req: HttpRequest): Reply => (Number(keyOf(req).slice(2)) % 10 === 0 ? { status: 404 } : { status: 200 });
    const a = setup(failing);
    const full = await warm(a.base({ keys: keys(100), limits: { maxFailures: 5 } }));
    expect(full).toMatchObject({ attempted: 100, failed: 10, exitCode: 1, checkpoint: 'cleared' });
    expect(full.stoppedBy).toBeUndefined();
    const b = setup(failing);
    const stopped = await warm(b.base({ keys: keys(100), limits: { maxFailures: 5, onMaxFailures: 'stop', concurrency: 1, adaptive: false } }));
    expect(stopped).toMatchObject({ failed: 6, stoppedBy: 'max-failures', exitCode: 1, checkpoint: 'saved' });
    expect(stopped.attempted).toBe(51);
    expect(b.store.saved?.doneCount).toBe(45);
  });

  it('caps the failure list but keeps complete counts', async () => {
    const { base } = setup(() => ({ status: 410 }));
    const result = await warm(base({ keys: keys(150), failureListLimit: 100, limits: { maxFailures: Infinity } }));
    expect(result.failures).toHaveLength(100);
    expect(result.failuresTruncated).toBe(true);
    expect(result.failuresByReason).toEqual({ 'http 410': 150 });
    expect(result.exitCode).toBe(0);
  });

  it('resumes after an abort so that every key is fetched exactly once across both runs', async () => {
    const { clock, cache, origin, store, events, base } = setup();
    const ctl = new AbortController();
    const reason = new InterruptedError('SIGTERM');
    const handler = okOrigin(10);
    const first = new FakeHttp(clock, (req) => {
      if (first.requests.length === 100) ctl.abort(reason);
      return handler(req);
    });
    const target = (http: FakeHttp) => ({ kind: 'redis' as const, mode: 'origin' as const, cache, origin: http, originUrl: ORIGIN, batchSize: 25 });
    const err = await rejectionOf(warm(base({ keys: keys(200), target: target(first), signal: ctl.signal, limits: { concurrency: 8 } })));
    expect(err).toBe(reason);
    const partial = events[events.length - 1];
    expect(partial?.event === 'done' && partial.result.stoppedBy).toBe('signal');
    expect(first.requests).toHaveLength(100);
    expect(store.saved?.doneCount).toBe(100); // in-flight requests finished and were written
    expect(first.completed).toBe(100);

    const second = await warm(base({ keys: keys(200), target: target(origin), limits: { concurrency: 8 } }));
    expect(second).toMatchObject({ resumed: 100, warmed: 100, alreadyHot: 0, remaining: 0, checkpoint: 'cleared' });
    const counts = new Map<string, number>();
    for (const r of [...first.requests, ...origin.requests]) counts.set(r.url, (counts.get(r.url) ?? 0) + 1);
    expect(counts.size).toBe(200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(keys(200).every((k) => cache.value(k) === `v:${k}`)).toBe(true);
    expect(store.saved).toBeNull();
  });

  it('cancels in-flight requests when they outlast the grace period after an abort', async () => {
    const { clock, cache, store, base } = setup();
    const ctl = new AbortController();
    const slow = new FakeHttp(clock, (req) => {
      if (slow.requests.length === 4) ctl.abort(new Error('stop'));
      return { status: 200, body: 'x', latencyMs: keyOf(req) === 'k:0' ? 60_000 : 10 };
    });
    const err = await rejectionOf(
      warm(base({ keys: keys(20), target: { kind: 'redis', mode: 'origin', cache, origin: slow, originUrl: ORIGIN }, signal: ctl.signal, limits: { abortGraceMs: 1000 } })),
    );
    expect((err as Error).message).toBe('stop');
    expect(clock.now()).toBeLessThan(2000);
    expect(store.saved?.doneCount).toBe(3); // k:0 was cancelled, not counted
    expect(cache.has('k:0')).toBe(false);
  });

  it('refuses to resume with different inputs, unless told to discard', async () => {
    const { store, base, origin } = setup();
    const ctl = new AbortController();
    const aborting = setup(() => {
      if (aborting.origin.requests.length === 10) ctl.abort(new Error('x'));
      return { status: 200 };
    });
    await rejectionOf(warm(aborting.base({ keys: keys(50), checkpoint: store, signal: ctl.signal })));
    const saved = structuredClone(store.saved);
    const err = await rejectionOf(warm(base({ keys: keys(51) })));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('--checkpoint');
    expect(store.saved).toEqual(saved);
    expect(origin.requests).toHaveLength(0);
    const other = await rejectionOf(warm(base({ keys: keys(50), shard: { index: 0, count: 2 } })));
    expect(other).toBeInstanceOf(InputError);
    const fresh = await warm(base({ keys: keys(51), onCheckpointMismatch: 'discard' }));
    expect(fresh).toMatchObject({ resumed: 0, attempted: 51 });
  });

  it('saves the checkpoint periodically during a long run', async () => {
    const { store, base } = setup(okOrigin(5));
    await warm(base({ keys: keys(1000), limits: { rate: 100 }, checkpointIntervalMs: 1000 }));
    expect(store.history.length).toBeGreaterThanOrEqual(8);
    expect(store.history.every((n, i) => i === 0 || n >= (store.history[i - 1] as number))).toBe(true);
    expect(store.history[store.history.length - 1]).toBeGreaterThan(800);
    expect(store.saved).toBeNull();
  });

  it('holds the lock for the run and refuses to start when someone else holds it', async () => {
    const { origin, base } = setup();
    const mine = new InstrumentedLock();
    await warm(base({ keys: keys(3), lock: mine }));
    expect([mine.acquired, mine.released, mine.held]).toEqual([1, 1, false]);
    const err = await rejectionOf(warm(base({ keys: keys(3), lock: MemoryLock.heldBy('pid 42 on host-a') })));
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/holds the lock \(pid 42 on host-a\); nothing was done/);
    expect(origin.requests).toHaveLength(3);
  });

  it('propagates a target failure (exit 3) after saving the checkpoint', async () => {
    const { cache, store, base, done } = setup(okOrigin(0));
    let writes = 0;
    cache.fault = (op) => (op === 'setMany' && ++writes === 2 ? new DependencyError('redis', 'redis: connection reset') : undefined);
    const err = await rejectionOf(warm(base({ keys: keys(300) })));
    expect(err).toBeInstanceOf(DependencyError);
    expect(store.saved?.doneCount).toBe(100);
    expect(done()?.warmed).toBe(100);
  });

  it('propagates a failing existence check (exit 3), keeping what was done', async () => {
    const { cache, origin, store, base } = setup(okOrigin(1));
    let checks = 0;
    cache.fault = (op) => (op === 'existsMany' && ++checks === 3 ? new DependencyError('redis', 'redis: timeout') : undefined);
    const err = await rejectionOf(warm(base({ keys: keys(500), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN, hitRatioSample: 0 } })));
    expect((err as Error).message).toBe('redis: timeout');
    expect(store.saved?.doneCount).toBe(200); // two batches checked, fetched and written
  });

  it('makes retries wait for tokens too, so retries never push the rate over the limit', async () => {
    const attempts = new Map<string, number>();
    const { origin, base } = setup((req) => {
      const k = keyOf(req);
      attempts.set(k, (attempts.get(k) ?? 0) + 1);
      return attempts.get(k) === 1 ? { status: 503 } : { status: 200 };
    });
    const result = await warm(base({ keys: keys(20), random: () => 0, limits: { rate: 10, burst: 1, breaker: false } }));
    expect(result).toMatchObject({ warmed: 20, retries: 20 });
    expect(origin.requests).toHaveLength(40);
    expect(maxInWindow(origin.requests.map((r) => r.at), 1000)).toBeLessThanOrEqual(11);
    expect(result.durationSeconds).toBeGreaterThanOrEqual(3.9);
  });

  it('abandons a retry waiting for tokens when the run reaches --max-duration', async () => {
    const { store, base } = setup(() => ({ status: 500 }));
    const result = await warm(base({ keys: keys(50), random: () => 0, limits: { rate: 2, burst: 1, maxDuration: 3, breaker: false, maxFailures: 100 } }));
    expect(result.stoppedBy).toBe('max-duration');
    expect(result.failed).toBe(0); // nothing ran out of retries: the items stay for the resume
    expect(result.remaining).toBe(50);
    expect(store.saved).toBeNull();
  });

  it('throttles progress events on the clock and ends with a done event', async () => {
    const { events, base } = setup(okOrigin(5));
    const result = await warm(base({ keys: keys(1000), limits: { rate: 200 }, progressIntervalMs: 1000 }));
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < progress.length; i++) {
      const a = progress[i - 1] as Extract<WarmEvent, { event: 'progress' }>;
      const b = progress[i] as Extract<WarmEvent, { event: 'progress' }>;
      expect(b.elapsedSeconds - a.elapsedSeconds).toBeGreaterThanOrEqual(1);
      expect(b.done).toBeGreaterThanOrEqual(a.done);
    }
    const first = progress[0] as Extract<WarmEvent, { event: 'progress' }>;
    expect(first).toMatchObject({ phase: 'warm', total: 1000 });
    expect(first.ratePerSecond).toBeGreaterThan(150);
    expect(first.etaSeconds).toBeGreaterThan(0);
    expect(events[events.length - 1]).toEqual({ event: 'done', result });
  });

  it('reports nearest-rank latency percentiles of successful requests', async () => {
    const { base } = setup((req) => ({ status: 200, latencyMs: Number(keyOf(req).slice(2)) % 10 === 0 ? 100 : 10 }));
    const result = await warm(base({ keys: keys(200) }));
    expect(result.latencyMs).toEqual({ p50: 10, p95: 100, max: 100, samples: 200 });
  });

  it('warms only its shard', async () => {
    const { origin, base } = setup();
    const all = keys(300);
    const result = await warm(base({ keys: all, shard: { index: 1, count: 3 } }));
    const mine = applyShard(all, { index: 1, count: 3 });
    expect(result).toMatchObject({ shard: '1/3', keys: mine.length, warmed: mine.length });
    expect(new Set(origin.requests.map((r) => r.url))).toEqual(new Set(mine.map((k) => `http://origin/items/${encodeURIComponent(k)}`)));
  });

  it('dedupes keys and returns at once for an empty list', async () => {
    const { origin, base } = setup();
    expect((await warm(base({ keys: ['a', 'b', 'a'] }))).total).toBe(2);
    expect(origin.requests).toHaveLength(2);
    expect(await warm(base({ keys: [] }))).toMatchObject({ total: 0, attempted: 0, exitCode: 0, hitRatioBefore: null });
  });

  it('does nothing when the signal has already fired', async () => {
    const { origin, base } = setup();
    const ctl = new AbortController();
    ctl.abort(new InterruptedError('SIGINT'));
    const lock = new InstrumentedLock();
    expect(await rejectionOf(warm(base({ signal: ctl.signal, lock })))).toBeInstanceOf(InterruptedError);
    expect(origin.requests).toHaveLength(0);
    expect(lock.acquired).toBe(0);
  });

  it.each([
    [{ originUrl: 'http://origin/items/' }, '--origin'],
    [{ originUrl: 'http://origin/{id}' }, '--origin'],
    [{ originUrl: 'http://origin/{key}/{id}' }, '--origin'],
    [{ originUrl: '/items/{key}' }, '--origin'],
    [{ ttlSeconds: 0 }, '--ttl'],
    [{ ttlSeconds: 60, ttlJitter: 1 }, '--ttl-jitter'],
    [{ batchSize: 0 }, '--batch'],
  ])('rejects %j before doing anything', async (over, field) => {
    const { cache, origin, base } = setup();
    const err = await rejectionOf(warm(base({ target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN, ...over } })));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe(field);
    expect(cache.calls).toHaveLength(0);
  });

  it('surfaces a failing progress callback', async () => {
    const { base } = setup();
    const err = await rejectionOf(
      warm(
        base({
          keys: keys(5),
          onProgress: (e) => {
            if (e.event === 'done') throw new Error('renderer crashed');
          },
        }),
      ),
    );
    expect((err as Error).message).toBe('renderer crashed');
  });

  it('raises a checkpoint save failure of a stopped run', async () => {
    const { store, base } = setup(okOrigin(5));
    store.failSave = true;
    const err = await rejectionOf(warm(base({ keys: keys(1000), limits: { rate: 100, maxDuration: 1 } })));
    expect((err as Error).message).toBe('disk full');
  });
});
