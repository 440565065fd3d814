// What the target needs (docs/failover.md#capacity), as `relia failover plan`
// prints it: the capacity plan's region-loss sizing (not the tier's binding
// policy), the refusals when the capacity plan lacks the region or the tier,
// ceil(percentToMatch × source) with the source counted by InService
// instances, ready replicas or (ungraceful) its desired size, an unreadable
// source, and a need above an ASG's max.
// Found by mutation testing (docs/testing.md#mutation-testing).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { inputError, rejection } from '../../../helpers/errors.js';
import { computePlan } from '../../../../src/core/capacity/plan.js';
import { parsePlan } from '../../../../src/core/capacity/plan-schema.js';
import { DependencyError, InputError } from '../../../../src/core/errors.js';
import { capacityNeeds, capacityProblems, planNeed } from '../../../../src/core/failover/capacity.js';
import { parseFailoverPlan } from '../../../../src/core/failover/plan-schema.js';
import type { ComputeCallOptions, AutoScalingGroupInfo } from '../../../../src/ports/compute.js';
import { capacityPlan as plan, capacityPlanText, capacityPorts as ports, entry, MixedStateCompute } from './capacity-fixtures.js';

const streaming = readFileSync(new URL('../../../../docs/examples/capacity/streaming-plan.yaml', import.meta.url), 'utf8');
const reportOf = (text: string) => computePlan(parsePlan(text, 'streaming-plan.yaml'));
const WITH_PLAN = 'capacity: { plan: streaming-plan.yaml }';

describe('sizing from a capacity plan', () => {
  // The streaming example's us-east origin tier, by hand: 5% cache misses of 15,000,000 sessions × 3.5 Mbps,
  // half of it in us-east = 1,312.5 Gbps. Losing eu-west (share 0.3) gives us-east 1,312.5 / 0.7 = 1,875 Gbps,
  // at up to 100% of 25 Gbps per instance: 75. Losing one of 3 zones binds instead: 3 × ⌈656.25 / 25⌉ = 81.
  const report = reportOf(streaming);
  const p = plan('[{ asg: origin-use, tier: origin }]', '[{ asg: origin-euw, tier: origin }]', WITH_PLAN);
  const compute = new MemoryCompute();
  compute.addGroup({ name: 'origin-use', region: 'us-east', min: 1, max: 100, desired: 40 });

  it('the need is the region-loss scenario, not the tier’s binding policy', async () => {
    expect(report.regions.find((r) => r.name === 'us-east')!.tiers.find((t) => t.tier === 'origin')).toMatchObject({ instances: 81, binding: 'n-plus-one-zone' });
    const [n] = await capacityNeeds(p, 'eu-west', 'us-east', ports(compute), { ungraceful: false, report });
    expect(n).toMatchObject({ need: 75, desired: 75, source: null, basis: 'capacity plan streaming-plan.yaml: us-east origin sized for region loss' });
  });

  it('a capacity plan that does not survive a region loss: the tier’s binding sizing, and the basis says so', async () => {
    const noLoss = reportOf(streaming.replace('surviveRegionLoss: true', 'surviveRegionLoss: false'));
    const [n] = await capacityNeeds(p, 'eu-west', 'us-east', ports(compute), { ungraceful: false, report: noLoss });
    expect(n).toMatchObject({ need: 81, desired: 81, basis: 'capacity plan streaming-plan.yaml: us-east origin sized for n-plus-one-zone (the capacity plan has no region-loss scenario)' });
  });

  it('a region the capacity plan lacks: exit 2 naming capacity.plan', () => {
    const renamed = reportOf(streaming.replaceAll('eu-west', 'kubernetes-eu'));
    const e = inputError(() => planNeed(renamed, p, 'eu-west', entry(p, 'eu-west')));
    expect(e.message).toBe('stream.yaml: capacity.plan: the capacity plan has no region eu-west');
    expect([e.field, e.file, e.suggestions]).toEqual(['capacity.plan', 'stream.yaml', ["add eu-west to the capacity plan's regions (same names as the failover plan)"]]);
  });

  it('a tier the capacity plan lacks: exit 2 naming the entry’s tier (in a region whose name starts like a kind) and the tiers there are', () => {
    const renamed = reportOf(streaming.replaceAll('eu-west', 'kubernetes-eu'));
    const text = capacityPlanText('[{ asg: origin-use, tier: origin }]', '[{ kubernetes: { namespace: web, deployment: api }, tier: mid }]', WITH_PLAN).replace('eu-west:', 'kubernetes-eu:');
    const k = parseFailoverPlan(text, 'stream.yaml');
    const e = inputError(() => planNeed(renamed, k, 'kubernetes-eu', entry(k, 'kubernetes-eu')));
    expect(e.message).toBe('stream.yaml: regions.kubernetes-eu.capacity[0].tier: the capacity plan has no tier "mid"');
    expect([e.field, e.file, e.suggestions]).toEqual(['regions.kubernetes-eu.capacity[0].tier', 'stream.yaml', ['use one of: edge, origin']]);
  });
});

