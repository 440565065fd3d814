/**
 * Season detection (src/core/capacity/seasonality.ts, docs/capacity-planning.md#seasonality) on tiny series
 * worked by hand: detrend residuals of a least-squares line, the sample autocorrelation r_k (FPP3 §2.8) and
 * its lag-adjusted form r_k·n/(n − k), and the candidate rules at their edges: a season needs at least 2
 * points and 2 full seasons of data (exactly 2 days is enough, one point less is not), and a weekly season
 * is chosen over a daily candidate that has no value (the step divides a week but not a day); the reason
 * texts of each outcome (r with 3 decimals); the 0.3 threshold met exactly (r = 0.3 to the last bit on 7-point
 * series whose residuals are sevenths: daily and weekly both take it, as the docs' ≥ says), the weekly margin
 * met exactly (r_7d = r_1d + 0.1 on a 28-point series whose fitted line is flat), and a weekly r that clears the
 * margin over a missing daily value but not 0.3.
 */
import { describe, expect, it } from 'vitest';
import { autocorrelation, DAY, detectSeason, detrend, WEEK } from '../../../../src/core/capacity/seasonality.js';

const close = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 12));
};

describe('detrend by hand', () => {
  it('removes the least-squares line through (i, y_i)', () => {
    // x̄ = 1, ȳ = 1, slope = Σ(i − 1)(y − 1) / Σ(i − 1)² = (1 + 2) / 2 = 1.5; fitted −0.5, 1, 2.5
    close(detrend([0, 0, 3]), [0.5, -1, 0.5]);
    // slope 0 (symmetric): residuals are y − 1/3
    close(detrend([0, 1, 0]), [-1 / 3, 2 / 3, -1 / 3]);
  });
});

describe('autocorrelation by hand', () => {
  // x̄ = 2.5, deviations −1.5, −0.5, 0.5, 1.5, Σ d² = 5
  it('r_1 = (0.75 − 0.25 + 0.75)/5 = 0.25, lag-adjusted × 4/3 = 1/3', () => {
    expect(autocorrelation([1, 2, 3, 4], 1)).toBeCloseTo(0.25, 12);
    expect(autocorrelation([1, 2, 3, 4], 1, true)).toBeCloseTo(1 / 3, 12);
  });

  it('r_3 = (−1.5 · 1.5)/5 = −0.45, lag-adjusted × 4/1 = −1.8; lag n − 1 is the last with a value', () => {
    expect(autocorrelation([1, 2, 3, 4], 3)).toBeCloseTo(-0.45, 12);
    expect(autocorrelation([1, 2, 3, 4], 3, true)).toBeCloseTo(-1.8, 12);
    expect(autocorrelation([1, 2, 3, 4], 4)).toBeNull();
    expect(autocorrelation([1, 2, 3, 4], -1)).toBeNull();
  });
});

describe('season candidates at their edges', () => {
  const step = 3600;
  const day = (t: number) => 100 + 40 * Math.sin((2 * Math.PI * t) / 24);

  it('exactly 2 days of hourly data is enough for a daily season; one point less is not', () => {
    const twoDays = Array.from({ length: 48 }, (_, t) => day(t));
    const two = detectSeason(twoDays, step);
    expect(two).toMatchObject({ seconds: DAY, points: 24 });
    expect(two.reason).toMatch(/^daily: autocorrelation \d\.\d{3} at 1d ≥ 0\.3 \(weekly needs 14 days of data\)$/);
    const short = detectSeason(twoDays.slice(1), step);
    expect(short.seconds).toBeNull();
    expect(short.candidates[0]).toMatchObject({ name: '1d', points: 24, acf: null });
    expect(short.reason).toBe('no season: less than 2 days of data');
    // a 5-hour cycle is out of phase at 24 h (24 mod 5 = 4): no daily season, and the reason gives r
    const fiveHours = Array.from({ length: 48 }, (_, t) => t % 5);
    const off = detectSeason(fiveHours, step);
    expect(off.seconds).toBeNull();
    expect(off.reason).toMatch(/^no season: autocorrelation -?\d\.\d{3} at 1d is below 0\.3$/);
  });

  it('a season needs at least 2 points: a 12 h step gives a 2-point day, a 1-day step none', () => {
    // 0, 10, 0, 10, …: high every other half day
    const halfDays = Array.from({ length: 20 }, (_, t) => (t % 2) * 10);
    const half = detectSeason(halfDays, DAY / 2);
    expect(half.candidates[0]).toMatchObject({ points: 2 });
    expect(half.candidates[0]?.acf).toBeGreaterThan(0.9);
    expect(half).toMatchObject({ seconds: DAY, points: 2 });
    const daily = detectSeason(halfDays, DAY);
    expect(daily.candidates[0]).toMatchObject({ points: 1, acf: null });
    expect(daily.seconds).toBeNull();
    expect(detectSeason(halfDays, 7 * 60).reason).toBe('no season: the step 420s does not divide a day');
    // alternate points at a 1 h step: r at 24 h is 1 (24 is even) … but only 20 points, under 2 days
    expect(detectSeason(halfDays, 3600).reason).toBe('no season: less than 2 days of data');
  });

  it('weekly when the step divides a week but not a day (the daily candidate has no value)', () => {
    // step 2⅓ days: 3 points a week; a clear period-3 pattern over 4 weeks
    const y = Array.from({ length: 12 }, (_, t) => [0, 10, 5][t % 3] as number);
    const s = detectSeason(y, WEEK / 3);
    expect(s.candidates[0]).toMatchObject({ points: null, acf: null });
    expect(s).toMatchObject({ seconds: WEEK, points: 3 });
    expect(s.reason).toMatch(/^weekly: autocorrelation \d\.\d{3} at 7d exceeds n\/a at 1d by ≥ 0\.1$/);
  });
});

