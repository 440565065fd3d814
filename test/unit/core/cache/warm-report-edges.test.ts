/**
 * What a warm run reports (src/core/cache/warm/report.ts, hit-ratio.ts, pacing.ts's summaries), pinned
 * from docs/cache.md "Progress", "Result and exit codes" and "How hit ratios are measured": the progress
 * fields (rate this run, ETA null until the rate is known and while keys stream), the result's derived
 * fields (attempted, remaining, rate, exit code 0/1/4, shard, stoppedBy), the breaker's two errors
 * (exit 4 with the error ratio and threshold, or exit 3 "unreachable" when nothing ever answered), and the
 * Redis hit ratio (Δhits ÷ (Δhits + Δmisses) around a sampled read, else present ÷ sampled).
 */
import { describe, expect, it } from 'vitest';
import { IndexSet } from '../../../../src/core/cache/checkpoint.js';
import { resolveLimits, type WarmLimits } from '../../../../src/core/cache/limits.js';
import { Latencies, RunControl } from '../../../../src/core/cache/run.js';
import { sampleHitRatio } from '../../../../src/core/cache/warm/hit-ratio.js';
import { KeyFeed } from '../../../../src/core/cache/warm/keys.js';
import { Pacer } from '../../../../src/core/cache/warm/pacing.js';
import { prepare } from '../../../../src/core/cache/warm/prepare.js';
import { breakerError, buildResult, progressEvent, type ReportParts } from '../../../../src/core/cache/warm/report.js';
import { Requester } from '../../../../src/core/cache/warm/retry.js';
import { Tally } from '../../../../src/core/cache/warm/tally.js';
import { WarmStoppedError, type WarmOptions, type WarmTarget } from '../../../../src/core/cache/warm/types.js';
import { DependencyError } from '../../../../src/core/errors.js';
import type { CacheStats } from '../../../../src/ports/cache.js';
import { FakeClock, FakeHttp, FakeKv, seededRandom } from './fakes.js';

function parts(opts: { target?: 'origin' | 'copy' | 'http'; keys?: number; limits?: WarmLimits; shard?: WarmOptions['shard']; stream?: boolean } = {}) {
  const clock = new FakeClock(0);
  const cache = new FakeKv(clock);
  const http = new FakeHttp(clock, () => ({ status: 200 }));
  const kind = opts.target ?? 'origin';
  const target: WarmTarget =
    kind === 'http'
      ? { kind: 'http', http, baseUrl: 'http://cdn' }
      : kind === 'copy'
        ? { kind: 'redis', mode: 'copy', cache, from: new FakeKv(clock) }
        : { kind: 'redis', mode: 'origin', cache, origin: http, originUrl: 'http://origin/{key}' };
  const o: WarmOptions = {
    keys: Array.from({ length: opts.keys ?? 10 }, (_, i) => `k${i}`),
    target,
    clock,
    random: seededRandom(3),
    ...(opts.shard ? { shard: opts.shard } : {}),
  };
  const limits = resolveLimits(opts.limits);
  const p = prepare(o);
  const control = new RunControl(clock, undefined, limits.maxDurationMs, limits.abortGraceMs);
  async function* never(): AsyncGenerator<readonly string[]> {
    yield ['late'];
  }
  const tally = new Tally(p.keys.list, p.variants, { failureListLimit: 100, maxFailures: limits.maxFailures }, opts.stream ? new KeyFeed(never(), p.keys) : undefined);
  const pacer = new Pacer(clock, limits, p.mode);
  const latencies = new Latencies();
  const requester = new Requester({ clock, random: o.random, limits, control, pacer, tally, latencies }, p.mode);
  const r: ReportParts = { o, limits, p, control, tally, pacer, requester, latencies };
  return { clock, r, tally, control, requester, pacer };
}

const none = { hitRatioBefore: null, hitRatioAfter: null, checkpoint: 'none' as const };

