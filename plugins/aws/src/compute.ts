/**
 * ComputePort over EC2, Auto Scaling and STS (aws-sdk v3). One client of each
 * per region. Dry runs: EC2's DryRun (DryRunOperation = success) after a
 * describe that proves the ids exist (moto answers DryRunOperation for any
 * id); Auto Scaling has no dry run, so there it is a describe-and-validate.
 */
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  ResumeProcessesCommand,
  SetDesiredCapacityCommand,
  SuspendProcessesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand, type Filter, type Instance } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type {
  AutoScalingGroupInfo,
  CallerIdentity,
  ComputeCallOptions,
  ComputePort,
  ComputeWriteOptions,
  InstanceFilter,
  InstanceInfo,
  InstanceState,
} from '../../../src/ports/compute.js';
import type { AwsProviderSettings, PluginKit } from '../../../src/ports/providers.js';
import { awsCall, chunk, clientConfig, errorName, isNamed, RegionClients, send, signal, type AwsCall, type Recovery } from './common.js';

const GROUP_TAG = 'aws:autoscaling:groupName';
const NOT_FOUND = ['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed'];

export class AwsCompute implements ComputePort {
  readonly kind = 'aws';
  private readonly ec2: RegionClients<EC2Client>;
  private readonly asg: RegionClients<AutoScalingClient>;
  private sts: STSClient | undefined;

  constructor(
    private readonly settings: AwsProviderSettings,
    private readonly kit: PluginKit,
  ) {
    this.ec2 = new RegionClients((region) => new EC2Client(clientConfig(settings, region)));
    this.asg = new RegionClients((region) => new AutoScalingClient(clientConfig(settings, region)));
  }

  private run<T>(where: AwsCall, fn: () => Promise<T>, recover?: (err: unknown) => Recovery<T>): Promise<T> {
    return awsCall(this.kit, where, this.settings.endpoint, fn, recover);
  }

  private input(message: string, field: string, suggestion: string): Error {
    return new this.kit.errors.InputError(message, { field, suggestions: [suggestion] });
  }

  async callerIdentity(options: ComputeCallOptions = {}): Promise<CallerIdentity> {
    this.sts ??= new STSClient(clientConfig(this.settings, this.settings.region ?? 'us-east-1'));
    const sts = this.sts;
    const out = await this.run({ call: 'sts:GetCallerIdentity', region: this.settings.region ?? 'us-east-1', ...signal(options) }, () => sts.send(new GetCallerIdentityCommand({}), send(options)));
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  }

