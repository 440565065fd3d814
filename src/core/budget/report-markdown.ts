/**
 * Markdown for `relia budget check --markdown FILE` and $GITHUB_STEP_SUMMARY:
 * a headline, one table row per SLO and the reasons of every blocked or
 * flagged SLO. Pure.
 */
import type { BudgetEvaluation, SloStatus } from './evaluate-types.js';
import { fmtPct } from './gate.js';
import { burnCell, burnWindowsOf, exhaustionCell, nines } from './report-table.js';

/** Escape text for a Markdown table cell. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/([`*_[\]<>])/g, '\\$1');
}

function icon(s: SloStatus): string {
  if (s.blocked) return '❌ blocked';
  if (s.unavailable !== null) return '⚠️ unavailable (passed)';
  // a blocked invalid SLO returned above: one here was let through
  if (s.verdict === 'invalid') return '⚠️ invalid data (passed)';
  if (s.verdict === 'no-data') return '⚪ no data';
  if (s.exception !== null) return `✅ pass (exception ${s.exception})`;
  return '✅ pass';
}

export interface MarkdownOptions {
  title?: string;
  /** Change labels of the run, shown in the headline. */
  changeLabels?: Record<string, string>;
}

export function markdownReport(evaluation: BudgetEvaluation, options: MarkdownOptions = {}): string {
  const windows = burnWindowsOf(evaluation);
  const { summary } = evaluation;
  const passed = summary.blocked === 0;
  const out: string[] = [];
  out.push(`## ${options.title ?? 'Error budget check'}: ${passed ? '✅ passed' : `❌ blocked by ${summary.blocked} SLO${summary.blocked === 1 ? '' : 's'}`}`);
  out.push('');
  const labels = Object.entries(options.changeLabels ?? {});
  out.push(
    `${summary.total} SLOs as of ${evaluation.at}: ${summary.pass} pass, ${summary.fail} fail, ${summary.noData} no data${summary.unavailable ? `, ${summary.unavailable} unavailable` : ''}${summary.invalid ? `, ${summary.invalid} invalid` : ''}.` +
      (labels.length > 0 ? ` Change labels: ${labels.map(([k, v]) => `\`${k}=${v}\``).join(', ')}.` : ''),
  );
  out.push('');
  const header = ['SLO', 'Verdict', 'SLI', 'Objective', 'Budget remaining', ...windows.map((w) => `Burn ${w}`), 'Exhausted in (1h / 6h)'];
  out.push(`| ${header.join(' | ')} |`);
  out.push(`| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`);
  for (const s of evaluation.slos) {
    const row = [
      mdCell(s.id),
      icon(s),
      nines(s.sli),
      nines(s.objective),
      s.budgetRemaining === null ? 'n/a' : fmtPct(s.budgetRemaining),
      ...windows.map((w) => burnCell(s.burnRates[w])),
      s.unavailable !== null ? 'n/a' : `${exhaustionCell(s.exhaustion['1h'])} / ${exhaustionCell(s.exhaustion['6h'])}`,
    ];
    out.push(`| ${row.join(' | ')} |`);
  }
  const notable = evaluation.slos.filter((s) => s.blocked || s.postmortemRequired || s.exception !== null || s.unavailable !== null || s.verdict === 'no-data' || s.verdict === 'invalid');
  if (notable.length > 0) {
    out.push('');
    out.push('### Reasons');
    for (const s of notable) {
      out.push('');
      out.push(`**${mdCell(s.id)}** (${icon(s)})`);
      for (const r of s.reasons) out.push(`- ${mdCell(r)}`);
    }
  }
  out.push('');
  return `${out.join('\n')}\n`;
}
