// `relia failover evaluate`, check by check: the name, verdict and detail of
// every line docs/failover.md shows, and the edges of each check (a lock held,
// expiring this instant or unreadable; a freeze; an unhealthy health check; a
// region with no health check or alarms; a target that can take exactly what
// it must; a record set that is missing rather than unreachable). Found by
// mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../src/core/failover/evaluate.js';
import { freezeRecord, lockRecord } from '../../../../src/core/failover/lock.js';
import { planText, RECORD, T0, world } from './world.js';

const detail = (e: { checks: Array<{ name: string; ok: boolean; detail: string }> }, name: string) => e.checks.find((c) => c.name === name);

describe('failover evaluate, check by check', () => {
  it('a healthy plan: every check, in order, with its detail', async () => {
    const w = world({ targetDesired: 6 });
    const e = await evaluatePlan(w.plan, w.ports());
    expect(e.checks).toEqual([
      { name: 'record set', ok: true, detail: `${RECORD} A in example.com. (${w.zoneId}): us-east-1=100 eu-west-1=0` },
      { name: 'lock', ok: true, detail: 'free' },
      { name: 'freeze', ok: true, detail: 'not frozen' },
      { name: 'us-east-1 health check', ok: true, detail: 'hc-use1 healthy (16/16 checkers)' },
      { name: 'us-east-1 alarms', ok: true, detail: 'api-use1-5xx OK' },
      { name: 'us-east-1 asg api-use1', ok: true, detail: 'desired 6, 6 InService, max 20; scaling permitted (dry run)' },
      { name: 'us-east-1 deployment api', ok: true, detail: 'desired 4, 4 ready; scaling permitted (dry run)' },
      { name: 'eu-west-1 health check', ok: true, detail: 'hc-euw1 healthy (16/16 checkers)' },
      { name: 'eu-west-1 alarms', ok: true, detail: 'api-euw1-5xx OK' },
      { name: 'eu-west-1 asg api-euw1', ok: true, detail: 'desired 6, 6 InService, max 20; scaling permitted (dry run)' },
      { name: 'eu-west-1 deployment api', ok: true, detail: 'desired 1, 1 ready; scaling permitted (dry run)' },
      { name: 'us-east-1 → eu-west-1 api-euw1', ok: true, detail: 'can take 6 (max 20)' },
      { name: 'eu-west-1 → us-east-1 api-use1', ok: true, detail: 'can take 6 (max 20)' },
    ]);
    expect(e).toMatchObject({ plan: 'api', problems: [], ok: true });
    // the scaling permission is a dry run on the cluster too
    expect(w.cluster.calls).toContain('setScale deployment:web/api 1 (dry run)');
  });

  it('a lock held by a live operation is reported, not a problem; one expiring this instant is stale', async () => {
    const live = world();
    live.memDns.addRecords(live.zoneId, lockRecord(RECORD, { owner: 'ci@x:1', operation: 'op-live', acquired: T0 - 60_000, expires: T0 + 60_000 }));
    const e1 = await evaluatePlan(live.plan, live.ports());
    expect(detail(e1, 'lock')).toEqual({ name: 'lock', ok: true, detail: 'an operation is in progress: held by ci@x:1 (operation op-live) since 2026-12-03T06:59:00Z, expires 2026-12-03T07:01:00Z' });
    const now = world();
    now.memDns.addRecords(now.zoneId, lockRecord(RECORD, { owner: 'ci@x:1', operation: 'op-now', acquired: T0 - 60_000, expires: T0 }));
    const e2 = await evaluatePlan(now.plan, now.ports());
    expect(detail(e2, 'lock')?.ok).toBe(false);
    expect(detail(e2, 'lock')?.detail).toMatch(/^stale lock: held by ci@x:1 \(operation op-now\) .*stale since 2026-12-03T07:00:00Z; break it with apply --break-lock/);
  });

  it('an unreadable lock record is a problem that shows what is there', async () => {
    const w = world();
    const bad = lockRecord(RECORD, { owner: 'x', operation: 'y', acquired: T0, expires: T0 });
    w.memDns.addRecords(w.zoneId, { ...bad, values: ['"relia-lock v1 garbage"'] });
    const e = await evaluatePlan(w.plan, w.ports());
    expect(detail(e, 'lock')).toEqual({ name: 'lock', ok: false, detail: 'an unreadable lock record exists: ["\\"relia-lock v1 garbage\\""]' });
    expect(e.problems).toContain('lock: an unreadable lock record exists: ["\\"relia-lock v1 garbage\\""]');
  });

  it('a freeze is reported (apply is blocked) but is not a problem', async () => {
    const w = world({ targetDesired: 6 });
    w.memDns.addRecords(w.zoneId, freezeRecord(RECORD, { by: 'oncall@x', at: T0 - 1000, reason: 'game day' }));
    const e = await evaluatePlan(w.plan, w.ports());
    expect(detail(e, 'freeze')).toEqual({ name: 'freeze', ok: true, detail: 'frozen by oncall@x: game day (apply is blocked)' });
    expect(e.ok).toBe(true);
  });

  it('an unhealthy health check says so with its checker count', async () => {
    const w = world({ targetDesired: 6 });
    w.memDns.setHealth('hc-euw1', false);
    const e = await evaluatePlan(w.plan, w.ports());
    expect(detail(e, 'eu-west-1 health check')?.detail).toMatch(/^hc-euw1 UNHEALTHY \(\d+\/16 checkers\)$/);
  });

  it('a region without a health check or alarms gets neither check', async () => {
    const text = planText().replace('    healthCheck: hc-euw1\n    alarms: [api-euw1-5xx]\n', '');
    const w = world({ plan: text, targetDesired: 6 });
    const e = await evaluatePlan(w.plan, w.ports());
    expect(e.checks.map((c) => c.name).filter((n) => n.startsWith('eu-west-1 ') && !n.includes('→'))).toEqual(['eu-west-1 asg api-euw1', 'eu-west-1 deployment api']);
  });

  it('a target that can take exactly what it must is fine; one more is a problem', async () => {
    // ceil(333.34 % × 6 InService) = 21 > 20; ceil(333.33 % × 6) = 20 = max
    const exact = world({ plan: planText('capacity: { percentToMatch: 333.33 }'), targetDesired: 6 });
    const e1 = await evaluatePlan(exact.plan, exact.ports());
    expect(detail(e1, 'us-east-1 → eu-west-1 api-euw1')).toEqual({ name: 'us-east-1 → eu-west-1 api-euw1', ok: true, detail: 'can take 20 (max 20)' });
    const over = world({ plan: planText('capacity: { percentToMatch: 333.34 }'), targetDesired: 6 });
    const e2 = await evaluatePlan(over.plan, over.ports());
    expect(detail(e2, 'us-east-1 → eu-west-1 api-euw1')).toEqual({ name: 'us-east-1 → eu-west-1 api-euw1', ok: false, detail: 'needs 21 to match us-east-1 but max size is 20: raise it before a failover' });
  });

  it('regions listing different capacity kinds cannot be paired: a problem per direction, not a crash', async () => {
    const text = planText().replace('capacity: [{ asg: api-euw1 }, { kubernetes: { context: euw1, namespace: web, deployment: api } }]', 'capacity: [{ asg: api-euw1 }]').replace('capacity: [{ asg: api-use1 }, { kubernetes: { context: use1, namespace: web, deployment: api } }]', 'capacity: [{ kubernetes: { context: use1, namespace: web, deployment: api } }]');
    const w = world({ plan: text, targetDesired: 6 });
    const e = await evaluatePlan(w.plan, w.ports());
    const pair = detail(e, 'us-east-1 → eu-west-1 capacity');
    expect(pair?.ok).toBe(false);
    expect(pair?.detail).toMatch(/1 asg entry in eu-west-1 but 0 in us-east-1; percentToMatch pairs them by position/);
    expect(e.ok).toBe(false);
  });

  it('a record set that does not exist is a problem (the rest is still evaluated), not exit 3', async () => {
    const w = world({ plan: planText().replace(`record: ${RECORD}`, 'record: nothing.example.com.') });
    const e = await evaluatePlan(w.plan, w.ports());
    expect(detail(e, 'record set')?.ok).toBe(false);
    expect(e.weights).toBeNull();
    // no zone: no lock or freeze check
    expect(e.checks.map((c) => c.name)).not.toContain('lock');
    expect(e.checks.map((c) => c.name)).toContain('us-east-1 asg api-use1');
    expect(e.ok).toBe(false);
  });

  it('several alarms are listed with their states; a port that throws a non-Error is reported as text', async () => {
    const w = world({ plan: planText().replace('[api-use1-5xx]', '[api-use1-5xx, api-use1-p99]'), targetDesired: 6 });
    w.alarms.setAlarm('us-east-1', 'api-use1-p99', 'ALARM');
    const e = await evaluatePlan(w.plan, w.ports());
    expect(detail(e, 'us-east-1 alarms')).toEqual({ name: 'us-east-1 alarms', ok: true, detail: 'api-use1-5xx OK, api-use1-p99 ALARM' });
    const ports = w.ports();
    const compute = new Proxy(w.compute, {
      get(target, prop, receiver) {
        if (prop === 'describeGroups') {
          return async () => {
            throw 'throttled'; // what a misbehaving SDK can do
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const e2 = await evaluatePlan(w.plan, { ...ports, compute });
    expect(detail(e2, 'us-east-1 asg api-use1')).toEqual({ name: 'us-east-1 asg api-use1', ok: false, detail: 'throttled' });
  });
});
