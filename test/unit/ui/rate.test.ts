import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../src/ui/rate.js';

describe('RateMeter', () => {
  it('ignores startup: the rate counts from the first sample, not from the command start', () => {
    const m = new RateMeter(10_000);
    // 3 s of startup pass before the first update at t = 3000.
    m.add(3000, 0);
    m.add(4000, 100);
    m.add(5000, 200);
    expect(m.rate()).toBe(100);
    expect(m.eta(1000)).toBe(8);
  });

  it('follows the present: a slow start is forgotten after the window', () => {
    const m = new RateMeter(2_000);
    m.add(0, 0);
    m.add(1000, 10); // 10/s
    for (let t = 2000; t <= 10_000; t += 1000) m.add(t, 10 + ((t - 1000) / 1000) * 100); // then 100/s
    expect(m.rate()).toBe(100);
  });

  it('has no rate or ETA before two samples span time, nor an ETA without a total', () => {
    const m = new RateMeter();
    expect(m.rate()).toBe(0);
    expect(m.eta(10)).toBeNull();
    m.add(1000, 5);
    m.add(1000, 6);
    expect(m.rate()).toBe(0);
    m.add(2000, 16);
    expect(m.rate()).toBe(10);
    expect(m.eta(null)).toBeNull();
    expect(m.eta(10)).toBe(0);
  });

  it('shows no rate until the samples span a second: a limiter\'s first burst does not read as twice --rate', () => {
    const m = new RateMeter(10_000);
    m.add(0, 0);
    m.add(50, 20); // the token bucket's burst of 20 at --rate 200/s: 400/s over 50 ms
    expect(m.rate()).toBe(0);
    expect(m.eta(1000)).toBeNull();
    m.add(999, 209);
    expect(m.rate()).toBe(0);
    m.add(1000, 210); // then 200/s
    expect(m.rate()).toBe(210);
    m.add(2000, 410);
    expect(m.rate()).toBe(205);
    // A window shorter than a second gives a rate once it is spanned.
    const short = new RateMeter(500);
    short.add(0, 0);
    short.add(499, 10);
    expect(short.rate()).toBe(0);
    short.add(500, 10);
    expect(short.rate()).toBe(20);
  });

  it('equals the true rate for any constant-rate run, whatever the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 100, max: 60_000 }), fc.integer({ min: 5, max: 200 }), fc.integer({ min: 0, max: 10_000 }), (perSecond, windowMs, n, startup) => {
        const m = new RateMeter(windowMs);
        for (let i = 0; i < n; i++) m.add(startup + i * 250, (i * 250 * perSecond) / 1000);
        expect(m.rate()).toBeCloseTo(perSecond, 6);
      }),
    );
  });
});
