import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeHistory, monthlySparklines, parseIncidents, type Incident } from '../../../../src/core/risk/index.js';
import { example, t } from './helpers.js';

const MIN = 60_000;

function inc(id: string, service: string, category: string, started: string, ttdMin: number, ttrMin: number | null, impact: number): Incident {
  const s = t(started);
  return { row: 0, id, service, category, severity: null, started: s, detected: s + ttdMin * MIN, resolved: ttrMin === null ? null : s + ttrMin * MIN, impact };
}

// playback/cdn: A, B, C (C starts while B is open), D open. search/cache: E.
const A = inc('A', 'playback', 'cdn', '2026-01-01T00:00:00Z', 10, 70, 0.5); // ttd 10, ttr 70, detect→resolve 60
const B = inc('B', 'playback', 'cdn', '2026-01-11T00:00:00Z', 20, 50, 0.2); // ttd 20, ttr 50, d→r 30; ends 00:50
const C = inc('C', 'playback', 'cdn', '2026-01-11T00:30:00Z', 5, 40, 0.1); //  ttd 5,  ttr 40, d→r 35; ends 01:10
const D = inc('D', 'playback', 'cdn', '2026-02-10T00:30:00Z', 30, null, 0.3); // open, detected 01:00
const E = inc('E', 'search', 'cache', '2026-02-01T00:00:00Z', 2, 12, 1);
const SAMPLE = [D, B, E, A, C];

