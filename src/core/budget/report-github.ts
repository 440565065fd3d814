/**
 * GitHub Actions workflow commands for `relia budget check` under
 * GITHUB_ACTIONS=true: `::error` for every blocked SLO, `::warning` for
 * no-data, unavailable, bypassed and postmortem-flagged ones. Pure.
 */
import type { BudgetEvaluation } from './evaluate-types.js';
import { numbersLine } from './report-junit.js';

/** Escape the message part of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value of a workflow command. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A workflow command; every annotation here has a file and a title, so the properties are never empty. */
function command(kind: 'error' | 'warning', props: { file: string; title: string }, message: string): string {
  const p = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${kind} ${p}::${escapeData(message)}`;
}

export function githubAnnotations(evaluation: BudgetEvaluation): string[] {
  const out: string[] = [];
  for (const s of evaluation.slos) {
    const props = { file: s.source.file, title: `SLO ${s.id}` };
    if (s.blocked) {
      out.push(command('error', { ...props, title: `SLO ${s.id} blocks the deploy` }, `${s.reasons.join('\n')}\n${numbersLine(s)}`));
    } else if (s.unavailable !== null) {
      out.push(command('warning', { ...props, title: `SLO ${s.id}: metrics unavailable` }, s.reasons.join('\n')));
    } else if (s.verdict === 'no-data' || s.verdict === 'invalid') {
      out.push(command('warning', { ...props, title: `SLO ${s.id}: ${s.verdict === 'invalid' ? 'invalid metric data' : 'no data'}` }, s.reasons.join('\n')));
    } else if (s.exception !== null || s.postmortemRequired) {
      out.push(command('warning', props, `${s.reasons.join('\n')}\n${numbersLine(s)}`));
    }
  }
  return out;
}
