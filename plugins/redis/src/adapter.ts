/**
 * KeyValueCache over Redis with ioredis. Batches are pipelined; SCAN (never
 * KEYS) iterates; a connection failure fails fast (no silent reconnect loop)
 * with a DependencyError naming the server.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { CacheEntry, CacheStats, KeyValueCache } from '../../../src/ports/cache.js';
import type { CacheProviderSettings, PluginKit } from '../../../src/ports/providers.js';

/** Keys per pipeline flush: large enough to amortise round trips, small enough to bound memory. */
const CHUNK = 1000;

/** GET and TTL of every key: a flat array value1, ttl1, value2, ttl2, … (value false → nil, ttl -2 when absent). */
const READ_WITH_TTL = `local r = {}
for i, k in ipairs(KEYS) do
  r[2 * i - 1] = redis.call('GET', k)
  r[2 * i] = redis.call('TTL', k)
end
return r`;

/** SET key value NX [EX ttl] for every key (ARGV: value, ttl pairs; ttl 0 = none): 1 written, 0 already present. */
const WRITE_IF_ABSENT = `local r = {}
for i, k in ipairs(KEYS) do
  local ttl = tonumber(ARGV[2 * i])
  local ok
  if ttl > 0 then ok = redis.call('SET', k, ARGV[2 * i - 1], 'NX', 'EX', ttl) else ok = redis.call('SET', k, ARGV[2 * i - 1], 'NX') end
  if ok then r[i] = 1 else r[i] = 0 end
end
return r`;

function describe(url: URL): string {
  return `${url.protocol}//${url.hostname}:${url.port || 6379}${url.pathname && url.pathname !== '/' ? url.pathname : ''}`;
}

export class RedisCache implements KeyValueCache {
  readonly kind = 'redis';
  private readonly client: Redis;
  private readonly where: string;

  constructor(
    settings: CacheProviderSettings,
    private readonly kit: PluginKit,
  ) {
    const url = new URL(settings.url);
    this.where = describe(url);
    const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
    if (!Number.isInteger(db) || db < 0) {
      throw new kit.errors.InputError(`redis URL ${this.where}: the database must be a number, e.g. redis://host:6379/0`, {
        field: 'redis.url',
        suggestions: ['write it like redis://HOST:PORT/DB'],
      });
    }
    const options: RedisOptions = {
      host: url.hostname,
      port: Number(url.port || 6379),
      db,
      lazyConnect: true,
      connectTimeout: settings.timeoutMs,
      commandTimeout: Math.max(settings.timeoutMs, 5_000),
      maxRetriesPerRequest: 0,
      enableOfflineQueue: true,
      retryStrategy: () => null,
      enableAutoPipelining: false,
    };
    const username = settings.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
    const password = settings.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
    if (username) options.username = username;
    if (password) options.password = password;
    if (url.protocol === 'rediss:') options.tls = { servername: url.hostname };
    this.client = new Redis(options);
    // Errors surface through the failing command; don't let the emitter crash the process.
    this.client.on('error', () => undefined);
  }

  /** Connect now, so "unreachable" is reported before any work starts. */
  async connect(): Promise<this> {
    try {
      await this.client.connect();
      await this.client.ping();
    } catch (error) {
      this.client.disconnect();
      throw this.fail('cannot connect to', error);
    }
    return this;
  }

