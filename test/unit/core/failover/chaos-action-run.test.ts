/**
 * failover.evacuate as `chaos plan` shows it and as `chaos run` runs it: the
 * targets, the step count and pre-check verdicts in `does`, the undo line;
 * the lock a concurrent `relia failover apply` would see, the bake and steps
 * given in the experiment (over the plan's), the injection and its undo (a
 * guarded rollback with its own operation id), the output in the journal.
 * World: test/unit/core/failover/world.ts (plan bake 2m, guard every 30s)
 * on faultsCtx's virtual clock, which starts at 2023-11-14T22:13:20Z.
 */
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { inputError, rejection } from '../../../helpers/errors.js';
import { InputError } from '../../../../src/core/errors.js';
import { failoverEvacuate } from '../../../../src/core/failover/chaos-action.js';
import { freeze } from '../../../../src/core/failover/freeze.js';
import { LOCK_PREFIX, parseLock, type LockInfo } from '../../../../src/core/failover/lock.js';
import { allowAll, args, faultsCtx } from '../chaos/faults-ctx.js';
import { planText, RECORD, T0, world, type World } from './world.js';

/** The world's plan, inline, with one kube context: the chaos action has one cluster port. */
const inlinePlan = (extra = '') => parseYaml(planText(extra).replace(/context: \w+, /g, '')) as unknown;
const evacuate = (extra: Record<string, unknown> = {}, planExtra = '') => args(failoverEvacuate, { plan: inlinePlan(planExtra), from: 'us-east-1', to: 'eu-west-1', ...extra });
/** One step may move all the traffic. */
const ONE_BATCH = 'safety: { maxStepPercent: 100 }';
/** The world's eu-west-1 cluster (context euw1) is the experiment's, and allowed. */
const ctxOf = (w: World) => faultsCtx({ dns: w.dns, compute: w.compute, alarms: w.alarms, cluster: w.cluster }, { policy: { ...allowAll, allowKubeContexts: ['euw1'] } });

/** The record's lock, read at every weight batch (what a concurrent apply would be refused with). */
function watchLock(w: World): LockInfo[] {
  const seen: LockInfo[] = [];
  w.dns.after = (_zone, changes) => {
    if (!changes.some((c) => c.record.weight !== undefined)) return;
    const lock = w.memDns.records(w.zoneId).find((r) => r.name === `${LOCK_PREFIX}${RECORD}`);
    const info = lock ? parseLock(lock) : null;
    if (info) seen.push(info);
  };
  return seen;
}

describe('failover.evacuate in chaos plan', () => {
  it('lists the record, each target scale-up (desired now → after), and the undo with the weights it restores', async () => {
    const w = world();
    const plan = await failoverEvacuate.plan(evacuate(), ctxOf(w));
    expect(plan.targets).toEqual([
      { kind: 'weighted-record', id: 'api.example.com. A', detail: 'us-east-1=100 eu-west-1=0' },
      // api-euw1 has 2 and must match the source's 6 InService; the one cluster port shows the same deployment on both sides.
      { kind: 'asg', id: 'api-euw1', detail: '2 → 6' },
      { kind: 'deployment', id: 'api', detail: '1 → 1' },
    ]);
    expect(plan.undo).toBe('failover rollback to us-east-1=100 eu-west-1=0, stepwise with the same guards');
  });

  it.each([
    ['the plan steps', {}, '', '2 guarded steps (50%, 100%)'],
    ['the experiment steps over the plan steps', { steps: [25, 50, 100] }, '', '3 guarded steps (25%, 50%, 100%)'],
    ['one step', { steps: [100] }, ONE_BATCH, '1 guarded step (100%)'],
    ['ungraceful: straight to 100', { mode: 'ungraceful' }, '', '1 guarded step (100%)'],
    ['ungraceful ignores steps', { mode: 'ungraceful', steps: [50, 100] }, '', '1 guarded step (100%)'],
  ])('does: %s', async (_what, extra, planExtra, steps) => {
    const plan = await failoverEvacuate.plan(evacuate(extra, planExtra), ctxOf(world()));
    expect(plan.does).toBe(`move us-east-1's traffic to eu-west-1 in ${steps}`);
  });

  it('does: names the pre-checks that would refuse, only those', async () => {
    const w = world();
    w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM');
    await freeze(w.plan, w.ports(), { by: 'alice@laptop', at: T0, reason: 'premiere night' });
    const plan = await failoverEvacuate.plan(evacuate(), ctxOf(w));
    // The source is readable and the capacity fits: not listed. The unhealthy target leaves no healthy region at step 2: safety rules.
    expect(plan.does).toBe("move us-east-1's traffic to eu-west-1 in 2 guarded steps (50%, 100%); pre-checks would refuse: freeze, target eu-west-1 healthy, safety rules");
  });

  it('refuses a bake that is no duration, naming the argument', () => {
    const e = inputError(() => evacuate({ bake: '5 minutes' }));
    expect(e.field).toBe('bake');
    expect(e.message).toBe('bake: expected a duration such as 0s, 30s or 2m, got "5 minutes"');
  });
});

