import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { failoverPorts, owner, planFlag, readPlan } from '../../src/cli/failover/context.js';
import { freeze, type FreezeOutcome } from '../../src/core/failover/freeze.js';

export type FailoverFreezeResult = FreezeOutcome;

export default class FailoverFreeze extends ReliaCommand<typeof FailoverFreeze> {
  static override summary = 'Block failover apply on this plan’s record, from every machine, until unfreeze.';
  static override description = 'Writes a TXT marker (_relia-freeze.<record>) in the record’s hosted zone; apply refuses to start, and a running apply stops before its next step. Rollback is not blocked. Exit 0, 2 bad plan, 3 Route 53 unreachable.';
  static override examples = ["<%= config.bin %> failover freeze --plan playback-api.yaml --reason 'premiere night: no traffic moves'"];
  static override flags = {
    plan: planFlag,
    reason: Flags.string({ description: 'Why (shown to whoever tries apply).', default: 'frozen' }),
  };

  async run(): Promise<FailoverFreezeResult> {
    const plan = readPlan(this.flags.plan);
    const ports = await failoverPorts(this.context(), { ...plan, regions: {} }, { slos: false });
    const out = await freeze(plan, ports, { by: owner().replace(/:\d+$/, ''), at: this.clock.now(), reason: this.flags.reason });
    if (!this.jsonEnabled()) this.log(out.changed ? `${plan.record}: frozen (${out.freeze?.reason})` : `${plan.record}: already frozen by ${out.freeze?.by}: ${out.freeze?.reason}`);
    return out;
  }
}