  private fail(what: string, error: unknown): Error {
    const e = error as NodeJS.ErrnoException;
    const reason = e.code ?? e.message;
    const auth = /NOAUTH|WRONGPASS|invalid password/i.test(String(e.message));
    return new this.kit.errors.DependencyError('redis', `${what} Redis at ${this.where}: ${reason}`, {
      suggestions: auth
        ? ['set the password in RELIA_REDIS_PASSWORD (or redis.passwordEnv in the config)']
        : [`check the server is up: redis-cli -u ${this.where} ping`],
      cause: error,
    });
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.fail(what, error);
    }
  }

  async getMany(keys: readonly string[]): Promise<Array<Buffer | null>> {
    const out: Array<Buffer | null> = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const values = await this.run('MGET failed on', () => this.client.mgetBuffer(...chunk));
      for (const v of values) out.push(v);
    }
    return out;
  }

  async existsMany(keys: readonly string[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const pipeline = this.client.pipeline();
      for (const key of keys.slice(i, i + CHUNK)) pipeline.exists(key);
      const results = await this.run('EXISTS failed on', () => pipeline.exec());
      for (const [err, value] of results ?? []) {
        if (err) throw this.fail('EXISTS failed on', err);
        out.push(value === 1);
      }
    }
    return out;
  }

  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const pipeline = this.client.pipeline();
      for (const e of entries.slice(i, i + CHUNK)) {
        if (e.ttlSeconds !== undefined && e.ttlSeconds > 0) pipeline.set(e.key, e.value, 'EX', Math.max(1, Math.round(e.ttlSeconds)));
        else pipeline.set(e.key, e.value);
      }
      const results = await this.run('SET failed on', () => pipeline.exec());
      const failed = (results ?? []).find(([err]) => err);
      if (failed?.[0]) throw this.fail('SET failed on', failed[0]);
    }
  }

  async ttlMany(keys: readonly string[]): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const pipeline = this.client.pipeline();
      for (const key of keys.slice(i, i + CHUNK)) pipeline.ttl(key);
      const results = await this.run('TTL failed on', () => pipeline.exec());
      for (const [err, value] of results ?? []) {
        if (err) throw this.fail('TTL failed on', err);
        out.push(Number(value));
      }
    }
    return out;
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    let removed = 0;
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      if (chunk.length === 0) continue;
      removed += await this.run('UNLINK failed on', () => this.client.unlink(...chunk));
    }
    return removed;
  }

  /**
   * Bulk capabilities for copy mode (src/core/cache/warm.ts `BulkCache`):
   * one Lua script per batch does the per-key work inside Redis, so a batch
   * of 1000 keys costs one command on the client instead of 1000-3000
   * pipelined ones. Standalone Redis only (the keys of a batch may live in
   * different cluster slots), which is all this adapter speaks.
   */
  async readWithTtl(keys: readonly string[]): Promise<Array<{ value: Buffer | null; ttl: number }>> {
    const out: Array<{ value: Buffer | null; ttl: number }> = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const flat = (await this.run('EVAL (GET+TTL) failed on', () => this.client.callBuffer('EVAL', READ_WITH_TTL, chunk.length, ...chunk))) as Array<Buffer | number | null>;
      for (let j = 0; j < chunk.length; j++) out.push({ value: (flat[2 * j] as Buffer | null) ?? null, ttl: Number(flat[2 * j + 1]) });
    }
    return out;
  }

  async writeIfAbsent(entries: readonly CacheEntry[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      const args: Array<string | Buffer> = [];
      for (const e of chunk) args.push(e.value, String(e.ttlSeconds !== undefined && e.ttlSeconds > 0 ? Math.max(1, Math.round(e.ttlSeconds)) : 0));
      const flags = (await this.run('EVAL (SET NX) failed on', () => this.client.call('EVAL', WRITE_IF_ABSENT, chunk.length, ...chunk.map((e) => e.key), ...args))) as number[];
      for (const f of flags) out.push(f === 1);
    }
    return out;
  }

  private supportsLt: boolean | undefined;

  /** Whether EXPIRE takes the LT option (Redis ≥ 7.0). */
  private async expireLt(): Promise<boolean> {
    if (this.supportsLt === undefined) {
      const info = await this.run('INFO failed on', () => this.client.info('server'));
      const major = Number(/^redis_version:(\d+)/m.exec(info)?.[1] ?? 0);
      this.supportsLt = major >= 7;
    }
    return this.supportsLt;
  }

  /**
   * Give existing keys a TTL of `ttlSeconds` (capability used by gradual
   * invalidation, see src/core/cache/invalidate.ts `ExpiringCache`). On
   * Redis ≥ 7 `EXPIRE key s LT` only ever shortens a TTL (a key without one
   * gets it); older servers set it unconditionally. Returns how many keys
   * existed.
   */
  async expireMany(keys: readonly string[], ttlSeconds: number): Promise<number> {
    const seconds = Math.max(1, Math.round(ttlSeconds));
    const lt = await this.expireLt();
    let existed = 0;
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const pipeline = this.client.pipeline();
      for (const key of chunk) {
        if (lt) pipeline.expire(key, seconds, 'LT');
        else pipeline.expire(key, seconds);
      }
      const results = await this.run('EXPIRE failed on', () => pipeline.exec());
      for (const [err] of results ?? []) if (err) throw this.fail('EXPIRE failed on', err);
      if (lt) {
        // LT answers 0 both for a missing key and for one whose TTL is already shorter: count existence instead
        const exists = await this.run('EXISTS failed on', () => this.client.exists(...chunk));
        existed += exists;
      } else existed += (results ?? []).filter(([, v]) => v === 1).length;
    }
    return existed;
  }

  async *scan(pattern: string, options: { batch?: number; signal?: AbortSignal } = {}): AsyncIterable<string[]> {
    let cursor = '0';
    do {
      options.signal?.throwIfAborted();
      const [next, keys] = await this.run('SCAN failed on', () => this.client.scan(cursor, 'MATCH', pattern, 'COUNT', options.batch ?? 1000));
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }

  async stats(): Promise<CacheStats> {
    const [info, dbsize, maxmemory] = await this.run('INFO failed on', () =>
      Promise.all([this.client.info(), this.client.dbsize(), this.client.config('GET', 'maxmemory').catch(() => ['maxmemory', '0'])]),
    );
    const field = (name: string): number => {
      const m = new RegExp(`^${name}:(\\d+)`, 'm').exec(info);
      return m ? Number(m[1]) : 0;
    };
    const maxFromConfig = Array.isArray(maxmemory) ? Number(maxmemory[1] ?? 0) : 0;
    return {
      hits: field('keyspace_hits'),
      misses: field('keyspace_misses'),
      evictedKeys: field('evicted_keys'),
      expiredKeys: field('expired_keys'),
      usedMemoryBytes: field('used_memory'),
      maxMemoryBytes: field('maxmemory') || maxFromConfig,
      keys: dbsize,
    };
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

export async function createRedisCache(settings: CacheProviderSettings, kit: PluginKit): Promise<RedisCache> {
  return new RedisCache(settings, kit).connect();
}
