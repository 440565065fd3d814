// The one limit every activity, undo and sampler runs under (docs/chaos.md#engine): it ends when the parent aborts
// or the time is up, even if the work ignores its signal.
import { describe, expect, it } from 'vitest';
import { timed } from '../../../../src/core/chaos/timed.js';
import type { Clock } from '../../../../src/ports/clock.js';

/** A clock whose sleeps end only when aborted, or when `fire()` is called. */
function manualClock(): Clock & { fire(): void } {
  const pending: Array<() => void> = [];
  return {
    now: () => 0,
    sleep: (_ms, signal) =>
      new Promise<void>((resolve, reject) => {
        pending.push(resolve);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    fire: () => pending.splice(0).forEach((r) => r()),
  };
}
const never = () => new Promise<never>(() => undefined);

describe('timed', () => {
  it('a parent already aborted: ends at once with its reason, and the work sees an aborted signal', async () => {
    const reason = new Error('SIGINT');
    let seen: AbortSignal | undefined;
    await expect(
      timed(manualClock(), 60_000, AbortSignal.abort(reason), (s) => {
        seen = s;
        return never();
      }),
    ).rejects.toBe(reason);
    expect(seen?.aborted).toBe(true);
  });

  it('a parent aborting while the work runs: ends with its reason', async () => {
    const ctl = new AbortController();
    const p = timed(manualClock(), 60_000, ctl.signal, never);
    ctl.abort(new Error('guard tripped'));
    await expect(p).rejects.toThrow('guard tripped');
  });

  it('the time up: ends with "timed out after N ms", even if the work ignores its signal', async () => {
    const clock = manualClock();
    const p = timed(clock, 1500, null, never);
    clock.fire();
    await expect(p).rejects.toThrow('timed out after 1500 ms');
  });

  it('work that finishes in time gives its value', async () => {
    await expect(timed(manualClock(), 1000, new AbortController().signal, async () => 7)).resolves.toBe(7);
  });
});
