/**
 * One request of a warm run (to the origin, or through the cache/CDN), with
 * retries: full-jitter backoff or the server's Retry-After, each answer fed to
 * the circuit breaker, the concurrency controller, the adaptive rate and the
 * latency record.
 */
import type { Clock, Random } from '../../../ports/clock.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../ports/http.js';
import type { ResolvedLimits } from '../limits.js';
import { type AttemptClass, backoffDelayMs, CircuitBreaker, classifyStatus } from '../protection.js';
import type { Latencies, RunControl } from '../run.js';
import type { Pacer } from './pacing.js';
import type { Tally } from './tally.js';
import type { WarmMode } from './types.js';

export type AttemptResult = { kind: 'ok'; response: HttpResponse } | { kind: 'failed'; reason: string; detail?: string } | { kind: 'abandoned' };

export function ok2xx(status: number): boolean {
  return status >= 200 && status < 300;
}
export function ok2xx3xx(status: number): boolean {
  return status >= 200 && status < 400;
}

export interface RequesterDeps {
  clock: Clock;
  random: Random;
  limits: ResolvedLimits;
  control: RunControl;
  pacer: Pacer;
  tally: Tally;
  latencies: Latencies;
}

export class Requester {
  /** Opens on origin errors and stops the run; undefined when disabled or in copy mode. */
  readonly breaker: CircuitBreaker | undefined;
  /** Requests that got an answer (any status). */
  responses = 0;
  lastTransportError = '';

  constructor(
    private readonly d: RequesterDeps,
    mode: WarmMode,
  ) {
    this.breaker = d.limits.breaker === false || mode === 'redis-copy' ? undefined : new CircuitBreaker(d.limits.breaker);
  }

  /** One request with retries; `ok` says which statuses are a success. */
  async attempt(client: HttpClient, request: HttpRequest, ok: (status: number) => boolean): Promise<AttemptResult> {
    const { clock, limits, control, pacer } = this.d;
    for (let retry = 0; ; retry++) {
      const ticket = pacer.conc.ticket();
      const t0 = clock.now();
      pacer.rate?.started(t0);
      let response: HttpResponse | undefined;
      let detail: string | undefined;
      const scope = control.requestScope();
      try {
        request.timeoutMs = limits.timeoutMs;
        request.signal = scope.signal;
        response = await client.request(request);
      } catch (err) {
        if (scope.signal.aborted) return { kind: 'abandoned' };
        detail = err instanceof Error ? err.message : String(err);
        this.lastTransportError = detail;
      } finally {
        scope.release();
      }
      const cls: AttemptClass = response
        ? classifyStatus(response.status, response.headers, clock.now(), ok)
        : { kind: 'retry', reason: 'transport', overloaded: false, originError: true };
      if (response) this.responses++;
      const latency = response && Number.isFinite(response.durationMs) ? response.durationMs : clock.now() - t0;
      pacer.conc.record(ticket, cls.kind === 'ok' ? { overloaded: false, latencyMs: latency } : { overloaded: cls.kind === 'retry' && cls.overloaded });
      if (pacer.rate) {
        const next = cls.kind === 'ok' ? pacer.rate.succeeded(t0) : cls.kind === 'retry' && cls.overloaded ? pacer.rate.overloaded(t0, clock.now()) : undefined;
        if (next !== undefined) pacer.applyRate(next);
      }
      if (this.breaker && this.breaker.record(cls.kind === 'retry' && cls.originError)) control.stop('breaker');
      if (cls.kind === 'ok') {
        this.d.latencies.add(latency);
        return { kind: 'ok', response: response as HttpResponse };
      }
      if (cls.kind === 'fail') return { kind: 'failed', reason: cls.reason };
      if (retry >= limits.retries) return { kind: 'failed', reason: cls.reason, ...(detail !== undefined ? { detail } : {}) };
      if (this.breaker?.open) return { kind: 'abandoned' };
      this.d.tally.retries++;
      const wait =
        cls.retryAfterMs !== undefined ? Math.min(cls.retryAfterMs, limits.maxRetryAfterMs) : backoffDelayMs(retry, this.d.random, limits.backoffBaseMs, limits.backoffCapMs);
      if (!(await control.sleep(wait))) return { kind: 'abandoned' };
      const bucket = pacer.bucket;
      if (bucket) {
        const w = bucket.reserve(1);
        // Stryker disable next-line EqualityOperator: equivalent, control.sleep(0) returns live(), which the backoff sleep just before returned true with no time passing in between
        if (w > 0 && !(await control.sleep(w))) {
          bucket.refund(1);
          return { kind: 'abandoned' };
        }
      }
    }
  }
}
