/**
 * `risk history` at its edges (docs/risk.md#history): the incident order as a total
 * order field by field, months labelled YYYY-MM, a month without a value left out
 * of Sen's slope, the trend test's α as a strict bound, detect→resolve per month,
 * back-to-back incidents that do not overlap, `asOf` at the latest resolution, and
 * the count sparkline anchored at zero.
 */
import { describe, expect, it } from 'vitest';
import { analyzeHistory, compareIncidents, latestTimestamp, monthlySparklines, type Incident, type MonthlyPoint } from '../../../../src/core/risk/index.js';
import { t } from './helpers.js';

const MIN = 60_000;
const T0 = t('2026-01-05T00:00:00Z');

function inc(fields: Partial<Incident> & { id: string }): Incident {
  return { row: 0, service: 'svc', category: 'cat', severity: null, started: T0, detected: T0 + 10 * MIN, resolved: T0 + 70 * MIN, impact: 0.5, ...fields };
}

describe('compareIncidents', () => {
  it('is 0 for an incident and its copy from another row', () => {
    const a = inc({ id: 'A', severity: 'P1' });
    expect(compareIncidents(a, { ...a, row: 7 })).toBe(0);
  });

  // Each pair differs in one field only (and the fields before it are equal); the first goes first.
  it.each([
    ['started (the later one detected at the same time)', { started: T0 }, { started: T0 + 5 * MIN, resolved: T0 + 20 * MIN }],
    ['detected', { detected: T0 + 10 * MIN }, { detected: T0 + 11 * MIN }],
    ['resolved', { resolved: T0 + 70 * MIN }, { resolved: T0 + 80 * MIN }],
    ['resolved before open', { resolved: T0 + 70 * MIN }, { resolved: null }],
    ['id', { id: 'A' }, { id: 'B' }],
    ['service', { service: 'a' }, { service: 'b' }],
    ['category', { category: 'a' }, { category: 'b' }],
    ['impact', { impact: 0.2 }, { impact: 0.3 }],
    ['severity', { severity: 'P1' }, { severity: 'P2' }],
    ['no severity before any severity', { severity: null }, { severity: 'P1' }],
  ] as Array<[string, Partial<Incident>, Partial<Incident>]>)('orders by %s, both ways', (_what, first, second) => {
    const a = inc({ id: 'A', ...first });
    const b = inc({ id: 'A', ...second });
    expect(compareIncidents(a, b)).toBeLessThan(0);
    expect(compareIncidents(b, a)).toBeGreaterThan(0);
  });
});

describe('analyzeHistory', () => {
  it('labels months YYYY-MM with a four-digit year', () => {
    const s = Date.UTC(999, 2, 1);
    const h = analyzeHistory([inc({ id: 'old', started: s, detected: s + MIN, resolved: s + 2 * MIN })]);
    expect(h.months).toEqual(['0999-03']);
  });

  it('gives no Sen slope for a single month', () => {
    const h = analyzeHistory([inc({ id: 'A' }), inc({ id: 'B', started: T0 + 86_400_000, detected: T0 + 86_400_000 + MIN, resolved: T0 + 86_400_000 + 2 * MIN })]);
    expect(h.months).toEqual(['2026-01']);
    for (const trend of Object.values(h.overall.trend)) expect(trend.senSlopePerMonth).toBeNull();
  });

  it('leaves a month without a value out of the trend: MTTR 10, 20, (open) has Sen slope 10 per month from two months', () => {
    const at = (iso: string, ttr: number | null) => {
      const s = t(iso);
      return inc({ id: iso, started: s, detected: s + MIN, resolved: ttr === null ? null : s + ttr * MIN });
    };
    const h = analyzeHistory([at('2026-01-10T00:00:00Z', 10), at('2026-02-10T00:00:00Z', 20), at('2026-03-10T00:00:00Z', null)], { now: t('2026-03-20T00:00:00Z') });
    expect(h.monthly.map((p) => p.mttrMinutes)).toEqual([10, 20, null]);
    expect(h.overall.trend.mttrMinutes.n).toBe(2);
    expect(h.overall.trend.mttrMinutes.senSlopePerMonth).toBe(10);
    // detected → resolved per month: 9 and 19 minutes
    expect(h.monthly.map((p) => p.detectToResolveMinutes)).toEqual([9, 19, null]);
  });

  it('calls a trend only when p is strictly below α', () => {
    // 1, 2, 3, 4, 5, 6 incidents in six months: S = 15, rising count = worsening
    const incidents: Incident[] = [];
    for (let m = 0; m < 6; m++) {
      for (let k = 0; k <= m; k++) {
        const s = Date.UTC(2026, m, 2 + k);
        incidents.push(inc({ id: `${m}-${k}`, started: s, detected: s + MIN, resolved: s + 2 * MIN }));
      }
    }
    const p = analyzeHistory(incidents).overall.trend.count.pValue;
    expect(p).toBeLessThan(0.05);
    expect(analyzeHistory(incidents, { alpha: p }).overall.trend.count.direction).toBe('no-trend');
    expect(analyzeHistory(incidents, { alpha: p * (1 + 1e-9) }).overall.trend.count.direction).toBe('worsening');
  });

  it('does not count an incident that starts exactly when the previous one is resolved as overlapping', () => {
    const first = inc({ id: 'A', started: T0, detected: T0 + 10 * MIN, resolved: T0 + 60 * MIN });
    const next = inc({ id: 'B', started: T0 + 60 * MIN, detected: T0 + 70 * MIN, resolved: T0 + 90 * MIN });
    const g = analyzeHistory([next, first]).overall;
    expect(g.overlapCount).toBe(0);
    expect(g.mergedOutageMinutes).toBe(90);
    expect(g.summedOutageMinutes).toBe(90);
  });

  it('measures open incidents up to the latest timestamp, a resolution included', () => {
    const open = inc({ id: 'open', started: T0, detected: T0 + 5 * MIN, resolved: null });
    const done = inc({ id: 'done', started: T0 + MIN, detected: T0 + 2 * MIN, resolved: T0 + 100 * MIN });
    expect(latestTimestamp([open, done])).toBe(T0 + 100 * MIN);
    const h = analyzeHistory([open, done]);
    expect(h.asOf).toBe(new Date(T0 + 100 * MIN).toISOString());
    expect(h.openIncidents[0]!.openMinutes).toBe(100);
  });
});

describe('monthlySparklines', () => {
  it('draws counts from zero: 2 and 3 incidents are a tall and a full bar, not the lowest and the highest', () => {
    const point = (month: string, count: number): MonthlyPoint => ({ month, count, mttdMinutes: 2, mttrMinutes: 3, detectToResolveMinutes: null, mtbfDays: null });
    const lines = monthlySparklines([point('2026-01', 2), point('2026-02', 3)]);
    // 0..3 in eight bars: 2 → ⌊2/3 × 8⌋ = 5 (▆), 3 → the top (█)
    expect(lines.count).toBe('▆█');
    // the others span their own range
    expect(lines.mttdMinutes).toBe('▄▄');
    expect(lines.detectToResolveMinutes).toBe('  ');
  });
});
