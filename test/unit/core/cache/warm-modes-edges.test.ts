/**
 * Edges of the three warm modes through `warm()` (src/core/cache/warm/origin.ts, copy.ts, http.ts, run.ts),
 * pinned from docs/cache.md "Targets" and the option docs in warm/types.ts: origin headers are sent with
 * every origin request, an empty 2xx body is an empty value, the default batch of 100 keys; the copy path's
 * TTLs (whole seconds, at least 1; none for a key without one), a pipeline depth below 1 is 1, a copier's
 * "missing" outcome is `missing-in-source`; HTTP requests carry the target's headers merged with the
 * variant's (a header of the variant wins), `readBody` false by default, and `verify: true` re-requests
 * every item once; `hitRatioSample: 0` skips the Redis hit ratio.
 */
import { describe, expect, it } from 'vitest';
import { warm, type CacheCopier, type WarmOptions } from '../../../../src/core/cache/warm.js';
import type { HttpRequest, HttpResponse } from '../../../../src/ports/http.js';
import type { CheckpointStore } from '../../../../src/core/cache/checkpoint.js';
import { InstrumentedCheckpointStore } from '../../../fakes/instrumented-checkpoint.js';
import { FakeClock, FakeHttp, FakeKv, seededRandom } from './fakes.js';

function keys(n: number, prefix = 'k:'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

describe('origin mode', () => {
  it('sends the origin headers with every request, and none without them', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v' }));
    await warm({
      keys: keys(3),
      target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://o/{key}', originHeaders: { Authorization: 'Bearer t', Accept: 'application/json' } },
      clock,
      random: seededRandom(1),
    });
    expect(origin.requests).toHaveLength(3);
    for (const r of origin.requests) expect(r.headers).toEqual({ Authorization: 'Bearer t', Accept: 'application/json' });
    const plain = new FakeHttp(clock, () => ({ status: 200, body: 'v' }));
    await warm({ keys: keys(1), target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin: plain, originUrl: 'http://o/{key}' }, clock, random: seededRandom(1) });
    expect(plain.requests[0]?.headers).toEqual({});
  });

  it('an empty 2xx answer is written as an empty value', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const origin = new FakeHttp(clock, () => ({ status: 204 }));
    const r = await warm({ keys: ['a'], target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://o/{key}' }, clock, random: seededRandom(1) });
    expect(r.warmed).toBe(1);
    expect(cache.has('a')).toBe(true);
    expect(cache.value('a')).toBe('');
  });

  it('checks existence and writes in batches of 100 by default', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v', latencyMs: 1 }));
    await warm({ keys: keys(250), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://o/{key}', hitRatioSample: 0 }, clock, random: seededRandom(1) });
    expect(cache.calls.filter((c) => c.op === 'existsMany').map((c) => c.keys.length)).toEqual([100, 100, 50]);
    expect(cache.calls.filter((c) => c.op === 'setMany').every((c) => c.keys.length <= 100)).toBe(true);
  });

  it('stops at --max-duration between existence checks, even when every key is already present', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    for (const k of keys(100)) cache.put(k, 'old');
    cache.latencyMs = 100;
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v' }));
    const r = await warm({
      keys: keys(100),
      target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://o/{key}', batchSize: 10, hitRatioSample: 0 },
      clock,
      random: seededRandom(1),
      limits: { maxDuration: 0.25 },
    });
    expect(r.stoppedBy).toBe('max-duration');
    expect(r.alreadyHot).toBeLessThan(100);
    expect(r.remaining).toBe(100 - r.alreadyHot);
    expect(origin.requests).toHaveLength(0);
  });

  it('hitRatioSample 0 reads no sample: no hit ratio before or after', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v' }));
    const r = await warm({ keys: keys(5), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://o/{key}', hitRatioSample: 0 }, clock, random: seededRandom(1) });
    expect([r.hitRatioBefore, r.hitRatioAfter]).toEqual([null, null]);
    expect(r.hitRatioMeasurements).toEqual({ before: null, after: null });
    expect(cache.count('getMany')).toBe(0);
    expect(cache.count('stats')).toBe(0);
  });
});

describe('copy mode', () => {
  it('copies TTLs as whole seconds, at least 1; a key without a TTL gets none', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    from.put('a', 'va', 90);
    from.put('b', 'vb');
    const realTtl = from.ttlMany.bind(from);
    // a key with 0 s left (expiring within the second) still gets 1 s
    from.ttlMany = async (ks) => (await realTtl(ks)).map((t, i) => (ks[i] === 'c' ? 0 : t));
    from.put('c', 'vc', 5);
    const r = await warm({ keys: ['a', 'b', 'c'], target: { kind: 'redis', mode: 'copy', cache, from }, clock, random: seededRandom(1) });
    expect(r.warmed).toBe(3);
    const set = Object.fromEntries(cache.sets.map((e) => [e.key, e.ttlSeconds]));
    expect(set).toEqual({ a: 90, b: undefined, c: 1 });
    expect('ttlSeconds' in (cache.sets.find((e) => e.key === 'b') as object)).toBe(false);
  });

  it('a pipeline depth below 1 still copies, one batch at a time', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (const k of keys(30)) from.put(k, 'v');
    cache.latencyMs = 5;
    const r = await warm({ keys: keys(30), target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 10, pipelineDepth: 0 }, clock, random: seededRandom(1) });
    expect(r.warmed).toBe(30);
    expect(cache.maxInFlight).toBe(1);
  });

  it('four batches in flight by default', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (const k of keys(100)) from.put(k, 'v');
    cache.latencyMs = 5;
    await warm({ keys: keys(100), target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 10, hitRatioSample: 0 }, clock, random: seededRandom(1) });
    expect(cache.maxInFlight).toBe(4);
  });

  it('a batch already all present reads nothing from the source; one all missing writes nothing', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (const k of keys(3)) cache.put(k, 'old');
    const r = await warm({ keys: keys(3), target: { kind: 'redis', mode: 'copy', cache, from, hitRatioSample: 0 }, clock, random: seededRandom(1) });
    expect(r).toMatchObject({ alreadyHot: 3, warmed: 0 });
    expect(from.calls).toEqual([]);
    expect(cache.count('setMany')).toBe(0);
    const empty = new FakeKv(clock);
    const r2 = await warm({ keys: keys(3), target: { kind: 'redis', mode: 'copy', cache: empty, from, hitRatioSample: 0 }, clock, random: seededRandom(1), limits: { maxFailures: 3 } });
    expect(r2).toMatchObject({ failed: 3, warmed: 0 });
    expect(empty.count('setMany')).toBe(0);
    expect(r2.latencyMs.samples).toBe(1); // the batch's round trip is still one sample
  });

  it('a copier\'s per-key outcomes: written, present, missing-in-source', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    const copier: CacheCopier = { copy: async (ks) => ks.map((_, i) => [1, 2, 0][i % 3] as number) };
    Object.assign(cache, { copierFrom: () => copier });
    const r = await warm({ keys: keys(6), target: { kind: 'redis', mode: 'copy', cache, from, hitRatioSample: 0 }, clock, random: seededRandom(1) });
    expect(r).toMatchObject({ warmed: 2, alreadyHot: 2, failed: 2, failuresByReason: { 'missing-in-source': 2 } });
    expect(r.failures.map((f) => f.key)).toEqual(['k:2', 'k:5']);
  });

  it('a key of another type (getMany answers null for it) is missing-in-source and not written', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    from.put('a', 'va');
    const r = await warm({ keys: ['a', 'gone'], target: { kind: 'redis', mode: 'copy', cache, from, ttlSeconds: 60, ttlJitter: 0 }, clock, random: seededRandom(1) });
    expect(r).toMatchObject({ warmed: 1, failed: 1, failures: [{ key: 'gone', reason: 'missing-in-source' }] });
    expect(cache.sets.map((e) => [e.key, e.ttlSeconds])).toEqual([['a', 60]]);
    expect(from.count('ttlMany')).toBe(0); // --ttl: the source's TTLs are not read
  });
});

