import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { progressFlags, progressMode } from '../../src/cli/progress-flag.js';
import { loadRegister, objectiveFlags, resolveObjective } from '../../src/cli/risk/inputs.js';
import { renderSimulation } from '../../src/cli/risk/render.js';
import { InputError } from '../../src/core/errors.js';
import { DEFAULT_ITERATIONS, DEFAULT_SIGMA, MAX_ITERATIONS, simulateRisksAsync, type DurationAnchor, type DurationModel, type SimulateResult } from '../../src/core/risk/index.js';

export interface RiskSimulateResult extends SimulateResult {
  register: string;
  /** Where the objective came from: `--objective`, `<spec file> <service/name>`, or `register`. */
  objectiveSource: string;
  /** False when no --seed was given and relia picked one (pass it back as --seed to repeat the run). */
  seedGiven: boolean;
}

export default class RiskSimulate extends ReliaCommand<typeof RiskSimulate> {
  static override summary = 'Monte Carlo of yearly bad minutes from a risk register: p50, p90, p99 and the probability of exhausting the budget.';
  static override description =
    'Each simulated year: every risk fails N ~ Poisson(365.25 d / ETTF) times; each failure lasts a random time around ETTD + ETTR (lognormal by default) and costs duration × impact bad minutes. --seed makes a run reproducible. A run needing more than 2×10⁸ random draws (years × failures) is refused, exit 2; SIGINT/SIGTERM stop it within a second. A run long enough to yield reports progress as JSON lines on stderr (--progress json, the default off a terminal). Exit 0, 2 bad input, 130/143 interrupted. docs/risk.md#simulate.';
  static override examples = [
    '<%= config.bin %> risk simulate --register docs/examples/risk/register.yaml --seed 42',
    '<%= config.bin %> risk simulate -r docs/examples/risk/register.yaml --seed 42 --years 100000 --mitigated --objective 99.95',
    '<%= config.bin %> risk simulate -r docs/examples/risk/register.yaml --seed 7 --model fixed --json',
  ];
  static override flags = {
    register: Flags.string({ char: 'r', description: 'Risk register (YAML, docs/risk.md#the-risk-register).', required: true }),
    ...objectiveFlags,
    seed: Flags.integer({ description: 'Seed of the random generator, 0..4294967295 (default: a random one, printed so the run can be repeated).', min: 0, max: 0xffff_ffff }),
    years: Flags.integer({ description: 'Simulated years (runs).', aliases: ['runs', 'iterations'], default: DEFAULT_ITERATIONS, min: 1, max: MAX_ITERATIONS }),
    mitigated: Flags.boolean({ description: 'Simulate with every mitigation applied.' }),
    model: Flags.string({ description: 'Distribution of one outage\'s duration around ETTD + ETTR.', options: ['lognormal', 'exponential', 'fixed'], default: 'lognormal' }),
    sigma: Flags.string({ description: `Lognormal σ (shape): p90 = median × e^(1.2816σ). Default ${DEFAULT_SIGMA}.` }),
    anchor: Flags.string({ description: 'ETTD + ETTR is the duration\'s median (default) or its mean (then the simulated mean equals the CRE number).', options: ['median', 'mean'], default: 'median' }),

    ...progressFlags,
  };

  async run(): Promise<RiskSimulateResult> {
    const f = this.flags;
    const register = loadRegister(f.register);
    const { objective, source } = resolveObjective(f, register);
    const sigma = f.sigma === undefined ? DEFAULT_SIGMA : Number(f.sigma);
    if (!(Number.isFinite(sigma) && sigma > 0 && sigma <= 3)) {
      throw new InputError(`--sigma: expected a lognormal σ above 0 and at most 3, got ${JSON.stringify(f.sigma)}`, { field: '--sigma', suggestions: ['--sigma 1 (one outage in ten lasts 3.6 × the typical one)'] });
    }
    const seed = f.seed ?? Math.floor(Math.random() * 0x1_0000_0000);
    const progress = progressMode(f, process.stderr.isTTY === true);
    let reported = Number.NEGATIVE_INFINITY;
    const simulation = await simulateRisksAsync(register, {
      signal: this.lifecycle.signal,
      pause: (done) => {
        // A long run (one that yields at all) reports on stderr as JSON lines, {"event":"simulate","years":done,"of":total}: its first slice, then at most one a second.
        if (progress === 'json' && this.clock.now() - reported >= 1000) {
          reported = this.clock.now();
          process.stderr.write(`${JSON.stringify({ event: 'simulate', years: done, of: f.years })}\n`);
        }
        return new Promise((resolve) => setImmediate(resolve));
      },
      seed,
      iterations: f.years,
      objective,
      mitigated: f.mitigated,
      durationModel: f.model as DurationModel,
      sigma,
      anchor: f.anchor as DurationAnchor,
    });
    if (f.seed === undefined) this.warn(`no --seed given: used --seed ${seed}; pass it to repeat this run`);
    if (!this.jsonEnabled()) this.log(renderSimulation(simulation, this.style, { sparklines: process.stdout.isTTY === true }));
    return { ...simulation, register: f.register, objectiveSource: source, seedGiven: f.seed !== undefined };
  }
}