describe('the 0.3 threshold, met exactly', () => {
  // Series of 7 points: x̄ of the indices is 3, so the detrended residuals are sevenths, worked exactly.
  it('daily at r_1d = 0.3 exactly (≥, docs#seasonality): 2, 4, 2, 3, 0, 0, 0 at a 12 h step', () => {
    // Σy = 11, Σ(i − 3)y = −16, Σ(i − 3)² = 28: slope −4/7; residuals × 7: −9, 9, −1, 10, −7, −3, 1 (sum 0).
    // Σ x² = 322/49; lag 2 (a day): 9 + 90 + 7 − 30 − 7 = 69 → r = 69/322 = 3/14, × 7/5 = 0.3
    const s = detectSeason([2, 4, 2, 3, 0, 0, 0], DAY / 2);
    expect(s.candidates[0]).toMatchObject({ points: 2, acf: 0.3 });
    expect(s).toMatchObject({ seconds: DAY, points: 2 });
    expect(s.reason).toBe('daily: autocorrelation 0.300 at 1d ≥ 0.3 (weekly needs 14 days of data)');
  });

  it('weekly at r_7d = 0.3 exactly: 3, 0, 3, 1, 1, 2, 1 at a step of a third of a week (no daily candidate)', () => {
    // Σy = 11, Σ(i − 3)y = −4: slope −1/7; residuals × 7: 7, −13, 9, −4, −3, 5, −1 (sum 0), Σ x² = 350/49;
    // lag 3 (a week): −28 + 39 + 45 + 4 = 60 → r = 60/350 = 6/35, × 7/4 = 0.3
    const s = detectSeason([3, 0, 3, 1, 1, 2, 1], WEEK / 3);
    expect(s.candidates[1]).toMatchObject({ points: 3, acf: 0.3 });
    expect(s).toMatchObject({ seconds: WEEK, points: 3 });
    expect(s.reason).toBe('weekly: autocorrelation 0.300 at 7d exceeds n/a at 1d by ≥ 0.1');
  });

  it('weekly at r_7d = r_1d + 0.1 exactly (the margin is ≥ too): 28 half-day points, r_1d 0.21, r_7d 0.31', () => {
    // x = y − 10 sums to 0 and Σ i·x_i = 0, so the fitted line is flat at 10 and the residuals are x itself.
    // Σ x² = 200; lag 2 (a day): Σ x_i x_{i+2} = 39 → 39/200 × 28/26 = 0.21; lag 14 (a week): Σ x_i x_{i+14} = 31
    // → 31/200 × 28/14 = 0.31 ≥ 0.3 and ≥ 0.21 + 0.1 (0.31 to the last bit here as well)
    const y = [13, 7, 10, 12, 13, 12, 9, 8, 7, 9, 9, 13, 9, 12, 10, 7, 8, 8, 10, 9, 10, 13, 11, 9, 7, 15, 4, 16];
    const s = detectSeason(y, DAY / 2);
    expect(s.candidates.map((c) => [c.points, c.acf])).toEqual([
      [2, 0.21],
      [14, 0.31],
    ]);
    expect(s).toMatchObject({ seconds: WEEK, points: 14 });
    expect(s.reason).toBe('weekly: autocorrelation 0.310 at 7d exceeds 0.210 at 1d by ≥ 0.1');
  });

  it('not weekly below 0.3, even far above a missing daily value: 3, 0, 0, 0, 0, 3 has r_7d = −0.5', () => {
    // symmetric, so the slope is 0; x = 2, −1, −1, −1, −1, 2 (x̄ = 1), Σ x² = 12;
    // lag 3: 2·(−1) + (−1)(−1) + (−1)·2 = −3 → r = −0.25, × 6/3 = −0.5: above n/a + 0.1 (−0.9), below 0.3
    const s = detectSeason([3, 0, 0, 0, 0, 3], WEEK / 3);
    expect(s.candidates[1]).toMatchObject({ points: 3, acf: -0.5 });
    expect(s.seconds).toBeNull();
    expect(s.reason).toBe('no season: the step 201600s does not divide a day');
  });
});
