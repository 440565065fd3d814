import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../../src/core/errors.js';
import { Lifecycle } from '../../../src/cli/lifecycle.js';

function setup(graceMs = 50) {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const lines: string[] = [];
  const lc = new Lifecycle({ emitter, graceMs, exit: (c) => exits.push(c), log: (l) => lines.push(l) });
  lc.install();
  return { emitter, exits, lines, lc };
}

describe('Lifecycle', () => {
  it('runs cleanups last-first, once, and collects failures', async () => {
    const { lc } = setup();
    const order: string[] = [];
    lc.defer('a', () => void order.push('a'));
    lc.defer('b', async () => {
      order.push('b');
      throw new Error('boom');
    });
    const remove = lc.defer('c', () => void order.push('c'));
    remove();
    const failures = await lc.runCleanups();
    expect(order).toEqual(['b', 'a']);
    expect(failures.map((f) => f.name)).toEqual(['b']);
    expect(await lc.runCleanups()).toBe(failures);
    expect(order).toEqual(['b', 'a']);
    lc.dispose();
  });

  it('SIGTERM aborts the signal with an InterruptedError (143)', () => {
    const { emitter, lc } = setup();
    emitter.emit('SIGTERM');
    expect(lc.signal.aborted).toBe(true);
    expect(lc.signal.reason).toBeInstanceOf(InterruptedError);
    expect((lc.signal.reason as InterruptedError).exitCode).toBe(143);
    expect(lc.interruptedBy).toBe('SIGTERM');
    lc.dispose();
  });

  it('forces cleanup and exit when the work ignores the abort past the grace period', async () => {
    const { emitter, exits, lc } = setup(20);
    let cleaned = false;
    lc.defer('restore', () => {
      cleaned = true;
    });
    emitter.emit('SIGINT');
    await expect.poll(() => exits.length, { timeout: 2000, interval: 5 }).toBe(1);
    expect(cleaned).toBe(true);
    expect(exits).toEqual([130]);
    lc.dispose();
  });

  it('a second signal forces cleanup at once; a failed cleanup exits 5', async () => {
    const { emitter, exits, lines, lc } = setup(60_000);
    lc.defer('release lock', () => {
      throw new Error('disk gone');
    });
    emitter.emit('SIGINT');
    emitter.emit('SIGINT');
    await expect.poll(() => exits.length, { timeout: 2000, interval: 5 }).toBe(1);
    expect(exits).toEqual([5]);
    expect(lines.join('\n')).toMatch(/cleanup "release lock" failed: disk gone/);
    lc.dispose();
  });
});
