/**
 * `relia failover`, run as the BUILT CLI through the real AWS adapters
 * (plugins/aws) against moto: a hosted zone with two weighted records and
 * health checks, an Auto Scaling group per region from a launch template
 * (InService at once on moto), CloudWatch alarms driven with SetAlarmState.
 * Each test gets its own zone and groups. The SLO guard reads the real
 * Prometheus history (--slo-at replays the recommendations fast burn).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailoverApplyResult } from '../../commands/failover/apply.js';
import type { FailoverStatusResult } from '../../commands/failover/status.js';
import type { FailoverEvaluateResult } from '../../commands/failover/evaluate.js';
import type { Journal } from '../../src/core/failover/journal.js';
import { readWeights, weightedZone } from '../helpers/failover.js';
import { createGroup, createHealthCheck, motoCliEnv, motoEnv, motoUrl, setAlarm, uniqueName } from '../helpers/moto.js';
import { BIN, recordExit, relia, reliaJson, ROOT, type RunOptions } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-failover-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let env: RunOptions['env'];
beforeAll(() => {
  motoEnv();
  env = motoCliEnv({ XDG_CONFIG_HOME: join(tmp, 'config'), CI: 'true' });
});

const r53 = () => new Route53Client({ region: 'us-east-1', endpoint: motoUrl() });

interface Setup {
  zoneId: string;
  record: string;
  plan: string;
  journal: string;
  use1: string;
  euw1: string;
}

const weights = (s: Setup) => readWeights(s.zoneId, s.record);

async function desired(region: string, name: string): Promise<number> {
  const asg = new AutoScalingClient({ region, endpoint: motoUrl() });
  try {
    const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    return out.AutoScalingGroups?.[0]?.DesiredCapacity ?? -1;
  } finally {
    asg.destroy();
  }
}

/** A zone, 100/0 weighted records, health checks, a group per region (6 InService in the source, 2 in the target) and OK alarms. */
async function setup(options: { weights?: [number, number]; extra?: string; euSlos?: string; bake?: string; capacity?: string } = {}): Promise<Setup> {
  const tag = uniqueName('fo');
  const { zoneId, zoneName, record } = await weightedZone(tag, options.weights ?? [100, 0]);
  const [hc1, hc2] = [await createHealthCheck(), await createHealthCheck()];
  const use1 = `${tag}-use1`;
  const euw1 = `${tag}-euw1`;
  await createGroup('us-east-1', use1, { min: 1, max: 20, desired: 6 });
  await createGroup('eu-west-1', euw1, { min: 1, max: 20, desired: 2 });
  await setAlarm('us-east-1', `${tag}-use1-5xx`, 'OK', 'test');
  await setAlarm('eu-west-1', `${tag}-euw1-5xx`, 'OK', 'test');
  const plan = join(tmp, `${tag}.yaml`);
  writeFileSync(
    plan,
    `name: ${tag}
dns: { zone: ${zoneName}, record: ${record} }
regions:
  us-east-1: { setIdentifier: us-east-1, healthCheck: ${hc1}, alarms: [${tag}-use1-5xx], capacity: [{ asg: ${use1} }] }
  eu-west-1: { setIdentifier: eu-west-1, healthCheck: ${hc2}, alarms: [${tag}-euw1-5xx], capacity: [{ asg: ${euw1} }]${options.euSlos ?? ''} }
steps: [50, 100]
bake: ${options.bake ?? '0s'}
guardInterval: 1s
capacity: ${options.capacity ?? '{ percentToMatch: 100, timeout: 2m }'}
${options.extra ?? ''}`,
  );
  return { zoneId, record, plan, journal: join(tmp, `${tag}.journal.json`), use1, euw1 };
}

const apply = (s: Setup, ...more: string[]) => ['failover', 'apply', '--plan', s.plan, '--from', 'us-east-1', '--to', 'eu-west-1', '--yes', ...(more.includes('--journal') ? [] : ['--journal', s.journal]), ...more];
const journalOf = (s: Setup) => JSON.parse(readFileSync(s.journal, 'utf8')) as Journal;

