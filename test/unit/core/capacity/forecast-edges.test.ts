/**
 * `relia capacity forecast` edges (src/core/capacity/forecast.ts, docs/capacity-planning.md#forecast):
 * regularize at the MAX_POINTS limit (11,000 points accepted, one more refused with the count and the
 * step), linear interpolation over gaps of different widths worked by hand, and scheduled scaling when
 * consecutive blocks need the same number of instances (one action that spans both, with the larger
 * upper bound). Block sizes are ⌈max upper / (capacity × target)⌉, worked by hand. forecastSeries on exact
 * lines (every one-step error 0, so σ = 0): the minimum history, a given season (whole number ≥ 2 of steps, 2
 * full seasons), the horizon limits, the backtest (at least 3 points left to fit), zero actuals skipped in
 * the MAPE, clamping at 0, and the first of equal highs as the next peak.
 */
import { describe, expect, it } from 'vitest';
import { forecastSeries, MAX_POINTS, regularize, scheduleActions, type ForecastPoint } from '../../../../src/core/capacity/forecast.js';
import { inputError as errorOf } from '../../../helpers/errors.js';

describe('regularize edges', () => {
  it('accepts exactly MAX_POINTS points and refuses one more, with the count and the step', () => {
    const r = regularize([[0, 1], [(MAX_POINTS - 1) * 60, 2]], { field: '--input', step: 60 });
    expect(r.values).toHaveLength(11_000);
    expect(r.filled).toBe(10_998);
    const e = errorOf(() => regularize([[0, 1], [MAX_POINTS * 60, 2]], { field: '--input', step: 60 }));
    expect(e.message).toBe('--input: 11001 points at a 1m step is more than 11000');
    expect(e.field).toBe('--input');
  });

  it('interpolates each gap on its own line: 0 … 30 over 3 steps, 40 … 100 over 2', () => {
    const r = regularize([[0, 0], [180, 30], [240, 40], [360, 100]], { field: '--input', step: 60 });
    expect(r).toEqual({ start: 0, step: 60, values: [0, 10, 20, 30, 40, 70, 100], filled: 3 });
  });
});

describe('scheduleActions when blocks need the same size', () => {
  const T0 = Date.parse('2026-11-01T00:00:00Z') / 1000;
  const at = (uppers: number[]): ForecastPoint[] =>
    uppers.map((u, i) => ({ time: new Date((T0 + i * 1800) * 1000).toISOString(), value: u / 2, lower: 0, upper: u }));

  it('merges them into one action that spans both blocks, with the larger upper bound', () => {
    // 30-minute steps, 1-hour blocks, 10 per instance: uppers max 15 → 2, max 21 → 3, max 28 → 3
    const actions = scheduleActions(at([5, 15, 21, 18, 28, 8]), T0, 1800, { capacityPerInstance: 10, leadTime: 600, targetUtilization: 1, interval: 3600, minInstances: 1 });
    expect(actions).toEqual([
      { at: '2026-10-31T23:30:00Z', instances: 2, change: 'initial', from: '2026-11-01T00:00:00Z', to: '2026-11-01T01:00:00Z', upper: 15 },
      { at: '2026-11-01T00:50:00Z', instances: 3, change: 'scale-out', from: '2026-11-01T01:00:00Z', to: '2026-11-01T03:00:00Z', upper: 28 },
    ]);
  });
});

