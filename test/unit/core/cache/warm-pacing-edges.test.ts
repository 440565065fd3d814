/**
 * How a warm run issues its work (src/core/cache/warm/pacing.ts), pinned from docs/cache.md "Protection":
 * items go out in order through the concurrency gate, then the token bucket (burst = max(1, ⌈rate/10⌉)
 * unless given); no work is issued once the run stopped, in-flight work is waited for; a token whose
 * wait was abandoned goes back; an async source is closed when the run stops early (as for-await would);
 * the adaptive rate becomes a token-bucket limit, with `--rate` (and its burst) as the ceiling.
 */
import { describe, expect, it } from 'vitest';
import { resolveLimits, type WarmLimits } from '../../../../src/core/cache/limits.js';
import { RunControl } from '../../../../src/core/cache/run.js';
import { Pacer, pool, type PoolHooks } from '../../../../src/core/cache/warm/pacing.js';
import type { WarmMode } from '../../../../src/core/cache/warm/types.js';
import { FakeClock } from './fakes.js';

function rig(limits: WarmLimits = {}, mode: WarmMode = 'redis-origin') {
  const clock = new FakeClock(0);
  const l = resolveLimits(limits);
  const control = new RunControl(clock, undefined, l.maxDurationMs, l.abortGraceMs);
  const pacer = new Pacer(clock, l, mode);
  const log = { settled: 0, fatal: [] as unknown[], before: 0 };
  const hooks = (over: Partial<PoolHooks> = {}): PoolHooks => ({
    control,
    pacer,
    beforeIssue: () => {
      log.before++;
      return undefined;
    },
    settled: () => log.settled++,
    fatal: (err) => log.fatal.push(err),
    ...over,
  });
  return { clock, control, pacer, hooks, log };
}

describe('pool: issuing items', () => {
  it('issues every item in order, at most `concurrency` at once, and waits for the last', async () => {
    const { clock, hooks, log, pacer } = rig({ adaptive: false, concurrency: 2 });
    const started: Array<[number, number]> = [];
    let inFlight = 0;
    let most = 0;
    const finished: number[] = [];
    await pool(hooks(), [0, 1, 2, 3, 4], async (item) => {
      started.push([item, clock.now()]);
      inFlight++;
      most = Math.max(most, inFlight);
      await clock.sleep(10 * (item + 1));
      inFlight--;
      finished.push(item);
    });
    expect(started.map(([i]) => i)).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(finished.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(log.settled).toBe(5);
    expect(log.before).toBe(5);
    expect(pacer.gate.inFlight).toBe(0);
    // item 2 starts when item 0 ends (10 ms), item 3 when item 1 ends (20 ms)
    expect(started.slice(2, 4)).toEqual([
      [2, 10],
      [3, 20],
    ]);
  });

  it('paces items through the token bucket: --rate 10 with burst 1 is one item per 100 ms', async () => {
    const { clock, hooks } = rig({ adaptive: false, concurrency: 8, rate: 10, burst: 1 });
    const at: number[] = [];
    await pool(hooks(), [0, 1, 2, 3], async () => {
      at.push(clock.now());
    });
    expect(at).toEqual([0, 100, 200, 300]);
  });

  it('waits for the work beforeIssue hands it before the next item', async () => {
    const { clock, hooks } = rig({ adaptive: false, concurrency: 8 });
    const at: number[] = [];
    await pool(hooks({ beforeIssue: () => (at.length === 2 ? clock.sleep(50) : undefined) }), [0, 1, 2, 3], async () => {
      at.push(clock.now());
    });
    expect(at).toEqual([0, 0, 50, 50]);
  });

  it('walks a plain list without a yield per item: the first `concurrency` items start in the tick pool() is called', async () => {
    // pacing.ts: "a plain list is walked without an await per item (one per item adds up at thousands of items a
    // second)"; with no bucket and no work before the items, nothing is awaited until the gate is full.
    const { hooks } = rig({ adaptive: false, concurrency: 3 });
    const started: number[] = [];
    const done = pool(hooks(), [0, 1, 2, 3, 4], async (item) => {
      started.push(item);
    });
    // read before anything is awaited here: item 3 waits for a slot, which frees only once item 0 settles
    expect(started).toEqual([0, 1, 2]);
    await done;
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('a failed item is reported as fatal and still settles (its slot is freed)', async () => {
    const { hooks, log, pacer } = rig({ adaptive: false, concurrency: 1 });
    const boom = new Error('boom');
    const done: number[] = [];
    await pool(hooks(), [0, 1, 2], async (item) => {
      if (item === 1) throw boom;
      done.push(item);
    });
    expect(log.fatal).toEqual([boom]);
    expect(log.settled).toBe(3);
    expect(done).toEqual([0, 2]);
    expect(pacer.gate.inFlight).toBe(0);
  });
});

describe('pool: stopping', () => {
  it('issues nothing once the run stopped', async () => {
    const { control, hooks, log } = rig({ adaptive: false, concurrency: 4 });
    const seen: number[] = [];
    await pool(hooks(), [0, 1, 2, 3], async (item) => {
      seen.push(item);
      if (item === 1) control.stop('max-failures');
    });
    expect(seen).toEqual([0, 1]);
    expect(log.before).toBe(2); // not even the work before the next item (a due checkpoint save) runs
  });

  it('a run stopped by the work before an item (a failed checkpoint save) does not issue it, nor hold its slot', async () => {
    const { control, hooks, pacer } = rig({ adaptive: false, concurrency: 4 });
    const seen: number[] = [];
    await pool(
      hooks({
        beforeIssue: () => {
          if (seen.length === 2) control.stop('error');
          return undefined;
        },
      }),
      [0, 1, 2, 3],
      async (item) => {
        seen.push(item);
      },
    );
    expect(seen).toEqual([0, 1]);
    expect(pacer.gate.inFlight).toBe(0);
  });

  it('a stop while waiting for a slot ends the pool without taking one', async () => {
    const { clock, control, hooks, pacer } = rig({ adaptive: false, concurrency: 1 });
    const seen: number[] = [];
    clock.at(30, () => control.stop('signal'));
    await pool(hooks(), [0, 1, 2], async (item) => {
      seen.push(item);
      await clock.sleep(100);
    });
    expect(seen).toEqual([0]);
    expect(pacer.gate.inFlight).toBe(0);
  });

  it('a token wait cut by --max-duration gives the token back and frees the slot', async () => {
    const { clock, hooks, pacer, control } = rig({ adaptive: false, concurrency: 4, rate: 10, burst: 1, maxDuration: 0.05 });
    const seen: number[] = [];
    await pool(hooks(), [0, 1, 2], async (item) => {
      seen.push(item);
    });
    expect(seen).toEqual([0]);
    expect(control.stoppedBy).toBe('max-duration');
    expect(clock.now()).toBe(50);
    expect(pacer.gate.inFlight).toBe(0);
    // the bucket holds 0.5 tokens (50 ms at 10/s), not −0.5: the next token is 50 ms away
    expect(pacer.bucket!.reserve(1)).toBe(50);
  });

  it('closes an async source stopped early, not one that ended', async () => {
    const { control, hooks } = rig({ adaptive: false, concurrency: 4 });
    let closed = 0;
    async function* items(n: number): AsyncGenerator<number> {
      try {
        for (let i = 0; i < n; i++) yield i;
      } finally {
        closed++;
      }
    }
    const seen: number[] = [];
    await pool(hooks(), items(10), async (item) => {
      seen.push(item);
      if (item === 2) control.stop('max-duration');
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(closed).toBe(1);

    let returns = 0;
    const ended: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => {
        let i = 0;
        return {
          next: () => Promise.resolve(i < 2 ? { done: false, value: i++ } : { done: true, value: undefined }),
          return: () => {
            returns++;
            return Promise.resolve({ done: true, value: undefined });
          },
        };
      },
    };
    const r2 = rig({ adaptive: false, concurrency: 4 });
    await pool(r2.hooks(), ended, async () => undefined);
    expect(returns).toBe(0);
  });

  it('a source without return() stopped early needs no closing', async () => {
    const { control, hooks, log } = rig({ adaptive: false, concurrency: 4 });
    let i = 0;
    const bare: AsyncIterable<number> = { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: false, value: i++ }) }) };
    const seen: number[] = [];
    await pool(hooks(), bare, async (item) => {
      seen.push(item);
      if (item === 1) control.stop('signal');
    });
    expect(seen).toEqual([0, 1]);
    expect(log.fatal).toEqual([]);
  });

  it('an error of the source, or of closing it, is fatal', async () => {
    const { hooks, log } = rig({ adaptive: false, concurrency: 4 });
    const boom = new Error('scan failed');
    const failing: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(boom) }),
    };
    await pool(hooks(), failing, async () => undefined);
    expect(log.fatal).toEqual([boom]);

    const r2 = rig({ adaptive: false, concurrency: 4 });
    const closeErr = new Error('close failed');
    const badClose: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve({ done: false, value: 0 }),
        return: () => Promise.reject(closeErr),
      }),
    };
    await pool(r2.hooks(), badClose, async () => r2.control.stop('signal'));
    expect(r2.log.fatal).toEqual([closeErr]);
  });
});

