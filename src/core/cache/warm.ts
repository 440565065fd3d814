/**
 * The warm engine behind `relia cache warm`. Three modes:
 *
 *  - `redis` + `origin`: GET each key's value from the origin (URL template,
 *    key percent-encoded) and SET it into Redis in pipelined batches, TTL
 *    jittered; keys already present are skipped unless `refresh`.
 *  - `redis` + `copy`: copy values (and TTLs) from another KeyValueCache in
 *    large pipelined batches — through the target's `CacheCopier` when it
 *    has one, else one getMany/ttlMany/existsMany/setMany per batch; no
 *    per-key promises. Keys may stream in (`keyStream`, e.g. SCAN of the
 *    source) and are copied as they arrive.
 *  - `http`: GET or HEAD each URL through the cache/CDN for every header
 *    variant, classifying each answer HIT/MISS from the cache's headers.
 *
 * Every mode is paced by a token bucket, a (fixed or AIMD) concurrency
 * limit, retries with full-jitter backoff, an origin circuit breaker,
 * `maxDuration` and `maxFailures`; is resumable from a checkpoint; honours an
 * AbortSignal; and reports progress on the injected clock. Pure: all I/O is
 * through ports. docs/cache.md is the user-facing description (with the
 * copy and HTTP fast paths).
 */
import type { CacheEntry, KeyValueCache } from '../../ports/cache.js';
import type { Clock, Random } from '../../ports/clock.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../ports/http.js';
import { DependencyError, InputError, SafetyStopError } from '../errors.js';
import { type CheckpointStore, IndexSet, type Lock, restoreDone, runFingerprint, CHECKPOINT_VERSION } from './checkpoint.js';
import { type CacheVerdict, classifyCacheStatus, describeVariant, type HeaderVariant, isCached, resolveUrl, validateBaseUrl } from './http-cache.js';
import { resolveLimits, type ResolvedLimits, type WarmLimits } from './limits.js';
import {
  AdaptiveConcurrency,
  AdaptiveRate,
  type AttemptClass,
  backoffDelayMs,
  CircuitBreaker,
  classifyStatus,
  type ConcurrencyController,
  FixedConcurrency,
  TokenBucket,
} from './protection.js';
import { evenSample, Gate, Latencies, type LatencySummary, RunControl, Throttle } from './run.js';
import { formatShard, type Shard, shardOf } from './shard.js';
import { type KeyTemplate, parseKeyTemplate, renderKeyTemplate } from './sources.js';

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

/** What `CacheCopier.copy` says about each key. */
export const COPY_MISSING = 0;
export const COPY_WRITTEN = 1;
export const COPY_PRESENT = 2;

/**
 * Optional capability of a cache for copy mode: a copier from another cache
 * (usually of its own kind), used when `copierFrom(from)` returns one. It
 * moves a batch of values and TTLs without handing them to the engine (the
 * Redis adapter assembles the target's commands from the source's reply
 * bytes: plugins/redis/src/copy.ts). Its semantics are the generic path's:
 * keys absent from the source (or expired between value and TTL) are
 * COPY_MISSING and never written; without `overwrite` a key present in the
 * target is COPY_PRESENT and left as it is (SET NX); without `ttlSeconds`
 * each key keeps its source TTL (or none).
 */
export interface CacheCopier {
  /** One outcome per key, in key order: COPY_MISSING, COPY_WRITTEN or COPY_PRESENT. */
  copy(keys: readonly string[], options: { overwrite: boolean; ttlSeconds?: readonly number[] }): Promise<ArrayLike<number>>;
}

export interface CopyingCache {
  copierFrom(source: KeyValueCache): CacheCopier | undefined;
}

function copierOf(target: KeyValueCache, from: KeyValueCache): CacheCopier | undefined {
  const c = target as Partial<CopyingCache>;
  return typeof c.copierFrom === 'function' ? c.copierFrom(from) : undefined;
}

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

/** TTL with jitter: ttl × (1 + jitter × u), u uniform in [-1, 1); whole seconds, at least 1. */
export function jitteredTtl(ttlSeconds: number, jitter: number, random: Random): number {
  const factor = jitter > 0 ? 1 + jitter * (2 * random() - 1) : 1;
  return Math.max(1, Math.round(ttlSeconds * factor));
}

const FLUSH_INTERVAL_MS = 1000;
const MAX_QUEUED_FLUSHES = 2;

type AttemptResult = { kind: 'ok'; response: HttpResponse } | { kind: 'failed'; reason: string; detail?: string } | { kind: 'abandoned' };

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function ok2xx(status: number): boolean {
  return status >= 200 && status < 300;
}
function ok2xx3xx(status: number): boolean {
  return status >= 200 && status < 400;
}

interface Prepared {
  mode: WarmMode;
  keys: KeyList;
  variants: readonly HeaderVariant[];
  targetId: string;
  details: string[];
  originTemplate?: KeyTemplate;
  ttl?: { seconds: number; jitter: number };
}

/**
 * The run's keys in order, without duplicates, in its shard; grows when keys
 * stream in. Duplicates are found with an open-addressing table of (32-bit
 * hash, index into the list) on typed arrays: for hundreds of thousands of
 * keys it costs a fraction of a Set<string> (no per-entry objects, one probe
 * sequence, strings compared only when their hashes are equal).
 */
class KeyList {
  readonly list: string[] = [];
  /** Whether a key was seen: its index + 1 in `all` (every distinct key, in or out of the shard), 0 for an empty slot. */
  private slots = new Int32Array(1024);
  private hashes = new Uint32Array(1024);
  /** Every distinct key seen: `list` itself when unsharded. */
  private readonly all: string[];
  private readonly shard: Shard | undefined;

