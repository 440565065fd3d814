/**
 * The state machine that walks a journal's steps: for each step, approval,
 * the freeze check, the lock renewal, the safety rules on the whole batch,
 * one ChangeBatch (never given the abort signal: it is atomic and lets a
 * SIGINT land between steps), INSYNC, then the bake with the guard sampling
 * the region that receives traffic. A breach reverts to the previous step's
 * weights (exit 4), or reports the exact weights and how to restore them when
 * the revert fails (exit 5). Pure: I/O through ports, time through the Clock.
 */
import type { RecordSet } from '../../ports/dns.js';
import { CheckFailedError, CleanupFailedError, DependencyError, InterruptedError, ReliaError, SafetyStopError, throwIfAborted } from '../errors.js';
import { readFreeze, readRecords, regionHealth } from './inspect.js';
import { addEvent, addGuardSample, isoOf, weightsAt, type Journal, type JournalStep } from './journal.js';
import { renewLock, type HeldLock } from './locking.js';
import type { FailoverPlan } from './plan-schema.js';
import type { FailoverPorts } from './ports.js';
import { checkBatch, formatWeights, weightBatch, weightsOf, type SafetyRules, type Weights } from './weights.js';

export interface JournalSink {
  save(journal: Journal): void | Promise<void>;
}

export interface StepApproval {
  index: number;
  total: number;
  percent: number;
  /** By region name. */
  weights: Record<string, number>;
}

export interface WalkContext {
  plan: FailoverPlan;
  ports: FailoverPorts;
  sink: JournalSink;
  /** The lock as last renewed (walk() updates it; whoever took it releases `lock.current`). */
  lock: { current: HeldLock };
  rules: SafetyRules;
  bakeMs: number;
  guardIntervalMs: number;
  /** Region name → healthy (for minHealthyRegions), refreshed per step. */
  health: () => Promise<Record<string, boolean>>;
  approve?: (step: StepApproval) => Promise<boolean>;
  /** apply checks the freeze before every step; rollback does not (it restores). */
  honourFreeze: boolean;
  /** Ungraceful: a breach is reported, not reverted (the source is down). */
  revertOnBreach: boolean;
  insyncPollMs?: number;
  insyncTimeoutMs?: number;
}

const INSYNC_POLL_MS = 2_000;
const INSYNC_TIMEOUT_MS = 10 * 60_000;

export async function emit(ctx: Pick<WalkContext, 'ports'>, j: Journal, type: string, message: string, step?: number, data?: Record<string, unknown>): Promise<void> {
  const at = ctx.ports.clock.now();
  addEvent(j, at, type, message);
  try {
    // Stryker disable next-line OptionalChaining: equivalent, calling a missing listener throws a TypeError that the catch below swallows, as nothing was called
    await ctx.ports.onEvent?.({ type, message, at, operation: j.id, ...(step !== undefined ? { step } : {}), ...(data ? { data } : {}) });
  } catch {
    // Progress and notifications never stop an operation.
  }
}

async function save(ctx: Pick<WalkContext, 'ports' | 'sink'>, j: Journal): Promise<void> {
  j.updatedAt = isoOf(ctx.ports.clock.now());
  await ctx.sink.save(j);
}

export function regionWeights(j: Journal, w: Weights): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [region, id] of Object.entries(j.regions)) out[region] = w[id] ?? 0;
  return out;
}

export async function waitInsync(ctx: Pick<WalkContext, 'ports' | 'insyncPollMs' | 'insyncTimeoutMs'>, changeId: string, signal: AbortSignal | undefined): Promise<void> {
  const { dns, clock } = ctx.ports;
  const deadline = clock.now() + (ctx.insyncTimeoutMs ?? INSYNC_TIMEOUT_MS);
  for (;;) {
    if ((await dns.changeStatus(changeId, signal ? { signal } : {})) === 'INSYNC') return;
    if (clock.now() >= deadline) throw new DependencyError('route53', `change ${changeId} is not INSYNC after ${Math.round((ctx.insyncTimeoutMs ?? INSYNC_TIMEOUT_MS) / 1000)} s`, { suggestions: ['aws route53 get-change --id ' + changeId] });
    await clock.sleep(ctx.insyncPollMs ?? INSYNC_POLL_MS, signal);
  }
}

