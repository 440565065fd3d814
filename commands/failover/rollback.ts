import { ReliaCommand } from '../../src/cli/base-command.js';
import { eventProgress } from '../../src/cli/progress-flag.js';
import { journalOperationFlags } from '../../src/cli/failover/context.js';
import { confirm, operate, type FailoverOperationResult } from '../../src/cli/failover/operate.js';
import { renderJournal } from '../../src/cli/failover/render.js';
import { journalAndPlan } from '../../src/cli/failover/resolve.js';
import { rollbackFailover } from '../../src/core/failover/engine.js';
import { summarise } from '../../src/core/failover/journal.js';

export type FailoverRollbackResult = FailoverOperationResult;

export default class FailoverRollback extends ReliaCommand<typeof FailoverRollback> {
  static override summary = 'Return to the weights recorded before the operation, stepwise, with the same guards; then scale back if the plan says so.';
  static override description =
    'Walks the journal’s steps backwards, one guarded ChangeBatch each, the guard watching the region that takes the traffic back. With capacity.scaleBackOnRollback the target goes back to its recorded size afterwards. A freeze does not block a rollback. Exit codes as apply.';
  static override examples = ['<%= config.bin %> failover rollback --yes', '<%= config.bin %> failover rollback --plan playback-api.yaml --bake 0s --yes'];
  static override flags = journalOperationFlags;

  async run(): Promise<FailoverRollbackResult> {
    const f = this.flags;
    const { path, journal, plan } = journalAndPlan(this.config.configDir, f);
    const human = !this.jsonEnabled();
    if (!f.yes && !(this.canPrompt() && (await confirm(`roll back: ${summarise(journal)}?`)))) {
      if (human) this.log(`${summarise(journal)}\n${this.style.yellow('dry run')}: nothing was changed; pass --yes to roll back`);
      return { dryRun: true, nothingToDo: false, journalFile: path, operation: journal, preview: null, weights: {} };
    }
    const result = await operate(
      { ctx: this.context(), plan, journalFile: path, yes: f.yes, canPrompt: this.canPrompt(), breakLock: f['break-lock'], bake: f.bake, sloAt: f['slo-at'], progress: eventProgress(f) },
      (run) => rollbackFailover({ ...run, journal }),
    );
    if (human) this.log(result.operation && !result.nothingToDo ? renderJournal(result.operation, path, result.weights, this.style) : 'nothing to roll back');
    return result;
  }
}
