import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors.js';
import { Fingerprint, fnv1a32 } from '../../../../src/core/cache/hash.js';
import { applyShard, formatShard, inShard, parseShard, shardOf } from '../../../../src/core/cache/shard.js';

/** Reference FNV-1a over TextEncoder's bytes, written the obvious way. */
function reference(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) {
    h ^= b;
    h = Number((BigInt(h) * 16777619n) & 0xffffffffn);
  }
  return h;
}

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
    ['title:42', 0xcfd1e4af],
    ['é€😀', 0x04a2e806],
  ])('%j hashes to the published FNV-1a value', (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it('equals FNV-1a over the UTF-8 bytes for any string, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => fnv1a32(s) === reference(s)));
    const utf16 = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 }).map((codes) => String.fromCharCode(...codes));
    fc.assert(fc.property(utf16, (s) => fnv1a32(s) === reference(s)));
  });
});

describe('Fingerprint', () => {
  it('is 16 hex digits, deterministic, and field-delimited', () => {
    const a = new Fingerprint().update('ab').update('c').digest();
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(new Fingerprint().update('ab').update('c').digest()).toBe(a);
    expect(new Fingerprint().update('a').update('bc').digest()).not.toBe(a);
    expect(new Fingerprint().update('abc').digest()).not.toBe(a);
  });

  it('differs for different inputs (no collisions among 5000 near-identical keys)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(new Fingerprint().update(`key:${i}`).digest());
    expect(seen.size).toBe(5000);
  });
});

describe('parseShard', () => {
  it.each([
    ['0/1', 0, 1],
    ['2/8', 2, 8],
    [' 3 / 4 ', 3, 4],
  ])('%j → %d/%d', (text, index, count) => {
    expect(parseShard(text)).toEqual({ index, count });
  });

  it('resolves $(VAR), ${VAR} and $VAR from the given environment', () => {
    const env = { JOB_COMPLETION_INDEX: '5', IDX: ' 1 ' };
    expect(parseShard('$(JOB_COMPLETION_INDEX)/8', { env })).toEqual({ index: 5, count: 8 });
    expect(parseShard('${IDX}/2', { env })).toEqual({ index: 1, count: 2 });
    expect(parseShard('$IDX/2', { env })).toEqual({ index: 1, count: 2 });
  });

  it('explains an unset JOB_COMPLETION_INDEX', () => {
    const err = (() => {
      try {
        parseShard('$(JOB_COMPLETION_INDEX)/4', { env: {} });
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err?.field).toBe('--shard');
    expect(err?.message).toMatch(/not set/);
    expect(err?.suggestions.join(' ')).toMatch(/Indexed Job/);
    expect(() => parseShard('$(OTHER)/4', { env: { OTHER: '' } })).toThrow(/OTHER\) is not set/);
  });

  it.each(['', '3', 'a/4', '1/b', '-1/4', '4/4', '5/4', '0/0', '1.5/4', '1/2/3'])('rejects %j with an InputError naming the flag', (text) => {
    expect(() => parseShard(text, { field: '--part' })).toThrow(InputError);
    expect(() => parseShard(text, { field: '--part' })).toThrow(/^--part: /);
  });

  it('formats back to i/n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n))), ([i, n]) => {
        const s = parseShard(formatShard({ index: i, count: n }));
        return s.index === i && s.count === n;
      }),
    );
  });
});

describe('sharding', () => {
  it('splits any key set into disjoint shards that cover it, each keeping the original order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (keys, n) => {
        const shards = Array.from({ length: n }, (_, i) => applyShard(keys, { index: i, count: n }));
        const owners = new Map<string, number[]>();
        shards.forEach((s, i) => s.forEach((k) => owners.set(k, [...(owners.get(k) ?? []), i])));
        // covering: every key has an owner; disjoint: exactly one, the one shardOf names
        for (const k of keys) {
          const o = owners.get(k) ?? [];
          if (o.length !== 1 || o[0] !== shardOf(k, n) || !inShard(k, { index: o[0], count: n })) return false;
        }
        if (owners.size !== keys.length) return false;
        // order within a shard is the original order
        return shards.every((s) => s.every((k, j) => j === 0 || keys.indexOf(s[j - 1] as string) < keys.indexOf(k)));
      }),
    );
  });

  it('is the same function of the key wherever it runs (pinned values)', () => {
    expect(shardOf('title:42', 8)).toBe(0xcfd1e4af % 8);
    expect(shardOf('/titles/42.json', 3)).toBe(fnv1a32('/titles/42.json') % 3);
  });

  it('spreads keys evenly: 8 shards of 20 000 keys are each within 5% of 2500', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `item:${i}`);
    for (let i = 0; i < 8; i++) {
      const n = applyShard(keys, { index: i, count: 8 }).length;
      expect(Math.abs(n - 2500)).toBeLessThan(125);
    }
  });

  it('no shard (or 1/1) keeps every key', () => {
    expect(applyShard(['a', 'b'])).toEqual(['a', 'b']);
    expect(applyShard(['a', 'b'], { index: 0, count: 1 })).toEqual(['a', 'b']);
    expect(inShard('anything', { index: 0, count: 1 })).toBe(true);
  });
});
