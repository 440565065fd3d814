/**
 * The run around the modes (src/core/cache/warm/run.ts), pinned from docs/cache.md ("How hit ratios are
 * measured": hitRatioAfter is not measured after an abort; "Protection": max-duration keeps exit 0;
 * "Checkpoints": the description names mode, target and shard; "Progress": a `done` event on every path)
 * and the WarmOptions/WarmHandle docs in warm/types.ts (checkpointNow; the first fatal error is the one
 * thrown; the HTTP verify pass only after a complete warm pass).
 */
import { describe, expect, it } from 'vitest';
import { warm, type WarmEvent, type WarmHandle } from '../../../../src/core/cache/warm.js';
import { InstrumentedCheckpointStore } from '../../../fakes/instrumented-checkpoint.js';
import { FakeClock, FakeHttp, FakeKv, rejectionOf, seededRandom } from './fakes.js';

function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `k:${i}`);
}

describe('hit ratio after the run', () => {
  it('is measured after a run stopped by --max-duration, not after an abort', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v', latencyMs: 10 }));
    const target = { kind: 'redis' as const, mode: 'origin' as const, cache, origin, originUrl: 'http://o/{key}' };
    const r = await warm({ keys: keys(100), target, clock, random: seededRandom(1), limits: { rate: 10, burst: 1, maxDuration: 1 } });
    expect(r.stoppedBy).toBe('max-duration');
    expect(r.hitRatioBefore).toBe(0);
    expect(r.hitRatioAfter).toBeGreaterThan(0);
    expect(r.hitRatioMeasurements?.after).not.toBeNull();

    const ctl = new AbortController();
    const events: WarmEvent[] = [];
    const c2 = new FakeKv(clock);
    const o2 = new FakeHttp(clock, () => {
      if (o2.requests.length === 3) ctl.abort(new Error('SIGTERM'));
      return { status: 200, body: 'v', latencyMs: 10 };
    });
    const err = await rejectionOf(
      warm({ keys: keys(50), target: { ...target, cache: c2, origin: o2 }, clock, random: seededRandom(1), signal: ctl.signal, onProgress: (e) => events.push(e) }),
    );
    expect((err as Error).message).toBe('SIGTERM');
    const done = events.at(-1);
    expect(done?.event).toBe('done');
    if (done?.event === 'done') {
      expect(done.result.stoppedBy).toBe('signal');
      expect(done.result.hitRatioAfter).toBeNull();
      expect(done.result.hitRatioMeasurements?.after).toBeNull();
      expect(done.result.hitRatioBefore).toBe(0);
    }
  });

  it('is not measured after a failure of the target', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    cache.fault = (op) => (op === 'setMany' ? new Error('READONLY') : undefined);
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v' }));
    const events: WarmEvent[] = [];
    const err = await rejectionOf(
      warm({ keys: keys(5), target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://o/{key}' }, clock, random: seededRandom(1), onProgress: (e) => events.push(e) }),
    );
    expect((err as Error).message).toBe('READONLY');
    const done = events.at(-1);
    expect(done?.event === 'done' && done.result.hitRatioAfter).toBeNull();
    expect(cache.count('stats')).toBe(2); // before only: INFO around the sample read
  });
});

describe('the HTTP verify pass', () => {
  it('runs only after a complete warm pass', async () => {
    const clock = new FakeClock(0);
    const http = new FakeHttp(clock, () => ({ status: 200, headers: { 'X-Cache-Status': 'MISS' }, latencyMs: 100 }));
    const r = await warm({
      keys: keys(50).map((k) => `/${k}`),
      target: { kind: 'http', http, baseUrl: 'http://cdn', verify: true },
      clock,
      random: seededRandom(1),
      limits: { rate: 10, burst: 1, maxDuration: 1 },
    });
    expect(r.stoppedBy).toBe('max-duration');
    expect(r.verify).toBeUndefined();
    expect(r.hitRatioAfter).toBeNull();
    expect(r.hitRatioBefore).toBe(0);
    expect(http.requests.length).toBe(r.attempted);
  });
});

