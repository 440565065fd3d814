/**
 * AWS faults through the compute, experiments and alarms ports, only in
 * accounts listed in `chaos.allow.awsAccounts` (STS GetCallerIdentity):
 * - `aws.ec2-stop` / `aws.ec2-terminate`: instances by tags (or ids, or
 *   chaostoolkit's EC2 filters); stopped instances are started again by the
 *   undo; terminate cannot be undone and its plan says so;
 * - `aws.asg-terminate`: terminate instances of Auto Scaling groups named
 *   or found by tags (the group replaces them; with `decrementDesired` the
 *   undo restores desired);
 * - `aws.asg-suspend`: suspend scaling processes; the undo resumes those this
 *   action suspended;
 * - `aws.fis-experiment`: start an FIS experiment template, poll it until it
 *   ends; the undo (and an abort) stops it;
 * - probe `aws.alarm-state`: a CloudWatch alarm's state.
 */
import { z } from 'zod';
import { DependencyError, InputError } from '../../errors.js';
import type { AutoScalingGroupInfo, ComputePort, InstanceFilter, InstanceInfo, InstanceState } from '../../../ports/compute.js';
import type { ManagedExperiment } from '../../../ports/experiments.js';
import type { ActionDefinition, ActivityContext, ActivityPlan, ProbeDefinition } from '../activity.js';
import { chooseTargets, describeMode, requireAwsAccount, selectionFields } from '../targets.js';
import { durationMs, issueAt, ms } from './common.js';

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'expected an AWS region such as us-east-1' });
const tagValues = z.record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)])).refine((m) => Object.keys(m).length > 0, { message: 'an empty tag map would match every instance or group: name at least one tag' });
/** chaostoolkit's EC2 filters: [{Name: 'tag:app', Values: ['api']}, {Name: 'instance-state-name', Values: ['running']}]. */
const ec2Filters = z.array(z.strictObject({ Name: z.string().min(1), Values: z.array(z.string()).min(1) })).min(1);

const InstanceArgs = z
  .strictObject({
    region,
    /** Tag key → value or values. */
    tags: tagValues.optional(),
    instanceIds: z.array(z.string().regex(/^i-[0-9a-f]+$/, { message: 'expected an instance id such as i-0abc123' })).min(1).optional(),
    filters: ec2Filters.optional(),
    /** Only instances in this availability zone. */
    az: z.string().optional(),
    ...selectionFields,
    /** chaostoolkit's force-stop flag: accepted; the stop is always a normal stop. */
    force: z.boolean().optional(),
  })
  .superRefine((a, ctx) => {
    if (!a.tags && !a.instanceIds && !a.filters) ctx.addIssue(issueAt(['tags'], 'choose instances by tags, instanceIds or filters'));
    for (const [i, f] of (a.filters ?? []).entries()) {
      if (!f.Name.startsWith('tag:') && f.Name !== 'instance-state-name' && f.Name !== 'availability-zone' && f.Name !== 'instance-id') {
        ctx.addIssue(issueAt(['filters', i, 'Name'], `filter ${f.Name} is not supported: use tag:KEY, instance-state-name, availability-zone or instance-id`));
      }
    }
    // A state or a zone alone selects every instance in it: the selection must name the application (a tag) or the instances.
    if (a.filters && !a.tags && !a.instanceIds && !a.filters.some((f) => f.Name.startsWith('tag:') || f.Name === 'instance-id')) {
      ctx.addIssue(issueAt(['filters'], 'instance-state-name and availability-zone filters alone match every instance in the region or zone: add a tag:KEY or instance-id filter (or tags / instanceIds)'));
    }
  });
export type InstanceArgs = z.infer<typeof InstanceArgs>;

function toFilter(a: InstanceArgs): { filter: InstanceFilter; az?: string[] } {
  const tags: Record<string, string | string[]> = { ...(a.tags ?? {}) };
  const filter: InstanceFilter = {};
  let ids = a.instanceIds;
  let az = a.az ? [a.az] : undefined;
  for (const f of a.filters ?? []) {
    if (f.Name.startsWith('tag:')) tags[f.Name.slice(4)] = f.Values;
    else if (f.Name === 'instance-state-name') filter.states = f.Values as InstanceState[];
    else if (f.Name === 'availability-zone') az = f.Values;
    else ids = [...(ids ?? []), ...f.Values];
  }
  if (Object.keys(tags).length > 0) filter.tags = tags;
  if (ids) filter.ids = ids;
  return az ? { filter, az } : { filter };
}

