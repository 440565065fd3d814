/**
 * Issue 10, class 1, for the failover SLO guard: nonsense metric data fails
 * closed. The same set-up as failover-slo-guard.test.ts (the engine in-process
 * on the failover world's fakes, the guard on the real Prometheus history),
 * with the source wrapped by `guardMetrics` exactly as `metricsFromConfig`
 * wraps every command's source, and an SLO whose bad-events query PromQL
 * itself turns into NaN (× 0 / 0). The guard must not read that as "no errors":
 * the pre-check refuses (exit 1) with nothing moved. Without the guard the
 * failover went ahead.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrometheusSource } from '../../plugins/prometheus/src/adapter.js';
import { readSlos } from '../../src/cli/budget/run.js';
import { parsePolicy } from '../../src/core/budget/policy.js';
import { ReliaError } from '../../src/core/errors.js';
import { applyFailover } from '../../src/core/failover/engine.js';
import { budgetSloGuard } from '../../src/core/failover/slo-guard.js';
import { guardMetrics } from '../../src/core/metrics-guard.js';
import { planText, T0, world } from '../unit/core/failover/world.js';
import { kit, servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-fo-nan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const policy = parsePolicy('apiVersion: relia/v1\nkind: BudgetPolicy\nblock: { budgetExhausted: false }\ndynamic: { enabled: false }\n', 'policy.yaml');
const plan = planText().replace('bake: 2m', 'bake: 10m').replace('guardInterval: 30s', 'guardInterval: 1m');

describe('failover SLO guard on nonsense metric data', () => {
  it('a NaN bad-events series stops the operation: nothing moves, and the reason names the invalid data', { timeout: 60_000 }, async () => {
    const file = join(tmp, 'recommendations-nan.yaml');
    writeFileSync(
      file,
      `apiVersion: relia/v1
kind: SLO
service: recommendations
name: availability
objective: 99.9
window: 30d
sli:
  bad: sum(rate(http_requests_total{service="recommendations",code="500"}[{{.window}}])) * 0 / 0
  total: sum(rate(http_requests_total{service="recommendations"}[{{.window}}]))
`,
    );
    const slos = readSlos([file], undefined);
    const w = world({ plan: plan.replace('alarms: [api-euw1-5xx]', 'alarms: [api-euw1-5xx]\n    slos: [recommendations-nan.yaml]') });
    const source = guardMetrics(createPrometheusSource({ url: servers().prometheus.url, timeoutMs: 10_000, retries: 0 }, kit));
    const sloAt = Date.parse('2026-10-31T12:00:00Z'); // a calm hour: the real data is within budget
    const ports = { ...w.ports(), sloGuard: budgetSloGuard({ 'eu-west-1': slos }, source, policy, sloAt - T0) };
    const error = await applyFailover({ ...w.run({ ports }), from: 'us-east-1', to: 'eu-west-1', mode: 'graceful' }).catch((e: unknown) => e);
    await source.close();
    expect(ReliaError.is(error), String(error)).toBe(true);
    expect((error as ReliaError).exitCode).toBe(1); // the pre-check refuses: the SLO is not ok
    expect((error as Error).message).toMatch(/^pre-checks failed, nothing was changed/);
    expect((error as Error).message).toMatch(/NaN|invalid/i);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });
});
