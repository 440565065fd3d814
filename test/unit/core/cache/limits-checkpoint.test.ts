import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors.js';
import { limitsFromFlags, resolveLimits, WARM_DEFAULTS } from '../../../../src/core/cache/limits.js';
import { CHECKPOINT_VERSION, IndexSet, restoreDone, runFingerprint, type RunIdentity, type WarmCheckpoint } from '../../../../src/core/cache/checkpoint.js';

describe('resolveLimits', () => {
  it('fills the documented defaults', () => {
    const l = resolveLimits();
    expect(l).toMatchObject({
      rate: undefined,
      burst: 1,
      concurrency: WARM_DEFAULTS.concurrency,
      adaptive: { max: 16 },
      retries: 3,
      backoffBaseMs: 100,
      backoffCapMs: 10_000,
      maxRetryAfterMs: 30_000,
      timeoutMs: 10_000,
      breaker: { window: 100, minSamples: 20, errorRatio: 0.5 },
      maxDurationMs: undefined,
      maxFailures: 0,
      onMaxFailures: 'continue',
      abortGraceMs: 5000,
    });
  });

  it('defaults the burst to 100 ms of traffic and converts the max duration to ms', () => {
    expect(resolveLimits({ rate: 500 }).burst).toBe(50);
    expect(resolveLimits({ rate: 3 }).burst).toBe(1);
    expect(resolveLimits({ maxDuration: 90 }).maxDurationMs).toBe(90_000);
    expect(resolveLimits({ adaptive: false }).adaptive).toBe(false);
    expect(resolveLimits({ adaptive: { initial: 2 }, concurrency: 8 }).adaptive).toEqual({ initial: 2, max: 8 });
    expect(resolveLimits({ breaker: false }).breaker).toBe(false);
    expect(resolveLimits({ maxFailures: Infinity }).maxFailures).toBe(Infinity);
  });

  it.each([
    [{ rate: 0 }, '--rate'],
    [{ concurrency: 0 }, '--concurrency'],
    [{ concurrency: 1.5 }, '--concurrency'],
    [{ burst: 0.5 }, '--burst'],
    [{ retries: -1 }, '--retries'],
    [{ maxFailures: -1 }, '--max-failures'],
    [{ timeoutMs: 0 }, '--timeout'],
    [{ maxDuration: 0 }, '--max-duration'],
    [{ breaker: { errorRatio: 0 } }, '--breaker-threshold'],
    [{ breaker: { window: 0 } }, '--breaker-window'],
    [{ breaker: { minSamples: 0 } }, '--breaker-min-samples'],
  ])('%j is an InputError naming %s', (limits, field) => {
    const err = (() => {
      try {
        resolveLimits(limits);
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err?.field).toBe(field);
    expect(err?.message.startsWith(`${field}: `)).toBe(true);
  });
});

describe('limitsFromFlags', () => {
  it('parses units with the shared parsers', () => {
    expect(
      limitsFromFlags({
        rate: '500/s',
        burst: 20,
        concurrency: 32,
        adaptive: false,
        retries: 5,
        timeout: '2s',
        'max-duration': '30m',
        'max-failures': 10,
        'stop-on-max-failures': true,
        'breaker-threshold': '25%',
        'breaker-min-samples': 50,
        'breaker-window': 200,
      }),
    ).toEqual({
      rate: 500,
      burst: 20,
      concurrency: 32,
      adaptive: false,
      retries: 5,
      timeoutMs: 2000,
      maxDuration: 1800,
      maxFailures: 10,
      onMaxFailures: 'stop',
      breaker: { errorRatio: 0.25, minSamples: 50, window: 200 },
    });
    expect(limitsFromFlags({ rate: '30000/m', breaker: false })).toEqual({ rate: 500, breaker: false });
    expect(limitsFromFlags({})).toEqual({});
  });

  it('names the flag on bad input', () => {
    expect(() => limitsFromFlags({ rate: 'fast' })).toThrow(/^--rate: /);
    expect(() => limitsFromFlags({ 'max-duration': '10' })).toThrow(/^--max-duration: /);
    expect(() => limitsFromFlags({ 'breaker-threshold': '150%' })).toThrow(/^--breaker-threshold: /);
    expect(() => limitsFromFlags({ concurrency: 0 })).toThrow(/^--concurrency: /);
  });
});

describe('IndexSet', () => {
  it('round-trips through ranges, which are sorted, disjoint and minimal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }).chain((size) => fc.tuple(fc.constant(size), fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, size - 1) }), { maxLength: size }))), ([size, members]) => {
        const set = new IndexSet(size);
        for (const m of members) if (m < size) set.add(m);
        const ranges = set.toRanges();
        const back = IndexSet.fromRanges(size, ranges);
        for (let i = 0; i < size; i++) if (back.has(i) !== set.has(i)) return false;
        // sorted, non-empty, non-adjacent
        for (let j = 0; j < ranges.length; j++) {
          const [a, b] = ranges[j] as [number, number];
          if (!(a < b)) return false;
          if (j > 0 && (ranges[j - 1] as [number, number])[1] >= a) return false;
        }
        return back.count === set.count && set.count === members.filter((m) => m < size).length;
      }),
    );
  });

  it('is compact for in-order progress', () => {
    const set = new IndexSet(100_000);
    set.addRange(0, 60_000);
    set.add(60_005);
    expect(set.toRanges()).toEqual([
      [0, 60_000],
      [60_005, 60_006],
    ]);
    set.add(-1);
    set.add(100_000);
    set.add(5);
    expect(set.count).toBe(60_001);
  });
});

