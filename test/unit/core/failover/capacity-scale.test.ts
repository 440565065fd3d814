// Scaling the target and waiting for it (docs/failover.md#capacity): relia
// never scales down nor rewrites an equal size (no write, no scaling record),
// a stop reaches the scaling calls, readiness is polled every 5 s by default
// and the wait ends at capacity.timeout, not later; and the refusal a user
// sees when the target is not ready in time.
// Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { rejection } from '../../../helpers/errors.js';
import { CheckFailedError, InputError } from '../../../../src/core/errors.js';
import { capacityNeeds, scaleAndWait, unmet, type CapacityNeed } from '../../../../src/core/failover/capacity.js';
import type { FailoverPlan } from '../../../../src/core/failover/plan-schema.js';
import { capacityPlan as plan, capacityPorts, DEPLOYMENT } from './capacity-fixtures.js';
import { T0 } from './world.js';

const API = { kind: 'deployment' as const, namespace: 'web', name: 'api' };

/** us-east: origin-use with 4 instances and web/api with 4 ready replicas; eu-west: origin-euw at `targetDesired`, web/api at 1 replica that becomes ready only when the test says. */
function regions(targetDesired: number) {
  const compute = new MemoryCompute();
  compute.addGroup({ name: 'origin-use', region: 'us-east', min: 0, max: 20, desired: 4 });
  compute.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 20, desired: targetDesired });
  const use = new MemoryCluster('use');
  use.addWorkload({ namespace: 'web', name: 'api', replicas: 4 });
  use.addWorkload({ namespace: 'web', name: 'worker', replicas: 2 });
  const euw = new MemoryCluster('euw');
  euw.addWorkload({ namespace: 'web', name: 'api', replicas: 1, readyFollows: false });
  euw.addWorkload({ namespace: 'web', name: 'worker', replicas: 1, readyFollows: false });
  const ports = capacityPorts(compute, { use, euw });
  return { compute, euw, ports, needs: (p: FailoverPlan): Promise<CapacityNeed[]> => capacityNeeds(p, 'us-east', 'eu-west', ports, { ungraceful: false }) };
}

const USE_API = '{ kubernetes: { context: use, namespace: web, deployment: api } }';
const WRITE = 'autoscaling:SetDesiredCapacity eu-west';

describe('scaleAndWait: the scale-up', () => {
  it.each([
    [3, [WRITE], ['origin-euw 3 → 4']],
    [4, [], []],
    [6, [], []],
  ])('a target at %i for a need of 4: writes %j, scaling records %j', async (targetDesired, writes, scaled) => {
    const w = regions(targetDesired);
    const p = plan('[{ asg: origin-use }]', '[{ asg: origin-euw }]');
    const needs = await w.needs(p);
    const records: string[] = [];
    const out = await scaleAndWait(p, needs, w.ports, { onScaled: (n) => void records.push(`${n.target.ref.name} ${n.target.desired} → ${n.desired}`) });
    expect(w.compute.calls.filter((c) => c.startsWith('autoscaling:Set'))).toEqual(writes);
    expect(records).toEqual(scaled);
    expect(out.map((o) => [o.ready, o.met])).toEqual([[Math.max(4, targetDesired), true]]);
  });

  it('scales without an onScaled callback', async () => {
    const w = regions(2);
    const p = plan('[{ asg: origin-use }]', '[{ asg: origin-euw }]');
    expect((await scaleAndWait(p, await w.needs(p), w.ports)).map((o) => [o.ready, o.met])).toEqual([[4, true]]);
    expect((await w.compute.describeGroups('eu-west', ['origin-euw']))[0]!.desired).toBe(4);
  });

  it('a stop during the scale-up reaches the next write: that target is not scaled', async () => {
    const w = regions(2);
    const p = plan(`[{ asg: origin-use }, ${USE_API}]`, `[{ asg: origin-euw }, ${DEPLOYMENT}]`);
    const needs = await w.needs(p);
    const controller = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    const e = await rejection(scaleAndWait(p, needs, { ...w.ports, signal: controller.signal }, { onScaled: () => controller.abort(reason) }));
    expect(e).toBe(reason);
    expect((await w.compute.describeGroups('eu-west', ['origin-euw']))[0]!.desired).toBe(4);
    expect(await w.euw.getScale(API)).toEqual({ replicas: 1, readyReplicas: 1 });
  });

  it.each([
    ['compute', '[{ asg: origin-use }]', '[{ asg: origin-euw }]', 'regions.eu-west.capacity[0].asg: the plan needs Auto Scaling, and no provider is configured for it'],
    ['cluster', `[${USE_API}]`, `[${DEPLOYMENT}]`, 'regions.eu-west.capacity[0].kubernetes: the plan needs Kubernetes, and no provider is configured for it'],
  ] as const)('ports without %s: exit 2 naming the entry, nothing written', async (port, source, target, message) => {
    const w = regions(2);
    const p = plan(source, target);
    const needs = await w.needs(p);
    const { [port]: _gone, ...without } = w.ports;
    const e = await rejection(scaleAndWait(p, needs, without), InputError);
    expect([e.message, e.field]).toEqual([message, message.slice(0, message.indexOf(':'))]);
    expect(w.compute.calls.filter((c) => c.startsWith('autoscaling:Set'))).toEqual([]);
  });
});

