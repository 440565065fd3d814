/**
 * failover.evacuate asks the chaos engine only for the ports its plan needs
 * (docs/failover.md#providers: "only the ports a plan needs are created"):
 * Auto Scaling when an entry is an ASG, CloudWatch when a region lists alarms,
 * Kubernetes when an entry is a deployment, in whichever region. Each test
 * gives the context exactly those ports (a missing one is an error), with a
 * third region that has none of them, and runs the evacuation end to end.
 * It also registers no undo when no traffic moved. Deployments are reached
 * through the experiment's one Kubernetes context, which chaos.allow.kubeContexts
 * must list (as for every Kubernetes action); an entry naming another context
 * is refused rather than scaled in the wrong cluster.
 */
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rejection } from '../../../helpers/errors.js';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { failoverEvacuate } from '../../../../src/core/failover/chaos-action.js';
import { allowAll, args, faultsCtx } from '../chaos/faults-ctx.js';
import { RECORD, world, type World } from './world.js';

/** The world plus ap-south-1, a region behind the record with weight 0 and no health check, alarms or capacity. */
function threeRegions(): World {
  const w = world();
  w.memDns.addRecords(w.zoneId, { name: RECORD, type: 'A', setIdentifier: 'aps1', weight: 0, ttl: 60, values: ['203.0.113.10'] });
  return w;
}

const plan = (useast: string, euwest: string) =>
  parseYaml(`name: api
dns: { zone: example.com., record: ${RECORD} }
regions:
  us-east-1: { setIdentifier: use1, ${useast} }
  eu-west-1: { setIdentifier: euw1, ${euwest} }
  ap-south-1: { setIdentifier: aps1 }
steps: [50, 100]
bake: 0s
`) as unknown;

const evacuate = (p: unknown) => args(failoverEvacuate, { plan: p, from: 'us-east-1', to: 'eu-west-1' });

/** web/api-use1 (4 replicas) is the source, web/api-euw1 (1) the target; `ready`: the target's replicas become ready. */
function cluster(ready = true): MemoryCluster {
  const c = new MemoryCluster();
  c.addWorkload({ namespace: 'web', name: 'api-use1', replicas: 4 });
  c.addWorkload({ namespace: 'web', name: 'api-euw1', replicas: 1, readyFollows: ready });
  return c;
}

const k8sPlan = plan('capacity: [{ kubernetes: { namespace: web, deployment: api-use1 } }]', 'capacity: [{ kubernetes: { namespace: web, deployment: api-euw1 } }]');

describe('failover.evacuate: the ports its plan needs, and only those', () => {
  it('ASGs and alarms (no cluster port): scales the target group and evacuates', async () => {
    const w = threeRegions();
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, alarms: w.alarms });
    const a = evacuate(plan('alarms: [api-use1-5xx], capacity: [{ asg: api-use1 }]', 'alarms: [api-euw1-5xx], capacity: [{ asg: api-euw1 }]'));
    const shown = await failoverEvacuate.plan(a, ctx);
    expect(shown.targets).toEqual([
      { kind: 'weighted-record', id: 'api.example.com. A', detail: 'us-east-1=100 eu-west-1=0 ap-south-1=0' },
      { kind: 'asg', id: 'api-euw1', detail: '2 → 6' },
    ]);
    expect(shown.does).toBe("move us-east-1's traffic to eu-west-1 in 2 guarded steps (50%, 100%)");
    expect(await failoverEvacuate.run(a, ctx)).toMatchObject({ weights: { 'us-east-1': 0, 'eu-west-1': 100, 'ap-south-1': 0 }, nothingToDo: false });
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]?.desired).toBe(6);
  });

  it('an alarm on the target only still reads CloudWatch, and an alarm in ALARM refuses', async () => {
    const w = threeRegions();
    w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM');
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, alarms: w.alarms });
    const shown = await failoverEvacuate.plan(evacuate(plan('capacity: []', 'alarms: [api-euw1-5xx]')), ctx);
    expect(shown.does).toBe("move us-east-1's traffic to eu-west-1 in 2 guarded steps (50%, 100%); pre-checks would refuse: target eu-west-1 healthy, safety rules");
  });

  it('deployments and no alarms (no alarms port): scales the target deployment and evacuates', async () => {
    const w = threeRegions();
    const c = cluster();
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, cluster: c });
    const a = evacuate(k8sPlan);
    const shown = await failoverEvacuate.plan(a, ctx);
    expect(shown.targets.slice(1)).toEqual([{ kind: 'deployment', id: 'api-euw1', detail: '1 → 4' }]);
    expect(await failoverEvacuate.run(a, ctx)).toMatchObject({ weights: { 'us-east-1': 0, 'eu-west-1': 100, 'ap-south-1': 0 } });
    expect((await c.getScale({ kind: 'deployment', namespace: 'web', name: 'api-euw1' }))?.replicas).toBe(4);
  });

  it('no undo is registered while no traffic has moved: the target never became ready', async () => {
    const w = threeRegions();
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, cluster: cluster(false) });
    const e = await rejection(failoverEvacuate.run(evacuate(k8sPlan), ctx));
    expect(e.message).toBe('target capacity not ready within capacity.timeout: api-euw1 1/4; no traffic was moved');
    expect(ctx.injections).toEqual([]);
    expect(w.dns.weightBatches).toEqual([]);
  });
});

