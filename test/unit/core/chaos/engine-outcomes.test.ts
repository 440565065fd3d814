// How a chaos run ends (docs/chaos.md "Exit codes", "The engine", "Journal"):
// for each way a run can go, the exit code, the journal's status, deviated,
// reason line and abort record, and what was touched. Written against the
// exit-code table and the engine diagram; found by mutation testing
// (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { runExperiment, type EngineOptions, type EngineOutcome } from '../../../../src/core/chaos/engine.js';
import { CheckFailedError, InputError, InterruptedError } from '../../../../src/core/errors.js';
import { MemoryAlarms } from '../../../fakes/memory-alarms.js';
import { after, at, kit, parse, type Kit } from './engine-kit.js';
import { ports } from './world.js';

const steady = { probes: [{ name: 'value ok', probe: 'test.value', tolerance: 'ok' }] };
const slow = { name: 'slow', action: 'test.latency', args: { ms: 5 } };
const alarmGuard = { type: 'alarm', region: 'us-east-1', alarms: ['p99'] };

/** A probe that sleeps 100 ms on the virtual clock without looking at its signal. */
const deaf = { probes: { deaf: async (ctx: { clock: { sleep(ms: number): Promise<void> } }) => (await ctx.clock.sleep(100), 'ok') } };

interface Row {
  name: string;
  run(k: Kit): Promise<EngineOutcome>;
  exitCode: number;
  status: string;
  deviated?: boolean;
  reason: string;
  /** The whole relia.abort record (times as ms after the start); absent when undefined. */
  abort?: (k: Kit) => Record<string, unknown>;
  /** world.events, the faults and undos, in order. */
  touched?: string[];
  /** When the run ended, ms after the start. */
  ends?: number;
  /** relia.guards, the guard state changes (times as ms after the start). */
  guards?: (k: Kit) => unknown[];
}

const alarms = (k: Kit, state: 'OK' | 'ALARM' | null) => {
  const a = new MemoryAlarms(() => k.clock.now() - 30_000);
  if (state) a.setAlarm('us-east-1', 'p99', state);
  return ports({ alarms: a });
};

/** A run of `doc` whose caller's signal is aborted with `reason` `ms` after the start. */
const signalled =
  (ms: number, reason: unknown, doc: Record<string, unknown>, extra: (k: Kit) => Partial<EngineOptions> = () => ({})) =>
  (k: Kit): Promise<EngineOutcome> => {
    const ctl = new AbortController();
    after(k, ms, () => ctl.abort(reason));
    const exp = parse(doc);
    return runExperiment(exp, k.options(exp, { signal: ctl.signal, ...extra(k) }));
  };

/** Interrupted at 1 s in the method, after `slow` injected: rolled back at once. */
const inMethod = (message: string): Omit<Row, 'name' | 'run'> => ({
  exitCode: 130,
  status: 'interrupted',
  reason: 'interrupted by SIGINT; everything injected was undone',
  abort: (k) => ({ by: 'signal', what: 'SIGINT', message, trippedAt: at(k, 1000), removedAt: at(k, 1000) }),
  touched: ['inject latency 5', 'undo latency 5'],
  ends: 1000,
});

/** Interrupted before the method, at `ms`: nothing injected. */
const beforeMethod = (ms: number): Omit<Row, 'name' | 'run'> => ({ exitCode: 130, status: 'interrupted', reason: 'interrupted by SIGINT; cleanup ran; nothing was injected', touched: [], ends: ms });

