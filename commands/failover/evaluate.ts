import { ReliaCommand } from '../../src/cli/base-command.js';
import { readSlos } from '../../src/cli/budget/run.js';
import { failoverPorts, planFlag, readPlan } from '../../src/cli/failover/context.js';
import { renderEvaluation } from '../../src/cli/failover/render.js';
import { ReliaError } from '../../src/core/errors.js';
import { evaluatePlan, type Evaluation } from '../../src/core/failover/evaluate.js';
import { dirname, resolve } from 'node:path';

export type FailoverEvaluateResult = Evaluation;

export default class FailoverEvaluate extends ReliaCommand<typeof FailoverEvaluate> {
  static override summary = 'Plan evaluation for cron or CI: everything the plan names exists and is readable, the targets can be scaled, no capacity drift.';
  static override description =
    'What ARC Region switch’s plan evaluation does. Checks the hosted zone, the weighted record set and each region’s record, health checks, alarms, ASGs and deployments (scaling permission by dry run), that every region could absorb every other (ASG max ≥ ceil(percentToMatch × source InService)), the SLO specs, and a stale lock. Changes nothing. Exit 0 no problems, 1 problems listed, 2 bad plan, 3 Route 53 unreachable.';
  static override examples = ['<%= config.bin %> failover evaluate --plan playback-api.yaml', '*/30 * * * * relia failover evaluate --plan /etc/relia/playback-api.yaml --json'];
  static override flags = { plan: planFlag };

  async run(): Promise<FailoverEvaluateResult> {
    const plan = readPlan(this.flags.plan);
    const sloProblems: string[] = [];
    for (const r of Object.values(plan.regions)) {
      if (r.slos.length === 0) continue;
      try {
        readSlos(r.slos.map((p) => (plan.file === 'stdin' ? p : resolve(dirname(plan.file), p))), undefined);
      } catch (error) {
        if (!ReliaError.is(error)) throw error;
        sloProblems.push(`regions.${r.name}.slos: ${error.message}`);
      }
    }
    const ports = await failoverPorts(this.context(), plan, { slos: false });
    const evaluation = await evaluatePlan(plan, ports, { sloProblems });
    if (!this.jsonEnabled()) this.log(renderEvaluation(evaluation, this.style));
    if (!evaluation.ok) this.checkFailed(`${evaluation.problems.length} problem${evaluation.problems.length === 1 ? '' : 's'} in plan ${plan.name}`, evaluation.problems.slice(0, 5));
    return evaluation;
  }
}
