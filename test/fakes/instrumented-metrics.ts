/**
 * A documented wrapper around any MetricsSource (in core tests: the
 * contract-checked MemoryMetrics) for what a test needs beyond the port's
 * semantics. It never changes what the inner source answers; it only adds:
 *  - recording: `instantCalls` (query, time), `rangeCalls` (query, start, end, step);
 *  - concurrency: each call waits `turns` microtask turns before it reaches the
 *    inner source, so overlapping calls are observable; `maxInFlight`;
 *  - fault injection: `unreachable` fails every call the way the Prometheus
 *    adapter reports a server that does not answer; `failWhen` fails queries
 *    containing that text the way it reports a query the server rejected
 *    (both DependencyError, exit 3, naming the query); `fault(query)` returns
 *    any error (a plain Error, as a third-party client might throw) to fail a
 *    call before it reaches the inner source.
 */
import { DependencyError } from '../../src/core/errors.js';
import type { InstantQueryOptions, InstantSample, MetricsSource, RangeQueryOptions, RangeSeries } from '../../src/ports/metrics.js';

export class InstrumentedMetrics<M extends MetricsSource = MetricsSource> implements MetricsSource {
  readonly instantCalls: Array<{ query: string; time: number | undefined }> = [];
  readonly rangeCalls: Array<{ query: string; start: number; end: number; step: number }> = [];
  maxInFlight = 0;
  /** Fail every query like an unreachable server. */
  unreachable = false;
  /** Fail queries containing this text like a server that rejects them. */
  failWhen: string | undefined;
  fault: ((query: string) => Error | undefined) | undefined;
  /** Microtask turns each call waits before it reaches the inner source. */
  turns = 3;
  private inFlight = 0;

  constructor(readonly inner: M) {}

  get kind(): string {
    return this.inner.kind;
  }

  instant(query: string, options: InstantQueryOptions = {}): Promise<InstantSample[]> {
    this.instantCalls.push({ query, time: options.time });
    return this.call(query, options.signal, () => this.inner.instant(query, options));
  }

  range(query: string, options: RangeQueryOptions): Promise<RangeSeries[]> {
    this.rangeCalls.push({ query, start: options.start, end: options.end, step: options.step });
    return this.call(query, options.signal, () => this.inner.range(query, options));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async call<T>(query: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      for (let i = 0; i < this.turns; i++) await Promise.resolve();
      signal?.throwIfAborted();
      if (this.unreachable) throw new DependencyError('prometheus', `Prometheus at http://127.0.0.1:1 did not answer query ${JSON.stringify(query)}: ECONNREFUSED (after 1 attempts)`);
      const err = this.fault?.(query);
      if (err) throw err;
      if (this.failWhen !== undefined && query.includes(this.failWhen)) throw new DependencyError('prometheus', `Prometheus rejected query ${JSON.stringify(query)}: bad_data: parse error`);
      return await run();
    } finally {
      this.inFlight--;
    }
  }
}
