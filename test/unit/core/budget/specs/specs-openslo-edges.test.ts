/**
 * OpenSLO v1, the edges openslo.test.ts leaves open: DataSource documents
 * resolving metricSourceRef (Prometheus accepted, others refused at
 * metricSourceRef), raw queries needing {{.window}}, rolling windows in m/h,
 * every UTC spelling and start-time boundary of calendar windows, the
 * objective's bounds and fixes, timeSliceWindow spellings, budgetingMethod
 * fixes, and a referenced SLI that is broken. Source: docs/budget-specs.md
 * "OpenSLO v1" (field table) and "Queries without a window".
 */
import { describe, expect, it } from 'vitest';
import { checkSpecs } from '../../../../../src/core/budget/specs/index.js';
import { BAD, TOTAL, check, one, problemsWithFix as problems } from './helpers.js';

/** A metric source at 8 spaces (`        bad:`); `head` replaces `type: Prometheus`. */
const metric = (query: string, head = 'type: Prometheus') => `\n          metricSource:\n            ${head}\n            spec:\n              query: '${query}'`;

const RATIO = `  indicator:\n    metadata:\n      name: checkout-errors\n    spec:\n      ratioMetric:\n        bad:${metric(BAD)}\n        total:${metric(TOTAL)}`;

function slo(over: { indicator?: string; timeWindow?: string; budgeting?: string; objectives?: string; metadata?: string } = {}): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
${over.metadata ?? ''}spec:
  service: checkout
${over.indicator ?? RATIO}
  timeWindow:
${over.timeWindow ?? '    - duration: 30d\n      isRolling: true'}
  budgetingMethod: ${over.budgeting ?? 'Occurrences'}
  objectives:
