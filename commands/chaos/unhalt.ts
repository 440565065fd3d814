import { ReliaCommand } from '../../src/cli/base-command.js';
import { chaosSetup } from '../../src/cli/chaos/run.js';

export interface ChaosUnhaltResult {
  halted: false;
  /** The halt that was cleared, if there was one. */
  cleared: { reason: string; at: string; by: string } | null;
  places: string[];
}

export default class ChaosUnhalt extends ReliaCommand<typeof ChaosUnhalt> {
  static override summary = 'Clear the chaos halt switch everywhere it is kept.';
  static override description = 'Removes the halt file and, when configured, the Redis key and the ConfigMap. Exit 0; 3 when a configured place is unreachable. See docs/chaos.md#halt.';
  static override examples = ['<%= config.bin %> chaos unhalt'];

  async run(): Promise<ChaosUnhaltResult> {
    const { halt } = chaosSetup(this.context(), this.config.configDir, this.lifecycle.signal, (l) => this.verbose(l));
    const before = await halt.read().catch(() => null);
    const places = await halt.clear();
    if (!this.jsonEnabled()) this.log(before ? `cleared the halt (${before.reason}): ${places.join(', ')}` : `no halt was set: ${places.join(', ')}`);
    return { halted: false, cleared: before ? { reason: before.reason, at: before.at, by: before.by } : null, places };
  }
}
