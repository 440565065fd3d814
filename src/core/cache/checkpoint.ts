/**
 * Resumable warm runs: what a checkpoint holds, the store and lock the command
 * layer implements (with files), and the compact done-set. Pure.
 *
 * A run's work is a deterministic list of items (key i × header variant v →
 * item v·K + i for K keys, after dedupe and sharding: variant-major). The checkpoint keeps the set of
 * finished item indices as sorted half-open ranges — a run that proceeds in
 * order leaves one range plus a few gaps — and a fingerprint of everything
 * that decides the list, so a resume against different inputs is refused.
 */
import { InputError } from '../errors.js';
import { Fingerprint } from './hash.js';

export const CHECKPOINT_VERSION = 1;

export interface WarmCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  /** Fingerprint of the run's inputs (see `runFingerprint`). */
  fingerprint: string;
  /** Human description of the run (target, shard), for error messages. */
  description: string;
  /** Items in the run. */
  total: number;
  /** Finished items (warmed or already hot; failed items are not, so a resume retries them): sorted half-open [start, end) ranges. */
  done: Array<[number, number]>;
  /** Σ of the ranges' lengths. */
  doneCount: number;
  /** Epoch ms of the save. */
  savedAt: number;
}

/** Where checkpoints persist (a file per run/shard in the command layer). */
export interface CheckpointStore {
  load(): Promise<WarmCheckpoint | null>;
  save(checkpoint: WarmCheckpoint): Promise<void>;
  clear(): Promise<void>;
}

/** A mutual-exclusion lock so two runs never share a checkpoint (a lock file in the command layer). */
export interface Lock {
  /** True when acquired; false when another holder has it. */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
  /** Who holds it, for the error message (e.g. `pid 4242 on host-a since 12:00`). */
  holder?(): Promise<string | undefined>;
}

/** A set of item indices in [0, size), stored as a bitmap; serialised as ranges. */
export class IndexSet {
  private bits: Uint8Array;
  private n = 0;
  private length: number;

  constructor(size: number) {
    this.length = size;
    // Stryker disable next-line ArithmeticOperator: equivalent, capacity only: a larger buffer holds the same bits (indices stay below `size`)
    this.bits = new Uint8Array(Math.ceil(size / 8));
  }

  get size(): number {
    return this.length;
  }

  /** Widen to `size` items (the new ones not in the set): a run whose list grows while it runs. */
  grow(size: number): void {
    // Stryker disable next-line ArithmeticOperator: equivalent, capacity only: a larger buffer holds the same bits (indices stay below `size`)
    const bytes = Math.ceil(size / 8);
    if (bytes > this.bits.length) {
      const bits = new Uint8Array(Math.max(bytes, 2 * this.bits.length));
      bits.set(this.bits);
      this.bits = bits;
    }
    this.length = Math.max(this.length, size); // never shrinks
  }

  has(i: number): boolean {
    return ((this.bits[i >> 3] as number) & (1 << (i & 7))) !== 0;
  }

  add(i: number): void {
    if (i < 0 || i >= this.size || this.has(i)) return;
    this.bits[i >> 3] = (this.bits[i >> 3] as number) | (1 << (i & 7));
    this.n++;
  }

  addRange(start: number, end: number): void {
    for (let i = start; i < end; i++) this.add(i);
  }

  get count(): number {
    return this.n;
  }

  toRanges(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let start = -1;
    for (let i = 0; i < this.size; i++) {
      const byte = this.bits[i >> 3] as number;
      // Stryker disable next-line BlockStatement: equivalent, skipping an empty byte is a shortcut: bit by bit, its 8 clear bits outside a range add nothing
      if (byte === 0 && (i & 7) === 0 && start < 0) {
        i += 7; // skip an empty byte
        continue;
      }
      if ((byte & (1 << (i & 7))) !== 0) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        out.push([start, i]);
        start = -1;
      }
    }
    if (start >= 0) out.push([start, this.size]);
    return out;
  }

  static fromRanges(size: number, ranges: ReadonlyArray<readonly [number, number]>): IndexSet {
    const set = new IndexSet(size);
    for (const [a, b] of ranges) set.addRange(Math.max(0, a), Math.min(size, b));
    return set;
  }
}

/** Everything that decides a run's item list and meaning. */
export interface RunIdentity {
  /** `redis-origin`, `redis-copy`, `http`. */
  mode: string;
  /** The target's identity, e.g. the Redis URL without password, the HTTP base URL. */
  target: string;
  /** Origin URL template, source cache, method, …: anything else that changes what an item means. */
  details: readonly string[];
  /** `i/n`, or `` when unsharded. */
  shard: string;
  /** The run's keys, after dedupe and sharding, in order. */
  keys: readonly string[];
  /** Header variants, described. */
  variants: readonly string[];
}

/** A 64-bit fingerprint of a run's identity (16 hex digits). */
export function runFingerprint(id: RunIdentity): string {
  const f = new Fingerprint().update(`relia-cache-warm/${CHECKPOINT_VERSION}`).update(id.mode).update(id.target).update(id.shard);
  f.update(String(id.details.length));
  for (const d of id.details) f.update(d);
  f.update(String(id.variants.length));
  for (const v of id.variants) f.update(v);
  f.update(String(id.keys.length));
  for (const k of id.keys) f.update(k);
  return f.digest();
}

/** Check a loaded checkpoint against this run. Returns the done-set, or throws InputError on a mismatch. */
export function restoreDone(
  loaded: WarmCheckpoint | null,
  expected: { fingerprint: string; total: number; description: string },
  onMismatch: 'error' | 'discard',
): IndexSet | null {
  if (!loaded) return null;
  const valid = loaded.version === CHECKPOINT_VERSION && Array.isArray(loaded.done);
  if (valid && loaded.fingerprint === expected.fingerprint && loaded.total === expected.total) {
    return IndexSet.fromRanges(expected.total, loaded.done);
  }
  if (onMismatch === 'discard') return null;
  throw new InputError(
    valid
      ? `--checkpoint: the checkpoint was written by a different run (${loaded.description}, ${loaded.total} items) than this one (${expected.description}, ${expected.total} items); the sources, target or shard changed`
      : `--checkpoint: the checkpoint has an unknown format (version ${String((loaded as { version?: unknown }).version)})`,
    {
      field: '--checkpoint',
      suggestions: ['re-run with the same sources, target and --shard to resume', 'or pass --restart to discard the checkpoint and start over'],
    },
  );
}
