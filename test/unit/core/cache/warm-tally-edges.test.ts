/**
 * A warm run's bookkeeping (src/core/cache/warm/tally.ts, write-buffer.ts), pinned from docs/cache.md:
 * items are variant-major (item v × K + i), failures are listed up to the limit with
 * `failuresTruncated` while `failuresByReason` counts all, a failure names its variant only when there are
 * several, `--stop-on-max-failures` stops at the first failure *over* the budget; origin writes are
 * buffered and written with one setMany per batch or 1 s after the first entry, serialised, the fetching
 * stalls when more than 2 writes are queued, a key is done only once its write succeeded, and after a
 * failed write later batches are skipped (refetched on resume).
 */
import { describe, expect, it } from 'vitest';
import { IndexSet } from '../../../../src/core/cache/checkpoint.js';
import { KeyFeed, KeyList } from '../../../../src/core/cache/warm/keys.js';
import { Tally } from '../../../../src/core/cache/warm/tally.js';
import { WriteBuffer } from '../../../../src/core/cache/warm/write-buffer.js';
import type { CacheEntry } from '../../../../src/ports/cache.js';
import { FakeClock } from './fakes.js';
import { HeldWritesKv } from './held-writes.js';

const V2 = [{ 'Accept-Encoding': 'gzip' }, { 'Accept-Encoding': 'br' }];

function tally(keys: string[], over: Partial<ConstructorParameters<typeof Tally>[2]> = {}, variants: ConstructorParameters<typeof Tally>[1] = [{}]): Tally {
  return new Tally(keys, variants, { failureListLimit: 100, maxFailures: 0, ...over }, undefined);
}

describe('Tally: counts and the failure list', () => {
  it('counts items as keys × variants, and names the key and variant of a variant-major item', () => {
    const t = tally(['a', 'b', 'c'], {}, V2);
    expect(t.total).toBe(6);
    t.recordFailure(4, 'http 404'); // v = 1, i = 1
    t.recordFailure(2, 'transport', 'connect ECONNREFUSED');
    expect(t.failures).toEqual([
      { key: 'b', reason: 'http 404', variant: 'Accept-Encoding=br' },
      { key: 'c', reason: 'transport', variant: 'Accept-Encoding=gzip', detail: 'connect ECONNREFUSED' },
    ]);
  });

  it('with one variant a failure names no variant; without detail it has no detail field', () => {
    const t = tally(['a', 'b']);
    t.recordFailure(1, 'http 500');
    expect(t.failures).toEqual([{ key: 'b', reason: 'http 500' }]);
    expect('detail' in (t.failures[0] as object)).toBe(false);
    expect('variant' in (t.failures[0] as object)).toBe(false);
  });

  it('lists failures up to the limit, counts all of them by reason', () => {
    const t = tally(['a', 'b', 'c', 'd'], { failureListLimit: 2 });
    t.recordFailure(0, 'http 404');
    t.recordFailure(1, 'http 404');
    expect(t.failuresTruncated).toBe(false);
    t.recordFailure(2, 'transport');
    t.recordFailure(3, 'http 404');
    expect(t.failures.map((f) => f.key)).toEqual(['a', 'b']);
    expect(t.failuresTruncated).toBe(true);
    expect(t.byReason).toEqual({ 'http 404': 3, transport: 1 });
    expect(t.failed).toBe(4);
  });

  it('calls the stop hook for each failure over the budget, not at it', () => {
    let calls = 0;
    const t = tally(['a', 'b', 'c', 'd'], { maxFailures: 2, onTooManyFailures: () => calls++ });
    t.recordFailure(0, 'x');
    t.recordFailure(1, 'x');
    expect(calls).toBe(0);
    t.recordFailure(2, 'x');
    expect(calls).toBe(1);
    t.recordFailure(3, 'x');
    expect(calls).toBe(2);
    // without a hook nothing is called (--max-failures alone only sets the exit code)
    const quiet = tally(['a'], { maxFailures: 0 });
    quiet.recordFailure(0, 'x');
    expect(quiet.failed).toBe(1);
  });

  it('finished counts done items (this run and earlier ones) and failures', () => {
    const t = tally(['a', 'b', 'c', 'd', 'e']);
    const done = new IndexSet(5);
    done.add(0);
    t.restore(done);
    expect(t.resumed).toBe(1);
    t.markHot(1);
    t.markWarmed(2);
    t.recordFailure(3, 'x');
    expect([t.alreadyHot, t.warmed, t.failed, t.finished]).toEqual([1, 1, 1, 4]);
    expect(t.resumed).toBe(1);
    expect([...t.remaining()]).toEqual([3, 4]); // a failed item is not done
  });
});

