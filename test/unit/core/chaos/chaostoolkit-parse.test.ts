// Reading chaostoolkit v1 experiments as others write them (docs/chaos.md#chaostoolkit): what is recognised as one,
// how each tolerance form and pause is read, and every refusal with its path, message and fix. Expected values are
// written from chaostoolkit's format (chaostoolkit-lib, experiment reference), not produced by the code under test.
import { describe, expect, it } from 'vitest';
import { isChaostoolkit, parseChaostoolkit, parseExperiment } from '../../../../src/core/chaos/chaostoolkit.js';
import type { ActivitySpec } from '../../../../src/core/chaos/model.js';
import { inputError } from '../../../helpers/errors.js';

type Doc = Record<string, unknown>;
const opts = { file: 'exp.yaml', env: {}, vars: {} };
const FALLBACK = 'see docs/chaos.md#chaostoolkit for what relia runs';
const http = (name = 'call', over: Doc = {}): Doc => ({ type: 'probe', name, provider: { type: 'http', url: 'http://127.0.0.1:8080/health' }, ...over });
const doc = (over: Doc = {}): Doc => ({ title: 'checkout stays up', method: [http()], ...over });
const activity = (step: unknown): ActivitySpec => {
  if (!step || (step as { kind?: string }).kind === 'pause') throw new Error('expected an activity');
  return step as ActivitySpec;
};
/** The one probe of a hypothesis built around `probe`. */
const hypothesisProbe = (probe: Doc): ActivitySpec => activity(parseChaostoolkit(doc({ 'steady-state-hypothesis': { title: 'ok', probes: [probe] } }), opts).steadyState?.probes[0]);

describe('isChaostoolkit', () => {
  it.each([
    [{ 'steady-state-hypothesis': null, method: [] }, true],
    [{ method: [{ type: 'action', name: 'a', provider: {} }] }, true],
    [{ method: [{ pause: '1s' }, { type: 'probe', provider: { type: 'http' } }] }, true],
    [{ method: [{ type: 'action', name: 'a' }] }, false], // no provider: relia's own format
    [{ method: [{ type: 'pause', provider: {} }] }, false],
    [{ method: [null, 'x', ['action']] }, false],
    [{ method: { type: 'action', provider: {} } }, false],
    [{ title: 't' }, false],
    [null, false],
    [[{ 'steady-state-hypothesis': {} }], false],
    ['steady-state-hypothesis', false],
  ])('%j → %s', (data, expected) => {
    expect(isChaostoolkit(data)).toBe(expected);
  });

  it('parseExperiment sends each format to its reader', () => {
    expect(parseExperiment(doc(), opts).format).toBe('chaostoolkit');
    expect(parseExperiment({ title: 'native', method: [{ pause: '1s' }] }, opts).format).toBe('relia');
  });
});

