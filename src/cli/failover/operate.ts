/**
 * What `apply`, `resume` and `rollback` share: the journal file, the ports,
 * progress and webhook events, approvals (on a TTY only, default no; never a
 * prompt without one), and turning an exit-5 failure into one that also
 * names the relia command that restores the weights.
 */
import { randomInt } from 'node:crypto';
import { ExitCode, ReliaError } from '../../core/errors.js';
import type { FailoverOutcome, RunOptions } from '../../core/failover/engine.js';
import type { Journal } from '../../core/failover/journal.js';
import { operationId } from '../../core/failover/lock.js';
import type { FailoverPlan } from '../../core/failover/plan-schema.js';
import type { Preview } from '../../core/failover/preview.js';
import type { StepApproval } from '../../core/failover/steps.js';
import { parseDuration } from '../../core/units.js';
import type { CommandContext } from '../base-command.js';
import { allOf, capacityReport, failoverPorts, owner, progressPrinter, webhookNotifier } from './context.js';
import { fileSink } from './journal-file.js';

/** The result every operation command returns. */
export interface FailoverOperationResult {
  /** True when nothing was changed because neither --yes nor a confirmed prompt allowed it. */
  dryRun: boolean;
  /** The weights were already where the operation ends. */
  nothingToDo: boolean;
  journalFile: string | null;
  operation: Journal | null;
  /** The pre-check view (apply). */
  preview: Preview | null;
  /** Weights by region at the end. */
  weights: Record<string, number>;
}

export interface OperateOptions {
  ctx: CommandContext;
  plan: FailoverPlan;
  journalFile: string;
  /** --yes given. */
  yes: boolean;
  /** A TTY without --json: prompts allowed. */
  canPrompt: boolean;
  breakLock: boolean;
  bake?: string | undefined;
  sloAt?: string | undefined;
  /** Human progress lines on a TTY; JSON lines otherwise; none with --json. */
  progress: 'tty' | 'json' | 'none';
}

/** Exit codes after which the journal says where the operation stands. */
const STOPPED = new Set<number>([ExitCode.CheckFailed, ExitCode.SafetyStop, ExitCode.Sigint, ExitCode.Sigterm]);

export async function confirm(message: string): Promise<boolean> {
  const { confirm: ask } = await import('@inquirer/prompts');
  return ask({ message, default: false });
}

/** Build the engine's options and run `op`; exit 5 gains the relia command that restores the weights. */
export async function operate(o: OperateOptions, op: (run: RunOptions) => Promise<FailoverOutcome>): Promise<FailoverOperationResult> {
  const report = capacityReport(o.plan); // input first: a bad capacity plan is exit 2 before any provider is built
  let current: string | undefined;
  const sink = fileSink(o.journalFile);
  const notify = await webhookNotifier(o.ctx, o.plan, () => current);
  const progress = o.progress === 'none' ? undefined : progressPrinter(o.progress === 'tty');
  const ports = await failoverPorts(o.ctx, o.plan, { slos: true, sloAt: o.sloAt, onEvent: allOf(progress, notify) });
  const approve =
    o.canPrompt && !o.yes && o.plan.safety.approval === 'tty'
      ? (s: StepApproval) => confirm(`step ${s.index + 1}/${s.total}: move to ${s.percent}% (${Object.entries(s.weights).map(([r, w]) => `${r}=${w}`).join(' ')})?`)
      : undefined;
  const run: RunOptions = {
    plan: o.plan,
    ports,
    sink: { save: (j) => ((current = j.id), sink.save(j)) },
    owner: owner(),
    operationId: operationId(o.ctx.clock.now(), () => randomInt(0, 0x10000) / 0x10000),
    breakLock: o.breakLock,
    ...(o.bake !== undefined ? { bakeMs: Math.round(parseDuration(o.bake, '--bake', { allowZero: true }) * 1000) } : {}),
    ...(approve ? { approve } : {}),
    ...(report ? { capacityReport: report } : {}),
    warn: (line) => o.ctx.warn(line),
  };
  try {
    const out = await op(run);
    return { dryRun: false, nothingToDo: out.nothingToDo, journalFile: out.journal ? o.journalFile : null, operation: out.journal, preview: out.preview, weights: out.weights };
  } catch (error) {
    if (ReliaError.is(error) && error.exitCode === ExitCode.CleanupFailed) error.suggestions.push(`or, once Route 53 answers: relia failover rollback --journal ${o.journalFile} --yes`);
    if (ReliaError.is(error) && STOPPED.has(error.exitCode)) {
      error.suggestions.push(`relia failover status --journal ${o.journalFile}`);
    }
    throw error;
  }
}
