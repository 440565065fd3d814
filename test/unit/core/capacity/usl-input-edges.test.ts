/**
 * What `relia capacity usl` accepts (docs/capacity-planning.md, USL section; src/core/capacity/usl.ts): the
 * USL has three coefficients, so it needs 3 or more *different* concurrencies (repeats of one count once);
 * concurrency must be above 0, throughput 0 or above (a 0 row is a measurement, but not every row may be
 * 0); --predict concurrencies must be positive and finite. Fits of noiseless data generated from known
 * σ, κ, λ check that the edge cases still fit the model exactly.
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
