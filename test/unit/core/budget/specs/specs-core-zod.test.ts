/**
 * How schema problems become spec problems (src/core/budget/specs/common.ts
 * parseShape, addZodIssues and the union resolution), as docs/budget-specs.md
 * "Problems are reported all at once" describes them: a wrong value says what
 * was expected and what was written, at the field's own path and line; an
 * unknown field is reported under its own name, each one separately; inside a
 * choice of shapes (the native sli), the shape that matches but for an unknown
 * field is the one reported. Expected texts from the schemas' own wording.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addZodIssues, ProblemList, strict } from '../../../../../src/core/budget/specs/common.js';
import { BAD, TOTAL, check, native } from './helpers.js';

describe('an OpenSLO SLI document that fails its schema', () => {
  it('is reported at the field, saying what was written', () => {
    const r = check('apiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: 5\nspec:\n  description: d\n');
    expect(r.problems.map((p) => [p.path, p.message])).toEqual([['metadata.name', 'expected a name such as checkout-availability, got 5 (line 4)']]);
  });

  it('a wrong value under a field with no wording of its own is not read as a missing one', () => {
    const r = check("apiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: a\nspec:\n  thresholdMetric:\n    metricSource:\n      metricSourceRef: 5\n      spec: {query: 'sum(x)'}\n");
    expect(r.problems.map((p) => [p.path, p.message])).toEqual([['spec.thresholdMetric.metricSource.metricSourceRef', 'expected string, got 5 (line 8)']]);
  });
});

describe('unknown fields', () => {
  it('each unknown field of a plain strict object is its own problem, at its own path', () => {
    const problems = new ProblemList();
    const result = z.strictObject({ a: z.string() }).safeParse({ a: 'x', b: 1, c: 2 });
    expect(result.success).toBe(false);
    addZodIssues(problems, { file: 'f.yaml', prefix: '' }, result.error!);
    expect(problems.items.map((p) => [p.path, p.message])).toEqual([
      ['b', 'unknown field "b"'],
      ['c', 'unknown field "c"'],
    ]);
  });

  it('in a choice of shapes, a tie between a shape with an unknown field and one with a bad field gives the choice itself', () => {
    // Neither shape is closer (one problem each), so neither shape's problem is reported as if it were the one meant.
    const problems = new ProblemList();
    const schema = z.union([strict({ a: z.string() }), strict({ a: z.string().min(3), extra: z.number() })], { error: 'expected one of two shapes' });
    const result = schema.safeParse({ a: 'x', extra: 1 });
    expect(result.success).toBe(false);
    addZodIssues(problems, { file: 'f.yaml', prefix: '' }, result.error!, ['sli']);
    expect(problems.items.map((p) => [p.path, p.message])).toEqual([['sli', 'expected one of two shapes']]);
  });

  it('an unknown field in an otherwise valid native sli is reported under the sli, with the accepted fields', () => {
    const r = check(native('', { sli: `\n  bad: '${BAD}'\n  total: '${TOTAL}'\n  extra: 1` }));
    expect(r.problems.map((p) => [p.path, p.message])).toEqual([['sli.extra', 'unknown field "extra" (accepted: bad, total) (line 10)']]);
    expect(r.slos).toEqual([]);
  });
});
