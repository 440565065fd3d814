import { describe, expect, it } from 'vitest';
import { evaluateSlos, computeStatus, planSlo, defaultPolicy, mergePolicy, type BudgetPolicy } from '../../../../src/core/budget/index.js';
import { availabilitySlo as slo } from './slo-fixture.js';
import { DependencyError, type ReliaError } from '../../../../src/core/errors.js';
import { InstrumentedMetrics } from '../../../fakes/instrumented-metrics.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';

/** A counter's per-minute increments; fed to the metrics fake with MemoryMetrics.fromIncrements. */
type FakeSeries = { labels: Record<string, string>; increments: ArrayLike<number> };

const AT = Date.parse('2026-11-01T00:00:00Z');
const MIN = 60;
const DAYS = 31;
const START = AT / 1000 - DAYS * 86_400;
const N = DAYS * 1440;

/** Minute index of a time relative to AT (minute ending at AT is N − 1). */
const idx = (secondsBeforeAt: number) => N - 1 - secondsBeforeAt / MIN;

function series(service: string, code: string, fill: (i: number) => number): FakeSeries {
  const increments = new Float64Array(N);
  for (let i = 0; i < N; i++) increments[i] = fill(i);
  return { labels: { __name__: 'req_total', service, code }, increments };
}

/** Minutes ending in (AT − from, AT − to]. */
const inLast = (i: number, fromSec: number, toSec = 0) => i > idx(fromSec) && i <= idx(toSec);


// Day 10 (counted back from AT): a 60-minute incident with 20 % errors.
const INCIDENT_FROM = 20 * 86_400;
const data: FakeSeries[] = [
  // healthy: 1000/min, one incident of 60 min at 200 bad/min.
  series('healthy', '200', (i) => (inLast(i, INCIDENT_FROM, INCIDENT_FROM - 3600) ? 800 : 1000)),
  series('healthy', '500', (i) => (inLast(i, INCIDENT_FROM, INCIDENT_FROM - 3600) ? 200 : 0)),
  // burning: 1000/min, 2 bad/min baseline, 100 bad/min in the last 90 min.
  series('burning', '200', (i) => (inLast(i, 5400) ? 900 : 998)),
  series('burning', '500', (i) => (inLast(i, 5400) ? 100 : 2)),
  // tiny: 1 request every 10 minutes, never bad, so 4320 in 30 d.
  series('tiny', '200', (i) => (i % 10 === 0 ? 1 : 0)),
  series('tiny', '500', () => 0),
  // peaky: 1000/min with 1 bad every 2 min, 3000/min with 30 bad/min (1 %: burn 10) in the last 2 h.
  series('peaky', '200', (i) => (inLast(i, 7200) ? 2970 : 1000 - (i % 2))),
  series('peaky', '500', (i) => (inLast(i, 7200) ? 30 : i % 2)),
];

/** The contract-checked metrics fake holding `data`, wrapped for call logs, concurrency and faults. */
const metrics = MemoryMetrics.fromIncrements(data, START, 60, { kind: 'prometheus' });
const fake = () => new InstrumentedMetrics(metrics);
const policy = defaultPolicy();

