/**
 * Pins `relia cache stats` (src/core/cache/stats.ts) against docs/cache.md
 * "relia cache stats" and "Statistics": the defaults (sample 1000, pattern *,
 * separator :, depth 1, top 10, SCAN COUNT 1000), the `--window` deltas and
 * their validation, when SCAN stops, when a sample counts as complete, and the
 * three ways `estimatedKeys` is given. The cache is MemoryCache (FakeKv) whose counter
 * reads and SCAN batches each test spells out (ScriptedStatsKv), so every number is
 * hand-derived; the window is slept on a FakeClock.
 */
import { describe, expect, it } from 'vitest';
import type { CacheStats } from '../../../../src/ports/cache.js';
import { InputError } from '../../../../src/core/errors.js';
import { cacheStats, keyPrefix, NO_PREFIX } from '../../../../src/core/cache/stats.js';
import { FakeClock, FakeKv } from './fakes.js';

/**
 * The cache of these tests: the contract-checked MemoryCache on a FakeClock inside the InstrumentedCache wrapper
 * (FakeKv), with two scripted parts on top (docs/testing.md, "Audit"):
 *  - before each stats() call, the server's counters are set to the next scripted read (the last one repeats):
 *    the lookups, evictions and expiries of other clients, or a counter reset; MemoryCache's counters are public for
 *    this. A read's `keys` seeds (or drops) filler keys so the fake's own key count is that number. The answer is
 *    then MemoryCache.stats()'s.
 *  - SCAN answers the scripted batches, so a test chooses where a batch ends and repeats a name as a Redis rehash
 *    does; every name is one the cache holds (seeded here). It records the pattern and options it was given and the
 *    batches pulled.
 */
class ScriptedStatsKv extends FakeKv {
  readonly scans: Array<{ pattern: string; options: unknown }> = [];
  batchesPulled = 0;
  private filler = 0;

  constructor(
    clock: FakeClock,
    private readonly reads: Array<Partial<CacheStats>>,
    private readonly batches: string[][],
  ) {
    super(clock);
    for (const batch of batches) for (const k of batch) this.put(k, 'v');
  }

  override async stats(): Promise<CacheStats> {
    const read = this.reads[Math.min(this.count('stats'), this.reads.length - 1)] ?? {};
    this.hits = read.hits ?? 0;
    this.misses = read.misses ?? 0;
    this.evictedKeys = read.evictedKeys ?? 0;
    this.expiredKeys = read.expiredKeys ?? 0;
    this.usedMemoryBytes = read.usedMemoryBytes ?? 0;
    this.maxMemoryBytes = read.maxMemoryBytes ?? 0;
    if (read.keys !== undefined) {
      while (this.inner.size < read.keys) this.put(`filler:${this.filler++}`, 'v');
      while (this.inner.size > read.keys && this.filler > 0) this.drop(`filler:${--this.filler}`);
      if (this.inner.size !== read.keys) throw new Error(`script: ${read.keys} keys is fewer than the scanned names`);
    }
    return super.stats();
  }

  override async *scan(pattern: string, options?: { batch?: number; signal?: AbortSignal }): AsyncIterable<string[]> {
    this.scans.push({ pattern, options });
    for (const batch of this.batches) {
      this.batchesPulled++;
      expect(await this.inner.existsMany(batch)).toEqual(batch.map(() => true));
      yield batch;
    }
  }
}

const T0 = 1_700_000_000_000;

/** A cache answering `reads` to successive stats() calls and `batches` to SCAN, on a FakeClock; `calls` is what was asked. */
function stub(reads: Array<Partial<CacheStats>>, batches: string[][] = []) {
  const clock = new FakeClock(T0);
  const cache = new ScriptedStatsKv(clock, reads, batches);
  const calls = {
    get stats() {
      return cache.count('stats');
    },
    get scans() {
      return cache.scans;
    },
    get batchesPulled() {
      return cache.batchesPulled;
    },
  };
  return { cache, calls, clock };
}

