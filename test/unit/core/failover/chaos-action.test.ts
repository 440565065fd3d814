import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../../src/core/chaos/actions/index.js';
import { failoverEvacuate } from '../../../../src/core/failover/chaos-action.js';
import { allowAll, args, faultsCtx } from '../chaos/faults-ctx.js';
import { planText, world } from './world.js';

describe('chaos action failover.evacuate (Chaos Kong)', () => {
  it('is registered, evacuates with the failover engine, and its undo is a guarded rollback', async () => {
    expect(defaultRegistry().actionTypes()).toContain('failover.evacuate');
    const w = world();
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, alarms: w.alarms, cluster: w.cluster }, { policy: { ...allowAll, allowKubeContexts: ['euw1'] } });
    const a = args(failoverEvacuate, { plan: parseYaml(planText().replace(/context: \w+, /g, '')), from: 'us-east-1', to: 'eu-west-1', bake: '0s' });
    const plan = await failoverEvacuate.plan(a, ctx);
    expect(plan.does).toBe("move us-east-1's traffic to eu-west-1 in 2 guarded steps (50%, 100%)");
    expect(plan.targets[0]).toEqual({ kind: 'weighted-record', id: 'api.example.com. A', detail: 'us-east-1=100 eu-west-1=0' });
    const out = (await failoverEvacuate.run(a, ctx)) as { weights: Record<string, number> };
    expect(out.weights).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    expect(ctx.injections).toHaveLength(1);
    expect(ctx.injections[0]!.manualUndo).toMatch(/^aws route53 change-resource-record-sets --hosted-zone-id \S+ --change-batch '.*"SetIdentifier":"use1","Weight":100/);
    await ctx.undoAll();
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    expect(ctx.events.map((e) => e.event).filter((e) => e === 'failover.done')).toHaveLength(2); // the evacuation, then the rollback
  });

  it('runs only in an allowed AWS account', async () => {
    const w = world();
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, alarms: w.alarms, cluster: w.cluster }, { policy: { allowKubeContexts: [], allowAwsAccounts: [], protectedNamespaces: [], protectedLabels: {} } });
    const a = args(failoverEvacuate, { plan: parseYaml(planText().replace(/context: \w+, /g, '')), from: 'us-east-1', to: 'eu-west-1' });
    await expect(failoverEvacuate.run(a, ctx)).rejects.toThrow(/is not allowed for chaos actions/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });
});