describe('checkpoint description and checkpointNow', () => {
  it('names mode, target and shard', async () => {
    const clock = new FakeClock(0);
    const store = new InstrumentedCheckpointStore();
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v', latencyMs: 10 }));
    const r = await warm({
      keys: keys(200),
      shard: { index: 1, count: 4 },
      target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin, originUrl: 'http://o/{key}', id: 'redis://cache:6379/0' },
      clock,
      random: seededRandom(1),
      checkpoint: store,
      limits: { rate: 10, burst: 1, maxDuration: 1 },
    });
    expect(r.checkpoint).toBe('saved');
    expect(store.saved?.description).toBe('redis-origin → redis://cache:6379/0, shard 1/4');
    const s2 = new InstrumentedCheckpointStore();
    await warm({
      keys: keys(50),
      target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin, originUrl: 'http://o/{key}' },
      clock,
      random: seededRandom(1),
      checkpoint: s2,
      limits: { rate: 10, burst: 1, maxDuration: 1 },
    });
    expect(s2.saved?.description).toBe('redis-origin → memory');
  });

  it('checkpointNow saves the progress of a running warm', async () => {
    const clock = new FakeClock(0);
    const store = new InstrumentedCheckpointStore();
    let handle: WarmHandle | undefined;
    const saved: boolean[] = [];
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v', latencyMs: 10 }));
    clock.at(2500, () => void handle?.checkpointNow(100).then((ok) => saved.push(ok)));
    const r = await warm({
      keys: keys(40),
      target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin, originUrl: 'http://o/{key}', batchSize: 5 },
      clock,
      random: seededRandom(1),
      checkpoint: store,
      checkpointIntervalMs: 60_000,
      limits: { rate: 10, burst: 1 },
      onStart: (h) => (handle = h),
    });
    expect(r.checkpoint).toBe('cleared');
    expect(saved).toEqual([true]);
    expect(store.saves).toBe(1);
    expect(store.history[0]).toBeGreaterThan(0);
    expect(store.history[0]).toBeLessThan(40);
  });
});

describe('errors', () => {
  it('the first fatal error is the one thrown; a checkpoint save failing after it does not replace it', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const store = new InstrumentedCheckpointStore();
    cache.fault = (op) => (op === 'setMany' ? new Error('READONLY') : undefined);
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v' }));
    const events: WarmEvent[] = [];
    const err = await rejectionOf(
      warm({
        keys: keys(5),
        target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://o/{key}', batchSize: 1 },
        clock,
        random: seededRandom(1),
        checkpoint: store,
        onProgress: (e) => {
          events.push(e);
          store.failSave = true;
        },
        progressIntervalMs: 0,
      }),
    );
    expect((err as Error).message).toBe('READONLY');
    expect(events.at(-1)?.event).toBe('done');
  });

  it('a progress callback that throws stops the run with its error', async () => {
    const clock = new FakeClock(0);
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v', latencyMs: 10 }));
    let progress = 0;
    const err = await rejectionOf(
      warm({
        keys: keys(100),
        target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin, originUrl: 'http://o/{key}' },
        clock,
        random: seededRandom(1),
        limits: { rate: 10, burst: 1 },
        onProgress: (e) => {
          if (e.event === 'progress' && ++progress === 2) throw new Error('renderer crashed');
        },
      }),
    );
    expect((err as Error).message).toBe('renderer crashed');
    expect(origin.requests.length).toBeLessThan(100);
  });

  it('progress events come once per progressIntervalMs of clock time', async () => {
    const clock = new FakeClock(0);
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v', latencyMs: 1 }));
    const at: number[] = [];
    await warm({
      keys: keys(30),
      target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin, originUrl: 'http://o/{key}', hitRatioSample: 0 },
      clock,
      random: seededRandom(1),
      limits: { rate: 10, burst: 1, adaptive: false },
      progressIntervalMs: 500,
      onProgress: (e) => {
        if (e.event === 'progress') at.push(clock.now());
      },
    });
    expect(at.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < at.length; i++) expect((at[i] as number) - (at[i - 1] as number)).toBeGreaterThanOrEqual(500);
  });
});

