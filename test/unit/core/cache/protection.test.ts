import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AdaptiveConcurrency,
  backoffDelayMs,
  CircuitBreaker,
  classifyStatus,
  FixedConcurrency,
  parseRetryAfter,
  TokenBucket,
} from '../../../../src/core/cache/protection.js';
import { FakeClock, rejectionOf } from './fakes.js';

/** Largest number of events in any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('TokenBucket', () => {
  it('grants the burst at once, then paces at the rate (500/s, burst 50, 1000 takes)', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(clock, 500, 50);
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      await bucket.take();
      times.push(clock.now());
    }
    expect(times.filter((t) => t === 0)).toHaveLength(50);
    expect(times[999]).toBeGreaterThanOrEqual(1890);
    expect(times[999]).toBeLessThanOrEqual(1910);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(550);
  });

  it('serves concurrent takers in order through debt', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(clock, 10, 1);
    const done: Array<[number, number]> = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => bucket.take().then(() => done.push([i, clock.now()]))));
    expect(done.map(([i]) => i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(done.map(([, t]) => t)).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
  });

  it('returns the tokens of an aborted take', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(clock, 10, 1);
    await bucket.take();
    const ctl = new AbortController();
    ctl.abort(new Error('stop'));
    expect(await rejectionOf(bucket.take(5, ctl.signal))).toEqual(new Error('stop'));
    expect(bucket.reserve(1)).toBe(100); // as if the aborted take never happened
    bucket.refund(1);
    clock.advance(100);
    expect(bucket.reserve(1)).toBe(0);
  });
});

describe('AdaptiveConcurrency (AIMD)', () => {
  it('starts at min(max, 4) and doubles per round in slow start, capped at max', () => {
    const c = new AdaptiveConcurrency({ max: 10 });
    expect(c.current).toBe(4);
    for (let i = 0; i < 4; i++) c.record(c.ticket(), { overloaded: false });
    expect(c.current).toBe(8);
    for (let i = 0; i < 20; i++) c.record(c.ticket(), { overloaded: false });
    expect(c.current).toBe(10);
    expect(new AdaptiveConcurrency({ max: 2 }).current).toBe(2);
  });

  it('halves on overload once per round: requests started before a decrease cannot cause another', () => {
    const c = new AdaptiveConcurrency({ max: 64, initial: 32 });
    const inFlight = Array.from({ length: 10 }, () => c.ticket());
    for (const t of inFlight) c.record(t, { overloaded: true });
    expect(c.current).toBe(16);
    c.record(c.ticket(), { overloaded: true });
    expect(c.current).toBe(8);
    expect(c.history.decreases).toBe(2);
    expect(c.history.low).toBe(8);
  });

  it('adds about one per round of successes after the first decrease', () => {
    const c = new AdaptiveConcurrency({ max: 64, initial: 20 });
    c.record(c.ticket(), { overloaded: true });
    expect(c.current).toBe(10);
    for (let i = 0; i < 10; i++) c.record(c.ticket(), { overloaded: false });
    expect(c.current).toBe(10); // 10 + 10 × 1/~10.5 < 11
    for (let i = 0; i < 12; i++) c.record(c.ticket(), { overloaded: false });
    expect(c.current).toBe(12);
  });

  it('never goes below min', () => {
    const c = new AdaptiveConcurrency({ max: 8, min: 2 });
    for (let i = 0; i < 10; i++) c.record(c.ticket(), { overloaded: true });
    expect(c.current).toBe(2);
  });

  it('treats latency above 2× the baseline as congestion, and lets a slower origin become the new baseline', () => {
    const c = new AdaptiveConcurrency({ max: 64, initial: 32 });
    for (let i = 0; i < 20; i++) c.record(c.ticket(), { overloaded: false, latencyMs: 10 });
    expect(c.baseline).toBeCloseTo(10);
    const before = c.current;
    for (let i = 0; i < 10; i++) c.record(c.ticket(), { overloaded: false, latencyMs: 60 });
    expect(c.current).toBeLessThan(before);
    // a permanently slower origin: decreases stop once the baseline has crept up
    for (let i = 0; i < 3000; i++) c.record(c.ticket(), { overloaded: false, latencyMs: 40 });
    const decreases = c.history.decreases;
    for (let i = 0; i < 500; i++) c.record(c.ticket(), { overloaded: false, latencyMs: 40 });
    expect(c.history.decreases).toBe(decreases);
    expect(c.baseline as number).toBeGreaterThan(20);
  });

  it('ignores latency before the warm-up samples and sub-millisecond noise', () => {
    const c = new AdaptiveConcurrency({ max: 64, initial: 8, warmupSamples: 5 });
    for (let i = 0; i < 4; i++) c.record(c.ticket(), { overloaded: false, latencyMs: i === 0 ? 1 : 100 });
    expect(c.history.decreases).toBe(0);
    const d = new AdaptiveConcurrency({ max: 64, initial: 8, warmupSamples: 1 });
    for (let i = 0; i < 20; i++) d.record(d.ticket(), { overloaded: false, latencyMs: i % 2 === 0 ? 0.1 : 0.5 });
    expect(d.history.decreases).toBe(0);
  });

  it('FixedConcurrency never changes', () => {
    const f = new FixedConcurrency(7);
    f.record();
    expect([f.current, f.ticket()]).toEqual([7, 0]);
  });
});

describe('backoffDelayMs (full jitter)', () => {
  it('is uniform in [0, min(cap, base × 2^retry))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, u) => {
        const d = backoffDelayMs(retry, () => u, 100, 10_000);
        const ceiling = Math.min(10_000, 100 * 2 ** retry);
        return d >= 0 && d < ceiling && d === Math.floor(u * ceiling);
      }),
    );
  });

  it('uses the injected randomness', () => {
    expect(backoffDelayMs(3, () => 0)).toBe(0);
    expect(backoffDelayMs(3, () => 0.5)).toBe(400);
    expect(backoffDelayMs(20, () => 0.999)).toBe(9990);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['3', 3000],
    [' 1.5 ', 1500],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
  ])('%j → %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([[undefined], ['soon-ish date'], ['-1'], ['']])('%j → undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('classifyStatus', () => {
  const ok = (s: number): boolean => s >= 200 && s < 300;
  it('sorts statuses into ok, retry (overload / origin error) and fail', () => {
    expect(classifyStatus(200, {}, 0, ok)).toEqual({ kind: 'ok' });
    expect(classifyStatus(404, {}, 0, ok)).toEqual({ kind: 'fail', reason: 'http 404' });
    expect(classifyStatus(301, {}, 0, ok)).toEqual({ kind: 'fail', reason: 'http 301' });
    expect(classifyStatus(429, { 'retry-after': '2' }, 0, ok)).toEqual({ kind: 'retry', reason: 'http 429', overloaded: true, originError: false, retryAfterMs: 2000 });
    expect(classifyStatus(503, {}, 0, ok)).toEqual({ kind: 'retry', reason: 'http 503', overloaded: true, originError: true });
    expect(classifyStatus(500, { 'retry-after': '2' }, 0, ok)).toEqual({ kind: 'retry', reason: 'http 500', overloaded: false, originError: true });
  });
});

describe('CircuitBreaker', () => {
  /** The obvious implementation: recompute over the last `window` outcomes every time. */
  function naive(outcomes: boolean[], window: number, minSamples: number, ratio: number): boolean[] {
    let open = false;
    return outcomes.map((_, i) => {
      const w = outcomes.slice(Math.max(0, i + 1 - window), i + 1);
      const errors = w.filter(Boolean).length;
      open = open || (w.length >= minSamples && errors / w.length >= ratio);
      return open;
    });
  }

  it('matches a naive sliding window for any outcome sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (outcomes, window, minSamples, ratio) => {
          const b = new CircuitBreaker({ window, minSamples, errorRatio: ratio });
          const got = outcomes.map((o) => b.record(o));
          return JSON.stringify(got) === JSON.stringify(naive(outcomes, window, Math.min(window, minSamples), ratio));
        },
      ),
    );
  });

  it('waits for the minimum sample count, then opens at the threshold and stays open', () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 19; i++) expect(b.record(true)).toBe(false);
    expect(b.record(true)).toBe(true);
    for (let i = 0; i < 100; i++) b.record(false);
    expect(b.open).toBe(true);
    expect(b.errorRatio).toBe(0);
    expect(b.samples).toBe(100);
  });

  it('forgets errors that left the window', () => {
    const b = new CircuitBreaker({ window: 10, minSamples: 10, errorRatio: 0.5 });
    for (let i = 0; i < 4; i++) b.record(true);
    for (let i = 0; i < 10; i++) b.record(false);
    for (let i = 0; i < 4; i++) b.record(true);
    expect(b.open).toBe(false);
    expect(b.errorRatio).toBeCloseTo(0.4);
    b.record(true);
    expect(b.open).toBe(true);
  });
});