describe('progress events', () => {
  it('counts finished items with earlier runs, the rate of this run only, and the ETA from it', () => {
    const { clock, r, tally } = parts({ keys: 10 });
    const done = new IndexSet(10);
    done.add(0);
    done.add(1);
    tally.restore(done);
    tally.markWarmed(2);
    tally.markHot(3);
    tally.recordFailure(4, 'http 404');
    tally.retries = 2;
    clock.advance(2000);
    const e = progressEvent(r, 'warm');
    // finished 5 (2 resumed + 3 this run); rate 3 / 2 s; 5 left → 5 / 1.5 s
    expect(e).toEqual({
      event: 'progress',
      phase: 'warm',
      done: 5,
      total: 10,
      resumed: 2,
      warmed: 1,
      alreadyHot: 1,
      failed: 1,
      retries: 2,
      inFlight: 0,
      concurrency: 4, // AIMD starts at min(max, 4)
      elapsedSeconds: 2,
      ratePerSecond: 1.5,
      etaSeconds: 5 / 1.5,
    });
    expect(progressEvent(r, 'verify').phase).toBe('verify');
  });

  it('no ETA before any time passed or any item finished, and none while keys stream in', () => {
    const { clock, r, tally } = parts({ keys: 4, limits: { adaptive: false, concurrency: 3 } });
    expect(progressEvent(r, 'warm')).toMatchObject({ elapsedSeconds: 0, ratePerSecond: 0, etaSeconds: null, concurrency: 3 });
    clock.advance(1000);
    expect(progressEvent(r, 'warm')).toMatchObject({ ratePerSecond: 0, etaSeconds: null });
    for (let i = 0; i < 4; i++) tally.markWarmed(i);
    expect(progressEvent(r, 'warm')).toMatchObject({ ratePerSecond: 4, etaSeconds: 0 });
    const s = parts({ keys: 4, stream: true });
    s.clock.advance(1000);
    s.tally.markWarmed(0);
    expect(progressEvent(s.r, 'warm')).toMatchObject({ ratePerSecond: 1, etaSeconds: null });
  });
});

describe('the result', () => {
  it('derives attempted, remaining, the rate and the exit code from the counts', () => {
    const { clock, r, tally } = parts({ keys: 10, limits: { maxFailures: 1 } });
    tally.markWarmed(0);
    tally.markWarmed(1);
    tally.markHot(2);
    tally.recordFailure(3, 'http 404');
    clock.advance(4000);
    const res = buildResult(r, { hitRatioBefore: 0.25, hitRatioAfter: 1, checkpoint: 'saved', measured: { before: null, after: null } });
    expect(res).toMatchObject({
      mode: 'redis-origin',
      target: 'memory',
      shard: null,
      keys: 10,
      variants: 1,
      total: 10,
      resumed: 0,
      attempted: 4,
      warmed: 2,
      alreadyHot: 1,
      failed: 1,
      remaining: 6,
      failuresByReason: { 'http 404': 1 },
      failuresTruncated: false,
      retries: 0,
      durationSeconds: 4,
      ratePerSecond: 1,
      hitRatioBefore: 0.25,
      hitRatioAfter: 1,
      checkpoint: 'saved',
      exitCode: 0, // 1 failure, budget 1
      hitRatioMeasurements: { before: null, after: null },
    });
    expect(res.breaker).toEqual({ open: false, errorRatio: 0, samples: 0 });
    expect('stoppedBy' in res).toBe(false);
    expect('cacheStatus' in res).toBe(false);
    expect('verify' in res).toBe(false);
    tally.recordFailure(4, 'http 404');
    expect(buildResult(r, none).exitCode).toBe(1); // 2 > 1
  });

  it('a zero-length run has rate 0; remaining is never negative', () => {
    const { r, tally } = parts({ keys: 2 });
    tally.markWarmed(0);
    tally.markWarmed(1);
    const res = buildResult(r, none);
    expect(res).toMatchObject({ durationSeconds: 0, ratePerSecond: 0, remaining: 0, attempted: 2 });
  });

  it('names the shard i/n only when there are several', () => {
    expect(buildResult(parts({ shard: { index: 2, count: 8 } }).r, none).shard).toBe('2/8');
    expect(buildResult(parts({ shard: { index: 0, count: 1 } }).r, none).shard).toBeNull();
  });

  it('says what stopped the run (not an error: that is thrown), and exit 4 for the breaker', () => {
    const a = parts();
    a.control.stop('max-duration');
    expect(buildResult(a.r, none)).toMatchObject({ stoppedBy: 'max-duration', exitCode: 0 });
    const b = parts();
    b.control.stop('error');
    expect('stoppedBy' in buildResult(b.r, none)).toBe(false);
    const c = parts();
    c.control.stop('breaker');
    expect(buildResult(c.r, none)).toMatchObject({ stoppedBy: 'breaker', exitCode: 4 });
  });

  it('http: the verdict counts and the verify summary; no breaker in copy mode or with --no-breaker', () => {
    const h = parts({ target: 'http' });
    const verdicts = { hit: 1, stale: 0, miss: 2, bypass: 0, unknown: 0 };
    const verify = { requests: 3, hit: 3, stale: 0, miss: 0, bypass: 0, unknown: 0, errors: 0 };
    const res = buildResult(h.r, { ...none, verdicts, verify });
    expect(res.cacheStatus).toEqual(verdicts);
    expect(res.cacheStatus).not.toBe(verdicts);
    expect(res.verify).toEqual(verify);
    expect('hitRatioMeasurements' in res).toBe(false);
    expect(buildResult(parts({ target: 'copy' }).r, none).breaker).toBeNull();
    expect(buildResult(parts({ limits: { breaker: false } }).r, none).breaker).toBeNull();
  });

  it('concurrency: a fixed limit is its own low and high with no decrease; adaptiveRate null until it engaged', () => {
    expect(buildResult(parts({ limits: { adaptive: false, concurrency: 7 } }).r, none)).toMatchObject({
      concurrency: { final: 7, low: 7, high: 7, decreases: 0 },
      adaptiveRate: null,
    });
    expect(buildResult(parts({ limits: { concurrency: 16 } }).r, none).concurrency).toEqual({ final: 4, low: 4, high: 4, decreases: 0 });
  });
});

