import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionPriority,
  applyMitigations,
  DETECTION_TABLE,
  detectionRating,
  fmeaRatings,
  fmeaRisks,
  OCCURRENCE_TABLE,
  occurrenceRating,
  parseRegister,
  SEVERITY_TABLE,
  severityRating,
  type ActionPriority,
} from '../../../../src/core/risk/index.js';
import { example, risk } from './helpers.js';

describe('rating tables', () => {
  it('have nine increasing lower bounds each', () => {
    for (const table of [SEVERITY_TABLE, OCCURRENCE_TABLE, DETECTION_TABLE]) {
      expect(table.lowerBounds).toHaveLength(9);
      expect([...table.lowerBounds].sort((a, b) => a - b)).toEqual([...table.lowerBounds]);
    }
  });

  it.each([
    [0, 1],
    [0.49, 1],
    [0.5, 2], // lower bounds are inclusive
    [7, 5], // 5 ≤ 7 < 10
    [44.9, 7],
    [45, 8],
    [479, 9],
    [480, 10],
    [10_000, 10],
  ])('severity of %d bad minutes per occurrence is %d', (minutes, rating) => expect(severityRating(minutes)).toBe(rating));

  it.each([
    [0.05, 1],
    [0.1, 2],
    [0.5, 4],
    [1, 5],
    [4, 7], // quarterly
    [12, 8], // monthly
    [52, 9], // weekly
    [365, 10], // daily
  ])('occurrence of %d per year is %d', (frequency, rating) => expect(occurrenceRating(frequency)).toBe(rating));

  it.each([
    [0.5, 1],
    [1, 2],
    [5, 4],
    [15, 6],
    [60, 8],
    [240, 9],
    [1440, 10],
  ])('detection of an ETTD of %d min is %d', (ettd, rating) => expect(detectionRating(ettd)).toBe(rating));
});

describe('actionPriority', () => {
  it.each([
    [10, 10, 1, 'H'],
    [9, 4, 1, 'M'], // S 9–10, O 4–5, D 1
    [9, 4, 2, 'H'],
    [9, 2, 7, 'H'],
    [9, 2, 5, 'M'],
    [9, 3, 4, 'L'],
    [9, 1, 10, 'L'],
    [8, 8, 1, 'H'],
    [7, 6, 1, 'M'],
    [7, 4, 7, 'H'],
    [7, 5, 6, 'M'],
    [8, 3, 7, 'M'],
    [8, 2, 4, 'L'],
    [6, 8, 5, 'H'],
    [5, 9, 4, 'M'],
    [4, 7, 9, 'M'],
    [6, 6, 1, 'L'],
    [5, 5, 7, 'M'],
    [5, 5, 5, 'L'],
    [3, 10, 5, 'M'],
    [3, 10, 4, 'L'],
    [2, 7, 10, 'L'],
    [1, 10, 10, 'L'],
  ])('S=%d O=%d D=%d → %s', (s, o, d, ap) => expect(actionPriority(s, o, d)).toBe(ap));

  it('never falls when S, O or D rises (checked over all 1000 combinations)', () => {
    const order: Record<ActionPriority, number> = { L: 0, M: 1, H: 2 };
    for (let s = 1; s <= 10; s++) {
      for (let o = 1; o <= 10; o++) {
        for (let d = 1; d <= 10; d++) {
          const here = order[actionPriority(s, o, d)];
          if (s < 10) expect(order[actionPriority(s + 1, o, d)]).toBeGreaterThanOrEqual(here);
          if (o < 10) expect(order[actionPriority(s, o + 1, d)]).toBeGreaterThanOrEqual(here);
          if (d < 10) expect(order[actionPriority(s, o, d + 1)]).toBeGreaterThanOrEqual(here);
        }
      }
    }
  });

  it('clamps out-of-range ratings', () => {
    expect(actionPriority(12, 12, 12)).toBe('H');
    expect(actionPriority(0, 0, 0)).toBe('L');
  });
});

