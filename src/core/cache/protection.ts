/**
 * The mechanisms that keep a warm run from hurting the origin or the cache:
 * a token bucket, fixed or AIMD-adaptive concurrency, retry backoff with full
 * jitter (and Retry-After), and a circuit breaker over a sliding window of
 * outcomes. Time and randomness are injected. Pure. docs/cache.md
 * "Protection" lists every constant.
 */
import type { Clock, Random } from '../../ports/clock.js';

// ---------------------------------------------------------------- token bucket

/**
 * A token bucket: `ratePerSecond` tokens a second, holding at most `burst`.
 * `take(n)` debits at once and, when the bucket goes into debt, sleeps on the
 * clock until the debt is repaid — so concurrent takers are served in order
 * and the long-run rate never exceeds `ratePerSecond`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    public ratePerSecond: number,
    public burst: number,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Change the rate (and burst) from now on; tokens earned so far at the old rate are kept, up to the new burst. */
  setRate(ratePerSecond: number, burst = Math.max(1, Math.ceil(ratePerSecond / 10))): void {
    this.refill();
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  private refill(): void {
    // a clock that went back earns nothing until it passes `last` again
    const now = Math.max(this.last, this.clock.now());
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
  }

  /**
   * Debit `n` tokens now and return how long to wait (ms) before using them;
   * 0 when the bucket had them. Pair with `refund` if the wait is abandoned.
   */
  reserve(n = 1): number {
    this.refill();
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
  }

  /** Give back tokens reserved but not used. */
  refund(n = 1): void {
    this.tokens = Math.min(this.burst, this.tokens + n);
  }

  /** Take `n` tokens, waiting as needed. On abort the tokens are returned and the signal's reason is thrown. */
  async take(n = 1, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(n);
    if (wait === 0) return;
    try {
      await this.clock.sleep(wait, signal);
    } catch (err) {
      this.refund(n);
      throw err;
    }
  }
}

// ---------------------------------------------------------------- concurrency

/** A latency or overload sample fed back to a concurrency controller. */
export interface ConcurrencySample {
  /** 429 or 503: the origin asked us to slow down. */
  overloaded: boolean;
  /** Latency of a successful attempt, ms. */
  latencyMs?: number;
}

export interface ConcurrencyController {
  /** How many requests may be in flight now (≥ 1). */
  readonly current: number;
  /** Take a ticket when a request starts; hand it back with its sample. */
  ticket(): number;
  record(ticket: number, sample: ConcurrencySample): void;
}

/** A constant limit. */
export class FixedConcurrency implements ConcurrencyController {
  constructor(readonly current: number) {}
  ticket(): number {
    return 0;
  }
  record(): void {}
}

export interface AimdOptions {
  /** Upper bound (`--concurrency`). */
  max: number;
  /** Starting limit. Default min(max, 4). */
  initial?: number;
  /** Lower bound. Default 1. */
  min?: number;
  /** Multiplicative decrease. Default 0.5. */
  decreaseFactor?: number;
  /** Smoothed latency above baseline × this is congestion. Default 2. */
  latencyFactor?: number;
  /** Successful samples before the latency baseline is trusted. Default 10. */
  warmupSamples?: number;
  /** EWMA weight of a new latency sample. Default 0.2. */
  smoothing?: number;
  /** Per-sample upward creep of the baseline, so a permanently slower origin becomes the norm. Default 0.001. */
  baselineDrift?: number;
  /** A latency rise smaller than this (ms above the baseline) is noise, never congestion. Default 5. */
  latencyFloorMs?: number;
}

export const AIMD_DEFAULTS = {
  initialCap: 4,
  min: 1,
  decreaseFactor: 0.5,
  latencyFactor: 2,
  warmupSamples: 10,
  smoothing: 0.2,
  baselineDrift: 0.001,
  latencyFloorMs: 5,
} as const;