describe('the breaker stop', () => {
  function opened(target: 'origin' | 'http', answered: boolean) {
    const x = parts({ target, keys: 40, limits: { breaker: { minSamples: 4, window: 10, errorRatio: 0.5 } } });
    const b = x.requester.breaker!;
    b.record(false);
    b.record(true);
    b.record(true);
    b.record(false);
    b.record(true); // 3 of 5
    if (answered) x.requester.responses = 5;
    x.requester.lastTransportError = 'connect ECONNREFUSED 10.0.0.1:80';
    x.tally.markWarmed(0);
    x.tally.recordFailure(1, 'http 503');
    const done = new IndexSet(40);
    for (let i = 10; i < 20; i++) done.add(i);
    x.tally.restore(done);
    x.control.stop('breaker');
    return { x, result: buildResult(x.r, none) };
  }

  it('exit 4 with the error ratio, window samples, threshold and how far the run got', () => {
    const { x, result } = opened('origin', true);
    const err = breakerError(x.r, result);
    expect(err).toBeInstanceOf(WarmStoppedError);
    // attempted 2 of 40 − 10 resumed
    expect(err.message).toBe('circuit breaker opened: 60% of the last 5 origin requests failed (threshold 50%); stopped after 2 of 30 items, checkpoint kept');
    expect((err as WarmStoppedError).result).toBe(result);
    expect((err as WarmStoppedError).suggestions).toEqual([
      "check the origin's health and error logs",
      'lower --rate or --concurrency',
      're-run to resume from the checkpoint once the origin is healthy',
    ]);
    const h = opened('http', true);
    expect(breakerError(h.x.r, h.result).message).toContain('of the last 5 http requests failed');
  });

  it('rounds the percentages to a tenth', () => {
    const x = parts({ keys: 4, limits: { breaker: { minSamples: 3, window: 10, errorRatio: 0.375 } } });
    const b = x.requester.breaker!;
    b.record(true);
    b.record(false);
    b.record(true); // 2 of 3 = 66.67 %
    x.requester.responses = 1;
    x.control.stop('breaker');
    expect(breakerError(x.r, buildResult(x.r, none)).message).toContain('66.7% of the last 3 origin requests failed (threshold 37.5%)');
  });

  it('exit 3 naming the dependency and the last transport error when nothing ever answered', () => {
    const { x, result } = opened('origin', false);
    const err = breakerError(x.r, result);
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as DependencyError).dependency).toBe('origin');
    expect(err.message).toBe('origin unreachable: none of 5 requests got an answer (last error: connect ECONNREFUSED 10.0.0.1:80); checkpoint kept');
    expect((err as DependencyError).suggestions).toEqual(['check that the origin is up and reachable from here', 're-run to resume from the checkpoint']);
    const h = opened('http', false);
    const herr = breakerError(h.x.r, h.result) as DependencyError;
    expect(herr.dependency).toBe('http');
    expect(herr.message).toMatch(/^http unreachable: none of 5 requests/);
    expect(herr.suggestions[0]).toBe('check that the cache/CDN is up and reachable from here');
  });
});

