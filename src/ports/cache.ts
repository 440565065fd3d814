/** The key-value cache port (Redis and anything shaped like it). */

export interface CacheEntry {
  key: string;
  value: Buffer;
  /** Seconds; omitted means no expiry. */
  ttlSeconds?: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  evictedKeys: number;
  expiredKeys: number;
  usedMemoryBytes: number;
  /** 0 when the server has no limit. */
  maxMemoryBytes: number;
  keys: number;
}

export interface KeyValueCache {
  readonly kind: string;
  /** Values in key order; null where absent. */
  getMany(keys: readonly string[]): Promise<Array<Buffer | null>>;
  /** Which keys exist, in key order. */
  existsMany(keys: readonly string[]): Promise<boolean[]>;
  /** Write all entries (pipelined where the backend can). */
  setMany(entries: readonly CacheEntry[]): Promise<void>;
  /** Remaining TTL per key in seconds: -1 no expiry, -2 absent. */
  ttlMany(keys: readonly string[]): Promise<number[]>;
  /** Delete keys; returns how many existed. */
  deleteMany(keys: readonly string[]): Promise<number>;
  /** Iterate keys matching a glob pattern in batches (SCAN, never KEYS). */
  scan(pattern: string, options?: { batch?: number; signal?: AbortSignal }): AsyncIterable<string[]>;
  stats(): Promise<CacheStats>;
  close(): Promise<void>;
}

/**
 * Per-key outcome codes of `CacheCopier.copy`: the protocol between the
 * warm engine (src/core/cache/warm/copy.ts) and an adapter's copier
 * (plugins/redis/src/copy.ts). Ports hold no runtime code, so each side
 * spells its constants as a value of this type; the compiler then holds both
 * to these numbers. `missing` is 0, so a zero-filled array reports nothing
 * copied.
 */
export interface CopyOutcomeCodes {
  /** Absent from the source (or expired between value and TTL): not written. */
  missing: 0;
  /** Written to the target. */
  written: 1;
  /** Already in the target and left as it is (not overwriting). */
  present: 2;
}

export interface CopyOptions {
  /** Replace keys that exist in the target (default: skip them: `present`). */
  overwrite: boolean;
  /** Per key, whole seconds: replaces the source TTLs (default: each key keeps its source TTL, or none). */
  ttlSeconds?: readonly number[];
}

/**
 * Optional capability of a cache for copy mode: a copier from another cache
 * (usually of its own kind), used when `copierFrom(from)` returns one. It
 * moves a batch of values and TTLs without handing them to the engine. Its
 * semantics are the engine's generic path's: keys absent from the source (or
 * expired between value and TTL) are `missing` and never written; without
 * `overwrite` a key present in the target is `present` and left as it is
 * (SET NX); without `ttlSeconds` each key keeps its source TTL (or none).
 */
export interface CacheCopier {
  /** One outcome per key, in key order: a CopyOutcomeCodes value. */
  copy(keys: readonly string[], options: CopyOptions): Promise<ArrayLike<number>>;
}

export interface CopyingCache {
  copierFrom(source: KeyValueCache): CacheCopier | undefined;
}

/**
 * Optional capability of a cache, for gradual invalidation
 * (src/core/cache/invalidate.ts): give existing keys a TTL, the way Redis
 * `EXPIRE key s LT` does: a TTL is only ever shortened, a key without one gets
 * it, a missing key is not created. The seconds are rounded, to at least 1
 * (a TTL of 0 or less never deletes). Returns how many of the keys existed.
 * Pinned by the cache expiry contract (test/contract/suites/cache-expire.ts).
 * A cache without it makes `cache invalidate --expire` exit 2.
 */
export interface ExpiringCache {
  expireMany(keys: readonly string[], ttlSeconds: number): Promise<number>;
}
