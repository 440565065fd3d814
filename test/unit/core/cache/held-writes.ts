/**
 * A documented wrapper over the cache fake of the core tests (FakeKv: the
 * contract-checked MemoryCache inside InstrumentedCache) whose `setMany`
 * calls wait until the test settles them: `held[i].resolve()` lets the write
 * through to the fake (it lands, and the call is recorded then), and
 * `held[i].reject(err)` fails it before it reaches the fake (nothing written),
 * as a write lost on the wire. Every other call goes straight to the fake.
 */
import type { CacheEntry } from '../../../../src/ports/cache.js';
import type { Clock } from '../../../../src/ports/clock.js';
import { FakeKv } from './fakes.js';

export interface HeldWrite {
  entries: readonly CacheEntry[];
  /** Let the write through to the fake; the held call resolves once it landed. */
  resolve: () => void;
  /** Fail the write without reaching the fake. */
  reject: (err: Error) => void;
}

export class HeldWritesKv extends FakeKv {
  readonly held: HeldWrite[] = [];

  constructor(clock: Clock) {
    super(clock);
  }

  override setMany(entries: readonly CacheEntry[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.held.push({
        entries,
        resolve: () => void super.setMany(entries).then(resolve, reject),
        reject,
      });
    });
  }
}
