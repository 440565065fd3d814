import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonUnit, computeHeadroom, deseasonalize, describeSaturation, parseQuantity, trendRange, usageFromMetrics, usageHistory } from '../../../../src/core/capacity/headroom.js';
import { linearTrend } from '../../../../src/core/capacity/trend.js';
import { InputError, ReliaError } from '../../../../src/core/errors.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';

const AT = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400;

describe('parseQuantity and commonUnit', () => {
  it('reads plain numbers, rates and bandwidths', () => {
    expect(parseQuantity('7500', '--usage')).toEqual({ value: 7500, kind: 'number' });
    expect(parseQuantity('1.2e4', '--usage')).toEqual({ value: 12000, kind: 'number' });
    expect(parseQuantity('7500/s', '--usage')).toEqual({ value: 7500, kind: 'rate' });
    expect(parseQuantity('450000/m', '--usage')).toEqual({ value: 7500, kind: 'rate' });
    expect(parseQuantity('0/s', '--usage')).toEqual({ value: 0, kind: 'rate' });
    expect(parseQuantity('40Gbps', '--capacity')).toEqual({ value: 40e9, kind: 'bandwidth' });
    expect(parseQuantity('40 Gb/s', '--capacity')).toEqual({ value: 40e9, kind: 'bandwidth' });
  });

  it('rejects other text naming the flag', () => {
    const e = (() => {
      try {
        parseQuantity('lots', '--capacity');
      } catch (error) {
        return error as InputError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(InputError);
    expect(e.field).toBe('--capacity');
    expect(e.suggestions[0]).toContain('7500/s');
    expect(() => parseQuantity('5/fortnight', '--usage')).toThrow(InputError);
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const q = parseQuantity(s, '--usage');
          expect(Number.isFinite(q.value)).toBe(true);
        } catch (error) {
          expect(ReliaError.is(error) && (error as ReliaError).exitCode === 2).toBe(true);
        }
      }),
    );
  });

  it('mixes plain numbers with either kind, but never rates with bandwidths', () => {
    expect(commonUnit({ value: 1, kind: 'number' }, { value: 2, kind: 'rate' }, ['--usage', '--capacity'])).toEqual({ unit: '/s', note: 'plain numbers are read as per second, like the rates' });
    expect(commonUnit({ value: 1, kind: 'rate' }, { value: 2, kind: 'rate' }, ['--usage', '--capacity'])).toEqual({ unit: '/s', note: null });
    expect(commonUnit({ value: 1, kind: 'bandwidth' }, { value: 2, kind: 'number' }, ['--usage', '--capacity']).unit).toBe('bps');
    expect(commonUnit({ value: 1, kind: 'number' }, { value: 2, kind: 'number' }, ['--usage', '--capacity'])).toEqual({ unit: '', note: null });
    expect(() => commonUnit({ value: 1, kind: 'rate' }, { value: 2, kind: 'bandwidth' }, ['--usage', '--capacity'])).toThrow(/--usage is a rate but --capacity is a bandwidth/);
    expect(() => commonUnit({ value: 1, kind: 'bandwidth' }, { value: 2, kind: 'rate' }, ['--usage', '--capacity'])).toThrow(/--capacity is a rate but --usage is a bandwidth/);
  });
});

describe('linearTrend', () => {
  it('fits a line exactly, at epoch-second times', () => {
    const t0 = AT / 1000;
    const fit = linearTrend(Array.from({ length: 50 }, (_, i) => [t0 + i * 60, 100 + 0.5 * i * 60] as [number, number]));
    expect(fit?.slope).toBeCloseTo(0.5, 12);
    expect(fit?.valueAt).toBeCloseTo(100 + 0.5 * 49 * 60, 9);
    expect(fit?.at).toBe(t0 + 49 * 60);
    expect(fit?.r2).toBeCloseTo(1, 12);
  });

  it('is null for fewer than 2 points or one instant; R² 0 when flat', () => {
    expect(linearTrend([[1, 2]])).toBeNull();
    expect(linearTrend([[1, 2], [1, 3]])).toBeNull();
    expect(linearTrend([[1, Number.NaN], [2, 3]])).toBeNull();
    expect(linearTrend([[1, 5], [2, 5], [3, 5]])).toMatchObject({ slope: 0, r2: 0 });
  });
});

