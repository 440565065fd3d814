// The engine's watchers and timers (docs/chaos.md "Guards", "The engine"):
// what makes a probe guard's sample bad, when samples are taken and counted,
// the guard schedule, the hypothesis checks during the method, activity
// limits, background steps, the plan's target counts, and that a finished run
// leaves nothing running. Found by mutation testing
// (docs/testing.md#mutation-testing).
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../../src/core/chaos/engine.js';
import { after, at, kit, parse } from './engine-kit.js';

const slow = { name: 'slow', action: 'test.latency', args: { ms: 5 } };

describe('a probe guard: which samples are bad (one bad sample is over max 1 %, so the run aborts)', () => {
  type Out = unknown;
  const rows: Array<{ name: string; sample: () => Out; sleepMs?: number; slowerThan?: string; exitCode: 0 | 4 }> = [
    { name: 'latencyMs under slowerThan', sample: () => ({ status: 200, latencyMs: 150 }), slowerThan: '200ms', exitCode: 0 },
    { name: 'latencyMs exactly slowerThan (not slower)', sample: () => ({ status: 200, latencyMs: 200 }), slowerThan: '200ms', exitCode: 0 },
    { name: 'latencyMs over slowerThan', sample: () => ({ status: 200, latencyMs: 201 }), slowerThan: '200ms', exitCode: 4 },
    { name: 'durationMs over slowerThan', sample: () => ({ status: 200, durationMs: 250 }), slowerThan: '200ms', exitCode: 4 },
    { name: 'latencyMs is preferred to durationMs', sample: () => ({ status: 200, latencyMs: 100, durationMs: 900 }), slowerThan: '200ms', exitCode: 0 },
    { name: 'no reported time: the time the probe took, fast', sample: () => ({ status: 200 }), sleepMs: 50, slowerThan: '200ms', exitCode: 0 },
    { name: 'no reported time: the time the probe took, slow', sample: () => ({ status: 200 }), sleepMs: 250, slowerThan: '200ms', exitCode: 4 },
    { name: 'no output at all', sample: () => undefined, slowerThan: '200ms', exitCode: 0 },
    { name: 'without slowerThan no time is slow', sample: () => ({ status: 200, latencyMs: 99_999 }), exitCode: 0 },
    { name: 'status 500', sample: () => ({ status: 500 }), exitCode: 4 },
    { name: 'status 499', sample: () => ({ status: 499 }), exitCode: 0 },
    { name: 'a status that is not a number', sample: () => ({ status: '503' }), exitCode: 0 },
    {
      name: 'the probe failed',
      sample: () => {
        throw new Error('ECONNRESET');
      },
      exitCode: 4,
    },
  ];
  it.each(rows)('$name', async (row) => {
    const k = kit({
      probes: {
        sample: async (ctx) => {
          if (row.sleepMs) await ctx.clock.sleep(row.sleepMs, ctx.signal);
          return row.sample();
        },
      },
    });
    const guard = { type: 'userImpact', name: 'users', probe: { probe: 'kit.sample' }, every: '100ms', window: '10s', ...(row.slowerThan ? { slowerThan: row.slowerThan } : {}) };
    const exp = parse({ method: [slow, { pause: '350ms' }], guards: [guard] });
    const { exitCode, journal } = await runExperiment(exp, k.options(exp));
    expect({ exitCode, by: journal.relia.abort?.what }).toEqual(row.exitCode === 4 ? { exitCode: 4, by: 'users' } : { exitCode: 0, by: undefined });
  });
});

describe('a probe guard: when samples are taken and counted', () => {
  it('every `every` from the start of the last sample, however long a sample takes', async () => {
    const starts: number[] = [];
    const k = kit({
      probes: {
        sample: async (ctx) => {
          starts.push(ctx.clock.now() - k.start);
          await ctx.clock.sleep(30, ctx.signal);
          return { status: 200 };
        },
      },
    });
    const exp = parse({ method: [slow, { pause: '450ms' }], guards: [{ type: 'userImpact', probe: { probe: 'kit.sample' }, every: '100ms' }] });
    await runExperiment(exp, k.options(exp));
    expect(starts).toEqual([0, 100, 200, 300, 400]);
  });

  it('the warm-up ends exactly at `warmup`: the sample taken then counts', async () => {
    for (const [warmup, exitCode] of [
      ['200ms', 4],
      ['201ms', 0],
    ] as const) {
      const k = kit({ probes: { sample: async (ctx) => ({ status: ctx.clock.now() - k.start === 200 ? 500 : 200 }) } });
      const exp = parse({ method: [slow, { pause: '350ms' }], guards: [{ type: 'userImpact', probe: { probe: 'kit.sample' }, every: '100ms', warmup }] });
      expect((await runExperiment(exp, k.options(exp))).exitCode).toBe(exitCode);
    }
  });
});

