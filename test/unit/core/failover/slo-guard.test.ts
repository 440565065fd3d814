// The failover SLO guard (docs/failover.md "SLO guard"): the budget gate's
// verdict for each SLO a region lists, evaluated at the guard's instant plus
// the --slo-at offset, cancelled by the run's signal. A region without SLOs
// costs no query. The unit tests had no test of it (found by mutation testing,
// docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../../src/core/budget/index.js';
import { availabilitySlo as slo } from '../budget/slo-fixture.js';
import { budgetSloGuard } from '../../../../src/core/failover/slo-guard.js';
import { InstrumentedMetrics } from '../../../fakes/instrumented-metrics.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';

const AT = Date.parse('2026-11-01T00:00:00Z');
const DAYS = 31;
const N = DAYS * 1440;
const START = AT / 1000 - DAYS * 86_400;

/** Per-minute increments of `req_total{service, code}`; `last(i, s)`: the minute ends in the last s seconds before AT. */
const last = (i: number, seconds: number) => i > N - 1 - seconds / 60;
function counter(service: string, code: string, fill: (i: number) => number) {
  const increments = new Float64Array(N);
  for (let i = 0; i < N; i++) increments[i] = fill(i);
  return { labels: { __name__: 'req_total', service, code }, increments };
}
// healthy: 1000 requests a minute, none bad. burning: 2 bad a minute, then 100 a minute in the last 90 minutes.
const metrics = MemoryMetrics.fromIncrements(
  [
    counter('healthy', '200', () => 1000),
    counter('healthy', '500', () => 0),
    counter('burning', '200', (i) => (last(i, 5400) ? 900 : 998)),
    counter('burning', '500', (i) => (last(i, 5400) ? 100 : 2)),
  ],
  START,
  60,
  { kind: 'prometheus' },
);


describe('budgetSloGuard', () => {
  it('a region with no SLOs (unlisted, or an empty list) is fine without a query', async () => {
    const source = new InstrumentedMetrics(metrics);
    const guard = budgetSloGuard({ 'us-east-1': [] }, source, defaultPolicy());
    expect(await guard('us-east-1', AT)).toEqual([]);
    expect(await guard('eu-west-1', AT)).toEqual([]);
    expect(source.instantCalls).toHaveLength(0);
    expect(source.rangeCalls).toHaveLength(0);
  });

  it('each SLO gets the budget gate verdict: ok with no reasons, or blocked with the gate reasons', async () => {
    const guard = budgetSloGuard({ 'eu-west-1': [slo('healthy'), slo('burning')] }, new InstrumentedMetrics(metrics), defaultPolicy());
    const [healthy, burning, ...rest] = await guard('eu-west-1', AT);
    expect(rest).toEqual([]);
    expect(healthy).toEqual({ id: 'healthy/availability', ok: true, reasons: [] });
    expect(burning?.id).toBe('burning/availability');
    expect(burning?.ok).toBe(false);
    // the gate's sentences, not its block names
    expect(burning?.reasons).not.toContain('budget-exhausted');
    expect(burning?.reasons[0]).toMatch(/^budget exhausted: -\d/);
    expect(burning?.reasons[1]).toMatch(/^fast burn: burn 100× over 1h and 100× over 5m > 14\.4×/);
  });

  it('evaluates at the guard instant plus the offset (--slo-at replays recorded history)', async () => {
    const source = new InstrumentedMetrics(metrics);
    const offset = 3 * 3_600_000;
    const guard = budgetSloGuard({ 'eu-west-1': [slo('burning')] }, source, defaultPolicy(), offset);
    const [v] = await guard('eu-west-1', AT - offset);
    expect(source.instantCalls.map((c) => c.time)).toEqual([AT]);
    expect(v?.ok).toBe(false);
  });

  it('a stopped run stops the evaluation with the signal reason', async () => {
    const stop = new AbortController();
    stop.abort(new Error('stopped by SIGINT'));
    const guard = budgetSloGuard({ 'eu-west-1': [slo('healthy')] }, new InstrumentedMetrics(metrics), defaultPolicy());
    await expect(guard('eu-west-1', AT, stop.signal)).rejects.toThrow('stopped by SIGINT');
  });
});