/**
 * The CDN: FakeHttp (the contract-checked MemoryHttp on the FakeClock, inside InstrumentedHttp) answering 200 with
 * the headers `answer` gives (default `x-cache-status: MISS`). Recorded on top, in `seen`: each request exactly as
 * handed over (its headers object copied, or none at all; readBody, timeoutMs, signal), which InstrumentedHttp's
 * record does not keep.
 */
class RecordingCdn extends FakeHttp {
  readonly seen: HttpRequest[] = [];

  constructor(clock: FakeClock, answer: (req: HttpRequest) => { headers?: Record<string, string> }) {
    super(clock, (req) => ({ status: 200, headers: answer(req).headers ?? { 'x-cache-status': 'MISS' } }));
  }

  override request(req: HttpRequest): Promise<HttpResponse> {
    this.seen.push({ ...req, ...(req.headers ? { headers: { ...req.headers } } : {}) });
    return super.request(req);
  }
}

function recordingClient(clock: FakeClock, answer: (req: HttpRequest) => { headers?: Record<string, string> } = () => ({})) {
  const client = new RecordingCdn(clock, answer);
  return { client, seen: client.seen };
}

describe('http mode', () => {
  it('merges the target\'s headers with each variant\'s (the variant wins), and sends none when there are none', async () => {
    const clock = new FakeClock(0);
    const { client, seen } = recordingClient(clock);
    await warm({
      keys: ['/a'],
      target: { kind: 'http', http: client, baseUrl: 'http://cdn', headers: { 'X-Env': 'prod', 'Accept-Encoding': 'identity' }, variants: [{ 'Accept-Encoding': 'gzip' }, {}] },
      clock,
      random: seededRandom(1),
    });
    expect(seen.map((r) => r.headers)).toEqual([
      { 'X-Env': 'prod', 'Accept-Encoding': 'gzip' },
      { 'X-Env': 'prod', 'Accept-Encoding': 'identity' },
    ]);
    const bare = recordingClient(clock);
    await warm({ keys: ['/a'], target: { kind: 'http', http: bare.client, baseUrl: 'http://cdn' }, clock, random: seededRandom(1) });
    expect(bare.seen[0]).toMatchObject({ method: 'GET', url: 'http://cdn/a', readBody: false });
    expect('headers' in (bare.seen[0] as object)).toBe(false);
  });

  it('each request gets its own copy of the headers (a client may add to it)', async () => {
    const clock = new FakeClock(0);
    // the CDN fake, with a client on top that adds a header to the object it was handed, once the request is recorded
    const client = new FakeHttp(clock, () => ({ status: 200 }));
    const request = client.request.bind(client);
    client.request = (req) => {
      const answer = request(req);
      if (req.headers) req.headers['x-added'] = 'by-client';
      return answer;
    };
    await warm({ keys: ['/a', '/b'], target: { kind: 'http', http: client, baseUrl: 'http://cdn', headers: { 'X-Env': 'prod' } }, clock, random: seededRandom(1) });
    expect(client.requests.map((r) => r.headers)).toEqual([{ 'X-Env': 'prod' }, { 'X-Env': 'prod' }]);
  });

  it('passes readBody when asked, and HEAD', async () => {
    const clock = new FakeClock(0);
    const { client, seen } = recordingClient(clock);
    await warm({ keys: ['/a'], target: { kind: 'http', http: client, baseUrl: 'http://cdn', readBody: true, method: 'HEAD' }, clock, random: seededRandom(1) });
    expect(seen[0]).toMatchObject({ method: 'HEAD', readBody: true });
  });

  it('verify: true re-requests every item once, with the timeout; its HIT share is hitRatioAfter', async () => {
    const clock = new FakeClock(0);
    let n = 0;
    const { client, seen } = recordingClient(clock, () => ({ headers: { 'x-cache-status': n++ < 4 ? 'MISS' : n % 2 === 0 ? 'HIT' : 'STALE' } }));
    const r = await warm({ keys: ['/a', '/b'], target: { kind: 'http', http: client, baseUrl: 'http://cdn', verify: true, variants: [{ A: '1' }, { A: '2' }] }, clock, random: seededRandom(1), limits: { timeoutMs: 1234 } });
    expect(seen).toHaveLength(8);
    expect(seen.slice(4).every((s) => s.timeoutMs === 1234 && s.signal instanceof AbortSignal)).toBe(true);
    expect(r.verify).toEqual({ requests: 4, hit: 2, stale: 2, miss: 0, bypass: 0, unknown: 0, errors: 0 });
    expect(r.hitRatioBefore).toBe(0);
    expect(r.hitRatioAfter).toBe(1);
    // the verify pass requests the same URL × variant items
    expect(seen.slice(4).map((s) => `${s.url} ${s.headers?.A}`)).toEqual(['http://cdn/a 1', 'http://cdn/b 1', 'http://cdn/a 2', 'http://cdn/b 2']);
  });

  it('verify with only bypass/unknown answers (or none classified) gives no ratio', async () => {
    const clock = new FakeClock(0);
    const { client } = recordingClient(clock, () => ({ headers: {} }));
    const r = await warm({ keys: ['/a', '/b'], target: { kind: 'http', http: client, baseUrl: 'http://cdn', verify: true }, clock, random: seededRandom(1) });
    expect(r.hitRatioBefore).toBeNull();
    expect(r.hitRatioAfter).toBeNull();
    expect(r.verify).toMatchObject({ requests: 2, unknown: 2 });
    expect(r.cacheStatus).toEqual({ hit: 0, stale: 0, miss: 0, bypass: 0, unknown: 2 });
  });

  it('the warm pass\'s hit ratio counts stale as cached and leaves bypass out', async () => {
    const clock = new FakeClock(0);
    const verdicts = ['HIT', 'STALE', 'MISS', 'BYPASS'];
    let i = 0;
    const { client } = recordingClient(clock, () => ({ headers: { 'x-cache-status': verdicts[i++ % 4] as string } }));
    const r = await warm({ keys: ['/a', '/b', '/c', '/d'], target: { kind: 'http', http: client, baseUrl: 'http://cdn' }, clock, random: seededRandom(1) });
    expect(r.hitRatioBefore).toBeCloseTo(2 / 3, 10);
    expect(r).toMatchObject({ alreadyHot: 2, warmed: 2 });
  });
});

