/**
 * OpenSLO v1: where each problem points (the field path a user looks up) and
 * what it drops. Labels on an SLI document are refused at its
 * metadata.labels and break the SLI like a bad query would (no SLO from it);
 * a window duration that is not a shorthand, or too short, is reported at
 * timeWindow[0].duration; a calendar start off midnight by hours only; the
 * known SLIs listed in input order; a bad spec field under spec; a label
 * value that is a list of non-strings; and a problem of the SLO itself (a
 * label name, alertPolicies) drops the SLO even when every part converted.
 * Source: docs/budget-specs.md "OpenSLO v1" (field table) and "Problems are
 * reported all at once".
 */
import { describe, expect, it } from 'vitest';
import { check, opensloSloDoc, problemsWithFix as problems } from './helpers.js';

const Q = { bad: 'sum(rate(e[{{.window}}]))', total: 'sum(rate(t[{{.window}}]))', threshold: 'histogram_quantile(0.99, sum by (le) (rate(l_bucket[{{.window}}])))' };

/** An openslo/v1 SLO; `over` replaces a part. */
function slo(over: { metadata?: string; service?: string; indicator?: string; timeWindow?: string; budgeting?: string; objectives?: string; extra?: string } = {}): string {
  const indicator =
    over.indicator ??
    `  indicator:\n    metadata: {name: errors}\n    spec:\n      ratioMetric:\n        bad: {metricSource: {type: Prometheus, spec: {query: '${Q.bad}'}}}\n        total: {metricSource: {type: Prometheus, spec: {query: '${Q.total}'}}}`;
  const { timeWindow, budgeting, objectives } = over;
  return opensloSloDoc({ metadata: over.metadata ?? '', service: over.service ?? 'checkout', indicator, timeWindow, budgeting, objectives, tail: over.extra });
}

/** An SLI document named `name`; `extra` goes into its metadata. */
function sliDoc(name: string, extra = '', spec = `  ratioMetric:\n    bad: {metricSource: {type: Prometheus, spec: {query: '${Q.bad}'}}}\n    total: {metricSource: {type: Prometheus, spec: {query: '${Q.total}'}}}`): string {
  return `apiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: ${name}\n${extra}spec:\n${spec}\n`;
}

const strip = (m: string) => m.replace(/ \(line \d+\)$/, '');

describe('OpenSLO v1: labels on an SLI document', () => {
  it('are refused at the document’s metadata.labels, with the fix to move them', () => {
    const r = check(`${slo({ indicator: '  indicatorRef: x' })}---\n${sliDoc('x', '  labels: {team: a}\n')}`);
    expect(r.problems.map((p) => [p.path, strip(p.message), p.suggestion])).toEqual([['documents[1].metadata.labels', 'labels on an SLI are not used', "move them to the SLO's metadata.labels"]]);
  });

  it('break the SLI like a bad query: the SLO referring to it is not made', () => {
    expect(check(`${slo({ indicator: '  indicatorRef: x' })}---\n${sliDoc('x', '  labels: {team: a}\n')}`).slos).toEqual([]);
    // Without the labels the same pair makes the SLO.
    expect(check(`${slo({ indicator: '  indicatorRef: x' })}---\n${sliDoc('x')}`).slos.map((s) => s.id)).toEqual(['checkout/availability']);
  });

  it('a threshold SLI with labels stays a threshold SLI: its labels are the only problem of a Timeslices SLO with op and value', () => {
    const threshold = `  thresholdMetric:\n    metricSource: {type: Prometheus, spec: {query: '${Q.threshold}'}}`;
    const objectives = '    - target: 0.99\n      op: lt\n      value: 0.5\n      timeSliceWindow: 1m';
    const r = check(`${slo({ indicator: '  indicatorRef: x', budgeting: 'Timeslices', objectives })}---\n${sliDoc('x', '  labels: {team: a}\n', threshold)}`);
    expect(r.problems.map((p) => p.path)).toEqual(['documents[1].metadata.labels']);
    expect(r.slos).toEqual([]);
  });
});

describe('OpenSLO v1: time window problems point at the duration', () => {
  it('a duration that is not a shorthand', () => {
    expect(problems(slo({ timeWindow: '    - duration: 4 weeks\n      isRolling: true' }))).toEqual([
      ['spec.timeWindow[0].duration', 'expected a duration shorthand (a whole number and one of m, h, d, w, M, Q, Y), got "4 weeks"', 'write e.g. 28d or 1M'],
    ]);
  });

  it('a rolling window shorter than an hour', () => {
    expect(problems(slo({ timeWindow: '    - duration: 30m\n      isRolling: true' }))).toEqual([
      ['spec.timeWindow[0].duration', 'expected a window of at least 1h in whole seconds, got 30m', 'SLO windows are usually 28d or 30d'],
    ]);
  });

  it('a calendar day starting at 05:00 (hours off, minutes and seconds zero) is refused', () => {
    const cal = '    - duration: 1d\n      calendar: {startTime: "2026-01-01 05:00:00", timeZone: UTC}';
    expect(problems(slo({ timeWindow: cal }))).toEqual([
      ['spec.timeWindow[0].calendar.startTime', 'a calendar day starting at 05:00:00 is not supported: windows start at 00:00:00 UTC', 'windows start at UTC day boundaries; use e.g. "2026-01-01 00:00:00"'],
    ]);
  });
});

describe('OpenSLO v1: references, spec fields and labels', () => {
  it('an unknown indicatorRef lists every known SLI, in input order, comma-separated', () => {
    const r = check(`${slo({ indicator: '  indicatorRef: nope' })}---\n${sliDoc('b')}---\n${sliDoc('a')}`);
    expect(r.problems.map((p) => [p.path, strip(p.message), p.suggestion])).toEqual([['documents[0].spec.indicatorRef', 'no SLI document named "nope" in the input', 'known SLIs: b, a']]);
  });

  it('a spec field that fails its schema is reported under spec', () => {
    expect(problems(slo({ service: 'Bad Name' })).map((p) => p.slice(0, 2))).toEqual([['spec.service', 'expected a name: letters, digits, ".", "_" or "-", starting and ending with a letter or digit']]);
  });

  it('a label value that is a list of non-strings says what a label value is', () => {
    expect(problems(slo({ metadata: '  labels:\n    team: [1]\n' })).map((p) => p.slice(0, 2))).toEqual([['metadata.labels.team', 'expected a label value (a string or a list of strings), got a list']]);
  });

  it('a problem of the SLO itself drops it even though indicator, window and objective converted', () => {
    for (const over of [{ metadata: '  labels:\n    team-name: x\n' }, { extra: '  alertPolicies: [page]\n' }]) {
      const r = check(slo(over));
      expect(r.problems, JSON.stringify(over)).toHaveLength(1);
      expect(r.slos, JSON.stringify(over)).toEqual([]);
    }
  });
});
