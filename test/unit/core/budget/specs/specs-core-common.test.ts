/**
 * The shared pieces of every spec reader (src/core/budget/specs/common.ts), as
 * docs/budget-specs.md "Problems are reported all at once" and "Query
 * templates" describe them: each problem names file, field path and line, and
 * gets a fix (a generic one from what the message expects when the reader gave
 * none); problems are listed by document, then line; values are described
 * briefly; placeholder spellings are normalised; brackets are checked outside
 * strings and comments; percentages follow the objective rule; label names
 * follow Prometheus'. Expected texts derived by hand from those rules.
 */
import { describe, expect, it } from 'vitest';
import {
  bracketProblem,
  checkLabels,
  checkQuery,
  closest,
  describeValue,
  isAlertName,
  normaliseWindowPlaceholder,
  percentToFraction,
  ProblemList,
  subContext,
  tidy,
} from '../../../../../src/core/budget/specs/common.js';
import { check, native, problemsWithFix } from './helpers.js';

const ctx = { file: 'f.yaml', prefix: '' };

describe('ProblemList: order, fixes, paths', () => {
  it('lists problems by document, then line, then in the order found', () => {
    const p = new ProblemList();
    p.push({ file: 'f', path: 'late', message: 'm1', suggestion: 's' }, 2, 1);
    p.push({ file: 'f', path: 'b', message: 'm2', suggestion: 's' }, 1, 9);
    p.push({ file: 'f', path: 'a', message: 'm3', suggestion: 's' }, 1, 3);
    p.push({ file: 'f', path: 'a2', message: 'm4', suggestion: 's' }, 1, 3);
    expect(p.items.map((x) => x.path)).toEqual(['a', 'a2', 'b', 'late']);
    expect(p.count).toBe(4);
  });

  it('places a problem of a context without a position with the first document', () => {
    const p = new ProblemList();
    p.push({ file: 'f', path: 'second', message: 'm', suggestion: 's' }, 1);
    p.add(ctx, ['first'], 'm');
    expect(p.items.map((x) => x.path)).toEqual(['first', 'second']);
  });

  it('gives a problem without a fix one from what its message expects', () => {
    const p = new ProblemList();
    p.add({ ...ctx, prefix: 'documents[1]' }, ['a', 0, 'b'], 'required: expected a name');
    p.add(ctx, [], 'required');
    p.add(ctx, ['x'], 'expected a thing, got 3');
    p.add(ctx, ['y'], 'something odd');
    p.push({ file: 'f', path: 'z', message: 'm', suggestion: '' }, 0);
    expect(p.items.map((x) => [x.path, x.suggestion])).toEqual([
      ['documents[1].a[0].b', 'add documents[1].a[0].b: a name (see docs/budget-specs.md)'],
      ['', 'add the document (see docs/budget-specs.md)'],
      ['x', 'write x as a thing (see docs/budget-specs.md)'],
      ['y', 'correct y (see docs/budget-specs.md)'],
      ['z', 'correct z (see docs/budget-specs.md)'],
    ]);
  });

  it('keeps a fix given, and takes the expectation from after a field prefix or before a line number', () => {
    const p = new ProblemList();
    p.add(ctx, ['k'], 'bad', 'do this');
    p.push({ file: 'f', path: 'q', message: 'not valid: expected a query (line 4)' }, 0);
    expect(p.items.map((x) => x.suggestion)).toEqual(['do this', 'write q as a query (see docs/budget-specs.md)']);
  });

  it('a sub-context adds its path to the prefix and to the YAML path', () => {
    expect(subContext({ file: 'f', prefix: 'documents[1]', path: [2] }, ['spec'])).toEqual({ file: 'f', prefix: 'documents[1].spec', path: [2, 'spec'] });
    expect(subContext({ file: 'f', prefix: '' }, [0])).toEqual({ file: 'f', prefix: '[0]', path: [0] });
  });
});

describe('line numbers: the field, or its nearest existing ancestor', () => {
  it('gives the line of a key with no value, of a list item, and of the parent of a missing field', () => {
    const lines = (text: string) => check(text).problems.map((p) => `${p.path} ${/\(line (\d+)\)$/.exec(p.message)?.[1]}`);
    // objective: with no value is null: the line of its key (5).
    expect(lines(native('', { objective: '' }).replace('window:', 'objective:\nwindow:'))).toContain('objective 5');
    // A list entry without service: the entry's line (4); its bad window: that line (6).
    expect(lines(`apiVersion: relia/v1\nslos:\n  - 42\n  - name: a\n    objective: 99.9\n    window: 1m\n    sli: {errorRatio: 'x[{{.window}}]'}\n`)).toEqual([
      'slos[0] 3',
      'slos[1].service 4',
      'slos[1].window 6',
    ]);
  });
});