${over.objectives ?? '    - target: 0.999'}
`;
}

const dataSource = (name: string, type: string) => `apiVersion: openslo/v1\nkind: DataSource\nmetadata: {name: ${name}}\nspec: {type: ${type}, connectionDetails: {url: http://x}}\n`;

const strip = (m: string) => m.replace(/ \(line \d+\)$/, '');

describe('OpenSLO v1: metric sources', () => {
  it('a metricSourceRef naming a Prometheus DataSource needs no type', () => {
    const indicator = RATIO.replaceAll('type: Prometheus', 'metricSourceRef: prom');
    const r = checkSpecs([{ file: 'a.yaml', text: `${dataSource('prom', 'Prometheus')}---\n${slo({ indicator })}` }]);
    expect(r.problems).toEqual([]);
    expect(r.slos.map((s) => s.sli)).toEqual([{ type: 'ratio', bad: BAD, total: TOTAL }]);
  });

  it('a metricSourceRef naming a foreign DataSource is refused once, at metricSourceRef', () => {
    const indicator = RATIO.replaceAll('type: Prometheus', 'metricSourceRef: dd');
    const r = checkSpecs([{ file: 'a.yaml', text: `${dataSource('dd', 'Datadog')}---\n${slo({ indicator })}` }]);
    expect(r.problems.map((p) => [p.path, strip(p.message), p.suggestion])).toEqual([
      ['documents[1].spec.indicator.spec.ratioMetric.bad.metricSource.metricSourceRef', 'metric source type "Datadog" is not supported: relia reads Prometheus only', 'express the SLI as a PromQL query with type: Prometheus'],
    ]);
  });

  it('a missing type, or an unknown metricSourceRef, says what to add', () => {
    const fix = (head: string) => problems(slo({ indicator: RATIO.replace('type: Prometheus', head) }))[0]!;
    expect(fix('displayName: x').slice(0, 1)).toEqual(['spec.indicator.spec.ratioMetric.bad.metricSource.displayName']);
    expect(fix('metricSourceRef: nope')[2]).toBe('add type: Prometheus next to metricSourceRef (relia queries the Prometheus given by --prometheus or the config environment)');
    const none = problems(slo({ indicator: RATIO.replace('\n            type: Prometheus', '') }));
    expect(none).toEqual([['spec.indicator.spec.ratioMetric.bad.metricSource.type', 'required: expected Prometheus', 'set metricSource.type: Prometheus']]);
  });

  it('a Prometheus spec key other than query is refused by name, and the SLO dropped', () => {
    const indicator = RATIO.replace(`query: '${BAD}'`, `query: '${BAD}'\n              promql: x`);
    const r = check(slo({ indicator }));
    expect(r.problems.map((p) => [p.path, strip(p.message), p.suggestion])).toEqual([
      ['spec.indicator.spec.ratioMetric.bad.metricSource.spec.promql', '"promql" is not supported in a Prometheus metric source: only query is read', 'remove it; put everything into the PromQL query'],
    ]);
    expect(r.slos).toEqual([]);
  });

  it('a query that is not a string says how to set it', () => {
    expect(problems(slo({ indicator: RATIO.replace(`'${BAD}'`, '[a]') }))[0]).toEqual(['spec.indicator.spec.ratioMetric.bad.metricSource.spec.query', 'expected a PromQL query, got a list', 'set spec.query to the PromQL query']);
  });

  it('a raw query is never rewritten: it needs {{.window}}, even with counter: true', () => {
    const raw = `  indicator:\n    metadata: {name: r}\n    spec:\n      ratioMetric:\n        counter: true\n        rawType: failure\n        raw:${metric('sum(errors) / sum(all)')}`;
    expect(problems(slo({ indicator: raw })).map((p) => p.slice(0, 2))).toEqual([
      ['spec.indicator.spec.ratioMetric.raw.metricSource.spec.query', 'the query has no {{.window}} placeholder: relia evaluates it over several windows (5m … 30d)'],
    ]);
  });

  it('raw with good and bad too: each is named', () => {
    const raw = `  indicator:\n    metadata: {name: r}\n    spec:\n      ratioMetric:\n        rawType: success\n        raw:${metric('r[{{.window}}]')}\n        good:${metric('g[{{.window}}]')}\n        bad:${metric('b[{{.window}}]')}`;
    expect(problems(slo({ indicator: raw })).map((p) => p[1])).toEqual(['good cannot be used together with raw', 'bad cannot be used together with raw']);
  });

  it('an SLI with both thresholdMetric and ratioMetric is one problem', () => {
    const both = `  indicator:\n    metadata: {name: r}\n    spec:\n      thresholdMetric:${metric('t[{{.window}}]').replaceAll('\n          ', '\n        ')}\n      ratioMetric:\n        good:${metric('g[{{.window}}]')}\n        total:${metric('t[{{.window}}]')}`;
    expect(problems(slo({ indicator: both })).map((p) => p.slice(0, 2))).toEqual([['spec.indicator.spec', 'expected exactly one of thresholdMetric or ratioMetric']]);
  });

  it('an SLI with an empty labels mapping is accepted (only labels with entries are refused)', () => {
    expect(one(slo({ indicator: RATIO.replace('name: checkout-errors', 'name: checkout-errors\n      labels: {}') })).id).toBe('checkout/availability');
  });
});

describe('OpenSLO v1: a referenced SLI that is broken', () => {
  const sli = (body: string) => `apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: x}\nspec:\n${body}\n`;

  it('a threshold SLI whose query is broken: its problem only, no SLO', () => {
    const threshold = `  thresholdMetric:\n    metricSource:\n      type: Prometheus\n      spec: {query: 'lat[5m]'}`;
    const r = check(`${slo({ indicator: '  indicatorRef: x', budgeting: 'Timeslices', objectives: '    - target: 0.99\n      op: lt\n      value: 1\n      timeSliceWindow: 1m' })}---\n${sli(threshold)}`);
    expect(r.problems.map((p) => p.path)).toEqual(['documents[1].spec.thresholdMetric.metricSource.spec.query']);
    expect(r.slos).toEqual([]);
  });

  it('a ratio SLI whose total is broken: its problem only, no SLO', () => {
    const ratio = `  ratioMetric:\n    good:\n      metricSource: {type: Prometheus, spec: {query: 'g[{{.window}}]'}}\n    total:\n      metricSource: {type: Prometheus, spec: {query: 't[5m]'}}`;
    const r = check(`${slo({ indicator: '  indicatorRef: x' })}---\n${sli(ratio)}`);
    expect(r.problems.map((p) => p.path)).toEqual(['documents[1].spec.ratioMetric.total.metricSource.spec.query']);
    expect(r.slos).toEqual([]);
  });

  it('an SLI whose queries are valid but which has another problem (a spec key, good next to raw, a stray rawType): no SLO', () => {
    const src = (q: string, extra = '') => `\n      metricSource: {type: Prometheus, spec: {query: '${q}'${extra}}}`;
    const cases = [
      [`  thresholdMetric:${src('lat[{{.window}}]', ', promql: x')}`, 'documents[1].spec.thresholdMetric.metricSource.spec.promql', 'Timeslices'],
      [`  ratioMetric:\n    good:${src('g[{{.window}}]', ', promql: x')}\n    total:${src('t[{{.window}}]')}`, 'documents[1].spec.ratioMetric.good.metricSource.spec.promql', 'Occurrences'],
      [`  ratioMetric:\n    rawType: failure\n    raw:${src('r[{{.window}}]')}\n    good:${src('g[{{.window}}]')}`, 'documents[1].spec.ratioMetric.good', 'Occurrences'],
      [`  ratioMetric:\n    rawType: failure\n    good:${src('g[{{.window}}]')}\n    total:${src('t[{{.window}}]')}`, 'documents[1].spec.ratioMetric.rawType', 'Occurrences'],
    ] as const;
    for (const [body, path, budgeting] of cases) {
      const objectives = budgeting === 'Timeslices' ? '    - target: 0.99\n      op: lt\n      value: 1\n      timeSliceWindow: 1m' : '    - target: 0.99';
      const r = check(`${slo({ indicator: '  indicatorRef: x', budgeting, objectives })}---\n${sli(body)}`);
      expect(r.problems.map((p) => p.path), path).toEqual([path]);
      expect(r.slos, path).toEqual([]);
    }
  });

  it('an SLI document that is not one (neither metric): its problem only, no SLO', () => {
    const r = check(`${slo({ indicator: '  indicatorRef: x' })}---\n${sli('  description: nothing')}`);
    expect(r.problems.map((p) => p.path)).toEqual(['documents[1].spec']);
    expect(r.slos).toEqual([]);
  });

  it('an unknown indicatorRef with no SLI documents at all says how to add one', () => {
    expect(problems(slo({ indicator: '  indicatorRef: nope' }))).toEqual([
      ['spec.indicatorRef', 'no SLI document named "nope" in the input', 'add the kind: SLI document to the files given with --slo, or inline the indicator'],
    ]);
  });

  it('an SLO without a spec is one problem', () => {
    expect(check('apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\n').problems.map((p) => p.path)).toEqual(['spec']);
  });
});

describe('OpenSLO v1: time windows', () => {
  const win = (t: string) => check(slo({ timeWindow: t }));

  it('rolling windows in minutes and hours, at least 1h', () => {
    expect(one(slo({ timeWindow: '    - duration: 60m\n      isRolling: true' })).window).toEqual({ type: 'rolling', seconds: 3600, label: '1h' });
    expect(one(slo({ timeWindow: '    - duration: 36h\n      isRolling: true' })).window).toMatchObject({ seconds: 36 * 3600 });
    expect(win('    - duration: 59m\n      isRolling: true').slos).toEqual([]);
  });

  it('rolling windows in Q or Y vary in length: refused with a fix', () => {
    expect(problems(slo({ timeWindow: '    - duration: 1Y\n      isRolling: true' }))).toEqual([['spec.timeWindow[0].duration', 'a rolling window needs a fixed length; 1Y (months, quarters, years) varies', 'write it in days, e.g. 30d or 90d']]);
    expect(problems(slo({ timeWindow: '    - duration: 30d\n      isRolling: false' }))[0]![2]).toBe('set isRolling: true, or add calendar: {startTime, timeZone: UTC}');
  });

  it('a duration that is not a shorthand, and a rolling calendar window, say how to fix them', () => {
    expect(problems(slo({ timeWindow: '    - duration: 4 weeks\n      isRolling: true' }))[0]![2]).toBe('write e.g. 28d or 1M');
    expect(problems(slo({ timeWindow: '    - duration: 1M\n      isRolling: true\n      calendar: {startTime: "2026-01-01", timeZone: UTC}' }))).toEqual([
      ['spec.timeWindow[0].isRolling', 'a calendar window cannot be rolling', 'remove isRolling (or set it to false)'],
    ]);
  });

  it('no time window at all is a problem', () => {
    expect(problems(slo({ timeWindow: '    []' })).map((p) => p.slice(0, 2))).toEqual([['spec.timeWindow', 'expected exactly one time window, got 0']]);
  });

  const cal = (duration: string, start: string, tz = 'UTC', extra = '') => slo({ timeWindow: `    - duration: ${duration}\n${extra}      calendar:\n        startTime: "${start}"\n        timeZone: ${tz}` });

  it('every UTC spelling is UTC; isRolling: false is allowed with a calendar', () => {
    for (const tz of ['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Zulu', 'Zulu']) expect(one(cal('1M', '2026-01-01 00:00:00', tz)).window, tz).toMatchObject({ type: 'calendar', unit: 'month' });
    expect(one(cal('1M', '2026-01-01', 'UTC', '      isRolling: false\n')).window).toMatchObject({ unit: 'month' });
    expect(problems(cal('1M', '2026-01-01', 'Europe/London'))[0]![2]).toBe('use timeZone: UTC, or a rolling window');
  });

  it('calendar windows of minutes or hours are refused', () => {
    expect(problems(cal('1h', '2026-01-01')).map((p) => p.slice(0, 2))).toEqual([['spec.timeWindow[0].duration', 'calendar windows of 1h are not supported: expected one of 1d, 1w, 1M, 1Q, 1Y']]);
  });

  it('start times: surrounding spaces are fine; anything around the date is not', () => {
    expect(one(cal('1d', ' 2026-03-17 ')).window).toMatchObject({ unit: 'day' });
    for (const start of ['2026-01-01Z', '2026-01-01 00:00Z', '2026-01-01T00:00']) expect(one(cal('1d', start)).window, start).toMatchObject({ unit: 'day' });
    const refused = ['x2026-01-01', '2026-01-01 00:00:00 junk', '2026-1-01', '2026-01-1', '26-01-01', '026-01-01', '20260-01-01', '2026-01-01 0:00', '2026-01-01 000:00', '2026-01-01 00:0', '2026-01-01 00:00:0'];
    for (const start of [...refused, '2026-01-01x00:00', '2026-01-01 00:00:000', '2026-01-01ZZ', '2026/01/01']) {
      expect(problems(cal('1d', start))[0]!.slice(0, 2), start).toEqual(['spec.timeWindow[0].calendar.startTime', `expected a start time such as "2026-01-01 00:00:00", got ${JSON.stringify(start)}`]);
    }
    expect(problems(cal('1M', '2026-01-15'))[0]![2]).toBe('windows start at UTC month boundaries; use e.g. "2026-01-01 00:00:00"');
  });

  it('a month 13 is not a date; a time with seconds only off is refused', () => {
    expect(problems(cal('1d', '2026-13-01'))[0]![1]).toBe('not a valid date: 2026-13-01');
    expect(problems(cal('1d', '2026-01-01 00:00:30'))[0]![1]).toBe('a calendar day starting at 00:00:30 is not supported: windows start at 00:00:00 UTC');
    expect(problems(cal('1d', '2026-01-01T00:01'))[0]![1]).toBe('a calendar day starting at 00:01:00 is not supported: windows start at 00:00:00 UTC');
  });

  it('quarters and years start on day 1 too; a Monday starts a week whatever its day of month', () => {
    expect(problems(cal('1Q', '2026-04-15'))[0]![1]).toBe('a calendar quarter starts on day 1, got day 15');
    expect(problems(cal('1Y', '2026-01-02'))[0]![1]).toBe('a calendar year starts on day 1, got day 2');
    expect(one(cal('1Q', '2026-10-01')).window).toMatchObject({ unit: 'quarter' });
    expect(one(cal('1Q', '2026-07-01')).window).toMatchObject({ unit: 'quarter' });
    expect(problems(cal('1Q', '2026-03-01'))[0]![1]).toBe('calendar quarters start in January, April, July or October');
    expect(one(cal('1w', '2026-03-02')).window).toMatchObject({ unit: 'week' });
    expect(problems(cal('1w', '2026-03-01'))[0]![1]).toBe('calendar weeks start on Monday: the start time must be a Monday');
  });
});

describe('OpenSLO v1: objectives', () => {
  const objective = (o: string, budgeting = 'Occurrences') => problems(slo({ objectives: o, budgeting }));

  it('target is a fraction strictly between 0 and 1; a percent-looking target gets a fix, 1 and 0 a generic one', () => {
    expect(objective('    - target: 99.9')[0]![2]).toBe('write targetPercent: 99.9, or target: 0.999');
    expect(objective('    - target: 1')).toEqual([['spec.objectives[0].target', 'expected a fraction above 0 and below 1, got 1', 'write spec.objectives[0].target as a fraction above 0 and below 1 (see docs/budget-specs.md)']]);
    expect(objective('    - target: 0')[0]!.slice(0, 2)).toEqual(['spec.objectives[0].target', 'expected a fraction above 0 and below 1, got 0']);
    expect(objective('    - target: 100')[0]![2]).toBe('write spec.objectives[0].target as a fraction above 0 and below 1 (see docs/budget-specs.md)');
    expect(one(slo({ objectives: '    - target: 0.0001' })).objective).toBe(0.0001);
    expect(one(slo({ objectives: '    - target: 0.99999' })).objective).toBe(0.99999);
  });

  it('an objective naming its own indicator is a composite SLO: refused by name', () => {
    expect(objective('    - target: 0.99\n      indicator: {metadata: {name: x}}')).toEqual([
      ['spec.objectives[0].indicator', 'objectives[].indicator (composite SLOs) is not supported', 'define the indicator on the SLO (spec.indicator or spec.indicatorRef)'],
    ]);
  });

  it('several objectives: one SLO document per objective', () => {
    expect(objective('    - target: 0.99\n    - target: 0.9')[0]).toEqual(['spec.objectives', 'expected exactly one objective, got 2', 'write one SLO document per objective']);
    expect(objective('    []')[0]![2]).toBe('add an objective with target or targetPercent');
  });

  it('timeSliceTarget alone with Occurrences is refused with a fix', () => {
    expect(objective('    - target: 0.99\n      timeSliceTarget: 0.9')).toEqual([
      ['spec.objectives[0].timeSliceTarget', 'timeSliceTarget applies only with budgetingMethod: Timeslices', 'remove timeSliceTarget, or set budgetingMethod: Timeslices'],
    ]);
  });

  const slices = (o: string) => check(slo({ budgeting: 'Timeslices', objectives: `    - target: 0.99\n      timeSliceTarget: 0.9\n${o}` }));

  it('timeSliceWindow: s, m, h and d units, spaces trimmed; 0 and negatives refused', () => {
    const seconds = (w: string) => {
      const s = slices(`      timeSliceWindow: ${w}`).slos[0]?.budgeting;
      return s?.method === 'timeslices' ? s.sliceSeconds : undefined;
    };
    expect([seconds('30s'), seconds('"  2m "'), seconds('15m'), seconds('1h'), seconds('1d'), seconds('10')]).toEqual([30, 120, 900, 3600, 86_400, 600]);
    for (const w of ['x1m', '1mx', '1.5m']) expect(slices(`      timeSliceWindow: ${w}`).problems.map((p) => strip(p.message)), w).toEqual([`expected a duration such as 1m or 5m, got "${w}"`]);
    expect(slices('      timeSliceWindow: 0').problems.map((p) => strip(p.message))).toEqual(['expected a whole number of minutes above 0, got 0']);
    expect(slices('      timeSliceWindow: -2').problems.map((p) => strip(p.message))).toEqual(['expected a whole number of minutes above 0, got -2']);
    expect(slices('      timeSliceWindow: 0m').problems.map((p) => strip(p.message))).toEqual(['expected a duration such as 1m or 5m, got "0m"']);
    expect(slices('      timeSliceWindow: 1w').problems.map((p) => strip(p.message))).toEqual(['expected a duration such as 1m or 5m, got "1w"']);
  });

  it('timeSliceTarget of a ratio SLI: above 0 and at most 1', () => {
    const target = (t: string) => check(slo({ budgeting: 'Timeslices', objectives: `    - target: 0.99\n      timeSliceWindow: 1m\n      timeSliceTarget: ${t}` }));
    expect(target('1').slos[0]!.budgeting).toEqual({ method: 'timeslices', sliceSeconds: 60, sliceTarget: 1 });
    expect(target('0').problems.map((p) => strip(p.message))).toEqual(['expected a fraction above 0 and at most 1, got 0']);
    expect(target('0.001').slos[0]!.budgeting).toEqual({ method: 'timeslices', sliceSeconds: 60, sliceTarget: 0.001 });
  });

  it('the fixes of what belongs to the other kind of SLI', () => {
    expect(objective('    - target: 0.99\n      op: lt\n      value: 2').map((p) => [p[0], p[2]])).toEqual([
      ['spec.objectives[0].op', 'remove op'],
      ['spec.objectives[0].value', 'remove value'],
    ]);
    const rawType = `  indicator:\n    metadata: {name: r}\n    spec:\n      ratioMetric:\n        rawType: failure\n        bad:${metric(BAD)}\n        total:${metric(TOTAL)}`;
    expect(problems(slo({ indicator: rawType })).map((p) => [p[0], p[2]])).toEqual([['spec.indicator.spec.ratioMetric.rawType', 'remove rawType']]);
    const th = `  indicator:\n    metadata: {name: latency}\n    spec:\n      thresholdMetric:${metric('lat[{{.window}}]').replaceAll('\n          ', '\n        ')}`;
    expect(problems(slo({ indicator: th, objectives: '    - target: 0.99\n      op: lt\n      value: 1' })).map((p) => [p[0], p[2]])).toEqual([
      ['spec.objectives[0]', 'set budgetingMethod: Timeslices with timeSliceWindow'],
    ]);
    expect(problems(slo({ indicator: th, budgeting: 'Timeslices', objectives: '    - target: 0.99\n      op: lt\n      value: 1\n      timeSliceWindow: 1m\n      timeSliceTarget: 0.5' })).map((p) => [p[0], p[2]])).toEqual([
      ['spec.objectives[0].timeSliceTarget', 'remove timeSliceTarget (or set it to 1)'],
    ]);
  });

  it('a ratio SLO holds exactly the model keys: no op, value or description', () => {
    const s = one(slo());
    expect(Object.keys(s).sort()).toEqual(['budgeting', 'id', 'labels', 'name', 'objective', 'service', 'sli', 'source', 'window']);
  });
});

describe('OpenSLO v1: budgetingMethod and the indicator fields', () => {
  it('a wrong case gets the right spelling; anything else the two choices; the objective is not judged without a method', () => {
    expect(problems(slo({ budgeting: 'timeslices' }))).toEqual([['spec.budgetingMethod', 'expected Occurrences or Timeslices, got "timeslices"', 'write Timeslices']]);
    expect(problems(slo({ budgeting: 'Events' }))).toEqual([['spec.budgetingMethod', 'expected Occurrences or Timeslices, got "Events"', 'use Occurrences or Timeslices']]);
    expect(problems(slo({ budgeting: 'RatioTimeslices' }))).toEqual([['spec.budgetingMethod', 'budgetingMethod RatioTimeslices is not supported', 'use Occurrences or Timeslices']]);
  });

  it('an indicator or indicatorRef of the wrong shape is its own problem, not also "exactly one of"', () => {
    expect(problems(slo({ indicator: '  indicator: 3' })).map((p) => p.slice(0, 2))).toEqual([['spec.indicator', 'expected a mapping, got 3']]);
    expect(problems(slo({ indicator: '  indicatorRef: [a]' })).map((p) => p.slice(0, 2))).toEqual([['spec.indicatorRef', 'expected the name of an SLI document, got a list']]);
  });
});
