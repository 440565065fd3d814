/**
 * Pyrra ServiceLevelObjective, the edges pyrra.test.ts leaves open: the target's
 * "1 or less" refusal and its fix, an empty grouping, grouped bool_gauge and
 * ratio queries, the le="…" matcher check, severities that fall back from one
 * burn of a tier to the other, the absent alert's settings, an empty
 * description, and what drops the SLO. Source: docs/budget-specs.md "Pyrra"
 * (field table), Pyrra's CRD (kubernetes/api/v1alpha1) for the field names.
 */
import { describe, expect, it } from 'vitest';
import { check, one, problemsWithFix as problems } from './helpers.js';

const RATIO = '    ratio:\n      errors:\n        metric: http_requests_total{job="api",code=~"5.."}\n      total:\n        metric: http_requests_total{job="api"}';

/** A Pyrra ServiceLevelObjective; `over` replaces parts of the spec. */
function slo(over: { metadata?: string; target?: string; indicator?: string; alerting?: string; spec?: string } = {}): string {
  return `apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
${over.metadata ?? '  name: api-errors\n  namespace: shop'}
spec:
  target: ${over.target ?? '"99.5"'}
  window: 28d
  indicator:
${over.indicator ?? RATIO}
${over.alerting ?? ''}${over.spec ?? ''}`;
}

describe('Pyrra: the target is a percent; 1 or less is refused', () => {
  it('a target of exactly 1 is refused (read as 1 %); its fix does not suggest 100 %, which has no error budget', () => {
    expect(problems(slo({ target: '"1"' }))).toEqual([['spec.target', 'target "1" is read as 1%: Pyrra targets are percentages', 'write the target in percent, e.g. target: "99.9" (100% leaves no error budget)']]);
  });

  it('just above 1 is accepted, as a percent', () => {
    expect(one(slo({ target: '"1.5"' })).objective).toBe(0.015);
    expect(one(slo({ target: '99.9' })).objective).toBe(0.999);
    expect(one(slo({ target: '"99.9%"' })).objective).toBe(0.999);
  });

  it('the fix of a fraction gives the percent it would mean, without binary noise, and reads "0.95%" as 0.95', () => {
    // 0.07 × 100 is 7.000000000000001 in binary floating point; the fix must say 7.
    expect(problems(slo({ target: '"0.07"' }))).toEqual([['spec.target', 'target "0.07" is read as 0.07%: Pyrra targets are percentages', 'write target: "7" if you meant 7%']]);
    expect(problems(slo({ target: '"0.95%"' }))).toEqual([['spec.target', 'target "0.95%" is read as 0.95%: Pyrra targets are percentages', 'write target: "95" if you meant 95%']]);
    expect(problems(slo({ target: '0.999' }))).toEqual([['spec.target', 'target 0.999 is read as 0.999%: Pyrra targets are percentages', 'write target: "99.9" if you meant 99.9%']]);
  });

  it('a target that is not a percentage, or 100, says how to write one', () => {
    expect(problems(slo({ target: '"high"' }))).toEqual([['spec.target', 'expected a percentage such as 99.9 or "99.9%", got "high"', 'write the target in percent as a string, e.g. target: "99.9"']]);
    expect(problems(slo({ target: '"100"' }))).toEqual([['spec.target', 'expected a percentage above 0 and below 100, got "100"', 'write the target in percent as a string, e.g. target: "99.9"']]);
  });
});

