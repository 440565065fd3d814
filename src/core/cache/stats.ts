/**
 * `relia cache stats`: server counters from KeyValueCache.stats() plus a
 * SCAN sample of key names broken down by prefix. Pure.
 */
import type { CacheStats, KeyValueCache } from '../../ports/cache.js';
import type { Clock } from '../../ports/clock.js';
import { InputError } from '../errors.js';

export interface CacheStatsOptions {
  cache: KeyValueCache;
  /** Keys to sample with SCAN. Default 1000; 0 skips the prefix breakdown. */
  sampleSize?: number;
  /** SCAN MATCH pattern. Default `*`. */
  pattern?: string;
  /** Prefix = the first `depth` segments split on `separator`. Defaults `:` and 1. */
  separator?: string;
  depth?: number;
  /** Prefixes listed. Default 10. */
  top?: number;
  /** SCAN COUNT hint. Default 1000. */
  scanBatch?: number;
  signal?: AbortSignal;
  /**
   * Also measure the counters' change over this many seconds (two reads,
   * `clock.sleep` between): the hit ratio *now*, rather than since the
   * server's counters were last reset. Needs `clock`.
   */
  windowSeconds?: number;
  clock?: Clock;
}

/** Counter deltas over `--window`. */
export interface StatsWindow {
  seconds: number;
  hits: number;
  misses: number;
  /** hits ÷ (hits + misses) in the window; null without lookups. */
  hitRatio: number | null;
  /** Lookups per second in the window. */
  lookupsPerSecond: number;
  evictedKeys: number;
  expiredKeys: number;
}

export interface PrefixCount {
  /** e.g. `title:`; keys without the separator are grouped as `(no prefix)`. */
  prefix: string;
  /** Keys with the prefix in the sample. */
  sampleCount: number;
  /** sampleCount ÷ sample size. */
  share: number;
  /** Keys with the prefix in the keyspace: exact when the sample is the whole match set, else share × keyspace keys; null when not extrapolable. */
  estimatedKeys: number | null;
}

export interface CacheStatsReport {
  kind: string;
  hits: number;
  misses: number;
  /** hits ÷ (hits + misses) since the server's counters were reset; null before any lookup. */
  hitRatio: number | null;
  evictedKeys: number;
  expiredKeys: number;
  memory: { usedBytes: number; maxBytes: number; usedPercent: number | null };
  keys: number;
  sample: {
    pattern: string;
    size: number;
    /** True when SCAN ended before the sample was full: the counts are exact. */
    complete: boolean;
  };
  prefixes: PrefixCount[];
  /** Deltas over `windowSeconds`; null when not asked for. */
  window: StatsWindow | null;
}

export const NO_PREFIX = '(no prefix)';

/** The prefix of a key: its first `depth` segments and the separator after them. */
export function keyPrefix(key: string, separator = ':', depth = 1): string {
  let at = -1;
  for (let d = 0; d < depth; d++) {
    const next = key.indexOf(separator, at + 1);
    if (next < 0) break;
    at = next;
  }
  return at < 0 ? NO_PREFIX : key.slice(0, at + separator.length);
}

/**
 * Read the server's counters and sample up to `sampleSize` distinct key names
 * with SCAN (stopping early, never KEYS). The prefix estimate extrapolates the
 * sample's shares to the keyspace's key count when the pattern is `*`; SCAN
 * walks the hash table in bucket order, which is close to a random sample of
 * names but not exactly one (see docs/cache.md).
 */
export async function cacheStats(o: CacheStatsOptions): Promise<CacheStatsReport> {
  const first = await o.cache.stats();
  let window: StatsWindow | null = null;
  let s: CacheStats = first;
  if (o.windowSeconds !== undefined) {
    if (!(Number.isFinite(o.windowSeconds) && o.windowSeconds > 0) || !o.clock) {
      throw new InputError(`--window: expected a duration above zero, got ${o.windowSeconds} s`, { field: '--window', suggestions: ['--window 30s'] });
    }
    await o.clock.sleep(o.windowSeconds * 1000, o.signal);
    s = await o.cache.stats();
    const hits = Math.max(0, s.hits - first.hits);
    const misses = Math.max(0, s.misses - first.misses);
    window = {
      seconds: o.windowSeconds,
      hits,
      misses,
      hitRatio: hits + misses > 0 ? hits / (hits + misses) : null,
      lookupsPerSecond: (hits + misses) / o.windowSeconds,
      evictedKeys: Math.max(0, s.evictedKeys - first.evictedKeys),
      expiredKeys: Math.max(0, s.expiredKeys - first.expiredKeys),
    };
  }
  const pattern = o.pattern ?? '*';
  const sampleSize = o.sampleSize ?? 1000;
  const separator = o.separator ?? ':';
  const depth = Math.max(1, o.depth ?? 1);
  const seen = new Set<string>();
  let complete = false;
  if (sampleSize > 0) {
    let exhausted = true;
    for await (const keys of o.cache.scan(pattern, { batch: o.scanBatch ?? 1000, ...(o.signal ? { signal: o.signal } : {}) })) {
      for (const k of keys) {
        if (seen.size >= sampleSize) break;
        seen.add(k);
      }
      if (seen.size >= sampleSize) {
        exhausted = false;
        break;
      }
    }
    complete = exhausted;
  }
  const counts = new Map<string, number>();
  for (const k of seen) {
    const p = keyPrefix(k, separator, depth);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const n = seen.size;
  const prefixes = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.top ?? 10)
    .map(([prefix, count]): PrefixCount => ({
      prefix,
      sampleCount: count,
      share: count / n,
      estimatedKeys: complete ? count : pattern === '*' ? Math.round((count / n) * s.keys) : null,
    }));
  const lookups = s.hits + s.misses;
  return {
    kind: o.cache.kind,
    hits: s.hits,
    misses: s.misses,
    hitRatio: lookups > 0 ? s.hits / lookups : null,
    evictedKeys: s.evictedKeys,
    expiredKeys: s.expiredKeys,
    memory: { usedBytes: s.usedMemoryBytes, maxBytes: s.maxMemoryBytes, usedPercent: s.maxMemoryBytes > 0 ? (s.usedMemoryBytes / s.maxMemoryBytes) * 100 : null },
    keys: s.keys,
    sample: { pattern, size: n, complete },
    prefixes,
    window,
  };
}
