/**
 * The file-backed CheckpointStore and Lock of `relia cache warm` (the engine
 * declares the interfaces; src/core/cache/checkpoint.ts).
 *
 *  - A checkpoint is one JSON document (WarmCheckpoint), replaced atomically
 *    (write a sibling, rename), so a crash never leaves half a file.
 *  - A lock is a file holding who owns it, created with its content in one
 *    step (a sibling hard-linked to the lock's name, which fails when the
 *    name exists), so no run ever sees it empty. A lock whose owner is a dead
 *    process on this host, or whose file is garbage, is stale and is taken
 *    over (moved aside, checked to be the stale one, put back if it is not);
 *    a lock from another host is honoured (its owner may be alive there).
 *    Pinned by the lock contract (test/contract/lock.contract.test.ts), which
 *    the in-memory fake of the core tests passes too.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { fnv1a32 } from '../../core/cache/hash.js';
import type { CheckpointStore, Lock, WarmCheckpoint } from '../../core/cache/checkpoint.js';
import { writeFileAtomic } from '../files.js';

export class FileCheckpointStore implements CheckpointStore {
  /** The last checkpoint written or read, for the human report. */
  last: WarmCheckpoint | null = null;

  constructor(readonly path: string) {}

  async load(): Promise<WarmCheckpoint | null> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new InputError(`--checkpoint: cannot read ${this.path}: ${(error as Error).message}`, { field: '--checkpoint', suggestions: ['check the path and its permissions'] });
    }
    try {
      this.last = JSON.parse(text) as WarmCheckpoint;
      return this.last;
    } catch {
      throw new InputError(`--checkpoint: ${this.path} is not a relia checkpoint (not JSON)`, {
        field: '--checkpoint',
        suggestions: ['pass --restart to replace it, or point --checkpoint at another file'],
      });
    }
  }

  async save(checkpoint: WarmCheckpoint): Promise<void> {
    try {
      writeFileAtomic(this.path, `${JSON.stringify(checkpoint)}\n`);
    } catch (error) {
      // (with --restart nothing was read first, so this is where a bad path shows)
      throw new InputError(`--checkpoint: cannot write ${this.path}: ${(error as Error).message}`, { field: '--checkpoint', suggestions: ['check the directory is writable, or point --checkpoint at another file'] });
    }
    this.last = checkpoint;
  }

  async clear(): Promise<void> {
    rmSync(this.path, { force: true });
  }
}

interface LockInfo {
  pid: number;
  host: string;
  since: string;
  command: string;
}

function parseLock(text: string | null): LockInfo | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as LockInfo;
  } catch {
    return null;
  }
}

/** Remove a file if it is there; a path that cannot hold one is nothing to remove. */
function discard(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // ENOTDIR: a parent is a file, so the file was never created
  }
}

/** Numbers the sibling files of lock attempts in this process. */
let sequence = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class FileLock implements Lock {
  private held = false;

  constructor(
    readonly path: string,
    private readonly command = 'relia cache warm',
  ) {}

  private read(): LockInfo | null {
    return parseLock(this.readText());
  }

  private readText(path = this.path): string | null {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  }

  private cannot(error: unknown): InputError {
    return new InputError(`--lock: cannot create ${this.path}: ${(error as Error).message}`, { field: '--lock', suggestions: ['check the directory exists and is writable', 'or pass --no-lock'] });
  }

  /** A sibling name no other lock attempt uses. */
  private sibling(what: string): string {
    return join(dirname(this.path), `.${basename(this.path)}.${what}.${process.pid}.${++sequence}`);
  }

  /**
   * Create `target` (the lock, or its breaker) holding this run's lock record
   * in one step: write a sibling, then hard-link it to the name (which fails
   * if the name exists). Another run never sees the file empty, so never
   * mistakes a lock being created for a garbage one. False if it exists.
   */
  private tryLink(target: string): boolean {
    const text = `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), command: this.command } satisfies LockInfo)}\n`;
    const tmp = this.sibling('new');
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(tmp, text, { mode: 0o644 });
    } catch (error) {
      discard(tmp);
      throw this.cannot(error);
    }
    try {
      linkSync(tmp, target);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return this.createExclusive(target, text); // no hard links here
      throw this.cannot(error);
    } finally {
      discard(tmp);
    }
  }

  /** Where hard links are not supported: create the file exclusively (O_EXCL), then write it. */
  private createExclusive(target: string, text: string): boolean {
    let fd: number;
    try {
      fd = openSync(target, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw this.cannot(error);
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  /**
   * Remove a stale lock whose text was `stale`, and nothing else. Only a run
   * holding the breaker (`<lock>.break`, created by the same atomic link) may
   * remove a lock it does not own, so between its read and its removal the
   * lock cannot change: it is created only where none exists, and its dead
   * owner never releases it. (Moving the lock aside and putting back a live one
   * let a third run create the lock in that gap, and both held it.) A run that
   * finds the breaker held does nothing: the breaker's holder removes the stale
   * lock, and the create that follows decides who holds it.
   */
  private removeStale(stale: string | null): void {
    const breaker = `${this.path}.break`;
    if (!this.tryLink(breaker) && !this.breakStaleBreaker(breaker)) return;
    try {
      if (this.readText() === stale) rmSync(this.path, { force: true });
    } finally {
      rmSync(breaker, { force: true });
    }
  }

  /** A breaker left by a run that died while holding it (held for microseconds otherwise): remove it, then try once more. */
  private breakStaleBreaker(breaker: string): boolean {
    const info = parseLock(this.readText(breaker));
    if (info === null || info.host !== hostname() || alive(info.pid)) return false;
    rmSync(breaker, { force: true });
    return this.tryLink(breaker);
  }

  async acquire(): Promise<boolean> {
    if (this.held) return false;
    if (this.tryLink(this.path)) {
      this.held = true;
      return true;
    }
    const text = this.readText();
    const info = parseLock(text);
    // stale: the owner was a process on this host that no longer runs (or the file is unreadable garbage)
    if (info === null || (info.host === hostname() && !alive(info.pid))) {
      this.removeStale(text);
      if (this.tryLink(this.path)) {
        this.held = true;
        return true;
      }
    }
    return false;
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const info = this.read();
    if (info && info.pid === process.pid && info.host === hostname()) rmSync(this.path, { force: true });
  }

  async holder(): Promise<string | undefined> {
    const info = this.read();
    return info ? `pid ${info.pid} on ${info.host} since ${info.since}, lock file ${this.path}` : `lock file ${this.path}`;
  }
}

/** The default lock file for a run: one per target and shard, in the temp directory. */
export function defaultLockPath(targetId: string, shard: string): string {
  return join(tmpdir(), `relia-cache-warm-${fnv1a32(`${targetId}\n${shard}`).toString(16).padStart(8, '0')}.lock`);
}
