/**
 * In-memory KeyValueCache for core tests. It must pass the same contract suite
 * as the Redis adapter (test/contract/cache.contract.test.ts), including TTLs
 * (against an injected clock), glob SCAN and hit/miss statistics.
 */
import type { CacheEntry, CacheStats, KeyValueCache } from '../../src/ports/cache.js';

function globToRegExp(glob: string): RegExp {
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

export class MemoryCache implements KeyValueCache {
  readonly kind = 'memory';
  private readonly data = new Map<string, { value: Buffer; expiresAt: number | null }>();
  private hits = 0;
  private misses = 0;
  private expired = 0;
  /** Every call, for tests that count round trips. */
  readonly calls: string[] = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  private live(key: string) {
    const e = this.data.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== null && e.expiresAt <= this.now()) {
      this.data.delete(key);
      this.expired++;
      return undefined;
    }
    return e;
  }

  async getMany(keys: readonly string[]): Promise<Array<Buffer | null>> {
    this.calls.push(`getMany:${keys.length}`);
    return keys.map((k) => {
      const e = this.live(k);
      if (e) this.hits++;
      else this.misses++;
      return e ? Buffer.from(e.value) : null;
    });
  }

  async existsMany(keys: readonly string[]): Promise<boolean[]> {
    this.calls.push(`existsMany:${keys.length}`);
    return keys.map((k) => this.live(k) !== undefined);
  }

  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    this.calls.push(`setMany:${entries.length}`);
    for (const e of entries) {
      const ttl = e.ttlSeconds !== undefined && e.ttlSeconds > 0 ? Math.max(1, Math.round(e.ttlSeconds)) : null;
      this.data.set(e.key, { value: Buffer.from(e.value), expiresAt: ttl === null ? null : this.now() + ttl * 1000 });
    }
  }

  async ttlMany(keys: readonly string[]): Promise<number[]> {
    this.calls.push(`ttlMany:${keys.length}`);
    return keys.map((k) => {
      const e = this.live(k);
      if (!e) return -2;
      if (e.expiresAt === null) return -1;
      return Math.ceil((e.expiresAt - this.now()) / 1000);
    });
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    this.calls.push(`deleteMany:${keys.length}`);
    let n = 0;
    for (const k of keys) if (this.live(k) && this.data.delete(k)) n++;
    return n;
  }

  async *scan(pattern: string, options: { batch?: number; signal?: AbortSignal } = {}): AsyncIterable<string[]> {
    const re = globToRegExp(pattern);
    const keys = [...this.data.keys()].filter((k) => this.live(k) && re.test(k));
    const batch = options.batch ?? 1000;
    for (let i = 0; i < keys.length; i += batch) {
      options.signal?.throwIfAborted();
      yield keys.slice(i, i + batch);
    }
  }

  async stats(): Promise<CacheStats> {
    for (const k of [...this.data.keys()]) this.live(k);
    let used = 0;
    for (const [k, e] of this.data) used += k.length + e.value.length;
    return { hits: this.hits, misses: this.misses, evictedKeys: 0, expiredKeys: this.expired, usedMemoryBytes: used, maxMemoryBytes: 0, keys: this.data.size };
  }

  async close(): Promise<void> {}
}
