/**
 * The KeyValueCache contract. One suite, every implementation: the Redis
 * adapter against a real redis-server, and the in-memory fake core tests use.
 */
import { describe, expect, it } from 'vitest';
import type { KeyValueCache } from '../../../src/ports/cache.js';
import { ReliaError } from '../../../src/core/errors.js';

export interface CacheFixture {
  cache: KeyValueCache;
  /** A unique key prefix per test, so tests never see each other's keys. */
  prefix: string;
}

export function cacheContract(name: string, make: () => Promise<CacheFixture>, options: { unreachable?: () => Promise<unknown> } = {}) {
  describe(`KeyValueCache contract: ${name}`, () => {
    it('round-trips binary values and returns null for absent keys', async () => {
      const { cache, prefix } = await make();
      const bin = Buffer.from([0, 255, 10, 13, 0x80, 0x7f]);
      await cache.setMany([
        { key: `${prefix}a`, value: Buffer.from('alpha') },
        { key: `${prefix}b`, value: bin },
      ]);
      const got = await cache.getMany([`${prefix}a`, `${prefix}missing`, `${prefix}b`]);
      expect(got[0]?.toString()).toBe('alpha');
      expect(got[1]).toBeNull();
      expect(Buffer.compare(got[2] as Buffer, bin)).toBe(0);
      await cache.close();
    });

    it('existsMany answers per key, in order', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([{ key: `${prefix}x`, value: Buffer.from('1') }]);
      expect(await cache.existsMany([`${prefix}nope`, `${prefix}x`])).toEqual([false, true]);
      await cache.close();
    });

    it('TTLs: set with a TTL, -1 without, -2 when absent', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([
        { key: `${prefix}t`, value: Buffer.from('v'), ttlSeconds: 120 },
        { key: `${prefix}p`, value: Buffer.from('v') },
      ]);
      const [t, p, a] = await cache.ttlMany([`${prefix}t`, `${prefix}p`, `${prefix}absent`]);
      expect(t).toBeGreaterThan(100);
      expect(t).toBeLessThanOrEqual(120);
      expect(p).toBe(-1);
      expect(a).toBe(-2);
      await cache.close();
    });

    it('writes and reads large batches (5,000 entries) intact', async () => {
      const { cache, prefix } = await make();
      const entries = Array.from({ length: 5000 }, (_, i) => ({ key: `${prefix}k${i}`, value: Buffer.from(`value-${i}`), ttlSeconds: 600 }));
      await cache.setMany(entries);
      const got = await cache.getMany(entries.map((e) => e.key));
      expect(got.every((v, i) => v?.toString() === `value-${i}`)).toBe(true);
      await cache.close();
    });

    it('deleteMany removes only existing keys and counts them', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([
        { key: `${prefix}d1`, value: Buffer.from('1') },
        { key: `${prefix}d2`, value: Buffer.from('2') },
      ]);
      expect(await cache.deleteMany([`${prefix}d1`, `${prefix}d2`, `${prefix}d3`])).toBe(2);
      expect(await cache.existsMany([`${prefix}d1`, `${prefix}d2`])).toEqual([false, false]);
      expect(await cache.deleteMany([])).toBe(0);
      await cache.close();
    });

    it('scan finds exactly the keys matching a glob, in batches, without duplicates', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([
        ...Array.from({ length: 2500 }, (_, i) => ({ key: `${prefix}user:${i}`, value: Buffer.from('u') })),
        ...Array.from({ length: 300 }, (_, i) => ({ key: `${prefix}title:${i}`, value: Buffer.from('t') })),
      ]);
      const seen: string[] = [];
      let batches = 0;
      for await (const batch of cache.scan(`${prefix}user:*`, { batch: 500 })) {
        batches++;
        seen.push(...batch);
      }
      // Redis SCAN may return a key more than once across a rehash; the contract is "every matching key, none other".
      const unique = new Set(seen);
      expect(unique.size).toBe(2500);
      expect([...unique].every((k) => k.startsWith(`${prefix}user:`))).toBe(true);
      expect(batches).toBeGreaterThan(1);
      await cache.close();
    });

    it('stats count hits and misses of reads, and report keys and memory', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([{ key: `${prefix}h`, value: Buffer.from('v') }]);
      const before = await cache.stats();
      await cache.getMany([`${prefix}h`, `${prefix}h`, `${prefix}miss`]);
      const after = await cache.stats();
      expect(after.hits - before.hits).toBe(2);
      expect(after.misses - before.misses).toBe(1);
      expect(after.keys).toBeGreaterThanOrEqual(1);
      expect(after.usedMemoryBytes).toBeGreaterThan(0);
      expect(after.maxMemoryBytes).toBeGreaterThanOrEqual(0);
      await cache.close();
    });

    it('scan honours an aborted signal', async () => {
      const { cache, prefix } = await make();
      await cache.setMany(Array.from({ length: 50 }, (_, i) => ({ key: `${prefix}s${i}`, value: Buffer.from('v') })));
      const ac = new AbortController();
      ac.abort(new Error('stop'));
      await expect(async () => {
        for await (const _ of cache.scan(`${prefix}*`, { batch: 10, signal: ac.signal })) void _;
      }).rejects.toThrow('stop');
      await cache.close();
    });

    if (options.unreachable) {
      it('an unreachable server is a DependencyError (exit 3) naming it, with a suggestion', async () => {
        const err = await options.unreachable!().then(
          () => null,
          (e: unknown) => e,
        );
        expect(ReliaError.is(err)).toBe(true);
        expect((err as ReliaError).exitCode).toBe(3);
        expect((err as ReliaError).message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+/);
        expect((err as ReliaError).suggestions.length).toBeGreaterThan(0);
      });
    }
  });
}
