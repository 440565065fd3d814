/**
 * Shared pieces of the three SLO spec parsers: problem collection with file,
 * field path and line, zod-issue translation, and the checks every format
 * applies the same way (names, labels, query templates, percentages). Pure.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { z } from 'zod';
import { formatPath, schemaProblems, type Problem } from '../../validation.js';
import type { AlertTierSettings, SloAlerting } from '../model.js';
import { promqlSyntaxError, windowQuery, type RangeFunction } from './promql-window.js';

export const SPEC_DOCS = 'docs/budget-specs.md';

/** Names of services and SLOs: letters, digits, `.`, `_`, `-`; start and end with a letter or digit. */
export const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$/;
/** Prometheus label names. */
export const LABEL_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Prometheus metric names. */
export const METRIC_NAME_RE = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
/**
 * Prometheus alert names: any non-empty text (promtool accepts
 * `slo_foo-bar_grpc-latency-percentile-90_fail`), here without control
 * characters or surrounding spaces, so a name always prints on one line.
 */
export function isAlertName(name: string): boolean {
  return name.length > 0 && name.trim() === name && [...name].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f);
}

/** `alerting.name` of every format (native, Sloth, Pyrra): a Prometheus alert name. */
export const AlertName = z
  .string(expecting('an alert name such as CheckoutAvailabilityBudgetBurn'))
  .refine(isAlertName, { error: 'expected an alert name: non-empty text without line breaks, control characters or surrounding spaces' });
/** relia durations as written in specs: `30d`, `1h30m`, `5m`. */
export const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
/** The placeholder every query template must hold. */
export const WINDOW = '{{.window}}';
/** Label names relia sets itself on generated rules; specs may not use them. */
export const RESERVED_LABEL = /^(?:__|relia_)|^alertname$/;

export type Path = ReadonlyArray<string | number>;

/** Where a YAML document lives: for messages (file, display prefix) and for line numbers. */
export interface DocContext {
  file: string;
  /** Display prefix of the document inside its file (`documents[1]`), or '' for a single-document file. */
  prefix: string;
  doc?: Document;
  lineCounter?: LineCounter;
  /** Position of the document in the whole input: problems are listed in this order. */
  order?: number;
  /** Where the spec sits inside the YAML document: `[2]` in a top-level list, `spec` in a Kubernetes resource. */
  path?: Path;
}

/** The context of a part of a document (`spec` of a Kubernetes resource): paths and lines are relative to it. */
export function subContext(ctx: DocContext, path: Path): DocContext {
  return { ...ctx, prefix: formatPath(path, ctx.prefix), path: [...(ctx.path ?? []), ...path] };
}

/** Every problem found, in input order. */
export class ProblemList {
  private readonly entries: Array<{ problem: Problem; order: number; line: number }> = [];

  add(ctx: DocContext, path: Path, message: string, suggestion?: string): void {
    const line = lineOf(ctx, path);
    const problem: Problem = { file: ctx.file, path: formatPath(path, ctx.prefix), message: line === undefined ? message : `${message} (line ${line})` };
    if (suggestion !== undefined) problem.suggestion = suggestion;
    this.push(problem, ctx.order ?? 0, line);
  }

  /** Add a ready-made problem belonging to the document at `order`; one without a fix gets a generic one. */
  push(problem: Problem, order: number, line = 0): void {
    if (problem.suggestion === undefined || problem.suggestion === '') problem.suggestion = defaultFix(problem);
    this.entries.push({ problem, order, line });
  }

  get count(): number {
    return this.entries.length;
  }

  /** Every problem, by document (input order), then by line, then in the order found (sort is stable). */
  get items(): Problem[] {
    return [...this.entries].sort((a, b) => a.order - b.order || a.line - b.line).map((e) => e.problem);
  }
}

/** A fix for a problem that names none: from what the message expects, else the reference. */
function defaultFix(problem: Problem): string {
  const field = problem.path === '' ? 'the document' : problem.path;
  const expected = /(?:^|: )(?:required: )?expected (.+?)(?:, got .*)?(?: \(line \d+\))?$/.exec(problem.message)?.[1];
  if (problem.message.startsWith('required')) return `add ${field}${expected ? `: ${expected}` : ''} (see ${SPEC_DOCS})`;
  if (expected) return `write ${field} as ${expected} (see ${SPEC_DOCS})`;
  return `correct ${field} (see ${SPEC_DOCS})`;
}

