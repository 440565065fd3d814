/**
 * The shape of a fitted USL curve from its coefficients alone (uslShape in src/core/capacity/usl.ts; docs/capacity.md,
 * USL: peak, ceiling, "constrained by"), at the boundaries worked by hand: σ exactly 1 with and without κ, a tie
 * between the two penalties, and both penalties 0.
 */
import { describe, expect, it } from 'vitest';
import { uslShape } from '../../../../src/core/capacity/usl.js';

describe('uslShape', () => {
  it('κ > 0, σ < 1: the peak √((1 − σ)/κ), penalties compared there; a tie is contention', () => {
    // σ = 0.25, κ = 1/12: N* = √(0.75 · 12) = 3; σ(N* − 1) = 0.5 and κN*(N* − 1) = 6/12 = 0.5
    expect(uslShape({ lambda: 10, sigma: 0.25, kappa: 1 / 12 }, 64)).toEqual({
      peakConcurrency: 3,
      peakThroughput: 30 / 2, // 10 · 3 / (1 + 0.5 + 0.5)
      asymptote: null,
      constraint: 'contention',
      terms: { at: 3, contention: 0.5, coherency: 0.5 },
      warning: null,
    });
  });

  it('σ = 1 and κ = 0: no peak, the ceiling λ/σ = λ, contention at the largest N', () => {
    expect(uslShape({ lambda: 40, sigma: 1, kappa: 0 }, 16)).toEqual({
      peakConcurrency: null,
      peakThroughput: null,
      asymptote: 40,
      constraint: 'contention',
      terms: { at: 16, contention: 15, coherency: 0 },
      warning: 'κ = 0: no coherency penalty, so no peak (peakConcurrency and peakThroughput are null); throughput approaches λ/σ = 40.0000',
    });
  });

  it('σ = 1 and κ > 0: throughput only falls after one unit; the penalties compared at the largest N', () => {
    // at N = 8: σ·7 = 7 against κ·8·7 = 0.56
    expect(uslShape({ lambda: 40, sigma: 1, kappa: 0.01 }, 8)).toEqual({
      peakConcurrency: 1,
      peakThroughput: 40,
      asymptote: null,
      constraint: 'contention',
      terms: { at: 8, contention: 7, coherency: 0.56 },
      warning: "σ = 1.000 ≥ 1: throughput never rises above one unit's (λ = 40.0000); adding concurrency only hurts",
    });
  });

  it('σ > 1 with κ = 0: the same, never the κ = 0 ceiling', () => {
    const shape = uslShape({ lambda: 40, sigma: 1.5, kappa: 0 }, 8);
    expect(shape).toMatchObject({ peakConcurrency: 1, peakThroughput: 40, asymptote: null, constraint: 'contention', terms: { at: 8, contention: 10.5, coherency: 0 } });
  });

  it('σ = κ = 0: linear, no peak, no ceiling, and no penalty to name', () => {
    expect(uslShape({ lambda: 5, sigma: 0, kappa: 0 }, 100)).toEqual({
      peakConcurrency: null,
      peakThroughput: null,
      asymptote: null,
      constraint: 'none',
      terms: { at: 100, contention: 0, coherency: 0 },
      warning: 'σ = κ = 0: the measurements scale linearly; there is no peak (peakConcurrency and peakThroughput are null)',
    });
  });

  it('σ = 0, κ > 0: only coherency costs', () => {
    // N* = √(1/0.01) = 10; κ·10·9 = 0.9
    expect(uslShape({ lambda: 5, sigma: 0, kappa: 0.01 }, 100)).toMatchObject({ peakConcurrency: 10, constraint: 'coherency', terms: { at: 10, contention: 0, coherency: 0.9 } });
  });
});
