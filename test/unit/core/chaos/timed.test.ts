// The one limit every activity, undo and sampler runs under (docs/chaos.md#engine): it ends when the parent aborts
// or the time is up, even if the work ignores its signal.
import { describe, expect, it } from 'vitest';
import { timed } from '../../../../src/core/chaos/timed.js';
import { FakeClock } from '../../../fakes/virtual-clock.js';

const T0 = 1_700_000_000_000;
const never = () => new Promise<never>(() => undefined);

describe('timed', () => {
  it('a parent already aborted: ends at once with its reason, and the work sees an aborted signal', async () => {
    const clock = new FakeClock(T0);
    const reason = new Error('SIGINT');
    let seen: AbortSignal | undefined;
    await expect(
      timed(clock, 60_000, AbortSignal.abort(reason), (s) => {
        seen = s;
        return never();
      }),
    ).rejects.toBe(reason);
    expect(seen?.aborted).toBe(true);
    expect(clock.now()).toBe(T0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a parent aborting while the work runs: ends with its reason', async () => {
    const clock = new FakeClock(T0);
    const ctl = new AbortController();
    const p = timed(clock, 60_000, ctl.signal, never);
    ctl.abort(new Error('guard tripped'));
    await expect(p).rejects.toThrow('guard tripped');
    expect(clock.now()).toBe(T0); // before the time was up
    expect(clock.pendingTimers).toBe(0); // and its timer is gone
  });

  it('the time up: ends with "timed out after N ms", even if the work ignores its signal', async () => {
    const clock = new FakeClock(T0);
    const p = timed(clock, 1500, null, never);
    await expect(p).rejects.toThrow('timed out after 1500 ms');
    expect(clock.now()).toBe(T0 + 1500);
  });

  it('work that finishes in time gives its value', async () => {
    const clock = new FakeClock(T0);
    await expect(timed(clock, 1000, new AbortController().signal, async () => 7)).resolves.toBe(7);
    expect(clock.pendingTimers).toBe(0); // the timer was cancelled
    expect(clock.now()).toBe(T0);
  });
});