describe('Pyrra: indicators', () => {
  it('an empty grouping is no grouping: events add up (bad/total)', () => {
    expect(one(slo({ indicator: `${RATIO}\n      grouping: []` })).sli).toEqual({
      type: 'ratio',
      bad: 'sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))',
      total: 'sum(rate(http_requests_total{job="api"}[{{.window}}]))',
    });
  });

  it('a grouped ratio is one error ratio per group, summed by the grouping labels', () => {
    expect(one(slo({ indicator: `${RATIO}\n      grouping: [route]` })).sli).toEqual({
      type: 'error-ratio',
      query: 'sum by (route) (rate(http_requests_total{job="api",code=~"5.."}[{{.window}}])) / sum by (route) (rate(http_requests_total{job="api"}[{{.window}}]))',
    });
  });

  it('a grouped bool_gauge sums every part by the grouping labels', () => {
    expect(one(slo({ indicator: '    bool_gauge:\n      metric: probe_success\n      grouping: [instance]' })).sli).toEqual({
      type: 'error-ratio',
      query:
        '(sum by (instance) (count_over_time(probe_success[{{.window}}])) - sum by (instance) (sum_over_time(probe_success[{{.window}}]))) / sum by (instance) (count_over_time(probe_success[{{.window}}]))',
    });
  });

  it('a quoted selector with spaces around it is trimmed', () => {
    expect(one(slo({ indicator: '    bool_gauge:\n      metric: "  up{job=\\"x\\"}  "' })).alerting!.absent).toEqual({ selectors: ['up{job="x"}'] });
  });

  it('the latency bucket needs an le matcher of its own: spaces around = are fine, a label ending in "le" is not one', () => {
    const latency = (success: string) => slo({ indicator: `    latency:\n      success:\n        metric: ${success}\n      total:\n        metric: lat_count` });
    expect((one(latency('lat_bucket{le = "0.1"}')).sli as { good: string }).good).toBe('sum(rate(lat_bucket{le = "0.1"}[{{.window}}]))');
    expect(problems(latency('lat_bucket{handle="0.1"}')).map((p) => p.slice(0, 2))).toEqual([['spec.indicator.latency.success.metric', 'expected a histogram bucket selector with an le="…" matcher']]);
  });

  it('a non-selector total or bool_gauge metric names that field', () => {
    const path = (indicator: string) => problems(slo({ indicator })).map((p) => p[0]);
    expect(path('    ratio:\n      errors: {metric: a}\n      total: {metric: "sum(b)"}')).toEqual(['spec.indicator.ratio.total.metric']);
    expect(path('    latency:\n      success: {metric: "rate(a[5m])"}\n      total: {metric: b}')).toEqual(['spec.indicator.latency.success.metric']);
    expect(path('    latency:\n      success:\n        metric: a_bucket{le="1"}\n      total: {metric: "b[5m]"}')).toEqual(['spec.indicator.latency.total.metric']);
    expect(path('    bool_gauge: {metric: "max(up)"}')).toEqual(['spec.indicator.bool_gauge.metric']);
  });

  it('a template variable in a selector (relia fills in only {{.window}}) is refused at the indicator part that holds it', () => {
    const path = (indicator: string) => problems(slo({ indicator })).map((p) => p.slice(0, 2));
    const tv = 'unknown template variable {{.service}}: only {{.window}} is filled in';
    const sel = 'x{svc="{{.service}}"}';
    expect(path(`    ratio:\n      errors:\n        metric: ${sel}\n      total:\n        metric: y`)).toEqual([['spec.indicator.ratio.errors', tv]]);
    expect(path(`    ratio:\n      errors:\n        metric: y\n      total:\n        metric: ${sel}`)).toEqual([['spec.indicator.ratio.total', tv]]);
    expect(path(`    ratio:\n      errors:\n        metric: ${sel}\n      total:\n        metric: y\n      grouping: [a]`)).toEqual([['spec.indicator.ratio', tv]]);
    expect(path(`    latency:\n      success:\n        metric: b{le="1",svc="{{.service}}"}\n      total:\n        metric: c`)).toEqual([['spec.indicator.latency.success', tv]]);
    expect(path(`    latency:\n      success:\n        metric: b{le="1"}\n      total:\n        metric: ${sel}`)).toEqual([['spec.indicator.latency.total', tv]]);
    expect(path(`    latency:\n      success:\n        metric: b{le="1"}\n      total:\n        metric: ${sel}\n      grouping: [a]`)).toEqual([['spec.indicator.latency', tv]]);
    expect(path(`    bool_gauge:\n      metric: ${sel}`)).toEqual([['spec.indicator.bool_gauge', tv]]);
  });

  it('latencyNative is refused with a fix naming classic buckets', () => {
    expect(problems(slo({ indicator: '    latencyNative: {latency: "0.1"}' }))).toEqual([
      ['spec.indicator.latencyNative', 'latencyNative (native histograms) is not supported', 'use latency with classic histogram buckets (success: the _bucket series with le, total: the _count series)'],
    ]);
  });

  it('the absent alert watches the total, and for latency the success bucket too', () => {
    const latency = '    latency:\n      success:\n        metric: lat_bucket{le="0.1"}\n      total:\n        metric: lat_count';
    expect(one(slo({ indicator: latency })).alerting!.absent).toStrictEqual({ selectors: ['lat_count', 'lat_bucket{le="0.1"}'] });
  });
});

