import { describe, expect, it } from 'vitest';
import { badSliceExpr, calendarPeriod, planSlo, rangeStep, sloWindow } from '../../../../src/core/budget/evaluate-plan.js';
import { planAll } from '../../../../src/core/budget/evaluate.js';
import type { SloDefinition } from '../../../../src/core/budget/model.js';
import { defaultPolicy, mergePolicy } from '../../../../src/core/budget/policy.js';

const AT = Date.parse('2026-11-01T00:00:00Z');
const base: SloDefinition = {
  id: 'checkout/availability',
  service: 'checkout',
  name: 'availability',
  objective: 0.999,
  window: { type: 'rolling', seconds: 2_592_000, label: '30d' },
  budgeting: { method: 'occurrences' },
  sli: { type: 'ratio', bad: 'sum(rate(x{code="500"}[{{.window}}]))', total: 'sum(rate(x[{{.window}}]))' },
  labels: {},
  source: { file: 'a.yaml', path: '', format: 'relia' },
};

describe('planSlo', () => {
  it('batches every window and part into one instant query, and one range query', () => {
    const p = planSlo(base, defaultPolicy(), AT);
    expect(p.windows.map((w) => w.label)).toEqual(['30d', '5m', '1h', '6h', '1d', '3d', '30m']);
    expect(p.instant.parts).toHaveLength(14);
    expect(p.instant.time).toBe(AT);
    expect(p.instant.query.split(' or ')).toHaveLength(14);
    expect(p.instant.query.startsWith('label_replace(label_replace(sum(sum(rate(x[30d]))), "relia_w", "30d", "", ""), "relia_p", "total", "", "")')).toBe(true);
    expect(p.range).toMatchObject({ step: 3600, points: 720, end: AT, start: AT - 719 * 3_600_000 });
    expect(p.range.query).toBe('label_replace(sum(sum(rate(x[1h]))), "relia_p", "total", "", "") or label_replace(sum(sum(rate(x{code="500"}[1h]))), "relia_p", "bad", "", "")');
  });

  it('dedupes windows and always includes 1h and 6h for the exhaustion projection', () => {
    const p = planSlo({ ...base, window: { type: 'rolling', seconds: 86_400, label: '1d' } }, mergePolicy(defaultPolicy(), { burnWindows: ['1d', '24h'.replace('24h', '2d')], fastBurn: [], dynamic: { enabled: false } }), AT);
    expect(p.windows.map((w) => w.label)).toEqual(['1d', '2d', '1h', '6h']);
  });

  it('uses good/total and error-ratio forms', () => {
    const good = planSlo({ ...base, sli: { type: 'ratio', good: 'sum(rate(ok[{{.window}}]))', total: 'sum(rate(x[{{.window}}]))' } }, defaultPolicy(), AT);
    expect(good.instant.parts.map((p) => p.part).slice(0, 2)).toEqual(['total', 'good']);
    const raw = planSlo({ ...base, sli: { type: 'error-ratio', query: 'e[{{.window}}]' } }, defaultPolicy(), AT);
    expect(raw.instant.parts[0]).toEqual({ window: '30d', part: 'ratio', expr: 'max(e[30d])', raw: 'e[30d]' });
  });

  it('plans timeslices as subqueries over the slice', () => {
    const ts = { ...base, budgeting: { method: 'timeslices' as const, sliceSeconds: 300, sliceTarget: 0.95 } };
    const p = planSlo(ts, defaultPolicy(), AT);
    expect(p.instant.parts[0]?.expr).toBe('avg_over_time(((sum(sum(rate(x{code="500"}[5m]))) / sum(sum(rate(x[5m])))) > bool 0.05)[30d:5m])');
    expect(p.range.step % 300).toBe(0);
    expect(p.range.parts[0]?.expr).toContain(`[${p.range.step / 3600}h:5m]`);
  });

  it('a timeslice SLO with a ratio SLI also counts its events (the total, for minEvents and traffic); other SLI forms have no events', () => {
    const ts = { ...base, budgeting: { method: 'timeslices' as const, sliceSeconds: 300, sliceTarget: 0.95 } };
    const p = planSlo(ts, defaultPolicy(), AT);
    expect(p.instant.parts.filter((x) => x.window === '1h').map((x) => x.part)).toEqual(['badslices', 'total']);
    expect(p.instant.parts.find((x) => x.window === '1h' && x.part === 'total')).toEqual({ window: '1h', part: 'total', expr: 'sum(sum(rate(x[1h])))', raw: 'sum(rate(x[1h]))' });
    expect(p.range.parts.map((x) => x.part)).toEqual(['badslices', 'total']);
    const raw = planSlo({ ...ts, sli: { type: 'error-ratio', query: 'e[{{.window}}]' } }, defaultPolicy(), AT);
    expect(new Set(raw.instant.parts.map((x) => x.part))).toEqual(new Set(['badslices']));
  });

  it('adds the dynamic budget\'s current window only when dynamic budgets are on', () => {
    const labels = (enabled: boolean) => planSlo(base, mergePolicy(defaultPolicy(), { dynamic: { enabled, currentWindow: '12h' } }), AT).windows.map((w) => w.label);
    expect(labels(true)).toContain('12h');
    expect(labels(false)).not.toContain('12h');
    expect(planSlo(base, mergePolicy(defaultPolicy(), { dynamic: { enabled: true, currentWindow: '12h' } }), AT).windows.find((w) => w.label === '12h')).toEqual({ label: '12h', seconds: 43_200 });
  });

  it('writes the bad-slice indicator for every SLI form', () => {
    expect(badSliceExpr({ type: 'ratio', good: 'g[{{.window}}]', total: 't[{{.window}}]' }, 0.99, '1m')).toBe('(sum(g[1m]) / sum(t[1m])) < bool 0.99');
    expect(badSliceExpr({ type: 'error-ratio', query: 'e[{{.window}}]' }, 0.99, '1m')).toBe('max(e[1m]) > bool 0.01');
    const th = (op: 'lt' | 'lte' | 'gt' | 'gte') => badSliceExpr({ type: 'threshold', query: 'q[{{.window}}]', op, value: 0.3 }, 0.99, '1m');
    expect([th('lt'), th('lte'), th('gt'), th('gte')]).toEqual(['max(q[1m]) >= bool 0.3', 'max(q[1m]) > bool 0.3', 'min(q[1m]) <= bool 0.3', 'min(q[1m]) < bool 0.3']);
  });

  it('refuses a threshold SLI without timeslices (the parsers never produce one)', () => {
    expect(() => planSlo({ ...base, sli: { type: 'threshold', query: 'q', op: 'lt', value: 1 } }, defaultPolicy(), AT)).toThrow(/threshold SLI without timeslice/);
  });

  it('merges per-SLO overrides in planAll', () => {
    const [p] = planAll([{ ...base, policy: { burnWindows: ['2h'], resolution: 48 } }], defaultPolicy(), AT);
    expect(p?.windows.map((w) => w.label)).toContain('2h');
    expect(p?.range.step).toBe(54_000);
  });
});

