/**
 * The risk model shared by every `relia risk` computation: a risk's four
 * numbers (time to detect, time to repair, fraction of users hurt, how often
 * it happens), the CRE "bad minutes" arithmetic, the error budget, and how
 * mitigations change a risk. Pure. docs/risk.md has the formulas.
 */
import { InputError } from '../errors.js';
import { YEAR_SECONDS } from '../units.js';

/** Minutes in a Julian year (365.25 d): 525,960. */
export const YEAR_MINUTES = YEAR_SECONDS / 60;
/** Days in a Julian year. */
export const YEAR_DAYS = YEAR_SECONDS / 86_400;

/** The four numbers that score a risk. */
export interface RiskParams {
  /** Expected time to detect, minutes. */
  ettdMinutes: number;
  /** Expected time to repair (from detection to resolution), minutes. */
  ettrMinutes: number;
  /** Fraction of users (or requests) affected while it lasts, 0..1. */
  impact: number;
  /** Occurrences per year (= 365.25 d / ETTF). */
  frequencyPerYear: number;
}

/**
 * One mitigation. Every effect is optional; a risk value is changed by at most
 * one form of each field:
 *  - a replacement (`ettdMinutes`, `ettrMinutes`, `impact`, `frequencyPerYear`)
 *    acts as a CAP: the value becomes min(current, replacement);
 *  - a factor (`…Factor`, each in [0, 1]) multiplies the current value.
 * Neither form can raise a value, so a mitigation never raises a score.
 */
export interface Mitigation {
  name: string;
  description?: string;
  ettdMinutes?: number;
  ettdFactor?: number;
  ettrMinutes?: number;
  ettrFactor?: number;
  impact?: number;
  impactFactor?: number;
  /** From `frequency: 2/y` or `ettf: 180d` in the register. */
  frequencyPerYear?: number;
  frequencyFactor?: number;
}

export interface Risk extends RiskParams {
  name: string;
  service: string;
  category: string;
  description?: string;
  mitigations: Mitigation[];
}

export interface Register {
  /** Default objective (fraction, e.g. 0.999) when the command gets no `--slo`. */
  objective?: number;
  risks: Risk[];
}

/** Bad minutes of one occurrence: (ETTD + ETTR) × impact. */
export function perOccurrenceMinutes(p: RiskParams): number {
  return (p.ettdMinutes + p.ettrMinutes) * p.impact;
}

/** CRE expected bad minutes per year: (ETTD + ETTR) × impact × 365.25 d / ETTF. */
export function badMinutesPerYear(p: RiskParams): number {
  return perOccurrenceMinutes(p) * p.frequencyPerYear;
}

/** ETTF in days from a yearly frequency. */
export function ettfDays(frequencyPerYear: number): number {
  return frequencyPerYear > 0 ? YEAR_DAYS / frequencyPerYear : Number.POSITIVE_INFINITY;
}

/** Check an objective given as a fraction in (0, 1); the CLI parses `--slo 99.9` with parseObjective first. */
export function checkObjective(objective: number, field = 'objective'): number {
  if (!(typeof objective === 'number' && objective > 0 && objective < 1)) {
    throw new InputError(`${field}: expected an objective strictly between 0 and 1 (a fraction), got ${JSON.stringify(objective)}`, {
      field,
      suggestions: ['pass the objective as a fraction such as 0.999, or parse `--slo 99.9` with parseObjective'],
    });
  }
  return objective;
}

/** Error budget in minutes per year: (1 − objective) × 525,960. */
export function budgetMinutesPerYear(objective: number): number {
  return (1 - checkObjective(objective)) * YEAR_MINUTES;
}

/** Apply one mitigation to a risk's numbers (caps and factors, never an increase). */
export function applyMitigation(p: RiskParams, m: Mitigation): RiskParams {
  const cap = (value: number, replacement: number | undefined, factor: number | undefined): number => {
    let v = value;
    if (replacement !== undefined) v = Math.min(v, replacement);
    if (factor !== undefined) v *= factor;
    return v;
  };
  return {
    ettdMinutes: cap(p.ettdMinutes, m.ettdMinutes, m.ettdFactor),
    ettrMinutes: cap(p.ettrMinutes, m.ettrMinutes, m.ettrFactor),
    impact: cap(p.impact, m.impact, m.impactFactor),
    frequencyPerYear: cap(p.frequencyPerYear, m.frequencyPerYear, m.frequencyFactor),
  };
}

/** Apply mitigations in the order listed (all of the risk's, unless a list is given). */
export function applyMitigations(risk: Risk, mitigations: readonly Mitigation[] = risk.mitigations): RiskParams {
  return mitigations.reduce<RiskParams>((p, m) => applyMitigation(p, m), paramsOf(risk));
}

/** Just the four numbers of a risk. */
export function paramsOf(p: RiskParams): RiskParams {
  return { ettdMinutes: p.ettdMinutes, ettrMinutes: p.ettrMinutes, impact: p.impact, frequencyPerYear: p.frequencyPerYear };
}

/** The numbers a computation should use: the risk as written, or with all its mitigations applied. */
export function effectiveParams(risk: Risk, mitigated: boolean): RiskParams {
  return mitigated ? applyMitigations(risk) : paramsOf(risk);
}
