/**
 * What `apply` and `rollback` record, exactly: the events (type, message,
 * time, step, data) users see as progress and in notifications, every journal
 * save (status, position, step states: what `resume` and `rollback` read), and
 * the weights after each step. The world: planText() (steps 50/100, bake 2m
 * sampled every 30s), weights 100/0, a target ASG at 2 (needs 6) and a target
 * deployment at 1 replica (needs 4), all ready at once on the virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { CheckFailedError, InputError, InterruptedError } from '../../../../src/core/errors.js';
import { applyFailover, resumeFailover, rollbackFailover } from '../../../../src/core/failover/engine.js';
import type { Journal } from '../../../../src/core/failover/journal.js';
import { parseFailoverPlan } from '../../../../src/core/failover/plan-schema.js';
import type { FailoverEvent } from '../../../../src/core/failover/ports.js';
import { planText, RECORD, T0, world, type World } from './world.js';
import { rejection } from '../../../helpers/errors.js';

const evacuate = { from: 'us-east-1', to: 'eu-west-1', mode: 'graceful' as const };
const iso = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

/** [type, message, seconds after T0, step] — data only where it is part of the promise. */
function timeline(events: FailoverEvent[], operation: string): Array<[string, string, number, number | undefined]> {
  for (const e of events) expect(e.operation).toBe(operation);
  return events.map((e) => [e.type, e.message, (e.at - T0) / 1000, e.step]);
}


/** Interrupt the operation right after the batch that sets euw1 to `weight` (as a SIGINT would). */
function interruptAt(w: World, weight: number): void {
  w.dns.after = (_z, changes) => {
    if (changes.some((c) => c.record.setIdentifier === 'euw1' && c.record.weight === weight)) w.controller.abort(new InterruptedError('SIGINT'));
  };
}

function restart(w: World): void {
  w.controller = new AbortController();
  w.dns.after = null;
  w.events.length = 0;
}

const healthy = (step: number, from: number): Array<[string, string, number, number]> => [0, 30, 60, 90, 120].map((s) => ['guard', 'eu-west-1 healthy', from + s, step]);

