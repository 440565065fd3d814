import { describe, expect, it } from 'vitest';
import { alarmState, asgSuspend, asgTerminate, ec2Stop, ec2Terminate, fisExperiment } from '../../../../src/core/chaos/actions/aws.js';
import { MemoryAlarms } from '../../../fakes/memory-alarms.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { MemoryExperiments } from '../../../fakes/memory-experiments.js';
import { inputError } from '../../../helpers/errors.js';
import { args, faultsCtx } from './faults-ctx.js';

const R = 'us-east-1';
const rejects = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as Error & { exitCode: number; field?: string });

function fleet() {
  const c = new MemoryCompute();
  const web = Array.from({ length: 4 }, () => c.addInstance({ region: R, tags: { app: 'web', env: 'staging' } }));
  const db = c.addInstance({ region: R, tags: { app: 'db' } });
  const keep = c.addInstance({ region: R, tags: { app: 'web', 'chaos.relia.dev/protected': 'true' } });
  return { c, web, db, keep };
}

describe('aws.ec2-stop', () => {
  it('stops the instances chosen by tag and the undo starts them again', async () => {
    const { c, db, keep } = fleet();
    const ctx = faultsCtx({ compute: c });
    const a = args(ec2Stop, { region: R, tags: { app: 'web' }, mode: { percent: 50 }, seed: 9 });
    const plan = await ec2Stop.plan(a, ctx);
    expect(plan.targets).toHaveLength(2);
    expect(plan.targets.map((t) => t.id)).not.toContain(keep.id);
    const out = (await ec2Stop.run(a, ctx)) as { stopped: string[] };
    expect(out.stopped).toEqual(plan.targets.map((t) => t.id));
    for (const id of out.stopped) expect(c.instance(id)?.state).toBe('stopped');
    expect(c.instance(db.id)?.state).toBe('running');
    expect(ctx.injections[0]?.manualUndo).toBe(`aws ec2 start-instances --region ${R} --instance-ids ${out.stopped.join(' ')}`);
    await ctx.undoAll();
    for (const id of out.stopped) expect(['pending', 'running']).toContain(c.instance(id)?.state);
  });

  it('chaostoolkit filters select the same way as tags', async () => {
    const { c } = fleet();
    const out = (await ec2Stop.run(args(ec2Stop, { region: R, filters: [{ Name: 'tag:env', Values: ['staging'] }], mode: 'all' }), faultsCtx({ compute: c }))) as { stopped: string[] };
    expect(out.stopped).toHaveLength(4);
    expect(inputError(() => args(ec2Stop, { region: R, filters: [{ Name: 'vpc-id', Values: ['v'] }] })).field).toBe('filters[0].Name');
  });

  it('a disallowed account is exit 2 naming it and chaos.allow.awsAccounts; nothing stops', async () => {
    const c = new MemoryCompute({ account: '999999999999', arn: 'arn:aws:sts::999999999999:user/x' });
    const i = c.addInstance({ region: R, tags: { app: 'web' } });
    const err = await rejects(ec2Stop.run(args(ec2Stop, { region: R, tags: { app: 'web' } }), faultsCtx({ compute: c })));
    expect(err.exitCode).toBe(2);
    expect(err.field).toBe('chaos.allow.awsAccounts');
    expect(err.message).toMatch(/999999999999/);
    expect(c.instance(i.id)?.state).toBe('running');
  });

  it('tags that match nothing are exit 2 naming tags', async () => {
    const { c } = fleet();
    expect((await rejects(ec2Stop.run(args(ec2Stop, { region: R, tags: { app: 'nope' } }), faultsCtx({ compute: c })))).field).toBe('tags');
    expect(inputError(() => args(ec2Stop, { region: R })).field).toBe('tags');
  });
});

describe('aws.ec2-terminate', () => {
  it('says in the plan that it cannot be undone, and registers no undo', async () => {
    const { c } = fleet();
    const ctx = faultsCtx({ compute: c });
    const a = args(ec2Terminate, { region: R, tags: { app: 'db' } });
    expect((await ec2Terminate.plan(a, ctx)).undo).toMatch(/cannot be undone/);
    const out = (await ec2Terminate.run(a, ctx)) as { terminated: string[] };
    expect(['shutting-down', 'terminated']).toContain(c.instance(out.terminated[0]!)?.state);
    expect(ctx.injections).toHaveLength(0);
  });
});

