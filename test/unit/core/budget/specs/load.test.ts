import { describe, expect, it } from 'vitest';
import { checkSpecs, loadSpecs, specProblemsError } from '../../../../../src/core/budget/specs/index.js';
import { InputError } from '../../../../../src/core/errors.js';
import { check, inputError, native, problemLines } from './helpers.js';

describe('loadSpecs: detection, documents and problem reporting', () => {
  it('reads several formats from one multi-document file, in order', () => {
    const text = `${native()}---\nversion: prometheus/v1\nservice: search\nslos:\n  - {name: availability, objective: 99.5, sli: {raw: {error_ratio_query: 'x[{{.window}}]'}}}\n---\n`;
    const r = check(text);
    expect(r.problems).toEqual([]);
    expect(r.documents).toBe(2);
    expect(r.slos.map((s) => [s.id, s.source.format, s.source.path])).toEqual([
      ['checkout/availability', 'relia', 'documents[0]'],
      ['search/availability', 'sloth', 'documents[1].slos[0]'],
    ]);
  });

  it('collects every problem of every file, by file and document, with lines', () => {
    const r = checkSpecs([
      { file: 'a.yaml', text: `${native('', { objective: '0.5' })}---\nfoo: bar\n---\n- 1\n` },
      { file: 'b.yaml', text: 'apiVersion: relia/v1\nkind: SLO\nname: [unclosed\n' },
      { file: 'c.yaml', text: '# nothing here\n' },
      { file: 'd.yaml', text: 'apiVersion: v1\n' },
      { file: 'e.yaml', text: 'apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\n' },
      { file: 'f.yaml', text: '42\n' },
    ]);
    expect(r.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^a\.yaml: documents\[0\]\.objective: expected a percentage above 1 and below 100, got 0\.5; relia reads 0\.5 as 0\.5%.*\(line 5\)$/),
      expect.stringMatching(/^a\.yaml: documents\[1\]: not an SLO spec: expected relia\/v1, openslo\/v1, openslo\/v1alpha, Sloth version: "prometheus\/v1", sloth\.slok\.dev\/v1 PrometheusServiceLevel, or pyrra\.dev\/v1alpha1 ServiceLevelObjective \(line 11\)$/),
      expect.stringMatching(/^a\.yaml: documents\[2\]\[0\]: expected a mapping \(an SLO spec\), got 1/),
      expect.stringMatching(/^b\.yaml: : YAML syntax error: .*\(line \d\)$/),
      'c.yaml: : the file holds no YAML documents',
      expect.stringMatching(/^d\.yaml: apiVersion: apiVersion "v1" is not a format relia reads/),
      expect.stringMatching(/^e\.yaml: spec: required: expected a mapping \(the service level spec\)/),
      'f.yaml: : expected a mapping (an SLO spec), got 42 (line 1)',
    ]);
  });

  it('reports duplicate SLO ids across files at the second definition', () => {
    const r = checkSpecs([
      { file: 'a.yaml', text: native() },
      { file: 'b.yaml', text: native() },
    ]);
    expect(r.slos).toHaveLength(1);
    expect(r.problems).toEqual([
      { file: 'b.yaml', path: '', message: 'duplicate SLO checkout/availability: also defined in a.yaml', suggestion: 'give each SLO of a service a unique name' },
    ]);
  });

  it('throws one InputError listing every problem with its fix (exit 2)', () => {
    const err = inputError(() => loadSpecs([{ file: 'a.yaml', text: native('labls: {}\n', { objective: '0.9' }) }]));
    expect(err.exitCode).toBe(2);
    expect(err.file).toBe('a.yaml');
    expect(err.field).toBe('objective');
    expect(err.message).toBe(
      [
        '2 SLO spec problems:',
        '  a.yaml: objective: expected a percentage above 1 and below 100, got 0.9; relia reads 0.9 as 0.9%, write 90 if you meant 90% (line 5)',
        '      fix: write it in percent, e.g. 90',
        '  a.yaml: labls: unknown field "labls" (did you mean "labels"?) (line 10)',
        '      fix: remove it, or check its spelling against docs/budget-specs.md',
      ].join('\n'),
    );
    expect(err.suggestions).toEqual(['see docs/budget-specs.md for the accepted formats']);
    expect(specProblemsError([{ path: '', message: 'x' }]).message).toBe('SLO spec problem:\n  (document): x');
    expect(loadSpecs([{ file: 'a.yaml', text: native() }])).toHaveLength(1);
  });

  it('hands per-SLO policy overrides to the policy validator with their path', () => {
    const seen: unknown[] = [];
    const r = checkSpecs([{ file: 'p.yaml', text: `${native('policy: {burnThreshold: -1}\n')}---\n${native('', { name: 'other' })}` }], {
      validatePolicy: (data, where) => {
        seen.push([data, where]);
        return [{ file: where.file, path: `${where.path}.burnThreshold`, message: 'expected a number above 0' }];
      },
    });
    expect(seen).toEqual([[{ burnThreshold: -1 }, { file: 'p.yaml', path: 'documents[0].policy' }]]);
    expect(r.problems).toEqual([
      { file: 'p.yaml', path: 'documents[0].policy.burnThreshold', message: 'expected a number above 0', suggestion: 'write documents[0].policy.burnThreshold as a number above 0 (see docs/budget-specs.md)' },
    ]);
  });

  it('gives every problem its file and a fix, window: 0d included', () => {
    const bad = [
      native('', { window: '0d' }),
      native('', { window: '1M' }),
      native('budgeting: {method: timeslices, slice: 0s, sliceTarget: 95}\n'),
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec: {service: s, timeWindow: [{duration: 0d, isRolling: true}], budgetingMethod: Occurrences, objectives: [{target: 2}], indicatorRef: nope}\n',
      'version: prometheus/v1\nservice: s\nslos: [{name: a, objective: 99, sli: {}}]\n',
      'apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: a}\nspec: {target: "0.5", window: 0d, indicator: {ratio: {errors: {metric: "rate(a[5m])"}, total: {metric: b}}}}\n',
      'apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata: {name: a}\nspec: {service: s, slos: [{name: a, objective: 99, sli: {events: {error_query: x}}}]}\n',
      'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n',
      '- 1\n- {apiVersion: openslo/v1, kind: Nope}\n',
    ];
    bad.forEach((text, i) => {
      const r = checkSpecs([{ file: `bad-${i}.yaml`, text }]);
      expect(r.problems.length, text).toBeGreaterThan(0);
      for (const p of r.problems) {
        expect(p.file).toBe(`bad-${i}.yaml`);
        expect(p.suggestion, `${p.path}: ${p.message}`).toMatch(/\S/);
      }
    });
    const zero = checkSpecs([{ file: 'zero.yaml', text: native('', { window: '0d' }) }]).problems;
    expect(zero.map((p) => [p.file, p.path, p.message])).toEqual([['zero.yaml', 'window', 'expected a duration above zero such as 28d, got "0d" (line 6)']]);
    expect(checkSpecs([{ file: 'prom.yaml', text: bad[7]! }]).problems[0]!.message).toMatch(/^a Prometheus Operator resource \(apiVersion "monitoring\.coreos\.com\/v1", kind PrometheusRule\) is not a format relia reads/);
  });

  it('survives YAML edge cases: aliases, empty documents, huge alias expansion', () => {
    expect(check(`x: &a {b: 1}\ny: *a\n`).problems[0]!.message).toMatch(/not an SLO spec/);
    expect(check('---\n---\n').problems[0]!.message).toBe('the file holds no YAML documents');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const r = check(`${bomb.join('\n')}\n`);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toMatch(/cannot read the document|not an SLO spec/);
    expect(problemLines('apiVersion: relia/v1\nkind: SLO\nkind: SLO\n')[0]).toMatch(/YAML syntax error: Map keys must be unique/);
  });

  it('is an InputError for the base command (exit code 2)', () => {
    expect(inputError(() => loadSpecs([{ file: 'x.yaml', text: 'nope: 1' }]))).toBeInstanceOf(InputError);
  });
});

