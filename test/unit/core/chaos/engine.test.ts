import { describe, expect, it } from 'vitest';
import { ChaosRun, runExperiment } from '../../../../src/core/chaos/engine.js';
import { parseNative } from '../../../../src/core/chaos/native.js';
import { InterruptedError } from '../../../../src/core/errors.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { InstrumentedMetrics } from '../../../fakes/instrumented-metrics.js';
import { ActivityRegistry } from '../../../../src/core/chaos/activity.js';
import { registerFaults } from '../../../../src/core/chaos/actions/index.js';
import { planExperiment } from '../../../../src/core/chaos/validate.js';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { allowAll } from './faults-ctx.js';
import { FakeClock, options, ports, World } from './world.js';

const parse = (doc: Record<string, unknown>) => parseNative({ title: 't', ...doc }, { file: 'exp.yaml', env: {}, vars: {} });

const steady = { probes: [{ name: 'value ok', probe: 'test.value', tolerance: 'ok' }] };

describe('engine: the happy path and deviation', () => {
  it('holds: hypothesis before and after, injection undone, file rollback after it, exit 0', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({
      steadyState: steady,
      method: [{ name: 'slow', action: 'test.latency', args: { ms: 50 } }, { pause: '2s' }, { name: 'measure', probe: 'test.request' }],
      rollbacks: [{ name: 'restore', action: 'test.restore', args: { note: 'file' } }],
    });
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(0);
    expect(journal.status).toBe('completed');
    expect(journal.deviated).toBe(false);
    expect(journal.steady_states.before?.steady_state_met).toBe(true);
    expect(journal.steady_states.after?.steady_state_met).toBe(true);
    expect(world.events).toEqual(['inject latency 50', 'undo latency 50', 'rollback file']);
    expect(world.latencyMs).toBe(20);
    expect(journal.run.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(journal.run[1]?.output).toEqual({ status: 200, durationMs: 70 });
    expect(journal.rollbacks[0]?.output).toBe('restored');
    expect(journal.duration).toBeGreaterThanOrEqual(2);
    expect(journal.relia.injections[0]).toMatchObject({ description: 'latency +50 ms on svc', undone: true });
  });

  it('hypothesis not met before: nothing is injected, status failed, exit 1', async () => {
    const world = new World();
    world.value = 'degraded';
    const clock = new FakeClock();
    const exp = parse({ steadyState: steady, method: [{ name: 'slow', action: 'test.latency', args: { ms: 50 } }] });
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(1);
    expect(journal.status).toBe('failed');
    expect(journal.steady_states.before?.probes[0]?.tolerance_met).toBe(false);
    expect(journal.run).toEqual([]);
    expect(world.events).toEqual([]);
  });

  it('deviates: status failed, deviated true, exit 1, and the fault is still undone', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({ steadyState: steady, method: [{ name: 'break', action: 'test.break', args: { value: 'broken' } }] });
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(1);
    expect(journal.status).toBe('failed');
    expect(journal.deviated).toBe(true);
    expect(journal.steady_states.after?.steady_state_met).toBe(false);
    expect(world.value).toBe('ok');
    expect(world.events).toEqual(['set value broken', 'restore value ok']);
  });

  it('undoes every injection last first, then the file rollbacks, with fresh signals', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({
      method: [
        { name: 'a', action: 'test.latency', args: { ms: 10 } },
        { name: 'b', action: 'test.break', args: { value: 'x' } },
        { name: 'c', action: 'test.latency', args: { ms: 30 } },
      ],
      rollbacks: [
        { name: 'r1', action: 'test.restore', args: { note: '1' } },
        { name: 'r2', action: 'test.restore', args: { note: '2' } },
      ],
    });
    const { exitCode } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(0);
    expect(world.events).toEqual(['inject latency 10', 'set value x', 'inject latency 30', 'undo latency 30', 'restore value ok', 'undo latency 10', 'rollback 1', 'rollback 2']);
    expect(world.undoSignals.every((s) => !s.aborted)).toBe(true);
  });
});

