// relia's native experiment format (docs/chaos.md#native) read into the model the engine runs: every duration in
// milliseconds, default names and titles, each guard type with its path, and every bad duration or guard refused
// with the file, the full field path and the fix. Expected values are worked out by hand from the docs.
import { describe, expect, it } from 'vitest';
import { parseNative } from '../../../../src/core/chaos/native.js';
import { inputError } from '../../../helpers/errors.js';

type Doc = Record<string, unknown>;
const opts = { file: 'exp.yaml', env: {}, vars: {} };
const probe = (over: Doc = {}): Doc => ({ name: 'health', probe: 'http.request', args: { url: 'http://127.0.0.1:8080/health' }, tolerance: 200, ...over });
const doc = (over: Doc = {}): Doc => ({ title: 'checkout stays up', method: [{ pause: '1s' }], ...over });

describe('parseNative reads', () => {
  it('a whole experiment into the model: milliseconds, default names, paths, sources', () => {
    const data = doc({
      description: 'kill one pod',
      tags: ['k8s'],
      steadyState: { probes: [probe({ timeout: '2s', pauses: { before: 0, after: '1.5s' } })], continuous: { every: '10s', failFast: true } },
      method: [{ name: 'kill', action: 'kubernetes.pod-kill', args: { namespace: 'shop' }, background: true, pauses: { after: 30 } }, { pause: 0 }, probe({ name: 'again', tolerance: { type: 'probe', probe: 'process.run', args: { path: 'true' } } })],
      rollbacks: [{ name: 'restart', action: 'process.run', args: { path: 'true' } }],
      guards: [
        { type: 'userImpact', query: 'errors_ratio' },
        { type: 'userImpact', name: 'sampled', probe: { probe: 'http.request', args: { url: 'http://127.0.0.1:8080/' } }, every: '500ms', slowerThan: '250ms', minSamples: 5, warmup: '10s', max: '2%', window: '1m' },
        { type: 'sloBurn', slo: 'slo.yaml', select: 'checkout/availability', maxBurn: 14.4 },
        { type: 'maxDuration', duration: '5m', onError: 'continue' },
        { type: 'alarm', region: 'eu-west-1', alarms: ['api-5xx'] },
      ],
      blastRadius: { maxTargets: 2 },
    });
    const exp = parseNative(data, opts);
    expect(exp).toStrictEqual({
      format: 'relia',
      title: 'checkout stays up',
      description: 'kill one pod',
      tags: ['k8s'],
      steadyState: {
        title: 'checkout stays up',
        probes: [
          {
            kind: 'probe',
            name: 'health',
            type: 'http.request',
            args: { url: 'http://127.0.0.1:8080/health' },
            background: false,
            path: 'steadyState.probes[0]',
            source: { ...probe({ timeout: '2s', pauses: { before: 0, after: '1.5s' } }), background: false },
            timeoutMs: 2000,
            pauses: { before: 0, after: 1500 },
            tolerance: 200,
          },
        ],
        continuous: { everyMs: 10_000, failFast: true },
      },
      method: [
        { kind: 'action', name: 'kill', type: 'kubernetes.pod-kill', args: { namespace: 'shop' }, background: true, path: 'method[0]', source: { name: 'kill', action: 'kubernetes.pod-kill', args: { namespace: 'shop' }, background: true, pauses: { after: 30 } }, pauses: { after: 30_000 } },
        { kind: 'pause', ms: 0, path: 'method[1]' },
        {
          kind: 'probe',
          name: 'again',
          type: 'http.request',
          args: { url: 'http://127.0.0.1:8080/health' },
          background: false,
          path: 'method[2]',
          source: { ...probe({ name: 'again', tolerance: { type: 'probe', probe: 'process.run', args: { path: 'true' } } }), background: false },
          tolerance: { type: 'probe', probe: { kind: 'probe', name: 'process.run', type: 'process.run', args: { path: 'true' }, path: 'method[2].tolerance', source: { type: 'probe', probe: 'process.run', args: { path: 'true' } } } },
        },
      ],
      rollbacks: [{ kind: 'action', name: 'restart', type: 'process.run', args: { path: 'true' }, background: false, path: 'rollbacks[0]', source: { name: 'restart', action: 'process.run', args: { path: 'true' }, background: false } }],
      guards: [
        { type: 'userImpact', name: 'userImpact#1', path: 'guards[0]', onError: 'abort', max: 0.01, windowMs: 30_000, source: { kind: 'prometheus', query: 'errors_ratio' } },
        {
          type: 'userImpact',
          name: 'sampled',
          path: 'guards[1]',
          onError: 'abort',
          max: 0.02,
          windowMs: 60_000,
          source: {
            kind: 'probe',
            probe: { kind: 'probe', name: 'sampled sample', type: 'http.request', args: { url: 'http://127.0.0.1:8080/' }, path: 'guards[1].probe', source: { probe: 'http.request', args: { url: 'http://127.0.0.1:8080/' } } },
            everyMs: 500,
            minSamples: 5,
            warmupMs: 10_000,
            slowerThanMs: 250,
          },
        },
        { type: 'sloBurn', name: 'sloBurn#3', path: 'guards[2]', onError: 'abort', sloFile: 'slo.yaml', maxBurn: 14.4, window: '5m', slo: 'checkout/availability' },
        { type: 'maxDuration', name: 'maxDuration#4', path: 'guards[3]', onError: 'continue', ms: 300_000 },
        { type: 'alarm', name: 'alarm#5', path: 'guards[4]', onError: 'abort', region: 'eu-west-1', alarms: ['api-5xx'] },
      ],
      blastRadius: { maxTargets: 2 },
      secretValues: [],
      raw: data,
    });
  });

  it('the hypothesis title when given; no description, blast radius, pauses, select or slowerThan when not given', () => {
    const exp = parseNative(doc({ steadyState: { title: 'healthy', probes: [probe()] }, guards: [{ type: 'sloBurn', slo: 's.yaml', maxBurn: 2 }, { type: 'userImpact', probe: { probe: 'http.request' } }] }), opts);
    expect(exp.steadyState?.title).toBe('healthy');
    expect(['description' in exp, exp.blastRadius, 'pauses' in (exp.steadyState?.probes[0] ?? {}), 'continuous' in (exp.steadyState ?? {})]).toStrictEqual([false, {}, false, false]);
    expect(parseNative(doc({ method: [{ name: 'a', action: 'x', pauses: { before: '1s' } }] }), opts).method[0]).toMatchObject({ pauses: { before: 1000 } });
    // a zero pause after is allowed, as before; a probe without a tolerance has none
    const zero = parseNative(doc({ method: [{ name: 'p', probe: 'http.request', pauses: { after: 0 } }] }), opts).method[0] as { pauses: object };
    expect([zero.pauses, 'tolerance' in zero]).toStrictEqual([{ after: 0 }, false]);
    expect(Object.keys((parseNative(doc({ method: [{ name: 'a', action: 'x', pauses: { before: '1s' } }] }), opts).method[0] as { pauses: object }).pauses)).toEqual(['before']);
    const [burn, sampled] = exp.guards;
    expect(burn && 'slo' in burn).toBe(false);
    expect(sampled?.type === 'userImpact' && sampled.source.kind === 'probe' ? [sampled.source.everyMs, sampled.source.warmupMs, 'slowerThanMs' in sampled.source] : null).toStrictEqual([1000, 0, false]);
  });

  it('a probe tolerance named as written, or after its probe type', () => {
    const named = parseNative(doc({ steadyState: { probes: [probe({ tolerance: { type: 'probe', name: 'body ok', probe: 'process.run' } })] } }), opts);
    expect(named.steadyState?.probes[0]?.tolerance).toStrictEqual({ type: 'probe', probe: { kind: 'probe', name: 'body ok', type: 'process.run', args: {}, path: 'steadyState.probes[0].tolerance', source: { type: 'probe', name: 'body ok', probe: 'process.run', args: {} } } });
    // the other forms are the tolerance itself
    for (const tolerance of [[200, 'ok'], { type: 'range', range: [0, 1] }, { type: 'jsonpath', path: '$.ok', expect: true }]) {
      expect(parseNative(doc({ steadyState: { probes: [probe({ tolerance })] } }), opts).steadyState?.probes[0]?.tolerance).toStrictEqual(tolerance);
    }
  });

  it('configuration substituted into guards and the continuous interval', () => {
    const exp = parseNative(doc({ configuration: { every: '2s', q: 'errors' }, steadyState: { probes: [probe()], continuous: { every: '${every}' } }, guards: [{ type: 'userImpact', query: '${q}_ratio' }] }), opts);
    expect(exp.steadyState?.continuous).toStrictEqual({ everyMs: 2000, failFast: false });
    expect(exp.guards[0]).toMatchObject({ source: { kind: 'prometheus', query: 'errors_ratio' } });
  });
});

