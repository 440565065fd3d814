/**
 * The warm run's inputs (src/core/cache/warm/prepare.ts, keys.ts): the refusals of docs/cache.md "Targets"
 * (--ttl above zero, --ttl-jitter a fraction in [0, 1), --batch a whole number ≥ 1, --origin an http(s)
 * template with only {key}), the TTL formula round(T × (1 + j × u)) at least 1 s, the target identity and
 * details that go into the checkpoint fingerprint, and the key list's dedupe and sharding (docs/cache.md
 * "Checkpoints, locks and shards": keys after dedupe and sharding, in order).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { jitteredTtl, prepare } from '../../../../src/core/cache/warm/prepare.js';
import { KeyFeed, KeyList } from '../../../../src/core/cache/warm/keys.js';
import { shardOf } from '../../../../src/core/cache/shard.js';
import type { WarmOptions, WarmTarget } from '../../../../src/core/cache/warm/types.js';
import { FakeClock, FakeHttp, FakeKv, seededRandom } from './fakes.js';

const clock = new FakeClock(0);
const cache = new FakeKv(clock);
const from = new FakeKv(clock);
const http = new FakeHttp(clock, () => ({ status: 200 }));

function opts(target: WarmTarget, keys: string[] = ['a', 'b']): WarmOptions {
  return { keys, target, clock, random: seededRandom(1) };
}

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('jitteredTtl: round(T × (1 + j × u)), u = 2·random − 1, at least 1 s', () => {
  it('spans T × (1 ± j) as random goes from 0 to 1', () => {
    expect(jitteredTtl(100, 0.5, () => 0)).toBe(50); // u = −1
    expect(jitteredTtl(100, 0.5, () => 0.5)).toBe(100); // u = 0
    expect(jitteredTtl(100, 0.5, () => 0.75)).toBe(125); // u = 0.5
    expect(jitteredTtl(100, 0.2, () => 0.25)).toBe(90); // u = −0.5
  });

  it('rounds to whole seconds and never goes below 1 s', () => {
    expect(jitteredTtl(10, 0.5, () => 0.63)).toBe(11); // 10 × 1.13 = 11.3
    expect(jitteredTtl(10, 0.5, () => 0.67)).toBe(12); // 10 × 1.17 = 11.7
    expect(jitteredTtl(1, 0.9, () => 0)).toBe(1); // 0.1 s → 1
    expect(jitteredTtl(0.4, 0, () => 0.5)).toBe(1);
  });

  it('with no jitter draws no random number (the run shares its Random with the retry backoff)', () => {
    let draws = 0;
    const random = (): number => {
      draws++;
      return 0;
    };
    expect(jitteredTtl(60, 0, random)).toBe(60);
    expect(draws).toBe(0);
    jitteredTtl(60, 0.1, random);
    expect(draws).toBe(1);
  });
});

describe('prepare: origin mode refusals name the flag', () => {
  const origin = (over: Partial<Extract<WarmTarget, { mode: 'origin' }>> = {}): WarmTarget => ({
    kind: 'redis',
    mode: 'origin',
    cache,
    origin: http,
    originUrl: 'http://origin/items/{key}',
    ...over,
  });

  it('--ttl must be a duration above zero', () => {
    for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const err = refusal(() => prepare(opts(origin({ ttlSeconds: ttl }))));
      expect(err.message).toBe(`--ttl: expected a duration above zero, got ${ttl} s`);
      expect(err.field).toBe('--ttl');
      expect(err.suggestions).toEqual(['--ttl 1h']);
    }
    expect(prepare(opts(origin({ ttlSeconds: 0.5 }))).ttl).toEqual({ seconds: 0.5, jitter: 0.1 });
  });

  it('--ttl-jitter is a fraction from 0 to below 1 (default 10 %)', () => {
    for (const jitter of [1, 1.5, -0.01, Number.NaN]) {
      const err = refusal(() => prepare(opts(origin({ ttlSeconds: 60, ttlJitter: jitter }))));
      expect(err.message).toBe(`--ttl-jitter: expected a fraction from 0 to below 1, got ${jitter}`);
      expect(err.field).toBe('--ttl-jitter');
      expect(err.suggestions).toEqual(['--ttl-jitter 10%']);
    }
    expect(prepare(opts(origin({ ttlSeconds: 60, ttlJitter: 0 }))).ttl).toEqual({ seconds: 60, jitter: 0 });
    expect(prepare(opts(origin({ ttlSeconds: 60, ttlJitter: 0.99 }))).ttl).toEqual({ seconds: 60, jitter: 0.99 });
    // without --ttl the jitter is not looked at, and no TTL is set
    expect(prepare(opts(origin({ ttlJitter: 5 }))).ttl).toBeUndefined();
    expect('ttl' in prepare(opts(origin()))).toBe(false);
  });

  it('--batch is a whole number ≥ 1', () => {
    for (const batch of [0, -1, 1.5, Number.NaN]) {
      const err = refusal(() => prepare(opts(origin({ batchSize: batch }))));
      expect(err.message).toBe(`--batch: expected a whole number ≥ 1, got ${batch}`);
      expect(err.field).toBe('--batch');
      expect(err.suggestions).toEqual(['--batch 1000']);
    }
    expect(prepare(opts(origin({ batchSize: 1 }))).mode).toBe('redis-origin');
  });

  it('--origin must be an http(s) URL template with only {key}', () => {
    for (const url of ['http://origin/{key}/{rev}', 'ftp://origin/{key}', 'origin/items/{key}', 'file:///x/http://{key}']) {
      const err = refusal(() => prepare(opts(origin({ originUrl: url }))));
      expect(err.message).toBe(`--origin: expected an http(s) URL template with only {key}, got ${JSON.stringify(url)}`);
      expect(err.field).toBe('--origin');
      expect(err.suggestions).toEqual(['--origin http://origin.internal/items/{key}']);
    }
    // the scheme in any case, https too
    expect(prepare(opts(origin({ originUrl: 'HTTPS://Origin/items/{key}' }))).details).toEqual(['HTTPS://Origin/items/{key}']);
  });

  it('names the target by its id, else the cache kind; the details are the origin template', () => {
    const p = prepare(opts(origin({ ttlSeconds: 60 })));
    expect(p).toMatchObject({ mode: 'redis-origin', targetId: 'memory', details: ['http://origin/items/{key}'], variants: [{}], ttl: { seconds: 60, jitter: 0.1 } });
    expect(p.originTemplate?.placeholders).toEqual(['key']);
    expect(prepare(opts(origin({ id: 'redis://cache:6379/0' }))).targetId).toBe('redis://cache:6379/0');
  });
});

describe('prepare: copy and http targets', () => {
  it('copy: the target id or cache kind, the source id or kind, the TTL only when given', () => {
    const copy = (over: object = {}): WarmTarget => ({ kind: 'redis', mode: 'copy', cache, from, ...over }) as WarmTarget;
    const p = prepare(opts(copy()));
    expect(p).toEqual({ mode: 'redis-copy', keys: p.keys, variants: [{}], targetId: 'memory', details: ['memory'] });
    expect(prepare(opts(copy({ id: 'redis://b', fromId: 'redis://a', ttlSeconds: 10, ttlJitter: 0 })))).toMatchObject({
      targetId: 'redis://b',
      details: ['redis://a'],
      ttl: { seconds: 10, jitter: 0 },
    });
    expect(refusal(() => prepare(opts(copy({ batchSize: 0 })))).field).toBe('--batch');
  });

  it('http: id, else the base URL, else the client kind; details are the method (GET by default) and the base URL', () => {
    const p = prepare(opts({ kind: 'http', http, baseUrl: 'http://cdn/prefix' }));
    expect(p).toMatchObject({ mode: 'http', targetId: 'http://cdn/prefix', details: ['GET', 'http://cdn/prefix'], variants: [{}] });
    expect(prepare(opts({ kind: 'http', http, baseUrl: 'http://cdn', id: 'cdn-eu', method: 'HEAD' }))).toMatchObject({ targetId: 'cdn-eu', details: ['HEAD', 'http://cdn'] });
    const abs = prepare(opts({ kind: 'http', http }, ['http://a/1', 'https://b/2']));
    expect(abs).toMatchObject({ targetId: 'memory-http', details: ['GET', ''] });
  });

  it('http: an empty variant list is one variant without headers; given variants are kept in order', () => {
    expect(prepare(opts({ kind: 'http', http, baseUrl: 'http://cdn', variants: [] })).variants).toEqual([{}]);
    const vs = [{ 'Accept-Encoding': 'gzip' }, { 'Accept-Encoding': 'br' }];
    expect(prepare(opts({ kind: 'http', http, baseUrl: 'http://cdn', variants: vs })).variants).toEqual(vs);
  });

  it('http: a relative key without a base URL is refused before anything is done', () => {
    expect(() => prepare(opts({ kind: 'http', http }, ['http://a/1', 'titles/1']))).toThrow(InputError);
  });
});

describe('KeyList: keys in order, without duplicates, in their shard', () => {
  it('keeps the first occurrence of each key, in order', () => {
    const l = new KeyList(undefined);
    l.add(['b', 'a', 'b', 'c', 'a']);
    l.add(['c', 'd']);
    expect(l.list).toEqual(['b', 'a', 'c', 'd']);
  });

  it('stays exact past its table size (every key once, duplicates dropped, across growth)', () => {
    const l = new KeyList(undefined);
    const n = 5000;
    const ks = Array.from({ length: n }, (_, i) => `key:${i}`);
    l.add(ks);
    l.add(ks.slice(0, 3000).reverse());
    l.add(['key:4999', 'new']);
    expect(l.list.length).toBe(n + 1);
    expect(l.list.slice(0, 3)).toEqual(['key:0', 'key:1', 'key:2']);
    expect(l.list.at(-1)).toBe('new');
    expect(new Set(l.list).size).toBe(n + 1);
  });

  it('tells apart keys whose hashes share the table slot (probing)', () => {
    // 600 keys in a table that starts at 1024 slots: many share their low bits
    const l = new KeyList(undefined);
    const ks = Array.from({ length: 600 }, (_, i) => String.fromCharCode(65 + (i % 26)) + i);
    l.add(ks);
    l.add(ks);
    expect(l.list).toEqual(ks);
  });

  it('a shard keeps only its keys; a key seen once is not added again; 1 shard is no shard', () => {
    const ks = Array.from({ length: 200 }, (_, i) => `k:${i}`);
    const shard = { index: 1, count: 3 };
    const l = new KeyList(shard);
    l.add(ks);
    l.add(ks);
    const mine = ks.filter((k) => shardOf(k, 3) === 1);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(200);
    expect(l.list).toEqual(mine);
    const one = new KeyList({ index: 0, count: 1 });
    one.add(['x', 'y', 'x']);
    expect(one.list).toEqual(['x', 'y']);
  });
});

describe('KeyFeed: batches pulled one ahead', () => {
  async function* batches(bs: string[][], log: string[]): AsyncGenerator<readonly string[]> {
    try {
      for (const b of bs) {
        log.push(`yield ${b.join(',')}`);
        yield b;
      }
    } finally {
      log.push('closed');
    }
  }

  it('adds each batch, reads the next ahead, and says when the stream ended', async () => {
    const log: string[] = [];
    const l = new KeyList(undefined);
    const feed = new KeyFeed(batches([['a', 'b'], ['b', 'c']], log), l);
    expect(await feed.pull()).toBe(true);
    expect(l.list).toEqual(['a', 'b']);
    expect(log).toEqual(['yield a,b', 'yield b,c']); // the second batch is read ahead
    expect(await feed.pull()).toBe(true);
    expect(l.list).toEqual(['a', 'b', 'c']);
    expect(feed.ended).toBe(false);
    expect(await feed.pull()).toBe(false);
    expect(feed.ended).toBe(true);
    expect(await feed.pull()).toBe(false);
    await feed.close();
    expect(log.filter((x) => x === 'closed')).toHaveLength(1);
  });

  it('close stops the stream early, ignoring an error of the batch read ahead', async () => {
    let returned = 0;
    let calls = 0;
    const stream: AsyncIterable<readonly string[]> = {
      [Symbol.asyncIterator]: () => ({
        next: () => (++calls === 1 ? Promise.resolve({ done: false, value: ['a'] }) : Promise.reject(new Error('scan failed'))),
        return: () => {
          returned++;
          return Promise.resolve({ done: true, value: undefined });
        },
      }),
    };
    const l = new KeyList(undefined);
    const feed = new KeyFeed(stream, l);
    expect(await feed.pull()).toBe(true);
    await feed.close();
    expect(returned).toBe(1);
    expect(feed.ended).toBe(true);
    await feed.close(); // once only
    expect(returned).toBe(1);
    expect(await feed.pull()).toBe(false);
  });

  it('close waits for the batch being read ahead before stopping the stream', async () => {
    const log: string[] = [];
    let release: (() => void) | undefined;
    let calls = 0;
    const stream: AsyncIterable<readonly string[]> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          calls++;
          if (calls === 1) return Promise.resolve({ done: false, value: ['a'] });
          log.push('read ahead');
          return new Promise((resolve) => {
            release = () => {
              log.push('read ahead settled');
              resolve({ done: false, value: ['b'] });
            };
          });
        },
        return: () => {
          log.push('return');
          return Promise.resolve({ done: true, value: undefined });
        },
      }),
    };
    const feed = new KeyFeed(stream, new KeyList(undefined));
    await feed.pull();
    const closing = feed.close();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(log).toEqual(['read ahead']);
    release?.();
    await closing;
    expect(log).toEqual(['read ahead', 'read ahead settled', 'return']);
  });

  it('keys whose 32-bit hashes collide are both kept', () => {
    // found by search: the table's hash of these two keys is 2069836760
    const l = new KeyList(undefined);
    l.add(['key:539599', 'key:722382', 'key:539599', 'key:722382']);
    expect(l.list).toEqual(['key:539599', 'key:722382']);
  });

  it('an error of the read-ahead batch reaches the next pull', async () => {
    let calls = 0;
    const stream: AsyncIterable<readonly string[]> = {
      [Symbol.asyncIterator]: () => ({
        next: () => (++calls === 1 ? Promise.resolve({ done: false, value: ['a'] }) : Promise.reject(new Error('scan failed'))),
      }),
    };
    const feed = new KeyFeed(stream, new KeyList(undefined));
    expect(await feed.pull()).toBe(true);
    await expect(feed.pull()).rejects.toThrow('scan failed');
    await feed.close(); // a stream without return(): nothing to stop
    expect(feed.ended).toBe(true);
  });
});
