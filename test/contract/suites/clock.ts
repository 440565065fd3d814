/**
 * The Clock and Random contracts (src/ports/clock.ts): what every engine
 * relies on from injected time and randomness. Run against the system clock
 * the commands use (src/cli/base-command.ts `systemClock`) and the virtual
 * FakeClock of the core tests; Math.random, the product's seeded Random
 * (`--seed`) and the tests' seeded Random.
 */
import { describe, expect, it } from 'vitest';
import type { Clock, Random } from '../../../src/ports/clock.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

export function clockContract(name: string, make: () => Clock) {
  describe(`Clock contract: ${name}`, () => {
    it('now() is epoch milliseconds and never goes back across a sleep', async () => {
      const clock = make();
      const t0 = clock.now();
      expect(Number.isFinite(t0)).toBe(true);
      expect(t0).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
      await clock.sleep(5);
      expect(clock.now()).toBeGreaterThanOrEqual(t0);
    });

    it('sleep(ms) resolves once ms have passed on this clock', async () => {
      const clock = make();
      const t0 = clock.now();
      await clock.sleep(40);
      // timers may round the start down by a millisecond
      expect(clock.now() - t0).toBeGreaterThanOrEqual(39);
    });

    it('sleep(0) and a negative sleep resolve', async () => {
      const clock = make();
      await clock.sleep(0);
      await clock.sleep(-10);
    });

    it('concurrent sleeps wake in deadline order, not call order', async () => {
      const clock = make();
      const woke: number[] = [];
      await Promise.all([60, 10, 35].map((ms) => clock.sleep(ms).then(() => woke.push(ms))));
      expect(woke).toEqual([10, 35, 60]);
    });

    it('a sleep with an already-aborted signal rejects at once with the signal\'s reason', async () => {
      const clock = make();
      const ctl = new AbortController();
      const reason = new Error('stop');
      ctl.abort(reason);
      const t0 = clock.now();
      expect(await rejection(clock.sleep(60_000, ctl.signal))).toBe(reason);
      expect(clock.now() - t0).toBeLessThan(60_000);
    });

    it('aborting a sleep rejects it with the reason, before its time', async () => {
      const clock = make();
      const ctl = new AbortController();
      const reason = new Error('SIGINT');
      const t0 = clock.now();
      const sleeping = rejection(clock.sleep(60_000, ctl.signal));
      ctl.abort(reason);
      expect(await sleeping).toBe(reason);
      expect(clock.now() - t0).toBeLessThan(60_000);
    });

    it('a signal aborted after the sleep resolved changes nothing', async () => {
      const clock = make();
      const ctl = new AbortController();
      await clock.sleep(5, ctl.signal);
      ctl.abort(new Error('late'));
      await clock.sleep(5, new AbortController().signal);
    });
  });
}

export function randomContract(name: string, make: (seed: number) => Random, options: { seeded: boolean }) {
  describe(`Random contract: ${name}`, () => {
    it('returns numbers in [0, 1), spread over the interval', () => {
      const random = make(7);
      const xs = Array.from({ length: 20_000 }, () => random());
      for (const x of xs) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(1);
      }
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
      const tenths = new Array<number>(10).fill(0);
      for (const x of xs) tenths[Math.floor(x * 10)]! += 1;
      for (const n of tenths) expect(Math.abs(n - 2000)).toBeLessThan(300);
    });

    if (options.seeded) {
      it('the same seed gives the same sequence; different seeds differ', () => {
        const a = make(42);
        const b = make(42);
        const c = make(43);
        const sa = Array.from({ length: 50 }, () => a());
        expect(Array.from({ length: 50 }, () => b())).toEqual(sa);
        expect(Array.from({ length: 50 }, () => c())).not.toEqual(sa);
      });
    }
  });
}
