// When cleanup fails or is raced (docs/chaos.md "Exit codes", "The engine"):
// exit 5 in each state a run can be in, an undo that hangs, and a fault that
// lands after the rollback began. Found by mutation testing
// (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import type { ActionRunContext } from '../../../../src/core/chaos/activity.js';
import { runExperiment } from '../../../../src/core/chaos/engine.js';
import { InterruptedError } from '../../../../src/core/errors.js';
import { after, at, kit, parse, type Kit } from './engine-kit.js';

const steady = { probes: [{ name: 'value ok', probe: 'test.value', tolerance: 'ok' }] };
const slow = { name: 'slow', action: 'test.latency', args: { ms: 5 } };

describe('engine: an undo or rollback that fails is exit 5, whatever else happened', () => {
  const leftover = { description: 'latency +5 ms on svc', manualUndo: 'relia chaos proxy --stop svc', error: 'Error: proxy unreachable' };
  const failedRollback = { description: 'rollback r (rollbacks[0])', manualUndo: 're-run rollback r by hand', error: 'Error: boom' };
  const cases: Array<{ name: string; doc: Record<string, unknown>; setup?: (k: Kit) => void; guardIntervalMs?: number; status: string; deviated: boolean; leftovers: unknown[] }> = [
    { name: 'after a run that held', doc: { steadyState: steady, method: [slow] }, status: 'failed', deviated: false, leftovers: [leftover] },
    {
      name: 'after a deviation (a rollback fails)',
      doc: { steadyState: steady, method: [{ name: 'b', action: 'test.break', args: { value: 'broken' } }], rollbacks: [{ name: 'r', action: 'test.fail' }] },
      status: 'failed',
      deviated: true,
      leftovers: [failedRollback],
    },
    {
      name: 'after a halt',
      doc: { method: [slow, { pause: '10m' }] },
      setup: (k) => after(k, 150, () => (k.world.halted = { reason: 'incident 44' })),
      status: 'aborted',
      deviated: false,
      leftovers: [leftover],
    },
    {
      name: 'after a fail-fast deviation during the method',
      doc: { steadyState: { ...steady, continuous: { every: '250ms', failFast: true } }, method: [slow, { name: 'b', action: 'test.break', args: { value: 'broken' } }, { pause: '10m' }] },
      status: 'failed',
      deviated: true,
      leftovers: [leftover],
    },
    {
      name: 'after a halt during the hypothesis after the method: the check it cut short is no deviation',
      doc: { steadyState: { probes: [{ name: 'answers', probe: 'test.request' }] }, method: [slow] },
      setup: (k) => {
        // the probe takes 100 ms: before 0-100, method at 100, after from 100; the halt is read at 130
        k.world.latencyMs = 100;
        after(k, 110, () => (k.world.halted = { reason: 'incident 45' }));
      },
      guardIntervalMs: 30,
      status: 'aborted',
      deviated: false,
      leftovers: [leftover],
    },
    { name: 'two steps failed', doc: { method: [slow], rollbacks: [{ name: 'r', action: 'test.fail' }] }, status: 'failed', deviated: false, leftovers: [leftover, failedRollback] },
  ];
  it.each(cases)('$name', async (c) => {
    const k = kit();
    k.world.failUndo = true;
    c.setup?.(k);
    const exp = parse(c.doc);
    const { journal, exitCode } = await runExperiment(exp, k.options(exp, { guardIntervalMs: c.guardIntervalMs ?? 100 }));
    expect({ exitCode, status: journal.status, deviated: journal.deviated, reason: journal.relia.reason, leftovers: journal.relia.leftovers }).toEqual({
      exitCode: 5,
      status: c.status,
      deviated: c.deviated,
      reason: `${c.leftovers.length} undo/rollback step(s) failed; manual action is needed`,
      leftovers: c.leftovers,
    });
  });

  it('after SIGINT: status interrupted, exit 5', async () => {
    const k = kit();
    k.world.failUndo = true;
    const ctl = new AbortController();
    after(k, 300, () => ctl.abort(new InterruptedError('SIGINT')));
    const exp = parse({ method: [slow, { pause: '10m' }] });
    const { journal, exitCode } = await runExperiment(exp, k.options(exp, { signal: ctl.signal }));
    expect({ exitCode, status: journal.status, leftovers: journal.relia.leftovers }).toEqual({ exitCode: 5, status: 'interrupted', leftovers: [leftover] });
    expect(journal.relia.abort).toMatchObject({ by: 'signal', what: 'SIGINT' });
  });

  it('an undo that hangs is cut at its limit (60 s unless set) and left over with the manual undo', async () => {
    for (const undoTimeoutMs of [undefined, 5000]) {
      const k = kit({
        actions: {
          stuck: async (ctx) => {
            ctx.inject({ description: 'proxy on :9000', manualUndo: 'relia chaos proxy --stop 9000', undo: (u) => u.clock.sleep(3_600_000) });
            return 'injected';
          },
        },
      });
      const exp = parse({ method: [{ name: 's', action: 'kit.stuck' }] });
      const { journal, exitCode } = await runExperiment(exp, k.options(exp, undoTimeoutMs === undefined ? {} : { undoTimeoutMs }));
      const limit = undoTimeoutMs ?? 60_000;
      expect(exitCode).toBe(5);
      expect(journal.relia.leftovers).toEqual([{ description: 'proxy on :9000', manualUndo: 'relia chaos proxy --stop 9000', error: `Error: timed out after ${limit} ms` }]);
      expect(journal.end).toBe(at(k, limit));
    }
  });
});

