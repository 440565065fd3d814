/**
 * Edges of the native reader (src/core/budget/specs/native.ts) as
 * docs/budget-specs.md "The native format" states them: the objective rule
 * (strictly between 1 and 100, a fraction gets a percent hint), rolling windows
 * of at least 1h in whole seconds, slices of whole seconds, sliceTarget at most
 * 100, field paths in list documents, and one problem per mistake (a field that
 * failed is not reported again as missing). Expected numbers by hand.
 */
import { describe, expect, it } from 'vitest';
import { BAD, TOTAL, check, native, one, problemsWithFix } from './helpers.js';

const TS = (slice: string, target: string) => `budgeting: {method: timeslices, slice: ${slice}, sliceTarget: ${target}}\n`;

describe('objective: a percentage strictly between 1 and 100', () => {
  it('suggests the percent spelling for a number of 1 or less above 0, and not otherwise', () => {
    expect(problemsWithFix(native('', { objective: '0.999' }))).toEqual([
      ['objective', 'expected a percentage above 1 and below 100, got 0.999; relia reads 0.999 as 0.999%, write 99.9 if you meant 99.9%', 'write it in percent, e.g. 99.9'],
    ]);
    expect(problemsWithFix(native('', { objective: '1' }))[0]![2]).toBe('write it in percent, e.g. 100');
    expect(problemsWithFix(native('', { objective: '0' }))).toEqual([
      ['objective', 'expected a percentage above 1 and below 100, got 0', 'write objective as a percentage above 1 and below 100 (see docs/budget-specs.md)'],
    ]);
    expect(problemsWithFix(native('', { objective: '100' }))).toEqual([
      ['objective', 'expected a percentage above 1 and below 100, got 100', 'write objective as a percentage above 1 and below 100 (see docs/budget-specs.md)'],
    ]);
  });

  it('accepts just above 1 and just below 100', () => {
    expect(one(native('', { objective: '1.01' })).objective).toBe(0.0101);
    expect(one(native('', { objective: '99.99' })).objective).toBe(0.9999);
  });

  it('says required when the objective is missing, and what a percentage looks like when it is of another type', () => {
    expect(problemsWithFix(native('', { objective: '' }))).toEqual([['objective', 'required: expected a percentage such as 99.9', 'add objective: a percentage such as 99.9 (see docs/budget-specs.md)']]);
    expect(problemsWithFix(native('', { objective: '[1]' }))[0]!.slice(0, 2)).toEqual(['objective', 'expected a percentage such as 99.9 or "99.9%"']);
  });
});

describe('window: rolling, at least 1h in whole seconds', () => {
  it('accepts exactly 1h and refuses one second less, naming the field and the usual windows', () => {
    expect(one(native('', { window: '1h' })).window).toEqual({ type: 'rolling', seconds: 3600, label: '1h' });
    expect(problemsWithFix(native('', { window: '3599s' }))).toEqual([['window', 'expected a window of at least 1h in whole seconds, got 3599s', 'SLO windows are usually 28d or 30d']]);
  });

  it('refuses a fraction of a second, showing it as written', () => {
    expect(problemsWithFix(native('', { window: '3600.5s' }))).toEqual([['window', 'expected a window of at least 1h in whole seconds, got 3600.5s', 'SLO windows are usually 28d or 30d']]);
  });

  it('names window.rolling in the {rolling: …} spelling, and refuses a zero duration', () => {
    expect(problemsWithFix(native('', { window: '{rolling: 30m}' }))).toEqual([['window.rolling', 'expected a window of at least 1h in whole seconds, got 30m', 'SLO windows are usually 28d or 30d']]);
    expect(problemsWithFix(native('', { window: '0d' }))).toEqual([['window', 'expected a duration above zero such as 28d, got "0d"', 'write a duration such as 28d or 30d']]);
    expect(problemsWithFix(native('', { window: '{rolling: 0d}' }))[0]!.slice(0, 2)).toEqual(['window.rolling', 'expected a duration above zero such as 28d, got "0d"']);
  });
});

