/**
 * `relia risk score --method rpn|ap`: an FMEA view of the register. Severity,
 * occurrence and detection (1–10 each) come from the risk's numbers through
 * the tables below (documented in docs/risk.md#fmea); RPN = S × O × D, and the
 * Action Priority (H/M/L) follows the banded, severity-first structure of the
 * AIAG & VDA FMEA Handbook (2019). Pure.
 */
import { effectiveParams, perOccurrenceMinutes, type Register, type RiskParams } from './model.js';

export type ActionPriority = 'H' | 'M' | 'L';

/**
 * A rating table: `lowerBounds[k]` is the smallest value that earns rating k + 2
 * (rating 1 is everything below lowerBounds[0]). Lower bounds are inclusive.
 */
export interface RatingTable {
  /** What is measured, in which unit. */
  measure: string;
  lowerBounds: readonly number[];
}

/** Severity from the bad minutes of one occurrence: (ETTD + ETTR) × impact. */
export const SEVERITY_TABLE: RatingTable = {
  measure: 'bad minutes per occurrence ((ETTD + ETTR) × impact)',
  //            S=2  3  4  5   6   7   8    9    10
  lowerBounds: [0.5, 1, 2, 5, 10, 20, 45, 120, 480],
};

/** Occurrence from occurrences per year. */
export const OCCURRENCE_TABLE: RatingTable = {
  measure: 'occurrences per year (365.25 d / ETTF)',
  //            O=2   3    4  5  6  7   8   9    10
  lowerBounds: [0.1, 0.2, 0.5, 1, 2, 4, 12, 52, 365],
};

/** Detection from ETTD (10 = found late). */
export const DETECTION_TABLE: RatingTable = {
  measure: 'ETTD in minutes',
  //          D=2  3  4   5   6   7    8    9     10
  lowerBounds: [1, 2, 5, 10, 15, 30, 60, 240, 1440],
};

/** Rate a value 1–10 with a table. */
export function rate(value: number, table: RatingTable): number {
  let rating = 1;
  for (const bound of table.lowerBounds) if (value >= bound) rating++;
  return rating;
}

export const severityRating = (perOccurrence: number) => rate(perOccurrence, SEVERITY_TABLE);
export const occurrenceRating = (frequencyPerYear: number) => rate(frequencyPerYear, OCCURRENCE_TABLE);
export const detectionRating = (ettdMinutes: number) => rate(ettdMinutes, DETECTION_TABLE);

// Action Priority bands: severity 9–10, 7–8, 4–6, 2–3, 1; occurrence 8–10,
// 6–7, 4–5, 2–3, 1; detection 7–10, 5–6, 2–4, 1. Each string lists the AP for
// the four detection bands, worst detection first.
const AP_BANDS: Record<string, Record<string, string>> = {
  s9: { o8: 'HHHH', o6: 'HHHH', o4: 'HHHM', o2: 'HMLL', o1: 'LLLL' },
  s7: { o8: 'HHHH', o6: 'HHHM', o4: 'HMMM', o2: 'MMLL', o1: 'LLLL' },
  s4: { o8: 'HHMM', o6: 'MMML', o4: 'MLLL', o2: 'LLLL', o1: 'LLLL' },
  s2: { o8: 'MMLL', o6: 'LLLL', o4: 'LLLL', o2: 'LLLL', o1: 'LLLL' },
  s1: { o8: 'LLLL', o6: 'LLLL', o4: 'LLLL', o2: 'LLLL', o1: 'LLLL' },
};

function clampRating(x: number): number {
  return Math.min(10, Math.max(1, Math.round(x)));
}

/** AIAG-VDA style Action Priority for ratings 1–10 (severity first, then occurrence, then detection). */
export function actionPriority(severity: number, occurrence: number, detection: number): ActionPriority {
  const s = clampRating(severity);
  const o = clampRating(occurrence);
  const d = clampRating(detection);
  const sBand = s >= 9 ? 's9' : s >= 7 ? 's7' : s >= 4 ? 's4' : s >= 2 ? 's2' : 's1';
  const oBand = o >= 8 ? 'o8' : o >= 6 ? 'o6' : o >= 4 ? 'o4' : o >= 2 ? 'o2' : 'o1';
  const dIndex = d >= 7 ? 0 : d >= 5 ? 1 : d >= 2 ? 2 : 3;
  return (AP_BANDS[sBand] as Record<string, string>)[oBand]?.charAt(dIndex) as ActionPriority;
}

