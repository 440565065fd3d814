/**
 * The copy-mode contract (`CopyingCache.copierFrom` → `CacheCopier.copy`,
 * src/ports/cache.ts). One suite, every implementation: the Redis copier
 * between two real redis-servers (raw RESP, plugins/redis/src/copy.ts) and
 * MemoryCache → MemoryCache (the fake the cache engine's tests use). It pins
 * what `cache warm --from` relies on: outcome codes per key, values byte for
 * byte, TTLs kept, set or cleared, and the batch sequences that switch the
 * Redis copier between its one-command and key-by-key writes.
 */
import { describe, expect, it } from 'vitest';
import type { CacheCopier, CopyingCache, CopyOutcomeCodes, KeyValueCache } from '../../../src/ports/cache.js';

export interface CopyFixture {
  source: KeyValueCache;
  target: KeyValueCache & CopyingCache;
  /** A cache of another kind: `target.copierFrom(foreign)` must be undefined. */
  foreign: KeyValueCache;
  prefix: string;
  close(): Promise<void>;
}

const C: CopyOutcomeCodes = { missing: 0, written: 1, present: 2 };
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function withCopier(make: () => Promise<CopyFixture>, body: (f: CopyFixture, copier: CacheCopier, k: (name: string) => string) => Promise<void>): Promise<void> {
  const f = await make();
  const used = new Set<string>();
  const k = (name: string) => {
    const key = `${f.prefix}:${name}`;
    used.add(key);
    return key;
  };
  try {
    const copier = f.target.copierFrom(f.source);
    expect(copier, 'copierFrom a cache of its own kind').toBeDefined();
    await body(f, copier!, k);
  } finally {
    // leave no volatile keys behind: the Redis copier reads whether the source database holds any
    await Promise.allSettled([f.source.deleteMany([...used]), f.target.deleteMany([...used])]);
    await f.close();
  }
}

const codes = (x: ArrayLike<number>) => Array.from(x);