describe('abandoned requests and round trips', () => {
  it('http: a request whose retry the run cut short is not a failure', async () => {
    const clock = new FakeClock(0);
    const http = new FakeHttp(clock, () => ({ status: 503, latencyMs: 1 }));
    const r = await warm({
      keys: ['/a', '/b'],
      target: { kind: 'http', http, baseUrl: 'http://cdn' },
      clock,
      random: () => 0.99,
      limits: { retries: 5, backoffBaseMs: 1000, maxDuration: 0.5, breaker: false },
    });
    expect(r.stoppedBy).toBe('max-duration');
    expect(r).toMatchObject({ failed: 0, failures: [], remaining: 2, exitCode: 0 });
  });

  it('verify: the HIT share of its classified answers', async () => {
    const clock = new FakeClock(0);
    let n = 0;
    const statuses = ['MISS', 'MISS', 'MISS', 'MISS', 'HIT', 'MISS', 'STALE', 'HIT'];
    const { client } = recordingClient(clock, () => ({ headers: { 'x-cache-status': statuses[n++] as string } }));
    const r = await warm({ keys: ['/a', '/b', '/c', '/d'], target: { kind: 'http', http: client, baseUrl: 'http://cdn', verify: true }, clock, random: seededRandom(1) });
    expect(r.verify).toMatchObject({ requests: 4, hit: 2, stale: 1, miss: 1 });
    expect(r.hitRatioAfter).toBe(0.75);
    const even = ['MISS', 'MISS', 'HIT', 'MISS'];
    let k = 0;
    const two = recordingClient(clock, () => ({ headers: { 'x-cache-status': even[k++] as string } }));
    const r2 = await warm({ keys: ['/a', '/b'], target: { kind: 'http', http: two.client, baseUrl: 'http://cdn', verify: true }, clock, random: seededRandom(1) });
    expect(r2.hitRatioAfter).toBe(0.5); // 1 cached of 2 classified
  });

  it('copy: the latency of a batch is its round trip (existence, then value and TTL together, then the write)', async () => {
    const clock = new FakeClock(1_000_000);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (const k of keys(20)) from.put(k, 'v');
    from.latencyMs = 5;
    cache.latencyMs = 5;
    const r = await warm({ keys: keys(20), target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 10, hitRatioSample: 0 }, clock, random: seededRandom(1) });
    expect(r.latencyMs).toMatchObject({ samples: 2, max: 15, p50: 15 });
    const c2 = new FakeKv(clock);
    const copier: CacheCopier = { copy: async (ks) => (await clock.sleep(7), ks.map(() => 1)) };
    Object.assign(c2, { copierFrom: () => copier });
    const r2 = await warm({ keys: keys(20), target: { kind: 'redis', mode: 'copy', cache: c2, from, batchSize: 10, hitRatioSample: 0 }, clock, random: seededRandom(1) });
    expect(r2.latencyMs).toMatchObject({ samples: 2, max: 7 });
  });
});

