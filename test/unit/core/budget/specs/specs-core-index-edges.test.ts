/**
 * Edges of reading spec files (src/core/budget/specs/index.ts), as
 * docs/budget-specs.md "Problems are reported all at once" describes them: every
 * problem has a fix (the reference for documents that are not specs at all); a
 * file without documents is a problem, but a file whose only problem is an
 * unreadable document is not also "empty"; DataSource and SLI documents need a
 * string metadata.name (and a DataSource a string spec.type), and SLI documents
 * without a usable name are not compared for duplicates. The documented fix for
 * a query without {{.window}} is quoted from the doc's example output.
 */
import { describe, expect, it } from 'vitest';
import { TOTAL, check, native, problemsWithFix } from './helpers.js';

describe('fixes for documents that are not specs', () => {
  it('a document that is not a mapping points to the accepted formats', () => {
    expect(problemsWithFix('42\n')).toEqual([['', 'expected a mapping (an SLO spec), got 42', 'see docs/budget-specs.md for the accepted formats']]);
  });

  it('a mapping of no known format points to the formats', () => {
    expect(problemsWithFix('foo: 1\n')[0]![2]).toBe('see docs/budget-specs.md for the formats');
  });

  it('a file without documents says how to fix it', () => {
    expect(problemsWithFix('# nothing here\n')).toEqual([['', 'the file holds no YAML documents', 'add an SLO spec, or leave the file out of --slo']]);
  });
});

describe('a document that cannot be read', () => {
  it('is its own problem; the file is not also reported as empty, and the other documents are read', () => {
    const ten = (x: string) => `[${Array(10).fill(x).join(', ')}]`;
    const bomb = `a: &a ${ten('x')}\nb: &b ${ten('*a')}\nc: &c ${ten('*b')}\nd: ${ten('*c')}\n`;
    const r = check(`${bomb}---\n${native()}`);
    expect(r.problems.map((p) => [p.path, p.message.startsWith('cannot read the document: ')])).toEqual([['documents[0]', true]]);
    expect(r.slos.map((s) => s.id)).toEqual(['checkout/availability']);
  });
});

describe('DataSource and SLI names', () => {
  const slo = 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  service: s\n  indicatorRef: x\n  timeWindow: [{duration: 30d, isRolling: true}]\n  budgetingMethod: Occurrences\n  objectives: [{target: 0.99}]\n';

  it('a DataSource name or type that is not a string is reported, not used', () => {
    expect(problemsWithFix(`apiVersion: openslo/v1\nkind: DataSource\nmetadata: {name: 5}\nspec: {type: Prometheus}\n---\n${slo}`).map((p) => p[0])).toContain('documents[0].metadata.name');
    expect(problemsWithFix(`apiVersion: openslo/v1\nkind: DataSource\nmetadata: {name: prom}\nspec: {type: 5}\n---\n${slo}`).map((p) => p[0])).toContain('documents[0].spec.type');
  });

  it('SLI documents without a string name are not reported as duplicates of each other', () => {
    const sli = (meta: string) => `apiVersion: openslo/v1\nkind: SLI\nmetadata: ${meta}\nspec: {ratioMetric: {counter: true, bad: {metricSource: {type: Prometheus, spec: {query: 'sum(e)'}}}, total: {metricSource: {type: Prometheus, spec: {query: 'sum(t)'}}}}}\n`;
    for (const meta of ['{name: 5}', '{displayName: d}']) {
      const messages = check(`${sli(meta)}---\n${sli(meta)}`).problems.map((p) => p.message);
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.filter((m) => m.startsWith('duplicate SLI name'))).toEqual([]);
    }
  });
});

describe('a query without {{.window}}', () => {
  it('gets the fix the docs print', () => {
    expect(problemsWithFix(native('', { sli: `\n  bad: 'sum(rate(x[5m]))'\n  total: '${TOTAL}'` }))).toEqual([
      [
        'sli.bad',
        'the query has no {{.window}} placeholder: relia evaluates it over several windows (5m … 30d)',
        'write the range of each rate() or increase() as [{{.window}}], e.g. sum(rate(http_requests_total{code="500"}[{{.window}}]))',
      ],
    ]);
  });
});
