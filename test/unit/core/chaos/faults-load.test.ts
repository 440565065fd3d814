import { describe, expect, it } from 'vitest';
import { flashCrowdAction, Pacer, retryStormAction, type LoadStats } from '../../../../src/core/chaos/actions/load.js';
import { FakeClock } from '../../../fakes/virtual-clock.js';
import { MemoryHttp } from '../../../fakes/memory-http.js';
import { inputError } from '../../../helpers/errors.js';
import { args, faultsCtx } from './faults-ctx.js';

describe('load.flash-crowd', () => {
  it('sends baseline × multiplier per second for the duration, on schedule (virtual clock)', async () => {
    const http = new MemoryHttp(() => ({ status: 200 }));
    const ctx = faultsCtx({ http });
    const stats = (await flashCrowdAction.run(args(flashCrowdAction, { url: 'http://svc.test/', baselineRate: '2/s', multiplier: 5, duration: '10s', maxRate: '20/s', wait: true }), ctx)) as LoadStats;
    expect(stats.sent).toBe(100);
    expect(stats.ok).toBe(100);
    expect(stats.achievedRate).toBe(10);
    expect(http.requests).toHaveLength(100);
    expect(ctx.events.at(-1)?.event).toBe('load.flash-crowd.finished');
  });
  it('the rate is capped: baseline × multiplier above maxRate, or maxRate above the ceiling, is exit 2', () => {
    const err = inputError(() => args(flashCrowdAction, { url: 'http://svc.test/', baselineRate: '50/s', multiplier: 10, duration: '1m', maxRate: '200/s' }));
    expect(err.field).toBe('multiplier');
    expect(err.message).toMatch(/500\/s, above maxRate 200\/s/);
    expect(inputError(() => args(flashCrowdAction, { url: 'http://svc.test/', baselineRate: '1/s', duration: '1m', maxRate: '9000/s' })).field).toBe('maxRate');
    expect(inputError(() => args(flashCrowdAction, { url: 'http://svc.test/', baselineRate: '1/s', duration: '1m' })).field).toBe('maxRate');
  });
  it('runs in the background; its undo stops it early', async () => {
    const http = new MemoryHttp(() => ({ status: 200 }));
    const ctx = faultsCtx({ http });
    const out = await flashCrowdAction.run(args(flashCrowdAction, { url: 'http://svc.test/', baselineRate: '1/s', multiplier: 10, duration: '1h', maxRate: '10/s' }), ctx);
    expect(out).toMatchObject({ started: true, rate: '10/s', durationMs: 3_600_000 });
    while (http.requests.length < 5) await new Promise((r) => setImmediate(r));
    await ctx.undoAll();
    const sent = http.requests.length;
    expect(sent).toBeLessThan(36_000);
    await new Promise((r) => setImmediate(r));
    expect(http.requests.length).toBe(sent);
  });
});

describe('load.retry-storm', () => {
  it('retries failed calls at once (no backoff), never above maxRate', async () => {
    let n = 0;
    const http = new MemoryHttp(() => ({ status: n++ % 3 === 0 ? 200 : 503 }));
    const ctx = faultsCtx({ http });
    const stats = (await retryStormAction.run(args(retryStormAction, { url: 'http://svc.test/', clients: 4, retries: 5, duration: '5s', maxRate: '40/s', wait: true }), ctx)) as LoadStats;
    expect(stats.sent).toBeLessThanOrEqual(40 * 5 + 1);
    expect(stats.sent).toBeGreaterThanOrEqual(40 * 5 - 4);
    expect(stats.retries).toBeGreaterThan(stats.sent / 2);
    expect(stats.failed + stats.ok).toBe(stats.sent);
    // No backoff: the only waits are pacer slots (25 ms apart at 40/s), at most one slot per waiting client.
    const waits = ctx.clock.sleeps.filter((s) => s > 0).map((s) => Math.round(s));
    expect(waits.every((w) => w % 25 === 0 && w <= 4 * 25)).toBe(true);
  });
  it('a call that keeps failing gives up after its retries', async () => {
    const http = new MemoryHttp(() => ({ status: 503 }));
    const stats = (await retryStormAction.run(args(retryStormAction, { url: 'http://svc.test/', clients: 1, retries: 2, duration: '3s', maxRate: '10/s', wait: true }), faultsCtx({ http }))) as LoadStats;
    expect(stats.gaveUp).toBe(10);
    expect(stats.retries).toBe(20);
  });
});

describe('Pacer: the cap holds on real send times', () => {
  it('timers that fire late, and several takers at once, never bring two sends closer than 1/rate', async () => {
    const fake = new FakeClock();
    const late = [40, 0, 75, 0, 0, 30];
    // a clock whose timers fire late by the next amount in `late` (as on a loaded machine)
    const clock = { now: () => fake.now(), sleep: (ms: number, signal?: AbortSignal) => fake.sleep(ms + (late.shift() ?? 0), signal) };
    const pacer = new Pacer(clock, 10);
    const signal = new AbortController().signal;
    const sends: number[] = [];
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 5; i++) {
        await pacer.take(signal);
        sends.push(fake.now());
      }
    }));
    expect(sends).toHaveLength(20);
    const gaps = sends.slice(1).map((t, i) => t - (sends[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
  });
});
