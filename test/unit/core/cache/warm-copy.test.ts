import { describe, expect, it } from 'vitest';
import { DependencyError } from '../../../../src/core/errors.js';
import { jitteredTtl, warm, type WarmOptions } from '../../../../src/core/cache/warm.js';
import fc from 'fast-check';
import { FakeClock, FakeKv, MemoryCheckpointStore, rejectionOf, seededRandom } from './fakes.js';

function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `s:${i}`);
}

function setup(n: number) {
  const clock = new FakeClock(0);
  const from = new FakeKv(clock);
  const cache = new FakeKv(clock);
  for (let i = 0; i < n; i++) from.put(`s:${i}`, `value-${i}`, i % 2 === 0 ? 600 + i : undefined);
  const store = new MemoryCheckpointStore();
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
    from.data.delete('s:4');
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