  constructor(shard: Shard | undefined) {
    this.shard = shard !== undefined && shard.count > 1 ? shard : undefined;
    this.all = this.shard ? [] : this.list;
  }

  private static hash(k: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 12)) >>> 0;
  }

  /** Record `k`; false when it was already seen. */
  private fresh(k: string): boolean {
    if ((this.all.length + 1) * 2 > this.slots.length) this.resize();
    const h = KeyList.hash(k);
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const s = this.slots[i] as number;
      if (s === 0) break;
      if (this.hashes[i] === h && this.all[s - 1] === k) return false;
      i = (i + 1) & mask;
    }
    this.all.push(k);
    this.slots[i] = this.all.length;
    this.hashes[i] = h;
    return true;
  }

  private resize(): void {
    const size = this.slots.length * 2;
    const mask = size - 1;
    const slots = new Int32Array(size);
    const hashes = new Uint32Array(size);
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i] as number;
      if (s === 0) continue;
      const h = this.hashes[i] as number;
      let j = h & mask;
      while (slots[j] !== 0) j = (j + 1) & mask;
      slots[j] = s;
      hashes[j] = h;
    }
    this.slots = slots;
    this.hashes = hashes;
  }

  add(keys: Iterable<string>): void {
    const shard = this.shard;
    for (const k of keys) {
      if (!this.fresh(k)) continue;
      if (shard && shardOf(k, shard.count) === shard.index) this.list.push(k);
    }
  }
}

/** Pulls batches from a key stream into a KeyList, one batch read ahead. */
class KeyFeed {
  private readonly it: AsyncIterator<readonly string[]>;
  private ahead: Promise<IteratorResult<readonly string[]>> | undefined;
  ended = false;

  constructor(
    stream: AsyncIterable<readonly string[]>,
    private readonly into: KeyList,
  ) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** Add the next batch; false when the stream has ended. */
  async pull(): Promise<boolean> {
    if (this.ended) return false;
    const r = await (this.ahead ?? this.it.next());
    if (r.done) {
      this.ended = true;
      this.ahead = undefined;
      return false;
    }
    this.ahead = this.it.next();
    this.ahead.catch(() => undefined); // observed by the next pull, or dropped by close
    this.into.add(r.value);
    return true;
  }