describe('parseChaostoolkit reads', () => {
  it.each([
    [200, 200],
    [true, true],
    ['ok', 'ok'],
    [[200, 'ok', false], [200, 'ok', false]],
    [{ type: 'range', range: [0, 250] }, { type: 'range', range: [0, 250] }],
    [{ type: 'range', range: [0.5, 1], target: 'body', extra: 1 }, { type: 'range', range: [0.5, 1], target: 'body' }],
    [{ type: 'range', range: [0, 1], target: 7 }, { type: 'range', range: [0, 1] }],
    [{ type: 'regex', pattern: '^v\\d+' }, { type: 'regex', pattern: '^v\\d+' }],
    [{ type: 'regex', pattern: 'up', target: 'stdout' }, { type: 'regex', pattern: 'up', target: 'stdout' }],
    [{ type: 'jsonpath', path: '$.status' }, { type: 'jsonpath', path: '$.status' }],
    [{ type: 'jsonpath', path: '$.items[*].ready', expect: true, count: 3, target: 'body' }, { type: 'jsonpath', path: '$.items[*].ready', target: 'body', expect: true, count: 3 }],
    [{ type: 'jsonpath', path: '$.a', expect: null, count: '3' }, { type: 'jsonpath', path: '$.a', expect: null }],
  ])('the tolerance %j as %j', (tolerance, expected) => {
    expect(hypothesisProbe(http('p', { tolerance })).tolerance).toStrictEqual(expected);
  });

  it('a probe tolerance as a probe activity of its own', () => {
    const t = hypothesisProbe(http('p', { tolerance: { type: 'probe', name: 'inner', provider: { type: 'http', url: 'http://127.0.0.1:9/x' } } })).tolerance;
    expect(t).toMatchObject({ type: 'probe', probe: { kind: 'probe', name: 'inner', type: 'http.request', path: 'steady-state-hypothesis.probes[0].tolerance' } });
  });

  it('pauses in seconds as milliseconds, only the ones given', () => {
    const step = (pauses: unknown) => activity(parseChaostoolkit(doc({ method: [http('a', { pauses })] }), opts).method[0]);
    expect(step({ before: 0, after: 1.5 }).pauses).toStrictEqual({ before: 0, after: 1500 });
    expect(step({ after: 2 }).pauses).toStrictEqual({ after: 2000 });
    expect(step({}).pauses).toStrictEqual({});
    expect('pauses' in step(undefined)).toBe(false);
  });

  it('background only when it is true, and the activity as written as its source', () => {
    const [a, b] = parseChaostoolkit(doc({ method: [http('a', { background: true }), http('b', { background: 'yes' })] }), opts).method.map(activity);
    expect(a?.background).toBe(true);
    expect(b && 'background' in b).toBe(false);
    expect(b?.source).toStrictEqual(http('b', { background: 'yes' }));
  });

  it('the hypothesis title, or the experiment title without one; probes that are not a list as none', () => {
    expect(parseChaostoolkit(doc({ 'steady-state-hypothesis': { title: 'healthy', probes: [] } }), opts).steadyState).toStrictEqual({ title: 'healthy', probes: [] });
    expect(parseChaostoolkit(doc({ 'steady-state-hypothesis': { probes: 'none' } }), opts).steadyState).toStrictEqual({ title: 'checkout stays up', probes: [] });
    expect(parseChaostoolkit(doc(), opts).steadyState).toBeNull();
  });

  it('title, description, tags as text, rollbacks, and the document itself as raw', () => {
    const data = doc({ description: 'kills a pod', tags: ['k8s', 3], rollbacks: [http('undo')] });
    const exp = parseChaostoolkit(data, opts);
    expect([exp.format, exp.title, exp.description, exp.tags, exp.rollbacks.map((r) => r.name), exp.raw]).toStrictEqual(['chaostoolkit', 'checkout stays up', 'kills a pod', ['k8s', '3'], ['undo'], data]);
    const bare = parseChaostoolkit(doc({ description: 5, tags: 'k8s', rollbacks: { name: 'x' } }), opts);
    expect(['description' in bare, bare.tags, bare.rollbacks, bare.guards, bare.blastRadius]).toStrictEqual([false, [], [], [], {}]);
  });

  it('a ref to an earlier activity runs that activity at the place of the ref', () => {
    const exp = parseChaostoolkit(doc({ 'steady-state-hypothesis': { probes: [http('health', { tolerance: 200 })] }, method: [http('first'), { ref: 'health' }, { ref: 'first' }] }), opts);
    expect(exp.method.map((m) => [activity(m).name, activity(m).path, activity(m).type])).toStrictEqual([
      ['first', 'method[0]', 'http.request'],
      ['health', 'method[1]', 'http.request'],
      ['first', 'method[2]', 'http.request'],
    ]);
  });

  it('versions 1, 1.0, 1.0.0 (text or number) and none', () => {
    for (const version of ['1', '1.0', '1.0.0', '1.10', '1.2.33', 1, 1.5, undefined]) expect(parseChaostoolkit(doc({ version }), opts).title).toBe('checkout stays up');
  });

  it('the relia extension wherever it is in the list; one without guards or blast radius adds none', () => {
    const exp = parseChaostoolkit(doc({ extensions: [{ name: 'other', guards: [{ type: 'nope' }] }, { name: 'relia', guards: [{ type: 'maxDuration', duration: '2m' }] }] }), opts);
    expect(exp.guards.map((g) => [g.type, g.path])).toStrictEqual([['maxDuration', 'extensions[1].guards[0]']]);
    expect(exp.blastRadius).toStrictEqual({});
    const empty = parseChaostoolkit(doc({ extensions: [{ name: 'relia' }] }), opts);
    expect([empty.guards, empty.blastRadius]).toStrictEqual([[], {}]);
    expect(parseChaostoolkit(doc({ extensions: { name: 'relia', guards: [{ type: 'maxDuration', duration: '2m' }] } }), opts).guards).toStrictEqual([]);
  });
});