describe('apply records every transition', () => {
  it('events, journal saves and the final journal of a full evacuation', async () => {
    const w = world();
    const warnings: string[] = [];
    const out = await applyFailover({ ...w.run({ operationId: 'op-1', warn: (l) => warnings.push(l) }), ...evacuate });
    expect(timeline(w.events, 'op-1')).toEqual([
      ['start', 'starting graceful failover us-east-1 → eu-west-1 (50/100%) at us-east-1=100 eu-west-1=0', 0, undefined],
      ['scale', 'api-euw1: desired 2 → 6 (needs 6)', 0, undefined],
      ['scale', 'web/api: desired 1 → 4 (needs 4)', 0, undefined],
      ['scaled', 'target capacity ready: api-euw1 6/6, api 4/4', 0, undefined],
      ['step', 'step 1/2 (50%): us-east-1=50 eu-west-1=50', 0, 0],
      ...healthy(0, 0),
      ['step', 'step 2/2 (100%): us-east-1=0 eu-west-1=100', 120, 1],
      ...healthy(1, 120),
      ['done', 'completed: us-east-1=0 eu-west-1=100', 240, undefined],
    ]);
    expect(w.events.filter((e) => e.type === 'step').map((e) => e.data)).toEqual([
      { weights: { 'us-east-1': 50, 'eu-west-1': 50 }, percent: 50 },
      { weights: { 'us-east-1': 0, 'eu-west-1': 100 }, percent: 100 },
    ]);
    expect(w.events.filter((e) => e.type === 'guard').every((e) => JSON.stringify(e.data) === '{"ok":true}')).toBe(true);
    expect(w.events.filter((e) => e.type !== 'step' && e.type !== 'guard').every((e) => e.data === undefined)).toBe(true);
    // The journal keeps the same events (type and message).
    expect(out.journal!.events.map((e) => `${e.type}: ${e.message}`)).toEqual(w.events.map((e) => `${e.type}: ${e.message}`));
    // Every save, in order: start, two scalings, then applied → insync → baked per step, then completed.
    expect(w.journals.map((j) => [j.status, j.position, j.steps.map((s) => s.state).join(','), j.updatedAt])).toEqual([
      ['running', -1, 'pending,pending', iso(0)],
      ['running', -1, 'pending,pending', iso(0)],
      ['running', -1, 'pending,pending', iso(0)],
      ['running', 0, 'applied,pending', iso(0)],
      ['running', 0, 'insync,pending', iso(0)],
      ['running', 0, 'baked,pending', iso(120)],
      ['running', 1, 'baked,applied', iso(120)],
      ['running', 1, 'baked,insync', iso(120)],
      ['running', 1, 'baked,baked', iso(240)],
      ['completed', 1, 'baked,baked', iso(240)],
    ]);
    const j = out.journal!;
    expect(j).toMatchObject({
      version: 1,
      id: 'op-1',
      kind: 'apply',
      plan: { name: 'api', file: 'api.yaml' },
      dns: { zoneId: w.zoneId, record: 'api.example.com.', type: 'A' },
      regions: { 'us-east-1': 'use1', 'eu-west-1': 'euw1' },
      from: 'us-east-1',
      to: 'eu-west-1',
      mode: 'graceful',
      weightsBefore: { use1: 100, euw1: 0 },
      position: 1,
      status: 'completed',
      owner: 'test@host:1',
      startedAt: iso(0),
      updatedAt: iso(240),
    });
    expect(j.reason).toBeUndefined();
    expect(j.steps.map(({ changeId, ...s }) => [s, typeof changeId])).toEqual([
      [{ percent: 50, weights: { use1: 50, euw1: 50 }, state: 'baked', appliedAt: iso(0), insyncAt: iso(0), bakedAt: iso(120) }, 'string'],
      [{ percent: 100, weights: { use1: 0, euw1: 100 }, state: 'baked', appliedAt: iso(120), insyncAt: iso(120), bakedAt: iso(240) }, 'string'],
    ]);
    expect(j.scaling).toEqual([
      { kind: 'asg', name: 'api-euw1', where: 'eu-west-1', before: 2, desired: 6, need: 6, ready: 6, at: iso(0) },
      { kind: 'deployment', name: 'web/api', where: 'euw1', before: 1, desired: 4, need: 4, ready: 4, at: iso(0) },
    ]);
    expect(j.guard.slice(0, 2)).toEqual([
      { at: iso(0), step: 0, region: 'eu-west-1', ok: true, problems: [] },
      { at: iso(30), step: 0, region: 'eu-west-1', ok: true, problems: [] },
    ]);
    expect(out).toMatchObject({ preview: { ok: true }, nothingToDo: false, weights: { 'us-east-1': 0, 'eu-west-1': 100 } });
    // The lock was released: nothing to warn about.
    expect(warnings).toEqual([]);
  });

  it('target ASGs of one name in two regions, or of two names in one region, are separate scaling records', async () => {
    const plan = planText()
      .replace('capacity: [{ asg: api-use1 },', 'capacity: [{ asg: api-use1 }, { asg: api-use1-b }, { asg: api-use1-c },')
      .replace('capacity: [{ asg: api-euw1 },', 'capacity: [{ asg: api-euw1 }, { asg: api-euw1, region: eu-central-1 }, { asg: api-euw1-c },');
    const w = world({ plan });
    w.compute.addGroup({ name: 'api-use1-b', region: 'us-east-1', min: 1, max: 20, desired: 3 });
    w.compute.addGroup({ name: 'api-euw1', region: 'eu-central-1', min: 1, max: 20, desired: 1 });
    w.compute.addGroup({ name: 'api-use1-c', region: 'us-east-1', min: 1, max: 20, desired: 2 });
    w.compute.addGroup({ name: 'api-euw1-c', region: 'eu-west-1', min: 1, max: 20, desired: 1 });
    const out = await applyFailover({ ...w.run(), ...evacuate });
    // Each record's "ready" is its own group's (it was the first same-named record's, overwritten by the last).
    expect(out.journal!.scaling.map((s) => [s.kind, s.name, s.where, s.before, s.desired, s.ready])).toEqual([
      ['asg', 'api-euw1', 'eu-west-1', 2, 6, 6],
      ['asg', 'api-euw1', 'eu-central-1', 1, 3, 3],
      ['asg', 'api-euw1-c', 'eu-west-1', 1, 2, 2],
      ['deployment', 'web/api', 'euw1', 1, 4, 4],
    ]);
  });

  it('weights already where the plan ends: nothing to do, no journal, no lock, no batch', async () => {
    const w = world({ weights: [0, 100] });
    const out = await applyFailover({ ...w.run(), ...evacuate });
    expect(out).toEqual({ journal: null, preview: null, nothingToDo: true, weights: { 'us-east-1': 0, 'eu-west-1': 100 } });
    expect(w.journals).toEqual([]);
    expect(w.events).toEqual([]);
    expect(w.dns.weightBatches).toEqual([]);
  });

  it('weights at an intermediate step are not "nothing to do": the remaining step runs', async () => {
    const w = world({ weights: [50, 50] });
    const out = await applyFailover({ ...w.run({ operationId: 'op-mid' }), ...evacuate });
    expect(out.nothingToDo).toBe(false);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
    // The steps split what is left to move: 50 % of use1's 50, then all of it.
    expect(w.dns.weightBatches.map((b) => b.map((c) => `${c.record.setIdentifier}=${c.record.weight}`))).toEqual([
      ['euw1=75', 'use1=25'],
      ['euw1=100', 'use1=0'],
    ]);
    expect(out.journal!.weightsBefore).toEqual({ use1: 50, euw1: 50 });
  });

  it('a completed apply whose weights were moved back since is applied again as a new operation', async () => {
    const w = world();
    const first = await applyFailover({ ...w.run({ operationId: 'op-first' }), ...evacuate });
    await w.memDns.change(w.zoneId, w.memDns.records(w.zoneId).filter((r) => r.setIdentifier).map((r) => ({ action: 'UPSERT' as const, record: { ...r, weight: r.setIdentifier === 'use1' ? 100 : 0 } })));
    const again = await applyFailover({ ...w.run({ operationId: 'op-again' }), ...evacuate, existing: first.journal });
    expect(again.nothingToDo).toBe(false);
    expect(again.journal!.id).toBe('op-again');
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });
});