/** An `aws route53` command that sets exactly these weights (for exit 5). */
export function restoreCommand(zoneId: string, records: readonly RecordSet[], w: Weights, options: { all?: boolean } = {}): string {
  // `all`: UPSERT every record to its weight, whatever it is now (a manual undo written before the change).
  const base = options.all ? records.map((r) => ({ ...r, weight: -1 })) : records;
  const changes = weightBatch(base, w).map((c) => ({
    Action: 'UPSERT',
    ResourceRecordSet: {
      Name: c.record.name,
      Type: c.record.type,
      SetIdentifier: c.record.setIdentifier,
      Weight: c.record.weight,
      // JSON.stringify leaves TTL out when it is undefined (alias records).
      TTL: c.record.ttl,
      ...(c.record.values ? { ResourceRecords: c.record.values.map((v) => ({ Value: v })) } : {}),
      ...(c.record.aliasTarget ? { AliasTarget: { HostedZoneId: c.record.aliasTarget.hostedZoneId, DNSName: c.record.aliasTarget.dnsName, EvaluateTargetHealth: c.record.aliasTarget.evaluateTargetHealth } } : {}),
      ...(c.record.healthCheckId ? { HealthCheckId: c.record.healthCheckId } : {}),
    },
  }));
  return `aws route53 change-resource-record-sets --hosted-zone-id ${zoneId} --change-batch '${JSON.stringify({ Changes: changes })}'`;
}

/** A revert goes back to weights that were live before: no step-size or healthy-region rule stops it. */
// Stryker disable next-line ObjectLiteral: equivalent, checkBatch compares against undefined rules as against 0 and null: n < undefined and moved > NaN are false
const REVERT_RULES: SafetyRules = { minHealthyRegions: 0, maxStepPercent: null };

/** Revert step k to the weights of step k − 1 (or those before). Throws SafetyStopError (4) or CleanupFailedError (5). */
async function revert(ctx: WalkContext, j: Journal, k: number, reason: string): Promise<never> {
  const prev = weightsAt(j, k - 1);
  const { dns } = ctx.ports;
  let records: RecordSet[] = [];
  try {
    records = await readRecords({ dns }, j.dns.zoneId, j.dns.record, j.dns.type);
    const changes = weightBatch(records, prev);
    const verdict = checkBatch(records, changes, { name: j.dns.record, type: j.dns.type, regionOf: {}, healthy: {} }, REVERT_RULES);
    if (!verdict.ok) throw new CheckFailedError(verdict.violations.join('; '));
    if (changes.length > 0) {
      const out = await dns.change(j.dns.zoneId, changes, `relia failover ${j.id}: revert step ${k + 1}`);
      if (out.status === 'rejected') throw new CheckFailedError(`Route 53 rejected the revert: ${out.reason}`);
      await waitInsync(ctx, out.changeId, undefined);
    }
  } catch (error) {
    j.status = 'revert-failed';
    j.reason = `${reason}; the revert failed: ${(error as Error).message}`;
    // Stryker disable next-line StringLiteral: equivalent, both branches of the try below overwrite it
    let now = `unknown (${(error as Error).message})`;
    try {
      const live = await readRecords({ dns }, j.dns.zoneId, j.dns.record, j.dns.type);
      records = live;
      now = formatWeights(regionWeights(j, weightsOf(live)));
    } catch {
      // The control plane is gone: the journal's last known weights are all we have.
      now = `unknown; last set: ${formatWeights(regionWeights(j, weightsAt(j, k)))}`;
    }
    await emit(ctx, j, 'revert-failed', j.reason, k);
    await save(ctx, j);
    const restore = records.length > 0 ? restoreCommand(j.dns.zoneId, records, prev) : `set the weights to ${formatWeights(regionWeights(j, prev))}`;
    throw new CleanupFailedError(`guard breached at step ${k + 1} (${reason}) and the revert FAILED: ${(error as Error).message}\n  weights now: ${now}\n  wanted:      ${formatWeights(regionWeights(j, prev))}`, [`weights of ${j.dns.record}: ${now}`, `restore with: ${restore}`], {
      suggestions: [`restore the previous weights: ${restore}`, 'then: relia failover status'],
    });
  }
  // k is the step being baked: it exists.
  (j.steps[k] as JournalStep).state = 'reverted';
  j.position = k - 1;
  j.status = 'reverted';
  j.reason = `guard breached at step ${k + 1}: ${reason}`;
  await emit(ctx, j, 'revert', `reverted to ${k === 0 ? 'the weights before' : `step ${k}`}: ${formatWeights(regionWeights(j, prev))}`, k);
  await save(ctx, j);
  throw new SafetyStopError(`guard breached at step ${k + 1} (${reason}); weights reverted to ${formatWeights(regionWeights(j, prev))}`, {
    suggestions: ['look at the target region, then: relia failover resume (or rollback)', `relia failover status shows the guard samples`],
  });
}

