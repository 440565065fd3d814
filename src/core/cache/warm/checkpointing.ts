/**
 * A warm run's checkpoint: restore the done items at the start (refusing or
 * discarding one from different inputs), save them every
 * `checkpointIntervalMs` and when the run stops early, clear the store when
 * the list is finished. Items whose write has not landed are never saved as
 * done: the write buffer is flushed first.
 */
import type { Clock } from '../../../ports/clock.js';
import { CHECKPOINT_VERSION, type CheckpointStore, type IndexSet, restoreDone, runFingerprint, type WarmCheckpoint } from '../checkpoint.js';
import { describeVariant } from '../http-cache.js';
import { formatShard } from '../shard.js';
import type { Prepared } from './prepare.js';
import type { Tally } from './tally.js';
import type { WarmOptions, WarmResult } from './types.js';
import type { WriteBuffer } from './write-buffer.js';

export class Checkpointer {
  private readonly store: CheckpointStore | undefined;
  private readonly intervalMs: number;
  private lastSave: number;
  private fingerprintCache: string | undefined;
  /** A checkpoint existed when the run started. */
  private loaded = false;
  /** The store was cleared (the list was finished): nothing may be saved after that. */
  private cleared = false;
  /** The checkpoint was loaded (or there was none): saving now cannot overwrite progress not yet read. */
  private restored = false;

  constructor(
    private readonly o: WarmOptions,
    private readonly p: Prepared,
    private readonly tally: Tally,
    private readonly writes: WriteBuffer,
    /** How the run is named in the checkpoint and its messages. */
    private readonly description: string,
  ) {
    this.store = o.checkpoint;
    this.intervalMs = o.checkpointIntervalMs ?? 5000;
    this.lastSave = o.clock.now();
  }

  private get clock(): Clock {
    return this.o.clock;
  }

  /** The run's fingerprint (the key list is final by then: streams are read first when there is a store). */
  private get fingerprint(): string {
    this.fingerprintCache ??= runFingerprint({
      mode: this.p.mode,
      target: this.p.targetId,
      details: this.p.details,
      shard: this.o.shard && this.o.shard.count > 1 ? formatShard(this.o.shard) : '',
      keys: this.tally.keys,
      variants: this.p.variants.map(describeVariant),
    });
    return this.fingerprintCache;
  }

  /**
   * Load the store's checkpoint: the items it says are done, or null (none,
   * or one from other inputs discarded). Throws InputError for a refused one.
   */
  async restore(): Promise<IndexSet | null> {
    const store = this.store;
    if (!store) return null;
    const loaded = await store.load();
    this.loaded = loaded !== null;
    // Stryker disable next-line StringLiteral: equivalent, restoreDone refuses on every value but 'discard', so '' acts as 'error'
    return restoreDone(loaded, { fingerprint: this.fingerprint, total: this.tally.total, description: this.description }, this.o.onCheckpointMismatch ?? 'error');
  }

  /** From now on a save cannot overwrite progress not yet read. */
  markRestored(): void {
    this.restored = true;
  }

  /** A save is due (there is a store and the interval has passed). */
  due(): boolean {
    return this.store !== undefined && this.clock.now() - this.lastSave >= this.intervalMs;
  }

  /** Flush pending writes, then save. */
  async save(): Promise<void> {
    const store = this.store;
    if (!store) return;
    await this.writes.flush();
    this.lastSave = this.clock.now();
    await store.save(this.record(this.lastSave));
  }

  async saveIfDue(): Promise<void> {
    if (this.due()) await this.save();
  }

  /**
   * At the end of the run: clear the store when the list was finished, else
   * save what was done (unless nothing was done and there was nothing to
   * resume: an empty checkpoint would only get in the way of a changed re-run).
   */
  async settle(completed: boolean): Promise<WarmResult['checkpoint']> {
    const store = this.store;
    if (!store) return 'none';
    if (completed) {
      this.cleared = true;
      await store.clear();
      return 'cleared';
    }
    await this.writes.flush();
    if (this.tally.done.count > 0 || this.loaded) {
      await this.save();
      return 'saved';
    }
    return 'none';
  }

  /** See WarmHandle.checkpointNow. */
  async now(flushWaitMs = 2000): Promise<boolean> {
    const store = this.store;
    if (!store || this.cleared || !this.restored) return false;
    const timer = new AbortController();
    await Promise.race([this.writes.chain, this.clock.sleep(flushWaitMs, timer.signal).catch(() => undefined)]);
    timer.abort();
    if (this.cleared) return false;
    await store.save(this.record(this.clock.now()));
    return true;
  }

  private record(savedAt: number): WarmCheckpoint {
    return {
      version: CHECKPOINT_VERSION,
      fingerprint: this.fingerprint,
      description: this.description,
      total: this.tally.total,
      done: this.tally.done.toRanges(),
      doneCount: this.tally.done.count,
      savedAt,
    };
  }
}
