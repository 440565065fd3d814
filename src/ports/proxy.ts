/**
 * The network-fault port: a TCP proxy between a client and a service that
 * injects latency, jitter, loss, resets and a bandwidth limit in user space
 * (the kernel here has no netem). The decision logic (which chunk is delayed
 * by how much, which connection is dropped) is pure and lives in
 * src/core/chaos; the adapter moves bytes.
 */

export interface Toxics {
  /** Added to every chunk in both directions, milliseconds. */
  latencyMs: number;
  /** Uniform ± jitter around the latency, milliseconds. */
  jitterMs: number;
  /** Share of new connections refused at once (0..1). */
  loss: number;
  /** Bytes per second per direction; 0 = unlimited. */
  bandwidthBytesPerSecond: number;
  /** Reset a connection after this many bytes downstream; 0 = never. */
  resetAfterBytes: number;
  /** Hold new connections this long without forwarding, then close; 0 = off. */
  timeoutMs: number;
}

export interface ProxyStats {
  connections: number;
  refused: number;
  resets: number;
  bytesUp: number;
  bytesDown: number;
}

export interface ProxyHandle {
  readonly host: string;
  readonly port: number;
  /** Replace the toxics (null: pass through). Applies to new chunks at once. */
  set(toxics: Toxics | null): void;
  stats(): ProxyStats;
  /** Stop listening and close every connection. Idempotent. */
  close(): Promise<void>;
}

export type ConnectionDecision = { kind: 'forward' } | { kind: 'refuse' } | { kind: 'timeout'; afterMs: number };

export interface ChunkSchedule {
  /** When to write, in the adapter's clock (milliseconds, monotonic). */
  at: number;
  /** How many of the chunk's bytes to write (fewer when a reset is due). */
  bytes: number;
  /** Reset the connection after writing them. */
  resetAfter: boolean;
}

/** One direction of one connection. */
export interface PipeScheduler {
  schedule(now: number, bytes: number, toxics: Toxics | null, random: () => number): ChunkSchedule;
}

/**
 * The pure decisions (src/core/chaos/toxics.ts `toxicDecisions`), handed to
 * the adapter so that it only moves bytes and plugins never import the core.
 */
export interface ToxicDecisions {
  connection(toxics: Toxics | null, random: () => number): ConnectionDecision;
  pipe(direction: 'up' | 'down'): PipeScheduler;
  /** Largest slice to write at once (small under a bandwidth limit, so it is smooth). */
  sliceSize(toxics: Toxics | null): number;
}

export interface ProxyStartOptions {
  listenHost: string;
  /** 0: a free port. */
  listenPort: number;
  upstreamHost: string;
  upstreamPort: number;
  toxics: Toxics | null;
  /** Randomness for jitter and loss, seeded where the user asks. */
  random: () => number;
  decisions: ToxicDecisions;
}

export interface FaultProxyPort {
  readonly kind: string;
  start(options: ProxyStartOptions): Promise<ProxyHandle>;
  /** Close every proxy this port started (the run's end). Idempotent. */
  close(): Promise<void>;
}
