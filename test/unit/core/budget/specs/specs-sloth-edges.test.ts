/**
 * Sloth specs, the edges sloth.test.ts leaves open: the Kubernetes resource's
 * camelCase field names in problems and fixes, the fix of every Sloth-specific
 * refusal, the objective's bounds (percent, strictly between 0 and 100), which
 * problems drop one SLO and which drop the whole spec, and where each SLO was
 * read from (`source.path`). Source: docs/budget-specs.md "Sloth
 * (`prometheus/v1` and `PrometheusServiceLevel`)" and "Problems are reported all
 * at once".
 */
import { describe, expect, it } from 'vitest';
import { BAD, TOTAL, check, one, problemsWithFix as problems } from './helpers.js';

const EVENTS = `{events: {error_query: '${BAD}', total_query: '${TOTAL}'}}`;
const EVENTS_K8S = `{events: {errorQuery: '${BAD}', totalQuery: '${TOTAL}'}}`;

/** A prometheus/v1 file; `slo` holds the fields of its one SLO. */
const file = (slo = `name: availability, objective: 99.9, sli: ${EVENTS}`, top = '') => `version: prometheus/v1\nservice: checkout\n${top}slos:\n  - {${slo}}\n`;

/** A sloth.slok.dev/v1 PrometheusServiceLevel; `slo` holds the fields of its one SLO. */
const resource = (slo = `name: availability, objective: 99.9, sli: ${EVENTS_K8S}`, top = '') =>
  `apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata: {name: checkout}\nspec:\n  service: checkout\n${top}  slos:\n    - {${slo}}\n`;

describe('Sloth: the Kubernetes resource names its camelCase fields', () => {
  it('reads errorQuery/totalQuery and errorRatioQuery, and maps the resource like the file', () => {
    const k8s = one(resource());
    expect(k8s).toMatchObject({ id: 'checkout/availability', objective: 0.999, sli: { type: 'ratio', bad: BAD, total: TOTAL }, source: { path: 'spec.slos[0]', format: 'sloth' } });
    expect(one(resource(`name: a, objective: 99, sli: {raw: {errorRatioQuery: 'r[{{.window}}]'}}`)).sli).toEqual({ type: 'error-ratio', query: 'r[{{.window}}]' });
  });

  it('says which query is missing, and how to write an SLI, in the resource’s spelling', () => {
    expect(problems(resource('name: a, objective: 99, sli: {}'))).toEqual([
      ['spec.slos[0].sli', 'required: expected events (errorQuery, totalQuery) or raw (errorRatioQuery)', 'add sli.events or sli.raw'],
    ]);
    expect(problems(resource(`name: a, objective: 99, sli: {events: {errorQuery: 'e[{{.window}}]'}}`))).toEqual([
      ['spec.slos[0].sli.events.totalQuery', 'required: expected a PromQL query holding {{.window}}', 'add spec.slos[0].sli.events.totalQuery: a PromQL query holding {{.window}} (see docs/budget-specs.md)'],
    ]);
    expect(problems(resource(`name: a, objective: 99, sli: {raw: {errorRatioQuery: 'r[5m]'}}`))[0]!.slice(0, 2)).toEqual([
      'spec.slos[0].sli.raw.errorRatioQuery',
      'the query has no {{.window}} placeholder: relia evaluates it over several windows (5m … 30d)',
    ]);
    expect(problems(resource('name: a, objective: 99, sli: {plugin: {id: sloth-common/availability}}'))).toEqual([
      ['spec.slos[0].sli.plugin', 'Sloth SLI plugins are not supported: relia cannot run them', 'write the SLI as events (errorQuery/totalQuery) or raw (errorRatioQuery)'],
    ]);
  });

  it('refuses sloPlugins and a snake_case field in the resource', () => {
    expect(problems(resource(undefined, '  sloPlugins: {chain: []}\n'))).toEqual([
      ['spec.sloPlugins', 'Sloth SLO plugins are not supported: relia cannot run them', "remove sloPlugins; relia's rules are generated from the SLI and objective alone"],
    ]);
    expect(problems(resource(undefined, '  slo_plugins: {chain: []}\n'))[0]!.slice(0, 2)).toEqual(['spec.slo_plugins', 'unknown field "slo_plugins" (did you mean "sloPlugins"?)']);
  });

  it('names pageAlert/ticketAlert in the paths of their problems, and reads disable from them', () => {
    const bad = (alerting: string) => problems(resource(`name: a, objective: 99, sli: ${EVENTS_K8S}, alerting: ${alerting}`)).map((p) => p.slice(0, 2));
    expect(bad('{pageAlert: {labels: {bad-name: x}}, ticketAlert: {labels: {9x: y}}}')).toEqual([
      ['spec.slos[0].alerting.pageAlert.labels.bad-name', '"bad-name" is not a Prometheus label name (letters, digits and _, not starting with a digit)'],
      ['spec.slos[0].alerting.ticketAlert.labels["9x"]', '"9x" is not a Prometheus label name (letters, digits and _, not starting with a digit)'],
    ]);
    expect(bad('{ticketAlert: {disable: yes}}')).toEqual([['spec.slos[0].alerting.ticketAlert.disable', 'expected true or false, got "yes"']]);
    const a = one(resource(`name: a, objective: 99, sli: ${EVENTS_K8S}, alerting: {pageAlert: {disable: true}, ticketAlert: {labels: {severity: slack}}}`)).alerting!;
    expect([a.page.enabled, a.ticket.enabled, a.ticket.labels]).toEqual([false, true, { severity: 'slack' }]);
  });

  it('reads the resource’s spec only: a missing or non-mapping spec is one problem and no SLO', () => {
    const r = check('apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata: {name: x}\nspec: [1]\n');
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([['spec', 'expected a mapping (the service level spec), got a list']]);
    expect(r.slos).toEqual([]);
  });
});

