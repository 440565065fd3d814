import { describe, expect, it } from 'vitest';
import { BAD, GOOD, TOTAL, check, native, one, problemLines } from './helpers.js';

describe('native spec (apiVersion: relia/v1)', () => {
  it('parses a single SLO into the model', () => {
    const slo = one(native('description: Checkout works\nlabels: {team: payments, tier: 1, critical: true}\n'));
    expect(slo).toEqual({
      id: 'checkout/availability',
      service: 'checkout',
      name: 'availability',
      description: 'Checkout works',
      objective: 0.999,
      window: { type: 'rolling', seconds: 30 * 86_400, label: '30d' },
      budgeting: { method: 'occurrences' },
      sli: { type: 'ratio', bad: BAD, total: TOTAL },
      labels: { team: 'payments', tier: '1', critical: 'true' },
      source: { file: 'slo.yaml', path: '', format: 'relia' },
    });
  });

  it('reads the objective as a percentage in every spelling, without binary noise', () => {
    for (const o of ['99.9', '"99.9%"', '"99.9 %"', "'99.9'"]) expect(one(native('', { objective: o })).objective).toBe(0.999);
    expect(one(native('', { objective: '99.95' })).objective).toBe(0.9995);
    expect(one(native('', { objective: '95' })).objective).toBe(0.95);
    expect(one(native('', { objective: '99.999' })).objective).toBe(0.99999);
  });

  it('rejects fraction-looking, out-of-range and malformed objectives with a hint', () => {
    expect(problemLines(native('', { objective: '0.999' }))[0]).toMatch(/^objective: .*percentage above 1 and below 100/);
    expect(problemLines(native('', { objective: '"0.999"' }))[0]).toMatch(/relia reads 0\.999 as 0\.999%, write 99\.9 if you meant 99\.9%/);
    expect(problemLines(native('', { objective: '100' }))[0]).toMatch(/^objective: /);
    expect(problemLines(native('', { objective: '"100%"' }))[0]).toMatch(/below 100/);
    expect(problemLines(native('', { objective: 'high' }))[0]).toMatch(/^objective: expected a percentage such as 99.9/);
    expect(problemLines(native('', { objective: '[99]' }))[0]).toMatch(/^objective: expected a percentage/);
    expect(problemLines(native('', { objective: '' }))[0]).toMatch(/^objective: required: expected a percentage/);
  });

  it('accepts good/total, errorRatio and threshold SLIs', () => {
    expect(one(native('', { sli: `\n  good: '${GOOD}'\n  total: '${TOTAL}'` })).sli).toEqual({ type: 'ratio', good: GOOD, total: TOTAL });
    expect(one(native('', { sli: `{errorRatio: 'avg(rate(errors[{{.window}}]))'}` })).sli).toEqual({ type: 'error-ratio', query: 'avg(rate(errors[{{.window}}]))' });
    const t = one(
      native('budgeting: {method: timeslices, slice: 1m}\n', {
        sli: `\n  threshold: {query: 'histogram_quantile(0.99, sum by (le) (rate(lat_bucket[{{.window}}])))', op: lt, value: 0.3}`,
      }),
    );
    expect(t.sli).toEqual({ type: 'threshold', query: 'histogram_quantile(0.99, sum by (le) (rate(lat_bucket[{{.window}}])))', op: 'lt', value: 0.3 });
    expect(t.budgeting).toEqual({ method: 'timeslices', sliceSeconds: 60, sliceTarget: 1 });
  });

  it('reports the closest SLI form when one is incomplete or ambiguous', () => {
    expect(problemLines(native('', { sli: `{bad: '${BAD}'}` }))).toEqual([expect.stringMatching(/^sli\.total: required: expected a PromQL query/)]);
    expect(problemLines(native('', { sli: `{good: '${GOOD}', bad: '${BAD}', total: '${TOTAL}'}` }))).toEqual([
      expect.stringMatching(/^sli: expected one of \{good, total\}, \{bad, total\}, \{errorRatio\} or \{threshold/),
    ]);
    expect(problemLines(native('', { sli: 'sum(x)' }))[0]).toMatch(/^sli: expected one of/);
  });

  it('rejects a threshold SLI without timeslices, and sliceTarget with a threshold', () => {
    const th = `\n  threshold: {query: 'max(x[{{.window}}])', op: lt, value: 1}`;
    expect(problemLines(native('', { sli: th }))[0]).toMatch(/^sli\.threshold: a threshold SLI needs timeslice budgeting/);
    expect(problemLines(native('budgeting: {method: timeslices, slice: 1m, sliceTarget: 95}\n', { sli: th }))[0]).toMatch(/^budgeting\.sliceTarget: sliceTarget does not apply/);
  });

  it('reads timeslice budgeting for ratio SLIs, with the slice target in percent', () => {
    expect(one(native('budgeting: {method: timeslices, slice: 5m, sliceTarget: 95}\n')).budgeting).toEqual({ method: 'timeslices', sliceSeconds: 300, sliceTarget: 0.95 });
    expect(one(native('budgeting: {method: timeslices, slice: 1m, sliceTarget: "100%"}\n')).budgeting).toEqual({ method: 'timeslices', sliceSeconds: 60, sliceTarget: 1 });
    expect(one(native('budgeting: occurrences\n')).budgeting).toEqual({ method: 'occurrences' });
    expect(one(native('budgeting: {method: occurrences}\n')).budgeting).toEqual({ method: 'occurrences' });
    expect(problemLines(native('budgeting: {method: timeslices, slice: 1m}\n'))[0]).toMatch(/^budgeting\.sliceTarget: required/);
    expect(problemLines(native('budgeting: {method: timeslices, slice: 500ms, sliceTarget: 90}\n'))[0]).toMatch(/^budgeting\.slice: expected a slice of whole seconds/);
    expect(problemLines(native('budgeting: {method: timeslices, slice: 1m, sliceTarget: "0.5"}\n'))[0]).toMatch(/^budgeting\.sliceTarget: expected a percentage above 1 and at most 100/);
    expect(problemLines(native('budgeting: events\n'))[0]).toMatch(/^budgeting: expected occurrences, or \{method: timeslices/);
  });

  it('reads rolling and calendar windows', () => {
    expect(one(native('', { window: '28d' })).window).toEqual({ type: 'rolling', seconds: 28 * 86_400, label: '28d' });
    expect(one(native('', { window: '4w' })).window).toEqual({ type: 'rolling', seconds: 28 * 86_400, label: '28d' });
    expect(one(native('', { window: '{rolling: 7d}' })).window).toEqual({ type: 'rolling', seconds: 7 * 86_400, label: '7d' });
    expect(one(native('', { window: '{calendar: month}' })).window).toEqual({ type: 'calendar', unit: 'month', timeZone: 'UTC', label: 'calendar month' });
    expect(one(native('', { window: '{calendar: quarter, timeZone: UTC}' })).window).toMatchObject({ unit: 'quarter' });
    expect(problemLines(native('', { window: '1M' }))[0]).toMatch(/^window: expected a duration such as 30d/);
    expect(problemLines(native('', { window: '30m' }))[0]).toMatch(/^window: expected a window of at least 1h/);
    expect(problemLines(native('', { window: '{calendar: month, timeZone: Europe/Paris}' }))[0]).toMatch(/^window\.timeZone: only UTC/);
    expect(problemLines(native('', { window: '{calendar: fortnight}' }))[0]).toMatch(/^window\.calendar: expected one of day, week, month, quarter, year/);
    expect(problemLines(native('', { window: '{rolling: 30d, calendar: month}' }))[0]).toMatch(/^window: expected a rolling window such as 30d, or \{calendar: month\}/);
  });

  it('normalises window placeholder spellings and checks every query', () => {
    const slo = one(native('', { sli: `\n  bad: 'sum(rate(e[{{ .window }}]))'\n  total: 'sum(rate(t[$window]))'` }));
    expect(slo.sli).toEqual({ type: 'ratio', bad: 'sum(rate(e[{{.window}}]))', total: 'sum(rate(t[{{.window}}]))' });
    const lines = problemLines(native('', { sli: `\n  bad: 'sum(rate(e[5m]))'\n  total: 'sum(rate(t[{{.window}}])'` }));
    expect(lines).toEqual([
      expect.stringMatching(/^sli\.bad: the query has no \{\{\.window\}\} placeholder/),
      expect.stringMatching(/^sli\.total: not a valid PromQL expression: unclosed "\("/),
    ]);
    expect(problemLines(native('', { sli: `{errorRatio: 'x{job="{{.job}}"}[{{.window}}]'}` }))[0]).toMatch(/^sli\.errorRatio: unknown template variable \{\{\.job\}\}/);
    expect(problemLines(native('', { sli: `{errorRatio: '   '}` }))[0]).toMatch(/^sli\.errorRatio: expected a PromQL query, got an empty string/);
  });

  it('validates label names and reserves relia_*, __* and alertname', () => {
    const lines = problemLines(native('labels: {cost-centre: a, relia_slo: x, __name__: y, alertname: z, 9lives: q}\n'));
    expect(lines).toEqual([
      expect.stringMatching(/^labels\.cost-centre: "cost-centre" is not a Prometheus label name/),
      expect.stringMatching(/^labels\.relia_slo: "relia_slo" is reserved/),
      expect.stringMatching(/^labels\.__name__: "__name__" is reserved/),
      expect.stringMatching(/^labels\.alertname: "alertname" is reserved/),
      expect.stringMatching(/^labels\["9lives"\]: "9lives" is not a Prometheus label name/),
    ]);
    expect(check(native('labels: {cost-centre: a}\n')).problems[0]!.suggestion).toBe('rename it, e.g. "cost_centre"');
    expect(problemLines(native('labels: {team: [a]}\n'))[0]).toMatch(/^labels\.team: expected a label value \(a string\), got a list/);
  });

  it('names unknown fields with a did-you-mean hint, and a line', () => {
    const r = check(native('objectiv: 99\nlabls: {}\n'));
    expect(r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'objectiv: unknown field "objectiv" (did you mean "objective"?) (line 10)',
      'labls: unknown field "labls" (did you mean "labels"?) (line 11)',
    ]);
    expect(r.problems[0]!.suggestion).toMatch(/check its spelling/);
    expect(problemLines(native('zzz: 1\n'))[0]).toMatch(/unknown field "zzz" \(accepted: apiVersion, kind, service, name/);
  });

  it('requires kind: SLO for a single SLO and checks names', () => {
    expect(problemLines('apiVersion: relia/v1\nservice: a\nname: b\n')[0]).toMatch(/^kind: required: expected SLO/);
    expect(problemLines(native('', { name: '"-bad name"' }))[0]).toMatch(/^name: expected SLO name: letters, digits/);
    expect(problemLines(native('', { service: '' }))[0]).toMatch(/^service: required: expected service name/);
    expect(problemLines('apiVersion: relia/v1\nkind: SLOList\n')).toContainEqual(expect.stringMatching(/^kind: expected SLO, got "SLOList" \(line 2\)/));
  });

  it('reads the list form with shared service and labels', () => {
    const r = check(`apiVersion: relia/v1
service: checkout
labels: {team: payments, tier: gold}
slos:
  - name: availability
    objective: 99.9
    window: 30d
    sli: {bad: '${BAD}', total: '${TOTAL}'}
    labels: {tier: platinum}
  - name: search-availability
    service: search
    objective: 99.5
    window: 28d
    sli: {errorRatio: 'avg(rate(err[{{.window}}]))'}
`);
    expect(r.problems).toEqual([]);
    expect(r.slos.map((s) => [s.id, s.labels, s.source.path])).toEqual([
      ['checkout/availability', { team: 'payments', tier: 'platinum' }, 'slos[0]'],
      ['search/search-availability', { team: 'payments', tier: 'gold' }, 'slos[1]'],
    ]);
  });

  it('reports each broken list entry and still reads the good ones', () => {
    const r = check(`apiVersion: relia/v1
slos:
  - name: a
    objective: 99.9
    window: 30d
    sli: {errorRatio: 'x[{{.window}}]'}
  - name: b
    service: s
    objective: 99.9
    window: 30d
    sli: {errorRatio: 'x[{{.window}}]'}
  - 42
`);
    expect(r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^slos\[0\]\.service: required: expected a service name.*\(line 3\)$/),
      expect.stringMatching(/^slos\[2\]: expected a mapping \(one SLO\), got 42/),
    ]);
    expect(r.slos.map((s) => s.id)).toEqual(['s/b']);
    expect(problemLines('apiVersion: relia/v1\nslos: []\n')[0]).toMatch(/^slos: expected at least one SLO/);
  });

  it('reads alerting settings and policy overrides', () => {
    const slo = one(
      native(`alerting:
  name: CheckoutBurn
  labels: {team: payments}
  annotations: {runbook_url: https://x}
  page: {labels: {severity: critical}, annotations: {summary: hi}}
  ticket: {enabled: false}
policy:
  blockOnPage: false
`),
    );
    expect(slo.alerting).toEqual({
      name: 'CheckoutBurn',
      labels: { team: 'payments' },
      annotations: { runbook_url: 'https://x' },
      page: { enabled: true, labels: { severity: 'critical' }, annotations: { summary: 'hi' } },
      ticket: { enabled: false, labels: {}, annotations: {} },
    });
    expect(slo.policy).toEqual({ blockOnPage: false });
    expect(problemLines(native('alerting: {name: " padded"}\n'))[0]).toMatch(/^alerting\.name: expected an alert name/);
    expect(problemLines(native('alerting: {name: "Checkout budget-burn 1"}\n'))).toEqual([]);
    expect(problemLines(native('alerting: {page: {labels: {relia_x: y}}}\n'))[0]).toMatch(/^alerting\.page\.labels\.relia_x: "relia_x" is reserved/);
    expect(problemLines(native('policy: [1]\n'))[0]).toMatch(/^policy: expected a mapping of policy fields, got a list/);
  });
});
