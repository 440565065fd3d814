/**
 * Outputs of `relia risk score` that docs/risk.md promises and the other
 * tests did not pin (found by mutation testing): the mitigated ETTF of a risk
 * that still happens, the objective's "try this", the Action Priority band
 * edges (severity 2, occurrence 6) and the two rankings of compareFmea.
 */
import { describe, expect, it } from 'vitest';
import { actionPriority, checkObjective, compareFmea, scoreRisks, type FmeaRatings } from '../../../../src/core/risk/index.js';
import { expectInputError } from '../error-contract.js';
import { risk } from './helpers.js';

describe('CRE score', () => {
  it('a mitigated risk that still happens keeps its ETTF in days (365.25 / mitigated frequency)', () => {
    // 4/y halved by the mitigation → 2/y → 182.625 days
    const r = scoreRisks({ risks: [risk({ name: 'r', mitigations: [{ name: 'half', frequencyFactor: 0.5 }] })] }, { objective: 0.999, mitigated: true }).risks[0]!;
    expect(r.mitigated!.frequencyPerYear).toBe(2);
    expect(r.mitigated!.ettfDays).toBe(182.625);
    expect(r.ettfDays).toBe(91.3125);
  });

  it('an objective that is not a fraction names the field, says what it got and how to give it', () => {
    const e = expectInputError(() => checkObjective(1.5, '--slo'), '--slo', ['got 1.5']);
    expect(e.suggestions).toEqual(['pass the objective as a fraction such as 0.999, or parse `--slo 99.9` with parseObjective']);
    // a number given as text is not an objective, even when its value would be
    expectInputError(() => checkObjective('0.999' as unknown as number), 'objective', ['got "0.999"']);
  });
});

describe('Action Priority band edges (docs/risk.md#fmea)', () => {
  it('severity 2 is in the 2–3 band, not the 1 band: S 2, O 8–10, D 7–10 is M', () => {
    expect(actionPriority(2, 8, 7)).toBe('M');
    expect(actionPriority(1, 8, 7)).toBe('L');
  });

  it('occurrence 6 is in the 6–7 band, not the 4–5 band: S 9, O 6, D 1 is H', () => {
    expect(actionPriority(9, 6, 1)).toBe('H');
    expect(actionPriority(9, 5, 1)).toBe('M');
  });
});

describe('compareFmea', () => {
  const rated = (name: string, severity: number, occurrence: number, detection: number): FmeaRatings & { name: string } => ({
    name,
    severity,
    occurrence,
    detection,
    rpn: severity * occurrence * detection,
    actionPriority: actionPriority(severity, occurrence, detection),
  });
  // A: S 9, O 8, D 1 → RPN 72, AP H. B: S 5, O 5, D 10 → RPN 250, AP M (S 4–6, O 4–5, D 7–10).
  const a = rated('a', 9, 8, 1);
  const b = rated('b', 5, 5, 10);

  it('rpn ranks by RPN, ap by Action Priority: the two orders differ here', () => {
    expect([a.actionPriority, b.actionPriority]).toEqual(['H', 'M']);
    expect([a, b].sort((x, y) => compareFmea('rpn', x, y)).map((r) => r.name)).toEqual(['b', 'a']);
    expect([b, a].sort((x, y) => compareFmea('ap', x, y)).map((r) => r.name)).toEqual(['a', 'b']);
    expect(compareFmea('rpn', a, b)).toBeGreaterThan(0);
    expect(compareFmea('ap', a, b)).toBeLessThan(0);
  });

  it('equal ratings rank by name, either way round; the same name is a tie', () => {
    const x = rated('x', 5, 5, 5);
    const y = rated('y', 5, 5, 5);
    for (const method of ['rpn', 'ap'] as const) {
      expect(compareFmea(method, x, y)).toBe(-1);
      expect(compareFmea(method, y, x)).toBe(1);
      expect(compareFmea(method, x, { ...x })).toBe(0);
    }
  });
});
