/**
 * OpenSLO v1alpha (as Sloth reads it), the edges openslo-v1alpha.test.ts leaves
 * open: source and queryType in any case, a foreign source reported once per
 * objective (not once per document), the target's bounds and fixes, unit
 * spellings, an empty window list, the fixes of budgetingMethod and of a
 * ratio without good or bad, labels, and an SLO without a description.
 * Source: docs/budget-specs.md "OpenSLO v1alpha" (field table).
 */
import { describe, expect, it } from 'vitest';
import { GOOD, TOTAL, check, one, problemsWithFix as problems } from './helpers.js';

/** A v1alpha metric source at 8 spaces (`        good:`). */
const source = (query: string, src = 'prometheus', type = 'promql') => `\n          source: ${src}\n          queryType: ${type}\n          query: '${query}'`;

const objective = (target = '0.999', ratio = `        good:${source(GOOD)}\n        total:${source(TOTAL)}`) => `    - ratioMetrics:\n${ratio}\n      target: ${target}`;

function slo(over: { objectives?: string; timeWindows?: string; budgeting?: string; metadata?: string; spec?: string } = {}): string {
  return `apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: availability
${over.metadata ?? ''}spec:
  service: checkout
  budgetingMethod: ${over.budgeting ?? 'Occurrences'}
  objectives:
${over.objectives ?? objective()}
  timeWindows:
${over.timeWindows ?? '    - count: 30\n      unit: Day'}
${over.spec ?? ''}`;
}

describe('OpenSLO v1alpha: sources', () => {
  it('source and queryType in any case (the Go SDK writes Prometheus; Sloth also accepts sloth)', () => {
    const ratio = `        good:${source(GOOD, 'PROMETHEUS', 'PromQL')}\n        total:${source(TOTAL, 'Sloth', 'PROMQL')}`;
    expect(one(slo({ objectives: objective('0.999', ratio) })).sli).toEqual({ type: 'ratio', good: GOOD, total: TOTAL });
  });

  it('a foreign source is reported once per objective, for each objective', () => {
    const dd = `        good:${source('sum:ok{*}', 'datadog', 'query')}\n        total:${source('sum:all{*}', 'datadog', 'query')}`;
    const r = check(slo({ objectives: `${objective('0.99', dd)}\n${objective('0.9', dd)}` }));
    expect(r.problems.map((p) => p.path)).toEqual(['spec.objectives[0].ratioMetrics.good.source', 'spec.objectives[1].ratioMetrics.good.source']);
    expect(r.slos).toEqual([]);
  });

  it('a foreign total next to a Prometheus good names the total', () => {
    const ratio = `        good:${source(GOOD)}\n        total:${source('sum:all{*}', 'cloudwatch', 'query')}`;
    expect(problems(slo({ objectives: objective('0.99', ratio) })).map((p) => p.slice(0, 2))).toEqual([['spec.objectives[0].ratioMetrics.total.source', 'source "cloudwatch" is not supported: relia reads Prometheus only']]);
  });

  it('a wrong queryType drops the SLO even though the query itself is valid PromQL', () => {
    const r = check(slo({ objectives: objective('0.99', `        good:${source(GOOD, 'prometheus', 'metricsql')}\n        total:${source(TOTAL)}`) }));
    expect(r.problems.map((p) => p.path)).toEqual(['spec.objectives[0].ratioMetrics.good.queryType']);
    expect(r.slos).toEqual([]);
  });

  it('neither good nor bad: add good', () => {
    expect(problems(slo({ objectives: objective('0.99', `        total:${source(TOTAL)}`) }))).toEqual([
      ['spec.objectives[0].ratioMetrics', 'expected good (or bad) with total', 'add good: {source: prometheus, queryType: promql, query: ...}'],
    ]);
  });

  it('counter and incremental that agree are fine', () => {
    const ratio = `        counter: false\n        incremental: false\n        good:${source('sum(ok)')}\n        total:${source('sum(all)')}`;
    expect(one(slo({ objectives: objective('0.99', ratio) })).sli).toEqual({ type: 'ratio', good: 'sum(avg_over_time(ok[{{.window}}]))', total: 'sum(avg_over_time(all[{{.window}}]))' });
  });
});

