import { describe, expect, it } from 'vitest';
import { parseChaostoolkit, parseExperiment } from '../../../../src/core/chaos/chaostoolkit.js';
import { asgTerminate } from '../../../../src/core/chaos/actions/aws.js';
import { podKill } from '../../../../src/core/chaos/actions/kubernetes.js';
import { parseNative } from '../../../../src/core/chaos/native.js';
import { parseWithSchema } from '../../../../src/core/validation.js';
import { checkExperiment, planExperiment } from '../../../../src/core/chaos/validate.js';
import { jsonPath, parseJsonPath, withinTolerance } from '../../../../src/core/chaos/tolerance.js';
import { inputError } from '../../../helpers/errors.js';
import { FakeClock, policy, ports, registry, World } from './world.js';

const opts = { file: 'exp.yaml', env: {}, vars: {} };

const ctk = {
  version: '1.0.0',
  title: 'Service stays up',
  configuration: { base: { type: 'env', key: 'BASE_URL', default: 'http://127.0.0.1:8080' }, wait: 2 },
  secrets: { api: { token: { type: 'env', key: 'API_TOKEN' } } },
  'steady-state-hypothesis': {
    title: 'healthy',
    probes: [
      { type: 'probe', name: 'home', tolerance: 200, provider: { type: 'http', url: '${base}/health', headers: { Authorization: 'Bearer ${token}' }, timeout: 3 } },
      { type: 'probe', name: 'version', tolerance: { type: 'regex', pattern: '^v\\d', target: 'stdout' }, provider: { type: 'process', path: 'cat', arguments: ['VERSION'] } },
    ],
  },
  method: [
    { type: 'action', name: 'kill', provider: { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods', arguments: { label_selector: 'app=web', ns: 'shop', qty: 1, rand: true } }, pauses: { after: 5 } },
    { type: 'probe', name: 'during', background: true, provider: { type: 'http', url: '${base}/', method: 'post', arguments: { a: 1 } } },
    { ref: 'home' },
  ],
  rollbacks: [{ type: 'action', name: 'restart', provider: { type: 'process', path: 'systemctl', arguments: 'restart web' } }],
  extensions: [{ name: 'relia', guards: [{ type: 'maxDuration', duration: '5m' }], blastRadius: { maxTargets: 2 } }],
};

describe('chaostoolkit experiments', () => {
  it('parse unchanged: providers mapped, configuration and secrets substituted, ref, pauses, background, the relia extension', () => {
    const exp = parseExperiment(ctk, { ...opts, env: { API_TOKEN: 'tok-123' } });
    expect(exp.format).toBe('chaostoolkit');
    const [home, version] = exp.steadyState?.probes ?? [];
    expect(home).toMatchObject({ type: 'http.request', args: { url: 'http://127.0.0.1:8080/health', method: 'GET', headers: { Authorization: 'Bearer tok-123' }, timeout: 3 }, tolerance: 200 });
    expect(version).toMatchObject({ type: 'process.run', args: { path: 'cat', arguments: ['VERSION'] }, tolerance: { type: 'regex', target: 'stdout' } });
    expect(exp.method[0]).toMatchObject({ kind: 'action', type: 'kubernetes.pod-kill', args: { namespace: 'shop', selector: 'app=web', mode: { count: 1 } }, pauses: { after: 5000 } });
    expect(exp.method[1]).toMatchObject({ background: true, args: { method: 'POST', arguments: { a: 1 } } });
    expect(exp.method[2]).toMatchObject({ name: 'home', type: 'http.request', path: 'method[2]' });
    expect(exp.rollbacks[0]?.args).toEqual({ path: 'systemctl', arguments: 'restart web' });
    expect(exp.guards[0]).toMatchObject({ type: 'maxDuration', ms: 300_000, path: 'extensions[0].guards[0]' });
    expect(exp.blastRadius.maxTargets).toBe(2);
    expect(exp.secretValues).toEqual(['tok-123']);
  });

  it('chaosaws activities take the region from configuration aws_region; stop_instances stops every match', () => {
    const doc = {
      title: 'ec2',
      configuration: { aws_region: 'eu-west-1' },
      method: [
        { type: 'action', name: 'stop', provider: { type: 'python', module: 'chaosaws.ec2.actions', func: 'stop_instances', arguments: { filters: [{ Name: 'tag:app', Values: ['api'] }] } } },
        { type: 'action', name: 'asg', provider: { type: 'python', module: 'chaosaws.asg.actions', func: 'terminate_random_instances', arguments: { asg_names: ['web'], instance_percent: 50 } } },
      ],
    };
    const exp = parseChaostoolkit(doc, opts);
    expect(exp.method[0]).toMatchObject({ type: 'aws.ec2-stop', args: { region: 'eu-west-1', filters: [{ Name: 'tag:app', Values: ['api'] }], mode: 'all' } });
    expect(exp.method[1]).toMatchObject({ type: 'aws.asg-terminate', args: { region: 'eu-west-1', asgNames: ['web'], mode: { percent: 50 } } });
  });

  it('terminate_pods: qty is a count, or a percent with mode percentage; name_pattern is refused, naming it', () => {
    const pods = (args: Record<string, unknown>) => ({ title: 'pods', method: [{ type: 'action', name: 'kill', provider: { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods', arguments: args } }] });
    const step = (args: Record<string, unknown>) => {
      const s = parseChaostoolkit(pods(args), opts).method[0]!;
      return s.kind === 'pause' ? undefined : parseWithSchema(podKill.args, s.args);
    };
    expect(step({ label_selector: 'app=web', qty: 2 })).toMatchObject({ namespace: 'default', selector: { app: 'web' }, mode: { count: 2 } });
    expect(step({ label_selector: 'app=web', qty: 30, mode: 'percentage', ns: 'shop' })).toMatchObject({ namespace: 'shop', mode: { percent: 30 } });
    expect(step({ label_selector: 'app=web', all: true, grace_period: 5 })).toMatchObject({ mode: 'all', gracePeriod: 5000 });
    expect(inputError(() => step({ label_selector: 'app=web', name_pattern: 'web-.*' })).message).toMatch(/name_pattern/);
  });

  it('terminate_random_instances with tags (chaosaws\' [{Key, Value}]) maps to aws.asg-terminate finding the groups by every tag', () => {
    const doc = {
      title: 'asg by tags',
      configuration: { aws_region: 'us-east-1' },
      method: [{ type: 'action', name: 'kill one', provider: { type: 'python', module: 'chaosaws.asg.actions', func: 'terminate_random_instances', arguments: { tags: [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'staging' }], instance_count: 2 } } }],
    };
    const exp = parseChaostoolkit(doc, opts);
    expect(exp.method[0]).toMatchObject({ type: 'aws.asg-terminate', args: { region: 'us-east-1', tags: [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'staging' }], mode: { count: 2 } } });
    const step = exp.method[0]!;
    expect(step.kind === 'pause' ? undefined : parseWithSchema(asgTerminate.args, step.args)).toMatchObject({ tags: { team: 'web', env: 'staging' }, mode: { count: 2 } });
  });

  it('a missing secret env var is exit 2 naming the field and the variable', () => {
    const e = inputError(() => parseChaostoolkit(ctk, opts));
    expect(e.field).toBe('secrets.api.token');
    expect(e.message).toMatch(/API_TOKEN is not set/);
  });

  it('an unknown python provider is exit 2 naming the activity and what relia supports', () => {
    const doc = { ...ctk, method: [{ type: 'action', name: 'burn cpu', provider: { type: 'python', module: 'chaosaws.ecs.actions', func: 'stop_task', arguments: {} } }] };
    const e = inputError(() => parseChaostoolkit(doc, { ...opts, env: { API_TOKEN: 'x' } }));
    expect(e.field).toBe('method[0].provider');
    expect(e.message).toMatch(/"burn cpu": python provider chaosaws\.ecs\.actions\.stop_task is not supported/);
    expect(e.suggestions.join(' ')).toMatch(/chaosaws\.ec2\.actions\.stop_instances/);
  });

  it('reports every problem with its path', () => {
    const doc = { title: '', 'steady-state-hypothesis': { probes: [{ type: 'probe', name: 'p', provider: { type: 'http' }, tolerance: { type: 'jsonpath', path: '$[?(@.a)]' } }] }, method: [{ type: 'thing' }], controls: [] };
    const e = inputError(() => parseChaostoolkit(doc, opts));
    expect(e.message).toMatch(/title: required/);
    expect(e.message).toMatch(/steady-state-hypothesis\.probes\[0\]\.provider\.url/);
    expect(e.message).toMatch(/method\[0\]\.type/);
    expect(e.message).toMatch(/controls/);
  });
});

describe('native experiments', () => {
  it('bad input: field paths, percent over 100, unknown fields', () => {
    expect(inputError(() => parseNative({ title: 't', method: [{ name: 'x', action: 'a', argz: {} }] }, opts)).message).toMatch(/method\[0\]/);
    const pct = inputError(() => parseNative({ title: 't', method: [{ pause: '1s' }], guards: [{ type: 'userImpact', query: 'x', max: '150%' }] }, opts));
    expect(pct.field).toBe('guards[0].max');
    const g = inputError(() => parseNative({ title: 't', method: [{ pause: '1s' }], guards: [{ type: 'userImpact', max: '2%' }] }, opts));
    expect(g.field).toBe('guards[0]');
    const d = inputError(() => parseNative({ title: 't', method: [{ pause: 'soon' }] }, opts));
    expect(d.field).toBe('method[0].pause');
  });

  it('--var overrides configuration; an undefined ${name} is exit 2', () => {
    const doc = { title: 't', configuration: { n: 5 }, method: [{ name: 'x', action: 'test.latency', args: { ms: '${n}' } }] };
    expect(parseNative(doc, { ...opts, vars: { n: '7' } }).method[0]).toMatchObject({ args: { ms: '7' } });
    expect(parseNative(doc, opts).method[0]).toMatchObject({ args: { ms: 5 } });
    expect(inputError(() => parseNative({ ...doc, configuration: {} }, opts)).message).toMatch(/\$\{n\} is not defined/);
  });

  it('checks activities against the registry: unknown type, wrong kind, bad args (exit 2, field path)', () => {
    const world = new World();
    const reg = registry(world, new FakeClock());
    const exp = parseNative(
      {
        title: 't',
        steadyState: { probes: [{ name: 'p', probe: 'test.latency', tolerance: true }] },
        method: [{ name: 'a', action: 'test.latenzy' }, { name: 'b', action: 'test.latency', args: { ms: 'slow' } }],
      },
      opts,
    );
    const e = inputError(() => checkExperiment(exp, reg, 'exp.yaml'));
    expect(e.message).toMatch(/steadyState\.probes\[0\]: test\.latency is an action, not a probe/);
    expect(e.message).toMatch(/method\[0\]: unknown action type "test\.latenzy"/);
    expect(e.message).toMatch(/method\[1\]\.args\.ms/);
  });

  it('plan enforces blastRadius.maxTargets before anything runs', async () => {
    const world = new World();
    const clock = new FakeClock();
    const reg = registry(world, clock);
    const exp = parseNative({ title: 't', method: [{ name: 'a', action: 'test.latency', args: { ms: 5 } }], blastRadius: { maxTargets: 1 } }, opts);
    const args = checkExperiment(exp, reg, 'exp.yaml');
    const ctx = { ports: ports({}), clock, random: () => 0.5, signal: new AbortController().signal, policy, dryRun: true, log: () => undefined };
    const plan = await planExperiment(exp, reg, args, ctx, 'exp.yaml');
    expect(plan.map((p) => [p.path, p.plan.does])).toEqual([['method[0]', 'add 5 ms']]);
    const two = parseNative({ title: 't', method: [{ name: 'a', action: 'test.latency', args: { ms: 5 } }, { name: 'b', action: 'test.break', args: { value: 'x' } }], blastRadius: { maxTargets: 1 } }, opts);
    await expect(planExperiment(two, reg, checkExperiment(two, reg, 'exp.yaml'), ctx, 'exp.yaml')).rejects.toThrow(/method\[1\]: the method would touch 2 targets, over blastRadius\.maxTargets 1/);
    expect(world.events).toEqual([]);
  });
});

describe('tolerances (chaostoolkit semantics)', () => {
  it('bool, string, int (and the status of a dict), list membership and two-number ranges', () => {
    expect(withinTolerance(true, true)).toBe(true);
    expect(withinTolerance('ok', 'ok')).toBe(true);
    expect(withinTolerance('ok', 'nok')).toBe(false);
    expect(withinTolerance(200, { status: 200, body: 'x' })).toBe(true);
    expect(withinTolerance(0, { status: 1, stdout: '' })).toBe(false);
    expect(withinTolerance([200, 204], { status: 204 })).toBe(true);
    expect(withinTolerance([1, 5], 3)).toBe(true);
    expect(withinTolerance([1, 5], 6)).toBe(false);
    expect(withinTolerance(['a', 'b', 'c'], 'b')).toBe(true);
  });
  it('range, regex (a search) and jsonpath with target, expect and count', () => {
    expect(withinTolerance({ type: 'range', range: [0, 0.5], target: 'body' }, { body: '0.25' })).toBe(true);
    expect(withinTolerance({ type: 'range', range: [0, 0.5] }, 'x')).toBe(false);
    expect(withinTolerance({ type: 'regex', pattern: 'ready', target: 'stdout' }, { stdout: 'all ready now' })).toBe(true);
    const body = '{"pods":[{"name":"a","ready":true},{"name":"b","ready":false}]}';
    expect(withinTolerance({ type: 'jsonpath', path: '$.pods[*].ready', target: 'body', expect: [true, false] }, { body })).toBe(true);
    expect(withinTolerance({ type: 'jsonpath', path: '$.pods[0].name', target: 'body', expect: 'a' }, { body })).toBe(true);
    expect(withinTolerance({ type: 'jsonpath', path: '$..name', target: 'body', count: 2 }, { body })).toBe(true);
    expect(withinTolerance({ type: 'jsonpath', path: '$.missing', target: 'body' }, { body })).toBe(false);
  });
  it('the JSONPath subset', () => {
    const doc = { a: { b: [1, { c: 2 }], 'x y': 3 } };
    expect(jsonPath(parseJsonPath("$.a['x y']"), doc)).toEqual([3]);
    expect(jsonPath(parseJsonPath('$.a.b[-1].c'), doc)).toEqual([2]);
    expect(jsonPath(parseJsonPath('$.a.*'), doc)).toEqual([[1, { c: 2 }], 3]);
    expect(jsonPath(parseJsonPath('$..c'), doc)).toEqual([2]);
    expect(() => parseJsonPath('$.a[1:2]')).toThrow(/unsupported JSONPath/);
    expect(() => parseJsonPath('a.b')).toThrow(/starts with \$/);
  });
});
