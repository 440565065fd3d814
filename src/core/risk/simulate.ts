/**
 * `relia risk simulate`: Monte Carlo of a year's bad minutes. Each risk fails
 * as a Poisson process (rate = frequency per year); each occurrence lasts a
 * random time (lognormal around ETTD + ETTR by default) and costs
 * duration × impact bad minutes. Seeded (pure-rand xoroshiro128+), so a seed
 * reproduces a run exactly. Pure. docs/risk.md#simulate.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { InputError } from '../errors.js';
import { badMinutesPerYear, budgetMinutesPerYear, checkObjective, effectiveParams, type Register } from './model.js';

export type DurationModel = 'lognormal' | 'exponential' | 'fixed';
export type DurationAnchor = 'median' | 'mean';
export const DURATION_MODELS: readonly DurationModel[] = ['lognormal', 'exponential', 'fixed'];
/** Default lognormal shape: p90/median = e^(1.2816·σ) ≈ 3.6, mean/median = e^(σ²/2) ≈ 1.65. */
export const DEFAULT_SIGMA = 1;
export const DEFAULT_ITERATIONS = 10_000;
export const MAX_ITERATIONS = 10_000_000;
/**
 * Most random draws one run may need (iterations × Σ per risk: one duration
 * per expected failure and one Poisson step per 30 of its yearly rate).
 * About 10 s on one core; a register that needs more is refused (exit 2)
 * instead of spinning: typically an ETTF typed in minutes that meant months.
 */
export const MAX_SIMULATION_WORK = 200_000_000;
/** The async run yields to the event loop (and checks the abort signal) after about this many draws. */
const WORK_PER_SLICE = 500_000;

export interface SimulateOptions {
  /** Integer 0..4294967295. */
  seed: number;
  /** Simulated years (`--years` / `--iterations`). Default 10,000. */
  iterations?: number;
  /** Objective as a fraction, e.g. 0.999. */
  objective: number;
  mitigated?: boolean;
  /** How an occurrence's duration varies around ETTD + ETTR. Default lognormal. */
  durationModel?: DurationModel;
  /** Lognormal σ (log-space standard deviation), 0 < σ ≤ 3. Default 1. */
  sigma?: number;
  /** Whether ETTD + ETTR is the duration's median (default) or its mean. */
  anchor?: DurationAnchor;
}

export interface SimulatedRisk {
  name: string;
  service: string;
  category: string;
  /** Mean simulated bad minutes per year from this risk. */
  meanMinutesPerYear: number;
  /** Analytic mean under the duration model. */
  expectedMinutesPerYear: number;
  /** Fraction of simulated years with at least one occurrence. */
  pAtLeastOne: number;
  /** This risk's share of all simulated bad minutes. */
  shareOfBadMinutes: number;
}

export interface SimulateResult {
  seed: number;
  iterations: number;
  objective: number;
  budgetMinutesPerYear: number;
  basis: 'unmitigated' | 'mitigated';
  durationModel: DurationModel;
  /** Lognormal σ (null for the other models). */
  sigma: number | null;
  /** ETTD + ETTR is the duration's median or its mean (`fixed`: both). */
  anchor: DurationAnchor;
  /** E[duration] / (ETTD + ETTR) under the model. */
  meanDurationFactor: number;
  /** Yearly bad minutes across the simulated years. */
  badMinutesPerYear: { mean: number; stdDev: number; standardError: number; p50: number; p90: number; p99: number; max: number };
  /** Fraction of simulated years with more bad minutes than the budget. */
  pBudgetExhausted: number;
  /** Sum of the CRE point estimates (ETTD + ETTR) × impact × frequency. */
  creBadMinutesPerYear: number;
  /** Analytic mean of yearly bad minutes under the model: CRE × E[duration]/(ETTD + ETTR). */
  expectedBadMinutesPerYear: number;
  /** Analytic standard deviation of yearly bad minutes (compound Poisson: √Σ λ·E[X²]). */
  expectedStdDev: number;
  risks: SimulatedRisk[];
  /** Equal-width bins from 0 to the largest simulated year. */
  histogram: { binWidthMinutes: number; counts: number[] };
}

function bad(field: string, message: string, suggestion: string): never {
  throw new InputError(`${field}: ${message}`, { field, suggestions: [suggestion] });
}

/**
 * For an estimate E = ETTD + ETTR: the factor `scale` such that a duration is
 * E × scale × draw (draw: lognormal with median 1, exponential with mean 1, or
 * exactly 1), and the moments m1 = E[D]/E, m2 = E[D²]/E².
 */
