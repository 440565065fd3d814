/**
 * How fitHoltWinters (src/core/capacity/holt-winters.ts) hands its search to Nelder–Mead, as
 * docs/capacity-planning.md#holt-winters describes it: the documented grid (α ∈ {0.05, 0.2, 0.5, 0.8} ×
 * β* ∈ {0.001, 0.02, 0.2} × γ/(1 − α) ∈ {0.05, 0.2, 0.5}) picks the basin, i.e. the start is the grid point of
 * lowest SSE, in logit space; Nelder–Mead then refines only the parameters the model has (α, β* without a
 * season; α, β*, γ with one) from an initial step of 1 in logit space, to a relative tolerance of 1e−10, in at
 * most 600 iterations. The grid's SSEs are recomputed here with runHw from the initial state (both worked by
 * hand in holt-winters-hand), and Nelder–Mead is observed through a pass-through spy.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fitHoltWinters, initialState, runHw } from '../../../../src/core/capacity/holt-winters.js';
import type * as NelderMeadModule from '../../../../src/core/capacity/nelder-mead.js';

const calls = vi.hoisted(() => [] as Array<{ x0: number[]; options: unknown }>);

vi.mock('../../../../src/core/capacity/nelder-mead.js', async (importOriginal) => {
  const real = await importOriginal<typeof NelderMeadModule>();
  return {
    nelderMead: (f: (x: number[]) => number, x0: readonly number[], options?: Parameters<typeof real.nelderMead>[2]) => {
      calls.push({ x0: [...x0], options });
      return real.nelderMead(f, x0, options);
    },
  };
});

const logit = (p: number) => Math.log(p / (1 - p));

/** The grid point of lowest SSE (the first of equals), searched here independently of the fit. */
function gridArgmin(y: number[], period: number): number[] {
  const init = initialState(y, period);
  let best: { point: number[]; sse: number } | undefined;
  for (const a of [0.05, 0.2, 0.5, 0.8]) {
    for (const b of [0.001, 0.02, 0.2]) {
      for (const g of period > 0 ? [0.05, 0.2, 0.5] : [0]) {
        const sse = runHw(y, period, { alpha: a, beta: b, gamma: (1 - a) * g }, init).sse;
        if (best === undefined || sse < best.sse) best = { point: period > 0 ? [a, b, g] : [a, b], sse };
      }
    }
  }
  return (best as { point: number[] }).point;
}

beforeEach(() => {
  calls.length = 0;
});

describe('the grid start and the Nelder–Mead settings', () => {
  it("without a season: 2 coordinates, from the grid's best (α, β*), step 1, tolerance 1e−10, 600 iterations", () => {
    // a staircase (three points a step, then +10): the best grid point is not the first one
    const y = [10, 12, 11, 20, 21, 19, 30, 32, 31, 40];
    const [a, b] = gridArgmin(y, 0) as [number, number];
    expect([a, b]).not.toEqual([0.05, 0.001]);
    fitHoltWinters(y, 0);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.x0).toHaveLength(2);
    expect(calls[0]?.x0[0]).toBeCloseTo(logit(a), 12);
    expect(calls[0]?.x0[1]).toBeCloseTo(logit(b), 12);
    expect(calls[0]?.options).toEqual({ step: 1, tolerance: 1e-10, maxIterations: 600 });
  });

  it("with a season of 4: 3 coordinates, from the grid's best (α, β*, γ/(1 − α))", () => {
    const y = [5, 1, 3, 9, 6, 2, 5, 12, 9, 3, 6, 14, 11, 5, 8, 17];
    const [a, b, g] = gridArgmin(y, 4) as [number, number, number];
    expect([a, b, g]).not.toEqual([0.05, 0.001, 0.05]);
    fitHoltWinters(y, 4);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.x0).toHaveLength(3);
    expect(calls[0]?.x0[0]).toBeCloseTo(logit(a), 12);
    expect(calls[0]?.x0[1]).toBeCloseTo(logit(b), 12);
    expect(calls[0]?.x0[2]).toBeCloseTo(logit(g), 12);
    expect(calls[0]?.options).toEqual({ step: 1, tolerance: 1e-10, maxIterations: 600 });
  });

  it('given parameters are used as they are: no search', () => {
    fitHoltWinters([1, 2, 4, 4], 0, { params: { alpha: 0.5, beta: 0.2, gamma: 0 } });
    expect(calls).toHaveLength(0);
  });
});
