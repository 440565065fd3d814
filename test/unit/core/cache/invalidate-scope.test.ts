/**
 * `cache invalidate` is destructive: what it selects, what it refuses, how it
 * stops and what the dry run promises (docs/cache.md "cache invalidate",
 * issue 10). Each refusal is exit 2 before anything is deleted, naming the
 * flag and a fix; a selection is never widened; an abort stops between
 * batches and reports only what was really done.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { invalidate, planInvalidation, type InvalidateEvent, type InvalidateOptions, type InvalidateResult } from '../../../../src/core/cache/invalidate.js';
import { FakeClock, FakeKv, rejectionOf } from './fakes.js';

const START = 1_700_000_000_000;
const names = (n: number, p = 'title:'): string[] => Array.from({ length: n }, (_, i) => `${p}${i}`);

function filled(n: number, cache?: FakeKv): { clock: FakeClock; cache: FakeKv } {
  const clock = new FakeClock(START);
  const c = cache ?? new FakeKv(clock);
  for (const k of names(n)) c.put(k, 'v');
  c.put('other:1', 'v');
  return { clock, cache: c };
}

/** A cache that can also set TTLs (the ExpiringCache capability), forwarding to the contract-checked MemoryCache. */
class TtlKv extends FakeKv {
  expireCalls = 0;
  async expireMany(ks: readonly string[], ttlSeconds: number): Promise<number> {
    this.expireCalls++;
    return this.inner.expireMany(ks, ttlSeconds);
  }
}

/** The house rule for bad input, for a promise: InputError naming the field, the message mentioning `mentions`, non-empty suggestions. */
async function expectRefused(p: Promise<unknown>, field: string, mentions: string[]): Promise<InputError> {
  const err = await rejectionOf(p);
  expect(err).toBeInstanceOf(InputError);
  const e = err as InputError;
  expect(e.field).toBe(field);
  for (const m of mentions) expect(e.message).toContain(m);
  expect(e.suggestions.length).toBeGreaterThan(0);
  for (const s of e.suggestions) expect(s.trim().length).toBeGreaterThan(0);
  return e;
}

describe('invalidate: refusals (exit 2, nothing deleted)', () => {
  const cases: Array<[string, Partial<InvalidateOptions>, string, string[], string]> = [
    ['neither --pattern nor --source', {}, '--pattern', ['--pattern', '--source', 'not both or neither'], '--source keys.txt'],
    ['both --pattern and --source', { pattern: 'title:*', keys: ['title:1'] }, '--pattern', ['--pattern', '--source', 'not both or neither'], "--pattern 'title:*'"],
    ['an empty pattern', { pattern: '' }, '--pattern', ['--pattern: must not be empty'], "--pattern 'title:*'"],
    ['a blank pattern', { pattern: ' \t' }, '--pattern', ['--pattern: must not be empty'], "--pattern 'title:*'"],
    ['--over and --rate', { pattern: 'title:*', overSeconds: 60, rate: 10 }, '--over', ['--over', '--rate', 'not both'], '--rate 200/s'],
    ['--over 0', { pattern: 'title:*', overSeconds: 0 }, '--over', ['--over: expected a duration above zero, got 0 s'], '--over 10m'],
    ['--over NaN', { pattern: 'title:*', overSeconds: Number.NaN }, '--over', ['got NaN s'], '--over 10m'],
    ['--over ∞', { pattern: 'title:*', overSeconds: Infinity }, '--over', ['got Infinity s'], '--over 10m'],
    ['--rate 0', { pattern: 'title:*', rate: 0 }, '--rate', ['--rate: expected a rate above zero, got 0'], '--rate 200/s'],
    ['--rate ∞', { pattern: 'title:*', rate: Infinity }, '--rate', ['got Infinity'], '--rate 200/s'],
    ['--batch 0', { pattern: 'title:*', maxBatch: 0 }, '--batch', ['--batch: expected a whole number ≥ 1, got 0'], '--batch 100'],
    ['--batch 2.5', { pattern: 'title:*', maxBatch: 2.5 }, '--batch', ['got 2.5'], '--batch 100'],
  ];
  it.each(cases)('refuses %s', async (_, selection, field, mentions, suggestion) => {
    const { clock, cache } = filled(3);
    const e = await expectRefused(invalidate({ cache, clock, ...selection }), field, mentions);
    expect(e.suggestions).toContain(suggestion);
    const p = await expectRefused(planInvalidation({ cache, ...selection }), field, mentions);
    expect(p.suggestions).toEqual(e.suggestions);
    expect(cache.calls).toEqual([]);
    expect(cache.inner.size).toBe(4);
  });

  it('refuses --expire below 1 s, and takes exactly 1 s', async () => {
    const clock = new FakeClock(START);
    const cache = new TtlKv(clock);
    filled(3, cache);
    const e = await expectRefused(invalidate({ cache, clock, pattern: 'title:*', expireSeconds: 0.5 }), '--expire', ['--expire: expected a TTL of at least 1 s, got 0.5 s']);
    expect(e.suggestions).toEqual(['--expire 60s']);
    await expectRefused(invalidate({ cache, clock, pattern: 'title:*', expireSeconds: Infinity }), '--expire', ['got Infinity s']);
    expect(cache.calls).toEqual([]);
    const r = await invalidate({ cache, clock, pattern: 'title:*', expireSeconds: 1 });
    expect(r).toMatchObject({ action: 'expire', expireSeconds: 1, matched: 3, expired: 3, deleted: 0 });
    expect(cache.ttl('title:0')).toBe(1);
  });

  it('refuses --expire with --rewarm, and --expire on a cache that cannot set TTLs', async () => {
    const clock = new FakeClock(START);
    const ttl = new TtlKv(clock);
    filled(3, ttl);
    const both = await expectRefused(invalidate({ cache: ttl, clock, pattern: 'title:*', expireSeconds: 60, rewarm: async () => undefined }), '--rewarm', ['--expire and --rewarm do not go together']);
    expect(both.suggestions.join(' ')).toMatch(/drop --rewarm/);
    const { cache: plain } = filled(3);
    const cannot = await expectRefused(invalidate({ cache: plain, clock, pattern: 'title:*', expireSeconds: 60 }), '--expire', ['--expire: the memory cache provider cannot set TTLs']);
    expect(cannot.suggestions).toEqual(['delete instead (leave out --expire)']);
    expect(ttl.calls).toEqual([]);
    expect(plain.calls).toEqual([]);
  });

  it('takes --batch 1 (one key per deleteMany)', async () => {
    const { clock, cache } = filled(3);
    const r = await invalidate({ cache, clock, keys: ['title:0', 'title:1', 'title:2'], maxBatch: 1 });
    expect(r).toMatchObject({ deleted: 3, batches: 3, batchSize: 1 });
    expect(cache.calls.filter((c) => c.op === 'deleteMany').map((c) => c.keys)).toEqual([['title:0'], ['title:1'], ['title:2']]);
  });
});

