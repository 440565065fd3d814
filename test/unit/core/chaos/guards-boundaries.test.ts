// The guards at their thresholds (docs/chaos.md: a guard trips when the value is
// OVER its limit): exactly at the limit is ok, a hair over trips; the
// reaction-time anchor (firstOverAt) of each guard; the probe window's
// minimum samples and its edge; and each guard's message word for word.
// Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { checkGuard, SampleWindow, sloErrorRatioQuery, validSample } from '../../../../src/core/chaos/guards.js';
import { MemoryAlarms } from '../../../fakes/memory-alarms.js';
import { checkoutSlo as slo, guardEnv as env, NOW } from './guard-fixtures.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';


const value = (name: string, ...vs: number[]) => MemoryMetrics.fromPoints(vs.map((v, i) => ({ labels: { __name__: name, i: String(i) }, points: [[NOW / 1000 - 5, v]] as Array<[number, number]> })), { now: () => NOW });

describe('maxDuration', () => {
  const g = { type: 'maxDuration' as const, name: 'd', path: 'guards[0]', onError: 'abort' as const, ms: 60_000 };
  it('exactly the limit is ok; a millisecond more trips, anchored at start + limit', async () => {
    expect(await checkGuard(g, env({ now: () => NOW + 60_000 }))).toEqual({ guard: 'd', type: 'maxDuration', state: 'ok', value: 60, threshold: 60, message: '60.0 s of 60 s' });
    expect(await checkGuard(g, env({ now: () => NOW + 60_001 }))).toEqual({ guard: 'd', type: 'maxDuration', state: 'tripped', value: 60.001, threshold: 60, message: '60.0 s of 60 s', firstOverAt: NOW + 60_000 });
  });
});

describe('userImpact from Prometheus', () => {
  const g = { type: 'userImpact' as const, name: 'u', path: 'guards[0]', onError: 'abort' as const, max: 0.25, windowMs: 30_000, source: { kind: 'prometheus' as const, query: 'share' } };
  it('a share exactly at max is ok; over it trips at now; the worst series counts', async () => {
    expect(await checkGuard(g, env({ metrics: async () => value('share', 0.25) }))).toEqual({ guard: 'u', type: 'userImpact', state: 'ok', value: 0.25, threshold: 0.25, message: '25.00 % of requests bad (max 25.00 %)' });
    expect(await checkGuard(g, env({ metrics: async () => value('share', 0.1, 0.5, 0.2) }))).toEqual({ guard: 'u', type: 'userImpact', state: 'tripped', value: 0.5, threshold: 0.25, message: '50.00 % of requests bad (max 25.00 %)', firstOverAt: NOW });
  });
  it('0 and 1 are valid shares; below 0 is an error with the value', async () => {
    expect((await checkGuard(g, env({ metrics: async () => value('share', 0) }))).state).toBe('ok');
    expect((await checkGuard(g, env({ metrics: async () => value('share', 1) }))).state).toBe('tripped');
    expect(await checkGuard(g, env({ metrics: async () => value('share', -0.5) }))).toEqual({ guard: 'u', type: 'userImpact', state: 'error', message: 'invalid bad share -0.5 (expected 0..1)' });
    expect(await checkGuard(g, env({ metrics: async () => new MemoryMetrics([]) }))).toEqual({ guard: 'u', type: 'userImpact', state: 'error', message: 'the query returned no series: share' });
  });
  it('a failing metrics port is an error carrying its message (never a pass)', async () => {
    const failing = async () => {
      throw new Error('prometheus down');
    };
    expect(await checkGuard(g, env({ metrics: failing }))).toEqual({ guard: 'u', type: 'userImpact', state: 'error', message: 'prometheus down' });
    const weird = async () => {
      throw 'plain text';
    };
    expect((await checkGuard(g, env({ metrics: weird }))).message).toBe('plain text');
  });
});

describe('userImpact from a sampled probe', () => {
  const probe = { type: 'userImpact' as const, name: 'p', path: 'guards[0]', onError: 'abort' as const, max: 0.5, windowMs: 1000, source: { kind: 'probe' as const, probe: { type: 'probe', name: 'x' } as never, everyMs: 100, minSamples: 2, warmupMs: 0 } };
  it('waits for minSamples, naming how many it has', async () => {
    expect(await checkGuard(probe, env({}))).toEqual({ guard: 'p', type: 'userImpact', state: 'ok', message: '0 sample(s), waiting for 2' });
    const w = new SampleWindow(1000, 0.5, 2);
    w.add({ at: NOW, bad: true });
    expect(w.share()).toBeNull();
    expect(w.firstOverAt()).toBeUndefined();
    expect(await checkGuard(probe, env({ windows: new Map([['p', w]]) }))).toEqual({ guard: 'p', type: 'userImpact', state: 'ok', message: '1 sample(s), waiting for 2' });
  });
  it('a share exactly at max is ok; over it trips, anchored at the first sample over', async () => {
    const w = new SampleWindow(1000, 0.5, 2);
    w.add({ at: NOW - 200, bad: true });
    w.add({ at: NOW - 100, bad: false });
    expect(await checkGuard(probe, env({ windows: new Map([['p', w]]) }))).toEqual({ guard: 'p', type: 'userImpact', state: 'ok', value: 0.5, threshold: 0.5, message: '50.00 % of 2 sampled requests bad (max 50.00 %)' });
    w.add({ at: NOW, bad: true });
    expect(await checkGuard(probe, env({ windows: new Map([['p', w]]) }))).toEqual({ guard: 'p', type: 'userImpact', state: 'tripped', value: 2 / 3, threshold: 0.5, message: '66.67 % of 3 sampled requests bad (max 50.00 %)', firstOverAt: NOW });
  });
  it('the window keeps a sample exactly windowMs old and drops an older one', () => {
    const w = new SampleWindow(1000, 0.9, 1);
    w.add({ at: 0, bad: true });
    w.add({ at: 1000, bad: false });
    expect(w.count()).toBe(2);
    w.add({ at: 1001, bad: false });
    expect(w.count()).toBe(2);
    expect(w.share()).toBe(0);
  });
  it('an empty window has no share even with minSamples 0', () => {
    expect(new SampleWindow(1000, 0.5, 0).share()).toBeNull();
  });
});

