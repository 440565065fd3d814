import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { capacityReport, directionFlags, failoverPorts, directedOperation, planFlag, prometheusFlag, sloAtFlag } from '../../src/cli/failover/context.js';
import { renderPreview } from '../../src/cli/failover/render.js';
import { preview, type Preview } from '../../src/core/failover/preview.js';

export type FailoverPlanResult = Preview;

export default class FailoverPlan extends ReliaCommand<typeof FailoverPlan> {
  static override summary = 'Read-only: the weights, health and capacity now, every step with its weights and safety verdict, and the pre-checks.';
  static override description =
    'Reads the current weights, health-check status, alarm states, SLOs and capacity (InService instances, ready replicas). Prints each step with its weights and the instances and replicas the target needs: ceil(percentToMatch × source InService), or the capacity plan’s region-loss sizing. Ends with the pre-checks. Changes nothing. Exit 0 all pre-checks pass, 1 one fails, 2 bad input, 3 a control plane is unreachable.';
  static override examples = [
    '<%= config.bin %> failover plan --plan playback-api.yaml --from us-east-1 --to eu-west-1',
    '<%= config.bin %> failover plan --plan playback-api.yaml --from us-east-1 --to eu-west-1 --steps 50,100 --json',
  ];
  static override flags = {
    plan: planFlag,
    ...directionFlags,
    steps: Flags.string({ description: 'Override the plan’s steps, e.g. 50,100.' }),
    mode: Flags.string({ description: 'graceful or ungraceful (skips the source’s checks, one step to 100).', options: ['graceful', 'ungraceful'], default: 'graceful' }),
    'slo-at': sloAtFlag,
    prometheus: prometheusFlag,
  };

  async run(): Promise<FailoverPlanResult> {
    const f = this.flags;
    const { plan, steps, mode } = directedOperation(f);
    const report = capacityReport(plan); // a bad capacity plan is exit 2 before any provider is built
    const ports = await failoverPorts(this.context(), plan, { slos: true, sloAt: f['slo-at'] });
    const pv = await preview(plan, f.from, f.to, ports, { mode, steps: mode === 'ungraceful' ? [100] : (steps ?? plan.steps), ...(report ? { capacityReport: report } : {}), warn: (l) => this.warn(l) });
    if (!this.jsonEnabled()) this.log(renderPreview(pv, this.style));
    if (!pv.ok) this.checkFailed(`pre-checks failed: ${pv.prechecks.filter((p) => !p.ok).map((p) => p.name).join(', ')}`, ['fix the checks marked ✗, then run apply']);
    return pv;
  }
}