describe('windows', () => {
  it('computes UTC calendar periods', () => {
    const at = Date.parse('2026-11-18T15:30:00Z'); // a Wednesday
    const iso = (p: { start: number; end: number }) => [new Date(p.start).toISOString(), new Date(p.end).toISOString()];
    expect(iso(calendarPeriod('day', at))).toEqual(['2026-11-18T00:00:00.000Z', '2026-11-19T00:00:00.000Z']);
    expect(iso(calendarPeriod('week', at))).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    expect(iso(calendarPeriod('month', at))).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(iso(calendarPeriod('quarter', at))).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(iso(calendarPeriod('year', at))).toEqual(['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(iso(calendarPeriod('week', Date.parse('2026-11-22T23:00:00Z')))[0]).toBe('2026-11-16T00:00:00.000Z');
  });

  it('a rolling window ends at `at` and starts its length before (the status\'s windowStart)', () => {
    const w = sloWindow({ type: 'rolling', seconds: 30 * 86_400, label: '30d' }, Date.parse('2026-03-31T12:00:00Z'));
    expect(w).toEqual({ label: '30d', seconds: 2_592_000, start: Date.parse('2026-03-01T12:00:00Z'), periodSeconds: 2_592_000 });
  });

  it('evaluates a calendar window from its start to at (at least 1 s)', () => {
    const w = sloWindow({ type: 'calendar', unit: 'month', timeZone: 'UTC', label: 'month' }, Date.parse('2026-02-10T12:00:00.500Z'));
    expect(w).toEqual({ label: '820800s', seconds: 820_800, start: Date.parse('2026-02-10T12:00:00.500Z') - 820_800_000, periodSeconds: 28 * 86_400 });
    expect(sloWindow({ type: 'calendar', unit: 'day', timeZone: 'UTC', label: 'day' }, Date.parse('2026-02-10T00:00:00Z')).seconds).toBe(1);
  });

  it('picks a step that is a multiple of 60 s (or of the slice)', () => {
    expect(rangeStep(base, 2_592_000, 720)).toBe(3600);
    expect(rangeStep(base, 3600, 720)).toBe(60);
    expect(rangeStep(base, 7 * 86_400, 720)).toBe(840);
    expect(rangeStep(base, 7 * 86_400 + 1, 720)).toBe(900);
    expect(rangeStep({ ...base, budgeting: { method: 'timeslices', sliceSeconds: 300, sliceTarget: 0.9 } }, 86_400, 720)).toBe(300);
  });
});
