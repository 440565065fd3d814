/**
 * Pins the run plumbing of src/core/cache/run.ts that docs/cache.md relies on ("Limits": --max-duration ends the
 * run at the deadline, a stop lets in-flight requests finish for the grace period, then cancels them; progress at
 * most once per interval; latency p50/p95/max are nearest-rank; the hit-ratio sample is spread evenly over the
 * keys). Expected values are worked by hand from those rules; time is the virtual clock.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../../src/ports/clock.js';
import { evenSample, Gate, Latencies, RunControl, RunStopped, Throttle } from '../../../../src/core/cache/run.js';
import { FakeClock } from './fakes.js';

/**
 * The one FakeClock with a scripted fault on top: its timers fire early, before the clock reaches their end (real
 * timers may, by a millisecond against Date.now). `now()` is the fake's and does not move; each sleep is recorded in
 * the fake's `sleeps` and ends at once (an aborted signal still rejects, as the fake's sleep does).
 */
function earlyClock(now = 0): Clock & { sleeps: number[] } {
  const clock = new FakeClock(now);
  return {
    now: () => clock.now(),
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      clock.sleeps.push(ms);
    },
    sleeps: clock.sleeps,
  };
}

describe('RunControl: stop, deadline and sleeps', () => {
  it('sets the deadline maxDuration after the start and has none without one', () => {
    const clock = new FakeClock(1000);
    expect(new RunControl(clock, undefined, 250, 0).deadline).toBe(1250);
    expect(new RunControl(clock, undefined, undefined, 0).deadline).toBeUndefined();
  });

  it('keeps the first stop reason and aborts the stop signal with a RunStopped naming it', () => {
    const control = new RunControl(new FakeClock(0), undefined, undefined, 0);
    expect(control.stopSignal.aborted).toBe(false);
    control.stop('breaker');
    control.stop('signal');
    expect(control.stoppedBy).toBe('breaker');
    const reason = control.stopSignal.reason as RunStopped;
    expect(reason).toBeInstanceOf(RunStopped);
    expect(reason.reason).toBe('breaker');
    expect(reason.message).toBe('run stopped: breaker');
    expect(control.live()).toBe(false);
  });

  it("stops with 'signal' when the caller's signal is already aborted or aborts later, and not after dispose", () => {
    const pre = new AbortController();
    pre.abort();
    expect(new RunControl(new FakeClock(0), pre.signal, undefined, 0).stoppedBy).toBe('signal');

    const later = new AbortController();
    const control = new RunControl(new FakeClock(0), later.signal, undefined, 0);
    expect(control.stoppedBy).toBeUndefined();
    later.abort();
    expect(control.stoppedBy).toBe('signal');

    const disposed = new AbortController();
    const other = new RunControl(new FakeClock(0), disposed.signal, undefined, 0);
    other.dispose();
    disposed.abort();
    expect(other.stoppedBy).toBeUndefined();
    expect(other.live()).toBe(true);
  });

  it('is live until the clock reaches the deadline, then stops with max-duration', () => {
    const clock = new FakeClock(5000);
    const control = new RunControl(clock, undefined, 100, 0);
    clock.advance(99);
    expect(control.live()).toBe(true);
    expect(control.elapsedMs()).toBe(99);
    clock.advance(1);
    expect(control.live()).toBe(false);
    expect(control.stoppedBy).toBe('max-duration');
  });

  it('sleeps the time asked while the deadline is further', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, 1000, 0);
    expect(await control.sleep(300)).toBe(true);
    expect(clock.now()).toBe(300);
    expect(control.stoppedBy).toBeUndefined();
  });

  it('cuts a sleep past the deadline at the deadline and stops the run', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, 100, 0);
    clock.advance(40);
    expect(await control.sleep(500)).toBe(false);
    expect(clock.sleeps).toEqual([60]);
    expect(clock.now()).toBe(100);
    expect(control.stoppedBy).toBe('max-duration');
  });

  it('stops at the deadline even when the timer fires before the clock got there', async () => {
    const clock = earlyClock(0);
    const control = new RunControl(clock, undefined, 100, 0);
    expect(await control.sleep(500)).toBe(false);
    expect(clock.sleeps).toEqual([100]);
    expect(control.stoppedBy).toBe('max-duration');
  });

  it('stops for a sleep that ends exactly at the deadline on such a clock', async () => {
    const clock = earlyClock(0);
    const control = new RunControl(clock, undefined, 100, 0);
    expect(await control.sleep(100)).toBe(false);
    expect(control.stoppedBy).toBe('max-duration');
  });

  it('does not stop for a sleep that ends before the deadline on such a clock', async () => {
    const clock = earlyClock(0);
    const control = new RunControl(clock, undefined, 100, 0);
    expect(await control.sleep(99)).toBe(true);
    expect(clock.sleeps).toEqual([99]);
    expect(control.stoppedBy).toBeUndefined();
  });

  it('does not touch the clock for a zero or negative sleep', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, undefined, 0);
    expect(await control.sleep(0)).toBe(true);
    expect(await control.sleep(-5)).toBe(true);
    expect(clock.sleeps).toEqual([]);
  });

  it('returns false at once from a sleep once stopped, and ends a running sleep when the run stops', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, undefined, 0);
    const sleeping = control.sleep(1000);
    control.stop('breaker');
    expect(await sleeping).toBe(false);
    expect(clock.now()).toBe(0);
    expect(await control.sleep(10)).toBe(false);
    expect(clock.sleeps).toEqual([1000]);
  });
});

