/**
 * When the work does not stop after Ctrl-C or SIGTERM (docs/exit-codes.md
 * "Signals"): the exact lines a user sees, the forced cleanup after the grace
 * period or a second signal, and the exit code of a forced exit (130 after
 * SIGINT, 143 after SIGTERM, 5 when a cleanup failed), by process.exit when
 * no exit is injected. Also: removing a cleanup (the first one too) and
 * abort(reason) for a safety guard. Fake timers; the signals come from a test
 * emitter, never the vitest worker's process.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lifecycle } from '../../../src/cli/lifecycle.js';

function setup(graceMs?: number) {
  vi.useFakeTimers();
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const lines: string[] = [];
  const lc = new Lifecycle({ emitter, exit: (c) => void exits.push(c), log: (l) => void lines.push(l), ...(graceMs === undefined ? {} : { graceMs }) });
  lc.install();
  return { emitter, exits, lines, lc };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Lifecycle: a forced exit', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s, then the work does not stop within the 10 s default grace: cleanup runs, exit %i', async (sig, code) => {
    const { emitter, exits, lines, lc } = setup();
    const done: string[] = [];
    lc.defer('release lock', () => void done.push('release lock'));
    emitter.emit(sig);
    expect(lines).toEqual([`relia: ${sig} received; stopping and cleaning up (send again to force)`]);
    expect(lc.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(lines[1]).toBe('relia: work did not stop within 10000 ms; running cleanup now');
    expect(done).toEqual(['release lock']);
    expect(exits).toEqual([code]);
  });

  it('a second signal forces at once, with the first signal\'s exit code', async () => {
    const { emitter, exits, lines } = setup(60_000);
    emitter.emit('SIGINT');
    emitter.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(lines).toEqual(['relia: SIGINT received; stopping and cleaning up (send again to force)', 'relia: second SIGTERM; running cleanup now']);
    expect(exits).toEqual([130]);
  });

  it('a cleanup that fails during a forced exit is named, and the exit is 5', async () => {
    const { emitter, exits, lines, lc } = setup(5);
    lc.defer('restore TTLs', () => {
      throw new Error('READONLY');
    });
    lc.defer('stop proxy', () => {
      throw 'gone';
    });
    emitter.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(5);
    expect(lines.slice(1)).toEqual(['relia: work did not stop within 5 ms; running cleanup now', 'relia: cleanup "stop proxy" failed: gone', 'relia: cleanup "restore TTLs" failed: READONLY']);
    expect(exits).toEqual([5]);
  });

  it('once disposed (the work stopped in time), the grace timer never fires and signals are not heard', async () => {
    const { emitter, exits, lines, lc } = setup(100);
    emitter.emit('SIGTERM');
    lc.dispose();
    await vi.advanceTimersByTimeAsync(1_000);
    emitter.emit('SIGINT');
    expect(exits).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('removing a cleanup twice removes nothing else', async () => {
    const { lc } = setup();
    const ran: string[] = [];
    lc.defer('a', () => void ran.push('a'));
    const remove = lc.defer('b', () => void ran.push('b'));
    lc.defer('c', () => void ran.push('c'));
    remove();
    remove();
    await lc.runCleanups();
    expect(ran).toEqual(['c', 'a']);
  });

  it('removing the first cleanup registered (index 0) removes it', async () => {
    const { lc } = setup();
    const ran: string[] = [];
    const remove = lc.defer('a', () => void ran.push('a'));
    lc.defer('b', () => void ran.push('b'));
    remove();
    await lc.runCleanups();
    expect(ran).toEqual(['b']);
  });

  it('abort(reason): a safety guard stops the work with its own reason, not a signal', () => {
    const { lc, lines, exits } = setup();
    const reason = new Error('hit ratio fell below the floor');
    lc.abort(reason);
    expect(lc.signal.aborted).toBe(true);
    expect(lc.signal.reason).toBe(reason);
    expect(lc.interruptedBy).toBeNull();
    expect([lines, exits]).toEqual([[], []]);
  });

  it('without an exit option a forced exit ends the process with process.exit (130 after SIGINT)', async () => {
    vi.useFakeTimers();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    try {
      const emitter = new EventEmitter();
      const lc = new Lifecycle({ emitter, log: () => undefined });
      lc.install();
      emitter.emit('SIGINT');
      emitter.emit('SIGINT');
      await vi.advanceTimersByTimeAsync(0);
      expect(exit.mock.calls).toEqual([[130]]);
      lc.dispose();
    } finally {
      exit.mockRestore();
    }
  });
});