describe('failover.evacuate in chaos run', () => {
  it('holds the lock as relia-chaos, bakes as the experiment says, and its undo is a rollback under its own operation', async () => {
    const w = world();
    const ctx = ctxOf(w);
    const locks = watchLock(w);
    const start = ctx.clock.now();
    const out = (await failoverEvacuate.run(evacuate({ bake: '1m' }), ctx)) as { operation: string };
    // Two steps of 1m each (the plan's 2m would take 4 minutes): 2023-11-14T22:13:20Z + 2m.
    expect(ctx.clock.now() - start).toBe(120_000);
    expect(out).toEqual({ operation: expect.stringMatching(/^20231114T221320-[0-9a-f]{4}$/), weights: { 'us-east-1': 0, 'eu-west-1': 100 }, nothingToDo: false, at: '2023-11-14T22:15:20Z' });
    expect(locks.map((l) => [l.owner, l.operation])).toEqual([
      ['relia-chaos', out.operation],
      ['relia-chaos', out.operation],
    ]);
    expect(ctx.injections.map((i) => i.description)).toEqual([`api.example.com.: traffic moving us-east-1 → eu-west-1 (operation ${out.operation})`]);
    expect(ctx.events.filter((e) => e.event === 'failover.done')).toEqual([{ event: 'failover.done', detail: { message: 'completed: us-east-1=0 eu-west-1=100' } }]);

    locks.length = 0;
    const undoStart = ctx.clock.now();
    await ctx.undoAll();
    expect(ctx.clock.now() - undoStart).toBe(120_000); // back in two steps, baking 1m each
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    // The rollback is an operation of its own (ids sort by time), still relia-chaos's.
    expect(locks).toHaveLength(2);
    for (const l of locks) {
      expect(l.owner).toBe('relia-chaos');
      expect(l.operation).toMatch(/^20231114T221520-[0-9a-f]{4}$/);
    }
    expect(ctx.events.slice(-1)).toEqual([{ event: 'failover.done', detail: { message: 'rolled back: us-east-1=100 eu-west-1=0' } }]);
    expect(ctx.events.find((e) => e.event === 'failover.start' && String(e.detail?.message).startsWith('rolling back'))?.detail).toEqual({ message: `rolling back ${out.operation}: 2 steps back to us-east-1=100 eu-west-1=0` });
  });

  it('a one-step evacuation is undoable too: the undo is registered as soon as that step is live', async () => {
    const w = world();
    const ctx = ctxOf(w);
    await failoverEvacuate.run(evacuate({ steps: [100], bake: '0s' }, ONE_BATCH), ctx);
    expect(w.dns.weightBatches).toHaveLength(1); // the experiment's one step, not the plan's two
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
    expect(ctx.injections).toHaveLength(1);
    await ctx.undoAll();
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });

  it('traffic already on the target: nothing to do, no operation, nothing to undo', async () => {
    const w = world({ weights: [0, 100] });
    const ctx = ctxOf(w);
    expect(await failoverEvacuate.run(evacuate(), ctx)).toEqual({ operation: null, weights: { 'us-east-1': 0, 'eu-west-1': 100 }, nothingToDo: true, at: '2023-11-14T22:13:20Z' });
    expect(ctx.injections).toEqual([]);
    expect(w.dns.weightBatches).toEqual([]);
  });
});