describe('engine: a fault that lands after the rollback began is still undone', () => {
  // the action ignores its signal: its API call returns (and the fault is in place) after the engine gave up on it at 5 s
  const late = async (ctx: ActionRunContext, k: Kit) => {
    await ctx.clock.sleep(6000);
    k.world.events.push('inject late');
    ctx.inject({ description: 'instances i-1 stopped', manualUndo: 'aws ec2 start-instances --instance-ids i-1', undo: async () => void k.world.events.push('undo late') });
    return 'stopped';
  };
  const cases = [
    { name: 'while earlier faults are being undone (5-7 s)', method: [{ name: 'su', action: 'kit.slowUndo' }], rollbacks: [], events: ['inject late', 'undo proxy', 'undo late'], injected: ['proxy :9000', 'instances i-1 stopped'] },
    { name: "while the file's rollbacks run (5-7 s)", method: [], rollbacks: [{ name: 'r', action: 'kit.slowRollback' }], events: ['inject late', 'rollback done', 'undo late'], injected: ['instances i-1 stopped'] },
  ];
  it.each(cases)('$name', async (c) => {
    const k: Kit = kit({
      actions: {
        slowUndo: async (ctx) => {
          ctx.inject({ description: 'proxy :9000', manualUndo: 'stop it', undo: async (u) => (await u.clock.sleep(2000, u.signal), void k.world.events.push('undo proxy')) });
          return 'ok';
        },
        slowRollback: async (ctx) => (await ctx.clock.sleep(2000, ctx.signal), void k.world.events.push('rollback done')),
        late: (ctx) => late(ctx, k),
      },
    });
    const exp = parse({ method: [...c.method, { name: 'late', action: 'kit.late', timeout: '5s' }], rollbacks: c.rollbacks });
    const { journal, exitCode } = await runExperiment(exp, k.options(exp));
    expect(k.world.events).toEqual(c.events);
    expect({ exitCode, reason: journal.relia.reason }).toEqual({ exitCode: 4, reason: 'action late failed: Error: timed out after 5000 ms; rolled back' });
    expect(journal.relia.injections.map((i) => [i.description, i.undone])).toEqual(c.injected.map((d) => [d, true]));
  });
});