describe('parseChaostoolkit refuses', () => {
  it('a document that is not a mapping', () => {
    for (const data of [null, [], 'title: x']) {
      const e = inputError(() => parseChaostoolkit(data, opts));
      expect([e.message, e.file, e.suggestions]).toStrictEqual(['exp.yaml: expected a chaostoolkit experiment (a mapping)', 'exp.yaml', ['see docs/chaos.md']]);
    }
  });

  const probeWith = (over: Doc): Doc => doc({ 'steady-state-hypothesis': { probes: [http('p', over)] } });
  const step = (a: unknown): Doc => doc({ method: [a] });
  it.each([
    ['no title', doc({ title: undefined }), 'title', 'required: the experiment title', []],
    ['an empty title', doc({ title: '' }), 'title', 'required: the experiment title', []],
    ['version 2', doc({ version: '2.0' }), 'version', 'chaostoolkit format 2.0 is not supported', ['relia runs format 1.x']],
    ['version 11', doc({ version: 11 }), 'version', 'chaostoolkit format 11 is not supported', ['relia runs format 1.x']],
    ['version v1', doc({ version: 'v1' }), 'version', 'chaostoolkit format v1 is not supported', ['relia runs format 1.x']],
    ['version 1.', doc({ version: '1.' }), 'version', 'chaostoolkit format 1. is not supported', ['relia runs format 1.x']],
    ['no method', doc({ method: undefined }), 'method', 'required: a list of activities', []],
    ['an empty method', doc({ method: [] }), 'method', 'required: a list of activities', []],
    ['controls', doc({ controls: [] }), 'controls', 'chaostoolkit controls run Python and are not supported', ['remove controls; relia guards replace safeguards (extensions: [{name: relia, guards: [...]}])']],
    ['an activity that is not a mapping', step('kill'), 'method[0]', 'expected an activity (a mapping with type, name and provider)', []],
    ['a ref to no earlier activity', doc({ method: [{ ref: 'later' }, http('later')] }), 'method[0].ref', 'no earlier activity is named "later"', []],
    ['an unknown activity type', step(http('a', { type: 'pause' })), 'method[0].type', 'expected "action" or "probe", got "pause"', []],
    ['an action in the hypothesis', probeWith({ type: 'action', tolerance: 200 }), 'steady-state-hypothesis.probes[0].type', 'the hypothesis runs probes only', []],
    ['a hypothesis probe without a tolerance', probeWith({}), 'steady-state-hypothesis.probes[0].tolerance', 'required: a hypothesis probe has a tolerance', []],
    ['a hypothesis that is not a mapping', doc({ 'steady-state-hypothesis': ['p'] }), 'steady-state-hypothesis', 'expected {title, probes}', []],
    ['an activity without a name', step(http('a', { name: 7 })), 'method[0].name', 'required: the activity name', []],
    ['an activity without a provider', step(http('a', { provider: 'http' })), 'method[0].provider', 'required: {type: http|process|python, ...}', []],
    ['an http provider without a url', step(http('a', { provider: { type: 'http', url: 8080 } })), 'method[0].provider.url', 'required: the URL', []],
    ['a process provider without a path', step(http('a', { provider: { type: 'process', arguments: ['x'] } })), 'method[0].provider.path', 'required: the executable', []],
    ['an unknown provider type', step(http('a', { provider: { type: 'ssh', host: 'db' } })), 'method[0].provider.type', 'unknown provider type "ssh"', ['use http, process or python']],
    ['a python action used as a probe', step({ type: 'probe', name: 'k', provider: { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods', arguments: { label_selector: 'app=web' } } }), 'method[0].type', 'chaosk8s.pod.actions.terminate_pods is an action', []],
    ['a python probe used as an action', step({ type: 'action', name: 'q', provider: { type: 'python', module: 'chaosprometheus.probes', func: 'query', arguments: { query: 'up' } } }), 'method[0].type', 'chaosprometheus.probes.query is a probe', []],
    ['a list tolerance with a mapping in it', probeWith({ tolerance: [200, { a: 1 }] }), 'steady-state-hypothesis.probes[0].tolerance', 'a list tolerance holds strings, numbers or booleans', []],
    ['a null tolerance', probeWith({ tolerance: null }), 'steady-state-hypothesis.probes[0].tolerance', 'expected a bool, int, string, list or a {type: range|regex|jsonpath|probe} tolerance', []],
    ['a range of one number', probeWith({ tolerance: { type: 'range', range: [1] } }), 'steady-state-hypothesis.probes[0].tolerance.range', 'expected two numbers [min, max]', ['write range: [0, 250]']],
    ['a range of three numbers', probeWith({ tolerance: { type: 'range', range: [1, 2, 3] } }), 'steady-state-hypothesis.probes[0].tolerance.range', 'expected two numbers [min, max]', ['write range: [0, 250]']],
    ['a range from text', probeWith({ tolerance: { type: 'range', range: ['0', 2] } }), 'steady-state-hypothesis.probes[0].tolerance.range', 'expected two numbers [min, max]', ['write range: [0, 250]']],
    ['a range to text', probeWith({ tolerance: { type: 'range', range: [0, '2'] } }), 'steady-state-hypothesis.probes[0].tolerance.range', 'expected two numbers [min, max]', ['write range: [0, 250]']],
    ['a range that is not a list', probeWith({ tolerance: { type: 'range', range: '0-2' } }), 'steady-state-hypothesis.probes[0].tolerance.range', 'expected two numbers [min, max]', ['write range: [0, 250]']],
    ['a regex without a pattern', probeWith({ tolerance: { type: 'regex', target: 'body' } }), 'steady-state-hypothesis.probes[0].tolerance.pattern', 'required: the regular expression', []],
    ['a regex that does not compile', probeWith({ tolerance: { type: 'regex', pattern: '(' } }), 'steady-state-hypothesis.probes[0].tolerance.pattern', 'not a valid regular expression: Invalid regular expression: /(/: Unterminated group', []],
    ['a jsonpath without a path', probeWith({ tolerance: { type: 'jsonpath', expect: 1 } }), 'steady-state-hypothesis.probes[0].tolerance.path', 'required: the JSONPath, e.g. $.status', []],
    ['an unknown tolerance type', probeWith({ tolerance: { type: 'exact', value: 200 } }), 'steady-state-hypothesis.probes[0].tolerance.type', 'unsupported tolerance type "exact"', ['use range, regex, jsonpath or probe']],
    ['pauses that are not a mapping', step(http('a', { pauses: 5 })), 'method[0].pauses', 'expected {before: seconds, after: seconds}', []],
    ['a negative pause before', step(http('a', { pauses: { before: -1 } })), 'method[0].pauses.before', 'expected seconds (a number ≥ 0)', []],
    ['a pause after as text', step(http('a', { pauses: { after: '5' } })), 'method[0].pauses.after', 'expected seconds (a number ≥ 0)', []],
  ])('%s, naming the field and the fix', (_what, data, field, message, suggestions) => {
    const e = inputError(() => parseChaostoolkit(data, opts));
    expect(e.message).toBe(`exp.yaml: ${field}: ${message}`);
    expect([e.field, e.file, e.suggestions]).toStrictEqual([field, 'exp.yaml', [...suggestions, FALLBACK]]);
  });

  it('an unknown python function, naming every supported one', () => {
    const e = inputError(() => parseChaostoolkit(doc({ method: [{ type: 'action', name: 'burn', provider: { type: 'python', module: 'chaosaws.ecs.actions', func: 'stop_task' } }] }), opts));
    expect(e.message).toBe('exp.yaml: method[0].provider: activity "burn": python provider chaosaws.ecs.actions.stop_task is not supported (relia runs no Python)');
    expect(e.suggestions[0]).toBe(
      'relia supports the http and process providers and the python functions chaosaws.asg.actions.terminate_random_instances, chaosaws.ec2.actions.stop_instances, chaosk8s.pod.actions.terminate_pods, chaosprometheus.probes.query; or rewrite it as a native relia activity (relia chaos validate lists the types)',
    );
  });

  it('an undefined ${name} in a tolerance, at the tolerance', () => {
    const e = inputError(() => parseChaostoolkit(doc({ 'steady-state-hypothesis': { probes: [http('p', { tolerance: '${nope}' })] } }), opts));
    expect(e.field).toBe('steady-state-hypothesis.probes[0].tolerance');
  });

  it('a hypothesis probe that cannot be read is one problem, not also "required: a tolerance"', () => {
    const e = inputError(() => parseChaostoolkit(doc({ 'steady-state-hypothesis': { probes: [{ type: 'probe', name: 'p', provider: { type: 'ftp' } }] } }), opts));
    expect(e.message).toBe('exp.yaml: steady-state-hypothesis.probes[0].provider.type: unknown provider type "ftp"');
  });

  it('a bad JSONPath with the reader\'s own reason', () => {
    const e = inputError(() => parseChaostoolkit(doc({ 'steady-state-hypothesis': { probes: [http('p', { tolerance: { type: 'jsonpath', path: 'status' } })] } }), opts));
    expect(e.field).toBe('steady-state-hypothesis.probes[0].tolerance.path');
    expect(e.message).toMatch(/^exp\.yaml: steady-state-hypothesis\.probes\[0\]\.tolerance\.path: \S/);
    expect(e.message).not.toMatch(/required/);
  });

  it('every problem at once, each once, in document order, the first one as the field', () => {
    const e = inputError(() =>
      parseChaostoolkit({ title: '', version: '2', method: [http('a', { pauses: { before: -1, after: -2 } })], rollbacks: [http('r', { provider: { type: 'ftp' } })] }, opts),
    );
    expect(e.message).toBe(
      [
        '5 problems:',
        '  exp.yaml: title: required: the experiment title',
        '  exp.yaml: version: chaostoolkit format 2 is not supported',
        '  exp.yaml: method[0].pauses.before: expected seconds (a number ≥ 0)',
        '  exp.yaml: method[0].pauses.after: expected seconds (a number ≥ 0)',
        '  exp.yaml: rollbacks[0].provider.type: unknown provider type "ftp"',
      ].join('\n'),
    );
    expect([e.field, e.suggestions]).toStrictEqual(['title', ['relia runs format 1.x', 'use http, process or python', FALLBACK]]);
  });
});