describe('adopting an unfinished journal', () => {
  async function interrupted(): Promise<{ w: World; j: Journal }> {
    const w = world();
    interruptAt(w, 50);
    await rejection(applyFailover({ ...w.run({ operationId: 'op-int' }), ...evacuate }));
    restart(w);
    return { w, j: w.last() };
  }

  it('resume continues the same operation: "resuming", the cut-short bake again, then step 2', async () => {
    const { w, j } = await interrupted();
    // Someone scaled the target ASG back down meanwhile: it is scaled again, its record kept (with the first "before").
    await w.compute.setDesiredCapacity('eu-west-1', 'api-euw1', 2);
    const t = (w.clock.now() - T0) / 1000;
    const out = await resumeFailover({ ...w.run({ operationId: 'op-unused' }), journal: j });
    expect(out.journal!.id).toBe('op-int');
    expect(timeline(w.events, 'op-int').filter((e) => e[0] !== 'guard')).toEqual([
      ['start', 'resuming graceful failover us-east-1 → eu-west-1 (50/100%) at us-east-1=50 eu-west-1=50', t, undefined],
      ['scale', 'api-euw1: desired 2 → 6 (needs 6)', t, undefined],
      ['scaled', 'target capacity ready: api-euw1 6/6, api 4/4', t, undefined],
      ['step', 'step 2/2 (100%): us-east-1=0 eu-west-1=100', t + 120, 1],
      ['done', 'completed: us-east-1=0 eu-west-1=100', t + 240, undefined],
    ]);
    expect(out.journal!.scaling.map((s) => [s.name, s.before, s.desired])).toEqual([
      ['api-euw1', 2, 6],
      ['web/api', 1, 4],
    ]);
  });

  it('an unfinished journal is adopted only for the same kind, direction, record and mode', async () => {
    for (const change of [{ kind: 'rollback' as const }, { mode: 'ungraceful' as const }, { dns: { zoneId: 'Z', record: 'other.example.com.', type: 'A' } }]) {
      const { w, j } = await interrupted();
      const out = await applyFailover({ ...w.run({ operationId: 'op-new' }), ...evacuate, existing: { ...j, ...change } });
      expect(out.journal!.id).toBe('op-new');
      expect(out.journal!.weightsBefore).toEqual({ use1: 50, euw1: 50 });
    }
  });

  it('an unfinished journal of another direction is not adopted (three regions)', async () => {
    const third = planText().replace('steps: [50, 100]', '  ap-south-1:\n    setIdentifier: apse1\nsteps: [50, 100]');
    const setup = async () => {
      const w = world({ plan: third });
      w.memDns.addRecords(w.zoneId, { name: RECORD, type: 'A', setIdentifier: 'apse1', weight: 0, ttl: 60, values: ['203.0.113.20'] });
      interruptAt(w, 50);
      await rejection(applyFailover({ ...w.run({ operationId: 'op-int' }), ...evacuate }));
      restart(w);
      return w;
    };
    // Same source, another target: a new operation from the live 50/50/0.
    const other = await setup();
    const toAsia = await applyFailover({ ...other.run({ operationId: 'op-asia' }), from: 'us-east-1', to: 'ap-south-1', mode: 'graceful', existing: other.last() });
    expect(toAsia.journal).toMatchObject({ id: 'op-asia', to: 'ap-south-1', weightsBefore: { use1: 50, euw1: 50, apse1: 0 } });
    expect(other.weights()).toEqual({ use1: 0, euw1: 50, apse1: 50 });
    // Another source (with no traffic), the same target: nothing to move, the unfinished operation is left alone.
    const idle = await setup();
    const fromAsia = await applyFailover({ ...idle.run({ operationId: 'op-idle' }), from: 'ap-south-1', to: 'eu-west-1', mode: 'graceful', existing: idle.last() });
    expect(fromAsia).toMatchObject({ journal: null, nothingToDo: true });
    expect(idle.weights()).toEqual({ use1: 50, euw1: 50, apse1: 0 });
  });

  it('other --steps than the unfinished operation: exit 2 naming both', async () => {
    const { w, j } = await interrupted();
    const e = await rejection(applyFailover({ ...w.run(), ...evacuate, steps: [25, 50, 100], existing: j }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe('an unfinished us-east-1 → eu-west-1 operation (op-int) has steps 50,100, not 25,50,100');
    expect(e.field).toBe('--steps');
    expect(e.suggestions).toEqual(['relia failover resume continues it', 'or relia failover rollback']);
  });

  it('resume keeps the --steps the operation started with', async () => {
    const w = world();
    interruptAt(w, 25);
    await rejection(applyFailover({ ...w.run({ operationId: 'op-s' }), ...evacuate, steps: [25, 50, 100] }));
    restart(w);
    await resumeFailover({ ...w.run(), journal: w.last() });
    expect(w.dns.weightBatches.map((b) => b.find((c) => c.record.setIdentifier === 'euw1')!.record.weight)).toEqual([25, 50, 100]);
  });

  it('resume checks only the steps still to do (a tighter maxStepPercent since does not refuse the step already done)', async () => {
    const steps = 'steps: [50, 75, 100]';
    const w = world({ plan: planText().replace('steps: [50, 100]', steps) });
    interruptAt(w, 50);
    await rejection(applyFailover({ ...w.run(), ...evacuate }));
    restart(w);
    w.plan = parseFailoverPlan(planText('safety: { maxStepPercent: 25 }').replace('steps: [50, 100]', steps), 'api.yaml');
    await resumeFailover({ ...w.run(), journal: w.last() });
    expect(w.dns.weightBatches.map((b) => b.find((c) => c.record.setIdentifier === 'euw1')!.record.weight)).toEqual([50, 75, 100]);
  });

  it('weights that match no step: drift, with the live weights and what to do', async () => {
    const { w, j } = await interrupted();
    await w.memDns.change(w.zoneId, w.memDns.records(w.zoneId).filter((r) => r.setIdentifier === 'use1').map((r) => ({ action: 'UPSERT' as const, record: { ...r, weight: 70 } })));
    for (const run of [() => resumeFailover({ ...w.run(), journal: j }), () => rollbackFailover({ ...w.run(), journal: j })]) {
      const e = await rejection(run());
      expect(e).toBeInstanceOf(CheckFailedError);
      expect(e.message).toBe('the weights of api.example.com. (us-east-1=70 eu-west-1=50) match no step of operation op-int: someone changed them since');
      expect(e.suggestions).toEqual(['relia failover status shows what the journal expected', 'start over from the live weights: move the journal away and run apply again']);
    }
  });

  it('resume refuses what is not unfinished, pointing at the right next command', async () => {
    const w = world();
    const done = (await applyFailover({ ...w.run({ operationId: 'op-done' }), ...evacuate })).journal!;
    const cases: Array<[Journal['status'], string[]]> = [
      ['completed', ['relia failover status']],
      ['refused', ['relia failover status']],
      ['reverted', ['relia failover rollback, or apply again once the target is healthy']],
      ['revert-failed', ['relia failover rollback, or apply again once the target is healthy']],
    ];
    for (const [status, suggestions] of cases) {
      const e = await rejection(resumeFailover({ ...w.run(), journal: { ...done, status } }));
      expect(e).toBeInstanceOf(CheckFailedError);
      expect(e.message).toBe(`operation op-done is ${status}: nothing to resume`);
      expect(e.suggestions).toEqual(suggestions);
    }
  });
});

describe('rollback records every transition', () => {
  it('events and journal of a rollback with scale-back: the weights of each step back, then the capacity', async () => {
    const w = world({ plan: planText('capacity: { scaleBackOnRollback: true }') });
    const applied = (await applyFailover({ ...w.run({ operationId: 'op-a' }), ...evacuate })).journal!;
    w.events.length = 0;
    const out = await rollbackFailover({ ...w.run({ operationId: 'op-rb' }), journal: applied });
    expect(timeline(w.events, 'op-rb').filter((e) => e[0] !== 'guard')).toEqual([
      ['start', 'rolling back op-a: 2 steps back to us-east-1=100 eu-west-1=0', 240, undefined],
      ['step', 'step 1/2 (50%): us-east-1=50 eu-west-1=50', 240, 0],
      ['step', 'step 2/2 (100%): us-east-1=100 eu-west-1=0', 360, 1],
      ['scale', 'api-euw1: scaled back 6 → 2', 480, undefined],
      ['scale', 'web/api: scaled back 4 → 1', 480, undefined],
      ['done', 'rolled back: us-east-1=100 eu-west-1=0', 480, undefined],
    ]);
    // The guard samples the region taking traffic back.
    expect(w.events.filter((e) => e.type === 'guard').map((e) => e.message)).toEqual(Array(10).fill('us-east-1 healthy'));
    const j = out.journal!;
    expect(j).toMatchObject({ id: 'op-rb', kind: 'rollback', rollsBack: 'op-a', from: 'eu-west-1', to: 'us-east-1', mode: 'graceful', status: 'completed', position: 1, weightsBefore: { use1: 0, euw1: 100 } });
    expect(j.steps.map((s) => [s.percent, s.weights, s.state])).toEqual([
      [50, { use1: 50, euw1: 50 }, 'baked'],
      [100, { use1: 100, euw1: 0 }, 'baked'],
    ]);
    expect(j.scaling).toEqual(applied.scaling);
    expect(out.weights).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
    expect((await w.cluster.getScale({ kind: 'deployment', namespace: 'web', name: 'api' }))!.replicas).toBe(1);
  });

  it('a scale-back whose port the plan no longer builds is refused before any weight moves (not reported as done)', async () => {
    const w = world({ plan: planText('capacity: { scaleBackOnRollback: true }') });
    const applied = (await applyFailover({ ...w.run({ operationId: 'op-a' }), ...evacuate })).journal!;
    const before = w.weights();
    const cases: [string, (p: ReturnType<World['ports']>) => void, string][] = [
      ['no compute', (p) => delete p.compute, 'asg api-euw1 (eu-west-1)'],
      ['no cluster', (p) => delete p.cluster, 'deployment web/api (euw1)'],
      ['neither', (p) => (delete p.compute, delete p.cluster), 'asg api-euw1 (eu-west-1), deployment web/api (euw1)'],
    ];
    for (const [, drop, what] of cases) {
      const ports = w.ports();
      drop(ports);
      w.events.length = 0;
      const saved = w.journals.length;
      const e = await rejection(rollbackFailover({ ...w.run({ operationId: 'op-rb' }), ports, journal: applied }));
      expect(e).toBeInstanceOf(InputError);
      const many = what.includes(',');
      expect(e.message).toBe(
        `capacity.scaleBackOnRollback: operation op-a scaled ${what}, but the plan no longer names ${many ? 'those targets' : 'that target'} in any region's capacity, so relia cannot scale ${many ? 'them' : 'it'} back; nothing was changed`,
      );
      expect((e as InputError).field).toBe('capacity.scaleBackOnRollback');
      expect(w.events).toEqual([]);
      expect(w.journals.length).toBe(saved);
      expect(w.weights()).toEqual(before);
    }
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(6);
  });

  it('a rollback from step 1 is one step ("1 step"); without scaleBackOnRollback the capacity stays', async () => {
    const w = world();
    interruptAt(w, 50);
    await rejection(applyFailover({ ...w.run({ operationId: 'op-a' }), ...evacuate }));
    restart(w);
    const out = await rollbackFailover({ ...w.run({ operationId: 'op-rb' }), journal: w.last() });
    expect(w.events.filter((e) => e.type !== 'guard').map((e) => `${e.type}: ${e.message}`)).toEqual([
      'start: rolling back op-a: 1 step back to us-east-1=100 eu-west-1=0',
      'step: step 1/1 (100%): us-east-1=100 eu-west-1=0',
      'done: rolled back: us-east-1=100 eu-west-1=0',
    ]);
    expect(out.journal!.steps.map((s) => s.percent)).toEqual([100]);
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(6);
  });

  it('a rollback from step 3 of 3 walks back in thirds', async () => {
    const w = world({ plan: planText().replace('steps: [50, 100]', 'steps: [25, 50, 100]') });
    const applied = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    const out = await rollbackFailover({ ...w.run(), journal: applied });
    expect(out.journal!.steps.map((s) => [s.percent, s.weights.use1])).toEqual([
      [33, 50],
      [67, 75],
      [100, 100],
    ]);
  });

  it('an operation refused before step 1: nothing to roll back, or only the capacity when the plan scales back', async () => {
    for (const scaleBack of [false, true]) {
      const w = world({ readyFollows: false, plan: planText(scaleBack ? 'capacity: { scaleBackOnRollback: true }' : '') });
      await rejection(applyFailover({ ...w.run({ operationId: 'op-a' }), ...evacuate }));
      const refused = w.last();
      expect(refused).toMatchObject({ status: 'refused', position: -1 });
      expect(refused.events.map((e) => e.type)).toEqual(['start', 'scale', 'scale', 'scale']);
      expect(refused.events.at(-1)!.message).toBe(refused.reason);
      // The source taking the traffic back is unhealthy: no weight moves back, so it does not matter.
      w.alarms.setAlarm('us-east-1', 'api-use1-5xx', 'ALARM');
      w.events.length = 0;
      const out = await rollbackFailover({ ...w.run({ operationId: 'op-rb' }), journal: refused });
      if (!scaleBack) {
        expect(out).toEqual({ journal: null, preview: null, nothingToDo: true, weights: { 'us-east-1': 100, 'eu-west-1': 0 } });
        continue;
      }
      expect(out.nothingToDo).toBe(false);
      expect(w.events.map((e) => `${e.type}: ${e.message}`)).toEqual([
        'start: rolling back op-a: 0 steps back to us-east-1=100 eu-west-1=0',
        'scale: api-euw1: scaled back 6 → 2',
        'scale: web/api: scaled back 4 → 1',
        'done: rolled back: us-east-1=100 eu-west-1=0',
      ]);
      expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
      expect((await w.cluster.getScale({ kind: 'deployment', namespace: 'web', name: 'api' }))!.replicas).toBe(1);
    }
  });

  it('the rollback pre-check names the unhealthy region and changes nothing', async () => {
    const w = world();
    interruptAt(w, 50);
    await rejection(applyFailover({ ...w.run(), ...evacuate }));
    restart(w);
    w.alarms.setAlarm('us-east-1', 'api-use1-5xx', 'ALARM', '5xx above 1%');
    const saves = w.journals.length;
    const e = await rejection(rollbackFailover({ ...w.run(), journal: w.last() }));
    expect(e.message).toBe('rollback pre-check: us-east-1 would take traffic back but is unhealthy: alarm api-use1-5xx is ALARM (5xx above 1%); nothing was changed');
    expect(e.suggestions).toEqual(['fix the region first; relia failover status shows where the operation stands']);
    expect(w.journals.length).toBe(saves);
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
  });

  it('an interrupted rollback resumes as the same rollback; a completed one is nothing to do', async () => {
    const w = world();
    const applied = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    interruptAt(w, 50);
    await rejection(rollbackFailover({ ...w.run({ operationId: 'op-rb' }), journal: applied }));
    restart(w);
    const stopped = w.last();
    expect(stopped).toMatchObject({ id: 'op-rb', kind: 'rollback', status: 'interrupted', position: 0 });
    const out = await resumeFailover({ ...w.run({ operationId: 'op-other' }), journal: stopped });
    expect(out.journal).toMatchObject({ id: 'op-rb', status: 'completed' });
    expect(w.events.filter((e) => e.type !== 'guard').map((e) => `${e.type}: ${e.message}`)).toEqual([
      'start: rolling back op-rb: 2 steps back to us-east-1=100 eu-west-1=0',
      'step: step 2/2 (100%): us-east-1=100 eu-west-1=0',
      'done: rolled back: us-east-1=100 eu-west-1=0',
    ]);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    const again = await rollbackFailover({ ...w.run(), journal: out.journal! });
    expect(again).toEqual({ journal: out.journal, preview: null, nothingToDo: true, weights: { 'us-east-1': 100, 'eu-west-1': 0 } });
  });
});
