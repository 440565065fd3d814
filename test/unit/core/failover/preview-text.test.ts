// The failover plan/preview text a user reads before a failover
// (docs/failover.md "How a step works", pre-checks; "Ungraceful mode"): the
// name, verdict and detail of every pre-check for a small plan, in graceful
// and ungraceful mode, with a freeze, a lock (live, stale, unreadable, held by
// this operation), an unhealthy source or target, a target with no health
// check, alarms or SLOs, and a resumed operation. Expected lines are written
// by hand. Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { freezeRecord, lockRecord } from '../../../../src/core/failover/lock.js';
import type { SloVerdict } from '../../../../src/core/failover/ports.js';
import { preview, withWeights } from '../../../../src/core/failover/preview.js';
import { planText, RECORD, T0, world } from './world.js';

const check = (pv: { prechecks: Array<{ name: string; ok: boolean; detail: string }> }, name: string) => pv.prechecks.find((c) => c.name === name);

/** A plan with SLOs on both regions and no capacity; eu-west-1 has `target` lines. */
function sloPlan(target: string): string {
  return `name: api
dns: { zone: example.com., record: ${RECORD} }
regions:
  us-east-1:
    setIdentifier: use1
    healthCheck: hc-use1
    alarms: [api-use1-5xx]
    slos: [use1.yaml]
  eu-west-1:
    setIdentifier: euw1
${target}
steps: [50, 100]
`;
}

