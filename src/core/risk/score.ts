/**
 * `relia risk score --method cre`: the Google CRE risk-analysis method. Each
 * risk's expected bad minutes per year, its share of the yearly error budget,
 * the untenable flag, the smallest over-budget set of top risks and the
 * acceptable line; with `mitigated`, the re-score and the minutes each
 * mitigation saves. Pure. docs/risk.md#score has the formulas.
 */
import {
  applyMitigation,
  badMinutesPerYear,
  budgetMinutesPerYear,
  checkObjective,
  effectiveParams,
  ettfDays,
  paramsOf,
  perOccurrenceMinutes,
  type Register,
  type Risk,
  type RiskParams,
} from './model.js';

export interface ScoreOptions {
  /** Objective as a fraction in (0, 1), e.g. 0.999. */
  objective: number;
  /** Re-score with each risk's mitigations applied; ranking and the budget lines then use the mitigated numbers. */
  mitigated?: boolean;
}

export interface MitigationSaving {
  name: string;
  /** Minutes/year this mitigation saves when applied after the ones listed before it (the savings add up to the risk's total). */
  savedMinutesPerYear: number;
  /** Minutes/year it would save if it were the risk's only mitigation. */
  savedAloneMinutesPerYear: number;
}

export interface MitigatedScore {
  ettdMinutes: number;
  ettrMinutes: number;
  impact: number;
  frequencyPerYear: number;
  /** null when the mitigations remove the risk (frequency 0): JSON has no Infinity. */
  ettfDays: number | null;
  perOccurrenceMinutes: number;
  badMinutesPerYear: number;
  budgetShare: number;
  untenable: boolean;
  /** Unmitigated minus mitigated bad minutes per year (≥ 0). */
  savedMinutesPerYear: number;
  mitigations: MitigationSaving[];
}

export interface RiskScore {
  /** 1 = the most bad minutes (on the result's basis). */
  rank: number;
  name: string;
  service: string;
  category: string;
  ettdMinutes: number;
  ettrMinutes: number;
  impact: number;
  frequencyPerYear: number;
  ettfDays: number;
  /** (ETTD + ETTR) × impact: bad minutes of one occurrence. */
  perOccurrenceMinutes: number;
  /** perOccurrenceMinutes × frequencyPerYear. */
  badMinutesPerYear: number;
  /** badMinutesPerYear / budgetMinutesPerYear. */
  budgetShare: number;
  /** One occurrence alone costs more than the whole yearly budget. */
  untenable: boolean;
  /** Running total of bad minutes down the ranking (basis values). */
  cumulativeBadMinutesPerYear: number;
  /** Member of the smallest set of top risks that together exceed the budget. */
  inOverBudgetSet: boolean;
  /** Below the acceptable line: all risks below it together fit in the budget. */
  acceptable: boolean;
  mitigated?: MitigatedScore;
}

export interface ScoreResult {
  method: 'cre';
  objective: number;
  budgetMinutesPerYear: number;
  /** Which numbers rank the risks and draw the lines. */
  basis: 'unmitigated' | 'mitigated';
  /** Sum of unmitigated bad minutes per year. */
  totalBadMinutesPerYear: number;
  /** Sum of mitigated bad minutes per year (with `mitigated`). */
  mitigatedTotalBadMinutesPerYear?: number;
  /** Basis total / budget. */
  totalBudgetShare: number;
  /** Basis total exceeds the budget. */
  overBudget: boolean;
  /** Names of the smallest set of top-ranked risks whose bad minutes together exceed the budget; empty when the total fits. */
  overBudgetSet: string[];
  /** How many risks, counted from the bottom of the ranking, fit in the budget together; the rest must be mitigated. */
  acceptableCount: number;
  untenableCount: number;
  risks: RiskScore[];
}

interface Row {
  risk: Risk;
  base: RiskParams;
  basisMinutes: number;
  mitigated?: MitigatedScore;
}

