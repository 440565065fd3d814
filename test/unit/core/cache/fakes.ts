/**
 * Test doubles for the cache engine: a virtual clock (sleep advances `now`;
 * nothing waits for real), an in-memory KeyValueCache, a scripted HttpClient,
 * an in-memory checkpoint store and lock, and a seeded Random.
 */
import type { CacheEntry, CacheStats, KeyValueCache } from '../../../../src/ports/cache.js';
import type { Clock, Random } from '../../../../src/ports/clock.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../../src/ports/http.js';
import { DependencyError } from '../../../../src/core/errors.js';
import type { CheckpointStore, Lock, WarmCheckpoint } from '../../../../src/core/cache/checkpoint.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
  cleanup: () => void;
}

/**
 * Virtual time. `sleep(ms)` registers a timer; when every task is blocked
 * (checked from a setImmediate, after all microtasks ran) the clock jumps to
 * the earliest timer and wakes it. Ties wake in registration order.
 */
export class FakeClock implements Clock {
  private t: number;
  private timers: Timer[] = [];
  private seq = 0;
  private scheduled = false;
  /** Every sleep requested, ms. */
  readonly sleeps: number[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  /** Move time forward without waking anyone (a test's "meanwhile"). */
  advance(ms: number): void {
    this.t += ms;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal?.reason);
      };
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.tick());
  }

  private tick(): void {
    this.scheduled = false;
    if (this.timers.length === 0) return;
    let next = this.timers[0] as Timer;
    for (const x of this.timers) if (x.at < next.at || (x.at === next.at && x.seq < next.seq)) next = x;
    this.timers = this.timers.filter((x) => x !== next);
    this.t = Math.max(this.t, next.at);
    next.cleanup();
    next.resolve();
    if (this.timers.length > 0) this.schedule();
  }
}