describe('streamed keys and the hit-ratio sample', () => {
  function stream(batches: number, size: number): AsyncIterable<readonly string[]> {
    return (async function* () {
      for (let b = 0; b < batches; b++) yield Array.from({ length: size }, (_, i) => `s:${b * size + i}`);
    })();
  }

  it('the sample is the first keys to arrive: only the batches needed to fill it are read first', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (let i = 0; i < 300; i++) from.put(`s:${i}`, 'v');
    const r = await warm({ keys: [], keyStream: stream(3, 100), target: { kind: 'redis', mode: 'copy', cache, from, hitRatioSample: 100 }, clock, random: seededRandom(1) });
    expect(r.hitRatioMeasurements?.before).toMatchObject({ sampled: 100, present: 0 });
    const firstRead = cache.calls.find((c) => c.op === 'getMany');
    expect(firstRead?.keys).toEqual(Array.from({ length: 100 }, (_, i) => `s:${i}`));
    expect(r.warmed).toBe(300);
  });

  it('the default sample is 1000 keys', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (let i = 0; i < 1500; i++) from.put(`s:${i}`, 'v');
    const r = await warm({ keys: [], keyStream: stream(3, 500), target: { kind: 'redis', mode: 'copy', cache, from }, clock, random: seededRandom(1) });
    expect(r.hitRatioMeasurements?.before).toMatchObject({ sampled: 1000, present: 0, ratio: 0 });
    expect(r.hitRatioMeasurements?.after).toMatchObject({ sampled: 1000, present: 1000, ratio: 1 });
  });
});

describe('stops and errors at the end of the run', () => {
  it('an abort whose checkpoint save fails still throws the signal\'s reason, and says nothing was saved', async () => {
    const clock = new FakeClock(0);
    const store = new InstrumentedCheckpointStore();
    const ctl = new AbortController();
    const events: WarmEvent[] = [];
    const origin = new FakeHttp(clock, () => {
      if (origin.requests.length === 5) {
        store.failSave = true;
        ctl.abort(new Error('SIGINT'));
      }
      return { status: 200, body: 'v', latencyMs: 10 };
    });
    const err = await rejectionOf(
      warm({
        keys: keys(50),
        target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin, originUrl: 'http://o/{key}' },
        clock,
        random: seededRandom(1),
        checkpoint: store,
        signal: ctl.signal,
        onProgress: (e) => events.push(e),
      }),
    );
    expect((err as Error).message).toBe('SIGINT');
    const done = events.at(-1);
    expect(done?.event === 'done' && done.result.checkpoint).toBe('none');
  });

  it('a failure whose checkpoint save then fails throws the failure, not the save\'s error', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const store = new InstrumentedCheckpointStore();
    cache.fault = (op) => {
      if (op !== 'setMany') return undefined;
      store.failSave = true;
      return new Error('READONLY');
    };
    const events: WarmEvent[] = [];
    const err = await rejectionOf(
      warm({ keys: keys(5), target: { kind: 'redis', mode: 'origin', cache, origin: new FakeHttp(clock, () => ({ status: 200, body: 'v' })), originUrl: 'http://o/{key}' }, clock, random: seededRandom(1), checkpoint: store, onProgress: (e) => events.push(e) }),
    );
    expect((err as Error).message).toBe('READONLY');
    const done = events.at(-1);
    expect(done?.event === 'done' && done.result.checkpoint).toBe('none');
    expect(done?.event === 'done' && 'stoppedBy' in done.result).toBe(false); // an error is thrown, not a stop reason
  });

  it('a failure after some keys were copied, whose final checkpoint save fails, throws the failure and reports no checkpoint', async () => {
    // the end-of-run save is only attempted when something was done (docs/cache.md "Checkpoints"): the first
    // batch is copied, the second write fails, and the save of the 2 copied keys then fails too
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (let i = 0; i < 6; i++) from.put(`k:${i}`, 'v');
    const store = new InstrumentedCheckpointStore();
    let writes = 0;
    cache.fault = (op) => {
      if (op !== 'setMany' || ++writes < 2) return undefined;
      store.failSave = true;
      return new Error('READONLY');
    };
    const events: WarmEvent[] = [];
    const err = await rejectionOf(
      warm({
        keys: keys(6),
        target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 2, pipelineDepth: 1, hitRatioSample: 0 },
        clock,
        random: seededRandom(1),
        checkpoint: store,
        onProgress: (e) => events.push(e),
      }),
    );
    expect((err as Error).message).toBe('READONLY');
    const done = events.at(-1);
    expect(done?.event === 'done' && done.result.warmed).toBe(2);
    expect(done?.event === 'done' && done.result.checkpoint).toBe('none');
    expect(store.saves).toBe(0);
  });

  it('of several failing batches in flight, the first error is thrown', async () => {
    const clock = new FakeClock(0);
    const from = new FakeKv(clock);
    const cache = new FakeKv(clock);
    for (let i = 0; i < 40; i++) from.put(`k:${i}`, 'v');
    cache.latencyMs = 5;
    let n = 0;
    cache.fault = (op) => (op === 'setMany' ? new Error(`write ${++n} failed`) : undefined);
    const err = await rejectionOf(warm({ keys: keys(40), target: { kind: 'redis', mode: 'copy', cache, from, batchSize: 10, pipelineDepth: 4, hitRatioSample: 0 }, clock, random: seededRandom(1) }));
    expect(n).toBeGreaterThan(1);
    expect((err as Error).message).toBe('write 1 failed');
  });

  it('a single shard is not named in the checkpoint description', async () => {
    const clock = new FakeClock(0);
    const store = new InstrumentedCheckpointStore();
    await warm({
      keys: keys(50),
      shard: { index: 0, count: 1 },
      target: { kind: 'redis', mode: 'origin', cache: new FakeKv(clock), origin: new FakeHttp(clock, () => ({ status: 200, body: 'v', latencyMs: 10 })), originUrl: 'http://o/{key}' },
      clock,
      random: seededRandom(1),
      checkpoint: store,
      limits: { rate: 10, burst: 1, maxDuration: 1 },
    });
    expect(store.saved?.description).toBe('redis-origin → memory');
  });
});

