import { describe, expect, it } from 'vitest';
import { BAD, TOTAL, check, one, problemLines } from './helpers.js';

const sloth = (sloExtra = '', top = '', sli = `    sli:\n      events:\n        error_query: '${BAD}'\n        total_query: '${TOTAL}'`) => `version: "prometheus/v1"
service: checkout
${top}slos:
  - name: availability
    objective: 99.9
${sli}
${sloExtra}`;

describe('Sloth prometheus/v1', () => {
  it('maps events to a bad/total SLI over Sloth’s 30d period, objective in percent', () => {
    const s = one(sloth('    description: Checkout works\n    labels: {tier: "1"}', 'labels: {team: payments, tier: "0"}\n'));
    expect(s).toEqual({
      id: 'checkout/availability',
      service: 'checkout',
      name: 'availability',
      description: 'Checkout works',
      objective: 0.999,
      window: { type: 'rolling', seconds: 30 * 86_400, label: '30d' },
      budgeting: { method: 'occurrences' },
      sli: { type: 'ratio', bad: BAD, total: TOTAL },
      labels: { team: 'payments', tier: '1' },
      source: { file: 'slo.yaml', path: 'slos[0]', format: 'sloth' },
    });
  });

  it('maps raw.error_ratio_query to an error-ratio SLI', () => {
    expect(one(sloth('', '', "    sli:\n      raw:\n        error_ratio_query: 'max(ratio:rate[{{ .window }}])'")).sli).toEqual({ type: 'error-ratio', query: 'max(ratio:rate[{{.window}}])' });
  });

  it('keeps the alerting section for the rule generator', () => {
    const s = one(
      sloth(`    alerting:
      name: CheckoutAvailability
      labels: {category: availability}
      annotations: {runbook: https://r}
      page_alert:
        labels: {severity: critical}
      ticket_alert:
        disable: true
        annotations: {summary: s}`),
    );
    expect(s.alerting).toEqual({
      name: 'CheckoutAvailability',
      labels: { category: 'availability' },
      annotations: { runbook: 'https://r' },
      page: { enabled: true, labels: { severity: 'critical' }, annotations: {} },
      ticket: { enabled: false, labels: {}, annotations: { summary: 's' } },
    });
    expect(problemLines(sloth('    alerting:\n      name: "bad\\nname"')).at(0)).toMatch(/^slos\[0\]\.alerting\.name: expected an alert name/);
    // Prometheus accepts any text as an alert name; so does relia.
    expect(problemLines(sloth('    alerting:\n      name: slo_foo-bar_grpc-latency-percentile-90_fail'))).toEqual([]);
  });

  it('rejects plugins by name, and infoLabels/interval (not Sloth fields) as unknown; a 100% objective too', () => {
    const lines = problemLines(
      sloth('    infoLabels: {a: b}\n    interval: {all: 30s}\n    plugins: {chain: [{id: x}]}', '', '    sli:\n      plugin:\n        id: sloth-common/availability'),
    ).map((l) => l.replace(/ \(line \d+\)$/, ''));
    expect([...lines].sort()).toEqual([
      'slos[0].infoLabels: unknown field "infoLabels" (accepted: name, description, objective, labels, plugins, sli, alerting)',
      'slos[0].interval: unknown field "interval" (accepted: name, description, objective, labels, plugins, sli, alerting)',
      'slos[0].plugins: Sloth SLO plugins are not supported: relia cannot run them',
      'slos[0].sli.plugin: Sloth SLI plugins are not supported: relia cannot run them',
    ]);
    expect(problemLines(`slo_plugins: {chain: []}\n${sloth()}`)[0]).toMatch(/^slo_plugins: Sloth SLO plugins are not supported/);
    const r = check(sloth().replace('objective: 99.9', 'objective: 100'));
    expect(r.problems[0]!.message).toMatch(/expected an objective in percent above 0 and below 100, got 100/);
    expect(r.problems[0]!.suggestion).toMatch(/leaves no error budget/);
    expect(problemLines(sloth().replace('objective: 99.9', 'objective: "99.9"'))[0]).toMatch(/^slos\[0\]\.objective: expected an objective in percent such as 99.9, got "99.9"/);
    expect(problemLines(sloth().replace('objective: 99.9', 'objective: -1'))[0]).toMatch(/above 0 and below 100, got -1/);
  });

  it('needs exactly one SLI form and a window placeholder in each query', () => {
    expect(problemLines(sloth('', '', '    sli: {}'))[0]).toMatch(/^slos\[0\]\.sli: required: expected events/);
    expect(problemLines(sloth('', '', `    sli:\n      events: {error_query: 'a[{{.window}}]', total_query: 'b[{{.window}}]'}\n      raw: {error_ratio_query: 'c[{{.window}}]'}`))[0]).toMatch(
      /^slos\[0\]\.sli: expected exactly one of events, raw or plugin/,
    );
    expect(problemLines(sloth('', '', `    sli:\n      events: {error_query: 'a[5m]', total_query: 'b[{{.window}}]'}`))[0]).toMatch(/error_query: the query has no \{\{\.window\}\}/);
    expect(problemLines(sloth('', '', `    sli:\n      raw: {error_ratio_query: 'a[5m]'}`))[0]).toMatch(/error_ratio_query: the query has no/);
    expect(problemLines(sloth('', '', `    sli:\n      events: {error_query: 'a[{{.window}}]'}`))[0]).toMatch(/events\.total_query: required: expected a PromQL query/);
  });

  it('reports each broken SLO and keeps the valid ones', () => {
    const r = check(`version: prometheus/v1
service: s
labels: {bad-label: x}
slos:
  - name: ok
    objective: 99
    sli: {raw: {error_ratio_query: 'r[{{.window}}]'}}
  - objective: 99
  - name: also-ok
    objective: 95.5
    sli: {raw: {error_ratio_query: 'r[{{.window}}]'}}
`);
    expect(r.problems.map((p) => p.path)).toEqual(['labels.bad-label', 'slos[1].name', 'slos[1].sli']);
    expect(r.slos.map((s) => [s.id, s.objective])).toEqual([
      ['s/ok', 0.99],
      ['s/also-ok', 0.955],
    ]);
    expect(problemLines('version: prometheus/v1\nservice: s\nslos: []\n')[0]).toMatch(/^slos: expected at least one SLO/);
    expect(problemLines('version: prometheus/v2\n')[0]).toMatch(/^version: Sloth spec version "prometheus\/v2" is not supported/);
  });
});
