/**
 * In-memory ComputePort (EC2 + Auto Scaling + STS) for core tests. It passes
 * the same contract suite as the AWS adapter on moto
 * (test/contract/compute.contract.test.ts). State changes are immediate
 * (stop → stopped, as on moto); groups launch and remove InService instances
 * at once when their desired capacity changes; dryRun checks existence and
 * changes nothing. Unknown ids in a write are an InputError naming them, as
 * EC2's InvalidInstanceID.NotFound is in the adapter.
 */
import { DependencyError, InputError } from '../../src/core/errors.js';
import type {
  AutoScalingGroupInfo,
  CallerIdentity,
  ComputeCallOptions,
  ComputePort,
  ComputeWriteOptions,
  InstanceFilter,
  InstanceInfo,
  InstanceState,
} from '../../src/ports/compute.js';

/** Every Auto Scaling process; suspend/resume with no list means all of them. */
export const SCALING_PROCESSES = ['Launch', 'Terminate', 'AddToLoadBalancer', 'AlarmNotification', 'AZRebalance', 'HealthCheck', 'InstanceRefresh', 'ReplaceUnhealthy', 'ScheduledActions'];

export interface GroupSeed {
  name: string;
  region: string;
  min: number;
  max: number;
  desired: number;
  availabilityZones?: string[];
  tags?: Record<string, string>;
}

interface Group {
  seed: Required<GroupSeed>;
  desired: number;
  suspended: Set<string>;
}

export class MemoryCompute implements ComputePort {
  readonly kind = 'memory-compute';
  readonly calls: string[] = [];
  private readonly instances = new Map<string, InstanceInfo>();
  private readonly groups = new Map<string, Group>();
  private counter = 0;
  /** Set to make every call fail as an unreachable endpoint would. */
  unreachable = false;

  constructor(private readonly identity: CallerIdentity = { account: '123456789012', arn: 'arn:aws:sts::123456789012:user/moto' }) {}

  // ---- seeding -------------------------------------------------------------

  addInstance(seed: Partial<InstanceInfo> & { region: string }): InstanceInfo {
    const inst: InstanceInfo = { id: this.nextId(), state: 'running', availabilityZone: `${seed.region}a`, tags: {}, ...seed };
    if (inst.autoScalingGroup) inst.tags = { ...inst.tags, 'aws:autoscaling:groupName': inst.autoScalingGroup };
    this.instances.set(inst.id, inst);
    return { ...inst, tags: { ...inst.tags } };
  }

  /** A group and `desired` InService instances in it. */
  addGroup(seed: GroupSeed): void {
    const full: Required<GroupSeed> = { availabilityZones: [`${seed.region}a`], tags: {}, ...seed };
    this.groups.set(gkey(seed.region, seed.name), { seed: full, desired: 0, suspended: new Set() });
    this.resize(seed.region, seed.name, seed.desired);
  }

  /** The state of an instance, as tests see it (undefined when unknown). */
  instance(id: string): InstanceInfo | undefined {
    return this.instances.get(id);
  }

  private nextId(): string {
    return `i-${(++this.counter).toString(16).padStart(17, '0')}`;
  }

  private groupInstances(region: string, name: string): InstanceInfo[] {
    return [...this.instances.values()].filter((i) => i.region === region && i.autoScalingGroup === name && i.state !== 'terminated');
  }

  private resize(region: string, name: string, desired: number): void {
    const g = this.groups.get(gkey(region, name))!;
    g.desired = desired;
    const current = this.groupInstances(region, name);
    for (let i = current.length; i < desired; i++) {
      const az = g.seed.availabilityZones[i % g.seed.availabilityZones.length]!;
      this.addInstance({ region, availabilityZone: az, autoScalingGroup: name, tags: { ...g.seed.tags } });
    }
    for (const extra of current.slice(desired)) extra.state = 'terminated';
  }

  // ---- the port ------------------------------------------------------------

