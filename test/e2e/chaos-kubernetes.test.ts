/**
 * `chaos run` through the BUILT CLI against the loopback Kubernetes API
 * stand-in (scripts/standins/kube-api.mjs), through the real
 * @kubernetes/client-node adapter (plugins/kubernetes): the kubeconfig points
 * at the stand-in and its context is in chaos.allow.kubeContexts.
 * - pod kill by eviction: a PDB that allows nothing is the API's 429, and the
 *   action fails or skips, never bypasses, unless `force: true`; otherwise 201
 *   and the pod is gone; kube-system is never selected;
 * - deployment and statefulset scale-down through the scale subresource,
 *   restored afterwards, also when a later action fails;
 * - node cordon and drain across namespaces (DaemonSet, mirror and protected
 *   pods stay), uncordoned afterwards.
 * Mid-run state is read by `http.request` probes in the method that GET the
 * stand-in's own REST paths, so the journal shows what the cluster looked like.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STAND_IN_TOKEN } from '../../scripts/standins/kube-api.mjs';
import { KubeSeeder } from '../helpers/kube.js';
import { relia } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-chaos-kube-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
const unique = () => `e2e-${process.pid}-${++n}-${Date.now().toString(36)}`;
const auth = { authorization: `Bearer ${STAND_IN_TOKEN}` };

/** A relia config whose environment's kubeconfig is the stand-in's; its context is allowed unless `allow` says otherwise. */
function config(allow = servers().kube.context): string {
  const file = join(tmp, `relia-${allow}.yaml`);
  const { kubeconfig, context } = servers().kube;
  writeFileSync(file, `environments:\n  standin:\n    kubernetes: { kubeconfig: "${kubeconfig}", context: ${context} }\ndefaultEnvironment: standin\nchaos:\n  allow: { kubeContexts: ["${allow}"] }\n`);
  return file;
}

async function fresh() {
  const seeder = new KubeSeeder({ kubeconfig: servers().kube.kubeconfig, real: false });
  const ns = unique();
  await seeder.namespace(ns);
  return { seeder, ns, seed: seeder.seed(ns) };
}

/** GET a stand-in path as the adapter would (bearer token); the parsed body. */
async function kube<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${servers().kube.url}${path}`, { headers: auth });
  return { status: res.status, body: (await res.json()) as T };
}
const podNames = async (ns: string) => (await kube<{ items: Array<{ metadata: { name: string } }> }>(`/api/v1/namespaces/${ns}/pods`)).body.items.map((p) => p.metadata.name).sort();

interface JournalRun {
  activity: { name?: string };
  status: string;
  output?: unknown;
  exception?: string[];
}
interface Journal {
  status: string;
  run: JournalRun[];
  rollbacks: JournalRun[];
  relia: { exitCode: number; injections: Array<{ description: string; undone: boolean }> };
}

/** Runs the experiment; `journal` is what it wrote (exit 2 writes none: an empty run). */
async function run(name: string, yaml: string): Promise<{ exitCode: number; stderr: string; journal: Journal; wroteJournal: boolean }> {
  const exp = join(tmp, `${name}.yaml`);
  writeFileSync(exp, yaml);
  const journalPath = join(tmp, `${name}-journal.json`);
  const r = await relia(['chaos', 'run', exp, '--yes', '--config', config(), '--journal', journalPath], { timeoutMs: 90_000 });
  const wroteJournal = existsSync(journalPath);
  const journal = wroteJournal ? (JSON.parse(readFileSync(journalPath, 'utf8')) as Journal) : { status: 'none', run: [], rollbacks: [], relia: { exitCode: r.exitCode, injections: [] } };
  return { exitCode: r.exitCode, stderr: r.stderr, journal, wroteJournal };
}

const podKill = (ns: string, extra: string) => `title: evict api pods
method:
  - name: evict
    action: kubernetes.pod-kill
    args: { namespace: ${ns}, selector: { app: api }, ${extra} }
