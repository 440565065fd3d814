/**
 * Pyrra ServiceLevelObjective: a missing or broken spec field is one problem
 * naming it, never followed by problems of the fields read from it (window,
 * indicator), and a missing target says "required" like every other field;
 * a latency indicator with an empty grouping adds its events up; a bad
 * pyrra.dev/ label is reported under metadata.labels, at its line.
 * Source: docs/budget-specs.md "Pyrra" (field table) and "What is checked".
 */
import { describe, expect, it } from 'vitest';
import { check, one, problemsWithFix as problems } from './helpers.js';

const RATIO = '    ratio:\n      errors:\n        metric: http_requests_total{job="api",code=~"5.."}\n      total:\n        metric: http_requests_total{job="api"}';

/** A Pyrra ServiceLevelObjective; each field of `over` replaces that spec line ('' leaves it out). */
function slo(over: { target?: string; window?: string; indicator?: string; metadata?: string } = {}): string {
  const lines = ['apiVersion: pyrra.dev/v1alpha1', 'kind: ServiceLevelObjective', 'metadata:', over.metadata ?? '  name: api-errors\n  namespace: shop', 'spec:'];
  if (over.target !== '') lines.push(`  target: ${over.target ?? '"99.5"'}`);
  if (over.window !== '') lines.push(`  window: ${over.window ?? '28d'}`);
  if (over.indicator !== '') lines.push(`  indicator:\n${over.indicator ?? RATIO}`);
  return `${lines.join('\n')}\n`;
}

describe('Pyrra: a missing or broken field is one problem', () => {
  it('a missing target is required, with the fix to add it; a target of the wrong type says what it got', () => {
    expect(problems(slo({ target: '' }))).toEqual([['spec.target', 'required: expected a percentage such as "99.9"', 'add spec.target: a percentage such as "99.9" (see docs/budget-specs.md)']]);
    expect(problems(slo({ target: '[99]' })).map((p) => p.slice(0, 2))).toEqual([['spec.target', 'expected a percentage such as "99.9", got a list']]);
  });

  it('a missing window is one problem (no duration problem for the absent text)', () => {
    expect(problems(slo({ window: '' })).map((p) => p.slice(0, 2))).toEqual([['spec.window', 'required: expected a Prometheus duration such as 28d or 2w']]);
  });

  it('a window that is not a duration is one problem (no window-length problem after it)', () => {
    expect(problems(slo({ window: '0d' }))).toEqual([['spec.window', 'expected a duration above zero such as 28d, got "0d"', 'write a duration such as 28d or 30d']]);
    expect(problems(slo({ window: '5m' }))).toEqual([['spec.window', 'expected a window of at least 1h in whole seconds, got 5m', 'SLO windows are usually 28d or 30d']]);
  });

  it('a missing indicator is one problem', () => {
    const r = check(slo({ indicator: '' }));
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([['spec.indicator', 'required: expected a mapping']]);
    expect(r.slos).toEqual([]);
  });
});

describe('Pyrra: what is left out', () => {
  it('a resource without a spec makes no SLO', () => {
    expect(check('apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: a}\n').slos).toEqual([]);
  });

  it('an SLO without a description has no description key', () => {
    expect('description' in one(slo())).toBe(false);
  });
});

describe('Pyrra: latency with an empty grouping', () => {
  it('is no grouping: good and total events add up', () => {
    const latency = '    latency:\n      success:\n        metric: lat_bucket{le="0.1"}\n      total:\n        metric: lat_count\n      grouping: []';
    expect(one(slo({ indicator: latency })).sli).toEqual({ type: 'ratio', good: 'sum(rate(lat_bucket{le="0.1"}[{{.window}}]))', total: 'sum(rate(lat_count[{{.window}}]))' });
  });
});

describe('Pyrra: a bad pyrra.dev/ label', () => {
  it('is reported under metadata.labels, at the line of the label', () => {
    const r = check(slo({ metadata: '  name: a\n  labels:\n    pyrra.dev/team-name: x' }));
    expect(r.problems).toHaveLength(1);
    // The key as written, so the reader finds it in the file; the message names the rule label it becomes.
    expect(r.problems[0]).toMatchObject({
      path: 'metadata.labels["pyrra.dev/team-name"]',
      message: '"team-name" is not a Prometheus label name (letters, digits and _, not starting with a digit) (line 6)',
      suggestion: 'rename it, e.g. "pyrra.dev/team_name"',
    });
  });

  it('reports a reserved name under its written key too', () => {
    const r = check(slo({ metadata: '  name: a\n  labels:\n    team: t\n    pyrra.dev/alertname: x' }));
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({
      path: 'metadata.labels["pyrra.dev/alertname"]',
      message: '"alertname" is reserved: relia sets alertname, relia_* and __* labels itself (line 7)',
    });
  });
});