describe('failover.evacuate: deployments only in the experiment\'s allowed Kubernetes context', () => {
  const deployments = (context: string) => plan(`capacity: [{ kubernetes: { context: ${context}, namespace: web, deployment: api-use1 } }]`, `capacity: [{ kubernetes: { context: ${context}, namespace: web, deployment: api-euw1 } }]`);

  it('a context chaos.allow.kubeContexts does not list: exit 2 before anything is scaled or moved', async () => {
    const w = threeRegions();
    const c = cluster();
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, cluster: c }, { policy: { ...allowAll, allowKubeContexts: ['prod-use1'] } });
    for (const attempt of [() => failoverEvacuate.plan(evacuate(k8sPlan), ctx), () => failoverEvacuate.run(evacuate(k8sPlan), ctx)]) {
      const e = await rejection(attempt());
      expect(e.message).toBe('Kubernetes context "memory" is not allowed for chaos actions');
      expect(e.field).toBe('chaos.allow.kubeContexts');
    }
    expect((await c.getScale({ kind: 'deployment', namespace: 'web', name: 'api-euw1' }))?.replicas).toBe(1);
    expect(w.dns.weightBatches).toEqual([]);
  });

  it('an entry naming another context is refused, naming the entry and the context the experiment has', async () => {
    const w = threeRegions();
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, cluster: cluster() });
    const e = await rejection(failoverEvacuate.run(evacuate(deployments('prod-use1')), ctx));
    expect(e.field).toBe('plan.regions.us-east-1.capacity[0].kubernetes.context');
    expect(e.message).toBe("plan.regions.us-east-1.capacity[0].kubernetes.context: prod-use1 is not the experiment's Kubernetes context (memory); failover.evacuate reaches deployments in that context only");
    expect(e.suggestions).toEqual(['set context: memory or leave it out', 'or run the experiment in that context (kubernetes.context in config, or --context) and allow it in chaos.allow.kubeContexts']);
    expect(w.dns.weightBatches).toEqual([]);
  });

  it('an entry naming the experiment\'s own context is fine', async () => {
    const w = threeRegions();
    const c = cluster();
    const ctx = faultsCtx({ dns: w.dns, compute: w.compute, cluster: c });
    expect(await failoverEvacuate.run(evacuate(deployments('memory')), ctx)).toMatchObject({ weights: { 'us-east-1': 0, 'eu-west-1': 100, 'ap-south-1': 0 } });
    expect((await c.getScale({ kind: 'deployment', namespace: 'web', name: 'api-euw1' }))?.replicas).toBe(4);
  });
});