/**
 * Sample the guard until the bake ends; a breach reverts (or, ungraceful, is
 * reported). Samples keep a fixed cadence: each starts one guard interval
 * after the previous one STARTED, not after it ended, so a breach is seen
 * within one interval however long a sample's reads take (sleeping a full
 * interval after each sample made the period interval + sample time).
 */
async function bake(ctx: WalkContext, j: Journal, k: number): Promise<void> {
  const { clock } = ctx.ports;
  const region = ctx.plan.regions[j.to];
  const end = clock.now() + ctx.bakeMs;
  for (;;) {
    throwIfAborted(ctx.ports.signal);
    const now = clock.now();
    const h = region ? await regionHealth(ctx.plan, region, ctx.ports, now, { slos: true }) : null;
    const ok = h === null || h.healthy;
    addGuardSample(j, { at: isoOf(now), step: k, region: j.to, ok, problems: h?.problems ?? [] });
    await emit(ctx, j, 'guard', ok ? `${j.to} healthy` : `${j.to}: ${h?.problems.join('; ')}`, k, { ok });
    if (!ok) {
      const reason = `${j.to}: ${h?.problems.join('; ')}`;
      if (ctx.revertOnBreach) return revert(ctx, j, k, reason);
      j.reason = `guard breached after the ungraceful shift (not reverted: the source is down): ${reason}`;
      await save(ctx, j);
      throw new CheckFailedError(j.reason, { suggestions: ['the target is unhealthy and the source is down: investigate both regions'] });
    }
    if (now >= end) return;
    const wait = Math.min(now + ctx.guardIntervalMs, end) - clock.now();
    if (wait > 0) await clock.sleep(wait, ctx.ports.signal);
  }
}

/**
 * Walk the journal from its position to the last step. The journal's
 * position must already match the live weights. Errors leave the journal
 * `interrupted` (with the reason) unless a revert set it.
 */
