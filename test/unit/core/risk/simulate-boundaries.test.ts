/**
 * `relia risk simulate` at its edges (docs/risk.md#simulate and #relia-risk-simulate):
 * the work limit and its two suggestions, the async run's pauses and abort, the
 * accepted ranges of seed/σ/years, the echoed options, exact quantiles and the
 * histogram of a fixed-duration risk, and the documented duration moments.
 */
import { describe, expect, it } from 'vitest';
import { durationMoments, MAX_ITERATIONS, MAX_SIMULATION_WORK, simulateRisks, simulateRisksAsync } from '../../../../src/core/risk/index.js';
import { expectInputError } from '../error-contract.js';
import { risk } from './helpers.js';

const one = (frequencyPerYear: number) => ({ risks: [risk({ name: 'r1', ettdMinutes: 20, ettrMinutes: 80, impact: 1, frequencyPerYear })] });

describe('the work limit', () => {
  it('refuses a run above 2×10⁸ draws, naming the busiest risk and pointing at its ettf when it fails more than 10,000 times a year', () => {
    // ettf 1m: 525,960 failures a year; one year alone is 525,960 + ⌈525,960 / 30⌉ = 543,492 draws
    const two = { risks: [risk({ name: 'quiet', frequencyPerYear: 2 }), risk({ name: 'r1', frequencyPerYear: 525_960 })] };
    const e = expectInputError(() => simulateRisks(two, { seed: 1, iterations: 10_000, objective: 0.999 }), 'iterations', [
      '10000 simulated years need about 5.4e+9 random draws, above the limit of 2e+8',
      'risk "r1" fails 525960 times a year',
    ]);
    expect(e.suggestions).toEqual(['check that risk\'s ettf: "1m" is one minute (a month is "30d"); or pass fewer --years']);
  });

  it('below 10,000 failures a year it suggests the most years that fit', () => {
    // λ = 10,000: 10,000 + 334 = 10,334 draws a year; 2×10⁸ / 10,334 = 19,353.6 → at most 19,353 years
    const e = expectInputError(() => simulateRisks(one(10_000), { seed: 1, iterations: 20_000, objective: 0.999 }), 'iterations', ['fails 10000 times a year']);
    expect(e.suggestions).toEqual(['pass fewer --years (at most 19353)']);
    expect(MAX_SIMULATION_WORK).toBe(200_000_000);
  });
});

describe('simulateRisksAsync', () => {
  it('pauses between slices of about 5×10⁵ draws, telling the years done, and gives the same numbers as the synchronous run', async () => {
    // λ = 1,000: 1,034 draws a year; a slice is full after ⌈500,000 / 1,034⌉ = 484 years, so 2,000 years pause
    // four times, after years 483, 967, 1451 and 1935 (0-based: the year about to run)
    const reg = one(1000);
    const seen: number[] = [];
    const asyncResult = await simulateRisksAsync(reg, { seed: 9, iterations: 2000, objective: 0.999, durationModel: 'fixed', pause: async (yearsDone) => void seen.push(yearsDone) });
    expect(seen).toEqual([483, 967, 1451, 1935]);
    expect(asyncResult).toEqual(simulateRisks(reg, { seed: 9, iterations: 2000, objective: 0.999, durationModel: 'fixed' }));
  });

  it('stops with the signal\'s reason at the first pause after an abort', async () => {
    const ac = new AbortController();
    let pauses = 0;
    const run = simulateRisksAsync(one(1000), {
      seed: 9,
      iterations: 6000,
      objective: 0.999,
      signal: ac.signal,
      pause: async () => {
        pauses++;
        ac.abort(new Error('stopped by SIGTERM'));
      },
    });
    await expect(run).rejects.toThrow('stopped by SIGTERM');
    expect(pauses).toBe(1);
  });

  it('needs no pause for a small run', async () => {
    let pauses = 0;
    await simulateRisksAsync(one(3), { seed: 1, iterations: 100, objective: 0.999, pause: async () => void pauses++ });
    expect(pauses).toBe(0);
  });
});

