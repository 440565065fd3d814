import { describe, expect, it } from 'vitest';
import { Gate, RunControl, RunStopped } from '../../../../src/core/cache/run.js';
import { FakeClock } from './fakes.js';

describe('RunControl request scopes', () => {
  it('hands the signal of a finished request to the next one, never an aborted one', async () => {
    const clock = new FakeClock(0);
    const control = new RunControl(clock, undefined, undefined, 100);
    const a = control.requestScope();
    a.release();
    const b = control.requestScope();
    expect(b.signal).toBe(a.signal); // reused
    const c = control.requestScope(); // b still in flight: a fresh one
    expect(c.signal).not.toBe(b.signal);
    control.stop('signal');
    const drained = control.drain([clock.sleep(1000)]); // in flight past the grace period: cancelled
    await drained;
    expect(b.signal.aborted).toBe(true);
    expect(c.signal.reason).toBeInstanceOf(RunStopped);
    b.release();
    c.release();
    const d = control.requestScope();
    expect(d.signal.aborted).toBe(true); // after the cancel, new requests start cancelled
    expect(d.signal).not.toBe(b.signal);
    control.dispose();
  });
});

describe('Gate', () => {
  it('tryEnter takes a free slot without waiting; enter waits for one or for the stop', async () => {
    let limit = 2;
    const gate = new Gate(() => limit);
    expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(false);
    const stop = new AbortController();
    const waiting = gate.enter(stop.signal);
    gate.leave();
    expect(await waiting).toBe(true);
    expect(gate.inFlight).toBe(2);
    limit = 1;
    const blocked = gate.enter(stop.signal);
    stop.abort();
    expect(await blocked).toBe(false);
    expect(await gate.enter(stop.signal)).toBe(false);
  });
});
