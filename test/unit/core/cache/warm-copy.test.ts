import { describe, expect, it } from 'vitest';
import { DependencyError } from '../../../../src/core/errors.js';
import { applyShard } from '../../../../src/core/cache/shard.js';
import { jitteredTtl, warm, type CacheCopier, type WarmOptions } from '../../../../src/core/cache/warm.js';
import { IndexSet } from '../../../../src/core/cache/checkpoint.js';
import type { KeyValueCache } from '../../../../src/ports/cache.js';
import fc from 'fast-check';
import { FakeClock, FakeKv, rejectionOf, seededRandom } from './fakes.js';
import { InstrumentedCheckpointStore } from '../../../fakes/instrumented-checkpoint.js';

function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `s:${i}`);
}

function setup(n: number) {
  const clock = new FakeClock(0);
  const from = new FakeKv(clock);
  const cache = new FakeKv(clock);
  for (let i = 0; i < n; i++) from.put(`s:${i}`, `value-${i}`, i % 2 === 0 ? 600 + i : undefined);
  const store = new InstrumentedCheckpointStore();
  const base = (over: Partial<WarmOptions> = {}): WarmOptions => ({
    keys: keys(n),
    target: { kind: 'redis', mode: 'copy', cache, from, id: 'redis://replica', fromId: 'redis://primary' },
    clock,
    random: seededRandom(1),
    checkpoint: store,
    ...over,
  });
  return { clock, from, cache, store, base };
}

