/**
 * Cells of the human tables `relia budget status|check` print, as plain
 * strings (the CLI renders and colours them). Pure.
 */
import { humanDuration } from '../units.js';
import type { BudgetEvaluation, SloStatus } from './evaluate-types.js';
import { fmt, fmtPct } from './gate.js';

export interface TableColumn {
  header: string;
  align: 'left' | 'right';
  value: (s: SloStatus) => string;
}

/** `0.99920557` → `99.9206%`, `0.9947912` → `99.479%`: percentages with enough digits to tell nines apart (four decimals from 99.9 % up). */
export function nines(fraction: number | null): string {
  if (fraction === null) return 'n/a';
  return `${(fraction * 100).toFixed(fraction >= 0.999 ? 4 : 3).replace(/0+$/, '').replace(/\.$/, '')}%`;
}

/** A count with thousands separators: 518362.03 → `518,362`. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function burnCell(b: number | null | undefined): string {
  return b === null || b === undefined ? '–' : `${fmt(b, 3)}×`;
}

export function exhaustionCell(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'never';
  if (seconds === 0) return 'now';
  return humanDuration(seconds);
}

/** The budget in bad events (event-based) or bad minutes (time-based). */
export function budgetCell(s: SloStatus): string {
  if (s.events) return `${count(s.events.allowedBad)} bad events`;
  if (s.badMinutes) return `${fmt(s.badMinutes.allowed, 4)} bad min`;
  return 'n/a';
}

export function consumedCell(s: SloStatus): string {
  if (s.consumed === null) return 'n/a';
  const extra = s.events ? ` (${count(s.events.bad)})` : s.badMinutes ? ` (${fmt(s.badMinutes.consumed, 4)} min)` : '';
  return `${fmtPct(s.consumed)}${extra}`;
}

/**
 * The verdict word of an SLO, the same in `status` and `check`: `blocked` when
 * the policy blocks a change, `invalid` when the metrics answered nonsense,
 * `pass (unavailable)` when metrics were unavailable and --on-unavailable
 * pass let it through, else the verdict.
 */
export function verdictWord(s: SloStatus): string {
  if (s.unavailable) return 'pass (unavailable)';
  if (s.verdict === 'invalid') return 'invalid';
  return s.blocked ? 'blocked' : s.verdict;
}

/** The fastest burn over the reported windows, with its window: `3.2× 1h`. */
export function fastestBurnCell(s: SloStatus): string {
  let best: [string, number] | null = null;
  for (const [w, b] of Object.entries(s.burnRates)) if (b !== null && b !== undefined && (best === null || b > best[1])) best = [w, b];
  return best === null ? '–' : `${burnCell(best[1])} ${best[0]}`;
}

/**
 * Columns of the status table, most important first (a narrow terminal drops
 * them from the right): the SLO, the verdict, the budget remaining and the
 * fastest burn, then the detail, one burn column per burn window.
 */
export function statusColumns(burnWindows: readonly string[]): TableColumn[] {
  return [
    { header: 'SLO', align: 'left', value: (s) => s.id },
    { header: 'VERDICT', align: 'left', value: verdictWord },
    { header: 'REMAINING', align: 'right', value: (s) => (s.budgetRemaining === null ? 'n/a' : fmtPct(s.budgetRemaining)) },
    { header: 'FASTEST BURN', align: 'right', value: fastestBurnCell },
    { header: 'SLI', align: 'right', value: (s) => nines(s.sli) },
    { header: 'OBJECTIVE', align: 'right', value: (s) => nines(s.objective) },
    { header: 'WINDOW', align: 'left', value: (s) => s.window },
    { header: 'EXHAUSTED IN (1h/6h)', align: 'right', value: (s) => `${exhaustionCell(s.exhaustion['1h'])} / ${exhaustionCell(s.exhaustion['6h'])}` },
    { header: 'CONSUMED', align: 'right', value: consumedCell },
    { header: 'BUDGET', align: 'right', value: budgetCell },
    { header: 'BUDGET TREND', align: 'left', value: (s) => s.sparkline },
    ...burnWindows.map((w): TableColumn => ({ header: `BURN ${w}`, align: 'right', value: (s) => burnCell(s.burnRates[w]) })),
  ];
}

/** Footnotes under the status table: why an SLO is not a plain pass, in the words `check` uses. */
export function statusFootnotes(evaluation: BudgetEvaluation): string[] {
  const plainPass = (s: SloStatus) => !s.unavailable && !s.blocked && s.verdict === 'pass' && s.reasons.every((r) => r.startsWith('within policy'));
  return evaluation.slos.filter((s) => !plainPass(s)).map((s) => `${s.id}: ${verdictWord(s)}${s.reasons.length > 0 ? `: ${s.reasons.join('; ')}` : ''}`);
}

/** Burn windows present in an evaluation (the union over SLOs, in first-seen order). */
export function burnWindowsOf(evaluation: BudgetEvaluation): string[] {
  const out: string[] = [];
  for (const s of evaluation.slos) for (const w of Object.keys(s.burnRates)) if (!out.includes(w)) out.push(w);
  return out;
}

/** One line per SLO for the check's human output: `verdict  id  reasons`. */
export function checkLines(evaluation: BudgetEvaluation): Array<{ verdict: string; blocked: boolean; id: string; reasons: string[] }> {
  return evaluation.slos.map((s) => ({ verdict: verdictWord(s), blocked: s.blocked, id: s.id, reasons: s.reasons }));
}
