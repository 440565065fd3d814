// What a chaos run reports while it runs and in its journal (docs/chaos.md
// "The engine", "Journal"): the event stream the CLI prints as progress lines,
// the journal's header and guard state changes, what is still running on a
// second Ctrl-C, and what the engine hands an action. Found by mutation testing
// (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { ChaosRun, runExperiment } from '../../../../src/core/chaos/engine.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { checkoutSlo } from './guard-fixtures.js';
import { after, at, kit, parse } from './engine-kit.js';
import { ports, registry } from './world.js';

const steady = { probes: [{ name: 'value ok', probe: 'test.value', tolerance: 'ok' }] };
const slow = { name: 'slow', action: 'test.latency', args: { ms: 5 } };
const start = (name: string, type: string, path: string) => ({ event: 'activity-start', detail: { name, type, path } });

describe('engine: the events of a run (the progress lines of chaos run)', () => {
  it('a run that held: each activity as it starts, each fault as it is injected and undone, then done', async () => {
    const k = kit();
    const exp = parse({ steadyState: steady, method: [slow, { name: 'measure', probe: 'test.request' }], rollbacks: [{ name: 'r', action: 'test.restore' }] });
    await runExperiment(exp, k.options(exp));
    expect(k.events).toEqual([
      start('value ok', 'test.value', 'steadyState.probes[0]'),
      start('slow', 'test.latency', 'method[0]'),
      { event: 'injected', detail: { activity: 'slow', description: 'latency +5 ms on svc' } },
      start('measure', 'test.request', 'method[1]'),
      start('value ok', 'test.value', 'steadyState.probes[0]'),
      { event: 'undone', detail: { description: 'latency +5 ms on svc' } },
      start('r', 'test.restore', 'rollbacks[0]'),
      { event: 'done', detail: { exitCode: 0, status: 'completed', reason: 'the steady state held; rolled back' } },
    ]);
  });

  it('an abort is one event with its record, when it trips', async () => {
    const k = kit();
    after(k, 150, () => (k.world.halted = { reason: 'incident 42' }));
    const exp = parse({ method: [slow, { pause: '10m' }] });
    await runExperiment(exp, k.options(exp));
    expect(k.events.slice(2)).toEqual([
      { event: 'abort', detail: { by: 'halt', what: 'halt', message: 'halted: incident 42', trippedAt: at(k, 200) } },
      { event: 'undone', detail: { description: 'latency +5 ms on svc' } },
      { event: 'done', detail: { exitCode: 4, status: 'aborted', reason: 'halted: incident 42; rolled back' } },
    ]);
  });

  it('two reasons to stop in the same instant: the first is the abort, the second is not reported', async () => {
    // from 100 ms the halt read and the hypothesis probe both wait for the same answer, at 150 ms: halted, and not ok
    const k = kit({ probes: { gated: async () => (k.clock.now() - k.start >= 100 ? (await gate, 'broken') : 'ok') } });
    const gate = k.clock.sleep(150);
    const halt = async () => (k.clock.now() - k.start >= 100 ? (await gate, { reason: 'incident 42' }) : null);
    const exp = parse({ steadyState: { probes: [{ name: 'gated', probe: 'kit.gated', tolerance: 'ok' }], continuous: { every: '100ms', failFast: true } }, method: [{ name: 'hold', action: 'test.latency', args: { ms: 5, holdMs: 600_000 } }] });
    const { journal } = await runExperiment(exp, k.options(exp, { halt }));
    const aborts = k.events.filter((e) => e.event === 'abort');
    expect(aborts).toEqual([{ event: 'abort', detail: { by: 'halt', what: 'halt', message: 'halted: incident 42', trippedAt: at(k, 150) } }]);
    expect(journal.relia.abort).toMatchObject({ by: 'halt', trippedAt: at(k, 150) });
  });

  it('the hypothesis during the method: one line per check, not one per probe', async () => {
    const k = kit();
    const exp = parse({ steadyState: { ...steady, continuous: { every: '100ms' } }, method: [{ pause: '250ms' }] });
    await runExperiment(exp, k.options(exp));
    expect(k.events.map((e) => e.event)).toEqual(['activity-start', 'hypothesis-during', 'hypothesis-during', 'hypothesis-during', 'activity-start', 'done']);
    expect(k.events.filter((e) => e.event === 'hypothesis-during').map((e) => e.detail)).toEqual([
      { met: true, check: 1 },
      { met: true, check: 2 },
      { met: true, check: 3 },
    ]);
  });

  it('what an action and its undo log reaches the run; a rollback injection is ignored, said so, and never undone', async () => {
    const k = kit({
      actions: {
        chatty: async (ctx) => {
          ctx.log('proxy-started', { port: 9000 });
          ctx.inject({ description: 'proxy :9000', manualUndo: 'relia chaos proxy --stop 9000', undo: async (u) => u.log('proxy-stopped', { port: 9000 }) });
          return { dryRun: ctx.dryRun, claims: typeof ctx.claimTargets };
        },
      },
    });
    const exp = parse({ method: [{ name: 'c', action: 'kit.chatty' }], rollbacks: [{ name: 're', action: 'test.latency', args: { ms: 7 } }, { name: 'rc', action: 'kit.chatty' }] });
    const { journal, exitCode } = await runExperiment(exp, k.options(exp));
    expect(exitCode).toBe(0);
    expect(k.events.filter((e) => e.event !== 'activity-start')).toEqual([
      { event: 'proxy-started', detail: { port: 9000 } },
      { event: 'injected', detail: { activity: 'c', description: 'proxy :9000' } },
      { event: 'proxy-stopped', detail: { port: 9000 } },
      { event: 'undone', detail: { description: 'proxy :9000' } },
      { event: 'rollback-injection-ignored', detail: { activity: 're', description: 'latency +7 ms on svc' } },
      { event: 'proxy-started', detail: { port: 9000 } },
      { event: 'rollback-injection-ignored', detail: { activity: 'rc', description: 'proxy :9000' } },
      { event: 'done', detail: { exitCode: 0, status: 'completed', reason: 'the steady state held; rolled back' } },
    ]);
    // a method action runs for real and is held to the plan's targets; a rollback restores, whatever it finds
    expect(journal.run[0]?.output).toEqual({ dryRun: false, claims: 'function' });
    expect(journal.rollbacks[1]?.output).toEqual({ dryRun: false, claims: 'undefined' });
    expect(journal.relia.injections.map((i) => [i.description, i.undone])).toEqual([['proxy :9000', true]]);
    expect(k.world.events).toEqual(['inject latency 7']);
  });
});

