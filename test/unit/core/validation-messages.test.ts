/**
 * How every schema failure reads (src/core/validation.ts; docs/contributing.md
 * "Bad input"): field paths as users write them, one message per kind of zod
 * issue, values described without dumping them, one line per problem, and a
 * YAML syntax error naming the file and the flag. Expected strings by hand.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatPath, formatProblem, parseWithSchema, parseYamlInput, schemaProblems, throwProblems } from '../../../src/core/validation.js';
import { inputError as thrown } from '../../helpers/errors.js';

describe('formatPath', () => {
  it('dots between names, [n] for list positions, quoted brackets for keys that are no identifier', () => {
    expect(formatPath(['environments', 'prod', 'metrics', 'url'])).toBe('environments.prod.metrics.url');
    expect(formatPath(['risks', 3, 'impact'])).toBe('risks[3].impact');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath(['headers', 'X-Api-Key', '$ref', '_x'])).toBe('headers.X-Api-Key.$ref._x');
    expect(formatPath(['labels', 'app.kubernetes.io/name', '1st', 'a b'])).toBe('labels["app.kubernetes.io/name"]["1st"]["a b"]');
    expect(formatPath(['3'])).toBe('["3"]');
    expect(formatPath([])).toBe('');
  });
  it('after a prefix the first name takes a dot too', () => {
    expect(formatPath(['url'], 'environments.prod')).toBe('environments.prod.url');
    expect(formatPath([2], 'method')).toBe('method[2]');
  });
});

describe('one message per kind of problem', () => {
  const problems = (schema: z.ZodType, data: unknown, file?: string) => {
    const r = schema.safeParse(data, { reportInput: true });
    if (r.success) throw new Error('expected a failure');
    return schemaProblems(r.error, file, 'spec');
  };
  it('unknown fields: one or several, each quoted, with the fix', () => {
    expect(problems(z.strictObject({ a: z.number() }), { a: 1, b: 2 })).toEqual([{ path: 'spec', message: 'unknown field "b"', suggestion: 'remove it, or check its spelling against the documented fields' }]);
    expect(problems(z.strictObject({}), { b: 1, c: 2 })[0]?.message).toBe('unknown fields "b", "c"');
  });
  it('a bad key of a record says which key and why', () => {
    expect(problems(z.record(z.string().min(3), z.number()), { ab: 1 })[0]?.message).toMatch(/^invalid key "ab": .+/);
  });
  it('a union that matches no form names what was given', () => {
    const u = z.union([z.number(), z.strictObject({ a: z.number() })]);
    // toStrictEqual: no file or suggestion key at all when there is none
    expect(problems(u, ['x'])[0]).toStrictEqual({ path: 'spec', message: 'does not match any accepted form, got a list' });
    expect(problems(z.union([z.number(), z.boolean()], { error: 'a number or true/false' }), 'x')[0]?.message).toBe('a number or true/false');
    expect(problems(u, { b: 1 })[0]?.message).toBe('does not match any accepted form, got a mapping');
    expect(problems(u, 'x'.repeat(70), 'f.yaml')[0]).toStrictEqual({ file: 'f.yaml', path: 'spec', message: `does not match any accepted form, got "${'x'.repeat(56)}...` });
  });
  it('values up to 60 characters as written; longer ones cut to 57 and "..."', () => {
    const msg = (v: string) => problems(z.number(), v)[0]?.message;
    expect(msg('x'.repeat(58))).toBe(`expected number, got "${'x'.repeat(58)}"`);
    expect(msg('x'.repeat(59))).toBe(`expected number, got "${'x'.repeat(56)}...`);
    // a value JSON cannot write (a function) is named by its type
    expect(problems(z.number(), () => 1)[0]?.message).toBe('expected number, got function');
  });
  it("a check's own message is kept as it is", () => {
    expect(problems(z.number().refine((n) => n > 1, { message: 'must be above 1' }), 0)[0]?.message).toBe('must be above 1');
  });
});

describe('lines and errors', () => {
  it('one line per problem: file, path (or "(document)"), message; no file, no prefix', () => {
    expect(formatProblem({ file: 'a.yaml', path: 'x', message: 'bad' })).toBe('a.yaml: x: bad');
    expect(formatProblem({ path: '', message: 'bad' })).toBe('(document): bad');
  });
  it('several problems: a count, then each on its own indented line; the field and file of the first', () => {
    const e = thrown(() => throwProblems([{ path: 'a', message: 'bad a', file: 'f.yaml' }, { path: 'b', message: 'bad b' }], 'see docs'));
    expect([e.message, e.field, e.file, e.suggestions]).toEqual(['2 problems:\n  f.yaml: a: bad a\n  b: bad b', 'a', 'f.yaml', ['see docs']]);
  });
  it('no problem at all still gives an error (never a crash), with the fix', () => {
    const e = thrown(() => throwProblems([], 'see docs'));
    expect([e.field, e.suggestions]).toEqual([undefined, ['see docs']]);
  });
  it('a problem at the document root names no field', () => {
    const e = thrown(() => throwProblems([{ path: '', message: 'empty' }], 'see docs'));
    expect([e.field, e.file, e.message]).toEqual([undefined, undefined, '(document): empty']);
  });
  it('parseWithSchema returns the parsed value; without docs the fix is "fix the fields named above"', () => {
    expect(parseWithSchema(z.strictObject({ n: z.coerce.number() }), { n: '2' })).toEqual({ n: 2 });
    expect(thrown(() => parseWithSchema(z.number(), 'x')).suggestions).toEqual(['fix the fields named above']);
  });
});

describe('parseYamlInput', () => {
  const where = { file: 'slo.yaml', field: '--spec', docs: 'docs/budget.md' };
  it('YAML and JSON text parse to plain data', () => {
    expect(parseYamlInput('a: 1\nb: [x, y]\n', where)).toEqual({ a: 1, b: ['x', 'y'] });
    expect(parseYamlInput('{"a": 1}', where)).toEqual({ a: 1 });
  });
  it('a syntax error is exit 2 naming the file and the flag, with the parser reason on one line', () => {
    const e = thrown(() => parseYamlInput('a: [1, 2\nb: 3\n', where));
    // the parser's first line, whole (not cut to a character)
    expect(e.message).toMatch(/^slo\.yaml: not readable as YAML or JSON: \S.{20,}$/);
    expect([e.file, e.field, e.suggestions]).toEqual(['slo.yaml', '--spec', ['fix the YAML syntax', 'see docs/budget.md']]);
  });
  it('a billion-laughs alias bomb is refused, not expanded', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(thrown(() => parseYamlInput(bomb, where)).message).toMatch(/^slo\.yaml: not readable as YAML or JSON: /);
  });
});
