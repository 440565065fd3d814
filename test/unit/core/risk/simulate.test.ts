import { describe, expect, it } from 'vitest';
import { durationMoments, parseRegister, samplePoisson, scoreRisks, seededUniform, simulateRisks, type DurationAnchor, type DurationModel } from '../../../../src/core/risk/index.js';
import { propertyRuns } from '../property-runs.js';
import { example, inputError, risk } from './helpers.js';

// Simulated years per statistical case: 20,000 in every normal run; 2,000 under StrykerJS (each mutant re-runs
// these, several times slower instrumented). The bounds below scale with √n, so they hold at either size.
const YEARS = propertyRuns(20_000, 2_000);

const register = parseRegister(example('risk-register.yaml'), 'risk-register.yaml');

describe('simulateRisks', () => {
  it('is reproducible from its seed', () => {
    const a = simulateRisks(register, { seed: 7, iterations: 2000, objective: 0.999 });
    const b = simulateRisks(register, { seed: 7, iterations: 2000, objective: 0.999 });
    expect(b).toEqual(a);
    const c = simulateRisks(register, { seed: 8, iterations: 2000, objective: 0.999 });
    expect(c.badMinutesPerYear.mean).not.toBe(a.badMinutesPerYear.mean);
  });

  // The Monte Carlo mean of N independent years has standard error σ/√N, with σ the
  // analytic standard deviation of a year (compound Poisson: √Σ λ·impact²·E[D²]).
  // Four standard errors leave a 6e-5 chance of a false failure per case.
  it.each([
    ['lognormal', 'median', 1],
    ['lognormal', 'mean', 1],
    ['lognormal', 'median', 0.5],
    ['exponential', 'mean', 1],
    ['exponential', 'median', 1],
    ['fixed', 'median', 1],
  ] as Array<[DurationModel, DurationAnchor, number]>)('%s (%s-anchored, σ=%d): the mean converges to the analytic expectation', (model, anchor, sigma) => {
    const n = YEARS;
    const result = simulateRisks(register, { seed: 42, iterations: n, objective: 0.999, durationModel: model, anchor, sigma });
    const cre = scoreRisks(register, { objective: 0.999 }).totalBadMinutesPerYear;
    const { m1 } = durationMoments(model, sigma, anchor);
    // analytic mean = CRE expectation × E[duration]/(ETTD + ETTR)
    expect(result.creBadMinutesPerYear).toBeCloseTo(cre, 9);
    expect(result.expectedBadMinutesPerYear).toBeCloseTo(cre * m1, 9);
    expect(result.meanDurationFactor).toBe(m1);
    const se = result.expectedStdDev / Math.sqrt(n);
    expect(Math.abs(result.badMinutesPerYear.mean - result.expectedBadMinutesPerYear)).toBeLessThan(4 * se);
    // the sample's own standard error agrees with the analytic one to within 25 %
    expect(result.badMinutesPerYear.standardError / se).toBeGreaterThan(0.75);
    expect(result.badMinutesPerYear.standardError / se).toBeLessThan(1.25);
    // per-risk means add up to the total
    expect(result.risks.reduce((s, r) => s + r.meanMinutesPerYear, 0)).toBeCloseTo(result.badMinutesPerYear.mean, 6);
    expect(result.risks.reduce((s, r) => s + r.shareOfBadMinutes, 0)).toBeCloseTo(1, 9);
  });

  it('matches Poisson probabilities exactly computable for a fixed-duration risk', () => {
    // one risk: (20 + 80) min × 1.0 = 100 bad minutes per occurrence, 3 per year
    // 99.95 % → 0.0005 × 525,960 = 262.98 min: exhausted when N ≥ 3 (300 > 262.98)
    // P(N ≥ 3) = 1 − e^−3 (1 + 3 + 4.5) = 1 − 8.5 × 0.0497871 = 0.5768099
    const one = { risks: [risk({ name: 'r', ettdMinutes: 20, ettrMinutes: 80, impact: 1, frequencyPerYear: 3 })] };
    const n = YEARS;
    const result = simulateRisks(one, { seed: 1, iterations: n, objective: 0.9995, durationModel: 'fixed' });
    const p = 1 - 8.5 * Math.exp(-3);
    // binomial standard error √(p(1 − p)/n) = 0.0035; allow 4 of them
    expect(Math.abs(result.pBudgetExhausted - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    // P(N ≤ 2) = 0.423 and P(N ≤ 3) = 0.647, so the median year has 3 occurrences: 300 min
    expect(result.badMinutesPerYear.p50).toBe(300);
    // P(N ≤ 7) = 0.9881 and P(N ≤ 8) = 0.9962: p99 = 8 occurrences = 800 min
    expect(result.badMinutesPerYear.p99).toBe(800);
    // P(at least one) = 1 − e^−3 = 0.9502
    const q = 1 - Math.exp(-3);
    expect(Math.abs(result.risks[0]!.pAtLeastOne - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / n));
    expect(result.sigma).toBeNull();
    expect(result.histogram.counts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(result.histogram.binWidthMinutes).toBeCloseTo(result.badMinutesPerYear.max / 20, 9);
  });

  it('simulates mitigated numbers when asked', () => {
    const plain = simulateRisks(register, { seed: 3, iterations: 1000, objective: 0.999 });
    const mitigated = simulateRisks(register, { seed: 3, iterations: 1000, objective: 0.999, mitigated: true });
    expect(mitigated.basis).toBe('mitigated');
    expect(mitigated.expectedBadMinutesPerYear).toBeLessThan(plain.expectedBadMinutesPerYear);
    const cre = scoreRisks(register, { objective: 0.999, mitigated: true }).mitigatedTotalBadMinutesPerYear!;
    expect(mitigated.creBadMinutesPerYear).toBeCloseTo(cre, 9);
  });

  it('handles zero-length outages and a single iteration', () => {
    const zero = { risks: [risk({ name: 'z', ettdMinutes: 0, ettrMinutes: 0 })] };
    const result = simulateRisks(zero, { seed: 0, iterations: 50, objective: 0.999 });
    expect(result.badMinutesPerYear).toEqual({ mean: 0, stdDev: 0, standardError: 0, p50: 0, p90: 0, p99: 0, max: 0 });
    expect(result.histogram).toEqual({ binWidthMinutes: 1, counts: [50, ...new Array<number>(19).fill(0)] });
    expect(result.risks[0]!.shareOfBadMinutes).toBe(0);
    const single = simulateRisks(register, { seed: 0, iterations: 1, objective: 0.999 });
    expect(single.badMinutesPerYear.stdDev).toBe(0);
    expect(simulateRisks(register, { seed: 5, objective: 0.999 }).iterations).toBe(10_000);
  });

  it.each([
    [{ seed: -1 }, 'seed', /seed: expected an integer from 0 to 4294967295, got -1/],
    [{ seed: 1.5 }, 'seed', /seed: expected an integer/],
    [{ seed: 2 ** 32 }, 'seed', /seed: expected an integer/],
    [{ iterations: 0 }, 'iterations', /iterations: expected a whole number of simulated years from 1 to 10000000, got 0/],
    [{ iterations: 2.5 }, 'iterations', /iterations: expected a whole number/],
    [{ sigma: 0 }, 'sigma', /sigma: expected a lognormal σ above 0 and at most 3, got 0/],
    [{ durationModel: 'weibull' as DurationModel }, 'durationModel', /durationModel: expected one of lognormal, exponential, fixed, got "weibull"/],
    [{ anchor: 'mode' as DurationAnchor }, 'anchor', /anchor: expected median or mean, got "mode"/],
    [{ objective: 99.9 }, 'objective', /objective: expected an objective strictly between 0 and 1/],
  ])('rejects %j', (override, field, message) => {
    const err = inputError(() => simulateRisks(register, { seed: 1, iterations: 10, objective: 0.999, ...override }));
    expect(err.message).toMatch(message);
    expect(err.field).toBe(field);
  });
});

describe('samplers', () => {
  it('draws Poisson counts with the right mean and variance, small and large λ', () => {
    for (const lambda of [0.3, 4, 50]) {
      const uniform = seededUniform(11);
      const n = YEARS;
      const xs = Array.from({ length: n }, () => samplePoisson(lambda, uniform));
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
      // mean: standard error √(λ/n); 4 of them
      expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / n));
      // variance: standard error √((μ4 − σ⁴)/n) with μ4 = λ(1 + 3λ), σ⁴ = λ²
      expect(Math.abs(variance - lambda)).toBeLessThan(4 * Math.sqrt((lambda * (1 + 3 * lambda) - lambda * lambda) / n));
    }
    expect(samplePoisson(0, seededUniform(1))).toBe(0);
  });

  it('gives uniform draws in [0, 1) that depend on the seed', () => {
    const u = seededUniform(99);
    const xs = Array.from({ length: 10_000 }, u);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // mean of U(0,1) is 0.5 with standard error √(1/12/n) = 0.0029
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / xs.length));
    expect(seededUniform(1)()).not.toBe(seededUniform(2)());
  });

  it('has the documented duration moments', () => {
    // lognormal, median-anchored, σ = 1: mean/median = e^0.5 = 1.6487; E[D²]/median² = e² = 7.389
    expect(durationMoments('lognormal', 1, 'median')).toEqual({ scale: 1, m1: Math.exp(0.5), m2: Math.exp(2) });
    // mean-anchored: median = e^−0.5 × estimate, so the mean is the estimate
    expect(durationMoments('lognormal', 1, 'mean').m1).toBeCloseTo(1, 12);
    // exponential, median-anchored: mean = estimate / ln 2 = 1.4427 × estimate
    expect(durationMoments('exponential', 1, 'median').m1).toBeCloseTo(1 / Math.LN2, 12);
    expect(durationMoments('exponential', 1, 'mean')).toEqual({ scale: 1, m1: 1, m2: 2 });
    expect(durationMoments('fixed', 1, 'mean')).toEqual({ scale: 1, m1: 1, m2: 1 });
  });
});