describe('warm: redis copy mode', () => {
  it('copies values and keeps each key\'s TTL, one round trip per batch per operation', async () => {
    const { from, cache, base } = setup(5000);
    const result = await warm(base());
    expect(result).toMatchObject({ mode: 'redis-copy', target: 'redis://replica', warmed: 5000, alreadyHot: 0, failed: 0, exitCode: 0, hitRatioBefore: 0, hitRatioAfter: 1 });
    expect(cache.value('s:4321')).toBe('value-4321');
    expect(cache.ttl('s:10')).toBe(610);
    expect(cache.ttl('s:11')).toBe(-1);
    // 5 batches of 1000: one getMany + ttlMany on the source, one existsMany + setMany on the target each
    expect(from.calls.map((c) => `${c.op}:${c.keys.length}`).sort()).toEqual([...Array(5).fill('getMany:1000'), ...Array(5).fill('ttlMany:1000')]);
    expect(cache.calls.filter((c) => c.op === 'setMany').map((c) => c.keys.length)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(cache.calls.filter((c) => c.op === 'existsMany')).toHaveLength(5); // one per batch
    expect(cache.calls.filter((c) => c.op === 'getMany').map((c) => c.keys.length)).toEqual([1000, 1000]); // the before/after sample reads
    expect(result.hitRatioMeasurements?.after).toEqual({ method: 'info-delta', sampled: 1000, present: 1000, keyspaceHits: 1000, keyspaceMisses: 0, exact: true, ratio: 1 });
    expect(result.latencyMs.samples).toBe(5);
  });

  it('skips keys present in the target, and reports keys missing from the source', async () => {
    const { from, cache, base } = setup(10);
    cache.put('s:3', 'already');
    from.drop('s:4');
    const result = await warm(base({ keys: [...keys(10), 'nope'] }));
    expect(result).toMatchObject({ warmed: 8, alreadyHot: 1, failed: 2, exitCode: 1, failuresByReason: { 'missing-in-source': 2 } });
    expect(cache.value('s:3')).toBe('already');
    expect(cache.has('s:4')).toBe(false);
  });

  it('never writes a key that expired between GET and TTL (it would come back without a TTL)', async () => {
    const { from, cache, base } = setup(4);
    const ttlMany = from.ttlMany.bind(from);
    from.ttlMany = async (ks) => (await ttlMany(ks)).map((t, i) => (ks[i] === 's:2' ? -2 : t));
    const result = await warm(base());
    expect(result.failures).toEqual([{ key: 's:2', reason: 'missing-in-source' }]);
    expect(cache.has('s:2')).toBe(false);
  });

  it('applies --ttl with jitter instead of the source TTLs, and overwrites with refresh', async () => {
    const { from, cache, base } = setup(200);
    cache.put('s:1', 'stale');
    const result = await warm(base({ target: { kind: 'redis', mode: 'copy', cache, from, ttlSeconds: 100, ttlJitter: 0.2, refresh: true, batchSize: 50 } }));
    expect(result.warmed).toBe(200);
    expect(cache.value('s:1')).toBe('value-1');
    const ttls = cache.sets.map((e) => e.ttlSeconds as number);
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(120);
    expect(new Set(ttls).size).toBeGreaterThan(10);
    expect(from.count('ttlMany')).toBe(0);
    expect(cache.calls.filter((c) => c.op === 'existsMany')).toEqual([]); // refresh: no existence checks
    expect(cache.calls.filter((c) => c.op === 'getMany').map((c) => c.keys.length)).toEqual([200, 200]); // only the samples
  });

  it('pipelines at most pipelineDepth batches', async () => {
    const { cache, from, base } = setup(3000);
    cache.latencyMs = 5;
    from.latencyMs = 5;
    await warm(base({ target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 100, pipelineDepth: 3 } }));
    expect(cache.maxInFlight).toBe(3);
    expect(from.maxInFlight).toBe(6); // getMany and ttlMany of each batch together
  });

  it('paces keys per second with the token bucket', async () => {
    const { base } = setup(5000);
    const result = await warm(base({ limits: { rate: 1000, burst: 1000 } }));
    expect(result.durationSeconds).toBeGreaterThanOrEqual(4);
    expect(result.durationSeconds).toBeLessThan(4.1);
  });

  it('reads each source key exactly once across an aborted run and its resume', async () => {
    const { from, cache, store, base } = setup(5000);
    cache.latencyMs = 2;
    const ctl = new AbortController();
    let gets = 0;
    from.fault = (op) => {
      if (op === 'getMany' && ++gets === 3) ctl.abort(new Error('SIGTERM'));
      return undefined;
    };
    const target = { kind: 'redis' as const, mode: 'copy' as const, cache, from, batchSize: 500, pipelineDepth: 2 };
    expect(((await rejectionOf(warm(base({ target, signal: ctl.signal })))) as Error).message).toBe('SIGTERM');
    const firstReads = from.calls.filter((c) => c.op === 'getMany').flatMap((c) => c.keys);
    expect(store.saved?.doneCount).toBe(firstReads.length);
    const result = await warm(base({ target }));
    expect(result.resumed).toBe(firstReads.length);
    const reads = from.calls.filter((c) => c.op === 'getMany').flatMap((c) => c.keys);
    expect(reads).toHaveLength(5000);
    expect(new Set(reads).size).toBe(5000);
    expect(keys(5000).every((k) => cache.has(k))).toBe(true);
  });

  it('stops on a target failure (exit 3), saving what was copied', async () => {
    const { cache, from, store, base } = setup(3000);
    let sets = 0;
    cache.fault = (op) => (op === 'setMany' && ++sets === 2 ? new DependencyError('redis', 'redis: READONLY') : undefined);
    const err = await rejectionOf(warm(base({ target: { kind: 'redis', mode: 'copy', cache, from, pipelineDepth: 1 } })));
    expect(err).toBeInstanceOf(DependencyError);
    expect(store.saved?.doneCount).toBe(1000);
  });

  it('fails with the store\'s error when a periodic checkpoint save fails', async () => {
    const { store, base } = setup(5000);
    store.failSave = true;
    const err = await rejectionOf(warm(base({ limits: { rate: 1000, burst: 1000 }, checkpointIntervalMs: 1500 })));
    expect((err as Error).message).toBe('disk full');
  });

  it('stops at --max-duration between batches', async () => {
    const { store, base } = setup(5000);
    const result = await warm(base({ limits: { rate: 1000, burst: 1000, maxDuration: 2.5 } }));
    expect(result.stoppedBy).toBe('max-duration');
    expect(result.warmed).toBe(3000);
    expect(store.saved?.doneCount).toBe(3000);
  });
});