describe('computeHeadroom', () => {
  const history = (slopePerDay: number, noise = 0): Array<[number, number]> =>
    Array.from({ length: 25 }, (_, i) => [AT / 1000 - DAY + i * 3600, 7000 + (slopePerDay * (i - 24)) / 24 + (i % 2 ? noise : -noise)]);

  it('headroom % = (capacity − usage) / capacity', () => {
    const r = computeHeadroom({ usage: 7500, capacity: 10_000, unit: '/s', at: AT });
    expect(r.headroom).toBeCloseTo(0.25, 12);
    expect(r.headroomPercent).toBeCloseTo(25, 12);
    expect(r.utilization).toBeCloseTo(0.75, 12);
    expect(r.outlook).toBe('unknown');
    expect(r.timeToSaturation).toBeNull();
    expect(r.belowMinimum).toBeNull();
    expect(r.at).toBe('2026-11-01T00:00:00Z');
    expect(describeSaturation(r)).toContain('unknown');
  });

  it('time to saturation = (capacity − usage) / slope on a rising trend', () => {
    // +1,000/s a day; 3,000/s left → 3 days
    const r = computeHeadroom({ usage: 7000, capacity: 10_000, unit: '/s', at: AT, history: history(1000), window: DAY });
    expect(r.outlook).toBe('rising');
    expect(r.trend?.slopePerDay).toBeCloseTo(1000, 6);
    expect(r.trend?.window).toBe(DAY);
    expect(r.trend?.from).toBe('2026-10-31T00:00:00Z');
    expect(r.timeToSaturation).toBeCloseTo(3 * DAY, 3);
    expect(r.saturationAt).toBe('2026-11-04T00:00:00Z');
    expect(describeSaturation(r)).toBe('in 3d (2026-11-04T00:00:00Z)');
  });

  it('never (null, JSON-safe) when the trend is flat or falling', () => {
    for (const slope of [0, -500]) {
      const r = computeHeadroom({ usage: 7000, capacity: 10_000, unit: '/s', at: AT, history: history(slope) });
      expect(r.outlook).toBe('never');
      expect(r.timeToSaturation).toBeNull();
      expect(r.saturationAt).toBeNull();
      expect(JSON.parse(JSON.stringify(r)).timeToSaturation).toBeNull();
      expect(describeSaturation(r)).toContain('never');
    }
  });

  it('saturated now when usage ≥ capacity; the --min-headroom check', () => {
    const r = computeHeadroom({ usage: 12_000, capacity: 10_000, unit: '', at: AT, minHeadroom: 0.2 });
    expect(r.outlook).toBe('saturated');
    expect(r.timeToSaturation).toBe(0);
    expect(r.headroom).toBeCloseTo(-0.2, 12);
    expect(r.belowMinimum).toBe(true);
    expect(describeSaturation(r)).toContain('now');
    expect(computeHeadroom({ usage: 5000, capacity: 10_000, unit: '', at: AT, minHeadroom: 0.2 }).belowMinimum).toBe(false);
  });

  it('notes a weak trend and a window without points', () => {
    const noisy = computeHeadroom({ usage: 7000, capacity: 10_000, unit: '', at: AT, history: history(100, 800) });
    expect(noisy.outlook).toBe('rising');
    expect(noisy.notes.join(' ')).toContain('R²');
    const empty = computeHeadroom({ usage: 7000, capacity: 10_000, unit: '', at: AT, history: [], notes: ['given'] });
    expect(empty.outlook).toBe('unknown');
    expect(empty.notes).toEqual(['given', 'the trend window has fewer than 2 points: no trend']);
  });

  it('rejects a capacity ≤ 0 and a negative usage', () => {
    expect(() => computeHeadroom({ usage: 1, capacity: 0, unit: '', at: AT })).toThrow(/--capacity must be above zero/);
    expect(() => computeHeadroom({ usage: -1, capacity: 5, unit: '', at: AT })).toThrow(/usage must be/);
  });

  it('property: headroom + utilisation = 1, and more usage never means more time to saturation', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 1, max: 1e7, noNaN: true }), (u1, u2, cap) => {
        const h = history(500);
        const [lo, hi] = u1 <= u2 ? [u1, u2] : [u2, u1];
        const a = computeHeadroom({ usage: lo, capacity: cap, unit: '', at: AT, history: h });
        const b = computeHeadroom({ usage: hi, capacity: cap, unit: '', at: AT, history: h });
        expect(a.headroom + a.utilization).toBeCloseTo(1, 9);
        expect(b.timeToSaturation as number).toBeLessThanOrEqual(a.timeToSaturation as number);
      }),
    );
  });
});

