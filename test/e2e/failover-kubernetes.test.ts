/**
 * `relia failover` with Kubernetes deployments as the capacity to scale, run
 * as the BUILT CLI: Route 53 on moto, the deployments on the loopback
 * Kubernetes API stand-in (scripts/standins/kube-api.mjs), reached through
 * the real @kubernetes/client-node adapter (plugins/kubernetes) with a
 * kubeconfig pointing at the stand-in. The stand-in's rollout lag holds the
 * target's new replicas unready for a while after the scale-up, so the test
 * sees apply wait for ready replicas before the first weight moves.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/core/failover/journal.js';
import { KubeSeeder } from '../helpers/kube.js';
import { readWeights, weightedZone } from '../helpers/failover.js';
import { motoCliEnv, motoEnv, uniqueName } from '../helpers/moto.js';
import { relia, reliaJson, type RunOptions } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-failover-k8s-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ROLLOUT_MS = 1500;
let env: RunOptions['env'];
let apps: AppsV1Api;
beforeAll(() => {
  motoEnv();
  const kube = servers().kube;
  env = motoCliEnv({ KUBECONFIG: kube.kubeconfig, XDG_CONFIG_HOME: join(tmp, 'config'), CI: 'true' });
  const kc = new KubeConfig();
  kc.loadFromFile(kube.kubeconfig);
  apps = kc.makeApiClient(AppsV1Api);
});

const replicas = async (namespace: string, name: string) => (await apps.readNamespacedDeployment({ namespace, name })).spec?.replicas;

/** The JSON progress lines apply prints on stderr off a TTY. */
function events(stderr: string): Array<{ type: string; message: string; at: number }> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{"event":"failover"'))
    .map((l) => JSON.parse(l) as { type: string; message: string; at: string })
    .map((e) => ({ ...e, at: Date.parse(e.at) }));
}

describe('relia failover scaling Kubernetes deployments (the API stand-in)', () => {
  it('apply scales the target deployment first and waits for its ready replicas; rollback scales it back', { timeout: 120_000 }, async () => {
    const tag = uniqueName('fok');
    const ns = tag.toLowerCase();
    const kube = servers().kube;
    const seeder = new KubeSeeder({ kubeconfig: kube.kubeconfig, context: kube.context, real: false });
    await seeder.namespace(ns);
    await seeder.seed(ns).workload('deployment', 'api-use1', 6);
    await seeder.seed(ns).workload('deployment', 'api-euw1', 2);
    // The target's new replicas become ready ROLLOUT_MS after the scale-up.
    const lag = await fetch(`${kube.url}/__standin/rollout`, { method: 'POST', body: JSON.stringify({ namespace: ns, name: 'api-euw1', readyAfterMs: ROLLOUT_MS }) });
    expect(lag.status).toBe(200);

    const { zoneId, zoneName, record } = await weightedZone(tag, [100, 0]);

    const plan = join(tmp, `${tag}.yaml`);
    const journal = join(tmp, `${tag}.journal.json`);
    writeFileSync(
      plan,
      `name: ${tag}
dns: { zone: ${zoneName}, record: ${record} }
regions:
  us-east-1: { setIdentifier: us-east-1, capacity: [{ kubernetes: { context: ${kube.context}, namespace: ${ns}, deployment: api-use1 } }] }
  eu-west-1: { setIdentifier: eu-west-1, capacity: [{ kubernetes: { context: ${kube.context}, namespace: ${ns}, deployment: api-euw1 } }] }
steps: [50, 100]
bake: 0s
capacity: { percentToMatch: 100, timeout: 2m, scaleBackOnRollback: true }
`,
    );

    const plain = await reliaJson(['failover', 'plan', '--plan', plan, '--from', 'us-east-1', '--to', 'eu-west-1'], { env });
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(plain.json.result).toMatchObject({ capacity: [{ target: { desired: 2, ready: 2 }, need: 6, desired: 6, basis: 'ceil(100% × 6 ready in us-east-1)' }] });

    // Human mode off a TTY: the progress events are JSON lines on stderr, with millisecond times.
    const r = await relia(['failover', 'apply', '--plan', plan, '--from', 'us-east-1', '--to', 'eu-west-1', '--journal', journal, '--yes'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readWeights(zoneId, record)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    expect(await replicas(ns, 'api-euw1')).toBe(6);
    expect(await replicas(ns, 'api-use1')).toBe(6); // the source is never touched

    const j = JSON.parse(readFileSync(journal, 'utf8')) as Journal;
    expect(j.status).toBe('completed');
    expect(j.scaling).toEqual([expect.objectContaining({ kind: 'deployment', name: `${ns}/api-euw1`, where: kube.context, before: 2, desired: 6, need: 6, ready: 6 })]);
    // Scaled through the scale subresource, then waited for the rollout: no weight moved before the replicas were ready.
    const ev = events(r.stderr);
    const scale = ev.find((e) => e.type === 'scale');
    const scaled = ev.find((e) => e.type === 'scaled');
    const step1 = ev.find((e) => e.type === 'step');
    expect(scale?.message).toBe(`${ns}/api-euw1: desired 2 → 6 (needs 6)`);
    expect(scaled?.message).toBe('target capacity ready: api-euw1 6/6');
    expect(scaled!.at - scale!.at).toBeGreaterThanOrEqual(ROLLOUT_MS - 50);
    expect(step1!.at).toBeGreaterThanOrEqual(scaled!.at);

    const back = await relia(['failover', 'rollback', '--journal', journal, '--bake', '0s', '--yes'], { env });
    expect(back.exitCode, back.stderr).toBe(0);
    expect(JSON.parse(readFileSync(journal, 'utf8'))).toMatchObject({ kind: 'rollback', rollsBack: j.id, status: 'completed' });
    expect(await readWeights(zoneId, record)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
    expect(await replicas(ns, 'api-euw1')).toBe(2); // scaleBackOnRollback: its recorded size
    expect(events(back.stderr).find((e) => e.type === 'scale')?.message).toBe(`${ns}/api-euw1: scaled back 6 → 2`);
  });
});
