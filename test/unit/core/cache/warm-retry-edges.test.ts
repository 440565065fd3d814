/**
 * One request of a warm run with its retries (src/core/cache/warm/retry.ts), pinned from docs/cache.md
 * "Protection" and "Targets": success is 2xx (origin) or 2xx/3xx (HTTP caches); 4xx other than 429 fail at
 * once; transport errors, 429 and 5xx are retried `--retries` times with full-jitter backoff
 * [0, min(cap, base × 2^r)) or the server's Retry-After (capped); retries take tokens like first attempts;
 * each request carries the timeout and a signal; the breaker counts transport errors and 5xx (not 429)
 * and stops the run when it opens; latency percentiles are of successful requests (the client's
 * durationMs, else clock time); the failure keeps the last transport error's text as `detail`.
 */
import { describe, expect, it } from 'vitest';
import { resolveLimits, type WarmLimits } from '../../../../src/core/cache/limits.js';
import { Latencies, RunControl } from '../../../../src/core/cache/run.js';
import { Pacer } from '../../../../src/core/cache/warm/pacing.js';
import { ok2xx, ok2xx3xx, Requester } from '../../../../src/core/cache/warm/retry.js';
import { Tally } from '../../../../src/core/cache/warm/tally.js';
import type { WarmMode } from '../../../../src/core/cache/warm/types.js';
import type { HttpRequest, HttpResponse } from '../../../../src/ports/http.js';
import { FakeClock, FakeHttp } from './fakes.js';

type Step =
  | { status: number; headers?: Record<string, string>; takesMs?: number; durationMs?: number }
  | { error: string; takesMs?: number }
  | { thrown: unknown };

/**
 * The origin: FakeHttp (the contract-checked MemoryHttp on the FakeClock, inside InstrumentedHttp) answering the
 * scripted steps in order, the last one repeating: a status and headers after `takesMs` of virtual time (the
 * response's durationMs is that time, as the fake measures it), or a transport failure (`error`: the fake's
 * DependencyError after `takesMs`). Scripted on top, for clients the fake is not: `thrown` is thrown as it is
 * before the request reaches the fake (a client throwing something that is not an Error), and `durationMs`
 * replaces the response's (a client measuring its own, e.g. to the headers; NaN: a client that does not measure
 * it). `seen` records each request as handed over.
 */
class ScriptedOrigin extends FakeHttp {
  readonly seen: Array<{ at: number; timeoutMs: number | undefined; signal: boolean }> = [];
  private i = 0;

  constructor(
    private readonly virtualClock: FakeClock,
    private readonly steps: Step[],
    // the step the fake's handler answers with, set before each request is handed to it
    private readonly current: { step?: Exclude<Step, { thrown: unknown }> } = {},
  ) {
    super(virtualClock, () => {
      const s = current.step!;
      return 'error' in s ? { error: s.error, latencyMs: s.takesMs ?? 0 } : { status: s.status, headers: s.headers ?? {}, latencyMs: s.takesMs ?? 0 };
    });
  }

  override async request(req: HttpRequest): Promise<HttpResponse> {
    this.seen.push({ at: this.virtualClock.now() - 1000, timeoutMs: req.timeoutMs, signal: req.signal instanceof AbortSignal });
    const s = this.steps[Math.min(this.i++, this.steps.length - 1)] as Step;
    if ('thrown' in s) throw s.thrown;
    this.current.step = s;
    const res = await super.request(req);
    return 'durationMs' in s && s.durationMs !== undefined ? { ...res, durationMs: s.durationMs } : res;
  }
}

function rig(steps: Step[], limits: WarmLimits = {}, mode: WarmMode = 'redis-origin', randoms: number[] = [0.5]) {
  const clock = new FakeClock(0);
  clock.advance(1000); // not at 0: a latency of now + start would show
  const l = resolveLimits(limits);
  const control = new RunControl(clock, undefined, l.maxDurationMs, l.abortGraceMs);
  const pacer = new Pacer(clock, l, mode);
  const tally = new Tally(['k'], [{}], { failureListLimit: 100, maxFailures: 0 }, undefined);
  const latencies = new Latencies();
  let r = 0;
  const random = (): number => randoms[Math.min(r++, randoms.length - 1)] as number;
  const requester = new Requester({ clock, random, limits: l, control, pacer, tally, latencies }, mode);
  const client = new ScriptedOrigin(clock, steps);
  const seen = client.seen;
  const attempt = (ok = ok2xx) => requester.attempt(client, { method: 'GET', url: 'http://origin/k' }, ok);
  return { clock, control, pacer, tally, latencies, requester, seen, attempt };
}

describe('success statuses', () => {
  it('origin: 2xx; HTTP caches: 2xx and 3xx', () => {
    expect([199, 200, 299, 300].map(ok2xx)).toEqual([false, true, true, false]);
    expect([199, 200, 304, 399, 400].map(ok2xx3xx)).toEqual([false, true, true, true, false]);
  });
});

