/**
 * USL measurement sets shared by the USL tests (usl.test.ts, usl-golden.test.ts, usl-solver.test.ts). The SciPy
 * reference fits of each are printed by scripts/golden/usl_scipy.py, which holds the same numbers.
 */
import type { UslPoint } from '../../../../src/core/capacity/usl.js';

export const points = (rows: Array<[number, number]>): UslPoint[] => rows.map(([concurrency, throughput]) => ({ concurrency, throughput }));

/**
 * The codahale/usl README (Java implementation of Gunther's USL): 7 measurements giving σ ≈ 0.0277299,
 * κ ≈ 0.000104343, λ ≈ 89.9878 and a peak of 1883.76 at N ≈ 96 ("within 0.02% of the book").
 */
export const CODAHALE = points([
  [1, 65],
  [18, 996],
  [36, 1652],
  [72, 1853],
  [108, 1829],
  [144, 1775],
  [216, 1702],
]);

/** Better than linear from 1 to 3 units (a cache warming up): σ < 0 unconstrained. */
export const SUPERLINEAR = points([
  [1, 100],
  [2, 240],
  [3, 390],
  [4, 520],
  [6, 700],
  [8, 800],
]);

/** Throughput collapsing from N = 0.5: the linearised start has a pole at N = 0.5 (κ = 11.4). */
export const FRACTIONAL = points([
  [0.5, 50],
  [1, 20],
  [2, 10],
  [3, 5],
]);

/** Amdahl (σ = 0.1, λ = 100) rising slightly with N: κ < 0 unconstrained. */
export const AMDAHL_RISING = [1, 2, 4, 8, 16, 32].map((n) => ({ concurrency: n, throughput: ((100 * n) / (1 + 0.1 * (n - 1))) * (1 + 0.002 * n) }));
