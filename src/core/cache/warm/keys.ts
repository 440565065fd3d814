/**
 * The run's key list: deduplicated, in its shard, and growing while keys
 * stream in (copy mode's SCAN of the source).
 */
import { type Shard, shardOf } from '../shard.js';

/**
 * The run's keys in order, without duplicates, in its shard; grows when keys
 * stream in. Duplicates are found with an open-addressing table of (32-bit
 * hash, index into the list) on typed arrays: for hundreds of thousands of
 * keys it costs a fraction of a Set<string> (no per-entry objects, one probe
 * sequence, strings compared only when their hashes are equal).
 */
export class KeyList {
  readonly list: string[] = [];
  /** Whether a key was seen: its index + 1 in `all` (every distinct key, in or out of the shard), 0 for an empty slot. */
  private slots = new Int32Array(1024);
  private hashes = new Uint32Array(1024);
  /** Every distinct key seen: `list` itself when unsharded. */
  private readonly all: string[];
  private readonly shard: Shard | undefined;

  constructor(shard: Shard | undefined) {
    this.shard = shard !== undefined && shard.count > 1 ? shard : undefined;
    // Stryker disable next-line ArrayDeclaration: equivalent, a stray first element of `all` is never in a slot (slots hold index + 1 of keys pushed after it), so no key is ever compared with it
    this.all = this.shard ? [] : this.list;
  }

  private static hash(k: string): number {
    let h = 0x811c9dc5;
    // Stryker disable next-line EqualityOperator: equivalent, one more round with charCodeAt(length) = NaN (xor as 0) is still a deterministic hash; keys are compared as strings whenever hashes match
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 12)) >>> 0;
  }

  /** Record `k`; false when it was already seen. */
  private fresh(k: string): boolean {
    // Stryker disable next-line EqualityOperator: equivalent, growing one key earlier only changes the table's size, never which keys are found
    if ((this.all.length + 1) * 2 > this.slots.length) this.resize();
    const h = KeyList.hash(k);
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const s = this.slots[i] as number;
      if (s === 0) break;
      if (this.hashes[i] === h && this.all[s - 1] === k) return false;
      i = (i + 1) & mask;
    }
    this.all.push(k);
    this.slots[i] = this.all.length;
    this.hashes[i] = h;
    return true;
  }

  private resize(): void {
    const size = this.slots.length * 2;
    const mask = size - 1;
    const slots = new Int32Array(size);
    const hashes = new Uint32Array(size);
    // Stryker disable next-line EqualityOperator: equivalent, slots[length] is undefined, re-inserted as 0 into an empty slot: a no-op
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i] as number;
      if (s === 0) continue;
      const h = this.hashes[i] as number;
      let j = h & mask;
      while (slots[j] !== 0) j = (j + 1) & mask;
      slots[j] = s;
      hashes[j] = h;
    }
    this.slots = slots;
    this.hashes = hashes;
  }

  add(keys: Iterable<string>): void {
    const shard = this.shard;
    for (const k of keys) {
      if (!this.fresh(k)) continue;
      if (shard && shardOf(k, shard.count) === shard.index) this.list.push(k);
    }
  }
}

/** Pulls batches from a key stream into a KeyList, one batch read ahead. */
export class KeyFeed {
  private readonly it: AsyncIterator<readonly string[]>;
  private ahead: Promise<IteratorResult<readonly string[]>> | undefined;
  ended = false;

  constructor(
    stream: AsyncIterable<readonly string[]>,
    private readonly into: KeyList,
  ) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** Add the next batch; false when the stream has ended. */
  async pull(): Promise<boolean> {
    if (this.ended) return false;
    const r = await (this.ahead ?? this.it.next());
    if (r.done) {
      this.ended = true;
      this.ahead = undefined;
      return false;
    }
    this.ahead = this.it.next();
    this.ahead.catch(() => undefined); // observed by the next pull, or dropped by close
    this.into.add(r.value);
    return true;
  }

  /** Stop the stream early (e.g. SCAN) when the run stops. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      await this.ahead;
    } catch {
      // the run already stopped; the stream's own error does not matter now
    }
    await this.it.return?.().catch(() => undefined);
  }
}
