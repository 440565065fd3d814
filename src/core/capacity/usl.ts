/**
 * The Universal Scalability Law (Gunther, "Guerrilla Capacity Planning",
 * Springer 2007, ch. 4; Gunther 1993):
 *
 *   X(N) = λ·N / (1 + σ·(N − 1) + κ·N·(N − 1))
 *
 * N concurrency (or nodes), X throughput, λ the throughput of one unit with
 * no interference, σ contention (the serial fraction, Amdahl's law when κ = 0)
 * and κ coherency (crosstalk: the cost of keeping N units consistent, which
 * makes throughput fall past a peak).
 *
 *   peak concurrency   N* = √((1 − σ) / κ)      (κ > 0; from dX/dN = 0)
 *   peak throughput    X(N*)
 *   κ = 0              no peak: X rises towards λ/σ (σ > 0), or linearly (σ = 0)
 *
 * Fit: nonlinear least squares on throughput, min Σ (Xᵢ − X(Nᵢ))², by
 * Levenberg–Marquardt (Levenberg 1944; Marquardt 1963) with Marquardt's
 * diagonal scaling and the analytic Jacobian. λ is a free parameter, so data
 * without an N = 1 point fits as well as data with one. σ and κ are physical
 * fractions and are kept ≥ 0: when the unconstrained optimum has a negative
 * coefficient, an active set over the bounds (σ held at 0, κ held at 0, both,
 * or both free with steps projected onto σ, κ ≥ 0) keeps the best feasible
 * fit, and every coefficient left at 0 is listed and warned about (never a
 * silent negative κ). σ > 1 puts the "peak" at N = 1. This is the same least-squares
 * objective codahale/usl fits (its README's 7 measurements are our golden test).
 *
 * Pure: no I/O.
 */
import { documentedHeader, headerColumns, type ColumnNames } from '../csv-header.js';
import { InputError } from '../errors.js';
import { initialGuess, levenbergMarquardt, MAX_ITERATIONS, type Free } from './usl-solver.js';

export interface UslPoint {
  concurrency: number;
  throughput: number;
}

export interface UslCoefficients {
  sigma: number;
  kappa: number;
  lambda: number;
}

export interface UslFit extends UslCoefficients {
  /** N* = √((1 − σ)/κ); null when κ = 0 and σ ≤ 1 (no peak: throughput keeps rising); 1 when σ > 1 (it only falls). */
  peakConcurrency: number | null;
  /** X(N*); null when there is no peak. */
  peakThroughput: number | null;
  /** With κ = 0 and σ > 0: the ceiling λ/σ that throughput approaches; null otherwise. */
  asymptote: number | null;
  /** Which term of the denominator is larger at the peak (or, with no peak or σ > 1, at the largest N measured). */
  constraint: 'contention' | 'coherency' | 'none';
  /** σ·(N − 1) and κ·N·(N − 1) at that N. */
  terms: { at: number; contention: number; coherency: number };
  predictions: Array<{ concurrency: number; throughput: number }>;
  /** Coefficients at the bound 0 (the constraint σ ≥ 0 or κ ≥ 0 active) because the unconstrained fit went negative; each has a warning. */
  clamped: Array<'sigma' | 'kappa'>;
  /** The unconstrained least-squares coefficients (equal to the fit when nothing was clamped). */
  unconstrained: UslCoefficients;
  /** Coefficient of determination of the fit on throughput. */
  rSquared: number;
  /** Root mean square error, in throughput units. */
  rmse: number;
  points: number;
  iterations: number;
  warnings: string[];
}

export function uslThroughput(c: UslCoefficients, n: number): number {
  return (c.lambda * n) / (1 + c.sigma * (n - 1) + c.kappa * n * (n - 1));
}