describe('mappings: null and lists are not mappings', () => {
  it('refuses a null or list item of a top-level list, and of a native slos list, with the item\'s line', () => {
    expect(problemsWithFix('- null\n- [1]\n').map((p) => p.slice(0, 2))).toEqual([
      ['[0]', 'expected a mapping (an SLO spec), got null'],
      ['[1]', 'expected a mapping (an SLO spec), got [1]'],
    ]);
    expect(check('- null\n- [1]\n').problems.map((p) => /\(line (\d+)\)$/.exec(p.message)?.[1])).toEqual(['1', '2']);
    expect(problemsWithFix('apiVersion: relia/v1\nservice: s\nslos: [null, [1]]\n').map((p) => p.slice(0, 2))).toEqual([
      ['slos[0]', 'expected a mapping (one SLO), got null'],
      ['slos[1]', 'expected a mapping (one SLO), got a list'],
    ]);
  });
});

describe('describeValue: short descriptions of what was written', () => {
  it('names null, lists and mappings, quotes text and cuts it after 57 characters', () => {
    expect([describeValue(null), describeValue([1]), describeValue({ a: 1 }), describeValue(12), describeValue(true), describeValue(undefined)]).toEqual([
      'null',
      'a list',
      'a mapping',
      '12',
      'true',
      'undefined',
    ]);
    const fits = 'x'.repeat(58); // quoted: 60 characters, kept
    expect(describeValue(fits)).toBe(`"${fits}"`);
    expect(describeValue('x'.repeat(59))).toBe(`"${'x'.repeat(56)}...`);
  });
});

describe('closest: did-you-mean for unknown fields', () => {
  it('suggests within a third of the word (at least 1 edit), ignoring case, the first of equally close', () => {
    expect(closest('objectiv', ['name', 'objective'])).toBe('objective');
    expect(closest('NAME', ['name'])).toBe('name');
    expect(closest('ab', ['ax', 'ay'])).toBe('ax');
    expect(closest('ab', ['xy'])).toBeUndefined();
    expect(closest('abcdef', ['abxyef'])).toBe('abxyef'); // 2 edits of 6 letters
    expect(closest('abcdef', ['abcxyz'])).toBeUndefined(); // 3 edits
    expect(closest('a', [])).toBeUndefined();
  });

  it('lists the accepted fields when none is close, and names the nearest otherwise', () => {
    expect(problemsWithFix(native('alerting: {pag: {}}\n'))).toEqual([
      ['alerting.pag', 'unknown field "pag" (did you mean "page"?)', 'remove it, or check its spelling against docs/budget-specs.md'],
    ]);
    expect(problemsWithFix(native('alerting: {zzzz: 1, yyyy: 2}\n')).map((p) => p.slice(0, 2))).toEqual([
      ['alerting.zzzz', 'unknown field "zzzz" (accepted: name, labels, annotations, page, ticket)'],
      ['alerting.yyyy', 'unknown field "yyyy" (accepted: name, labels, annotations, page, ticket)'],
    ]);
    expect(problemsWithFix(native('alerting: 3\n'))[0]!.slice(0, 2)).toEqual(['alerting', 'expected a mapping, got 3']);
  });
});

describe('zod messages without a reader message of their own', () => {
  it('say what was written, not "required", when a value of the wrong type is present', () => {
    const text = `apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a, annotations: 3}\nspec:\n  service: s\n  indicator: {metadata: {name: i}, spec: {ratioMetric: {counter: true, bad: {metricSource: {type: Prometheus, spec: {query: 'sum(e)'}}}, total: {metricSource: {type: Prometheus, spec: {query: 'sum(t)'}}}}}}\n  timeWindow: [{duration: 30d, isRolling: true}]\n  budgetingMethod: Occurrences\n  objectives: [{target: 0.99}]\n`;
    expect(problemsWithFix(text)).toEqual([['metadata.annotations', 'expected record, got 3', 'write metadata.annotations as record (see docs/budget-specs.md)']]);
  });
});