export function durationMoments(model: DurationModel, sigma: number, anchor: DurationAnchor): { scale: number; m1: number; m2: number } {
  if (model === 'lognormal') {
    // draw = e^(σZ): median 1, mean e^(σ²/2), E[draw²] = e^(2σ²).
    const scale = anchor === 'median' ? 1 : Math.exp((-sigma * sigma) / 2);
    return { scale, m1: scale * Math.exp((sigma * sigma) / 2), m2: scale * scale * Math.exp(2 * sigma * sigma) };
  }
  if (model === 'exponential') {
    // draw = −ln(1 − U): mean 1, median ln 2, E[draw²] = 2.
    const scale = anchor === 'mean' ? 1 : 1 / Math.LN2;
    return { scale, m1: scale, m2: 2 * scale * scale };
  }
  return { scale: 1, m1: 1, m2: 1 };
}

/** Quantile (type 7) of an ascending typed array. */
function sortedQuantile(xs: Float64Array, q: number): number {
  const h = (xs.length - 1) * q;
  const lo = Math.floor(h);
  const a = xs[lo] as number;
  const b = xs[Math.min(lo + 1, xs.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** A uniform [0, 1) source from a 32-bit seed; the first outputs are discarded to spread the seed's bits. */
export function seededUniform(seed: number): () => number {
  const rng = xoroshiro128plus(seed | 0);
  for (let i = 0; i < 32; i++) rng.next();
  return () => uniformFloat64(rng);
}

/** Poisson(λ) by sequential inversion, in chunks of λ ≤ 30 (a sum of Poissons is Poisson). */
export function samplePoisson(lambda: number, uniform: () => number): number {
  let remaining = lambda;
  let count = 0;
  while (remaining > 0) {
    const l = Math.min(30, remaining);
    remaining -= l;
    const u = uniform();
    let k = 0;
    let p = Math.exp(-l);
    let cdf = p;
    while (u > cdf && k < 1000) {
      k++;
      p *= l / k;
      cdf += p;
    }
    count += k;
  }
  return count;
}

/** Standard normal by Box–Muller. */
function sampleNormal(uniform: () => number): number {
  const u1 = 1 - uniform(); // (0, 1]
  const u2 = uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Draws one simulated year needs for a risk of yearly rate λ. */
function yearWork(lambda: number): number {
  return lambda + Math.ceil(lambda / 30);
}

/** Run the simulation (synchronously; refuses more than MAX_SIMULATION_WORK draws). */
export function simulateRisks(register: Register, options: SimulateOptions): SimulateResult {
  const run = simulation(register, options);
  let step = run.next();
  while (!step.done) step = run.next();
  return step.value;
}

/**
 * The same run, yielding to the event loop every ~5×10⁵ draws (`pause`, e.g.
 * setImmediate, given the years done so far) and stopping with the signal's reason once it is aborted, so
 * SIGINT/SIGTERM stop it within a fraction of a second.
 */
export async function simulateRisksAsync(register: Register, options: SimulateOptions & { signal?: AbortSignal; pause: (yearsDone: number) => Promise<void> }): Promise<SimulateResult> {
  const run = simulation(register, options);
  let step = run.next();
  while (!step.done) {
    await options.pause(step.value);
    options.signal?.throwIfAborted();
    step = run.next();
  }
  return step.value;
}

/** Yields the number of years simulated so far, every ~WORK_PER_SLICE draws. */
function* simulation(register: Register, options: SimulateOptions): Generator<number, SimulateResult, void> {
  const objective = checkObjective(options.objective);
  const seed = options.seed;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff)) bad('seed', `expected an integer from 0 to 4294967295, got ${JSON.stringify(seed)}`, 'pass --seed 42');
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!(Number.isInteger(iterations) && iterations >= 1 && iterations <= MAX_ITERATIONS)) {
    bad('iterations', `expected a whole number of simulated years from 1 to ${MAX_ITERATIONS}, got ${JSON.stringify(iterations)}`, 'pass --iterations 10000');
  }
  const model = options.durationModel ?? 'lognormal';
  if (!DURATION_MODELS.includes(model)) bad('durationModel', `expected one of ${DURATION_MODELS.join(', ')}, got ${JSON.stringify(model)}`, 'use lognormal');
  const sigma = options.sigma ?? DEFAULT_SIGMA;
  if (!(Number.isFinite(sigma) && sigma > 0 && sigma <= 3)) bad('sigma', `expected a lognormal σ above 0 and at most 3, got ${JSON.stringify(sigma)}`, 'use the default σ = 1');
  const anchor = options.anchor ?? 'median';
  if (anchor !== 'median' && anchor !== 'mean') bad('anchor', `expected median or mean, got ${JSON.stringify(anchor)}`, 'use median');
  const mitigated = options.mitigated === true;
  const budget = budgetMinutesPerYear(objective);
  const { scale, m1, m2 } = durationMoments(model, sigma, anchor);

  const risks = register.risks.map((risk) => {
    const p = effectiveParams(risk, mitigated);
    return { risk, lambda: p.frequencyPerYear, center: p.ettdMinutes + p.ettrMinutes, impact: p.impact, cre: badMinutesPerYear(p) };
  });
  const perYear = risks.reduce((s, r) => s + yearWork(r.lambda), 0);
  if (perYear * iterations > MAX_SIMULATION_WORK) {
    const top = risks.reduce((a, b) => (b.lambda > a.lambda ? b : a));
    bad(
      'iterations',
      `${iterations} simulated years need about ${(perYear * iterations).toExponential(1)} random draws, above the limit of ${MAX_SIMULATION_WORK.toExponential(0)}: risk "${top.risk.name}" fails ${Math.round(top.lambda)} times a year`,
      top.lambda > 10_000 ? `check that risk's ettf: "1m" is one minute (a month is "30d"); or pass fewer --years` : `pass fewer --years (at most ${Math.max(1, Math.floor(MAX_SIMULATION_WORK / perYear))})`,
    );
  }
  const uniform = seededUniform(seed);
  const duration = (center: number): number => {
    if (center <= 0) return 0;
    if (model === 'fixed') return center;
    if (model === 'exponential') return -center * scale * Math.log(1 - uniform());
    return center * scale * Math.exp(sigma * sampleNormal(uniform));
  };

  const years = new Float64Array(iterations);
  const riskSum = new Float64Array(risks.length);
  const riskHit = new Float64Array(risks.length);
  let over = 0;
  let sliceWork = 0;
  for (let it = 0; it < iterations; it++) {
    sliceWork += perYear;
    if (sliceWork >= WORK_PER_SLICE) {
      sliceWork = 0;
      yield it;
    }
    let total = 0;
    for (let r = 0; r < risks.length; r++) {
      const risk = risks[r] as (typeof risks)[number];
      const n = samplePoisson(risk.lambda, uniform);
      if (n === 0) continue;
      let minutes = 0;
      for (let k = 0; k < n; k++) minutes += duration(risk.center) * risk.impact;
      riskSum[r] = (riskSum[r] as number) + minutes;
      riskHit[r] = (riskHit[r] as number) + 1;
      total += minutes;
    }
    years[it] = total;
    if (total > budget) over++;
  }

  let sum = 0;
  for (const y of years) sum += y;
  const meanYear = sum / iterations;
  let sq = 0;
  for (const y of years) sq += (y - meanYear) ** 2;
  const sd = iterations > 1 ? Math.sqrt(sq / (iterations - 1)) : 0;
  // Stryker disable next-line MethodExpression: `years` for `years.slice()` is equivalent, only the histogram reads years after this, and it does not depend on their order
  const sortedYears = years.slice().sort();
  const max = sortedYears[iterations - 1] as number;
  const bins = 20;
  const counts = new Array<number>(bins).fill(0);
  const width = max > 0 ? max / bins : 1;
  for (const y of years) {
    const i = Math.min(bins - 1, Math.floor(y / width));
    counts[i] = (counts[i] as number) + 1;
  }
  const creTotal = risks.reduce((s, r) => s + r.cre, 0);
  const variance = risks.reduce((s, r) => s + r.lambda * r.impact * r.impact * r.center * r.center * m2, 0);

  return {
    seed,
    iterations,
    objective,
    budgetMinutesPerYear: budget,
    basis: mitigated ? 'mitigated' : 'unmitigated',
    durationModel: model,
    sigma: model === 'lognormal' ? sigma : null,
    anchor,
    meanDurationFactor: m1,
    badMinutesPerYear: {
      mean: meanYear,
      stdDev: sd,
      standardError: sd / Math.sqrt(iterations),
      p50: sortedQuantile(sortedYears, 0.5),
      p90: sortedQuantile(sortedYears, 0.9),
      p99: sortedQuantile(sortedYears, 0.99),
      max,
    },
    pBudgetExhausted: over / iterations,
    creBadMinutesPerYear: creTotal,
    expectedBadMinutesPerYear: creTotal * m1,
    expectedStdDev: Math.sqrt(variance),
    risks: risks.map((r, i) => ({
      name: r.risk.name,
      service: r.risk.service,
      category: r.risk.category,
      meanMinutesPerYear: (riskSum[i] as number) / iterations,
      expectedMinutesPerYear: r.cre * m1,
      pAtLeastOne: (riskHit[i] as number) / iterations,
      shareOfBadMinutes: sum > 0 ? (riskSum[i] as number) / sum : 0,
    })),
    histogram: { binWidthMinutes: width, counts },
  };
}