  private enter(call: string, region: string, options?: ComputeCallOptions): void {
    options?.signal?.throwIfAborted();
    this.calls.push(`${call} ${region}`);
    if (this.unreachable) {
      throw new DependencyError('aws', `${call} in ${region} failed: connect ECONNREFUSED`, { suggestions: ['check the AWS endpoint and network, then retry'] });
    }
  }

  async callerIdentity(options?: ComputeCallOptions): Promise<CallerIdentity> {
    this.enter('sts:GetCallerIdentity', 'default', options);
    return { ...this.identity };
  }

  async describeInstances(region: string, filter: InstanceFilter, options?: ComputeCallOptions): Promise<InstanceInfo[]> {
    this.enter('ec2:DescribeInstances', region, options);
    return [...this.instances.values()]
      .filter((i) => i.region === region && matchesFilter(i, filter))
      .map((i) => ({ ...i, tags: { ...i.tags } }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  private existing(region: string, ids: string[], call: string): InstanceInfo[] {
    const missing = ids.filter((id) => this.instances.get(id)?.region !== region);
    if (missing.length > 0) {
      throw new InputError(`${call} in ${region}: no such instance ${missing.join(', ')}`, { field: 'instances', suggestions: [`check the instance ids and the region (${region})`] });
    }
    return ids.map((id) => this.instances.get(id)!);
  }

  private transition(call: string, region: string, ids: string[], options: ComputeWriteOptions, to: InstanceState, allowedFrom: (s: InstanceState) => boolean): void {
    this.enter(call, region, options);
    const found = this.existing(region, ids, call);
    const refused = found.filter((i) => i.state !== to && !allowedFrom(i.state));
    if (refused.length > 0) {
      throw new InputError(`${call} in ${region}: ${refused.map((i) => `${i.id} is ${i.state}`).join(', ')}`, { field: 'instances', suggestions: ['leave terminated instances out of the selection'] });
    }
    if (options.dryRun) return;
    for (const i of found) i.state = to;
  }

  async stopInstances(region: string, ids: string[], options: ComputeWriteOptions = {}): Promise<void> {
    this.transition('ec2:StopInstances', region, ids, options, 'stopped', (s) => s !== 'terminated' && s !== 'shutting-down');
  }

  async startInstances(region: string, ids: string[], options: ComputeWriteOptions = {}): Promise<void> {
    this.transition('ec2:StartInstances', region, ids, options, 'running', (s) => s !== 'terminated' && s !== 'shutting-down');
  }

  async terminateInstances(region: string, ids: string[], options: ComputeWriteOptions = {}): Promise<void> {
    this.transition('ec2:TerminateInstances', region, ids, options, 'terminated', () => true);
  }

  async describeGroups(region: string, names: string[], options?: ComputeCallOptions): Promise<AutoScalingGroupInfo[]> {
    this.enter('autoscaling:DescribeAutoScalingGroups', region, options);
    return this.groupInfos(region, (g) => names.length === 0 || names.includes(g.seed.name));
  }

  async findGroupsByTags(region: string, tags: Record<string, string | string[]>, options?: ComputeCallOptions): Promise<AutoScalingGroupInfo[]> {
    this.enter('autoscaling:DescribeAutoScalingGroups', region, options);
    if (Object.keys(tags).length === 0) throw new InputError('autoscaling:DescribeAutoScalingGroups: no tags to find groups by', { field: 'tags', suggestions: ['give at least one tag, or name the groups'] });
    return this.groupInfos(region, (g) => matchesTags(g.seed.tags, tags));
  }

  private groupInfos(region: string, where: (g: Group) => boolean): AutoScalingGroupInfo[] {
    return [...this.groups.values()]
      .filter((g) => g.seed.region === region && where(g))
      .map((g) => ({
        name: g.seed.name,
        region,
        desired: g.desired,
        min: g.seed.min,
        max: g.seed.max,
        instances: this.groupInstances(region, g.seed.name).map((i) => ({
          id: i.id,
          lifecycleState: 'InService',
          healthStatus: 'Healthy',
          ...(i.availabilityZone === undefined ? {} : { availabilityZone: i.availabilityZone }),
        })),
        suspendedProcesses: [...g.suspended].sort(),
        tags: { ...g.seed.tags },
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private group(region: string, name: string, call: string): Group {
    const g = this.groups.get(gkey(region, name));
    if (!g) throw new InputError(`${call}: no Auto Scaling group ${name} in ${region}`, { field: 'group', suggestions: [`check the group name and its region: aws autoscaling describe-auto-scaling-groups --region ${region}`] });
    return g;
  }

  async setDesiredCapacity(region: string, name: string, desired: number, options: ComputeWriteOptions = {}): Promise<void> {
    const call = 'autoscaling:SetDesiredCapacity';
    this.enter(call, region, options);
    const g = this.group(region, name, call);
    if (desired < g.seed.min || desired > g.seed.max) {
      throw new InputError(`${call}: desired capacity ${desired} of group ${name} is outside [${g.seed.min}, ${g.seed.max}]`, {
        field: 'desired',
        suggestions: [`keep the desired capacity of ${name} between its min (${g.seed.min}) and max (${g.seed.max})`],
      });
    }
    if (!options.dryRun) this.resize(region, name, desired);
  }

  async terminateInstanceInGroup(region: string, instanceId: string, decrementDesired: boolean, options: ComputeWriteOptions = {}): Promise<void> {
    const call = 'autoscaling:TerminateInstanceInAutoScalingGroup';
    this.enter(call, region, options);
    const inst = this.instances.get(instanceId);
    if (!inst || inst.region !== region || !inst.autoScalingGroup || inst.state === 'terminated') {
      throw new InputError(`${call}: instance ${instanceId} is not in an Auto Scaling group in ${region}`, { field: 'instance', suggestions: ['pick an InService instance from describeGroups'] });
    }
    const g = this.group(region, inst.autoScalingGroup, call);
    if (decrementDesired && g.desired - 1 < g.seed.min) {
      throw new InputError(`${call}: decrementing ${g.seed.name} would take it below its min (${g.seed.min})`, { field: 'desired', suggestions: ['terminate without decrementing, so the group replaces the instance'] });
    }
    if (options.dryRun) return;
    inst.state = 'terminated';
    this.resize(region, g.seed.name, decrementDesired ? g.desired - 1 : g.desired);
  }

  async suspendProcesses(region: string, name: string, processes?: string[], options: ComputeWriteOptions = {}): Promise<void> {
    const call = 'autoscaling:SuspendProcesses';
    this.enter(call, region, options);
    const g = this.group(region, name, call);
    if (!options.dryRun) for (const p of processes ?? SCALING_PROCESSES) g.suspended.add(p);
  }

  async resumeProcesses(region: string, name: string, processes?: string[], options: ComputeWriteOptions = {}): Promise<void> {
    const call = 'autoscaling:ResumeProcesses';
    this.enter(call, region, options);
    const g = this.group(region, name, call);
    if (!options.dryRun) for (const p of processes ?? SCALING_PROCESSES) g.suspended.delete(p);
  }

  async close(): Promise<void> {}
}

const gkey = (region: string, name: string) => `${region}/${name}`;

function matchesFilter(i: InstanceInfo, f: InstanceFilter): boolean {
  if (f.ids && !f.ids.includes(i.id)) return false;
  if (f.states && !f.states.includes(i.state)) return false;
  return matchesTags(i.tags, f.tags ?? {});
}

/** Every key present with one of its accepted values. */
function matchesTags(have: Record<string, string>, want: Record<string, string | string[]>): boolean {
  for (const [k, v] of Object.entries(want)) {
    const accepted = Array.isArray(v) ? v : [v];
    if (have[k] === undefined || !accepted.includes(have[k])) return false;
  }
  return true;
}
