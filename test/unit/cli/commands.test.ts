/**
 * Real commands in-process (oclif's runner, captured output): the glue
 * between flags, the core and the envelope, measured by coverage. The
 * subprocess e2e tests (test/e2e) still run the built binary.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import BudgetValidate from '../../../commands/budget/validate.js';
import CapacityLittle, { type CapacityLittleResult } from '../../../commands/capacity/little.js';
import CapacityPlan from '../../../commands/capacity/plan.js';
import CapacityQueue from '../../../commands/capacity/queue.js';
import ConfigValidate, { type ConfigValidateResult } from '../../../commands/config/validate.js';
import RiskScore from '../../../commands/risk/score.js';
import { runInProcess } from '../../helpers/in-process.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'relia-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Env<R> {
  status: number;
  result?: R;
  error?: { name: string; message: string; field?: string; suggestions: string[] };
  warnings: string[];
}

describe('capacity little in-process', () => {
  it('solves the missing one of three, in human and JSON form (L = λW: 7500/s × 180 s = 1,350,000)', async () => {
    const human = await runInProcess(CapacityLittle, ['--arrival-rate', '7500/s', '--time-in-system', '180s']);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/concurrency \(L\)\s+1\.35e\+6|concurrency \(L\)\s+1,?350,?000/);
    expect(human.stdout).toContain('← solved');
    const json = await runInProcess(CapacityLittle, ['--arrival-rate', '7500/s', '--time-in-system', '180s', '--json']);
    expect(json.json<Env<CapacityLittleResult>>()).toEqual({ status: 0, result: { concurrency: 1_350_000, arrivalRate: 7500, duration: 180, solved: 'concurrency' }, warnings: [] });
  });

  it('a bad number exits 2 naming the flag', async () => {
    const r = await runInProcess(CapacityLittle, ['--concurrency', 'lots', '--time-in-system', '1s', '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.json<Env<never>>().error).toMatchObject({ name: 'InputError', field: '--concurrency' });
  });
});

describe('capacity queue in-process', () => {
  it('an unstable queue (offered load ≥ servers) exits 1 with the result still printed', async () => {
    const r = await runInProcess(CapacityQueue, ['--arrival-rate', '10/s', '--service-time', '1s', '--servers', '5', '--json']);
    expect(r.exitCode).toBe(1);
    const env = r.json<Env<Record<string, unknown>>>();
    expect(env.status).toBe(1);
    expect(env.result).toBeDefined();
  });
});

describe('config validate in-process', () => {
  it('a valid file: exit 0 with its environments', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'version: 1\ndefaultEnvironment: prod\nenvironments:\n  prod:\n    metrics:\n      url: http://127.0.0.1:9090\n  dev: {}\n');
    const r = await runInProcess(ConfigValidate, ['--config', file, '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.json<Env<ConfigValidateResult>>().result).toEqual({ file, environments: ['prod', 'dev'], environment: 'prod', valid: true });
  });

  it('a secret written in the file: exit 2 naming the field, and the secret is not echoed', async () => {
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, 'version: 1\nenvironments:\n  prod:\n    redis:\n      url: redis://127.0.0.1:6379/0\n      password: hunter2-do-not-print\n');
    const r = await runInProcess(ConfigValidate, ['--config', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/secrets are never read from the config file/);
    expect(r.stderr).not.toContain('hunter2-do-not-print');
  });
});

describe('budget validate in-process', () => {
  it('the example SLO specs validate (exit 0); a broken spec exits 2 naming the file', async () => {
    const ok = await runInProcess(BudgetValidate, [join(ROOT, 'docs/examples/slo/services'), '--json']);
    expect(ok.exitCode).toBe(0);
    const bad = join(dir, 'bad-slo.yaml');
    writeFileSync(bad, 'version: 1\nslos:\n  - name: x\n    objective: 150%\n');
    const r = await runInProcess(BudgetValidate, [bad, '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.json<Env<never>>().error?.message).toContain(bad);
  });
});

describe('capacity plan and risk score in-process (the examples in docs/)', () => {
  it('capacity plan of the streaming example: exit 0 with a result', async () => {
    const r = await runInProcess(CapacityPlan, ['--plan', join(ROOT, 'docs/examples/capacity/streaming-plan.yaml'), '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.json<Env<unknown>>().result).toBeDefined();
  });

  it('risk score of the example register: exit 0; --scoring with an unknown value exits 2', async () => {
    const r = await runInProcess(RiskScore, ['--register', join(ROOT, 'docs/examples/risk/register.yaml'), '--json']);
    expect(r.exitCode).toBe(0);
    const bad = await runInProcess(RiskScore, ['--register', join(ROOT, 'docs/examples/risk/register.yaml'), '--scoring', 'vibes', '--json']);
    expect(bad.exitCode).toBe(2);
    expect(bad.json<Env<never>>().error?.suggestions[0]).toMatch(/--help/);
  });
});
