// How a failover that stops says why (docs/failover.md "Interrupted
// operations"): the journal becomes `interrupted` with where it stopped (before
// step 1, or step k with its percentage) and why (the signal's name for
// SIGINT/SIGTERM, "abort" for another abort, else the error); a journal that is
// no longer running keeps its status. And the progress events: a failing
// notifier never stops an operation; an event carries `step` and `data` only
// when given. Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { CheckFailedError, InterruptedError } from '../../../../src/core/errors.js';
import type { Journal } from '../../../../src/core/failover/journal.js';
import type { FailoverEvent, FailoverPorts } from '../../../../src/core/failover/ports.js';
import { emit, markStopped } from '../../../../src/core/failover/steps.js';
import { MemoryJournalSink } from '../../../fakes/memory-journal.js';
import { FakeClock } from '../../../fakes/virtual-clock.js';
import { journal as contractJournal } from '../../../contract/suites/journal.js';

const T0 = Date.parse('2026-12-03T07:00:00Z');

/** The journal fixture of the journal contract, running, with no events yet. */
const journal = (position: number, status: Journal['status'] = 'running'): Journal => contractJournal(position, { status, events: [] });

function ctx(signal?: AbortSignal) {
  const sink = new MemoryJournalSink();
  const events: FailoverEvent[] = [];
  const ports = { clock: new FakeClock(T0), onEvent: (e: FailoverEvent) => void events.push(e), ...(signal ? { signal } : {}) } as unknown as FailoverPorts;
  return { ports, sink, events };
}

describe('markStopped', () => {
  it('an error before the first step, or during step 1 (50 %)', async () => {
    const c = ctx();
    const before = journal(-1);
    await markStopped(c, before, new Error('Route 53 rejected step 1'));
    expect(before).toMatchObject({ status: 'interrupted', reason: 'stopped at before step 1: Route 53 rejected step 1' });
    const during = journal(0);
    await markStopped(c, during, new Error('lost the lock'));
    expect(during.reason).toBe('stopped at step 1 (50%): lost the lock');
    expect(c.events.map((e) => [e.type, e.message, e.step])).toEqual([
      ['interrupted', 'stopped at before step 1: Route 53 rejected step 1', -1],
      ['interrupted', 'stopped at step 1 (50%): lost the lock', 0],
    ]);
    expect((c.sink.journal as Journal).reason).toBe('stopped at step 1 (50%): lost the lock');
  });

  it('a signal: named when it is SIGINT or SIGTERM, "abort" for any other reason', async () => {
    for (const [reason, word] of [
      [new InterruptedError('SIGTERM'), 'SIGTERM'],
      [new Error('stopped'), 'abort'],
      [new CheckFailedError('stopped by the chaos halt'), 'abort'],
    ] as const) {
      const stop = new AbortController();
      stop.abort(reason);
      const j = journal(1);
      await markStopped(ctx(stop.signal), j, reason);
      expect(j.reason).toBe(`interrupted by ${word} at step 2 (100%)`);
    }
  });

  it('a signal that was not aborted does not count: the error is the reason', async () => {
    const j = journal(0);
    await markStopped(ctx(new AbortController().signal), j, new Error('guard breached'));
    expect(j.reason).toBe('stopped at step 1 (50%): guard breached');
  });

  it('a journal no longer running (reverted, completed) keeps its status and reason', async () => {
    const c = ctx();
    const j = { ...journal(0, 'reverted'), reason: 'guard breached at step 1: eu-west-1 unhealthy' };
    await markStopped(c, j, new Error('x'));
    expect(j).toMatchObject({ status: 'reverted', reason: 'guard breached at step 1: eu-west-1 unhealthy' });
    expect(c.events).toEqual([]);
  });
});

describe('emit', () => {
  it('an event carries step and data only when given; a failing notifier never stops the operation', async () => {
    const c = ctx();
    const j = journal(-1);
    await emit(c, j, 'start', 'starting');
    await emit(c, j, 'step', 'step 1/2', 0, { percent: 25 });
    expect(c.events).toStrictEqual([
      { type: 'start', message: 'starting', at: T0, operation: 'op-1' },
      { type: 'step', message: 'step 1/2', at: T0, operation: 'op-1', step: 0, data: { percent: 25 } },
    ]);
    expect(j.events).toEqual([
      { at: '2026-12-03T07:00:00Z', type: 'start', message: 'starting' },
      { at: '2026-12-03T07:00:00Z', type: 'step', message: 'step 1/2' },
    ]);
    const failing = { ...c, ports: { ...c.ports, onEvent: () => Promise.reject(new Error('webhook down')) } };
    await expect(emit(failing, j, 'guard', 'ok')).resolves.toBeUndefined();
    expect(j.events).toHaveLength(3);
  });
});