async function resolveInstances(a: InstanceArgs, ctx: ActivityContext, states: InstanceState[]): Promise<{ compute: ComputePort; account: string; chosen: InstanceInfo[] }> {
  const compute = await ctx.ports.get('compute');
  const account = await requireAwsAccount(compute, ctx.policy, ctx.signal);
  const { filter, az } = toFilter(a);
  filter.states ??= states;
  const found = (await compute.describeInstances(a.region, filter, { signal: ctx.signal })).filter((i) => !az || az.some((z) => z === i.availabilityZone));
  const what = [a.tags ? `tags ${JSON.stringify(a.tags)}` : '', a.instanceIds ? `ids ${a.instanceIds.join(', ')}` : '', a.filters ? 'filters' : '', a.az ? `az ${a.az}` : ''].filter(Boolean).join(', ');
  const chosen = chooseTargets(
    found.map((i) => ({ id: i.id, labels: i.tags, info: i })),
    a,
    { policy: ctx.policy, random: ctx.random, field: a.tags ? 'tags' : a.instanceIds ? 'instanceIds' : 'filters', what: `${filter.states.join('/')} instances`, selector: `${what} in ${a.region} (account ${account})`, claim: ctx.claimTargets },
  );
  return { compute, account, chosen: chosen.chosen.map((c) => c.info) };
}

function instancePlan(a: InstanceArgs, chosen: InstanceInfo[], account: string, verb: string, undo: string): ActivityPlan {
  return {
    targets: chosen.map((i) => ({ kind: 'instance', id: i.id, detail: `${i.state}${i.availabilityZone ? ` in ${i.availabilityZone}` : ''}${i.autoScalingGroup ? `, group ${i.autoScalingGroup}` : ''}` })),
    does: `${verb} ${describeMode(a)} of the matching instances in ${a.region} (account ${account})`,
    undo,
  };
}

export const ec2Stop: ActionDefinition<InstanceArgs> = {
  type: 'aws.ec2-stop',
  summary: 'Stop EC2 instances chosen by tags; the undo starts them again',
  args: InstanceArgs,
  async plan(a, ctx) {
    const { account, chosen } = await resolveInstances(a, ctx, ['running']);
    return instancePlan(a, chosen, account, 'stop', 'start the stopped instances again');
  },
  async run(a, ctx) {
    const { compute, chosen } = await resolveInstances(a, ctx, ['running']);
    const ids = chosen.map((i) => i.id);
    if (ids.length === 0) return { stopped: [] };
    await compute.stopInstances(a.region, ids, { signal: ctx.signal });
    ctx.inject({
      description: `instances ${ids.join(', ')} stopped (${a.region})`,
      manualUndo: `aws ec2 start-instances --region ${a.region} --instance-ids ${ids.join(' ')}`,
      async undo(u) {
        const c = await u.ports.get('compute');
        await c.startInstances(a.region, ids, { signal: u.signal });
      },
    });
    if (a.force) ctx.log('aws.ec2-stop', { note: 'force: true is accepted for chaostoolkit compatibility; the stop is a normal stop' });
    return { stopped: ids };
  },
};

export const ec2Terminate: ActionDefinition<InstanceArgs> = {
  type: 'aws.ec2-terminate',
  summary: 'Terminate EC2 instances chosen by tags (cannot be undone)',
  args: InstanceArgs,
  async plan(a, ctx) {
    const { account, chosen } = await resolveInstances(a, ctx, ['running', 'stopped']);
    return instancePlan(a, chosen, account, 'TERMINATE', 'cannot be undone: terminated instances are gone (an Auto Scaling group may replace its own)');
  },
  async run(a, ctx) {
    const { compute, chosen } = await resolveInstances(a, ctx, ['running', 'stopped']);
    const ids = chosen.map((i) => i.id);
    if (ids.length > 0) await compute.terminateInstances(a.region, ids, { signal: ctx.signal });
    return { terminated: ids };
  },
};

/** Group tags: a map (key → value or values), or chaostoolkit's list of {Key, Value} (every pair must match). */
const groupTags = z.union([tagValues, z.array(z.strictObject({ Key: z.string().min(1), Value: z.string() })).min(1)]);
type GroupTags = z.infer<typeof groupTags>;
const tagMap = (t: GroupTags): Record<string, string | string[]> => (Array.isArray(t) ? Object.fromEntries(t.map((p) => [p.Key, p.Value])) : t);

