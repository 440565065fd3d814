/**
 * Origin mode's writes: values fetched from the origin are buffered and
 * written with one setMany per batch (or per second, whichever comes first).
 * Writes are serialised on one promise chain, so batches land in order and
 * an item is marked done only once its value is in the cache.
 */
import type { CacheEntry, KeyValueCache } from '../../../ports/cache.js';
import type { Clock } from '../../../ports/clock.js';
import type { Tally } from './tally.js';

const FLUSH_INTERVAL_MS = 1000;
/** More queued writes than this and the pool waits for them (back-pressure). */
const MAX_QUEUED_FLUSHES = 2;

export class WriteBuffer {
  private pending: { entries: CacheEntry[]; items: number[] } = { entries: [], items: [] };
  private pendingSince = 0;
  private queued = 0;
  private writeFailed = false;
  /** Settles when every write issued so far has landed (or failed). */
  chain: Promise<void> = Promise.resolve();

  constructor(
    /** The cache written to; undefined in the modes that do not buffer (then `flush` only returns the chain). */
    private readonly cache: KeyValueCache | undefined,
    private readonly clock: Clock,
    private readonly tally: Tally,
    private readonly onFatal: (err: unknown) => void,
  ) {}

  /** Too many writes are queued: wait for `chain` before issuing more work. */
  get backlogged(): boolean {
    return this.queued > MAX_QUEUED_FLUSHES;
  }

  /** Buffer one value; writes the buffer when it holds `batch` entries or its oldest is a second old. */
  add(item: number, entry: CacheEntry, batch: number): void {
    const now = this.clock.now();
    if (this.pending.items.length === 0) this.pendingSince = now;
    this.pending.entries.push(entry);
    this.pending.items.push(item);
    if (this.pending.items.length >= batch || now - this.pendingSince >= FLUSH_INTERVAL_MS) void this.flush();
  }

  /** Write what is buffered; resolves when everything issued so far has landed. */
  flush(): Promise<void> {
    const cache = this.cache;
    if (!cache || this.pending.items.length === 0) return this.chain;
    const batch = this.pending;
    this.pending = { entries: [], items: [] };
    this.queued++;
    this.chain = this.chain.then(async () => {
      try {
        // after a failed write, later writes are skipped (the values are refetched on resume);
        // after any other error, values already fetched are still written
        if (this.writeFailed) return;
        await cache.setMany(batch.entries);
        for (const i of batch.items) this.tally.markWarmed(i);
      } catch (err) {
        this.writeFailed = true;
        this.onFatal(err);
      } finally {
        this.queued--;
      }
    });
    return this.chain;
  }
}