export function copierContract(name: string, make: () => Promise<CopyFixture>) {
  describe(`copy contract: ${name}`, () => {
    it('copies values byte for byte, keeps each source TTL (or none), and reports missing keys without writing them', async () => {
      await withCopier(make, async ({ source, target }, copier, k) => {
        const keys = [k('bytes'), k('empty'), k('ключ é 🙂 *?[x]'), k('ttl'), k('absent'), k('crlf')];
        await source.setMany([
          { key: keys[0]!, value: ALL_BYTES },
          { key: keys[1]!, value: Buffer.alloc(0) },
          { key: keys[2]!, value: Buffer.from('ünïcødé value') },
          { key: keys[3]!, value: Buffer.from('with ttl'), ttlSeconds: 100 },
          { key: keys[5]!, value: Buffer.from('$3\r\nSET\r\n*1\r\n') },
        ]);
        expect(codes(await copier.copy(keys, { overwrite: false }))).toEqual([C.written, C.written, C.written, C.written, C.missing, C.written]);
        const values = await target.getMany(keys);
        expect(values[0]!.equals(ALL_BYTES)).toBe(true);
        expect(values[1]!.length).toBe(0);
        expect(values[2]!.toString()).toBe('ünïcødé value');
        expect(values[3]!.toString()).toBe('with ttl');
        expect(values[4]).toBeNull();
        expect(values[5]!.toString()).toBe('$3\r\nSET\r\n*1\r\n');
        const ttls = await target.ttlMany(keys);
        expect(ttls[0]).toBe(-1);
        expect(ttls[3]).toBeGreaterThanOrEqual(98);
        expect(ttls[3]).toBeLessThanOrEqual(100);
        expect(ttls[4]).toBe(-2);
        // the source is read, never changed
        expect((await source.getMany([keys[0]!]))[0]!.equals(ALL_BYTES)).toBe(true);
      });
    });

    it('without overwrite a key present in the target is left as it is; batches before and after are all written', async () => {
      await withCopier(make, async ({ source, target }, copier, k) => {
        const ks = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(k);
        await source.setMany(ks.map((key) => ({ key, value: Buffer.from(`new ${key}`) })));
        await target.setMany([{ key: ks[1]!, value: Buffer.from('old b'), ttlSeconds: 50 }]);
        expect(codes(await copier.copy([ks[0]!], { overwrite: false }))).toEqual([C.written]);
        // one present key in the batch: the others are still written
        expect(codes(await copier.copy([ks[1]!, ks[2]!, ks[3]!], { overwrite: false }))).toEqual([C.present, C.written, C.written]);
        expect(codes(await copier.copy([ks[4]!, ks[5]!], { overwrite: false }))).toEqual([C.written, C.written]);
        expect(codes(await copier.copy([ks[6]!, ks[0]!], { overwrite: false }))).toEqual([C.written, C.present]);
        const values = (await target.getMany(ks)).map((v) => v?.toString());
        expect(values).toEqual(ks.map((key, i) => (i === 1 ? 'old b' : `new ${key}`)));
        const ttlB = (await target.ttlMany([ks[1]!]))[0]!;
        expect(ttlB).toBeGreaterThan(0);
        expect(ttlB).toBeLessThanOrEqual(50);
      });
    });

    it('overwrite replaces values and TTLs: a key without a source TTL loses the target TTL', async () => {
      await withCopier(make, async ({ source, target }, copier, k) => {
        const [plain, timed] = [k('plain'), k('timed')];
        await source.setMany([
          { key: plain, value: Buffer.from('new plain') },
          { key: timed, value: Buffer.from('new timed'), ttlSeconds: 200 },
        ]);
        await target.setMany([
          { key: plain, value: Buffer.from('old plain'), ttlSeconds: 50 },
          { key: timed, value: Buffer.from('old timed') },
        ]);
        expect(codes(await copier.copy([plain, timed], { overwrite: true }))).toEqual([C.written, C.written]);
        expect((await target.getMany([plain, timed])).map((v) => v?.toString())).toEqual(['new plain', 'new timed']);
        const [tPlain, tTimed] = await target.ttlMany([plain, timed]);
        expect(tPlain).toBe(-1);
        expect(tTimed).toBeGreaterThanOrEqual(198);
        expect(tTimed).toBeLessThanOrEqual(200);
      });
    });

    it('ttlSeconds gives each key its TTL, whatever the source has', async () => {
      await withCopier(make, async ({ source, target }, copier, k) => {
        const ks = [k('x'), k('y'), k('z')];
        await source.setMany([
          { key: ks[0]!, value: Buffer.from('x') },
          { key: ks[1]!, value: Buffer.from('y'), ttlSeconds: 500 },
          { key: ks[2]!, value: Buffer.from('z') },
        ]);
        expect(codes(await copier.copy(ks, { overwrite: false, ttlSeconds: [30, 3000, 7.6] }))).toEqual([C.written, C.written, C.written]);
        const [x, y, z] = await target.ttlMany(ks);
        expect(x).toBeGreaterThanOrEqual(29);
        expect(x).toBeLessThanOrEqual(30);
        expect(y).toBeGreaterThanOrEqual(2998);
        expect(y).toBeLessThanOrEqual(3000);
        expect(z).toBeGreaterThanOrEqual(7);
        expect(z).toBeLessThanOrEqual(8);
      });
    });

    it('a key with a TTL that appears in the source after batches without any is copied with its TTL', async () => {
      await withCopier(make, async ({ source, target }, copier, k) => {
        const [first, later, plain] = [k('first'), k('later'), k('plain-later')];
        await source.setMany([{ key: first, value: Buffer.from('1') }]);
        expect(codes(await copier.copy([first], { overwrite: false }))).toEqual([C.written]);
        await source.setMany([
          { key: later, value: Buffer.from('2'), ttlSeconds: 300 },
          { key: plain, value: Buffer.from('3') },
        ]);
        expect(codes(await copier.copy([later, plain], { overwrite: false }))).toEqual([C.written, C.written]);
        const [tFirst, tLater, tPlain] = await target.ttlMany([first, later, plain]);
        expect(tFirst).toBe(-1);
        expect(tLater).toBeGreaterThanOrEqual(298);
        expect(tLater).toBeLessThanOrEqual(300);
        expect(tPlain).toBe(-1);
      });
    });

    it('a large batch (2,000 keys of 2 KiB) round-trips; an empty batch answers nothing', async () => {
      await withCopier(make, async ({ source, target }, copier, k) => {
        const ks = Array.from({ length: 2000 }, (_, i) => k(`big:${i}`));
        const value = (i: number) => Buffer.alloc(2048, i % 251);
        await source.setMany(ks.map((key, i) => ({ key, value: value(i) })));
        const out = codes(await copier.copy(ks, { overwrite: false }));
        expect(out.every((c) => c === C.written)).toBe(true);
        expect(out).toHaveLength(2000);
        const got = await target.getMany(ks);
        expect(got.every((v, i) => v !== null && v.equals(value(i)))).toBe(true);
        expect(codes(await copier.copy([], { overwrite: false }))).toEqual([]);
      });
    });

    it('there is no copier from a cache of another kind', async () => {
      const f = await make();
      try {
        expect(f.target.copierFrom(f.foreign)).toBeUndefined();
      } finally {
        await f.close();
      }
    });
  });
}
