/**
 * How every YAML document is classified and the whole input checked
 * (src/core/budget/specs/index.ts), per docs/budget-specs.md: the detection
 * table (each format by apiVersion/kind or Sloth's version), foreign formats
 * named for what they are, OpenSLO kinds relia refuses by name, DataSource and
 * SLI documents resolved over the whole input (duplicates reported), SLO ids
 * unique over all inputs, policy overrides handed to the policy module, and the
 * one InputError (exit 2) listing every problem.
 */
import { describe, expect, it } from 'vitest';
import { checkSpecs, loadSpecs, specProblemsError } from '../../../../../src/core/budget/specs/index.js';
import { check, inputError, native, problemsWithFix } from './helpers.js';

const ACCEPTED = 'relia/v1, openslo/v1, openslo/v1alpha, Sloth version: "prometheus/v1", sloth.slok.dev/v1 PrometheusServiceLevel, or pyrra.dev/v1alpha1 ServiceLevelObjective';

describe('classification: what each document is', () => {
  it('refuses unknown kinds of each known apiVersion, with a fix per format', () => {
    expect(problemsWithFix('apiVersion: openslo/v1\nkind: Foo\n')).toEqual([['kind', 'expected an OpenSLO kind (SLO, SLI, Service, DataSource), got "Foo"', 'use kind: SLO for an SLO']]);
    expect(problemsWithFix('apiVersion: openslo/v1alpha\nkind: Foo\n')).toEqual([
      ['kind', 'OpenSLO v1alpha "Foo" documents are not read: relia, like Sloth, reads kind: SLO (and accepts Service)', 'use kind: SLO, or remove the document from the SLO input'],
    ]);
    expect(problemsWithFix('apiVersion: sloth.slok.dev/v1\nkind: AlertWindows\n')).toEqual([
      ['kind', 'Sloth "AlertWindows" resources are not SLO specs relia reads: only PrometheusServiceLevel', 'choose the alert windows with relia budget rules --burn-scheme'],
    ]);
    expect(problemsWithFix('apiVersion: sloth.slok.dev/v1\nkind: Foo\n')[0]![2]).toBe('use kind: PrometheusServiceLevel');
    expect(problemsWithFix('apiVersion: pyrra.dev/v1alpha1\nkind: Foo\n')).toEqual([
      ['kind', 'Pyrra "Foo" resources are not SLO specs: expected kind: ServiceLevelObjective', 'use kind: ServiceLevelObjective'],
    ]);
    expect(problemsWithFix('version: prometheus/v2\n')).toEqual([['version', 'Sloth spec version "prometheus/v2" is not supported: expected "prometheus/v1"', 'write version: "prometheus/v1"']]);
  });

  it('names foreign formats, and suggests openslo/v1 for other OpenSLO versions', () => {
    expect(problemsWithFix('apiVersion: n9/v1alpha\nkind: SLO\n')).toEqual([
      ['apiVersion', `a Nobl9 spec (apiVersion "n9/v1alpha", kind SLO) is not a format relia reads: expected ${ACCEPTED}`, 'see docs/budget-specs.md for the accepted formats'],
    ]);
    expect(problemsWithFix('apiVersion: openslo/v2alpha\n')).toEqual([
      ['apiVersion', `an OpenSLO document of another version (apiVersion "openslo/v2alpha") is not a format relia reads: expected ${ACCEPTED}`, 'convert the document to openslo/v1 (relia reads openslo/v1 and openslo/v1alpha)'],
    ]);
    expect(problemsWithFix('apiVersion: x/v1\nkind: Y\n')[0]!.slice(0, 2)).toEqual(['apiVersion', `apiVersion "x/v1" kind Y is not a format relia reads: expected ${ACCEPTED}`]);
    expect(problemsWithFix('apiVersion: 3\nkind: 4\n')).toEqual([['apiVersion', `apiVersion 3 is not a format relia reads: expected ${ACCEPTED}`, 'see docs/budget-specs.md for the accepted formats']]);
  });

  it('reads kind and apiVersion only as text: a list holding a known name is not that name', () => {
    expect(problemsWithFix('apiVersion: openslo/v1\nkind: [Service]\n')[0]!.slice(0, 2)).toEqual(['kind', 'expected an OpenSLO kind (SLO, SLI, Service, DataSource), got ["Service"]']);
    expect(problemsWithFix('apiVersion: [n9/v1]\n')[0]!.slice(0, 2)).toEqual(['apiVersion', `apiVersion ["n9/v1"] is not a format relia reads: expected ${ACCEPTED}`]);
  });

  it('refuses OpenSLO alert documents by name, accepts Service documents silently', () => {
    const alerts = 'relia generates multiwindow multi-burn-rate alerts itself (relia budget rules)';
    expect(problemsWithFix('apiVersion: openslo/v1\nkind: AlertPolicy\n')).toEqual([['kind', `AlertPolicy documents are not supported: ${alerts}`, 'remove the document from the SLO input']]);
    expect(problemsWithFix('apiVersion: openslo/v1\nkind: AlertCondition\n')[0]![1]).toBe(`AlertCondition documents are not supported: ${alerts}`);
    expect(problemsWithFix('apiVersion: openslo/v1\nkind: AlertNotificationTarget\n')[0]![1]).toBe('AlertNotificationTarget documents are not supported: route the generated alerts with Alertmanager');
    const r = check(`${native()}---\napiVersion: openslo/v1\nkind: Service\nmetadata: {name: checkout}\n---\napiVersion: openslo/v1alpha\nkind: Service\n`);
    expect(r.problems).toEqual([]);
    expect(r.documents).toBe(3);
    expect(r.slos.map((s) => s.id)).toEqual(['checkout/availability']);
  });

  it('says no SLO was found when an input holds only Service documents, and not when something else is wrong', () => {
    expect(checkSpecs([{ file: 's.yaml', text: 'apiVersion: openslo/v1\nkind: Service\nmetadata: {name: s}\n' }]).problems).toEqual([
      { file: 's.yaml', path: '', message: 'no SLO definitions found (only SLI or Service documents)', suggestion: 'add an SLO document' },
    ]);
    expect(problemsWithFix('apiVersion: openslo/v1\nkind: AlertPolicy\n').map((p) => p[0])).toEqual(['kind']);
    expect(checkSpecs([]).problems).toEqual([]);
  });
});

