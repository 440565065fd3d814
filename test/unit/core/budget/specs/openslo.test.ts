import { describe, expect, it } from 'vitest';
import { checkSpecs } from '../../../../../src/core/budget/specs/index.js';
import { BAD, TOTAL, check, one, opensloSloDoc, problemLines } from './helpers.js';

/** A metric spec for a key at 8 spaces (`        bad:`). */
const metric = (query: string, extra = '') => `\n          metricSource:\n            type: Prometheus${extra}\n            spec:\n              query: '${query}'`;

/** An OpenSLO SLO with an inline ratio indicator; `over` replaces parts of the spec. */
function slo(over: { indicator?: string; spec?: string; objectives?: string; timeWindow?: string; budgeting?: string; metadata?: string } = {}): string {
  const indicator =
    over.indicator ??
    `  indicator:
    metadata:
      name: checkout-errors
    spec:
      ratioMetric:
        counter: true
        bad:${metric(BAD.replace('{{.window}}', 'window'))}
        total:${metric(TOTAL)}`;
  const { timeWindow, budgeting, objectives } = over;
  return opensloSloDoc({ metadata: `${over.metadata ?? '  labels: {team: payments}'}\n`, service: 'checkout', indicator, timeWindow, budgeting, objectives, tail: over.spec });
}

const SLI_DOC = (name: string, body: string) => `apiVersion: openslo/v1
kind: SLI
metadata:
  name: ${name}
spec:
${body}
`;

const RATIO_BODY = `  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        spec:
          query: 'sum(rate(ok[{{.window}}]))'
    total:
      metricSource:
        type: Prometheus
        spec:
          query: 'sum(rate(all[{{.window}}]))'`;