describe('invalidate: selection is never widened', () => {
  it('an empty key list selects nothing: no cache call at all', async () => {
    const { clock, cache } = filled(3);
    const r = await invalidate({ cache, clock, keys: [] });
    expect(r).toMatchObject({ selection: 'keys', matched: 0, deleted: 0, batches: 0 });
    expect(cache.calls).toEqual([]);
    const plan = await planInvalidation({ cache, keys: [] });
    expect(plan).toMatchObject({ count: 0, existing: 0, sample: [] });
    expect(cache.calls).toEqual([]);
  });

  it('deletes (never expires) without --expire, even on a cache that could set TTLs; the result has no pattern or TTL', async () => {
    const clock = new FakeClock(START);
    const cache = new TtlKv(clock);
    filled(4, cache);
    const r = await invalidate({ cache, clock, keys: ['title:0', 'title:2', 'missing'] });
    expect(r).toStrictEqual({
      selection: 'keys',
      action: 'delete',
      matched: 3,
      deleted: 2,
      expired: 0,
      batches: 1,
      batchSize: 100,
      intervalMs: 0,
      durationSeconds: 0,
      rewarmed: 0,
      rewarmFailed: 0,
      failures: [],
    } satisfies InvalidateResult);
    expect(cache.expireCalls).toBe(0);
    expect(['title:0', 'title:1', 'title:2', 'title:3', 'other:1'].filter((k) => cache.has(k))).toEqual(['title:1', 'title:3', 'other:1']);
  });

  it('an already aborted run touches nothing and reports nothing', async () => {
    const { clock, cache } = filled(5);
    const ctl = new AbortController();
    const reason = new Error('SIGINT');
    ctl.abort(reason);
    const events: InvalidateEvent[] = [];
    expect(await rejectionOf(invalidate({ cache, clock, pattern: 'title:*', signal: ctl.signal, onProgress: (e) => events.push(e) }))).toBe(reason);
    expect(await rejectionOf(invalidate({ cache, clock, keys: ['title:1'], signal: ctl.signal, onProgress: (e) => events.push(e) }))).toBe(reason);
    expect(cache.calls).toEqual([]);
    expect(events).toEqual([]);
  });
});

