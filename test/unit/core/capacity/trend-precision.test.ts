// docs/capacity-planning.md (headroom): the trend is a least-squares line
// through (epoch seconds, value) points, centred first "so epoch seconds do not
// cost precision". Without the centring the products of 1.8e9-second times
// with 4e10 bit/s values lose every digit of the slope. Also the unit
// suffixes of usage and capacity, which count only at the end. Found by
// mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../../../src/core/capacity/headroom.js';
import { linearTrend } from '../../../../src/core/capacity/trend.js';
import { expectInputError } from '../error-contract.js';

const T = 1_793_491_200; // 2026-10-31T00:00:00Z

describe('linearTrend at epoch times', () => {
  it('40 Gbit/s rising 10 bit/s each second, sampled at uneven epoch seconds: slope 10', () => {
    const fit = linearTrend([
      [T, 4e10],
      [T + 1, 4e10 + 10],
      [T + 3, 4e10 + 30],
    ]);
    expect(fit?.slope).toBeCloseTo(10, 9);
    expect(fit?.valueAt).toBeCloseTo(4e10 + 30, 3);
    expect(fit?.r2).toBeCloseTo(1, 9);
  });
  it('1, 2, 4 at one-minute steps: slope 180 / 7200 = 0.025 per second', () => {
    // t̄ = T + 60, v̄ = 7/3: Σ(t − t̄)(v − v̄) = 60·(4/3) + 60·(5/3) = 180; Σ(t − t̄)² = 7200
    expect(linearTrend([[T, 1], [T + 60, 2], [T + 120, 4]])?.slope).toBeCloseTo(0.025, 14);
  });
});

describe('parseQuantity: a unit counts only at the end', () => {
  it('"b/s" inside a rate is read (and refused) as a rate', () => {
    expectInputError(() => parseQuantity('40Gb/s/x', '--usage'), '--usage', ['--usage: expected a rate such as 7500/s, 200/h, 100/30m or 4/y, got "40Gb/s/x"']);
  });
  it('"bps" not at the end is no bandwidth', () => {
    for (const text of ['40Gbpsx', '40bps2']) {
      expectInputError(() => parseQuantity(text, '--capacity'), '--capacity', [`--capacity: expected a number, a rate or a bandwidth, got ${JSON.stringify(text)}`]);
    }
  });
});
