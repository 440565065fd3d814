/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, "A simplex method for
 * function minimization", Computer Journal 7(4)), with the standard
 * coefficients: reflection 1, expansion 2, contraction ½, shrink ½.
 * Deterministic: the same start gives the same answer. Pure.
 */

export interface MinimizeOptions {
  /** Initial simplex: x0 plus `step` along each axis. Default 0.5. */
  step?: number | number[];
  /** Stop when the simplex's function values differ by at most this (absolute + relative: |f_worst − f_best| ≤ tol·(1 + |f_best|)). Default 1e-10. */
  tolerance?: number;
  /** Default 200 × dimensions. */
  maxIterations?: number;
}

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/** Minimise f from x0. Non-finite function values count as +∞ (the simplex walks away from them). */
export function nelderMead(f: (x: number[]) => number, x0: readonly number[], options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const tol = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 200 * Math.max(1, n);
  let evaluations = 0;
  const value = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const steps = Array.isArray(options.step) ? options.step : new Array<number>(n).fill(options.step ?? 0.5);
  const simplex: Array<{ x: number[]; v: number }> = [{ x: [...x0], v: value([...x0]) }];
  for (let i = 0; i < n; i++) {
    const x = [...x0];
    x[i] = (x[i] as number) + (steps[i] ?? 0.5);
    simplex.push({ x, v: value(x) });
  }
  const combine = (a: number[], b: number[], t: number): number[] => a.map((ai, i) => ai + t * ((b[i] as number) - ai));

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0] as { x: number[]; v: number };
    const worst = simplex[n] as { x: number[]; v: number };
    if (Math.abs(worst.v - best.v) <= tol * (1 + Math.abs(best.v))) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + ((simplex[i] as { x: number[] }).x[j] as number) / n;
    const reflected = combine(centroid, worst.x, -1);
    const vr = value(reflected);
    const secondWorst = (simplex[n - 1] as { v: number }).v;
    if (vr < best.v) {
      const expanded = combine(centroid, worst.x, -2);
      const ve = value(expanded);
      simplex[n] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
      continue;
    }
    if (vr < secondWorst) {
      simplex[n] = { x: reflected, v: vr };
      continue;
    }
    // Contract: outside when the reflection improved on the worst, inside otherwise.
    const outside = vr < worst.v;
    const contracted = combine(centroid, outside ? reflected : worst.x, 0.5);
    const vc = value(contracted);
    if (vc < (outside ? vr : worst.v)) {
      simplex[n] = { x: contracted, v: vc };
      continue;
    }
    for (let i = 1; i <= n; i++) {
      const x = combine(best.x, (simplex[i] as { x: number[] }).x, 0.5);
      simplex[i] = { x, v: value(x) };
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  const best = simplex[0] as { x: number[]; v: number };
  return { x: best.x, value: best.v, iterations, evaluations, converged };
}
