// A signal that lands between two probes of the hypothesis before the method (docs/chaos.md "Exit codes": 130/143,
// interrupted, after the cleanup; the engine diagram: nothing is injected before the hypothesis held). The probe
// before it has returned and the next has not started, so no probe is cut: the hypothesis check stops at the next
// probe (src/core/chaos/hypothesis.ts throws the signal's reason there). The only injected code that runs in that gap
// is the clock, read when the first probe's run is recorded; the test's clock delivers the signal on that read, as a
// Ctrl-C arriving at that instant would. An error there that is no signal (a probe definition's bug) is thrown on
// as itself.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runExperiment } from '../../../../src/core/chaos/engine.js';
import { InterruptedError } from '../../../../src/core/errors.js';
import type { Clock } from '../../../../src/ports/clock.js';
import { kit, parse } from './engine-kit.js';
import { FakeClock, options, registry, World } from './world.js';

describe('engine: a signal between two probes of the hypothesis before the method', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: interrupted with exit %i, the second probe never runs, nothing injected', async (sig, exitCode) => {
    const ctl = new AbortController();
    let firstReturned = false;
    const k = kit({
      probes: {
        first: async () => {
          firstReturned = true;
          return 'ok';
        },
      },
    });
    // the kit's clock, delivering the signal at its first reading after the first probe returned
    const clock: Clock = {
      now: () => {
        if (firstReturned && !ctl.signal.aborted) ctl.abort(new InterruptedError(sig));
        return k.clock.now();
      },
      sleep: (ms, signal) => k.clock.sleep(ms, signal),
    };
    const exp = parse({
      steadyState: { probes: [{ name: 'first', probe: 'kit.first', tolerance: 'ok' }, { name: 'second', probe: 'test.value', tolerance: 'ok' }] },
      method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }],
    });
    const { journal, exitCode: code } = await runExperiment(exp, k.options(exp, { signal: ctl.signal, clock }));
    expect({ code, status: journal.status, reason: journal.relia.reason, abort: journal.relia.abort }).toEqual({
      code: exitCode,
      status: 'interrupted',
      reason: `interrupted by ${sig}; cleanup ran; nothing was injected`,
      abort: undefined,
    });
    expect(k.world.events).toEqual([]);
    expect(k.events.filter((e) => e.event === 'activity-start').map((e) => e.detail?.name)).toEqual(['first']);
    expect(journal.run).toEqual([]);
  });
});

describe('engine: an error of the hypothesis before the method that is no signal', () => {
  it('propagates as itself (the CLI reports it as an internal error naming it), not as an interruption', async () => {
    // a tolerance probe whose withValue has a bug: checkHypothesis calls it outside any activity, so it throws
    const world = new World();
    const clock = new FakeClock();
    const reg = registry(world, clock);
    const none = z.strictObject({});
    reg.addProbe({
      type: 'kit.buggy',
      summary: 'buggy',
      args: none,
      plan: async () => ({ targets: [], does: 'test', undo: 'nothing to undo' }),
      withValue: () => {
        throw new TypeError('withValue read args.limit of undefined');
      },
      run: async () => true,
    });
    const exp = parse({
      steadyState: { probes: [{ name: 'v', probe: 'test.value', tolerance: { type: 'probe', probe: 'kit.buggy' } }] },
      method: [{ name: 'slow', action: 'test.latency', args: { ms: 5 } }],
    });
    await expect(runExperiment(exp, options(exp, world, clock, { registry: reg }))).rejects.toThrow(new TypeError('withValue read args.limit of undefined'));
    expect(world.events).toEqual([]);
  });
});