describe('Tally: the items still to do', () => {
  it('remainingChunks skips done items, fills each chunk, and yields the rest last', () => {
    const t = tally(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    t.markWarmed(1);
    t.markHot(4);
    expect([...t.remainingChunks(2)]).toEqual([[0, 2], [3, 5], [6]]);
    expect([...t.remainingChunks(5)]).toEqual([[0, 2, 3, 5, 6]]);
    t.markWarmed(6);
    expect([...t.remainingChunks(2)]).toEqual([[0, 2], [3, 5]]); // no empty chunk at the end
    expect([...t.remaining()]).toEqual([0, 2, 3, 5]);
  });

  it('nothing left: no chunk at all', () => {
    const t = tally(['a']);
    t.markWarmed(0);
    expect([...t.remainingChunks(10)]).toEqual([]);
    expect([...tally([]).remainingChunks(10)]).toEqual([]);
  });

  it('grows while keys stream in, and stops streaming when the feed ends', async () => {
    async function* stream(): AsyncGenerator<readonly string[]> {
      yield ['a', 'b'];
      yield ['c'];
    }
    const list = new KeyList(undefined);
    const t = new Tally(list.list, V2, { failureListLimit: 100, maxFailures: 0 }, new KeyFeed(stream(), list));
    expect(t.streaming).toBe(true);
    expect(t.total).toBe(0);
    expect(await t.pullKeys()).toBe(true);
    expect(t.total).toBe(4);
    t.markWarmed(3);
    expect(await t.pullKeys()).toBe(true);
    expect(t.total).toBe(6);
    expect(t.done.has(3)).toBe(true);
    expect([...t.remaining()]).toEqual([0, 1, 2, 4, 5]);
    expect(t.streaming).toBe(true);
    expect(await t.pullKeys()).toBe(false);
    expect(t.streaming).toBe(false);
    expect(await t.pullKeys()).toBe(false);
    await t.closeFeed();
    expect(tally(['a']).streaming).toBe(false);
    expect(await tally(['a']).pullKeys()).toBe(false);
  });

  it('closeFeed stops a stream that has not ended', async () => {
    let closed = false;
    async function* stream(): AsyncGenerator<readonly string[]> {
      try {
        for (let i = 0; ; i++) yield [`k${i}`];
      } finally {
        closed = true;
      }
    }
    const list = new KeyList(undefined);
    const t = new Tally(list.list, [{}], { failureListLimit: 100, maxFailures: 0 }, new KeyFeed(stream(), list));
    await t.pullKeys();
    await t.closeFeed();
    expect(closed).toBe(true);
  });
});

/** The cache fake whose setMany calls wait until the test settles them (HeldWritesKv, held-writes.ts). */
function heldCache(clock: FakeClock) {
  const cache = new HeldWritesKv(clock);
  return { cache, writes: cache.held };
}

const entry = (k: string): CacheEntry => ({ key: k, value: Buffer.from(k) });
const flushMicrotasks = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('WriteBuffer: origin writes', () => {
  it('writes a full batch at once, marking the items done only when the write landed', async () => {
    const clock = new FakeClock(10_000);
    const t = tally(['a', 'b', 'c', 'd']);
    const { cache, writes } = heldCache(clock);
    const w = new WriteBuffer(cache, clock, t, () => undefined);
    w.add(0, entry('a'), 3);
    w.add(1, entry('b'), 3);
    await flushMicrotasks();
    expect(writes).toHaveLength(0);
    w.add(2, entry('c'), 3);
    await flushMicrotasks();
    expect(writes.map((x) => x.entries.map((e) => e.key))).toEqual([['a', 'b', 'c']]);
    expect(t.warmed).toBe(0);
    expect(cache.has('a')).toBe(false);
    writes[0]?.resolve();
    await w.chain;
    expect(t.warmed).toBe(3);
    expect(['a', 'b', 'c'].map((k) => cache.value(k))).toEqual(['a', 'b', 'c']); // landed in the fake
    expect([...t.remaining()]).toEqual([3]);
  });

  it('writes a partial buffer once its first entry is 1 s old (not before)', async () => {
    const clock = new FakeClock(10_000);
    const t = tally(['a', 'b', 'c', 'd']);
    const { cache, writes } = heldCache(clock);
    const w = new WriteBuffer(cache, clock, t, () => undefined);
    w.add(0, entry('a'), 100);
    clock.advance(500);
    w.add(1, entry('b'), 100); // the buffer's age is its first entry's
    clock.advance(499);
    w.add(2, entry('c'), 100); // 999 ms
    await flushMicrotasks();
    expect(writes).toHaveLength(0);
    clock.advance(1);
    w.add(3, entry('d'), 100); // 1000 ms
    await flushMicrotasks();
    expect(writes.map((x) => x.entries.length)).toEqual([4]);
  });

  it('the next buffer ages from its own first entry', async () => {
    const clock = new FakeClock(10_000);
    const t = tally(['a', 'b', 'c', 'd']);
    const { cache, writes } = heldCache(clock);
    const w = new WriteBuffer(cache, clock, t, () => undefined);
    w.add(0, entry('a'), 1); // written at once
    await flushMicrotasks();
    writes[0]?.resolve();
    await w.chain;
    clock.advance(5000);
    w.add(1, entry('b'), 100);
    clock.advance(999);
    w.add(2, entry('c'), 100);
    await flushMicrotasks();
    expect(writes.map((x) => x.entries.length)).toEqual([1]);
    clock.advance(1);
    w.add(3, entry('d'), 100);
    await flushMicrotasks();
    expect(writes.map((x) => x.entries.length)).toEqual([1, 3]);
  });

  it('flush writes what is buffered; with nothing buffered, or no cache, it writes nothing', async () => {
    const clock = new FakeClock(10_000);
    const t = tally(['a']);
    const { cache, writes } = heldCache(clock);
    const w = new WriteBuffer(cache, clock, t, () => undefined);
    await w.flush();
    expect(writes).toHaveLength(0);
    w.add(0, entry('a'), 100);
    const p = w.flush();
    await flushMicrotasks();
    expect(writes).toHaveLength(1);
    writes[0]?.resolve();
    await p;
    expect(t.warmed).toBe(1);
    const none = new WriteBuffer(undefined, clock, t, () => undefined);
    none.add(0, entry('a'), 1);
    await none.flush();
    expect(t.warmed).toBe(1);
  });

  it('serialises writes and reports back-pressure when more than 2 are queued', async () => {
    const clock = new FakeClock(10_000);
    const t = tally(['a', 'b', 'c', 'd']);
    const { cache, writes } = heldCache(clock);
    const w = new WriteBuffer(cache, clock, t, () => undefined);
    w.add(0, entry('a'), 1);
    w.add(1, entry('b'), 1);
    expect(w.backlogged).toBe(false);
    w.add(2, entry('c'), 1);
    expect(w.backlogged).toBe(true);
    await flushMicrotasks();
    expect(writes).toHaveLength(1); // the second waits for the first
    writes[0]?.resolve();
    await flushMicrotasks();
    expect(writes).toHaveLength(2);
    expect(w.backlogged).toBe(false); // 2 queued
    writes[1]?.resolve();
    await flushMicrotasks();
    writes[2]?.resolve();
    await w.chain;
    expect(t.warmed).toBe(3);
    expect(w.backlogged).toBe(false);
  });

  it('after a failed write, reports it once and skips the later batches (their items stay to do)', async () => {
    const clock = new FakeClock(10_000);
    const t = tally(['a', 'b', 'c']);
    const { cache, writes } = heldCache(clock);
    const errors: unknown[] = [];
    const w = new WriteBuffer(cache, clock, t, (err) => errors.push(err));
    w.add(0, entry('a'), 1);
    w.add(1, entry('b'), 1);
    await flushMicrotasks();
    const boom = new Error('SET failed');
    writes[0]?.reject(boom);
    await w.chain;
    expect(errors).toEqual([boom]);
    expect(writes).toHaveLength(1);
    w.add(2, entry('c'), 1);
    await w.chain;
    expect(writes).toHaveLength(1);
    expect(cache.count('setMany')).toBe(0); // nothing reached the fake
    expect(t.warmed).toBe(0);
    expect([...t.remaining()]).toEqual([0, 1, 2]);
    expect(w.backlogged).toBe(false); // skipped writes leave the queue too
  });
});
