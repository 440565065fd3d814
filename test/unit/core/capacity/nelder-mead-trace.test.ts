/**
 * Nelder–Mead (Nelder & Mead 1965; src/core/capacity/nelder-mead.ts) traced by hand on f(x) = x² in one
 * dimension from x0 = 1 with the default step 0.5 and tolerance 1e-10, so every branch's coefficient shows
 * in the result: the simplex {1, 1.5} reflects to 0.5 (f = 0.25 < 1) and expands to 1 − 2·0.5 = 0 (f = 0);
 * from {0, 1} the reflection −1 ties the worst (f = 1), so it contracts inside to 0.5, then to 0.25, …:
 * after iteration j ≥ 2 the worst point is 2^−(j−1). The stop rule |f_worst − f_best| ≤ tol·(1 + |f_best|)
 * first holds after iteration 18 (f = 2^−34 ≈ 5.8e−11 ≤ 1e−10; after 17 it is 2^−32 ≈ 2.3e−10).
 * Evaluations: 2 for the start simplex + 2 per iteration (reflection + expansion or contraction).
 * The same by hand on (x − 3)² from 0, where expansion, the tie rules and the outside contraction matter,
 * and on a step function whose ties decide inside contraction and shrink (the evaluated points recorded).
 * Non-finite values (NaN, −∞) count as +∞, as the function's doc says: traced from a NaN start.
 * In two dimensions (where a reflection can land between the best and the second worst, which one dimension
 * never allows): the reflection accepted as it is, and a run cut by the iteration cap that still reports the best
 * point of its last simplex. The stop rule at tolerance 0: equal values have converged.
 */
import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../../../src/core/capacity/nelder-mead.js';

const square = (x: number[]) => (x[0] as number) ** 2;

describe('nelderMead traced by hand on x²', () => {
  it('expands once, then contracts inside, and stops after 18 iterations and 38 evaluations', () => {
    const r = nelderMead(square, [1]);
    expect(r).toEqual({ x: [0], value: 0, iterations: 18, evaluations: 38, converged: true });
  });

  it('on (x − 3)² from 0: two expansions (the second ties its reflection and keeps the reflection), one outside contraction', () => {
    // {0: 9, 0.5: 6.25} → reflect 1 (4) < 6.25 → expand 1.5 (2.25) kept;
    // {1.5: 2.25, 0.5: 6.25} → reflect 2.5 (0.25) → expand 3.5 (0.25) is no better: keep 2.5;
    // {2.5: 0.25, 1.5: 2.25} → reflect 3.5 (0.25) ties the best, improves on the worst → outside contraction 3 (0);
    // {3: 0, 2.5: 0.25} → reflect 3.5 ties the worst → inside contractions halve the distance to 3:
    // after iteration j ≥ 4 it is 2^−(j−2), and f = 2^−34 ≤ 1e−10 first after iteration 19.
    expect(nelderMead((x) => ((x[0] as number) - 3) ** 2, [0])).toEqual({ x: [3], value: 0, iterations: 19, evaluations: 40, converged: true });
  });

  it('scales the tolerance by 1 + |f_best|: on x² + 1e6 it stops at worst 2^−7 (f − 1e6 ≈ 6.1e−5 ≤ 1e−10·(1 + 1e6))', () => {
    // after iteration 7 the worst is 2^−6: 2^−12 ≈ 2.4e−4 is still above 1.000001e−4
    const r = nelderMead((x) => square(x) + 1e6, [1]);
    expect(r).toEqual({ x: [0], value: 1e6, iterations: 8, evaluations: 18, converged: true });
  });

  it('a larger tolerance stops earlier: 1e−2 holds after iteration 5 (worst 2^−4, f = 2^−8 ≈ 0.0039)', () => {
    // after iteration 4 the worst is 2^−3: f = 2^−6 ≈ 0.0156 > 0.01
    expect(nelderMead(square, [1], { tolerance: 1e-2 })).toMatchObject({ iterations: 5, evaluations: 12, converged: true });
  });

  it('the default cap is 200 iterations per dimension (at least 200)', () => {
    // a function that never settles: every evaluation returns a new, lower value
    let k = 0;
    const falling = () => -(k++);
    expect(nelderMead(falling, [0])).toMatchObject({ iterations: 200, converged: false });
    k = 0;
    expect(nelderMead(falling, [0, 0])).toMatchObject({ iterations: 400, converged: false });
  });
});

