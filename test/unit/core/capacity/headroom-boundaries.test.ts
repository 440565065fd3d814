// Boundaries of `relia capacity headroom` that docs/capacity-planning.md#headroom
// promises and the main tests did not pin (found by mutation testing,
// docs/testing.md#mutation-testing): usage exactly at capacity, headroom exactly
// at --min-headroom, the one-season moving average point by point, the trend
// window's ends, and the errors' field and fix.
import { describe, expect, it } from 'vitest';
import { commonUnit, computeHeadroom, deseasonalize, describeSaturation, parseQuantity, trendRange, usageFromMetrics, usageHistory } from '../../../../src/core/capacity/headroom.js';
import { linearTrend } from '../../../../src/core/capacity/trend.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { expectInputError } from '../error-contract.js';

const AT = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400;

describe('headroom at its boundaries', () => {
  it('usage exactly at capacity is saturated now: time to saturation 0, saturationAt = --at', () => {
    const rising: Array<[number, number]> = [
      [AT / 1000 - 7200, 9000],
      [AT / 1000 - 3600, 9500],
      [AT / 1000, 10_000],
    ];
    const r = computeHeadroom({ usage: 10_000, capacity: 10_000, unit: '/s', at: AT, history: rising });
    expect(r.outlook).toBe('saturated');
    expect(r.timeToSaturation).toBe(0);
    expect(r.saturationAt).toBe('2026-11-01T00:00:00Z');
    expect(r.headroom).toBe(0);
    expect(describeSaturation(r)).toBe('now (usage is at or above capacity)');
  });

  it('headroom exactly at --min-headroom is not below it; a hair under is', () => {
    // (10,000 − 8,000) / 10,000 = 0.2 exactly
    expect(computeHeadroom({ usage: 8000, capacity: 10_000, unit: '', at: AT, minHeadroom: 0.2 }).belowMinimum).toBe(false);
    expect(computeHeadroom({ usage: 8001, capacity: 10_000, unit: '', at: AT, minHeadroom: 0.2 }).belowMinimum).toBe(true);
  });

  it('a rising trend reports its slope, fit, point count and window ends (earliest and latest point, in any order)', () => {
    const t0 = AT / 1000;
    // +2 per hour, given newest first: slope 2/3600 per second, a perfect line
    const history: Array<[number, number]> = [
      [t0, 106],
      [t0 - 3600, 104],
      [t0 - 7200, 102],
      [t0 - 10_800, 100],
    ];
    const r = computeHeadroom({ usage: 106, capacity: 130, unit: '', at: AT, history, window: 10_800 });
    expect(r.trend).toMatchObject({ deseasonalized: false, points: 4, window: 10_800, from: '2026-10-31T21:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(r.trend?.slopePerSecond).toBeCloseTo(2 / 3600, 12);
    expect(r.trend?.slopePerDay).toBeCloseTo(48, 9);
    expect(r.trend?.r2).toBeCloseTo(1, 12);
    // 24 left at 48 a day: half a day
    expect(r.timeToSaturation).toBeCloseTo(DAY / 2, 6);
    expect(r.saturationAt).toBe('2026-11-01T12:00:00Z');
    expect(r.notes).toEqual([]);
    expect(describeSaturation(r)).toBe('in 12h (2026-11-01T12:00:00Z)');
  });

  it('no window given: the trend says window 0', () => {
    const r = computeHeadroom({ usage: 1, capacity: 2, unit: '', at: AT, history: [[1, 1], [2, 1]] });
    expect(r.trend?.window).toBe(0);
    expect(r.outlook).toBe('never');
  });
});

describe('deseasonalize: the one-season moving average, point by point', () => {
  it('exactly two seasons of points: each point is the mean of one season, at its mean time', () => {
    const notes: string[] = [];
    // step 10 s, season 20 s → width 2; 4 points = 2 seasons, the least it averages
    const out = deseasonalize([[0, 1], [10, 3], [20, 8], [30, 4]], 20, notes);
    expect(out).toEqual([[5, 2], [15, 5.5], [25, 6]]);
    expect(notes).toEqual([]);
  });

  it('one point short of two seasons, or a season under two steps: the raw points, with the note', () => {
    const three: Array<[number, number]> = [[0, 1], [10, 3], [20, 8]];
    const notes: string[] = [];
    expect(deseasonalize(three, 20, notes)).toBe(three);
    expect(notes).toHaveLength(1);
    const four: Array<[number, number]> = [[0, 1], [10, 3], [20, 8], [30, 4]];
    const notes2: string[] = [];
    expect(deseasonalize(four, 14, notes2)).toBe(four); // round(14 / 10) = 1 < 2
    expect(notes2[0]).toBe('the trend window holds less than 2 seasons (0h each): the line is fitted to the raw points, so the cycle can bias it');
  });

  it('fewer than 3 finite points come back as given, without a note', () => {
    const notes: string[] = [];
    const two: Array<[number, number]> = [[0, 1], [Number.NaN, 2], [10, Number.POSITIVE_INFINITY], [20, 3]];
    expect(deseasonalize(two, 10, notes)).toBe(two);
    expect(notes).toEqual([]);
  });

  it('non-finite points are dropped before averaging', () => {
    const out = deseasonalize([[0, 1], [5, Number.NaN], [10, 3], [20, 8], [30, 4]], 20, []);
    expect(out).toEqual([[5, 2], [15, 5.5], [25, 6]]);
  });
});

describe('the trend range', () => {
  it('about 240 points: the step is ⌈window / 240⌉ s, at least 15 s', () => {
    expect(trendRange(AT, 4800).step).toBe(20);
    expect(trendRange(AT, 4801).step).toBe(21);
    expect(trendRange(AT, 3600)).toEqual({ start: AT - 3_600_000, end: AT, step: 15 });
  });
});

describe('bad input names the field and the fix', () => {
  it('capacity ≤ 0 or not a number; usage negative, NaN or infinite', () => {
    expectInputError(() => computeHeadroom({ usage: 1, capacity: 0, unit: '', at: AT }), '--capacity', ['--capacity', '0']);
    expectInputError(() => computeHeadroom({ usage: 1, capacity: Number.NaN, unit: '', at: AT }), '--capacity', ['NaN']);
    expectInputError(() => computeHeadroom({ usage: -1, capacity: 5, unit: '', at: AT }), '--usage', ['-1']);
    expectInputError(() => computeHeadroom({ usage: Number.NaN, capacity: 5, unit: '', at: AT }), '--usage', ['NaN']);
    expectInputError(() => computeHeadroom({ usage: Number.POSITIVE_INFINITY, capacity: 5, unit: '', at: AT }), '--usage', ['Infinity']);
  });

  it('a usage query with no series, several, or a non-finite value', async () => {
    const one = MemoryMetrics.fromPoints([{ labels: { __name__: 'u' }, points: [[AT / 1000, Number.POSITIVE_INFINITY]] }]);
    const two = MemoryMetrics.fromPoints([
      { labels: { __name__: 'u', pod: 'a' }, points: [[AT / 1000, 1]] },
      { labels: { __name__: 'u', pod: 'b' }, points: [[AT / 1000, 1]] },
    ]);
    const caught = async (p: Promise<unknown>) => p.then(() => () => undefined, (e: unknown) => () => { throw e; });
    const none = expectInputError(await caught(usageFromMetrics(two, 'nothing', AT)), '--usage-query', ['no data', '2026-11-01T00:00:00Z']);
    expect(none.suggestions).toEqual(['check the metric name, labels and --at']);
    const many = expectInputError(await caught(usageFromMetrics(two, 'u', AT)), '--usage-query', ['2 series']);
    expect(many.suggestions[0]).toContain('sum(');
    expectInputError(await caught(usageFromMetrics(one, 'u', AT)), '--usage-query', ['Infinity']);
    expectInputError(await caught(usageHistory(two, 'u', trendRange(AT, 3600))), '--usage-query', ['2 series over the trend window']);
  });
});

describe('parseQuantity reads whole numbers only, and units only at the end', () => {
  it('numbers with spaces around, decimals of several digits, exponents with a sign or several digits', () => {
    expect(parseQuantity(' 7500 ', '--usage')).toEqual({ value: 7500, kind: 'number' });
    expect(parseQuantity('1.25', '--usage')).toEqual({ value: 1.25, kind: 'number' });
    expect(parseQuantity('1e+3', '--usage')).toEqual({ value: 1000, kind: 'number' });
    expect(parseQuantity('1e10', '--usage')).toEqual({ value: 1e10, kind: 'number' });
  });

  it('a sign, a hex prefix, or a number too large for a double is not a quantity', () => {
    for (const text of ['-5', '0x10', '1e999']) expectInputError(() => parseQuantity(text, '--capacity'), '--capacity', [`--capacity: expected a number, a rate or a bandwidth, got ${JSON.stringify(text)}`]);
  });

  it('rates with bandwidth never compare; the note says how plain numbers are read', () => {
    const e = expectInputError(() => commonUnit({ value: 1, kind: 'rate' }, { value: 2, kind: 'bandwidth' }, ['--usage', '--capacity']), '--capacity');
    expect(e.suggestions).toEqual(['give both as rates (7500/s) or both as bandwidths (40Gbps)']);
    expect(commonUnit({ value: 1, kind: 'bandwidth' }, { value: 2, kind: 'number' }, ['--usage', '--capacity'])).toEqual({ unit: 'bps', note: 'plain numbers are read as bits per second, like the bandwidths' });
    expect(commonUnit({ value: 1, kind: 'bandwidth' }, { value: 2, kind: 'bandwidth' }, ['--usage', '--capacity'])).toEqual({ unit: 'bps', note: null });
  });
});

describe('the trend fit', () => {
  it('R² of an imperfect fit, and the fitted value at the last point', () => {
    // (0,0) (1,2) (2,1): slope 0.5, residuals −0.5, 1, −0.5 → SS_res 1.5 of SS_tot 2 → R² 0.25
    const fit = linearTrend([[0, 0], [1, 2], [2, 1]]);
    expect(fit).toEqual({ slope: 0.5, valueAt: 1.5, at: 2, r2: 0.25, points: 3 });
  });

  it('the weak-trend note is for a rising outlook only', () => {
    // noisy and falling: no time to saturation, so no caveat about it
    const t0 = AT / 1000;
    const noisy: Array<[number, number]> = Array.from({ length: 24 }, (_, i) => [t0 - i * 3600, 7000 + i + (i % 2 ? 900 : -900)]);
    const r = computeHeadroom({ usage: 7000, capacity: 10_000, unit: '', at: AT, history: noisy });
    expect(r.outlook).toBe('never');
    expect((r.trend?.r2 as number) < 0.3).toBe(true);
    expect(r.notes).toEqual([]);
  });
});

describe('the usage query through the metrics port', () => {
  it('drops non-finite points of the trend window; passes the abort signal on', async () => {
    const source = MemoryMetrics.fromPoints([{ labels: { __name__: 'u' }, points: [[AT / 1000 - 120, 1], [AT / 1000 - 60, Number.NaN], [AT / 1000, 3]] }]);
    const pts = await usageHistory(source, 'u', { start: AT - 120_000, end: AT, step: 60 });
    expect(pts.every(([, v]) => Number.isFinite(v))).toBe(true);
    expect(pts.length).toBeGreaterThan(0);
    const stop = new Error('stop');
    await expect(usageFromMetrics(source, 'u', AT, AbortSignal.abort(stop))).rejects.toBe(stop);
    await expect(usageHistory(source, 'u', { start: AT - 120_000, end: AT, step: 60 }, AbortSignal.abort(stop))).rejects.toBe(stop);
  });
});