describe('deseasonalize: the trend of a daily cycle', () => {
  // 7 days at 5 m of 200 + 80·sin(2π(tod − 12h)/24h) + 10/day · t: the shape of the test history plus a trend.
  const series = (perDay: number): Array<[number, number]> =>
    Array.from({ length: 7 * 288 + 1 }, (_, i) => {
      const t = AT / 1000 - 7 * DAY + i * 300;
      return [t, 200 + 80 * Math.sin((2 * Math.PI * ((t % DAY) / 3600 - 12)) / 24) + (perDay * i * 300) / DAY];
    });

  it('a raw least-squares line is biased by the cycle (6A/(π n² P) ≈ 3.1/day here); the 1-day moving average is not', () => {
    const raw = linearTrend(series(0));
    expect(Math.abs((raw?.slope as number) * DAY)).toBeGreaterThan(2.5);
    for (const perDay of [0, 10, -4]) {
      const notes: string[] = [];
      const fit = linearTrend(deseasonalize(series(perDay), DAY, notes));
      expect((fit?.slope as number) * DAY).toBeCloseTo(perDay, 6);
      expect(notes).toEqual([]);
    }
    const r = computeHeadroom({ usage: 200, capacity: 400, unit: '/s', at: AT, history: series(10), season: DAY, window: 7 * DAY });
    expect(r.trend?.deseasonalized).toBe(true);
    expect(r.trend?.slopePerDay).toBeCloseTo(10, 6);
    expect(r.timeToSaturation).toBeCloseTo(20 * DAY, 0);
  });

  it('fits the raw points, with a note, when the window holds less than 2 seasons', () => {
    const notes: string[] = [];
    const short = series(0).slice(0, 300);
    expect(deseasonalize(short, DAY, notes)).toBe(short);
    expect(notes[0]).toContain('less than 2 seasons (24h each)');
    expect(deseasonalize([[1, 1], [2, 2]], DAY, [])).toHaveLength(2);
  });
});

describe('from the metrics port', () => {
  const points: Array<[number, number]> = Array.from({ length: 1441 }, (_, i) => [AT / 1000 - DAY + i * 60, 7000 + i]);
  const source = MemoryMetrics.fromPoints([
    { labels: { __name__: 'usage', pod: 'a' }, points },
    { labels: { __name__: 'usage', pod: 'b' }, points },
  ]);

  it('reads the instant value and the trend window', async () => {
    expect(await usageFromMetrics(source, 'sum(usage)', AT)).toBe(2 * 8440);
    const range = trendRange(AT, DAY);
    expect(range).toEqual({ start: AT - DAY * 1000, end: AT, step: 360 });
    expect(trendRange(AT, 600).step).toBe(15);
    expect(trendRange(AT, 600, 60).step).toBe(60);
    const pts = await usageHistory(source, 'sum(usage)', range);
    expect(pts).toHaveLength(241);
    const r = computeHeadroom({ usage: 2 * 8440, capacity: 40_000, unit: '', at: AT, history: pts, window: DAY });
    expect(r.trend?.slopePerSecond).toBeCloseTo(2 / 60, 9);
    expect(r.timeToSaturation).toBeCloseTo((40_000 - 16_880) / (2 / 60), 3);
    expect(await usageHistory(source, 'sum(nothing)', range)).toEqual([]);
  });

  it('needs exactly one series', async () => {
    await expect(usageFromMetrics(source, 'usage', AT)).rejects.toThrow(/2 series/);
    await expect(usageFromMetrics(source, 'sum(nothing)', AT)).rejects.toThrow(/no data/);
    await expect(usageHistory(source, 'usage', trendRange(AT, 3600))).rejects.toThrow(/2 series/);
    const nan = MemoryMetrics.fromPoints([{ labels: { __name__: 'x' }, points: [[AT / 1000, Number.NaN]] }]);
    await expect(usageFromMetrics(nan, 'x', AT)).rejects.toThrow(/finite/);
  });
});
