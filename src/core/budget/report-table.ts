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

/** `0.99920557` → `99.921%`: percentages with enough digits to tell nines apart. */
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

/** Columns of the status table, one burn column per burn window. */
export function statusColumns(burnWindows: readonly string[]): TableColumn[] {
  return [
    { header: 'SLO', align: 'left', value: (s) => s.id },
    { header: 'WINDOW', align: 'left', value: (s) => s.window },
    { header: 'SLI', align: 'right', value: (s) => nines(s.sli) },
    { header: 'OBJECTIVE', align: 'right', value: (s) => nines(s.objective) },
    { header: 'BUDGET', align: 'right', value: budgetCell },
    { header: 'CONSUMED', align: 'right', value: consumedCell },
    { header: 'REMAINING', align: 'right', value: (s) => (s.budgetRemaining === null ? 'n/a' : fmtPct(s.budgetRemaining)) },
    ...burnWindows.map((w): TableColumn => ({ header: `BURN ${w}`, align: 'right', value: (s) => burnCell(s.burnRates[w]) })),
    { header: 'EXHAUSTED IN (1h/6h)', align: 'right', value: (s) => `${exhaustionCell(s.exhaustion['1h'])} / ${exhaustionCell(s.exhaustion['6h'])}` },
    { header: 'BUDGET TREND', align: 'left', value: (s) => s.sparkline },
    { header: 'VERDICT', align: 'left', value: (s) => (s.unavailable ? 'pass (unavailable)' : s.verdict) },
  ];
}

/** Burn windows present in an evaluation (the union over SLOs, in first-seen order). */
export function burnWindowsOf(evaluation: BudgetEvaluation): string[] {
  const out: string[] = [];
  for (const s of evaluation.slos) for (const w of Object.keys(s.burnRates)) if (!out.includes(w)) out.push(w);
  return out;
}

/** One line per SLO for the check's human output: `verdict  id  reasons`. */
export function checkLines(evaluation: BudgetEvaluation): Array<{ verdict: string; blocked: boolean; id: string; reasons: string[] }> {
  return evaluation.slos.map((s) => ({ verdict: s.unavailable ? 'pass' : s.verdict === 'invalid' ? 'invalid' : s.blocked ? 'blocked' : s.verdict, blocked: s.blocked, id: s.id, reasons: s.reasons }));
}
