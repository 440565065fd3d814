/**
 * Gradual invalidation for `relia cache invalidate`: delete keys chosen by a
 * glob pattern (SCAN, never KEYS) or by list, in small batches scheduled
 * evenly on the injected clock — over a duration (`--over 10m`) or at a rate
 * — so the origin sees a ramp of misses instead of a cliff. Optionally
 * re-warms each key after its batch is deleted. `planInvalidation` is the
 * dry run. Pure.
 */
import type { ExpiringCache, KeyValueCache } from '../../ports/cache.js';
import type { Clock, Random } from '../../ports/clock.js';
import type { HttpClient } from '../../ports/http.js';
import { checkOriginTemplate } from './origin-template.js';
import { InputError } from '../errors.js';
import { Throttle } from './run.js';
import { parseKeyTemplate, renderKeyTemplate } from './sources.js';
import { jitteredTtl } from './warm.js';

export interface InvalidateSelection {
  /** Glob pattern for SCAN MATCH, e.g. `title:*`. */
  pattern?: string;
  /** Or an explicit list of keys. */
  keys?: readonly string[];
}

/** Optional capability of a cache: set a TTL on existing keys (the port, src/ports/cache.ts). */
export type { ExpiringCache };

/** True when the cache can set TTLs (the Redis adapter can; a plugin's cache may not). */
export function canExpire(cache: KeyValueCache): cache is KeyValueCache & ExpiringCache {
  return typeof (cache as Partial<ExpiringCache>).expireMany === 'function';
}

export interface InvalidatePacing {
  /** Spread the deletions evenly over this many seconds (the keys are collected first to count them). */
  overSeconds?: number;
  /** Or delete this many keys per second (a pattern is streamed from SCAN). */
  rate?: number;
  /** Largest batch per deleteMany. Default 100. */
  maxBatch?: number;
  /** Shortest gap between batches, ms: pacing uses the smallest batches this allows. Default 50. */
  minIntervalMs?: number;
  /** SCAN COUNT hint. Default 1000. */
  scanBatch?: number;
}

export interface InvalidateOptions extends InvalidateSelection, InvalidatePacing {
  cache: KeyValueCache;
  /**
   * Expire instead of delete: give each key this TTL (seconds) when its
   * batch comes up, so it keeps serving a little longer and the misses
   * arrive as paced as deletes would, shifted by the TTL. Needs a cache
   * that can set TTLs (`canExpire`); not with `rewarm`.
   */
  expireSeconds?: number;
  clock: Clock;
  signal?: AbortSignal;
  /** Called for each key after the batch holding it was deleted (e.g. re-warm from the origin). Failures are counted, not fatal. */
  rewarm?: (key: string) => Promise<void>;
  onProgress?: (event: InvalidateEvent) => void;
  /** Default 1000 ms of clock time. */
  progressIntervalMs?: number;
  /** Default 100. */
  failureListLimit?: number;
}

export interface InvalidateProgress {
  event: 'progress';
  /** Keys processed so far. */
  done: number;
  /** Known in advance for a list or with `overSeconds`; null when streaming a pattern. */
  total: number | null;
  deleted: number;
  expired: number;
  batches: number;
  elapsedSeconds: number;
}

export type InvalidateEvent = InvalidateProgress | { event: 'done'; result: InvalidateResult };

export interface InvalidateResult {
  selection: 'pattern' | 'keys';
  pattern?: string;
  /** `delete`, or `expire` with `expireSeconds`. */
  action: 'delete' | 'expire';
  expireSeconds?: number;
  /** Keys selected (pattern matches, or the deduplicated list). */
  matched: number;
  /** Keys that existed and were deleted. */
  deleted: number;
  /** Keys that existed and were given the TTL (expire). */
  expired: number;
  batches: number;
  /** Largest batch size and the gap between batch starts, ms (0: unpaced). */
  batchSize: number;
  intervalMs: number;
  durationSeconds: number;
  rewarmed: number;
  rewarmFailed: number;
  failures: Array<{ key: string; reason: string }>;
  stoppedBy?: 'signal';
}

export interface InvalidationPlan {
  selection: 'pattern' | 'keys';
  pattern?: string;
  action: 'delete' | 'expire';
  /** Keys that would be deleted. */
  count: number;
  /** For a list: how many exist now. For a pattern every match exists. */
  existing: number;
  /** First keys (SCAN order for a pattern). */
  sample: string[];
  batches: number;
  batchSize: number;
  intervalMs: number;
  /** Time the paced run would take. */
  estimatedSeconds: number;
}