describe('documents: what SpecReport.documents counts', () => {
  // SpecReport and schemas/budget-validate.json: "Non-empty YAML documents read"; docs/budget-specs.md calls each item
  // of a top-level list a document. Counted by hand below.
  it('counts every non-empty document and list item read, refused ones too; not empty documents, nor unreadable ones', () => {
    const r = checkSpecs([
      // 4 documents: an SLO, a foreign format, a scalar, and an empty one after the last --- (not counted): 3
      { file: 'a.yaml', text: `${native()}---\napiVersion: n9/v1alpha\nkind: SLO\n---\n42\n---\n` },
      // one YAML document holding a list of 2 items, one not a spec: 2
      { file: 'b.yaml', text: '- apiVersion: openslo/v1\n  kind: Service\n  metadata: {name: s}\n- hello\n' },
      // a syntax error: nothing read, 0
      { file: 'c.yaml', text: 'a: [1\n' },
    ]);
    expect(r.problems.map((p) => `${p.file} ${p.path}`)).toEqual(['a.yaml documents[1].apiVersion', 'a.yaml documents[2]', 'b.yaml [1]', 'c.yaml ']);
    expect(r.documents).toBe(5);
  });
});

describe('DataSource and SLI documents', () => {
  it('names the missing DataSource field', () => {
    expect(problemsWithFix('apiVersion: openslo/v1\nkind: DataSource\nmetadata: {name: p}\nspec: {}\n')).toEqual([
      ['spec.type', 'required: a DataSource needs metadata.name and spec.type', 'add them, e.g. spec.type: Prometheus'],
    ]);
    expect(problemsWithFix('apiVersion: openslo/v1\nkind: DataSource\nspec: {type: Prometheus}\n')[0]!.slice(0, 2)).toEqual(['metadata.name', 'required: a DataSource needs metadata.name and spec.type']);
  });

  it('reports an SLI name defined twice where the second is, naming the first', () => {
    const sli = `apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: errs}\nspec: {ratioMetric: {counter: true, bad: {metricSource: {type: Prometheus, spec: {query: 'sum(e)'}}}, total: {metricSource: {type: Prometheus, spec: {query: 'sum(t)'}}}}}\n`;
    const r = checkSpecs([
      { file: 'a.yaml', text: `${native()}---\n${sli}` },
      { file: 'b.yaml', text: sli },
    ]);
    expect(r.problems.map((p) => [p.file, p.path, p.message.replace(/ \(line \d+\)$/, ''), p.suggestion])).toEqual([
      ['b.yaml', 'metadata.name', 'duplicate SLI name "errs" (also in a.yaml documents[1])', 'give every SLI document a unique metadata.name'],
    ]);
    expect(checkSpecs([{ file: 'a.yaml', text: sli }, { file: 'b.yaml', text: sli }]).problems[0]!.message).toMatch(/^duplicate SLI name "errs" \(also in a\.yaml\)/);
  });
});