/**
 * The contract-checked MemoryCache on a FakeClock (FakeKv), holding the keys `present` accepts among k0…k2499,
 * with its server counters scripted per stats() call: `{ hits, misses }` sets MemoryCache's counters to those
 * values first (the lookups of other clients, or a counter reset, landed in between); `null` leaves them as the
 * fake counted them (the sample's own lookups); an Error fails the call (InstrumentedCache.fault: INFO refused),
 * and so does a call past the script. The reads are the wrapper's recorded `getMany` calls.
 */
class ScriptedCountersKv extends FakeKv {
  constructor(private readonly script: Array<{ hits: number; misses: number } | Error | null>) {
    super(new FakeClock(0));
    this.fault = (op) => {
      if (op !== 'stats') return undefined;
      const s = this.script[this.count('stats') - 1];
      return s instanceof Error ? s : s === undefined ? new Error('no more stats') : undefined;
    };
  }

  override stats(): Promise<CacheStats> {
    const s = this.script[this.count('stats')];
    if (s && !(s instanceof Error)) {
      this.hits = s.hits;
      this.misses = s.misses;
    }
    return super.stats();
  }
}

function statsCache(stats: Array<{ hits: number; misses: number } | Error | null>, present: (key: string) => boolean) {
  const cache = new ScriptedCountersKv(stats);
  for (let i = 0; i < 2500; i++) if (present(`k${i}`)) cache.put(`k${i}`, 'v');
  return {
    cache,
    get reads() {
      return cache.calls.filter((c) => c.op === 'getMany').map((c) => c.keys);
    },
    statsCalls: () => cache.count('stats'),
  };
}

const st = (hits: number, misses: number) => ({ hits, misses });

