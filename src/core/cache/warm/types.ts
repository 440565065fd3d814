/**
 * The warm engine's public contract: what `warm()` is given (targets,
 * options), what it reports while it runs (events) and what it returns
 * (the result). docs/cache.md describes it for users.
 */
import type { CopyOutcomeCodes, KeyValueCache } from '../../../ports/cache.js';
import type { Clock, Random } from '../../../ports/clock.js';
import type { HttpClient } from '../../../ports/http.js';
import { SafetyStopError } from '../../errors.js';
import type { CheckpointStore, Lock } from '../checkpoint.js';
import type { CacheVerdict, HeaderVariant } from '../http-cache.js';
import type { WarmLimits } from '../limits.js';
import type { LatencySummary } from '../run.js';
import type { Shard } from '../shard.js';

// ---------------------------------------------------------------- targets

interface RedisTargetCommon {
  kind: 'redis';
  /** The cache being warmed. */
  cache: KeyValueCache;
  /** Identity for the checkpoint fingerprint and messages, e.g. `redis://cache:6379/0` (no password). Default `cache.kind`. */
  id?: string;
  /** TTL to set, seconds. Copy mode without it keeps each source key's TTL; origin mode without it sets no TTL. */
  ttlSeconds?: number;
  /** TTL jitter as a fraction: each TTL is ttl × (1 ± jitter), uniformly. Default 0.1 when `ttlSeconds` is set. */
  ttlJitter?: number;
  /** Overwrite keys that already exist (default: skip them, counted as already hot). */
  refresh?: boolean;
  /** Keys per existsMany/setMany (and getMany in copy mode). Default 100 (origin), 1000 (copy). */
  batchSize?: number;
  /** Keys sampled (evenly over the key list) and read for the before/after hit ratio; 0 to skip. Default 1000. */
  hitRatioSample?: number;
}

export interface RedisOriginTarget extends RedisTargetCommon {
  mode: 'origin';
  /** Client for the origin. */
  origin: HttpClient;
  /** Origin URL template with `{key}`, e.g. `http://origin/items/{key}`; the key is percent-encoded. */
  originUrl: string;
  /** Extra request headers for the origin (auth, Accept). */
  originHeaders?: Readonly<Record<string, string>>;
}

export interface RedisCopyTarget extends RedisTargetCommon {
  mode: 'copy';
  /** The cache to copy from. */
  from: KeyValueCache;
  /** Its identity for the fingerprint, e.g. `redis://primary:6379/0`. Default `from.kind`. */
  fromId?: string;
  /** Batches in flight at once. Default 4. */
  pipelineDepth?: number;
}

export interface HttpTarget {
  kind: 'http';
  /** Client whose requests go through the cache/CDN. */
  http: HttpClient;
  /** Identity for the fingerprint and messages. Default `baseUrl` or `http.kind`. */
  id?: string;
  /** Joined with relative keys (paths); absolute http(s) keys are used as-is. */
  baseUrl?: string;
  /** Default GET. */
  method?: 'GET' | 'HEAD';
  /** Header matrix from `parseVary`; every URL is requested once per variant. Default: one plain variant. */
  variants?: readonly HeaderVariant[];
  /** Headers sent with every request. */
  headers?: Readonly<Record<string, string>>;
  /** After warming, re-request the URLs (all, or an even sample) and classify HIT/MISS for `hitRatioAfter`. */
  verify?: boolean | { sample: number };
  /** Passed to the client. Default false: the warm pass only reads headers (the client still receives the whole body, as a cache wants before it stores it, but need not keep it). */
  readBody?: boolean;
}

export type WarmTarget = RedisOriginTarget | RedisCopyTarget | HttpTarget;

/** Copy mode's per-key outcome codes, held to the port's CopyOutcomeCodes (the Redis copier spells the same). */
const COPY: CopyOutcomeCodes = { missing: 0, written: 1, present: 2 };
export const COPY_MISSING = COPY.missing;
export const COPY_WRITTEN = COPY.written;
export const COPY_PRESENT = COPY.present;

/** The copier capability (src/ports/cache.ts): the Redis adapter's moves values without handing them to the engine. */
export type { CacheCopier, CopyingCache } from '../../../ports/cache.js';

export type WarmMode = 'redis-origin' | 'redis-copy' | 'http';

// ---------------------------------------------------------------- options, events, result

export interface WarmOptions {
  /** Keys or URLs in warm order (e.g. from `mergeSources`). Duplicates are dropped. */
  keys: readonly string[];
  /**
   * More keys, arriving in batches after `keys` (copy mode: SCAN of the
   * source). Deduplicated and sharded like `keys`. Copy mode without a
   * checkpoint store copies them as they arrive (SCAN overlaps the copy);
   * otherwise they are all read before the run starts (a checkpoint's
   * fingerprint covers the whole list).
   */
  keyStream?: AsyncIterable<readonly string[]>;
  target: WarmTarget;
  /** Warm only this shard's keys (`fnv1a32(key) mod n = i`). */
  shard?: Shard;
  limits?: WarmLimits;
  clock: Clock;
  random: Random;
  /** Aborting stops the run: no new work, in-flight work gets the grace period, checkpoint saved, the reason rethrown. */
  signal?: AbortSignal;
  /** Resume from and save progress to this store. Cleared when the run reaches the end of its list. */
  checkpoint?: CheckpointStore;
  /** Save the checkpoint at most this often, ms of clock time. Default 5000. */
  checkpointIntervalMs?: number;
  /** A checkpoint from different inputs: refuse (InputError, default) or discard it and start over. */
  onCheckpointMismatch?: 'error' | 'discard';
  /** Held for the whole run; not acquired → InputError, nothing done. */
  lock?: Lock;
  /** Progress events (at most every `progressIntervalMs`) and a final `done` event with the result. */
  onProgress?: (event: WarmEvent) => void;
  /**
   * Called once the run has started (after the lock and the checkpoint were
   * taken), with a handle the caller may use from a cleanup hook: e.g. save
   * the checkpoint when the process must exit before the run unwound.
   */
  onStart?: (handle: WarmHandle) => void;
  /** Default 1000 ms of clock time. */
  progressIntervalMs?: number;
  /** Failures listed in the result (the counts by reason are always complete). Default 100. */
  failureListLimit?: number;
}

