/**
 * aws.asg-terminate and aws.asg-suspend: which group instances are eligible,
 * what the plan and the errors say, what the journal records for the undo,
 * and that an abort stops the call it arrives during.
 */
import { describe, expect, it } from 'vitest';
import { asgSuspend, asgTerminate } from '../../../../src/core/chaos/actions/aws.js';
import { MemoryCompute, SCALING_PROCESSES } from '../../../fakes/memory-compute.js';
import { rejection } from '../../../helpers/errors.js';
import { ACCOUNT, R, abortOn, undoWith } from './faults-aws-kit.js';
import { args, faultsCtx } from './faults-ctx.js';

type Terminated = { terminated: Array<{ instance: string; group: string }> };
const groupOf = async (c: MemoryCompute, name: string) => (await c.describeGroups(R, [name]))[0]!;

describe('aws.asg-terminate selection', () => {
  it('only InService instances are eligible (Pending, Terminating ones are left alone)', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 0, max: 6, desired: 3 });
    const describe = c.describeGroups.bind(c);
    c.describeGroups = async (...xs) => (await describe(...xs)).map((g) => ({ ...g, instances: g.instances.map((i, n) => (n === 0 ? i : { ...i, lifecycleState: n === 1 ? 'Pending' : 'Terminating' })) }));
    const first = (await describe(R, ['web-asg']))[0]!.instances[0]!.id;
    const out = (await asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web-asg'], mode: 'all' }), faultsCtx({ compute: c }))) as Terminated;
    expect(out.terminated).toEqual([{ instance: first, group: 'web-asg' }]);
  });

  it('az keeps the instances of that zone; decrementDesired checks each group against its own minimum', async () => {
    const c = new MemoryCompute();
    // a: one instance in each zone, min 1 (losing its 1a instance leaves it at 1); b: one instance in 1a, min 0.
    c.addGroup({ name: 'a', region: R, min: 1, max: 4, desired: 2, availabilityZones: ['us-east-1a', 'us-east-1b'] });
    c.addGroup({ name: 'b', region: R, min: 0, max: 4, desired: 1, availabilityZones: ['us-east-1a'] });
    const ctx = faultsCtx({ compute: c });
    const out = (await asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['a', 'b'], az: 'us-east-1a', mode: 'all', decrementDesired: true }), ctx)) as Terminated;
    expect(out.terminated.map((t) => t.group)).toEqual(['a', 'b']);
    expect((await groupOf(c, 'a')).desired).toBe(1);
    expect((await groupOf(c, 'b')).desired).toBe(0);
    const a1b = (await groupOf(c, 'a')).instances;
    expect(a1b.map((i) => i.availabilityZone)).toEqual(['us-east-1b']);
  });

  it('without decrementDesired a group already at its minimum may lose an instance (it launches a replacement); nothing to undo', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 2, max: 4, desired: 2 });
    const ctx = faultsCtx({ compute: c });
    const out = (await asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web-asg'] }), ctx)) as Terminated;
    expect(out.terminated).toHaveLength(1);
    expect((await groupOf(c, 'web-asg')).desired).toBe(2);
    expect(ctx.injections).toEqual([]);
  });

  it('decrementDesired below the minimum is exit 2 with the arithmetic and a way out; nothing is terminated', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 2, max: 4, desired: 3 });
    const before = (await groupOf(c, 'web-asg')).instances;
    const e = await rejection(asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web-asg'], mode: { count: 2 }, decrementDesired: true }), faultsCtx({ compute: c })));
    expect(e.field).toBe('decrementDesired');
    expect(e.message).toBe('decrementDesired: group web-asg would go below its minimum (3 - 2 < 2)');
    expect(e.suggestions).toEqual(['choose fewer instances, or leave decrementDesired false so the group replaces them']);
    expect((await groupOf(c, 'web-asg')).instances).toEqual(before);
  });

  it('unknown group names are exit 2 naming every missing one; known names alongside them are not reported', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web', region: R, min: 0, max: 4, desired: 1 });
    c.addGroup({ name: 'api', region: R, min: 0, max: 4, desired: 1 });
    const e = await rejection(asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['nope', 'web', 'gone'] }), faultsCtx({ compute: c })));
    expect(e.field).toBe('asgNames');
    expect(e.message).toBe(`asgNames: no Auto Scaling group nope, gone in ${R} (account ${ACCOUNT})`);
    expect(e.suggestions).toEqual([`check the names: aws autoscaling describe-auto-scaling-groups --region ${R}`]);
    const both = (await asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web', 'api'], mode: 'all' }), faultsCtx({ compute: c }))) as Terminated;
    expect(both.terminated.map((t) => t.group).sort()).toEqual(['api', 'web']);
  });

  it('tags matching no group: exit 2 with the describe command for the first tag key', async () => {
    const c = new MemoryCompute();
    const e = await rejection(asgTerminate.run(args(asgTerminate, { region: R, tags: [{ Key: 'team', Value: 'x' }, { Key: 'app', Value: 'y' }] }), faultsCtx({ compute: c })));
    expect(e.suggestions).toEqual([`check the tags: aws autoscaling describe-auto-scaling-groups --region ${R} --filters Name=tag-key,Values=team`, 'or set allowEmpty: true to let the action do nothing']);
  });

  it.each([
    ['by names', { asgNames: ['empty'] }, 'asgNames', `asgNames: no InService instances match groups empty in ${R}`],
    ['by tags', { tags: { app: 'web', env: ['a', 'b'] } }, 'tags', `tags: no InService instances match groups tagged app=web, env=a|b in ${R}`],
  ])('groups with no InService instance (%s) are exit 2 saying which groups', async (_, sel, field, message) => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'empty', region: R, min: 0, max: 4, desired: 0, tags: { app: 'web', env: 'b' } });
    const e = await rejection(asgTerminate.run(args(asgTerminate, { region: R, ...sel }), faultsCtx({ compute: c })));
    expect(e.field).toBe(field);
    expect(e.message).toBe(message);
  });
});

