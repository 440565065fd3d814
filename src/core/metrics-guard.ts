/**
 * The one place metric data is checked before anything decides on it.
 *
 * `guardMetrics(source)` wraps a MetricsSource so that every answer is made of
 * finite, non-negative numbers; anything else (NaN, +Inf, −Inf, a negative
 * rate or count) raises a MetricsDataError (exit 3: the dependency answered
 * nonsense, so gates fail closed) naming the query, the series, the value and
 * its time. `src/cli/providers.ts` `metricsFromConfig` applies it to every
 * metrics port it builds, so budget, capacity headroom/forecast/usl, cache
 * popularity sources and every later consumer (chaos and failover guards) get
 * the same rule without repeating it. Consumers that relate several series
 * (bad ≤ total, good ≤ total, a ratio within [0, 1]) check that with
 * `assertNotAbove`, which raises the same error.
 *
 * Every quantity relia reads is a rate, a count, a ratio, a utilisation or a
 * latency, none of which can be negative. Pure: no I/O.
 */
import type { InstantQueryOptions, InstantSample, MetricsSource, RangeQueryOptions, RangeSeries } from '../ports/metrics.js';
import { DependencyError } from './errors.js';

/** The metrics source answered with a value that cannot be true. Exit 3. */
export class MetricsDataError extends DependencyError {
  readonly query: string;
  /** The value as text (`NaN`, `+Inf`, `-3`), since JSON cannot carry NaN. */
  readonly value: string;
  /** RFC 3339 time of the sample, or null for an instant query at the server's now. */
  readonly time: string | null;
  constructor(dependency: string, detail: { query: string; value: number | string; time: string | null; problem: string; series?: Record<string, string> }) {
    const value = typeof detail.value === 'number' ? formatValue(detail.value) : detail.value;
    const labels = detail.series && Object.keys(detail.series).length > 0 ? ` in series ${formatLabels(detail.series)}` : '';
    super(dependency, `${dependency} answered ${detail.problem}: ${value}${detail.time ? ` at ${detail.time}` : ''}${labels}; query: ${detail.query}`, {
      suggestions: [
        'run the query in the metrics UI at that time; fix the recording rule or exporter that produces this value',
        'counters must only grow: a negative rate means a broken counter or a subtraction in the query; wrap ratios so 0/0 cannot occur',
      ],
    });
    this.query = detail.query;
    this.value = value;
    this.time = detail.time;
  }
}

/** `NaN`, `+Inf`, `-Inf` or the number. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Why a value is unusable, or null when it is a finite, non-negative number. */
export function valueProblem(v: number): string | null {
  if (typeof v !== 'number' || Number.isNaN(v)) return 'a value that is not a number';
  if (!Number.isFinite(v)) return 'an infinite value';
  if (v < 0) return 'a negative value';
  return null;
}

export interface GuardOptions {
  /** Name of the dependency in messages; default: the source's kind. */
  dependency?: string;
}

/**
 * Wrap a metrics source so that every sample it returns is finite and
 * non-negative, else MetricsDataError. The wrapper is a MetricsSource itself
 * (same kind), so consumers do not know it is there.
 */
export function guardMetrics(source: MetricsSource, options: GuardOptions = {}): MetricsSource {
  const dependency = options.dependency ?? source.kind;
  return {
    kind: source.kind,
    async instant(query: string, opts?: InstantQueryOptions): Promise<InstantSample[]> {
      const samples = await source.instant(query, opts);
      for (const s of samples) {
        const problem = valueProblem(s.value);
        if (problem) throw new MetricsDataError(dependency, { query, value: s.value, time: opts?.time !== undefined ? iso(opts.time) : null, problem, series: s.labels });
      }
      return samples;
    },
    async range(query: string, opts: RangeQueryOptions): Promise<RangeSeries[]> {
      const series = await source.range(query, opts);
      for (const s of series) {
        for (const [t, v] of s.points) {
          const problem = valueProblem(v);
          if (problem) throw new MetricsDataError(dependency, { query, value: v, time: iso(t * 1000), problem, series: s.labels });
        }
      }
      return series;
    },
    close: () => source.close(),
  };
}

/**
 * Consistency between related series: `part` may not exceed `whole` (bad ≤
 * total, good ≤ total, an error ratio ≤ 1), with a relative tolerance for
 * floating-point dust. Raises MetricsDataError naming both.
 */
export function assertNotAbove(
  part: { name: string; value: number },
  whole: { name: string; value: number },
  context: { dependency: string; query: string; time: string | null },
): void {
  const slack = Math.abs(whole.value) * 1e-9 + 1e-12;
  if (part.value > whole.value + slack) {
    throw new MetricsDataError(context.dependency, {
      query: context.query,
      value: `${part.name} ${formatValue(part.value)} > ${whole.name} ${formatValue(whole.value)}`,
      time: context.time,
      problem: `${part.name} larger than ${whole.name}`,
    });
  }
}