function mitigatedScore(risk: Risk, budget: number): MitigatedScore {
  const base = paramsOf(risk);
  const baseBad = badMinutesPerYear(base);
  let running = base;
  const mitigations = risk.mitigations.map((m): MitigationSaving => {
    const next = applyMitigation(running, m);
    const saved = badMinutesPerYear(running) - badMinutesPerYear(next);
    running = next;
    return {
      name: m.name,
      savedMinutesPerYear: Math.max(0, saved),
      savedAloneMinutesPerYear: Math.max(0, baseBad - badMinutesPerYear(applyMitigation(base, m))),
    };
  });
  const p = effectiveParams(risk, true);
  const per = perOccurrenceMinutes(p);
  const bad = badMinutesPerYear(p);
  return {
    ...p,
    ettfDays: p.frequencyPerYear > 0 ? ettfDays(p.frequencyPerYear) : null,
    perOccurrenceMinutes: per,
    badMinutesPerYear: bad,
    budgetShare: bad / budget,
    untenable: per > budget,
    savedMinutesPerYear: Math.max(0, baseBad - bad),
    mitigations,
  };
}

/** Rank by bad minutes, most first; ties by name so the order is stable. */
export function byBadMinutes<T extends { minutes: number; name: string }>(a: T, b: T): number {
  return b.minutes - a.minutes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Lines over a ranked list (most bad minutes first): the smallest top-k whose
 * sum exceeds the budget, and how many risks from the bottom fit in it.
 */
export function budgetLines(rankedMinutes: readonly number[], budget: number): { overBudgetCount: number; acceptableCount: number } {
  let sum = 0;
  let overBudgetCount = 0;
  // Stryker disable next-line EqualityOperator: equivalent, one more step adds undefined: the sum is NaN, never over the budget
  for (let i = 0; i < rankedMinutes.length; i++) {
    sum += rankedMinutes[i] as number;
    if (sum > budget) {
      overBudgetCount = i + 1;
      break;
    }
  }
  let acceptableCount = 0;
  let fromBottom = 0;
  for (let i = rankedMinutes.length - 1; i >= 0; i--) {
    fromBottom += rankedMinutes[i] as number;
    if (fromBottom > budget) break;
    acceptableCount++;
  }
  return { overBudgetCount, acceptableCount };
}

/** Score a register with the CRE method against an objective. */
export function scoreRisks(register: Register, options: ScoreOptions): ScoreResult {
  const objective = checkObjective(options.objective);
  const budget = budgetMinutesPerYear(objective);
  const mitigated = options.mitigated === true;
  const rows: Row[] = register.risks.map((risk) => {
    const base = paramsOf(risk);
    const row: Row = { risk, base, basisMinutes: badMinutesPerYear(base) };
    if (mitigated) {
      row.mitigated = mitigatedScore(risk, budget);
      row.basisMinutes = row.mitigated.badMinutesPerYear;
    }
    return row;
  });
  rows.sort((a, b) => byBadMinutes({ minutes: a.basisMinutes, name: a.risk.name }, { minutes: b.basisMinutes, name: b.risk.name }));
  const { overBudgetCount, acceptableCount } = budgetLines(
    rows.map((r) => r.basisMinutes),
    budget,
  );
  let cumulative = 0;
  const risks = rows.map((row, i): RiskScore => {
    cumulative += row.basisMinutes;
    const per = perOccurrenceMinutes(row.base);
    const bad = badMinutesPerYear(row.base);
    const score: RiskScore = {
      rank: i + 1,
      name: row.risk.name,
      service: row.risk.service,
      category: row.risk.category,
      ...row.base,
      ettfDays: ettfDays(row.base.frequencyPerYear),
      perOccurrenceMinutes: per,
      badMinutesPerYear: bad,
      budgetShare: bad / budget,
      untenable: per > budget,
      cumulativeBadMinutesPerYear: cumulative,
      inOverBudgetSet: i < overBudgetCount,
      acceptable: i >= rows.length - acceptableCount,
    };
    if (row.mitigated) score.mitigated = row.mitigated;
    return score;
  });
  const total = risks.reduce((s, r) => s + r.badMinutesPerYear, 0);
  const basisTotal = mitigated ? risks.reduce((s, r) => s + (r.mitigated as MitigatedScore).badMinutesPerYear, 0) : total;
  const result: ScoreResult = {
    method: 'cre',
    objective,
    budgetMinutesPerYear: budget,
    basis: mitigated ? 'mitigated' : 'unmitigated',
    totalBadMinutesPerYear: total,
    totalBudgetShare: basisTotal / budget,
    overBudget: overBudgetCount > 0,
    overBudgetSet: risks.filter((r) => r.inOverBudgetSet).map((r) => r.name),
    acceptableCount,
    untenableCount: risks.filter((r) => (mitigated ? (r.mitigated as MitigatedScore).untenable : r.untenable)).length,
    risks,
  };
  if (mitigated) result.mitigatedTotalBadMinutesPerYear = basisTotal;
  return result;
}
