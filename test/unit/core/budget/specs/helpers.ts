import { readFileSync } from 'node:fs';
import { checkSpecs, type SpecReport } from '../../../../../src/core/budget/specs/index.js';

/** Text of a file under docs/examples/slo. */
export function example(name: string): string {
  return readFileSync(new URL(`../../../../../docs/examples/slo/${name}`, import.meta.url), 'utf8');
}

/** checkSpecs over one file's text. */
export function check(text: string, file = 'slo.yaml'): SpecReport {
  return checkSpecs([{ file, text }]);
}

/** `path: message` of every problem, for compact assertions. */
export function problemLines(text: string, file = 'slo.yaml'): string[] {
  return check(text, file).problems.map((p) => `${p.path}: ${p.message}`);
}

/** The single SLO of a text that must be valid. */
export function one(text: string) {
  const r = check(text);
  if (r.problems.length > 0) throw new Error(`unexpected problems:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  if (r.slos.length !== 1) throw new Error(`expected one SLO, got ${r.slos.length}`);
  return r.slos[0]!;
}

export { inputError } from '../../../../helpers/errors.js';

export const BAD = 'sum(rate(http_requests_total{service="checkout",code="500"}[{{.window}}]))';
export const TOTAL = 'sum(rate(http_requests_total{service="checkout"}[{{.window}}]))';
export const GOOD = 'sum(rate(http_requests_total{service="checkout",code!="500"}[{{.window}}]))';

/** A native single-SLO document; `extra` lines are appended at the top level. */
export function native(extra = '', fields: Record<string, string> = {}): string {
  const f = { service: 'checkout', name: 'availability', objective: '99.9', window: '30d', sli: `\n  bad: '${BAD}'\n  total: '${TOTAL}'`, ...fields };
  const lines = ['apiVersion: relia/v1', 'kind: SLO'];
  for (const [k, v] of Object.entries(f)) if (v !== '') lines.push(`${k}: ${v}`);
  return `${lines.join('\n')}\n${extra}`;
}

/** `[path, message without its line number, fix]` of every problem. */
export function problemsWithFix(text: string): Array<[string, string, string | undefined]> {
  return check(text).problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, ''), p.suggestion]);
}

/**
 * An openslo/v1 SLO document named `availability` from its parts: `metadata` lines after the name (each ending in a
 * newline), the `indicator` (or `indicatorRef`) block at two spaces, and `tail` after the objectives; the window
 * (30d rolling), budgeting method (Occurrences) and objectives (target 0.999) have defaults.
 */
export function opensloSloDoc(p: { metadata: string; service: string; indicator: string; timeWindow?: string; budgeting?: string; objectives?: string; tail?: string }): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
${p.metadata}spec:
  service: ${p.service}
${p.indicator}
  timeWindow:
${p.timeWindow ?? '    - duration: 30d\n      isRolling: true'}
  budgetingMethod: ${p.budgeting ?? 'Occurrences'}
  objectives:
${p.objectives ?? '    - target: 0.999'}
${p.tail ?? ''}`;
}
