import { describe, expect, it } from 'vitest';
import { prng } from '../../../helpers/prng.js';
import { autocorrelation, DAY, detectSeason, detrend, WEEK } from '../../../../src/core/capacity/seasonality.js';


describe('detrend and autocorrelation', () => {
  it('detrend removes a straight line exactly', () => {
    detrend([1, 3, 5, 7, 9]).forEach((v) => expect(v).toBeCloseTo(0, 12));
    expect(detrend([4])).toEqual([0]);
  });

  it('r_k of a pure sine at its period is close to (n − k)/n', () => {
    const n = 400;
    const x = Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * t) / 40));
    expect(autocorrelation(x, 40)).toBeCloseTo((n - 40) / n, 2);
    expect(autocorrelation(x, 20)).toBeCloseTo(-(n - 20) / n, 2);
    expect(autocorrelation(x, 400)).toBeNull();
    expect(autocorrelation(x, 0)).toBeNull();
    expect(autocorrelation([2, 2, 2, 2], 1)).toBe(0);
    // lag-adjusted: × n/(n − k), ≈ 1 at any multiple of the period
    expect(autocorrelation(x, 200, true)).toBeCloseTo(1, 2);
    expect(autocorrelation(x, 200)).toBeCloseTo(0.5, 2);
  });
});

describe('detectSeason', () => {
  const step = 3600;
  const daily = (days: number, noise = 0, seed = 1) => {
    const r = prng(seed);
    return Array.from({ length: days * 24 }, (_, t) => 100 + 40 * Math.sin((2 * Math.PI * t) / 24) + noise * (r() - 0.5));
  };

  it('finds a daily season (and says weekly needs 14 days)', () => {
    const s = detectSeason(daily(7, 10), step);
    expect(s.seconds).toBe(DAY);
    expect(s.points).toBe(24);
    expect(s.candidates[0]?.acf).toBeGreaterThan(0.8);
    expect(s.candidates[1]?.acf).toBeNull();
    expect(s.reason).toContain('weekly needs 14 days');
  });

  it('stays daily when 7 days adds nothing', () => {
    const s = detectSeason(daily(21, 10), step);
    expect(s.seconds).toBe(DAY);
    expect(s.reason).toContain('adds nothing');
  });

  it('finds a weekly season when weekends differ', () => {
    const r = prng(3);
    // weekdays busy, weekends at 40%: the weekly lag explains much more than the daily one
    const y = Array.from({ length: 21 * 24 }, (_, t) => {
      const weekend = Math.floor(t / 24) % 7 >= 5;
      return (weekend ? 40 : 100) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 24)) + 5 * (r() - 0.5);
    });
    const s = detectSeason(y, step);
    expect(s.seconds).toBe(WEEK);
    expect(s.points).toBe(168);
    expect(s.reason).toContain('weekly');
  });

  it('finds a weekly season with only 2 weeks of 5-minute data (the lag-adjusted ACF)', () => {
    const r = prng(4);
    const y = Array.from({ length: 14 * 288 + 1 }, (_, t) => {
      const weekend = Math.floor(t / 288) % 7 >= 5;
      return (weekend ? 600 : 1000) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 288)) + 20 * (r() - 0.5);
    });
    const s = detectSeason(y, 300);
    expect(s.seconds).toBe(WEEK);
    expect(s.candidates[1]?.acf).toBeGreaterThan(0.8);
  });

  it('finds no season in noise, with too little data, or when the step does not divide a day', () => {
    const r = prng(9);
    const noise = Array.from({ length: 24 * 7 }, () => r());
    expect(detectSeason(noise, step).seconds).toBeNull();
    expect(detectSeason(noise, step).reason).toContain('below 0.3');
    expect(detectSeason(daily(1), step).reason).toContain('less than 2 days');
    expect(detectSeason(daily(7), 7 * 60).reason).toContain('does not divide a day');
  });
});