/** The 1-based line of the node at `path` (or of its deepest existing ancestor). */
export function lineOf(ctx: DocContext, path: Path): number | undefined {
  if (!ctx.doc || !ctx.lineCounter) return undefined;
  let node: unknown = ctx.doc.contents;
  let best: unknown = node;
  for (const segment of [...(ctx.path ?? []), ...path]) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) break;
      best = pair.value ?? pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      best = item;
      node = item;
    } else break;
  }
  const range = (best as { range?: [number, number, number] } | null)?.range;
  return range ? ctx.lineCounter.linePos(range[0]).line : undefined;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** zod error option: `required: expected X` when missing, `expected X, got Y` otherwise. */
export function expecting(what: string) {
  return {
    error: (issue: { input?: unknown }) => (issue.input === undefined ? `required: expected ${what}` : `expected ${what}, got ${describeValue(issue.input)}`),
  };
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] as number;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] as number;
      // Stryker disable next-line OptionalChaining: equivalent, i - 1 and j - 1 are always inside a and b
      dp[j] = Math.min((dp[j] as number) + 1, (dp[j - 1] as number) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] as number;
}

/** The closest of `candidates` to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  // Without candidates bestScore stays Infinity and best undefined.
  return bestScore <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const hint = closest(key, known);
  return `unknown field ${JSON.stringify(key)} ${hint !== undefined ? `(did you mean ${JSON.stringify(hint)}?)` : `(accepted: ${known.join(', ')})`}`;
}

/**
 * A strict object whose unknown-field message names the field and, when one is
 * close, the field that was probably meant.
 */
export function strict<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        // One message per key, joined by KEY_SEPARATOR; addZodIssues reports each key on its own.
        return (issue.keys as string[]).map((k) => unknownFieldMessage(k, known)).join(KEY_SEPARATOR);
      }
      if (issue.code === 'invalid_type') return issue.input === undefined ? 'required: expected a mapping' : `expected a mapping, got ${describeValue(issue.input)}`;
      return undefined;
    },
  });
}

const KEY_SEPARATOR = '\u0000';
/** A zod error message may carry a fix after this separator: `message${FIX_SEPARATOR}suggestion`. */
export const FIX_SEPARATOR = '\u0001';
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

/** Add every zod issue to `problems`, resolving unions to the closest-matching branch. */
export function addZodIssues(problems: ProblemList, ctx: DocContext, error: { issues: readonly z.core.$ZodIssue[] }, base: Path = []): void {
  for (const issue of error.issues) addIssue(problems, ctx, issue, base);
}

function addIssue(problems: ProblemList, ctx: DocContext, issue: z.core.$ZodIssue, base: Path): void {
  const path: Array<string | number> = [...base, ...(issue.path as Array<string | number>)];
  // A union without branches has no winner below and falls through to its own message.
  if (issue.code === 'invalid_union') {
    // Branches of another shape altogether (wrong type or literal at their root) are not candidates.
    // Stryker disable next-line OptionalChaining: equivalent, b[0] is read only after b.length === 1
    const candidates = issue.errors.filter((b) => !(b.length === 1 && b[0]?.path.length === 0 && (b[0].code === 'invalid_type' || b[0].code === 'invalid_value')));
    const min = Math.min(...candidates.map((b) => b.length));
    const winners = candidates.filter((b) => b.length === min);
    // One branch is clearly closest: report its problems; otherwise the union's own message.
    if (winners.length === 1) {
      for (const sub of winners[0] as z.core.$ZodIssue[]) addIssue(problems, ctx, sub, path);
      return;
    }
  }
  if (issue.code === 'unrecognized_keys') {
    const messages = issue.message.split(KEY_SEPARATOR);
    issue.keys.forEach((key, i) => {
      const message = messages.length === issue.keys.length ? (messages[i] as string) : `unknown field ${JSON.stringify(key)}`;
      problems.add(ctx, [...path, key], message, `remove it, or check its spelling against ${SPEC_DOCS}`);
    });
    return;
  }
  if (!DEFAULT_MESSAGE.test(issue.message)) {
    const [message, fix] = issue.message.split(FIX_SEPARATOR);
    problems.add(ctx, path, message as string, fix);
    return;
  }
  const [fallback] = schemaProblems(new z.ZodError([issue]));
  // Stryker disable next-line OptionalChaining: equivalent, schemaProblems gives one problem per issue, so fallback is always defined
  problems.add(ctx, path, fallback?.message ?? issue.message, fallback?.suggestion);
}

/** Parse with `schema`; on failure add every problem and return undefined. */
export function parseShape<S extends z.ZodType>(schema: S, data: unknown, problems: ProblemList, ctx: DocContext, base: Path = []): z.output<S> | undefined {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  addZodIssues(problems, ctx, result.error, base);
  return undefined;
}