describe('timeslice budgeting: whole-second slices, sliceTarget above 1 and at most 100', () => {
  it('accepts a 1s slice and a 100 % target; refuses 0s and 1.5s slices', () => {
    expect(one(native(TS('1s', '95'))).budgeting).toEqual({ method: 'timeslices', sliceSeconds: 1, sliceTarget: 0.95 });
    expect(one(native(TS('1m', '100'))).budgeting).toEqual({ method: 'timeslices', sliceSeconds: 60, sliceTarget: 1 });
    expect(problemsWithFix(native(TS('0s', '95')))).toEqual([['budgeting.slice', 'expected a duration above zero such as 28d, got "0s"', 'write a duration such as 28d or 30d']]);
    expect(problemsWithFix(native(TS('1.5s', '95')))[0]!.slice(0, 2)).toEqual(['budgeting.slice', 'expected a slice of whole seconds, at least 1s, got 1.5s']);
  });

  it('refuses a target above 100, and suggests percent for a fraction-looking number', () => {
    expect(problemsWithFix(native(TS('1m', '101')))[0]!.slice(0, 2)).toEqual(['budgeting.sliceTarget', 'expected a percentage above 1 and at most 100, got 101']);
    expect(problemsWithFix(native(TS('1m', '0.5')))).toEqual([
      ['budgeting.sliceTarget', 'expected a percentage above 1 and at most 100, got 0.5; relia reads 0.5 as 0.5%, write 50 if you meant 50%', 'write it in percent, e.g. 50'],
    ]);
  });

  it('reports a bad budgeting once, not also as a threshold SLI without timeslices', () => {
    const th = `\n  threshold: {query: 'max(x[{{.window}}])', op: lt, value: 1}`;
    expect(problemsWithFix(native('budgeting: events\n', { sli: th })).map((p) => p[0])).toEqual(['budgeting']);
  });
});

describe('one problem per mistake', () => {
  it('a service name that failed is not also reported as missing', () => {
    expect(problemsWithFix(native('', { service: '"-bad"' })).map((p) => p[0])).toEqual(['service']);
  });

  it('a single document (kind: SLO) does not read slos', () => {
    expect(problemsWithFix(native('slos: []\n')).map((p) => p.slice(0, 2))).toEqual([['slos', expect.stringMatching(/^unknown field "slos"/)]]);
  });

  it('alerting without page or ticket enables both tiers, with no labels or annotations', () => {
    expect(one(native('alerting: {name: CheckoutBurn}\n')).alerting).toEqual({
      name: 'CheckoutBurn',
      labels: {},
      annotations: {},
      page: { enabled: true, labels: {}, annotations: {} },
      ticket: { enabled: true, labels: {}, annotations: {} },
    });
    expect(one(native('alerting: {page: {enabled: false}}\n')).alerting).not.toHaveProperty('name');
  });
});

describe('list documents: paths, shared fields', () => {
  const entry = `  - name: availability\n    objective: 99.9\n    window: 30d\n    sli: {bad: '${BAD}', total: '${TOTAL}'}\n`;

  it('names the entry in paths, e.g. a threshold SLI without timeslices at slos[0].sli.threshold', () => {
    const text = `apiVersion: relia/v1\nservice: checkout\nslos:\n  - name: latency\n    objective: 99\n    window: 30d\n    sli: {threshold: {query: 'max(x[{{.window}}])', op: lt, value: 1}}\n`;
    expect(problemsWithFix(text).map((p) => p.slice(0, 2))).toEqual([['slos[0].sli.threshold', 'a threshold SLI needs timeslice budgeting']]);
  });

  it('a bad shared service is reported once, and no entry is read without it', () => {
    const r = check(`apiVersion: relia/v1\nservice: "-bad"\nslos:\n${entry}`);
    expect(r.problems.map((p) => p.path)).toEqual(['service']);
    expect(r.slos).toEqual([]);
  });

  it('bad shared labels: no entry is read', () => {
    const r = check(`apiVersion: relia/v1\nservice: checkout\nlabels: [a]\nslos:\n${entry}`);
    expect(r.problems.map((p) => p.path)).toEqual(['labels']);
    expect(r.slos).toEqual([]);
  });

  it('the source path of an entry holds the document in a multi-document file', () => {
    const r = check(`${native()}---\napiVersion: relia/v1\nservice: search\nslos:\n${entry}`);
    expect(r.problems).toEqual([]);
    expect(r.slos.map((s) => [s.id, s.source.path])).toEqual([
      ['checkout/availability', 'documents[0]'],
      ['search/availability', 'documents[1].slos[0]'],
    ]);
  });
});