describe('aws.asg-terminate plan and journal', () => {
  it('the plan lists each instance with its group and says desired capacity is lowered and restored', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'a', region: R, min: 0, max: 4, desired: 1 });
    c.addGroup({ name: 'b', region: R, min: 0, max: 4, desired: 1 });
    const [ia, ib] = [(await groupOf(c, 'a')).instances[0]!.id, (await groupOf(c, 'b')).instances[0]!.id];
    const plan = await asgTerminate.plan(args(asgTerminate, { region: R, asgNames: ['a', 'b'], mode: 'all', decrementDesired: true }), faultsCtx({ compute: c }));
    expect(plan).toEqual({
      targets: [
        { kind: 'instance', id: ia, detail: 'group a' },
        { kind: 'instance', id: ib, detail: 'group b' },
      ],
      does: `terminate all of the InService instances of groups a, b (a, b) in ${R} (account ${ACCOUNT}), lowering desired capacity`,
      undo: 'restore each group’s desired capacity (the instances themselves are gone)',
    });
  });

  it('with allowEmpty and no group found, the plan says none found and that the groups replace what is terminated', async () => {
    const plan = await asgTerminate.plan(args(asgTerminate, { region: R, tags: { app: 'nope' }, allowEmpty: true }), faultsCtx({ compute: new MemoryCompute() }));
    expect(plan).toEqual({ targets: [], does: `terminate one of the InService instances of groups tagged app=nope (none found) in ${R} (account ${ACCOUNT})`, undo: 'nothing to undo: the groups launch replacements' });
  });

  it('each instance terminated with decrementDesired is journalled with the command restoring the group’s desired capacity', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 0, max: 4, desired: 3 });
    const ctx = faultsCtx({ compute: c });
    const out = (await asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web-asg'], mode: { count: 2 }, decrementDesired: true }), ctx)) as Terminated;
    expect(ctx.injections.map((i) => [i.description, i.manualUndo])).toEqual(
      out.terminated.map((t) => [`group web-asg: instance ${t.instance} terminated, desired capacity lowered`, `aws autoscaling set-desired-capacity --region ${R} --auto-scaling-group-name web-asg --desired-capacity 3`]),
    );
  });
});