export type FieldValues<S extends z.core.$ZodLooseShape> = { [K in keyof S]?: z.output<S[K]> };

/**
 * Validate a mapping field by field against an object schema's shape, so that
 * one bad field does not hide the problems of the others: returns the values
 * of the fields that passed and the names of those that failed (unknown
 * fields are problems too). `data` must be a mapping.
 */
export function parseFields<S extends z.core.$ZodLooseShape>(
  schema: z.ZodObject<S>,
  data: Record<string, unknown>,
  problems: ProblemList,
  ctx: DocContext,
  base: Path = [],
): { values: FieldValues<S>; failed: Set<string> } {
  const shape = schema.shape;
  const known = Object.keys(shape);
  const values: Record<string, unknown> = {};
  const failed = new Set<string>();
  for (const key of Object.keys(data)) {
    if (!(key in shape)) problems.add(ctx, [...base, key], unknownFieldMessage(key, known), `remove it, or check its spelling against ${SPEC_DOCS}`);
  }
  for (const key of known) {
    // reportInput: without it zod 4 leaves the value out of its issues, and the generic message reads a wrong value as a missing one
    const result = (shape[key] as z.ZodType).safeParse(data[key], { reportInput: true });
    if (result.success) values[key] = result.data;
    else {
      failed.add(key);
      addZodIssues(problems, ctx, result.error, [...base, key]);
    }
  }
  return { values: values as FieldValues<S>, failed };
}

/** Round away binary noise (`99.9 / 100` → `0.999`). */
export function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/** A percentage (`99.9`, `"99.9%"`) as a fraction, or a message when out of range. */
export function percentToFraction(value: number | string, opts: { min: number; max: number; maxInclusive: boolean }): number | string {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(n)) return `expected a percentage such as 99.9 or "99.9%", got ${describeValue(value)}`;
  const tooHigh = opts.maxInclusive ? n > opts.max : n >= opts.max;
  if (n <= opts.min || tooHigh) {
    const fractionHint = n > 0 && n <= 1 ? `; relia reads ${text} as ${text}%, write ${tidy(n * 100)} if you meant ${tidy(n * 100)}%` : '';
    return `expected a percentage above ${opts.min} and ${opts.maxInclusive ? 'at most' : 'below'} ${opts.max}, got ${describeValue(value)}${fractionHint}`;
  }
  return tidy(n / 100);
}

/** Accept `[window]`, `$window`, `${window}`, `{{ .window }}`, `{{window}}` spellings as `{{.window}}`. */
export function normaliseWindowPlaceholder(query: string): string {
  return query
    .replace(/\{\{\s*\.?window\s*\}\}/g, WINDOW)
    .replace(/\[\s*\$\{window\}\s*\]/g, `[${WINDOW}]`)
    .replace(/\[\s*\$window\s*\]/g, `[${WINDOW}]`)
    .replace(/\[\s*window\s*\]/g, `[${WINDOW}]`);
}

/** Unbalanced brackets outside string literals, or undefined when balanced. */
export function bracketProblem(query: string): string | undefined {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (let i = 0; i < query.length; i++) {
    const c = query[i] as string;
    if (c === '"' || c === "'" || c === '`') {
      const quote = c;
      i++;
      while (i < query.length && query[i] !== quote) {
        if (query[i] === '\\' && quote !== '`') i++;
        i++;
      }
      if (i >= query.length) return `unterminated string literal starting with ${quote}`;
      continue;
    }
    if (c === '#') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (c in pairs) {
      if (stack.pop() !== pairs[c]) return `unbalanced "${c}" at character ${i + 1}`;
    }
  }
  return stack.length > 0 ? `unclosed "${stack[stack.length - 1]}"` : undefined;
}

/**
 * Check a query template: normalise its window placeholder, require one, and
 * reject other template variables and invalid PromQL (the Prometheus project's
 * parser). A query without a placeholder is rewritten with `windowless` when
 * given (OpenSLO ratio queries written for other tools, ./promql-window.ts).
 * Returns the normalised template, or undefined after adding a problem.
 */
