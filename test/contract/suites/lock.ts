/**
 * The Lock contract: what the warm engine relies on from the lock that keeps
 * two runs off one checkpoint (src/core/cache/checkpoint.ts, used in
 * src/core/cache/warm.ts). One suite, every implementation: FileLock on a temp
 * dir (the real one, src/cli/cache/files.ts; relia has no other lock for
 * `cache warm`), the in-memory fake, and the fake inside its recording wrapper.
 */
import { describe, expect, it } from 'vitest';
import type { Lock } from '../../../src/core/cache/checkpoint.js';

export interface LockFixture {
  /** A new lock on the one name every lock of this fixture shares (another run's view of the same lock). */
  lock(): Lock;
  /**
   * Leave a lock of another owner on the name: a live one (another host's run,
   * honoured) or, with `alive` false, a dead one's leftover (a process of this
   * host that is gone: stale). Returns text that names that owner in `holder()`.
   */
  plant(alive: boolean): Promise<string>;
}

async function holderOf(lock: Lock): Promise<string | undefined> {
  expect(lock.holder).toBeTypeOf('function');
  return lock.holder!();
}

export function lockContract(name: string, make: () => Promise<LockFixture>) {
  describe(`Lock contract: ${name}`, () => {
    it('a free lock is acquired; another lock on the name is refused while it is held, naming the holder', async () => {
      const f = await make();
      const a = f.lock();
      const b = f.lock();
      expect(await a.acquire()).toBe(true);
      expect(await b.acquire()).toBe(false);
      const named = await holderOf(b);
      expect(named).toBeTypeOf('string');
      expect(named!.length).toBeGreaterThan(0);
      expect(named).toBe(await holderOf(a));
      await a.release();
    });

    it('release frees it for the next run, and the lock can be acquired again', async () => {
      const f = await make();
      const a = f.lock();
      const b = f.lock();
      expect(await a.acquire()).toBe(true);
      await a.release();
      expect(await b.acquire()).toBe(true);
      expect(await a.acquire()).toBe(false);
      await b.release();
      expect(await a.acquire()).toBe(true);
      await a.release();
    });

    it('is not reentrant: the holder acquiring again is refused and still holds it; one release frees it', async () => {
      const f = await make();
      const a = f.lock();
      expect(await a.acquire()).toBe(true);
      expect(await a.acquire()).toBe(false);
      expect(await f.lock().acquire()).toBe(false);
      await a.release();
      const b = f.lock();
      expect(await b.acquire()).toBe(true);
      await b.release();
    });

    it('releasing a lock it does not hold leaves the holder alone: never acquired, refused, or released twice', async () => {
      const f = await make();
      const a = f.lock();
      expect(await a.acquire()).toBe(true);
      const never = f.lock();
      await never.release();
      const refused = f.lock();
      expect(await refused.acquire()).toBe(false);
      await refused.release(); // the command's cleanup after the engine refused to start
      expect(await f.lock().acquire()).toBe(false);
      await a.release();
      const b = f.lock();
      expect(await b.acquire()).toBe(true);
      await a.release(); // the engine's finally, then the command's cleanup: twice
      expect(await f.lock().acquire()).toBe(false);
      await b.release();
    });

    it('releasing when nobody holds it is not an error', async () => {
      const f = await make();
      const a = f.lock();
      await a.release();
      expect(await a.acquire()).toBe(true);
      await a.release();
      await a.release();
    });

    it('of many runs acquiring at once, exactly one gets it', async () => {
      const f = await make();
      const locks = Array.from({ length: 12 }, () => f.lock());
      const got = await Promise.all(locks.map((l) => l.acquire()));
      expect(got.filter(Boolean)).toHaveLength(1);
      await Promise.all(locks.map((l) => l.release()));
      expect(await f.lock().acquire()).toBe(true);
    });

    it('a live lock of another owner is honoured: refused, holder() names that owner, and a release here does not remove it', async () => {
      const f = await make();
      const owner = await f.plant(true);
      const a = f.lock();
      expect(await a.acquire()).toBe(false);
      expect(await holderOf(a)).toContain(owner);
      await a.release();
      expect(await f.lock().acquire()).toBe(false);
      expect(await holderOf(f.lock())).toContain(owner);
    });

    it('a stale lock (its owner is gone) is taken over: acquired, and holder() names the new owner', async () => {
      const f = await make();
      const dead = await f.plant(false);
      const a = f.lock();
      expect(await a.acquire()).toBe(true);
      const b = f.lock();
      expect(await b.acquire()).toBe(false);
      const named = await holderOf(b);
      expect(named).not.toContain(dead);
      expect(named).toBe(await holderOf(a));
      await a.release();
      expect(await b.acquire()).toBe(true);
      await b.release();
    });
  });
}