describe('Auto Scaling', () => {
  it('asg-terminate with decrementDesired lowers desired and the undo restores it', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 1, max: 6, desired: 4 });
    const ctx = faultsCtx({ compute: c });
    const out = (await asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web-asg'], decrementDesired: true }), ctx)) as { terminated: unknown[] };
    expect(out.terminated).toHaveLength(1);
    expect((await c.describeGroups(R, ['web-asg']))[0]?.desired).toBe(3);
    await ctx.undoAll();
    expect((await c.describeGroups(R, ['web-asg']))[0]?.desired).toBe(4);
  });
  it('asg-terminate: an unknown group or going below min is exit 2', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 2, max: 6, desired: 2 });
    expect((await rejects(asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['nope'] }), faultsCtx({ compute: c })))).field).toBe('asgNames');
    expect((await rejects(asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web-asg'], decrementDesired: true }), faultsCtx({ compute: c })))).field).toBe('decrementDesired');
  });
  it('asg-terminate finds groups by tags (a map, or chaostoolkit\'s [{Key, Value}]): every tag must match', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-a', region: R, min: 0, max: 6, desired: 2, tags: { app: 'web', env: 'staging' } });
    c.addGroup({ name: 'web-b', region: R, min: 0, max: 6, desired: 2, tags: { app: 'web', env: 'prod' } });
    c.addGroup({ name: 'db', region: R, min: 0, max: 6, desired: 2, tags: { app: 'db', env: 'staging' } });
    const ctx = faultsCtx({ compute: c });
    const a = args(asgTerminate, { region: R, tags: [{ Key: 'app', Value: 'web' }, { Key: 'env', Value: 'staging' }], mode: 'all' });
    expect(a.tags).toEqual({ app: 'web', env: 'staging' });
    const plan = await asgTerminate.plan(a, ctx);
    expect(plan.does).toMatch(/groups tagged app=web, env=staging \(web-a\)/);
    const before = (await c.describeGroups(R, ['web-a']))[0]!.instances.map((i) => i.id);
    const out = (await asgTerminate.run(a, ctx)) as { terminated: Array<{ instance: string; group: string }> };
    expect(out.terminated.map((t) => t.instance).sort()).toEqual(before.sort());
    expect(out.terminated.every((t) => t.group === 'web-a')).toBe(true);
    expect((await c.describeGroups(R, ['db']))[0]!.instances).toHaveLength(2);
    const byMap = (await asgTerminate.run(args(asgTerminate, { region: R, tags: { app: 'web', env: ['prod'] } }), faultsCtx({ compute: c }))) as { terminated: Array<{ group: string }> };
    expect(byMap.terminated.map((t) => t.group)).toEqual(['web-b']);
  });
  it('asg-terminate by tags: none matching is exit 2 naming tags (unless allowEmpty); names and tags together, or neither, are exit 2', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-a', region: R, min: 0, max: 6, desired: 1, tags: { app: 'web' } });
    const err = await rejects(asgTerminate.run(args(asgTerminate, { region: R, tags: [{ Key: 'app', Value: 'nope' }] }), faultsCtx({ compute: c })));
    expect(err.exitCode).toBe(2);
    expect(err.field).toBe('tags');
    expect(err.message).toMatch(/no Auto Scaling group in us-east-1 .* carries/);
    expect(await asgTerminate.run(args(asgTerminate, { region: R, tags: { app: 'nope' }, allowEmpty: true }), faultsCtx({ compute: c }))).toEqual({ terminated: [] });
    expect(inputError(() => args(asgTerminate, { region: R, asgNames: ['web-a'], tags: { app: 'web' } })).field).toBe('tags');
    expect(inputError(() => args(asgTerminate, { region: R })).field).toBe('asgNames');
    const twice = inputError(() => args(asgTerminate, { region: R, tags: [{ Key: 'app', Value: 'a' }, { Key: 'app', Value: 'b' }] }));
    expect(twice.field).toBe('tags[1].Key');
    expect(twice.message).toMatch(/tag app is given twice/);
    expect((await c.describeGroups(R, ['web-a']))[0]!.instances).toHaveLength(1);
  });
  it('asg-suspend suspends processes and the undo resumes only those it suspended', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 1, max: 6, desired: 2 });
    await c.suspendProcesses(R, 'web-asg', ['AZRebalance']);
    const ctx = faultsCtx({ compute: c });
    const out = (await asgSuspend.run(args(asgSuspend, { region: R, asgName: 'web-asg', processes: ['Launch', 'AZRebalance'] }), ctx)) as { suspended: string[] };
    expect(out.suspended).toEqual(['Launch']);
    await ctx.undoAll();
    expect((await c.describeGroups(R, ['web-asg']))[0]?.suspendedProcesses).toEqual(['AZRebalance']);
  });
});

