/**
 * Issue 10, classes 2 and 3, for the chaos and failover families (BUILT CLI,
 * real adapters: the Kubernetes API stand-in and moto).
 *
 * Destructive commands never widen their scope:
 * - an empty selector (`selector: {}`, `selector: ""`, `tags: {}`) or an EC2
 *   filter set that names no application (only a state or a zone) is exit 2
 *   before anything is resolved, never "every pod / node / instance / group";
 * - chaostoolkit's terminate_random_instances with both instance_count and
 *   instance_percent is exit 2, not "the count wins";
 * - `failover apply --steps ... --mode ungraceful` is exit 2 (the steps were
 *   ignored and the whole shift happened at once);
 * - `failover rollback --journal A --plan B` is exit 2 (B's record was rolled
 *   back along A's steps).
 *
 * Secrets never leak: a chaos experiment's secret (used in a probe's URL and
 * header) and a webhook URL's token never appear in human output, --json,
 * --verbose, progress lines, warnings or journals; nor do the AWS keys of the
 * environment. Each run would print the secret without the redaction.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAND_IN_TOKEN } from '../../scripts/standins/kube-api.mjs';
import { readWeights, weightedZone } from '../helpers/failover.js';
import { KubeSeeder } from '../helpers/kube.js';
import { createGroup, motoCliEnv, motoEnv, motoUrl, runInstances, uniqueName } from '../helpers/moto.js';
import { relia, type RunResult } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-scope-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A region no other test uses, so a selection that widened to "every instance" would show here alone. */
const LONELY = 'eu-north-1';
const ACCOUNT = '123456789012';

function kubeConfig(): string {
  const file = join(tmp, 'relia-kube.yaml');
  const { kubeconfig, context } = servers().kube;
  writeFileSync(file, `environments:\n  standin:\n    kubernetes: { kubeconfig: "${kubeconfig}", context: ${context} }\ndefaultEnvironment: standin\nchaos:\n  allow: { kubeContexts: ["${context}"] }\n`);
  return file;
}

function awsConfig(): string {
  const file = join(tmp, 'relia-aws.yaml');
  writeFileSync(file, `environments:\n  moto:\n    aws: { region: us-east-1, endpoint: "${motoUrl()}" }\ndefaultEnvironment: moto\nchaos:\n  allow: { awsAccounts: ["${ACCOUNT}"] }\n`);
  return file;
}

