/**
 * The compute port: instances and auto-scaling groups (AWS EC2 and Auto
 * Scaling; anything shaped like them), plus the caller's identity so that
 * destructive actions can be limited to allowed accounts.
 *
 * Every call names its region; an adapter keeps one client per region.
 * Semantics the contract suite pins:
 * - describe* of unknown ids or names omits them (never throws for absence);
 *   `describeGroups` with no names lists every group of the region;
 * - a write naming an unknown instance or group raises InputError (exit 2)
 *   naming it, dry run or not;
 * - stop/start/terminate of an instance already in the wanted state succeeds;
 * - `dryRun` checks permissions and existence and changes nothing (EC2's
 *   DryRunOperation counts as success);
 * - transport, throttling after retries, and authorisation failures raise
 *   DependencyError (exit 3) naming the call and the region.
 */

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export interface InstanceInfo {
  id: string;
  region: string;
  state: InstanceState;
  availabilityZone?: string;
  tags: Record<string, string>;
  /** The aws:autoscaling:groupName tag, when the instance belongs to a group. */
  autoScalingGroup?: string;
}

export interface InstanceFilter {
  ids?: string[];
  /** Tag key → accepted values (any of them). */
  tags?: Record<string, string | string[]>;
  states?: InstanceState[];
}

export interface GroupInstance {
  id: string;
  /** InService, Pending, Terminating, Standby, ... */
  lifecycleState: string;
  /** Healthy or Unhealthy. */
  healthStatus: string;
  availabilityZone?: string;
}

export interface AutoScalingGroupInfo {
  name: string;
  region: string;
  desired: number;
  min: number;
  max: number;
  instances: GroupInstance[];
  /** Names of suspended scaling processes. */
  suspendedProcesses: string[];
  /** The group's own tags (key → value). */
  tags: Record<string, string>;
}

export interface ComputeCallOptions {
  signal?: AbortSignal;
}

export interface ComputeWriteOptions extends ComputeCallOptions {
  dryRun?: boolean;
}

export interface CallerIdentity {
  account: string;
  arn: string;
}

export interface ComputePort {
  readonly kind: string;
  /** STS GetCallerIdentity: checked against chaos.allow.awsAccounts. */
  callerIdentity(options?: ComputeCallOptions): Promise<CallerIdentity>;
  describeInstances(region: string, filter: InstanceFilter, options?: ComputeCallOptions): Promise<InstanceInfo[]>;
  stopInstances(region: string, ids: string[], options?: ComputeWriteOptions): Promise<void>;
  startInstances(region: string, ids: string[], options?: ComputeWriteOptions): Promise<void>;
  terminateInstances(region: string, ids: string[], options?: ComputeWriteOptions): Promise<void>;
  describeGroups(region: string, names: string[], options?: ComputeCallOptions): Promise<AutoScalingGroupInfo[]>;
  /**
   * The groups of the region that carry every given tag (key → accepted
   * values, any of them), sorted by name; none is []. An empty `tags` is
   * InputError: it would select every group.
   */
  findGroupsByTags(region: string, tags: Record<string, string | string[]>, options?: ComputeCallOptions): Promise<AutoScalingGroupInfo[]>;
  /** Never changes min or max: a desired capacity outside [min, max] raises InputError naming the group (the core checks first). */
  setDesiredCapacity(region: string, name: string, desired: number, options?: ComputeWriteOptions): Promise<void>;
  terminateInstanceInGroup(region: string, instanceId: string, decrementDesired: boolean, options?: ComputeWriteOptions): Promise<void>;
  /** No `processes`: all of them. */
  suspendProcesses(region: string, name: string, processes?: string[], options?: ComputeWriteOptions): Promise<void>;
  resumeProcesses(region: string, name: string, processes?: string[], options?: ComputeWriteOptions): Promise<void>;
  close(): Promise<void>;
}
