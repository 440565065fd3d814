/**
 * The lock contract against the real FileLock (a temp dir), the in-memory
 * fake and the fake inside InstrumentedLock; then what only a lock file shows.
 * `cache warm` has no other lock (no Redis-backed one): the command builds a
 * FileLock (src/cli/cache/warm-run.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLock } from '../../src/cli/cache/files.js';
import { InputError } from '../../src/core/errors.js';
import { InstrumentedLock } from '../fakes/instrumented-checkpoint.js';
import { LockTable, MemoryLock } from '../fakes/memory-lock.js';
import { lockContract } from './suites/lock.js';

const root = mkdtempSync(join(tmpdir(), 'relia-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** The pid of a process that has exited (and been reaped): nothing runs under it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

function plantFile(path: string, info: object): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${JSON.stringify(info)}\n`);
}

lockContract('FileLock (src/cli/cache/files.ts) on a temp dir', async () => {
  const path = join(root, `run-${n++}`, 'warm.lock');
  return {
    lock: () => new FileLock(path),
    async plant(alive) {
      if (alive) {
        plantFile(path, { pid: 4242, host: 'relia-contract-other-host', since: '2026-12-03T12:00:00.000Z', command: 'relia cache warm' });
        return 'pid 4242 on relia-contract-other-host';
      }
      const pid = deadPid();
      plantFile(path, { pid, host: hostname(), since: '2026-12-03T12:00:00.000Z', command: 'relia cache warm' });
      return `pid ${pid} on`;
    },
  };
});

const memoryFixture = (wrap: (l: MemoryLock) => MemoryLock | InstrumentedLock) => async () => {
  const table = new LockTable();
  return {
    lock: () => wrap(new MemoryLock(table)),
    async plant(alive: boolean) {
      const owner = alive ? 'pid 4242 on host-b since 12:00' : 'pid 77 on this host (gone)';
      table.plant('lock', owner, alive);
      return owner;
    },
  };
};

lockContract('memory fake (test/fakes/memory-lock.ts)', memoryFixture((l) => l));
lockContract('memory fake inside InstrumentedLock', memoryFixture((l) => new InstrumentedLock(l)));

describe('FileLock: what only a lock file shows', () => {
  it('the lock file names this process, host, time and command; release removes it', async () => {
    const path = join(root, `own-${n++}`, 'warm.lock');
    const lock = new FileLock(path, 'relia cache warm --target cdn');
    expect(await lock.acquire()).toBe(true);
    const info = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(info).toMatchObject({ pid: process.pid, host: hostname(), command: 'relia cache warm --target cdn' });
    expect(Date.parse(info.since as string)).not.toBeNaN();
    expect(await lock.holder()).toBe(`pid ${process.pid} on ${hostname()} since ${info.since as string}, lock file ${path}`);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('a lock from another host is honoured even when no process here has its pid', async () => {
    const path = join(root, `host-${n++}`, 'warm.lock');
    plantFile(path, { pid: deadPid(), host: 'relia-contract-other-host', since: '2026-12-03T12:00:00.000Z', command: 'relia cache warm' });
    expect(await new FileLock(path).acquire()).toBe(false);
    expect(existsSync(path)).toBe(true);
  });

  it('an unreadable lock file (garbage) is stale and taken over', async () => {
    const path = join(root, `garbage-${n++}`, 'warm.lock');
    plantFile(path, {});
    writeFileSync(path, 'not json');
    const lock = new FileLock(path);
    expect(await lock.acquire()).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('a stale lock is taken over through its breaker, which is gone after; a breaker left by a dead run is broken too', async () => {
    const stale = { pid: deadPid(), host: hostname(), since: '2026-12-03T12:00:00.000Z', command: 'relia cache warm' };
    const path = join(root, `breaker-${n++}`, 'warm.lock');
    plantFile(path, stale);
    plantFile(`${path}.break`, { ...stale, pid: deadPid() });
    const lock = new FileLock(path);
    expect(await lock.acquire()).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(existsSync(`${path}.break`)).toBe(false);
    await lock.release();
  });

  it('while another live run holds the breaker, a stale lock is left to it: no takeover, nothing removed', async () => {
    const path = join(root, `breaker-held-${n++}`, 'warm.lock');
    plantFile(path, { pid: deadPid(), host: hostname(), since: '2026-12-03T12:00:00.000Z', command: 'relia cache warm' });
    // the test runner's parent process: alive for the whole test
    plantFile(`${path}.break`, { pid: process.ppid, host: hostname(), since: '2026-12-03T12:00:00.000Z', command: 'relia cache warm' });
    const before = readFileSync(path, 'utf8');
    expect(await new FileLock(path).acquire()).toBe(false);
    expect([readFileSync(path, 'utf8'), existsSync(`${path}.break`)]).toEqual([before, true]);
  });

  it('a lock path that cannot be created is an InputError naming --lock (exit 2), not an internal error', async () => {
    const dir = join(root, `file-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-file'), 'x');
    for (const path of [join(dir, 'a-file', 'warm.lock'), join(dir, 'a-file', 'sub', 'warm.lock')]) {
      const err = await new FileLock(path).acquire().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).field).toBe('--lock');
      expect((err as Error).message).toContain(path);
    }
  });

  it('runs racing for one lock in separate processes: exactly one wins each round, free or stale', { timeout: 120_000 }, async () => {
    const dir = join(root, `race-${n++}`);
    mkdirSync(dir);
    const RACERS = 5;
    const ROUNDS = 16;
    const results: number[][] = Array.from({ length: ROUNDS }, () => []);
    const racers = Array.from({ length: RACERS }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/lock-racer.ts'), dir, String(ROUNDS)], { stdio: ['pipe', 'pipe', 'inherit'] });
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [round, got] = line.split(' ').map(Number);
          results[round!]!.push(got!);
        }
      });
      return child;
    });
    const until = async (done: () => boolean, what: string) => {
      for (const deadline = Date.now() + 90_000; !done(); ) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    try {
      for (let r = 0; r < ROUNDS; r++) {
        // even rounds race for a stale lock (its owner is gone: every racer takes the takeover path), odd ones for a free one
        if (r % 2 === 0) plantFile(join(dir, `round-${r}.lock`), { pid: deadPid(), host: hostname(), since: '2026-12-03T12:00:00.000Z', command: 'relia cache warm' });
        writeFileSync(join(dir, `go-${r}`), '');
        await until(() => results[r]!.length === RACERS, `round ${r}`);
      }
    } finally {
      for (const child of racers) child.stdin.end();
    }
    expect(results.map((round) => round.filter((got) => got === 1).length)).toEqual(new Array(ROUNDS).fill(1));
  });
});
