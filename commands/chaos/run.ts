import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { applyHypothesisStrategy, experimentFlags, loadExperiment } from '../../src/cli/chaos/load.js';
import { chaosSetup, planSteps, renderPlan, runWithSignals, writeJournal, type PlanStep } from '../../src/cli/chaos/run.js';
import type { Journal } from '../../src/core/chaos/journal.js';
import { parseDuration } from '../../src/core/units.js';

export interface ChaosRunResult {
  file: string;
  title: string;
  /** `plan`: nothing was done (--dry-run, or no --yes off a TTY, or the prompt declined). */
  mode: 'run' | 'plan';
  steps: PlanStep[];
  journalPath: string | null;
  status: Journal['status'] | null;
  deviated: boolean;
  exitCode: number;
  reason: string;
  abort: Journal['relia']['abort'] | null;
  injections: Journal['relia']['injections'];
  leftovers: Journal['relia']['leftovers'];
}

export default class ChaosRun extends ReliaCommand<typeof ChaosRun> {
  static override summary = 'Run a chaos experiment: hypothesis, method under guards, hypothesis, and rollbacks that always run.';
  static override description =
    'Off a TTY without --yes it prints the plan and changes nothing; on a TTY it asks. Exit 0 the steady state held, 1 deviated (or not met before: nothing injected), 2 bad experiment (nothing done), 3 a dependency unreachable before any fault, 4 aborted by a guard, a halt or an action error and rolled back, 5 a rollback failed (what is still injected is printed with the command that undoes it), 130/143 interrupted after rollback. The journal (chaostoolkit fields) goes to --journal. See docs/chaos.md.';
  static override examples = [
    '<%= config.bin %> chaos run experiment.yaml --yes',
    '<%= config.bin %> chaos run experiment.yaml --dry-run',
    '<%= config.bin %> chaos run ctk-experiment.json --yes --var base_url=http://127.0.0.1:8080 --journal out/journal.json',
  ];
  static override args = { file: Args.string({ description: 'Experiment file (YAML or JSON; - for stdin).', required: true }) };
  static override flags = {
    ...experimentFlags,
    journal: Flags.string({ description: 'Journal file to write (as failover --journal).', default: './journal.json', aliases: ['journal-path'], deprecateAliases: true }),
    'dry-run': Flags.boolean({ description: 'Resolve targets and show the plan; change nothing.' }),
    yes: Flags.boolean({ char: 'y', description: 'Run without asking (automation).' }),
    'guard-interval': Flags.string({ description: 'How often the guards and the halt switch are checked (default: chaos.guardInterval, 1s).' }),
    'hypothesis-strategy': Flags.string({ description: "chaostoolkit's strategy: default (before and after the method) or continuously (also during it: journal steady_states.during).", options: ['default', 'continuously'] }),
    'hypothesis-frequency': Flags.string({ description: 'With continuously: the pause between two checks during the method (seconds or a duration; default 1s).' }),
    'fail-fast': Flags.boolean({ description: 'With continuously: stop the method at the first check not met (deviated, exit 1, rolled back).' }),
  };

  async run(): Promise<ChaosRunResult> {
    const loaded = loadExperiment(this.args.file, this.flags);
    this.redactValues(loaded.experiment.secretValues);
    const exp = loaded.experiment;
    applyHypothesisStrategy(exp, this.flags);
    const interval = this.flags['guard-interval'] ?? this.resolved.config.chaos?.guardInterval ?? '1s';
    const guardIntervalMs = Math.round(parseDuration(interval, '--guard-interval') * 1000);
    const setup = chaosSetup(this.context(), this.config.configDir, this.lifecycle.signal, (l) => this.verbose(l));
    const steps = await planSteps(loaded, setup.ctx);
    const base = { file: loaded.file, title: exp.title, steps, journalPath: null, status: null, deviated: false, abort: null, injections: [], leftovers: [] };
    let go = this.flags.yes && !this.flags['dry-run'];
    if (!go && !this.flags['dry-run'] && this.canPrompt()) {
      this.log(renderPlan(exp.title, steps));
      const { confirm } = await import('@inquirer/prompts');
      go = await confirm({ message: 'Inject these faults now? (rollbacks always run)', default: false });
    } else if (!go && !this.jsonEnabled()) this.log(renderPlan(exp.title, steps));
    if (!go) {
      const reason = this.flags['dry-run'] ? 'dry run: nothing was done' : 'nothing was done: pass --yes to run (or confirm on a TTY)';
      if (!this.flags['dry-run']) this.warn(reason);
      return { ...base, mode: 'plan', exitCode: 0, reason };
    }
    const progress = (line: string): void => void (this.jsonEnabled() ? undefined : process.stderr.write(`${this.style.dim(this.redact(line))}\n`));
    const outcome = await runWithSignals(loaded, setup, this.context(), { guardIntervalMs, version: this.config.version, progress, steps });
    const journalPath = resolve(this.flags.journal);
    writeJournal(journalPath, outcome);
    const j = outcome.journal;
    const result: ChaosRunResult = {
      ...base,
      mode: 'run',
      journalPath,
      status: j.status,
      deviated: j.deviated,
      exitCode: outcome.exitCode,
      reason: j.relia.reason,
      abort: j.relia.abort ?? null,
      injections: j.relia.injections,
      leftovers: j.relia.leftovers,
    };
    if (!this.jsonEnabled()) {
      this.log(`${exp.title}: ${j.status}${j.deviated ? ' (deviated)' : ''}, exit ${outcome.exitCode}: ${j.relia.reason}`);
      const during = j.steady_states.during;
      if (during.length > 0) this.log(`hypothesis during the method: ${during.filter((d) => d.steady_state_met).length} of ${during.length} checks met`);
      if (j.relia.abort?.reactionMs !== undefined) this.log(`guard reaction: ${j.relia.abort.reactionMs} ms from the first sample over the threshold to the fault removed`);
      for (const l of j.relia.leftovers) this.log(`${this.style.red('STILL INJECTED')}: ${l.description} (${l.error})\n  undo by hand: ${l.manualUndo}`);
      this.log(`journal: ${journalPath}`);
    }
    if (outcome.exitCode !== 0) {
      const names: Record<number, string> = { 1: 'CheckFailed', 2: 'InputError', 3: 'DependencyError', 4: 'SafetyStop', 5: 'CleanupFailed', 130: 'Interrupted', 143: 'Interrupted' };
      const next = outcome.exitCode === 5 ? `undo the items listed above by hand, then relia chaos journal ${journalPath}` : `relia chaos journal ${journalPath}`;
      this.failWithResult(outcome.exitCode, names[outcome.exitCode] ?? 'ChaosRun', j.relia.reason, [next]);
    }
    return result;
  }
}
