/**
 * The load actions' figures, limits and lifecycle as docs/chaos-faults.md
 * "Load" promises them: what counts as a failure, the concurrency limit, the
 * end of the duration, the validation of the cap, the plans, and how the load
 * stops (undo, the experiment's signal, a failure of its own).
 */
import { describe, expect, it } from 'vitest';
import { flashCrowdAction, retryStormAction, type LoadStats } from '../../../../src/core/chaos/actions/load.js';
import type { PortMap } from '../../../../src/ports/providers.js';
import type { HttpRequest } from '../../../../src/ports/http.js';
import { InstrumentedHttp } from '../../../fakes/instrumented-http.js';
import { MemoryHttp, type Handler } from '../../../fakes/memory-http.js';
import { expectInputError } from '../error-contract.js';
import { rejection } from '../../../helpers/errors.js';
import { args, faultsCtx } from './faults-ctx.js';

const URL_ = 'http://svc.test/';

/** A faults context whose http port answers on the context's virtual clock (latency takes virtual time). */
function world(handler: Handler, options: { signal?: AbortSignal } = {}) {
  const ports: Partial<PortMap> = {};
  const ctx = faultsCtx(ports, options);
  const http = new InstrumentedHttp(new MemoryHttp(handler, { clock: ctx.clock }), ctx.clock);
  ports.http = http;
  return { ctx, http };
}