/**
 * Additive-increase / multiplicative-decrease concurrency, as TCP does for
 * its window:
 *  - slow start: +1 per success (the limit doubles every round) until the
 *    first decrease; then congestion avoidance: +1/limit per success (about
 *    +1 per round of `limit` requests); never above `max`;
 *  - ×`decreaseFactor` (never below `min`) on 429/503, or when the smoothed
 *    latency (EWMA) rises above `latencyFactor` × the baseline (the lowest
 *    smoothed latency seen, creeping up by `baselineDrift` per sample);
 *  - at most one decrease per round: only a request that started after the
 *    last decrease can cause the next one (the ticket), so a burst of 503s
 *    from requests already in flight halves the limit once, not ten times.
 */
export class AdaptiveConcurrency implements ConcurrencyController {
  private limit: number;
  private seq = 0;
  private slowStart = true;
  private samples = 0;
  private smoothed: number | undefined;
  private baselineMs: number | undefined;
  private readonly o: Required<AimdOptions>;
  /** Lowest and highest limits reached, and how many decreases happened. */
  readonly history = { low: 0, high: 0, decreases: 0 };

  constructor(options: AimdOptions) {
    const min = Math.max(1, Math.floor(options.min ?? AIMD_DEFAULTS.min));
    const max = Math.max(min, Math.floor(options.max));
    this.o = {
      max,
      min,
      initial: Math.min(max, Math.max(min, Math.floor(options.initial ?? Math.min(max, AIMD_DEFAULTS.initialCap)))),
      decreaseFactor: options.decreaseFactor ?? AIMD_DEFAULTS.decreaseFactor,
      latencyFactor: options.latencyFactor ?? AIMD_DEFAULTS.latencyFactor,
      warmupSamples: options.warmupSamples ?? AIMD_DEFAULTS.warmupSamples,
      smoothing: options.smoothing ?? AIMD_DEFAULTS.smoothing,
      baselineDrift: options.baselineDrift ?? AIMD_DEFAULTS.baselineDrift,
      latencyFloorMs: options.latencyFloorMs ?? AIMD_DEFAULTS.latencyFloorMs,
    };
    this.limit = this.o.initial;
    this.history.low = this.limit;
    this.history.high = this.limit;
  }

  get current(): number {
    return Math.max(this.o.min, Math.floor(this.limit));
  }

  /** The latency baseline in ms, once warmed up. */
  get baseline(): number | undefined {
    return this.baselineMs;
  }

  ticket(): number {
    return this.seq;
  }

  record(ticket: number, sample: ConcurrencySample): void {
    let congested = sample.overloaded;
    const latency = sample.latencyMs ?? NaN;
    if (!sample.overloaded && Number.isFinite(latency)) {
      const l = Math.max(0, latency);
      this.samples++;
      this.smoothed = this.smoothed === undefined ? l : this.smoothed + this.o.smoothing * (l - this.smoothed);
      if (this.samples >= this.o.warmupSamples) {
        this.baselineMs = this.baselineMs === undefined ? this.smoothed : Math.min(this.smoothed, this.baselineMs * (1 + this.o.baselineDrift));
        if (this.smoothed > this.o.latencyFactor * Math.max(this.baselineMs, 1e-9) && this.smoothed - this.baselineMs >= this.o.latencyFloorMs) congested = true;
      }
    }
    if (congested) {
      if (ticket === this.seq) {
        this.limit = Math.max(this.o.min, this.limit * this.o.decreaseFactor);
        // Stryker disable next-line UpdateOperator: equivalent, tickets are opaque; seq only has to never repeat a value
        this.seq++;
        this.slowStart = false;
        this.history.decreases++;
        this.history.low = Math.min(this.history.low, this.current);
      }
      return;
    }
    this.limit = Math.min(this.o.max, this.limit + (this.slowStart ? 1 : 1 / this.limit));
    this.history.high = Math.max(this.history.high, this.current);
  }
}

// ---------------------------------------------------------------- adaptive rate

export interface AdaptiveRateOptions {
  /** The user's `--rate`: never exceeded. Undefined: no ceiling. */
  ceiling?: number;
  /** Lowest rate, per second. Default 1. */
  min?: number;
  /** Multiplicative decrease. Default 0.5. */
  decreaseFactor?: number;
  /** Additive increase per second, as a fraction of the highest send rate measured. Default 0.05. */
  increaseFraction?: number;
  /** Window over which the send rate is measured, ms. Default 1000. */
  windowMs?: number;
}

