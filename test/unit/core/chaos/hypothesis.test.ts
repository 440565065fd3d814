/**
 * The hypothesis during the method (chaostoolkit's `continuously` strategy:
 * journal `steady_states.during`) on the virtual clock, and `probe`
 * tolerances that receive the measured value as the argument `value`
 * (chaostoolkit's within_tolerance sets provider.arguments.value).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultRegistry } from '../../../../src/core/chaos/actions/index.js';
import { ActivityRegistry } from '../../../../src/core/chaos/activity.js';
import { parseChaostoolkit } from '../../../../src/core/chaos/chaostoolkit.js';
import { runExperiment } from '../../../../src/core/chaos/engine.js';
import { checkHypothesis, type HypothesisDeps, isProbeTolerance, toleranceProbeMet } from '../../../../src/core/chaos/hypothesis.js';
import type { ActivityRun, SteadyState } from '../../../../src/core/chaos/journal.js';
import type { ActivitySpec, Tolerance } from '../../../../src/core/chaos/model.js';
import { parseNative } from '../../../../src/core/chaos/native.js';
import { checkExperiment } from '../../../../src/core/chaos/validate.js';
import { MemoryHttp } from '../../../fakes/memory-http.js';
import { MemoryProcess } from '../../../fakes/memory-process.js';
import { inputError, rejection } from '../../../helpers/errors.js';
import { FakeClock, options, ports, World } from './world.js';

const parse = (doc: Record<string, unknown>) => parseNative({ title: 't', ...doc }, { file: 'exp.yaml', env: {}, vars: {} });
const probes = [{ name: 'value ok', probe: 'test.value', tolerance: 'ok' }];

/** chaostoolkit's run shape: every field its tools read, ISO timestamps, seconds. */
function expectCtkRun(r: ActivityRun): void {
  expect(Object.keys(r).sort()).toEqual(['activity', 'duration', 'end', 'output', 'start', 'status', 'tolerance_met']);
  expect(r.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(Date.parse(r.end)).toBeGreaterThanOrEqual(Date.parse(r.start));
  expect(typeof r.duration).toBe('number');
}

function expectCtkState(s: SteadyState): void {
  expect(Object.keys(s).sort()).toEqual(['probes', 'steady_state_met']);
  expect(s.probes.length).toBeGreaterThan(0);
  for (const r of s.probes) expectCtkRun(r);
}

describe('steady_states.during: the hypothesis checked during the method', () => {
  it('every `every` while the method runs: met before the fault, not met after it; without failFast the method runs to its end', async () => {
    const world = new World();
    const clock = new FakeClock();
    const start = clock.now();
    const exp = parse({
      steadyState: { probes, continuous: { every: '500ms' } },
      method: [{ pause: '1200ms' }, { name: 'break', action: 'test.break', args: { value: 'broken' } }, { pause: '1s' }],
    });
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock));
    const during = journal.steady_states.during;
    // checks at 0, 500, 1000 (met), then 1500, 2000 (not met); the one at 2500 would start after the method's end at 2200
    expect(during.map((s) => s.steady_state_met)).toEqual([true, true, true, false, false]);
    for (const s of during) expectCtkState(s);
    expect(during.map((s) => Date.parse(s.probes[0]?.start ?? '') - start)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(during[3]?.probes[0]).toMatchObject({ output: 'broken', tolerance_met: false, status: 'succeeded' });
    // chaostoolkit: the continuous check records; only the hypothesis after the method decides `deviated`
    expect(journal.run).toHaveLength(1);
    expect(journal.steady_states.after?.steady_state_met).toBe(false);
    expect(journal.deviated).toBe(true);
    expect(exitCode).toBe(1);
    expect(world.value).toBe('ok');
  });

  it('a steady state that holds throughout: every during entry met, exit 0', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({ steadyState: { probes, continuous: { every: '1s' } }, method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }, { pause: '3500ms' }] });
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(0);
    expect(journal.steady_states.during).toHaveLength(4);
    expect(journal.steady_states.during.every((s) => s.steady_state_met)).toBe(true);
  });

  it('failFast: the first check not met stops the method; rolled back, deviated, status failed, exit 1', async () => {
    const world = new World();
    const clock = new FakeClock();
    const start = clock.now();
    const exp = parse({
      steadyState: { probes, continuous: { every: '250ms', failFast: true } },
      method: [{ name: 'break', action: 'test.break', args: { value: 'broken' } }, { pause: '60s' }],
      rollbacks: [{ name: 'restore', action: 'test.restore', args: { note: 'file' } }],
    });
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(1);
    expect(journal.status).toBe('failed');
    expect(journal.deviated).toBe(true);
    expect(journal.relia.abort).toMatchObject({ by: 'hypothesis', what: 'value ok' });
    expect(journal.relia.reason).toMatch(/deviated during the method: value ok was not within its tolerance \(fail fast\); rolled back/);
    // the 60 s pause was cut within one check interval, and the hypothesis after the method was not run
    expect(clock.now() - start).toBeLessThanOrEqual(250);
    expect(journal.steady_states.after).toBeNull();
    expect(journal.steady_states.during.at(-1)?.steady_state_met).toBe(false);
    expect(world.events).toEqual(['set value broken', 'restore value ok', 'rollback file']);
  });

  it('no continuous check asked for: during stays empty (as chaostoolkit with its default strategy)', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({ steadyState: { probes }, method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }, { pause: '2s' }] });
    const { journal } = await runExperiment(exp, options(exp, world, clock));
    expect(journal.steady_states.during).toEqual([]);
  });

  it('a bad `every` is exit 2 naming steadyState.continuous.every', () => {
    const e = inputError(() => parse({ steadyState: { probes, continuous: { every: 'soon' } }, method: [{ pause: '1s' }] }));
    expect(e.field).toBe('steadyState.continuous.every');
  });
});

