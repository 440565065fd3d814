import { Args } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { experimentFlags, loadExperiment } from '../../src/cli/chaos/load.js';
import { chaosSetup, planSteps, renderPlan, type PlanStep } from '../../src/cli/chaos/run.js';

export interface ChaosPlanResult {
  file: string;
  title: string;
  format: 'relia' | 'chaostoolkit';
  steps: PlanStep[];
  guards: Array<{ name: string; type: string; onError: 'abort' | 'continue' }>;
  /** The halt switch is set: `chaos run` would refuse to start. */
  halted: { reason: string } | null;
}

export default class ChaosPlan extends ReliaCommand<typeof ChaosPlan> {
  static override summary = 'Show exactly what an experiment would do, to which targets, in what order, and how it would be undone.';
  static override description =
    'Resolves every target (pods, instances, processes, URLs) read-only through the same adapters `chaos run` uses, and enforces the blast radius and the chaos.allow policy. Changes nothing. Exit 0, 2 bad experiment (a selector matching nothing, a disallowed context or account), 3 a dependency unreachable. See docs/chaos.md.';
  static override examples = ['<%= config.bin %> chaos plan experiment.yaml', '<%= config.bin %> chaos plan experiment.yaml --var replicas=3 --json'];
  static override args = { file: Args.string({ description: 'Experiment file (YAML or JSON; - for stdin).', required: true }) };
  static override flags = { ...experimentFlags };

  async run(): Promise<ChaosPlanResult> {
    const loaded = loadExperiment(this.args.file, this.flags);
    this.redactValues(loaded.experiment.secretValues);
    const setup = chaosSetup(this.context(), this.config.configDir, this.lifecycle.signal, (l) => this.verbose(l));
    const steps = await planSteps(loaded, setup.ctx);
    const halt = await setup.halt.read();
    const exp = loaded.experiment;
    const result: ChaosPlanResult = {
      file: loaded.file,
      title: exp.title,
      format: exp.format,
      steps,
      guards: exp.guards.map((g) => ({ name: g.name, type: g.type, onError: g.onError })),
      halted: halt ? { reason: halt.reason } : null,
    };
    if (!this.jsonEnabled()) {
      this.log(renderPlan(exp.title, steps));
      if (result.guards.length) this.log(`\nguards: ${result.guards.map((g) => `${g.name} (${g.type})`).join(', ')}; the halt switch is always watched`);
      if (halt) this.warn(`the halt switch is set (${halt.reason}): chaos run will refuse to start; relia chaos unhalt clears it`);
    }
    return result;
  }
}