const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('--window: the counters’ change over a window', () => {
  it('sleeps the window on the clock, then reports the deltas and the second read', async () => {
    const { cache, calls, clock: c } = stub([
      { hits: 100, misses: 50, evictedKeys: 5, expiredKeys: 7, keys: 10 },
      { hits: 400, misses: 150, evictedKeys: 9, expiredKeys: 7, keys: 12 },
    ]);
    const signal = new AbortController().signal;
    const s = await cacheStats({ cache, sampleSize: 0, windowSeconds: 20, clock: c, signal });
    expect(c.sleeps).toEqual([20_000]);
    expect(cache.calls.map((x) => [x.op, x.at - T0])).toEqual([
      ['stats', 0],
      ['stats', 20_000],
    ]);
    expect(calls.stats).toBe(2);
    // 300 hits and 100 misses in 20 s: ratio 0.75, 20 lookups/s
    expect(s.window).toEqual({ seconds: 20, hits: 300, misses: 100, hitRatio: 0.75, lookupsPerSecond: 20, evictedKeys: 4, expiredKeys: 0 });
    // the lifetime numbers are the newer read's: 400 ÷ 550
    expect(s).toMatchObject({ hits: 400, misses: 150, hitRatio: 400 / 550, evictedKeys: 9, expiredKeys: 7, keys: 12 });
  });

  it('sleeps with the caller\u2019s signal: an interrupt during the window rejects with its reason, and nothing is read again', async () => {
    const { cache, calls, clock: c } = stub([{ hits: 1 }, { hits: 2 }]);
    const ctl = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    const run = cacheStats({ cache, sampleSize: 0, windowSeconds: 20, clock: c, signal: ctl.signal });
    for (let i = 0; i < 50 && c.pendingTimers === 0; i++) await Promise.resolve();
    ctl.abort(reason); // the window is being slept
    await expect(run).rejects.toBe(reason);
    expect(calls.stats).toBe(1);
    expect(c.now()).toBe(T0);
  });

  it('counts nothing negative when the server’s counters were reset in the window, and has no ratio without lookups', async () => {
    const { cache, clock: c } = stub([
      { hits: 100, misses: 50, evictedKeys: 5, expiredKeys: 7 },
      { hits: 3, misses: 1, evictedKeys: 0, expiredKeys: 2 },
    ]);
    const s = await cacheStats({ cache, sampleSize: 0, windowSeconds: 10, clock: c });
    expect(s.window).toEqual({ seconds: 10, hits: 0, misses: 0, hitRatio: null, lookupsPerSecond: 0, evictedKeys: 0, expiredKeys: 0 });
  });

  it('gives only a miss ratio of 0 when the window saw misses only', async () => {
    const { cache, clock: c } = stub([{ misses: 1 }, { misses: 5 }]);
    const s = await cacheStats({ cache, sampleSize: 0, windowSeconds: 2, clock: c });
    expect(s.window).toMatchObject({ hits: 0, misses: 4, hitRatio: 0, lookupsPerSecond: 2 });
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a window of %s s, naming --window, before sleeping', async (w) => {
    const { cache, calls, clock: c } = stub([{}]);
    const err = await cacheStats({ cache, sampleSize: 0, windowSeconds: w, clock: c }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('--window');
    expect((err as InputError).message).toBe(`--window: expected a duration above zero, got ${w} s`);
    expect((err as InputError).suggestions).toEqual(['--window 30s']);
    expect(c.sleeps).toEqual([]);
    expect(calls.scans).toEqual([]);
  });

  it('needs a clock to measure a window', async () => {
    const { cache } = stub([{}]);
    await expect(cacheStats({ cache, sampleSize: 0, windowSeconds: 30 })).rejects.toThrow(InputError);
  });

  it('is null without --window, and reads the counters once', async () => {
    const { cache, calls, clock: c } = stub([{ hits: 1 }]);
    const s = await cacheStats({ cache, sampleSize: 0, clock: c });
    expect(s.window).toBeNull();
    expect(calls.stats).toBe(1);
    expect(c.sleeps).toEqual([]);
  });
});

describe('the SCAN sample', () => {
  it('samples up to 1000 names matching * with COUNT 1000 by default, stopping once full', async () => {
    const { cache, calls } = stub([{ keys: 3000 }], [keys('a:', 600), keys('b:', 600), keys('c:', 600)]);
    const s = await cacheStats({ cache });
    expect(calls.scans).toEqual([{ pattern: '*', options: { batch: 1000 } }]);
    expect(calls.batchesPulled).toBe(2);
    expect(s.sample).toEqual({ pattern: '*', size: 1000, complete: false });
    // 600 and 400 of 1000 sampled, extrapolated to 3000 keys
    expect(s.prefixes).toEqual([
      { prefix: 'a:', sampleCount: 600, share: 0.6, estimatedKeys: 1800 },
      { prefix: 'b:', sampleCount: 400, share: 0.4, estimatedKeys: 1200 },
    ]);
  });

  it('passes the pattern, the COUNT hint and the abort signal to SCAN', async () => {
    const { cache, calls } = stub([{}], [['x']]);
    const signal = new AbortController().signal;
    await cacheStats({ cache, pattern: 'title:*', scanBatch: 50, signal });
    expect(calls.scans).toEqual([{ pattern: 'title:*', options: { batch: 50, signal } }]);
  });

  it('does not SCAN at all with a sample of 0', async () => {
    const { cache, calls } = stub([{}], [['x']]);
    const s = await cacheStats({ cache, sampleSize: 0 });
    expect(calls.scans).toEqual([]);
    expect(s.sample).toEqual({ pattern: '*', size: 0, complete: false });
  });

  it('stops inside a batch, and is complete only when SCAN ended before the sample filled', async () => {
    const batches = [['a:1', 'a:2', 'a:3', 'a:4'], ['b:1']];
    const three = stub([{ keys: 5 }], batches);
    expect((await cacheStats({ cache: three.cache, sampleSize: 3 })).sample).toEqual({ pattern: '*', size: 3, complete: false });
    expect(three.calls.batchesPulled).toBe(1);
    const four = stub([{ keys: 5 }], batches);
    expect((await cacheStats({ cache: four.cache, sampleSize: 4 })).sample).toEqual({ pattern: '*', size: 4, complete: false });
    expect(four.calls.batchesPulled).toBe(1);
    // the sample filled exactly with the last name: SCAN was not seen to end
    expect((await cacheStats({ cache: stub([{ keys: 5 }], batches).cache, sampleSize: 5 })).sample.complete).toBe(false);
    expect((await cacheStats({ cache: stub([{ keys: 5 }], batches).cache, sampleSize: 6 })).sample).toEqual({ pattern: '*', size: 5, complete: true });
  });

  it('counts each name once when SCAN repeats it (a rehash)', async () => {
    const { cache } = stub([{ keys: 2 }], [['a:1', 'a:1'], ['a:1', 'b:1']]);
    const s = await cacheStats({ cache, sampleSize: 2 });
    expect(s.sample.size).toBe(2);
    expect(s.prefixes.map((p) => p.prefix)).toEqual(['a:', 'b:']);
  });
});

describe('prefixes', () => {
  it('lists the 10 largest by default, ties in name order', async () => {
    const names = ['k:0', 'k:1', ...'lbjihgfedca'.split('').map((c) => `${c}:x`)];
    const { cache } = stub([{ keys: 13 }], [names]);
    const s = await cacheStats({ cache });
    expect(s.prefixes.map((p) => [p.prefix, p.sampleCount])).toEqual([
      ['k:', 2],
      ['a:', 1],
      ['b:', 1],
      ['c:', 1],
      ['d:', 1],
      ['e:', 1],
      ['f:', 1],
      ['g:', 1],
      ['h:', 1],
      ['i:', 1],
    ]);
    expect((await cacheStats({ cache: stub([{}], [names]).cache, top: 1 })).prefixes.map((p) => p.prefix)).toEqual(['k:']);
  });

  it('splits on the separator to the depth, at least one segment', async () => {
    const names = ['a/b/c', 'a/b/d', 'a/e'];
    const two = await cacheStats({ cache: stub([{}], [names]).cache, separator: '/', depth: 2 });
    expect(two.prefixes.map((p) => [p.prefix, p.sampleCount])).toEqual([
      ['a/b/', 2],
      ['a/', 1],
    ]);
    const zero = await cacheStats({ cache: stub([{}], [names]).cache, separator: '/', depth: 0 });
    expect(zero.prefixes.map((p) => [p.prefix, p.sampleCount])).toEqual([['a/', 3]]);
    const dflt = await cacheStats({ cache: stub([{}], [['a:b:c', 'a/b']]).cache });
    // a tie: '(' sorts before 'a'
    expect(dflt.prefixes.map((p) => p.prefix)).toEqual([NO_PREFIX, 'a:']);
  });

  it('estimates the keyspace count from the share for *, rounded; exact when complete; none for a partial sample of another pattern', async () => {
    const batches = [['a:1', 'b:1', 'b:2'], ['c:1']];
    const partial = await cacheStats({ cache: stub([{ keys: 1000 }], batches).cache, sampleSize: 3 });
    // 1/3 and 2/3 of 1000 keys
    expect(partial.prefixes).toEqual([
      { prefix: 'b:', sampleCount: 2, share: 2 / 3, estimatedKeys: 667 },
      { prefix: 'a:', sampleCount: 1, share: 1 / 3, estimatedKeys: 333 },
    ]);
    const complete = await cacheStats({ cache: stub([{ keys: 1000 }], batches).cache, pattern: 'x*', sampleSize: 10 });
    expect(complete.prefixes.map((p) => p.estimatedKeys)).toEqual([2, 1, 1]);
    const other = await cacheStats({ cache: stub([{ keys: 1000 }], batches).cache, pattern: 'x*', sampleSize: 3 });
    expect(other.prefixes.map((p) => p.estimatedKeys)).toEqual([null, null]);
  });

  it('keyPrefix stops at the last separator it finds and keeps a multi-character separator whole', () => {
    expect(keyPrefix('a::b::c', '::', 2)).toBe('a::b::');
    expect(keyPrefix('a::b::c', '::', 1)).toBe('a::');
    expect(keyPrefix(':lead', ':', 1)).toBe(':');
    expect(keyPrefix('x', ':', 0)).toBe(NO_PREFIX);
  });
});

describe('memory', () => {
  it('gives the share of maxmemory in percent, none without a limit', async () => {
    const s = await cacheStats({ cache: stub([{ usedMemoryBytes: 300, maxMemoryBytes: 1200 }]).cache, sampleSize: 0 });
    expect(s.memory).toEqual({ usedBytes: 300, maxBytes: 1200, usedPercent: 25 });
    expect(s.kind).toBe('memory'); // the cache's own kind
    const none = await cacheStats({ cache: stub([{ usedMemoryBytes: 300, maxMemoryBytes: 0 }]).cache, sampleSize: 0 });
    expect(none.memory.usedPercent).toBeNull();
  });
});
