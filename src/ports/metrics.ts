/** The metrics port: what the core needs from a metrics API such as Prometheus. */

export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  labels: Record<string, string>;
  /** [unix seconds, value] pairs in time order. */
  points: Array<[number, number]>;
}

export interface QueryOptions {
  signal?: AbortSignal;
}

export interface InstantQueryOptions extends QueryOptions {
  /** Evaluation instant, epoch milliseconds. Omitted: the server's now. */
  time?: number;
}

export interface RangeQueryOptions extends QueryOptions {
  /** Epoch milliseconds. */
  start: number;
  /** Epoch milliseconds. */
  end: number;
  /** Step in seconds. */
  step: number;
}

/**
 * A metrics source. Implementations map their transport errors to
 * DependencyError (exit 3) naming the query and the server's message, and bad
 * queries to DependencyError too (the server answered with an error).
 */
export interface MetricsSource {
  /** Provider scheme, e.g. `prometheus`. */
  readonly kind: string;
  instant(query: string, options?: InstantQueryOptions): Promise<InstantSample[]>;
  range(query: string, options: RangeQueryOptions): Promise<RangeSeries[]>;
  close(): Promise<void>;
}
