import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../property-runs.js';
import { asciiPlot } from '../../../../src/core/capacity/ascii-plot.js';
import { fitUsl, pairByTime, parseUslCsv, uslThroughput, type UslPoint } from '../../../../src/core/capacity/usl.js';
import { InputError } from '../../../../src/core/errors.js';
import { CODAHALE } from './usl-data.js';

const sig4 = (x: number) => Number(x.toPrecision(4));
const sse = (pts: UslPoint[], c: { sigma: number; kappa: number; lambda: number }) => pts.reduce((s, p) => s + (p.throughput - uslThroughput(c, p.concurrency)) ** 2, 0);

describe('USL fit: golden values', () => {
  // Fitted inside each test: Stryker switches a mutant on in a beforeAll hook, after describe blocks are
  // collected, so a fit made in the describe body would never see one.
  const golden = () => fitUsl(CODAHALE, [64]);
  it('matches codahale/usl to 4 significant figures', () => {
    const fit = golden();
    expect(sig4(fit.sigma)).toBe(sig4(0.0277299));
    expect(sig4(fit.kappa)).toBe(sig4(0.000104343));
    expect(sig4(fit.lambda)).toBe(sig4(89.9878));
    expect(sig4(fit.peakThroughput as number)).toBe(sig4(1883.76));
    expect(Math.round(fit.peakConcurrency as number)).toBeGreaterThanOrEqual(96);
    expect(Math.floor(fit.peakConcurrency as number)).toBe(96);
    expect(fit.clamped).toEqual([]);
    expect(fit.warnings).toEqual([]);
  });

  it('is at least as good a least-squares fit as the published coefficients', () => {
    const fit = golden();
    // The published values are rounded; the true minimum can only be lower or equal.
    expect(sse(CODAHALE, fit)).toBeLessThanOrEqual(sse(CODAHALE, { sigma: 0.0277299, kappa: 0.000104343, lambda: 89.9878 }) + 1e-9);
  });

  it('peak: N* = √((1 − σ)/κ) and X(N*) is the maximum of the curve', () => {
    const fit = golden();
    expect(fit.peakConcurrency).toBeCloseTo(Math.sqrt((1 - fit.sigma) / fit.kappa), 9);
    const n = fit.peakConcurrency as number;
    expect(uslThroughput(fit, n)).toBeGreaterThan(uslThroughput(fit, n - 1));
    expect(uslThroughput(fit, n)).toBeGreaterThan(uslThroughput(fit, n + 1));
    expect(fit.predictions).toEqual([{ concurrency: 64, throughput: uslThroughput(fit, 64) }]);
    expect(fit.rSquared).toBeGreaterThan(0.98);
  });

  it('reports which term dominates at the peak', () => {
    const fit = golden();
    // at N* ≈ 96.5: σ(N−1) ≈ 2.65 > κN(N−1) ≈ 0.96
    expect(fit.constraint).toBe('contention');
    expect(fit.terms.contention).toBeGreaterThan(fit.terms.coherency);
  });
});

describe('USL fit: data without an N = 1 point', () => {
  it('fits λ as a free parameter (close to the full-data fit)', () => {
    const full = fitUsl(CODAHALE);
    const fit = fitUsl(CODAHALE.slice(1));
    expect(Math.abs(fit.lambda - full.lambda) / full.lambda).toBeLessThan(0.02);
    expect(Math.abs((fit.peakThroughput as number) - (full.peakThroughput as number)) / (full.peakThroughput as number)).toBeLessThan(0.002);
  });

  it('recovers known coefficients from noiseless synthetic data that starts at N = 8', () => {
    const truth = { sigma: 0.05, kappa: 0.0002, lambda: 120 };
    const pts = [8, 16, 32, 48, 64, 96, 128].map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) }));
    const fit = fitUsl(pts);
    expect(fit.sigma).toBeCloseTo(truth.sigma, 6);
    expect(fit.kappa).toBeCloseTo(truth.kappa, 8);
    expect(fit.lambda).toBeCloseTo(truth.lambda, 4);
  });
});

