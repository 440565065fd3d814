/**
 * The numerical kernel of the USL fit (usl.ts): a small dense linear solver,
 * the sum of squared errors of a parameter vector p = [λ, σ, κ], the
 * linearised starting guess, and Levenberg–Marquardt over the free parameters,
 * optionally projecting σ and κ onto ≥ 0 after each step. Split from usl.ts so
 * each piece is tested on its own (test/unit/core/capacity/usl-solver.test.ts).
 *
 * Pure: no I/O.
 */

/** One measurement: throughput X at concurrency N (usl.ts's UslPoint). */
export interface Measurement {
  concurrency: number;
  throughput: number;
}

/** Levenberg–Marquardt gives up after this many iterations (the fit reports it with a warning). */
export const MAX_ITERATIONS = 1000;

/** Which of λ, σ, κ the fit may move. */
export type Free = [boolean, boolean, boolean];

/** Solve the small dense system A x = b (Gaussian elimination with partial pivoting); null when singular. */
export function solveLinear(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    const pr = m[pivot] as number[];
    if (Math.abs(pr[col] as number) < 1e-300) return null;
    [m[col], m[pivot]] = [pr, m[col] as number[]];
    const rowC = m[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const row = m[r] as number[];
      const f = (row[col] as number) / (rowC[col] as number);
      for (let k = col; k <= n; k++) row[k] = (row[k] as number) - f * (rowC[k] as number);
    }
  }
  // Stryker disable next-line ArrayDeclaration: equivalent, back substitution writes x[r] before any row above reads it, so the array's starting length and values are never read
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let k = r + 1; k < n; k++) s -= (row[k] as number) * (x[k] as number);
    x[r] = s / (row[r] as number);
  }
  return x;
}

/** Σ (Xᵢ − X(Nᵢ))² at p = [λ, σ, κ]; +∞ when the USL denominator is ≤ 0 at a measured N (no physical curve). */
export function uslSse(points: readonly Measurement[], p: number[]): number {
  let s = 0;
  for (const { concurrency: n, throughput: x } of points) {
    const d = 1 + (p[1] as number) * (n - 1) + (p[2] as number) * n * (n - 1);
    if (!(d > 0)) return Number.POSITIVE_INFINITY;
    const r = x - ((p[0] as number) * n) / d;
    s += r * r;
  }
  return s;
}

/** Levenberg–Marquardt over the free parameters of p = [λ, σ, κ], from `start`; `cost` is the SSE at the end. */
export function levenbergMarquardt(points: readonly Measurement[], start: number[], free: Free, boundsAtZero: boolean): { p: number[]; cost: number; iterations: number } {
  const idx = [0, 1, 2].filter((i) => free[i]);
  let p = [...start];
  let cost = uslSse(points, p);
  let mu = 1e-3;
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const k = idx.length;
    const jtj = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const jtr = new Array<number>(k).fill(0);
    for (const { concurrency: n, throughput: x } of points) {
      const d = 1 + (p[1] as number) * (n - 1) + (p[2] as number) * n * (n - 1);
      const fit = ((p[0] as number) * n) / d;
      const r = x - fit;
      const full = [n / d, (-fit * (n - 1)) / d, (-fit * n * (n - 1)) / d];
      const j = idx.map((i) => full[i] as number);
      for (let a = 0; a < k; a++) {
        jtr[a] = (jtr[a] as number) + (j[a] as number) * r;
        const row = jtj[a] as number[];
        for (let b = 0; b < k; b++) row[b] = (row[b] as number) + (j[a] as number) * (j[b] as number);
      }
    }
    let improved = false;
    for (let tries = 0; tries < 60; tries++) {
      const damped = jtj.map((row, a) => row.map((v, b) => (a === b ? v + mu * Math.max(v, 1e-300) : v)));
      const step = solveLinear(damped, jtr);
      if (!step) {
        mu *= 10;
        continue;
      }
      const next = [...p];
      idx.forEach((i, a) => {
        next[i] = (next[i] as number) + (step[a] as number);
      });
      if (boundsAtZero) for (const i of [1, 2]) if ((next[i] as number) < 0) next[i] = 0;
      const nextCost = uslSse(points, next);
      if (nextCost < cost) {
        // Stop once an accepted step no longer moves a free coefficient by more than 1e-15 of its size. (No test on the
        // size of the decrease is needed: a strictly smaller SSE is at least 2⁻⁵³ ≈ 1.1e-16 of the old one in floating point.)
        improved = idx.some((i) => Math.abs((next[i] as number) - (p[i] as number)) > 1e-15 * Math.max(1, Math.abs(p[i] as number)));
        p = next;
        cost = nextCost;
        mu = Math.max(mu / 10, 1e-12);
        break;
      }
      mu *= 10;
    }
    if (!improved) break;
  }
  return { p, cost, iterations };
}

/**
 * A start from the linearised model. With λ̂ the best single-unit rate seen
 * (max X/N), N·λ̂/X − 1 = σ(N − 1) + κN(N − 1) is linear in σ and κ.
 */
export function initialGuess(points: readonly Measurement[]): number[] {
  const lambda = Math.max(...points.map((p) => p.throughput / p.concurrency));
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let b1 = 0;
  let b2 = 0;
  for (const { concurrency: n, throughput: x } of points) {
    if (!(x > 0)) continue;
    const y = (n * lambda) / x - 1;
    const a1 = n - 1;
    const a2 = n * (n - 1);
    s11 += a1 * a1;
    s12 += a1 * a2;
    s22 += a2 * a2;
    b1 += a1 * y;
    b2 += a2 * y;
  }
  const lin = solveLinear(
    [
      [s11, s12],
      [s12, s22],
    ],
    [b1, b2],
  );
  const sigma = lin ? Math.max(0, Math.min(0.99, lin[0] as number)) : 0.01;
  let kappa = lin ? Math.max(0, lin[1] as number) : 0;
  // The start must give a finite SSE, or no step from it can be compared: with N < 1, a large κ can make the
  // denominator 1 + σ(N − 1) + κN(N − 1) ≤ 0. κ = 0 always works: 1 + σ(N − 1) > 1 − σ ≥ 0.01 for N > 0.
  if (!Number.isFinite(uslSse(points, [lambda, sigma, kappa]))) kappa = 0;
  return [lambda, sigma, kappa];
}