describe('OpenSLO v1alpha: targets', () => {
  it('a fraction strictly between 0 and 1; a percent-looking target gets a fraction fix, 0, 1 and 100 a generic one', () => {
    const fix = (t: string) => problems(slo({ objectives: objective(t) }));
    expect(fix('0')).toEqual([['spec.objectives[0].target', 'expected a fraction above 0 and below 1, got 0', 'write e.g. target: 0.999']]);
    expect(fix('1')).toEqual([['spec.objectives[0].target', 'expected a fraction above 0 and below 1, got 1', 'write e.g. target: 0.999']]);
    expect(fix('100')[0]![2]).toBe('write e.g. target: 0.999');
    expect(fix('1.5')[0]![2]).toBe('write target: 0.015 (OpenSLO targets are fractions)');
    expect(one(slo({ objectives: objective('0.00001') })).objective).toBe(0.00001);
    expect(one(slo({ objectives: objective('0.99999') })).objective).toBe(0.99999);
  });

  it('timeSliceTarget with Occurrences is refused on the objective', () => {
    expect(problems(slo({ objectives: `${objective('0.99')}\n      timeSliceTarget: 0.9` }))).toEqual([
      ['spec.objectives[0].timeSliceTarget', 'timeSliceTarget applies only with budgetingMethod: Timeslices, which is not supported in openslo/v1alpha', 'remove timeSliceTarget'],
    ]);
  });
});

describe('OpenSLO v1alpha: windows and budgeting', () => {
  it('unit Day in any case; week in any case gets its days', () => {
    expect(one(slo({ timeWindows: '    - count: 7\n      unit: DAY' })).window).toEqual({ type: 'rolling', seconds: 7 * 86_400, label: '7d' });
    expect(problems(slo({ timeWindows: '    - count: 1\n      unit: week' }))[0]![2]).toBe('write count: 7, unit: Day');
    expect(problems(slo({ timeWindows: '    - count: 3\n      unit: Second' }))[0]![2]).toBe('write the window in days, e.g. count: 30, unit: Day (or use openslo/v1 for other durations)');
  });

  it('an empty window list is a problem, not the default period', () => {
    expect(problems(slo({ timeWindows: '    []' }))).toEqual([['spec.timeWindows', 'expected exactly one time window, got 0', 'keep one item, e.g. - {count: 30, unit: Day}']]);
  });

  it('a count of days that is not whole or not above 0', () => {
    expect(problems(slo({ timeWindows: '    - count: 0\n      unit: Day' })).map((p) => p.slice(0, 2))).toEqual([['spec.timeWindows[0].count', 'expected a whole number of days above 0']]);
    expect(problems(slo({ timeWindows: '    - count: 1.5\n      unit: Day' })).map((p) => p.slice(0, 2))).toEqual([['spec.timeWindows[0].count', 'expected a whole number of days such as 30']]);
  });

  it('a budgetingMethod that is not a spelling of Occurrences says what to write', () => {
    expect(problems(slo({ budgeting: 'Events' }))).toEqual([['spec.budgetingMethod', 'expected Occurrences, got "Events"', 'write budgetingMethod: Occurrences']]);
  });
});

describe('OpenSLO v1alpha: labels, description and a spec that is not a mapping', () => {
  it('metadata labels become the SLO’s labels (list values joined); no displayName, no description', () => {
    const s = one(slo({ metadata: '  labels: {team: payments, tags: [a, b]}\n' }));
    expect(s.labels).toEqual({ team: 'payments', tags: 'a,b' });
    expect('description' in s).toBe(false);
  });

  it('a bad label name is refused and drops the SLO', () => {
    const r = check(slo({ metadata: '  labels: {bad-name: x}\n' }));
    expect(r.problems.map((p) => p.path)).toEqual(['metadata.labels.bad-name']);
    expect(r.slos).toEqual([]);
  });

  it('missing or bad metadata is its own problem only (no label problem read from it), and no SLO', () => {
    const noMeta = slo().replace('metadata:\n  name: availability\n', '');
    const r = check(noMeta);
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([['metadata', 'required: expected a mapping']]);
    expect(r.slos).toEqual([]);
    expect(check(slo().replace('name: availability', 'name: -bad')).problems.map((p) => p.path)).toEqual(['metadata.name']);
  });

  it('missing objectives is one problem, not also "at least one objective"', () => {
    const r = check('apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: a}\nspec: {service: s, budgetingMethod: Occurrences}\n');
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([['spec.objectives', 'required: expected a list of objectives, each with ratioMetrics and target']]);
  });

  it('a spec that is not a mapping is one problem, and no window problem with it', () => {
    const r = check('apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: a}\nspec: [1]\n');
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([['spec', 'expected a mapping (the SLO spec), got a list']]);
    expect(r.slos).toEqual([]);
  });
});
