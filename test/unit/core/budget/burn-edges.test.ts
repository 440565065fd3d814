/**
 * Edges of the burn-rate math (docs/budget.md#math) found by mutation testing
 * (docs/testing.md#mutation-testing): the quantile's clamped ends are the
 * extreme values themselves, even when the range of the values overflows a
 * double; an unknown burn rate never fires a page, whatever the factor.
 */
import { describe, expect, it } from 'vitest';
import { fastBurn, quantile } from '../../../../src/core/budget/burn.js';

describe('quantile at φ = 0 and φ = 1', () => {
  it('is the smallest / largest value exactly, even when max − min overflows to ∞', () => {
    const values = [Number.MAX_VALUE, -Number.MAX_VALUE];
    // interpolating with a weight of 0 would give (∞ × 0) = NaN here
    expect(quantile(0, values)).toBe(-Number.MAX_VALUE);
    expect(quantile(1, values)).toBe(Number.MAX_VALUE);
    expect(quantile(-0.5, values)).toBe(-Number.MAX_VALUE);
  });
});

describe('fastBurn with an unknown burn rate', () => {
  // A hand-built condition with a factor of 0 or below (the policy schema only
  // admits factors above 0): an unknown rate is not 0, so it still never fires.
  const conditions = [{ long: '1h', short: '5m', factor: -1 }];
  it.each([
    ['the long window unknown', { '1h': null, '5m': 20 }],
    ['the short window unknown', { '1h': 20, '5m': null }],
    ['both unknown', { '1h': null, '5m': null }],
    ['the short window missing', { '1h': 20 }],
  ])('%s: not firing', (_name, burns) => {
    const [r] = fastBurn(conditions, burns, 1);
    expect(r).toMatchObject({ factor: -1, firing: false });
  });
  it('both known and over the factor: firing', () => {
    expect(fastBurn(conditions, { '1h': 0, '5m': 0 }, 1)[0]?.firing).toBe(true);
  });
});