describe('engine: the journal', () => {
  it('its header: relia as node and platform unless told, version 0.0.0 unless told; relia section of a clean run', async () => {
    const k = kit();
    const exp = parse({ method: [slow] });
    const plain = await runExperiment(exp, k.options(exp));
    expect({ lib: plain.journal['chaoslib-version'], platform: plain.journal.platform, node: plain.journal.node, version: plain.journal.relia.version }).toEqual({ lib: null, platform: 'relia', node: 'relia', version: '0.0.0' });
    expect(plain.journal.relia).toStrictEqual({
      version: '0.0.0',
      format: 'relia',
      exitCode: 0,
      reason: 'the steady state held; rolled back',
      guardIntervalMs: 100,
      guards: [],
      injections: [{ activity: 'slow', description: 'latency +5 ms on svc', manualUndo: 'relia chaos proxy --stop svc', injectedAt: at(k, 0), undone: true, undoneAt: at(k, 0) }],
      leftovers: [],
    });
    expect(plain.journal.steady_states.after).toBeNull();
    const told = await runExperiment(exp, kit().options(exp, { version: '1.4.0', platform: 'linux' }));
    expect({ platform: told.journal.platform, node: told.journal.node, version: told.journal.relia.version }).toEqual({ platform: 'linux', node: 'relia', version: '1.4.0' });
  });

  it('an activity run: its start, end and duration in seconds', async () => {
    const k = kit();
    k.clock.advance(250);
    const exp = parse({ method: [{ name: 'hold', action: 'test.latency', args: { ms: 5, holdMs: 1500 } }] });
    const { journal } = await runExperiment(exp, k.options(exp));
    expect(journal.run[0]).toMatchObject({ status: 'succeeded', start: at(k, 250), end: at(k, 1750), duration: 1.5 });
    expect({ start: journal.start, end: journal.end, duration: journal.duration }).toEqual({ start: at(k, 250), end: at(k, 1750), duration: 1.5 });
  });

  it('guards: only state changes are listed; maxDuration is not checked before the run (nothing has run yet)', async () => {
    const k = kit();
    const exp = parse({ method: [slow, { pause: '1s' }], guards: [{ type: 'maxDuration', duration: '10s' }] });
    const { journal } = await runExperiment(exp, k.options(exp));
    expect(journal.relia.guards).toEqual([{ guard: 'maxDuration#1', type: 'maxDuration', state: 'ok', value: 0.1, threshold: 10, message: '0.1 s of 10 s', at: at(k, 100) }]);
  });

  it('sloBurn guards read the SLOs the CLI loaded for them', async () => {
    const k = kit();
    const metrics = MemoryMetrics.fromPoints([{ labels: { __name__: 'errors' }, points: [[k.start / 1000 - 5, 0.001]] }], { now: () => k.clock.now() });
    const exp = parse({ method: [slow], guards: [{ type: 'sloBurn', name: 'burn', slo: 'slo.yaml', maxBurn: 2 }] });
    const slos = new Map([['burn', checkoutSlo({ type: 'error-ratio', query: 'errors' })]]);
    const { journal, exitCode } = await runExperiment(exp, k.options(exp, { ports: ports({ metrics }), slos }));
    expect(exitCode).toBe(0);
    expect(journal.relia.guards[0]).toMatchObject({ guard: 'burn', state: 'ok', message: 'checkout/availability burns 0.10× over 5m (max 2×)' });
  });

  it('an activity type missing from the run registry fails that activity with its name', async () => {
    const k = kit({ probes: { gone: async () => 'x' }, actions: { gone: async () => 'x' } });
    const exp = parse({ method: [{ name: 'p', probe: 'kit.gone' }, { name: 'a', action: 'kit.gone' }] });
    // checked with the kit's registry, run with world.ts's, which lacks both
    const { journal, exitCode } = await runExperiment(exp, { ...k.options(exp), registry: registry(k.world, k.clock) });
    expect(journal.run.map((r) => [r.status, r.exception])).toEqual([
      ['failed', ['Error: unknown probe kit.gone']],
      ['failed', ['Error: unknown action kit.gone']],
    ]);
    expect({ exitCode, reason: journal.relia.reason }).toEqual({ exitCode: 4, reason: 'action a failed: Error: unknown action kit.gone; rolled back' });
  });

  it('a probe guard whose probe is missing from the run registry fails closed: every sample is bad', async () => {
    const k = kit({ probes: { gone: async () => ({ status: 200 }) } });
    const exp = parse({ method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }, { pause: '1s' }], guards: [{ type: 'userImpact', name: 'users', probe: { probe: 'kit.gone' }, every: '100ms' }] });
    const { journal, exitCode } = await runExperiment(exp, { ...k.options(exp), registry: registry(k.world, k.clock) });
    expect({ exitCode, what: journal.relia.abort?.what, trippedAt: journal.relia.abort?.trippedAt }).toEqual({ exitCode: 4, what: 'users', trippedAt: at(k, 100) });
  });
});

describe('engine: what is still in place or running (a second Ctrl-C prints it)', () => {
  it('the injected faults and the activity running; during the rollback, the undo running', async () => {
    const seen: string[][] = [];
    const k = kit({
      actions: {
        slowUndo: async (ctx) => {
          ctx.inject({ description: 'proxy :9000', manualUndo: 'stop it', undo: (u) => u.clock.sleep(1000, u.signal) });
          return 'ok';
        },
      },
    });
    const exp = parse({ method: [slow, { name: 'su', action: 'kit.slowUndo' }, { name: 'hold', action: 'test.latency', args: { ms: 1, holdMs: 500 } }] });
    const run = new ChaosRun(exp, k.options(exp));
    after(k, 250, () => seen.push(run.stillRunning()));
    after(k, 1000, () => seen.push(run.stillRunning()));
    await run.run();
    expect(seen).toEqual([
      ['injected: latency +5 ms on svc', 'injected: proxy :9000', 'injected: latency +1 ms on svc', 'running: action hold (test.latency)'],
      ['injected: latency +5 ms on svc', 'injected: proxy :9000', 'running: undo proxy :9000'],
    ]);
    expect(run.stillRunning()).toEqual([]);
  });
});