const rows: Row[] = [
  {
    name: 'the steady state held',
    run: (k) => {
      const exp = parse({ steadyState: steady, method: [slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 0,
    status: 'completed',
    reason: 'the steady state held; rolled back',
    touched: ['inject latency 5', 'undo latency 5'],
  },
  {
    name: 'deviated after the method',
    run: (k) => {
      const exp = parse({ steadyState: steady, method: [{ name: 'b', action: 'test.break', args: { value: 'broken' } }] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 1,
    status: 'failed',
    deviated: true,
    reason: 'the steady state deviated after the method; rolled back',
    touched: ['set value broken', 'restore value ok'],
  },
  {
    name: 'not met before the method',
    run: (k) => {
      k.world.value = 'degraded';
      const exp = parse({ steadyState: steady, method: [slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 1,
    status: 'failed',
    reason: 'the steady state was not met before the method; nothing was injected',
    touched: [],
  },
  {
    name: 'halted before the run',
    run: (k) => {
      k.world.halted = { reason: 'incident 42' };
      const exp = parse({ method: [slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'halted: incident 42; nothing was injected',
    abort: (k) => ({ by: 'halt', what: 'halt', message: 'halted: incident 42', trippedAt: at(k, 0) }),
    guards: (k) => [{ guard: 'halt', type: 'halt', state: 'tripped', message: 'incident 42', at: at(k, 0) }],
    touched: [],
  },
  {
    name: 'an unreadable halt switch (fail closed)',
    run: (k) => {
      k.world.haltUnreadable = true;
      const exp = parse({ method: [slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'halted: the halt switch could not be read (fail closed): Error: EACCES; nothing was injected',
    abort: (k) => ({ by: 'halt', what: 'halt', message: 'halted: the halt switch could not be read (fail closed): Error: EACCES', trippedAt: at(k, 0) }),
    touched: [],
  },
  {
    name: 'a guard already tripped before the run',
    run: (k) => {
      const exp = parse({ method: [slow], guards: [alarmGuard] });
      return runExperiment(exp, k.options(exp, { ports: alarms(k, 'ALARM') }));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'guard alarm#1 tripped: p99 in ALARM; nothing was injected',
    abort: (k) => ({ by: 'guard', what: 'alarm#1', message: 'guard alarm#1 tripped: p99 in ALARM', firstOverAt: at(k, -30_000), trippedAt: at(k, 0) }),
    touched: [],
  },
  {
    name: 'a guard tripped before the run whose alarm name reads like an error: still a trip, exit 4',
    run: (k) => {
      const a = new MemoryAlarms(() => k.clock.now() - 30_000);
      a.setAlarm('us-east-1', 'could not be evaluated', 'ALARM');
      const exp = parse({ method: [slow], guards: [{ ...alarmGuard, alarms: ['could not be evaluated'] }] });
      return runExperiment(exp, k.options(exp, { ports: ports({ alarms: a }) }));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'guard alarm#1 tripped: could not be evaluated in ALARM; nothing was injected',
    touched: [],
  },
  {
    name: 'a guard that cannot be evaluated before the run',
    run: (k) => {
      const exp = parse({ method: [slow], guards: [alarmGuard] });
      return runExperiment(exp, k.options(exp, { ports: alarms(k, null) }));
    },
    exitCode: 3,
    status: 'failed',
    reason: 'guard alarm#1 could not be evaluated (fail closed): alarm p99 not found in us-east-1; nothing was injected',
    abort: (k) => ({ by: 'guard', what: 'alarm#1', message: 'guard alarm#1 could not be evaluated (fail closed): alarm p99 not found in us-east-1', trippedAt: at(k, 0) }),
    touched: [],
  },
  {
    name: 'halted during the method',
    run: (k) => {
      const exp = parse({ method: [slow, { pause: '10m' }] });
      after(k, 150, () => (k.world.halted = { reason: 'incident 43' }));
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'halted: incident 43; rolled back',
    abort: (k) => ({ by: 'halt', what: 'halt', message: 'halted: incident 43', trippedAt: at(k, 200), removedAt: at(k, 200) }),
    touched: ['inject latency 5', 'undo latency 5'],
  },
  {
    name: 'an action error after its fault was in place',
    run: (k) => {
      const exp = parse({ method: [{ name: 'f', action: 'test.fail', args: { injectFirst: true } }, slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'action f failed: Error: boom; rolled back',
    abort: (k) => ({ by: 'error', what: 'f', message: 'action f failed: Error: boom', trippedAt: at(k, 0), removedAt: at(k, 0) }),
    touched: ['inject errors', 'undo errors'],
  },
  {
    name: 'an action error of no exit code of its own, before any fault',
    run: (k) => {
      const exp = parse({ method: [{ name: 'f', action: 'test.fail' }] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'action f failed: Error: boom; rolled back',
    touched: [],
  },
  {
    name: 'a dependency error after the action injected',
    run: (k) => {
      const exp = parse({ method: [{ name: 'f', action: 'test.fail', args: { injectFirst: true, dependency: true } }] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'action f failed: DependencyError: the API server did not answer; rolled back',
    touched: ['inject errors', 'undo errors'],
  },
  {
    name: 'a dependency error before any fault',
    run: (k) => {
      const exp = parse({ method: [{ name: 'f', action: 'test.fail', args: { dependency: true } }, slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 3,
    status: 'failed',
    reason: 'action f failed: DependencyError: the API server did not answer (before any fault was in place)',
    touched: [],
  },
  {
    name: 'a usage error before any fault',
    run: (k) => {
      const exp = parse({ method: [{ name: 'u', action: 'kit.usage' }] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 2,
    status: 'failed',
    reason: 'action u failed: InputError: no pod matches app=api (before any fault was in place)',
  },
  {
    name: 'an action error with another exit code, before any fault',
    run: (k) => {
      const exp = parse({ method: [{ name: 'c', action: 'kit.check' }] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 4,
    status: 'aborted',
    reason: 'action c failed: CheckFailedError: not ready; rolled back',
  },
  {
    name: 'a hypothesis probe with an unreachable dependency before any fault',
    run: (k) => {
      const exp = parse({ steadyState: { probes: [{ name: 'v', probe: 'test.value', args: { unreachable: true }, tolerance: 'ok' }] }, method: [slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 3,
    status: 'failed',
    reason: 'connection refused (before any fault; nothing was injected)',
    touched: [],
  },
  {
    name: 'a hypothesis probe with a usage error before any fault',
    run: (k) => {
      const exp = parse({ steadyState: { probes: [{ name: 'v', probe: 'kit.usage' }] }, method: [slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 2,
    status: 'failed',
    reason: 'no pod matches app=api (before any fault; nothing was injected)',
    touched: [],
  },
  ...(['kit.boom', 'kit.check'] as const).map(
    (probe): Row => ({
      name: `a hypothesis probe failing with ${probe === 'kit.boom' ? 'a plain error' : 'an error of exit 1'}: not met`,
      run: (k) => {
        const exp = parse({ steadyState: { probes: [{ name: 'v', probe }] }, method: [slow] });
        return runExperiment(exp, k.options(exp));
      },
      exitCode: 1,
      status: 'failed',
      reason: 'the steady state was not met before the method; nothing was injected',
      touched: [],
    }),
  ),
  {
    name: 'a probe failing in the method does not stop it (chaostoolkit)',
    run: (k) => {
      const exp = parse({ method: [{ name: 'p', probe: 'kit.boom' }, slow] });
      return runExperiment(exp, k.options(exp));
    },
    exitCode: 0,
    status: 'completed',
    reason: 'the steady state held; rolled back',
    touched: ['inject latency 5', 'undo latency 5'],
  },
  {
    name: 'SIGINT in the method: stopped at once and rolled back',
    run: signalled(1000, new InterruptedError('SIGINT'), { method: [slow, { pause: '10m' }] }),
    ...inMethod('interrupted by SIGINT; cleanup ran'),
  },
  ...[undefined, new Error('stop')].map(
    (reason): Row => ({
      name: `the caller's signal aborted with ${reason ? 'an error' : 'no reason'}: an interruption all the same`,
      run: signalled(1000, reason, { method: [slow, { pause: '10m' }] }),
      ...inMethod('aborted'),
    }),
  ),
  {
    name: 'SIGTERM during a hypothesis probe before the method',
    run: signalled(5, new InterruptedError('SIGTERM'), { steadyState: { probes: [{ name: 'r', probe: 'test.request' }] }, method: [slow] }),
    ...beforeMethod(5),
    exitCode: 143,
    reason: 'interrupted by SIGTERM; cleanup ran; nothing was injected',
  },
  {
    name: 'SIGINT during a hypothesis probe that ignores its signal: the probe is cut at once',
    run: signalled(50, new InterruptedError('SIGINT'), { steadyState: { probes: [{ name: 'd', probe: 'kit.deaf' }, { name: 'v', probe: 'test.value' }] }, method: [slow] }),
    ...beforeMethod(50),
  },
  {
    name: 'SIGINT during a tolerance probe of the hypothesis before the method: an interruption, not a deviation',
    run: signalled(50, new InterruptedError('SIGINT'), { steadyState: { probes: [{ name: 'v', probe: 'test.value', tolerance: { type: 'probe', probe: 'kit.tolerance' } }] }, method: [slow] }),
    ...beforeMethod(50),
  },
  {
    name: 'SIGINT while the guards are checked before the run (no hypothesis): no fault is injected',
    // the halt read takes 100 ms and does not look at the signal
    run: signalled(50, new InterruptedError('SIGINT'), { method: [slow] }, (k) => ({ halt: async () => (await k.clock.sleep(100), null) })),
    ...beforeMethod(100),
  },
];

const errors = {
  probes: {
    ...deaf.probes,
    usage: async () => {
      throw new InputError('no pod matches app=api', { field: 'args.selector' });
    },
    boom: async () => {
      throw new Error('boom');
    },
    check: async () => {
      throw new CheckFailedError('not ready');
    },
  },
  actions: {
    usage: async () => {
      throw new InputError('no pod matches app=api', { field: 'args.selector' });
    },
    check: async () => {
      throw new CheckFailedError('not ready');
    },
  },
};

describe('engine: every way a run ends', () => {
  it.each(rows)('$name', async (row) => {
    const k = kit(errors);
    const { journal, exitCode } = await row.run(k);
    expect({ exitCode, status: journal.status, deviated: journal.deviated, reason: journal.relia.reason }).toEqual({ exitCode: row.exitCode, status: row.status, deviated: row.deviated ?? false, reason: row.reason });
    expect(journal.relia.exitCode).toBe(row.exitCode);
    if (row.abort) expect(journal.relia.abort).toStrictEqual(row.abort(k));
    if (row.touched) expect(k.world.events).toEqual(row.touched);
    if (row.ends !== undefined) expect(journal.end).toBe(at(k, row.ends));
    if (row.guards) expect(journal.relia.guards).toEqual(row.guards(k));
    expect(k.world.latencyMs).toBe(20);
  });

  it('a run without an abort has no abort record at all', async () => {
    const k = kit();
    const exp = parse({ method: [slow] });
    const { journal } = await runExperiment(exp, k.options(exp));
    expect(Object.keys(journal.relia)).not.toContain('abort');
  });
});