export interface WarmProgress {
  event: 'progress';
  phase: 'warm' | 'verify';
  /** Items finished, including those done by earlier runs (checkpoint) and failures. */
  done: number;
  total: number;
  /** Items done by earlier runs (from the checkpoint). */
  resumed: number;
  warmed: number;
  alreadyHot: number;
  failed: number;
  retries: number;
  inFlight: number;
  concurrency: number;
  elapsedSeconds: number;
  /** Items finished per second in this run. */
  ratePerSecond: number;
  etaSeconds: number | null;
}

export type WarmEvent = WarmProgress | { event: 'done'; result: WarmResult };

/** What `onStart` hands out. */
export interface WarmHandle {
  /**
   * Save the checkpoint now with the items finished so far (pending writes
   * get up to `flushWaitMs` of clock time to land first; items whose write
   * has not landed are not marked done). False when there is no store or the
   * run already cleared it (it finished).
   */
  checkpointNow(flushWaitMs?: number): Promise<boolean>;
}

/**
 * One hit-ratio measurement on Redis: an even sample of the run's keys is
 * read (GET, pipelined) and the server's `INFO stats` keyspace_hits and
 * keyspace_misses are read before and after. The ratio is
 * Δhits ÷ (Δhits + Δmisses). `exact` says the deltas are exactly the
 * sample's own lookups (no other client read keys meanwhile); otherwise, or
 * when INFO is unavailable (`method: sample`), `present ÷ sampled` is the
 * ratio the sample itself observed.
 */
export interface HitRatioMeasurement {
  method: 'info-delta' | 'sample';
  sampled: number;
  present: number;
  keyspaceHits: number | null;
  keyspaceMisses: number | null;
  exact: boolean;
  ratio: number;
}

export interface WarmFailure {
  key: string;
  /** The header variant (http mode), e.g. `Accept-Encoding=br`. */
  variant?: string;
  /** Category: `http 404`, `http 503`, `transport`, `missing-in-source`. */
  reason: string;
  /** The transport error's message, when there is one. */
  detail?: string;
}

export interface VerifySummary {
  requests: number;
  hit: number;
  stale: number;
  miss: number;
  bypass: number;
  unknown: number;
  /** Requests that failed or answered 4xx/5xx. */
  errors: number;
}

export interface WarmResult {
  mode: WarmMode;
  target: string;
  /** `i/n`, or null when not sharded. */
  shard: string | null;
  /** Keys in this run (after dedupe and sharding). */
  keys: number;
  /** Header variants per key (1 except for http with --vary). */
  variants: number;
  /** Items: keys × variants. Every count below is in items. */
  total: number;
  /** Items finished by earlier runs and skipped (from the checkpoint). */
  resumed: number;
  /** warmed + alreadyHot + failed. */
  attempted: number;
  warmed: number;
  alreadyHot: number;
  failed: number;
  /** Items not reached (stopped early). */
  remaining: number;
  failures: WarmFailure[];
  failuresTruncated: boolean;
  failuresByReason: Record<string, number>;
  retries: number;
  durationSeconds: number;
  ratePerSecond: number;
  /** Successful origin/cache requests (http, origin modes) or batch round trips (copy mode). */
  latencyMs: LatencySummary;
  concurrency: { final: number; low: number; high: number; decreases: number };
  /** The adaptive request-rate limit (per second) after 429/503 answers: final and lowest value, decreases; null when it never engaged. */
  adaptiveRate: { final: number; low: number; decreases: number } | null;
  breaker: { open: boolean; errorRatio: number; samples: number } | null;
  /** Fraction of sampled keys present (redis) / of warm-pass responses that were HITs (http); null when not measured. */
  hitRatioBefore: number | null;
  /** Same after the run (redis) / from the verify pass (http); null when not measured. */
  hitRatioAfter: number | null;
  /** Redis: how each ratio was measured (sample read and INFO keyspace deltas). */
  hitRatioMeasurements?: { before: HitRatioMeasurement | null; after: HitRatioMeasurement | null };
  /** http: verdicts of the warm-pass responses. */
  cacheStatus?: Record<CacheVerdict, number>;
  /** http with verify: the verify pass. */
  verify?: VerifySummary;
  stoppedBy?: 'breaker' | 'max-duration' | 'max-failures' | 'signal';
  /** What happened to the checkpoint: cleared (the list was finished), saved (stopped early), none (no store, or stopped before anything was done). */
  checkpoint: 'cleared' | 'saved' | 'none';
  /** 0 all warmed/hot (or stopped by max-duration within the failure budget); 1 failures > maxFailures; 4 breaker. */
  exitCode: 0 | 1 | 4;
}

/** The breaker stopped the run (exit 4). The checkpoint was kept; `result` has the partial counts. */
export class WarmStoppedError extends SafetyStopError {
  constructor(
    message: string,
    readonly result: WarmResult,
    suggestions: string[],
  ) {
    super(message, { suggestions });
  }
}

