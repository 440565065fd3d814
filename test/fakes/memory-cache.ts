/**
 * The in-memory KeyValueCache: THE fake of the cache port. It passes the same
 * contract suite as the Redis adapter (test/contract/cache.contract.test.ts),
 * so its semantics are Redis's as the adapter exposes them:
 *  - a TTL of 0, a negative TTL or none stores the key WITHOUT expiry (TTL -1);
 *    a fractional TTL is rounded, to at least 1 s (the adapter's `EX`);
 *  - expiry follows the injected clock (`now`, epoch ms);
 *  - `getMany` counts a hit or a miss per key, like `keyspace_hits/misses`;
 *  - SCAN takes a glob (`*`, `?`, `[...]`, `\` escapes) and returns every key
 *    that exists for the whole scan, in batches of `batch` (default 1000,
 *    the adapter's COUNT);
 *  - copy mode (`copierFrom` another MemoryCache): the Redis copier's
 *    semantics, pinned by the copy contract (test/contract/suites/cache-copy.ts):
 *    a key absent from the source is `missing` and not written; without
 *    `overwrite` a key present in the target is `present` and untouched;
 *    values are copied byte for byte; each key keeps its source expiry (or
 *    none, clearing the target's) unless `ttlSeconds` gives one (at least 1 s);
 *  - `expireMany` (the ExpiringCache capability, the Redis adapter's
 *    `EXPIRE … LT`, pinned by test/contract/suites/cache-expire.ts): a TTL is
 *    only ever shortened, a key without one gets it, a missing key is not
 *    created; seconds rounded to at least 1; returns how many keys existed.
 *
 * Core tests add what they need on top with the wrappers in
 * instrumented-cache.ts (call log, latency on a virtual clock, faults), never
 * by editing this class. The public counters model the server's state that
 * other clients change (`hits`, `misses`, `evictedKeys`, `expiredKeys`) and its
 * memory settings; tests may set them.
 */
import type { CacheCopier, CacheEntry, CacheStats, CopyingCache, CopyOptions, CopyOutcomeCodes, ExpiringCache, KeyValueCache } from '../../src/ports/cache.js';

/** The port's outcome codes, spelt as the port requires. */
const COPY: CopyOutcomeCodes = { missing: 0, written: 1, present: 2 };

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < glob.length) re += `\\${glob[++i]}`;
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^\^/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** Seconds of expiry as the Redis adapter stores them: null = none. */
export function storedTtl(ttlSeconds: number | undefined): number | null {
  return ttlSeconds !== undefined && ttlSeconds > 0 ? Math.max(1, Math.round(ttlSeconds)) : null;
}

export class MemoryCache implements KeyValueCache, CopyingCache, ExpiringCache {
  readonly kind: string = 'memory';
  private readonly data = new Map<string, { value: Buffer; expiresAt: number | null }>();
  hits = 0;
  misses = 0;
  evictedKeys = 0;
  expiredKeys = 0;
  /** The server's `maxmemory`: 0 = no limit. */
  maxMemoryBytes = 0;
  /** Overrides the computed memory use (key and value bytes). */
  usedMemoryBytes: number | undefined;

  constructor(private readonly now: () => number = () => Date.now()) {}

