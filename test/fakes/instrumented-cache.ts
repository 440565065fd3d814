/**
 * A documented wrapper around any KeyValueCache (in core tests: the
 * contract-checked MemoryCache) for what a test needs beyond the port's
 * semantics. It never changes what the inner cache answers; it only adds:
 *  - recording: `calls` (op, keys, virtual time), `sets` (entries written, in
 *    order), `count(op)`, `maxInFlight`;
 *  - latency: `latencyMs` of virtual time per call (`clock.sleep`);
 *  - fault injection: `fault(op, keys)` returns an Error to fail a call before
 *    it reaches the inner cache; `cutAfterEntries` makes the next `setMany`
 *    write only that many entries and then fail, the way a connection lost
 *    mid-pipeline leaves a prefix of the batch written (the cache contract
 *    pins this on real Redis);
 *  - `scanDuplicates`: each SCAN batch is returned twice, as Redis may repeat
 *    keys across a rehash.
 */
import { DependencyError } from '../../src/core/errors.js';
import type { CacheEntry, CacheStats, KeyValueCache } from '../../src/ports/cache.js';
import type { Clock } from '../../src/ports/clock.js';

export interface CacheCall {
  op: string;
  keys: string[];
  at: number;
}

export class InstrumentedCache<C extends KeyValueCache = KeyValueCache> implements KeyValueCache {
  readonly calls: CacheCall[] = [];
  readonly sets: CacheEntry[] = [];
  latencyMs = 0;
  fault: ((op: string, keys: readonly string[]) => Error | undefined) | undefined;
  /** The next setMany writes this many entries, then fails (a lost connection). */
  cutAfterEntries: number | undefined;
  scanDuplicates = false;
  maxInFlight = 0;
  private inFlight = 0;

  constructor(
    readonly inner: C,
    private readonly clock: Clock,
  ) {}

  get kind(): string {
    return this.inner.kind;
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  private async call<T>(op: string, keys: readonly string[], run: () => Promise<T>): Promise<T> {
    this.calls.push({ op, keys: [...keys], at: this.clock.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs);
      const err = this.fault?.(op, keys);
      if (err) throw err;
      return await run();
    } finally {
      this.inFlight--;
    }
  }

  getMany(keys: readonly string[]): Promise<Array<Buffer | null>> {
    return this.call('getMany', keys, () => this.inner.getMany(keys));
  }

  existsMany(keys: readonly string[]): Promise<boolean[]> {
    return this.call('existsMany', keys, () => this.inner.existsMany(keys));
  }

  setMany(entries: readonly CacheEntry[]): Promise<void> {
    return this.call(
      'setMany',
      entries.map((e) => e.key),
      async () => {
        const cut = this.cutAfterEntries;
        if (cut !== undefined && cut < entries.length) {
          this.cutAfterEntries = undefined;
          this.sets.push(...entries.slice(0, cut));
          await this.inner.setMany(entries.slice(0, cut));
          throw new DependencyError('redis', `SET failed on ${this.kind}: connection lost after ${cut} of ${entries.length} entries`, { suggestions: ['check the server is up'] });
        }
        this.sets.push(...entries);
        await this.inner.setMany(entries);
      },
    );
  }

  ttlMany(keys: readonly string[]): Promise<number[]> {
    return this.call('ttlMany', keys, () => this.inner.ttlMany(keys));
  }

  deleteMany(keys: readonly string[]): Promise<number> {
    return this.call('deleteMany', keys, () => this.inner.deleteMany(keys));
  }

  async *scan(pattern: string, options: { batch?: number; signal?: AbortSignal } = {}): AsyncIterable<string[]> {
    const it = this.inner.scan(pattern, options)[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.call('scan', [pattern], () => it.next());
      if (next.done) return;
      yield this.scanDuplicates ? [...next.value, ...next.value] : next.value;
    }
  }

  stats(): Promise<CacheStats> {
    return this.call('stats', [], () => this.inner.stats());
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
