/**
 * Issue 10, class 1: a gate fails closed on nonsense metric data, not only on
 * unreachable data. The BUILT CLI against the real Prometheus with the
 * backfilled history: PromQL itself produces the nonsense (0/0 is NaN, x/0 is
 * +Inf, a negated rate is negative), on top of a real SLO whose budget is
 * exhausted (recommendations). Before the fix these exited 0 (PASS, "no data")
 * or passed a negative error ratio as 0.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetCheckResult } from '../../commands/budget/check.js';
import type { HistoryExpected } from '../../scripts/history/expected.mjs';
import { relia, reliaJson, type RunOptions } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-failclosed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const clean: RunOptions = { env: { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined } };
let prom: string;
let END: string;

const BAD = 'sum(rate(http_requests_total{service="recommendations",code="500"}[{{.window}}]))';
const TOTAL = 'sum(rate(http_requests_total{service="recommendations"}[{{.window}}]))';

function spec(name: string, bad: string, total: string): string {
  const path = join(tmp, `${name}.yaml`);
  writeFileSync(path, `apiVersion: relia/v1\nkind: SLO\nservice: recommendations\nname: ${name}\nobjective: 99.9\nwindow: 30d\nsli:\n  bad: ${bad}\n  total: ${total}\n`);
  return path;
}

beforeAll(() => {
  const info = servers();
  prom = info.prometheus.url;
  END = (JSON.parse(readFileSync(info.history.expectedFile, 'utf8')) as HistoryExpected).end;
});

describe('budget check: nonsense metric data makes the SLO invalid and the gate exit 3', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['nan-total', BAD, `${TOTAL} * 0 / 0`, /not a number: NaN/],
    ['inf-total', BAD, `${TOTAL} / 0`, /infinite value: \+Inf/],
    ['negative-bad', `-${BAD}`, TOTAL, /negative value: -/],
    ['bad-above-total', `${TOTAL} * 2`, TOTAL, /bad \(30d\) larger than total \(30d\)/],
  ];
  for (const [name, bad, total, message] of cases) {
    it(`${name}: verdict invalid naming query, value and time; exit 3 with the result`, async () => {
      const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', spec(name, bad, total), '--prometheus', prom, '--at', END, '--allow-no-data'], clean);
      expect(r.exitCode, r.stderr).toBe(3);
      expect(r.json.error?.name).toBe('InvalidMetricData');
      const s = r.json.result!.slos[0]!;
      expect(s).toMatchObject({ verdict: 'invalid', blocked: true, blocks: ['invalid'] });
      expect(s.invalid?.message).toMatch(message);
      expect(s.invalid?.query).toBeTruthy();
      expect(s.invalid?.time).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(r.json.result!.summary.invalid).toBe(1);
    });
  }

  it('--on-unavailable pass does not let nonsense through (it is not unavailability)', async () => {
    const r = await relia(['budget', 'check', '--slo', spec('nan-2', BAD, `${TOTAL} * 0 / 0`), '--prometheus', prom, '--at', END, '--on-unavailable', 'pass'], clean);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/^invalid\s+recommendations\/nan-2$/m);
    expect(r.stderr).toMatch(/Error: metrics answered values that cannot be true for 1 SLO/);
  });

  it('only a policy that says block.invalid: false lets it through', async () => {
    const policy = join(tmp, 'lax.yaml');
    writeFileSync(policy, 'block:\n  invalid: false\n');
    const r = await reliaJson<BudgetCheckResult>(['budget', 'check', '--slo', spec('nan-3', BAD, `${TOTAL} * 0 / 0`), '--prometheus', prom, '--at', END, '--policy', policy], clean);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result!.slos[0]).toMatchObject({ verdict: 'invalid', blocked: false });
    expect(r.json.warnings.join('\n')).toMatch(/invalid metric data/);
  });
});

describe('the same guard for every metrics consumer', () => {
  it('capacity headroom: a NaN usage query is exit 3, naming the value', async () => {
    const r = await reliaJson(['capacity', 'headroom', '--usage-query', 'vector(0) / 0', '--capacity', '100', '--prometheus', prom, '--at', END, '--trend-season', 'none']);
    expect(r.exitCode).toBe(3);
    expect(r.json.error?.message).toMatch(/NaN/);
  });

  it('capacity forecast: a negative series is exit 3', async () => {
    const r = await reliaJson(['capacity', 'forecast', '--query', '-sum(rate(http_requests_total{service="search"}[5m]))', '--prometheus', prom, '--at', END, '--range', '7d']);
    expect(r.exitCode).toBe(3);
    expect(r.json.error?.message).toMatch(/negative value/);
  });
});