describe('query templates', () => {
  it('normalises every placeholder spelling, with spaces', () => {
    expect(normaliseWindowPlaceholder('[ ${window} ] [ $window ] [ window ] {{ window }} {{  .window  }}')).toBe('[{{.window}}] [{{.window}}] [{{.window}}] {{.window}} {{.window}}');
  });

  it('checks brackets outside strings and comments, with where', () => {
    expect(bracketProblem('a{b="}"}')).toBeUndefined();
    expect(bracketProblem("a{b='}'}")).toBeUndefined();
    expect(bracketProblem('a{b="\\"}"}')).toBeUndefined(); // an escaped quote does not end the string
    expect(bracketProblem('a{b=`\\`}')).toBeUndefined(); // no escapes in backquotes
    expect(bracketProblem('a # (\n')).toBeUndefined();
    expect(bracketProblem('a # )\n(')).toBe('unclosed "("');
    expect(bracketProblem('(]')).toBe('unbalanced "]" at character 2');
    expect(bracketProblem('a)')).toBe('unbalanced ")" at character 2');
    expect(bracketProblem('([{')).toBe('unclosed "{"');
    expect(bracketProblem('x{a="b')).toBe('unterminated string literal starting with "');
  });

  it('checkQuery: reports and fixes each kind of bad template', () => {
    const run = (q: string, fn?: 'rate') => {
      const p = new ProblemList();
      const out = checkQuery(p, ctx, ['q'], q, fn);
      return { out, problems: p.items.map((x) => [x.message, x.suggestion]) };
    };
    expect(run(' sum(rate(a[ $window ])) ')).toEqual({ out: 'sum(rate(a[{{.window}}]))', problems: [] });
    expect(run('a{x="{{.job}}"}[{{.window}}]').problems).toEqual([['unknown template variable {{.job}}: only {{.window}} is filled in', 'write the range of each rate() as [{{.window}}]']]);
    expect(run('sum(a[{{.window}}]').problems).toEqual([['not a valid PromQL expression: unclosed "("', 'balance the brackets and quotes of the query']]);
    expect(run('sum(a)', 'rate')).toEqual({ out: 'sum(rate(a[{{.window}}]))', problems: [] });
    expect(run('max(a)', 'rate').problems[0]![0]).toMatch(/^cannot apply rate\(\) over the window to "max\(a\)"/);
    expect(run('a[{{.window}}] +').problems).toEqual([
      [expect.stringMatching(/^not valid PromQL: syntax error at character/), 'fix the PromQL syntax (promtool check rules and the Prometheus UI report the same error)'],
    ]);
    expect(run('').problems).toEqual([['expected a PromQL query, got an empty string', 'write the query, e.g. sum(rate(http_requests_total[{{.window}}]))']]);
  });
});

describe('percentages', () => {
  const open = { min: 1, max: 100, maxInclusive: false };
  const closed = { min: 1, max: 100, maxInclusive: true };
  it('reads spaces and a % sign, and rounds away binary noise', () => {
    expect(percentToFraction(' 99.9 % ', open)).toBe(0.999);
    expect(tidy(0.1 + 0.2)).toBe(0.3);
  });

  it('is exclusive at 1, and at 100 unless inclusive', () => {
    expect(percentToFraction('1.5', open)).toBe(0.015);
    expect(percentToFraction('100', closed)).toBe(1);
    expect(percentToFraction('100', open)).toBe('expected a percentage above 1 and below 100, got "100"');
    expect(percentToFraction('100.5', closed)).toBe('expected a percentage above 1 and at most 100, got "100.5"');
    expect(percentToFraction('1', closed)).toBe('expected a percentage above 1 and at most 100, got "1"; relia reads 1 as 1%, write 100 if you meant 100%');
    expect(percentToFraction(0, closed)).toBe('expected a percentage above 1 and at most 100, got 0');
    expect(percentToFraction('abc', open)).toBe('expected a percentage such as 99.9 or "99.9%", got "abc"');
  });
});

describe('labels and alert names', () => {
  it('suggests a Prometheus label name for a bad one, and stringifies values', () => {
    const p = new ProblemList();
    const out = checkLabels(p, ctx, ['labels'], { '1a-b.c': 'x', ok: ['a', 'b'], n: 3, b: false }, 'tier label');
    expect(out).toEqual({ ok: 'a,b', n: '3', b: 'false' });
    expect(p.items.map((x) => [x.path, x.message, x.suggestion])).toEqual([
      ['labels["1a-b.c"]', '"1a-b.c" is not a Prometheus tier label name (letters, digits and _, not starting with a digit)', 'rename it, e.g. "_1a_b_c"'],
    ]);
  });

  it('alert names: any one-line text without surrounding spaces or control characters', () => {
    expect(isAlertName('Checkout budget-burn 1')).toBe(true);
    expect(isAlertName('a\u0020b')).toBe(true);
    for (const bad of ['', ' a', 'a ', 'a\tb', 'a\u001fb', 'a\u007fb', 'a\nb']) expect(isAlertName(bad), JSON.stringify(bad)).toBe(false);
    expect(isAlertName('a\u0080b')).toBe(true);
  });
});
