/**
 * A warm run's items and their counts. An item is one key × one header
 * variant (variant-major: item = variant × keys + key). The tally knows
 * which items are done (an IndexSet, restored from a checkpoint), counts
 * warmed / already hot / failed items and retries, keeps the failure list
 * and pulls streamed keys in (the item list grows as they arrive).
 */
import { IndexSet } from '../checkpoint.js';
import { describeVariant, type HeaderVariant } from '../http-cache.js';
import type { KeyFeed } from './keys.js';
import type { WarmFailure } from './types.js';

export interface TallyOptions {
  /** Failures listed (the counts by reason are always complete). */
  failureListLimit: number;
  /** Called after each failure while failures exceed the budget. */
  onTooManyFailures?: () => void;
  maxFailures: number;
}

export class Tally {
  total: number;
  done: IndexSet;
  /** Items done by earlier runs (from the checkpoint). */
  resumed = 0;
  warmed = 0;
  alreadyHot = 0;
  failed = 0;
  retries = 0;
  readonly failures: WarmFailure[] = [];
  failuresTruncated = false;
  readonly byReason: Record<string, number> = {};

  constructor(
    readonly keys: string[],
    readonly variants: readonly HeaderVariant[],
    private readonly options: TallyOptions,
    /** Keys still streaming in (copy mode without a checkpoint); undefined once they all arrived or without a stream. */
    private feed: KeyFeed | undefined,
  ) {
    this.total = keys.length * variants.length;
    this.done = new IndexSet(this.total);
  }

  /** Keys are still streaming in: the total is only what arrived so far. */
  get streaming(): boolean {
    return this.feed !== undefined;
  }

  /** Take the next streamed batch of keys; false when there are no more. */
  async pullKeys(): Promise<boolean> {
    const feed = this.feed;
    if (!feed) return false;
    const more = await feed.pull();
    if (!more) this.feed = undefined;
    this.total = this.keys.length * this.variants.length;
    this.done.grow(this.total);
    return more;
  }

  /** Stop the key stream (the run is over). */
  async closeFeed(): Promise<void> {
    await this.feed?.close();
  }

  /** Start from a checkpoint's done set. */
  restore(done: IndexSet): void {
    this.done = done;
    this.resumed = done.count;
  }

  markHot(item: number): void {
    this.done.add(item);
    this.alreadyHot++;
  }

  markWarmed(item: number): void {
    this.done.add(item);
    this.warmed++;
  }

  recordFailure(item: number, reason: string, detail?: string): void {
    this.failed++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    if (this.failures.length < this.options.failureListLimit) {
      const k = this.keys.length;
      const f: WarmFailure = { key: this.keys[item % k] as string, reason };
      if (this.variants.length > 1) f.variant = describeVariant(this.variants[Math.floor(item / k)] as HeaderVariant);
      if (detail !== undefined) f.detail = detail;
      this.failures.push(f);
    } else this.failuresTruncated = true;
    if (this.options.onTooManyFailures && this.failed > this.options.maxFailures) this.options.onTooManyFailures();
  }

  /** Items finished in this run or earlier ones, failures included. */
  get finished(): number {
    return this.done.count + this.failed;
  }

  /** Indices not yet done, in order, in chunks. */
  *remainingChunks(size: number): Generator<number[]> {
    let chunk: number[] = [];
    for (let i = 0; i < this.total; i++) {
      if (this.done.has(i)) continue;
      chunk.push(i);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  *remaining(): Generator<number> {
    for (let i = 0; i < this.total; i++) if (!this.done.has(i)) yield i;
  }
}
