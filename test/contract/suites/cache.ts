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

/** A cache whose connection is lost part-way through the next large setMany, once armed. */
export interface CuttingFixture {
  /** The cache that will lose its connection. */
  cache: KeyValueCache;
  /** Another client of the same store, to see what was written. */
  check: KeyValueCache;
  prefix: string;
  /** From now on, cut the connection in the middle of the next batch of about 3,000 small entries (after the first 1,000). */
  arm(): void;
  close(): Promise<void>;
}

export interface CacheContractOptions {
  unreachable?: () => Promise<unknown>;
  cutting?: () => Promise<CuttingFixture>;
}

export function cacheContract(name: string, make: () => Promise<CacheFixture>, options: CacheContractOptions = {}) {
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

    it('TTL 0 and negative TTLs store the key WITHOUT expiry (never delete it); a fractional TTL rounds to at least 1 s', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([
        { key: `${prefix}zero`, value: Buffer.from('z'), ttlSeconds: 0 },
        { key: `${prefix}neg`, value: Buffer.from('n'), ttlSeconds: -5 },
        { key: `${prefix}frac`, value: Buffer.from('f'), ttlSeconds: 0.4 },
        { key: `${prefix}round`, value: Buffer.from('r'), ttlSeconds: 99.6 },
      ]);
      const [zero, neg, frac, round] = await cache.ttlMany([`${prefix}zero`, `${prefix}neg`, `${prefix}frac`, `${prefix}round`]);
      expect(zero).toBe(-1);
      expect(neg).toBe(-1);
      expect(frac).toBeGreaterThanOrEqual(0);
      expect(frac).toBeLessThanOrEqual(1);
      expect(round).toBeGreaterThan(95);
      expect(round).toBeLessThanOrEqual(100);
      expect((await cache.getMany([`${prefix}zero`, `${prefix}neg`])).map((b) => b?.toString())).toEqual(['z', 'n']);
      await cache.close();
    });

    it('a write without TTL replaces the value AND clears an earlier TTL; a write with one sets it', async () => {
      const { cache, prefix } = await make();
      await cache.setMany([{ key: `${prefix}k`, value: Buffer.from('old'), ttlSeconds: 300 }]);
      await cache.setMany([{ key: `${prefix}k`, value: Buffer.from('new') }]);
      expect(await cache.ttlMany([`${prefix}k`])).toEqual([-1]);
      expect((await cache.getMany([`${prefix}k`]))[0]?.toString()).toBe('new');
      await cache.setMany([{ key: `${prefix}k`, value: Buffer.from('newer'), ttlSeconds: 60 }]);
      const [ttl] = await cache.ttlMany([`${prefix}k`]);
      expect(ttl).toBeGreaterThan(55);
      expect(ttl).toBeLessThanOrEqual(60);
      await cache.close();
    });

    it('missing keys: null, false, -2 and 0 deleted; empty batches answer empty without a round trip error', async () => {
      const { cache, prefix } = await make();
      const missing = [`${prefix}m1`, `${prefix}m2`];
      expect(await cache.getMany(missing)).toEqual([null, null]);
      expect(await cache.existsMany(missing)).toEqual([false, false]);
      expect(await cache.ttlMany(missing)).toEqual([-2, -2]);
      expect(await cache.deleteMany(missing)).toBe(0);
      expect(await cache.getMany([])).toEqual([]);
      expect(await cache.existsMany([])).toEqual([]);
      expect(await cache.ttlMany([])).toEqual([]);
      await cache.setMany([]);
      const batches: string[][] = [];
      for await (const b of cache.scan(`${prefix}nothing:*`, { batch: 100 })) batches.push(b);
      expect(batches.flat()).toEqual([]);
      await cache.close();
    });

    it('binary values of every byte, the empty value and 1 MiB round-trip; keys may hold spaces, newlines, unicode and glob characters', async () => {
      const { cache, prefix } = await make();
      const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const big = Buffer.alloc(1 << 20, 0xa5);
      const keys = [`${prefix}every`, `${prefix}empty`, `${prefix}big`, `${prefix}with space\r\nand newline`, `${prefix}ünï ☃`, `${prefix}glob*?[x]`];
      const values = [every, Buffer.alloc(0), big, Buffer.from('s'), Buffer.from('u'), Buffer.from('g')];
      await cache.setMany(keys.map((key, i) => ({ key, value: values[i]! })));
      const got = await cache.getMany(keys);
      got.forEach((v, i) => expect(v && Buffer.compare(v, values[i]!), keys[i]).toBe(0));
      expect(await cache.existsMany(keys)).toEqual(keys.map(() => true));
      await cache.close();
    });

    it('scan globs: ? one character, [..] a class, \\ escapes a metacharacter', async () => {
      const { cache, prefix } = await make();
      const keys = ['a1', 'a2', 'ab', 'a*', 'a?', 'b1', 'a12'].map((k) => `${prefix}${k}`);
      await cache.setMany(keys.map((key) => ({ key, value: Buffer.from('v') })));
      const scanAll = async (pattern: string) => {
        const out = new Set<string>();
        for await (const b of cache.scan(pattern, { batch: 100 })) for (const k of b) out.add(k.slice(prefix.length));
        return [...out].sort();
      };
      expect(await scanAll(`${prefix}a?`)).toEqual(['a*', 'a1', 'a2', 'a?', 'ab']);
      expect(await scanAll(`${prefix}a[12]`)).toEqual(['a1', 'a2']);
      expect(await scanAll(`${prefix}a\\*`)).toEqual(['a*']);
      expect(await scanAll(`${prefix}a\\?`)).toEqual(['a?']);
      expect(await scanAll(`${prefix}*1`)).toEqual(['a1', 'b1']);
      await cache.close();
    });

    it('SCAN across a resize: keys present for the whole scan are all returned while the keyspace grows twentyfold', async () => {
      const { cache, prefix } = await make();
      const orig = Array.from({ length: 1000 }, (_, i) => `${prefix}orig:${i}`);
      await cache.setMany(orig.map((key) => ({ key, value: Buffer.from('o') })));
      const seen = new Set<string>();
      let batches = 0;
      for await (const batch of cache.scan(`${prefix}orig:*`, { batch: 100 })) {
        for (const k of batch) seen.add(k);
        if (batches++ === 0) {
          // grow the keyspace in the middle of the scan: Redis rehashes its table
          for (let j = 0; j < 4; j++) {
            await cache.setMany(Array.from({ length: 5000 }, (_, i) => ({ key: `${prefix}grow:${j}:${i}`, value: Buffer.from('g'), ttlSeconds: 600 })));
          }
        }
      }
      expect(batches).toBeGreaterThan(1);
      expect(orig.filter((k) => !seen.has(k))).toEqual([]);
      expect([...seen].every((k) => k.startsWith(`${prefix}orig:`))).toBe(true);
      await cache.close();
    });

    if (options.cutting) {
      it('a batch cut part-way is a DependencyError (exit 3); what was written is a prefix of the batch, values intact', async () => {
        const f = await options.cutting!();
        const entries = Array.from({ length: 3000 }, (_, i) => ({ key: `${f.prefix}pf:${i}`, value: Buffer.from(`value-${i}-${'x'.repeat(100)}`), ttlSeconds: 600 }));
        f.arm();
        const err = await f.cache.setMany(entries).then(
          () => null,
          (e: unknown) => e,
        );
        expect(ReliaError.is(err), String(err)).toBe(true);
        expect((err as ReliaError).exitCode).toBe(3);
        const exists = await f.check.existsMany(entries.map((e) => e.key));
        const written = exists.indexOf(false);
        expect(written).toBeGreaterThanOrEqual(1000);
        expect(written).toBeLessThan(3000);
        expect(exists.slice(written).every((x) => !x)).toBe(true);
        const values = await f.check.getMany(entries.slice(0, written).map((e) => e.key));
        expect(values.every((v, i) => v !== null && Buffer.compare(v, entries[i]!.value) === 0)).toBe(true);
        await f.close();
      });
    }

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
