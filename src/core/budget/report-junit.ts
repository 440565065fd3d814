/**
 * JUnit XML for `relia budget check --junit FILE`: one testsuite, one
 * testcase per SLO (classname = service, name = SLO name). A blocked SLO is a
 * <failure> whose message carries the numbers; an unavailable SLO passed by
 * --on-unavailable and an unblocked no-data SLO are <skipped>. Pure.
 */
import type { BudgetEvaluation, SloStatus } from './evaluate-types.js';
import { fmt, fmtPct } from './gate.js';
import { nines } from './report-table.js';

/** Escape text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return [...text]
    .filter((ch) => {
      const c = ch.codePointAt(0) as number;
      return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    })
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The numbers of one SLO on one line: SLI, objective, remaining budget, burn rates. */
export function numbersLine(s: SloStatus): string {
  const burns = Object.entries(s.burnRates)
    .map(([w, b]) => `${w} ${b === null ? 'n/a' : `${fmt(b, 3)}x`}`)
    .join(', ');
  const remaining = s.budgetRemaining === null ? 'n/a' : fmtPct(s.budgetRemaining);
  const events = s.events ? `; events ${Math.round(s.events.total)}, bad ${Math.round(s.events.bad)}` : '';
  return `SLI ${nines(s.sli)} over ${s.window} (objective ${nines(s.objective)}); budget remaining ${remaining}; burn ${burns}${events}`;
}

export interface JunitOptions {
  /** Suite name. Default `relia budget check`. */
  name?: string;
  /** Wall time of the run, seconds. */
  durationSeconds?: number;
}

export function junitReport(evaluation: BudgetEvaluation, options: JunitOptions = {}): string {
  const name = options.name ?? 'relia budget check';
  const tests = evaluation.slos.length;
  const failures = evaluation.slos.filter((s) => s.blocked).length;
  const skipped = evaluation.slos.filter((s) => !s.blocked && (s.unavailable !== null || s.verdict === 'no-data' || s.verdict === 'invalid')).length;
  const time = (options.durationSeconds ?? 0).toFixed(3);
  // each testcase's share of the run; printed only on a testcase, so never with tests = 0
  const per = ((options.durationSeconds ?? 0) / tests).toFixed(3);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="${xmlEscape(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`);
  lines.push(`  <testsuite name="${xmlEscape(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${xmlEscape(evaluation.at)}">`);
  lines.push('    <properties>');
  lines.push(`      <property name="at" value="${xmlEscape(evaluation.at)}"/>`);
  lines.push(`      <property name="queries" value="${evaluation.queries}"/>`);
  lines.push('    </properties>');
  for (const s of evaluation.slos) {
    const open = `    <testcase classname="${xmlEscape(s.service)}" name="${xmlEscape(s.name)}" file="${xmlEscape(s.source.file)}" time="${per}"`;
    const details = [`${s.id}: ${s.verdict}${s.blocked ? ' (blocked)' : ''}`, numbersLine(s), ...s.reasons.map((r) => `- ${r}`)].join('\n');
    if (s.blocked) {
      const message = `${s.id} blocked: ${s.reasons.filter((r) => !r.startsWith('dynamic budget')).join('; ')} | ${numbersLine(s)}`;
      lines.push(`${open}>`);
      lines.push(`      <failure message="${xmlEscape(message)}" type="${xmlEscape(s.blocks.filter((b) => !s.bypassed.includes(b)).join(',') || 'blocked')}">${xmlEscape(details)}</failure>`);
      lines.push('    </testcase>');
    } else if (s.unavailable !== null || s.verdict === 'no-data' || s.verdict === 'invalid') {
      lines.push(`${open}>`);
      lines.push(`      <skipped message="${xmlEscape(`${s.id}: ${s.reasons[0] ?? s.verdict}`)}"/>`);
      lines.push(`      <system-out>${xmlEscape(details)}</system-out>`);
      lines.push('    </testcase>');
    } else {
      lines.push(`${open}>`);
      lines.push(`      <system-out>${xmlEscape(details)}</system-out>`);
      lines.push('    </testcase>');
    }
  }
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
