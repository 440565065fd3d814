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
