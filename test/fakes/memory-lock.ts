/**
 * The in-memory Lock: THE fake of the warm run's lock (the interface is
 * declared by the engine, src/core/cache/checkpoint.ts; the real one is
 * FileLock, src/cli/cache/files.ts). It passes the same contract suite as the
 * file lock (test/contract/lock.contract.test.ts), so its semantics are the
 * file's:
 *  - locks of one name in one LockTable (the directory the lock files live
 *    in) exclude each other; `acquire()` is true for exactly one of them and
 *    false for the others (and for a second acquire by the holder: the lock is
 *    not reentrant) until the holder releases;
 *  - `holder()` names the owner that holds it (the file lock: pid, host, since
 *    and the lock file), for the engine's "another warm run holds the lock"
 *    error;
 *  - a lock left by an owner that is gone (`alive: false`: a dead process on
 *    this host) is stale and taken over by the next acquire; a live foreign
 *    owner (another host's run) is honoured;
 *  - `release()` frees the lock only when this lock holds it: a lock that was
 *    never acquired, failed to acquire or was already released leaves the
 *    holder's lock alone (the command releases twice: the engine's `finally`
 *    and the command's cleanup).
 *
 * Recording (acquired/released counts) is in the wrapper InstrumentedLock
 * (instrumented-checkpoint.ts), never here.
 */
import type { Lock } from '../../src/core/cache/checkpoint.js';

interface Owner {
  owner: string;
  alive: boolean;
}

/** Where locks live, by name: the directory of lock files, or a keyspace. */
export class LockTable {
  private readonly locks = new Map<string, Owner>();
  private n = 0;

  /** Put a lock of another owner under `name` (a live run elsewhere, or a dead one's leftover when `alive` is false). */
  plant(name: string, owner: string, alive = true): void {
    this.locks.set(name, { owner, alive });
  }

  /** Who holds `name`, if anyone (a stale lock included). */
  owner(name: string): string | undefined {
    return this.locks.get(name)?.owner;
  }

  /** @internal */
  tryTake(name: string, owner: string): boolean {
    const current = this.locks.get(name);
    if (current && current.alive) return false;
    this.locks.set(name, { owner, alive: true });
    return true;
  }

  /** @internal */
  drop(name: string, owner: string): void {
    if (this.locks.get(name)?.owner === owner) this.locks.delete(name);
  }

  /** @internal */
  nextOwner(): string {
    return `memory lock ${++this.n}`;
  }
}

export class MemoryLock implements Lock {
  private holding = false;
  readonly owner: string;

  constructor(
    readonly table = new LockTable(),
    readonly name = 'lock',
    owner?: string,
  ) {
    this.owner = owner ?? table.nextOwner();
  }

  /** A lock whose name a live foreign owner already holds: every acquire fails, `holder()` names `owner`. */
  static heldBy(owner: string): MemoryLock {
    const table = new LockTable();
    table.plant('lock', owner);
    return new MemoryLock(table);
  }

  /** This lock holds its name. */
  get held(): boolean {
    return this.holding;
  }

  async acquire(): Promise<boolean> {
    if (this.holding || !this.table.tryTake(this.name, this.owner)) return false;
    this.holding = true;
    return true;
  }

  async release(): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    this.table.drop(this.name, this.owner);
  }

  async holder(): Promise<string | undefined> {
    return this.table.owner(this.name);
  }
}