describe('parseNative refuses, naming the file, the field and the fix', () => {
  it.each([
    ['a hypothesis probe', { steadyState: { probes: [probe({ args: { url: '${nope}' } })] } }, 'steadyState.probes[0].args.url'],
    ['the continuous interval', { steadyState: { probes: [probe()], continuous: { every: '${nope}' } } }, 'steadyState.continuous.every'],
    ['a rollback', { rollbacks: [{ name: 'r', action: 'process.run', args: { path: '${nope}' } }] }, 'rollbacks[0].args.path'],
    ['a guard', { guards: [{ type: 'userImpact', query: '${nope}' }] }, 'guards[0].query'],
  ])('an undefined ${name} in %s, at its path', (_where, over, field) => {
    const e = inputError(() => parseNative(doc(over), opts));
    expect([e.field, e.message]).toEqual([field, `exp.yaml: ${field}: \${nope} is not defined in configuration or secrets`]);
  });

  it.each([
    ['a zero timeout', doc({ method: [{ name: 'a', action: 'x', timeout: 0 }] }), 'method[0].timeout'],
    ['a bad pause before', doc({ method: [{ name: 'a', action: 'x', pauses: { before: 'soon' } }] }), 'method[0].pauses.before'],
    ['a bad pause after', doc({ method: [{ name: 'a', action: 'x', pauses: { after: 'later' } }] }), 'method[0].pauses.after'],
    ['a bad pause step', doc({ method: [{ pause: 'a while' }] }), 'method[0].pause'],
    ['a zero continuous interval', doc({ steadyState: { probes: [probe()], continuous: { every: '0s' } } }), 'steadyState.continuous.every'],
    ['a rollback timeout', doc({ rollbacks: [{ name: 'r', action: 'x', timeout: 'never' }] }), 'rollbacks[0].timeout'],
    ['a userImpact max over 100 %', doc({ guards: [{ type: 'userImpact', query: 'q', max: '150%' }] }), 'guards[0].max'],
    ['a userImpact window', doc({ guards: [{ type: 'userImpact', query: 'q', window: 'long' }] }), 'guards[0].window'],
    ['a sampling interval of zero', doc({ guards: [{ type: 'userImpact', probe: { probe: 'http.request' }, every: 0 }] }), 'guards[0].every'],
    ['a warmup', doc({ guards: [{ type: 'userImpact', probe: { probe: 'http.request' }, warmup: 'a bit' }] }), 'guards[0].warmup'],
    ['a slowerThan of zero', doc({ guards: [{ type: 'userImpact', probe: { probe: 'http.request' }, slowerThan: '0ms' }] }), 'guards[0].slowerThan'],
    ['an sloBurn window', doc({ guards: [{ type: 'sloBurn', slo: 's.yaml', maxBurn: 2, window: '5 minutes' }] }), 'guards[0].window'],
    ['a maxDuration of zero', doc({ guards: [{ type: 'maxDuration', duration: '0s' }] }), 'guards[0].duration'],
  ])('%s', (_what, data, field) => {
    const e = inputError(() => parseNative(data, opts));
    expect(e.field).toBe(field);
    expect(e.file).toBe('exp.yaml');
    expect(e.message.startsWith(`exp.yaml: ${field}`)).toBe(true);
    expect(e.suggestions.length).toBeGreaterThan(0);
  });

  it('text seconds without a unit, which only a number may be', () => {
    expect(parseNative(doc({ method: [{ name: 'a', action: 'x', timeout: 5 }] }), opts).method[0]).toMatchObject({ timeoutMs: 5000 });
    expect(inputError(() => parseNative(doc({ method: [{ name: 'a', action: 'x', timeout: '5' }] }), opts)).field).toBe('method[0].timeout');
  });

  it.each([
    ['neither query nor probe', {}],
    ['both query and probe', { query: 'q', probe: { probe: 'http.request' } }],
  ])('a userImpact guard with %s', (_what, over) => {
    const e = inputError(() => parseNative(doc({ guards: [{ type: 'maxDuration', duration: '1m' }, { type: 'userImpact', ...over }] }), opts));
    expect(e.message).toBe('exp.yaml: guards[1]: a userImpact guard needs exactly one of query (Prometheus, returning the bad share 0..1) or probe (relia samples it)');
    expect([e.field, e.file, e.suggestions]).toStrictEqual(['guards[1]', 'exp.yaml', ["add query: 'sum(rate(http_requests_total{code=~\"5..\"}[1m])) / sum(rate(http_requests_total[1m]))'", 'or probe: {probe: http.request, args: {url: ...}}']]);
  });

  it('a shape error with the docs to read', () => {
    const e = inputError(() => parseNative({ title: 't', method: [] }, opts));
    expect(e.field).toBe('method');
    expect(e.suggestions).toContain('see docs/chaos.md for the accepted fields');
  });
});