  /** Stop the stream early (e.g. SCAN) when the run stops. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      await this.ahead;
    } catch {
      // the run already stopped; the stream's own error does not matter now
    }
    await this.it.return?.().catch(() => undefined);
  }
}

function prepare(o: WarmOptions): Prepared {
  const list = new KeyList(o.shard);
  list.add(o.keys);
  const keys = list.list;
  const t = o.target;
  if (t.kind === 'http') {
    if (t.baseUrl !== undefined) validateBaseUrl(t.baseUrl);
    else for (const k of keys) resolveUrl(k, undefined);
    const variants = t.variants && t.variants.length > 0 ? t.variants : [{}];
    return {
      mode: 'http',
      keys: list,
      variants,
      targetId: t.id ?? t.baseUrl ?? t.http.kind,
      details: [t.method ?? 'GET', t.baseUrl ?? ''],
    };
  }
  let ttl: Prepared['ttl'];
  if (t.ttlSeconds !== undefined) {
    if (!(Number.isFinite(t.ttlSeconds) && t.ttlSeconds > 0)) {
      throw new InputError(`--ttl: expected a duration above zero, got ${t.ttlSeconds} s`, { field: '--ttl', suggestions: ['--ttl 1h'] });
    }
    const jitter = t.ttlJitter ?? 0.1;
    if (!(jitter >= 0 && jitter < 1)) {
      throw new InputError(`--ttl-jitter: expected a fraction from 0 to below 1, got ${jitter}`, { field: '--ttl-jitter', suggestions: ['--ttl-jitter 10%'] });
    }
    ttl = { seconds: t.ttlSeconds, jitter };
  }
  const batch = t.batchSize;
  if (batch !== undefined && !(Number.isInteger(batch) && batch >= 1)) {
    throw new InputError(`--batch: expected a whole number ≥ 1, got ${batch}`, { field: '--batch', suggestions: ['--batch 1000'] });
  }
  const targetId = t.id ?? t.cache.kind;
  if (t.mode === 'copy') {
    return { mode: 'redis-copy', keys: list, variants: [{}], targetId, details: [t.fromId ?? t.from.kind], ...(ttl ? { ttl } : {}) };
  }
  const originTemplate = parseKeyTemplate(t.originUrl, '--origin', ['key']);
  if (originTemplate.placeholders.length !== 1 || !/^https?:\/\//i.test(t.originUrl)) {
    throw new InputError(`--origin: expected an http(s) URL template with only {key}, got ${JSON.stringify(t.originUrl)}`, {
      field: '--origin',
      suggestions: ['--origin http://origin.internal/items/{key}'],
    });
  }
  return { mode: 'redis-origin', keys: list, variants: [{}], targetId, details: [t.originUrl], originTemplate, ...(ttl ? { ttl } : {}) };
}

/**
 * Warm a cache. Returns the result (check `exitCode`: 1 when failures exceed
 * `maxFailures`); throws WarmStoppedError (SafetyStopError, exit 4) when the
 * breaker stopped the run, DependencyError (exit 3) when the target failed or
 * the origin never answered, InputError (exit 2) for bad inputs, a refused
 * checkpoint or a held lock, and the signal's reason when aborted. In every
 * case but the input errors, `onProgress` receives a final `done` event with
 * the result so far.
 */
export async function warm(options: WarmOptions): Promise<WarmResult> {
  if (options.signal?.aborted) throw options.signal.reason;
  const limits = resolveLimits(options.limits);
  let prepared = prepare(options);
  let stream = options.keyStream;
  if (stream && (prepared.mode !== 'redis-copy' || options.checkpoint)) {
    // the whole list first: a checkpoint's fingerprint covers it, and only copy mode streams
    const all = [...options.keys];
    for await (const batch of stream) {
      if (options.signal?.aborted) throw options.signal.reason;
      for (const k of batch) all.push(k);
    }
    stream = undefined;
    prepared = prepare({ ...options, keys: all });
  }
  if (options.lock) {
    if (!(await options.lock.acquire())) {
      const holder = options.lock.holder ? await options.lock.holder() : undefined;
      throw new InputError(`another warm run holds the lock${holder ? ` (${holder})` : ''}; nothing was done`, {
        field: '--checkpoint',
        suggestions: ['wait for it to finish, or use a different --checkpoint/--shard', 'if no run is active, remove the stale lock'],
      });
    }
  }
  try {
    const run = new WarmRun(options, limits, prepared, stream);
    options.onStart?.({ checkpointNow: (flushWaitMs) => run.checkpointNow(flushWaitMs) });
    return await run.execute();
  } finally {
    await options.lock?.release();
  }
}

class WarmRun {
  private readonly control: RunControl;
  private readonly gate: Gate;
  private readonly conc: ConcurrencyController;
  private bucket: TokenBucket | undefined;
  private readonly rateCtl: AdaptiveRate | undefined;
  private readonly breaker: CircuitBreaker | undefined;
  private readonly latencies = new Latencies();
  private readonly throttle: Throttle;
  private readonly keys: string[];
  private readonly variants: readonly HeaderVariant[];
  private total: number;
  private fingerprintCache: string | undefined;
  private readonly description: string;
  /** Keys still streaming in (copy mode without a checkpoint); undefined once they all arrived or without a stream. */
  private feed: KeyFeed | undefined;
  /** The keys read for the hit ratio before the run (indices), read again after it. */
  private hitSample: number[] | undefined;
  private done: IndexSet;
  private resumed = 0;
  private warmed = 0;
  private alreadyHot = 0;
  private failed = 0;
  private retries = 0;
  private responses = 0;
  private lastTransportError = '';
  private readonly failures: WarmFailure[] = [];
  private failuresTruncated = false;
  private readonly byReason: Record<string, number> = {};
  private readonly verdicts: Record<CacheVerdict, number> = { hit: 0, stale: 0, miss: 0, bypass: 0, unknown: 0 };
  private verify: VerifySummary | undefined;
  private fatal: unknown;
  private phase: 'warm' | 'verify' = 'warm';
  private lastSave: number;
  private pending: { entries: CacheEntry[]; items: number[] } = { entries: [], items: [] };
  private pendingSince = 0;
  private flushChain: Promise<void> = Promise.resolve();
  private queuedFlushes = 0;
  private writeFailed = false;
  /** A checkpoint existed when the run started. */
  private loaded = false;
  /** The store was cleared (the list was finished): nothing may be saved after that. */
  private cleared = false;
  /** The checkpoint was loaded (or there was none): saving now cannot overwrite progress not yet read. */
  private restored = false;
  private readonly measured: { before: HitRatioMeasurement | null; after: HitRatioMeasurement | null } = { before: null, after: null };

  constructor(
    private readonly o: WarmOptions,
    private readonly limits: ResolvedLimits,
    private readonly p: Prepared,
    stream?: AsyncIterable<readonly string[]>,
  ) {
    const clock = o.clock;
    this.control = new RunControl(clock, o.signal, limits.maxDurationMs, limits.abortGraceMs);
    this.conc = limits.adaptive === false ? new FixedConcurrency(limits.concurrency) : new AdaptiveConcurrency(limits.adaptive);
    this.gate = new Gate(() => this.conc.current);
    this.bucket = limits.rate === undefined ? undefined : new TokenBucket(clock, limits.rate, limits.burst);
    this.rateCtl = limits.adaptive === false || p.mode === 'redis-copy' ? undefined : new AdaptiveRate(limits.rate === undefined ? {} : { ceiling: limits.rate });
    this.breaker = limits.breaker === false || p.mode === 'redis-copy' ? undefined : new CircuitBreaker(limits.breaker);
    this.throttle = new Throttle(clock, o.progressIntervalMs ?? 1000);
    this.keys = p.keys.list;
    this.variants = p.variants;
    this.total = this.keys.length * p.variants.length;
    this.done = new IndexSet(this.total);
    if (stream) this.feed = new KeyFeed(stream, p.keys);
    this.lastSave = clock.now();
    const shard = o.shard && o.shard.count > 1 ? formatShard(o.shard) : '';
    this.description = `${p.mode} → ${p.targetId}${shard ? `, shard ${shard}` : ''}`;
  }

  /** The run's fingerprint (checkpoints only; the key list is final by then: streams are read first when there is a store). */
  private get fingerprint(): string {
    this.fingerprintCache ??= runFingerprint({
      mode: this.p.mode,
      target: this.p.targetId,
      details: this.p.details,
      shard: this.o.shard && this.o.shard.count > 1 ? formatShard(this.o.shard) : '',
      keys: this.keys,
      variants: this.p.variants.map(describeVariant),
    });
    return this.fingerprintCache;
  }

  /** Take the next streamed batch of keys; false when there are no more. */
  private async pullKeys(): Promise<boolean> {
    const feed = this.feed;
    if (!feed) return false;
    const more = await feed.pull();
    if (!more) this.feed = undefined;
    this.total = this.keys.length * this.variants.length;
    this.done.grow(this.total);
    return more;
  }

