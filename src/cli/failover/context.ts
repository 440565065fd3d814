/**
 * CLI glue for `relia failover *`: the shared flags, reading the plan (and
 * the SLO specs, budget policy and capacity plan it refers to, relative to
 * the plan file), building the engine's ports from the configured providers,
 * and progress / webhook events. The commands stay thin.
 */
import { userInfo, hostname } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { progressFlags } from '../progress-flag.js';
import type { SloDefinition } from '../../core/budget/model.js';
import { computePlan, type PlanReport } from '../../core/capacity/plan.js';
import { parsePlan as parseCapacityPlan } from '../../core/capacity/plan-schema.js';
import { InputError } from '../../core/errors.js';
import { urlOriginOnly } from '../../core/secrets.js';
import { checkDirection, parseFailoverPlan, stepProblems, type FailoverPlan } from '../../core/failover/plan-schema.js';
import type { FailoverEvent, FailoverPorts } from '../../core/failover/ports.js';
import { budgetSloGuard } from '../../core/failover/slo-guard.js';
import { parseDuration, parseTime } from '../../core/units.js';
import { throwProblems } from '../../core/validation.js';
import type { CommandContext } from '../base-command.js';
import { readPolicyFile, readSlos } from '../budget/run.js';
import { readTextInput } from '../files.js';
import { terminalWidth, wrapText } from '../style.js';
import { metricsFromConfig, httpFromConfig } from '../providers.js';
import { portFactory } from './providers.js';

export const planFlag = Flags.string({ char: 'p', description: 'Failover plan file (YAML), see docs/failover.md#plan-file.', required: true });
export const journalFlag = Flags.string({ description: 'Journal file (default: <config dir>/failover/<plan name>.json).' });
export const directionFlags = {
  from: Flags.string({ description: 'Region traffic leaves (a key of the plan’s regions).', required: true }),
  to: Flags.string({ description: 'Region traffic moves to.', required: true }),
};
export const sloAtFlag = Flags.string({ description: 'Evaluate the SLO guards as of this instant (RFC 3339 or unix seconds), advancing with the clock: rehearse a plan against recorded history.' });
export const prometheusFlag = Flags.string({ description: "Prometheus URL for the SLO guards (default: the config environment's metrics.url)." });
export const breakLockFlag = Flags.boolean({ description: 'Break a STALE lock left by an operation that died (a live lock is never broken).' });

export const EXAMPLE_PLAN = 'docs/examples/failover/playback-api.yaml';

export function readPlan(path: string): FailoverPlan {
  return parseFailoverPlan(readTextInput(path, '--plan', EXAMPLE_PLAN), path === '-' ? 'stdin' : path);
}

function besidePlan(plan: FailoverPlan, path: string): string {
  return isAbsolute(path) || plan.file === 'stdin' ? path : resolve(dirname(plan.file), path);
}

/** The capacity family's report for `capacity.plan` (region-loss sizing), or undefined. */
export function capacityReport(plan: FailoverPlan): PlanReport | undefined {
  if (plan.capacity.plan === undefined) return undefined;
  const file = besidePlan(plan, plan.capacity.plan);
  return computePlan(parseCapacityPlan(readTextInput(file, 'capacity.plan'), file));
}

