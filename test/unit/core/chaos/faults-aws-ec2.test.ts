/**
 * aws.ec2-stop and aws.ec2-terminate: how chaostoolkit's EC2 filters and the
 * `az` field select instances, what the plan says (`chaos plan`), what an
 * empty selection says, what the journal records, and that an abort stops the
 * call it arrives during.
 */
import { describe, expect, it } from 'vitest';
import { ec2Stop, ec2Terminate } from '../../../../src/core/chaos/actions/aws.js';
import type { InstanceFilter } from '../../../../src/ports/compute.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { rejection } from '../../../helpers/errors.js';
import { ACCOUNT, R, abortOn, undoWith } from './faults-aws-kit.js';
import { args, faultsCtx } from './faults-ctx.js';

/** Web instances in two zones (one stopped), a db instance, and a web instance with no zone reported. */
function zones() {
  const c = new MemoryCompute();
  const a1 = c.addInstance({ region: R, availabilityZone: 'us-east-1a', tags: { app: 'web' } });
  const b1 = c.addInstance({ region: R, availabilityZone: 'us-east-1b', tags: { app: 'web' } });
  const b2 = c.addInstance({ region: R, availabilityZone: 'us-east-1b', tags: { app: 'web' }, state: 'stopped' });
  const db = c.addInstance({ region: R, availabilityZone: 'us-east-1b', tags: { app: 'db' } });
  const noZone = c.addInstance({ region: R, availabilityZone: undefined, tags: { app: 'web' } });
  return { c, a1, b1, b2, db, noZone };
}

/** The filters the EC2 API is asked with (what DescribeInstances receives). */
function recordFilters(c: MemoryCompute): InstanceFilter[] {
  const seen: InstanceFilter[] = [];
  const describe = c.describeInstances.bind(c);
  c.describeInstances = async (region, filter, options) => {
    seen.push(structuredClone(filter));
    return describe(region, filter, options);
  };
  return seen;
}

const ids = async (p: Promise<unknown>, key: 'stopped' | 'terminated') => ((await p) as Record<string, string[]>)[key];

describe('EC2 selection', () => {
  it('an instance-state-name filter replaces the default states', async () => {
    const { c, b2 } = zones();
    const a = args(ec2Terminate, { region: R, filters: [{ Name: 'tag:app', Values: ['web'] }, { Name: 'instance-state-name', Values: ['stopped'] }], mode: 'all' });
    expect(await ids(ec2Terminate.run(a, faultsCtx({ compute: c })), 'terminated')).toEqual([b2.id]);
  });

  it('an availability-zone filter, or the az field, keeps the instances of that zone only', async () => {
    for (const sel of [{ filters: [{ Name: 'tag:app', Values: ['web'] }, { Name: 'availability-zone', Values: ['us-east-1b'] }] }, { tags: { app: 'web' }, az: 'us-east-1b' }]) {
      const { c, b1 } = zones();
      expect(await ids(ec2Stop.run(args(ec2Stop, { region: R, ...sel, mode: 'all' }), faultsCtx({ compute: c })), 'stopped')).toEqual([b1.id]);
    }
  });

  it('an availability-zone filter naming two zones keeps both; an instance with no zone reported is never in one', async () => {
    const { c, a1, b1 } = zones();
    const a = args(ec2Stop, { region: R, filters: [{ Name: 'tag:app', Values: ['web'] }, { Name: 'availability-zone', Values: ['us-east-1a', 'us-east-1b'] }], mode: 'all' });
    expect(await ids(ec2Stop.run(a, faultsCtx({ compute: c })), 'stopped')).toEqual([a1.id, b1.id].sort());
  });

  it('instance-id filters and instanceIds add up, and only those ids are asked for', async () => {
    const { c, a1, b1, db } = zones();
    const seen = recordFilters(c);
    const a = args(ec2Stop, { region: R, instanceIds: [db.id], filters: [{ Name: 'instance-id', Values: [a1.id, b1.id] }], mode: 'all' });
    expect(await ids(ec2Stop.run(a, faultsCtx({ compute: c })), 'stopped')).toEqual([a1.id, b1.id, db.id].sort());
    expect(seen[0]).toStrictEqual({ ids: [db.id, a1.id, b1.id], states: ['running'] });
  });

  it('an instance-id filter alone asks EC2 for those ids, no tag filter', async () => {
    const { c, a1 } = zones();
    const seen = recordFilters(c);
    const a = args(ec2Stop, { region: R, filters: [{ Name: 'instance-id', Values: [a1.id] }] });
    expect(await ids(ec2Stop.run(a, faultsCtx({ compute: c })), 'stopped')).toEqual([a1.id]);
    expect(seen[0]).toStrictEqual({ ids: [a1.id], states: ['running'] });
  });

  it('tags alone ask EC2 by tag, with no id list', async () => {
    const { c } = zones();
    const seen = recordFilters(c);
    await ec2Stop.plan(args(ec2Stop, { region: R, tags: { app: 'db' } }), faultsCtx({ compute: c }));
    expect(seen[0]).toStrictEqual({ tags: { app: 'db' }, states: ['running'] });
  });

  it.each([
    ['every selector', ec2Stop, { tags: { app: 'nope' }, instanceIds: ['i-0abc', 'i-0def'], filters: [{ Name: 'tag:x', Values: ['y'] }], az: 'us-east-1c' }, 'tags', `tags: no running instances match tags {"app":"nope"}, ids i-0abc, i-0def, filters, az us-east-1c in ${R} (account ${ACCOUNT})`],
    ['filters only', ec2Stop, { filters: [{ Name: 'tag:x', Values: ['y'] }] }, 'filters', `filters: no running instances match filters in ${R} (account ${ACCOUNT})`],
    ['ids only', ec2Stop, { instanceIds: ['i-0abc'] }, 'instanceIds', `instanceIds: no running instances match ids i-0abc in ${R} (account ${ACCOUNT})`],
    ['terminate, by tags', ec2Terminate, { tags: { app: 'nope' } }, 'tags', `tags: no running/stopped instances match tags {"app":"nope"} in ${R} (account ${ACCOUNT})`],
  ])('nothing matching (%s) is exit 2 saying what was looked for', async (_, def, sel, field, message) => {
    const { c } = zones();
    const e = await rejection(def.run(args(def, { region: R, ...sel }), faultsCtx({ compute: c })));
    expect(e.field).toBe(field);
    expect(e.message).toBe(message);
  });
});