const GroupArgs = z
  .strictObject({
    region,
    /** The groups by name ... */
    asgNames: z.array(z.string().min(1)).min(1).optional(),
    /** ... or by the tags they carry (every key must match). */
    tags: groupTags.optional(),
    az: z.string().optional(),
    ...selectionFields,
    /** Lower the desired capacity too (the group does not replace the instance); the undo restores it. */
    decrementDesired: z.boolean().default(false),
  })
  .superRefine((a, ctx) => {
    if (a.asgNames === undefined && a.tags === undefined) ctx.addIssue(issueAt(['asgNames'], 'choose the groups by asgNames or by tags'));
    if (a.asgNames !== undefined && a.tags !== undefined) ctx.addIssue(issueAt(['tags'], 'give asgNames or tags, not both'));
    if (Array.isArray(a.tags)) {
      const seen = new Map<string, string>();
      for (const [i, t] of a.tags.entries()) {
        if (seen.has(t.Key) && seen.get(t.Key) !== t.Value) ctx.addIssue(issueAt(['tags', i, 'Key'], `tag ${t.Key} is given twice with different values; a group carries one value per key`));
        seen.set(t.Key, t.Value);
      }
    }
  })
  .transform(
    ({ tags, ...rest }): typeof rest & { tags?: Record<string, string | string[]> } =>
      // Stryker disable next-line ConditionalExpression: `false` is equivalent (tagMap(undefined) is undefined; a tags key holding undefined reads as no tags everywhere); `true` drops the tags and fails test/unit/core/chaos/faults-aws*.test.ts
      tags === undefined ? rest : { ...rest, tags: tagMap(tags) },
  );
export type GroupArgs = z.infer<typeof GroupArgs>;

const groupsWanted = (a: GroupArgs) => (a.asgNames ? `groups ${a.asgNames.join(', ')}` : `groups tagged ${Object.entries(a.tags ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(', ')}`);

async function findGroups(a: GroupArgs, compute: ComputePort, account: string, signal: AbortSignal): Promise<AutoScalingGroupInfo[]> {
  if (a.tags) {
    const groups = await compute.findGroupsByTags(a.region, a.tags, { signal });
    if (groups.length === 0 && !a.allowEmpty) {
      // Stryker disable next-line StringLiteral: equivalent, the schema refuses an empty tag map or list, so there is always a first key
      const firstKey = Object.keys(a.tags)[0] ?? 'KEY';
      throw new InputError(`tags: no Auto Scaling group in ${a.region} (account ${account}) carries ${JSON.stringify(a.tags)}`, {
        field: 'tags',
        suggestions: [`check the tags: aws autoscaling describe-auto-scaling-groups --region ${a.region} --filters Name=tag-key,Values=${firstKey}`, 'or set allowEmpty: true to let the action do nothing'],
      });
    }
    return groups;
  }
  // Stryker disable next-line ArrayDeclaration: equivalent, the schema requires asgNames whenever tags are absent
  const names = a.asgNames ?? [];
  const groups = await compute.describeGroups(a.region, names, { signal });
  const missing = names.filter((n) => !groups.some((g) => g.name === n));
  if (missing.length > 0) throw new InputError(`asgNames: no Auto Scaling group ${missing.join(', ')} in ${a.region} (account ${account})`, { field: 'asgNames', suggestions: [`check the names: aws autoscaling describe-auto-scaling-groups --region ${a.region}`] });
  return groups;
}

async function resolveGroupInstances(a: GroupArgs, ctx: ActivityContext) {
  const compute = await ctx.ports.get('compute');
  const account = await requireAwsAccount(compute, ctx.policy, ctx.signal);
  const groups = await findGroups(a, compute, account, ctx.signal);
  const candidates = groups.flatMap((g) =>
    g.instances.filter((i) => i.lifecycleState === 'InService' && (!a.az || i.availabilityZone === a.az)).map((i) => ({ id: i.id, labels: {}, group: g.name, desired: g.desired, min: g.min })),
  );
  const chosen = chooseTargets(candidates, a, { policy: ctx.policy, random: ctx.random, field: a.tags ? 'tags' : 'asgNames', what: 'InService instances', selector: `${groupsWanted(a)} in ${a.region}`, claim: ctx.claimTargets });
  if (a.decrementDesired) {
    for (const g of groups) {
      const n = chosen.chosen.filter((c) => c.group === g.name).length;
      if (g.desired - n < g.min) throw new InputError(`decrementDesired: group ${g.name} would go below its minimum (${g.desired} - ${n} < ${g.min})`, { field: 'decrementDesired', suggestions: ['choose fewer instances, or leave decrementDesired false so the group replaces them'] });
    }
  }
  return { compute, account, groups, chosen: chosen.chosen };
}