describe('engine: rollbacks always run', () => {
  it('guard abort (userImpact from its own probe traffic): exit 4, aborted, fault removed within one interval of the first bad sample', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({
      method: [{ name: 'slow', action: 'test.latency', args: { ms: 300 } }, { pause: '60s' }],
      guards: [{ type: 'userImpact', name: 'users', probe: { probe: 'test.request' }, every: '50ms', slowerThan: '200ms', max: '1%', window: '10s' }],
    });
    const start = clock.now();
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock, { guardIntervalMs: 250 }));
    expect(exitCode).toBe(4);
    expect(journal.status).toBe('aborted');
    expect(journal.relia.abort).toMatchObject({ by: 'guard', what: 'users' });
    expect(world.latencyMs).toBe(20);
    const abort = journal.relia.abort;
    expect(abort?.reactionMs).toBeGreaterThan(0);
    expect(abort?.reactionMs).toBeLessThanOrEqual(250);
    expect(clock.now() - start).toBeLessThan(2000);
    expect(journal.relia.guards.some((g) => g.guard === 'users' && g.state === 'tripped')).toBe(true);
  });

  it('samples taken during the warm-up are not counted (e.g. while the proxy starts)', async () => {
    for (const warmup of ['0s', '500ms']) {
      const world = new World();
      world.errors = true; // the first 300 ms fail, as if the service were not up yet
      const clock = new FakeClock();
      const start = clock.now();
      const exp = parse({
        method: [{ name: 'v', action: 'test.break', args: { value: 'ok' } }, { pause: '2s' }],
        guards: [{ type: 'userImpact', name: 'users', probe: { probe: 'test.request' }, every: '50ms', max: '1%', window: '10s', warmup }],
      });
      const run = runExperiment(exp, options(exp, world, clock, { guardIntervalMs: 100 }));
      await clock.sleep(300);
      world.errors = false;
      const { exitCode } = await run;
      expect(exitCode).toBe(warmup === '0s' ? 4 : 0);
      expect(clock.now() - start).toBeGreaterThan(0);
    }
  });

  it('guard that cannot be evaluated mid-run aborts (fail closed); onError: continue keeps going', async () => {
    for (const onError of ['abort', 'continue'] as const) {
      const world = new World();
      const clock = new FakeClock();
      let reachable = true;
      const metrics = new MemoryMetrics([{ labels: { __name__: 'bad_share' }, times: [clock.now() / 1000 - 10], values: [0] }], { now: () => clock.now(), lookbackSeconds: 3600 });
      const flaky = new InstrumentedMetrics(metrics);
      flaky.fault = () => (reachable ? undefined : new Error('ECONNREFUSED'));
      const exp = parse({
        method: [{ name: 'slow', action: 'test.latency', args: { ms: 5, holdMs: 1000 } }, { pause: '1s' }],
        guards: [{ type: 'userImpact', name: 'prom', query: 'bad_share', onError }],
      });
      const run = runExperiment(exp, options(exp, world, clock, { ports: ports({ metrics: flaky }) }));
      // the preflight check succeeds; then the metrics go away
      await clock.sleep(50);
      reachable = false;
      const { journal, exitCode } = await run;
      expect(world.latencyMs).toBe(20);
      if (onError === 'abort') {
        expect(exitCode).toBe(4);
        expect(journal.relia.abort?.message).toMatch(/could not be evaluated \(fail closed\)/);
      } else {
        expect(exitCode).toBe(0);
        expect(journal.relia.guards.some((g) => g.state === 'error')).toBe(true);
      }
    }
  });

  it('a guard unreachable before any fault: exit 3, nothing injected', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({ method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }], guards: [{ type: 'userImpact', query: 'bad_share' }] });
    const metrics = new MemoryMetrics([], { unreachable: true });
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock, { ports: ports({ metrics }) }));
    expect(exitCode).toBe(3);
    expect(world.events).toEqual([]);
    expect(journal.relia.reason).toMatch(/nothing was injected/);
  });

  it('a hypothesis probe whose dependency is unreachable before any fault: exit 3', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({ steadyState: { probes: [{ name: 'v', probe: 'test.value', args: { unreachable: true }, tolerance: 'ok' }] }, method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }] });
    const { exitCode } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(3);
    expect(world.events).toEqual([]);
  });

  it('halt mid-run aborts within one guard interval and rolls back (exit 4); a halt before the run injects nothing', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parse({ method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }, { pause: '10m' }] });
    const run = runExperiment(exp, options(exp, world, clock, { guardIntervalMs: 1000 }));
    await clock.sleep(2500);
    const haltedAt = clock.now();
    world.halted = { reason: 'incident 42' };
    const { journal, exitCode } = await run;
    expect(exitCode).toBe(4);
    expect(journal.relia.abort).toMatchObject({ by: 'halt' });
    expect(Date.parse(journal.relia.abort?.trippedAt ?? '') - haltedAt).toBeLessThanOrEqual(1000);
    expect(world.latencyMs).toBe(20);

    const again = await runExperiment(exp, options(exp, world, new FakeClock()));
    expect(again.exitCode).toBe(4);
    expect(again.journal.run).toEqual([]);
  });

  it('an unreadable halt switch counts as halted (fail closed)', async () => {
    const world = new World();
    world.haltUnreadable = true;
    const clock = new FakeClock();
    const exp = parse({ method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }] });
    const { exitCode, journal } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(4);
    expect(journal.relia.abort?.message).toMatch(/could not be read/);
    expect(world.events).toEqual([]);
  });

  it('an action error after injecting: rolled back, exit 4; a dependency error before any fault: exit 3', async () => {
    const world = new World();
    const exp = parse({ method: [{ name: 'f', action: 'test.fail', args: { injectFirst: true } }, { name: 'never', action: 'test.latency', args: { ms: 5 } }] });
    const r1 = await runExperiment(exp, options(exp, world, new FakeClock()));
    expect(r1.exitCode).toBe(4);
    expect(r1.journal.run[0]?.status).toBe('failed');
    expect(r1.journal.run[0]?.exception?.[0]).toMatch(/boom/);
    expect(world.events).toEqual(['inject errors', 'undo errors']);

    const w2 = new World();
    const exp2 = parse({ method: [{ name: 'f', action: 'test.fail', args: { dependency: true } }] });
    const r2 = await runExperiment(exp2, options(exp2, w2, new FakeClock()));
    expect(r2.exitCode).toBe(3);
  });

  it('an activity timeout is an action error: aborted, rolled back', async () => {
    const world = new World();
    const exp = parse({ method: [{ name: 'hang', action: 'test.latency', args: { ms: 5, holdMs: 3_600_000 }, timeout: '5s' }] });
    const clock = new FakeClock();
    const start = clock.now();
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock));
    expect(exitCode).toBe(4);
    expect(journal.run[0]?.exception?.[0]).toMatch(/timed out after 5000 ms/);
    expect(clock.now() - start).toBeLessThan(6000);
    expect(world.latencyMs).toBe(20);
  });

  it('maxDuration aborts a long method (exit 4)', async () => {
    const world = new World();
    const exp = parse({ method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }, { pause: '1h' }], guards: [{ type: 'maxDuration', duration: '30s' }] });
    const clock = new FakeClock();
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, clock, { guardIntervalMs: 1000 }));
    expect(exitCode).toBe(4);
    expect(journal.relia.abort?.what).toBe('maxDuration#1');
    expect(journal.duration).toBeLessThanOrEqual(32);
  });

  it('SIGINT mid-method: rollback with fresh signals, status interrupted, exit 130; SIGTERM 143', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const world = new World();
      const clock = new FakeClock();
      const ctl = new AbortController();
      const exp = parse({ method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }, { pause: '10m' }], rollbacks: [{ name: 'r', action: 'test.restore' }] });
      const run = new ChaosRun(exp, options(exp, world, clock, { signal: ctl.signal }));
      const done = run.run();
      await clock.sleep(1000);
      expect(run.stillRunning()).toEqual(['injected: latency +5 ms on svc']);
      ctl.abort(new InterruptedError(sig));
      const { journal, exitCode } = await done;
      expect(exitCode).toBe(sig === 'SIGINT' ? 130 : 143);
      expect(journal.status).toBe('interrupted');
      expect(world.latencyMs).toBe(20);
      expect(world.events.slice(-2)).toEqual(['undo latency 5', 'rollback ']);
      expect(world.undoSignals.every((s) => !s.aborted)).toBe(true);
      expect(run.stillRunning()).toEqual([]);
    }
  });

  it('a failed undo: exit 5, the leftover printed with its manual undo', async () => {
    const world = new World();
    world.failUndo = true;
    const exp = parse({ method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }] });
    const { journal, exitCode } = await runExperiment(exp, options(exp, world, new FakeClock()));
    expect(exitCode).toBe(5);
    expect(journal.relia.leftovers).toEqual([{ description: 'latency +5 ms on svc', manualUndo: 'relia chaos proxy --stop svc', error: 'Error: proxy unreachable' }]);
  });
});