describe('RunControl: request scopes and drain', () => {
  it('cancels in-flight requests with the stop reason once the grace period ran out', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, undefined, 100);
    const scope = control.requestScope();
    control.stop('max-failures');
    await control.drain([clock.sleep(1000)]);
    expect(clock.now()).toBe(1000);
    expect((scope.signal.reason as RunStopped).reason).toBe('max-failures');
    const late = control.requestScope();
    expect((late.signal.reason as RunStopped).reason).toBe('max-failures');
  });

  it('lets in-flight requests that end within the grace period finish, uncancelled', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, undefined, 100);
    const scope = control.requestScope();
    control.stop('breaker');
    await control.drain([clock.sleep(50)]);
    expect(clock.now()).toBe(50);
    expect(scope.signal.aborted).toBe(false);
    expect(control.requestScope().signal.aborted).toBe(false);
  });

  it('waits for every in-flight request, however long, when the run was not stopped', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, undefined, 100);
    const scope = control.requestScope();
    await control.drain([clock.sleep(5000)]);
    expect(clock.now()).toBe(5000);
    expect(scope.signal.aborted).toBe(false);
  });

  it('starts no grace timer when nothing is in flight', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, undefined, 100);
    control.stop('breaker');
    await control.drain([]);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not hand one signal to two requests when a finished scope is released twice', () => {
    const control = new RunControl(new FakeClock(0), undefined, undefined, 0);
    const a = control.requestScope();
    a.release();
    a.release();
    const b = control.requestScope();
    const c = control.requestScope();
    expect(b.signal).toBe(a.signal);
    expect(c.signal).not.toBe(b.signal);
  });

  it('does not reuse the signal of a request cancelled by the drain', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, undefined, 10);
    const a = control.requestScope();
    control.stop('breaker');
    await control.drain([clock.sleep(100)]);
    a.release();
    expect(control.requestScope().signal).not.toBe(a.signal);
  });

  it('keeps at most 256 released signals for reuse', () => {
    const control = new RunControl(new FakeClock(0), undefined, undefined, 0);
    const first = Array.from({ length: 300 }, () => control.requestScope());
    for (const s of first) s.release();
    const old = new Set(first.map((s) => s.signal));
    const second = Array.from({ length: 300 }, () => control.requestScope());
    expect(second.filter((s) => old.has(s.signal))).toHaveLength(256);
  });
});

