/**
 * The cache expiry contract: the optional ExpiringCache capability
 * (src/ports/cache.ts) that gradual invalidation (`cache invalidate
 * --expire`, src/core/cache/invalidate.ts) relies on. One suite, every
 * implementation that has it: the Redis adapter on a real redis-server
 * (`EXPIRE … LT`) and the in-memory fake.
 */
import { describe, expect, it } from 'vitest';
import type { ExpiringCache, KeyValueCache } from '../../../src/ports/cache.js';

export interface ExpiringFixture {
  cache: KeyValueCache & ExpiringCache;
  /** A unique key prefix per test. */
  prefix: string;
}

/** Poll `probe` until it is true (the real server's clock runs on its own), up to `ms`. */
async function eventually(probe: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return probe();
}

const v = Buffer.from('value');

export function expiringContract(name: string, make: () => Promise<ExpiringFixture>) {
  describe(`ExpiringCache contract: ${name}`, () => {
    it('counts the keys that exist; a missing key is not created; an empty batch is 0', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([{ key: `${prefix}a`, value: v }, { key: `${prefix}b`, value: v }]);
      expect(await cache.expireMany([`${prefix}a`, `${prefix}missing`, `${prefix}b`], 60)).toBe(2);
      expect(await cache.existsMany([`${prefix}missing`])).toEqual([false]);
      expect(await cache.expireMany([], 60)).toBe(0);
      await cache.close();
    });

    it('a key without a TTL gets it; a longer TTL is shortened; a shorter one is kept; values are untouched', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([
        { key: `${prefix}none`, value: Buffer.from([0, 255, 13, 10]) },
        { key: `${prefix}long`, value: v, ttlSeconds: 3600 },
        { key: `${prefix}short`, value: v, ttlSeconds: 30 },
      ]);
      expect(await cache.expireMany([`${prefix}none`, `${prefix}long`, `${prefix}short`], 600)).toBe(3);
      const [none, long, short] = await cache.ttlMany([`${prefix}none`, `${prefix}long`, `${prefix}short`]);
      expect(none).toBeGreaterThanOrEqual(599);
      expect(none).toBeLessThanOrEqual(600);
      expect(long).toBeGreaterThanOrEqual(599);
      expect(long).toBeLessThanOrEqual(600);
      expect(short).toBeGreaterThanOrEqual(29);
      expect(short).toBeLessThanOrEqual(30);
      expect(Buffer.compare((await cache.getMany([`${prefix}none`]))[0] as Buffer, Buffer.from([0, 255, 13, 10]))).toBe(0);
      await cache.close();
    });

    it('seconds are rounded, to at least 1: a TTL of 0 or less never deletes a key at once', async () => {
      const { cache, prefix } = await make();
      await cache.setMany(['r', 'z', 'n'].map((k) => ({ key: `${prefix}${k}`, value: v })));
      await cache.expireMany([`${prefix}r`], 2.6);
      await cache.expireMany([`${prefix}z`], 0);
      await cache.expireMany([`${prefix}n`], -5);
      const [r, z, n] = await cache.ttlMany([`${prefix}r`, `${prefix}z`, `${prefix}n`]);
      expect(r).toBeGreaterThanOrEqual(2);
      expect(r).toBeLessThanOrEqual(3);
      for (const t of [z, n]) expect([0, 1]).toContain(t);
      await cache.close();
    });

    it('a key given a TTL is gone once it passes', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([{ key: `${prefix}gone`, value: v }, { key: `${prefix}kept`, value: v }]);
      expect(await cache.expireMany([`${prefix}gone`], 1)).toBe(1);
      expect(await eventually(async () => (await cache.existsMany([`${prefix}gone`]))[0] === false)).toBe(true);
      expect(await cache.existsMany([`${prefix}kept`])).toEqual([true]);
      expect(await cache.ttlMany([`${prefix}gone`, `${prefix}kept`])).toEqual([-2, -1]);
      await cache.close();
    });
  });
}