function validate(points: readonly UslPoint[]): void {
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.concurrency) && p.concurrency > 0)) {
      throw new InputError(`measurement ${i + 1}: concurrency must be a positive number, got ${p.concurrency}`, { field: `row ${i + 1}.concurrency`, suggestions: ['each row is concurrency,throughput, e.g. 18,996'] });
    }
    if (!(Number.isFinite(p.throughput) && p.throughput >= 0)) {
      throw new InputError(`measurement ${i + 1}: throughput must be zero or positive, got ${p.throughput}`, { field: `row ${i + 1}.throughput`, suggestions: ['each row is concurrency,throughput, e.g. 18,996'] });
    }
  });
  const distinct = new Set(points.map((p) => p.concurrency)).size;
  if (distinct < 3) {
    throw new InputError(`the USL has three coefficients: it needs measurements at 3 or more different concurrencies, got ${distinct}`, {
      field: '--input',
      suggestions: ['measure throughput at several concurrency levels, e.g. 1, 8, 32, 64, 128'],
    });
  }
  if (!points.some((p) => p.throughput > 0)) throw new InputError('every throughput is 0: nothing to fit', { field: '--input', suggestions: ['check the throughput column'] });
}

/**
 * What the coefficients say about the curve: its peak (or, with κ = 0, the ceiling it approaches), and which
 * penalty dominates, compared at the peak, or at `maxN` (the largest N measured) when there is no peak or when
 * σ ≥ 1 puts the "peak" at one unit. With a warning for each special case (docs/capacity.md, USL).
 */
export function uslShape(c: UslCoefficients, maxN: number): Pick<UslFit, 'peakConcurrency' | 'peakThroughput' | 'asymptote' | 'constraint' | 'terms'> & { warning: string | null } {
  const { sigma, kappa, lambda } = c;
  if (sigma > 1 || (sigma === 1 && kappa > 0)) {
    // dX/dN ∝ 1 − σ − κN² < 0 for every N ≥ 1: throughput only falls after one unit.
    return {
      peakConcurrency: 1,
      peakThroughput: lambda,
      asymptote: null,
      ...penalties(c, maxN),
      warning: `σ = ${sigma.toPrecision(4)} ≥ 1: throughput never rises above one unit's (λ = ${lambda.toPrecision(6)}); adding concurrency only hurts`,
    };
  }
  if (kappa > 0) {
    const peak = Math.sqrt((1 - sigma) / kappa);
    return { peakConcurrency: peak, peakThroughput: uslThroughput(c, peak), asymptote: null, ...penalties(c, peak), warning: null };
  }
  return {
    peakConcurrency: null,
    peakThroughput: null,
    asymptote: sigma > 0 ? lambda / sigma : null,
    ...penalties(c, maxN),
    warning:
      sigma > 0
        ? `κ = 0: no coherency penalty, so no peak (peakConcurrency and peakThroughput are null); throughput approaches λ/σ = ${(lambda / sigma).toPrecision(6)}`
        : 'σ = κ = 0: the measurements scale linearly; there is no peak (peakConcurrency and peakThroughput are null)',
  };
}

/** σ(N − 1) against κN(N − 1) at N = `at`; the larger names the constraint (contention on a tie), 'none' when both are 0. */
function penalties(c: UslCoefficients, at: number): Pick<UslFit, 'constraint' | 'terms'> {
  const terms = { at, contention: c.sigma * (at - 1), coherency: c.kappa * at * (at - 1) };
  const constraint = terms.contention === 0 && terms.coherency === 0 ? 'none' : terms.contention >= terms.coherency ? 'contention' : 'coherency';
  return { constraint, terms };
}