describe('EC2 plans', () => {
  it('ec2-stop: each target shows its state, zone and group; does and undo say what happens', async () => {
    const c = new MemoryCompute();
    const inGroup = c.addInstance({ region: R, availabilityZone: 'us-east-1a', autoScalingGroup: 'web-asg', tags: { app: 'web' } });
    const bare = c.addInstance({ region: R, availabilityZone: undefined, tags: { app: 'web' } });
    const plan = await ec2Stop.plan(args(ec2Stop, { region: R, tags: { app: 'web' }, mode: 'all' }), faultsCtx({ compute: c }));
    expect(plan).toEqual({
      targets: [
        { kind: 'instance', id: inGroup.id, detail: 'running in us-east-1a, group web-asg' },
        { kind: 'instance', id: bare.id, detail: 'running' },
      ],
      does: `stop all of the matching instances in ${R} (account ${ACCOUNT})`,
      undo: 'start the stopped instances again',
    });
  });

  it('ec2-terminate: stopped instances are targets too, and the plan shouts TERMINATE', async () => {
    const { c, b1, b2 } = zones();
    const plan = await ec2Terminate.plan(args(ec2Terminate, { region: R, tags: { app: 'web' }, az: 'us-east-1b', mode: 'all', seed: 3 }), faultsCtx({ compute: c }));
    expect(plan.targets).toEqual([
      { kind: 'instance', id: b1.id, detail: 'running in us-east-1b' },
      { kind: 'instance', id: b2.id, detail: 'stopped in us-east-1b' },
    ]);
    expect(plan.does).toBe(`TERMINATE all, seed 3 of the matching instances in ${R} (account ${ACCOUNT})`);
  });
});

describe('EC2 runs', () => {
  it('ec2-stop journals which instances it stopped', async () => {
    const { c, a1, b1 } = zones();
    const ctx = faultsCtx({ compute: c });
    await ec2Stop.run(args(ec2Stop, { region: R, instanceIds: [a1.id, b1.id], mode: 'all' }), ctx);
    expect(ctx.injections.map((i) => i.description)).toEqual([`instances ${a1.id}, ${b1.id} stopped (${R})`]);
    expect(ctx.events).toEqual([]);
  });

  it('force: true is accepted and noted in the journal; the stop is a normal one', async () => {
    const { c, db } = zones();
    const ctx = faultsCtx({ compute: c });
    expect(await ids(ec2Stop.run(args(ec2Stop, { region: R, tags: { app: 'db' }, force: true }), ctx), 'stopped')).toEqual([db.id]);
    expect(ctx.events).toEqual([{ event: 'aws.ec2-stop', detail: { note: 'force: true is accepted for chaostoolkit compatibility; the stop is a normal stop' } }]);
    expect(c.instance(db.id)?.state).toBe('stopped');
  });

  it('allowEmpty with nothing matching: no EC2 write call (EC2 refuses an empty id list), nothing to undo', async () => {
    for (const def of [ec2Stop, ec2Terminate]) {
      const { c } = zones();
      const ctx = faultsCtx({ compute: c });
      const out = await def.run(args(def, { region: R, tags: { app: 'nope' }, allowEmpty: true }), ctx);
      expect(out).toEqual(def === ec2Stop ? { stopped: [] } : { terminated: [] });
      expect(c.calls.filter((call) => !/Describe|GetCallerIdentity/.test(call))).toEqual([]);
      expect(ctx.injections).toEqual([]);
    }
  });
});

describe('an abort arriving during an EC2 call stops that call', () => {
  it.each([
    ['ec2-stop', 'plan', 'describeInstances'],
    ['ec2-stop', 'run', 'stopInstances'],
    ['ec2-terminate', 'plan', 'describeInstances'],
    ['ec2-terminate', 'run', 'terminateInstances'],
  ] as const)('%s %s, during %s: it fails with the abort and no instance changes', async (which, step, method) => {
    const { c, db } = zones();
    const ac = new AbortController();
    const def = which === 'ec2-stop' ? ec2Stop : ec2Terminate;
    const ctx = faultsCtx({ compute: abortOn(c, method, ac) }, { signal: ac.signal });
    expect((await rejection(def[step](args(def, { region: R, tags: { app: 'db' } }), ctx))).message).toBe(`aborted during ${method}`);
    expect(c.instance(db.id)?.state).toBe('running');
  });

  it('the undo of ec2-stop stops its start call when its own signal aborts (undo timeout)', async () => {
    const { c, db } = zones();
    const ctx = faultsCtx({ compute: c });
    await ec2Stop.run(args(ec2Stop, { region: R, tags: { app: 'db' } }), ctx);
    const ac = new AbortController();
    await expect(undoWith(ctx.injections[0], { compute: abortOn(c, 'startInstances', ac) }, ac.signal)).rejects.toThrow('aborted during startInstances');
    expect(c.instance(db.id)?.state).toBe('stopped');
  });
});