describe('accepted ranges', () => {
  it('takes the extreme seeds, σ = 3 and one year; refuses σ above 3, a non-number σ and more than 10,000,000 years', () => {
    const reg = one(3);
    expect(simulateRisks(reg, { seed: 0, iterations: 10, objective: 0.999 }).seed).toBe(0);
    expect(simulateRisks(reg, { seed: 4_294_967_295, iterations: 10, objective: 0.999 }).seed).toBe(4_294_967_295);
    expect(simulateRisks(reg, { seed: 1, iterations: 10, objective: 0.999, sigma: 3 }).sigma).toBe(3);
    expect(simulateRisks(reg, { seed: 1, iterations: 1, objective: 0.999 }).iterations).toBe(1);
    expectInputError(() => simulateRisks(reg, { seed: 1, iterations: 10, objective: 0.999, sigma: 3.01 }), 'sigma', ['got 3.01']);
    expectInputError(() => simulateRisks(reg, { seed: 1, iterations: 10, objective: 0.999, sigma: Number.POSITIVE_INFINITY }), 'sigma');
    expectInputError(() => simulateRisks(reg, { seed: 1, iterations: MAX_ITERATIONS + 1, objective: 0.999 }), 'iterations', ['got 10000001']);
    const e = expectInputError(() => simulateRisks(reg, { seed: -1, iterations: 10, objective: 0.999 }), 'seed');
    expect(e.suggestions).toEqual(['pass --seed 42']);
  });

  it('echoes the options it ran with (defaults: lognormal, σ 1, median)', () => {
    const r = simulateRisks(one(3), { seed: 1, iterations: 10, objective: 0.999 });
    expect(r).toMatchObject({ seed: 1, iterations: 10, objective: 0.999, basis: 'unmitigated', durationModel: 'lognormal', sigma: 1, anchor: 'median' });
    expect(r.budgetMinutesPerYear).toBeCloseTo(525.96, 9);
    const e = simulateRisks(one(3), { seed: 1, iterations: 10, objective: 0.999, durationModel: 'exponential', anchor: 'mean' });
    expect(e).toMatchObject({ durationModel: 'exponential', sigma: null, anchor: 'mean', meanDurationFactor: 1 });
  });
});

describe('a fixed-duration risk, exactly', () => {
  // 100 bad minutes per occurrence: every simulated year is 100 × N, N ~ Poisson(3)
  // run inside each test: Stryker activates a mutant only when the tests run, after the describe bodies
  const run = () => simulateRisks(one(3), { seed: 4, iterations: 5000, objective: 0.9995, durationModel: 'fixed' });

  it('has quantiles on whole occurrences and the type-7 p90', () => {
    const result = run();
    // P(N ≤ 4) = 0.815, P(N ≤ 5) = 0.916: the p90 year has 5 occurrences
    expect(result.badMinutesPerYear.p90).toBe(500);
    expect(result.badMinutesPerYear.max % 100).toBe(0);
    expect(result.badMinutesPerYear.max).toBeGreaterThanOrEqual(800);
    // the analytic numbers: CRE 300, E[D] = ETTD + ETTR, sd √(λ · 100²) = 173.2
    expect(result.creBadMinutesPerYear).toBe(300);
    expect(result.expectedBadMinutesPerYear).toBe(300);
    expect(result.expectedStdDev).toBeCloseTo(100 * Math.sqrt(3), 9);
    expect(result.risks[0]).toMatchObject({ name: 'r1', service: 'svc', category: 'cat', expectedMinutesPerYear: 300, shareOfBadMinutes: 1 });
  });

  it('puts every year in the bin of its minutes (20 bins from 0 to the worst year, the worst in the last)', () => {
    const result = run();
    const { binWidthMinutes, counts } = result.histogram;
    expect(counts).toHaveLength(20);
    expect(binWidthMinutes).toBe(result.badMinutesPerYear.max / 20);
    expect(counts[19]).toBeGreaterThanOrEqual(1);
    // years with no occurrence (0 minutes) are all in bin 0: about e^−3 = 5 % of them
    expect(counts[0]! / 5000).toBeGreaterThan(0.04);
    expect(counts[0]! / 5000).toBeLessThan(0.06);
    // the standard error is the sample sd / √years
    expect(result.badMinutesPerYear.standardError).toBeCloseTo(result.badMinutesPerYear.stdDev / Math.sqrt(5000), 12);
    // the sample sd is near √3 × 100
    expect(Math.abs(result.badMinutesPerYear.stdDev - 173.2)).toBeLessThan(10);
  });
});

describe('duration moments', () => {
  it('mean-anchored lognormal: scale e^(−σ²/2), E[D²] = e^(σ²)', () => {
    const m = durationMoments('lognormal', 1, 'mean');
    expect(m.scale).toBeCloseTo(Math.exp(-0.5), 12);
    expect(m.m2).toBeCloseTo(Math.exp(1), 12);
  });

  it('median-anchored exponential: scale 1/ln 2, E[D²] = 2/ln²2', () => {
    const m = durationMoments('exponential', 1, 'median');
    expect(m.scale).toBeCloseTo(1 / Math.LN2, 12);
    expect(m.m2).toBeCloseTo(2 / (Math.LN2 * Math.LN2), 12);
  });

  it('σ enters the lognormal squared: σ = 0.5 gives mean/median e^0.125', () => {
    expect(durationMoments('lognormal', 0.5, 'median')).toEqual({ scale: 1, m1: Math.exp(0.125), m2: Math.exp(0.5) });
  });
});