describe('Pacer', () => {
  it('a fixed limit with --no-adaptive; AIMD starting at min(max, 4) otherwise', () => {
    expect(rig({ adaptive: false, concurrency: 9 }).pacer.conc.current).toBe(9);
    expect(rig({ concurrency: 9 }).pacer.conc.current).toBe(4);
    expect(rig({ concurrency: 2 }).pacer.conc.current).toBe(2);
  });

  it('no bucket without --rate; --rate and --burst make one', () => {
    expect(rig().pacer.bucket).toBeUndefined();
    const b = rig({ rate: 50, burst: 7 }).pacer.bucket!;
    expect([b.ratePerSecond, b.burst]).toEqual([50, 7]);
  });

  it('the adaptive rate without --rate creates a bucket with 100 ms of burst', () => {
    const { pacer } = rig();
    pacer.applyRate(55);
    expect([pacer.bucket!.ratePerSecond, pacer.bucket!.burst]).toEqual([55, 6]);
    pacer.applyRate(5);
    expect([pacer.bucket!.ratePerSecond, pacer.bucket!.burst]).toEqual([5, 1]);
    const low = rig();
    low.pacer.applyRate(0.5);
    expect(low.pacer.bucket!.burst).toBe(1);
  });

  it('with --rate, the ceiling: below it the burst is 100 ms of the new rate, at it the user\'s burst again', () => {
    const { pacer } = rig({ rate: 100, burst: 40 });
    pacer.applyRate(50);
    expect([pacer.bucket!.ratePerSecond, pacer.bucket!.burst]).toEqual([50, 5]);
    pacer.applyRate(100);
    expect([pacer.bucket!.ratePerSecond, pacer.bucket!.burst]).toEqual([100, 40]);
    pacer.applyRate(99.9);
    expect(pacer.bucket!.burst).toBe(10);
  });

  it('the adaptive rate takes --rate as its ceiling', () => {
    const { pacer } = rig({ rate: 3 });
    const rate = pacer.rate!;
    for (let i = 0; i < 50; i++) rate.started(0);
    // 50 starts in the first 100 ms = 500/s, halved = 250/s, capped at 3
    expect(rate.overloaded(0, 0)).toBe(3);
  });
});