describe('Sloth: refusals and their fixes', () => {
  it('an SLI with two forms, or a plugin next to a query form: "exactly one", keep one of them', () => {
    expect(problems(file(`name: a, objective: 99, sli: {events: {error_query: 'a[{{.window}}]', total_query: 'b[{{.window}}]'}, raw: {error_ratio_query: 'c[{{.window}}]'}}`))).toEqual([
      ['slos[0].sli', 'expected exactly one of events, raw or plugin', 'keep one of them'],
    ]);
    expect(problems(file(`name: a, objective: 99, sli: {raw: {error_ratio_query: 'c[{{.window}}]'}, plugin: {id: x}}`))).toEqual([
      ['slos[0].sli.plugin', 'Sloth SLI plugins are not supported: relia cannot run them', 'write the SLI as events (error_query/total_query) or raw (error_ratio_query)'],
      ['slos[0].sli', 'expected exactly one of events, raw or plugin', 'keep one of them'],
    ]);
    expect(problems(file('name: a, objective: 99, sli: {}'))).toEqual([['slos[0].sli', 'required: expected events (error_query, total_query) or raw (error_ratio_query)', 'add sli.events or sli.raw']]);
  });

  it('an events SLI with a broken error_query gives no SLO, even when total_query is fine (and the reverse)', () => {
    const bad = (e: string, t: string) => check(file(`name: a, objective: 99, sli: {events: {error_query: '${e}', total_query: '${t}'}}`));
    for (const r of [bad('e[5m]', 't[{{.window}}]'), bad('e[{{.window}}]', 't[5m]')]) {
      expect(r.problems.map((p) => p.path)).toHaveLength(1);
      expect(r.slos).toEqual([]);
    }
  });

  it('the plugins fixes say what to remove', () => {
    expect(problems(file(`name: a, objective: 99, sli: ${EVENTS}, plugins: {chain: []}`))).toEqual([
      ['slos[0].plugins', 'Sloth SLO plugins are not supported: relia cannot run them', "remove plugins; relia's rules are generated from the SLI and objective alone"],
    ]);
    expect(problems(file(undefined, 'slo_plugins: {chain: []}\n'))).toEqual([
      ['slo_plugins', 'Sloth SLO plugins are not supported: relia cannot run them', "remove slo_plugins; relia's rules are generated from the SLI and objective alone"],
    ]);
  });

  it('an SLO that is not a mapping is a problem naming the item, with a fix', () => {
    const r = check('version: prometheus/v1\nservice: s\nslos:\n  - 3\n  - [a]\n');
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, ''), p.suggestion])).toEqual([
      ['slos[0]', 'expected a mapping (one SLO), got 3', 'write each SLO as a mapping with name, objective and sli'],
      ['slos[1]', 'expected a mapping (one SLO), got a list', 'write each SLO as a mapping with name, objective and sli'],
    ]);
  });
});

