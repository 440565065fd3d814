/**
 * The `budget:` keys of relia.config.yaml are read by the commands that the
 * docs name (docs/config.md): one test per key, against the real Prometheus
 * history. Relative paths in the config resolve against the config file's
 * directory, so each command runs from an unrelated working directory.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetCheckResult } from '../../commands/budget/check.js';
import type { BudgetRulesResult } from '../../commands/budget/rules.js';
import type { BudgetStatusResult } from '../../commands/budget/status.js';
import type { BudgetValidateResult } from '../../commands/budget/validate.js';
import type { HistoryExpected } from '../../scripts/history/expected.mjs';
import { reliaJson, type RunOptions } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-budget-config-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const elsewhere = mkdtempSync(join(tmpdir(), 'relia-budget-config-cwd-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

let END: string;
let prom: string;
const opts = (): RunOptions => ({ cwd: elsewhere, env: { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined } });

function spec(service: string): string {
  return `apiVersion: relia/v1
kind: SLO
service: ${service}
name: availability
objective: 99.9
window: 30d
sli:
  bad: sum(rate(http_requests_total{service="${service}",code="500"}[{{.window}}]))
  total: sum(rate(http_requests_total{service="${service}"}[{{.window}}]))
`;
}

function config(name: string, budget: string): string {
  const path = join(tmp, name);
  writeFileSync(path, `environments:\n  test:\n    metrics:\n      url: ${prom}\nbudget:\n${budget}`);
  return path;
}

beforeAll(() => {
  const info = servers();
  prom = info.prometheus.url;
  END = (JSON.parse(readFileSync(info.history.expectedFile, 'utf8')) as HistoryExpected).end;
  mkdirSync(join(tmp, 'slos'), { recursive: true });
  writeFileSync(join(tmp, 'slos', 'checkout.yaml'), spec('checkout'));
  writeFileSync(join(tmp, 'slos', 'search.yaml'), spec('search'));
  // A policy that blocks as soon as any budget is consumed at all.
  writeFileSync(join(tmp, 'strict-policy.yaml'), 'apiVersion: relia/v1\nkind: BudgetPolicy\nblock:\n  remainingAtOrBelow: 0.99\n');
});

describe('budget.slos', () => {
  it('is the default --slo of status, check, validate and rules, relative to the config file', async () => {
    const cfg = config('slos.yaml', '  slos: [slos/]\n');
    const status = await reliaJson<BudgetStatusResult>(['budget', 'status', '--config', cfg, '--at', END], opts());
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.json.result?.slos.map((s) => s.id).sort()).toEqual(['checkout/availability', 'search/availability']);
    const check = await reliaJson<BudgetCheckResult>(['budget', 'check', '--config', cfg, '--at', END], opts());
    expect([0, 1], check.stderr).toContain(check.exitCode);
    expect(check.json.result?.slos.length).toBe(2);
    const validate = await reliaJson<BudgetValidateResult>(['budget', 'validate', '--config', cfg], opts());
    expect(validate.exitCode, validate.stderr).toBe(0);
    expect(validate.json.result?.slos.length).toBe(2);
    const rules = await reliaJson<BudgetRulesResult>(['budget', 'rules', '--config', cfg], opts());
    expect(rules.exitCode, rules.stderr).toBe(0);
    expect(rules.json.result?.slos.sort()).toEqual(['checkout/availability', 'search/availability']);
  });

  it('--slo wins over the config', async () => {
    const cfg = config('slos-flag.yaml', '  slos: [slos/]\n');
    const status = await reliaJson<BudgetStatusResult>(['budget', 'status', '--config', cfg, '--slo', join(tmp, 'slos', 'search.yaml'), '--at', END], opts());
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.json.result?.slos.map((s) => s.id)).toEqual(['search/availability']);
  });

  it('neither --slo nor budget.slos: exit 2 in one line naming the flag, its purpose and the config key', async () => {
    const cfg = config('none.yaml', '  burnWindows: [1h]\n');
    const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--config', cfg, '--at', END], opts());
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.field).toBe('--slo');
    expect(r.json.error?.message).toBe('no SLO specs given: --slo names the SLO spec files or directories to read');
    expect(r.json.error?.suggestions.join(' ')).toContain('budget.slos');
  });
});

describe('budget.policy', () => {
  it('is the default --policy of check, relative to the config file', async () => {
    const lenient = await reliaJson<BudgetCheckResult>(['budget', 'check', '--config', config('p0.yaml', '  slos: [slos/checkout.yaml]\n'), '--at', END], opts());
    expect(lenient.exitCode, lenient.stderr).toBe(0);
    const strict = await reliaJson<BudgetCheckResult>(['budget', 'check', '--config', config('p1.yaml', '  slos: [slos/checkout.yaml]\n  policy: strict-policy.yaml\n'), '--at', END], opts());
    expect(strict.exitCode, strict.stderr).toBe(1);
  });
});

describe('budget.burnWindows', () => {
  it('sets the windows status reports when no policy file is used', async () => {
    const cfg = config('bw.yaml', '  slos: [slos/checkout.yaml]\n  burnWindows: [30m, 2h]\n');
    const r = await reliaJson<BudgetStatusResult>(['budget', 'status', '--config', cfg, '--at', END], opts());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(Object.keys(r.json.result!.slos[0]!.burnRates)).toEqual(['30m', '2h']);
  });
});
