import { hostname, userInfo } from 'node:os';
import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { chaosSetup } from '../../src/cli/chaos/run.js';

export interface ChaosHaltResult {
  halted: true;
  reason: string;
  at: string;
  by: string;
  /** Where the halt was written (file, Redis key, ConfigMap). */
  places: string[];
}

export default class ChaosHalt extends ReliaCommand<typeof ChaosHalt> {
  static override summary = 'Halt chaos: block new runs and make running ones abort and roll back within one guard interval.';
  static override description =
    'Writes the halt to a file under the config dir (chaos.halt.file) and, when configured, to a Redis key (chaos.halt.redisKey) and a ConfigMap (chaos.halt.configMap), so runs on other machines see it. Clear it with relia chaos unhalt. Exit 0; 3 when a configured place is unreachable. See docs/chaos.md#halt.';
  static override examples = ["<%= config.bin %> chaos halt --reason 'incident 4711: checkout errors'", '<%= config.bin %> chaos halt --json'];
  static override flags = { reason: Flags.string({ description: 'Why (shown to every run that stops).', default: 'halted by an operator' }) };

  async run(): Promise<ChaosHaltResult> {
    const { halt } = chaosSetup(this.context(), this.config.configDir, this.lifecycle.signal, (l) => this.verbose(l));
    const record = { reason: this.flags.reason, at: new Date(this.clock.now()).toISOString(), by: `${userInfo().username}@${hostname()}` };
    const places = await halt.set(record);
    if (!this.jsonEnabled()) this.log(`halted (${record.reason}): ${places.join(', ')}`);
    return { halted: true, ...record, places };
  }
}
