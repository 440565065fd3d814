// chaostoolkit providers mapped to relia's activities (docs/chaos.md "Providers"), argument by argument, as the
// chaostoolkit, chaosk8s, chaosaws and chaosprometheus docs define them; and the activities of an experiment in run
// order (what validation and the proxy start-up walk).
import { describe, expect, it } from 'vitest';
import { CTK_PYTHON, mapHttp, mapProcess, supportedPython } from '../../../../src/core/chaos/ctk-providers.js';
import { allActivities } from '../../../../src/core/chaos/model.js';
import { parseNative } from '../../../../src/core/chaos/native.js';

const map = (fn: string, args: Record<string, unknown>, config: Record<string, unknown> = {}) => {
  const entry = CTK_PYTHON[fn];
  if (!entry) throw new Error(`no ${fn}`);
  return entry.map(args, config);
};

describe('type: http', () => {
  it.each([
    [{ url: 'http://h/x' }, { url: 'http://h/x', method: 'GET' }],
    [{ url: 'http://h/x', method: 'post', headers: { A: 'b' }, arguments: { q: 1 }, timeout: 3, expected_status: 201 }, { url: 'http://h/x', method: 'POST', headers: { A: 'b' }, arguments: { q: 1 }, timeout: 3, expectStatus: 201 }],
    // a string body; [connect, read] timeouts pass as they are
    [{ url: 'http://h/x', method: 'PUT', arguments: 'raw=1', timeout: [1, 5] }, { url: 'http://h/x', method: 'PUT', body: 'raw=1', timeout: [1, 5] }],
    // neither a mapping nor a string: no arguments and no body; a text timeout is not a timeout
    [{ url: 'http://h/x', method: 7, arguments: ['a'], timeout: '3' }, { url: 'http://h/x', method: 'GET' }],
    [{ url: 'http://h/x', arguments: null }, { url: 'http://h/x', method: 'GET' }],
    [{ url: 'http://h/x', arguments: 5 }, { url: 'http://h/x', method: 'GET' }],
  ])('%j → %j', (provider, args) => {
    expect(mapHttp(provider)).toStrictEqual({ type: 'http.request', args });
  });
});

describe('type: process', () => {
  it.each([
    [{ path: 'echo' }, { path: 'echo' }],
    [{ path: 'echo', arguments: 'a b', timeout: 2 }, { path: 'echo', arguments: 'a b', timeout: 2 }],
    [{ path: 'echo', arguments: ['a', 'b'] }, { path: 'echo', arguments: ['a', 'b'] }],
    // chaostoolkit's mapping form: each key a flag, followed by its value unless empty or null
    [{ path: 'curl', arguments: { '-s': '', '--max-time': 5, '-o': null, '--url': 'http://h' } }, { path: 'curl', arguments: ['-s', '--max-time', '5', '-o', '--url', 'http://h'] }],
    [{ path: 'x', arguments: { '-v': 0, '-n': false } }, { path: 'x', arguments: ['-v', '0', '-n', 'false'] }],
    [{ path: 'x', arguments: null, timeout: { s: 1 } }, { path: 'x', arguments: null }],
  ])('%j → %j', (provider, args) => {
    expect(mapProcess(provider)).toStrictEqual({ type: 'process.run', args });
  });
});

