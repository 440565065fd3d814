// `relia failover evaluate` and the ports it touches (docs/failover.md
// "evaluate"): it reads health checks and alarms but never asks the SLO guard
// (SLO specs are checked as files, apply watches the SLOs); a stop (the
// signal) reaches the dry-run scaling calls too; with capacity.plan the
// percentToMatch drift check is replaced by the capacity plan's sizing, so no
// pair check is made. And checkBatch's tolerance of 1e-9 on maxStepPercent.
// Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../src/core/failover/evaluate.js';
import { checkBatch, weightBatch } from '../../../../src/core/failover/weights.js';
import type { RecordSet } from '../../../../src/ports/dns.js';
import { planText, world } from './world.js';

describe('evaluate and the SLO guard', () => {
  it('regions with SLOs: the health check and alarm lines are read without the SLO guard', async () => {
    const text = planText().replace('    alarms: [api-use1-5xx]\n', '    alarms: [api-use1-5xx]\n    slos: [checkout-slo.yaml]\n').replace('    alarms: [api-euw1-5xx]\n', '    alarms: [api-euw1-5xx]\n    slos: [checkout-slo.yaml]\n');
    const w = world({ plan: text, targetDesired: 6 });
    expect(w.plan.regions['us-east-1']?.slos).toEqual(['checkout-slo.yaml']);
    const asked: string[] = [];
    const sloGuard = async (region: string): Promise<never> => {
      asked.push(region);
      throw new Error('prometheus down');
    };
    const e = await evaluatePlan(w.plan, { ...w.ports(), sloGuard });
    expect(asked).toEqual([]);
    for (const name of ['us-east-1 health check', 'us-east-1 alarms', 'eu-west-1 health check', 'eu-west-1 alarms']) {
      expect(e.checks.find((c) => c.name === name)).toMatchObject({ ok: true });
    }
    expect(e.ok).toBe(true);
  });
});

describe('evaluate and the stop signal', () => {
  it('a stop after a group was read cancels its dry-run scaling call: the check fails with the reason', async () => {
    const w = world({ targetDesired: 6 });
    const compute = new Proxy(w.compute, {
      get(target, prop, receiver) {
        if (prop === 'describeGroups') {
          return async (...args: Parameters<typeof target.describeGroups>) => {
            const groups = await target.describeGroups(...args);
            w.controller.abort(new Error('stopped by SIGINT'));
            return groups;
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const e = await evaluatePlan(w.plan, { ...w.ports(), compute });
    expect(e.checks.find((c) => c.name === 'us-east-1 asg api-use1')).toEqual({ name: 'us-east-1 asg api-use1', ok: false, detail: 'stopped by SIGINT' });
    expect(w.compute.calls.filter((c) => c.startsWith('autoscaling:SetDesiredCapacity'))).toEqual([]);
  });
});

describe('evaluate with a capacity plan', () => {
  it('makes no percentToMatch pair check (the capacity plan sizes the target)', async () => {
    const text = planText('capacity: { plan: streaming-plan.yaml, percentToMatch: 1000 }')
      .replace('{ asg: api-use1 }', '{ asg: api-use1, tier: origin }')
      .replace('{ asg: api-euw1 }', '{ asg: api-euw1, tier: origin }')
      .replace(/deployment: api \} \}/g, 'deployment: api }, tier: web }');
    const w = world({ plan: text, targetDesired: 6 });
    expect(w.plan.capacity.plan).toBe('streaming-plan.yaml');
    const e = await evaluatePlan(w.plan, w.ports());
    // percentToMatch 1000 % of 6 InService would need 60 > max 20 in both directions
    expect(e.checks.filter((c) => c.name.includes('→'))).toEqual([]);
    expect(e.checks.map((c) => c.name)).toContain('eu-west-1 asg api-euw1');
    expect(e.ok).toBe(true);
  });
});

describe('checkBatch: maxStepPercent with a tolerance of 1e-9', () => {
  const rec = (id: string, weight: number): RecordSet => ({ name: 'api.example.com.', type: 'A', setIdentifier: id, weight, ttl: 60, values: ['10.0.0.1'] });
  const ctx = { name: 'api.example.com.', type: 'A', regionOf: { use1: 'us-east-1', euw1: 'eu-west-1' }, healthy: { 'us-east-1': true, 'eu-west-1': true } };
  const records = [rec('use1', 100), rec('euw1', 0)];
  it('a 50 % move passes a maxStepPercent of 49.999999999 (within 1e-9), not one of 49.99999999', () => {
    const batch = weightBatch(records, { use1: 50, euw1: 50 });
    expect(checkBatch(records, batch, ctx, { minHealthyRegions: 1, maxStepPercent: 49.999999999 })).toMatchObject({ ok: true, movedPercent: 50 });
    expect(checkBatch(records, batch, ctx, { minHealthyRegions: 1, maxStepPercent: 49.99999999 }).violations).toEqual(['the batch moves 50% of the traffic; safety.maxStepPercent is 49.99999999']);
  });
});