  async describeInstances(region: string, filter: InstanceFilter, options: ComputeCallOptions = {}): Promise<InstanceInfo[]> {
    if (filter.ids?.length === 0) return [];
    const filters: Filter[] = [];
    if (filter.ids) filters.push({ Name: 'instance-id', Values: filter.ids });
    if (filter.states) filters.push({ Name: 'instance-state-name', Values: filter.states });
    for (const [k, v] of Object.entries(filter.tags ?? {})) filters.push({ Name: `tag:${k}`, Values: Array.isArray(v) ? v : [v] });
    const client = this.ec2.get(region);
    const out: InstanceInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.run({ call: 'ec2:DescribeInstances', region, ...signal(options) }, () =>
        client.send(new DescribeInstancesCommand({ Filters: filters.length > 0 ? filters : undefined, NextToken: token, MaxResults: 1000 }), send(options)),
      );
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) out.push(instanceInfo(region, i));
      token = page.NextToken;
    } while (token);
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  private async instanceChange(call: string, region: string, ids: string[], options: ComputeWriteOptions, send1: (client: EC2Client, dryRun: boolean) => Promise<unknown>): Promise<void> {
    if (ids.length === 0) return;
    if (options.dryRun) {
      const found = new Set((await this.describeInstances(region, { ids }, options)).map((i) => i.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) throw this.input(`${call} in ${region}: no such instance ${missing.join(', ')}`, 'instances', `check the instance ids and the region (${region})`);
    }
    const client = this.ec2.get(region);
    await this.run({ call, region, ...signal(options) }, () => send1(client, options.dryRun === true), (err) => {
      if (isNamed(err, 'DryRunOperation')) return { value: undefined };
      if (isNamed(err, ...NOT_FOUND)) return this.input(`${call} in ${region}: no such instance ${idsIn(err, ids)} (${errorName(err)})`, 'instances', `check the instance ids and the region (${region})`);
      if (isNamed(err, 'IncorrectInstanceState', 'UnsupportedOperation')) return this.input(`${call} in ${region}: ${(err as Error).message}`, 'instances', 'leave terminated or transitioning instances out of the selection');
      return undefined;
    });
  }

  async stopInstances(region: string, ids: string[], options: ComputeWriteOptions = {}): Promise<void> {
    await this.instanceChange('ec2:StopInstances', region, ids, options, (c, dryRun) => c.send(new StopInstancesCommand({ InstanceIds: ids, DryRun: dryRun }), send(options)));
  }

  async startInstances(region: string, ids: string[], options: ComputeWriteOptions = {}): Promise<void> {
    await this.instanceChange('ec2:StartInstances', region, ids, options, (c, dryRun) => c.send(new StartInstancesCommand({ InstanceIds: ids, DryRun: dryRun }), send(options)));
  }

  async terminateInstances(region: string, ids: string[], options: ComputeWriteOptions = {}): Promise<void> {
    await this.instanceChange('ec2:TerminateInstances', region, ids, options, (c, dryRun) => c.send(new TerminateInstancesCommand({ InstanceIds: ids, DryRun: dryRun }), send(options)));
  }

  async describeGroups(region: string, names: string[], options: ComputeCallOptions = {}): Promise<AutoScalingGroupInfo[]> {
    // The API takes at most 100 names per call.
    const batches = names.length === 0 ? [undefined] : chunk(names, 100);
    const out: AutoScalingGroupInfo[] = [];
    for (const batch of batches) out.push(...(await this.groupPages(region, { AutoScalingGroupNames: batch }, options)));
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async findGroupsByTags(region: string, tags: Record<string, string | string[]>, options: ComputeCallOptions = {}): Promise<AutoScalingGroupInfo[]> {
    const filters = Object.entries(tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: Array.isArray(v) ? v : [v] }));
    if (filters.length === 0) throw this.input('autoscaling:DescribeAutoScalingGroups: no tags to find groups by', 'tags', 'give at least one tag, or name the groups');
    // Filters are ANDed across tag keys by the API; the check below keeps that promise whatever the endpoint does.
    const found = await this.groupPages(region, { Filters: filters }, options);
    const carries = (g: AutoScalingGroupInfo) => Object.entries(tags).every(([k, v]) => g.tags[k] !== undefined && (Array.isArray(v) ? v : [v]).includes(g.tags[k]));
    return found.filter(carries).sort((a, b) => a.name.localeCompare(b.name));
  }

  private async groupPages(region: string, input: { AutoScalingGroupNames?: string[] | undefined; Filters?: Array<{ Name: string; Values: string[] }> }, options: ComputeCallOptions): Promise<AutoScalingGroupInfo[]> {
    const client = this.asg.get(region);
    const out: AutoScalingGroupInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.run({ call: 'autoscaling:DescribeAutoScalingGroups', region, ...signal(options) }, () =>
        client.send(new DescribeAutoScalingGroupsCommand({ ...input, NextToken: token }), send(options)),
      );
      for (const g of page.AutoScalingGroups ?? []) out.push(groupInfo(region, g));
      token = page.NextToken;
    } while (token);
    return out;
  }

  private async group(call: string, region: string, name: string, options: ComputeCallOptions): Promise<AutoScalingGroupInfo> {
    const [g] = await this.describeGroups(region, [name], options);
    if (!g) throw this.input(`${call}: no Auto Scaling group ${name} in ${region}`, 'group', `check the group name and its region: aws autoscaling describe-auto-scaling-groups --region ${region}`);
    return g;
  }

  async setDesiredCapacity(region: string, name: string, desired: number, options: ComputeWriteOptions = {}): Promise<void> {
    const call = 'autoscaling:SetDesiredCapacity';
    const g = await this.group(call, region, name, options);
    if (!Number.isInteger(desired) || desired < g.min || desired > g.max) {
      throw new this.kit.errors.InputError(`${call}: desired capacity ${desired} of group ${name} is outside [${g.min}, ${g.max}]`, {
        field: 'desired',
        suggestions: [`keep the desired capacity of ${name} between its min (${g.min}) and max (${g.max})`],
      });
    }
    if (options.dryRun) return;
    const client = this.asg.get(region);
    await this.run({ call, region, ...signal(options) }, () => client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: desired, HonorCooldown: false }), send(options)), (err) =>
      isNamed(err, 'ValidationError') ? this.input(`${call} on ${name} in ${region}: ${(err as Error).message}`, 'desired', `keep the desired capacity of ${name} within its min and max`) : undefined,
    );
  }

  async terminateInstanceInGroup(region: string, instanceId: string, decrementDesired: boolean, options: ComputeWriteOptions = {}): Promise<void> {
    const call = 'autoscaling:TerminateInstanceInAutoScalingGroup';
    const client = this.asg.get(region);
    const found = await this.run({ call: 'autoscaling:DescribeAutoScalingInstances', region, ...signal(options) }, () =>
      client.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }), send(options)),
    );
    const membership = found.AutoScalingInstances?.find((i) => i.InstanceId === instanceId);
    if (!membership?.AutoScalingGroupName) throw this.input(`${call}: instance ${instanceId} is not in an Auto Scaling group in ${region}`, 'instance', 'pick an InService instance from describeGroups');
    if (decrementDesired) {
      const g = await this.group(call, region, membership.AutoScalingGroupName, options);
      if (g.desired - 1 < g.min) {
        throw this.input(`${call}: decrementing ${g.name} would take it below its min (${g.min})`, 'desired', 'terminate without decrementing, so the group replaces the instance');
      }
    }
    if (options.dryRun) return;
    await this.run({ call, region, ...signal(options) }, () =>
      client.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: decrementDesired }), send(options)),
    (err) => (isNamed(err, 'ValidationError') ? this.input(`${call} on ${instanceId} in ${region}: ${(err as Error).message}`, 'instance', 'pick an InService instance from describeGroups') : undefined));
  }

  private async processes(call: string, region: string, name: string, processes: string[] | undefined, options: ComputeWriteOptions, suspend: boolean): Promise<void> {
    await this.group(call, region, name, options);
    if (options.dryRun) return;
    const client = this.asg.get(region);
    const input = { AutoScalingGroupName: name, ScalingProcesses: processes };
    await this.run({ call, region, ...signal(options) }, () => client.send(suspend ? new SuspendProcessesCommand(input) : new ResumeProcessesCommand(input), send(options)));
  }

  async suspendProcesses(region: string, name: string, processes?: string[], options: ComputeWriteOptions = {}): Promise<void> {
    await this.processes('autoscaling:SuspendProcesses', region, name, processes, options, true);
  }

  async resumeProcesses(region: string, name: string, processes?: string[], options: ComputeWriteOptions = {}): Promise<void> {
    await this.processes('autoscaling:ResumeProcesses', region, name, processes, options, false);
  }

  async close(): Promise<void> {
    this.ec2.close();
    this.asg.close();
    this.sts?.destroy();
  }
}

