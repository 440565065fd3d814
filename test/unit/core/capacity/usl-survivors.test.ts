/**
 * What `relia capacity usl` reports beyond the coefficients (docs/capacity.md, `usl` section): the fit
 * quality (RMSE = √(SSE/n) in throughput units and R² = 1 − SSE/SST, recomputed here from the definitions
 * and the printed coefficients on noisy data), the κ = 0 cases (no peak: the ceiling λ/σ with σ > 0, or
 * linear scaling with σ = κ = 0, each with its warning and which penalty dominates), and the exact
 * suggestions of the input refusals a user reads.
 */
import { describe, expect, it } from 'vitest';
import { fitUsl, parseUslCsv, uslThroughput, type UslPoint } from '../../../../src/core/capacity/usl.js';
import { inputError as errorOf } from '../../../helpers/errors.js';

describe('USL fit quality on noisy data', () => {
  const pts: UslPoint[] = [
    { concurrency: 1, throughput: 52 },
    { concurrency: 4, throughput: 170 },
    { concurrency: 8, throughput: 255 },
    { concurrency: 16, throughput: 330 },
    { concurrency: 32, throughput: 345 },
    { concurrency: 64, throughput: 290 },
  ];
  it('RMSE and R² follow their definitions from the fitted curve', () => {
    const fit = fitUsl(pts);
    const resid = pts.map((p) => p.throughput - uslThroughput(fit, p.concurrency));
    const sse = resid.reduce((s, r) => s + r * r, 0);
    const mean = pts.reduce((s, p) => s + p.throughput, 0) / pts.length;
    const sst = pts.reduce((s, p) => s + (p.throughput - mean) ** 2, 0);
    expect(sse).toBeGreaterThan(1);
    expect(fit.rmse).toBeCloseTo(Math.sqrt(sse / pts.length), 9);
    expect(fit.rSquared).toBeCloseTo(1 - sse / sst, 12);
    expect(fit.rSquared).toBeLessThan(1);
    expect(fit.kappa).toBeGreaterThan(0);
    expect(fit.peakConcurrency).toBeCloseTo(Math.sqrt((1 - fit.sigma) / fit.kappa), 9);
  });
});

describe('USL with no coherency penalty', () => {
  it('super-linear-leaning Amdahl data: κ held at 0, ceiling λ/σ, contention dominates at the largest N', () => {
    const ns = [1, 2, 4, 8, 16, 32];
    const pts = ns.map((n) => ({ concurrency: n, throughput: ((100 * n) / (1 + 0.1 * (n - 1))) * (1 + 0.002 * n) }));
    const fit = fitUsl(pts);
    expect(fit.kappa).toBe(0);
    expect(fit.sigma).toBeGreaterThan(0);
    expect(fit.clamped).toEqual(['kappa']);
    expect(fit.unconstrained.kappa).toBeLessThan(0);
    expect(fit.peakConcurrency).toBeNull();
    expect(fit.peakThroughput).toBeNull();
    expect(fit.asymptote).toBeCloseTo(fit.lambda / fit.sigma, 9);
    expect(fit.warnings).toContain(`κ = 0: no coherency penalty, so no peak (peakConcurrency and peakThroughput are null); throughput approaches λ/σ = ${(fit.lambda / fit.sigma).toPrecision(6)}`);
    const rmseOf = (c: { sigma: number; kappa: number; lambda: number }) => Math.sqrt(pts.reduce((acc, p) => acc + (p.throughput - uslThroughput(c, p.concurrency)) ** 2, 0) / pts.length);
    const meanX = pts.reduce((acc, p) => acc + p.throughput, 0) / pts.length;
    const from = rmseOf(fit.unconstrained);
    const rise = ((fit.rmse - from) / meanX) * 100;
    expect(rise).toBeGreaterThan(0);
    const warn = fit.warnings.find((w) => w.startsWith('the unconstrained fit gives κ = '));
    expect(warn).toContain(`the RMSE goes from ${from.toPrecision(4)} to ${fit.rmse.toPrecision(4)}, ${rise.toPrecision(2)}% of the mean throughput`);
    expect(fit.terms.at).toBe(32);
    expect(fit.terms.contention).toBeCloseTo(fit.sigma * 31, 12);
    expect(fit.constraint).toBe('contention');
  });

  it('linear data: σ = κ = 0, no asymptote, no dominant penalty', () => {
    const pts = [1, 2, 4, 8].map((n) => ({ concurrency: n, throughput: 100 * n * (1 + 0.001 * n) }));
    const fit = fitUsl(pts);
    expect(fit.sigma).toBe(0);
    expect(fit.kappa).toBe(0);
    expect(fit.asymptote).toBeNull();
    expect(fit.warnings).toContain('σ = κ = 0: the measurements scale linearly; there is no peak (peakConcurrency and peakThroughput are null)');
    expect(fit.constraint).toBe('none');
  });
});

describe('USL refusals: what the user is told to do', () => {
  it('fit inputs', () => {
    const three = (extra: UslPoint) => [{ concurrency: 1, throughput: 1 }, { concurrency: 2, throughput: 2 }, extra];
    expect(errorOf(() => fitUsl(three({ concurrency: 0, throughput: 1 }))).suggestions).toEqual(['each row is concurrency,throughput, e.g. 18,996']);
    expect(errorOf(() => fitUsl(three({ concurrency: 3, throughput: -1 }))).suggestions).toEqual(['each row is concurrency,throughput, e.g. 18,996']);
    expect(errorOf(() => fitUsl(three({ concurrency: 2, throughput: 2 }))).suggestions).toEqual(['measure throughput at several concurrency levels, e.g. 1, 8, 32, 64, 128']);
    const zero = errorOf(() => fitUsl([1, 2, 3].map((n) => ({ concurrency: n, throughput: 0 }))));
    expect(zero.field).toBe('--input');
    expect(zero.suggestions).toEqual(['check the throughput column']);
    expect(errorOf(() => fitUsl(three({ concurrency: 3, throughput: 3 }), [0])).suggestions).toEqual(['e.g. --predict 64 128 256']);
  });

  it('CSV rows', () => {
    const cols = errorOf(() => parseUslCsv('1,2,3\n', 'b.csv'));
    expect(cols.field).toBe('row 1');
    expect(cols.file).toBe('b.csv');
    expect(cols.suggestions).toEqual(['write each row as concurrency,throughput, e.g. 18,996']);
    const conc = errorOf(() => parseUslCsv('0,5\n', 'b.csv'));
    expect(conc.field).toBe('row 1.concurrency');
    expect(conc.suggestions[0]).toBe('e.g. 18,996');
    expect(conc.suggestions[1]).toMatch(/^a header row names its columns: /);
    expect(errorOf(() => parseUslCsv(' ,5\n')).message).toBe('input row 1: concurrency must be a positive number, got ""');
    expect(errorOf(() => parseUslCsv('2, \n')).message).toBe('input row 1: throughput must be zero or a positive number, got ""');
    expect(errorOf(() => parseUslCsv('1,1\n2,-1\n')).suggestions).toEqual(['e.g. 18,996']);
    expect(parseUslCsv('  3 , 0 \n')).toEqual([{ concurrency: 3, throughput: 0 }]);
    expect(parseUslCsv('   \n  # indented comment\n1,2\n')).toEqual([{ concurrency: 1, throughput: 2 }]);
    const none = errorOf(() => parseUslCsv('# only\n', 'e.csv'));
    expect(none.field).toBe('--input');
    expect(none.suggestions).toEqual(['one concurrency,throughput row per measurement']);
  });
});
