/**
 * One way to turn schema failures into InputErrors that name the file, the
 * field path (`environments.prod.metrics.url`, `risks[3].impact`), what was
 * expected, and what to do. Pure.
 */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { InputError } from './errors.js';
import { checkYamlDepth } from './yaml-depth.js';

export interface Problem {
  file?: string;
  /** Dotted/bracketed path of the field; empty for the document root. */
  path: string;
  message: string;
  suggestion?: string;
}

/** `['environments', 'prod', 'metrics', 'url']` → `environments.prod.metrics.url`; numbers become `[n]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_$][\w$-]*$/.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): { message: string; suggestion?: string } {
  switch (issue.code) {
    case 'unrecognized_keys':
      return {
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`,
        suggestion: 'remove it, or check its spelling against the documented fields',
      };
    case 'invalid_type':
      return {
        message: issue.input === undefined ? `required: expected ${issue.expected}` : `expected ${issue.expected}, got ${describeValue(issue.input)}`,
      };
    case 'invalid_value':
      return { message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}` };
    case 'invalid_key':
      return { message: `invalid key ${describeValue(issue.input)}: ${issue.issues[0]?.message ?? 'not accepted'}` };
    case 'invalid_union':
      // zod says exactly 'Invalid input' when no form matched; other texts are a schema's own message, or an
      // exclusive union's (z.xor) 'Invalid input: more than one option matched', which is no "matches none"
      return { message: issue.message === 'Invalid input' ? `does not match any accepted form, got ${describeValue(issue.input)}` : issue.message };
    default:
      return { message: issue.message };
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** All problems a schema finds in `data`. */
export function schemaProblems(error: z.ZodError, file?: string, pathPrefix = ''): Problem[] {
  return error.issues.map((issue) => {
    const { message, suggestion } = describeIssue(issue);
    const problem: Problem = { path: formatPath(issue.path, pathPrefix), message };
    if (file !== undefined) problem.file = file;
    if (suggestion !== undefined) problem.suggestion = suggestion;
    return problem;
  });
}

/** One line per problem: `file: path: message`. */
export function formatProblem(p: Problem): string {
  return [p.file, p.path || '(document)', p.message].filter((x) => x !== undefined).join(': ');
}

/** Raise an InputError listing every problem; the first problem's field is the error's field. */
export function throwProblems(problems: Problem[], fallbackSuggestion: string): never {
  const first = problems[0];
  const lines = problems.map(formatProblem);
  const message = lines.length === 1 ? (lines[0] as string) : `${lines.length} problems:\n  ${lines.join('\n  ')}`;
  // each suggestion once, the fallback last (a problem may carry the fallback's own text)
  const suggestions = [...new Set([...problems.map((p) => p.suggestion).filter((s): s is string => s !== undefined), fallbackSuggestion])];
  const options: ConstructorParameters<typeof InputError>[1] = { suggestions };
  if (first?.path) options.field = first.path;
  if (first?.file !== undefined) options.file = first.file;
  throw new InputError(message, options);
}

/** Parse `data` with `schema` or throw an InputError naming the file and every bad field. */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  data: unknown,
  context: { file?: string; pathPrefix?: string; docs?: string } = {},
): z.output<S> {
  // reportInput: without it zod 4 leaves the value out of its issues, and a wrong value read as a missing one ("required")
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const hint = context.docs ? `see ${context.docs} for the accepted fields` : 'fix the fields named above';
  throwProblems(schemaProblems(result.error, context.file, context.pathPrefix), hint);
}

/**
 * Parse a YAML (or JSON) input file's text into plain data. A syntax error is
 * an InputError naming the file, the flag it came from and where to read
 * about the format.
 */
export function parseYamlInput(text: string, where: { file: string; field: string; docs: string }): unknown {
  checkYamlDepth(text, where.file);
  try {
    // prettyErrors: a syntax error's first line ends "at line L, column C:", the source excerpt follows.
    // Stryker disable next-line StringLiteral: equivalent, yaml compares logLevel only with 'silent', 'warn' and 'debug', so '' acts as 'error'
    return parseYaml(text, { prettyErrors: true, maxAliasCount: 100, logLevel: 'error' });
  } catch (error) {
    // split() always gives at least one element
    const first = (error as Error).message.split('\n')[0] as string;
    throw new InputError(`${where.file}: not readable as YAML or JSON: ${first.endsWith(':') ? first.slice(0, -1) : first}`, {
      file: where.file,
      field: where.field,
      suggestions: ['fix the YAML syntax', `see ${where.docs}`],
    });
  }
}