describe('python providers', () => {
  it('lists the supported functions sorted', () => {
    expect(supportedPython()).toEqual(['chaosaws.asg.actions.terminate_random_instances', 'chaosaws.ec2.actions.stop_instances', 'chaosk8s.pod.actions.terminate_pods', 'chaosprometheus.probes.query']);
    expect(Object.fromEntries(Object.entries(CTK_PYTHON).map(([k, v]) => [k, v.kind]))).toEqual({
      'chaosk8s.pod.actions.terminate_pods': 'action',
      'chaosaws.ec2.actions.stop_instances': 'action',
      'chaosaws.asg.actions.terminate_random_instances': 'action',
      'chaosprometheus.probes.query': 'probe',
    });
  });

  it.each([
    [{ label_selector: 'app=web' }, { namespace: 'default', selector: 'app=web', mode: 'one' }],
    [{ label_selector: 'app=web', ns: 'shop', qty: 2 }, { namespace: 'shop', selector: 'app=web', mode: { count: 2 } }],
    [{ label_selector: 'app=web', qty: 30, mode: 'percentage' }, { namespace: 'default', selector: 'app=web', mode: { percent: 30 } }],
    [{ label_selector: 'app=web', qty: 3, mode: 'fixed' }, { namespace: 'default', selector: 'app=web', mode: { count: 3 } }],
    [{ label_selector: 'app=web', qty: '2' }, { namespace: 'default', selector: 'app=web', mode: 'one' }],
    [{ label_selector: 'app=web', all: true, qty: 2 }, { namespace: 'default', selector: 'app=web', mode: 'all' }],
    [{ label_selector: 'app=web', all: 'yes' }, { namespace: 'default', selector: 'app=web', mode: 'one' }],
    [{ label_selector: 'app=web', grace_period: 0 }, { namespace: 'default', selector: 'app=web', mode: 'one', gracePeriod: '0s' }],
    [{ label_selector: 'app=web', grace_period: 1 }, { namespace: 'default', selector: 'app=web', mode: 'one', gracePeriod: '1s' }],
    // chaosk8s' default -1: the pod's own grace period
    [{ label_selector: 'app=web', grace_period: -1 }, { namespace: 'default', selector: 'app=web', mode: 'one' }],
    [{ label_selector: 'app=web', name_pattern: 'web-.*' }, { namespace: 'default', selector: 'app=web', mode: 'one', name_pattern: 'web-.*' }],
  ])('terminate_pods %j → %j', (args, expected) => {
    expect(map('chaosk8s.pod.actions.terminate_pods', args)).toStrictEqual({ type: 'kubernetes.pod-kill', args: expected });
  });

  it.each([
    [{ asg_names: ['web'] }, { aws_region: 'eu-west-1' }, { region: 'eu-west-1', asgNames: ['web'], mode: 'one' }],
    [{ asg_names: ['web'], region: 'us-east-1', az: 'us-east-1a' }, { aws_region: 'eu-west-1' }, { region: 'us-east-1', asgNames: ['web'], mode: 'one', az: 'us-east-1a' }],
    [{ tags: [{ Key: 'team', Value: 'web' }], instance_count: 2 }, {}, { tags: [{ Key: 'team', Value: 'web' }], mode: { count: 2 } }],
    [{ asg_names: ['web'], instance_percent: 50 }, {}, { asgNames: ['web'], mode: { percent: 50 } }],
    [{ asg_names: ['web'], instance_percent: '50' }, {}, { asgNames: ['web'], mode: 'one' }],
    // both: the percent is passed on under its own name, so the strict args refuse the pair (exit 2)
    [{ asg_names: ['web'], instance_count: 1, instance_percent: 50 }, {}, { asgNames: ['web'], mode: { count: 1 }, instance_percent: 50 }],
  ])('terminate_random_instances %j (configuration %j) → %j', (args, config, expected) => {
    expect(map('chaosaws.asg.actions.terminate_random_instances', args, config)).toStrictEqual({ type: 'aws.asg-terminate', args: expected });
  });

  it('stop_instances stops every match, in the configured region unless given one', () => {
    expect(map('chaosaws.ec2.actions.stop_instances', { instance_ids: ['i-1'], force: true }, { aws_region: 'eu-west-1' })).toStrictEqual({ type: 'aws.ec2-stop', args: { region: 'eu-west-1', instanceIds: ['i-1'], force: true, mode: 'all' } });
    expect(map('chaosaws.ec2.actions.stop_instances', { filters: [{ Name: 'tag:app', Values: ['api'] }], az: 'b', region: 'us-east-2' }, { aws_region: 'eu-west-1' })).toStrictEqual({
      type: 'aws.ec2-stop',
      args: { region: 'us-east-2', filters: [{ Name: 'tag:app', Values: ['api'] }], az: 'b', mode: 'all' },
    });
  });

  it('chaosprometheus query', () => {
    expect(map('chaosprometheus.probes.query', { query: 'up', when: '5 minutes ago' })).toStrictEqual({ type: 'prometheus.query', args: { query: 'up', when: '5 minutes ago' } });
    expect(map('chaosprometheus.probes.query', { query: 'up' })).toStrictEqual({ type: 'prometheus.query', args: { query: 'up' } });
  });
});

describe('allActivities', () => {
  it('walks the hypothesis (with probe tolerances), the method without pauses, the rollbacks and the guard samplers, in run order', () => {
    const probe = (name: string, tolerance?: unknown) => ({ name, probe: 'http.request', args: { url: 'http://127.0.0.1/' }, ...(tolerance === undefined ? {} : { tolerance }) });
    const exp = parseNative(
      {
        title: 't',
        steadyState: { probes: [probe('a', { type: 'probe', probe: 'process.run', name: 'a-check' }), probe('b', { type: 'range', range: [0, 1] }), probe('c', [200])] },
        method: [{ pause: '1s' }, { name: 'kill', action: 'process.signal' }, probe('d')],
        rollbacks: [{ name: 'undo', action: 'process.run' }],
        guards: [{ type: 'userImpact', query: 'q' }, { type: 'maxDuration', duration: '1m' }, { type: 'userImpact', name: 'sampled', probe: { probe: 'http.request' } }],
      },
      { file: 'e.yaml', env: {}, vars: {} },
    );
    expect(allActivities(exp).map((a) => `${a.path} ${a.name}`)).toEqual([
      'steadyState.probes[0] a',
      'steadyState.probes[0].tolerance a-check',
      'steadyState.probes[1] b',
      'steadyState.probes[2] c',
      'method[1] kill',
      'method[2] d',
      'rollbacks[0] undo',
      'guards[2].probe sampled sample',
    ]);
  });
});