export async function walk(ctx: WalkContext, j: Journal): Promise<void> {
  const { dns, clock } = ctx.ports;
  // Stryker disable next-line OptionalChaining: equivalent, read only when position >= 0, and a position is always a step of the journal
  const resumeBake = j.position >= 0 && j.steps[j.position]?.state !== 'baked';
  const start = resumeBake ? j.position : j.position + 1;
  try {
    for (let k = start; k < j.steps.length; k++) {
      const step = j.steps[k] as (typeof j.steps)[number];
      const rebake = k === j.position;
      if (!rebake) {
        throwIfAborted(ctx.ports.signal);
        if (ctx.honourFreeze) {
          const freeze = await readFreeze(ctx.ports, j.dns.zoneId, j.dns.record);
          if (freeze) throw new CheckFailedError(`failover of ${j.dns.record} was frozen by ${freeze.info.by}: ${freeze.info.reason}; stopped before step ${k + 1}`, { suggestions: ['relia failover unfreeze, then relia failover resume'] });
        }
        if (ctx.approve) {
          const yes = await ctx.approve({ index: k, total: j.steps.length, percent: step.percent, weights: regionWeights(j, step.weights) });
          if (!yes) throw new CheckFailedError(`step ${k + 1} was declined at the prompt`, { suggestions: ['relia failover resume to continue, or relia failover rollback'] });
        }
        ctx.lock.current = await renewLock(dns, ctx.lock.current, clock.now(), ctx.plan.lockTtlMs);
        const records = await readRecords(ctx.ports, j.dns.zoneId, j.dns.record, j.dns.type);
        const changes = weightBatch(records, step.weights);
        const verdict = checkBatch(records, changes, { name: j.dns.record, type: j.dns.type, regionOf: Object.fromEntries(Object.entries(j.regions).map(([r, id]) => [id, r])), healthy: await ctx.health() }, ctx.rules);
        if (!verdict.ok) throw new CheckFailedError(`step ${k + 1} refused by the safety rules, nothing changed: ${verdict.violations.join('; ')}`, { suggestions: ['relia failover plan shows every step and its checks'] });
        if (changes.length > 0) {
          // No signal: the batch is atomic; a SIGINT now lands after it.
          const out = await dns.change(j.dns.zoneId, changes, `relia failover ${j.id}: step ${k + 1} (${step.percent}%)`);
          if (out.status === 'rejected') throw new CheckFailedError(`Route 53 rejected step ${k + 1}: ${out.reason}; nothing changed`, { suggestions: ['relia failover evaluate --plan FILE checks the record set'] });
          step.changeId = out.changeId;
        }
        step.state = 'applied';
        step.appliedAt = isoOf(clock.now());
        j.position = k;
        await emit(ctx, j, 'step', `step ${k + 1}/${j.steps.length} (${step.percent}%): ${formatWeights(regionWeights(j, step.weights))}`, k, { weights: regionWeights(j, step.weights), percent: step.percent });
        await save(ctx, j);
        if (step.changeId) await waitInsync(ctx, step.changeId, ctx.ports.signal);
        step.state = 'insync';
        step.insyncAt = isoOf(clock.now());
        await save(ctx, j);
      }
      await bake(ctx, j, k);
      step.state = 'baked';
      step.bakedAt = isoOf(clock.now());
      await save(ctx, j);
    }
  } catch (error) {
    await markStopped(ctx, j, error);
    throw error;
  }
}

/** A running operation that stops on an error or a signal is `interrupted`, with the reason and where. */
export async function markStopped(ctx: Pick<WalkContext, 'ports' | 'sink'>, j: Journal, error: unknown): Promise<void> {
  if (j.status !== 'running') return;
  j.status = 'interrupted';
  // Stryker disable next-line OptionalChaining: equivalent, read only when position >= 0, and a position is always a step of the journal
  const where = j.position < 0 ? 'before step 1' : `step ${j.position + 1} (${j.steps[j.position]?.percent}%)`;
  const reason: unknown = ctx.ports.signal?.aborted ? ctx.ports.signal.reason : null;
  const signal = reason === null ? null : ReliaError.is(reason) && reason instanceof InterruptedError ? reason.signal : 'abort';
  j.reason = signal ? `interrupted by ${signal} at ${where}` : `stopped at ${where}: ${(error as Error).message}`;
  await emit(ctx, j, 'interrupted', j.reason, j.position);
  await save(ctx, j);
}
