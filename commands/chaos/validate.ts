import { Args } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { experimentFlags, loadExperiment } from '../../src/cli/chaos/load.js';
import { allActivities } from '../../src/core/chaos/model.js';

export interface ChaosValidateResult {
  valid: true;
  file: string;
  title: string;
  format: 'relia' | 'chaostoolkit';
  activities: Array<{ path: string; kind: 'action' | 'probe'; name: string; type: string }>;
  guards: Array<{ name: string; type: string; onError: 'abort' | 'continue' }>;
  rollbacks: number;
  /** Every type an experiment may name. */
  registered: { actions: string[]; probes: string[] };
}

export default class ChaosValidate extends ReliaCommand<typeof ChaosValidate> {
  static override summary = 'Check a chaos experiment (relia native or chaostoolkit v1) without touching anything.';
  static override description =
    'Schema and semantic checks: every field, every activity type against the registry and its arguments, configuration and secrets (env vars set), tolerances, guards and their SLO files. Exit 0 valid, 2 with every problem named by file and field path. Loads no cloud SDK. See docs/chaos.md.';
  static override examples = ['<%= config.bin %> chaos validate experiment.yaml', '<%= config.bin %> chaos validate ctk-experiment.json --var base_url=http://127.0.0.1:8080 --json'];
  static override args = { file: Args.string({ description: 'Experiment file (YAML or JSON; - for stdin).', required: true }) };
  static override flags = { ...experimentFlags };

  async run(): Promise<ChaosValidateResult> {
    const loaded = loadExperiment(this.args.file, this.flags);
    const exp = loaded.experiment;
    const result: ChaosValidateResult = {
      valid: true,
      file: loaded.file,
      title: exp.title,
      format: exp.format,
      activities: allActivities(exp).map((a) => ({ path: a.path, kind: a.kind, name: a.name, type: a.type })),
      guards: exp.guards.map((g) => ({ name: g.name, type: g.type, onError: g.onError })),
      rollbacks: exp.rollbacks.length,
      registered: { actions: loaded.registry.actionTypes(), probes: loaded.registry.probeTypes() },
    };
    if (!this.jsonEnabled()) {
      this.log(`${this.style.green('valid')}: ${loaded.file} (${exp.format}) "${exp.title}"`);
      for (const a of result.activities) this.log(`  ${a.path}  ${a.kind} ${a.name} (${a.type})`);
      for (const g of result.guards) this.log(`  guard ${g.name} (${g.type}, on error: ${g.onError})`);
    }
    return result;
  }
}