describe('Sloth: the objective is a percent strictly between 0 and 100', () => {
  const objective = (o: string) => check(file(`name: a, objective: ${o}, sli: ${EVENTS}`));

  it('0 and 100 are refused, each with its own fix; just inside both bounds is accepted', () => {
    const zero = objective('0');
    expect(zero.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, ''), p.suggestion])).toEqual([
      ['slos[0].objective', 'expected an objective in percent above 0 and below 100, got 0', 'write the objective in percent, e.g. 99.9'],
    ]);
    expect(zero.slos).toEqual([]);
    expect(objective('100').slos).toEqual([]);
    expect(objective('0.001').slos.map((s) => s.objective)).toEqual([0.00001]);
    expect(objective('99.999').slos.map((s) => s.objective)).toEqual([0.99999]);
  });

  it('an objective that is not a number is one problem, not also an out-of-range one', () => {
    expect(problems(file(`name: a, objective: "99.9", sli: ${EVENTS}`))).toEqual([
      ['slos[0].objective', 'expected an objective in percent such as 99.9, got "99.9"', 'write slos[0].objective as an objective in percent such as 99.9 (see docs/budget-specs.md)'],
    ]);
    expect(problems(file(`name: a, sli: ${EVENTS}`)).map((p) => p.slice(0, 2))).toEqual([['slos[0].objective', 'required: expected an objective in percent such as 99.9']]);
  });
});

describe('Sloth: a problem drops its SLO, a problem of the spec drops them all', () => {
  it('a bad field of one SLO (description, labels) drops that SLO only', () => {
    const r = check(`version: prometheus/v1\nservice: s\nslos:\n  - {name: a, objective: 99, description: 3, sli: ${EVENTS}}\n  - {name: b, objective: 99, labels: {bad-name: x}, sli: ${EVENTS}}\n  - {name: c, objective: 99, sli: ${EVENTS}}\n`);
    expect(r.problems.map((p) => p.path)).toEqual(['slos[0].description', 'slos[1].labels.bad-name']);
    expect(r.slos.map((s) => s.id)).toEqual(['s/c']);
  });

  it('a bad shared field that is not a label name (labels not a mapping) drops every SLO', () => {
    const r = check(file(undefined, 'labels: 3\n'));
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([['labels', 'expected a mapping of labels, got 3']]);
    expect(r.slos).toEqual([]);
  });

  it('a file without slos is one problem (no SLO item is judged)', () => {
    const r = check('version: prometheus/v1\nservice: s\n');
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([['slos', 'required: expected a list of SLOs']]);
    expect(r.slos).toEqual([]);
  });

  it('a total_query that fails its check is reported at events.total_query', () => {
    const r = check(file(`name: a, objective: 99, sli: {events: {error_query: '${BAD}', total_query: 't[5m]'}}`));
    expect(r.problems.map((p) => [p.path, p.message.replace(/ \(line \d+\)$/, '')])).toEqual([
      ['slos[0].sli.events.total_query', 'the query has no {{.window}} placeholder: relia evaluates it over several windows (5m … 30d)'],
    ]);
  });

  it('an SLO without a description or alerting section has neither key', () => {
    const s = one(file());
    expect('description' in s).toBe(false);
    expect('alerting' in s).toBe(false);
  });
});

describe('Sloth: where each SLO was read from', () => {
  it('source.path is slos[i], under documents[N] in a multi-document file', () => {
    const r = check(`${file()}---\n${file(`name: b, objective: 99, sli: ${EVENTS}`).replace('service: checkout', 'service: other')}`);
    expect(r.problems).toEqual([]);
    expect(r.slos.map((s) => [s.id, s.source.path])).toEqual([
      ['checkout/availability', 'documents[0].slos[0]'],
      ['other/b', 'documents[1].slos[0]'],
    ]);
  });
});