describe('the guard schedule', () => {
  it('a fixed rate: a check that overran is followed by one at once, never by a burst of catch-up checks', async () => {
    const reads: number[] = [];
    const k = kit();
    const halt = async () => {
      const t = k.clock.now() - k.start;
      reads.push(t);
      if (t === 100) await k.clock.sleep(250);
      return null;
    };
    const exp = parse({ method: [slow, { pause: '580ms' }] });
    await runExperiment(exp, k.options(exp, { halt }));
    expect(reads).toEqual([0, 100, 350, 450, 550]);
  });

  it('the monitor is stopped before the rollback: a check still running when the method ends is let finish and changes nothing', async () => {
    const k = kit();
    const halt = async () => {
      if (k.clock.now() - k.start !== 500) return null;
      await k.clock.sleep(250);
      k.world.events.push('halt read');
      return { reason: 'set while the method ended' };
    };
    const exp = parse({ method: [slow, { pause: '580ms' }] });
    const { exitCode, journal } = await runExperiment(exp, k.options(exp, { halt }));
    expect(exitCode).toBe(0);
    expect(journal.relia.abort).toBeUndefined();
    expect(k.world.events).toEqual(['inject latency 5', 'halt read', 'undo latency 5']);
  });
});

describe('the hypothesis during the method', () => {
  it('a check cut short by the end of the method is dropped', async () => {
    const k = kit();
    // every probe takes 20 ms: before 0-20; checks 20, 140, 260, 380 (cut at 390); after 370-390
    const exp = parse({ steadyState: { probes: [{ name: 'answers', probe: 'test.request' }], continuous: { every: '100ms' } }, method: [{ pause: '350ms' }] });
    const { journal } = await runExperiment(exp, k.options(exp));
    expect(journal.steady_states.during.map((s) => [s.steady_state_met, s.probes[0]?.start])).toEqual([
      [true, at(k, 20)],
      [true, at(k, 140)],
      [true, at(k, 260)],
    ]);
  });

  it('fail fast on a probe that failed (rather than one out of tolerance) says so', async () => {
    const k = kit({
      probes: {
        flaky: async () => {
          if (k.world.errors) throw new Error('503');
          return 'ok';
        },
      },
    });
    after(k, 150, () => (k.world.errors = true));
    const exp = parse({ steadyState: { probes: [{ name: 'flaky answers', probe: 'kit.flaky' }], continuous: { every: '100ms', failFast: true } }, method: [{ pause: '10m' }] });
    const { journal, exitCode } = await runExperiment(exp, k.options(exp));
    expect({ exitCode, reason: journal.relia.reason }).toEqual({ exitCode: 1, reason: 'the steady state deviated during the method: flaky answers failed (fail fast); rolled back' });
  });
});

describe('activities', () => {
  it('an action that ignores its signal is still cut at its timeout', async () => {
    const k = kit({ actions: { deaf: async (ctx) => (await ctx.clock.sleep(3_600_000), 'done') } });
    const exp = parse({ method: [{ name: 'd', action: 'kit.deaf', timeout: '5s' }] });
    const { journal, exitCode } = await runExperiment(exp, k.options(exp));
    expect({ exitCode, exception: journal.run[0]?.exception, end: journal.end }).toEqual({ exitCode: 4, exception: ['Error: timed out after 5000 ms'], end: at(k, 5000) });
  });

  it('a background step runs alongside the next ones; the method waits for it', async () => {
    const k = kit();
    const exp = parse({ method: [{ name: 'bg', action: 'test.latency', args: { ms: 5, holdMs: 1000 }, background: true }, { name: 'b', action: 'test.break', args: { value: 'x' } }] });
    const { journal } = await runExperiment(exp, k.options(exp));
    expect(journal.run.map((r) => [r.activity['name'], r.start, r.end])).toEqual([
      ['b', at(k, 0), at(k, 0)],
      ['bg', at(k, 0), at(k, 1000)],
    ]);
    expect(journal.end).toBe(at(k, 1000));
  });

  it('an action is held to the targets the plan showed: capped over it (and said so), untouched at or under it', async () => {
    for (const [planned, got, capped] of [
      [undefined, 3, false],
      [4, 3, false],
      [3, 3, false],
      [2, 2, true],
    ] as const) {
      const k = kit({ actions: { claim: async (ctx) => ctx.claimTargets?.(3) } });
      const exp = parse({ method: [{ name: 'c', action: 'kit.claim' }] });
      const { journal } = await runExperiment(exp, k.options(exp, planned === undefined ? {} : { plannedTargets: new Map([['method[0]', planned]]) }));
      expect(journal.run[0]?.output).toBe(got);
      expect(k.events.filter((e) => e.event === 'targets-capped')).toEqual(capped ? [{ event: 'targets-capped', detail: { path: 'method[0]', name: 'c', wanted: 3, planned } }] : []);
    }
  });
});

describe('a finished run leaves nothing behind', () => {
  it('no timer (the CLI would stay alive until it fires) and no listener on the caller signal', async () => {
    const k = kit({ probes: { sample: async () => ({ status: 200 }) } });
    const ctl = new AbortController();
    const exp = parse({
      steadyState: { probes: [{ name: 'answers', probe: 'test.request' }], continuous: { every: '300ms' } },
      method: [slow, { name: 'hold', action: 'test.latency', args: { ms: 1, holdMs: 200 }, timeout: '1m' }, { pause: '1s' }],
      rollbacks: [{ name: 'r', action: 'test.restore' }],
      guards: [{ type: 'userImpact', probe: { probe: 'kit.sample' }, every: '100ms' }, { type: 'maxDuration', duration: '1h' }],
    });
    const { exitCode } = await runExperiment(exp, k.options(exp, { signal: ctl.signal }));
    expect(exitCode).toBe(0);
    expect(k.clock.pendingTimers).toBe(0);
    expect(getEventListeners(ctl.signal, 'abort')).toEqual([]);
  });
});