export function owner(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${user}@${hostname()}:${process.pid}`;
}

export interface PortsOptions {
  sloAt?: string | undefined;
  /** Read the SLO specs (apply, plan, rollback, resume); evaluate only checks they parse. */
  slos: boolean;
  onEvent?: (event: FailoverEvent) => void | Promise<void>;
}

/** Build the engine's ports for this plan: only those the plan needs are created. */
export async function failoverPorts(ctx: CommandContext, plan: FailoverPlan, options: PortsOptions): Promise<FailoverPorts> {
  const factory = portFactory(ctx);
  const regions = Object.values(plan.regions);
  const ports: FailoverPorts = { dns: await factory.dns(), clock: ctx.clock, signal: ctx.lifecycle.signal };
  if (regions.some((r) => r.capacity.some((c) => c.kind === 'asg'))) ports.compute = await factory.compute();
  if (regions.some((r) => r.alarms.length > 0)) ports.alarms = await factory.alarms();
  if (regions.some((r) => r.capacity.some((c) => c.kind === 'deployment'))) ports.cluster = (context) => factory.cluster(context);
  if (options.onEvent) ports.onEvent = options.onEvent;
  if (options.slos && regions.some((r) => r.slos.length > 0)) {
    const slosByRegion: Record<string, SloDefinition[]> = {};
    for (const r of regions) if (r.slos.length > 0) slosByRegion[r.name] = readSlos(r.slos.map((p) => besidePlan(plan, p)), undefined);
    const policy = readPolicyFile(plan.sloPolicy === undefined ? undefined : besidePlan(plan, plan.sloPolicy));
    const source = await metricsFromConfig(await ctx.providers(), ctx.resolved());
    ctx.lifecycle.defer('close metrics source', () => source.close());
    const offset = options.sloAt === undefined ? 0 : parseTime(options.sloAt, '--slo-at') - ctx.clock.now();
    ports.sloGuard = budgetSloGuard(slosByRegion, source, policy, offset);
  }
  return ports;
}

/** How long the end of a command waits for queued webhook notifications. */
export const WEBHOOK_DRAIN_MS = 10_000;

/**
 * One JSON POST per event to the plan's webhook, in order, off the engine's
 * path: the handler queues the POST and returns at once, so a slow hook never
 * delays a step or a revert (it used to hold a breach's revert for up to its
 * 5 s timeout). The queue is flushed by a cleanup before the client closes.
 * A failing hook is a warning (once), never a stop.
 */
export async function webhookNotifier(ctx: CommandContext, plan: FailoverPlan, operation: () => string | undefined): Promise<((e: FailoverEvent) => void) | undefined> {
  if (!plan.notify) return undefined;
  const http = await httpFromConfig(await ctx.providers(), ctx.resolved());
  ctx.lifecycle.defer('close webhook client', () => http.close());
  let warned = false;
  const url = plan.notify.webhook;
  // Its path and query may be the credential (a Slack hook, ?token=): messages name the host only.
  const shown = `notify.webhook ${urlOriginOnly(url)}`;
  const post = async (e: FailoverEvent, op: string | undefined): Promise<void> => {
    try {
      const res = await http.request({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'relia', plan: plan.name, ...e, operation: e.operation ?? op, at: new Date(e.at).toISOString() }), timeoutMs: 5_000, readBody: false });
      if (res.status >= 300 && !warned) {
        warned = true;
        ctx.warn(`${shown} answered ${res.status}; the operation goes on`);
      }
    } catch (error) {
      if (!warned) {
        warned = true;
        ctx.warn(`${shown}: ${(error as Error).message.split(url).join(urlOriginOnly(url))}; the operation goes on`);
      }
    }
  };
  let queue = Promise.resolve();
  let pending = 0;
  // Registered after the close: cleanups run last-first, so the queue drains (for at most WEBHOOK_DRAIN_MS) before the client closes.
  ctx.lifecycle.defer('send the queued webhook notifications', async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, WEBHOOK_DRAIN_MS)));
    await Promise.race([queue, late]);
    clearTimeout(timer);
    if (pending > 0) ctx.warn(`${shown}: ${pending} notification${pending === 1 ? '' : 's'} not sent within ${WEBHOOK_DRAIN_MS / 1000} s of the end; the journal has every event`);
  });
  return (e) => {
    if (e.type === 'guard' && e.data?.ok === true) return; // only the samples that matter
    const op = operation(); // as of the event, not of the send
    pending++;
    queue = queue.then(() => post(e, op)).finally(() => void pending--);
  };
}

/** Parse `--steps 50,100`. */
export function parseSteps(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const steps = text.split(',').map((s) => s.trim().replace(/%$/, ''));
  const out = steps.map(Number);
  if (steps.some((s) => s === '') || out.some((n) => !Number.isFinite(n) || n <= 0 || n > 100)) {
    throw new InputError(`--steps ${text}: expected percentages in (0, 100] separated by commas, e.g. 50,100`, { field: '--steps', suggestions: ['--steps 25,50,100'] });
  }
  return out;
}

/** A progress printer: a human line on a TTY (word-wrapped to `width`), a JSON line otherwise (stderr either way). */
export function progressPrinter(tty: boolean, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`), width = terminalWidth(process.stderr)): (e: FailoverEvent) => void {
  return (e) => {
    if (tty) write(wrapText(`[${new Date(e.at).toISOString().slice(11, 19)}] ${e.type.padEnd(11)} ${e.message}`, width, 23));
    else write(JSON.stringify({ event: 'failover', type: e.type, message: e.message, at: new Date(e.at).toISOString(), ...(e.step !== undefined ? { step: e.step + 1 } : {}) }));
  };
}

/** Combine event handlers (progress, webhook). */
export function allOf(...handlers: Array<((e: FailoverEvent) => void | Promise<void>) | undefined>): (e: FailoverEvent) => Promise<void> {
  return async (e) => {
    for (const h of handlers) await h?.(e);
  };
}

/** The flags of the commands that continue a journalled operation (resume, rollback). */
export const journalOperationFlags = {
  journal: journalFlag,
  plan: Flags.string({ char: 'p', description: 'Plan file (default: the path the journal recorded).' }),
  bake: Flags.string({ description: 'Override the bake time after each step.' }),
  yes: Flags.boolean({ char: 'y', description: 'Act without asking (required off a TTY).' }),
  'break-lock': breakLockFlag,
  'slo-at': sloAtFlag,
  prometheus: prometheusFlag,
  ...progressFlags,
};

/** --bake and --slo-at, checked before anything is read from a provider or changed (exit 2 naming the flag). */
export function checkRunFlags(f: { bake?: string | undefined; 'slo-at'?: string | undefined }): void {
  if (f.bake !== undefined) parseDuration(f.bake, '--bake', { allowZero: true });
  if (f['slo-at'] !== undefined) parseTime(f['slo-at'], '--slo-at');
}

/**
 * What `failover plan` and `failover apply` read from their flags: the plan,
 * checked for the direction, the steps (increasing, ending at 100) and the
 * mode. Every flag is checked here, before any provider is built, so bad
 * input is exit 2 naming the flag even when a provider is missing too.
 */
export function directedOperation(f: { plan: string; from: string; to: string; steps?: string | undefined; mode?: string | undefined; bake?: string | undefined; 'slo-at'?: string | undefined }): {
  plan: FailoverPlan;
  steps: number[] | undefined;
  mode: 'graceful' | 'ungraceful';
} {
  const plan = readPlan(f.plan);
  checkDirection(plan, f.from, f.to);
  const steps = parseSteps(f.steps);
  if (steps) {
    const problems = stepProblems(steps, '--steps');
    if (problems.length > 0) throwProblems(problems, 'e.g. --steps 50,100');
  }
  checkRunFlags(f);
  const mode = f.mode === 'ungraceful' ? 'ungraceful' : 'graceful';
  if (steps && mode === 'ungraceful') {
    throw new InputError('--steps with --mode ungraceful: an ungraceful failover shifts straight to 100 and would ignore the steps', { field: '--steps', suggestions: ['drop --steps for an ungraceful failover', 'or drop --mode ungraceful to move in steps'] });
  }
  return { plan, steps, mode };
}
