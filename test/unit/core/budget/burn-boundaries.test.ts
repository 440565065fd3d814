/**
 * Fields of the burn-rate windows that the documented table does not show
 * (docs/budget-specs.md#burn-rate-windows-for-any-period), and the empty
 * quantile: found by mutation testing of burn-windows.ts and burn.ts.
 */
import { describe, expect, it } from 'vitest';
import { burnWindows } from '../../../../src/core/budget/burn-windows.js';
import { quantile } from '../../../../src/core/budget/burn.js';

const DAY = 86_400;

describe('burnWindows: scaled, budgetFraction and the default scheme', () => {
  it('sloth at 30d: every fixed window gives a factor of at least 1 (the ticket-slow exactly 1), so none is scaled', () => {
    const w = burnWindows(30 * DAY, 'sloth');
    expect(w.map((c) => [c.role, c.factor, c.scaled])).toEqual([
      ['page-quick', 14.4, false],
      ['page-slow', 6, false],
      ['ticket-quick', 3, false],
      ['ticket-slow', 1, false],
    ]);
    expect(w.map((c) => c.budgetFraction)).toEqual([0.02, 0.05, 0.1, 0.1]);
  });

  it('sloth at 7d: the two ticket conditions are scaled, the pages are not', () => {
    expect(burnWindows(7 * DAY, 'sloth').map((c) => c.scaled)).toEqual([false, false, true, true]);
  });

  it('pyrra at 28d: its own windows, all marked scaled, each spending factor × long / period of the budget', () => {
    const w = burnWindows(28 * DAY, 'pyrra');
    expect(w.every((c) => c.scaled)).toBe(true);
    // 14 × 1h / 28d = 0.0208333…; 7 × 6h / 28d = 0.0625; 2 × 1d / 28d = 0.0714285…; 1 × 4d / 28d = 0.142857…
    expect(w[0]!.budgetFraction).toBeCloseTo((14 * 3600) / (28 * DAY), 9);
    expect(w[1]!.budgetFraction).toBeCloseTo(0.0625, 9);
    expect(w[2]!.budgetFraction).toBeCloseTo(2 / 28, 9);
    expect(w[3]!.budgetFraction).toBeCloseTo(4 / 28, 9);
  });

  it('the scheme defaults to sloth', () => {
    expect(burnWindows(30 * DAY)).toEqual(burnWindows(30 * DAY, 'sloth'));
    expect(burnWindows(30 * DAY)[0]!.factor).toBe(14.4);
  });
});

describe('quantile of nothing', () => {
  it('is NaN for every φ, including the clamped ends', () => {
    expect(quantile(0, [])).toBeNaN();
    expect(quantile(1, [])).toBeNaN();
    expect(quantile(0, [Number.NaN])).toBeNaN();
  });
});