describe('OpenSLO v1', () => {
  it('maps an inline ratio indicator with a [window] placeholder', () => {
    const s = one(slo());
    expect(s).toEqual({
      id: 'checkout/availability',
      service: 'checkout',
      name: 'availability',
      objective: 0.999,
      window: { type: 'rolling', seconds: 30 * 86_400, label: '30d' },
      budgeting: { method: 'occurrences' },
      sli: { type: 'ratio', bad: BAD, total: TOTAL },
      labels: { team: 'payments' },
      source: { file: 'slo.yaml', path: '', format: 'openslo' },
    });
  });

  it('takes targetPercent, displayName as description, and list label values', () => {
    const s = one(slo({ objectives: '    - targetPercent: 99.95\n      displayName: x', metadata: '  displayName: Checkout availability\n  labels: {tags: [a, b], n: 3}\n  annotations: {openslo.com/x: y}' }));
    expect(s.objective).toBe(0.9995);
    expect(s.description).toBe('Checkout availability');
    expect(s.labels).toEqual({ tags: 'a,b', n: '3' });
  });

  it('resolves indicatorRef to an SLI document in another file, in any order', () => {
    const sloDoc = slo({ indicator: '  indicatorRef: checkout-ok' });
    const r = checkSpecs([
      { file: 'slo.yaml', text: sloDoc },
      { file: 'sli.yaml', text: SLI_DOC('checkout-ok', RATIO_BODY) },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.slos[0]!.sli).toEqual({ type: 'ratio', good: 'sum(rate(ok[{{.window}}]))', total: 'sum(rate(all[{{.window}}]))' });
  });

  it('reports an unknown indicatorRef with the known SLI names, and duplicate SLI names', () => {
    const r = checkSpecs([{ file: 'a.yaml', text: `${slo({ indicator: '  indicatorRef: nope' })}---\n${SLI_DOC('x', RATIO_BODY)}---\n${SLI_DOC('x', RATIO_BODY)}` }]);
    expect(r.problems.map((p) => [p.path, p.message, p.suggestion])).toEqual([
      ['documents[0].spec.indicatorRef', 'no SLI document named "nope" in the input (line 8)', 'known SLIs: x'],
      ['documents[2].metadata.name', 'duplicate SLI name "x" (also in a.yaml documents[1]) (line 37)', 'give every SLI document a unique metadata.name'],
    ]);
  });

  it('reports a broken referenced SLI once, where it is', () => {
    const r = checkSpecs([{ file: 'a.yaml', text: `${slo({ indicator: '  indicatorRef: x' })}---\n${SLI_DOC('x', RATIO_BODY.replace('type: Prometheus', 'type: Datadog'))}` }]);
    expect(r.problems.map((p) => p.path)).toEqual(['documents[1].spec.ratioMetric.good.metricSource.type']);
    expect(r.slos).toEqual([]);
  });

  it('maps raw ratios: failure as is, success as 1 − ratio', () => {
    const raw = (t: string) => `  indicator:\n    metadata: {name: r}\n    spec:\n      ratioMetric:\n        rawType: ${t}\n        raw:${metric('avg(rate(ratio[{{.window}}]))')}`;
    expect(one(slo({ indicator: raw('failure') })).sli).toEqual({ type: 'error-ratio', query: 'avg(rate(ratio[{{.window}}]))' });
    expect(one(slo({ indicator: raw('success') })).sli).toEqual({ type: 'error-ratio', query: '1 - (avg(rate(ratio[{{.window}}])))' });
    const both = `  indicator:\n    metadata: {name: r}\n    spec:\n      ratioMetric:\n        raw:${metric('x[{{.window}}]')}\n        total:${metric('y[{{.window}}]')}`;
    expect(problemLines(slo({ indicator: both }))).toEqual([
      expect.stringMatching(/^spec\.indicator\.spec\.ratioMetric\.rawType: required with raw/),
      expect.stringMatching(/^spec\.indicator\.spec\.ratioMetric\.total: total cannot be used together with raw/),
    ]);
  });

  it('maps a thresholdMetric with Timeslices to a threshold SLI', () => {
    const th = `  indicator:\n    metadata: {name: latency}\n    spec:\n      thresholdMetric:${metric('histogram_quantile(0.99, sum by (le) (rate(lat_bucket[{{.window}}])))').replaceAll('\n          ', '\n        ')}`;
    const s = one(slo({ indicator: th, budgeting: 'Timeslices', objectives: '    - target: 0.99\n      op: lte\n      value: 0.25\n      timeSliceWindow: 1m' }));
    expect(s.sli).toEqual({ type: 'threshold', query: 'histogram_quantile(0.99, sum by (le) (rate(lat_bucket[{{.window}}])))', op: 'lte', value: 0.25 });
    expect(s.budgeting).toEqual({ method: 'timeslices', sliceSeconds: 60, sliceTarget: 1 });
    expect(one(slo({ indicator: th, budgeting: 'Timeslices', objectives: '    - target: 0.99\n      op: lt\n      value: 1\n      timeSliceWindow: 5\n      timeSliceTarget: 1' })).budgeting).toEqual({
      method: 'timeslices',
      sliceSeconds: 300,
      sliceTarget: 1,
    });
    expect(problemLines(slo({ indicator: th, objectives: '    - target: 0.99\n      op: lt\n      value: 1' }))).toEqual([
      expect.stringMatching(/^spec\.objectives\[0\]: a thresholdMetric is supported only with budgetingMethod: Timeslices/),
    ]);
    expect(problemLines(slo({ indicator: th, budgeting: 'Timeslices', objectives: '    - target: 0.99\n      timeSliceWindow: 1m\n      timeSliceTarget: 0.9' }))).toEqual([
      expect.stringMatching(/^spec\.objectives\[0\]\.op: required with thresholdMetric/),
      expect.stringMatching(/^spec\.objectives\[0\]\.value: required with thresholdMetric/),
      expect.stringMatching(/^spec\.objectives\[0\]\.timeSliceTarget: timeSliceTarget 0\.9 is not supported with a thresholdMetric/),
    ]);
  });

  it('maps Timeslices with a ratio SLI and checks the slice fields', () => {
    const ts = (o: string) => slo({ budgeting: 'Timeslices', objectives: `    - target: 0.99\n${o}` });
    expect(one(ts('      timeSliceTarget: 0.95\n      timeSliceWindow: 2m')).budgeting).toEqual({ method: 'timeslices', sliceSeconds: 120, sliceTarget: 0.95 });
    expect(problemLines(ts('      timeSliceTarget: 1.5\n      timeSliceWindow: 1Q'))).toEqual([
      expect.stringMatching(/^spec\.objectives\[0\]\.timeSliceTarget: expected a fraction above 0 and at most 1, got 1\.5/),
      expect.stringMatching(/^spec\.objectives\[0\]\.timeSliceWindow: expected a duration such as 1m or 5m, got "1Q"/),
    ]);
    expect(problemLines(ts('      timeSliceWindow: 1.5'))).toEqual([
      expect.stringMatching(/timeSliceTarget: required with Timeslices/),
      expect.stringMatching(/timeSliceWindow: expected a whole number of minutes above 0, got 1\.5/),
    ]);
    expect(problemLines(ts('      timeSliceTarget: 0.9'))).toEqual([expect.stringMatching(/timeSliceWindow: required with Timeslices/)]);
    expect(problemLines(slo({ objectives: '    - target: 0.99\n      timeSliceWindow: 1m\n      op: lt\n      value: 2' }))).toEqual([
      expect.stringMatching(/^spec\.objectives\[0\]\.timeSliceWindow: timeSliceWindow applies only with budgetingMethod: Timeslices/),
      expect.stringMatching(/^spec\.objectives\[0\]\.op: op applies only to a thresholdMetric/),
      expect.stringMatching(/^spec\.objectives\[0\]\.value: value applies only to a thresholdMetric/),
    ]);
  });

  it('maps calendar windows anchored at UTC unit boundaries', () => {
    const cal = (d: string, start: string, tz = 'UTC', rolling = '') => slo({ timeWindow: `    - duration: ${d}\n${rolling}      calendar:\n        startTime: "${start}"\n        timeZone: ${tz}` });
    expect(one(cal('1M', '2026-01-01 00:00:00')).window).toEqual({ type: 'calendar', unit: 'month', timeZone: 'UTC', label: 'calendar month' });
    expect(one(cal('1w', '2026-01-05 00:00:00', 'Etc/UTC')).window).toMatchObject({ unit: 'week' });
    expect(one(cal('1Q', '2026-04-01')).window).toMatchObject({ unit: 'quarter' });
    expect(one(cal('1Y', '2026-01-01T00:00:00Z')).window).toMatchObject({ unit: 'year' });
    expect(one(cal('1d', '2026-03-17 00:00')).window).toMatchObject({ unit: 'day' });
    const bad = (args: Parameters<typeof cal>) => problemLines(cal(...args))[0];
    expect(bad(['1M', '2026-01-01 00:00:00', 'America/New_York'])).toMatch(/calendar\.timeZone: calendar windows in time zone "America\/New_York" are not supported: only UTC/);
    expect(bad(['1M', '2026-01-15 00:00:00'])).toMatch(/calendar\.startTime: a calendar month starts on day 1, got day 15/);
    expect(bad(['1w', '2026-01-06 00:00:00'])).toMatch(/calendar weeks start on Monday/);
    expect(bad(['1Q', '2026-02-01 00:00:00'])).toMatch(/quarters start in January, April, July or October/);
    expect(bad(['1Y', '2026-02-01 00:00:00'])).toMatch(/calendar years start on January 1/);
    expect(bad(['1d', '2026-01-01 12:30:00'])).toMatch(/starting at 12:30:00 is not supported/);
    expect(bad(['1d', '2026-02-30 00:00:00'])).toMatch(/not a valid date/);
    expect(bad(['1d', 'yesterday'])).toMatch(/expected a start time such as/);
    expect(bad(['2M', '2026-01-01 00:00:00'])).toMatch(/calendar windows of 2M are not supported/);
    expect(bad(['1M', '2026-01-01 00:00:00', 'UTC', '      isRolling: true\n'])).toMatch(/isRolling: a calendar window cannot be rolling/);
  });

  it('checks rolling windows and the single time window', () => {
    const tw = (t: string) => problemLines(slo({ timeWindow: t }))[0];
    expect(one(slo({ timeWindow: '    - duration: 4w\n      isRolling: true' })).window).toEqual({ type: 'rolling', seconds: 28 * 86_400, label: '28d' });
    expect(tw('    - duration: 1M\n      isRolling: true')).toMatch(/a rolling window needs a fixed length; 1M/);
    expect(tw('    - duration: 30d')).toMatch(/isRolling: a window without calendar must be rolling/);
    expect(tw('    - duration: 30 days\n      isRolling: true')).toMatch(/expected a duration shorthand/);
    expect(tw('    - duration: 30m\n      isRolling: true')).toMatch(/at least 1h/);
    expect(tw('    - {duration: 30d, isRolling: true}\n    - {duration: 7d, isRolling: true}')).toMatch(/^spec\.timeWindow: expected exactly one time window, got 2/);
  });

  it('rejects what it cannot honour, naming each field', () => {
    const lines = problemLines(
      slo({
        budgeting: 'RatioTimeslices',
        objectives: '    - target: 0.99\n      compositeWeight: 1\n    - target: 0.9',
        spec: '  alertPolicies:\n    - alertPolicyRef: fast-burn',
        indicator: `  indicator:\n    metadata: {name: x, labels: {a: b}}\n    spec:\n      ratioMetric:\n        counter: false\n        good:${metric('g[{{.window}}]', '\n            metricSourceRef: prom')}\n        total:\n          metricSource:\n            type: Datadog\n            spec: {query: 'sum:x', promql: y}`,
      }),
    );
    expect(lines).toEqual([
      expect.stringMatching(/^spec\.indicator\.metadata\.labels: labels on an SLI are not used/),
      // counter: false with explicit ranges and metricSourceRef next to type: Prometheus are accepted;
      // the Datadog source is one problem, without Prometheus-specific noise about its spec.
      expect.stringMatching(/^spec\.indicator\.spec\.ratioMetric\.total\.metricSource\.type: metric source type "Datadog" is not supported/),
      expect.stringMatching(/^spec\.budgetingMethod: budgetingMethod RatioTimeslices is not supported/),
      expect.stringMatching(/^spec\.objectives: expected exactly one objective, got 2/),
      expect.stringMatching(/^spec\.alertPolicies: alertPolicies is not supported/),
    ]);
  });

  it('checks objectives, indicator choice and metric sources', () => {
    expect(problemLines(slo({ objectives: '    - target: 99.9' }))[0]).toMatch(/target: expected a fraction above 0 and below 1, got 99.9/);
    expect(problemLines(slo({ objectives: '    - targetPercent: 100' }))[0]).toMatch(/targetPercent: expected a percentage above 0 and below 100/);
    expect(problemLines(slo({ objectives: '    - target: 0.9\n      targetPercent: 90' }))[0]).toMatch(/^spec\.objectives\[0\]: expected exactly one of target/);
    expect(problemLines(slo({ objectives: '    - displayName: x\n      indicatorRef: y' }))).toEqual([
      expect.stringMatching(/^spec\.objectives\[0\]: expected exactly one of target/),
      expect.stringMatching(/indicatorRef: objectives\[\]\.indicatorRef \(composite SLOs\) is not supported/),
    ]);
    expect(problemLines(slo({ objectives: '    []' }))[0]).toMatch(/^spec\.objectives: expected exactly one objective, got 0/);
    expect(problemLines(slo({ budgeting: 'occurrences' }))[0]).toMatch(/budgetingMethod: expected Occurrences or Timeslices, got "occurrences"/);
    expect(check(slo({ budgeting: 'occurrences' })).problems[0]!.suggestion).toBe('write Occurrences');
    expect(problemLines(slo({ indicator: '  indicatorRef: a\n  indicator: {metadata: {name: b}, spec: {}}' }))[0]).toMatch(/^spec: expected exactly one of indicator or indicatorRef/);
    expect(problemLines(slo({ indicator: '  indicator: {metadata: {name: b}, spec: {}}' }))[0]).toMatch(/^spec\.indicator\.spec: expected exactly one of thresholdMetric or ratioMetric/);
    const src = (s: string) => problemLines(slo({ indicator: `  indicator:\n    metadata: {name: b}\n    spec:\n      ratioMetric:\n        bad: {metricSource: ${s}}\n        total:${metric(TOTAL)}` }))[0];
    expect(src('{spec: {query: "x[{{.window}}]"}}')).toMatch(/bad\.metricSource\.type: required: expected Prometheus/);
    expect(src('{metricSourceRef: p, spec: {query: "x[{{.window}}]"}}')).toMatch(/metricSourceRef: no DataSource document named "p" in the input, and no type/);
    expect(src('{type: prometheus, spec: {}}')).toMatch(/spec\.query: required: expected a PromQL query/);
    expect(src('{type: Prometheus, spec: {query: 3}}')).toMatch(/spec\.query: expected a PromQL query, got 3/);
    expect(src('{type: Prometheus, spec: {query: "sum(x[5m])"}}')).toMatch(/cannot apply rate\(\) over the window to "x\[5m\]": the query already has a range/);
    const ratio = (body: string) => problemLines(slo({ indicator: `  indicator:\n    metadata: {name: b}\n    spec:\n      ratioMetric:\n${body}` }));
    expect(ratio(`        total:${metric(TOTAL)}`)).toEqual([expect.stringMatching(/ratioMetric: expected exactly one of good or bad, with total/)]);
    expect(ratio(`        bad:${metric(BAD)}`)).toEqual([expect.stringMatching(/ratioMetric\.total: required: expected total/)]);
    expect(ratio(`        rawType: failure\n        bad:${metric(BAD)}\n        total:${metric(TOTAL)}`)).toEqual([expect.stringMatching(/ratioMetric\.rawType: rawType applies only with raw/)]);
  });

  it('accepts Service documents and rejects other OpenSLO kinds and versions', () => {
    const service = 'apiVersion: openslo/v1\nkind: Service\nmetadata: {name: checkout}\nspec: {description: x}\n';
    const r = checkSpecs([{ file: 'a.yaml', text: `${service}---\n${slo()}` }]);
    expect(r.problems).toEqual([]);
    expect(r.slos).toHaveLength(1);
    expect(problemLines(`apiVersion: openslo/v1\nkind: DataSource\nmetadata: {name: x}\n`)[0]).toMatch(/^spec\.type: required: a DataSource needs metadata\.name and spec\.type/);
    for (const kind of ['AlertPolicy', 'AlertCondition', 'AlertNotificationTarget']) {
      expect(problemLines(`apiVersion: openslo/v1\nkind: ${kind}\nmetadata: {name: x}\n`)[0]).toMatch(new RegExp(`^kind: ${kind} documents are not supported`));
    }
    expect(problemLines('apiVersion: openslo/v1\nkind: Composite\n')[0]).toMatch(/^kind: expected an OpenSLO kind \(SLO, SLI, Service, DataSource\), got "Composite"/);
    expect(problemLines('apiVersion: openslo/v2alpha\nkind: SLO\n')[0]).toMatch(/^apiVersion: an OpenSLO document of another version \(apiVersion "openslo\/v2alpha", kind SLO\) is not a format relia reads/);
    expect(problemLines(service)[0]).toMatch(/no SLO definitions found/);
  });
});