interface Schedule {
  /** Keys in batch k. */
  size(k: number): number;
  /** Start of batch k, ms after the run starts. */
  offsetMs(k: number): number;
  batchSize: number;
  intervalMs: number;
  /** Number of batches for `n` keys (the plan's count). */
  batchesFor(n: number): number;
}

function validate(o: InvalidateSelection & InvalidatePacing & { cache?: KeyValueCache; expireSeconds?: number; rewarm?: unknown }): void {
  if (o.expireSeconds !== undefined) {
    if (!(Number.isFinite(o.expireSeconds) && o.expireSeconds >= 1)) {
      throw new InputError(`--expire: expected a TTL of at least 1 s, got ${o.expireSeconds} s`, { field: '--expire', suggestions: ['--expire 60s'] });
    }
    if (o.rewarm !== undefined) {
      throw new InputError('--expire and --rewarm do not go together: an expiring key is still cached, so there is nothing to re-warm yet', {
        field: '--rewarm',
        suggestions: ['drop --rewarm, or drop --expire to delete and re-warm each key'],
      });
    }
    if (o.cache && !canExpire(o.cache)) {
      throw new InputError(`--expire: the ${o.cache.kind} cache provider cannot set TTLs`, { field: '--expire', suggestions: ['delete instead (leave out --expire)'] });
    }
  }
  const hasPattern = o.pattern !== undefined;
  if (hasPattern === (o.keys !== undefined)) {
    throw new InputError('choose the keys with either --pattern or --source, not both or neither', {
      field: '--pattern',
      suggestions: ["--pattern 'title:*'", '--source keys.txt'],
    });
  }
  if (hasPattern && (o.pattern as string).trim() === '') {
    throw new InputError('--pattern: must not be empty', { field: '--pattern', suggestions: ["--pattern 'title:*'"] });
  }
  if (o.overSeconds !== undefined && o.rate !== undefined) {
    throw new InputError('pace with either --over or --rate, not both', { field: '--over', suggestions: ['--over 10m', '--rate 200/s'] });
  }
  if (o.overSeconds !== undefined && !(Number.isFinite(o.overSeconds) && o.overSeconds > 0)) {
    throw new InputError(`--over: expected a duration above zero, got ${o.overSeconds} s`, { field: '--over', suggestions: ['--over 10m'] });
  }
  if (o.rate !== undefined && !(Number.isFinite(o.rate) && o.rate > 0)) {
    throw new InputError(`--rate: expected a rate above zero, got ${o.rate}`, { field: '--rate', suggestions: ['--rate 200/s'] });
  }
  const maxBatch = o.maxBatch ?? 100;
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1)) {
    throw new InputError(`--batch: expected a whole number ≥ 1, got ${maxBatch}`, { field: '--batch', suggestions: ['--batch 100'] });
  }
}

/**
 * The pacing schedule. Over a duration: B = max(⌈n / maxBatch⌉, min(n, ⌊over / minInterval⌋))
 * batches, batch k holding keys ⌊k·n/B⌋…⌊(k+1)·n/B⌋ and starting at k·over/B.
 * At a rate r: batches of b = clamp(round(r · minInterval), 1, maxBatch) keys
 * every b / r seconds. Neither: maxBatch keys back to back.
 */
function schedule(count: number | null, p: InvalidatePacing): Schedule {
  const maxBatch = p.maxBatch ?? 100;
  const minInterval = p.minIntervalMs ?? 50;
  if (
    p.overSeconds !== undefined &&
    // Stryker disable next-line ConditionalExpression: equivalent, with overSeconds the count is always known (a pattern is collected first)
    count !== null
  ) {
    const overMs = p.overSeconds * 1000;
    const n = count;
    const batches = Math.max(Math.ceil(n / maxBatch), Math.min(n, Math.floor(overMs / minInterval)));
    const start = (k: number): number => Math.floor((k * n) / batches);
    return {
      size: (k) => start(k + 1) - start(k),
      offsetMs: (k) => (k * overMs) / batches,
      batchSize: batches === 0 ? 0 : Math.ceil(n / batches),
      intervalMs: batches === 0 ? 0 : overMs / batches,
      batchesFor: () => batches,
    };
  }
  if (p.rate !== undefined) {
    const b = Math.min(maxBatch, Math.max(1, Math.round((p.rate * minInterval) / 1000)));
    const interval = (b / p.rate) * 1000;
    return { size: () => b, offsetMs: (k) => k * interval, batchSize: b, intervalMs: interval, batchesFor: (n) => Math.ceil(n / b) };
  }
  return { size: () => maxBatch, offsetMs: () => 0, batchSize: maxBatch, intervalMs: 0, batchesFor: (n) => Math.ceil(n / maxBatch) };
}

