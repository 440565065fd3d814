/**
 * The protection mechanisms at their edges (docs/cache.md "Protection"):
 * the token bucket with a clock that goes back, the AIMD controllers' exact
 * thresholds and arithmetic (expected values worked out by hand in the
 * comments), Retry-After and status classification at the boundaries, and
 * an empty circuit breaker.
 */
import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency, AdaptiveRate, CircuitBreaker, classifyStatus, parseRetryAfter, TokenBucket } from '../../../../src/core/cache/protection.js';
import type { Clock } from '../../../../src/ports/clock.js';
import { FakeClock } from './fakes.js';

describe('TokenBucket', () => {
  it('earns nothing while the clock is behind its last reading (NTP stepping the wall clock back)', () => {
    // FakeClock as a wall clock that can be stepped: now() is the fake's plus `step`; sleep is the fake's
    const fake = new FakeClock(10_000);
    let step = 0;
    const clock: Clock = { now: () => fake.now() + step, sleep: (ms, signal) => fake.sleep(ms, signal) };
    const bucket = new TokenBucket(clock, 10, 10); // 10/s, burst 10: one token per 100 ms
    step = -10_000; // the clock steps back 10 s
    expect(bucket.reserve(10)).toBe(0); // the burst is still all there
    expect(bucket.reserve(1)).toBe(100); // and the debt of one token is 100 ms
    step = 0;
    fake.advance(50); // 50 ms past the old reading: half a token earned
    expect(bucket.reserve(1)).toBe(150); // debt 1.5 tokens
  });

  it('a take within the burst does not touch the timer, even with an aborted signal', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket(clock, 10, 3);
    const ctl = new AbortController();
    ctl.abort(new Error('stop'));
    await bucket.take(3, ctl.signal);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('AdaptiveConcurrency', () => {
  it('only latencies of successful attempts feed the baseline', () => {
    const c = new AdaptiveConcurrency({ max: 64, warmupSamples: 1 });
    c.record(c.ticket(), { overloaded: true, latencyMs: 5 });
    c.record(c.ticket(), { overloaded: false });
    c.record(c.ticket(), { overloaded: false, latencyMs: Number.NaN });
    c.record(c.ticket(), { overloaded: false, latencyMs: Infinity });
    expect(c.baseline).toBeUndefined();
    c.record(c.ticket(), { overloaded: false, latencyMs: 7 });
    expect(c.baseline).toBe(7);
  });

  it('smooths latency (EWMA 0.2) and trusts the baseline from exactly the warm-up count on', () => {
    const c = new AdaptiveConcurrency({ max: 64, warmupSamples: 3 });
    c.record(c.ticket(), { overloaded: false, latencyMs: 10 }); // smoothed 10
    c.record(c.ticket(), { overloaded: false, latencyMs: 20 }); // 10 + 0.2 × 10 = 12
    expect(c.baseline).toBeUndefined();
    c.record(c.ticket(), { overloaded: false, latencyMs: 30 }); // 12 + 0.2 × 18 = 15.6
    expect(c.baseline).toBeCloseTo(15.6, 9);
  });

  it('a steady latency is never congestion, and the limit keeps growing', () => {
    const c = new AdaptiveConcurrency({ max: 64, initial: 4 });
    for (let i = 0; i < 50; i++) c.record(c.ticket(), { overloaded: false, latencyMs: 10 });
    expect(c.history.decreases).toBe(0);
    expect(c.current).toBe(54); // slow start: 4 + 50
    expect(c.history.high).toBe(54);
  });

  // smoothing 1 and no drift: smoothed = the last sample, baseline = the lowest sample
  const exact = (extra: { latencyFloorMs?: number } = {}) => new AdaptiveConcurrency({ max: 64, initial: 16, warmupSamples: 1, smoothing: 1, baselineDrift: 0, ...extra });

  it('congestion is latency strictly above latencyFactor × the baseline', () => {
    const c = exact();
    c.record(c.ticket(), { overloaded: false, latencyMs: 10 }); // baseline 10
    c.record(c.ticket(), { overloaded: false, latencyMs: 20 }); // exactly 2 × 10: not yet
    expect(c.history.decreases).toBe(0);
    c.record(c.ticket(), { overloaded: false, latencyMs: 20.001 });
    expect(c.history.decreases).toBe(1);
  });

  it('a rise below latencyFloorMs is noise; a rise of exactly the floor counts', () => {
    const c = exact({ latencyFloorMs: 15 });
    c.record(c.ticket(), { overloaded: false, latencyMs: 10 }); // baseline 10
    c.record(c.ticket(), { overloaded: false, latencyMs: 21 }); // > 2 × 10, but only 11 above the baseline
    expect(c.history.decreases).toBe(0);
    c.record(c.ticket(), { overloaded: false, latencyMs: 25 }); // 15 above
    expect(c.history.decreases).toBe(1);
  });

  it('history.high is the highest limit reached, kept after a decrease', () => {
    const c = new AdaptiveConcurrency({ max: 10 });
    for (let i = 0; i < 20; i++) c.record(c.ticket(), { overloaded: false });
    c.record(c.ticket(), { overloaded: true });
    expect(c.current).toBe(5);
    expect(c.history).toEqual({ low: 4, high: 10, decreases: 1 });
  });
});

describe('AdaptiveRate', () => {
  /**
   * Requests start every 10 ms from t = 0 to 990. At each start the rate is
   * (starts so far) ÷ max(100 ms, time since the first): 110/s at t = 100
   * (11 in 100 ms), less before and after (100 + 1000/t per second), so the
   * peak is 110/s and the increase step 5% of it, 5.5/s. At t = 1000 the
   * window (0, 1000] holds 99 starts: 99/s, halved to 49.5.
   */
  function opened(): AdaptiveRate {
    const a = new AdaptiveRate();
    for (let t = 0; t < 1000; t += 10) a.started(t);
    return a;
  }

  it('a success raises the limit by step ÷ limit, step = 5% of the peak rate', () => {
    const a = opened();
    expect(a.overloaded(500, 1000)).toBe(49.5);
    expect(a.succeeded(1001)).toBeCloseTo(49.5 + 5.5 / 49.5, 9);
  });

  it('a request started at the moment of the decrease belongs to the old round', () => {
    const a = opened();
    expect(a.overloaded(500, 1000)).toBe(49.5);
    expect(a.succeeded(999)).toBeUndefined();
    expect(a.succeeded(1000)).toBeUndefined();
    expect(a.overloaded(1000, 1010)).toBeUndefined();
    expect(a.limit).toBe(49.5);
    expect(a.history.decreases).toBe(1);
  });

  it('history.low is the lowest limit, not the latest', () => {
    const a = opened();
    expect(a.overloaded(500, 1000)).toBe(49.5);
    for (let i = 0; i < 2000; i++) a.succeeded(1001); // limit² grows by about 2 × 5.5 a success: well above 99
    for (let t = 1000; t < 2000; t += 5) a.started(t); // 199 starts in (1000, 2000]
    const second = a.overloaded(1500, 2000) as number; // min(limit, 199/s) ÷ 2 > 49.5
    expect(second).toBeGreaterThan(49.5);
    expect(a.history).toEqual({ low: 49.5, decreases: 2 });
  });

  it('in the first window the rate is over the time since the first request, wherever the clock starts', () => {
    const a = new AdaptiveRate();
    for (let t = 5000; t < 5100; t += 10) a.started(t);
    expect(a.measured(5100)).toBe(100); // 10 starts in 100 ms, not in a whole second
  });
});

describe('parseRetryAfter', () => {
  it.each<[string, number | undefined]>([
    ['1.25', 1250],
    ['0', 0],
    ['3abc', undefined],
    ['2 s', undefined],
  ])('%j → %s', (value, ms) => {
    expect(parseRetryAfter(value, 0)).toBe(ms);
  });
});

describe('classifyStatus at the edges', () => {
  const ok = (s: number): boolean => s >= 200 && s < 300;
  it('599 is a server error to retry; 600 is no HTTP status to retry', () => {
    expect(classifyStatus(599, {}, 0, ok)).toStrictEqual({ kind: 'retry', reason: 'http 599', overloaded: false, originError: true });
    expect(classifyStatus(600, {}, 0, ok)).toStrictEqual({ kind: 'fail', reason: 'http 600' });
  });

  it('503 honours Retry-After; without one there is no retryAfterMs at all', () => {
    expect(classifyStatus(503, { 'retry-after': '2' }, 0, ok)).toStrictEqual({ kind: 'retry', reason: 'http 503', overloaded: true, originError: true, retryAfterMs: 2000 });
    expect(classifyStatus(503, {}, 0, ok)).toStrictEqual({ kind: 'retry', reason: 'http 503', overloaded: true, originError: true });
  });
});

describe('CircuitBreaker', () => {
  it('an empty breaker reports an error ratio of 0', () => {
    const b = new CircuitBreaker();
    expect(b.errorRatio).toBe(0);
    expect(b.samples).toBe(0);
  });
});