describe('the whole input', () => {
  it('names the first definition of a duplicate SLO with its path', () => {
    const r = checkSpecs([
      { file: 'a.yaml', text: `${native('', { name: 'x' })}---\n${native()}` },
      { file: 'b.yaml', text: native() },
    ]);
    expect(r.slos.map((s) => s.id)).toEqual(['checkout/x', 'checkout/availability']);
    expect(r.problems.map((p) => [p.file, p.path, p.message])).toEqual([['b.yaml', '', 'duplicate SLO checkout/availability: also defined in a.yaml at documents[1]']]);
  });

  it('lists a duplicate SLO in the order of its file, after the problems of earlier files', () => {
    const r = checkSpecs([
      { file: 'a.yaml', text: native() },
      { file: 'b.yaml', text: native('', { name: 'z', objective: '0' }) },
      { file: 'c.yaml', text: native() },
    ]);
    expect(r.problems.map((p) => `${p.file} ${p.path}`)).toEqual(['b.yaml objective', 'c.yaml ']);
  });

  it('refuses an empty top-level list, and a document whose aliases expand too far', () => {
    expect(problemsWithFix('[]\n')).toEqual([['', 'the top-level list holds no documents', 'add an SLO spec to the list, or leave the file out of --slo']]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(problemsWithFix(`${bomb.join('\n')}\n`)).toEqual([['', 'cannot read the document: Excessive alias count indicates a resource exhaustion attack', 'correct the document (see docs/budget-specs.md)']]);
  });

  it('lists problems by file, in input order, whatever their lines', () => {
    const r = checkSpecs([
      { file: 'a.yaml', text: `${native()}---\n${native('', { name: 'b', objective: '0' })}` },
      { file: 'b.yaml', text: native('', { objective: '0' }) },
      { file: 'c.yaml', text: 'nope: 1\n' },
    ]);
    expect(r.problems.map((p) => `${p.file} ${p.path}`)).toEqual(['a.yaml documents[1].objective', 'b.yaml objective', 'c.yaml ']);
  });

  it('hands a single-document policy to the validator as "policy", and keeps its problems in file order', () => {
    const seen: unknown[] = [];
    const r = checkSpecs(
      [
        { file: 'a.yaml', text: native('', { name: 'y', objective: '0' }) },
        { file: 'b.yaml', text: native('policy: {x: 1}\n') },
      ],
      {
        validatePolicy: (data, where) => {
          seen.push(where);
          return [{ file: where.file, path: `${where.path}.x`, message: 'bad x', suggestion: 'fix x' }];
        },
      },
    );
    expect(seen).toEqual([{ file: 'b.yaml', path: 'policy' }]);
    expect(r.problems.map((p) => `${p.file} ${p.path}`)).toEqual(['a.yaml objective', 'b.yaml policy.x']);
  });

  it('reports a YAML syntax error with its line, and no "no documents" for that file', () => {
    expect(problemsWithFix('a: [\nb: 1\n')).toEqual([['', 'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]', 'fix the YAML syntax']]);
    expect(check('a: [\nb: 1\n').problems[0]!.message).toMatch(/\(line 2\)$/);
  });
});

describe('specProblemsError', () => {
  it('heads one problem in the singular and several with their count, and names the first field and file', () => {
    const one = specProblemsError([{ file: 'a.yaml', path: 'objective', message: 'bad', suggestion: 'fix it' }]);
    expect(one.message).toBe('SLO spec problem:\n  a.yaml: objective: bad\n      fix: fix it');
    expect([one.field, one.file, one.exitCode]).toEqual(['objective', 'a.yaml', 2]);
    const two = specProblemsError([
      { path: '', message: 'x' },
      { file: 'b.yaml', path: 'y', message: 'z' },
    ]);
    expect(two.message).toBe('2 SLO spec problems:\n  (document): x\n  b.yaml: y: z');
    expect(two.field).toBeUndefined();
    expect(two.file).toBeUndefined();
  });

  it('loadSpecs throws it for any problem', () => {
    expect(inputError(() => loadSpecs([{ file: 'a.yaml', text: 'apiVersion: openslo/v1\nkind: AlertPolicy\n' }])).message).toMatch(/^SLO spec problem:\n {2}a\.yaml: kind: AlertPolicy documents/);
  });
});
