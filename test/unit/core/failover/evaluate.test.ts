import { describe, expect, it } from 'vitest';
import { DependencyError } from '../../../../src/core/errors.js';
import { evaluatePlan } from '../../../../src/core/failover/evaluate.js';
import { lockRecord } from '../../../../src/core/failover/lock.js';
import { preview } from '../../../../src/core/failover/preview.js';
import { planText, RECORD, T0, world } from './world.js';

describe('failover evaluate (plan evaluation)', () => {
  it('passes a plan whose resources all exist and can absorb each other', async () => {
    const w = world({ targetDesired: 6 });
    const e = await evaluatePlan(w.plan, w.ports());
    expect(e.problems).toEqual([]);
    expect(e.ok).toBe(true);
    expect(e.weights).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
    expect(e.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['record set', 'lock', 'freeze', 'us-east-1 health check', 'eu-west-1 alarms', 'eu-west-1 asg api-euw1', 'us-east-1 → eu-west-1 api-euw1', 'eu-west-1 → us-east-1 api-use1']));
    // The scaling permission check is a dry run: nothing changed.
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(6);
    expect(w.compute.calls.filter((c) => c.startsWith('autoscaling:SetDesiredCapacity'))).toHaveLength(2);
  });

  it('lists every problem: a missing alarm, a missing deployment, a missing health check, capacity drift, a stale lock', async () => {
    const w = world({ plan: planText('capacity: { percentToMatch: 400 }').replace('context: euw1, namespace: web, deployment: api', 'context: euw1, namespace: web, deployment: gone').replace('hc-use1', 'hc-gone').replace('[api-use1-5xx]', '[api-use1-5xx, api-missing]') });
    w.memDns.addRecords(w.zoneId, lockRecord(RECORD, { owner: 'ci@x:1', operation: 'op-dead', acquired: T0 - 7_200_000, expires: T0 - 3_600_000 }));
    const e = await evaluatePlan(w.plan, w.ports(), { sloProblems: ['regions.us-east-1.slos: slo.yaml: objective: expected a number'] });
    expect(e.ok).toBe(false);
    const text = e.problems.join('\n');
    expect(text).toMatch(/lock: stale lock: held by ci@x:1 \(operation op-dead\)/);
    expect(text).toMatch(/us-east-1 health check: .*no health check hc-gone/);
    expect(text).toMatch(/us-east-1 alarms: .*regions.us-east-1.alarms\[1\]: no alarm "api-missing" in us-east-1/);
    expect(text).toMatch(/eu-west-1 deployment gone: .*no deployment web\/gone in context euw1/);
    expect(text).toMatch(/us-east-1 → eu-west-1 api-euw1: needs 24 to match us-east-1 but max size is 20/);
    expect(e.problems).toHaveLength(6);
    expect(text).toMatch(/SLO specs: regions.us-east-1.slos/);
  });

  it('an unreachable Route 53 is exit 3, not a list of problems', async () => {
    const w = world();
    w.memDns.unreachable = true;
    await expect(evaluatePlan(w.plan, w.ports())).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('failover plan (preview)', () => {
  it('shows each step, the capacity need and the pre-checks without changing anything', async () => {
    const w = world();
    const pv = await preview(w.plan, 'us-east-1', 'eu-west-1', w.ports(), { mode: 'graceful', steps: [25, 50, 100] });
    expect(pv.steps.map((s) => [s.percent, s.weights, s.movedPercent])).toEqual([
      [25, { 'us-east-1': 75, 'eu-west-1': 25 }, 25],
      [50, { 'us-east-1': 50, 'eu-west-1': 50 }, 25],
      [100, { 'us-east-1': 0, 'eu-west-1': 100 }, 50],
    ]);
    expect(pv.capacity.map((c) => [c.target.ref.name, c.need, c.desired, c.basis])).toEqual([
      ['api-euw1', 6, 6, 'ceil(100% × 6 InService in us-east-1)'],
      ['api', 4, 4, 'ceil(100% × 4 ready in us-east-1)'],
    ]);
    expect(pv.ok).toBe(true);
    expect(w.dns.weightBatches).toEqual([]);
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
  });
});