/** Seeded PRNG (xorshift32) returning [0, 1). */
export function seededRandom(seed = 42): Random {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

function globRe(glob: string): RegExp {
  let re = '';
  for (const c of glob) {
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export interface KvCall {
  op: string;
  keys: string[];
  at: number;
}

/** In-memory KeyValueCache with TTLs on a clock, a call log, hit/miss counters and injectable faults. */
export class FakeKv implements KeyValueCache {
  readonly kind = 'fake-kv';
  readonly data = new Map<string, { value: Buffer; expiresAt: number | null }>();
  readonly calls: KvCall[] = [];
  hits = 0;
  misses = 0;
  evictedKeys = 0;
  expiredKeys = 0;
  usedMemoryBytes = 1000;
  maxMemoryBytes = 4000;
  /** Simulated round-trip time per call, ms of virtual time. */
  latencyMs = 0;
  /** Return an error to fail a call. */
  fault: ((op: string, keys: readonly string[]) => Error | undefined) | undefined;
  /** SCAN returns every key twice (Redis may repeat keys during rehashing). */
  scanDuplicates = false;
  /** Sets seen, in order. */
  readonly sets: CacheEntry[] = [];
  private inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly clock: Clock) {}

  put(key: string, value: string, ttlSeconds?: number): void {
    this.data.set(key, { value: Buffer.from(value), expiresAt: ttlSeconds === undefined ? null : this.clock.now() + ttlSeconds * 1000 });
  }

  has(key: string): boolean {
    return this.live(key) !== undefined;
  }

  value(key: string): string | undefined {
    return this.live(key)?.value.toString();
  }

  ttl(key: string): number {
    const e = this.live(key);
    if (!e) return -2;
    return e.expiresAt === null ? -1 : Math.ceil((e.expiresAt - this.clock.now()) / 1000);
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  private live(key: string): { value: Buffer; expiresAt: number | null } | undefined {
    const e = this.data.get(key);
    if (e && e.expiresAt !== null && e.expiresAt <= this.clock.now()) {
      this.data.delete(key);
      this.expiredKeys++;
      return undefined;
    }
    return e;
  }

  private async call(op: string, keys: readonly string[]): Promise<void> {
    this.calls.push({ op, keys: [...keys], at: this.clock.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs);
      const err = this.fault?.(op, keys);
      if (err) throw err;
    } finally {
      this.inFlight--;
    }
  }

  async getMany(keys: readonly string[]): Promise<Array<Buffer | null>> {
    await this.call('getMany', keys);
    return keys.map((k) => {
      const e = this.live(k);
      if (e) this.hits++;
      else this.misses++;
      return e ? Buffer.from(e.value) : null;
    });
  }

  async existsMany(keys: readonly string[]): Promise<boolean[]> {
    await this.call('existsMany', keys);
    return keys.map((k) => this.live(k) !== undefined);
  }

  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    await this.call(
      'setMany',
      entries.map((e) => e.key),
    );
    for (const e of entries) {
      this.sets.push(e);
      this.data.set(e.key, { value: Buffer.from(e.value), expiresAt: e.ttlSeconds === undefined ? null : this.clock.now() + e.ttlSeconds * 1000 });
    }
  }

  async ttlMany(keys: readonly string[]): Promise<number[]> {
    await this.call('ttlMany', keys);
    return keys.map((k) => this.ttl(k));
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    await this.call('deleteMany', keys);
    let n = 0;
    for (const k of keys) if (this.live(k) && this.data.delete(k)) n++;
    return n;
  }

  async *scan(pattern: string, options: { batch?: number; signal?: AbortSignal } = {}): AsyncIterable<string[]> {
    const re = globRe(pattern);
    const batch = options.batch ?? 10;
    const keys = [...this.data.keys()].filter((k) => re.test(k));
    for (let i = 0; i < keys.length; i += batch) {
      options.signal?.throwIfAborted();
      await this.call('scan', [pattern]);
      const chunk = keys.slice(i, i + batch);
      yield this.scanDuplicates ? [...chunk, ...chunk] : chunk;
    }
  }

  async stats(): Promise<CacheStats> {
    await this.call('stats', []);
    return {
      hits: this.hits,
      misses: this.misses,
      evictedKeys: this.evictedKeys,
      expiredKeys: this.expiredKeys,
      usedMemoryBytes: this.usedMemoryBytes,
      maxMemoryBytes: this.maxMemoryBytes,
      keys: this.data.size,
    };
  }

  async close(): Promise<void> {}
}

export type Reply = { status: number; headers?: Record<string, string>; body?: string; latencyMs?: number } | { error: string; latencyMs?: number };

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  at: number;
}

/** Scripted HttpClient: a handler answers each request; latency passes on the virtual clock. */
export class FakeHttp implements HttpClient {
  readonly kind = 'fake-http';
  readonly requests: SeenRequest[] = [];
  /** Requests that got an answer (not cancelled). */
  completed = 0;
  private inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly clock: Clock,
    private readonly handler: (req: HttpRequest, seen: SeenRequest) => Reply,
  ) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    req.signal?.throwIfAborted();
    const seen: SeenRequest = { method: req.method, url: req.url, headers: { ...(req.headers ?? {}) }, at: this.clock.now() };
    this.requests.push(seen);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const reply = this.handler(req, seen);
      const latency = reply.latencyMs ?? 0;
      const timeout = req.timeoutMs ?? Infinity;
      if (latency > 0) await this.clock.sleep(Math.min(latency, timeout), req.signal);
      if (latency > timeout) throw new DependencyError('http', `${req.method} ${req.url} failed: timed out after ${timeout} ms`);
      if ('error' in reply) throw new DependencyError('http', `${req.method} ${req.url} failed: ${reply.error}`);
      this.completed++;
      const headers = Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const res: HttpResponse = { status: reply.status, headers, durationMs: latency };
      if (req.readBody ?? req.method === 'GET') res.body = Buffer.from(reply.body ?? '');
      return res;
    } finally {
      this.inFlight--;
    }
  }

  async close(): Promise<void> {}

  /** Requests in flight now, the current one included (for handlers modelling capacity). */
  get active(): number {
    return this.inFlight;
  }

  /** How many times each URL was requested. */
  countsByUrl(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.requests) m.set(r.url, (m.get(r.url) ?? 0) + 1);
    return m;
  }
}

export class MemoryCheckpointStore implements CheckpointStore {
  saved: WarmCheckpoint | null = null;
  saves = 0;
  /** doneCount of every save, in order. */
  readonly history: number[] = [];
  clears = 0;
  failSave = false;
  async load(): Promise<WarmCheckpoint | null> {
    return this.saved ? structuredClone(this.saved) : null;
  }
  async save(c: WarmCheckpoint): Promise<void> {
    if (this.failSave) throw new Error('disk full');
    this.saves++;
    this.history.push(c.doneCount);
    this.saved = structuredClone(c);
  }
  async clear(): Promise<void> {
    this.clears++;
    this.saved = null;
  }
}

export class MemoryLock implements Lock {
  held = false;
  acquired = 0;
  released = 0;
  constructor(private readonly other?: string) {}
  async acquire(): Promise<boolean> {
    if (this.other !== undefined || this.held) return false;
    this.held = true;
    this.acquired++;
    return true;
  }
  async release(): Promise<void> {
    this.held = false;
    this.released++;
  }
  async holder(): Promise<string | undefined> {
    return this.other;
  }
}

/** Capture a rejection. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