  private get clock(): Clock {
    return this.o.clock;
  }

  async execute(): Promise<WarmResult> {
    const store = this.o.checkpoint;
    let hitRatioBefore: number | null = null;
    let hitRatioAfter: number | null = null;
    if (store) {
      // before the try: a refused checkpoint must not be overwritten
      let restored: IndexSet | null;
      try {
        const loaded = await store.load();
        this.loaded = loaded !== null;
        restored = restoreDone(loaded, { fingerprint: this.fingerprint, total: this.total, description: this.description }, this.o.onCheckpointMismatch ?? 'error');
      } catch (err) {
        this.control.dispose();
        throw err;
      }
      if (restored) {
        this.done = restored;
        this.resumed = restored.count;
      }
    }
    this.restored = true;
    try {
      const t = this.o.target;
      if (t.kind === 'redis') {
        // streaming keys: the sample is the first keys to arrive (SCAN's bucket order spreads them over the keyspace)
        const want = t.hitRatioSample ?? 1000;
        while (want > 0 && this.keys.length < want && this.control.live() && (await this.pullKeys()));
        this.measured.before = await this.sampleHitRatio(t);
        hitRatioBefore = this.measured.before?.ratio ?? null;
      }
      if (t.kind === 'http') await this.runHttp(t);
      else if (t.mode === 'copy') await this.runCopy(t);
      else await this.runOrigin(t);
      if (t.kind === 'http') {
        const cached = this.verdicts.hit + this.verdicts.stale;
        const classified = cached + this.verdicts.miss;
        hitRatioBefore = classified === 0 ? null : cached / classified;
        if (t.verify && this.fatal === undefined && this.control.stoppedBy === undefined) hitRatioAfter = await this.runVerify(t);
      } else if (this.fatal === undefined && this.control.stoppedBy !== 'signal') {
        this.measured.after = await this.sampleHitRatio(t);
        hitRatioAfter = this.measured.after?.ratio ?? null;
      }
    } catch (err) {
      this.setFatal(err);
    } finally {
      await this.feed?.close();
      this.control.dispose();
    }
    return this.finish(hitRatioBefore, hitRatioAfter);
  }

  private async finish(hitRatioBefore: number | null, hitRatioAfter: number | null): Promise<WarmResult> {
    const store = this.o.checkpoint;
    const stoppedBy = this.control.stoppedBy;
    const completed = stoppedBy === undefined && this.fatal === undefined;
    let checkpoint: WarmResult['checkpoint'] = 'none';
    if (store) {
      try {
        if (completed) {
          this.cleared = true;
          await store.clear();
          checkpoint = 'cleared';
        } else {
          await this.flush();
          // nothing done and nothing to resume: writing an empty checkpoint would only get in the way of a changed re-run
          if (this.done.count > 0 || this.loaded) {
            await this.saveCheckpoint();
            checkpoint = 'saved';
          }
        }
      } catch (err) {
        if (this.fatal === undefined && stoppedBy !== 'signal') throw err;
      }
    }
    const result = this.result(hitRatioBefore, hitRatioAfter, checkpoint);
    this.emit({ event: 'done', result });
    if (stoppedBy === 'signal') throw this.o.signal?.reason;
    if (this.fatal !== undefined) throw this.fatal;
    if (stoppedBy === 'breaker') throw this.breakerError(result);
    return result;
  }

  private result(hitRatioBefore: number | null, hitRatioAfter: number | null, checkpoint: WarmResult['checkpoint']): WarmResult {
    const stoppedBy = this.control.stoppedBy;
    const durationMs = this.control.elapsedMs();
    const attempted = this.warmed + this.alreadyHot + this.failed;
    const history = this.conc instanceof AdaptiveConcurrency ? this.conc.history : { low: this.conc.current, high: this.conc.current, decreases: 0 };
    const exitCode: WarmResult['exitCode'] = stoppedBy === 'breaker' ? 4 : this.failed > this.limits.maxFailures ? 1 : 0;
    const result: WarmResult = {
      mode: this.p.mode,
      target: this.p.targetId,
      shard: this.o.shard && this.o.shard.count > 1 ? formatShard(this.o.shard) : null,
      keys: this.keys.length,
      variants: this.variants.length,
      total: this.total,
      resumed: this.resumed,
      attempted,
      warmed: this.warmed,
      alreadyHot: this.alreadyHot,
      failed: this.failed,
      remaining: Math.max(0, this.total - this.done.count - this.failed),
      failures: this.failures,
      failuresTruncated: this.failuresTruncated,
      failuresByReason: this.byReason,
      retries: this.retries,
      durationSeconds: durationMs / 1000,
      ratePerSecond: durationMs > 0 ? attempted / (durationMs / 1000) : 0,
      latencyMs: this.latencies.summary(),
      concurrency: { final: this.conc.current, low: history.low, high: history.high, decreases: history.decreases },
      adaptiveRate:
        this.rateCtl?.limit === undefined
          ? null
          : { final: round3(this.rateCtl.limit), low: round3(this.rateCtl.history.low ?? this.rateCtl.limit), decreases: this.rateCtl.history.decreases },
      breaker: this.breaker ? { open: this.breaker.open, errorRatio: this.breaker.errorRatio, samples: this.breaker.samples } : null,
      hitRatioBefore,
      hitRatioAfter,
      checkpoint,
      exitCode,
    };
    if (this.p.mode === 'http') result.cacheStatus = { ...this.verdicts };
    else result.hitRatioMeasurements = { ...this.measured };
    if (this.verify) result.verify = this.verify;
    if (stoppedBy !== undefined && stoppedBy !== 'error') result.stoppedBy = stoppedBy;
    return result;
  }