export interface FmeaRatings {
  severity: number;
  occurrence: number;
  detection: number;
  /** severity × occurrence × detection, 1..1000. */
  rpn: number;
  actionPriority: ActionPriority;
}

/** Rate one set of numbers. */
export function fmeaRatings(p: RiskParams): FmeaRatings {
  const severity = severityRating(perOccurrenceMinutes(p));
  const occurrence = occurrenceRating(p.frequencyPerYear);
  const detection = detectionRating(p.ettdMinutes);
  return { severity, occurrence, detection, rpn: severity * occurrence * detection, actionPriority: actionPriority(severity, occurrence, detection) };
}

export interface FmeaRisk extends FmeaRatings {
  rank: number;
  name: string;
  service: string;
  category: string;
  perOccurrenceMinutes: number;
  frequencyPerYear: number;
  ettdMinutes: number;
  /** Ratings with all mitigations applied (with `mitigated`). */
  mitigated?: FmeaRatings & { perOccurrenceMinutes: number; frequencyPerYear: number; ettdMinutes: number };
}

export interface FmeaResult {
  method: 'rpn' | 'ap';
  basis: 'unmitigated' | 'mitigated';
  /** Number of risks per Action Priority on the basis. */
  actionPriorityCounts: Record<ActionPriority, number>;
  risks: FmeaRisk[];
}

export interface FmeaOptions {
  /** `rpn` ranks by RPN; `ap` ranks by Action Priority, then S, O, D. */
  method: 'rpn' | 'ap';
  mitigated?: boolean;
}

const AP_ORDER: Record<ActionPriority, number> = { H: 0, M: 1, L: 2 };

/** Compare two rated risks for a method (most urgent first); ties by name. */
export function compareFmea(method: 'rpn' | 'ap', a: FmeaRatings & { name: string }, b: FmeaRatings & { name: string }): number {
  const byName = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  if (method === 'rpn') return b.rpn - a.rpn || b.severity - a.severity || byName;
  return (
    AP_ORDER[a.actionPriority] - AP_ORDER[b.actionPriority] ||
    b.severity - a.severity ||
    b.occurrence - a.occurrence ||
    b.detection - a.detection ||
    byName
  );
}

/** Rate every risk of a register and rank them by RPN or Action Priority. */
export function fmeaRisks(register: Register, options: FmeaOptions): FmeaResult {
  const mitigated = options.mitigated === true;
  const rows = register.risks.map((risk) => {
    const base = effectiveParams(risk, false);
    const row: Omit<FmeaRisk, 'rank'> = {
      name: risk.name,
      service: risk.service,
      category: risk.category,
      perOccurrenceMinutes: perOccurrenceMinutes(base),
      frequencyPerYear: base.frequencyPerYear,
      ettdMinutes: base.ettdMinutes,
      ...fmeaRatings(base),
    };
    if (mitigated) {
      const m = effectiveParams(risk, true);
      row.mitigated = { perOccurrenceMinutes: perOccurrenceMinutes(m), frequencyPerYear: m.frequencyPerYear, ettdMinutes: m.ettdMinutes, ...fmeaRatings(m) };
    }
    return row;
  });
  const basisOf = (r: Omit<FmeaRisk, 'rank'>) => ({ ...(r.mitigated ?? r), name: r.name });
  rows.sort((a, b) => compareFmea(options.method, basisOf(a), basisOf(b)));
  const counts: Record<ActionPriority, number> = { H: 0, M: 0, L: 0 };
  for (const r of rows) counts[basisOf(r).actionPriority]++;
  return {
    method: options.method,
    basis: mitigated ? 'mitigated' : 'unmitigated',
    actionPriorityCounts: counts,
    risks: rows.map((r, i) => ({ rank: i + 1, ...r })),
  };
}