export function checkQuery(problems: ProblemList, ctx: DocContext, path: Path, raw: string, windowless?: RangeFunction): string | undefined {
  let query = normaliseWindowPlaceholder(raw).trim();
  if (query === '') {
    problems.add(ctx, path, 'expected a PromQL query, got an empty string', 'write the query, e.g. sum(rate(http_requests_total[{{.window}}]))');
    return undefined;
  }
  const other = /\{\{[^}]*\}\}/g;
  for (const m of query.matchAll(other)) {
    if (m[0] !== WINDOW) {
      problems.add(ctx, path, `unknown template variable ${m[0]}: only {{.window}} is filled in`, 'write the range of each rate() as [{{.window}}]');
      return undefined;
    }
  }
  const brackets = bracketProblem(query);
  if (brackets) {
    problems.add(ctx, path, `not a valid PromQL expression: ${brackets}`, 'balance the brackets and quotes of the query');
    return undefined;
  }
  if (!query.includes(WINDOW)) {
    if (windowless === undefined) {
      problems.add(
        ctx,
        path,
        'the query has no {{.window}} placeholder: relia evaluates it over several windows (5m … 30d)',
        'write the range of each rate() or increase() as [{{.window}}], e.g. sum(rate(http_requests_total{code="500"}[{{.window}}]))',
      );
      return undefined;
    }
    const rewritten = windowQuery(query, windowless);
    if (!rewritten.ok) {
      problems.add(ctx, path, rewritten.message, rewritten.fix);
      return undefined;
    }
    query = rewritten.query;
  }
  const syntax = promqlSyntaxError(query.replaceAll(WINDOW, '5m'));
  if (syntax) {
    problems.add(ctx, path, syntax, 'fix the PromQL syntax (promtool check rules and the Prometheus UI report the same error)');
    return undefined;
  }
  // Valid alone, but not inside brackets: only a comment at the end does that (it hides the closing bracket).
  if (promqlSyntaxError(`(${query.replaceAll(WINDOW, '5m')})`)) {
    problems.add(
      ctx,
      path,
      'the query ends in a # comment: relia puts each query inside larger expressions, where the comment would hide the rest of the line',
      'remove the comment, or put it on a line of its own inside the query',
    );
    return undefined;
  }
  return query;
}

export type LabelInput = Record<string, string | number | boolean | string[]>;

/**
 * Labels as Prometheus label name → string; reserved and invalid names are problems.
 * Every key of `input` is written `prefix` + label name (Pyrra's `pyrra.dev/team`):
 * problems sit at the key as written, their messages name the label.
 */
export function checkLabels(problems: ProblemList, ctx: DocContext, path: Path, input: LabelInput | undefined, what = 'label', prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [written, value] of Object.entries(input ?? {})) {
    const key = written.slice(prefix.length);
    if (!LABEL_NAME_RE.test(key)) {
      problems.add(ctx, [...path, written], `${JSON.stringify(key)} is not a Prometheus ${what} name (letters, digits and _, not starting with a digit)`, `rename it, e.g. ${JSON.stringify(prefix + key.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1'))}`);
      continue;
    }
    if (RESERVED_LABEL.test(key)) {
      problems.add(ctx, [...path, written], `${JSON.stringify(key)} is reserved: relia sets alertname, relia_* and __* labels itself`, 'rename the label');
      continue;
    }
    out[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

/** One alert tier as a spec format writes it, with its on/off switch already read (native `enabled`, Sloth `disable`). */
export interface AlertTierInput {
  enabled: boolean;
  labels?: LabelInput | undefined;
  annotations?: Record<string, string> | undefined;
}

/** A spec's `alerting:` block as the formats share it: alert name, labels and annotations for both tiers. */
export interface AlertingInput {
  name?: string | undefined;
  labels?: LabelInput | undefined;
  annotations?: Record<string, string> | undefined;
}

/**
 * The model's alerting settings from a spec's `alerting:` block (native or
 * Sloth): labels checked, annotations copied. `tiers` gives each tier's
 * field name in that format (for the problem paths) and its fields.
 */
export function convertAlerting(
  problems: ProblemList,
  ctx: DocContext,
  path: Path,
  a: AlertingInput,
  tiers: { page: [field: string, tier: AlertTierInput]; ticket: [field: string, tier: AlertTierInput] },
): SloAlerting {
  const tier = ([field, t]: [string, AlertTierInput]): AlertTierSettings => ({
    enabled: t.enabled,
    labels: checkLabels(problems, ctx, [...path, field, 'labels'], t.labels),
    annotations: { ...(t.annotations ?? {}) },
  });
  const out: SloAlerting = {
    labels: checkLabels(problems, ctx, [...path, 'labels'], a.labels),
    annotations: { ...(a.annotations ?? {}) },
    page: tier(tiers.page),
    ticket: tier(tiers.ticket),
  };
  if (a.name !== undefined) out.name = a.name;
  return out;
}

/** Label values: strings, numbers and booleans (stringified); OpenSLO also allows lists of strings. */
export const LabelValue = z.union([z.string(), z.number(), z.boolean()], {
  error: (issue) => `expected a label value (a string), got ${describeValue(issue.input)}`,
});

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