describe('probe tolerances receive the value', () => {
  const ctk = (tolerance: Record<string, unknown> | null) =>
    parseChaostoolkit(
      {
        version: '1.0.0',
        title: 'latency stays low',
        description: 'x',
        'steady-state-hypothesis': {
          title: 'fast',
          probes: [{ type: 'probe', name: 'api', tolerance, provider: { type: 'http', url: 'http://127.0.0.1:8080/health' } }],
        },
        method: [{ type: 'probe', name: 'noop', provider: { type: 'http', url: 'http://127.0.0.1:8080/health' } }],
      },
      { file: 'ctk.json', env: {}, vars: {} },
    );

  it('process: the value is appended as `value <json>` to the arguments mapping; exit 0 is met, any other code is not', async () => {
    const seen: string[][] = [];
    let okExit = 0;
    const proc = new MemoryProcess((_file, argv) => {
      seen.push(argv);
      return { exitCode: okExit };
    });
    const exp = ctk({ type: 'probe', name: 'check-latency', provider: { type: 'process', path: 'check-latency', arguments: { '--max-ms': 200 } } });
    const registry = defaultRegistry();
    const http = new MemoryHttp(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"up":true}' }));
    const world = new World();
    const run = () => runExperiment(exp, options(exp, world, new FakeClock(), { registry, args: checkExperiment(exp, registry, 'ctk.json'), ports: ports({ http, process: proc }) }));
    const held = await run();
    expect(held.exitCode).toBe(0);
    const [argv] = seen;
    expect(argv?.slice(0, 3)).toEqual(['--max-ms', '200', 'value']);
    expect(JSON.parse(argv?.[3] ?? '')).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: { up: true }, latencyMs: 0 });
    // an exit code of 1 was counted as met before (1 < 400): it is not within tolerance
    okExit = 1;
    const failed = await run();
    expect(failed.exitCode).toBe(1);
    expect(failed.journal.steady_states.before?.probes[0]?.tolerance_met).toBe(false);
  });

  it('http: GET sends the value as the query parameter `value`; POST as a field of the JSON body; a status under 400 is met', async () => {
    const urls: string[] = [];
    const bodies: unknown[] = [];
    const http = new MemoryHttp((req) => {
      if (req.path === '/health') return { status: 200, body: 'fine' };
      urls.push(req.url);
      if (typeof req.body === 'string') bodies.push(JSON.parse(req.body));
      return { status: req.path === '/judge-bad' ? 422 : 204 };
    });
    const registry = defaultRegistry();
    const world = new World();
    const run = async (tolerance: Record<string, unknown>) => {
      const exp = ctk(tolerance);
      return runExperiment(exp, options(exp, world, new FakeClock(), { registry, args: checkExperiment(exp, registry, 'ctk.json'), ports: ports({ http }) }));
    };
    const get = await run({ type: 'probe', name: 'judge', provider: { type: 'http', url: 'http://127.0.0.1:9000/judge', arguments: { max: 200 } } });
    expect(get.exitCode).toBe(0);
    const u = new URL(urls[0] ?? '');
    expect(u.searchParams.get('max')).toBe('200');
    expect(JSON.parse(u.searchParams.get('value') ?? '')).toMatchObject({ status: 200, body: 'fine' });
    const post = await run({ type: 'probe', name: 'judge', provider: { type: 'http', method: 'POST', url: 'http://127.0.0.1:9000/judge-bad' } });
    expect(bodies[0]).toMatchObject({ value: { status: 200, body: 'fine' } });
    expect(post.exitCode).toBe(1);
    expect(post.journal.steady_states.before?.probes[0]?.tolerance_met).toBe(false);
  });

  it('native: `{type: probe}` with args gets `value` too; a probe type that cannot take a value is exit 2 at validation', () => {
    const registry = defaultRegistry();
    const exp = parse({
      steadyState: { probes: [{ name: 'api', probe: 'http.request', args: { url: 'http://127.0.0.1:1/x' }, tolerance: { type: 'probe', probe: 'prometheus.query', args: { query: 'up' } } }] },
      method: [{ pause: '1s' }],
    });
    const e = inputError(() => checkExperiment(exp, registry, 'exp.yaml'));
    expect(e.message).toMatch(/prometheus\.query cannot be a tolerance probe: it does not take the measured value/);
    expect(e.message).toMatch(/steadyState\.probes\[0\]\.tolerance/);
    expect(e.suggestions.join(' ')).toMatch(/http\.request, process\.run/);
  });

  it('what counts as met: true, exit code 0, HTTP 1xx-3xx; not: false, exit 1..255, HTTP 4xx/5xx, null (killed), no output, a status that is text', () => {
    const met = [true, { status: 0 }, { status: 100 }, { status: 200 }, { status: 302 }, { status: 399 }];
    expect(met.map(toleranceProbeMet)).toEqual(met.map(() => true));
    const notMet = [false, { status: 1 }, { status: 99 }, { status: 400 }, { status: 404 }, { status: 503 }, { status: null }, { status: '200' }, {}, 'yes', null, undefined];
    expect(notMet.map(toleranceProbeMet)).toEqual(notMet.map(() => false));
  });

  it('only `{type: probe}` is a probe tolerance; no tolerance at all (a native probe may leave it out) is none', () => {
    const probe: Tolerance = { type: 'probe', probe: { kind: 'probe', name: 'judge', type: 'http.request', args: {}, path: 'p', source: {} } };
    const others: (Tolerance | undefined)[] = [undefined, true, 200, 'probe', [200, 204], { type: 'range', range: [0, 1] }, { type: 'regex', pattern: 'probe' }, { type: 'jsonpath', path: '$.type' }];
    expect(isProbeTolerance(probe)).toBe(true);
    expect(others.map(isProbeTolerance)).toEqual(others.map(() => false));
  });

  it('a null tolerance never gets that far: exit 2 when the file is read, in both formats', () => {
    const native = inputError(() => parse({ steadyState: { probes: [{ name: 'api', probe: 'test.value', tolerance: null }] }, method: [{ pause: '1s' }] }));
    expect(native.message).toMatch(/steadyState\.probes\[0\]\.tolerance/);
    const fromCtk = inputError(() => ctk(null));
    expect(fromCtk.message).toMatch(/steady-state-hypothesis\.probes\[0\]\.tolerance: expected a bool, int, string, list or a \{type: range\|regex\|jsonpath\|probe\} tolerance/);
  });
});