describe('run options', () => {
  it('failures are listed up to 100 by default, failureListLimit otherwise', async () => {
    const clock = new FakeClock(0);
    const run = (over: Partial<WarmOptions>) =>
      warm({
        keys: keys(120),
        target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin: new FakeHttp(clock, () => ({ status: 404 })), originUrl: 'http://o/{key}', hitRatioSample: 0 },
        clock,
        random: seededRandom(1),
        limits: { maxFailures: 1000 },
        ...over,
      });
    const r = await run({});
    expect(r.failures).toHaveLength(100);
    expect(r.failuresTruncated).toBe(true);
    const s = await run({ failureListLimit: 3 });
    expect(s.failures).toHaveLength(3);
    expect(s.failed).toBe(120);
  });
});

describe('copy mode and --max-duration', () => {
  it('issues no batch after the deadline, even when a checkpoint save crossed it', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (const k of keys(100)) from.put(k, 'v');
    const inner = new InstrumentedCheckpointStore();
    // a slow disk: each save takes 2 s of clock time
    const store: CheckpointStore = {
      load: () => inner.load(),
      clear: () => inner.clear(),
      save: async (c) => {
        await clock.sleep(2000);
        await inner.save(c);
      },
    };
    const r = await warm({
      keys: keys(100),
      target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 10, pipelineDepth: 1, hitRatioSample: 0 },
      clock,
      random: seededRandom(1),
      checkpoint: store,
      checkpointIntervalMs: 250,
      limits: { rate: 100, burst: 10, maxDuration: 1 },
    });
    expect(r.stoppedBy).toBe('max-duration');
    const reads = from.calls.filter((c) => c.op === 'getMany');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c.at < 1000)).toBe(true);
    expect(inner.saved?.doneCount).toBe(r.warmed);
  });
});
