/**
 * `relia risk simulate`, exactly (docs/risk.md#relia-risk-simulate and #simulate):
 * the documented seed-42 run of the example register number for number ("same
 * seed, same numbers"), type-7 quantiles and the n − 1 sd of a three-year run,
 * the histogram against the quantiles, a year at exactly the budget, the work
 * limit at exactly 2×10⁸ draws and 10,000,000 years, the busiest risk named
 * wherever it is in the register, the Poisson inversion at its boundary and its
 * guard, and zero-length outages that take no duration draws.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { budgetMinutesPerYear, durationMoments, parseRegister, samplePoisson, simulateRisks, simulateRisksAsync } from '../../../../src/core/risk/index.js';
import { expectInputError } from '../error-contract.js';
import { propertyRuns } from '../property-runs.js';
import { risk } from './helpers.js';

// Simulated years of the statistical case: 20,000 normally, 2,000 under StrykerJS (the bound scales with √n).
const YEARS = propertyRuns(20_000, 2_000);

const exampleRegister = parseRegister(readFileSync(new URL('../../../../docs/examples/risk/register.yaml', import.meta.url), 'utf8'), 'register.yaml');

describe('the documented example run (docs/risk.md, `relia risk simulate --register docs/examples/risk/register.yaml --seed 42`)', () => {
  const one = (x: number) => x.toFixed(1);

  it('prints the same yearly numbers and per-risk table', () => {
    const r = simulateRisks(exampleRegister, { seed: 42, iterations: 10_000, objective: 0.999 });
    const b = r.badMinutesPerYear;
    // bad min/year       p50 944.2 · p90 1987.3 · p99 5143.9 · max 23788.0
    expect([b.p50, b.p90, b.p99, b.max].map(one)).toEqual(['944.2', '1987.3', '5143.9', '23788.0']);
    // mean               1201.3 ± 9.61 (analytic 1212.2; CRE point estimate 735.2)
    expect([one(b.mean), b.standardError.toFixed(2), one(r.expectedBadMinutesPerYear), one(r.creBadMinutesPerYear)]).toEqual(['1201.3', '9.61', '1212.2', '735.2']);
    // P(exhaust budget)  94.4% of years
    expect((r.pBudgetExhausted * 100).toFixed(1)).toBe('94.4');
    const rows = [...r.risks]
      .sort((a, b) => b.meanMinutesPerYear - a.meanMinutesPerYear)
      .map((x) => [x.name, one(x.meanMinutesPerYear), one(x.expectedMinutesPerYear), `${one(x.shareOfBadMinutes * 100)}%`, `${one(x.pAtLeastOne * 100)}%`]);
    expect(rows).toEqual([
      ['cloud-region-outage', '319.5', '335.2', '26.6%', '27.4%'],
      ['cdn-edge-outage', '180.6', '180.7', '15.0%', '100.0%'],
      ['drm-license-outage', '163.2', '163.1', '13.6%', '95.2%'],
      ['account-schema-migration-lock', '131.5', '128.6', '10.9%', '86.5%'],
      ['origin-shield-overload', '86.8', '86.6', '7.2%', '95.3%'],
      ['session-cache-flush', '71.8', '71.2', '6.0%', '98.4%'],
      ['payment-provider-outage', '64.4', '64.6', '5.4%', '98.3%'],
      ['cdn-certificate-expiry', '51.6', '49.5', '4.3%', '40.2%'],
      ['identity-provider-outage', '48.9', '49.5', '4.1%', '86.2%'],
      ['catalog-db-primary-failure', '46.0', '46.2', '3.8%', '86.5%'],
      ['catalog-cache-stampede', '37.0', '37.1', '3.1%', '99.8%'],
    ]);
  });

  it('with --anchor mean: 728.6 ± 5.8, the budget exhausted in 58.5 % of years (the prose says 58 %)', () => {
    const m = simulateRisks(exampleRegister, { seed: 42, iterations: 10_000, objective: 0.999, anchor: 'mean' });
    expect([one(m.badMinutesPerYear.mean), one(m.badMinutesPerYear.standardError)]).toEqual(['728.6', '5.8']);
    expect(m.pBudgetExhausted).toBe(0.585);
  });
});

describe('a three-year run, by the definitions', () => {
  // Three years y0 ≤ y1 ≤ y2: type 7 puts p50 at y1 (h = 1), p90 at y1 + 0.8 (y2 − y1) (h = 1.8), p99 at
  // y1 + 0.98 (y2 − y1); max is y2 and the mean gives y0 = 3·mean − y1 − y2. The sample sd divides by n − 1 = 2.
  it('has type-7 quantiles between the median year and the worst, and the sample sd with n − 1', () => {
    const r = simulateRisks({ risks: [risk({ name: 'r', frequencyPerYear: 5 })] }, { seed: 3, iterations: 3, objective: 0.999 });
    const { mean, p50, p90, p99, max, stdDev } = r.badMinutesPerYear;
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9 * max);
    expect(p50).toBeLessThan(max);
    close(p90, p50 + 0.8 * (max - p50));
    close(p99, p50 + 0.98 * (max - p50));
    const y0 = 3 * mean - p50 - max;
    expect(y0).toBeLessThanOrEqual(p50);
    close(stdDev, Math.sqrt(((y0 - mean) ** 2 + (p50 - mean) ** 2 + (max - mean) ** 2) / 2));
  });
});

describe('the histogram against the quantiles', () => {
  const registers = {
    fixed: { risks: [risk({ name: 'r', ettdMinutes: 20, ettrMinutes: 80, impact: 1, frequencyPerYear: 3 })] },
    lognormal: { risks: [risk({ name: 'a', frequencyPerYear: 6 }), risk({ name: 'b', ettrMinutes: 300, impact: 0.5, frequencyPerYear: 0.7 })] },
  };
  it.each(['fixed', 'lognormal'] as const)('%s: at most half the years lie in bins wholly above the median, at most a tenth wholly above p90', (model) => {
    const register = registers[model];
    const n = 2000;
    const r = simulateRisks(register, { seed: 4, iterations: n, objective: 0.9995, durationModel: model });
    const { binWidthMinutes: w, counts } = r.histogram;
    const above = (q: number) => counts.reduce((s, c, i) => (i * w > q * (1 + 1e-12) ? s + c : s), 0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(above(r.badMinutesPerYear.p50)).toBeLessThanOrEqual(n / 2);
    expect(above(r.badMinutesPerYear.p90)).toBeLessThanOrEqual(n / 10);
    expect(counts[19]).toBeGreaterThanOrEqual(1);
  });
});

describe('the budget', () => {
  it('is exhausted only by a year over it: a year of exactly the budget is within it', () => {
    // one fixed-length risk whose single occurrence costs exactly the yearly budget, once a year on average:
    // over budget ⇔ N ≥ 2, P = 1 − 2/e = 0.2642 (a year with N = 1 is at the budget, not over it)
    const budget = budgetMinutesPerYear(0.999);
    const reg = { risks: [risk({ name: 'r', ettdMinutes: 0, ettrMinutes: budget, impact: 1, frequencyPerYear: 1 })] };
    const r = simulateRisks(reg, { seed: 5, iterations: YEARS, objective: 0.999, durationModel: 'fixed' });
    const p = 1 - 2 / Math.E;
    expect(Math.abs(r.pBudgetExhausted - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / YEARS));
    expect(r.pBudgetExhausted).toBeLessThan(r.risks[0]!.pAtLeastOne);
  });
});

describe('the work limit, exactly', () => {
  it('accepts exactly 2×10⁸ draws over exactly 10,000,000 years, and pauses when a slice holds exactly 5×10⁵ draws', async () => {
    // λ = 19: 19 + ⌈19/30⌉ = 20 draws a year; 10⁷ years × 20 = 2×10⁸, the limit itself. A slice is full after
    // 500,000 / 20 = 25,000 years, so the first pause comes before year 25,000 (0-based 24,999).
    const reg = { risks: [risk({ name: 'r', frequencyPerYear: 19 })] };
    const seen: number[] = [];
    const ac = new AbortController();
    const run = simulateRisksAsync(reg, {
      seed: 1,
      iterations: 10_000_000,
      objective: 0.999,
      durationModel: 'fixed',
      signal: ac.signal,
      pause: async (yearsDone) => {
        seen.push(yearsDone);
        ac.abort(new Error('enough'));
      },
    });
    await expect(run).rejects.toThrow('enough');
    expect(seen).toEqual([24_999]);
  });

  it('names the busiest risk wherever it is in the register, the first of a tie', () => {
    const first = { risks: [risk({ name: 'busy', frequencyPerYear: 525_960 }), risk({ name: 'quiet', frequencyPerYear: 2 })] };
    expectInputError(() => simulateRisks(first, { seed: 1, iterations: 10_000, objective: 0.999 }), 'iterations', ['risk "busy" fails 525960 times a year']);
    // two risks of λ = 10,000: 2 × 10,334 = 20,668 draws a year; 2×10⁸ / 20,668 = 9,676.8 years
    const tie = { risks: [risk({ name: 'a', frequencyPerYear: 10_000 }), risk({ name: 'b', frequencyPerYear: 10_000 })] };
    const e = expectInputError(() => simulateRisks(tie, { seed: 1, iterations: 10_000, objective: 0.999 }), 'iterations', ['risk "a" fails 10000 times a year']);
    expect(e.suggestions).toEqual(['pass fewer --years (at most 9676)']);
  });
});

describe('options refused with their one fix', () => {
  it.each([
    [{ durationModel: 'weibull' }, 'durationModel', 'use lognormal'],
    [{ anchor: 'mode' }, 'anchor', 'use median'],
    [{ sigma: -1 }, 'sigma', 'use the default σ = 1'],
  ] as const)('%j', (override, field, fix) => {
    const e = expectInputError(() => simulateRisks({ risks: [risk({ name: 'r' })] }, { seed: 1, iterations: 10, objective: 0.999, ...(override as object) }), field);
    expect(e.suggestions).toEqual([fix]);
  });
});

describe('mean-anchored lognormal moments for σ ≠ 1', () => {
  it('σ = 0.5: scale e^(−σ²/2) = e^−0.125, mean factor 1, E[D²]/E² = e^(σ²) = e^0.25', () => {
    const m = durationMoments('lognormal', 0.5, 'mean');
    expect(m.scale).toBeCloseTo(Math.exp(-0.125), 14);
    expect(m.m1).toBeCloseTo(1, 14);
    expect(m.m2).toBeCloseTo(Math.exp(0.25), 14);
  });
});

describe('samplePoisson', () => {
  it('inverts the CDF with u ≤ F(k): u exactly F(0) = e^−λ is 0 occurrences, a u past it is 1', () => {
    expect(samplePoisson(1, () => Math.exp(-1))).toBe(0);
    // F(1) = 2/e = 0.7358
    expect(samplePoisson(1, () => 0.5)).toBe(1);
    expect(samplePoisson(1, () => 2 / Math.E)).toBe(1);
  });

  it('stops a chunk at 1,000 when the floating-point CDF never reaches u (λ = 29 sums to 1 − 2⁻⁵², below the largest draw 1 − 2⁻⁵³)', () => {
    expect(samplePoisson(29, () => 1 - 2 ** -53)).toBe(1000);
  });
});

describe('zero-length outages', () => {
  it('take no duration draws: the other risks come out exactly as beside a risk that never happens', () => {
    // Both first risks take one uniform a year for their count (λ ≤ 30); the zero-length one must take no more.
    const other = risk({ name: 'other', frequencyPerYear: 2 });
    const zero = simulateRisks({ risks: [risk({ name: 'zero', ettdMinutes: 0, ettrMinutes: 0, frequencyPerYear: 3 }), other] }, { seed: 8, iterations: 500, objective: 0.999 });
    const never = simulateRisks({ risks: [risk({ name: 'never', frequencyPerYear: 1e-300 }), other] }, { seed: 8, iterations: 500, objective: 0.999 });
    expect(zero.risks[0]!.pAtLeastOne).toBeGreaterThan(0.9);
    expect(zero.risks[0]!.meanMinutesPerYear).toBe(0);
    expect(never.risks[0]!.pAtLeastOne).toBe(0);
    expect(zero.badMinutesPerYear).toEqual(never.badMinutesPerYear);
    expect(zero.risks[1]).toEqual(never.risks[1]);
  });
});