describe('fmeaRisks', () => {
  it('rates the minimal example by hand', () => {
    const reg = parseRegister('risks:\n  - {name: cdn, service: playback, category: cdn, ettd: 5m, ettr: 30m, impact: 0.2, ettf: 90d}\n', 'r.yaml');
    const r = fmeaRisks(reg, { method: 'rpn' }).risks[0]!;
    // S: (5 + 30) × 0.2 = 7 bad minutes → 5 ≤ 7 < 10 → 5
    // O: 365.25/90 = 4.06 per year → 4 ≤ 4.06 < 12 → 7
    // D: ETTD 5 min → 5 ≤ 5 < 10 → 4
    // RPN = 5 × 7 × 4 = 140; AP: S 4–6, O 6–7, D 2–4 → M
    expect(r).toMatchObject({ severity: 5, occurrence: 7, detection: 4, rpn: 140, actionPriority: 'M', rank: 1, perOccurrenceMinutes: 7, ettdMinutes: 5 });
  });

  const reg = {
    risks: [
      // S: (2 + 8) × 1 = 10 → 6; O: 20/y → 8; D: 2 → 3; RPN 144; AP S4–6/O8–10/D2–4 → M
      risk({ name: 'frequent', ettdMinutes: 2, ettrMinutes: 8, impact: 1, frequencyPerYear: 20 }),
      // S: (30 + 600) × 1 = 630 → 10; O: 0.3/y → 3; D: 30 → 7; RPN 210; AP S9–10/O2–3/D7–10 → H
      risk({ name: 'rare-severe', ettdMinutes: 30, ettrMinutes: 600, impact: 1, frequencyPerYear: 0.3, mitigations: [{ name: 'detect', ettdMinutes: 0.5 }] }),
      // S: (10 + 20) × 0.1 = 3 → 4; O: 50/y → 8; D: 10 → 5; RPN 160; AP S4–6/O8–10/D5–6 → H
      risk({ name: 'noisy', ettdMinutes: 10, ettrMinutes: 20, impact: 0.1, frequencyPerYear: 50 }),
    ],
  };

  it('ranks by RPN or by Action Priority', () => {
    const rpn = fmeaRisks(reg, { method: 'rpn' });
    expect(rpn.risks.map((r) => [r.name, r.rpn])).toEqual([
      ['rare-severe', 210],
      ['noisy', 160],
      ['frequent', 144],
    ]);
    const ap = fmeaRisks(reg, { method: 'ap' });
    // H before M; between the two H risks, the higher severity first
    expect(ap.risks.map((r) => [r.name, r.actionPriority])).toEqual([
      ['rare-severe', 'H'],
      ['noisy', 'H'],
      ['frequent', 'M'],
    ]);
    expect(ap.actionPriorityCounts).toEqual({ H: 2, M: 1, L: 0 });
    expect(ap.basis).toBe('unmitigated');
  });

  it('rates mitigated numbers and ranks on them when asked', () => {
    const result = fmeaRisks(reg, { method: 'rpn', mitigated: true });
    const severe = result.risks.find((r) => r.name === 'rare-severe')!;
    // ETTD 0.5 min → D 1; S: (0.5 + 600) × 1 = 600.5 → 10; O 3 → RPN 30; AP S9–10/O2–3/D1 → L
    expect(severe.mitigated).toMatchObject({ detection: 1, severity: 10, occurrence: 3, rpn: 30, actionPriority: 'L' });
    expect(result.risks.map((r) => r.name)).toEqual(['noisy', 'frequent', 'rare-severe']);
    expect(result.basis).toBe('mitigated');
    expect(result.actionPriorityCounts).toEqual({ H: 1, M: 1, L: 1 });
  });

  it('breaks ties by name', () => {
    const tie = fmeaRisks({ risks: [risk({ name: 'b' }), risk({ name: 'a' })] }, { method: 'ap' });
    expect(tie.risks.map((r) => r.name)).toEqual(['a', 'b']);
    const tieRpn = fmeaRisks({ risks: [risk({ name: 'b' }), risk({ name: 'a' })] }, { method: 'rpn' });
    expect(tieRpn.risks.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('never rates a mitigated risk higher on S, O, D or RPN', () => {
    const reg = parseRegister(example('risk-register.yaml'), 'r.yaml');
    for (const r of fmeaRisks(reg, { method: 'rpn', mitigated: true }).risks) {
      expect(r.mitigated!.rpn).toBeLessThanOrEqual(r.rpn);
    }
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (ettd, ettr, impact, frequency, f) => {
          const base = risk({ name: 'r', ettdMinutes: ettd, ettrMinutes: ettr, impact, frequencyPerYear: frequency, mitigations: [{ name: 'm', ettdFactor: f, ettrFactor: f, impactFactor: f, frequencyFactor: f }] });
          const before = fmeaRatings(base);
          const after = fmeaRatings(applyMitigations(base));
          return after.severity <= before.severity && after.occurrence <= before.occurrence && after.detection <= before.detection && after.rpn <= before.rpn;
        },
      ),
    );
  });
});