describe('the Redis hit ratio', () => {
  const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
  const even = (k: string): boolean => Number(k.slice(1)) % 2 === 0;

  it('an empty sample is not measured', async () => {
    const c = statsCache([st(0, 0), st(0, 0)], even);
    expect(await sampleHitRatio(c.cache, keys, [])).toBeNull();
    expect(c.statsCalls()).toBe(0);
  });

  it('Δhits ÷ (Δhits + Δmisses), exact when the deltas are the sample\'s own lookups', async () => {
    // the second read is the fake's own count: 3 hits and 2 misses more
    const c = statsCache([st(100, 50), null], even);
    expect(await sampleHitRatio(c.cache, keys, [0, 1, 2, 3, 4])).toEqual({
      method: 'info-delta',
      sampled: 5,
      present: 3,
      keyspaceHits: 3,
      keyspaceMisses: 2,
      exact: true,
      ratio: 0.6,
    });
    expect(c.reads).toEqual([['k0', 'k1', 'k2', 'k3', 'k4']]);
  });

  it('on a busy server the deltas include other lookups: the server\'s ratio, not exact', async () => {
    const c = statsCache([st(0, 0), st(9, 1)], even);
    expect(await sampleHitRatio(c.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ method: 'info-delta', present: 3, exact: false, ratio: 0.9 });
    // the right total split differently is not exact either
    const d = statsCache([st(0, 0), st(4, 1)], even);
    expect(await sampleHitRatio(d.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ exact: false, ratio: 0.8 });
    const e = statsCache([st(0, 0), st(3, 3)], even);
    expect(await sampleHitRatio(e.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ exact: false, ratio: 0.5 });
  });

  it('deltas that do not cover the sample, or went backwards, fall back to present ÷ sampled', async () => {
    // 4 lookups counted for 5 read
    const a = statsCache([st(0, 0), st(2, 2)], even);
    expect(await sampleHitRatio(a.cache, keys, [0, 1, 2, 3, 4])).toEqual({ method: 'sample', sampled: 5, present: 3, keyspaceHits: 2, keyspaceMisses: 2, exact: false, ratio: 0.6 });
    // exactly the sample's 5: usable
    const b = statsCache([st(0, 0), st(5, 0)], even);
    expect(await sampleHitRatio(b.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ method: 'info-delta', ratio: 1 });
    // counters reset in between
    const c = statsCache([st(100, 100), st(10, 120)], even);
    expect(await sampleHitRatio(c.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ method: 'sample', ratio: 0.6, keyspaceHits: -90 });
    const d = statsCache([st(100, 100), st(120, 10)], even);
    expect(await sampleHitRatio(d.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ method: 'sample', ratio: 0.6, keyspaceMisses: -90 });
    // one counter went back while the sum still covers the sample: not usable either
    const e = statsCache([st(10, 0), st(9, 10)], even);
    expect(await sampleHitRatio(e.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ method: 'sample', ratio: 0.6, keyspaceHits: -1, keyspaceMisses: 10 });
    const f = statsCache([st(0, 10), st(10, 9)], even);
    expect(await sampleHitRatio(f.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ method: 'sample', ratio: 0.6, keyspaceHits: 10, keyspaceMisses: -1 });
    // no hits at all is a usable 0
    const g = statsCache([st(0, 0), st(0, 5)], even);
    expect(await sampleHitRatio(g.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ method: 'info-delta', ratio: 0 });
    const h = statsCache([st(0, 0), st(5, 0)], even);
    expect(await sampleHitRatio(h.cache, keys, [0, 1, 2, 3, 4])).toMatchObject({ method: 'info-delta', ratio: 1, keyspaceMisses: 0 });
  });

  it('when stats fail, before or after, the sample\'s own count', async () => {
    const sample = { method: 'sample', sampled: 4, present: 2, keyspaceHits: null, keyspaceMisses: null, exact: false, ratio: 0.5 };
    const a = statsCache([new Error('INFO unknown')], even);
    expect(await sampleHitRatio(a.cache, keys, [0, 1, 2, 3])).toEqual(sample);
    expect(a.statsCalls()).toBe(1); // no second INFO when the first failed
    const b = statsCache([st(0, 0), new Error('INFO unknown')], even);
    expect(await sampleHitRatio(b.cache, keys, [0, 1, 2, 3])).toEqual(sample);
  });

  it('reads the sample in batches of 1000 keys', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => `k${i}`);
    const c = statsCache([st(0, 0), null], even);
    const m = await sampleHitRatio(c.cache, many, many.map((_, i) => i));
    expect(c.reads.map((r) => r.length)).toEqual([1000, 1000, 500]);
    expect(c.reads[1]?.[0]).toBe('k1000');
    expect(m).toMatchObject({ present: 1250, sampled: 2500, exact: true, ratio: 0.5 });
  });
});

describe('the adaptive rate summary', () => {
  it('null until a 429/503 engaged it; then final and low rounded to 3 decimals', () => {
    const { pacer } = parts({ keys: 1 });
    expect(pacer.rateSummary()).toBeNull();
    const rate = pacer.rate!;
    for (let i = 0; i < 7; i++) rate.started(0);
    // 7 starts over 300 ms (at least 100 ms) = 23.333/s, halved
    expect(rate.overloaded(0, 300)).toBeCloseTo(11.6667, 3);
    expect(pacer.rateSummary()).toEqual({ final: 11.667, low: 11.667, decreases: 1 });
  });

  it('none in copy mode or with --no-adaptive', () => {
    expect(parts({ target: 'copy' }).pacer.rate).toBeUndefined();
    expect(parts({ limits: { adaptive: false } }).pacer.rate).toBeUndefined();
    expect(parts({ target: 'http' }).pacer.rate).toBeDefined();
  });
});