describe('failover.evacuate: the plan file rules hold for the inline plan too', () => {
  it.each([
    ['steps that stop short of 100', 'steps: [25, 50]', 'plan.steps', 'plan.steps: the last step must be 100, got 50', 'end the steps at 100, e.g. [50, 100]'],
    ['two regions on one weighted record', 'regions: { us-east-1: { setIdentifier: use1 }, eu-west-1: { setIdentifier: use1 } }', 'plan.regions.eu-west-1.setIdentifier', 'plan.regions.eu-west-1.setIdentifier: set identifier "use1" is already region us-east-1\'s', 'give each region its own weighted record'],
    [
      'a capacity plan, which the action does not read',
      'capacity: { plan: cap.yaml }\nregions: { us-east-1: { setIdentifier: use1, capacity: [{ asg: api-use1, tier: origin }] }, eu-west-1: { setIdentifier: euw1, capacity: [{ asg: api-euw1, tier: origin }] } }',
      'plan.capacity.plan',
      'plan.capacity.plan: failover.evacuate reads no capacity plan file; it sizes the target by capacity.percentToMatch',
      'leave capacity.plan out (the target then needs percentToMatch of the source), or run relia failover apply --plan FILE, which reads it',
    ],
  ])('%s: exit 2 naming the field, nothing planned or changed', async (_what, fields, field, message, fix) => {
    const w = world();
    const plan = { ...(inlinePlan() as Record<string, unknown>), ...(parseYaml(fields) as Record<string, unknown>) };
    const a = args(failoverEvacuate, { plan, from: 'us-east-1', to: 'eu-west-1' });
    for (const attempt of [() => failoverEvacuate.plan(a, ctxOf(w)), () => failoverEvacuate.run(a, ctxOf(w))]) {
      const e = await rejection(attempt());
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toBe(message);
      expect(e.field).toBe(field);
      expect(e.suggestions).toEqual([fix, 'see docs/failover.md#plan-file for the plan fields']);
    }
    expect(w.dns.weightBatches).toEqual([]);
  });
});

describe('failover.evacuate: what the inline plan is', () => {
  it('its messages name it "experiment", as a plan file names its file', async () => {
    const w = world();
    const plan = parseYaml(planText().replace(/context: \w+, /g, '').replace('setIdentifier: euw1', 'setIdentifier: nope')) as unknown;
    const e = await rejection(failoverEvacuate.run(args(failoverEvacuate, { plan, from: 'us-east-1', to: 'eu-west-1' }), ctxOf(w)));
    expect(e.message).toBe('experiment: regions.eu-west-1.setIdentifier: api.example.com. has no weighted record "nope"');
    expect(e.field).toBe('regions.eu-west-1.setIdentifier');
  });

  it('its slos are not read: the experiment\'s probes judge steady state', async () => {
    const w = world();
    const plan = parseYaml(planText().replace(/context: \w+, /g, '').replace('setIdentifier: euw1', 'setIdentifier: euw1\n    slos: [no-such-file.yaml]')) as unknown;
    expect(await failoverEvacuate.run(args(failoverEvacuate, { plan, from: 'us-east-1', to: 'eu-west-1', bake: '0s' }), ctxOf(w))).toMatchObject({ weights: { 'us-east-1': 0, 'eu-west-1': 100 } });
  });
});
