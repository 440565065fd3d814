/**
 * The failover commands in-process, past their input checks: plan, evaluate,
 * apply (dry run by default, --yes, a guard breach that reverts, a control
 * plane that does not answer, an interrupt between steps), status, resume,
 * rollback, freeze and unfreeze. The real command classes run with oclif's
 * runner; the AWS ports are the contract-checked fakes of test/fakes
 * (MemoryDns, MemoryCompute, MemoryAlarms, seeded by the failover engine
 * tests' world) put behind the `relia:providers` hook in place of
 * plugins/aws, on a FakeClock (bakes and polls take no real
 * time). Each test asserts the envelope, the exit code, the human lines the
 * docs promise (docs/failover.md) and what changed in the fakes.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import FailoverApply, { type FailoverApplyResult } from '../../../commands/failover/apply.js';
import FailoverEvaluate, { type FailoverEvaluateResult } from '../../../commands/failover/evaluate.js';
import FailoverFreeze, { type FailoverFreezeResult } from '../../../commands/failover/freeze.js';
import FailoverPlan, { type FailoverPlanResult } from '../../../commands/failover/plan.js';
import FailoverResume, { type FailoverResumeResult } from '../../../commands/failover/resume.js';
import FailoverRollback, { type FailoverRollbackResult } from '../../../commands/failover/rollback.js';
import FailoverStatus, { type FailoverStatusResult } from '../../../commands/failover/status.js';
import FailoverUnfreeze, { type FailoverUnfreezeResult } from '../../../commands/failover/unfreeze.js';
import type { Journal } from '../../../src/core/failover/journal.js';
import type { ProviderRegistration } from '../../../src/ports/providers.js';
import { planText, RECORD, T0, world as engineWorld } from '../core/failover/world.js';
import { fakeProvider, runInProcess, type InProcessOptions } from '../../helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'relia-failover-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = join(dir, 'relia.config.yaml');
writeFileSync(config, 'version: 1\n');

function planFile(name: string, extra = ''): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}
dns: { zone: example.com., record: ${RECORD} }
regions:
  us-east-1: { setIdentifier: use1, healthCheck: hc-use1, alarms: [api-use1-5xx], capacity: [{ asg: api-use1 }] }
  eu-west-1: { setIdentifier: euw1, healthCheck: hc-euw1, alarms: [api-euw1-5xx], capacity: [{ asg: api-euw1 }] }
steps: [50, 100]
bake: 2m
guardInterval: 30s
${extra}`,
  );
  return path;
}

interface Env<R> {
  status: number;
  result?: R;
  error?: { name: string; message: string; field?: string; suggestions: string[] };
  warnings: string[];
}

/**
 * The AWS side of one test: the failover engine tests' world (test/unit/core/failover/world.ts: Route 53,
 * Auto Scaling and CloudWatch fakes seeded with use1 at 100 and euw1 at 0, the source group at 6, the
 * target at 2, both alarms OK, a FakeClock at T0), its fakes put behind the providers hook.
 */
function world(options: { weights?: [number, number]; targetDesired?: number } = {}) {
  const w = engineWorld(options);
  const { clock, memDns: dns, compute, alarms } = w;
  const zone = { id: w.zoneId };
  const signals = new EventEmitter();
  const contexts: Array<string | undefined> = [];
  const providers = [
    fakeProvider('dns', 'aws', () => dns),
    fakeProvider('compute', 'aws', () => compute),
    fakeProvider('alarms', 'aws', () => alarms),
    // one cluster per kubeconfig context (use1: 4 replicas, euw1: 1), as the plan's capacity names them
    { port: 'cluster', scheme: 'kubernetes', create: async (settings) => (contexts.push(settings.context), w.ports().cluster!(settings.context ?? '')) } satisfies ProviderRegistration<'cluster'>,
  ];
  const desired = async (region: string, name: string) => (await compute.describeGroups(region, [name]))[0]?.desired;
  const opts: InProcessOptions = { providers, clock, signals };
  const run = <R>(Cmd: Parameters<typeof runInProcess>[0], argv: string[]) => runInProcess<R>(Cmd, [...argv, '--config', config], opts);
  return { clock, dns, zone, compute, alarms, cluster: w.cluster, contexts, signals, weights: () => w.weights(), desired, run };
}