describe('aws.fis-experiment', () => {
  it('starts the template, polls until it completes, and registers a stop as its undo', async () => {
    const compute = new MemoryCompute();
    const fis = new MemoryExperiments();
    fis.addTemplate(R, 'EXTabc123', { runningPolls: 3 });
    const ctx = faultsCtx({ compute, experiments: fis });
    const out = (await fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc123', pollInterval: '2s' }), ctx)) as { id: string; state: string };
    expect(out.state).toBe('completed');
    expect(ctx.clock.sleeps.every((s) => s === 2000)).toBe(true);
    expect(fis.tagsOf(out.id)).toMatchObject({ 'relia:chaos': 'true' });
    expect(ctx.injections[0]?.manualUndo).toBe(`aws fis stop-experiment --region ${R} --id ${out.id}`);
  });
  it('an abort mid-poll leaves it running for the undo, which stops it', async () => {
    const compute = new MemoryCompute();
    const fis = new MemoryExperiments();
    fis.addTemplate(R, 'EXTforever', { runningPolls: Infinity });
    const ac = new AbortController();
    // The guard trips during the second poll.
    const get = fis.get.bind(fis);
    let polls = 0;
    fis.get = async (region, id, options) => {
      if (++polls === 2) ac.abort(new Error('guard tripped'));
      return get(region, id, options);
    };
    const ctx = faultsCtx({ compute, experiments: fis }, { signal: ac.signal });
    await expect(fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTforever' }), ctx)).rejects.toThrow('guard tripped');
    const id = ctx.events[0]?.detail?.id as string;
    expect((await get(R, id))?.state).toBe('running');
    await ctx.undoAll();
    expect((await fis.get(R, id))?.state).toMatch(/stopp/);
  });
  it('a failed experiment fails the action (exit 3) with its reason', async () => {
    const fis = new MemoryExperiments();
    fis.addTemplate(R, 'EXTbad', { fail: 'target not found' });
    const err = await rejects(fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTbad' }), faultsCtx({ compute: new MemoryCompute(), experiments: fis })));
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/failed: target not found/);
  });
});

describe('aws.alarm-state probe', () => {
  it('reads the state; an unknown alarm is exit 2 naming it', async () => {
    const alarms = new MemoryAlarms(() => 0);
    alarms.setAlarm(R, 'api-5xx', 'ALARM');
    expect(await alarmState.run(args(alarmState, { region: R, name: 'api-5xx' }), faultsCtx({ alarms }))).toBe('ALARM');
    expect((await rejects(alarmState.run(args(alarmState, { region: R, name: 'nope' }), faultsCtx({ alarms })))).field).toBe('name');
  });
});

describe('run-time selection never passes what the engine allows (the plan\'s count)', () => {
  it('ec2-stop and asg-terminate ask the engine and take no more than it grants', async () => {
    const { c } = fleet();
    const asked: number[] = [];
    const ctx = { ...faultsCtx({ compute: c }), claimTargets: (wanted: number) => (asked.push(wanted), 1) };
    const out = (await ec2Stop.run(args(ec2Stop, { region: R, tags: { app: 'web' }, mode: 'all' }), ctx)) as { stopped: string[] };
    expect(asked).toEqual([4]);
    expect(out.stopped).toHaveLength(1);
    expect(await c.describeInstances(R, { states: ['stopped', 'stopping'] })).toHaveLength(1);
    const g = new MemoryCompute();
    g.addGroup({ name: 'web-asg', region: R, min: 0, max: 6, desired: 4 });
    const groupCtx = { ...faultsCtx({ compute: g }), claimTargets: (wanted: number) => (asked.push(wanted), 2) };
    const t = (await asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web-asg'], mode: 'all' }), groupCtx)) as { terminated: unknown[] };
    expect(asked).toEqual([4, 4]);
    expect(t.terminated).toHaveLength(2);
  });
});
