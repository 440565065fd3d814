import { ReliaCommand } from '../../src/cli/base-command.js';
import { failoverPorts, planFlag, readPlan } from '../../src/cli/failover/context.js';
import { unfreeze, type FreezeOutcome } from '../../src/core/failover/freeze.js';

export type FailoverUnfreezeResult = FreezeOutcome;

export default class FailoverUnfreeze extends ReliaCommand<typeof FailoverUnfreeze> {
  static override summary = 'Lift the freeze on this plan’s record.';
  static override description = 'Deletes the _relia-freeze TXT marker. Exit 0 (also when it was not frozen), 2 bad plan, 3 Route 53 unreachable.';
  static override examples = ['<%= config.bin %> failover unfreeze --plan playback-api.yaml'];
  static override flags = { plan: planFlag };

  async run(): Promise<FailoverUnfreezeResult> {
    const plan = readPlan(this.flags.plan);
    const ports = await failoverPorts(this.context(), { ...plan, regions: {} }, { slos: false });
    const out = await unfreeze(plan, ports);
    if (!this.jsonEnabled()) this.log(out.changed ? `${plan.record}: unfrozen (was: ${out.freeze?.reason}, by ${out.freeze?.by})` : `${plan.record}: was not frozen`);
    return out;
  }
}