const direction = (plan: string, journal?: string) => ['--plan', plan, '--from', 'us-east-1', '--to', 'eu-west-1', ...(journal ? ['--journal', journal] : [])];
const readJournalFile = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Journal;

describe('failover plan in-process', () => {
  it('read-only: the weights now, each step with its weights, the capacity the target needs, every pre-check passing (exit 0)', async () => {
    const w = world();
    const plan = planFile('plan-ok');
    const r = await w.run<FailoverPlanResult>(FailoverPlan, [...direction(plan), '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<FailoverPlanResult>>();
    expect(e.status).toBe(0);
    expect(e.result).toMatchObject({ plan: 'plan-ok', from: 'us-east-1', to: 'eu-west-1', mode: 'graceful', record: RECORD, weights: { 'us-east-1': 100, 'eu-west-1': 0 }, ok: true, freeze: null, lock: null });
    expect(e.result?.steps.map((s) => [s.percent, s.weights, s.violations])).toEqual([
      [50, { 'us-east-1': 50, 'eu-west-1': 50 }, []],
      [100, { 'us-east-1': 0, 'eu-west-1': 100 }, []],
    ]);
    // percentToMatch 100 % of the source's 6 InService: the target (2 now) needs 6
    expect(e.result?.capacity.map((c) => [c.target.ref.name, c.target.desired, c.need])).toEqual([['api-euw1', 2, 6]]);
    expect(e.result?.prechecks.every((p) => p.ok)).toBe(true);
    // nothing changed: weights and the target's size as they were
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    expect(await w.desired('eu-west-1', 'api-euw1')).toBe(2);

    const human = await w.run(FailoverPlan, direction(plan));
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain('failover plan-ok: us-east-1 → eu-west-1 (graceful)');
    expect(human.stdout).toMatch(/weights now +us-east-1=100 {2}eu-west-1=0/);
    expect(human.stdout).toMatch(/2 \(100%\) +us-east-1=0 {2}eu-west-1=100/);
    expect(human.stdout).toContain('pre-checks');
    expect(human.stdout).not.toContain('✗');
  });

  it('an unhealthy target or an alarm in ALARM: exit 1 naming the failed pre-check, nothing changed', async () => {
    const w = world();
    w.dns.setHealth('hc-euw1', false);
    const r = await w.run(FailoverPlan, [...direction(planFile('plan-unhealthy')), '--json']);
    expect(r.exitCode).toBe(1);
    const e = r.json<Env<FailoverPlanResult>>();
    expect(e.status).toBe(1);
    expect(e.result?.ok).toBe(false);
    expect(e.error).toMatchObject({ name: 'CheckFailed' });
    expect(e.error?.message).toMatch(/^pre-checks failed: /);
    const failed = e.result!.prechecks.filter((p) => !p.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(e.error?.message).toContain(failed[0]!.name);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });

    const w2 = world();
    w2.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM');
    const human = await w2.run(FailoverPlan, direction(planFile('plan-alarm')));
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toMatch(/✗ .*api-euw1-5xx/);
  });

  it('Route 53 unreachable: exit 3, a DependencyError naming it', async () => {
    const w = world();
    w.dns.unreachable = true;
    const r = await w.run(FailoverPlan, [...direction(planFile('plan-down')), '--json']);
    expect(r.exitCode).toBe(3);
    expect(r.json<Env<never>>().error).toMatchObject({ name: 'DependencyError' });
    expect(r.json<Env<never>>().error?.message).toMatch(/route53/);
  });
});

describe('failover evaluate in-process', () => {
  it('everything the plan names exists: exit 0, every check ok, the weights now', async () => {
    const w = world();
    const r = await w.run<FailoverEvaluateResult>(FailoverEvaluate, ['--plan', planFile('eval-ok'), '--json']);
    expect(r.exitCode, r.stdout).toBe(0);
    const e = r.json<Env<FailoverEvaluateResult>>();
    expect(e.result).toMatchObject({ plan: 'eval-ok', ok: true, problems: [], weights: { 'us-east-1': 100, 'eu-west-1': 0 } });
    expect(e.result!.checks.length).toBeGreaterThan(3);
    expect(e.result!.checks.every((c) => c.ok)).toBe(true);
    const human = await w.run(FailoverEvaluate, ['--plan', planFile('eval-ok')]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain('✓');
  });

  it('a missing Auto Scaling group and a missing alarm: exit 1 with each problem listed, nothing changed', async () => {
    const w = world();
    const plan = join(dir, 'eval-missing.yaml');
    writeFileSync(plan, readFileSync(planFile('eval-missing'), 'utf8').replace('{ asg: api-euw1 }', '{ asg: api-euw1-gone }').replace('[api-use1-5xx]', '[api-use1-gone]'));
    const r = await w.run<FailoverEvaluateResult>(FailoverEvaluate, ['--plan', plan, '--json']);
    expect(r.exitCode).toBe(1);
    const e = r.json<Env<FailoverEvaluateResult>>();
    expect(e.result?.ok).toBe(false);
    expect(e.result?.problems.join('\n')).toMatch(/api-euw1-gone/);
    expect(e.result?.problems.join('\n')).toMatch(/api-use1-gone/);
    expect(e.error?.message).toBe(`${e.result!.problems.length} problems in plan eval-missing`);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });
});

describe('failover apply in-process', () => {
  it('without --yes (off a TTY): the preview and a dry run; no weight, size or journal changed', async () => {
    const w = world();
    const journal = join(dir, 'dry.json');
    const r = await w.run<FailoverApplyResult>(FailoverApply, [...direction(planFile('dry'), journal), '--json']);
    expect(r.exitCode).toBe(0);
    const e = r.json<Env<FailoverApplyResult>>();
    expect(e.result).toMatchObject({ dryRun: true, nothingToDo: false, journalFile: null, operation: null, weights: { 'us-east-1': 100, 'eu-west-1': 0 } });
    expect(e.result?.preview?.ok).toBe(true);
    const human = await w.run(FailoverApply, direction(planFile('dry'), journal));
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain('dry run: nothing was changed; pass --yes to act');
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    expect(await w.desired('eu-west-1', 'api-euw1')).toBe(2);
    expect(existsSync(journal)).toBe(false);
  });

  it('without --yes and a failing pre-check: exit 1, "pre-checks failed; nothing was changed"', async () => {
    const w = world();
    w.dns.setHealth('hc-euw1', false);
    const r = await w.run(FailoverApply, [...direction(planFile('dry-bad'), join(dir, 'dry-bad.json')), '--json']);
    expect(r.exitCode).toBe(1);
    expect(r.json<Env<FailoverApplyResult>>().error?.message).toBe('pre-checks failed; nothing was changed');
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });

  it('--yes: scales the target first, then walks 50 → 100 with a journal; exit 0; a second run has nothing to do', async () => {
    const w = world();
    const journal = join(dir, 'apply.json');
    const r = await w.run<FailoverApplyResult>(FailoverApply, [...direction(planFile('apply'), journal), '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<FailoverApplyResult>>();
    expect(e.result).toMatchObject({ dryRun: false, nothingToDo: false, journalFile: journal, weights: { 'us-east-1': 0, 'eu-west-1': 100 } });
    expect(e.result?.operation).toMatchObject({ kind: 'apply', status: 'completed', position: 1, from: 'us-east-1', to: 'eu-west-1' });
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
    expect(await w.desired('eu-west-1', 'api-euw1')).toBe(6); // never down, up to ceil(100 % × 6)
    expect(await w.desired('us-east-1', 'api-use1')).toBe(6);
    const saved = readJournalFile(journal);
    expect(saved.status).toBe('completed');
    expect(saved.steps.map((s) => s.weights)).toEqual([
      { use1: 50, euw1: 50 },
      { use1: 0, euw1: 100 },
    ]);
    // the bakes ran on the fake clock: two of 2 minutes at least
    expect(w.clock.now() - T0).toBeGreaterThanOrEqual(4 * 60_000);

    const again = await w.run<FailoverApplyResult>(FailoverApply, [...direction(planFile('apply'), journal), '--yes']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to do: the weights are already us-east-1=0 eu-west-1=100');
  });

  it('--yes with Kubernetes capacity: one cluster port per context, the target deployment scaled to the source’s ready replicas before the first step', async () => {
    const w = world();
    const plan = join(dir, 'kube.yaml');
    writeFileSync(plan, planText().replace('name: api', 'name: kube'));
    const journal = join(dir, 'kube.json');
    const r = await w.run<FailoverApplyResult>(FailoverApply, [...direction(plan, journal), '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
    expect((await w.cluster.getScale({ kind: 'deployment', namespace: 'web', name: 'api' }))?.replicas).toBe(4);
    expect(await w.desired('eu-west-1', 'api-euw1')).toBe(6);
    expect([...new Set(w.contexts)].sort()).toEqual(['euw1', 'use1']);
    // the journal records what was scaled, from what, to what (for scaleBackOnRollback)
    expect(readJournalFile(journal).scaling.map((s) => [s.kind, s.name, s.where, s.before, s.desired, s.need])).toEqual([
      ['asg', 'api-euw1', 'eu-west-1', 2, 6, 6],
      ['deployment', 'web/api', 'euw1', 1, 4, 4],
    ]);
  });

  it('a guard breach during the bake (target alarm): reverts to the previous step, exit 4, the journal says reverted', async () => {
    const w = world();
    const journal = join(dir, 'breach.json');
    // well into the first step's bake, the target's alarm fires
    w.clock.at(T0 + 60_000, () => w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM'));
    const r = await w.run<FailoverApplyResult>(FailoverApply, [...direction(planFile('breach'), journal), '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(4);
    const e = r.json<Env<never>>();
    expect(e.status).toBe(4);
    expect(e.error?.message).toMatch(/api-euw1-5xx/);
    expect(e.error?.suggestions).toContain(`relia failover status --journal ${journal}`);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    expect(readJournalFile(journal)).toMatchObject({ status: 'reverted', position: -1 });
  });

  it('Route 53 unreachable with --yes: exit 3 before anything changes', async () => {
    const w = world();
    w.dns.unreachable = true;
    const journal = join(dir, 'down.json');
    const r = await w.run(FailoverApply, [...direction(planFile('down'), journal), '--yes', '--json']);
    expect(r.exitCode).toBe(3);
    expect(r.json<Env<never>>().error?.name).toBe('DependencyError');
    expect(await w.desired('eu-west-1', 'api-euw1')).toBe(2);
  });

  it('SIGINT between steps: exit 130, the weights of the finished step stay, the journal says interrupted; resume finishes it', async () => {
    const w = world();
    const journal = join(dir, 'sigint.json');
    w.clock.at(T0 + 30_000, () => w.signals.emit('SIGINT'));
    const r = await w.run(FailoverApply, [...direction(planFile('sigint'), journal), '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    const e = r.json<Env<never>>();
    expect(e.status).toBe(130);
    expect(e.error?.suggestions).toContain(`relia failover status --journal ${journal}`);
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
    const stopped = readJournalFile(journal);
    expect(stopped.position).toBe(0);
    expect(stopped.status).toBe('interrupted');

    // status: the journal's position and the live weights agree
    const status = await w.run<FailoverStatusResult>(FailoverStatus, ['--journal', journal, '--json']);
    expect(status.exitCode).toBe(0);
    expect(status.json<Env<FailoverStatusResult>>().result).toMatchObject({ journalFile: journal, liveWeights: { 'us-east-1': 50, 'eu-west-1': 50 }, drift: false });

    // resume without --yes: a dry run that changes nothing
    const dry = await w.run<FailoverResumeResult>(FailoverResume, ['--journal', journal]);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing was changed; pass --yes to resume');
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });

    const resumed = await w.run<FailoverResumeResult>(FailoverResume, ['--journal', journal, '--yes', '--json']);
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.json<Env<FailoverResumeResult>>().result).toMatchObject({ dryRun: false, weights: { 'us-east-1': 0, 'eu-west-1': 100 } });
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
    expect(readJournalFile(journal).status).toBe('completed');
  });
});

describe('failover status, rollback in-process', () => {
  it('status: the step the journal is at, the live weights, and drift when someone changed them (a warning)', async () => {
    const w = world();
    const journal = join(dir, 'status.json');
    const plan = planFile('status');
    expect((await w.run(FailoverApply, [...direction(plan, journal), '--yes'])).exitCode).toBe(0);
    const human = await w.run(FailoverStatus, ['--journal', journal]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain(journal);

    await w.dns.change(w.zone.id, [{ action: 'UPSERT', record: { name: RECORD, type: 'A', setIdentifier: 'use1', weight: 10, ttl: 60, values: ['192.0.2.10'] } }]);
    const r = await w.run<FailoverStatusResult>(FailoverStatus, ['--journal', journal, '--json']);
    expect(r.exitCode).toBe(0);
    const e = r.json<Env<FailoverStatusResult>>();
    expect(e.result).toMatchObject({ drift: true, liveWeights: { 'us-east-1': 10, 'eu-west-1': 100 } });
    expect(e.warnings).toContain('the live weights differ from the journal’s position: someone changed them');

    // Route 53 down: the journal's view, liveWeights null, a warning, still exit 0
    w.dns.unreachable = true;
    const down = await w.run<FailoverStatusResult>(FailoverStatus, ['--journal', journal, '--json']);
    expect(down.exitCode).toBe(0);
    expect(down.json<Env<FailoverStatusResult>>().result).toMatchObject({ liveWeights: null, drift: false });
    expect(down.json<Env<FailoverStatusResult>>().warnings.join(' ')).toMatch(/cannot read the live weights/);
  });

  it('status with no journal: exit 2 naming --journal', async () => {
    const w = world();
    const r = await w.run(FailoverStatus, ['--journal', join(dir, 'none.json'), '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.json<Env<never>>().error).toMatchObject({ name: 'InputError', field: '--journal' });
  });

  it('rollback: without --yes a dry run; with --yes back to the weights before, stepwise; exit 0', async () => {
    const w = world();
    const journal = join(dir, 'rollback.json');
    expect((await w.run(FailoverApply, [...direction(planFile('rollback'), journal), '--yes'])).exitCode).toBe(0);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });

    const dry = await w.run<FailoverRollbackResult>(FailoverRollback, ['--journal', journal, '--json']);
    expect(dry.exitCode).toBe(0);
    expect(dry.json<Env<FailoverRollbackResult>>().result).toMatchObject({ dryRun: true, journalFile: journal });
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });

    const r = await w.run<FailoverRollbackResult>(FailoverRollback, ['--journal', journal, '--yes', '--bake', '0s', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<FailoverRollbackResult>>();
    expect(e.result).toMatchObject({ dryRun: false, weights: { 'us-east-1': 100, 'eu-west-1': 0 } });
    expect(e.result?.operation).toMatchObject({ kind: 'rollback', status: 'completed' });
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });
});

describe('failover freeze and unfreeze in-process', () => {
  it('freeze writes the marker and blocks apply (exit 1, nothing moved); unfreeze lifts it; each twice is idempotent', async () => {
    const w = world();
    const plan = planFile('freeze');
    const f = await w.run<FailoverFreezeResult>(FailoverFreeze, ['--plan', plan, '--reason', 'premiere night', '--json']);
    expect(f.exitCode, f.stdout).toBe(0);
    expect(f.json<Env<FailoverFreezeResult>>().result).toMatchObject({ record: RECORD, frozen: true, changed: true, freeze: { reason: 'premiere night' } });
    expect(w.dns.records(w.zone.id).some((r) => r.type === 'TXT' && r.name === `_relia-freeze.${RECORD}`)).toBe(true);
    const again = await w.run(FailoverFreeze, ['--plan', plan, '--reason', 'other']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^${RECORD.replaceAll('.', '\\.')}: already frozen by .*: premiere night`));

    const blocked = await w.run(FailoverApply, [...direction(plan, join(dir, 'frozen.json')), '--yes', '--json']);
    expect(blocked.exitCode).toBe(1);
    expect(JSON.stringify(blocked.json<Env<never>>().error)).toMatch(/frozen/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });

    const u = await w.run<FailoverUnfreezeResult>(FailoverUnfreeze, ['--plan', plan, '--json']);
    expect(u.exitCode).toBe(0);
    expect(u.json<Env<FailoverUnfreezeResult>>().result).toMatchObject({ frozen: false, changed: true, freeze: { reason: 'premiere night' } });
    expect(w.dns.records(w.zone.id).some((r) => r.type === 'TXT')).toBe(false);
    const u2 = await w.run(FailoverUnfreeze, ['--plan', plan]);
    expect(u2.stdout.trim()).toBe(`${RECORD}: was not frozen`);
  });

  it('freeze with Route 53 unreachable: exit 3', async () => {
    const w = world();
    w.dns.unreachable = true;
    const r = await w.run(FailoverFreeze, ['--plan', planFile('freeze-down'), '--json']);
    expect(r.exitCode).toBe(3);
  });
});