describe('Requester.attempt', () => {
  it('an answer at once: the timeout and a signal on the request, its latency recorded', async () => {
    const x = rig([{ status: 200, takesMs: 30, durationMs: 12 }], { timeoutMs: 2500 }); // the client's own measure, not the 30 ms of clock time
    const out = await x.attempt();
    expect(out.kind).toBe('ok');
    expect(x.seen).toEqual([{ at: 0, timeoutMs: 2500, signal: true }]);
    expect(x.requester.responses).toBe(1);
    expect(x.latencies.summary()).toMatchObject({ samples: 1, max: 12 });
    expect(x.tally.retries).toBe(0);
  });

  it('without a duration from the client, the latency is clock time', async () => {
    const x = rig([{ status: 200, takesMs: 40, durationMs: Number.NaN }]);
    await x.attempt();
    expect(x.latencies.summary()).toMatchObject({ max: 40 });
  });

  it('a 404 fails at once with its reason, no retry, no detail', async () => {
    const x = rig([{ status: 404 }]);
    expect(await x.attempt()).toStrictEqual({ kind: 'failed', reason: 'http 404' });
    expect(x.seen).toHaveLength(1);
    expect(x.latencies.summary()).toMatchObject({ samples: 0 });
  });

  it('a 3xx is a failure at the origin, a success through a cache', async () => {
    expect((await rig([{ status: 301 }]).attempt()).kind).toBe('failed');
    expect((await rig([{ status: 301 }]).attempt(ok2xx3xx)).kind).toBe('ok');
  });

  it('retries a 5xx after full-jitter backoff: random × min(cap, base × 2^r)', async () => {
    const x = rig([{ status: 503 }, { status: 500 }, { status: 502 }, { status: 200 }], { retries: 3, backoffBaseMs: 100, backoffCapMs: 300, adaptive: false }, 'redis-origin', [0.5, 0.5, 0.5]);
    const out = await x.attempt();
    expect(out.kind).toBe('ok');
    // waits 0.5 × 100, 0.5 × 200, 0.5 × min(300, 400)
    expect(x.seen.map((s) => s.at)).toEqual([0, 50, 150, 300]);
    expect(x.tally.retries).toBe(3);
    expect(x.requester.responses).toBe(4);
  });

  it('gives up after --retries retries with the last reason; a transport error keeps its text', async () => {
    const x = rig([{ status: 503 }, { error: 'connect ECONNREFUSED' }], { retries: 1 });
    expect(await x.attempt()).toEqual({ kind: 'failed', reason: 'transport', detail: 'GET http://origin/k failed: connect ECONNREFUSED' });
    expect(x.seen).toHaveLength(2);
    expect(x.tally.retries).toBe(1);
    expect(x.requester.lastTransportError).toBe('GET http://origin/k failed: connect ECONNREFUSED');
    expect(x.requester.responses).toBe(1);
    const y = rig([{ thrown: 'socket hang up' }], { retries: 0 });
    expect(await y.attempt()).toEqual({ kind: 'failed', reason: 'transport', detail: 'socket hang up' });
    const z = rig([{ status: 500 }], { retries: 0 });
    expect(await z.attempt()).toStrictEqual({ kind: 'failed', reason: 'http 500' }); // no detail field
  });

  it('waits what Retry-After says, capped by --max-retry-after', async () => {
    const x = rig([{ status: 429, headers: { 'retry-after': '2' } }, { status: 429, headers: { 'retry-after': '60' } }, { status: 200 }], { retries: 3, maxRetryAfterMs: 5000 });
    await x.attempt();
    expect(x.seen.map((s) => s.at)).toEqual([0, 2000, 7000]);
  });

  it('a retry takes a token like a first attempt', async () => {
    const x = rig([{ status: 503 }, { status: 200 }], { retries: 1, rate: 1, burst: 1, backoffBaseMs: 10, adaptive: false }, 'redis-origin', [0]);
    x.pacer.bucket!.reserve(1); // the first attempt's token, taken by the pool
    await x.attempt();
    // the backoff is 0 ms; the second token comes 1 s after the first
    expect(x.seen.map((s) => s.at)).toEqual([0, 1000]);
  });

  it('abandons a retry whose backoff or token wait the run cut short', async () => {
    const x = rig([{ status: 503 }], { retries: 3, maxDuration: 0.02, backoffBaseMs: 100 }, 'redis-origin', [0.9]);
    expect(await x.attempt()).toEqual({ kind: 'abandoned' });
    expect(x.seen).toHaveLength(1);
    const y = rig([{ status: 503 }], { retries: 3, rate: 1, burst: 1, maxDuration: 0.5, adaptive: false }, 'redis-origin', [0]);
    y.pacer.bucket!.reserve(1);
    expect(await y.attempt()).toEqual({ kind: 'abandoned' });
    expect(y.seen).toHaveLength(1);
    // the token was given back: 0.5 s at 1/s earned half a token, so the next is 500 ms away
    expect(y.pacer.bucket!.reserve(1)).toBe(500);
    expect(y.clock.now()).toBe(1500);
  });

  it('a request cancelled by the run is abandoned, not a failure', async () => {
    const x = rig([{ status: 200, takesMs: 10_000 }], { abortGraceMs: 100 });
    const p = x.attempt();
    x.control.stop('signal'); // in-flight work gets the grace period, then is cancelled
    const drained = x.control.drain([p]);
    expect(await p).toEqual({ kind: 'abandoned' });
    await drained;
    expect(x.requester.lastTransportError).toBe('');
  });
});

