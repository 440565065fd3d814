/**
 * A journal as rows (for the table), Markdown and JUnit, like the budget
 * reports (and with their escaping helpers). Pure.
 */
import { xmlEscape } from '../budget/report-junit.js';
import { mdCell } from '../budget/report-markdown.js';
import type { ActivityRun, Journal } from './journal.js';

export interface JournalRow {
  phase: 'before' | 'method' | 'after' | 'rollback';
  name: string;
  status: 'succeeded' | 'failed';
  /** true/false for hypothesis probes; null otherwise. */
  toleranceMet: boolean | null;
  durationSeconds: number;
  error: string | null;
}

export interface JournalSummary {
  title: string;
  status: Journal['status'];
  deviated: boolean;
  exitCode: number;
  reason: string;
  start: string;
  durationSeconds: number;
  abort: Journal['relia']['abort'] | null;
  rows: JournalRow[];
  /** The hypothesis checks during the method (`steady_states.during`): how many, and how many were met. */
  during: { checks: number; met: number };
  guards: Journal['relia']['guards'];
  injections: Journal['relia']['injections'];
  leftovers: Journal['relia']['leftovers'];
}

function row(phase: JournalRow['phase'], r: ActivityRun): JournalRow {
  const name = typeof r.activity.name === 'string' ? r.activity.name : '(unnamed)';
  return { phase, name, status: r.status, toleranceMet: r.tolerance_met ?? null, durationSeconds: r.duration, error: r.exception?.[0] ?? null };
}

/** Read a journal (relia's, or chaostoolkit's own: the relia section is then absent). */
export function summarise(j: Journal): JournalSummary {
  const relia = (j.relia ?? {}) as Partial<Journal['relia']>;
  const title = typeof j.experiment?.title === 'string' ? j.experiment.title : '(untitled)';
  const during = j.steady_states?.during ?? [];
  return {
    title,
    status: j.status,
    deviated: j.deviated === true,
    exitCode: relia.exitCode ?? (j.status === 'completed' ? 0 : j.status === 'failed' ? 1 : j.status === 'aborted' ? 4 : 130),
    reason: relia.reason ?? '',
    start: j.start,
    durationSeconds: j.duration,
    abort: relia.abort ?? null,
    rows: [
      ...(j.steady_states?.before?.probes ?? []).map((r) => row('before', r)),
      ...(j.run ?? []).map((r) => row('method', r)),
      ...(j.steady_states?.after?.probes ?? []).map((r) => row('after', r)),
      ...(j.rollbacks ?? []).map((r) => row('rollback', r)),
    ],
    during: { checks: during.length, met: during.filter((d) => d.steady_state_met).length },
    guards: relia.guards ?? [],
    injections: relia.injections ?? [],
    leftovers: relia.leftovers ?? [],
  };
}

const ok = (r: JournalRow): boolean => r.status === 'succeeded' && r.toleranceMet !== false;

export function markdownJournal(s: JournalSummary): string {
  const lines = [
    `### Chaos experiment: ${mdCell(s.title)}`,
    '',
    `**${s.status}**${s.deviated ? ' (deviated)' : ''} · exit ${s.exitCode} · ${s.durationSeconds.toFixed(1)} s · ${mdCell(s.reason)}`,
    '',
  ];
  if (s.abort) {
    lines.push(`Aborted by ${s.abort.by} **${mdCell(s.abort.what)}**: ${mdCell(s.abort.message)}${s.abort.reactionMs !== undefined ? ` (reaction ${s.abort.reactionMs} ms)` : ''}`, '');
  }
  if (s.during.checks > 0) lines.push(`Hypothesis during the method: ${s.during.met} of ${s.during.checks} checks met`, '');
  lines.push('| Phase | Activity | Status | Tolerance | Duration |', '|---|---|---|---|---:|');
  for (const r of s.rows) {
    lines.push(`| ${r.phase} | ${mdCell(r.name)} | ${ok(r) ? '✅' : '❌'} ${r.status}${r.error ? `: ${mdCell(r.error)}` : ''} | ${r.toleranceMet === null ? '' : r.toleranceMet ? 'met' : 'not met'} | ${r.durationSeconds.toFixed(2)} s |`);
  }
  if (s.leftovers.length > 0) {
    lines.push('', '**Still injected: undo by hand**', '');
    for (const l of s.leftovers) lines.push(`- ${mdCell(l.description)}: \`${l.manualUndo}\` (${mdCell(l.error)})`);
  }
  return `${lines.join('\n')}\n`;
}

export function junitJournal(s: JournalSummary): string {
  const cases: string[] = [];
  let failures = 0;
  for (const r of s.rows) {
    const name = xmlEscape(`${r.phase}: ${r.name}`);
    if (ok(r)) cases.push(`    <testcase classname="chaos" name="${name}" time="${r.durationSeconds.toFixed(3)}"/>`);
    else {
      failures++;
      const msg = r.error ?? 'tolerance not met';
      cases.push(`    <testcase classname="chaos" name="${name}" time="${r.durationSeconds.toFixed(3)}">\n      <failure message="${xmlEscape(msg)}">${xmlEscape(msg)}</failure>\n    </testcase>`);
    }
  }
  const held = s.exitCode === 0;
  if (!held) failures++;
  cases.push(
    held
      ? `    <testcase classname="chaos" name="experiment" time="${s.durationSeconds.toFixed(3)}"/>`
      : `    <testcase classname="chaos" name="experiment" time="${s.durationSeconds.toFixed(3)}">\n      <failure message="${xmlEscape(`${s.status} (exit ${s.exitCode})`)}">${xmlEscape(s.reason)}</failure>\n    </testcase>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="relia chaos" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${xmlEscape(s.title)}" tests="${cases.length}" failures="${failures}" timestamp="${xmlEscape(s.start)}" time="${s.durationSeconds.toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