export const ADAPTIVE_RATE_DEFAULTS = { min: 1, decreaseFactor: 0.5, increaseFraction: 0.05, windowMs: 1000 } as const;

/**
 * AIMD on the request *rate*, alongside AIMD on concurrency. Concurrency
 * alone cannot keep a fast origin under a rate limit (one connection with
 * 1 ms responses is 1000 requests a second), so on a 429 or 503 the send
 * rate measured over the last window is multiplied by `decreaseFactor` and
 * becomes a token-bucket limit; each success then raises the limit by
 * `step ÷ limit`, i.e. about `step` per second, with step =
 * `increaseFraction` × the highest send rate measured (at least 1/s). Like
 * the concurrency controller, only a request that *started after* the last
 * decrease can cause the next one. The user's `--rate` stays the ceiling.
 */
export class AdaptiveRate {
  private readonly starts: number[] = [];
  private head = 0;
  private lastDecrease = -Infinity;
  private firstStart: number | undefined;
  private peak = 0;
  private current: number | undefined;
  private readonly o: Required<Omit<AdaptiveRateOptions, 'ceiling'>> & { ceiling: number };
  /** Lowest limit reached and how many decreases happened. */
  readonly history: { low: number | null; decreases: number } = { low: null, decreases: 0 };

  constructor(options: AdaptiveRateOptions = {}) {
    this.o = {
      ceiling: options.ceiling ?? Infinity,
      min: options.min ?? ADAPTIVE_RATE_DEFAULTS.min,
      decreaseFactor: options.decreaseFactor ?? ADAPTIVE_RATE_DEFAULTS.decreaseFactor,
      increaseFraction: options.increaseFraction ?? ADAPTIVE_RATE_DEFAULTS.increaseFraction,
      windowMs: options.windowMs ?? ADAPTIVE_RATE_DEFAULTS.windowMs,
    };
  }

  /** The adaptive limit, per second; undefined until the first overload. */
  get limit(): number | undefined {
    return this.current;
  }

