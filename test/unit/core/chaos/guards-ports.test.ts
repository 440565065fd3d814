// What the guards hand their ports (docs/chaos.md "Safety monitor"): an
// instant query is evaluated at the guard's own clock, not the metrics
// server's "now" (a replayed or delayed run reads the moment it checks), and a
// stopped run (the signal) cancels the port calls of a check. Plus the exact
// shape of a probe check under its max: no reaction-time anchor at all.
// Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { checkGuard, SampleWindow } from '../../../../src/core/chaos/guards.js';
import { MemoryAlarms } from '../../../fakes/memory-alarms.js';
import { checkoutSlo, guardEnv as env, NOW } from './guard-fixtures.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';

const HOUR = 3_600_000;


/** A series that is 0 an hour ago and `v` now; the metrics server's own clock is an hour behind the guard's. */
const lagging = (name: string, v: number) =>
  MemoryMetrics.fromPoints(
    [
      {
        labels: { __name__: name },
        points: [
          [(NOW - HOUR) / 1000, 0],
          [NOW / 1000, v],
        ],
      },
    ],
    { now: () => NOW - HOUR },
  );

const slo = checkoutSlo({ type: 'error-ratio', query: 'errors' });

describe('queries are evaluated at the guard clock', () => {
  it('userImpact from Prometheus reads the share at now(), not at the server clock', async () => {
    const g = { type: 'userImpact' as const, name: 'u', path: 'guards[0]', onError: 'abort' as const, max: 0.25, windowMs: 30_000, source: { kind: 'prometheus' as const, query: 'share' } };
    expect(await checkGuard(g, env({ metrics: async () => lagging('share', 0.5) }))).toMatchObject({ state: 'tripped', value: 0.5, firstOverAt: NOW });
  });
  it('sloBurn reads the error ratio at now()', async () => {
    const g = { type: 'sloBurn' as const, name: 'burn', path: 'guards[0]', onError: 'abort' as const, sloFile: 'slo.yaml', maxBurn: 2, window: '5m' };
    const check = await checkGuard(g, env({ metrics: async () => lagging('errors', 0.05), slos: new Map([['burn', slo]]) }));
    expect(check).toMatchObject({ state: 'tripped', message: 'checkout/availability burns 5.00× over 5m (max 2×)' });
  });
});

describe('a stopped run cancels the port calls', () => {
  it('the metrics query gets the signal: an aborted run is an error with its reason, not a reading', async () => {
    const stop = new AbortController();
    stop.abort(new Error('stopped by SIGINT'));
    const g = { type: 'userImpact' as const, name: 'u', path: 'guards[0]', onError: 'abort' as const, max: 0.25, windowMs: 30_000, source: { kind: 'prometheus' as const, query: 'share' } };
    expect(await checkGuard(g, env({ metrics: async () => lagging('share', 0), signal: stop.signal }))).toEqual({ guard: 'u', type: 'userImpact', state: 'error', message: 'stopped by SIGINT' });
  });
  it('the alarms call gets the signal', async () => {
    const stop = new AbortController();
    stop.abort(new Error('stopped by SIGINT'));
    const alarms = new MemoryAlarms(() => NOW);
    alarms.setAlarm('us-east-1', 'p99', 'OK');
    const g = { type: 'alarm' as const, name: 'a', path: 'guards[0]', onError: 'abort' as const, region: 'us-east-1', alarms: ['p99'] };
    expect(await checkGuard(g, env({ alarms: async () => alarms, signal: stop.signal }))).toEqual({ guard: 'a', type: 'alarm', state: 'error', message: 'stopped by SIGINT' });
    expect(alarms.calls).toEqual([]);
  });
});

describe('a sampled probe under its max', () => {
  it('is ok with exactly these fields: no firstOverAt key', async () => {
    const probe = { type: 'userImpact' as const, name: 'p', path: 'guards[0]', onError: 'abort' as const, max: 0.5, windowMs: 1000, source: { kind: 'probe' as const, probe: { type: 'probe', name: 'x' } as never, everyMs: 100, minSamples: 1, warmupMs: 0 } };
    const w = new SampleWindow(1000, 0.5, 1);
    w.add({ at: NOW, bad: false });
    const check = await checkGuard(probe, env({ windows: new Map([['p', w]]) }));
    expect(check).toStrictEqual({ guard: 'p', type: 'userImpact', state: 'ok', value: 0, threshold: 0.5, message: '0.00 % of 1 sampled requests bad (max 50.00 %)' });
    expect(Object.keys(check)).not.toContain('firstOverAt');
  });
});
