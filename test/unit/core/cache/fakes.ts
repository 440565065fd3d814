/**
 * Test doubles for the cache engine: a virtual clock (sleep advances `now`;
 * nothing waits for real), an in-memory KeyValueCache, a scripted HttpClient,
 * an in-memory checkpoint store and lock, and a seeded Random.
 */
import { InstrumentedCache } from '../../../fakes/instrumented-cache.js';
import { MemoryCache } from '../../../fakes/memory-cache.js';
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

/**
 * The cache fake of the core tests: the contract-checked MemoryCache
 * (test/fakes/memory-cache.ts) on the virtual clock, inside the
 * InstrumentedCache wrapper (call log, latency, faults). The seeding helpers
 * and the server-state counters are MemoryCache's, forwarded.
 */
export class FakeKv extends InstrumentedCache<MemoryCache> {
  constructor(clock: Clock) {
    super(new MemoryCache(() => clock.now()), clock);
  }
  put(key: string, value: string, ttlSeconds?: number): void {
    this.inner.put(key, value, ttlSeconds);
  }
  has(key: string): boolean {
    return this.inner.has(key);
  }
  value(key: string): string | undefined {
    return this.inner.value(key);
  }
  ttl(key: string): number {
    return this.inner.ttl(key);
  }
  drop(key: string): boolean {
    return this.inner.drop(key);
  }
  get hits(): number {
    return this.inner.hits;
  }
  set hits(n: number) {
    this.inner.hits = n;
  }
  get misses(): number {
    return this.inner.misses;
  }
  set misses(n: number) {
    this.inner.misses = n;
  }
  get evictedKeys(): number {
    return this.inner.evictedKeys;
  }
  set evictedKeys(n: number) {
    this.inner.evictedKeys = n;
  }
  get expiredKeys(): number {
    return this.inner.expiredKeys;
  }
  set expiredKeys(n: number) {
    this.inner.expiredKeys = n;
  }
  get usedMemoryBytes(): number | undefined {
    return this.inner.usedMemoryBytes;
  }
  set usedMemoryBytes(n: number | undefined) {
    this.inner.usedMemoryBytes = n;
  }
  get maxMemoryBytes(): number {
    return this.inner.maxMemoryBytes;
  }
  set maxMemoryBytes(n: number) {
    this.inner.maxMemoryBytes = n;
  }
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