describe('forecastSeries on exact series (every one-step error is 0, so σ = 0 and the forecast is exact)', () => {
  const STEP = 300;
  const START = Date.parse('2026-11-01T00:00:00Z') / 1000;
  const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  const series = (values: number[]) => ({ start: START, step: STEP, values, filled: 0 });
  const line = (n: number, a: number, b: number) => Array.from({ length: n }, (_, t) => a + b * t);

  it('needs 4 points without a season; 4 are enough', () => {
    expect(errorOf(() => forecastSeries({ series: series(line(3, 10, 2)), season: 'none', horizon: STEP, level: 0.95 })).message).toBe('history: 3 points are too few to fit (need 4)');
    const r = forecastSeries({ series: series(line(4, 10, 2)), season: 'none', horizon: STEP, level: 0.95 });
    // 10, 12, 14, 16 → 18 at the next step
    expect(r.forecast).toEqual([{ time: iso(START + 4 * STEP), value: 18, lower: 18, upper: 18 }]);
    expect(r.history).toMatchObject({ points: 4, min: 10, max: 16, mean: 13 });
  });

  it('a given season needs a whole number ≥ 2 of steps and 2 full seasons of history', () => {
    expect(errorOf(() => forecastSeries({ series: series(line(12, 10, 2)), season: STEP, horizon: STEP, level: 0.95 })).message).toBe('--season 5m: must be a whole number (≥ 2) of 5m steps');
    expect(errorOf(() => forecastSeries({ series: series(line(5, 10, 2)), season: 3 * STEP, horizon: STEP, level: 0.95 })).message).toBe('--season 15m: Holt-Winters needs 2 full seasons (6 points); the history has 5');
    expect(forecastSeries({ series: series(line(6, 10, 2)), season: 3 * STEP, horizon: STEP, level: 0.95 }).season).toMatchObject({ points: 3, source: 'given' });
    expect(forecastSeries({ series: series(line(6, 10, 2)), season: 2 * STEP, horizon: STEP, level: 0.95 }).season.points).toBe(2);
  });

  it('the horizon is 1 to MAX_POINTS steps', () => {
    const s = series(line(8, 10, 2));
    expect(errorOf(() => forecastSeries({ series: s, season: 'none', horizon: 0.4 * STEP, level: 0.95 })).field).toBe('--horizon');
    expect(forecastSeries({ series: s, season: 'none', horizon: STEP, level: 0.95 }).horizon.points).toBe(1);
    expect(forecastSeries({ series: s, season: 'none', horizon: MAX_POINTS * STEP, level: 0.95 }).horizon.points).toBe(MAX_POINTS);
    expect(errorOf(() => forecastSeries({ series: s, season: 'none', horizon: (MAX_POINTS + 1) * STEP, level: 0.95 })).message).toBe('--horizon: 11001 points is more than 11000');
  });

  it('backtests when at least 3 points are left to fit, and says why not otherwise', () => {
    const s = series(line(10, 10, 2));
    const bt = forecastSeries({ series: s, season: 'none', horizon: STEP, level: 0.95, holdout: 7 * STEP }).backtest;
    expect(bt).toEqual({ points: 7, from: iso(START + 3 * STEP), to: iso(START + 9 * STEP), mape: 0, maxApe: 0, coverage: 1, zeroActualsSkipped: 0 });
    const none = forecastSeries({ series: s, season: 'none', horizon: STEP, level: 0.95, holdout: 8 * STEP });
    expect(none.backtest).toBeNull();
    expect(none.notes).toContain('no backtest: holding out 40m leaves less than 3 points to fit; give a longer history');
  });

  it('skips zero actuals in the MAPE and clamps a falling forecast at 0', () => {
    // 18, 16, …, 2, 0: the last held-out actual is 0; the forecast goes on to −2, −4
    const r = forecastSeries({ series: series(line(10, 18, -2)), season: 'none', horizon: 2 * STEP, level: 0.95, holdout: 3 * STEP });
    expect(r.backtest).toMatchObject({ points: 3, mape: 0, zeroActualsSkipped: 1, coverage: 1 });
    expect(r.forecast.map((p) => [p.value, p.lower, p.upper])).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(r.notes).toContain('the history has no negative values, so forecasts and bounds are clamped at 0');
  });

  it('names the season source, label and model of each --season form', () => {
    const s = series(line(8, 10, 2));
    const auto = forecastSeries({ series: s, season: 'auto', horizon: STEP, level: 0.95 });
    expect(auto.season).toMatchObject({ seconds: null, label: 'none', points: 0, source: 'none', reason: 'no season: less than 2 days of data' });
    expect(auto.model.method).toBe("Holt's linear trend, ETS(A,A,N)");
    const none = forecastSeries({ series: s, season: 'none', horizon: STEP, level: 0.95 });
    expect(none.season).toMatchObject({ source: 'none', reason: 'no season (--season none)' });
    expect(none.season.candidates.map((c) => c.name)).toEqual(['1d', '7d']);
    const given = forecastSeries({ series: s, season: 2 * STEP, horizon: STEP, level: 0.95 });
    expect(given.season).toMatchObject({ seconds: 600, label: '10m', points: 2, source: 'given', reason: 'given (--season 10m)' });
    expect(given.model.method).toBe('additive Holt-Winters, ETS(A,A,A), season 2 points');
    expect(given.horizon).toEqual({ seconds: STEP, points: 1, from: iso(START + 8 * STEP), to: iso(START + 8 * STEP) });
  });

  it('the next peak is the first of equal highs', () => {
    const r = forecastSeries({ series: series(line(8, 5, 0)), season: 'none', horizon: 3 * STEP, level: 0.95 });
    expect(r.forecast.map((p) => p.value)).toEqual([5, 5, 5]);
    expect(r.nextPeak.time).toBe(iso(START + 8 * STEP));
  });
});
