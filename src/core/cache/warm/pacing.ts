/**
 * How fast a warm run may go: the concurrency limit (fixed, or AIMD on
 * overload and latency), the request-rate token bucket, and the adaptive
 * rate limit that 429/503 answers engage (not in copy mode, which talks only
 * to caches). `pool` issues items under all of them.
 */
import type { Clock } from '../../../ports/clock.js';
import type { ResolvedLimits } from '../limits.js';
import { AdaptiveConcurrency, AdaptiveRate, type ConcurrencyController, FixedConcurrency, TokenBucket } from '../protection.js';
import { Gate, type RunControl } from '../run.js';
import type { WarmMode, WarmResult } from './types.js';

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export class Pacer {
  readonly conc: ConcurrencyController;
  readonly gate: Gate;
  /** Paces requests; created when the adaptive rate first engages if there was no `rate` limit. */
  bucket: TokenBucket | undefined;
  /** The adaptive request-rate limit; undefined when adaptation is off or in copy mode. */
  readonly rate: AdaptiveRate | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly limits: ResolvedLimits,
    mode: WarmMode,
  ) {
    this.conc = limits.adaptive === false ? new FixedConcurrency(limits.concurrency) : new AdaptiveConcurrency(limits.adaptive);
    this.gate = new Gate(() => this.conc.current);
    this.bucket = limits.rate === undefined ? undefined : new TokenBucket(clock, limits.rate, limits.burst);
    this.rate = limits.adaptive === false || mode === 'redis-copy' ? undefined : new AdaptiveRate(limits.rate === undefined ? {} : { ceiling: limits.rate });
  }

  /** Pace requests at `rate` per second from now on (the adaptive limit changed). */
  applyRate(rate: number): void {
    if (this.bucket) this.bucket.setRate(rate, this.limits.rate !== undefined && rate >= this.limits.rate ? this.limits.burst : undefined);
    else this.bucket = new TokenBucket(this.clock, rate, Math.max(1, Math.ceil(rate / 10)));
  }

  /** The result's `concurrency`. */
  concurrencySummary(): WarmResult['concurrency'] {
    const history = this.conc instanceof AdaptiveConcurrency ? this.conc.history : { low: this.conc.current, high: this.conc.current, decreases: 0 };
    return { final: this.conc.current, low: history.low, high: history.high, decreases: history.decreases };
  }

  /** The result's `adaptiveRate`: null when it never engaged. */
  rateSummary(): WarmResult['adaptiveRate'] {
    const r = this.rate;
    if (r?.limit === undefined) return null;
    return { final: round3(r.limit), low: round3(r.history.low ?? r.limit), decreases: r.history.decreases };
  }
}

export interface PoolHooks {
  control: RunControl;
  pacer: Pacer;
  /** Work to wait for before the next item is issued (a due checkpoint, queued writes); undefined when there is none. */
  beforeIssue(): Promise<void> | undefined;
  /** After each item settled. */
  settled(): void;
  fatal(err: unknown): void;
}

/** Issue items in order through the gate and the bucket; wait for in-flight work at the end. */
export async function pool(h: PoolHooks, items: AsyncIterable<number> | Iterable<number>, exec: (item: number) => Promise<void>): Promise<void> {
  const { control, pacer } = h;
  const gate = pacer.gate;
  const inFlight = new Set<Promise<void>>();
  const stop = control.stopSignal;
  // a plain list is walked without an await per item (one per item adds up at thousands of items a second)
  const sync = Symbol.iterator in items ? (items as Iterable<number>)[Symbol.iterator]() : undefined;
  const async = sync ? undefined : (items as AsyncIterable<number>)[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    for (;;) {
      const next = sync ? sync.next() : await (async as AsyncIterator<number>).next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const item = next.value;
      if (!control.live()) break;
      const before = h.beforeIssue();
      if (before) await before;
      if (!gate.tryEnter() && !(await gate.enter(stop))) break;
      const bucket = pacer.bucket;
      if (bucket) {
        const wait = bucket.reserve(1);
        // Stryker disable next-line EqualityOperator: equivalent, sleep(0) of a live run returns true at once; when the run stopped meanwhile, the line after leaves the gate and ends the loop the same way (the token refunded or not is never used: the bucket serves no later pool)
        if (wait > 0 && !(await control.sleep(wait))) {
          bucket.refund(1);
          gate.leave();
          break;
        }
      }
      if (!control.live()) {
        gate.leave();
        break;
      }
      const settle = (): void => {
        gate.leave();
        inFlight.delete(task);
        h.settled();
      };
      const task: Promise<void> = exec(item).then(settle, (err: unknown) => {
        h.fatal(err);
        settle();
      });
      inFlight.add(task);
    }
  } catch (err) {
    h.fatal(err);
  } finally {
    // stopped early: let an async source clean up, as for-await would
    if (async && !exhausted) await async.return?.()?.catch((err: unknown) => h.fatal(err));
  }
  await control.drain(inFlight);
}