describe('engine: journal', () => {
  it('redacts secret values everywhere', async () => {
    const world = new World();
    const exp = parseNative(
      {
        title: 't',
        secrets: { svc: { token: { type: 'env', key: 'TOKEN' } } },
        method: [{ name: 'set ${token}', action: 'test.break', args: { value: '${token}' } }],
      },
      { file: 'exp.yaml', env: { TOKEN: 's3cr3t-value' }, vars: {} },
    );
    const { journal } = await runExperiment(exp, options(exp, world, new FakeClock()));
    const text = JSON.stringify(journal);
    expect(text).not.toContain('s3cr3t-value');
    expect(text).toContain('***');
  });
});

describe('engine: the blast radius never widens between the plan and the run', () => {
  it('pods that appear after the plan are not touched: a mode "all" pod kill evicts only as many as the plan showed', async () => {
    const world = new World();
    const clock = new FakeClock();
    const cluster = new MemoryCluster('memory');
    cluster.addPods('web', 'api', 2, { app: 'api' });
    const exp = parse({ blastRadius: { maxTargets: 2 }, method: [{ name: 'kill', action: 'kubernetes.pod-kill', args: { namespace: 'web', selector: 'app=api', mode: 'all' } }] });
    const registry = registerFaults(new ActivityRegistry());
    const base = options(exp, world, clock, { registry, ports: ports({ cluster }), policy: allowAll });
    const planned = await planExperiment(exp, registry, base.args, { ports: base.ports, clock, random: base.random, policy: allowAll, signal: base.signal, dryRun: true, log: () => undefined }, 'exp.yaml');
    expect(planned.map((p) => p.plan.targets.length)).toEqual([2]);
    // the deployment scales up between the plan (or the prompt) and the run
    cluster.addPods('web', 'api-new', 4, { app: 'api' });
    const events: Array<{ event: string; detail?: Record<string, unknown> }> = [];
    const plannedTargets = new Map(planned.map((p) => [p.path, p.plan.targets.length]));
    const { exitCode, journal } = await runExperiment(exp, { ...base, plannedTargets, log: (event, detail) => void events.push(detail ? { event, detail } : { event }) });
    expect(exitCode).toBe(0);
    expect(journal.run[0]?.output).toMatchObject({ evicted: expect.any(Array) });
    expect((journal.run[0]?.output as { evicted: string[] }).evicted).toHaveLength(2);
    expect(await cluster.listPods('web')).toHaveLength(4);
    expect(events.find((e) => e.event === 'targets-capped')?.detail).toEqual({ path: 'method[0]', name: 'kill', wanted: 6, planned: 2 });
  });

  it('without a plan (plannedTargets unset) the run selects as the action says', async () => {
    const world = new World();
    const clock = new FakeClock();
    const cluster = new MemoryCluster('memory');
    cluster.addPods('web', 'api', 5, { app: 'api' });
    const exp = parse({ method: [{ name: 'kill', action: 'kubernetes.pod-kill', args: { namespace: 'web', selector: 'app=api', mode: 'all' } }] });
    const registry = registerFaults(new ActivityRegistry());
    const { exitCode } = await runExperiment(exp, options(exp, world, clock, { registry, ports: ports({ cluster }), policy: allowAll }));
    expect(exitCode).toBe(0);
    expect(await cluster.listPods('web')).toHaveLength(0);
  });
});