describe('jitteredTtl', () => {
  it('stays within ttl × (1 ± jitter), rounded, at least 1 s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (ttl, jitter, u) => {
        const t = jitteredTtl(ttl, jitter, () => u);
        return Number.isInteger(t) && t >= 1 && t >= Math.floor(ttl * (1 - jitter)) && t <= Math.ceil(ttl * (1 + jitter));
      }),
    );
    expect(jitteredTtl(100, 0, () => 0.9)).toBe(100);
  });
});

/**
 * A FakeKv with copy mode: the copier of the contract-checked MemoryCache
 * (test/contract/suites/cache-copy.ts pins it against the Redis copier),
 * wrapped to record each batch (`copies`, the shared `log`) and to take
 * `latencyMs` of virtual time per batch.
 */
class CopierKv extends FakeKv {
  readonly copies: Array<{ keys: string[]; overwrite: boolean; ttlSeconds?: readonly number[] }> = [];
  /** Shared event log: `copy` entries (the FakeKv call logs have the others). */
  log: string[] | undefined;

  constructor(private readonly clockRef: FakeClock) {
    super(clockRef);
  }

  copierFrom(source: KeyValueCache): CacheCopier | undefined {
    const inner = source instanceof FakeKv ? this.inner.copierFrom(source.inner) : undefined;
    if (!inner) return undefined;
    return {
      copy: async (keys, options) => {
        this.copies.push({ keys: [...keys], overwrite: options.overwrite, ...(options.ttlSeconds ? { ttlSeconds: [...options.ttlSeconds] } : {}) });
        this.log?.push(`copy:${keys.length}`);
        if (this.latencyMs > 0) await this.clockRef.sleep(this.latencyMs);
        return inner.copy(keys, options);
      },
    };
  }
}

function copierSetup(n: number) {
  const clock = new FakeClock(0);
  const from = new FakeKv(clock);
  const cache = new CopierKv(clock);
  for (let i = 0; i < n; i++) from.put(`s:${i}`, `value-${i}`, i % 2 === 0 ? 600 + i : undefined);
  return { clock, from, cache };
}