describe('scaleAndWait: the wait', () => {
  it('polls every 5 s by default, and ends at capacity.timeout exactly (the last sleep is what is left)', async () => {
    const w = regions(2);
    const p = plan(`[${USE_API}]`, `[${DEPLOYMENT}]`, 'capacity: { timeout: 12s }');
    const needs = await w.needs(p);
    const reads = () => w.euw.calls.filter((c) => c.startsWith('getScale')).length;
    const before = reads();
    const out = await scaleAndWait(p, needs, w.ports);
    expect(w.ports.clock.sleeps).toEqual([5_000, 5_000, 2_000]);
    expect(w.ports.clock.now() - T0).toBe(12_000);
    expect(reads() - before).toBe(4);
    expect(out.map((o) => [o.need.need, o.ready, o.met])).toEqual([[4, 1, false]]);
  });

  it('polls every pollMs when given, and stops polling once the target is ready', async () => {
    const w = regions(2);
    const p = plan(`[${USE_API}]`, `[${DEPLOYMENT}]`, 'capacity: { timeout: 12s }');
    const needs = await w.needs(p);
    w.ports.clock.at(T0 + 2_500, () => w.euw.setReady(API, 4));
    const out = await scaleAndWait(p, needs, w.ports, { pollMs: 1_000 });
    expect(w.ports.clock.sleeps).toEqual([1_000, 1_000, 1_000]);
    expect(w.ports.clock.now() - T0).toBe(3_000);
    expect(out.map((o) => [o.ready, o.met])).toEqual([[4, true]]);
  });
});

describe('unmet: the refusal when the target is not ready in time', () => {
  it('names every target not ready with ready/need, says no traffic moved, and how to go on', async () => {
    const w = regions(2);
    const p = plan(`[{ asg: origin-use }, ${USE_API}, { kubernetes: { context: use, namespace: web, deployment: worker } }]`, `[{ asg: origin-euw }, ${DEPLOYMENT}, { kubernetes: { context: euw, namespace: web, deployment: worker } }]`, 'capacity: { timeout: 10s }');
    const outcomes = await scaleAndWait(p, await w.needs(p), w.ports);
    const e = unmet(outcomes);
    expect(e).toBeInstanceOf(CheckFailedError);
    expect(e!.message).toBe('target capacity not ready within capacity.timeout: api 1/4, worker 1/2; no traffic was moved');
    expect(e!.suggestions).toEqual(['look at the target group’s scaling activities, or raise capacity.timeout', 'the scale-up stays in place; rollback with capacity.scaleBackOnRollback undoes it']);
    expect(unmet(outcomes.filter((o) => o.met))).toBeNull();
  });
});