  private breakerError(result: WarmResult): Error {
    const b = this.breaker as CircuitBreaker;
    const dependency = this.p.mode === 'http' ? 'http' : 'origin';
    if (this.responses === 0) {
      return new DependencyError(dependency, `${dependency} unreachable: none of ${b.samples} requests got an answer (last error: ${this.lastTransportError}); checkpoint kept`, {
        suggestions: [`check that ${this.p.mode === 'http' ? 'the cache/CDN' : 'the origin'} is up and reachable from here`, 're-run to resume from the checkpoint'],
      });
    }
    const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
    return new WarmStoppedError(
      `circuit breaker opened: ${pct(b.errorRatio)} of the last ${b.samples} ${dependency} requests failed (threshold ${pct(b.threshold)}); stopped after ${result.attempted} of ${this.total - this.resumed} items, checkpoint kept`,
      result,
      ['check the origin\'s health and error logs', 'lower --rate or --concurrency', 're-run to resume from the checkpoint once the origin is healthy'],
    );
  }

  // ------------------------------------------------------------ bookkeeping

  private setFatal(err: unknown): void {
    if (this.fatal === undefined) this.fatal = err;
    this.control.stop('error');
  }

  private emit(event: WarmEvent): void {
    if (!this.o.onProgress) return;
    try {
      this.o.onProgress(event);
    } catch (err) {
      this.setFatal(err);
    }
  }

  private progress(): void {
    if (!this.o.onProgress || !this.throttle.due()) return;
    const finished = this.done.count + this.failed;
    const elapsed = this.control.elapsedMs() / 1000;
    const rate = elapsed > 0 ? (finished - this.resumed) / elapsed : 0;
    this.emit({
      event: 'progress',
      phase: this.phase,
      done: finished,
      total: this.total,
      resumed: this.resumed,
      warmed: this.warmed,
      alreadyHot: this.alreadyHot,
      failed: this.failed,
      retries: this.retries,
      inFlight: this.gate.inFlight,
      concurrency: this.conc.current,
      elapsedSeconds: elapsed,
      ratePerSecond: rate,
      // while keys still stream in, the total is only what arrived so far: no ETA
      etaSeconds: rate > 0 && !this.feed ? Math.max(0, this.total - finished) / rate : null,
    });
  }

  private markHot(item: number): void {
    this.done.add(item);
    this.alreadyHot++;
  }

  private recordFailure(item: number, reason: string, detail?: string): void {
    this.failed++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    if (this.failures.length < (this.o.failureListLimit ?? 100)) {
      const k = this.keys.length;
      const f: WarmFailure = { key: this.keys[item % k] as string, reason };
      if (this.variants.length > 1) f.variant = describeVariant(this.variants[Math.floor(item / k)] as HeaderVariant);
      if (detail !== undefined) f.detail = detail;
      this.failures.push(f);
    } else this.failuresTruncated = true;
    if (this.limits.onMaxFailures === 'stop' && this.failed > this.limits.maxFailures) this.control.stop('max-failures');
  }

  private async saveCheckpoint(): Promise<void> {
    const store = this.o.checkpoint;
    if (!store) return;
    await this.flush();
    this.lastSave = this.clock.now();
    await store.save({
      version: CHECKPOINT_VERSION,
      fingerprint: this.fingerprint,
      description: this.description,
      total: this.total,
      done: this.done.toRanges(),
      doneCount: this.done.count,
      savedAt: this.lastSave,
    });
  }

  private async maybeCheckpoint(): Promise<void> {
    if (this.o.checkpoint && this.clock.now() - this.lastSave >= (this.o.checkpointIntervalMs ?? 5000)) await this.saveCheckpoint();
  }

