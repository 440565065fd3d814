/**
 * The clock port's fake: virtual time for core tests and for the fakes'
 * latency (nothing waits for real).
 */
import type { Clock } from '../../src/ports/clock.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
  cleanup: () => void;
}

/**
 * Virtual time. `sleep(ms)` registers a timer; when every task is blocked
 * (checked from a setImmediate, after all microtasks ran) the clock jumps to
 * the earliest timer and wakes it. Ties wake in registration order.
 * `at(t, fn)` runs test code the first time the clock reaches t (before the
 * sleeper that got it there wakes): the world changing while the code waits.
 */
export class FakeClock implements Clock {
  private t: number;
  private timers: Timer[] = [];
  private seq = 0;
  private scheduled = false;
  private marks: Array<{ at: number; fn: () => void }> = [];
  /** Every sleep requested, ms. */
  readonly sleeps: number[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  /** Move time forward without waking anyone (a test's "meanwhile"). */
  advance(ms: number): void {
    this.t += ms;
    this.fireMarks();
  }

  /** Run `fn` once, the first time the clock reaches `ms` (epoch ms). */
  at(ms: number, fn: () => void): void {
    this.marks.push({ at: ms, fn });
    this.fireMarks();
  }

  private fireMarks(): void {
    const due = this.marks.filter((m) => m.at <= this.t).sort((a, b) => a.at - b.at);
    this.marks = this.marks.filter((m) => m.at > this.t);
    for (const m of due) m.fn();
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal?.reason);
      };
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.tick());
  }

  private tick(): void {
    this.scheduled = false;
    if (this.timers.length === 0) return;
    let next = this.timers[0] as Timer;
    for (const x of this.timers) if (x.at < next.at || (x.at === next.at && x.seq < next.seq)) next = x;
    this.timers = this.timers.filter((x) => x !== next);
    this.t = Math.max(this.t, next.at);
    this.fireMarks();
    next.cleanup();
    next.resolve();
    if (this.timers.length > 0) this.schedule();
  }
}