describe('warm: copy mode through the target\'s copier', () => {
  it('copies each batch with one copier call: values and TTLs never pass through the engine', async () => {
    const { clock, from, cache } = copierSetup(2500);
    cache.put('s:3', 'already');
    from.drop('s:4');
    const result = await warm({ keys: [...keys(2500), 'nope'], target: { kind: 'redis', mode: 'copy', cache, from }, clock, random: seededRandom(1), limits: { maxFailures: 2 } });
    expect(result).toMatchObject({ mode: 'redis-copy', warmed: 2498, alreadyHot: 1, failed: 2, exitCode: 0, failuresByReason: { 'missing-in-source': 2 } });
    expect(result.failures.map((f) => f.key).sort()).toEqual(['nope', 's:4']);
    expect(cache.copies.map((c) => c.keys.length)).toEqual([1000, 1000, 501]);
    expect(cache.copies.every((c) => !c.overwrite && c.ttlSeconds === undefined)).toBe(true);
    expect(cache.value('s:3')).toBe('already');
    expect(cache.ttl('s:10')).toBe(610);
    expect(cache.ttl('s:11')).toBe(-1);
    // no value, TTL or existence reads by the engine; only the hit-ratio samples
    expect(from.calls.map((c) => c.op)).toEqual([]);
    expect(cache.calls.map((c) => c.op).filter((op) => op !== 'stats')).toEqual(['getMany', 'getMany']);
    expect(result.latencyMs.samples).toBe(3);
  });

  it('hands --ttl (jittered, per key) and --refresh to the copier', async () => {
    const { clock, from, cache } = copierSetup(200);
    cache.put('s:1', 'stale');
    const result = await warm({ keys: keys(200), target: { kind: 'redis', mode: 'copy', cache, from, ttlSeconds: 100, ttlJitter: 0.2, refresh: true, batchSize: 50 }, clock, random: seededRandom(1) });
    expect(result.warmed).toBe(200);
    expect(cache.value('s:1')).toBe('value-1');
    const ttls = cache.copies.flatMap((c) => c.ttlSeconds ?? []);
    expect(ttls).toHaveLength(200);
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(120);
    expect(cache.copies.every((c) => c.overwrite)).toBe(true);
  });

  it('falls back to the generic path when the copier cannot copy from this source', async () => {
    const { clock, from } = copierSetup(10);
    const cache = new CopierKv(clock);
    cache.copierFrom = () => undefined;
    const result = await warm({ keys: keys(10), target: { kind: 'redis', mode: 'copy', cache, from }, clock, random: seededRandom(1) });
    expect(result.warmed).toBe(10);
    expect(from.count('getMany')).toBe(1);
  });

  it('a copier failure stops the run (exit 3), keeping what was copied', async () => {
    const { clock, from, cache } = copierSetup(3000);
    const store = new InstrumentedCheckpointStore();
    let calls = 0;
    const real = cache.copierFrom(from) as CacheCopier;
    cache.copierFrom = () => ({
      copy: (ks, o) => (++calls === 2 ? Promise.reject(new DependencyError('redis', 'redis: READONLY')) : real.copy(ks, o)),
    });
    const err = await rejectionOf(warm({ keys: keys(3000), target: { kind: 'redis', mode: 'copy', cache, from, pipelineDepth: 1 }, clock, random: seededRandom(1), checkpoint: store }));
    expect(err).toBeInstanceOf(DependencyError);
    expect(store.saved?.doneCount).toBe(1000);
  });
});