describe('one bad field does not hide the others', () => {
  it('reports structural and semantic problems of every field of a document at once', () => {
    const lines = problemLines(native('', { objective: '0.999', window: '1M', sli: "\n  bad: 'sum(rate(e[5m]))'\n  total: 'sum(rate(t[{{.window}}]))'" }));
    expect(lines).toEqual([
      expect.stringMatching(/^objective: expected a percentage above 1 and below 100, got 0\.999/),
      expect.stringMatching(/^window: expected a duration such as 30d/),
      expect.stringMatching(/^sli\.bad: the query has no \{\{\.window\}\} placeholder/),
    ]);
  });

  it('does so for OpenSLO specs and Sloth SLOs too', () => {
    const openslo = problemLines(`apiVersion: openslo/v1
kind: SLO
metadata: {name: a, labels: {bad-key: x}}
spec:
  service: s
  indicator: {metadata: {name: i}, spec: {ratioMetric: {bad: {metricSource: {type: Prometheus, spec: {query: 'e[5m]'}}}, total: {metricSource: {type: Prometheus, spec: {query: 't[{{.window}}]'}}}}}}
  timeWindow: [{duration: 1M, isRolling: true}]
  budgetingMethod: 7
  objectives: [{target: 0.99}]
`);
    expect(openslo).toEqual([
      expect.stringMatching(/^metadata\.labels\.bad-key: "bad-key" is not a Prometheus label name/),
      expect.stringMatching(/^spec\.indicator\.spec\.ratioMetric\.bad\.metricSource\.spec\.query: cannot apply rate\(\) over the window to "e\[5m\]": the query already has a range/),
      expect.stringMatching(/^spec\.timeWindow\[0\]\.duration: a rolling window needs a fixed length/),
      expect.stringMatching(/^spec\.budgetingMethod: required: expected Occurrences or Timeslices|^spec\.budgetingMethod: expected Occurrences or Timeslices, got 7/),
    ]);
    const sloth = problemLines(`version: prometheus/v1
service: s
slos:
  - name: a
    objective: [1]
    sli: {events: {error_query: 'e[5m]', total_query: 't[{{.window}}]'}}
    alerting: {name: ''}
`);
    expect(sloth).toEqual([
      expect.stringMatching(/^slos\[0\]\.objective: expected an objective in percent/),
      expect.stringMatching(/^slos\[0\]\.sli\.events\.error_query: the query has no/),
      expect.stringMatching(/^slos\[0\]\.alerting\.name: expected an alert name/),
    ]);
  });
});
