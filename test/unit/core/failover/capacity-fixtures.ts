/**
 * A two-region failover plan (us-east, eu-west: the region names of the
 * capacity family's streaming example) for the capacity tests, the ports they
 * need, and a wrapper on the compute fake for ASGs whose instances are not
 * all InService and Healthy (the fake's always are).
 */
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { MemoryDns } from '../../../fakes/memory-dns.js';
import { parseFailoverPlan, type CapacityRef, type FailoverPlan } from '../../../../src/core/failover/plan-schema.js';
import type { FailoverPorts } from '../../../../src/core/failover/ports.js';
import type { AutoScalingGroupInfo, ComputeCallOptions } from '../../../../src/ports/compute.js';
import { VirtualClock } from './world.js';

/** The compute fake, with the lifecycle and health of a group's instances set by the test, in instance order. */
export class MixedStateCompute extends MemoryCompute {
  readonly states = new Map<string, Array<[lifecycle: string, health: string]>>();

  override async describeGroups(region: string, names: string[], options?: ComputeCallOptions): Promise<AutoScalingGroupInfo[]> {
    const groups = await super.describeGroups(region, names, options);
    return groups.map((g) => {
      const s = this.states.get(g.name);
      return s ? { ...g, instances: g.instances.map((i, k) => ({ ...i, lifecycleState: s[k]![0], healthStatus: s[k]![1] })) } : g;
    });
  }
}

/** `source` and `target`: the capacity lists of us-east and eu-west; `capacity`: the plan's capacity line, if any. */
export const capacityPlanText = (source: string, target: string, capacity = ''): string => `name: stream
dns: { zone: example.com., record: api.example.com. }
regions:
  us-east: { setIdentifier: use, capacity: ${source} }
  eu-west: { setIdentifier: euw, capacity: ${target} }
${capacity}`;

/** The plan of capacityPlanText, as read from stream.yaml. */
export const capacityPlan = (source: string, target: string, capacity = ''): FailoverPlan => parseFailoverPlan(capacityPlanText(source, target, capacity), 'stream.yaml');

/** A deployment entry in the kube context `euw`. */
export const DEPLOYMENT = '{ kubernetes: { context: euw, namespace: web, deployment: api } }';

export const entry = (p: FailoverPlan, region: string, i = 0): CapacityRef => p.regions[region]!.capacity[i]!;

/** Ports with the given compute and clusters (by kube context; `undefined` is the current one), and a virtual clock. */
export function capacityPorts(compute?: MemoryCompute, clusters?: Record<string, MemoryCluster>): FailoverPorts & { clock: VirtualClock } {
  const cluster = clusters ? { cluster: async (ctx: string | undefined) => clusters[ctx ?? ''] ?? new MemoryCluster() } : {};
  return { dns: new MemoryDns(), clock: new VirtualClock(), ...(compute ? { compute } : {}), ...cluster };
}