describe('invalidate: stopping', () => {
  /** An unpaced run of `n` listed keys in batches of 2, whose re-warm aborts the signal at `abortAt` (a key). */
  async function abortedRun(n: number, abortAt: string) {
    const { clock, cache } = filled(n);
    const ctl = new AbortController();
    const reason = new Error('SIGTERM');
    const events: InvalidateEvent[] = [];
    const err = await rejectionOf(
      invalidate({
        cache,
        clock,
        keys: names(n),
        maxBatch: 2,
        signal: ctl.signal,
        onProgress: (e) => events.push(e),
        rewarm: async (key) => {
          if (key === abortAt) ctl.abort(reason);
        },
      }),
    );
    const done = events.at(-1);
    return { err, reason, cache, result: done?.event === 'done' ? done.result : undefined };
  }

  it('an abort during a batch lets that batch finish and deletes nothing more, even unpaced', async () => {
    const { err, reason, cache, result } = await abortedRun(6, 'title:1');
    expect(err).toBe(reason);
    expect(result).toMatchObject({ stoppedBy: 'signal', matched: 2, deleted: 2, batches: 1, rewarmed: 2 });
    expect(cache.count('deleteMany')).toBe(1);
    expect(cache.has('title:2')).toBe(true);
  });

  it('an abort before the last, short batch leaves it alone and does not count it', async () => {
    const { err, reason, cache, result } = await abortedRun(5, 'title:3');
    expect(err).toBe(reason);
    expect(result).toMatchObject({ stoppedBy: 'signal', matched: 4, deleted: 4, batches: 2 });
    expect(cache.has('title:4')).toBe(true);
    expect(cache.count('deleteMany')).toBe(2);
  });

  it('an abort while waiting for a paced batch stops there, matched = deleted', async () => {
    const { clock, cache } = filled(11);
    const ctl = new AbortController();
    const reason = new Error('SIGINT');
    // --rate 20/s with 100 ms gaps: batches of 2 at +0, +100, … +400 ms, the last (1 key) at +500;
    // the abort comes as the clock reaches +500, while the run waits for that batch
    clock.at(START + 500, () => ctl.abort(reason));
    const events: InvalidateEvent[] = [];
    const err = await rejectionOf(invalidate({ cache, clock, pattern: 'title:*', rate: 20, minIntervalMs: 100, signal: ctl.signal, onProgress: (e) => events.push(e) }));
    expect(err).toBe(reason);
    const done = events.at(-1);
    const result = done?.event === 'done' ? done.result : undefined;
    expect(result).toMatchObject({ stoppedBy: 'signal', matched: 10, deleted: 10, batches: 5, durationSeconds: 0.5 });
    expect(cache.inner.size).toBe(2);
  });

  it('a SCAN cancelled by the signal still ends with the done event, then rethrows the reason', async () => {
    const { clock, cache } = filled(50);
    const ctl = new AbortController();
    const reason = new Error('stop');
    const scan = cache.scan.bind(cache);
    cache.scan = (pattern, options) => {
      ctl.abort(reason);
      return scan(pattern, options);
    };
    const events: InvalidateEvent[] = [];
    expect(await rejectionOf(invalidate({ cache, clock, pattern: 'title:*', rate: 10, signal: ctl.signal, onProgress: (e) => events.push(e) }))).toBe(reason);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'done', result: { stoppedBy: 'signal', matched: 0, deleted: 0 } });
    expect(cache.count('deleteMany')).toBe(0);
  });

  it('a run that finishes says so: no stoppedBy, and resolves', async () => {
    const { clock, cache } = filled(4);
    const ctl = new AbortController();
    const r = await invalidate({ cache, clock, pattern: 'title:*', signal: ctl.signal });
    expect(r).not.toHaveProperty('stoppedBy');
    expect(r).toMatchObject({ selection: 'pattern', pattern: 'title:*', matched: 4, deleted: 4 });
    expect(r).not.toHaveProperty('expireSeconds');
  });

  it('a cache error propagates as itself (not as an abort)', async () => {
    const { clock, cache } = filled(5);
    const boom = new Error('READONLY You can\'t write against a read only replica.');
    cache.fault = (op) => (op === 'deleteMany' ? boom : undefined);
    const ctl = new AbortController();
    expect(await rejectionOf(invalidate({ cache, clock, pattern: 'title:*', signal: ctl.signal }))).toBe(boom);
    expect(await rejectionOf(invalidate({ cache, clock, keys: ['title:1'] }))).toBe(boom);
  });
});