describe('sloBurn', () => {
  const g = { type: 'sloBurn' as const, name: 'burn', path: 'guards[0]', onError: 'abort' as const, sloFile: 'slo.yaml', maxBurn: 2, window: '5m' };
  const errorRatio = slo({ type: 'error-ratio', query: 'errors' });
  it('a burn exactly at maxBurn is ok; over it trips at now', async () => {
    // 2 % errors on a 99 % objective burns 2×
    const at = await checkGuard(g, env({ metrics: async () => value('errors', 0.02), slos: new Map([['burn', errorRatio]]) }));
    expect(at).toMatchObject({ state: 'ok', threshold: 2, message: 'checkout/availability burns 2.00× over 5m (max 2×)' });
    expect(at.value).toBeCloseTo(2, 9);
    expect(at.firstOverAt).toBeUndefined();
    const over = await checkGuard(g, env({ metrics: async () => value('errors', 0.05), slos: new Map([['burn', errorRatio]]) }));
    expect(over).toMatchObject({ state: 'tripped', firstOverAt: NOW, message: 'checkout/availability burns 5.00× over 5m (max 2×)' });
  });
  it('an SLO that was not loaded, or an error ratio outside 0..1, is an error', async () => {
    expect(await checkGuard(g, env({}))).toEqual({ guard: 'burn', type: 'sloBurn', state: 'error', message: 'the SLO of slo.yaml was not loaded' });
    expect(await checkGuard(g, env({ metrics: async () => value('errors', 1.5), slos: new Map([['burn', errorRatio]]) }))).toEqual({ guard: 'burn', type: 'sloBurn', state: 'error', message: 'invalid error ratio 1.5 for checkout/availability (expected 0..1)' });
  });
  it('the error-ratio query of each SLI kind; a threshold SLI cannot burn', async () => {
    expect(sloErrorRatioQuery(slo({ type: 'error-ratio', query: 'errors[{{.window}}]' }), '1h')).toBe('errors[1h]');
    expect(sloErrorRatioQuery(slo({ type: 'ratio', good: 'good[{{.window}}]', total: 'total[{{.window}}]' }), '1h')).toBe('1 - (good[1h]) / (total[1h])');
    const threshold = slo({ type: 'threshold' } as never);
    expect(() => sloErrorRatioQuery(threshold, '1h')).toThrow('SLO checkout/availability uses a threshold SLI (timeslices); a sloBurn guard needs an event-based SLI');
  });
});

describe('alarm', () => {
  const g = { type: 'alarm' as const, name: 'a', path: 'guards[0]', onError: 'abort' as const, region: 'us-east-1', alarms: ['p99', 'errors'] };
  it('names how many are quiet; the firing ones, anchored at the earliest change', async () => {
    let t = NOW - 5000;
    const alarms = new MemoryAlarms(() => t);
    alarms.setAlarm('us-east-1', 'p99', 'OK');
    alarms.setAlarm('us-east-1', 'errors', 'OK');
    expect(await checkGuard(g, env({ alarms: async () => alarms }))).toEqual({ guard: 'a', type: 'alarm', state: 'ok', message: '2 alarm(s) not in ALARM' });
    alarms.setAlarm('us-east-1', 'errors', 'ALARM');
    t = NOW - 1000;
    alarms.setAlarm('us-east-1', 'p99', 'ALARM');
    expect(await checkGuard(g, env({ alarms: async () => alarms }))).toEqual({ guard: 'a', type: 'alarm', state: 'tripped', message: 'errors, p99 in ALARM', firstOverAt: NOW - 5000 });
  });
  it('one or several unknown names are errors, in the singular or plural', async () => {
    const alarms = new MemoryAlarms(() => NOW);
    alarms.setAlarm('us-east-1', 'p99', 'OK');
    expect(await checkGuard(g, env({ alarms: async () => alarms }))).toEqual({ guard: 'a', type: 'alarm', state: 'error', message: 'alarm errors not found in us-east-1' });
    expect((await checkGuard({ ...g, alarms: ['x', 'y'] }, env({ alarms: async () => alarms }))).message).toBe('alarms x, y not found in us-east-1');
  });
});

describe('validSample', () => {
  it('finite and inside [min, max], both ends included', () => {
    expect([validSample(0, 0, 1), validSample(1, 0, 1), validSample(1.0001, 0, 1), validSample(-0.0001, 0, 1), validSample(Number.POSITIVE_INFINITY, 0, Number.POSITIVE_INFINITY)]).toEqual([true, true, false, false, false]);
  });
});