describe('each problem names its field and its fix', () => {
  it('SLI queries: good, total and threshold.query', () => {
    expect(problemsWithFix(native('', { sli: `{good: 'sum(a)', total: '${TOTAL}'}` })).map((p) => p[0])).toEqual(['sli.good']);
    const th = `\n  threshold: {query: 'max(x)', op: lt, value: 1}`;
    expect(problemsWithFix(native('budgeting: {method: timeslices, slice: 1m}\n', { sli: th })).map((p) => p[0])).toEqual(['sli.threshold.query']);
  });

  it('threshold and budgeting fixes', () => {
    const th = `\n  threshold: {query: 'max(x[{{.window}}])', op: lt, value: 1}`;
    expect(problemsWithFix(native('', { sli: th }))[0]![2]).toBe('add budgeting: {method: timeslices, slice: 1m}');
    expect(problemsWithFix(native(TS('1m', '95'), { sli: th }))[0]![2]).toBe('remove sliceTarget');
  });

  it('a missing service says where to set it; a text objective out of range says to write percent', () => {
    expect(problemsWithFix('apiVersion: relia/v1\nslos:\n  - {name: a, objective: 99, window: 30d, sli: {errorRatio: "x[{{.window}}]"}}\n')).toEqual([
      ['slos[0].service', 'required: expected a service name such as checkout', 'set service on the SLO or once at the top of the document'],
    ]);
    expect(problemsWithFix(native('', { objective: '"0.5"' }))).toEqual([
      ['objective', 'expected a percentage above 1 and below 100, got "0.5"; relia reads 0.5 as 0.5%, write 50 if you meant 50%', 'write the objective in percent, e.g. objective: 99.9'],
    ]);
  });

  it('annotations that are not a mapping are named as such, not as missing', () => {
    expect(problemsWithFix(native('alerting: {annotations: 3}\n'))).toEqual([
      ['alerting.annotations', 'expected a mapping of annotations, got 3', 'write alerting.annotations as a mapping of annotations (see docs/budget-specs.md)'],
    ]);
    expect(problemsWithFix(native('alerting: {page: {annotations: [a]}}\n')).map((p) => p.slice(0, 2))).toEqual([['alerting.page.annotations', 'expected a mapping of annotations, got a list']]);
  });

  it('alerting tier labels are checked under their tier', () => {
    expect(problemsWithFix(native('alerting: {ticket: {labels: {relia_x: y}}}\n')).map((p) => p[0])).toEqual(['alerting.ticket.labels.relia_x']);
  });

  it('an SLO with any problem is not read, a bad label included', () => {
    const r = check(native('labels: {relia_x: y}\n'));
    expect(r.problems.map((p) => p.path)).toEqual(['labels.relia_x']);
    expect(r.slos).toEqual([]);
  });

  it('optional fields left out are absent from the SLO, not undefined', () => {
    expect(Object.keys(one(native())).sort()).toEqual(['budgeting', 'id', 'labels', 'name', 'objective', 'service', 'sli', 'source', 'window']);
  });
});

describe('list documents: shared labels and an empty list', () => {
  it('shared labels apply without a shared service, and a bad shared label name is named under labels', () => {
    const entry = `  - {name: a, service: s, objective: 99, window: 30d, sli: {errorRatio: 'x[{{.window}}]'}}\n`;
    expect(check(`apiVersion: relia/v1\nlabels: {team: t}\nslos:\n${entry}`).slos.map((s) => [s.id, s.labels])).toEqual([['s/a', { team: 't' }]]);
    expect(problemsWithFix(`apiVersion: relia/v1\nlabels: {bad-key: t}\nslos:\n${entry}`).map((p) => p[0])).toEqual(['labels.bad-key']);
  });

  it('an empty or non-list slos is one problem', () => {
    expect(problemsWithFix('apiVersion: relia/v1\nslos: []\n').map((p) => p.slice(0, 2))).toEqual([['slos', 'expected at least one SLO']]);
    expect(problemsWithFix('apiVersion: relia/v1\nslos: 3\n').map((p) => p.slice(0, 2))).toEqual([['slos', 'expected a list of SLOs, got 3']]);
  });
});

describe('a field that fails its schema: no SLO from the entry', () => {
  it('bad labels on the SLO itself are one problem and the SLO is not read without them', () => {
    const r = check(native('labels: [a]\n'));
    expect(r.problems.map((p) => p.path)).toEqual(['labels']);
    expect(r.slos).toEqual([]);
  });
});
