import { describe, expect, it } from 'vitest';
import { check, GOOD, one, problemsWithFix as problems, TOTAL } from './helpers.js';

/** A v1alpha metric source at 8 spaces (`        good:`). */
const source = (query: string, extra = '') => `\n          source: prometheus\n          queryType: promql\n          query: '${query}'${extra}`;

/** An openslo/v1alpha SLO in Sloth's example style; `over` replaces parts. */
function slo(over: { objectives?: string; spec?: string; timeWindows?: string | null; budgeting?: string; metadata?: string; ratio?: string } = {}): string {
  const ratio = over.ratio ?? `        good:${source(GOOD)}\n        total:${source(TOTAL)}`;
  const objectives = over.objectives ?? `    - ratioMetrics:\n${ratio}\n      target: 0.999`;
  const windows = over.timeWindows === null ? '' : `  timeWindows:\n${over.timeWindows ?? '    - count: 30\n      unit: Day'}\n`;
  return `apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: availability
${over.metadata ?? '  displayName: Checkout availability'}
spec:
  service: checkout
  budgetingMethod: ${over.budgeting ?? 'Occurrences'}
  objectives:
${objectives}
${windows}${over.spec ?? ''}`;
}

describe('OpenSLO v1alpha (as Sloth reads it)', () => {
  it('maps an objective with good/total ratioMetrics to one SLO named <name>-<index>, as Sloth names it', () => {
    expect(one(slo())).toEqual({
      id: 'checkout/availability-0',
      service: 'checkout',
      name: 'availability-0',
      description: 'Checkout availability',
      objective: 0.999,
      window: { type: 'rolling', seconds: 30 * 86_400, label: '30d' },
      budgeting: { method: 'occurrences' },
      sli: { type: 'ratio', good: GOOD, total: TOTAL },
      labels: {},
      source: { file: 'slo.yaml', path: 'spec.objectives[0]', format: 'openslo' },
    });
    expect(one(slo({ spec: '  description: Requests that succeed' })).description).toBe('Requests that succeed');
  });

  it('makes one SLO per objective, each with its own target and path', () => {
    const second = `    - ratioMetrics:\n        good:${source('sum(rate(fast[{{.window}}]))')}\n        total:${source('sum(rate(all[{{.window}}]))')}\n      target: 0.99`;
    const r = check(`${slo({ objectives: `${slo().split('objectives:\n')[1]!.split('  timeWindows')[0]}${second}` })}---\n${slo().replace('name: availability', 'name: other')}`);
    expect(r.problems).toEqual([]);
    expect(r.slos.map((s) => [s.id, s.objective, s.source.path])).toEqual([
      ['checkout/availability-0', 0.999, 'documents[0].spec.objectives[0]'],
      ['checkout/availability-1', 0.99, 'documents[0].spec.objectives[1]'],
      ['checkout/other-0', 0.999, 'documents[1].spec.objectives[0]'],
    ]);
  });

  it('reads a count of days as a rolling window; without timeWindows the period is Sloth’s default, 30d', () => {
    expect(one(slo({ timeWindows: '    - count: 28\n      unit: day\n      isRolling: true' })).window).toEqual({ type: 'rolling', seconds: 28 * 86_400, label: '28d' });
    expect(one(slo({ timeWindows: null })).window).toEqual({ type: 'rolling', seconds: 30 * 86_400, label: '30d' });
  });

  it('rewrites queries without a range: counter (or incremental, its earlier name) true or omitted → rate, false → avg_over_time', () => {
    const windowless = (flag: string) => one(slo({ ratio: `${flag}        good:${source('sum(ok)')}\n        total:${source('sum(all)')}` })).sli;
    expect(windowless('')).toEqual({ type: 'ratio', good: 'sum(rate(ok[{{.window}}]))', total: 'sum(rate(all[{{.window}}]))' });
    expect(windowless('        incremental: true\n')).toEqual(windowless('        counter: true\n'));
    expect(windowless('        counter: false\n')).toEqual({ type: 'ratio', good: 'sum(avg_over_time(ok[{{.window}}]))', total: 'sum(avg_over_time(all[{{.window}}]))' });
    expect(windowless('        incremental: false\n')).toEqual(windowless('        counter: false\n'));
    expect(problems(slo({ ratio: `        counter: true\n        incremental: false\n        good:${source('sum(ok)')}\n        total:${source('sum(all)')}` }))).toEqual([
      ['spec.objectives[0].ratioMetrics.incremental', 'incremental: false contradicts counter: true (incremental is counter\'s earlier name)', 'keep only counter'],
    ]);
  });

  it('accepts what the OpenSLO SDK writes: a top-level list with a Service, value and displayName on objectives, source: Prometheus', () => {
    const doc = slo({ objectives: `    - displayName: Good\n      value: 1\n      target: 0.995\n      ratioMetrics:\n        good:${source(GOOD).replace('prometheus', 'Prometheus')}\n        total:${source(TOTAL)}` });
    const list = `- apiVersion: openslo/v1alpha\n  kind: Service\n  metadata: {name: checkout}\n  spec: {description: Checkout}\n- ${doc.replaceAll('\n', '\n  ')}`;
    const r = check(list);
    expect(r.problems).toEqual([]);
    expect(r.slos.map((s) => [s.id, s.objective, s.source.path])).toEqual([['checkout/availability-0', 0.995, '[1].spec.objectives[0]']]);
  });

  it('accepts bad/total (the v1alpha README allows it; Sloth reads good only) and Sloth’s source: sloth', () => {
    expect(one(slo({ ratio: `        bad:${source('sum(rate(errors[{{.window}}]))')}\n        total:${source(TOTAL)}` })).sli).toEqual({ type: 'ratio', bad: 'sum(rate(errors[{{.window}}]))', total: TOTAL });
    expect(one(slo({ ratio: `        good:${source(GOOD).replace('prometheus', 'sloth')}\n        total:${source(TOTAL)}` })).sli).toEqual({ type: 'ratio', good: GOOD, total: TOTAL });
  });

  it('refuses what Sloth does not read of v1alpha, by name, with a fix', () => {
    expect(problems(slo({ spec: `  indicator:\n    thresholdMetric:${source('lat')}`, objectives: '    - op: lte\n      value: 0.2\n      target: 0.99' }))).toEqual([
      [
        'spec.indicator',
        'indicator (thresholdMetric) is not supported in openslo/v1alpha: relia, like Sloth, reads only objectives[].ratioMetrics',
        'give each objective ratioMetrics with good and total, or convert the SLO to openslo/v1 (thresholdMetric with budgetingMethod: Timeslices)',
      ],
    ]);
    expect(problems(slo({ budgeting: 'Timeslices', objectives: `    - ratioMetrics:\n        good:${source(GOOD)}\n        total:${source(TOTAL)}\n      target: 0.99\n      timeSliceTarget: 0.95` }))).toEqual([
      [
        'spec.budgetingMethod',
        'budgetingMethod Timeslices is not supported in openslo/v1alpha: v1alpha has no timeSliceWindow, so the slice length is unknown (Sloth computes occurrences whatever is written)',
        'write budgetingMethod: Occurrences, or convert the SLO to openslo/v1 with timeSliceWindow',
      ],
    ]);
    expect(problems(slo({ budgeting: 'occurrences' }))).toEqual([['spec.budgetingMethod', 'expected Occurrences, got "occurrences"', 'write Occurrences']]);
    expect(problems(slo({ timeWindows: '    - count: 1\n      unit: Month\n      isRolling: false\n      calendar: {startTime: "2026-01-01 00:00:00", timeZone: UTC}' }))).toEqual([
      ['spec.timeWindows[0].unit', 'unit "Month" is not supported: relia, like Sloth, reads openslo/v1alpha windows in days only', 'write the window in days, e.g. count: 30, unit: Day (or use openslo/v1 for other durations)'],
      [
        'spec.timeWindows[0].calendar',
        'calendar-aligned windows are not supported in openslo/v1alpha: relia, like Sloth, reads a v1alpha window as a rolling count of days',
        'remove calendar and isRolling for a rolling window, or convert the SLO to openslo/v1 (timeWindow: [{duration: 1M, calendar: {startTime, timeZone: UTC}}])',
      ],
    ]);
    expect(problems(slo({ timeWindows: '    - count: 2\n      unit: Week\n      isRolling: true' }))).toEqual([
      ['spec.timeWindows[0].unit', 'unit "Week" is not supported: relia, like Sloth, reads openslo/v1alpha windows in days only', 'write count: 14, unit: Day'],
    ]);
    expect(problems(slo({ timeWindows: '    - count: 30\n      unit: Day\n      isRolling: false' }))).toEqual([
      ['spec.timeWindows[0].isRolling', 'isRolling: false without calendar is neither a rolling nor a calendar-aligned window', 'set isRolling: true (or remove it): relia, like Sloth, reads the window as a rolling count of days'],
    ]);
    expect(problems(slo({ timeWindows: '    - {count: 30, unit: Day}\n    - {count: 7, unit: Day}' }))).toEqual([['spec.timeWindows', 'expected exactly one time window, got 2', 'keep one item, e.g. - {count: 30, unit: Day}']]);
    expect(problems(slo({ spec: '  alertPolicies: [page]' }))[0]![0]).toBe('spec.alertPolicies');
  });

  it('refuses a foreign source once per objective, other query types, source metadata and op', () => {
    const datadog = (q: string) => `\n          source: datadog\n          queryType: query\n          query: '${q}'`;
    expect(problems(slo({ ratio: `        good:${datadog('sum:ok{*}')}\n        total:${datadog('sum:all{*}')}` }))).toEqual([
      ['spec.objectives[0].ratioMetrics.good.source', 'source "datadog" is not supported: relia reads Prometheus only', 'express the SLI as PromQL with source: prometheus and queryType: promql'],
    ]);
    expect(problems(slo({ ratio: `        good:${source(GOOD).replace('promql', 'query')}\n        total:${source(TOTAL, "\n          metadata: {bucket: '0.25'}")}` }))).toEqual([
      ['spec.objectives[0].ratioMetrics.good.queryType', 'queryType "query" is not supported: expected promql', 'write queryType: promql and a PromQL query'],
      ['spec.objectives[0].ratioMetrics.total.metadata', 'metadata (data-source details) is not supported: only query is read', 'remove metadata; put everything into the PromQL query'],
    ]);
    expect(problems(slo({ objectives: `    - ratioMetrics:\n        good:${source(GOOD)}\n        total:${source(TOTAL)}\n      op: gte\n      target: 0.999` }))).toEqual([
      ['spec.objectives[0].op', 'op applies only to a thresholdMetric, which openslo/v1alpha support does not include', 'remove op'],
    ]);
  });

  it('checks targets, ratio parts and the objective list', () => {
    expect(problems(slo({ objectives: `    - ratioMetrics:\n        good:${source(GOOD)}\n        total:${source(TOTAL)}\n      target: 99.9` }))).toEqual([
      ['spec.objectives[0].target', 'expected a fraction above 0 and below 1, got 99.9', 'write target: 0.999 (OpenSLO targets are fractions)'],
    ]);
    expect(problems(slo({ ratio: `        good:${source(GOOD)}` }))).toEqual([
      ['spec.objectives[0].ratioMetrics.total', 'required: expected total (the denominator) with good', 'add total: {source: prometheus, queryType: promql, query: ...}'],
    ]);
    expect(problems(slo({ ratio: `        good:${source(GOOD)}\n        bad:${source(GOOD)}\n        total:${source(TOTAL)}` }))).toEqual([
      ['spec.objectives[0].ratioMetrics', 'expected exactly one of good or bad, with total', 'keep good (Sloth reads good/total)'],
    ]);
    expect(problems(slo({ objectives: '    - target: 0.99' }))).toEqual([
      ['spec.objectives[0].ratioMetrics', 'required: expected ratioMetrics with good and total', 'add ratioMetrics: {good: {source: prometheus, queryType: promql, query: ...}, total: {...}}'],
    ]);
    expect(problems(slo({ objectives: '    []' }))).toEqual([['spec.objectives', 'expected at least one objective', 'add an objective with ratioMetrics and target']]);
    expect(problems(slo({ timeWindows: null, spec: '  timeWindow:\n    - {count: 30, unit: Day}' }))).toEqual([
      ['spec.timeWindow', 'unknown field "timeWindow" (did you mean "timeWindows"?)', 'remove it, or check its spelling against docs/budget-specs.md'],
    ]);
  });

  it('checks queries like every format: a syntax error or an unsound windowless rewrite is a problem', () => {
    expect(problems(slo({ ratio: `        good:${source('sum(rate(ok[{{.window}}])')}\n        total:${source(TOTAL)}` }))[0]![0]).toBe('spec.objectives[0].ratioMetrics.good.query');
    expect(problems(slo({ ratio: `        good:${source('max(ok)')}\n        total:${source('sum(all)')}` }))[0]![1]).toMatch(/max\(\) does not commute with rate\(\)/);
  });

  it('reads only kind SLO (Service is accepted and has no effect); other versions stay refused by name', () => {
    const other = (api: string, kind: string) => check(`apiVersion: ${api}\nkind: ${kind}\nmetadata: {name: x}\nspec: {}\n`).problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')]);
    expect(other('openslo/v1alpha', 'AlertPolicy')).toEqual([['kind', 'OpenSLO v1alpha "AlertPolicy" documents are not read: relia, like Sloth, reads kind: SLO (and accepts Service)']]);
    const v2 = check('apiVersion: openslo/v2alpha\nkind: SLO\n').problems[0]!;
    expect([v2.message, v2.suggestion]).toEqual([
      'an OpenSLO document of another version (apiVersion "openslo/v2alpha", kind SLO) is not a format relia reads: expected relia/v1, openslo/v1, openslo/v1alpha, Sloth version: "prometheus/v1", sloth.slok.dev/v1 PrometheusServiceLevel, or pyrra.dev/v1alpha1 ServiceLevelObjective (line 1)',
      'convert the document to openslo/v1 (relia reads openslo/v1 and openslo/v1alpha)',
    ]);
    for (const p of check(slo({ budgeting: 'Timeslices', timeWindows: '    - {count: 1, unit: Year}' })).problems) expect(p.suggestion).toBeTruthy();
  });
});