export const asgTerminate: ActionDefinition<GroupArgs> = {
  type: 'aws.asg-terminate',
  summary: 'Terminate instances of Auto Scaling groups (the group replaces them)',
  args: GroupArgs,
  async plan(a, ctx) {
    const { account, groups, chosen } = await resolveGroupInstances(a, ctx);
    return {
      targets: chosen.map((c) => ({ kind: 'instance', id: c.id, detail: `group ${c.group}` })),
      does: `terminate ${describeMode(a)} of the InService instances of ${groupsWanted(a)} (${groups.map((g) => g.name).join(', ') || 'none found'}) in ${a.region} (account ${account})${a.decrementDesired ? ', lowering desired capacity' : ''}`,
      undo: a.decrementDesired ? 'restore each group’s desired capacity (the instances themselves are gone)' : 'nothing to undo: the groups launch replacements',
    };
  },
  async run(a, ctx) {
    const { compute, groups, chosen } = await resolveGroupInstances(a, ctx);
    for (const c of chosen) {
      await compute.terminateInstanceInGroup(a.region, c.id, a.decrementDesired, { signal: ctx.signal });
      if (a.decrementDesired) {
        const original = groups.find((g) => g.name === c.group)?.desired as number;
        ctx.inject({
          description: `group ${c.group}: instance ${c.id} terminated, desired capacity lowered`,
          manualUndo: `aws autoscaling set-desired-capacity --region ${a.region} --auto-scaling-group-name ${c.group} --desired-capacity ${original}`,
          async undo(u) {
            const comp = await u.ports.get('compute');
            await comp.setDesiredCapacity(a.region, c.group, original, { signal: u.signal });
          },
        });
      }
    }
    return { terminated: chosen.map((c) => ({ instance: c.id, group: c.group })) };
  },
};

const SuspendArgs = z.strictObject({
  region,
  asgName: z.string().min(1),
  /** Scaling processes to suspend (Launch, Terminate, HealthCheck, ...); omitted: all. */
  processes: z.array(z.string().min(1)).min(1).optional(),
});
export type SuspendArgs = z.infer<typeof SuspendArgs>;

async function resolveGroup(a: SuspendArgs, ctx: ActivityContext) {
  const compute = await ctx.ports.get('compute');
  const account = await requireAwsAccount(compute, ctx.policy, ctx.signal);
  const [group] = await compute.describeGroups(a.region, [a.asgName], { signal: ctx.signal });
  if (!group) throw new InputError(`asgName: no Auto Scaling group ${a.asgName} in ${a.region} (account ${account})`, { field: 'asgName', suggestions: [`check the name: aws autoscaling describe-auto-scaling-groups --region ${a.region}`] });
  return { compute, account, group };
}

export const asgSuspend: ActionDefinition<SuspendArgs> = {
  type: 'aws.asg-suspend',
  summary: 'Suspend Auto Scaling processes of a group; the undo resumes the ones it suspended',
  args: SuspendArgs,
  async plan(a, ctx) {
    const { account, group } = await resolveGroup(a, ctx);
    return {
      targets: [{ kind: 'asg', id: group.name, detail: group.suspendedProcesses.length > 0 ? `already suspended: ${group.suspendedProcesses.join(', ')}` : 'no process suspended' }],
      does: `suspend ${a.processes?.join(', ') ?? 'all scaling processes'} of ${a.asgName} in ${a.region} (account ${account})`,
      undo: 'resume the processes this action suspended (ones already suspended stay so)',
    };
  },
  async run(a, ctx) {
    const { compute, group } = await resolveGroup(a, ctx);
    const already = new Set(group.suspendedProcesses);
    await compute.suspendProcesses(a.region, a.asgName, a.processes, { signal: ctx.signal });
    const [after] = await compute.describeGroups(a.region, [a.asgName], { signal: ctx.signal });
    const suspended = (after?.suspendedProcesses ?? a.processes ?? []).filter((p) => !already.has(p));
    if (suspended.length > 0) {
      ctx.inject({
        description: `group ${a.asgName}: processes ${suspended.join(', ')} suspended (${a.region})`,
        manualUndo: `aws autoscaling resume-processes --region ${a.region} --auto-scaling-group-name ${a.asgName} --scaling-processes ${suspended.join(' ')}`,
        async undo(u) {
          const c = await u.ports.get('compute');
          await c.resumeProcesses(a.region, a.asgName, suspended, { signal: u.signal });
        },
      });
    }
    return { group: a.asgName, suspended };
  },
};