describe('checkHypothesis: one check, every probe within its tolerance, the first failure ends it', () => {
  const noop = { summary: 'test', args: z.unknown(), plan: async () => ({ targets: [], does: 'read', undo: 'nothing to undo' }), run: async () => null };
  // `judge` can be a tolerance probe (it takes the measured value), `metric` cannot
  const registry = new ActivityRegistry().addProbe({ ...noop, type: 'judge', withValue: (_args: unknown, value: unknown) => ({ value }) }).addProbe({ ...noop, type: 'metric' });
  const probe = (name: string, type: string, tolerance?: Tolerance): ActivitySpec => ({ kind: 'probe', name, type, args: {}, path: `steadyState.probes.${name}`, source: { name }, ...(tolerance === undefined ? {} : { tolerance }) });
  const judged = (type: string): Tolerance => ({ type: 'probe', probe: probe('judge', type) });

  /** Each probe answers what `answers` says for its name; `ran` records the names and the arguments they were given. */
  function world(answers: Record<string, { output?: unknown; error?: unknown; then?: () => void }>) {
    const ran: { name: string; args: unknown }[] = [];
    const deps: HypothesisDeps = {
      registry,
      args: new Map(),
      exec: async (a, _signal, args) => {
        ran.push({ name: a.name, args });
        const answer = answers[a.name] ?? {};
        answer.then?.();
        const run: ActivityRun = { activity: a.source, status: answer.error === undefined ? 'succeeded' : 'failed', output: answer.output, start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:00:00.000Z', duration: 0 };
        return answer.error === undefined ? { run } : { run, error: answer.error };
      },
    };
    return { ran, deps };
  }
  const live = () => new AbortController().signal;

  it('a probe without a tolerance is met when it completes', async () => {
    const { deps } = world({ up: { output: 'anything' }, value: { output: 'ok' } });
    const { state, error } = await checkHypothesis([probe('up', 'metric'), probe('value', 'metric', 'ok')], deps, live());
    expect(error).toBeUndefined();
    expect(state.steady_state_met).toBe(true);
    expect(state.probes.map((r) => r.tolerance_met)).toEqual([true, true]);
  });

  it('a probe that fails is not within tolerance: not met, its error returned, the probes after it not run', async () => {
    const boom = new Error('connection refused');
    const { deps, ran } = world({ first: { output: { status: 200 }, error: boom } });
    const { state, error } = await checkHypothesis([probe('first', 'metric', 200), probe('second', 'metric', 200)], deps, live());
    expect(error).toBe(boom);
    expect(state.steady_state_met).toBe(false);
    expect(state.probes.map((r) => r.tolerance_met)).toEqual([false]);
    expect(ran.map((r) => r.name)).toEqual(['first']);
  });

  it('cancelled between probes: the signal\'s reason is thrown and no further probe runs', async () => {
    const stop = new AbortController();
    const { deps, ran } = world({ first: { output: 'ok', then: () => stop.abort(new Error('interrupted')) } });
    const e = await rejection(checkHypothesis([probe('first', 'metric', 'ok'), probe('second', 'metric', 'ok')], deps, stop.signal));
    expect(e.message).toBe('interrupted');
    expect(ran.map((r) => r.name)).toEqual(['first']);
  });

  it('a tolerance probe gets the measured value and decides; one that fails, cannot take a value or is unknown is not met', async () => {
    const cases: { what: string; judge?: { output?: unknown; error?: unknown }; type: string; met: boolean; judgeRan: boolean }[] = [
      { what: 'answers 204', judge: { output: { status: 204 } }, type: 'judge', met: true, judgeRan: true },
      { what: 'answers 503', judge: { output: { status: 503 } }, type: 'judge', met: false, judgeRan: true },
      { what: 'fails, though its output says 200', judge: { output: { status: 200 }, error: new Error('timed out') }, type: 'judge', met: false, judgeRan: true },
      { what: 'cannot take a value', type: 'metric', met: false, judgeRan: false },
      { what: 'is no registered probe', type: 'gone', met: false, judgeRan: false },
    ];
    for (const c of cases) {
      const { deps, ran } = world({ latency: { output: { status: 200, latencyMs: 12 } }, ...(c.judge ? { judge: c.judge } : {}) });
      const { state } = await checkHypothesis([probe('latency', 'metric', judged(c.type))], deps, live());
      expect({ what: c.what, met: state.steady_state_met, tolerance_met: state.probes[0]?.tolerance_met }).toEqual({ what: c.what, met: c.met, tolerance_met: c.met });
      expect(ran.slice(1)).toEqual(c.judgeRan ? [{ name: 'judge', args: { value: { status: 200, latencyMs: 12 } } }] : []);
    }
  });
});