`;

describe('chaos run: pod kill by eviction on the Kubernetes API stand-in', { timeout: 120_000 }, () => {
  it('no PDB in the way: every eviction is a 201 and the pods are gone', async () => {
    const { ns, seed } = await fresh();
    await seed.pods('api', 3, { app: 'api' });
    await seed.pods('other', 1, { app: 'other' });
    const r = await run('evict-free', podKill(ns, 'mode: all'));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.journal.run[0]?.output).toMatchObject({ evicted: [`${ns}/api-0`, `${ns}/api-1`, `${ns}/api-2`], forced: [], skipped: [] });
    expect(await podNames(ns)).toEqual(['other-0']);
  });

  it('a PDB that allows nothing is the API\'s 429: the action fails (the run aborts, exit 4), nothing is evicted, and the pods stay', async () => {
    const { ns, seed } = await fresh();
    await seed.pods('api', 3, { app: 'api' });
    await seed.pdb('api', { app: 'api' }, 0);
    const r = await run('evict-blocked', podKill(ns, 'mode: all'));
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.journal.status).toBe('aborted');
    expect(r.journal.run[0]?.status).toBe('failed');
    expect(r.journal.run[0]?.exception?.join('\n')).toMatch(/blocked by a PodDisruptionBudget: Cannot evict pod as it would violate the pod's disruption budget/);
    expect(await podNames(ns)).toEqual(['api-0', 'api-1', 'api-2']);
  });

  it('onBlocked: skip evicts what the budget allows (201) and skips the rest (429); the budget is recomputed from the live pods', async () => {
    const { ns, seed } = await fresh();
    await seed.pods('api', 3, { app: 'api' });
    await seed.pdb('api', { app: 'api' }, 1);
    const r = await run('evict-skip', podKill(ns, 'mode: all, onBlocked: skip'));
    expect(r.exitCode, r.stderr).toBe(0);
    const out = r.journal.run[0]?.output as { evicted: string[]; skipped: Array<{ pod: string; reason: string }>; forced: string[] };
    expect(out.evicted).toEqual([`${ns}/api-0`]);
    expect(out.skipped.map((s) => s.pod)).toEqual([`${ns}/api-1`, `${ns}/api-2`]);
    expect(out.skipped[0]?.reason).toMatch(/disruption budget/);
    expect(out.forced).toEqual([]);
    expect(await podNames(ns)).toEqual(['api-1', 'api-2']);
    expect((await kube<{ status: { disruptionsAllowed: number } }>(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/api`)).body.status.disruptionsAllowed).toBe(0);
  });

  it('force: true, written explicitly, deletes the pod the budget protects', async () => {
    const { ns, seed } = await fresh();
    await seed.pods('api', 2, { app: 'api' });
    await seed.pdb('api', { app: 'api' }, 0);
    const r = await run('evict-force', podKill(ns, 'mode: one, seed: 1, force: true, gracePeriod: 1s'));
    expect(r.exitCode, r.stderr).toBe(0);
    const out = r.journal.run[0]?.output as { evicted: string[]; forced: string[] };
    expect(out.evicted).toEqual([]);
    expect(out.forced).toHaveLength(1);
    expect(await podNames(ns)).toHaveLength(1);
    expect(await podNames(ns)).not.toContain(out.forced[0]!.split('/')[1]);
  });

  it('a chaostoolkit terminate_pods experiment runs unchanged: its pods go through the Eviction API', async () => {
    const { ns, seed } = await fresh();
    await seed.pods('api', 3, { app: 'api' });
    await seed.pdb('api', { app: 'api' }, 2);
    const exp = join(tmp, 'ctk-terminate-pods.json');
    writeFileSync(exp, JSON.stringify({
      version: '1.0.0',
      title: 'two api pods die',
      description: 'chaosk8s terminate_pods, mapped to kubernetes.pod-kill',
      method: [{ type: 'action', name: 'terminate two', provider: { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods', arguments: { label_selector: 'app=api', ns, qty: 2, rand: true } } }],
    }));
    const journalPath = join(tmp, 'ctk-terminate-pods-journal.json');
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config(), '--journal', journalPath], { timeoutMs: 90_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
    expect(journal.status).toBe('completed');
    const out = journal.run[0]?.output as { evicted: string[] };
    expect(out.evicted).toHaveLength(2);
    expect(await podNames(ns)).toHaveLength(1);
    expect((await kube<{ status: { disruptionsAllowed: number } }>(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/api`)).body.status.disruptionsAllowed).toBe(0);
  });

  it('a context not in chaos.allow.kubeContexts is exit 2 naming it and the key; nothing is evicted', async () => {
    const { ns, seed } = await fresh();
    await seed.pods('api', 2, { app: 'api' });
    const exp = join(tmp, 'evict-denied.yaml');
    writeFileSync(exp, podKill(ns, 'mode: all'));
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config('staging'), '--journal', join(tmp, 'denied.json')], { timeoutMs: 90_000 });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Kubernetes context "relia-stand-in" is not allowed for chaos actions/);
    expect(r.stderr).toMatch(/chaos: \{ allow: \{ kubeContexts: \["relia-stand-in"\] \} \}/);
    expect(await podNames(ns)).toEqual(['api-0', 'api-1']);
  });

  it('kube-system is never selected: exit 2 naming the selector and the protection, and nothing is evicted', async () => {
    const seeder = new KubeSeeder({ kubeconfig: servers().kube.kubeconfig, real: false });
    await seeder.namespace('kube-system').catch(() => undefined);
    const label = unique();
    await seeder.seed('kube-system').pods(label, 2, { app: 'api', e2e: label });
    const r = await run('evict-kube-system', `title: evict in kube-system
method:
  - name: evict
    action: kubernetes.pod-kill
    args: { namespace: kube-system, selector: { app: api, e2e: ${label} }, mode: all, force: true }
`);
    expect(r.exitCode).toBe(2);
    expect(r.wroteJournal).toBe(false);
    expect(r.stderr).toMatch(/selector: no pods match .*\(2 matched but are protected: namespace kube-system is protected/);
    expect((await podNames('kube-system')).filter((p) => p.startsWith(label))).toEqual([`${label}-0`, `${label}-1`]);
  });
});

describe('chaos run: scale-down on the stand-in (the scale subresource)', { timeout: 120_000 }, () => {
  const scaleOf = (ns: string, kind: string, name: string) => `/apis/apps/v1/namespaces/${ns}/${kind}/${name}/scale`;
  const readScale = (label: string, path: string) => `  - name: ${label}
    probe: http.request
    args: { url: "${servers().kube.url}${path}", headers: { authorization: "Bearer ${STAND_IN_TOKEN}" }, expectStatus: 200 }
`;

  it('a deployment and a statefulset are scaled down during the method and back afterwards', async () => {
    const { ns, seed } = await fresh();
    await seed.workload('deployment', 'web', 4);
    await seed.workload('statefulset', 'db', 3);
    const r = await run('scale', `title: scale down
method:
  - name: scale web
    action: kubernetes.scale
    args: { namespace: ${ns}, kind: deployment, name: web, replicas: 1 }
  - name: scale db
    action: kubernetes.scale
    args: { namespace: ${ns}, kind: statefulset, name: db, replicas: 0 }
${readScale('web during', scaleOf(ns, 'deployments', 'web'))}${readScale('db during', scaleOf(ns, 'statefulsets', 'db'))}`);
    expect(r.exitCode, r.stderr).toBe(0);
    const during = (i: number) => (r.journal.run[i]?.output as { body: { spec: { replicas: number } } }).body.spec.replicas;
    expect([during(2), during(3)]).toEqual([1, 0]);
    expect(r.journal.run[0]?.output).toEqual({ workload: `deployment/${ns}/web`, from: 4, to: 1 });
    expect(r.journal.relia.injections.map((i) => i.undone)).toEqual([true, true]);
    expect((await kube<{ spec: { replicas: number } }>(scaleOf(ns, 'deployments', 'web'))).body.spec.replicas).toBe(4);
    expect((await kube<{ spec: { replicas: number } }>(scaleOf(ns, 'statefulsets', 'db'))).body.spec.replicas).toBe(3);
  });

  it('a later action fails: the run aborts (exit 4) and the scale-down is still restored', async () => {
    const { ns, seed } = await fresh();
    await seed.workload('deployment', 'web', 5);
    await seed.pods('api', 1, { app: 'api' });
    await seed.pdb('api', { app: 'api' }, 0);
    const r = await run('scale-then-fail', `title: scale down, then a blocked eviction
method:
  - name: scale web
    action: kubernetes.scale
    args: { namespace: ${ns}, name: web, replicas: 2 }
  - name: evict api
    action: kubernetes.pod-kill
    args: { namespace: ${ns}, selector: { app: api } }
`);
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.journal.status).toBe('aborted');
    expect(r.journal.run.map((a) => a.status)).toEqual(['succeeded', 'failed']);
    expect(r.stderr).toMatch(/undone: deployment .*\/web scaled from 5 to 2/);
    expect((await kube<{ spec: { replicas: number } }>(scaleOf(ns, 'deployments', 'web'))).body.spec.replicas).toBe(5);
    expect(await podNames(ns)).toEqual(['api-0']);
  });
});

describe('chaos run: node cordon and drain on the stand-in', { timeout: 180_000 }, () => {
  const nodeProbe = (node: string) => `  - name: node during
    probe: http.request
    args: { url: "${servers().kube.url}/api/v1/nodes/${node}", headers: { authorization: "Bearer ${STAND_IN_TOKEN}" } }
`;

  it('cordons, evicts the node\'s pods in every namespace (DaemonSet, mirror, unmanaged and kube-system pods stay), and uncordons afterwards', async () => {
    const { seeder, ns, seed } = await fresh();
    const ns2 = `${ns}-b`;
    await seeder.namespace(ns2);
    await seeder.namespace('kube-system').catch(() => undefined);
    const n1 = `${ns}-n1`;
    await seed.node(n1, { pool: ns });
    await seed.node(`${ns}-n2`, { pool: `${ns}-other` });
    for (const name of ['a-0', 'a-1']) await seeder.pod(ns, name, { labels: { app: 'a' }, nodeName: n1, owner: { kind: 'ReplicaSet', name: 'a-7d9f' } });
    await seeder.pod(ns2, 'b-0', { labels: { app: 'b' }, nodeName: n1, owner: { kind: 'StatefulSet', name: 'b' } });
    await seeder.pod(ns, 'lonely', { nodeName: n1 });
    await seed.pods('c', 1, { app: 'c' }, `${ns}-n2`);
    await seeder.pod(ns, 'agent', { nodeName: n1, owner: { kind: 'DaemonSet', name: 'agent' } });
    await seeder.pod(ns, 'etcd', { nodeName: n1, annotations: { 'kubernetes.io/config.mirror': 'x' } });
    await seeder.pod('kube-system', `dns-${ns}`, { nodeName: n1 });
    const yaml = `title: drain the pool
method:
  - name: drain
    action: kubernetes.node-drain
    args: { selector: { pool: ${ns} }, mode: all }
${nodeProbe(n1)}`;
    // The plan resolves the same pods through the same adapter, read-only.
    const planFile = join(tmp, 'drain-plan.yaml');
    writeFileSync(planFile, yaml);
    const plan = await relia(['chaos', 'plan', planFile, '--config', config(), '--json']);
    expect(plan.exitCode, plan.stderr).toBe(0);
    const targets = (JSON.parse(plan.stdout) as { result: { steps: Array<{ targets: Array<{ kind: string; id: string; detail?: string }> }> } }).result.steps[0]!.targets;
    expect(targets.filter((t) => t.kind === 'pod').map((t) => t.id)).toEqual([`${ns}/a-0`, `${ns}/a-1`, `${ns2}/b-0`]);
    expect(targets.filter((t) => t.kind === 'kept pod').map((t) => t.id).sort()).toEqual([`${ns}/agent`, `${ns}/etcd`, `${ns}/lonely`, `kube-system/dns-${ns}`].sort());
    expect((await kube<{ spec?: { unschedulable?: boolean } }>(`/api/v1/nodes/${n1}`)).body.spec?.unschedulable).toBeUndefined();
    expect(await podNames(ns2)).toEqual(['b-0']);
    const r = await run('drain', yaml);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = r.journal.run[0]?.output as { cordoned: string[]; evicted: string[]; kept: Array<{ pod: string; reason: string }> };
    expect(out.cordoned).toEqual([n1]);
    expect(out.evicted).toEqual([`${ns}/a-0`, `${ns}/a-1`, `${ns2}/b-0`]);
    expect(Object.fromEntries(out.kept.map((k) => [k.pod, k.reason]))).toMatchObject({
      [`kube-system/dns-${ns}`]: expect.stringMatching(/namespace kube-system is protected/),
      [`${ns}/agent`]: expect.stringMatching(/DaemonSet/),
      [`${ns}/etcd`]: expect.stringMatching(/mirror/),
      [`${ns}/lonely`]: expect.stringMatching(/no controller owns it/),
    });
    expect((r.journal.run[1]?.output as { body: { spec: { unschedulable?: boolean } } }).body.spec.unschedulable).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`undone: node ${n1} cordoned`));
    expect((await kube<{ spec: { unschedulable?: boolean } }>(`/api/v1/nodes/${n1}`)).body.spec.unschedulable).toBe(false);
    expect(await podNames(ns)).toEqual(['agent', 'c-0', 'etcd', 'lonely']);
    expect(await podNames(ns2)).toEqual([]);
    expect(await podNames('kube-system')).toContain(`dns-${ns}`);
  });

  it('a PDB blocks the drain: the run aborts (exit 4), the pod stays, and the node is uncordoned by the rollback', async () => {
    const { seeder, ns, seed } = await fresh();
    const n1 = `${ns}-n1`;
    await seed.node(n1, { pool: ns });
    await seeder.pod(ns, 'db-0', { labels: { app: 'db' }, nodeName: n1, owner: { kind: 'StatefulSet', name: 'db' } });
    await seed.pdb('db', { app: 'db' }, 0);
    const r = await run('drain-blocked', `title: drain a node a budget protects
method:
  - name: drain
    action: kubernetes.node-drain
    args: { names: ["${n1}"] }
`);
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.journal.run[0]?.status).toBe('failed');
    expect(r.journal.relia.injections).toEqual([expect.objectContaining({ description: `node ${n1} cordoned`, undone: true })]);
    expect((await kube<{ spec: { unschedulable?: boolean } }>(`/api/v1/nodes/${n1}`)).body.spec.unschedulable).toBe(false);
    expect(await podNames(ns)).toEqual(['db-0']);
  });
});