describe('Gate', () => {
  it('admits up to the limit and no more', () => {
    const gate = new Gate(() => 1);
    expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(false);
    expect(gate.inFlight).toBe(1);
    gate.leave();
    expect(gate.inFlight).toBe(0);
  });

  it('refuses a free slot once the stop signal aborted', async () => {
    const gate = new Gate(() => 2);
    const stop = new AbortController();
    stop.abort();
    const listen = vi.spyOn(stop.signal, 'addEventListener');
    expect(await gate.enter(stop.signal)).toBe(false);
    expect(gate.inFlight).toBe(0);
    expect(listen).not.toHaveBeenCalled();
  });

  it('takes a stop that aborts while nobody waits in its stride', async () => {
    const gate = new Gate(() => 2);
    const stop = new AbortController();
    expect(await gate.enter(stop.signal)).toBe(true);
    expect(() => stop.abort()).not.toThrow();
    expect(await gate.enter(stop.signal)).toBe(false);
    expect(gate.inFlight).toBe(1);
  });

  it('listens on the stop signal once however many times it waits', async () => {
    const gate = new Gate(() => 1);
    const stop = new AbortController();
    const listen = vi.spyOn(stop.signal, 'addEventListener');
    expect(gate.tryEnter()).toBe(true);
    for (let i = 0; i < 20; i++) {
      const waiting = gate.enter(stop.signal);
      gate.leave();
      expect(await waiting).toBe(true);
    }
    expect(listen).toHaveBeenCalledTimes(1);
    const blocked = gate.enter(stop.signal);
    stop.abort();
    expect(await blocked).toBe(false);
  });
});

describe('Throttle', () => {
  it('is due once every interval of clock time, counted from the last time it was due', () => {
    const clock = new FakeClock(0);
    const t = new Throttle(clock, 1000);
    clock.advance(999);
    expect(t.due()).toBe(false);
    clock.advance(1);
    expect(t.due()).toBe(true);
    expect(t.due()).toBe(false);
    clock.advance(1500);
    expect(t.due()).toBe(true);
    clock.advance(999);
    expect(t.due()).toBe(false);
  });
});

describe('Latencies', () => {
  it('has no percentiles without samples', () => {
    expect(new Latencies().summary()).toEqual({ p50: null, p95: null, max: null, samples: 0 });
  });

  it('gives nearest-rank p50/p95 and the max, sorting numerically', () => {
    const l = new Latencies();
    // 1..20 shuffled, with 100 instead of 20 (so a text sort would put it first)
    for (const v of [7, 3, 100, 15, 1, 19, 12, 9, 2, 18, 5, 11, 16, 4, 14, 6, 17, 8, 13, 10]) l.add(v);
    // p50: rank ceil(0.5·20) = 10 → 10; p95: rank ceil(0.95·20) = 19 → 19
    expect(l.summary()).toEqual({ p50: 10, p95: 19, max: 100, samples: 20 });
  });

  it('rounds to the microsecond, counts negative times as 0 and ignores non-finite ones', () => {
    const l = new Latencies();
    l.add(1.23456);
    l.add(-3);
    l.add(Number.NaN);
    l.add(Number.POSITIVE_INFINITY);
    // sorted [0, 1.23456]: p50 rank ceil(1) = 1 → 0; p95 rank ceil(1.9) = 2 → 1.23456
    expect(l.summary()).toEqual({ p50: 0, p95: 1.235, max: 1.235, samples: 2 });
  });

  it('gives the one sample for every percentile', () => {
    const l = new Latencies();
    l.add(42);
    expect(l.summary()).toEqual({ p50: 42, p95: 42, max: 42, samples: 1 });
  });
});

describe('evenSample', () => {
  it.each([
    [10, 3, [0, 3, 6]], // ⌊0⌋, ⌊10/3⌋, ⌊20/3⌋
    [10, 4, [0, 2, 5, 7]], // ⌊0⌋, ⌊2.5⌋, ⌊5⌋, ⌊7.5⌋
    [5, 5, [0, 1, 2, 3, 4]],
    [5, 9, [0, 1, 2, 3, 4]],
    [10, 0, []],
    [0, 5, []],
    [10, -1, []],
  ])('n=%i count=%i → %j', (n, count, expected) => {
    expect(evenSample(n, count)).toEqual(expected);
  });
});