describe('aws.asg-suspend', () => {
  function groups() {
    const c = new MemoryCompute();
    // 'a-other' sorts first: a call that names no group would see it.
    c.addGroup({ name: 'a-other', region: R, min: 0, max: 2, desired: 0 });
    c.addGroup({ name: 'web-asg', region: R, min: 0, max: 2, desired: 0 });
    return c;
  }

  it('the plan shows what is already suspended and what will be', async () => {
    const c = groups();
    const ctx = faultsCtx({ compute: c });
    expect(await asgSuspend.plan(args(asgSuspend, { region: R, asgName: 'web-asg' }), ctx)).toEqual({
      targets: [{ kind: 'asg', id: 'web-asg', detail: 'no process suspended' }],
      does: `suspend all scaling processes of web-asg in ${R} (account ${ACCOUNT})`,
      undo: 'resume the processes this action suspended (ones already suspended stay so)',
    });
    await c.suspendProcesses(R, 'web-asg', ['Launch', 'AZRebalance']);
    const plan = await asgSuspend.plan(args(asgSuspend, { region: R, asgName: 'web-asg', processes: ['Terminate', 'HealthCheck'] }), ctx);
    expect(plan.targets).toEqual([{ kind: 'asg', id: 'web-asg', detail: 'already suspended: AZRebalance, Launch' }]);
    expect(plan.does).toBe(`suspend Terminate, HealthCheck of web-asg in ${R} (account ${ACCOUNT})`);
  });

  it('an unknown group is exit 2 naming it, in plan and run', async () => {
    for (const step of ['plan', 'run'] as const) {
      const e = await rejection(asgSuspend[step](args(asgSuspend, { region: R, asgName: 'nope' }), faultsCtx({ compute: groups() })));
      expect(e.field).toBe('asgName');
      expect(e.message).toBe(`asgName: no Auto Scaling group nope in ${R} (account ${ACCOUNT})`);
      expect(e.suggestions).toEqual([`check the name: aws autoscaling describe-auto-scaling-groups --region ${R}`]);
    }
  });

  it('no processes named: all are suspended, journalled with the resume command, and the undo resumes them all', async () => {
    const c = groups();
    const ctx = faultsCtx({ compute: c });
    const out = (await asgSuspend.run(args(asgSuspend, { region: R, asgName: 'web-asg' }), ctx)) as { group: string; suspended: string[] };
    const all = [...SCALING_PROCESSES].sort();
    expect(out).toEqual({ group: 'web-asg', suspended: all });
    expect(ctx.injections.map((i) => [i.description, i.manualUndo])).toEqual([
      [`group web-asg: processes ${all.join(', ')} suspended (${R})`, `aws autoscaling resume-processes --region ${R} --auto-scaling-group-name web-asg --scaling-processes ${all.join(' ')}`],
    ]);
    expect((await groupOf(c, 'a-other')).suspendedProcesses).toEqual([]);
    await ctx.undoAll();
    expect((await groupOf(c, 'web-asg')).suspendedProcesses).toEqual([]);
  });

  it('processes that were all suspended already: nothing suspended, nothing to undo', async () => {
    const c = groups();
    await c.suspendProcesses(R, 'web-asg', ['Launch']);
    const ctx = faultsCtx({ compute: c });
    expect(await asgSuspend.run(args(asgSuspend, { region: R, asgName: 'web-asg', processes: ['Launch'] }), ctx)).toEqual({ group: 'web-asg', suspended: [] });
    expect(ctx.injections).toEqual([]);
  });

  it('when the group cannot be read back after the suspend, the undo covers the processes asked for (none named: nothing known)', async () => {
    for (const [processes, expected] of [[['Launch'], ['Launch']], [undefined, []]] as const) {
      const c = groups();
      const describe = c.describeGroups.bind(c);
      let n = 0;
      c.describeGroups = async (...xs) => (++n === 2 ? [] : describe(...xs));
      const ctx = faultsCtx({ compute: c });
      const out = await asgSuspend.run(args(asgSuspend, { region: R, asgName: 'web-asg', ...(processes ? { processes } : {}) }), ctx);
      expect(out).toEqual({ group: 'web-asg', suspended: expected });
      expect(ctx.injections).toHaveLength(expected.length);
    }
  });
});

describe('an abort arriving during an Auto Scaling call stops that call', () => {
  it.each([
    ['asg-terminate by names', 'plan', 'describeGroups', 1],
    ['asg-terminate by tags', 'plan', 'findGroupsByTags', 1],
    ['asg-terminate by names', 'run', 'terminateInstanceInGroup', 1],
    ['asg-suspend', 'plan', 'describeGroups', 1],
    ['asg-suspend', 'run', 'suspendProcesses', 1],
    ['asg-suspend', 'run', 'describeGroups', 2],
  ] as const)('%s %s, during %s (call %i): it fails with the abort', async (which, step, method, nth) => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 0, max: 4, desired: 2, tags: { app: 'web' } });
    const before = await groupOf(c, 'web-asg');
    const ac = new AbortController();
    const ctx = faultsCtx({ compute: abortOn(c, method, ac, nth) }, { signal: ac.signal });
    const run =
      which === 'asg-suspend'
        ? asgSuspend[step](args(asgSuspend, { region: R, asgName: 'web-asg' }), ctx)
        : asgTerminate[step](args(asgTerminate, { region: R, ...(which.endsWith('tags') ? { tags: { app: 'web' } } : { asgNames: ['web-asg'] }), decrementDesired: true }), ctx);
    expect((await rejection(run)).message).toBe(`aborted during ${method}`);
    if (method !== 'describeGroups' || nth === 1) expect(await groupOf(c, 'web-asg')).toEqual(before);
  });

  it('the undos stop their call when their own signal aborts (undo timeout)', async () => {
    const c = new MemoryCompute();
    c.addGroup({ name: 'web-asg', region: R, min: 0, max: 4, desired: 2 });
    const ctx = faultsCtx({ compute: c });
    await asgTerminate.run(args(asgTerminate, { region: R, asgNames: ['web-asg'], decrementDesired: true }), ctx);
    await asgSuspend.run(args(asgSuspend, { region: R, asgName: 'web-asg', processes: ['Launch'] }), ctx);
    const after = await groupOf(c, 'web-asg');
    const [lowered, suspended] = ctx.injections;
    const ac1 = new AbortController();
    await expect(undoWith(suspended, { compute: abortOn(c, 'resumeProcesses', ac1) }, ac1.signal)).rejects.toThrow('aborted during resumeProcesses');
    const ac2 = new AbortController();
    await expect(undoWith(lowered, { compute: abortOn(c, 'setDesiredCapacity', ac2) }, ac2.signal)).rejects.toThrow('aborted during setDesiredCapacity');
    expect(await groupOf(c, 'web-asg')).toEqual(after);
  });
});