const awsEnv = () => motoCliEnv({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

async function podNames(ns: string): Promise<string[]> {
  const res = await fetch(`${servers().kube.url}/api/v1/namespaces/${ns}/pods`, { headers: { authorization: `Bearer ${STAND_IN_TOKEN}` } });
  return ((await res.json()) as { items: Array<{ metadata: { name: string } }> }).items.map((p) => p.metadata.name).sort();
}

async function instanceStates(region: string, ids: string[]): Promise<string[]> {
  const ec2 = new EC2Client({ region, endpoint: motoUrl() });
  try {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name ?? '?');
  } finally {
    ec2.destroy();
  }
}

async function groupInstances(region: string, name: string): Promise<string[]> {
  const asg = new AutoScalingClient({ region, endpoint: motoUrl() });
  try {
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
    return (g?.Instances ?? []).map((i) => i.InstanceId as string).sort();
  } finally {
    asg.destroy();
  }
}

describe('chaos: an empty selection is exit 2, never "all"', { timeout: 120_000 }, () => {
  it('kubernetes.pod-kill with selector {} or "" and mode: all evicts nothing (exit 2 naming the field)', async () => {
    const seeder = new KubeSeeder({ kubeconfig: servers().kube.kubeconfig, real: false });
    const ns = uniqueName('scope').toLowerCase();
    await seeder.namespace(ns);
    await seeder.seed(ns).pods('api', 2, { app: 'api' });
    await seeder.seed(ns).pods('db', 1, { app: 'db' });
    for (const selector of ['{}', '""']) {
      const exp = file(`podkill-${selector.length}.yaml`, `title: evict\nmethod:\n  - name: evict\n    action: kubernetes.pod-kill\n    args: { namespace: ${ns}, selector: ${selector}, mode: all }\n`);
      const r = await relia(['chaos', 'run', exp, '--yes', '--config', kubeConfig(), '--journal', join(tmp, 'pk.json')]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/method\[0\]\.args\.selector: an empty selector would match every target/);
      expect(await podNames(ns)).toEqual(['api-0', 'api-1', 'db-0']);
    }
  });

  it('kubernetes.node-drain with selector "" plans nothing: exit 2, the node stays schedulable', async () => {
    const seeder = new KubeSeeder({ kubeconfig: servers().kube.kubeconfig, real: false });
    const ns = uniqueName('scope').toLowerCase();
    await seeder.namespace(ns);
    await seeder.seed(ns).node(`${ns}-n1`, { pool: ns });
    try {
      const exp = file('drain.yaml', `title: drain\nmethod:\n  - name: drain\n    action: kubernetes.node-drain\n    args: { selector: "", mode: all }\n`);
      const plan = await relia(['chaos', 'plan', exp, '--config', kubeConfig()]);
      expect(plan.exitCode, plan.stdout).toBe(2);
      expect(plan.stderr).toMatch(/method\[0\]\.args\.selector: an empty selector/);
      expect(plan.stdout).not.toContain(`${ns}-n1`);
    } finally {
      await seeder.cleanup();
    }
  });

  it('aws.ec2-stop with tags {} or only a state filter stops nothing in the region (exit 2)', async () => {
    motoEnv();
    const ids = await runInstances(LONELY, 2, { fleet: uniqueName('fleet') });
    const cases = {
      'tags {}': `tags: {}`,
      'state filter only': `filters: [{ Name: instance-state-name, Values: [running] }]`,
    };
    for (const [what, selection] of Object.entries(cases)) {
      const exp = file(`ec2-${what.length}.yaml`, `title: stop\nmethod:\n  - name: stop\n    action: aws.ec2-stop\n    args: { region: ${LONELY}, ${selection}, mode: all }\n  - pause: 1s\n`);
      const r = await relia(['chaos', 'run', exp, '--yes', '--config', awsConfig(), '--journal', join(tmp, 'ec2.json')], { env: awsEnv() });
      expect(r.exitCode, `${what}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(what === 'tags {}' ? /args\.tags: an empty tag map would match every instance/ : /args\.filters: .*alone match every instance/);
      expect(r.stderr).not.toMatch(/injected/);
      expect(await instanceStates(LONELY, ids)).toEqual(['running', 'running']);
    }
  });

  it('aws.asg-terminate with tags {} terminates nothing; chaostoolkit count and percent together are exit 2', async () => {
    motoEnv();
    const name = uniqueName('asg');
    await createGroup(LONELY, name, { min: 1, max: 5, desired: 2 });
    const before = await groupInstances(LONELY, name);
    expect(before).toHaveLength(2);
    const native = file('asg.yaml', `title: terminate\nmethod:\n  - name: t\n    action: aws.asg-terminate\n    args: { region: ${LONELY}, tags: {}, mode: all }\n`);
    const r = await relia(['chaos', 'run', native, '--yes', '--config', awsConfig(), '--journal', join(tmp, 'asg.json')], { env: awsEnv() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/args\.tags: an empty tag map would match every instance or group/);
    const ctk = file(
      'ctk-asg.json',
      JSON.stringify({
        version: '1.0.0',
        title: 'terminate some',
        description: 'count and percent both given',
        configuration: { aws_region: LONELY },
        method: [{ type: 'action', name: 't', provider: { type: 'python', module: 'chaosaws.asg.actions', func: 'terminate_random_instances', arguments: { asg_names: [name], instance_count: 2, instance_percent: 10 } } }],
      }),
    );
    const c = await relia(['chaos', 'run', ctk, '--yes', '--config', awsConfig(), '--journal', join(tmp, 'ctk.json')], { env: awsEnv() });
    expect(c.exitCode, c.stderr).toBe(2);
    expect(c.stderr).toMatch(/instance_percent/);
    expect(await groupInstances(LONELY, name)).toEqual(before);
  });
});

describe('failover: flags never widen an operation', { timeout: 120_000 }, () => {
  const env = () => motoCliEnv({ XDG_CONFIG_HOME: join(tmp, 'xdg'), CI: 'true' });
  const planFile = (tag: string, zoneName: string, record: string) =>
    file(`${tag}.yaml`, `name: ${tag}\ndns: { zone: ${zoneName}, record: ${record} }\nregions:\n  us-east-1: { setIdentifier: us-east-1 }\n  eu-west-1: { setIdentifier: eu-west-1 }\nsteps: [50, 100]\nbake: 0s\n`);

  it('--steps with --mode ungraceful is exit 2 and no weight moves', async () => {
    motoEnv();
    const tag = uniqueName('fosteps');
    const { zoneId, zoneName, record } = await weightedZone(tag, [100, 0]);
    const r = await relia(['failover', 'apply', '--plan', planFile(tag, zoneName, record), '--from', 'us-east-1', '--to', 'eu-west-1', '--steps', '10,100', '--mode', 'ungraceful', '--yes', '--journal', join(tmp, `${tag}.json`)], { env: env() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--steps with --mode ungraceful/);
    expect(await readWeights(zoneId, record)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
  });

  it("rollback --journal of plan A with --plan B is exit 2: B's record is not rolled back along A's steps", async () => {
    motoEnv();
    const a = uniqueName('foa');
    const b = uniqueName('fob');
    const za = await weightedZone(a, [100, 0]);
    const zb = await weightedZone(b, [0, 100]); // where A ends: a rollback along A's steps would move it
    const journal = join(tmp, `${a}.json`);
    const applied = await relia(['failover', 'apply', '--plan', planFile(a, za.zoneName, za.record), '--from', 'us-east-1', '--to', 'eu-west-1', '--yes', '--journal', journal], { env: env() });
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(await readWeights(za.zoneId, za.record)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    const r = await relia(['failover', 'rollback', '--journal', journal, '--plan', planFile(b, zb.zoneName, zb.record), '--yes'], { env: env() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`--plan .* is plan ${b} .* but the journal .* is plan ${a}'s`));
    expect(await readWeights(zb.zoneId, zb.record)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    expect(await readWeights(za.zoneId, za.record)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
  });
});

describe('secrets never leak from chaos and failover', { timeout: 120_000 }, () => {
  const SECRET = 'tok-7f3a9c1e5b2d8f40';
  const HOOK_SECRET = 'hooksecret-0b1c2d3e4f5a';
  const AWS_SECRET = 'awsSecretKey/9Xq2Lp7Rt4Vb8Nz1Wc5Hy3Jm';
  const AWS_TOKEN = 'awsSessionToken-Fq8Zr2Kd6Tp0';
  let server: Server;
  let port = 0;
  const seenAuth: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/hooks/')) {
        req.resume();
        req.on('end', () => res.writeHead(500).end('no'));
        return;
      }
      seenAuth.push(String(req.headers.authorization));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Every text a run produced: stdout, stderr and the files it wrote. */
  const everything = (runs: RunResult[], files: string[]) => [...runs.flatMap((r) => [r.stdout, r.stderr]), ...files.filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'))].join('\n');

  it("a chaos experiment's secret in a probe URL and header: plan, dry run, --json, --verbose, progress, failures and the journal", async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : 9));
      });
    });
    const exp = file(
      'secret-exp.yaml',
      `title: secret probe
secrets:
  api: { token: { type: env, key: SCOPE_API_TOKEN } }
steadyState:
  probes:
    - name: health
      probe: http.request
      args: { url: "http://127.0.0.1:${port}/health/\${token}", headers: { Authorization: "Bearer \${token}" } }
      tolerance: 200
method:
  - name: unreachable
    probe: http.request
    args: { url: "http://127.0.0.1:${closed}/x?k=\${token}" }
`,
    );
    const config = file('relia-chaos.yaml', 'chaos: {}\n');
    const journal = join(tmp, 'secret-journal.json');
    const env = { SCOPE_API_TOKEN: SECRET };
    const base = ['--config', config];
    const runs = [
      await relia(['chaos', 'plan', exp, ...base, '--verbose'], { env }),
      await relia(['chaos', 'plan', exp, ...base, '--json'], { env }),
      await relia(['chaos', 'run', exp, ...base, '--dry-run'], { env }),
      await relia(['chaos', 'run', exp, ...base, '--dry-run', '--json'], { env }),
      await relia(['chaos', 'run', exp, ...base, '--yes', '--verbose', '--journal', journal], { env }),
      await relia(['chaos', 'run', exp, ...base, '--yes', '--json', '--verbose', '--journal', journal], { env }),
      await relia(['chaos', 'journal', journal, '--verbose'], { env }),
    ];
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    // The secret was really used: the probe sent it, and the plan shows where it went (masked).
    expect(seenAuth).toContain(`Bearer ${SECRET}`);
    expect(runs[0]!.stdout).toMatch(/\/health\/\*\*\*/);
    expect(runs[4]!.stderr).toMatch(/method\[0\]: unreachable/);
    expect(everything(runs, [journal])).not.toContain(SECRET);
  });

  it('a webhook URL token and the AWS keys of the environment: warnings, --json, --verbose, progress and the journal', { timeout: 120_000 }, async () => {
    motoEnv();
    const tag = uniqueName('fohook');
    const { zoneName, record } = await weightedZone(tag, [100, 0]);
    const hook = `http://127.0.0.1:${port}/hooks/T0/B0/${HOOK_SECRET}?token=${HOOK_SECRET}`;
    const plan = file(`${tag}.yaml`, `name: ${tag}\ndns: { zone: ${zoneName}, record: ${record} }\nregions:\n  us-east-1: { setIdentifier: us-east-1 }\n  eu-west-1: { setIdentifier: eu-west-1 }\nsteps: [50, 100]\nbake: 0s\nnotify: { webhook: "${hook}" }\n`);
    const xdg = join(tmp, `xdg-${tag}`);
    const env = motoCliEnv({ XDG_CONFIG_HOME: xdg, CI: 'true', AWS_SECRET_ACCESS_KEY: AWS_SECRET, AWS_SESSION_TOKEN: AWS_TOKEN });
    const journal = join(tmp, `${tag}.json`);
    const args = ['--plan', plan, '--from', 'us-east-1', '--to', 'eu-west-1', '--journal', journal];
    const runs = [
      await relia(['failover', 'plan', ...args.slice(0, 6), '--verbose'], { env }),
      await relia(['failover', 'apply', ...args, '--yes', '--verbose', '--progress', 'json'], { env }),
      await relia(['failover', 'rollback', '--journal', journal, '--yes', '--json', '--verbose'], { env }),
      await relia(['failover', 'status', '--journal', journal, '--verbose'], { env }),
    ];
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    // The hook answered 500 and relia said so, naming the host only.
    expect(runs[1]!.stderr).toContain(`warning: notify.webhook http://127.0.0.1:${port}/… answered 500`);
    const configFiles = existsSync(join(xdg, 'relia', 'failover')) ? readdirSync(join(xdg, 'relia', 'failover')).map((f) => join(xdg, 'relia', 'failover', f)) : [];
    const all = everything(runs, [journal, ...configFiles]);
    for (const secret of [HOOK_SECRET, AWS_SECRET, AWS_TOKEN]) expect(all).not.toContain(secret);
  });
});
