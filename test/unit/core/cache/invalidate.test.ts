import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors.js';
import { invalidate, planInvalidation, type InvalidateEvent } from '../../../../src/core/cache/invalidate.js';
import { FakeClock, FakeKv, rejectionOf } from './fakes.js';

function filled(n: number, prefix = 'title:') {
  const clock = new FakeClock(0);
  const cache = new FakeKv(clock);
  for (let i = 0; i < n; i++) cache.put(`${prefix}${i}`, 'v');
  cache.put('other:1', 'v');
  return { clock, cache };
}

/** Keys deleted per 100 ms bucket of virtual time. */
function buckets(cache: FakeKv, start: number, spanMs: number, bucketMs = 100): number[] {
  const out = new Array<number>(Math.ceil(spanMs / bucketMs)).fill(0);
  for (const c of cache.calls) {
    if (c.op !== 'deleteMany') continue;
    const b = Math.floor((c.at - start) / bucketMs);
    out[b] = (out[b] ?? 0) + c.keys.length;
  }
  return out;
}

describe('invalidate', () => {
  it('spreads deletions evenly over --over: no 100 ms bucket gets more than 2× its share', async () => {
    const { clock, cache } = filled(400);
    const result = await invalidate({ cache, clock, pattern: 'title:*', overSeconds: 2 });
    expect(result).toMatchObject({ selection: 'pattern', pattern: 'title:*', matched: 400, deleted: 400, batches: 40, batchSize: 10, intervalMs: 50 });
    expect(cache.has('other:1')).toBe(true);
    expect(cache.inner.size).toBe(1);
    const perBucket = buckets(cache, 0, 2000);
    const share = 400 / 20;
    expect(perBucket).toHaveLength(20);
    expect(Math.max(...perBucket)).toBeLessThanOrEqual(2 * share);
    expect(Math.min(...perBucket)).toBeGreaterThan(0);
    expect(result.durationSeconds).toBeGreaterThanOrEqual(1.9);
    expect(result.durationSeconds).toBeLessThan(2);
  });

  it('keeps the pacing even for any key count and duration', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 40, max: 600 }), fc.integer({ min: 1, max: 5 }), async (n, seconds) => {
        const { clock, cache } = filled(n);
        await invalidate({ cache, clock, keys: Array.from({ length: n }, (_, i) => `title:${i}`), overSeconds: seconds });
        const perBucket = buckets(cache, 0, seconds * 1000);
        const share = n / (seconds * 10);
        return cache.inner.size === 1 && perBucket.every((k) => k <= Math.max(2 * share, Math.ceil(share) + 1));
      }),
      { numRuns: 25 },
    );
  });

  it('paces at a rate, streaming SCAN without collecting first, and dedupes SCAN repeats', async () => {
    const { clock, cache } = filled(100);
    cache.scanDuplicates = true;
    const result = await invalidate({ cache, clock, pattern: 'title:*', rate: 50, scanBatch: 10 });
    expect(result).toMatchObject({ matched: 100, deleted: 100, batchSize: 3 });
    expect(result.intervalMs).toBeCloseTo(60);
    expect(result.durationSeconds).toBeGreaterThanOrEqual(1.9);
    expect(result.durationSeconds).toBeLessThanOrEqual(2.05);
    // streamed: the first delete happens before the last SCAN page
    const firstDelete = cache.calls.findIndex((c) => c.op === 'deleteMany');
    const lastScan = cache.calls.map((c) => c.op).lastIndexOf('scan');
    expect(firstDelete).toBeLessThan(lastScan);
    expect(cache.calls.some((c) => c.op === 'scan' && c.keys[0] === 'title:*')).toBe(true);
  });

  it('deletes as fast as it can without pacing, in max-size batches', async () => {
    const { clock, cache } = filled(250);
    const result = await invalidate({ cache, clock, keys: Array.from({ length: 250 }, (_, i) => `title:${i}`).concat(['title:0', 'gone']) });
    expect(result).toMatchObject({ selection: 'keys', matched: 251, deleted: 250, batches: 3, intervalMs: 0, durationSeconds: 0 });
  });

  it('re-warms each key after the batch that deleted it, counting failures', async () => {
    const { clock, cache } = filled(30);
    const seen: Array<[string, boolean]> = [];
    const result = await invalidate({
      cache,
      clock,
      pattern: 'title:*',
      overSeconds: 1,
      maxBatch: 5,
      rewarm: async (key) => {
        seen.push([key, cache.has(key)]);
        if (key === 'title:7') throw new Error('origin 500');
        cache.put(key, 'fresh');
      },
    });
    expect(seen).toHaveLength(30);
    expect(seen.every(([, present]) => !present)).toBe(true);
    expect(result).toMatchObject({ rewarmed: 29, rewarmFailed: 1, failures: [{ key: 'title:7', reason: 'rewarm: origin 500' }] });
    expect(cache.value('title:3')).toBe('fresh');
  });

  it('stops between batches on abort, reports, and rethrows the reason', async () => {
    const { clock, cache } = filled(200);
    const ctl = new AbortController();
    const events: InvalidateEvent[] = [];
    const reason = new Error('SIGINT');
    const run = invalidate({ cache, clock, pattern: 'title:*', overSeconds: 10, signal: ctl.signal, onProgress: (e) => events.push(e), progressIntervalMs: 500 });
    const stopper = clock.sleep(3000).then(() => ctl.abort(reason));
    expect(await rejectionOf(run)).toBe(reason);
    await stopper;
    const done = events[events.length - 1];
    expect(done?.event).toBe('done');
    const result = done?.event === 'done' ? done.result : undefined;
    expect(result?.stoppedBy).toBe('signal');
    expect(result?.deleted).toBeGreaterThanOrEqual(55);
    expect(result?.deleted).toBeLessThanOrEqual(65);
    expect(cache.inner.size).toBe(200 - (result?.deleted ?? 0) + 1);
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThanOrEqual(5);
    expect(await rejectionOf(invalidate({ cache, clock, pattern: 'title:*', signal: ctl.signal }))).toBe(reason);
  });

  it('stops when the signal cancels the scan', async () => {
    const { clock, cache } = filled(50);
    const ctl = new AbortController();
    const scan = cache.scan.bind(cache);
    cache.scan = (pattern, options) => {
      ctl.abort(new Error('stop'));
      return scan(pattern, options);
    };
    expect(((await rejectionOf(invalidate({ cache, clock, pattern: 'title:*', rate: 10, signal: ctl.signal }))) as Error).message).toBe('stop');
    expect(cache.inner.size).toBe(51);
  });

  it('propagates cache errors', async () => {
    const { clock, cache } = filled(5);
    cache.fault = (op) => (op === 'deleteMany' ? new Error('READONLY') : undefined);
    await expect(invalidate({ cache, clock, pattern: 'title:*' })).rejects.toThrow('READONLY');
  });

  it.each([
    [{}, '--pattern'],
    [{ pattern: 'a*', keys: ['a'] }, '--pattern'],
    [{ pattern: ' ' }, '--pattern'],
    [{ pattern: 'a*', overSeconds: 1, rate: 1 }, '--over'],
    [{ pattern: 'a*', overSeconds: 0 }, '--over'],
    [{ pattern: 'a*', rate: -1 }, '--rate'],
    [{ pattern: 'a*', maxBatch: 0 }, '--batch'],
  ])('rejects %j naming %s', async (selection, field) => {
    const { clock, cache } = filled(1);
    const err = await rejectionOf(invalidate({ cache, clock, ...selection }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe(field);
    expect(cache.count('deleteMany')).toBe(0);
  });
});