describe('nelderMead contraction ties and the shrink, traced by hand', () => {
  it('a reflection that ties the worst contracts inside; a contraction that ties the worst shrinks', () => {
    // f = 0 near 0 (|x| < 0.1), else 1. From {0: 0, 0.5: 1}: the reflection −0.5 ties the worst (1), so the
    // contraction is inside, at 0.25; it ties the worst too (1), so the simplex shrinks towards 0 (0.25 again).
    // Then −0.25, 0.125, shrink 0.125; then −0.125 and 0.0625 (f = 0), accepted; both values 0: converged.
    const seen: number[] = [];
    const step = (x: number[]) => {
      seen.push(x[0] as number);
      return Math.abs(x[0] as number) < 0.1 ? 0 : 1;
    };
    expect(nelderMead(step, [0])).toEqual({ x: [0], value: 0, iterations: 3, evaluations: 10, converged: true });
    expect(seen).toEqual([0, 0.5, -0.5, 0.25, 0.25, -0.25, 0.125, 0.125, -0.125, 0.0625]);
  });
});

describe('nelderMead with non-finite values, traced by hand', () => {
  it('a start where f is NaN counts as +∞, so the simplex leaves it', () => {
    // f = (x − 1)² for x ≥ 0, NaN below. {−0.5: NaN → +∞, 0.5: 0.25} → reflect 1.5 (0.25): no better than the
    // best, better than the worst → outside contraction 1 (0); then inside contractions halve the distance
    // to 1: 2^−j after iteration j, f = 2^−34 ≤ 1e−10 first after iteration 17.
    const f = (x: number[]) => ((x[0] as number) < 0 ? Number.NaN : ((x[0] as number) - 1) ** 2);
    expect(nelderMead(f, [-0.5], { step: 1 })).toEqual({ x: [1], value: 0, iterations: 17, evaluations: 36, converged: true });
  });

  it('an infinite value is worst too, never best', () => {
    // −∞ must not win: from {0.25, −0.25: −∞ → +∞} the simplex walks to the minimum at 1
    const f = (x: number[]) => ((x[0] as number) < 0 ? Number.NEGATIVE_INFINITY : ((x[0] as number) - 1) ** 2);
    const r = nelderMead(f, [0.25], { step: [-0.5] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.value).toBeLessThan(1e-9);
  });
});

describe('nelderMead in two dimensions, traced by hand', () => {
  it('accepts a reflection between the best and the second worst, and returns the best of the last simplex', () => {
    // f = 10 + 2x + y² + 2y from (0, 0), step 1, 2 iterations. Start {(0,0): 10, (1,0): 12, (0,1): 13}.
    // 1: centroid of the two best (0.5, 0); reflection of (0,1) is (1,−1): f = 11, not below the best (10) but
    //    below the second worst (12): accepted as it is, no expansion or contraction evaluated.
    // 2: {(0,0): 10, (1,−1): 11, (1,0): 12}: centroid (0.5, −0.5), reflection (0,−1): f = 9 < 10, so expand to
    //    (−0.5, −1.5): f = 10 − 1 + 2.25 − 3 = 8.25 < 9, kept. The cap ends the run on a simplex whose new point
    //    is the best, last in it: the result still reports it.
    const seen: number[][] = [];
    const f = (x: number[]) => {
      seen.push([...x]);
      const [a, b] = x as [number, number];
      return 10 + 2 * a + b * b + 2 * b;
    };
    expect(nelderMead(f, [0, 0], { step: 1, maxIterations: 2 })).toEqual({ x: [-0.5, -1.5], value: 8.25, iterations: 2, evaluations: 6, converged: false });
    expect(seen).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, -1],
      [0, -1],
      [-0.5, -1.5],
    ]);
  });
});

describe('nelderMead stop rule at tolerance 0', () => {
  it('stops when the simplex values are all equal: |f_worst − f_best| ≤ 0', () => {
    // a flat function has converged before the first iteration
    expect(nelderMead(() => 7, [1, 2], { tolerance: 0 })).toEqual({ x: [1, 2], value: 7, iterations: 0, evaluations: 3, converged: true });
    // the step-function trace above ends on two values 0 after 3 iterations, tolerance 0 or not
    const step = (x: number[]) => (Math.abs(x[0] as number) < 0.1 ? 0 : 1);
    expect(nelderMead(step, [0], { tolerance: 0 })).toEqual({ x: [0], value: 0, iterations: 3, evaluations: 10, converged: true });
  });
});