describe('checkpoint fingerprint and restore', () => {
  const id: RunIdentity = { mode: 'redis-origin', target: 'redis://c:6379/0', details: ['http://o/items/{key}'], shard: '1/4', keys: ['a', 'b'], variants: [''] };

  it('changes with every input that decides the run', () => {
    const base = runFingerprint(id);
    expect(runFingerprint({ ...id })).toBe(base);
    for (const change of [{ mode: 'http' }, { target: 'redis://d' }, { details: ['x'] }, { shard: '2/4' }, { keys: ['b', 'a'] }, { keys: ['a'] }, { variants: ['A=1'] }]) {
      expect(runFingerprint({ ...id, ...change }), JSON.stringify(change)).not.toBe(base);
    }
  });

  const cp = (over: Partial<WarmCheckpoint> = {}): WarmCheckpoint => ({
    version: CHECKPOINT_VERSION,
    fingerprint: 'f1',
    description: 'redis-origin → a',
    total: 10,
    done: [[0, 4]],
    doneCount: 4,
    savedAt: 0,
    ...over,
  });

  it('restores a matching checkpoint', () => {
    const set = restoreDone(cp(), { fingerprint: 'f1', total: 10, description: 'x' }, 'error');
    expect(set?.count).toBe(4);
    expect(restoreDone(null, { fingerprint: 'f1', total: 10, description: 'x' }, 'error')).toBeNull();
  });

  it('refuses a checkpoint from other inputs with an InputError that says how to proceed', () => {
    const err = (() => {
      try {
        restoreDone(cp(), { fingerprint: 'f2', total: 10, description: 'redis-origin → b' }, 'error');
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err?.field).toBe('--checkpoint');
    expect(err?.message).toMatch(/different run \(redis-origin → a, 10 items\) than this one \(redis-origin → b, 10 items\)/);
    expect(err?.suggestions.join(' ')).toMatch(/--restart/);
    expect(() => restoreDone(cp({ version: 9 as never }), { fingerprint: 'f1', total: 10, description: 'x' }, 'error')).toThrow(/unknown format \(version 9\)/);
    expect(() => restoreDone(cp(), { fingerprint: 'f1', total: 11, description: 'x' }, 'error')).toThrow(InputError);
  });

  it('discards it on request', () => {
    expect(restoreDone(cp(), { fingerprint: 'f2', total: 10, description: 'x' }, 'discard')).toBeNull();
  });
});