describe('Pyrra: alerting', () => {
  const alerting = (body: string) => one(slo({ alerting: `  alerting:\n${body}` })).alerting!;

  it('one burn of a tier sets that tier’s severity: mediumBurn alone for page, longTermBurn alone for ticket', () => {
    const a = alerting('    severities: {mediumBurn: high, longTermBurn: low}\n');
    expect([a.page.labels, a.ticket.labels]).toEqual([{ severity: 'high' }, { severity: 'low' }]);
    const b = alerting('    severities: {fastBurn: p, slowBurn: t}\n');
    expect([b.page.labels, b.ticket.labels, b.absent]).toEqual([{ severity: 'p' }, { severity: 't' }, { selectors: ['http_requests_total{job="api"}'] }]);
  });

  it('no severities: no severity label from the spec (the rule generator applies Pyrra’s defaults)', () => {
    const a = one(slo()).alerting!;
    expect(a).toStrictEqual({ labels: {}, annotations: {}, page: { enabled: true, labels: {}, annotations: {} }, ticket: { enabled: true, labels: {}, annotations: {} }, absent: { selectors: ['http_requests_total{job="api"}'] } });
  });

  it('slowBurn and longTermBurn must agree, like fastBurn and mediumBurn', () => {
    expect(problems(slo({ alerting: '  alerting:\n    severities: {slowBurn: warning, longTermBurn: info}\n' }))).toEqual([
      ['spec.alerting.severities.longTermBurn', 'longTermBurn must equal slowBurn: relia alerts on them as one tier', 'set both to "warning", or leave longTermBurn out'],
    ]);
    expect(alerting('    severities: {slowBurn: warning, longTermBurn: warning}\n').ticket.labels).toEqual({ severity: 'warning' });
  });

  it('burnrates: true and disabled: false leave the burn alerts on; absent: true keeps the absent alert', () => {
    const a = alerting('    burnrates: true\n    disabled: false\n    absent: true\n');
    expect([a.page.enabled, a.ticket.enabled, a.absent]).toEqual([true, true, { selectors: ['http_requests_total{job="api"}'] }]);
  });

  it('absent: false drops absentName and the absent severity with it', () => {
    const a = alerting('    absent: false\n    absentName: Gone\n    severities: {absent: info}\n');
    expect('absent' in a).toBe(false);
  });
});

describe('Pyrra: description, labels and what drops the SLO', () => {
  it('an empty description is no description', () => {
    expect('description' in one(slo({ spec: '  description: ""\n' }))).toBe(false);
    expect(one(slo({ spec: '  description: Errors\n' })).description).toBe('Errors');
  });

  it('a pyrra.dev/ label that is not a Prometheus label name once the prefix is removed is refused, and drops the SLO', () => {
    const r = check(slo({ metadata: '  name: a\n  labels:\n    pyrra.dev/team-name: x' }));
    expect(r.problems.map((p) => p.message.replace(/ \(line \d+\)$/, ''))).toEqual(['"team-name" is not a Prometheus label name (letters, digits and _, not starting with a digit)']);
    expect(r.slos).toEqual([]);
  });

  it('a bad field of the spec drops the SLO even when the rest is valid', () => {
    for (const spec of ['  description: 3\n', '  performanceOverAccuracy: maybe\n']) {
      const r = check(slo({ spec }));
      expect(r.problems.map((p) => p.path), spec).toHaveLength(1);
      expect(r.slos, spec).toEqual([]);
    }
  });

  it('a resource without a spec is one problem', () => {
    const r = check('apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: a}\n');
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([['spec', 'required: expected a mapping (the SLO spec)']]);
  });

  it('a bad metadata name drops the SLO; the source path of a resource in a multi-document file is its document', () => {
    expect(check(slo({ metadata: '  name: -bad' })).slos).toEqual([]);
    const r = check(`${slo()}---\n${slo({ metadata: '  name: b' })}`);
    expect(r.slos.map((s) => [s.id, s.source.path])).toEqual([
      ['shop/api-errors', 'documents[0]'],
      ['default/b', 'documents[1]'],
    ]);
  });
});
