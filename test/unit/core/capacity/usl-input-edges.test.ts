/**
 * What `relia capacity usl` accepts (docs/capacity-planning.md, USL section; src/core/capacity/usl.ts): the
 * USL has three coefficients, so it needs 3 or more *different* concurrencies (repeats of one count once);
 * concurrency must be above 0, throughput 0 or above (a 0 row is a measurement, but not every row may be
 * 0); --predict concurrencies must be positive and finite. Fits of noiseless data generated from known
 * σ, κ, λ check that the edge cases still fit the model exactly; from them, by hand: the peak N* = √((1 − σ)/κ),
 * X(N*), and which penalty dominates there (contention σ(N − 1) or coherency κN(N − 1)); R² = 1 with no variance.
 */
import { describe, expect, it } from 'vitest';
import { fitUsl, uslThroughput, type UslPoint } from '../../../../src/core/capacity/usl.js';
import { inputError as errorOf } from '../../../helpers/errors.js';

const truth = { sigma: 0.1, kappa: 0.001, lambda: 50 };
const at = (ns: number[]): UslPoint[] => ns.map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) }));

describe('USL input edges', () => {
  it('exactly 3 different concurrencies are enough, and recover the coefficients they came from', () => {
    const fit = fitUsl(at([1, 10, 40]));
    expect(fit.sigma).toBeCloseTo(0.1, 6);
    expect(fit.kappa).toBeCloseTo(0.001, 8);
    expect(fit.lambda).toBeCloseTo(50, 4);
    // N* = √((1 − σ)/κ) = √900 = 30
    expect(fit.peakConcurrency).toBeCloseTo(30, 4);
  });

  it('repeated concurrencies count once: 4 rows at 2 concurrencies are refused, naming the count', () => {
    const e = errorOf(() => fitUsl(at([1, 10, 1, 10])));
    expect(e.field).toBe('--input');
    expect(e.message).toBe('the USL has three coefficients: it needs measurements at 3 or more different concurrencies, got 2');
  });

  it('refuses concurrency 0 or not a number, naming the row; accepts a fractional one', () => {
    const zero = errorOf(() => fitUsl([...at([1, 10, 40]), { concurrency: 0, throughput: 5 }]));
    expect(zero.field).toBe('row 4.concurrency');
    expect(zero.message).toBe('measurement 4: concurrency must be a positive number, got 0');
    expect(errorOf(() => fitUsl([{ concurrency: Number.NaN, throughput: 5 }, ...at([1, 10, 40])])).field).toBe('row 1.concurrency');
    expect(fitUsl(at([0.5, 1, 10, 40])).points).toBe(4);
  });

  it('a throughput of 0 is a measurement; a negative or infinite one is refused, naming the row', () => {
    expect(fitUsl([...at([1, 10, 40]), { concurrency: 500, throughput: 0 }]).points).toBe(4);
    const neg = errorOf(() => fitUsl([...at([1, 10]), { concurrency: 40, throughput: -0.5 }]));
    expect(neg.field).toBe('row 3.throughput');
    expect(neg.message).toBe('measurement 3: throughput must be zero or positive, got -0.5');
    expect(errorOf(() => fitUsl([...at([1, 10]), { concurrency: 40, throughput: Number.POSITIVE_INFINITY }])).field).toBe('row 3.throughput');
  });

  it('--predict needs positive, finite concurrencies', () => {
    expect(errorOf(() => fitUsl(at([1, 10, 40]), [0])).field).toBe('--predict');
    expect(errorOf(() => fitUsl(at([1, 10, 40]), [Number.POSITIVE_INFINITY])).message).toBe('--predict: expected positive concurrencies, got Infinity');
    // X(30) = 50·30 / (1 + 0.1·29 + 0.001·30·29) = 1500 / 4.77
    expect(fitUsl(at([1, 10, 40]), [30]).predictions[0]?.throughput).toBeCloseTo(1500 / 4.77, 3);
  });
});

describe('USL peak and constraint from known coefficients', () => {
  it('contention dominates at the peak of σ 0.1, κ 0.001: σ(N* − 1) = 2.9 > κN*(N* − 1) = 0.87', () => {
    const fit = fitUsl(at([1, 5, 10, 20, 40, 60]));
    expect(fit.peakConcurrency).toBeCloseTo(30, 4);
    expect(fit.peakThroughput).toBeCloseTo(1500 / 4.77, 3);
    expect(fit.asymptote).toBeNull();
    expect(fit.constraint).toBe('contention');
    expect(fit.terms.at).toBeCloseTo(30, 4);
    expect(fit.terms.contention).toBeCloseTo(2.9, 4);
    expect(fit.terms.coherency).toBeCloseTo(0.87, 4);
    expect(fit.rSquared).toBeCloseTo(1, 10);
    expect(fit.rmse).toBeCloseTo(0, 6);
  });

  it('coherency dominates at the peak of σ 0.01, κ 0.01: N* = √99, κN*(N* − 1) ≈ 0.89 > σ(N* − 1) ≈ 0.09', () => {
    const c = { sigma: 0.01, kappa: 0.01, lambda: 10 };
    const fit = fitUsl([1, 3, 6, 10, 15, 20].map((n) => ({ concurrency: n, throughput: uslThroughput(c, n) })));
    const nStar = Math.sqrt(99);
    expect(fit.peakConcurrency).toBeCloseTo(nStar, 4);
    expect(fit.constraint).toBe('coherency');
    expect(fit.terms.contention).toBeCloseTo(0.01 * (nStar - 1), 5);
    expect(fit.terms.coherency).toBeCloseTo(0.01 * nStar * (nStar - 1), 5);
  });

  it('R² is 1 when every throughput is the same (no variance to explain)', () => {
    expect(fitUsl([1, 2, 3, 4].map((n) => ({ concurrency: n, throughput: 10 }))).rSquared).toBe(1);
  });
});
