/**
 * The edges of the hashes and of shard parsing: which keys a worker owns must
 * never change (fnv1a32 at every UTF-8 length boundary and every surrogate
 * case), checkpoint fingerprints are stable values, and a bad --shard is an
 * exit-2 error that names the flag and shows how to write it.
 *
 * Expected hashes and digests were computed outside relia, by a Python
 * script: the bytes with Python's own UTF-16 → UTF-8 conversion (lone
 * surrogates replaced by U+FFFD), FNV-1a over them with arbitrary-precision
 * integers, and the Fingerprint algorithm as documented in hash.ts.
 */
import { describe, expect, it } from 'vitest';
import { Fingerprint, fnv1a32 } from '../../../../src/core/cache/hash.js';
import { applyShard, inShard, parseShard } from '../../../../src/core/cache/shard.js';
import { expectInputError } from '../error-contract.js';

describe('fnv1a32 at the UTF-8 boundaries', () => {
  it.each<[string, string, number]>([
    ['\u007f', '7f', 0xfa0c4bce],
    ['\u0080', 'c2 80', 0x5ba0875f],
    ['\u07ff', 'df bf', 0x10cddc83],
    ['\u0800', 'e0 a0 80', 0xbb6f99b7],
    ['\ud7ff', 'ed 9f bf', 0xa4ce656e],
    ['\ud800\udc00', 'f0 90 80 80', 0x15b553b5], // U+10000, the first surrogate pair
    ['\udbff\udfff', 'f4 8f bf bf', 0x41c1bc3a], // U+10FFFF, the last
    ['\ud800', 'ef bf bd', 0x03479c4a], // lone high surrogate: U+FFFD
    ['\udfff', 'ef bf bd', 0x03479c4a], // lone low surrogate: U+FFFD
    ['a\udbff', '61 ef bf bd', 0xd93a901d], // high surrogate at the very end
    ['\ud800a', 'ef bf bd 61', 0x54bad7b1], // high surrogate not followed by a low one
    ['\udc00\ud800', 'ef bf bd ef bf bd', 0x1be81887], // the pair in the wrong order
    ['\ue000', 'ee 80 80', 0xf2acb199],
    ['\uffff', 'ef bf bf', 0x01479924],
  ])('%j (UTF-8 %s)', (text, utf8, expected) => {
    // the bytes named are the ones TextEncoder produces
    expect(Buffer.from(new TextEncoder().encode(text)).toString('hex').match(/../g)?.join(' ')).toBe(utf8);
    expect(fnv1a32(text)).toBe(expected);
  });
});

describe('Fingerprint values are stable (a checkpoint written by one build resumes under the next)', () => {
  it.each<[string[], string]>([
    [[], '7ba971dfc046ad50'],
    [[''], '2bf5e3f7e3079ba8'],
    [['ab', 'c'], '6de4ea2871351435'],
    [['a', 'bc'], 'ef580b2ff2209b9e'],
    [['relia'], 'd2be88dcda03c5ff'],
    [['é€😀'], 'be81bea8a7034093'],
    [['key:0', 'key:1'], 'dd3e25a79537069f'],
  ])('%j → %s', (fields, digest) => {
    const f = new Fingerprint();
    for (const field of fields) f.update(field);
    expect(f.digest()).toBe(digest);
  });

  it('is always 16 hex digits, leading zeros kept', () => {
    const digests = Array.from({ length: 300 }, (_, i) => new Fingerprint().update(`k${i}`).digest());
    for (const d of digests) expect(d).toMatch(/^[0-9a-f]{16}$/);
    // among 300 digests both halves start with 0 somewhere (each 1 in 16): the padding is exercised
    expect(digests.some((d) => d.startsWith('0'))).toBe(true);
    expect(digests.some((d) => d[8] === '0')).toBe(true);
  });
});

describe('shard ownership', () => {
  // fnv1a32('title:42') = 0xcfd1e4af = 3486639279: 7 mod 8, 0 mod 3, 4 mod 5
  it.each<[number, number]>([
    [8, 7],
    [3, 0],
    [5, 4],
  ])('title:42 is owned by shard %i/… %i and by no other', (count, owner) => {
    for (let index = 0; index < count; index++) {
      expect(inShard('title:42', { index, count })).toBe(index === owner);
      expect(applyShard(['title:42'], { index, count })).toEqual(index === owner ? ['title:42'] : []);
    }
  });

  it('one shard owns every key', () => {
    for (const key of ['', 'title:42', 'é€😀', '\ud800']) expect(inShard(key, { index: 0, count: 1 })).toBe(true);
    expect(applyShard(['b', 'a', 'b'], { index: 0, count: 1 })).toEqual(['b', 'a', 'b']);
  });
});

const EXAMPLE = "write it like 0/4 (this worker's index / number of workers), or $(JOB_COMPLETION_INDEX)/4 in an Indexed Job";

describe('parseShard errors', () => {
  it.each(['x1/4', '1x/4', '1/x4', '1/4x', '-1/4', '1.5/4', '1/2/3'])('%j is not two whole numbers', (text) => {
    const e = expectInputError(() => parseShard(text), '--shard');
    expect(e.message).toBe(`--shard: expected two whole numbers i/n, got ${JSON.stringify(text)}`);
    expect(e.suggestions).toEqual([EXAMPLE]);
  });

  it('something without a slash is not a shard at all', () => {
    const e = expectInputError(() => parseShard('3', { field: '--part' }), '--part');
    expect(e.message).toBe('--part: expected i/n, got "3"');
    expect(e.suggestions).toEqual([EXAMPLE]);
  });

  it.each([
    ['0/0', '0'],
    ['0/99999999999999999999', '99999999999999999999'],
  ])('%j: the number of shards must be a whole number from 1 on', (text, count) => {
    const e = expectInputError(() => parseShard(text), '--shard');
    expect(e.message).toBe(`--shard: the number of shards must be at least 1, got ${count}`);
    expect(e.suggestions).toEqual([EXAMPLE]);
  });

  it('an index at or above the count says which indices exist', () => {
    const e = expectInputError(() => parseShard('4/4'), '--shard');
    expect(e.message).toBe('--shard: the shard index 4 must be below the number of shards 4 (indices are 0-based)');
    expect(e.suggestions).toEqual(['use 0/4 … 3/4']);
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
  });

  it('an unset or blank environment reference says what to set', () => {
    const job = expectInputError(() => parseShard('$(JOB_COMPLETION_INDEX)/4', { env: { JOB_COMPLETION_INDEX: '  ' } }), '--shard');
    expect(job.message).toBe('--shard: $(JOB_COMPLETION_INDEX) is not set in the environment, so the shard index is unknown');
    expect(job.suggestions).toEqual(['JOB_COMPLETION_INDEX is set by Kubernetes in Indexed Jobs (completionMode: Indexed); elsewhere pass the index as a number', EXAMPLE]);
    // no environment given at all
    const other = expectInputError(() => parseShard('${IDX}/4'), '--shard');
    expect(other.message).toBe('--shard: ${IDX} is not set in the environment, so the shard index is unknown');
    expect(other.suggestions).toEqual(['set IDX, or pass the index as a number', EXAMPLE]);
  });
});