describe('failover preview: the pre-checks a user reads', () => {
  it('a healthy graceful plan: every pre-check in order, with its detail, and the steps', async () => {
    const w = world({ targetDesired: 6 });
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'graceful', steps: [50, 100] });
    expect(pv.prechecks).toEqual([
      { name: 'freeze', ok: true, detail: 'not frozen' },
      { name: 'lock', ok: true, detail: 'free' },
      { name: 'target eu-west-1 healthy', ok: true, detail: 'health check hc-euw1 healthy, 1 alarm OK' },
      { name: 'source us-east-1 readable', ok: true, detail: 'healthy (health check hc-use1 healthy, 1 alarm OK)' },
      {
        name: 'target capacity',
        ok: true,
        detail: 'api-euw1: 6 ready, needs 6 (ceil(100% × 6 InService in us-east-1)); api: 1 ready, needs 4 (ceil(100% × 4 ready in us-east-1))',
      },
      { name: 'safety rules', ok: true, detail: 'every batch keeps a weight above 0, ≥ 1 healthy region, moves ≤ 50%' },
    ]);
    expect(pv).toMatchObject({ plan: 'api', from: 'us-east-1', to: 'eu-west-1', mode: 'graceful', zone: { id: w.zoneId, name: 'example.com.' }, record: RECORD, type: 'A', weights: { 'us-east-1': 100, 'eu-west-1': 0 }, freeze: null, lock: null, ok: true });
    expect(pv.health.map((h) => [h.region, h.healthy])).toEqual([
      ['eu-west-1', true],
      ['us-east-1', true],
    ]);
    expect(pv.steps).toEqual([
      { index: 0, percent: 50, weights: { 'us-east-1': 50, 'eu-west-1': 50 }, movedPercent: 50, changes: 2, violations: [] },
      { index: 1, percent: 100, weights: { 'us-east-1': 0, 'eu-west-1': 100 }, movedPercent: 50, changes: 2, violations: [] },
    ]);
  });

  it('ungraceful: no source check, the source counts as unhealthy, maxStepPercent does not apply', async () => {
    const w = world({ targetDesired: 6 });
    w.memDns.setHealth('hc-use1', false);
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'ungraceful', steps: [100] });
    expect(pv.prechecks.map((p) => p.name)).toEqual(['freeze', 'lock', 'target eu-west-1 healthy', 'target capacity', 'safety rules']);
    expect(pv.health.map((h) => h.region)).toEqual(['eu-west-1']);
    expect(check(pv, 'safety rules')).toEqual({ name: 'safety rules', ok: true, detail: 'every batch keeps a weight above 0, ≥ 1 healthy region' });
    expect(pv.steps).toEqual([{ index: 0, percent: 100, weights: { 'us-east-1': 0, 'eu-west-1': 100 }, movedPercent: 100, changes: 2, violations: [] }]);
    expect(pv.ok).toBe(true);
  });

  it('ungraceful with two healthy regions required: the source is skipped as unhealthy, so every batch breaks the rule', async () => {
    const w = world({ targetDesired: 6, plan: planText('safety: { minHealthyRegions: 2 }') });
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'ungraceful', steps: [50, 100] });
    // every step that breaks a rule, in order
    expect(check(pv, 'safety rules')).toEqual({
      name: 'safety rules',
      ok: false,
      detail:
        'step 1 (50%): only 1 healthy region would take traffic (eu-west-1); safety.minHealthyRegions is 2; ' +
        'step 2 (100%): only 1 healthy region would take traffic (eu-west-1); safety.minHealthyRegions is 2',
    });
    expect(pv.ok).toBe(false);
    // graceful, both regions healthy: the same rule passes, in the plural
    const g = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'graceful', steps: [50] });
    expect(check(g, 'safety rules')).toEqual({ name: 'safety rules', ok: true, detail: 'every batch keeps a weight above 0, ≥ 2 healthy regions, moves ≤ 50%' });
  });

  it('a step moving more than maxStepPercent is a failed safety pre-check naming the step', async () => {
    const w = world({ targetDesired: 6 });
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'graceful', steps: [100] });
    const rules = check(pv, 'safety rules');
    expect(rules?.ok).toBe(false);
    expect(rules?.detail).toMatch(/^step 1 \(100%\): .*50/);
    expect(rules?.detail).not.toContain('every batch');
  });

  it('a freeze, a live lock held by another operation: both fail, with who and why', async () => {
    const w = world({ targetDesired: 6 });
    w.memDns.addRecords(w.zoneId, freezeRecord(RECORD, { by: 'oncall@x', at: T0 - 1000, reason: 'game day' }));
    w.memDns.addRecords(w.zoneId, lockRecord(RECORD, { owner: 'ci@x:1', operation: 'op-live', acquired: T0 - 60_000, expires: T0 + 60_000 }));
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'graceful', steps: [50, 100] });
    expect(check(pv, 'freeze')).toEqual({ name: 'freeze', ok: false, detail: 'frozen by oncall@x: game day' });
    expect(pv.freeze).toEqual({ by: 'oncall@x', at: T0 - 1000, reason: 'game day' });
    expect(check(pv, 'lock')).toEqual({ name: 'lock', ok: false, detail: 'held by ci@x:1 (operation op-live) since 2026-12-03T06:59:00Z, expires 2026-12-03T07:01:00Z' });
    expect(pv.lock).toEqual({ owner: 'ci@x:1', operation: 'op-live', acquired: T0 - 60_000, expires: T0 + 60_000, stale: false, description: 'held by ci@x:1 (operation op-live) since 2026-12-03T06:59:00Z, expires 2026-12-03T07:01:00Z' });
    expect(pv.ok).toBe(false);
    // the operation that holds the lock (apply) does not check it
    const held = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'graceful', steps: [50, 100], lockHeld: true });
    expect(held.prechecks.map((p) => p.name)).not.toContain('lock');
    expect(held.lock?.operation).toBe('op-live');
  });

  it('a lock expiring this instant is stale; one a second later is not; an unreadable one says so', async () => {
    const at = world({ targetDesired: 6 });
    at.memDns.addRecords(at.zoneId, lockRecord(RECORD, { owner: 'ci@x:1', operation: 'op-old', acquired: T0 - 60_000, expires: T0 }));
    const pv = await preview(at.plan, 'us-east-1', 'eu-west-1', at.ports(), { mode: 'graceful', steps: [50, 100] });
    expect(pv.lock?.stale).toBe(true);
    expect(check(pv, 'lock')).toEqual({ name: 'lock', ok: false, detail: 'held by ci@x:1 (operation op-old) since 2026-12-03T06:59:00Z, stale since 2026-12-03T07:00:00Z' });
    const later = world({ targetDesired: 6 });
    later.memDns.addRecords(later.zoneId, lockRecord(RECORD, { owner: 'ci@x:1', operation: 'op-new', acquired: T0 - 60_000, expires: T0 + 1000 }));
    expect((await preview(later.plan, 'us-east-1', 'eu-west-1', later.ports(), { mode: 'graceful', steps: [50, 100] })).lock?.stale).toBe(false);
    const bad = world({ targetDesired: 6 });
    const rec = lockRecord(RECORD, { owner: 'x', operation: 'y', acquired: T0, expires: T0 });
    bad.memDns.addRecords(bad.zoneId, { ...rec, values: ['"relia-lock v1 garbage"'] });
    const b = await preview(bad.plan, 'us-east-1', 'eu-west-1', bad.ports(), { mode: 'graceful', steps: [50, 100] });
    expect(check(b, 'lock')).toEqual({ name: 'lock', ok: false, detail: 'an unreadable lock record exists' });
    expect(b.lock).toBeNull();
  });

  it('an unhealthy source is read, not a stop; an unhealthy target fails with every problem', async () => {
    const w = world({ targetDesired: 6 });
    w.memDns.setHealth('hc-use1', false);
    w.alarms.setAlarm('us-east-1', 'api-use1-5xx', 'ALARM');
    w.memDns.setHealth('hc-euw1', false);
    w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM');
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'graceful', steps: [50, 100] });
    const src = check(pv, 'source us-east-1 readable');
    expect(src?.ok).toBe(true);
    expect(src?.detail).toMatch(/^unhealthy \(health check hc-use1 is unhealthy \(0\/16 checkers healthy\); alarm api-use1-5xx is ALARM.*\): evacuating it is what failover is for$/);
    const tgt = check(pv, 'target eu-west-1 healthy');
    expect(tgt?.ok).toBe(false);
    expect(tgt?.detail).toMatch(/^health check hc-euw1 is unhealthy \(0\/16 checkers healthy\); alarm api-euw1-5xx is ALARM/);
    expect(pv.ok).toBe(false);
  });

  it('a target without health check, alarms or SLOs says so; the target reads its SLOs, the source does not', async () => {
    const w = world({ plan: sloPlan('') });
    const calls: string[] = [];
    const ports = { ...w.ports(), sloGuard: async (region: string): Promise<SloVerdict[]> => (calls.push(region), [{ id: 'web/avail', ok: true, reasons: [] }]) };
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', ports, { mode: 'graceful', steps: [50, 100] });
    expect(check(pv, 'target eu-west-1 healthy')).toEqual({ name: 'target eu-west-1 healthy', ok: true, detail: 'no health check, alarms or SLOs configured' });
    // no capacity in the plan: no capacity pre-check
    expect(pv.prechecks.map((p) => p.name)).toEqual(['freeze', 'lock', 'target eu-west-1 healthy', 'source us-east-1 readable', 'safety rules']);
    expect(check(pv, 'source us-east-1 readable')?.detail).toBe('healthy (health check hc-use1 healthy, 1 alarm OK)');
    expect(calls).toEqual([]);
  });

  it('SLOs and alarms counted in the singular and the plural; a failing SLO names its reasons', async () => {
    const w = world({ plan: sloPlan('    alarms: [a1, a2]\n    slos: [s1.yaml, s2.yaml]') });
    w.alarms.setAlarm('eu-west-1', 'a1', 'OK');
    w.alarms.setAlarm('eu-west-1', 'a2', 'OK');
    let verdicts: SloVerdict[] = [
      { id: 'web/avail', ok: true, reasons: [] },
      { id: 'web/latency', ok: true, reasons: [] },
    ];
    const calls: string[] = [];
    const ports = { ...w.ports(), sloGuard: async (region: string): Promise<SloVerdict[]> => (calls.push(region), verdicts) };
    const two = await preview(w.plan, 'us-east-1', 'eu-west-1', ports, { mode: 'graceful', steps: [50, 100] });
    expect(check(two, 'target eu-west-1 healthy')?.detail).toBe('2 alarms OK, 2 SLOs within budget');
    expect(calls).toEqual(['eu-west-1']);
    verdicts = [{ id: 'web/avail', ok: true, reasons: [] }];
    const one = await preview(w.plan, 'us-east-1', 'eu-west-1', ports, { mode: 'graceful', steps: [50, 100] });
    expect(check(one, 'target eu-west-1 healthy')?.detail).toBe('2 alarms OK, 1 SLO within budget');
    verdicts = [
      { id: 'web/avail', ok: false, reasons: ['fast burn', 'budget exhausted'] },
      { id: 'web/latency', ok: false, reasons: [] },
    ];
    const bad = await preview(w.plan, 'us-east-1', 'eu-west-1', ports, { mode: 'graceful', steps: [50, 100] });
    expect(check(bad, 'target eu-west-1 healthy')).toEqual({ name: 'target eu-west-1 healthy', ok: false, detail: 'SLO web/avail: fast burn; budget exhausted; SLO web/latency: not within budget' });
  });

  it('a resumed operation: the steps already done are not listed again, and start from the weights they left', async () => {
    const w = world({ targetDesired: 6, weights: [50, 50] });
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'graceful', steps: [50, 100], before: { use1: 100, euw1: 0 }, done: 1 });
    expect(pv.steps).toEqual([{ index: 1, percent: 100, weights: { 'us-east-1': 0, 'eu-west-1': 100 }, movedPercent: 50, changes: 2, violations: [] }]);
    expect(pv.weights).toEqual({ 'us-east-1': 50, 'eu-west-1': 50 });
  });

  it('withWeights replaces only the weights it is given', () => {
    const records = [
      { name: RECORD, type: 'A', setIdentifier: 'use1', weight: 100, ttl: 60, values: ['192.0.2.10'] },
      { name: RECORD, type: 'A', setIdentifier: 'euw1', weight: 0, ttl: 60, values: ['198.51.100.10'] },
      { name: RECORD, type: 'A', ttl: 60, values: ['203.0.113.1'] },
    ];
    expect(withWeights(records, { euw1: 30 }).map((r) => r.weight)).toEqual([100, 30, undefined]);
    expect(withWeights(records, { euw1: 30 })[2]).not.toHaveProperty('weight');
    // a set identifier may be any string, "undefined" too: a record without one is still left alone
    expect(withWeights(records, { undefined: 7 }).map((r) => r.weight)).toEqual([100, 0, undefined]);
  });
});
