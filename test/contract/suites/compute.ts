/**
 * The ComputePort contract. One suite, every implementation: the in-memory
 * fake and the AWS adapter (EC2, Auto Scaling, STS) on moto. Each test tags
 * what it seeds with a fresh `test` tag value and a fresh group name, so tests
 * sharing one moto never see each other's resources.
 */
import { describe, expect, it } from 'vitest';
import type { ComputePort, InstanceInfo } from '../../../src/ports/compute.js';
import { expectDependencyError, expectInputError } from './dependency-error.js';

export interface ComputeSeed {
  /** `count` running instances tagged {test: <tag>, ...tags}; their ids. */
  instances(count: number, tags: Record<string, string>): Promise<string[]>;
  /** An Auto Scaling group whose `desired` instances are InService at once, carrying `tags` when given. */
  group(name: string, sizes: { min: number; max: number; desired: number }, tags?: Record<string, string>): Promise<void>;
}

export interface ComputeFixture {
  compute: ComputePort;
  region: string;
  /** Fresh for this test: the value of the `test` tag and a prefix for group names. */
  tag: string;
  seed: ComputeSeed;
}

const STOPPED = ['stopping', 'stopped'];
const RUNNING = ['pending', 'running'];
const TERMINATED = ['shutting-down', 'terminated'];