describe('invalidate: pacing and reporting', () => {
  it('unpaced runs never wait on the clock', async () => {
    const { clock, cache } = filled(250);
    const r = await invalidate({ cache, clock, keys: names(250) });
    expect(r).toMatchObject({ deleted: 250, batches: 3, durationSeconds: 0 });
    expect(clock.sleeps).toEqual([]);
  });

  it('reports progress at most once per interval, with the elapsed time since the start', async () => {
    const { clock, cache } = filled(400);
    const events: InvalidateEvent[] = [];
    // --over 2s: 40 batches of 10 keys every 50 ms; progress due at +500, +1000, +1500 ms
    const r = await invalidate({ cache, clock, pattern: 'title:*', overSeconds: 2, onProgress: (e) => events.push(e), progressIntervalMs: 500 });
    const progress = events.filter((e) => e.event === 'progress');
    expect(progress).toEqual([
      { event: 'progress', done: 110, total: 400, deleted: 110, expired: 0, batches: 11, elapsedSeconds: 0.5 },
      { event: 'progress', done: 210, total: 400, deleted: 210, expired: 0, batches: 21, elapsedSeconds: 1 },
      { event: 'progress', done: 310, total: 400, deleted: 310, expired: 0, batches: 31, elapsedSeconds: 1.5 },
    ]);
    expect(r.durationSeconds).toBe(1.95);
    expect(events.at(-1)).toEqual({ event: 'done', result: r });
  });

  it('lists at most --failure-list-limit re-warm failures, and counts them all', async () => {
    const { clock, cache } = filled(5);
    const run = (limit: number) =>
      invalidate({
        cache,
        clock,
        keys: names(5),
        failureListLimit: limit,
        rewarm: async (key) => {
          throw new Error(`origin 503 for ${key}`);
        },
      });
    const r = await run(2);
    expect(r.rewarmFailed).toBe(5);
    expect(r.failures).toEqual([
      { key: 'title:0', reason: 'rewarm: origin 503 for title:0' },
      { key: 'title:1', reason: 'rewarm: origin 503 for title:1' },
    ]);
    expect((await run(5)).failures).toHaveLength(5);
  });

  it('passes the SCAN COUNT hint (default 1000) and the signal to the cache', async () => {
    const { clock, cache } = filled(30);
    const seen: Array<{ batch?: number; signal?: AbortSignal }> = [];
    const scan = cache.scan.bind(cache);
    cache.scan = (pattern, options) => {
      seen.push(options ?? {});
      return scan(pattern, options);
    };
    const ctl = new AbortController();
    await planInvalidation({ cache, pattern: 'title:1*' });
    await planInvalidation({ cache, pattern: 'title:1*', scanBatch: 7, signal: ctl.signal });
    await invalidate({ cache, clock, pattern: 'title:1*', overSeconds: 1 });
    await invalidate({ cache, clock, pattern: 'title:2*', overSeconds: 1, scanBatch: 5, signal: ctl.signal });
    await invalidate({ cache, clock, pattern: 'title:3*' });
    await invalidate({ cache, clock, pattern: 'title:*', scanBatch: 3, signal: ctl.signal });
    expect(seen).toEqual([{ batch: 1000 }, { batch: 7, signal: ctl.signal }, { batch: 1000 }, { batch: 5, signal: ctl.signal }, { batch: 1000 }, { batch: 3, signal: ctl.signal }]);
    expect(cache.has('other:1')).toBe(true);
  });
});

describe('planInvalidation: the dry run', () => {
  it('plans an unpaced list: batches of --batch, no waiting, nothing deleted', async () => {
    const { cache } = filled(250);
    const plan = await planInvalidation({ cache, keys: names(250), sampleSize: 2 });
    expect(plan).toStrictEqual({
      selection: 'keys',
      action: 'delete',
      count: 250,
      existing: 250,
      sample: ['title:0', 'title:1'],
      batches: 3,
      batchSize: 100,
      intervalMs: 0,
      estimatedSeconds: 0,
    });
    expect(cache.count('deleteMany')).toBe(0);
  });

  it('estimates nothing for nothing, however it is paced', async () => {
    const { cache } = filled(3);
    expect(await planInvalidation({ cache, keys: [], rate: 10 })).toMatchObject({ count: 0, batches: 0, estimatedSeconds: 0 });
    expect(await planInvalidation({ cache, keys: [], overSeconds: 60 })).toMatchObject({ count: 0, batches: 0, batchSize: 0, intervalMs: 0, estimatedSeconds: 0 });
    expect(await planInvalidation({ cache, pattern: 'none:*', overSeconds: 60 })).toMatchObject({ count: 0, intervalMs: 0, estimatedSeconds: 0 });
  });

  it('counts the existing keys of a long list in EXISTS calls of at most 1000 keys, each key once', async () => {
    const { cache } = filled(1500);
    const list = [...names(1500), ...names(500, 'gone:')];
    const plan = await planInvalidation({ cache, keys: list });
    expect(plan).toMatchObject({ count: 2000, existing: 1500 });
    expect(cache.calls.filter((c) => c.op === 'existsMany').map((c) => c.keys.length)).toEqual([1000, 1000]);
    const exact = await planInvalidation({ cache, keys: names(1000) });
    expect(exact.existing).toBe(1000);
    expect(cache.count('existsMany')).toBe(3);
  });
});