export async function createAwsCompute(settings: AwsProviderSettings, kit: PluginKit): Promise<ComputePort> {
  return new AwsCompute(settings, kit);
}

function idsIn(err: unknown, ids: string[]): string {
  const message = String((err as Error).message ?? '');
  const named = ids.filter((id) => message.includes(id));
  return (named.length > 0 ? named : ids).join(', ');
}

function instanceInfo(region: string, i: Instance): InstanceInfo {
  const tags = Object.fromEntries((i.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key as string, t.Value ?? '']));
  const info: InstanceInfo = { id: i.InstanceId ?? '', region, state: (i.State?.Name ?? 'pending') as InstanceState, tags };
  if (i.Placement?.AvailabilityZone) info.availabilityZone = i.Placement.AvailabilityZone;
  if (tags[GROUP_TAG]) info.autoScalingGroup = tags[GROUP_TAG];
  return info;
}

function groupInfo(region: string, g: AutoScalingGroup): AutoScalingGroupInfo {
  return {
    name: g.AutoScalingGroupName ?? '',
    region,
    desired: g.DesiredCapacity ?? 0,
    min: g.MinSize ?? 0,
    max: g.MaxSize ?? 0,
    instances: (g.Instances ?? []).map((i) => ({
      id: i.InstanceId ?? '',
      lifecycleState: String(i.LifecycleState ?? ''),
      healthStatus: i.HealthStatus ?? '',
      ...(i.AvailabilityZone ? { availabilityZone: i.AvailabilityZone } : {}),
    })),
    suspendedProcesses: (g.SuspendedProcesses ?? []).map((p) => p.ProcessName ?? '').filter((p) => p !== '').sort(),
    tags: Object.fromEntries((g.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key as string, t.Value ?? ''])),
  };
}