describe('warm: copy mode with streamed keys (SCAN of the source)', () => {
  function streamed(n: number) {
    const s = copierSetup(n);
    const log: string[] = [];
    s.cache.log = log;
    let closed = false;
    const stream = async function* (): AsyncGenerator<readonly string[]> {
      try {
        for await (const batch of s.from.scan('s:*', { batch: 100 })) {
          log.push(`scan:${batch.length}`);
          yield batch;
        }
      } finally {
        closed = true;
      }
    };
    return { ...s, log, stream, closed: () => closed };
  }

  it('copies batches while the scan goes on, without duplicates', async () => {
    const { clock, from, cache, log, stream } = streamed(1000);
    from.scanDuplicates = true; // every key twice, as SCAN may during a rehash
    const result = await warm({ keys: [], keyStream: stream(), target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 200, hitRatioSample: 0 }, clock, random: seededRandom(1) });
    expect(result).toMatchObject({ keys: 1000, total: 1000, warmed: 1000, alreadyHot: 0, failed: 0, remaining: 0 });
    expect(cache.copies.flatMap((c) => c.keys).sort()).toEqual(keys(1000).sort());
    // the first copy went out before the scan had finished
    expect(log.indexOf('copy:200')).toBeLessThan(log.lastIndexOf('scan:200'));
  });

  it('samples the hit ratio on the first keys to arrive, before and after', async () => {
    const { clock, from, cache, stream } = streamed(1000);
    const result = await warm({ keys: [], keyStream: stream(), target: { kind: 'redis', mode: 'copy', cache, from, hitRatioSample: 150 }, clock, random: seededRandom(1) });
    expect(result.hitRatioMeasurements?.before).toMatchObject({ sampled: 150, present: 0, ratio: 0 });
    expect(result.hitRatioMeasurements?.after).toMatchObject({ sampled: 150, present: 150, ratio: 1 });
    expect(result.warmed).toBe(1000);
  });

  it('applies the shard to streamed keys', async () => {
    const { clock, from, cache, stream } = streamed(1000);
    const shard = { index: 1, count: 4 };
    const result = await warm({ keys: [], keyStream: stream(), shard, target: { kind: 'redis', mode: 'copy', cache, from, hitRatioSample: 0 }, clock, random: seededRandom(1) });
    const expected = applyShard(keys(1000), shard);
    expect(result.keys).toBe(expected.length);
    expect(cache.copies.flatMap((c) => c.keys).sort()).toEqual([...expected].sort());
  });

  it('with a checkpoint, reads the whole stream first (the fingerprint covers every key) and resumes', async () => {
    const { clock, from, cache, log, stream } = streamed(1000);
    const store = new InstrumentedCheckpointStore();
    const ctl = new AbortController();
    let copies = 0;
    const real = cache.copierFrom(from) as CacheCopier;
    cache.copierFrom = () => ({
      copy: (ks, o) => {
        if (++copies === 3) ctl.abort(new Error('SIGTERM'));
        return real.copy(ks, o);
      },
    });
    const target = { kind: 'redis' as const, mode: 'copy' as const, cache, from, batchSize: 100, pipelineDepth: 1, hitRatioSample: 0 };
    expect(((await rejectionOf(warm({ keys: [], keyStream: stream(), target, clock, random: seededRandom(1), checkpoint: store, signal: ctl.signal }))) as Error).message).toBe('SIGTERM');
    expect(log.findIndex((e) => e.startsWith('copy'))).toBeGreaterThan(log.lastIndexOf('scan:100'));
    expect(store.saved?.total).toBe(1000);
    const done = store.saved?.doneCount as number;
    expect(done).toBeGreaterThanOrEqual(200);
    const result = await warm({ keys: [], keyStream: stream(), target, clock, random: seededRandom(1), checkpoint: store });
    expect(result).toMatchObject({ resumed: done, warmed: 1000 - done, alreadyHot: 0, checkpoint: 'cleared' });
  });

  it('stops the stream when the run stops (max-duration), counting what arrived', async () => {
    const { clock, from, cache, stream, closed } = streamed(5000);
    const result = await warm({ keys: [], keyStream: stream(), target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 100, hitRatioSample: 0 }, clock, random: seededRandom(1), limits: { rate: 1000, burst: 100, maxDuration: 1 } });
    expect(result.stoppedBy).toBe('max-duration');
    expect(result.warmed).toBeGreaterThan(0);
    expect(result.warmed).toBeLessThan(5000);
    expect(result.keys).toBeLessThan(5000);
    expect(closed()).toBe(true);
  });

  it('an error from the stream stops the run with it', async () => {
    const { clock, from, cache } = copierSetup(500);
    const failing = async function* (): AsyncGenerator<readonly string[]> {
      yield keys(100);
      throw new DependencyError('redis', 'SCAN failed on Redis at redis://x');
    };
    const err = await rejectionOf(warm({ keys: [], keyStream: failing(), target: { kind: 'redis', mode: 'copy', cache, from, hitRatioSample: 0 }, clock, random: seededRandom(1) }));
    expect((err as Error).message).toMatch(/SCAN failed/);
  });

  it('other modes read the whole stream before they start', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const from = new FakeKv(clock);
    for (let i = 0; i < 30; i++) from.put(`s:${i}`, `v${i}`);
    const result = await warm({ keys: ['s:0'], keyStream: from.scan('s:*', { batch: 7 }), target: { kind: 'redis', mode: 'copy', cache, from, hitRatioSample: 0 }, clock, random: seededRandom(1), checkpoint: new InstrumentedCheckpointStore() });
    expect(result).toMatchObject({ keys: 30, warmed: 30 });
  });
});

describe('IndexSet.grow', () => {
  it('widens the set, keeping members and ranges', () => {
    const set = new IndexSet(10);
    set.add(3);
    set.add(9);
    set.grow(100);
    expect(set.size).toBe(100);
    set.add(64);
    set.add(99);
    expect(set.count).toBe(4);
    expect(set.toRanges()).toEqual([[3, 4], [9, 10], [64, 65], [99, 100]]);
    set.grow(50); // never shrinks
    expect(set.size).toBe(100);
  });
});
