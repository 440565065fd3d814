/**
 * KeyValueCache over Redis with ioredis. Batches are pipelined; SCAN (never
 * KEYS) iterates; a connection failure fails fast (no silent reconnect loop)
 * with a DependencyError naming the server.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { CacheEntry, CacheStats, CopyingCache, ExpiringCache, KeyValueCache } from '../../../src/ports/cache.js';
import type { CacheProviderSettings, PluginKit } from '../../../src/ports/providers.js';
import { RedisCopier } from './copy.js';
import { ArrayReply, encodeCommand, RawConnection, type RawEndpoint, RespError } from './resp.js';

/** Keys per pipeline flush: large enough to amortise round trips, small enough to bound memory. */
const CHUNK = 1000;

function describe(url: URL): string {
  return `${url.protocol}//${url.hostname}:${url.port || 6379}${url.pathname && url.pathname !== '/' ? url.pathname : ''}`;
}

export class RedisCache implements KeyValueCache, CopyingCache, ExpiringCache {
  readonly kind = 'redis';
  private readonly client: Redis;
  private readonly where: string;
  private readonly endpoint: RawEndpoint;
  private readonly raw: RawConnection[] = [];
  private scanConn: RawConnection | undefined;
  /** The last error the client emitted: a failed AUTH arrives here, and the command only sees "Connection is closed". */
  private lastError: Error | undefined;

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
    this.endpoint = {
      host: url.hostname,
      port: options.port as number,
      db,
      tls: url.protocol === 'rediss:',
      connectTimeoutMs: settings.timeoutMs,
      idleTimeoutMs: options.commandTimeout as number,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
    };
    this.client = new Redis(options);
    // Errors surface through the failing command; don't let the emitter crash the process.
    this.client.on('error', (e: Error) => {
      this.lastError = e;
    });
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
    const authError = [e, this.lastError].find((x) => x && /NOAUTH|WRONGPASS|invalid (username-)?password|Authentication required/i.test(String(x.message)));
    if (authError) {
      return new this.kit.errors.DependencyError('redis', `authentication failed at Redis ${this.where}: ${String(authError.message).split('\n')[0]}`, {
        suggestions: [
          'check the password: RELIA_REDIS_PASSWORD (or redis.passwordEnv in the config), or the user with RELIA_REDIS_USERNAME',
          `try it by hand: redis-cli -u ${this.where} --askpass ping`,
        ],
        cause: error,
      });
    }
    // ioredis rejects the command with "Connection is closed." and emits the cause (ECONNREFUSED, ENOTFOUND,
    // ETIMEDOUT…) as an 'error' event: name the cause, which says what to fix.
    const cause = /Connection is closed/i.test(String(e?.message)) && this.lastError ? (this.lastError as NodeJS.ErrnoException) : e;
    const reason = cause.code ?? cause.message;
    return new this.kit.errors.DependencyError('redis', `${what} Redis at ${this.where}: ${reason}`, {
      suggestions: [`check the server is up: redis-cli -u ${this.where} ping`],
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
   * Copy mode's capability (`CopyingCache` in src/ports/cache.ts): a
   * copier from another Redis into this one over two connections of its own
   * (raw RESP, see copy.ts), closed with this cache. Undefined for a source
   * that is not a RedisCache.
   */
  copierFrom(source: KeyValueCache): RedisCopier | undefined {
    if (!(source instanceof RedisCache)) return undefined;
    const from = new RawConnection(source.endpoint, (what, e) => source.failWith(what, e));
    const to = new RawConnection(this.endpoint, (what, e) => this.failWith(what, e));
    this.raw.push(from, to);
    return new RedisCopier(from, to, source.endpoint.db, (what, e) => source.failWith(what, e), (what, e) => this.failWith(what, e));
  }

  /** A DependencyError naming this server (errors already naming it pass through). */
  private failWith(what: string, error: unknown): Error {
    if (error instanceof this.kit.errors.DependencyError) return error;
    return this.fail(what, error);
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
   * invalidation: the port's `ExpiringCache`, src/ports/cache.ts). On
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

  /**
   * SCAN over a raw connection of its own (opened on first use): the keys of
   * a large keyspace are decoded straight from the reply, several times
   * cheaper than through ioredis, which matters when copy mode streams them.
   */
  async *scan(pattern: string, options: { batch?: number; signal?: AbortSignal } = {}): AsyncIterable<string[]> {
    options.signal?.throwIfAborted();
    if (!this.scanConn) {
      this.scanConn = new RawConnection(this.endpoint, (what, e) => this.failWith(what, e));
      this.raw.push(this.scanConn);
    }
    const conn = this.scanConn;
    await conn.open();
    const count = String(options.batch ?? 1000);
    let cursor = '0';
    do {
      options.signal?.throwIfAborted();
      const reply = new ArrayReply();
      await conn.request(encodeCommand(['SCAN', cursor, 'MATCH', pattern, 'COUNT', count]), reply);
      const keys = reply.sub[1];
      if (reply.error || reply.n !== 2 || !keys) throw this.fail('SCAN failed on', new RespError(reply.error ?? 'unexpected SCAN reply'));
      cursor = reply.text(0);
      if (keys.n > 0) yield keys.texts();
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
    await Promise.allSettled(this.raw.splice(0).map((c) => c.close()));
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
