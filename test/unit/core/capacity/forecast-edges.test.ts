/**
 * `relia capacity forecast` edges (src/core/capacity/forecast.ts, docs/capacity-planning.md#forecast):
 * regularize at the MAX_POINTS limit (11,000 points accepted, one more refused with the count and the
 * step), linear interpolation over gaps of different widths worked by hand, and scheduled scaling when
 * consecutive blocks need the same number of instances (one action that spans both, with the larger
 * upper bound). Block sizes are ⌈max upper / (capacity × target)⌉, worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { MAX_POINTS, regularize, scheduleActions, type ForecastPoint } from '../../../../src/core/capacity/forecast.js';
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
