/**
 * The shared value checks of every spec reader (src/core/budget/specs/common.ts),
 * as docs/budget-specs.md states them: a percentage is the whole text (digits,
 * an optional fraction and %), nothing before or after it; brackets inside
 * PromQL strings (including raw `backquoted` strings) and comments do not count;
 * label names follow Prometheus' rules, with a fix that renames only what is
 * wrong; alerting labels are reported under alerting.labels. Expected texts by
 * hand from those rules.
 */
import { describe, expect, it } from 'vitest';
import { bracketProblem, percentToFraction } from '../../../../../src/core/budget/specs/common.js';
import { check, native, problemsWithFix } from './helpers.js';

const RANGE = { min: 1, max: 100, maxInclusive: false };

describe('percentToFraction: the whole text is the percentage', () => {
  it('reads 99.9 and "99.9 %" alike', () => {
    expect(percentToFraction('99.9', RANGE)).toBe(0.999);
    expect(percentToFraction('99.9 %', RANGE)).toBe(0.999);
  });

  it('refuses text before or after the number', () => {
    expect(percentToFraction('x99.9', RANGE)).toBe('expected a percentage such as 99.9 or "99.9%", got "x99.9"');
    expect(percentToFraction('99.9x', RANGE)).toBe('expected a percentage such as 99.9 or "99.9%", got "99.9x"');
    expect(percentToFraction('99.9%%', RANGE)).toBe('expected a percentage such as 99.9 or "99.9%", got "99.9%%"');
  });
});

describe('bracketProblem: strings and comments', () => {
  it('a bracket inside a backquoted raw string does not count', () => {
    expect(bracketProblem('a{b=`)`}')).toBeUndefined();
    expect(bracketProblem('sum(x{b=`(`})')).toBeUndefined();
  });

  it('a comment running to the end of the query hides its brackets', () => {
    expect(bracketProblem('sum(x) # (')).toBeUndefined();
  });
});

describe('label names', () => {
  it('the fix renames only the characters that are wrong (a digit inside the name stays)', () => {
    expect(problemsWithFix(native('labels: {team-1: x}\n'))).toEqual([
      ['labels.team-1', '"team-1" is not a Prometheus label name (letters, digits and _, not starting with a digit)', 'rename it, e.g. "team_1"'],
    ]);
  });

  it('a name starting with a digit gets a leading _', () => {
    expect(problemsWithFix(native('labels: {1team: x}\n'))[0]![2]).toBe('rename it, e.g. "_1team"');
  });

  it('a reserved name is to be renamed', () => {
    expect(problemsWithFix(native('labels: {relia_x: y}\n'))).toEqual([['labels.relia_x', '"relia_x" is reserved: relia sets alertname, relia_* and __* labels itself', 'rename the label']]);
  });

  it('labels of the alerting block are reported under alerting.labels', () => {
    const r = check(native('alerting: {labels: {relia_x: y}}\n'));
    expect(r.problems.map((p) => p.path)).toEqual(['alerting.labels.relia_x']);
    expect(r.slos).toEqual([]);
  });
});

describe('a query ending in a # comment', () => {
  // relia embeds each query in larger expressions (sum(…), (… / …)): a comment at its end would hide the rest of the line.
  it('is a problem, so no broken rule is generated from it', () => {
    const r = check(native('', { sli: `\n  bad: 'sum(rate(x{code="500"}[{{.window}}])) # errors'\n  total: 'sum(rate(x[{{.window}}]))'` }));
    expect(r.slos).toEqual([]);
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, ''), p.suggestion])).toEqual([
      [
        'sli.bad',
        'the query ends in a # comment: relia puts each query inside larger expressions, where the comment would hide the rest of the line',
        'remove the comment, or put it on a line of its own inside the query',
      ],
    ]);
  });

  it('a comment on a line of its own inside the query is fine', () => {
    const r = check(native('', { sli: `\n  bad: |\n    # errors\n    sum(rate(x{code="500"}[{{.window}}]))\n  total: 'sum(rate(x[{{.window}}]))'` }));
    expect(r.problems).toEqual([]);
    expect(r.slos).toHaveLength(1);
  });
});