  /** Indices not yet done, in order, in chunks. */
  private *remainingChunks(size: number): Generator<number[]> {
    let chunk: number[] = [];
    for (let i = 0; i < this.total; i++) {
      if (this.done.has(i)) continue;
      chunk.push(i);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  private *remaining(): Generator<number> {
    for (let i = 0; i < this.total; i++) if (!this.done.has(i)) yield i;
  }

  // ------------------------------------------------------------ the per-item pool

  /** Issue items in order through the gate and the bucket; wait for in-flight work at the end. */
  private async pool(items: AsyncIterable<number> | Iterable<number>, exec: (item: number) => Promise<void>): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const stop = this.control.stopSignal;
    const saveEvery = this.o.checkpointIntervalMs ?? 5000;
    // a plain list is walked without an await per item (one per item adds up at thousands of items a second)
    const sync = Symbol.iterator in items ? (items as Iterable<number>)[Symbol.iterator]() : undefined;
    const async = sync ? undefined : (items as AsyncIterable<number>)[Symbol.asyncIterator]();
    let exhausted = false;
    try {
      for (;;) {
        const next = sync ? sync.next() : await (async as AsyncIterator<number>).next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const item = next.value;
        if (!this.control.live()) break;
        if (this.o.checkpoint && this.clock.now() - this.lastSave >= saveEvery) await this.saveCheckpoint();
        if (this.queuedFlushes > MAX_QUEUED_FLUSHES) await this.flushChain;
        if (!this.gate.tryEnter() && !(await this.gate.enter(stop))) break;
        if (this.bucket) {
          const wait = this.bucket.reserve(1);
          if (wait > 0 && !(await this.control.sleep(wait))) {
            this.bucket.refund(1);
            this.gate.leave();
            break;
          }
        }
        if (!this.control.live()) {
          this.gate.leave();
          break;
        }
        const settle = (): void => {
          this.gate.leave();
          inFlight.delete(task);
          this.progress();
        };
        const task: Promise<void> = exec(item).then(settle, (err: unknown) => {
          this.setFatal(err);
          settle();
        });
        inFlight.add(task);
      }
    } catch (err) {
      this.setFatal(err);
    } finally {
      // stopped early: let an async source clean up, as for-await would
      if (async && !exhausted) await async.return?.()?.catch((err: unknown) => this.setFatal(err));
    }
    await this.control.drain(inFlight);
  }

  /** One request with retries, feeding the breaker, the concurrency controller and the latency record. */
  private async attempt(client: HttpClient, request: HttpRequest, ok: (status: number) => boolean): Promise<AttemptResult> {
    for (let retry = 0; ; retry++) {
      const ticket = this.conc.ticket();
      const t0 = this.clock.now();
      this.rateCtl?.started(t0);
      let response: HttpResponse | undefined;
      let detail: string | undefined;
      const scope = this.control.requestScope();
      try {
        request.timeoutMs = this.limits.timeoutMs;
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
        ? classifyStatus(response.status, response.headers, this.clock.now(), ok)
        : { kind: 'retry', reason: 'transport', overloaded: false, originError: true };
      if (response) this.responses++;
      const latency = response && Number.isFinite(response.durationMs) ? response.durationMs : this.clock.now() - t0;
      this.conc.record(ticket, cls.kind === 'ok' ? { overloaded: false, latencyMs: latency } : { overloaded: cls.kind === 'retry' && cls.overloaded });
      if (this.rateCtl) {
        const next = cls.kind === 'ok' ? this.rateCtl.succeeded(t0) : cls.kind === 'retry' && cls.overloaded ? this.rateCtl.overloaded(t0, this.clock.now()) : undefined;
        if (next !== undefined) this.applyRate(next);
      }
      if (this.breaker && this.breaker.record(cls.kind === 'retry' && cls.originError)) this.control.stop('breaker');
      if (cls.kind === 'ok') {
        this.latencies.add(latency);
        return { kind: 'ok', response: response as HttpResponse };
      }
      if (cls.kind === 'fail') return { kind: 'failed', reason: cls.reason };
      if (retry >= this.limits.retries) return { kind: 'failed', reason: cls.reason, ...(detail !== undefined ? { detail } : {}) };
      if (this.breaker?.open) return { kind: 'abandoned' };
      this.retries++;
      const wait =
        cls.retryAfterMs !== undefined
          ? Math.min(cls.retryAfterMs, this.limits.maxRetryAfterMs)
          : backoffDelayMs(retry, this.o.random, this.limits.backoffBaseMs, this.limits.backoffCapMs);
      if (!(await this.control.sleep(wait))) return { kind: 'abandoned' };
      if (this.bucket) {
        const w = this.bucket.reserve(1);
        if (w > 0 && !(await this.control.sleep(w))) {
          this.bucket.refund(1);
          return { kind: 'abandoned' };
        }
      }
    }
  }

  /** Pace requests at `rate` per second from now on (the adaptive limit changed). */
  private applyRate(rate: number): void {
    if (this.bucket) this.bucket.setRate(rate, this.limits.rate !== undefined && rate >= this.limits.rate ? this.limits.burst : undefined);
    else this.bucket = new TokenBucket(this.clock, rate, Math.max(1, Math.ceil(rate / 10)));
  }

  // ------------------------------------------------------------ redis: origin mode

  private async runOrigin(t: RedisOriginTarget): Promise<void> {
    const template = this.p.originTemplate as KeyTemplate;
    const headers = t.originHeaders ? { ...t.originHeaders } : undefined;
    const batch = t.batchSize ?? 100;
    await this.pool(this.originItems(t, batch), async (item) => {
      const key = this.keys[item] as string;
      const url = renderKeyTemplate(template, { key }, '--origin');
      const out = await this.attempt(t.origin, { method: 'GET', url, ...(headers ? { headers } : {}) }, ok2xx);
      if (out.kind === 'ok') this.bufferWrite(t, item, key, out.response.body ?? Buffer.alloc(0), batch);
      else if (out.kind === 'failed') this.recordFailure(item, out.reason, out.detail);
    });
    await this.flush();
  }

  /** Items to fetch: keys not done, minus those already in the cache (checked a batch ahead). */
  private async *originItems(t: RedisOriginTarget, batch: number): AsyncGenerator<number> {
    if (t.refresh) {
      yield* this.remaining();
      return;
    }
    const check = (chunk: number[]): Promise<boolean[]> => {
      const p = t.cache.existsMany(chunk.map((i) => this.keys[i] as string));
      p.catch(() => undefined); // observed below; may be abandoned when the run stops
      return p;
    };
    const chunks = this.remainingChunks(batch);
    let cur = chunks.next();
    let exists = cur.done ? undefined : check(cur.value);
    while (!cur.done) {
      if (!this.control.live()) return;
      await this.maybeCheckpoint();
      const chunk = cur.value;
      const present = await (exists as Promise<boolean[]>);
      cur = chunks.next();
      exists = cur.done ? undefined : check(cur.value);
      for (let j = 0; j < chunk.length; j++) {
        const item = chunk[j] as number;
        if (present[j]) this.markHot(item);
        else yield item;
      }
      this.progress();
    }
  }

  private bufferWrite(t: RedisOriginTarget, item: number, key: string, value: Buffer, batch: number): void {
    const now = this.clock.now();
    if (this.pending.items.length === 0) this.pendingSince = now;
    const entry: CacheEntry = { key, value };
    if (this.p.ttl) entry.ttlSeconds = jitteredTtl(this.p.ttl.seconds, this.p.ttl.jitter, this.o.random);
    this.pending.entries.push(entry);
    this.pending.items.push(item);
    if (this.pending.items.length >= batch || now - this.pendingSince >= FLUSH_INTERVAL_MS) void this.flushTo(t.cache);
  }

  /** Write buffered values (origin mode); serialised, so batches land in order. */
  private flush(): Promise<void> {
    const t = this.o.target;
    return t.kind === 'redis' && t.mode === 'origin' ? this.flushTo(t.cache) : this.flushChain;
  }

  private flushTo(cache: KeyValueCache): Promise<void> {
    if (this.pending.items.length === 0) return this.flushChain;
    const batch = this.pending;
    this.pending = { entries: [], items: [] };
    this.queuedFlushes++;
    this.flushChain = this.flushChain.then(async () => {
      try {
        // after a failed write, later writes are skipped (the values are refetched on resume);
        // after any other error, values already fetched are still written
        if (this.writeFailed) return;
        await cache.setMany(batch.entries);
        for (const i of batch.items) this.done.add(i);
        this.warmed += batch.items.length;
      } catch (err) {
        this.writeFailed = true;
        this.setFatal(err);
      } finally {
        this.queuedFlushes--;
      }
    });
    return this.flushChain;
  }

  // ------------------------------------------------------------ redis: copy mode

  private async runCopy(t: RedisCopyTarget): Promise<void> {
    const batch = t.batchSize ?? 1000;
    const depth = Math.max(1, t.pipelineDepth ?? 4);
    const copier = copierOf(t.cache, t.from);
    const inFlight: Array<Promise<void>> = [];
    try {
      for await (const chunk of this.copyChunks(batch)) {
        if (!this.control.live()) break;
        await this.maybeCheckpoint();
        if (this.bucket) {
          const wait = this.bucket.reserve(chunk.length);
          if (wait > 0 && !(await this.control.sleep(wait))) {
            this.bucket.refund(chunk.length);
            break;
          }
        }
        const work = copier ? this.copyChunkWith(copier, t, chunk) : this.copyChunk(t, chunk);
        inFlight.push(work.catch((err: unknown) => this.setFatal(err)));
        if (inFlight.length >= depth) await inFlight.shift();
      }
    } catch (err) {
      this.setFatal(err);
    }
    await this.control.drain(inFlight);
  }

  /** Items not yet done, in order, in chunks; streamed keys are pulled in as the list runs out. */
  private async *copyChunks(size: number): AsyncGenerator<number[]> {
    let chunk: number[] = [];
    let i = 0;
    for (;;) {
      for (; i < this.total; i++) {
        if (this.done.has(i)) continue;
        chunk.push(i);
        if (chunk.length === size) {
          yield chunk;
          chunk = [];
        }
      }
      if (!this.control.live() || !(await this.pullKeys())) break;
    }
    if (chunk.length > 0) yield chunk;
  }

  /** Copy one batch through the target's copier: values and TTLs never pass through the engine. */
  private async copyChunkWith(copier: CacheCopier, t: RedisCopyTarget, chunk: number[]): Promise<void> {
    const t0 = this.clock.now();
    const n = chunk.length;
    const keys = new Array<string>(n);
    for (let j = 0; j < n; j++) keys[j] = this.keys[chunk[j] as number] as string;
    let ttlSeconds: number[] | undefined;
    if (this.p.ttl) {
      ttlSeconds = new Array<number>(n);
      for (let j = 0; j < n; j++) ttlSeconds[j] = jitteredTtl(this.p.ttl.seconds, this.p.ttl.jitter, this.o.random);
    }
    const out = await copier.copy(keys, { overwrite: t.refresh === true, ...(ttlSeconds ? { ttlSeconds } : {}) });
    for (let j = 0; j < n; j++) {
      const item = chunk[j] as number;
      const outcome = out[j];
      if (outcome === COPY_WRITTEN) {
        this.done.add(item);
        this.warmed++;
      } else if (outcome === COPY_PRESENT) this.markHot(item);
      else this.recordFailure(item, 'missing-in-source');
    }
    this.latencies.add(this.clock.now() - t0);
    this.progress();
  }

  private async copyChunk(t: RedisCopyTarget, chunk: number[]): Promise<void> {
    const t0 = this.clock.now();
    let items = chunk;
    let keys = chunk.map((i) => this.keys[i] as string);
    if (!t.refresh) {
      const present = await t.cache.existsMany(keys);
      const k2: string[] = [];
      const i2: number[] = [];
      for (let j = 0; j < keys.length; j++) {
        if (present[j]) this.markHot(items[j] as number);
        else {
          k2.push(keys[j] as string);
          i2.push(items[j] as number);
        }
      }
      keys = k2;
      items = i2;
    }
    if (keys.length > 0) {
      const keepTtl = this.p.ttl === undefined;
      const [values, ttls] = await Promise.all([t.from.getMany(keys), keepTtl ? t.from.ttlMany(keys) : undefined]);
      const entries: CacheEntry[] = [];
      const copied: number[] = [];
      for (let j = 0; j < keys.length; j++) {
        const value = values[j];
        const ttl = ttls?.[j];
        // absent, or expired between GET and TTL: writing it would resurrect it without a TTL
        if (value === null || value === undefined || ttl === -2) {
          this.recordFailure(items[j] as number, 'missing-in-source');
          continue;
        }
        const entry: CacheEntry = { key: keys[j] as string, value };
        if (this.p.ttl) entry.ttlSeconds = jitteredTtl(this.p.ttl.seconds, this.p.ttl.jitter, this.o.random);
        else if (ttl !== undefined && ttl >= 0) entry.ttlSeconds = Math.max(1, ttl);
        entries.push(entry);
        copied.push(items[j] as number);
      }
      if (entries.length > 0) await t.cache.setMany(entries);
      for (const i of copied) this.done.add(i);
      this.warmed += copied.length;
    }
    this.latencies.add(this.clock.now() - t0);
    this.progress();
  }

  // ------------------------------------------------------------ hit ratio (redis)

  /**
   * Read an even sample of the run's keys (getMany) between two `stats()`
   * calls; the keyspace hit/miss deltas give the hit ratio (see
   * HitRatioMeasurement). A cache whose stats fail falls back to the
   * sample's own count.
   */
  private async sampleHitRatio(t: RedisOriginTarget | RedisCopyTarget): Promise<HitRatioMeasurement | null> {
    const sample = (this.hitSample ??= evenSample(this.keys.length, t.hitRatioSample ?? 1000));
    if (sample.length === 0) return null;
    const stats = (): Promise<{ hits: number; misses: number } | null> => t.cache.stats().then(
      (s) => ({ hits: s.hits, misses: s.misses }),
      () => null,
    );
    const before = await stats();
    let present = 0;
    for (let i = 0; i < sample.length; i += 1000) {
      const keys = sample.slice(i, i + 1000).map((j) => this.keys[j] as string);
      for (const v of await t.cache.getMany(keys)) if (v !== null) present++;
    }
    const after = before ? await stats() : null;
    const own = present / sample.length;
    if (!before || !after) return { method: 'sample', sampled: sample.length, present, keyspaceHits: null, keyspaceMisses: null, exact: false, ratio: own };
    const dh = after.hits - before.hits;
    const dm = after.misses - before.misses;
    const exact = dh === present && dm === sample.length - present;
    // deltas that do not even cover the sample (counters reset, a proxy without INFO): use the sample's own count
    const usable = dh >= 0 && dm >= 0 && dh + dm >= sample.length;
    return {
      method: usable ? 'info-delta' : 'sample',
      sampled: sample.length,
      present,
      keyspaceHits: dh,
      keyspaceMisses: dm,
      exact,
      ratio: usable ? dh / (dh + dm) : own,
    };
  }

  /** See WarmHandle.checkpointNow. */
  async checkpointNow(flushWaitMs = 2000): Promise<boolean> {
    const store = this.o.checkpoint;
    if (!store || this.cleared || !this.restored) return false;
    const timer = new AbortController();
    await Promise.race([this.flushChain, this.clock.sleep(flushWaitMs, timer.signal).catch(() => undefined)]);
    timer.abort();
    if (this.cleared) return false;
    await store.save({
      version: CHECKPOINT_VERSION,
      fingerprint: this.fingerprint,
      description: this.description,
      total: this.total,
      done: this.done.toRanges(),
      doneCount: this.done.count,
      savedAt: this.clock.now(),
    });
    return true;
  }

  // ------------------------------------------------------------ http

  private url(t: HttpTarget, keyIndex: number): string {
    return resolveUrl(this.keys[keyIndex] as string, t.baseUrl);
  }

  /** Per variant: the request headers (the target's, then the variant's); undefined when there are none. */
  private variantHeaders: Array<Record<string, string> | undefined> | undefined;

  private request(t: HttpTarget, item: number): HttpRequest {
    // variant-major: every URL once with the first variant, then again with the next, so two
    // variants of one URL are never in flight together (a cache that ignores the header would
    // send both to the origin)
    const k = this.keys.length;
    const v = Math.floor(item / k);
    const all = (this.variantHeaders ??= this.variants.map((variant) => {
      const headers = { ...(t.headers ?? {}), ...variant };
      return Object.keys(headers).length > 0 ? headers : undefined;
    }));
    const req: HttpRequest = { method: t.method ?? 'GET', url: this.url(t, item % k), readBody: t.readBody ?? false };
    const headers = all[v];
    if (headers) req.headers = { ...headers }; // a copy per request: a client may add to it
    return req;
  }

  private async runHttp(t: HttpTarget): Promise<void> {
    await this.pool(this.remaining(), async (item) => {
      const out = await this.attempt(t.http, this.request(t, item), ok2xx3xx);
      if (out.kind === 'ok') {
        const verdict = classifyCacheStatus(out.response.headers).verdict;
        this.verdicts[verdict]++;
        this.done.add(item);
        if (isCached(verdict)) this.alreadyHot++;
        else this.warmed++;
      } else if (out.kind === 'failed') this.recordFailure(item, out.reason, out.detail);
    });
  }

  /** Re-request (all or an even sample of) the items once each; HIT share of the classified answers. */
  private async runVerify(t: HttpTarget): Promise<number | null> {
    this.phase = 'verify';
    const v: VerifySummary = { requests: 0, hit: 0, stale: 0, miss: 0, bypass: 0, unknown: 0, errors: 0 };
    this.verify = v;
    const items = evenSample(this.total, t.verify === true ? this.total : (t.verify as { sample: number }).sample);
    await this.pool(items, async (item) => {
      v.requests++;
      const scope = this.control.requestScope();
      try {
        const req = this.request(t, item);
        req.timeoutMs = this.limits.timeoutMs;
        req.signal = scope.signal;
        const res = await t.http.request(req);
        if (ok2xx3xx(res.status)) v[classifyCacheStatus(res.headers).verdict]++;
        else v.errors++;
      } catch {
        v.errors++;
      } finally {
        scope.release();
      }
    });
    const cached = v.hit + v.stale;
    return cached + v.miss === 0 ? null : cached / (cached + v.miss);
  }
}