/** Fit σ, κ, λ to measurements; predictions at `predict`. */
export function fitUsl(points: readonly UslPoint[], predict: readonly number[] = []): UslFit {
  validate(points);
  for (const n of predict) {
    if (!(Number.isFinite(n) && n > 0)) throw new InputError(`--predict: expected positive concurrencies, got ${n}`, { field: '--predict', suggestions: ['e.g. --predict 64 128 256'] });
  }
  const start = initialGuess(points);
  // Unconstrained: what plain least squares says (may be negative).
  const free: Free = [true, true, true];
  const unconstrained = levenbergMarquardt(points, start, free, false);
  const warnings: string[] = [];
  const clamped: UslFit['clamped'] = [];
  let best = unconstrained;
  // The start has a finite SSE (initialGuess sees to it) and a step is only taken when it lowers the SSE, so every fit here is finite.
  if ((unconstrained.p[1] as number) < 0 || (unconstrained.p[2] as number) < 0) {
    // Active set over the sign constraints: try holding σ, κ or both at 0; keep the best feasible fit.
    const candidates: Array<{ hold: Array<'sigma' | 'kappa'>; fit: { p: number[]; cost: number; iterations: number } }> = [];
    for (const hold of [[], ['kappa'], ['sigma'], ['sigma', 'kappa']] as Array<Array<'sigma' | 'kappa'>>) {
      const s = [...start];
      const f: Free = [true, !hold.includes('sigma'), !hold.includes('kappa')];
      if (hold.includes('sigma')) s[1] = 0;
      if (hold.includes('kappa')) s[2] = 0;
      // Feasible by construction: the start has σ, κ ≥ 0 (initialGuess clamps them, a held one is 0) and every step is
      // projected onto σ, κ ≥ 0. Finite too: initialGuess's start has a finite SSE, holding σ or κ at 0 only raises the
      // denominator where N < 1 (both terms are negative there), and a step is taken only when it lowers the SSE.
      candidates.push({ hold, fit: levenbergMarquardt(points, s, f, true) });
    }
    candidates.sort((a, b) => a.fit.cost - b.fit.cost || a.hold.length - b.hold.length);
    const chosen = candidates[0] as (typeof candidates)[number];
    best = chosen.fit;
    // How much worse the feasible fit is than the unconstrained one, against the size of the
    // throughputs: a tiny rise means the negative value was noise (or rounding) around 0; a
    // large one, that the data scale better than the USL allows (e.g. caches warming up).
    const rmse = (cost: number) => Math.sqrt(cost / points.length);
    const meanX = points.reduce((acc, p) => acc + p.throughput, 0) / points.length;
    const rise = (rmse(best.cost) - rmse(unconstrained.cost)) / meanX;
    const judged = `the RMSE goes from ${rmse(unconstrained.cost).toPrecision(4)} to ${rmse(best.cost).toPrecision(4)}, ${(rise * 100).toPrecision(2)}% of the mean throughput (a large rise means the data scale better than the USL allows, e.g. caches warming up as load grows)`;
    for (const name of ['sigma', 'kappa'] as const) {
      const v = best.p[name === 'sigma' ? 1 : 2] as number;
      const u = unconstrained.p[name === 'sigma' ? 1 : 2] as number;
      if (v !== 0) continue;
      const sym = name === 'sigma' ? 'σ' : 'κ';
      clamped.push(name);
      warnings.push(
        u < 0
          ? `the unconstrained fit gives ${sym} = ${u.toPrecision(4)}, negative, which has no physical meaning; ${sym} is held at 0 (the constraint ${sym} ≥ 0 is active) and the other coefficients refitted: ${judged}`
          : `${sym} is 0 in the best fit with σ, κ ≥ 0 (unconstrained: ${u.toPrecision(4)}): the constraint ${sym} ≥ 0 is active`,
      );
    }
  }
  if (best.iterations >= MAX_ITERATIONS) {
    warnings.push(`the fit stopped at its limit of ${MAX_ITERATIONS} iterations while still improving: the coefficients are the best found, not a converged optimum (coefficients running away to very large values mean the data fit no finite USL curve, e.g. throughput collapsing to 0)`);
  }
  const [lambda, sigma, kappa] = best.p as [number, number, number];
  const coef = { sigma, kappa, lambda };
  const { warning, ...shape } = uslShape(coef, Math.max(...points.map((p) => p.concurrency)));
  if (warning) warnings.push(warning);
  const mean = points.reduce((s, p) => s + p.throughput, 0) / points.length;
  const sst = points.reduce((s, p) => s + (p.throughput - mean) ** 2, 0);
  return {
    ...coef,
    ...shape,
    predictions: predict.map((n) => ({ concurrency: n, throughput: uslThroughput(coef, n) })),
    clamped,
    unconstrained: { lambda: unconstrained.p[0] as number, sigma: unconstrained.p[1] as number, kappa: unconstrained.p[2] as number },
    rSquared: sst > 0 ? 1 - best.cost / sst : 1,
    rmse: Math.sqrt(best.cost / points.length),
    points: points.length,
    iterations: best.iterations,
    warnings,
  };
}

