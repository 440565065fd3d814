import { ReliaCommand } from '../../src/cli/base-command.js';
import { eventProgress } from '../../src/cli/progress-flag.js';
import { journalOperationFlags } from '../../src/cli/failover/context.js';
import { confirm, operate, type FailoverOperationResult } from '../../src/cli/failover/operate.js';
import { renderJournal } from '../../src/cli/failover/render.js';
import { journalAndPlan } from '../../src/cli/failover/resolve.js';
import { resumeFailover } from '../../src/core/failover/engine.js';
import { summarise } from '../../src/core/failover/journal.js';

export type FailoverResumeResult = FailoverOperationResult;

export default class FailoverResume extends ReliaCommand<typeof FailoverResume> {
  static override summary = 'Continue an interrupted operation from its journal, from the step the live weights are at.';
  static override description = 'Finished steps are not repeated; a step whose bake was cut short is baked again. The same pre-checks, lock and guards as apply. Exit codes as apply.';
  static override examples = ['<%= config.bin %> failover resume --yes', '<%= config.bin %> failover resume --journal ~/.config/relia/failover/playback-api.json --yes'];
  static override flags = journalOperationFlags;

  async run(): Promise<FailoverResumeResult> {
    const f = this.flags;
    const { path, journal, plan } = journalAndPlan(this.config.configDir, f);
    const human = !this.jsonEnabled();
    if (!f.yes && !(this.canPrompt() && (await confirm(`resume: ${summarise(journal)}?`)))) {
      if (human) this.log(`${summarise(journal)}\n${this.style.yellow('dry run')}: nothing was changed; pass --yes to resume`);
      return { dryRun: true, nothingToDo: false, journalFile: path, operation: journal, preview: null, weights: {} };
    }
    const result = await operate(
      { ctx: this.context(), plan, journalFile: path, yes: f.yes, canPrompt: this.canPrompt(), breakLock: f['break-lock'], bake: f.bake, sloAt: f['slo-at'], progress: eventProgress(f) },
      (run) => resumeFailover({ ...run, journal }),
    );
    if (human && result.operation) this.log(renderJournal(result.operation, path, result.weights, this.style));
    return result;
  }
}