/** Distinct keys matching a pattern, streamed from SCAN in the order it returns them. */
async function* scanDistinct(cache: KeyValueCache, pattern: string, batch: number, signal?: AbortSignal): AsyncGenerator<string> {
  const seen = new Set<string>();
  for await (const keys of cache.scan(pattern, { batch, ...(signal ? { signal } : {}) })) {
    for (const k of keys) {
      if (seen.has(k)) continue; // SCAN may return a key twice
      seen.add(k);
      yield k;
    }
  }
}

function distinct(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

/** Dry run: what `invalidate` would delete and how it would be paced. Deletes nothing. */
export async function planInvalidation(
  o: InvalidateSelection & InvalidatePacing & { cache: KeyValueCache; expireSeconds?: number; sampleSize?: number; signal?: AbortSignal },
): Promise<InvalidationPlan> {
  validate(o);
  const sampleSize = o.sampleSize ?? 20;
  let keys: string[];
  let existing: number;
  if (o.pattern !== undefined) {
    keys = await collect(scanDistinct(o.cache, o.pattern, o.scanBatch ?? 1000, o.signal));
    existing = keys.length;
  } else {
    keys = distinct(o.keys as readonly string[]);
    existing = 0;
    for (let i = 0; i < keys.length; i += 1000) {
      for (const e of await o.cache.existsMany(keys.slice(i, i + 1000))) if (e) existing++;
    }
  }
  const s = schedule(keys.length, o);
  const batches = s.batchesFor(keys.length);
  const estimatedMs = o.overSeconds !== undefined ? (keys.length > 0 ? o.overSeconds * 1000 : 0) : batches > 0 ? s.offsetMs(batches - 1) : 0;
  const plan: InvalidationPlan = {
    selection: o.pattern !== undefined ? 'pattern' : 'keys',
    action: o.expireSeconds === undefined ? 'delete' : 'expire',
    count: keys.length,
    existing,
    sample: keys.slice(0, sampleSize),
    batches,
    batchSize: s.batchSize,
    intervalMs: s.intervalMs,
    estimatedSeconds: estimatedMs / 1000,
  };
  if (o.pattern !== undefined) plan.pattern = o.pattern;
  return plan;
}

/**
 * Delete the selected keys, paced. Aborting stops between batches (the batch
 * in flight completes), emits the `done` event and rethrows the signal's
 * reason. Cache errors propagate (DependencyError from the adapter, exit 3).
 */
export async function invalidate(o: InvalidateOptions): Promise<InvalidateResult> {
  validate(o);
  if (o.signal?.aborted) throw o.signal.reason;
  const clock = o.clock;
  const started = clock.now();
  const throttle = new Throttle(clock, o.progressIntervalMs ?? 1000);
  const limit = o.failureListLimit ?? 100;

  // A known count is needed to spread over a duration: collect a pattern's keys first.
  let source: AsyncIterable<string> | Iterable<string>;
  let total: number | null;
  if (o.pattern === undefined) {
    const keys = distinct(o.keys as readonly string[]);
    source = keys;
    total = keys.length;
  } else if (o.overSeconds !== undefined) {
    const keys = await collect(scanDistinct(o.cache, o.pattern, o.scanBatch ?? 1000, o.signal));
    source = keys;
    total = keys.length;
  } else {
    source = scanDistinct(o.cache, o.pattern, o.scanBatch ?? 1000, o.signal);
    total = null;
  }
  const s = schedule(total, o);

  const result: InvalidateResult = {
    selection: o.pattern !== undefined ? 'pattern' : 'keys',
    action: o.expireSeconds === undefined ? 'delete' : 'expire',
    matched: 0,
    deleted: 0,
    expired: 0,
    batches: 0,
    batchSize: s.batchSize,
    intervalMs: s.intervalMs,
    durationSeconds: 0,
    rewarmed: 0,
    rewarmFailed: 0,
    failures: [],
  };
  if (o.pattern !== undefined) result.pattern = o.pattern;
  if (o.expireSeconds !== undefined) result.expireSeconds = o.expireSeconds;
  const expireSeconds = o.expireSeconds;
  const expirer = expireSeconds !== undefined && canExpire(o.cache) ? o.cache : undefined;
  const emit = (event: InvalidateEvent): void => o.onProgress?.(event);

  const runBatch = async (batch: string[]): Promise<boolean> => {
    const wait = started + s.offsetMs(result.batches) - clock.now();
    if (wait > 0) {
      try {
        await clock.sleep(wait, o.signal);
      } catch {
        // sleep rejects only when the signal aborts (the Clock port): the check below stops the run
      }
    }
    if (o.signal?.aborted) return false;
    if (expirer) result.expired += await expirer.expireMany(batch, expireSeconds as number);
    else result.deleted += await o.cache.deleteMany(batch);
    result.batches++;
    if (o.rewarm) {
      const rewarm = o.rewarm;
      await Promise.all(
        batch.map((key) =>
          rewarm(key).then(
            () => {
              result.rewarmed++;
            },
            (err: unknown) => {
              result.rewarmFailed++;
              if (result.failures.length < limit) result.failures.push({ key, reason: `rewarm: ${err instanceof Error ? err.message : String(err)}` });
            },
          ),
        ),
      );
    }
    if (o.onProgress && throttle.due()) {
      emit({ event: 'progress', done: result.matched, total, deleted: result.deleted, expired: result.expired, batches: result.batches, elapsedSeconds: (clock.now() - started) / 1000 });
    }
    return true;
  };

  let stopped = false;
  let batch: string[] = [];
  try {
    for await (const key of source) {
      batch.push(key);
      result.matched++;
      if (batch.length >= s.size(result.batches)) {
        if (!(await runBatch(batch))) {
          result.matched -= batch.length;
          stopped = true;
          break;
        }
        batch = [];
      }
    }
    if (!stopped && batch.length > 0 && !(await runBatch(batch))) {
      result.matched -= batch.length;
      stopped = true;
    }
  } catch (err) {
    if (!o.signal?.aborted) throw err;
    stopped = true; // the scan was cancelled by the signal
  }
  result.durationSeconds = (clock.now() - started) / 1000;
  if (stopped) result.stoppedBy = 'signal';
  emit({ event: 'done', result });
  // Stryker disable next-line OptionalChaining: equivalent, `stopped` is only ever set when the signal has aborted
  if (stopped) throw o.signal?.reason;
  return result;
}

export interface OriginRewarmOptions {
  cache: KeyValueCache;
  origin: HttpClient;
  /** `http://origin/items/{key}`; the key is percent-encoded. */
  originUrl: string;
  ttlSeconds?: number;
  /** Default 0.1 with a TTL. */
  ttlJitter?: number;
  random: Random;
  timeoutMs?: number;
  signal?: AbortSignal;
  headers?: Readonly<Record<string, string>>;
}

/**
 * The `rewarm` callback of `invalidate` for Redis: GET the key's value from
 * the origin and SET it (with the jittered TTL). One attempt; a non-2xx
 * answer or a transport error rejects, and `invalidate` counts it.
 */
export function originRewarmer(o: OriginRewarmOptions): (key: string) => Promise<void> {
  checkOriginTemplate(o.originUrl, '--origin');
  const template = parseKeyTemplate(o.originUrl, '--origin', ['key']);
  // (checkOriginTemplate has already required an http:// or https:// scheme)
  if (template.placeholders.length !== 1) {
    throw new InputError(`--origin: expected an http(s) URL template with only {key}, got ${JSON.stringify(o.originUrl)}`, {
      field: '--origin',
      suggestions: ['--origin http://origin.internal/items/{key}'],
    });
  }
  const jitter = o.ttlJitter ?? 0.1;
  return async (key) => {
    // Stryker disable next-line StringLiteral: equivalent, the template holds only {key} and the key is a string, so rendering cannot fail
    const url = renderKeyTemplate(template, { key }, '--origin');
    const res = await o.origin.request({
      method: 'GET',
      url,
      ...(o.headers ? { headers: { ...o.headers } } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`http ${res.status}`);
    await o.cache.setMany([{ key, value: res.body ?? Buffer.alloc(0), ...(o.ttlSeconds !== undefined ? { ttlSeconds: jitteredTtl(o.ttlSeconds, jitter, o.random) } : {}) }]);
  };
}
