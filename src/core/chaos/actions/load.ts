/**
 * Load faults through the http port, always under a hard rate cap:
 * - `load.flash-crowd`: N× a baseline rate against a URL for a duration
 *   (open loop: requests go out on schedule whether or not earlier ones came
 *   back; past `concurrency` in flight, a request is skipped, never queued);
 * - `load.retry-storm`: closed-loop clients that retry every failed call at
 *   once, with no backoff, so a cascade can be watched and a breaker tested.
 * Both run in the background: the action returns once the load is running and
 * its undo stops it. The cap is a pacing limiter that never catches up after a
 * stall, so no window of 1/rate ever holds more than one request.
 */
import { z } from 'zod';
import type { Clock } from '../../../ports/clock.js';
import type { HttpClient, HttpRequest } from '../../../ports/http.js';
import type { ActionDefinition, ActionRunContext, ActivityPlan } from '../activity.js';
import { durationMs, httpMethod, httpUrl, issueAt, ms, ratePerSecond } from './common.js';

/** No experiment may ask for more, whatever its maxRate says. */
export const LOAD_RATE_CEILING = 5000;

/**
 * Hands out send times at most `rate` per second, one taker at a time (the
 * retry storm's clients queue for their turn): each slot starts one interval
 * after the previous one really began, so a timer that fires late, or a
 * stall, never lets two requests go out closer than the interval; after a
 * stall it resumes from now, with no burst to catch up. The cap therefore
 * holds on the times requests really go out, not only on the schedule.
 */