/** Let the virtual clock and the load run until `done()` holds (bounded: fails instead of hanging). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((r) => setImmediate(r));
  expect(done()).toBe(true);
}

describe('load figures', () => {
  it('5xx and 429 are failures, other statuses are ok, a transport error is a failure counted as `error`; method, headers and body go out, bodies are not read', async () => {
    const answers = [200, 302, 404, 429, 500, 503, 'refuse', 200] as const;
    const seen: HttpRequest[] = [];
    let n = 0;
    const { ctx } = world((req) => {
      seen.push(req);
      const a = answers[n++ % answers.length] as (typeof answers)[number];
      return a === 'refuse' ? 'refuse' : { status: a, body: 'payload' };
    });
    const raw = { url: URL_, method: 'POST', headers: { 'x-load': 'relia' }, body: '{"q":1}', baselineRate: '8/s', multiplier: 1, duration: '1s', maxRate: '8/s', wait: true };
    const stats = (await flashCrowdAction.run(args(flashCrowdAction, raw), ctx)) as LoadStats;
    expect(stats).toMatchObject({ sent: 8, ok: 4, failed: 4, skipped: 0, durationMs: 1000, achievedRate: 8 });
    expect(stats.statuses).toEqual({ 200: 2, 302: 1, 404: 1, 429: 1, 500: 1, 503: 1, error: 1 });
    expect(seen[0]).toMatchObject({ method: 'POST', url: URL_, body: '{"q":1}', readBody: false, timeoutMs: 10_000 });
    expect(seen[0]?.headers).toEqual({ 'x-load': 'relia' });
    expect(ctx.events.at(-1)).toEqual({ event: 'load.flash-crowd.finished', detail: { url: URL_, ...stats } });
  });

  it('flash crowd: past `concurrency` in flight a request is skipped, never queued; the run waits for the calls in flight', async () => {
    const { ctx, http } = world(() => ({ status: 200, delayMs: 1000 }));
    const raw = { url: URL_, baselineRate: '10/s', multiplier: 1, duration: '1s', maxRate: '10/s', concurrency: 2, wait: true };
    const stats = (await flashCrowdAction.run(args(flashCrowdAction, raw), ctx)) as LoadStats;
    // sends due at 0, 100, …, 900 ms; the calls from 0 and 100 ms hold both places until 1000 and 1100 ms
    expect(http.maxInFlight).toBe(2);
    expect(stats).toMatchObject({ sent: 2, skipped: 8, ok: 2, failed: 0, durationMs: 1100 });
  });

  it('retry storm: calls that succeed are neither retries nor give-ups; durationMs is the time the storm ran', async () => {
    const { ctx } = world(() => ({ status: 204 }));
    const stats = (await retryStormAction.run(args(retryStormAction, { url: URL_, clients: 1, duration: '1s', maxRate: '10/s', wait: true }), ctx)) as LoadStats;
    expect(stats).toMatchObject({ sent: 10, ok: 10, failed: 0, retries: 0, gaveUp: 0, durationMs: 1000, achievedRate: 10 });
    expect(stats.statuses).toEqual({ 204: 10 });
  });

  it('retry storm: a transport error is a failure too, retried at once until the call gives up', async () => {
    const { ctx } = world(() => 'refuse');
    const stats = (await retryStormAction.run(args(retryStormAction, { url: URL_, clients: 1, retries: 2, duration: '3s', maxRate: '10/s', wait: true }), ctx)) as LoadStats;
    expect(stats).toMatchObject({ sent: 30, ok: 0, failed: 30, retries: 20, gaveUp: 10, statuses: { error: 30 } });
  });

  it('no request goes out at the end of the duration, even from a call that ends exactly then; a client slower than the cap does not wait for the pacer', async () => {
    const { ctx, http } = world(() => ({ status: 200, delayMs: 500 }));
    const start = ctx.clock.now();
    const stats = (await retryStormAction.run(args(retryStormAction, { url: URL_, clients: 1, duration: '1s', maxRate: '10/s', wait: true }), ctx)) as LoadStats;
    expect(http.requests.map((r) => r.at - start)).toEqual([0, 500]);
    expect(stats).toMatchObject({ sent: 2, durationMs: 1000 });
    // the only waits are the calls' own 500 ms: each next slot (100 ms after a send) is already due
    expect(ctx.clock.sleeps).toEqual([500, 500]);
  });
});

describe('load validation (exit 2 naming the field)', () => {
  const base = { url: URL_, baselineRate: '1/s', duration: '1m', maxRate: '10/s' };
  it('the URL must be http(s), even one that contains an http URL further on', () => {
    expectInputError(() => args(flashCrowdAction, { ...base, url: 'ftp://files.test/' }), 'url', ['expected an http(s) URL such as http://127.0.0.1:8080/health']);
    expectInputError(() => args(retryStormAction, { url: 'ftp://files.test/http://svc.test/', duration: '1m', maxRate: '10/s' }), 'url', ['expected an http(s) URL such as http://127.0.0.1:8080/health']);
  });
  it('maxRate may be exactly the 5000/s ceiling, not above', () => {
    expect(args(retryStormAction, { url: URL_, duration: '1m', maxRate: '5000/s' }).maxRate).toBe(5000);
    expectInputError(() => args(retryStormAction, { url: URL_, duration: '1m', maxRate: '5001/s' }), 'maxRate', ["maxRate is above relia's ceiling of 5000/s"]);
  });
  it('baselineRate × multiplier may be exactly maxRate (within a billionth), not above', () => {
    expect(args(flashCrowdAction, { ...base, baselineRate: '2/s', multiplier: 5, maxRate: '10/s' }).multiplier).toBe(5);
    // 1.000000001 × 1 against 1/s: the tolerance's own edge
    expect(args(flashCrowdAction, { ...base, baselineRate: 1.000000001, multiplier: 1, maxRate: 1 }).baselineRate).toBe(1.000000001);
    expectInputError(() => args(flashCrowdAction, { ...base, baselineRate: '2/s', multiplier: 5.01, maxRate: '10/s' }), 'multiplier', ['10.02/s, above maxRate 10/s']);
  });
  it('a rate is written with its unit, or as a bare number of requests per second; a duration with a unit or as seconds', () => {
    const a = args(flashCrowdAction, { ...base, maxRate: 200, baselineRate: '600/m', duration: 90 });
    expect([a.maxRate, a.baselineRate, a.duration]).toEqual([200, 10, 90_000]);
    expectInputError(() => args(flashCrowdAction, { ...base, maxRate: '200' }), 'maxRate', ['expected a rate such as 200/s, got "200"']);
    expectInputError(() => args(flashCrowdAction, { ...base, baselineRate: 'lots' }), 'baselineRate', ['expected a rate such as 50/s, got "lots"']);
    expectInputError(() => args(retryStormAction, { url: URL_, maxRate: '10/s', duration: 'soon' }), 'duration', ['expected a duration such as 60s or a number of seconds, got "soon"']);
  });
});

describe('load plans and what the run reports', () => {
  it('flash crowd: the plan says the rate, the multiple, the duration, the concurrency and the cap', async () => {
    const a = args(flashCrowdAction, { url: URL_, method: 'POST', baselineRate: '50/s', duration: '2m', maxRate: '600/s' });
    expect(await flashCrowdAction.plan(a, faultsCtx({}))).toEqual({
      targets: [{ kind: 'url', id: URL_, detail: 'POST' }],
      does: 'send 500/s (10× 50/s) for 120s, at most 64 in flight, cap 600/s',
      undo: 'stop sending',
    });
  });
  it('retry storm: the plan says the clients, the duration, the retries and the cap; the background run says the cap and registers an undo', async () => {
    const a = args(retryStormAction, { url: URL_, clients: 4, retries: 5, duration: '1500ms', maxRate: '40/s' });
    expect(await retryStormAction.plan(a, faultsCtx({}))).toEqual({
      targets: [{ kind: 'url', id: URL_, detail: 'GET' }],
      does: `4 clients call ${URL_} back to back for 1500ms, each failed call retried 5× with no backoff, cap 40/s`,
      undo: 'stop sending',
    });
    const { ctx } = world(() => ({ status: 200 }));
    expect(await retryStormAction.run(a, ctx)).toEqual({ started: true, url: URL_, rate: 'cap 40/s', durationMs: 1500 });
    expect(ctx.injections.map((i) => i.description)).toEqual([`load.retry-storm against ${URL_} (cap 40/s, 1500ms)`]);
    expect(ctx.injections[0]?.manualUndo).toMatch(/the load stops when relia exits/);
    await ctx.undoAll();
  });
});

describe('how a load stops', () => {
  it('the undo stops it; calls cut short by the undo are not failures, and the figures are journaled as finished', async () => {
    const { ctx, http } = world(() => ({ status: 200, delayMs: 1000 }));
    await flashCrowdAction.run(args(flashCrowdAction, { url: URL_, baselineRate: '1/s', multiplier: 10, duration: '1h', maxRate: '10/s' }), ctx);
    expect(ctx.injections[0]?.description).toBe(`load.flash-crowd against ${URL_} (10/s, 3600s)`);
    await until(() => http.requests.length >= 25);
    await ctx.undoAll();
    const last = ctx.events.at(-1);
    expect(last?.event).toBe('load.flash-crowd.finished');
    const stats = last?.detail as unknown as LoadStats;
    // about ten calls were in flight when the undo came: cancelled, not counted
    expect(stats.sent).toBeGreaterThan(stats.ok);
    expect(stats).toMatchObject({ failed: 0, statuses: { 200: stats.ok } });
  });

  it("the experiment's signal (Ctrl-C, an abort) stops a running load", async () => {
    const ac = new AbortController();
    const { ctx, http } = world(() => ({ status: 200 }), { signal: ac.signal });
    const run = flashCrowdAction.run(args(flashCrowdAction, { url: URL_, baselineRate: '1/s', multiplier: 10, duration: '1h', maxRate: '10/s', wait: true }), ctx);
    await until(() => http.requests.length >= 5);
    ac.abort(new Error('ctrl-c'));
    const stats = (await run) as LoadStats;
    expect(stats.sent).toBeLessThan(36_000);
    expect(stats.sent).toBe(http.requests.length);
    expect(ctx.events.at(-1)?.event).toBe('load.flash-crowd.finished');
  });

  it('a signal already aborted when the load starts (Ctrl-C while the http port was set up) sends nothing', async () => {
    const ac = new AbortController();
    ac.abort(new Error('ctrl-c'));
    const { ctx, http } = world(() => ({ status: 200 }), { signal: ac.signal });
    const stats = (await flashCrowdAction.run(args(flashCrowdAction, { url: URL_, baselineRate: '1/s', multiplier: 10, duration: '10s', maxRate: '10/s', wait: true }), ctx)) as LoadStats;
    expect(http.requests).toHaveLength(0);
    expect(stats).toMatchObject({ sent: 0, durationMs: 0, achievedRate: 0 });
  });

  it('a failure of the load itself (here its clock) is journaled as failed, fails a waited action, and the undo still returns', async () => {
    const { ctx } = world(() => ({ status: 200 }));
    ctx.clock.sleep = () => Promise.reject(new Error('timer broke'));
    const err = await rejection(flashCrowdAction.run(args(flashCrowdAction, { url: URL_, baselineRate: '1/s', multiplier: 10, duration: '10s', maxRate: '10/s', wait: true }), ctx));
    expect(err.message).toBe('timer broke');
    expect(ctx.events.at(-1)).toEqual({ event: 'load.flash-crowd.failed', detail: { url: URL_, error: 'Error: timer broke' } });
    await ctx.undoAll();
  });
});