  private evict(now: number): void {
    const from = now - this.o.windowMs;
    // past the end starts[head] is undefined, and `undefined <= from` is false
    while ((this.starts[this.head] as number) <= from) this.head++;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent in every result, compacting only frees memory (counts start at head either way)
    if (this.head > 4096 && this.head * 2 > this.starts.length) {
      this.starts.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * Requests per second started over the last window. During the first
   * window the span is the time since the first request (at least a tenth
   * of the window), so a run that opens fast is not mistaken for a slow one.
   */
  measured(now: number): number {
    this.evict(now);
    const since = this.firstStart === undefined ? this.o.windowMs : now - this.firstStart;
    const span = Math.max(this.o.windowMs / 10, Math.min(this.o.windowMs, since));
    return ((this.starts.length - this.head) * 1000) / span;
  }

  /** A request (or retry) starts now. */
  started(now: number): void {
    this.firstStart ??= now;
    this.starts.push(now);
    this.peak = Math.max(this.peak, this.measured(now));
  }

  /** A 429/503 for a request started at `startedAt`. Returns the new limit when it decreased. */
  overloaded(startedAt: number, now: number): number | undefined {
    if (startedAt <= this.lastDecrease) return undefined;
    const measured = Math.max(this.o.min, this.measured(now));
    const next = Math.min(this.o.ceiling, Math.max(this.o.min, Math.min(this.current ?? Infinity, measured) * this.o.decreaseFactor));
    this.current = next;
    this.lastDecrease = now;
    this.history.decreases++;
    this.history.low = this.history.low === null ? next : Math.min(this.history.low, next);
    return next;
  }

  /** A success for a request started at `startedAt`. Returns the new limit when it changed. */
  succeeded(startedAt: number): number | undefined {
    if (this.current === undefined || startedAt <= this.lastDecrease || this.current >= this.o.ceiling) return undefined;
    const step = Math.max(1, this.peak * this.o.increaseFraction);
    this.current = Math.min(this.o.ceiling, this.current + step / this.current);
    return this.current;
  }
}

// ---------------------------------------------------------------- retries

/**
 * Exponential backoff with full jitter: a uniformly random wait in
 * [0, min(capMs, baseMs × 2^retry)), `retry` counting from 0.
 */
export function backoffDelayMs(retry: number, random: Random, baseMs = 100, capMs = 10_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/** A Retry-After header (delay-seconds or an HTTP-date) as ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/** How one HTTP attempt went, for the retry loop, the breaker and the AIMD controller. */
export type AttemptClass =
  | { kind: 'ok' }
  /** Worth retrying: transport error, 429, 5xx. */
  | { kind: 'retry'; reason: string; overloaded: boolean; originError: boolean; retryAfterMs?: number }
  /** Not worth retrying (e.g. 404): a failure at once. */
  | { kind: 'fail'; reason: string };

/**
 * Classify a response. `ok(status)` says which statuses are success (2xx for
 * origin fetches, 2xx/3xx through a cache). 429 and 503 are overload signals;
 * 5xx (503 included) are origin errors for the breaker; 429 is not (the
 * origin is answering, just asking us to slow down).
 */
const OK_CLASS: AttemptClass = Object.freeze({ kind: 'ok' });

export function classifyStatus(
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  nowMs: number,
  ok: (status: number) => boolean,
): AttemptClass {
  if (ok(status)) return OK_CLASS;
  const reason = `http ${status}`;
  if (status === 429 || (status >= 500 && status <= 599)) {
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after'], nowMs) : undefined;
    return {
      kind: 'retry',
      reason,
      overloaded: status === 429 || status === 503,
      originError: status !== 429,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { kind: 'fail', reason };
}

// ---------------------------------------------------------------- circuit breaker

export interface BreakerOptions {
  /** Outcomes remembered. Default 100. */
  window?: number;
  /** No decision before this many outcomes. Default 20. */
  minSamples?: number;
  /** Open when errors ÷ outcomes in the window reaches this. Default 0.5. */
  errorRatio?: number;
}

export const BREAKER_DEFAULTS = { window: 100, minSamples: 20, errorRatio: 0.5 } as const;

/**
 * A circuit breaker over the last `window` attempt outcomes. It opens when at
 * least `minSamples` outcomes are in the window and the error ratio reaches
 * `errorRatio`, and then stays open: a warm run stops (there is no half-open
 * probe; the next run is the probe).
 */
export class CircuitBreaker {
  private readonly ring: Uint8Array;
  private pos = 0;
  private count = 0;
  private errors = 0;
  private opened = false;
  readonly window: number;
  readonly minSamples: number;
  readonly threshold: number;

  constructor(options: BreakerOptions = {}) {
    this.window = Math.max(1, Math.floor(options.window ?? BREAKER_DEFAULTS.window));
    this.minSamples = Math.min(this.window, Math.max(1, Math.floor(options.minSamples ?? BREAKER_DEFAULTS.minSamples)));
    this.threshold = options.errorRatio ?? BREAKER_DEFAULTS.errorRatio;
    this.ring = new Uint8Array(this.window);
  }

  /** Record one outcome; returns true when the breaker is (now) open. */
  record(isError: boolean): boolean {
    if (this.count === this.window) this.errors -= this.ring[this.pos] as number;
    else this.count++;
    this.ring[this.pos] = isError ? 1 : 0;
    if (isError) this.errors++;
    this.pos = (this.pos + 1) % this.window;
    if (!this.opened && this.count >= this.minSamples && this.errors / this.count >= this.threshold) this.opened = true;
    return this.opened;
  }

  get open(): boolean {
    return this.opened;
  }

  /** Errors ÷ outcomes in the window (0 when empty). */
  get errorRatio(): number {
    return this.count === 0 ? 0 : this.errors / this.count;
  }

  get samples(): number {
    return this.count;
  }
}