  private live(key: string) {
    const e = this.data.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== null && e.expiresAt <= this.now()) {
      this.data.delete(key);
      this.expiredKeys++;
      return undefined;
    }
    return e;
  }

  // --- seeding and inspection for tests (not part of the port; no hit/miss counted)

  /** Store a key as `setMany` would. */
  put(key: string, value: string | Buffer, ttlSeconds?: number): void {
    const ttl = storedTtl(ttlSeconds);
    this.data.set(key, { value: Buffer.from(value), expiresAt: ttl === null ? null : this.now() + ttl * 1000 });
  }
  has(key: string): boolean {
    return this.live(key) !== undefined;
  }
  /** The value as UTF-8, undefined when absent. */
  value(key: string): string | undefined {
    return this.live(key)?.value.toString();
  }
  /** As `ttlMany` answers: seconds left, -1 without expiry, -2 absent. */
  ttl(key: string): number {
    const e = this.live(key);
    if (!e) return -2;
    return e.expiresAt === null ? -1 : Math.ceil((e.expiresAt - this.now()) / 1000);
  }
  /** Remove a key behind the client's back (another writer, an eviction). */
  drop(key: string): boolean {
    return this.data.delete(key);
  }
  get size(): number {
    for (const k of [...this.data.keys()]) this.live(k);
    return this.data.size;
  }

  // --- the port

  async getMany(keys: readonly string[]): Promise<Array<Buffer | null>> {
    return keys.map((k) => {
      const e = this.live(k);
      if (e) this.hits++;
      else this.misses++;
      return e ? Buffer.from(e.value) : null;
    });
  }

  async existsMany(keys: readonly string[]): Promise<boolean[]> {
    return keys.map((k) => this.live(k) !== undefined);
  }

  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    for (const e of entries) this.put(e.key, e.value, e.ttlSeconds);
  }

  async ttlMany(keys: readonly string[]): Promise<number[]> {
    return keys.map((k) => this.ttl(k));
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    let n = 0;
    for (const k of keys) if (this.live(k) && this.data.delete(k)) n++;
    return n;
  }

  async *scan(pattern: string, options: { batch?: number; signal?: AbortSignal } = {}): AsyncIterable<string[]> {
    options.signal?.throwIfAborted();
    const re = globToRegExp(pattern);
    const keys = [...this.data.keys()].filter((k) => re.test(k));
    const batch = options.batch ?? 1000;
    for (let i = 0; i < keys.length; i += batch) {
      options.signal?.throwIfAborted();
      // keys deleted or expired since the scan began are not returned
      const chunk = keys.slice(i, i + batch).filter((k) => this.live(k));
      if (chunk.length > 0) yield chunk;
    }
  }

  async stats(): Promise<CacheStats> {
    for (const k of [...this.data.keys()]) this.live(k);
    let used = 0;
    for (const [k, e] of this.data) used += k.length + e.value.length;
    return {
      hits: this.hits,
      misses: this.misses,
      evictedKeys: this.evictedKeys,
      expiredKeys: this.expiredKeys,
      usedMemoryBytes: this.usedMemoryBytes ?? Math.max(1, used),
      maxMemoryBytes: this.maxMemoryBytes,
      keys: this.data.size,
    };
  }

  async expireMany(keys: readonly string[], ttlSeconds: number): Promise<number> {
    const at = this.now() + Math.max(1, Math.round(ttlSeconds)) * 1000;
    let existed = 0;
    for (const key of keys) {
      const e = this.live(key);
      if (!e) continue;
      existed++;
      if (e.expiresAt === null || at < e.expiresAt) e.expiresAt = at;
    }
    return existed;
  }

  copierFrom(source: KeyValueCache): CacheCopier | undefined {
    if (!(source instanceof MemoryCache)) return undefined;
    return { copy: async (keys, options) => this.copyFrom(source, keys, options) };
  }

  private copyFrom(source: MemoryCache, keys: readonly string[], options: CopyOptions): Uint8Array {
    const out = new Uint8Array(keys.length); // COPY.missing
    keys.forEach((key, j) => {
      const from = source.live(key);
      if (!from) return;
      if (!options.overwrite && this.live(key)) {
        out[j] = COPY.present;
        return;
      }
      const ttl = options.ttlSeconds?.[j];
      const expiresAt = ttl !== undefined ? this.now() + Math.max(1, Math.round(ttl)) * 1000 : from.expiresAt === null ? null : this.now() + (from.expiresAt - source.now());
      this.data.set(key, { value: Buffer.from(from.value), expiresAt });
      out[j] = COPY.written;
    });
    return out;
  }

  async close(): Promise<void> {}
}