describe('relia failover on moto', () => {
  it('a full evacuation: the target ASG scaled first, then 100/0 → 50/50 → 0/100', { timeout: 90_000 }, async () => {
    const s = await setup();
    const r = await reliaJson<FailoverApplyResult>(apply(s), { env });
    expect(r.exitCode, JSON.stringify(r.json.error)).toBe(0);
    expect(r.json.result!.weights).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    expect(await weights(s)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    expect(await desired('eu-west-1', s.euw1)).toBe(6); // ceil(100 % × 6 InService)
    const j = journalOf(s);
    expect(j.status).toBe('completed');
    expect(j.steps.map((x) => [x.percent, x.weights, x.state])).toEqual([
      [50, { 'us-east-1': 50, 'eu-west-1': 50 }, 'baked'],
      [100, { 'us-east-1': 0, 'eu-west-1': 100 }, 'baked'],
    ]);
    expect(j.scaling).toMatchObject([{ kind: 'asg', name: s.euw1, where: 'eu-west-1', before: 2, desired: 6, need: 6, ready: 6 }]);
    const types = j.events.map((e) => e.type);
    expect(types.indexOf('scaled')).toBeLessThan(types.indexOf('step'));
    // The lock is gone.
    const client = r53();
    const txt = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: s.zoneId }));
    client.destroy();
    expect((txt.ResourceRecordSets ?? []).filter((x) => x.Type === 'TXT')).toEqual([]);
  });

  it('an unhealthy target (alarm in ALARM): exit 1, weights and capacity unchanged', { timeout: 90_000 }, async () => {
    const s = await setup();
    const tag = s.euw1.replace(/-euw1$/, '');
    await setAlarm('eu-west-1', `${tag}-euw1-5xx`, 'ALARM', '5xx above 1%');
    const r = await reliaJson<FailoverApplyResult>(apply(s), { env });
    expect(r.exitCode).toBe(1);
    expect(r.json.error!.message).toMatch(/target eu-west-1 healthy: alarm .*-euw1-5xx is ALARM \(5xx above 1%\)/);
    expect(await weights(s)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
    expect(await desired('eu-west-1', s.euw1)).toBe(2);
  });

  it('SIGINT mid-operation: exit 130 at a completed step; status; resume to completion without repeating step 1; rollback to 100/0', { timeout: 90_000 }, async () => {
    const s = await setup({ bake: '60s', capacity: '{ timeout: 2m, scaleBackOnRollback: true }' });
    const child = execa('node', [BIN, ...apply(s)], { cwd: ROOT, env: { NO_COLOR: '1', ...env }, reject: false });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += String(d);
        if (/"type":"guard"/.test(stderr)) resolve();
      });
    });
    child.kill('SIGINT');
    const first = await child;
    recordExit(first.exitCode, 'failover apply (SIGINT)');
    expect(first.exitCode, stderr).toBe(130);
    expect(await weights(s)).toEqual({ 'us-east-1': 50, 'eu-west-1': 50 });
    const interrupted = journalOf(s);
    expect(interrupted).toMatchObject({ status: 'interrupted', position: 0, reason: 'interrupted by SIGINT at step 1 (50%)' });
    const step1Change = interrupted.steps[0]!.changeId;

    const st = await reliaJson<FailoverStatusResult>(['failover', 'status', '--journal', s.journal], { env });
    expect(st.exitCode).toBe(0);
    expect(st.json.result!.summary).toMatch(/interrupted at step 1 of 2 \(50%\)/);
    expect(st.json.result!.liveWeights).toEqual({ 'us-east-1': 50, 'eu-west-1': 50 });
    expect(st.json.result!.drift).toBe(false);

    const resumed = await reliaJson<FailoverApplyResult>(['failover', 'resume', '--journal', s.journal, '--bake', '0s', '--yes'], { env });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(await weights(s)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    const done = journalOf(s);
    expect(done.id).toBe(interrupted.id);
    expect(done.steps[0]!.changeId).toBe(step1Change); // step 1 was not sent again
    expect(done.status).toBe('completed');

    const back = await reliaJson<FailoverApplyResult>(['failover', 'rollback', '--journal', s.journal, '--bake', '0s', '--yes'], { env });
    expect(back.exitCode, back.stderr).toBe(0);
    expect(await weights(s)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
    expect(back.json.result!.operation).toMatchObject({ kind: 'rollback', rollsBack: interrupted.id, status: 'completed' });
    expect(await desired('eu-west-1', s.euw1)).toBe(2); // scaled back to its recorded size
  });

  it('two concurrent applies: one gets the lock, the other exits 1 naming the holder', { timeout: 60_000 }, async () => {
    const s = await setup({ bake: '3s' });
    const [a, b] = await Promise.all([relia(apply(s), { env }), relia(apply(s, '--journal', `${s.journal}.b`), { env })]);
    const codes = [a.exitCode, b.exitCode].sort();
    expect(codes).toEqual([0, 1]);
    const loser = a.exitCode === 1 ? a : b;
    expect(loser.stderr).toMatch(/another failover holds the lock on api\..*: held by \S+@\S+:\d+ \(operation \d{8}T\d{6}-[0-9a-f]{4}\)/);
    expect(await weights(s)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
  });

  it('a plan that would zero every weight is refused, nothing changed', { timeout: 90_000 }, async () => {
    const s = await setup({ weights: [0, 0] });
    const r = await relia(apply(s), { env });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/every weight would be 0/);
    expect(await weights(s)).toEqual({ 'us-east-1': 0, 'eu-west-1': 0 });
    expect(await desired('eu-west-1', s.euw1)).toBe(2);
  });

  it('the SLO guard on the real Prometheus history: a step whose bake reads a burning SLO reverts (exit 4)', { timeout: 90_000 }, async () => {
    const policy = join(tmp, 'guard-policy.yaml');
    writeFileSync(policy, 'apiVersion: relia/v1\nkind: BudgetPolicy\nblock: { budgetExhausted: false }\ndynamic: { enabled: false }\n');
    const slo = join(ROOT, 'docs/examples/slo/services/recommendations.yaml');
    const s = await setup({ euSlos: `, slos: [${slo}]`, extra: `sloPolicy: ${policy}\n`, bake: '60s' });
    // The fast burn first fires at 22:35:00; the pre-check reads ~22:34:50, the bake crosses 22:35.
    const r = await reliaJson<FailoverApplyResult>([...apply(s), '--slo-at', '2026-10-31T22:34:50Z', '--prometheus', servers().prometheus.url], { env });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.json.error!.message).toMatch(/guard breached at step 1 \(eu-west-1: SLO recommendations\/availability: .*fast burn/);
    expect(await weights(s)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
    expect(journalOf(s).status).toBe('reverted');
  });

  it('bad input is exit 2 naming the field: --from equal to --to, an unknown region, an ASG not in its region', { timeout: 90_000 }, async () => {
    const s = await setup();
    const same = await reliaJson(['failover', 'plan', '--plan', s.plan, '--from', 'us-east-1', '--to', 'us-east-1'], { env });
    expect(same.exitCode).toBe(2);
    const unknown = await reliaJson(['failover', 'plan', '--plan', s.plan, '--from', 'us-west-2', '--to', 'eu-west-1'], { env });
    expect(unknown.json.error).toMatchObject({ field: '--from' });
    writeFileSync(s.plan, readFileSync(s.plan, 'utf8').replace(`capacity: [{ asg: ${s.euw1} }]`, `capacity: [{ asg: ${s.use1} }]`));
    const wrong = await reliaJson(apply(s), { env });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.json.error).toMatchObject({ field: 'regions.eu-west-1.capacity[0].asg' });
    expect(await weights(s)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
  });

  it('a record set that is not weighted is exit 2 naming dns.record, nothing changed', { timeout: 90_000 }, async () => {
    const s = await setup();
    // Replace the weighted pair by one simple A record.
    const client = r53();
    const simple = { Name: s.record, Type: 'A' as const, TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] };
    const listed = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: s.zoneId, StartRecordName: s.record, StartRecordType: 'A' }));
    const pair = (listed.ResourceRecordSets ?? []).filter((r) => r.Name === s.record && r.Type === 'A');
    await client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: s.zoneId, ChangeBatch: { Changes: [...pair.map((r) => ({ Action: 'DELETE' as const, ResourceRecordSet: r })), { Action: 'CREATE', ResourceRecordSet: simple }] } }));
    client.destroy();
    const r = await reliaJson(apply(s), { env });
    expect(r.exitCode).toBe(2);
    expect(r.json.error).toMatchObject({ field: 'dns.record' });
    expect(r.json.error!.message).toMatch(/is not a weighted record set/);
    expect(r.json.error!.suggestions.join('\n')).toMatch(/SetIdentifier \+ Weight/);
    expect(await desired('eu-west-1', s.euw1)).toBe(2);
  });

  it('evaluate: exit 0 on a sound plan; plan: read-only steps and pre-checks', { timeout: 90_000 }, async () => {
    const s = await setup();
    const e = await reliaJson<FailoverEvaluateResult>(['failover', 'evaluate', '--plan', s.plan], { env });
    expect(e.exitCode, JSON.stringify(e.json.result?.problems)).toBe(0);
    const p = await relia(['failover', 'plan', '--plan', s.plan, '--from', 'us-east-1', '--to', 'eu-west-1'], { env });
    expect(p.exitCode).toBe(0);
    expect(p.stdout).toMatch(/1 \(50%\)\s+us-east-1=50 {2}eu-west-1=50/);
    expect(p.stdout).toMatch(/ceil\(100% × 6 InService in us-east-1\)/);
    expect(await desired('eu-west-1', s.euw1)).toBe(2);
  });

  it('freeze blocks apply until unfreeze', { timeout: 90_000 }, async () => {
    const s = await setup();
    expect((await relia(['failover', 'freeze', '--plan', s.plan, '--reason', 'premiere night'], { env })).exitCode).toBe(0);
    const blocked = await relia(apply(s), { env });
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stderr).toMatch(/frozen by .*premiere night/);
    expect((await relia(['failover', 'unfreeze', '--plan', s.plan], { env })).exitCode).toBe(0);
    expect((await relia(apply(s), { env })).exitCode).toBe(0);
  });
});