describe('planInvalidation', () => {
  it('counts and samples a pattern without deleting, with the paced schedule', async () => {
    const { cache } = filled(1000);
    const plan = await planInvalidation({ cache, pattern: 'title:*', overSeconds: 600, sampleSize: 3 });
    expect(plan).toEqual({
      selection: 'pattern',
      action: 'delete',
      pattern: 'title:*',
      count: 1000,
      existing: 1000,
      sample: ['title:0', 'title:1', 'title:2'],
      batches: 1000,
      batchSize: 1,
      intervalMs: 600,
      estimatedSeconds: 600,
    });
    expect(cache.count('deleteMany')).toBe(0);
    expect(cache.inner.size).toBe(1001);
  });

  it('counts which listed keys exist, and estimates rate-paced and unpaced runs', async () => {
    const { cache } = filled(10);
    const keys = ['title:1', 'title:2', 'nope', 'title:1'];
    expect(await planInvalidation({ cache, keys, rate: 20, minIntervalMs: 100 })).toMatchObject({ selection: 'keys', count: 3, existing: 2, batches: 2, batchSize: 2, intervalMs: 100, estimatedSeconds: 0.1 });
    expect(await planInvalidation({ cache, keys: [] })).toMatchObject({ count: 0, batches: 0, estimatedSeconds: 0 });
    expect(await planInvalidation({ cache, keys: [], overSeconds: 60 })).toMatchObject({ count: 0, batches: 0, batchSize: 0, estimatedSeconds: 0 });
    await expect(planInvalidation({ cache })).rejects.toThrow(InputError);
  });
});