describe('USL fit: never a silent negative coefficient', () => {
  it('superlinear data: the negative σ is held at 0, with a warning', () => {
    const pts = [1, 2, 4, 8, 16].map((n) => ({ concurrency: n, throughput: 100 * n * (1 + 0.02 * n) }));
    const fit = fitUsl(pts);
    expect(fit.unconstrained.sigma).toBeLessThan(0);
    expect(fit.sigma).toBe(0);
    expect(fit.kappa).toBeGreaterThanOrEqual(0);
    expect(fit.clamped).toContain('sigma');
    expect(fit.warnings.join('\n')).toMatch(/unconstrained fit gives σ = -.*held at 0.*the RMSE goes from/);
    // With σ at 0 the best κ ≥ 0 is 0 as well (the data accelerate): that bound is active too, and said so.
    expect(fit.clamped).toEqual(['sigma', 'kappa']);
    expect(fit.unconstrained.kappa).toBeGreaterThan(0);
    expect(fit.warnings.join('\n')).toMatch(/κ is 0 in the best fit with σ, κ ≥ 0 \(unconstrained: [0-9.e-]+\): the constraint κ ≥ 0 is active/);
  });

  it('noiseless Amdahl data: a rounding-level negative κ is held at 0 and shown to change nothing', () => {
    const truth = { sigma: 0.05, kappa: 0, lambda: 10 };
    const fit = fitUsl([2, 4, 8, 16, 32, 64].map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) })));
    expect(fit.kappa).toBeGreaterThanOrEqual(0);
    expect(fit.sigma).toBeCloseTo(0.05, 8);
    expect(fit.lambda).toBeCloseTo(10, 6);
    if (fit.clamped.length > 0) expect(fit.warnings.join('\n')).toMatch(/, \d(\.\d+)?e-\d+% of the mean throughput/);
  });

  it('Amdahl-only data (κ = 0): no peak, the asymptote λ/σ instead', () => {
    const truth = { sigma: 0.1, kappa: 0, lambda: 50 };
    const pts = [1, 4, 16, 64, 256].map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) * (n % 2 === 0 ? 1.001 : 0.999) }));
    const fit = fitUsl(pts);
    expect(fit.kappa).toBeGreaterThanOrEqual(0);
    if (fit.kappa === 0) {
      expect(fit.peakConcurrency).toBeNull();
      expect(fit.peakThroughput).toBeNull();
      expect(fit.asymptote as number).toBeCloseTo(fit.lambda / fit.sigma, 9);
      expect(fit.warnings.join('\n')).toMatch(/no peak/);
    } else {
      expect(fit.kappa).toBeLessThan(1e-5);
    }
  });

  it('linear data: σ = κ = 0 and "no peak"', () => {
    const pts = [1, 2, 3, 4].map((n) => ({ concurrency: n, throughput: 10 * n }));
    const fit = fitUsl(pts);
    expect(fit.sigma).toBeCloseTo(0, 9);
    expect(fit.kappa).toBeCloseTo(0, 9);
    expect(fit.lambda).toBeCloseTo(10, 6);
    expect(fit.constraint).toBe('none');
  });

  it('never returns a negative σ or κ (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.1, max: 1e5, noNaN: true })), { minLength: 3, maxLength: 12 }), (rows) => {
        const pts = rows.map(([concurrency, throughput]) => ({ concurrency, throughput }));
        if (new Set(pts.map((p) => p.concurrency)).size < 3) return true;
        const fit = fitUsl(pts);
        return fit.sigma >= 0 && fit.kappa >= 0 && Number.isFinite(fit.lambda);
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});

describe('USL fit: synthetic data with known parameters', () => {
  // Ground truth → noiseless measurements → the fit must give the truth back.
  const cases = [
    { sigma: 0.02, kappa: 1e-6, lambda: 1000, ns: [10, 50, 100, 200, 400, 800, 1600, 3200] },
    { sigma: 0.3, kappa: 0.01, lambda: 5, ns: [1, 2, 3, 4, 6, 8, 12] },
    { sigma: 0.001, kappa: 1e-8, lambda: 1e6, ns: [100, 1000, 5000, 10000, 20000, 50000] },
  ];
  it.each(cases)('σ=$sigma κ=$kappa λ=$lambda', ({ ns, ...truth }) => {
    const fit = fitUsl(ns.map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) })));
    expect(Math.abs(fit.sigma - truth.sigma) / truth.sigma).toBeLessThan(1e-6);
    expect(Math.abs(fit.kappa - truth.kappa) / truth.kappa).toBeLessThan(1e-6);
    expect(Math.abs(fit.lambda - truth.lambda) / truth.lambda).toBeLessThan(1e-6);
    expect(fit.clamped).toEqual([]);
  });

  it('with ±2 % noise, still close: the peak within 5 %', () => {
    const truth = { sigma: 0.03, kappa: 1e-4, lambda: 90 };
    let seed = 7;
    const noise = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647) * 2 - 1;
    };
    const pts = [4, 8, 16, 32, 64, 96, 128, 192, 256].map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) * (1 + 0.02 * noise()) }));
    const fit = fitUsl(pts);
    const peak = Math.sqrt((1 - truth.sigma) / truth.kappa);
    expect(Math.abs((fit.peakConcurrency as number) - peak) / peak).toBeLessThan(0.05);
    expect(Math.abs((fit.peakThroughput as number) - uslThroughput(truth, peak)) / uslThroughput(truth, peak)).toBeLessThan(0.05);
  });

  it('σ > 1: throughput only falls after one unit, so the "peak" is N = 1, with a warning', () => {
    const truth = { sigma: 1.5, kappa: 0.001, lambda: 100 };
    const fit = fitUsl([1, 2, 4, 8, 16].map((n) => ({ concurrency: n, throughput: uslThroughput(truth, n) })));
    expect(fit.sigma).toBeCloseTo(1.5, 6);
    expect(fit.peakConcurrency).toBe(1);
    expect(fit.peakThroughput).toBeCloseTo(100, 6);
    expect(fit.constraint).toBe('contention');
    expect(fit.terms.at).toBe(16);
    expect(fit.warnings.join('\n')).toMatch(/never rises above one unit/);
  });
});

