// A signal that lands between two probes of the hypothesis before the method (docs/chaos.md "Exit codes": 130/143,
// interrupted, after the cleanup; the engine diagram: nothing is injected before the hypothesis held). The probe
// before it has returned and the next has not started, so no probe is cut: the hypothesis check stops at the next
// probe (src/core/chaos/hypothesis.ts throws the signal's reason there). The only injected code that runs in that gap
// is the clock, read when the first probe's run is recorded; the test's clock delivers the signal on that read, as a
// Ctrl-C arriving at that instant would.
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../../src/core/chaos/engine.js';
import { InterruptedError } from '../../../../src/core/errors.js';
import type { Clock } from '../../../../src/ports/clock.js';
import { kit, parse } from './engine-kit.js';

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
