/**
 * `relia capacity forecast` report (src/core/capacity/forecast.ts, docs/capacity-planning.md#forecast), worked
 * by hand on exact series: on a line, or a line plus a season, every one-step error is 0, so σ = 0, each
 * prediction interval is the point itself, and every figure below follows from arithmetic:
 * - the refusals of forecastSeries with their whole error (message, field, fixes);
 * - clamping at 0 only when the history has no negative value, and its note only when a bound is below 0;
 * - the backtest: interval coverage with actuals above and below, MAPE and the largest error, the default
 *   holdout (one season), a holdout under one step, longer than the history, or of zeros only;
 * - the next peak inside the first season (a rising trend peaks higher later), or anywhere in the horizon
 *   without a season;
 * - the scaling schedule and the scaling options echoed, or none at all.
 */
import { describe, expect, it } from 'vitest';
import { forecastSeries, type ForecastOptions, type ScalingOptions } from '../../../../src/core/capacity/forecast.js';
import { inputError } from '../../../helpers/errors.js';

const STEP = 300;
const START = Date.parse('2026-11-01T00:00:00Z') / 1000;
/** The time of point i of a series that starts at START (i ≥ n is the forecast). */
const at = (i: number) => new Date((START + i * STEP) * 1000).toISOString().replace('.000Z', 'Z');
const run = (values: number[], o: Partial<Omit<ForecastOptions, 'series'>> = {}) =>
  forecastSeries({ series: { start: START, step: STEP, values, filled: 0 }, season: 'none', horizon: STEP, level: 0.95, ...o });
const refusal = (fn: () => unknown) => {
  const e = inputError(fn);
  return { message: e.message, field: e.field, suggestions: e.suggestions };
};

describe('forecastSeries refusals', () => {
  it('a season that is not a whole number of steps, or longer than half the history', () => {
    expect(refusal(() => run([10, 12, 14, 16, 18, 20], { season: 450 }))).toEqual({
      message: '--season 450s: must be a whole number (≥ 2) of 5m steps',
      field: '--season',
      suggestions: ['use a season that is a multiple of the step, e.g. --season 1d', 'or --season auto'],
    });
    expect(refusal(() => run([10, 12, 14, 16, 18], { season: 3 * STEP }))).toEqual({
      message: '--season 15m: Holt-Winters needs 2 full seasons (6 points); the history has 5',
      field: '--season',
      suggestions: ['give at least 30m of history', 'or a shorter --season'],
    });
  });

  it('too little history, a horizon under one step or over MAX_POINTS steps', () => {
    expect(refusal(() => run([10, 12, 14]))).toEqual({ message: 'history: 3 points are too few to fit (need 4)', field: '--range', suggestions: ['give a longer history', 'or --season none'] });
    expect(refusal(() => run([10, 12, 14, 16], { horizon: 120 }))).toEqual({ message: '--horizon 2m is shorter than one step (5m)', field: '--horizon', suggestions: ['use at least --horizon 5m'] });
    expect(refusal(() => run([10, 12, 14, 16], { horizon: 11_001 * STEP }))).toEqual({
      message: '--horizon: 11001 points is more than 11000',
      field: '--horizon',
      suggestions: ['forecast a shorter horizon or use a coarser step'],
    });
  });
});

describe('clamping at 0', () => {
  it('a history with a negative value is forecast below 0, unclamped and without a note', () => {
    const r = run([5, 3, 1, -1, -3], { horizon: 2 * STEP });
    expect(r.forecast).toEqual([
      { time: at(5), value: -5, lower: -5, upper: -5 },
      { time: at(6), value: -7, lower: -7, upper: -7 },
    ]);
    expect(r.notes).toEqual([]);
  });

  it('a non-negative history: a bound of exactly 0 needs no note; one below 0 is clamped, with the note', () => {
    const exact = run([16, 12, 8, 4]);
    expect(exact.forecast).toEqual([{ time: at(4), value: 0, lower: 0, upper: 0 }]);
    expect(exact.notes).toEqual([]);
    const below = run([16, 12, 8, 4], { horizon: 2 * STEP, holdout: STEP });
    expect(below.forecast).toEqual([
      { time: at(4), value: 0, lower: 0, upper: 0 },
      { time: at(5), value: 0, lower: 0, upper: 0 },
    ]);
    expect(below.notes).toEqual(['the history has no negative values, so forecasts and bounds are clamped at 0']);
  });
});