describe('pairByTime', () => {
  it('pairs instants present in both series and counts what it leaves out', () => {
    const c: Array<[number, number]> = [[0, 10], [60, 20], [120, 0], [180, 30], [240, Number.NaN]];
    const x: Array<[number, number]> = [[0, 100], [60, 190], [120, 5], [240, 1], [300, 7]];
    expect(pairByTime(c, x)).toEqual({
      points: [
        { concurrency: 10, throughput: 100 },
        { concurrency: 20, throughput: 190 },
      ],
      unmatched: 2, // 180 has no throughput; 240's concurrency is NaN
      dropped: 1, // 120: concurrency 0 says nothing about scaling
    });
    expect(pairByTime([[0, 1]], [[0, -1]])).toEqual({ points: [], unmatched: 0, dropped: 1 });
  });
});

describe('input checks', () => {
  it('needs three distinct concurrencies, positive N and non-negative X', () => {
    expect(() => fitUsl(CODAHALE.slice(0, 2))).toThrow(/3 or more different concurrencies/);
    expect(() => fitUsl([{ concurrency: 0, throughput: 1 }, ...CODAHALE])).toThrow(InputError);
    expect(() => fitUsl([{ concurrency: 1, throughput: -1 }, ...CODAHALE])).toThrow(/row 1.throughput|measurement 1/);
    expect(() => fitUsl(CODAHALE.map((p) => ({ ...p, throughput: 0 })))).toThrow(/every throughput is 0/);
    expect(() => fitUsl(CODAHALE, [0])).toThrow(/--predict/);
  });
});

describe('parseUslCsv', () => {
  it('reads rows with or without a header, skipping blanks and comments', () => {
    expect(parseUslCsv('concurrency,throughput\n1,65\n\n# note\n18,996\n')).toEqual([
      { concurrency: 1, throughput: 65 },
      { concurrency: 18, throughput: 996 },
    ]);
    expect(parseUslCsv('1;65\r\n2\t120')).toHaveLength(2);
  });

  it('only the first row can be a header, and only when no cell is a number', () => {
    // A typo in the first data row is an error, not a silently skipped "header".
    expect(() => parseUslCsv('1O,65\n18,996\n', 'm.csv')).toThrow(/m.csv row 1: concurrency must be a positive number, got "1O"/);
    expect(() => parseUslCsv('N,X\n1,65\nN,X\n', 'm.csv')).toThrow(/row 3: concurrency/);
    expect(parseUslCsv('# measured 2026-11-01\nN;X\n1;65\n')).toEqual([{ concurrency: 1, throughput: 65 }]);
  });

  it('names the row and field of a bad row', () => {
    expect(() => parseUslCsv('n,x\n1,65\n2\n', 'm.csv')).toThrow(/m.csv row 3: expected 2 columns/);
    expect(() => parseUslCsv('1,65\nx,5', 'm.csv')).toThrow(/row 2: concurrency must be a positive number/);
    expect(() => parseUslCsv('1,65\n2,-5', 'm.csv')).toThrow(/row 2: throughput must be zero or a positive number/);
    expect(() => parseUslCsv('n,x\n', 'm.csv')).toThrow(/no measurements/);
    try {
      parseUslCsv('1,65\n2,abc', 'm.csv');
    } catch (e) {
      expect((e as InputError).field).toBe('row 2.throughput');
    }
  });

  it('any text gives rows or an InputError, never another error (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseUslCsv(text);
          return true;
        } catch (e) {
          return e instanceof InputError;
        }
      }),
    );
  });
});

describe('asciiPlot', () => {
  it('draws points inside labelled axes', () => {
    const lines = asciiPlot([{ points: [[0, 0], [10, 100]], mark: '●' }], { width: 20, height: 5, xLabel: 'n', yLabel: 'x' });
    expect(lines[0]).toContain('x');
    expect(lines[1]).toMatch(/^100 │ {19}●$/);
    expect(lines[5]).toMatch(/^ {2}0 │●$/);
    expect(lines[6]).toBe(`    └${'─'.repeat(20)}`);
    expect(lines[7]).toContain('n');
    expect(asciiPlot([{ points: [], mark: '●' }])).toEqual([]);
    expect(asciiPlot([{ points: [[1, 1e7]], mark: '*' }]).join('\n')).toContain('1.00e+7');
  });
});