describe('evaluateSlos against a synthetic Prometheus', () => {
  it('sends two queries per SLO, anchored at --at, and computes the budget exactly', async () => {
    const src = fake();
    const r = await evaluateSlos([slo('healthy')], src, { at: AT, policy });
    expect(src.instantCalls).toHaveLength(1);
    expect(src.rangeCalls).toHaveLength(1);
    expect(src.instantCalls[0]?.time).toBe(AT);
    expect(src.rangeCalls[0]?.end).toBe(AT);
    expect(r.queries).toBe(2);
    const s = r.slos[0]!;
    expect(s.queries).toBe(2);
    expect(s.events?.total).toBe(43_200_000);
    expect(s.events?.bad).toBe(12_000);
    expect(s.events?.allowedBad).toBeCloseTo(43_200, 6);
    expect(s.sli).toBeCloseTo(1 - 12_000 / 43_200_000, 12);
    expect(s.consumed).toBeCloseTo(12_000 / 43_200, 10);
    expect(s.budgetRemaining).toBeCloseTo(1 - 12_000 / 43_200, 10);
    expect(s.badMinutes?.allowed).toBeCloseTo(43.2, 9);
    expect(Object.keys(s.burnRates)).toEqual(['5m', '1h', '6h', '1d', '3d']);
    expect(s.burnRates['1h']).toBe(0);
    expect(s.exhaustion['1h']).toBeNull();
    // The incident: one hourly bucket, 27.8 % of the budget → postmortem flagged, not blocking.
    expect(s.incidents[0]?.budgetShare).toBeCloseTo(12_000 / 43_200, 9);
    expect(s.incidents[0]?.badEvents).toBe(12_000);
    expect(s.incidents[0]?.peakBurn).toBeCloseTo(200, 6);
    expect(Date.parse(s.incidents[0]!.end) - Date.parse(s.incidents[0]!.start)).toBe(3_600_000);
    expect(s.postmortemRequired).toBe(true);
    expect(s.verdict).toBe('pass');
    expect(s.blocked).toBe(false);
    expect(s.reasons.join('\n')).toMatch(/postmortem required \(flag only\).*27\.78% of the budget/);
    // Burn-down: starts at 1, ends at the remaining budget.
    expect(s.trend[0]).toBeCloseTo(1, 9);
    expect(s.trend.at(-1)).toBeCloseTo(s.budgetRemaining!, 9);
    expect(s.sparkline).toHaveLength(24);
    expect(s.step).toBe(3600);
  });

  it('blocks an exhausted budget with a fast burn, and projects exhaustion', async () => {
    const r = await evaluateSlos([slo('burning')], fake(), { at: AT, policy });
    const s = r.slos[0]!;
    const bad = 2 * (43_200 - 90) + 100 * 90;
    expect(s.events?.bad).toBe(bad);
    expect(s.budgetRemaining).toBeCloseTo(1 - bad / 43_200, 9);
    expect(s.burnRates['1h']).toBeCloseTo(100, 9);
    expect(s.burnRates['5m']).toBeCloseTo(100, 9);
    expect(s.fastBurn[0]).toMatchObject({ long: '1h', short: '5m', factor: 14.4, firing: true });
    expect(s.exhaustion).toEqual({ '1h': 0, '6h': 0 });
    expect(s.verdict).toBe('fail');
    expect(s.blocked).toBe(true);
    expect(s.blocks).toEqual(['budget-exhausted', 'fast-burn']);
    expect(s.postmortemRequired).toBe(true);
    expect(s.reasons[0]).toMatch(/^budget exhausted: -\d/);
    expect(s.reasons[1]).toMatch(/^fast burn: burn 100× over 1h and 100× over 5m > 14\.4×/);
    expect(r.summary).toMatchObject({ total: 1, fail: 1, blocked: 1 });
  });

  it('projects the time to exhaustion as remaining × period / burn', async () => {
    const r = await evaluateSlos([slo('peaky')], fake(), { at: AT, policy: mergePolicy(policy, { dynamic: { enabled: false } }) });
    const s = r.slos[0]!;
    expect(s.burnRates['1h']).toBeCloseTo(10, 9);
    expect(s.exhaustion['1h']).toBeCloseTo((s.budgetRemaining! * 30 * 86_400) / 10, 3);
  });

  it('lets an exception through only the blocks it names', async () => {
    const p = mergePolicy(policy, { exceptions: [{ labels: { type: 'security-fix' }, bypass: ['budget-exhausted'] }, { name: 'hotfix', labels: { type: 'hotfix' }, bypass: ['budget-exhausted', 'fast-burn'] }] });
    const sec = (await evaluateSlos([slo('burning')], fake(), { at: AT, policy: p, changeLabels: { type: 'security-fix' } })).slos[0]!;
    expect(sec.blocked).toBe(true);
    expect(sec.bypassed).toEqual(['budget-exhausted']);
    const hot = (await evaluateSlos([slo('burning')], fake(), { at: AT, policy: p, changeLabels: { type: 'hotfix', team: 'x' } })).slos[0]!;
    expect(hot.blocked).toBe(false);
    expect(hot.verdict).toBe('pass');
    expect(hot.exception).toBe('hotfix');
    expect(hot.reasons.at(-1)).toMatch(/exception hotfix lets the change through: budget-exhausted, fast-burn/);
    const none = (await evaluateSlos([slo('burning')], fake(), { at: AT, policy: p, changeLabels: { type: 'feature' } })).slos[0]!;
    expect(none.exception).toBeNull();
  });

  it('gives no-data under the min-events guard, blocking unless the policy or --allow-no-data lets it pass', async () => {
    const s = (await evaluateSlos([slo('tiny')], fake(), { at: AT, policy })).slos[0]!;
    expect(s.events?.total).toBe(4320);
    expect(s.verdict).toBe('no-data');
    expect(s.blocked).toBe(true);
    expect(s.reasons[0]).toBe('no data: 4320 events in 30d, fewer than minEvents 100000');
    const lax = (await evaluateSlos([slo('tiny')], fake(), { at: AT, policy: mergePolicy(policy, { block: { noData: false } }) })).slos[0]!;
    expect(lax.blocked).toBe(false);
    expect(lax.verdict).toBe('no-data');
    const allowed = (await evaluateSlos([slo('tiny')], fake(), { at: AT, policy, allowNoData: true })).slos[0]!;
    expect(allowed).toMatchObject({ verdict: 'no-data', blocked: false });
    const off = (await evaluateSlos([slo('tiny')], fake(), { at: AT, policy: mergePolicy(policy, { minEvents: 0 }) })).slos[0]!;
    expect(off.verdict).toBe('pass');
  });

  it('uses stricter burn thresholds at traffic peaks (dynamic budgets)', async () => {
    const s = (await evaluateSlos([slo('peaky')], fake(), { at: AT, policy })).slos[0]!;
    expect(s.traffic.tier).toBe('peak');
    expect(s.traffic.current).toBeCloseTo(3000 / 60, 9);
    expect(s.traffic.peak).toBeCloseTo(1000 / 60, 9);
    expect(s.traffic.multiplier).toBe(0.5);
    expect(s.fastBurn[0]).toMatchObject({ baseFactor: 14.4, factor: 7.2, firing: true });
    expect(s.blocks).toContain('fast-burn');
    const flat = (await evaluateSlos([slo('peaky')], fake(), { at: AT, policy: mergePolicy(policy, { dynamic: { enabled: false } }) })).slos[0]!;
    expect(flat.traffic.tier).toBe('unknown');
    expect(flat.fastBurn[0]).toMatchObject({ factor: 14.4, firing: false });
    // Before the peak, traffic is flat: normal.
    const before = (await evaluateSlos([slo('peaky')], fake(), { at: AT - 3 * 3600_000, policy })).slos[0]!;
    expect(before.traffic.tier).toBe('normal');
    expect(before.traffic.multiplier).toBe(1);
  });

  it('agrees between the good/total and bad/total forms', async () => {
    const good = slo('healthy', { sli: { type: 'ratio', good: 'sum(rate(req_total{service="healthy",code!="500"}[{{.window}}]))', total: 'sum(rate(req_total{service="healthy"}[{{.window}}]))' } });
    const [a, b] = (await evaluateSlos([slo('healthy'), { ...good, id: 'healthy/good', name: 'good' }], fake(), { at: AT, policy })).slos;
    expect(b!.sli).toBeCloseTo(a!.sli!, 12);
    expect(b!.budgetRemaining).toBeCloseTo(a!.budgetRemaining!, 10);
    expect(b!.events?.bad).toBeCloseTo(a!.events!.bad, 6);
    expect(b!.incidents[0]?.budgetShare).toBeCloseTo(a!.incidents[0]!.budgetShare, 9);
  });

  it('evaluates a raw error-ratio SLI (no event counts, budget in bad minutes)', async () => {
    const s = (
      await evaluateSlos(
        [slo('healthy', { sli: { type: 'error-ratio', query: 'sum(rate(req_total{service="healthy",code="500"}[{{.window}}])) / sum(rate(req_total{service="healthy"}[{{.window}}]))' } })],
        fake(),
        { at: AT, policy },
      )
    ).slos[0]!;
    expect(s.events).toBeNull();
    expect(s.sli).toBeCloseTo(1 - 12_000 / 43_200_000, 12);
    expect(s.badMinutes?.consumed).toBeCloseTo((12_000 / 43_200_000) * 43_200, 6);
    expect(s.traffic.tier).toBe('unknown');
    expect(s.verdict).toBe('pass');
    expect(s.incidents[0]?.budgetShare).toBeCloseTo(12_000 / 43_200, 6);
  });

  it('budgets timeslices: the SLI is the fraction of good slices', async () => {
    const def = slo('healthy', { objective: 0.99, budgeting: { method: 'timeslices', sliceSeconds: 60, sliceTarget: 0.99 } });
    const s = (await evaluateSlos([def], fake(), { at: AT, policy })).slos[0]!;
    // 60 bad one-minute slices; the subquery [30d:1m] holds 43 201 slices (both ends).
    expect(s.errorRatio).toBeCloseTo(60 / 43_201, 12);
    expect(s.slices).toMatchObject({ seconds: 60, total: 43_200, bad: 60 });
    expect(s.badMinutes?.consumed).toBeCloseTo((60 / 43_201) * 43_200, 6);
    expect(s.budgetRemaining).toBeCloseTo(1 - 60 / 43_201 / 0.01, 9);
    expect(s.events).toBeNull();
    expect(s.slices?.allowed).toBeCloseTo(432, 9);
    expect(s.verdict).toBe('pass');
    expect(s.incidents[0]?.budgetShare).toBeGreaterThan(0.13);
    expect(s.incidents[0]?.budgetShare).toBeLessThan(0.14);
  });

  it('budgets threshold SLIs with timeslices', async () => {
    const def = slo('burning', {
      sli: { type: 'threshold', query: 'sum(rate(req_total{service="burning",code="500"}[{{.window}}]))', op: 'lt', value: 1 },
      budgeting: { method: 'timeslices', sliceSeconds: 300, sliceTarget: 0.99 },
    });
    const s = (await evaluateSlos([def], fake(), { at: AT, policy })).slos[0]!;
    // Good while under 1 error/s: the last 90 min (100/min = 1.67/s) are bad: 18 five-minute slices (+1 at the edge).
    expect(s.burnRates['1h']).toBeCloseTo(1 / 0.001, 6);
    expect(s.burnRates['1d']).toBeGreaterThan(0);
    expect(s.fastBurn[0]?.firing).toBe(true);
  });

  it('evaluates a calendar month from the month start (UTC) to --at', async () => {
    const at = Date.parse('2026-10-11T00:00:00Z');
    const src = fake();
    const s = (await evaluateSlos([slo('healthy', { window: { type: 'calendar', unit: 'month', timeZone: 'UTC', label: 'month' } })], src, { at, policy })).slos[0]!;
    expect(s.windowStart).toBe('2026-10-01T00:00:00Z');
    expect(s.windowSeconds).toBe(10 * 86_400);
    expect(s.periodSeconds).toBe(31 * 86_400);
    expect(s.events?.total).toBe(14_400_000);
    expect(src.instantCalls[0]?.query).toContain('[864000s]');
  });

  it('fails closed on a query without series, naming the SLO and the query', async () => {
    const def = slo('ghost');
    const err = await evaluateSlos([slo('healthy'), def], fake(), { at: AT, policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as ReliaError).exitCode).toBe(3);
    expect((err as Error).message).toContain('SLO ghost/availability: query returned no series over 30d at 2026-11-01T00:00:00Z: sum(rate(req_total{service="ghost"}[30d]))');
    expect((err as ReliaError).suggestions.join(' ')).toContain('or vector(0)');
  });

  it('fails closed when the source is unreachable, and --on-unavailable pass turns that into a pass', async () => {
    const src = fake();
    src.unreachable = true;
    const err = await evaluateSlos([slo('healthy')], src, { at: AT, policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as Error).message).toMatch(/^SLO healthy\/availability: Prometheus at .* did not answer query/);
    const r = await evaluateSlos([slo('healthy'), slo('ghost')], src, { at: AT, policy, onUnavailable: 'pass' });
    expect(r.slos.map((s) => [s.verdict, s.blocked, s.unavailable !== null])).toEqual([
      ['pass', false, true],
      ['pass', false, true],
    ]);
    expect(r.summary.unavailable).toBe(2);
    expect(r.slos[0]?.reasons[0]).toMatch(/^metrics unavailable, passed because of --on-unavailable pass: SLO healthy/);
  });

  it('passes a server error through as a DependencyError naming the SLO', async () => {
    const src = fake();
    src.failWhen = 'service="burning"';
    const err = await evaluateSlos([slo('healthy'), slo('burning')], src, { at: AT, policy }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^SLO burning\/availability: Prometheus rejected query/);
  });

  it('wraps plain errors from a source as DependencyErrors', async () => {
    const src = fake();
    src.fault = () => new Error('socket hang up');
    const err = await evaluateSlos([slo('healthy')], src, { at: AT, policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as Error).message).toMatch(/^SLO healthy\/availability: the instant query failed: socket hang up; query: label_replace/);
  });

  it('runs SLOs concurrently under the limit, with a bounded number of queries', async () => {
    const src = fake();
    const slos = Array.from({ length: 12 }, (_, i) => ({ ...slo('healthy'), id: `healthy/s${i}`, name: `s${i}` }));
    const r = await evaluateSlos(slos, src, { at: AT, policy, concurrency: 3 });
    expect(r.queries).toBe(24);
    expect(src.maxInFlight).toBeLessThanOrEqual(6);
    expect(src.maxInFlight).toBeGreaterThan(2);
    expect(r.slos.map((s) => s.name)).toEqual(slos.map((s) => s.name));
  });

  it('stops on an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(evaluateSlos([slo('healthy')], fake(), { at: AT, policy, signal: ac.signal })).rejects.toThrow('stop');
  });

  it('merges per-SLO policy overrides over the policy file', async () => {
    const def = slo('burning', { policy: { block: { budgetExhausted: false, fastBurn: false }, burnWindows: ['1h'] } });
    const s = (await evaluateSlos([def], fake(), { at: AT, policy })).slos[0]!;
    expect(Object.keys(s.burnRates)).toEqual(['1h']);
    expect(s.blocked).toBe(false);
    expect(s.reasons.join('\n')).toMatch(/fast burn \(not blocking under this policy\)/);
  });

  it('sends one query per window and part to providers that do not batch, with the same numbers', async () => {
    const batched = (await evaluateSlos([slo('healthy')], fake(), { at: AT, policy })).slos[0]!;
    const src = fake();
    const r = await evaluateSlos([slo('healthy')], src, { at: AT, policy, batch: false });
    const s = r.slos[0]!;
    expect(src.instantCalls.map((c) => c.query)).toContain('sum(rate(req_total{service="healthy",code="500"}[1h]))');
    expect(src.instantCalls).toHaveLength(14);
    expect(src.rangeCalls).toHaveLength(2);
    expect(s.queries).toBe(16);
    expect(r.queries).toBe(16);
    expect({ ...s, queries: 2 }).toEqual(batched);
  });

  it('defaults to unbatched queries for a provider that is not Prometheus (a third-party plugin), with the same numbers', async () => {
    const batched = (await evaluateSlos([slo('healthy')], fake(), { at: AT, policy })).slos[0]!;
    // the same series behind a source of another kind: only plain templates are sent
    const plugin = new InstrumentedMetrics(MemoryMetrics.fromIncrements(data, START, 60, { kind: 'fakemetrics' }));
    const s = (await evaluateSlos([slo('healthy')], plugin, { at: AT, policy })).slos[0]!;
    expect(plugin.instantCalls).toHaveLength(14);
    expect(plugin.rangeCalls).toHaveLength(2);
    expect(plugin.instantCalls.map((c) => c.query).filter((q) => /label_replace| or /.test(q))).toEqual([]);
    expect(s.queries).toBe(16);
    expect({ ...s, queries: 2 }).toEqual(batched);
  });

  it('reports onQuery for every query', async () => {
    const seen: string[] = [];
    await evaluateSlos([slo('healthy')], fake(), { at: AT, policy, onQuery: (q) => seen.push(`${q.slo} ${q.kind}`) });
    expect(seen.sort()).toEqual(['healthy/availability instant', 'healthy/availability range']);
  });
});