export function computeContract(name: string, make: () => Promise<ComputeFixture>, options: { unreachable?: () => Promise<ComputePort> } = {}) {
  describe(`ComputePort contract: ${name}`, () => {
    it('tells the caller identity: a 12-digit account and an ARN', async () => {
      const { compute } = await make();
      const id = await compute.callerIdentity();
      expect(id.account).toMatch(/^\d{12}$/);
      expect(id.arn).toMatch(/^arn:aws:/);
      await compute.close();
    });

    it('describes instances by tag (any of several values), by id (unknown ids omitted) and by state', async () => {
      const { compute, region, tag, seed } = await make();
      const blue = await seed.instances(2, { color: 'blue' });
      const green = await seed.instances(1, { color: 'green' });
      const byTag = await compute.describeInstances(region, { tags: { test: tag, color: ['blue', 'green'] } });
      expect(byTag.map((i) => i.id).sort()).toEqual([...blue, ...green].sort());
      const one = byTag.find((i) => i.id === green[0]) as InstanceInfo;
      expect(one).toMatchObject({ region, state: 'running', tags: { test: tag, color: 'green' } });
      expect(one.availabilityZone).toMatch(new RegExp(`^${region}`));
      const byId = await compute.describeInstances(region, { ids: [blue[0]!, 'i-0123456789abcdef0'] });
      expect(byId.map((i) => i.id)).toEqual([blue[0]]);
      expect(await compute.describeInstances(region, { tags: { test: tag }, states: ['stopped'] })).toEqual([]);
      expect(await compute.describeInstances(region, { tags: { test: `${tag}-nothing` } })).toEqual([]);
      await compute.close();
    });

    it('stops and starts instances; repeating a stop succeeds', async () => {
      const { compute, region, tag, seed } = await make();
      const ids = await seed.instances(2, {});
      await compute.stopInstances(region, ids);
      const stopped = await compute.describeInstances(region, { tags: { test: tag } });
      expect(stopped.every((i) => STOPPED.includes(i.state))).toBe(true);
      await compute.stopInstances(region, ids);
      await compute.startInstances(region, ids);
      const started = await compute.describeInstances(region, { tags: { test: tag } });
      expect(started.every((i) => RUNNING.includes(i.state))).toBe(true);
      await compute.close();
    });

    it('dry runs check existence and change nothing', async () => {
      const { compute, region, tag, seed } = await make();
      const ids = await seed.instances(1, {});
      await compute.stopInstances(region, ids, { dryRun: true });
      await compute.terminateInstances(region, ids, { dryRun: true });
      expect((await compute.describeInstances(region, { tags: { test: tag } }))[0]?.state).toBe('running');
      await expectInputError(() => compute.stopInstances(region, ['i-0123456789abcdef0'], { dryRun: true }), /i-0123456789abcdef0/);
      await compute.close();
    });

    it('a stop of an unknown instance is exit 2 naming it', async () => {
      const { compute, region } = await make();
      await expectInputError(() => compute.stopInstances(region, ['i-0fedcba9876543210']), /i-0fedcba9876543210/);
      await compute.close();
    });

    it('terminates instances', async () => {
      const { compute, region, tag, seed } = await make();
      const ids = await seed.instances(1, {});
      await compute.terminateInstances(region, ids);
      const after = await compute.describeInstances(region, { tags: { test: tag } });
      expect(after.every((i) => TERMINATED.includes(i.state))).toBe(true);
      await compute.close();
    });

    it('describes groups: sizes, InService instances, and unknown names omitted', async () => {
      const { compute, region, tag, seed } = await make();
      await seed.group(`${tag}-api`, { min: 1, max: 5, desired: 2 });
      const groups = await compute.describeGroups(region, [`${tag}-api`, `${tag}-absent`]);
      expect(groups).toHaveLength(1);
      const g = groups[0]!;
      expect(g).toMatchObject({ name: `${tag}-api`, region, desired: 2, min: 1, max: 5, suspendedProcesses: [] });
      expect(g.instances).toHaveLength(2);
      expect(g.instances.every((i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy')).toBe(true);
      const members = await compute.describeInstances(region, { ids: g.instances.map((i) => i.id) });
      expect(members.every((i) => i.autoScalingGroup === `${tag}-api`)).toBe(true);
      await compute.close();
    });

    it('finds groups by tags: every key must match one of its values; none is []; no tags is exit 2', async () => {
      const { compute, region, tag, seed } = await make();
      await seed.group(`${tag}-web-a`, { min: 0, max: 3, desired: 1 }, { suite: tag, app: 'web', env: 'staging' });
      await seed.group(`${tag}-web-b`, { min: 0, max: 3, desired: 0 }, { suite: tag, app: 'web', env: 'prod' });
      await seed.group(`${tag}-db`, { min: 0, max: 3, desired: 0 }, { suite: tag, app: 'db', env: 'staging' });
      await seed.group(`${tag}-untagged`, { min: 0, max: 3, desired: 0 });
      const names = async (tags: Record<string, string | string[]>) => (await compute.findGroupsByTags(region, tags)).map((g) => g.name);
      expect(await names({ suite: tag })).toEqual([`${tag}-db`, `${tag}-web-a`, `${tag}-web-b`]);
      expect(await names({ suite: tag, app: 'web', env: 'staging' })).toEqual([`${tag}-web-a`]);
      expect(await names({ suite: tag, env: ['prod', 'staging'], app: 'web' })).toEqual([`${tag}-web-a`, `${tag}-web-b`]);
      expect(await names({ suite: tag, app: 'cache' })).toEqual([]);
      expect(await names({ suite: `${tag}-nothing` })).toEqual([]);
      const [a] = await compute.findGroupsByTags(region, { suite: tag, env: 'staging', app: 'web' });
      expect(a).toMatchObject({ name: `${tag}-web-a`, region, desired: 1, min: 0, max: 3, tags: { suite: tag, app: 'web', env: 'staging' } });
      expect(a!.instances).toHaveLength(1);
      expect((await compute.describeGroups(region, [`${tag}-web-b`]))[0]?.tags).toEqual({ suite: tag, app: 'web', env: 'prod' });
      expect((await compute.describeGroups(region, [`${tag}-untagged`]))[0]?.tags).toEqual({});
      await expectInputError(() => compute.findGroupsByTags(region, {}), /tags/);
      await compute.close();
    });

    it('sets the desired capacity within [min, max]; outside is exit 2 and nothing changes; a dry run changes nothing', async () => {
      const { compute, region, tag, seed } = await make();
      const name = `${tag}-web`;
      await seed.group(name, { min: 1, max: 4, desired: 1 });
      await compute.setDesiredCapacity(region, name, 3);
      const [g] = await compute.describeGroups(region, [name]);
      expect(g!.desired).toBe(3);
      expect(g!.instances.filter((i) => i.lifecycleState === 'InService')).toHaveLength(3);
      expect(g!.min).toBe(1);
      expect(g!.max).toBe(4);
      await expectInputError(() => compute.setDesiredCapacity(region, name, 9), new RegExp(name));
      await compute.setDesiredCapacity(region, name, 2, { dryRun: true });
      expect((await compute.describeGroups(region, [name]))[0]!.desired).toBe(3);
      await compute.close();
    });

    it('terminates an instance in a group, decrementing the desired capacity', async () => {
      const { compute, region, tag, seed } = await make();
      const name = `${tag}-batch`;
      await seed.group(name, { min: 0, max: 4, desired: 2 });
      const [before] = await compute.describeGroups(region, [name]);
      const victim = before!.instances[0]!.id;
      await compute.terminateInstanceInGroup(region, victim, true);
      const [after] = await compute.describeGroups(region, [name]);
      expect(after!.desired).toBe(1);
      expect(after!.instances.map((i) => i.id)).not.toContain(victim);
      await compute.close();
    });

    it('suspends and resumes scaling processes, named or all', async () => {
      const { compute, region, tag, seed } = await make();
      const name = `${tag}-proc`;
      await seed.group(name, { min: 0, max: 2, desired: 0 });
      await compute.suspendProcesses(region, name, ['Launch', 'AZRebalance']);
      expect((await compute.describeGroups(region, [name]))[0]!.suspendedProcesses.sort()).toEqual(['AZRebalance', 'Launch']);
      await compute.resumeProcesses(region, name, ['Launch']);
      expect((await compute.describeGroups(region, [name]))[0]!.suspendedProcesses).toEqual(['AZRebalance']);
      await compute.suspendProcesses(region, name);
      expect((await compute.describeGroups(region, [name]))[0]!.suspendedProcesses).toEqual(expect.arrayContaining(['Launch', 'Terminate', 'HealthCheck', 'AZRebalance']));
      await compute.resumeProcesses(region, name);
      expect((await compute.describeGroups(region, [name]))[0]!.suspendedProcesses).toEqual([]);
      await compute.close();
    });

    it('an aborted signal rejects the call', async () => {
      const { compute, region } = await make();
      const ac = new AbortController();
      ac.abort(new Error('stop now'));
      await expect(compute.describeInstances(region, {}, { signal: ac.signal })).rejects.toThrow();
      await compute.close();
    });

    if (options.unreachable) {
      it('an unreachable endpoint is a DependencyError (exit 3) naming the call and the region', async () => {
        const compute = await options.unreachable!();
        await expectDependencyError(() => compute.describeInstances('eu-west-1', {}), /DescribeInstances.*eu-west-1/);
        await compute.close();
      });
    }
  });
}