/** The names a `capacity usl` CSV header may give its columns (any order, any case). */
export const USL_COLUMNS: ColumnNames<'concurrency' | 'throughput'> = {
  concurrency: ['concurrency', 'n', 'clients', 'users', 'threads', 'vus', 'load'],
  throughput: ['throughput', 'x', 'rps', 'qps', 'tps', 'rate'],
};

/**
 * Parse `concurrency,throughput` rows (blank lines and # comments are
 * skipped). A header is optional and recognised by its names only
 * (`USL_COLUMNS`, in any order: `throughput,concurrency` swaps the columns);
 * a first row that names no column is data, so a malformed one is an
 * InputError naming the row, never a skipped header.
 */
export function parseUslCsv(text: string, name = 'input'): UslPoint[] {
  const out: UslPoint[] = [];
  const lines = text.split(/\r?\n/);
  let first = true;
  let at = { concurrency: 0, throughput: 1 };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    const row = i + 1;
    if (first) {
      first = false;
      const header = headerColumns(cells, USL_COLUMNS, { file: name, row });
      if (header) {
        at = header;
        return;
      }
    }
    if (cells.length !== 2) {
      throw new InputError(`${name} row ${row}: expected 2 columns (concurrency,throughput), got ${cells.length}: ${JSON.stringify(line)}`, { field: `row ${row}`, file: name, suggestions: ['write each row as concurrency,throughput, e.g. 18,996'] });
    }
    const c = cells[at.concurrency] as string;
    const t = cells[at.throughput] as string;
    const n = Number(c);
    const x = Number(t);
    // An empty cell reads as Number('') = 0, which n > 0 refuses (the throughput check below must test for '' itself: 0 is a valid throughput).
    if (!(Number.isFinite(n) && n > 0)) {
      throw new InputError(`${name} row ${row}: concurrency must be a positive number, got ${JSON.stringify(c)}`, { field: `row ${row}.concurrency`, file: name, suggestions: ['e.g. 18,996', `a header row names its columns: ${documentedHeader(USL_COLUMNS)}`] });
    }
    if (!(t !== '' && Number.isFinite(x) && x >= 0)) {
      throw new InputError(`${name} row ${row}: throughput must be zero or a positive number, got ${JSON.stringify(t)}`, { field: `row ${row}.throughput`, file: name, suggestions: ['e.g. 18,996'] });
    }
    out.push({ concurrency: n, throughput: x });
  });
  if (out.length === 0) throw new InputError(`${name}: no measurements`, { field: '--input', file: name, suggestions: ['one concurrency,throughput row per measurement'] });
  return out;
}

export interface PairedPoints {
  points: UslPoint[];
  /** Timestamps of the concurrency series with no finite throughput at the same instant. */
  unmatched: number;
  /** Paired timestamps dropped because the concurrency was not above 0 or the throughput was negative. */
  dropped: number;
}

/**
 * Pair a concurrency series with a throughput series by timestamp (both as
 * [time, value] in any unit of time). Instants missing from either side, non-finite
 * values, concurrency ≤ 0 (idle: no information about scaling) and negative
 * throughput are left out, and counted.
 */
export function pairByTime(concurrency: ReadonlyArray<readonly [number, number]>, throughput: ReadonlyArray<readonly [number, number]>): PairedPoints {
  const x = new Map<number, number>();
  for (const [t, v] of throughput) if (Number.isFinite(v)) x.set(t, v);
  const points: UslPoint[] = [];
  let unmatched = 0;
  let dropped = 0;
  for (const [t, n] of concurrency) {
    const v = x.get(t);
    if (v === undefined || !Number.isFinite(n)) unmatched++;
    else if (n > 0 && v >= 0) points.push({ concurrency: n, throughput: v });
    else dropped++;
  }
  return { points, unmatched, dropped };
}