describe('the backtest', () => {
  it('counts an actual inside the interval only when it is neither above nor below it', () => {
    // trained on 10, 12, 14, 16 (σ = 0): forecasts 18, 20, 22; actuals 18 (inside), 25 (above), 15 (below)
    const r = run([10, 12, 14, 16, 18, 25, 15], { holdout: 3 * STEP });
    expect(r.backtest).toEqual({
      points: 3,
      from: at(4),
      to: at(6),
      // errors 0 %, 5/25 = 20 %, 7/15 = 46.67 %
      mape: expect.closeTo(200 / 9, 12),
      maxApe: expect.closeTo(140 / 3, 12),
      coverage: 1 / 3,
      zeroActualsSkipped: 0,
    });
    expect(r.notes).toEqual([]);
  });

  it('holds out one step, or explains a holdout under one step', () => {
    expect(run([10, 12, 14, 16], { holdout: STEP }).backtest).toEqual({ points: 1, from: at(3), to: at(3), mape: 0, maxApe: 0, coverage: 1, zeroActualsSkipped: 0 });
    for (const [holdout, label] of [[0, '0s'], [100, '100s']] as const) {
      const r = run([10, 12, 14, 16], { holdout });
      expect(r.backtest).toBeNull();
      expect(r.notes).toEqual([`no backtest: the holdout ${label} is less than one 5m step`]);
    }
  });

  it('a holdout longer than the history leaves nothing to fit', () => {
    const r = run([10, 12, 14, 16, 18, 20, 22, 24, 26, 28], { holdout: 100 * STEP });
    expect(r.backtest).toBeNull();
    expect(r.notes).toEqual(['no backtest: holding out 500m leaves less than 3 points to fit; give a longer history']);
  });

  it('held-out zeros: no MAPE and no largest error, and every zero counted', () => {
    const values = [...Array.from({ length: 20 }, (_, i) => i + 1), 0, 0, 0, 0, 0];
    const r = run(values, { holdout: 5 * STEP });
    expect(r.backtest).toEqual({ points: 5, from: at(20), to: at(24), mape: null, maxApe: null, coverage: 0, zeroActualsSkipped: 5 });
    expect(r.notes).toContain('backtest: every held-out value is 0, so MAPE is undefined');
  });
});

describe('a season of 2 steps on a rising line: y = 5 + t ± 5', () => {
  const values = [0, 11, 2, 13, 4, 15, 6, 17];

  it('forecasts exactly, backtests on one season, and finds the next peak inside the first season', () => {
    const r = run(values, { season: 2 * STEP, horizon: 4 * STEP });
    expect(r.forecast).toEqual([
      { time: at(8), value: 8, lower: 8, upper: 8 },
      { time: at(9), value: 19, lower: 19, upper: 19 },
      { time: at(10), value: 10, lower: 10, upper: 10 },
      { time: at(11), value: 21, lower: 21, upper: 21 },
    ]);
    // 21 is higher, but a season later: the next peak is the one coming first
    expect(r.nextPeak).toEqual({ time: at(9), value: 19, lower: 19, upper: 19, instances: null });
    expect(r.backtest).toEqual({ points: 2, from: at(6), to: at(7), mape: 0, maxApe: 0, coverage: 1, zeroActualsSkipped: 0 });
    expect(r.model).toMatchObject({ method: 'additive Holt-Winters, ETS(A,A,A), season 2 points', level: 12, trendPerStep: 1, sigma: 0, sse: 0 });
    expect(r.notes).toEqual([]);
  });

  it('two seasons fit, but holding one out leaves less than 2 to fit', () => {
    const r = run(values.slice(0, 4), { season: 2 * STEP });
    expect(r.backtest).toBeNull();
    expect(r.notes).toEqual(['no backtest: holding out 10m leaves less than 2 seasons to fit; give a longer history']);
    // one step is a holdout: what is missing is history
    expect(run(values.slice(0, 4), { season: 2 * STEP, holdout: STEP }).notes).toEqual(['no backtest: holding out 5m leaves less than 2 seasons to fit; give a longer history']);
  });
});

describe('without a season, the next peak is the highest point of the horizon', () => {
  it('a rising line peaks at the end', () => {
    const r = run([10, 12, 14, 16], { horizon: 3 * STEP, holdout: STEP });
    expect(r.nextPeak).toEqual({ time: at(6), value: 22, lower: 22, upper: 22, instances: null });
    expect(r.season).toEqual({ seconds: null, label: 'none', points: 0, source: 'none', reason: 'no season (--season none)', candidates: expect.any(Array) });
    // the candidates are still listed, each with no autocorrelation: 4 points are far too few for a day
    expect(r.season.candidates.map((c) => [c.name, c.acf])).toEqual([['1d', null], ['7d', null]]);
  });
});

describe('scheduled scaling from forecastSeries', () => {
  // 10 per instance at full utilisation, 10-minute blocks, 1 minute of lead time
  const scaling: ScalingOptions = { capacityPerInstance: 10, leadTime: 60, targetUtilization: 1, interval: 600, minInstances: 1 };

  it('sizes each block from the forecast after the last point, and echoes the options', () => {
    // forecasts 18 (00:20), 20 (00:25), 22 (00:30); blocks 00:20–00:30 (max 20 → 2) and 00:30–00:35 (22 → 3)
    const r = run([10, 12, 14, 16], { horizon: 3 * STEP, holdout: STEP, scaling });
    expect(r.actions).toEqual([
      { at: at(3), instances: 2, change: 'initial', from: at(4), to: at(6), upper: 20 },
      { at: '2026-11-01T00:29:00Z', instances: 3, change: 'scale-out', from: at(6), to: at(7), upper: 22 },
    ]);
    expect(r.nextPeak.instances).toBe(3);
    expect(r.scaling).toEqual(scaling);
    // z is Φ⁻¹(0.975) = 1.959963984540054 to the precision of the erf approximation (A&S 7.1.26, |error| < 1.5e-7)
    expect(r.interval).toEqual({ level: 0.95, z: expect.closeTo(1.959963984540054, 5), method: 'ŷ ± z·σ_h, σ_h² = σ²(1 + Σ_{j<h} c_j²), c_j = α + αβ*·j + γ·[j mod m = 0] (FPP3 §8.7)' });
  });

  it('without scaling options: no actions, no instances, scaling null', () => {
    const r = run([10, 12, 14, 16], { horizon: 3 * STEP, holdout: STEP });
    expect(r.actions).toEqual([]);
    expect(r.scaling).toBeNull();
    expect(r.nextPeak.instances).toBeNull();
  });
});
