import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { journalFlag, readPlan } from '../../src/cli/failover/context.js';
import { findJournal } from '../../src/cli/failover/journal-file.js';
import { renderJournal } from '../../src/cli/failover/render.js';
import { liveWeights } from '../../src/cli/failover/resolve.js';
import { summarise, type Journal } from '../../src/core/failover/journal.js';

export interface FailoverStatusResult {
  journalFile: string;
  summary: string;
  operation: Journal;
  /** Weights by region read from Route 53 now (null when it could not be asked). */
  liveWeights: Record<string, number> | null;
  /** True when the live weights are not those the journal's position says. */
  drift: boolean;
}

export default class FailoverStatus extends ReliaCommand<typeof FailoverStatus> {
  static override summary = 'The operation in progress or the last one, from its journal: the step it is at and the weights now.';
  static override description = 'Reads the journal (--journal, the plan’s, or the most recent one) and the live weights from Route 53. Exit 0, 2 no journal.';
  static override examples = ['<%= config.bin %> failover status', '<%= config.bin %> failover status --plan playback-api.yaml --json'];
  static override flags = {
    journal: journalFlag,
    plan: Flags.string({ char: 'p', description: 'Find the journal of this plan.' }),
  };

  async run(): Promise<FailoverStatusResult> {
    const planName = this.flags.plan !== undefined ? readPlan(this.flags.plan).name : undefined;
    const { path, journal } = findJournal(this.config.configDir, { journal: this.flags.journal, planName });
    const live = await liveWeights(this.context(), journal);
    const expected = journal.position < 0 ? journal.weightsBefore : (journal.steps[journal.position]?.weights ?? journal.weightsBefore);
    const drift = live !== null && Object.entries(journal.regions).some(([r, id]) => (live[r] ?? 0) !== (expected[id] ?? 0));
    if (drift) this.warn('the live weights differ from the journal’s position: someone changed them');
    if (!this.jsonEnabled()) this.log(renderJournal(journal, path, live, this.style));
    return { journalFile: path, summary: summarise(journal), operation: journal, liveWeights: live, drift };
  }
}