describe('analyzeHistory', () => {
  it('summarizes a group by hand', () => {
    const h = analyzeHistory(SAMPLE);
    expect(h.groups.map((g) => [g.service, g.category])).toEqual([
      ['playback', 'cdn'],
      ['search', 'cache'],
    ]);
    const g = h.groups[0]!;
    expect(g).toMatchObject({ count: 4, open: 1, resolved: 3, openIds: ['D'], overlapCount: 1 });
    // MTTD over all four: (10 + 20 + 5 + 30)/4 = 16.25; median (10 + 20)/2 = 15; p90 h = 2.7 → 20 + 0.7 × 10 = 27
    expect(g.mttdMinutes).toBe(16.25);
    expect(g.mttdMedianMinutes).toBe(15);
    expect(g.mttdP90Minutes).toBeCloseTo(27, 12);
    // MTTR over resolved: (70 + 50 + 40)/3 = 53.33; median 50; p90 h = 1.8 → 50 + 0.8 × 20 = 66
    expect(g.mttrMinutes).toBeCloseTo(160 / 3, 12);
    expect(g.mttrMedianMinutes).toBe(50);
    expect(g.mttrP90Minutes).toBeCloseTo(66, 12);
    // detect → resolve: (60 + 30 + 35)/3 = 41.67; median 35; p90 h = 1.8 → 35 + 0.8 × 25 = 55
    expect(g.detectToResolveMinutes).toBeCloseTo(125 / 3, 12);
    expect(g.detectToResolveMedianMinutes).toBe(35);
    expect(g.detectToResolveP90Minutes).toBeCloseTo(55, 12);
    // MTBF: gaps A→B 10 d, B→C 30 min = 0.020833 d, C→D 30 d → mean 40.020833/3 = 13.3403; median 10; p90 h = 1.8 → 10 + 0.8 × 20 = 26
    expect(g.mtbfDays).toBeCloseTo((10 + 30 / 1440 + 30) / 3, 12);
    expect(g.mtbfMedianDays).toBe(10);
    expect(g.mtbfP90Days).toBeCloseTo(26, 12);
    // asOf = latest timestamp = D detected 2026-02-10T01:00Z; D is open 30 min
    // merged: A 70 + (B ∪ C: 00:00 → 01:10) 70 + D 30 = 170; summed: 70 + 50 + 40 + 30 = 190
    expect(g.mergedOutageMinutes).toBe(170);
    expect(g.summedOutageMinutes).toBe(190);
    // bad minutes (resolved): 0.5 × 70 + 0.2 × 50 + 0.1 × 40 = 35 + 10 + 4 = 49
    expect(g.badMinutes).toBeCloseTo(49, 12);
    expect(h.asOf).toBe('2026-02-10T01:00:00.000Z');
    expect(h.openIncidents).toEqual([{ id: 'D', service: 'playback', category: 'cdn', severity: null, started: '2026-02-10T00:30:00.000Z', detected: '2026-02-10T01:00:00.000Z', openMinutes: 30 }]);
    expect(h.from).toBe('2026-01-01T00:00:00.000Z');
    expect(h.to).toBe('2026-02-10T00:30:00.000Z');
  });

  it('summarizes overall and a single-incident group', () => {
    const h = analyzeHistory(SAMPLE);
    expect(h.count).toBe(5);
    expect(h.open).toBe(1);
    expect(h.overall).toMatchObject({ service: '*', category: '*', count: 5, open: 1, resolved: 4 });
    // overall MTTD: (10 + 20 + 5 + 30 + 2)/5 = 13.4
    expect(h.overall.mttdMinutes).toBeCloseTo(13.4, 12);
    const e = h.groups[1]!;
    expect(e).toMatchObject({ count: 1, mttdMinutes: 2, mttrMinutes: 12, detectToResolveMinutes: 10, mtbfDays: null, mtbfMedianDays: null, overlapCount: 0 });
  });

  it('measures open incidents up to now when given', () => {
    const h = analyzeHistory(SAMPLE, { now: t('2026-02-10T02:30:00Z') });
    expect(h.asOf).toBe('2026-02-10T02:30:00.000Z');
    // D: 00:30 → 02:30 = 120 min; merged 70 + 70 + 120 = 260
    expect(h.openIncidents[0]!.openMinutes).toBe(120);
    expect(h.groups[0]!.mergedOutageMinutes).toBe(260);
  });

  it('builds monthly series from the first to the last month', () => {
    const h = analyzeHistory(SAMPLE);
    expect(h.months).toEqual(['2026-01', '2026-02']);
    const [jan, feb] = h.groups[0]!.monthly;
    // January: A, B, C → MTTD (10 + 20 + 5)/3; MTTR (70 + 50 + 40)/3; gaps ending in Jan: 10 d and 30 min
    expect(jan).toMatchObject({ month: '2026-01', count: 3 });
    expect(jan!.mttdMinutes).toBeCloseTo(35 / 3, 12);
    expect(jan!.mttrMinutes).toBeCloseTo(160 / 3, 12);
    expect(jan!.mtbfDays).toBeCloseTo((10 + 30 / 1440) / 2, 12);
    // February: D only, open → no MTTR; its gap from C is 30 d
    expect(feb).toEqual({ month: '2026-02', count: 1, mttdMinutes: 30, mttrMinutes: null, detectToResolveMinutes: null, mtbfDays: 30 });
    // search/cache had nothing in January
    expect(h.groups[1]!.monthly[0]).toEqual({ month: '2026-01', count: 0, mttdMinutes: null, mttrMinutes: null, detectToResolveMinutes: null, mtbfDays: null });
    expect(h.monthly).toBe(h.overall.monthly);
  });

  it('reports improving and worsening trends with Sen slopes', () => {
    // one incident on the 1st of each month, Jan–Jun 2026, TTD 60, 50, …, 10 minutes
    const falling = [60, 50, 40, 30, 20, 10].map((ttd, i) => inc(`F${i}`, 's', 'c', `2026-0${i + 1}-01T00:00:00Z`, ttd, ttd + 10, 0.1));
    const h = analyzeHistory(falling);
    const trend = h.overall.trend.mttdMinutes;
    // S = −15; Var = 6·5·17/18 = 28.33; Z = (−15 + 1)/5.3229 = −2.630; p = 0.0085 < 0.05 → improving
    expect(trend.s).toBe(-15);
    expect(trend.z).toBeCloseTo(-14 / Math.sqrt(510 / 18), 12);
    expect(trend.pValue).toBeCloseTo(0.0085, 3);
    expect(trend.senSlopePerMonth).toBe(-10);
    expect(trend.direction).toBe('improving');
    // one incident a month: flat count, no trend
    expect(h.overall.trend.count).toMatchObject({ s: 0, pValue: 1, senSlopePerMonth: 0, direction: 'no-trend' });
    const rising = [10, 20, 30, 40, 50, 60].map((ttd, i) => inc(`R${i}`, 's', 'c', `2026-0${i + 1}-01T00:00:00Z`, ttd, ttd + 10, 0.1));
    expect(analyzeHistory(rising).overall.trend.mttdMinutes.direction).toBe('worsening');
    // MTBF rising is good. Gaps 32, 30, 35, 38, 45 days (ending Feb..Jun):
    // S = 9 rises − 1 fall = 8; Var = 5·4·15/18 = 16.67; Z = 7/4.082 = 1.715; p = 0.086
    const spread = ['2026-01-01', '2026-02-02', '2026-03-04', '2026-04-08', '2026-05-16', '2026-06-30'].map((d, i) => inc(`M${i}`, 's', 'c', `${d}T00:00:00Z`, 1, 5, 0.1));
    const mtbf = analyzeHistory(spread).overall.trend.mtbfDays;
    expect(mtbf.s).toBe(8);
    expect(mtbf.pValue).toBeCloseTo(0.086, 3);
    expect(mtbf.direction).toBe('no-trend'); // p ≥ 0.05
    expect(analyzeHistory(spread, { alpha: 0.1 }).overall.trend.mtbfDays.direction).toBe('improving');
  });

  it('handles an empty history', () => {
    const h = analyzeHistory([]);
    expect(h).toMatchObject({ count: 0, open: 0, from: null, to: null, asOf: null, months: [], groups: [], openIncidents: [] });
    expect(h.overall.mttdMinutes).toBeNull();
    expect(h.overall.mergedOutageMinutes).toBe(0);
    expect(analyzeHistory([], { now: t('2026-01-01T00:00:00Z') }).asOf).toBe('2026-01-01T00:00:00.000Z');
  });

  it('does not depend on row order', () => {
    const start = t('2025-12-01T00:00:00Z');
    const incident = fc.record({
      service: fc.constantFrom('playback', 'search'),
      category: fc.constantFrom('cdn', 'cache', 'deploy'),
      startMin: fc.integer({ min: 0, max: 365 * 1440 }),
      ttd: fc.integer({ min: 0, max: 600 }),
      dtr: fc.option(fc.integer({ min: 0, max: 6000 }), { nil: null }),
      impact: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    const list = fc.array(incident, { maxLength: 40 }).map((xs) =>
      xs.map((x, i): Incident => {
        const started = start + x.startMin * MIN;
        const detected = started + x.ttd * MIN;
        return { row: i + 2, id: `I${i}`, service: x.service, category: x.category, severity: null, started, detected, resolved: x.dtr === null ? null : detected + x.dtr * MIN, impact: x.impact };
      }),
    );
    fc.assert(
      fc.property(
        list.chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length }))),
        ([xs, shuffled]) => {
          // rows renumbered as if the file had been sorted differently
          const renumbered = shuffled.map((x, i) => ({ ...x, row: i + 2 }));
          expect(analyzeHistory(renumbered)).toEqual(analyzeHistory(xs));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('analyzes the shipped example: open incidents, overlaps and an improving MTTD', () => {
    const { incidents } = parseIncidents(example('incidents.csv'), 'incidents.csv');
    const h = analyzeHistory(incidents);
    expect(h.open).toBe(h.openIncidents.length);
    expect(h.open).toBeGreaterThanOrEqual(2);
    expect(h.groups.reduce((s, g) => s + g.overlapCount, 0)).toBeGreaterThanOrEqual(2);
    expect(h.groups.reduce((s, g) => s + g.count, 0)).toBe(h.count);
    expect(h.months[0]).toBe('2025-12');
    expect(h.months.at(-1)).toBe('2026-10');
    // the generator lowers time-to-detect through the year
    expect(h.overall.trend.mttdMinutes.direction).toBe('improving');
    expect(h.overall.trend.mttdMinutes.senSlopePerMonth!).toBeLessThan(0);
  });
});

describe('monthlySparklines', () => {
  it('draws one bar per month, a space where a month has no value', () => {
    const h = analyzeHistory(SAMPLE);
    const lines = monthlySparklines(h.groups[1]!.monthly);
    // search/cache: count 0 then 1, on a 0-based scale → lowest then highest bar
    expect(lines.count).toBe('▁█');
    expect(lines.mttdMinutes).toBe(' ▄'); // one value: a flat middle bar
    expect(lines.mtbfDays).toBe('  ');
    const overall = monthlySparklines(h.monthly);
    expect([...overall.count]).toHaveLength(2);
  });
});
