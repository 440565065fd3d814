import { describe, expect, it } from 'vitest';
import { check, one, problemsWithFix as problems } from './helpers.js';

/** A Pyrra ServiceLevelObjective; `over` replaces parts of the spec. */
function slo(over: { metadata?: string; target?: string; window?: string; indicator?: string; alerting?: string; spec?: string } = {}): string {
  const indicator =
    over.indicator ??
    `    ratio:
      errors:
        metric: http_requests_total{job="api",code=~"5.."}
      total:
        metric: http_requests_total{job="api"}`;
  return `apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
${over.metadata ?? '  name: api-errors\n  namespace: shop\n  labels:\n    prometheus: k8s\n    pyrra.dev/team: payments'}
spec:
  target: ${over.target ?? '"99.5"'}
  window: ${over.window ?? '28d'}
  description: API requests without 5xx
  indicator:
${indicator}
${over.alerting ?? ''}${over.spec ?? ''}`;
}

describe('Pyrra ServiceLevelObjective', () => {
  it('maps a ratio SLO: namespace/name, percent target, window, pyrra.dev/ labels only, Pyrra’s errors/total rates', () => {
    expect(one(slo())).toMatchObject({
      id: 'shop/api-errors',
      service: 'shop',
      name: 'api-errors',
      description: 'API requests without 5xx',
      objective: 0.995,
      window: { type: 'rolling', seconds: 28 * 86_400, label: '28d' },
      budgeting: { method: 'occurrences' },
      sli: { type: 'ratio', bad: 'sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))', total: 'sum(rate(http_requests_total{job="api"}[{{.window}}]))' },
      labels: { team: 'payments' },
      source: { file: 'slo.yaml', path: '', format: 'pyrra' },
    });
    const s = one(slo({ metadata: '  name: api-errors', window: '2w', target: '99.95' }));
    expect([s.id, s.objective, s.window.label, s.labels]).toEqual(['default/api-errors', 0.9995, '14d', {}]);
  });

  it('maps latency over a classic bucket (good/total), grouped to one error ratio per group', () => {
    const latency = (grouping = '') => `    latency:\n      success:\n        metric: http_request_duration_seconds_bucket{job="api",le="0.2"}\n      total:\n        metric: http_request_duration_seconds_count{job="api"}${grouping}`;
    expect(one(slo({ indicator: latency() })).sli).toEqual({
      type: 'ratio',
      good: 'sum(rate(http_request_duration_seconds_bucket{job="api",le="0.2"}[{{.window}}]))',
      total: 'sum(rate(http_request_duration_seconds_count{job="api"}[{{.window}}]))',
    });
    expect(one(slo({ indicator: latency('\n      grouping: [route, method]') })).sli).toEqual({
      type: 'error-ratio',
      query:
        '1 - (sum by (route, method) (rate(http_request_duration_seconds_bucket{job="api",le="0.2"}[{{.window}}])) / sum by (route, method) (rate(http_request_duration_seconds_count{job="api"}[{{.window}}])))',
    });
    expect(problems(slo({ indicator: latency().replace(',le="0.2"', '') }))).toEqual([
      [
        'spec.indicator.latency.success.metric',
        'expected a histogram bucket selector with an le="…" matcher',
        'select the bucket of the latency target, e.g. http_request_duration_seconds_bucket{le="0.1"}',
      ],
    ]);
  });

  it('maps bool_gauge to the share of 0 samples, as Pyrra computes it', () => {
    expect(one(slo({ indicator: '    bool_gauge:\n      metric: probe_success{job="blackbox"}' })).sli).toEqual({
      type: 'error-ratio',
      query: '(sum(count_over_time(probe_success{job="blackbox"}[{{.window}}])) - sum(sum_over_time(probe_success{job="blackbox"}[{{.window}}]))) / sum(count_over_time(probe_success{job="blackbox"}[{{.window}}]))',
    });
  });

  it('maps alerting: name, disabled or burnrates: false, absent (default on) with absentName, severities per tier', () => {
    const a = one(slo()).alerting!;
    expect([a.name, a.page.enabled, a.ticket.enabled, a.absent]).toEqual([undefined, true, true, { selectors: ['http_requests_total{job="api"}'] }]);
    for (const off of ['disabled: true', 'burnrates: false']) {
      const b = one(slo({ alerting: `  alerting:\n    ${off}\n` })).alerting!;
      expect([b.page.enabled, b.ticket.enabled, b.absent !== undefined], off).toEqual([false, false, true]);
    }
    const c = one(slo({ alerting: '  alerting:\n    name: ApiErrorBudgetBurn\n    absentName: ApiMetricsAbsent\n    severities: {fastBurn: page, mediumBurn: page, slowBurn: ticket, absent: info}\n' })).alerting!;
    expect([c.name, c.page.labels, c.ticket.labels, c.absent]).toEqual(['ApiErrorBudgetBurn', { severity: 'page' }, { severity: 'ticket' }, { selectors: ['http_requests_total{job="api"}'], name: 'ApiMetricsAbsent', severity: 'info' }]);
    expect(one(slo({ alerting: '  alerting:\n    absent: false\n' })).alerting!.absent).toBeUndefined();
  });

  it('refuses, by field and with a fix: targets read as fractions, non-selectors, several or no indicators, latencyNative, disagreeing severities', () => {
    expect(problems(slo({ target: '"0.99"' }))).toEqual([['spec.target', 'target "0.99" is read as 0.99%: Pyrra targets are percentages', 'write target: "99" if you meant 99%']]);
    expect(problems(slo({ target: '"100"' }))[0]!.slice(0, 1)).toEqual(['spec.target']);
    expect(problems(slo({ indicator: '    ratio:\n      errors:\n        metric: rate(errors_total[5m])\n      total:\n        metric: requests_total' }))).toEqual([
      ['spec.indicator.ratio.errors.metric', 'expected a series selector such as http_requests_total{code=~"5.."}, got "rate(errors_total[5m])"', 'Pyrra applies rate() itself: give the bare counter selector, without functions or ranges'],
    ]);
    expect(problems(slo({ indicator: '    bool_gauge: {metric: up}\n    ratio: {errors: {metric: a}, total: {metric: b}}' }))).toEqual([
      ['spec.indicator', 'expected exactly one of ratio, latency or bool_gauge, got ratio, bool_gauge', 'keep one indicator per SLO'],
    ]);
    expect(problems(slo({ indicator: '    {}' }))).toEqual([['spec.indicator', 'required: expected one of ratio, latency or bool_gauge', 'keep one indicator per SLO']]);
    expect(problems(slo({ indicator: '    latencyNative: {success: {metric: x}, total: {metric: y}}' }))[0]!.slice(0, 2)).toEqual(['spec.indicator.latencyNative', 'latencyNative (native histograms) is not supported']);
    expect(problems(slo({ alerting: '  alerting:\n    severities: {fastBurn: critical, mediumBurn: high}\n' }))).toEqual([
      ['spec.alerting.severities.mediumBurn', 'mediumBurn must equal fastBurn: relia alerts on them as one tier', 'set both to "critical", or leave mediumBurn out'],
    ]);
  });

  it('names the file and the field for a bad window, unknown fields and a resource in a multi-document file', () => {
    expect(problems(slo({ window: '0d' }))[0]![0]).toBe('spec.window');
    expect(problems(slo({ window: '30m' }))[0]!.slice(0, 2)).toEqual(['spec.window', 'expected a window of at least 1h in whole seconds, got 30m']);
    expect(problems(slo({ spec: '  windows: 28d\n' }))[0]!.slice(0, 2)).toEqual(['spec.windows', 'unknown field "windows" (did you mean "window"?)']);
    const r = check(`${slo()}---\n${slo({ metadata: '  name: other', target: '"0.5"' })}`, 'pyrra.yaml');
    expect(r.problems.map((p) => [p.file, p.path])).toEqual([['pyrra.yaml', 'documents[1].spec.target']]);
    expect(r.slos.map((s) => s.id)).toEqual(['shop/api-errors']);
    for (const p of r.problems) expect(p.suggestion).toBeTruthy();
  });
});
