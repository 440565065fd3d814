/**
 * The failover SLO guard on the real Prometheus history: the engine runs
 * in-process (fakes for Route 53, Auto Scaling and CloudWatch, a virtual
 * clock for the bake), while the guard evaluates the recommendations SLO
 * with the budget family's engine against the real Prometheus. The history
 * has a fast burn starting 2026-10-31T22:30Z; with budget exhaustion not
 * blocking, the default 6h/30m page condition first fires at 22:35:00
 * (`relia budget check --at` says the same). A step applied at 22:30 whose
 * bake reads 22:35 must revert. (The built-CLI run on moto is in
 * failover.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { createPrometheusSource } from '../../plugins/prometheus/src/adapter.js';
import { readSlos } from '../../src/cli/budget/run.js';
import { parsePolicy } from '../../src/core/budget/policy.js';
import { SafetyStopError } from '../../src/core/errors.js';
import { applyFailover } from '../../src/core/failover/engine.js';
import { budgetSloGuard } from '../../src/core/failover/slo-guard.js';
import { planText, T0, world } from '../unit/core/failover/world.js';
import { kit, servers } from '../helpers/servers.js';

const policy = parsePolicy('apiVersion: relia/v1\nkind: BudgetPolicy\nblock: { budgetExhausted: false }\ndynamic: { enabled: false }\n', 'policy.yaml');
const slos = readSlos(['docs/examples/slo/services/recommendations.yaml'], undefined);
const plan = planText().replace('bake: 2m', 'bake: 10m').replace('guardInterval: 30s', 'guardInterval: 1m');

describe('failover SLO guard on the real Prometheus history', () => {
  it('a step whose bake window reads a burning SLO reverts (exit 4), one guard interval after the burn starts', async () => {
    const w = world({ plan: plan.replace('alarms: [api-euw1-5xx]', 'alarms: [api-euw1-5xx]\n    slos: [recommendations.yaml]') });
    const source = createPrometheusSource({ url: servers().prometheus.url, timeoutMs: 10_000, retries: 0 }, kit);
    const sloAt = Date.parse('2026-10-31T22:30:00Z');
    const ports = { ...w.ports(), sloGuard: budgetSloGuard({ 'eu-west-1': slos }, source, policy, sloAt - T0) };
    const error = await applyFailover({ ...w.run({ ports }), from: 'us-east-1', to: 'eu-west-1', mode: 'graceful' }).catch((e: unknown) => e);
    await source.close();
    expect(error).toBeInstanceOf(SafetyStopError);
    expect((error as Error).message).toMatch(/guard breached at step 1 \(eu-west-1: SLO recommendations\/availability: .*fast burn/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    const j = w.last();
    expect(j.status).toBe('reverted');
    // Samples at 22:30 … 22:34 were within budget; 22:35 is the first burning one.
    const shifted = (iso: string) => new Date(Date.parse(iso) + (sloAt - T0)).toISOString().slice(11, 19);
    expect(j.guard.filter((g) => g.ok).map((g) => shifted(g.at))).toEqual(['22:30:00', '22:31:00', '22:32:00', '22:33:00', '22:34:00']);
    expect(j.guard.filter((g) => !g.ok).map((g) => shifted(g.at))).toEqual(['22:35:00']);
  });
});
