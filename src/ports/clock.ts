/** Time, injected so engines are testable without sleeping. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolve after `ms`, or reject with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Randomness, injected so runs are reproducible (`--seed`). Returns [0, 1). */
export type Random = () => number;
