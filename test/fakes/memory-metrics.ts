/**
 * The metrics port's one fake: an in-memory MetricsSource for core tests. It
 * HOLDS SERIES and EVALUATES the PromQL subset of test/fakes/promql.ts with
 * Prometheus 2.42's semantics (selectors, rate/increase with extrapolation,
 * subqueries, *_over_time, label_replace, vector, sum/min/max/avg/count [by],
 * topk, arithmetic, comparisons [bool], or), so it passes the same contract
 * suite as the Prometheus adapter against real Prometheus
 * (test/contract/metrics.contract.test.ts). That covers every query the
 * budget engine generates (label_replace-tagged parts joined by `or`,
 * `avg_over_time((… > bool x)[W:S])` for timeslices).
 *
 * Anything else is rejected like Prometheus rejects a bad query: a
 * DependencyError (exit 3) naming the query. Durations: ms s m h d w y.
 * Recording, concurrency, latency and faults: InstrumentedMetrics
 * (test/fakes/instrumented-metrics.ts) around it.
 */
import { DependencyError } from '../../src/core/errors.js';
import type { InstantQueryOptions, InstantSample, MetricsSource, RangeQueryOptions, RangeSeries } from '../../src/ports/metrics.js';
import { evaluate, type StoredSeries } from './promql-eval.js';
import { parsePromql, PromqlError, signature, type Labels, type Node } from './promql.js';

export type MemorySeries = StoredSeries;

export interface MemoryMetricsOptions {
  /** "Server now" for instant queries without `time`, epoch ms. Default Date.now. */
  now?: () => number;
  /** Lookback for instant selectors, seconds. Default 300 (Prometheus' default). */
  lookbackSeconds?: number;
  /** Behave like a server that does not answer: every query fails with exit 3. */
  unreachable?: boolean;
  /**
   * The provider scheme it reports (default `memory-metrics`). `prometheus`
   * makes consumers treat it as a PromQL server: the budget engine batches a
   * SLO's parts into one query only for that kind.
   */
  kind?: string;
}

export class MemoryMetrics implements MetricsSource {
  readonly kind: string;
  /** Every query received, in order. */
  readonly queries: string[] = [];
  private readonly now: () => number;
  private readonly lookback: number;

  constructor(
    private readonly series: MemorySeries[],
    private readonly options: MemoryMetricsOptions = {},
  ) {
    this.kind = options.kind ?? 'memory-metrics';
    this.now = options.now ?? Date.now;
    this.lookback = options.lookbackSeconds ?? 300;
  }

  /** Convenience for hand-written fixtures: `[unixSeconds, value]` points. */
  static fromPoints(list: Array<{ labels: Labels; points: Array<[number, number]> }>, options?: MemoryMetricsOptions): MemoryMetrics {
    return new MemoryMetrics(
      list.map((s) => ({ labels: s.labels, times: s.points.map((p) => p[0]), values: s.points.map((p) => p[1]) })),
      options,
    );
  }

  /**
   * Counters from per-step increments, as a scraper would store them: sample 0
   * at `startSeconds` holds 0, sample i + 1 (at start + (i + 1) × step) the sum
   * of the first i + 1 increments. On the step grid, increase() over a window
   * is then exactly the increments of the steps ending in it.
   */
  static fromIncrements(list: Array<{ labels: Labels; increments: ArrayLike<number> }>, startSeconds: number, stepSeconds = 60, options?: MemoryMetricsOptions): MemoryMetrics {
    return new MemoryMetrics(
      list.map((s) => {
        const n = s.increments.length;
        const times = new Float64Array(n + 1);
        const values = new Float64Array(n + 1);
        times[0] = startSeconds;
        for (let i = 0; i < n; i++) {
          times[i + 1] = startSeconds + (i + 1) * stepSeconds;
          values[i + 1] = (values[i] as number) + (s.increments[i] as number);
        }
        return { labels: s.labels, times, values };
      }),
      options,
    );
  }

  async instant(query: string, options: InstantQueryOptions = {}): Promise<InstantSample[]> {
    const node = this.prepare(query, options.signal);
    const value = this.run(query, node, (options.time ?? this.now()) / 1000);
    if (value.kind === 'scalar') return [{ labels: {}, value: value.v }];
    return value.v.map((s) => ({ labels: { ...s.labels }, value: s.value }));
  }

  async range(query: string, options: RangeQueryOptions): Promise<RangeSeries[]> {
    const node = this.prepare(query, options.signal);
    if (!(options.step > 0)) throw this.rejected(query, 'step must be > 0');
    const bySig = new Map<string, RangeSeries>();
    const start = options.start / 1000;
    const end = options.end / 1000;
    for (let k = 0; start + k * options.step <= end; k++) {
      const t = start + k * options.step;
      const value = this.run(query, node, t);
      const vector = value.kind === 'scalar' ? [{ labels: {}, value: value.v }] : value.v;
      for (const s of vector) {
        const sig = signature(s.labels);
        let out = bySig.get(sig);
        if (!out) bySig.set(sig, (out = { labels: { ...s.labels }, points: [] }));
        out.points.push([t, s.value]);
      }
    }
    return [...bySig.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  }

  async close(): Promise<void> {}

  private rejected(query: string, why: string): DependencyError {
    return new DependencyError(this.kind, `memory-metrics rejected query ${JSON.stringify(query)}: bad_data: ${why}`, {
      suggestions: ['the fake evaluates the PromQL subset listed in test/fakes/promql.ts'],
    });
  }

  private prepare(query: string, signal?: AbortSignal): Node {
    signal?.throwIfAborted();
    this.queries.push(query);
    if (this.options.unreachable) {
      throw new DependencyError(this.kind, `memory-metrics did not answer query ${JSON.stringify(query)}: ECONNREFUSED`, {
        suggestions: ['the fake was built with { unreachable: true }'],
      });
    }
    try {
      return parsePromql(query);
    } catch (error) {
      if (!(error instanceof PromqlError) && !(error instanceof SyntaxError)) throw error;
      throw this.rejected(query, error.message);
    }
  }

  private run(query: string, node: Node, t: number) {
    try {
      const value = evaluate(node, t, { series: this.series, lookback: this.lookback });
      if (value.kind === 'matrix') throw new PromqlError('a range vector cannot be the result of a query (wrap it in rate() or increase())');
      return value;
    } catch (error) {
      if (!(error instanceof PromqlError)) throw error;
      throw this.rejected(query, error.message);
    }
  }
}
