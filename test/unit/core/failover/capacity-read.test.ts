// Reading a region's capacity and pairing the target's entries with the
// source's (docs/failover.md#capacity): what counts as ready, the refusals a
// user sees (field, file, the command that lists what exists), a missing
// provider, the stop signal, and when entries must pair by position.
// Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { rejection } from '../../../helpers/errors.js';
import { InputError } from '../../../../src/core/errors.js';
import { pairEntries, readCapacity } from '../../../../src/core/failover/capacity.js';
import type { FailoverPlan } from '../../../../src/core/failover/plan-schema.js';
import { capacityPlan as plan, capacityPorts as ports, DEPLOYMENT, entry, MixedStateCompute } from './capacity-fixtures.js';

const target = (p: FailoverPlan) => entry(p, 'eu-west');

describe('readCapacity: what counts as ready', () => {
  it('an ASG counts the instances both InService and Healthy; its desired and max are its own', async () => {
    const p = plan('[]', '[{ asg: origin-euw }]');
    const compute = new MixedStateCompute();
    compute.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 12, desired: 6 });
    // AWS lifecycle states: launching, unhealthy, leaving and on standby instances take no traffic.
    compute.states.set('origin-euw', [
      ['InService', 'Healthy'],
      ['InService', 'Unhealthy'],
      ['Pending', 'Healthy'],
      ['InService', 'Healthy'],
      ['Terminating', 'Healthy'],
      ['Standby', 'Healthy'],
    ]);
    expect(await readCapacity(p, target(p), ports(compute))).toEqual({ ref: target(p), desired: 6, ready: 2, max: 12 });
  });

  it('a deployment reads spec.replicas and status.readyReplicas; it has no max', async () => {
    const p = plan('[]', `[${DEPLOYMENT}]`);
    const cluster = new MemoryCluster('euw');
    cluster.addWorkload({ namespace: 'web', name: 'api', replicas: 5, readyReplicas: 3 });
    expect(await readCapacity(p, target(p), ports(undefined, { euw: cluster }))).toEqual({ ref: target(p), desired: 5, ready: 3, max: null });
  });
});

describe('readCapacity refusals (exit 2, nothing changed)', () => {
  it.each([
    {
      entry: '{ asg: origin-euw }',
      field: 'regions.eu-west.capacity[0].asg',
      message: 'stream.yaml: regions.eu-west.capacity[0].asg: no Auto Scaling group "origin-euw" in eu-west',
      suggestion: 'check the name and region: aws autoscaling describe-auto-scaling-groups --region eu-west',
    },
    {
      entry: DEPLOYMENT,
      field: 'regions.eu-west.capacity[0].kubernetes',
      message: 'stream.yaml: regions.eu-west.capacity[0].kubernetes: no deployment web/api in context euw',
      suggestion: 'check the namespace, deployment and context: kubectl get deploy -n web --context euw',
    },
    {
      entry: '{ kubernetes: { namespace: web, deployment: api } }',
      field: 'regions.eu-west.capacity[0].kubernetes',
      message: 'stream.yaml: regions.eu-west.capacity[0].kubernetes: no deployment web/api',
      suggestion: 'check the namespace, deployment and context: kubectl get deploy -n web',
    },
  ])('a target that does not exist: $message', async ({ entry, field, message, suggestion }) => {
    const p = plan('[]', `[${entry}]`);
    const e = await rejection(readCapacity(p, target(p), ports(new MemoryCompute(), {})), InputError);
    expect(e.message).toBe(message);
    expect([e.field, e.file, e.suggestions]).toEqual([field, 'stream.yaml', [suggestion]]);
  });

  it.each([
    ['{ asg: origin-euw }', 'regions.eu-west.capacity[0].asg', 'Auto Scaling'],
    [DEPLOYMENT, 'regions.eu-west.capacity[0].kubernetes', 'Kubernetes'],
  ])('no provider for the entry’s kind (%s): names the field and what to install', async (entry, field, what) => {
    const p = plan('[]', `[${entry}]`);
    const e = await rejection(readCapacity(p, target(p), ports()), InputError);
    expect(e.message).toBe(`${field}: the plan needs ${what}, and no provider is configured for it`);
    expect(e.field).toBe(field);
    expect(e.suggestions).toEqual(['install and configure the aws / kubernetes plugins (see docs/failover.md#providers)']);
  });

  it.each(['{ asg: origin-euw }', DEPLOYMENT])('a stop reaches the read of %s: it rejects with the stop’s reason', async (entry) => {
    const p = plan('[]', `[${entry}]`);
    const compute = new MemoryCompute();
    compute.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 12, desired: 6 });
    const cluster = new MemoryCluster('euw');
    cluster.addWorkload({ namespace: 'web', name: 'api', replicas: 5 });
    const controller = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    controller.abort(reason);
    await expect(readCapacity(p, target(p), { ...ports(compute, { euw: cluster }), signal: controller.signal })).rejects.toBe(reason);
  });
});

