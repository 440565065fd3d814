/**
 * For `status`, `resume` and `rollback`: find the journal (--journal, the
 * plan's, or the latest), the plan it came from (--plan, else the path it
 * recorded), and the live weights of its record when Route 53 answers.
 */
import { InputError, ReliaError } from '../../core/errors.js';
import { readRecords } from '../../core/failover/inspect.js';
import type { Journal } from '../../core/failover/journal.js';
import type { FailoverPlan } from '../../core/failover/plan-schema.js';
import { weightsOf } from '../../core/failover/weights.js';
import type { CommandContext } from '../base-command.js';
import { checkRunFlags, readPlan } from './context.js';
import { findJournal } from './journal-file.js';
import { portFactory } from './providers.js';

/** resume / rollback: the flags are checked first (exit 2), then the journal and its plan are found. */
export function journalAndPlan(configDir: string, flags: { journal?: string | undefined; plan?: string | undefined; bake?: string | undefined; 'slo-at'?: string | undefined }): { path: string; journal: Journal; plan: FailoverPlan } {
  checkRunFlags(flags);
  const planFromFlag = flags.plan !== undefined ? readPlan(flags.plan) : undefined;
  const { path, journal } = findJournal(configDir, { journal: flags.journal, planName: flags.journal === undefined ? planFromFlag?.name : undefined });
  if (planFromFlag && (journal.plan.name !== planFromFlag.name || journal.dns.record !== planFromFlag.record)) {
    throw new InputError(`--plan ${flags.plan} is plan ${planFromFlag.name} (${planFromFlag.record}), but the journal ${path} is plan ${journal.plan.name}'s (${journal.dns.record}); nothing was changed`, {
      field: '--plan',
      suggestions: [`pass the journal's own plan (${journal.plan.file}), or drop --plan to use it`, 'or pass --journal with the journal of this plan'],
    });
  }
  return { path, journal, plan: planFromFlag ?? readPlan(journal.plan.file) };
}

/** Live weights by region, or null (with a warning) when Route 53 cannot be asked. */
export async function liveWeights(ctx: CommandContext, j: Journal): Promise<Record<string, number> | null> {
  try {
    const dns = await portFactory(ctx).dns();
    const w = weightsOf(await readRecords({ dns, signal: ctx.lifecycle.signal }, j.dns.zoneId, j.dns.record, j.dns.type));
    return Object.fromEntries(Object.entries(j.regions).map(([r, id]) => [r, w[id] ?? 0]));
  } catch (error) {
    if (!ReliaError.is(error)) throw error;
    ctx.warn(`cannot read the live weights: ${error.message}; showing the journal's`);
    return null;
  }
}