describe('computeStatus edge cases', () => {
  const plan = (p: BudgetPolicy = policy) => planSlo(slo('x'), p, AT);
  const tag = (w: string, part: string, value: number) => ({ labels: { relia_w: w, relia_p: part }, value });
  const windows = ['30d', '5m', '1h', '6h', '1d', '3d', '30m'];

  it('treats a missing bad series in a short window as zero and a missing total as no traffic', () => {
    const instant = [tag('30d', 'total', 100), tag('30d', 'bad', 0.01), tag('1h', 'total', 10)];
    const s = computeStatus(plan(), instant, [], {});
    expect(s.burnRates['1h']).toBe(0);
    expect(s.burnRates['5m']).toBeNull();
    expect(s.trend).toEqual([]);
    expect(s.incidents).toEqual([]);
    expect(s.traffic.tier).toBe('unknown');
  });

  it('says no-data when the window has no events', () => {
    const instant = windows.flatMap((w) => [tag(w, 'total', 0), tag(w, 'bad', 0)]);
    const s = computeStatus(plan(), instant, [], {});
    expect(s.sli).toBeNull();
    expect(s.verdict).toBe('no-data');
    expect(s.reasons[0]).toBe('no data: no events in the 30d window');
  });

  it('ignores NaN answers', () => {
    const instant = [...windows.flatMap((w) => [tag(w, 'total', 100), tag(w, 'bad', Number.NaN)])];
    const s = computeStatus(plan(), instant, [{ labels: { relia_p: 'total' }, points: [[AT / 1000, Number.NaN]] }], {});
    expect(s.burnRates['1h']).toBe(0);
  });
});
