/**
 * Test doubles for the cache engine: a virtual clock (sleep advances `now`;
 * nothing waits for real), the contract-checked cache and HTTP fakes
 * (test/fakes/) wrapped for recording and faults, and a seeded Random. The
 * checkpoint store and lock are test/fakes' too (memory-checkpoint.ts,
 * memory-lock.ts, wrapped by instrumented-checkpoint.ts).
 */
import { InstrumentedCache } from '../../../fakes/instrumented-cache.js';
import { MemoryCache } from '../../../fakes/memory-cache.js';
import type { Clock } from '../../../../src/ports/clock.js';
import type { HttpRequest } from '../../../../src/ports/http.js';
import { InstrumentedHttp, type SeenRequest } from '../../../fakes/instrumented-http.js';
import { MemoryHttp } from '../../../fakes/memory-http.js';

export { FakeClock } from '../../../fakes/virtual-clock.js';
export { seededRandom } from '../../../fakes/seeded-random.js';

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

/** What a scripted origin answers: a response, or a transport error; `latencyMs` of virtual time. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string; latencyMs?: number } | { error: string; latencyMs?: number };

export type { SeenRequest };

/**
 * The HTTP fake of the core tests: the contract-checked MemoryHttp
 * (test/fakes/memory-http.ts) with its latency on the virtual clock, inside
 * the InstrumentedHttp wrapper (requests with their time, completed,
 * concurrency). A handler answers each request.
 */
export class FakeHttp extends InstrumentedHttp<MemoryHttp> {
  constructor(clock: Clock, handler: (req: HttpRequest, seen: SeenRequest) => Reply) {
    const ref: { requests?: SeenRequest[] } = {};
    const memory = new MemoryHttp(
      (req) => {
        const reply = handler(req, ref.requests!.at(-1)!);
        const { latencyMs, ...rest } = reply;
        return latencyMs !== undefined ? { ...rest, delayMs: latencyMs } : rest;
      },
      { clock },
    );
    super(memory, clock);
    ref.requests = this.requests;
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
