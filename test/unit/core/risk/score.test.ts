import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyMitigation,
  badMinutesPerYear,
  budgetLines,
  budgetMinutesPerYear,
  checkObjective,
  ettfDays,
  parseRegister,
  scoreRisks,
  YEAR_MINUTES,
  type Mitigation,
  type RiskParams,
} from '../../../../src/core/risk/index.js';
import { example, inputError, risk } from './helpers.js';

describe('CRE arithmetic', () => {
  it('uses a 365.25-day year and (1 − objective) of it as the budget', () => {
    // 365.25 d × 1440 min/d = 525,960 min
    expect(YEAR_MINUTES).toBe(525_960);
    // 99.9 % → 0.001 × 525,960 = 525.96 min
    expect(budgetMinutesPerYear(0.999)).toBeCloseTo(525.96, 9);
    // 99.99 % → 0.0001 × 525,960 = 52.596 min
    expect(budgetMinutesPerYear(0.9999)).toBeCloseTo(52.596, 9);
    // 4/y → 365.25 / 4 = 91.3125 days between failures
    expect(ettfDays(4)).toBe(91.3125);
    expect(ettfDays(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects an objective that is not a fraction in (0, 1)', () => {
    for (const bad of [0, 1, 99.9, -0.5, Number.NaN]) {
      const err = inputError(() => checkObjective(bad, '--slo'));
      expect(err.field).toBe('--slo');
      expect(err.message).toMatch(/--slo: expected an objective strictly between 0 and 1/);
    }
  });
});

describe('scoreRisks', () => {
  it('scores the minimal example by hand', () => {
    const reg = parseRegister(
      'risks:\n  - {name: cdn-edge-outage, service: playback, category: dependency, ettd: 5m, ettr: 30m, impact: 0.2, ettf: 90d}\n',
      'r.yaml',
    );
    const result = scoreRisks(reg, { objective: 0.999 });
    const r = result.risks[0]!;
    // per occurrence: (5 + 30) min × 0.2 = 7 min
    expect(r.perOccurrenceMinutes).toBeCloseTo(7, 12);
    // frequency: 365.25 d / 90 d = 4.058333… /y
    expect(r.frequencyPerYear).toBeCloseTo(4.0583333333, 9);
    expect(r.ettfDays).toBeCloseTo(90, 9);
    // 7 × 4.058333… = 28.408333… min/y
    expect(r.badMinutesPerYear).toBeCloseTo(28.4083333333, 9);
    // 28.408333 / 525.96 = 0.0540123…
    expect(r.budgetShare).toBeCloseTo(28.4083333333 / 525.96, 9);
    expect(r.budgetShare).toBeCloseTo(0.0540123, 6);
    expect(r).toMatchObject({ rank: 1, untenable: false, inOverBudgetSet: false, acceptable: true });
    expect(result).toMatchObject({ method: 'cre', objective: 0.999, basis: 'unmitigated', overBudget: false, overBudgetSet: [], acceptableCount: 1, untenableCount: 0 });
    expect(result.budgetMinutesPerYear).toBeCloseTo(525.96, 9);
    expect(result.mitigatedTotalBadMinutesPerYear).toBeUndefined();
    expect(r.mitigated).toBeUndefined();
  });

  // A: (10 + 50) × 1 × 5/y = 300; B: (20 + 80) × 0.5 × 4/y = 200; C: (5 + 45) × 0.25 × 8/y = 100.
  const abc = {
    risks: [
      risk({ name: 'C', ettdMinutes: 5, ettrMinutes: 45, impact: 0.25, frequencyPerYear: 8 }),
      risk({ name: 'A', ettdMinutes: 10, ettrMinutes: 50, impact: 1, frequencyPerYear: 5 }),
      risk({ name: 'B', ettdMinutes: 20, ettrMinutes: 80, impact: 0.5, frequencyPerYear: 4 }),
    ],
  };

  it('ranks, accumulates and draws the over-budget set and the acceptable line', () => {
    const result = scoreRisks(abc, { objective: 0.999 });
    expect(result.risks.map((r) => [r.name, r.badMinutesPerYear])).toEqual([
      ['A', 300],
      ['B', 200],
      ['C', 100],
    ]);
    // cumulative 300, 500, 600: only all three exceed 525.96
    expect(result.risks.map((r) => r.cumulativeBadMinutesPerYear)).toEqual([300, 500, 600]);
    expect(result.totalBadMinutesPerYear).toBe(600);
    expect(result.totalBudgetShare).toBeCloseTo(600 / 525.96, 12);
    expect(result.overBudget).toBe(true);
    expect(result.overBudgetSet).toEqual(['A', 'B', 'C']);
    // from the bottom: 100 ≤ 525.96, 100 + 200 = 300 ≤ 525.96, + 300 = 600 > 525.96 → 2 acceptable
    expect(result.acceptableCount).toBe(2);
    expect(result.risks.map((r) => r.acceptable)).toEqual([false, true, true]);

    // 99.8 % → 0.002 × 525,960 = 1051.92 min: everything fits
    const loose = scoreRisks(abc, { objective: 0.998 });
    expect(loose.overBudgetSet).toEqual([]);
    expect(loose.acceptableCount).toBe(3);
    expect(loose.overBudget).toBe(false);

    // 99.95 % → 262.98 min: A alone (300) exceeds; from the bottom 100 fits, 100 + 200 = 300 does not
    const tight = scoreRisks(abc, { objective: 0.9995 });
    expect(tight.overBudgetSet).toEqual(['A']);
    expect(tight.acceptableCount).toBe(1);
  });

  it('breaks ties by name and handles an empty list', () => {
    const tie = scoreRisks({ risks: [risk({ name: 'b' }), risk({ name: 'a' })] }, { objective: 0.999 });
    expect(tie.risks.map((r) => r.name)).toEqual(['a', 'b']);
    expect(budgetLines([], 10)).toEqual({ overBudgetCount: 0, acceptableCount: 0 });
    expect(budgetLines([5, 4, 3], 10)).toEqual({ overBudgetCount: 3, acceptableCount: 2 });
  });

  it('flags a risk whose single occurrence exceeds the yearly budget as untenable', () => {
    // (10 + 600) min × 1.0 = 610 min > 525.96; once every 3 years → 203.33 min/y
    const reg = parseRegister('risks:\n  - {name: region, service: s, category: c, ettd: 10m, ettr: 10h, impact: 1, ettf: 3y}\n', 'r.yaml');
    const result = scoreRisks(reg, { objective: 0.999 });
    const r = result.risks[0]!;
    expect(r.perOccurrenceMinutes).toBe(610);
    expect(r.badMinutesPerYear).toBeCloseTo(610 / 3, 9);
    expect(r.untenable).toBe(true);
    expect(result.untenableCount).toBe(1);
    // the yearly total (203 min) still fits: untenable is about one bad day, not the year
    expect(result.overBudget).toBe(false);
  });

  it('re-scores with mitigations and reports what each one saves', () => {
    // base: (5 + 30) × 0.2 × 4/y = 28 min/y
    // m1 impactFactor 0.5: (5 + 30) × 0.1 × 4 = 14 → saves 14
    // m2 ettr cap 10m:     (5 + 10) × 0.1 × 4 = 6  → saves 8 after m1; alone (5 + 10) × 0.2 × 4 = 12 → saves 16
    const reg = {
      risks: [
        risk({
          name: 'r',
          mitigations: [
            { name: 'm1', impactFactor: 0.5 },
            { name: 'm2', ettrMinutes: 10 },
          ],
        }),
      ],
    };
    const result = scoreRisks(reg, { objective: 0.999, mitigated: true });
    const r = result.risks[0]!;
    expect(r.badMinutesPerYear).toBeCloseTo(28, 12);
    expect(r.mitigated).toBeDefined();
    const m = r.mitigated!;
    expect(m).toMatchObject({ ettdMinutes: 5, ettrMinutes: 10, impact: 0.1, frequencyPerYear: 4, untenable: false });
    expect(m.perOccurrenceMinutes).toBeCloseTo(1.5, 12);
    expect(m.badMinutesPerYear).toBeCloseTo(6, 12);
    expect(m.savedMinutesPerYear).toBeCloseTo(22, 12);
    expect(m.budgetShare).toBeCloseTo(6 / 525.96, 12);
    expect(m.mitigations.map((x) => x.name)).toEqual(['m1', 'm2']);
    expect(m.mitigations[0]!.savedMinutesPerYear).toBeCloseTo(14, 12);
    expect(m.mitigations[1]!.savedMinutesPerYear).toBeCloseTo(8, 12);
    expect(m.mitigations[0]!.savedAloneMinutesPerYear).toBeCloseTo(14, 12);
    expect(m.mitigations[1]!.savedAloneMinutesPerYear).toBeCloseTo(16, 12);
    expect(result.basis).toBe('mitigated');
    expect(result.mitigatedTotalBadMinutesPerYear).toBeCloseTo(6, 12);
    expect(result.totalBadMinutesPerYear).toBeCloseTo(28, 12);
  });

  it('ranks and draws lines on the mitigated numbers when asked', () => {
    // unmitigated A is first (300); with a 0.1 impact factor A drops to 30, below B (200) and C (100)
    const reg = { risks: abc.risks.map((r) => (r.name === 'A' ? { ...r, mitigations: [{ name: 'fix', impactFactor: 0.1 }] } : r)) };
    const result = scoreRisks(reg, { objective: 0.999, mitigated: true });
    expect(result.risks.map((r) => r.name)).toEqual(['B', 'C', 'A']);
    // mitigated total 200 + 100 + 30 = 330 ≤ 525.96
    expect(result.mitigatedTotalBadMinutesPerYear).toBeCloseTo(330, 9);
    expect(result.overBudget).toBe(false);
    expect(result.acceptableCount).toBe(3);
    expect(result.risks.find((r) => r.name === 'B')!.mitigated!.mitigations).toEqual([]);
  });

  it('treats a replacement as a cap: it never raises a value already lowered', () => {
    // ettrFactor 0.5 takes 30 → 15; the later cap of 20 leaves it at 15
    const p = [{ name: 'half', ettrFactor: 0.5 }, { name: 'cap', ettrMinutes: 20 }].reduce<RiskParams>(
      (acc, m) => applyMitigation(acc, m),
      { ettdMinutes: 5, ettrMinutes: 30, impact: 0.2, frequencyPerYear: 4 },
    );
    expect(p.ettrMinutes).toBe(15);
  });

  it('scores the example register: unmitigated over budget, mitigated within it', () => {
    const reg = parseRegister(example('risk-register.yaml'), 'risk-register.yaml');
    const plain = scoreRisks(reg, { objective: reg.objective! });
    expect(plain.overBudget).toBe(true);
    expect(plain.overBudgetSet.length).toBeGreaterThan(0);
    expect(plain.untenableCount).toBeGreaterThan(0);
    const mitigated = scoreRisks(reg, { objective: reg.objective!, mitigated: true });
    expect(mitigated.mitigatedTotalBadMinutesPerYear!).toBeLessThan(mitigated.budgetMinutesPerYear);
    expect(mitigated.overBudgetSet).toEqual([]);
    expect(mitigated.untenableCount).toBe(0);
    // the sum of per-mitigation savings equals the drop in the total
    const saved = mitigated.risks.reduce((s, r) => s + r.mitigated!.mitigations.reduce((a, m) => a + m.savedMinutesPerYear, 0), 0);
    expect(saved).toBeCloseTo(mitigated.totalBadMinutesPerYear - mitigated.mitigatedTotalBadMinutesPerYear!, 9);
  });
});

const params = fc.record({
  ettdMinutes: fc.double({ min: 0, max: 1e4, noNaN: true }),
  ettrMinutes: fc.double({ min: 0, max: 1e4, noNaN: true }),
  impact: fc.double({ min: 0, max: 1, noNaN: true }),
  frequencyPerYear: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
});
const factor = fc.double({ min: 0, max: 1, noNaN: true });
const mitigation = fc.record(
  {
    name: fc.constant('m'),
    ettdMinutes: fc.double({ min: 0, max: 1e4, noNaN: true }),
    ettdFactor: factor,
    ettrMinutes: fc.double({ min: 0, max: 1e4, noNaN: true }),
    ettrFactor: factor,
    impact: fc.double({ min: 0, max: 1, noNaN: true }),
    impactFactor: factor,
    frequencyPerYear: fc.double({ min: 0, max: 1e3, noNaN: true }),
    frequencyFactor: factor,
  },
  { requiredKeys: ['name'] },
) as fc.Arbitrary<Mitigation>;

describe('score properties', () => {
  it('is monotone in ETTD, ETTR, impact and frequency', () => {
    const keys = ['ettdMinutes', 'ettrMinutes', 'impact', 'frequencyPerYear'] as const;
    fc.assert(
      fc.property(params, fc.constantFrom(...keys), fc.double({ min: 0, max: 1, noNaN: true }), (p, key, bump) => {
        const raised = { ...p, [key]: key === 'impact' ? p.impact + bump * (1 - p.impact) : p[key] * (1 + bump) + bump };
        const before = scoreRisks({ risks: [risk({ name: 'r', ...p })] }, { objective: 0.999 }).risks[0]!.badMinutesPerYear;
        const after = scoreRisks({ risks: [risk({ name: 'r', ...raised })] }, { objective: 0.999 }).risks[0]!.badMinutesPerYear;
        return after >= before;
      }),
    );
  });

  it('never raises a score with mitigations, whatever they are', () => {
    fc.assert(
      fc.property(params, fc.array(mitigation, { maxLength: 4 }), (p, ms) => {
        const r = risk({ name: 'r', ...p, mitigations: ms.map((m, i) => ({ ...m, name: `m${i}` })) });
        const score = scoreRisks({ risks: [r] }, { objective: 0.999, mitigated: true }).risks[0]!;
        const m = score.mitigated!;
        const eachMonotone = ms.every((x) => badMinutesPerYear(applyMitigation(p, x)) <= badMinutesPerYear(p));
        return (
          m.badMinutesPerYear <= score.badMinutesPerYear &&
          m.perOccurrenceMinutes <= score.perOccurrenceMinutes &&
          m.savedMinutesPerYear >= 0 &&
          m.mitigations.every((x) => x.savedMinutesPerYear >= 0 && x.savedAloneMinutesPerYear >= 0) &&
          eachMonotone
        );
      }),
    );
  });
});

describe('CRE scoring at its boundaries (mutation-testing survivors)', () => {
  // objective 0.5: the budget is exactly half a year of minutes, 262,980, with no rounding
  const budget = budgetMinutesPerYear(0.5);
  // (called again inside the test: the describe body runs before Stryker switches a mutant on)
  it('uses an exact budget for these cases', () => expect(budgetMinutesPerYear(0.5)).toBe(YEAR_MINUTES / 2));

  it('untenable means ONE occurrence costs MORE than the budget: equal is tenable, before and after mitigation', () => {
    const at = risk({ name: 'at', ettdMinutes: 0, ettrMinutes: budget, impact: 1, frequencyPerYear: 0.1, mitigations: [{ name: 'noop', impactFactor: 1 }] });
    const over = risk({ name: 'over', ettdMinutes: 1, ettrMinutes: budget, impact: 1, frequencyPerYear: 0.1, mitigations: [{ name: 'noop', impactFactor: 1 }] });
    const r = scoreRisks({ risks: [at, over] }, { objective: 0.5, mitigated: true });
    const byName = Object.fromEntries(r.risks.map((x) => [x.name, x]));
    expect(byName.at!.untenable).toBe(false);
    expect(byName.at!.mitigated!.untenable).toBe(false);
    expect(byName.over!.untenable).toBe(true);
    expect(byName.over!.mitigated!.untenable).toBe(true);
    // a mitigation that halves the impact makes "over" tenable: the docs print this flag after mitigation
    const fixed = scoreRisks({ risks: [{ ...over, mitigations: [{ name: 'half', impactFactor: 0.5 }] }] }, { objective: 0.5, mitigated: true }).risks[0]!;
    expect(fixed.untenable).toBe(true);
    expect(fixed.mitigated!.untenable).toBe(false);
  });

  it('a mitigated risk that never happens has no time to failure (null), not Infinity', () => {
    const r = scoreRisks({ risks: [risk({ name: 'gone', mitigations: [{ name: 'remove', frequencyFactor: 0 }] as Mitigation[] })] }, { objective: 0.999, mitigated: true }).risks[0]!;
    expect(r.mitigated!.frequencyPerYear).toBe(0);
    expect(r.mitigated!.ettfDays).toBeNull();
  });

  it('budget lines: a sum EQUAL to the budget is not over it, from the top or from the bottom', () => {
    expect(budgetLines([6, 4], 10)).toEqual({ overBudgetCount: 0, acceptableCount: 2 });
    expect(budgetLines([6, 4, 1], 10)).toEqual({ overBudgetCount: 3, acceptableCount: 2 });
    expect(budgetLines([10], 10)).toEqual({ overBudgetCount: 0, acceptableCount: 1 });
  });

  it('ties in bad minutes rank by name, in both directions, and equal names keep their order', () => {
    const r = scoreRisks({ risks: [risk({ name: 'c' }), risk({ name: 'a' }), risk({ name: 'b' })] }, { objective: 0.999 });
    expect(r.risks.map((x) => x.name)).toEqual(['a', 'b', 'c']);
    const r2 = scoreRisks({ risks: [risk({ name: 'a' }), risk({ name: 'c' }), risk({ name: 'b' })] }, { objective: 0.999 });
    expect(r2.risks.map((x) => x.name)).toEqual(['a', 'b', 'c']);
  });

  it('without --mitigated no row carries a mitigated score', () => {
    const r = scoreRisks({ risks: [risk({ name: 'x', mitigations: [{ name: 'm', impactFactor: 0.5 }] })] }, { objective: 0.999 });
    expect(r.risks[0]!.mitigated).toBeUndefined();
    expect('mitigated' in r.risks[0]!).toBe(false);
  });
});
