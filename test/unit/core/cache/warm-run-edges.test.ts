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