describe('percentToMatch: what counts of the source', () => {
  // us-east's origin-use wants 9 instances; 4 are InService and Healthy, 5 still launching.
  const compute = new MixedStateCompute();
  compute.addGroup({ name: 'origin-use', region: 'us-east', min: 0, max: 100, desired: 9 });
  compute.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 100, desired: 2 });
  compute.states.set('origin-use', [...Array.from({ length: 4 }, () => ['InService', 'Healthy'] as [string, string]), ...Array.from({ length: 5 }, () => ['Pending', 'Healthy'] as [string, string])]);
  const p = plan('[{ asg: origin-use }]', '[{ asg: origin-euw }]', 'capacity: { percentToMatch: 50 }');

  it('graceful: the source’s InService instances; ungraceful: its desired size (its InService count says little when it is down)', async () => {
    expect(await capacityNeeds(p, 'us-east', 'eu-west', ports(compute), { ungraceful: false })).toMatchObject([{ need: 2, desired: 2, basis: 'ceil(50% × 4 InService in us-east)', source: { desired: 9, ready: 4 } }]);
    expect(await capacityNeeds(p, 'us-east', 'eu-west', ports(compute), { ungraceful: true })).toMatchObject([{ need: 5, desired: 5, basis: 'ceil(50% × 9 desired in us-east)' }]);
  });

  it('a deployment counts the source’s ready replicas', async () => {
    const d = plan('[{ kubernetes: { context: use, namespace: web, deployment: api } }]', '[{ kubernetes: { context: euw, namespace: web, deployment: api } }]', 'capacity: { percentToMatch: 50 }');
    const use = new MemoryCluster('use');
    use.addWorkload({ namespace: 'web', name: 'api', replicas: 8, readyReplicas: 3 });
    const euw = new MemoryCluster('euw');
    euw.addWorkload({ namespace: 'web', name: 'api', replicas: 1 });
    expect(await capacityNeeds(d, 'us-east', 'eu-west', ports(undefined, { use, euw }), { ungraceful: false })).toMatchObject([{ need: 2, desired: 2, basis: 'ceil(50% × 3 ready in us-east)' }]);
  });
});

describe('a source that cannot be read', () => {
  /** The compute fake, with us-east's Auto Scaling endpoint unreachable. */
  class SourceDown extends MemoryCompute {
    readonly outage = new DependencyError('aws', 'autoscaling:DescribeAutoScalingGroups in us-east failed: connect ECONNREFUSED');
    override async describeGroups(region: string, names: string[], options?: ComputeCallOptions): Promise<AutoScalingGroupInfo[]> {
      if (region === 'us-east') throw this.outage;
      return super.describeGroups(region, names, options);
    }
  }
  const p = plan('[{ asg: origin-use }]', '[{ asg: origin-euw }]');
  const compute = new SourceDown();
  compute.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 100, desired: 2 });
  const unread = { source: null, need: 0, desired: 2, basis: 'source unreadable: no scaling' };
  /** As `--json` prints it (the need of an unread source is ceil(-1e-9), a -0 that prints as 0). */
  const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

  it('graceful: the dependency error (exit 3)', async () => {
    expect(await rejection(capacityNeeds(p, 'us-east', 'eu-west', ports(compute), { ungraceful: false }))).toBe(compute.outage);
  });

  it('ungraceful: one warning, and the target keeps its desired capacity (with or without a warning sink)', async () => {
    const warnings: string[] = [];
    expect(asJson(await capacityNeeds(p, 'us-east', 'eu-west', ports(compute), { ungraceful: true, warn: (l) => warnings.push(l) }))).toMatchObject([unread]);
    expect(warnings).toEqual(["ungraceful: cannot read the source capacity (autoscaling:DescribeAutoScalingGroups in us-east failed: connect ECONNREFUSED); keeping the target's desired capacity"]);
    expect(asJson(await capacityNeeds(p, 'us-east', 'eu-west', ports(compute), { ungraceful: true }))).toMatchObject([unread]);
  });

  it('ungraceful does not excuse a plan mistake: a source ASG that does not exist is exit 2', async () => {
    const only = new MemoryCompute();
    only.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 100, desired: 2 });
    const e = await rejection(capacityNeeds(plan('[{ asg: origin-gone }]', '[{ asg: origin-euw }]'), 'us-east', 'eu-west', ports(only), { ungraceful: true }), InputError);
    expect(e.message).toBe('stream.yaml: regions.us-east.capacity[0].asg: no Auto Scaling group "origin-gone" in us-east');
  });
});

describe('capacityProblems: a need above an ASG’s max stops the pre-check (relia never changes min or max)', () => {
  it.each([
    [100, []],
    [110, ['ASG origin-euw needs 11 but its max size is 10']],
  ])('percentToMatch %i of 10 InService, target max 10', async (percent, problems) => {
    const compute = new MemoryCompute();
    compute.addGroup({ name: 'origin-use', region: 'us-east', min: 0, max: 20, desired: 10 });
    compute.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 10, desired: 2 });
    const p = plan('[{ asg: origin-use }]', '[{ asg: origin-euw }]', `capacity: { percentToMatch: ${percent} }`);
    expect(capacityProblems(await capacityNeeds(p, 'us-east', 'eu-west', ports(compute), { ungraceful: false }))).toEqual(problems);
  });

  it('a deployment has no max: any need is possible', async () => {
    const d = plan('[{ kubernetes: { context: use, namespace: web, deployment: api } }]', '[{ kubernetes: { context: euw, namespace: web, deployment: api } }]', 'capacity: { percentToMatch: 1000 }');
    const use = new MemoryCluster('use');
    use.addWorkload({ namespace: 'web', name: 'api', replicas: 100 });
    const euw = new MemoryCluster('euw');
    euw.addWorkload({ namespace: 'web', name: 'api', replicas: 1 });
    const needs = await capacityNeeds(d, 'us-east', 'eu-west', ports(undefined, { use, euw }), { ungraceful: false });
    expect(needs.map((n) => n.desired)).toEqual([1000]);
    expect(capacityProblems(needs)).toEqual([]);
  });
});
