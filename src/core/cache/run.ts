/**
 * Run plumbing shared by the warm and invalidate engines: stop conditions
 * and deadlines on the injected clock, a concurrency gate whose limit may
 * change, progress throttling and latency percentiles. Pure; internal.
 */
import type { Clock } from '../../ports/clock.js';

/** Why a run stopped early. `error` is internal: a fatal error is rethrown. */
export type StopReason = 'breaker' | 'max-duration' | 'max-failures' | 'signal' | 'error';

/** Marker used as the abort reason of the internal stop signal. */
export class RunStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`run stopped: ${reason}`);
  }
}

/**
 * Owns a run's stop state. `stopSignal` aborts as soon as the run must stop
 * issuing work; sleeps through `sleep` end at once then. Each in-flight
 * request gets its own signal from `requestScope`, aborted only when
 * in-flight work must be cancelled (the grace period after a stop ran out).
 * Per-sleep and per-request controllers are kept in sets and aborted
 * directly, so no shared AbortSignal collects one listener per request
 * (Node warns past 10). The caller's signal stops the run with reason
 * `signal`.
 */
export class RunControl {
  private readonly stopCtl = new AbortController();
  private readonly sleepers = new Set<AbortController>();
  private readonly scopes = new Set<AbortController>();
  /** Request controllers free for reuse (see requestScope). */
  private readonly spare: AbortController[] = [];
  private cancelled = false;
  private readonly onAbort = (): void => this.stop('signal');
  stoppedBy: StopReason | undefined;
  readonly startedAt: number;
  readonly deadline: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly signal: AbortSignal | undefined,
    maxDurationMs: number | undefined,
    private readonly graceMs: number,
  ) {
    this.startedAt = clock.now();
    this.deadline = maxDurationMs === undefined ? undefined : this.startedAt + maxDurationMs;
    if (signal?.aborted) this.stop('signal');
    else {
      // (in a block: a directive before `else` is not read by Stryker, it attaches to no node of this line)
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, an AbortSignal fires 'abort' at most once, so once or not the listener runs once
      signal?.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  get stopSignal(): AbortSignal {
    return this.stopCtl.signal;
  }

  /** Stop issuing work (first reason wins); wakes every sleeper. */
  stop(reason: StopReason): void {
    if (this.stoppedBy !== undefined) return;
    this.stoppedBy = reason;
    const why = new RunStopped(reason);
    this.stopCtl.abort(why);
    for (const c of this.sleepers) c.abort(why);
  }

  /**
   * A signal for one request, aborted if in-flight work is cancelled; call
   * `release` when the request is over. Signals of requests that ended are
   * handed to later requests (creating an AbortSignal costs microseconds, a
   * noticeable share of a fast request), so a client must not act on a
   * request's signal after that request settled; listeners it left on it
   * would fire for a later request's cancellation.
   */
  requestScope(): { signal: AbortSignal; release: () => void } {
    const c = this.spare.pop() ?? new AbortController();
    if (this.cancelled) {
      // Stryker disable next-line StringLiteral: equivalent, cancelled is only set by the drain of a stopped run, so stoppedBy is set here
      c.abort(new RunStopped(this.stoppedBy ?? 'signal'));
      return { signal: c.signal, release: () => undefined };
    }
    this.scopes.add(c);
    return {
      signal: c.signal,
      release: () => {
        if (this.scopes.delete(c) && !c.signal.aborted && this.spare.length < 256) this.spare.push(c);
      },
    };
  }

  private cancelInFlight(): void {
    this.cancelled = true;
    // Stryker disable next-line StringLiteral: equivalent, only the drain of a stopped run cancels, so stoppedBy is set here
    const why = new RunStopped(this.stoppedBy ?? 'signal');
    for (const c of this.scopes) c.abort(why);
    this.scopes.clear();
  }

  /** True while work may still be issued; trips `max-duration` at the deadline. */
  live(): boolean {
    if (this.deadline !== undefined && this.clock.now() >= this.deadline) this.stop('max-duration');
    return this.stoppedBy === undefined;
  }

  /** Sleep unless stopped; a sleep past the deadline ends at the deadline and stops the run. False when the run stopped. */
  async sleep(ms: number): Promise<boolean> {
    if (!this.live()) return false;
    let wait = Math.max(0, ms);
    let hitsDeadline = false;
    if (this.deadline !== undefined && this.clock.now() + wait >= this.deadline) {
      wait = Math.max(0, this.deadline - this.clock.now());
      hitsDeadline = true;
    }
    if (wait > 0) {
      const c = new AbortController();
      this.sleepers.add(c);
      try {
        await this.clock.sleep(wait, c.signal);
        // the directives are inside `catch`/`finally` (before the block): a comment on the line before `} catch` is not read by Stryker
      } catch /* Stryker disable next-line BlockStatement: equivalent, a sleep is only aborted by stop(), after which the live() below is false too */ {
        return false;
      } finally /* Stryker disable next-line BlockStatement: equivalent, it only forgets the finished sleep's controller; aborting that later in stop() reaches no one */ {
        this.sleepers.delete(c);
      }
    }
    if (hitsDeadline) this.stop('max-duration');
    return this.live();
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  /**
   * Wait for in-flight work. When the run has stopped, it gets `graceMs` to
   * finish; then the request scopes abort to cancel what is left.
   */
  async drain(inFlight: Iterable<Promise<unknown>>): Promise<void> {
    const pending = [...inFlight];
    if (pending.length === 0) return;
    const all = Promise.allSettled(pending);
    if (this.stoppedBy === undefined) {
      await all;
      return;
    }
    const timer = new AbortController();
    const grace = this.clock.sleep(this.graceMs, timer.signal).then(
      () => this.cancelInFlight(),
      () => undefined,
    );
    await all;
    timer.abort();
    await grace;
  }

  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** A gate admitting at most `limit()` tasks at once; the limit may change between calls. */
export class Gate {
  inFlight = 0;
  private waiter: (() => void) | undefined;
  /** The stop signal a listener was added to (once, not once per wait: a saturated pool waits once per task). */
  private hooked: AbortSignal | undefined;

  constructor(private readonly limit: () => number) {}

  /** Take a slot if one is free, without waiting. */
  tryEnter(): boolean {
    if (this.inFlight >= this.limit()) return false;
    this.inFlight++;
    return true;
  }

  /** Wait for a free slot; false (no slot taken) when `stop` aborts first. */
  async enter(stop: AbortSignal): Promise<boolean> {
    if (this.hooked !== stop && !stop.aborted) {
      this.hooked = stop;
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, an AbortSignal fires 'abort' at most once
      stop.addEventListener('abort', () => this.waiter?.(), { once: true });
    }
    while (this.inFlight >= this.limit()) {
      if (stop.aborted) return false;
      await new Promise<void>((resolve) => {
        this.waiter = (): void => {
          this.waiter = undefined;
          resolve();
        };
      });
    }
    if (stop.aborted) return false;
    this.inFlight++;
    return true;
  }

  leave(): void {
    this.inFlight--;
    this.waiter?.();
  }
}

/** True at most once every `intervalMs` of clock time. */
export class Throttle {
  private last: number;
  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {
    this.last = clock.now();
  }
  due(): boolean {
    const now = this.clock.now();
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}

export interface LatencySummary {
  /** Nearest-rank percentiles, ms; null without samples. */
  p50: number | null;
  p95: number | null;
  max: number | null;
  samples: number;
}

/** Latency samples and their nearest-rank percentiles. */
export class Latencies {
  private values: number[] = [];
  add(ms: number): void {
    if (Number.isFinite(ms)) this.values.push(Math.max(0, ms));
  }
  summary(): LatencySummary {
    const n = this.values.length;
    if (n === 0) return { p50: null, p95: null, max: null, samples: 0 };
    const sorted = Float64Array.from(this.values).sort();
    const rank = (p: number): number => sorted[Math.min(n, Math.max(1, Math.ceil(p * n))) - 1] as number;
    const round = (x: number): number => Math.round(x * 1000) / 1000;
    return { p50: round(rank(0.5)), p95: round(rank(0.95)), max: round(sorted[n - 1] as number), samples: n };
  }
}

/** `count` indices spread evenly over [0, n) (all of them when count ≥ n). */
export function evenSample(n: number, count: number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let j = 0; j < count; j++) out.push(Math.floor((j * n) / count));
  return out;
}