describe('between items', () => {
  it('http mode saves the checkpoint every interval while it runs', async () => {
    const clock = new FakeClock(0);
    const store = new InstrumentedCheckpointStore();
    const http = new FakeHttp(clock, () => ({ status: 200, headers: { 'X-Cache-Status': 'MISS' }, latencyMs: 10 }));
    await warm({
      keys: keys(60).map((k) => `/${k}`),
      target: { kind: 'http', http, baseUrl: 'http://cdn' },
      clock,
      random: seededRandom(1),
      checkpoint: store,
      checkpointIntervalMs: 1000,
      limits: { rate: 10, burst: 1 },
    });
    // 60 items at 10/s: about 6 s, a save each second before the end clears it
    expect(store.saves).toBeGreaterThanOrEqual(4);
    expect(store.history.every((n, i) => i === 0 || n >= (store.history[i - 1] as number))).toBe(true);
    expect(store.clears).toBe(1);
  });

  it('origin fetching stalls while more than 2 writes are queued', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    cache.latencyMs = 1000;
    const origin = new FakeHttp(clock, () => ({ status: 200, body: 'v', latencyMs: 1 }));
    let fetchedBeforeFirstWrite = -1;
    clock.at(900, () => (fetchedBeforeFirstWrite = origin.requests.length));
    const r = await warm({
      keys: keys(30),
      target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://o/{key}', batchSize: 1, refresh: true, hitRatioSample: 0 },
      clock,
      random: seededRandom(1),
      limits: { concurrency: 4, adaptive: false },
    });
    expect(r.warmed).toBe(30);
    // 3 queued writes, then the pool waits: a few fetches, never the whole list
    expect(fetchedBeforeFirstWrite).toBeGreaterThanOrEqual(3);
    expect(fetchedBeforeFirstWrite).toBeLessThan(10);
  });
});
