/**
 * Documented wrappers around the contract-checked checkpoint store and lock
 * fakes (memory-checkpoint.ts, memory-lock.ts) for what the warm engine's
 * tests need beyond the interfaces' semantics. They never change what the
 * inner fake answers (the checkpoint and lock contracts run them too, with
 * nothing armed); they only add:
 *  - InstrumentedCheckpointStore: recording (`saves`, `history`: the
 *    `doneCount` of every save in order, `clears`, `loads`) and one fault,
 *    `failSave` (a save rejects with `disk full` before reaching the store, so
 *    the stored checkpoint stays the previous one); `saved` and `document`
 *    are the inner store's;
 *  - InstrumentedLock: recording (`acquired`: successful acquires, `released`:
 *    release calls); `held` is the inner lock's.
 */
import type { CheckpointStore, Lock, WarmCheckpoint } from '../../src/core/cache/checkpoint.js';
import { MemoryCheckpointStore } from './memory-checkpoint.js';
import { MemoryLock } from './memory-lock.js';

export class InstrumentedCheckpointStore implements CheckpointStore {
  saves = 0;
  /** doneCount of every save, in order. */
  readonly history: number[] = [];
  clears = 0;
  loads = 0;
  /** Fault: the next saves reject with `disk full` (nothing is stored). */
  failSave = false;

  constructor(readonly inner = new MemoryCheckpointStore()) {}

  async load(): Promise<WarmCheckpoint | null> {
    this.loads++;
    return this.inner.load();
  }

  async save(checkpoint: WarmCheckpoint): Promise<void> {
    if (this.failSave) throw new Error('disk full');
    this.saves++;
    this.history.push(checkpoint.doneCount);
    await this.inner.save(checkpoint);
  }

  async clear(): Promise<void> {
    this.clears++;
    await this.inner.clear();
  }

  get saved(): WarmCheckpoint | null {
    return this.inner.saved;
  }

  get document(): string | null {
    return this.inner.document;
  }
}

export class InstrumentedLock implements Lock {
  acquired = 0;
  released = 0;

  constructor(readonly inner = new MemoryLock()) {}

  async acquire(): Promise<boolean> {
    const ok = await this.inner.acquire();
    if (ok) this.acquired++;
    return ok;
  }

  async release(): Promise<void> {
    this.released++;
    await this.inner.release();
  }

  async holder(): Promise<string | undefined> {
    return this.inner.holder();
  }

  get held(): boolean {
    return this.inner.held;
  }
}
