/**
 * The file-backed CheckpointStore and Lock of `relia cache warm` (the engine
 * declares the interfaces; src/core/cache/checkpoint.ts).
 *
 *  - A checkpoint is one JSON document (WarmCheckpoint), replaced atomically
 *    (write a sibling, rename), so a crash never leaves half a file.
 *  - A lock is a file created exclusively (O_EXCL) holding who owns it. A lock
 *    whose owner is a dead process on this host is stale and is taken over;
 *    a lock from another host is honoured (its owner may be alive there).
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    writeFileAtomic(this.path, `${JSON.stringify(checkpoint)}\n`);
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
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as LockInfo;
    } catch {
      return null;
    }
  }

  private tryCreate(): boolean {
    mkdirSync(dirname(this.path), { recursive: true });
    let fd: number;
    try {
      fd = openSync(this.path, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw new InputError(`--lock: cannot create ${this.path}: ${(error as Error).message}`, { field: '--lock', suggestions: ['check the directory exists and is writable', 'or pass --no-lock'] });
    }
    const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: this.command };
    try {
      writeSync(fd, `${JSON.stringify(info)}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  async acquire(): Promise<boolean> {
    if (this.tryCreate()) {
      this.held = true;
      return true;
    }
    const info = this.read();
    // stale: the owner was a process on this host that no longer runs (or the file is unreadable garbage)
    if (info === null || (info.host === hostname() && !alive(info.pid))) {
      rmSync(this.path, { force: true });
      if (this.tryCreate()) {
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