const FisArgs = z.strictObject({
  region,
  templateId: z.string().regex(/^EXT[A-Za-z0-9]+$/, { message: 'expected an FIS experiment template id such as EXT1a2b3c4d' }),
  pollInterval: durationMs('5s').default(5_000),
  /** Stop the experiment and fail if it has not ended by then. */
  timeout: durationMs('30m').default(1_800_000),
  /** Wait for the experiment to end (default); false returns once it runs (the undo still stops it). */
  wait: z.boolean().default(true),
  tags: z.record(z.string(), z.string()).optional(),
});
export type FisArgs = z.infer<typeof FisArgs>;

const ENDED = new Set(['completed', 'stopped', 'failed', 'cancelled']);

export const fisExperiment: ActionDefinition<FisArgs> = {
  type: 'aws.fis-experiment',
  summary: 'Start an AWS FIS experiment template, poll it until it ends; the undo (and an abort) stops it',
  args: FisArgs,
  async plan(a, ctx) {
    const account = await requireAwsAccount(await ctx.ports.get('compute'), ctx.policy, ctx.signal);
    return {
      targets: [{ kind: 'experiment-template', id: a.templateId, detail: a.region }],
      does: `start FIS experiment template ${a.templateId} in ${a.region} (account ${account})${a.wait ? `, poll every ${ms(a.pollInterval)} until it ends (at most ${ms(a.timeout)})` : ''}`,
      undo: 'stop the experiment if it is still running',
    };
  },
  async run(a, ctx) {
    await requireAwsAccount(await ctx.ports.get('compute'), ctx.policy, ctx.signal);
    const fis = await ctx.ports.get('experiments');
    let exp: ManagedExperiment = await fis.start(a.region, a.templateId, { signal: ctx.signal, tags: { 'relia:chaos': 'true', ...(a.tags ?? {}) } });
    const id = exp.id;
    ctx.inject({
      description: `FIS experiment ${id} (template ${a.templateId}, ${a.region})`,
      manualUndo: `aws fis stop-experiment --region ${a.region} --id ${id}`,
      async undo(u) {
        const f = await u.ports.get('experiments');
        const now = await f.get(a.region, id, { signal: u.signal });
        if (now && !ENDED.has(now.state)) await f.stop(a.region, id, { signal: u.signal });
      },
    });
    ctx.log('aws.fis-started', { id, templateId: a.templateId });
    if (!a.wait) return { id, state: exp.state };
    const deadline = ctx.clock.now() + a.timeout;
    while (!ENDED.has(exp.state)) {
      if (ctx.clock.now() >= deadline) {
        await fis.stop(a.region, id, { signal: ctx.signal });
        throw new DependencyError('fis', `FIS experiment ${id} still ${exp.state} after ${ms(a.timeout)}: stopped`, { suggestions: ['raise timeout, or check the experiment in the FIS console'] });
      }
      await ctx.clock.sleep(a.pollInterval, ctx.signal);
      const next = await fis.get(a.region, id, { signal: ctx.signal });
      if (next === null) throw new DependencyError('fis', `FIS experiment ${id} disappeared while running`, { suggestions: ['check the experiment in the FIS console'] });
      exp = next;
    }
    if (exp.state !== 'completed') {
      throw new DependencyError('fis', `FIS experiment ${id} ended ${exp.state}${exp.reason ? `: ${exp.reason}` : ''}`, { suggestions: ['read the experiment’s log in the FIS console'] });
    }
    return { id, state: exp.state };
  },
};

const AlarmArgs = z.strictObject({ region, name: z.string().min(1) });
export type AlarmArgs = z.infer<typeof AlarmArgs>;

export const alarmState: ProbeDefinition<AlarmArgs> = {
  type: 'aws.alarm-state',
  summary: 'The state of a CloudWatch alarm: OK, ALARM or INSUFFICIENT_DATA',
  args: AlarmArgs,
  plan: async (a) => ({ targets: [{ kind: 'alarm', id: a.name, detail: a.region }], does: `read alarm ${a.name} in ${a.region}`, undo: 'nothing to undo' }),
  async run(a, ctx) {
    const alarms = await ctx.ports.get('alarms');
    const [alarm] = await alarms.describeAlarms(a.region, [a.name], { signal: ctx.signal });
    if (!alarm) throw new InputError(`name: no CloudWatch alarm ${a.name} in ${a.region}`, { field: 'name', suggestions: [`check the name: aws cloudwatch describe-alarms --region ${a.region} --alarm-names ${a.name}`] });
    return alarm.state;
  },
};

export const awsActions = [ec2Stop, ec2Terminate, asgTerminate, asgSuspend, fisExperiment] as ActionDefinition<unknown>[];