describe('Requester: breaker and adaptation', () => {
  it('5xx and transport errors count against the breaker, 429 and 404 do not; opening it stops the run', async () => {
    const x = rig([{ status: 429 }, { status: 404 }], { retries: 0, breaker: { minSamples: 2, window: 10, errorRatio: 0.5 } });
    await x.attempt();
    await x.attempt();
    expect(x.requester.breaker!.errorRatio).toBe(0);
    expect(x.control.stoppedBy).toBeUndefined();
    const y = rig([{ status: 503 }, { error: 'reset' }], { retries: 0, breaker: { minSamples: 2, window: 10, errorRatio: 0.5 } });
    await y.attempt();
    expect(y.control.stoppedBy).toBeUndefined(); // 1 sample < 2
    await y.attempt();
    expect(y.requester.breaker!.errorRatio).toBe(1);
    expect(y.control.stoppedBy).toBe('breaker');
  });

  it('no more retries once the breaker is open', async () => {
    const x = rig([{ status: 503 }, { status: 200 }], { retries: 3, breaker: { minSamples: 1, window: 10, errorRatio: 0.5 } });
    expect(await x.attempt()).toEqual({ kind: 'abandoned' });
    expect(x.seen).toHaveLength(1);
    expect(x.tally.retries).toBe(0);
  });

  it('no breaker in copy mode or with --no-breaker', () => {
    expect(rig([], {}, 'redis-copy').requester.breaker).toBeUndefined();
    expect(rig([], { breaker: false }).requester.breaker).toBeUndefined();
    expect(rig([], {}, 'http').requester.breaker).toBeDefined();
  });

  it('a 503 halves the AIMD concurrency and engages the adaptive rate as a token-bucket limit', async () => {
    const x = rig([{ status: 503 }, { status: 200, takesMs: 5 }], { retries: 1, concurrency: 16 }, 'redis-origin', [0.5]);
    expect(x.pacer.conc.current).toBe(4);
    expect(x.pacer.bucket).toBeUndefined();
    await x.attempt();
    // 4 × 0.5 = 2; the success after it adds 1/limit (slow start ended): 2.5, shown whole
    expect(x.pacer.concurrencySummary()).toEqual({ final: 2, low: 2, high: 4, decreases: 1 });
    const summary = x.pacer.rateSummary();
    expect(summary).not.toBeNull();
    expect(summary!.decreases).toBe(1);
    expect(x.pacer.bucket).toBeDefined();
    // 1 request in the first 100 ms = 10/s, halved = 5/s; the retry (50 ms later, after the decrease)
    // succeeds and adds step/limit, step = max(1, 5 % of the 20/s peak) = 1: 5 + 1/5
    expect(summary!.low).toBe(5);
    expect(summary!.final).toBe(5.2);
    expect(x.pacer.bucket!.ratePerSecond).toBe(5.2);
  });

  it('a 404 or a 500 is not overload (only 429 and 503 are): no decrease', async () => {
    for (const status of [404, 500]) {
      const x = rig([{ status }], { retries: 0 });
      await x.attempt();
      expect(x.pacer.concurrencySummary().decreases).toBe(0);
      expect(x.pacer.rateSummary()).toBeNull();
      expect(x.pacer.bucket).toBeUndefined();
    }
  });

  it('a latency rise to over twice the baseline (and 5 ms) halves the concurrency', async () => {
    // 10 answers at 10 ms set the baseline; slow start takes the limit from 4 to 14
    const steps: Step[] = [...Array.from({ length: 10 }, () => ({ status: 200, takesMs: 10 })), { status: 200, takesMs: 500 }];
    const x = rig(steps, { concurrency: 16 });
    for (let i = 0; i < 10; i++) await x.attempt();
    expect(x.pacer.concurrencySummary()).toEqual({ final: 14, low: 4, high: 14, decreases: 0 });
    await x.attempt(); // smoothed 10 + 0.2 × 490 = 108 ms > 2 × 10
    expect(x.pacer.concurrencySummary()).toEqual({ final: 7, low: 4, high: 14, decreases: 1 });
  });
});
