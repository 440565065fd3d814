import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { eventProgress, progressFlags } from '../../src/cli/progress-flag.js';
import { breakLockFlag, capacityReport, directionFlags, failoverPorts, journalFlag, directedOperation, planFlag, prometheusFlag, sloAtFlag } from '../../src/cli/failover/context.js';
import { journalPath, readJournal } from '../../src/cli/failover/journal-file.js';
import { confirm, operate, type FailoverOperationResult } from '../../src/cli/failover/operate.js';
import { renderJournal, renderPreview } from '../../src/cli/failover/render.js';
import { applyFailover } from '../../src/core/failover/engine.js';
import { preview } from '../../src/core/failover/preview.js';

export type FailoverApplyResult = FailoverOperationResult;

export default class FailoverApply extends ReliaCommand<typeof FailoverApply> {
  static override summary = 'Move traffic from one region to another: pre-checks, scale the target first, then one guarded ChangeBatch per step.';
  static override description =
    'Pre-checks (target health check, alarms and SLOs; freeze; safety rules on every batch), takes the Route 53 lock, scales the target first (never down) and waits for it, then per step UPSERTs both weighted records in one ChangeBatch, waits for INSYNC and bakes with the guard. A breach reverts to the previous step. Without --yes it prints the plan (and asks on a TTY). Re-running it converges and repeats no finished step. Exit 0 done, 1 pre-check or safety rule (nothing changed), 2 bad input, 3 control plane unreachable, 4 reverted after a breach, 5 revert failed, 130/143 interrupted between steps.';
  static override examples = [
    '<%= config.bin %> failover apply --plan playback-api.yaml --from us-east-1 --to eu-west-1',
    '<%= config.bin %> failover apply --plan playback-api.yaml --from us-east-1 --to eu-west-1 --steps 50,100 --bake 2m --yes',
    '<%= config.bin %> failover apply --plan playback-api.yaml --from us-east-1 --to eu-west-1 --mode ungraceful --yes',
  ];
  static override flags = {
    plan: planFlag,
    ...directionFlags,
    steps: Flags.string({ description: 'Override the plan’s steps, e.g. 50,100 (increasing, ending at 100).' }),
    bake: Flags.string({ description: 'Override the bake time after each step, e.g. 0s or 2m.' }),
    mode: Flags.string({ description: 'graceful (default) or ungraceful: the source is already down, skip its checks and shift straight to 100.', options: ['graceful', 'ungraceful'], default: 'graceful' }),
    yes: Flags.boolean({ char: 'y', description: 'Act without asking (required off a TTY).' }),
    journal: journalFlag,
    'break-lock': breakLockFlag,
    'slo-at': sloAtFlag,
    prometheus: prometheusFlag,
    ...progressFlags,
  };

  async run(): Promise<FailoverApplyResult> {
    const f = this.flags;
    const { plan, steps, mode } = directedOperation(f);
    const file = journalPath(this.config.configDir, plan.name, f.journal);
    const human = !this.jsonEnabled();
    if (!f.yes) {
      const report = capacityReport(plan); // a bad capacity plan is exit 2 before any provider is built
      const ports = await failoverPorts(this.context(), plan, { slos: true, sloAt: f['slo-at'] });
      const pv = await preview(plan, f.from, f.to, ports, { mode, steps: mode === 'ungraceful' ? [100] : (steps ?? plan.steps), ...(report ? { capacityReport: report } : {}), warn: (l) => this.warn(l) });
      if (human) this.log(renderPreview(pv, this.style));
      const go = pv.ok && this.canPrompt() && (await confirm(`start the ${mode} failover ${f.from} → ${f.to} now?`));
      if (!go) {
        if (!pv.ok) this.checkFailed('pre-checks failed; nothing was changed', ['fix the checks marked ✗ above']);
        else if (human) this.log(`\n${this.style.yellow('dry run')}: nothing was changed; pass --yes to act`);
        return { dryRun: true, nothingToDo: false, journalFile: null, operation: null, preview: pv, weights: pv.weights };
      }
    }
    const result = await operate(
      { ctx: this.context(), plan, journalFile: file, yes: f.yes, canPrompt: this.canPrompt(), breakLock: f['break-lock'], bake: f.bake, sloAt: f['slo-at'], progress: eventProgress(f) },
      (run) => applyFailover({ ...run, from: f.from, to: f.to, mode, ...(steps ? { steps } : {}), existing: readJournal(file) }),
    );
    if (human) this.log(result.nothingToDo ? `nothing to do: the weights are already ${Object.entries(result.weights).map(([r, w]) => `${r}=${w}`).join(' ')}` : renderJournal(result.operation!, file, result.weights, this.style));
    return result;
  }
}