export class Pacer {
  private next: number;
  private readonly interval: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    rate: number,
  ) {
    this.interval = 1000 / rate;
    this.next = clock.now();
  }

  take(signal: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.slot(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async slot(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const now = this.clock.now();
    const at = Math.max(this.next, now);
    if (at > now) await this.clock.sleep(at - now, signal);
    this.next = Math.max(at, this.clock.now()) + this.interval;
  }
}

export interface LoadStats {
  /** Requests sent (attempts, retries included). */
  sent: number;
  /** 2xx/3xx/4xx other than 429. */
  ok: number;
  /** 5xx, 429 and transport failures. */
  failed: number;
  /** Flash crowd: not sent because `concurrency` were in flight. */
  skipped: number;
  /** Retry storm: attempts after a failure. */
  retries: number;
  /** Retry storm: calls that ran out of retries. */
  gaveUp: number;
  statuses: Record<string, number>;
  durationMs: number;
  /** Sent per second over the run. */
  achievedRate: number;
}

const failedStatus = (s: number) => s >= 500 || s === 429;

const Common = {
  url: httpUrl,
  method: httpMethod,
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  duration: durationMs('60s'),
  /** Hard cap on requests per second (retries included). Required: load never runs uncapped. */
  maxRate: ratePerSecond('200/s'),
  /** Requests in flight at most. */
  concurrency: z.number().int().min(1).max(1024).default(64),
  timeout: durationMs('10s').default(10_000),
  /** Wait for the load to finish and return its figures (default: run in the background). */
  wait: z.boolean().default(false),
};

function capCheck(maxRate: number, ctx: z.RefinementCtx): void {
  if (maxRate > LOAD_RATE_CEILING) ctx.addIssue(issueAt(['maxRate'], `maxRate is above relia's ceiling of ${LOAD_RATE_CEILING}/s`));
}

const FlashArgs = z
  .strictObject({
    ...Common,
    /** The normal rate this URL sees. */
    baselineRate: ratePerSecond('50/s'),
    /** How many times the baseline to send (10 = a 10× flash crowd). */
    multiplier: z.number().gt(0).max(1000).default(10),
  })
  .superRefine((a, ctx) => {
    capCheck(a.maxRate, ctx);
    const rate = a.baselineRate * a.multiplier;
    if (rate > a.maxRate * (1 + 1e-9)) {
      ctx.addIssue(issueAt(['multiplier'], `baselineRate × multiplier is ${Number(rate.toPrecision(6))}/s, above maxRate ${Number(a.maxRate.toPrecision(6))}/s: lower the multiplier or raise maxRate`));
    }
  });
export type FlashArgs = z.infer<typeof FlashArgs>;

const StormArgs = z
  .strictObject({
    ...Common,
    /** Concurrent clients, each calling again as soon as its call ends. */
    clients: z.number().int().min(1).max(1024).default(10),
    /** Retries per call after a failure, sent at once (no backoff). */
    retries: z.number().int().min(0).max(100).default(3),
  })
  .superRefine((a, ctx) => capCheck(a.maxRate, ctx));
export type StormArgs = z.infer<typeof StormArgs>;

function request(a: { url: string; method: HttpRequest['method']; headers?: Record<string, string> | undefined; body?: string | undefined; timeout: number }, signal: AbortSignal): HttpRequest {
  // the http port sends no headers of ours and no body when these are undefined
  return { method: a.method, url: a.url, headers: a.headers, body: a.body, timeoutMs: a.timeout, readBody: false, signal };
}

class Tally {
  readonly stats: LoadStats = { sent: 0, ok: 0, failed: 0, skipped: 0, retries: 0, gaveUp: 0, statuses: {}, durationMs: 0, achievedRate: 0 };

  /** One attempt; true when it failed. */
  async attempt(http: HttpClient, req: HttpRequest): Promise<boolean> {
    this.stats.sent++;
    try {
      const res = await http.request(req);
      this.stats.statuses[res.status] = (this.stats.statuses[res.status] ?? 0) + 1;
      if (failedStatus(res.status)) this.stats.failed++;
      else this.stats.ok++;
      return failedStatus(res.status);
    } catch (err) {
      // cancelled by the undo or the experiment's signal: not a failure of the target
      // Stryker disable next-line OptionalChaining: equivalent, every load request carries a signal
      if (req.signal?.aborted) throw err;
      this.stats.statuses.error = (this.stats.statuses.error ?? 0) + 1;
      this.stats.failed++;
      return true;
    }
  }

  finish(elapsed: number): LoadStats {
    this.stats.durationMs = elapsed;
    this.stats.achievedRate = elapsed > 0 ? Math.round((this.stats.sent / elapsed) * 1000 * 10) / 10 : 0;
    return this.stats;
  }
}

const stopped = (signal: AbortSignal, clock: Clock, end: number) => signal.aborted || clock.now() >= end;

export async function flashCrowd(a: FlashArgs, http: HttpClient, clock: Clock, signal: AbortSignal): Promise<LoadStats> {
  const tally = new Tally();
  const start = clock.now();
  const end = start + a.duration;
  const pacer = new Pacer(clock, a.baselineRate * a.multiplier);
  const inFlight = new Set<Promise<unknown>>();
  try {
    while (!stopped(signal, clock, end)) {
      await pacer.take(signal);
      if (clock.now() >= end) break;
      if (inFlight.size >= a.concurrency) {
        tally.stats.skipped++;
        continue;
      }
      const p: Promise<unknown> = tally.attempt(http, request(a, signal)).catch(() => undefined).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
  await Promise.allSettled([...inFlight]);
  return tally.finish(clock.now() - start);
}

export async function retryStorm(a: StormArgs, http: HttpClient, clock: Clock, signal: AbortSignal): Promise<LoadStats> {
  const tally = new Tally();
  const start = clock.now();
  const end = start + a.duration;
  const pacer = new Pacer(clock, a.maxRate);
  const client = async (): Promise<void> => {
    while (!stopped(signal, clock, end)) {
      for (let attempt = 0; ; attempt++) {
        await pacer.take(signal);
        if (stopped(signal, clock, end)) return;
        if (attempt > 0) tally.stats.retries++;
        const failed = await tally.attempt(http, request(a, signal));
        if (!failed) break;
        if (attempt >= a.retries) {
          tally.stats.gaveUp++;
          break;
        }
      }
    }
  };
  const slots = Math.min(a.clients, a.concurrency);
  await Promise.allSettled(Array.from({ length: slots }, () => client()));
  return tally.finish(clock.now() - start);
}

function background<A extends { wait: boolean; duration: number; url: string }>(kind: string, a: A, ctx: ActionRunContext, rate: string, body: (http: HttpClient, signal: AbortSignal) => Promise<LoadStats>): Promise<unknown> {
  return (async () => {
    const http = await ctx.ports.get('http');
    const stop = new AbortController();
    // the undo or the experiment's signal stops it, the latter even when aborted already
    const done = body(http, AbortSignal.any([ctx.signal, stop.signal])).then(
      (stats) => {
        ctx.log(`${kind}.finished`, { url: a.url, ...stats });
        return stats;
      },
      (err: unknown) => {
        ctx.log(`${kind}.failed`, { url: a.url, error: String(err) });
        throw err;
      },
    );
    // a failure is journaled above and reaches whoever awaits `done`; never an unhandled rejection
    done.catch(() => undefined);
    ctx.inject({
      description: `${kind} against ${a.url} (${rate}, ${ms(a.duration)})`,
      manualUndo: 'nothing to do by hand: the load stops when relia exits',
      async undo() {
        // Stryker disable next-line StringLiteral: equivalent, never shown: the calls it cancels are not counted, the load ends as finished
        stop.abort(new Error(`${kind} stopped by rollback`));
        await done.catch(() => undefined);
      },
    });
    if (a.wait) return done;
    return { started: true, url: a.url, rate, durationMs: a.duration };
  })();
}

const rateText = (r: number) => `${Number(r.toPrecision(6))}/s`;

export const flashCrowdAction: ActionDefinition<FlashArgs> = {
  type: 'load.flash-crowd',
  summary: 'N× a baseline request rate against a URL for a duration, under a hard rate cap (background; undo stops it)',
  args: FlashArgs,
  async plan(a): Promise<ActivityPlan> {
    return {
      targets: [{ kind: 'url', id: a.url, detail: a.method }],
      does: `send ${rateText(a.baselineRate * a.multiplier)} (${a.multiplier}× ${rateText(a.baselineRate)}) for ${ms(a.duration)}, at most ${a.concurrency} in flight, cap ${rateText(a.maxRate)}`,
      undo: 'stop sending',
    };
  },
  run: (a, ctx) => background('load.flash-crowd', a, ctx, rateText(a.baselineRate * a.multiplier), (http, signal) => flashCrowd(a, http, ctx.clock, signal)),
};

export const retryStormAction: ActionDefinition<StormArgs> = {
  type: 'load.retry-storm',
  summary: 'Clients that retry failed calls at once with no backoff, under a hard rate cap (background; undo stops it)',
  args: StormArgs,
  async plan(a): Promise<ActivityPlan> {
    return {
      targets: [{ kind: 'url', id: a.url, detail: a.method }],
      does: `${a.clients} clients call ${a.url} back to back for ${ms(a.duration)}, each failed call retried ${a.retries}× with no backoff, cap ${rateText(a.maxRate)}`,
      undo: 'stop sending',
    };
  },
  run: (a, ctx) => background('load.retry-storm', a, ctx, `cap ${rateText(a.maxRate)}`, (http, signal) => retryStorm(a, http, ctx.clock, signal)),
};