describe('pairEntries: the target’s entries pair by position with the source’s of the same kind', () => {
  it('pairs ASGs with ASGs and deployments with deployments, in order', () => {
    const p = plan('[{ asg: a-use }, { kubernetes: { namespace: web, deployment: api } }, { asg: b-use }]', `[${DEPLOYMENT}, { asg: a-euw }, { asg: b-euw }]`);
    expect(pairEntries(p, 'us-east', 'eu-west').map((x) => [x.target.name, x.source?.name])).toEqual([
      ['a-euw', 'a-use'],
      ['b-euw', 'b-use'],
      ['api', 'api'],
    ]);
  });

  it.each([
    {
      source: '[{ asg: a-use }]',
      targets: '[{ asg: a-euw }, { asg: b-euw }]',
      message: 'stream.yaml: regions.eu-west.capacity: 2 asg entries in eu-west but 1 in us-east; percentToMatch pairs them by position',
      suggestion: 'list the same ASGs in the same order in both regions',
    },
    {
      source: '[{ asg: a-use }]',
      targets: `[{ asg: a-euw }, ${DEPLOYMENT}]`,
      message: 'stream.yaml: regions.eu-west.capacity: 1 deployment entry in eu-west but 0 in us-east; percentToMatch pairs them by position',
      suggestion: 'list the same deployments in the same order in both regions',
    },
  ])('counts that differ are exit 2 naming the target’s list: $message', ({ source, targets, message, suggestion }) => {
    const p = plan(source, targets);
    let e: unknown;
    try {
      pairEntries(p, 'us-east', 'eu-west');
    } catch (error) {
      e = error;
    }
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    expect(err.message).toBe(message);
    expect([err.field, err.file, err.suggestions]).toEqual(['regions.eu-west.capacity', 'stream.yaml', [suggestion, 'or size the target from a capacity plan (capacity.plan)']]);
  });

  it('with a capacity plan the counts may differ: the extra targets have no source (the plan sizes them)', () => {
    const p = plan('[{ asg: a-use, tier: origin }]', '[{ asg: a-euw, tier: origin }, { asg: b-euw, tier: origin }]', 'capacity: { plan: streaming-plan.yaml }');
    expect(pairEntries(p, 'us-east', 'eu-west').map((x) => [x.target.name, x.source?.name ?? null])).toEqual([
      ['a-euw', 'a-use'],
      ['b-euw', null],
    ]);
  });

  it('a target with no entries of a kind the source has scales nothing of that kind', () => {
    const p = plan(`[{ asg: a-use }, ${DEPLOYMENT}]`, '[]');
    expect(pairEntries(p, 'us-east', 'eu-west')).toEqual([]);
  });

  it('a region the plan does not list has no entries: nothing to scale there, nothing to pair with from there', () => {
    const p = plan('[{ asg: a-use }]', '[{ asg: a-euw }]');
    expect(pairEntries(p, 'us-east', 'ap-south')).toEqual([]);
    expect(() => pairEntries(p, 'ap-south', 'eu-west')).toThrow('stream.yaml: regions.eu-west.capacity: 1 asg entry in eu-west but 0 in ap-south; percentToMatch pairs them by position');
  });
});
