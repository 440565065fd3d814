/**
 * `apply`, `resume` and `rollback`: build (or adopt) the journal, check the
 * freeze, take the lock, run the pre-checks, scale the target first, then
 * walk the steps (./steps.ts). Re-running `apply` with the same arguments
 * adopts the interrupted journal and converges: the live weights say which
 * step is done, and no finished step is repeated. Pure: I/O through ports.
 */
import type { PlanReport } from '../capacity/plan.js';
import { CheckFailedError, InputError } from '../errors.js';
import { throwProblems } from '../validation.js';
import { scaleAndWait, unmet } from './capacity.js';
import { healthMap, readFreeze, readRecords, regionHealth, resolveTarget, type Target } from './inspect.js';
import { isoOf, JOURNAL_VERSION, resumable, weightsAt, type Journal, type Mode, type ScalingRecord } from './journal.js';
import { confirmLock, releaseLock, takeLock } from './locking.js';
import { checkDirection, stepProblems, type CapacityRef, type FailoverPlan } from './plan-schema.js';
import type { FailoverPorts } from './ports.js';
import { byRegion, preview, safetyRules, type Preview } from './preview.js';
import { emit, markStopped, walk, type JournalSink, type StepApproval, type WalkContext } from './steps.js';
import { formatWeights, planWeights, positionOf, sameWeights, weightsOf, type Weights } from './weights.js';

export interface RunOptions {
  plan: FailoverPlan;
  ports: FailoverPorts;
  sink: JournalSink;
  /** `user@host:pid`. */
  owner: string;
  /** Id for a new operation (adopted journals keep theirs). */
  operationId: string;
  breakLock?: boolean;
  /** --bake override. */
  bakeMs?: number;
  approve?: (step: StepApproval) => Promise<boolean>;
  capacityReport?: PlanReport;
  warn?: (line: string) => void;
  insyncPollMs?: number;
  insyncTimeoutMs?: number;
  scalePollMs?: number;
}

export interface ApplyOptions extends RunOptions {
  from: string;
  to: string;
  mode: Mode;
  /** --steps override. */
  steps?: number[];
  /** The plan's last journal, if any: adopted when it is an unfinished apply with the same arguments. */
  existing?: Journal | null;
}

export interface FailoverOutcome {
  /** null: nothing to do, no journal written. */
  journal: Journal | null;
  preview: Preview | null;
  nothingToDo: boolean;
  /** Live weights at the end, by region. */
  weights: Record<string, number>;
}

function newJournal(o: RunOptions, kind: Journal['kind'], target: Target, from: string, to: string, mode: Mode, before: Weights, steps: Array<{ percent: number; weights: Weights }>): Journal {
  const now = isoOf(o.ports.clock.now());
  return {
    version: JOURNAL_VERSION,
    id: o.operationId,
    kind,
    plan: { name: o.plan.name, file: o.plan.file },
    dns: { zoneId: target.zoneId, record: o.plan.record, type: o.plan.type },
    regions: { ...target.idOf },
    from,
    to,
    mode,
    weightsBefore: before,
    steps: steps.map((s) => ({ percent: s.percent, weights: s.weights, state: 'pending' })),
    position: -1,
    // Stryker disable next-line StringLiteral: equivalent, apply and rollback set status 'running' again before any save or return of this journal
    status: 'running',
    scaling: [],
    guard: [],
    events: [],
    owner: o.owner,
    startedAt: now,
    updatedAt: now,
  };
}

function driftError(j: Journal, live: Weights): CheckFailedError {
  return new CheckFailedError(
    `the weights of ${j.dns.record} (${formatWeights(byRegionOf(j, live))}) match no step of operation ${j.id}: someone changed them since`,
    { suggestions: ['relia failover status shows what the journal expected', 'start over from the live weights: move the journal away and run apply again'] },
  );
}

function byRegionOf(j: Journal, w: Weights): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [region, id] of Object.entries(j.regions)) out[region] = w[id] ?? 0;
  return out;
}

/** No region skipped: every region's health is read. */
// Stryker disable next-line ArrayDeclaration: equivalent, a skip list holding a name that is no region skips nothing
const NO_SKIP: readonly string[] = [];

function walkContext(o: RunOptions, j: Journal, lock: WalkContext['lock'], honourFreeze: boolean): WalkContext {
  return {
    plan: o.plan,
    ports: o.ports,
    sink: o.sink,
    lock,
    rules: safetyRules(o.plan, j.mode),
    bakeMs: o.bakeMs ?? o.plan.bakeMs,
    guardIntervalMs: o.plan.guardIntervalMs,
    health: () => healthMap(o.plan, o.ports, o.ports.clock.now(), j.mode === 'ungraceful' ? [j.from] : NO_SKIP),
    ...(o.approve ? { approve: o.approve } : {}),
    honourFreeze,
    revertOnBreach: j.mode !== 'ungraceful',
    ...(o.insyncPollMs !== undefined ? { insyncPollMs: o.insyncPollMs } : {}),
    ...(o.insyncTimeoutMs !== undefined ? { insyncTimeoutMs: o.insyncTimeoutMs } : {}),
  };
}

async function finish(o: RunOptions, j: Journal, target: Target, pv: Preview | null): Promise<FailoverOutcome> {
  const live = weightsOf(await readRecords(o.ports, target.zoneId, o.plan.record, o.plan.type));
  return { journal: j, preview: pv, nothingToDo: false, weights: byRegion(live, target) };
}

/** Take the lock, run `body`, always release the lock (without the abort signal: it runs during cleanup too). */
async function locked<T>(o: RunOptions, target: Target, operation: string, body: (lock: WalkContext['lock'] & { confirm: () => Promise<void> }) => Promise<T>): Promise<T> {
  const lock = await takeLock(o.ports.dns, {
    zoneId: target.zoneId,
    record: o.plan.record,
    owner: o.owner,
    operation,
    now: o.ports.clock.now(),
    ttlMs: o.plan.lockTtlMs,
    breakLock: o.breakLock === true,
    ...(o.ports.signal ? { signal: o.ports.signal } : {}),
    ...(o.warn ? { warn: o.warn } : {}),
  });
  const box: WalkContext['lock'] & { confirm: () => Promise<void> } = {
    current: lock,
    confirm: async () => {
      try {
        await confirmLock(o.ports.dns, box.current, o.ports.clock.now());
      } catch (error) {
        lost = true;
        throw error;
      }
    },
  };
  let lost = false;
  try {
    return await body(box);
  } finally {
    // walk() renews the lock: the last renewed record is the one to delete. A lock another run holds is not ours to delete.
    // Stryker disable next-line ArrowFunction: equivalent, undefined and false are both "not released" under the !
    if (!lost && !(await releaseLock(o.ports.dns, box.current).catch(() => false))) o.warn?.(`could not release the lock on ${o.plan.record}; it expires at ${isoOf(box.current.info.expires)}`);
  }
}

function failedPrechecks(pv: Preview): CheckFailedError {
  const bad = pv.prechecks.filter((p) => !p.ok);
  return new CheckFailedError(`pre-checks failed, nothing was changed:\n  ${bad.map((p) => `${p.name}: ${p.detail}`).join('\n  ')}`, {
    suggestions: ['relia failover plan --plan FILE --from R1 --to R2 shows every check'],
  });
}

type ScalingKey = Pick<ScalingRecord, 'kind' | 'name' | 'where'>;

/** What a scaling record names: an ASG in its region, or namespace/deployment in its kube context ('' = the current one). */
function scalingKey(ref: CapacityRef): ScalingKey {
  return ref.kind === 'asg' ? { kind: 'asg', name: ref.name, where: ref.region } : { kind: 'deployment', name: `${ref.namespace}/${ref.name}`, where: ref.context ?? '' };
}

function sameTarget(a: ScalingKey, b: ScalingKey): boolean {
  return a.kind === b.kind && a.name === b.name && a.where === b.where;
}

/** Scale the target before any traffic moves; graceful mode stops (weights unchanged) when it is not ready in time. */
async function scaleFirst(o: ApplyOptions, ctx: WalkContext, journal: Journal, pv: Preview): Promise<void> {
  const { plan, ports } = o;
  const outcomes = await scaleAndWait(plan, pv.capacity, ports, {
    ...(o.scalePollMs !== undefined ? { pollMs: o.scalePollMs } : {}),
    onScaled: async (n) => {
      const rec: ScalingRecord = { ...scalingKey(n.target.ref), before: n.target.desired, desired: n.desired, need: n.need, ready: n.target.ready, at: isoOf(ports.clock.now()) };
      if (!journal.scaling.some((s) => sameTarget(s, rec))) journal.scaling.push(rec);
      await emit(ctx, journal, 'scale', `${rec.name}: desired ${rec.before} → ${rec.desired} (needs ${rec.need})`);
      await o.sink.save(journal);
    },
  });
  for (const out of outcomes) {
    const key = scalingKey(out.need.target.ref);
    const rec = journal.scaling.find((s) => sameTarget(s, key));
    if (rec) rec.ready = out.ready;
  }
  const notReady = unmet(outcomes);
  if (notReady && o.mode === 'graceful') {
    journal.status = journal.position < 0 ? 'refused' : 'interrupted';
    journal.reason = notReady.message;
    await emit(ctx, journal, 'scale', notReady.message);
    await o.sink.save(journal);
    throw notReady;
  }
  if (notReady) o.warn?.(`ungraceful: shifting anyway: ${notReady.message}`);
  await emit(ctx, journal, 'scaled', `target capacity ready: ${outcomes.map((x) => `${x.need.target.ref.name} ${x.ready}/${x.need.need}`).join(', ')}`);
}

/** `relia failover apply` (and `resume` of an apply). */
export async function applyFailover(o: ApplyOptions): Promise<FailoverOutcome> {
  const { plan, ports } = o;
  checkDirection(plan, o.from, o.to);
  const percents = o.mode === 'ungraceful' ? [100] : (o.steps ?? plan.steps);
  if (o.steps) {
    const problems = stepProblems(o.steps, '--steps');
    if (problems.length > 0) throwProblems(problems, 'e.g. --steps 50,100');
  }
  const target = await resolveTarget(plan, ports);
  const fromId = target.idOf[o.from] as string;
  const toId = target.idOf[o.to] as string;
  const live = target.weights;

  let j: Journal | null = null;
  const ex = o.existing;
  const same = ex && ex.kind === 'apply' && ex.from === o.from && ex.to === o.to && ex.dns.record === plan.record && ex.mode === o.mode;
  if (ex && same && resumable(ex)) {
    if (ex.steps.map((s) => s.percent).join(',') !== percents.join(',')) {
      throw new InputError(`an unfinished ${ex.from} → ${ex.to} operation (${ex.id}) has steps ${ex.steps.map((s) => s.percent).join(',')}, not ${percents.join(',')}`, { field: '--steps', suggestions: ['relia failover resume continues it', 'or relia failover rollback'] });
    }
    j = ex;
  } else if (ex && same && ex.status === 'completed' && sameWeights(live, weightsAt(ex, ex.steps.length - 1))) {
    return { journal: ex, preview: null, nothingToDo: true, weights: byRegion(live, target) };
  }
  const targets = j ? j.steps.map((s) => s.weights) : planWeights(live, fromId, toId, percents);
  // All-zero weights are not "nothing to do": Route 53 then spreads traffic over every record, and the safety rules refuse it.
  if (!j && targets.every((t) => sameWeights(t, live)) && Object.values(live).some((w) => w > 0)) {
    return { journal: null, preview: null, nothingToDo: true, weights: byRegion(live, target) };
  }
  const position = j ? positionOf(live, j.weightsBefore, targets) : -1;
  if (j && position === null) throw driftError(j, live);

  const freeze = await readFreeze(ports, target.zoneId, plan.record);
  if (freeze) throw new CheckFailedError(`failover of ${plan.record} is frozen by ${freeze.info.by} since ${isoOf(freeze.info.at)}: ${freeze.info.reason}`, { suggestions: ['relia failover unfreeze --plan FILE when the freeze is over'] });

  const journal = j ?? newJournal(o, 'apply', target, o.from, o.to, o.mode, live, percents.map((p, i) => ({ percent: p, weights: targets[i] as Weights })));
  journal.position = position as number;
  return locked(o, target, journal.id, async (lock) => {
    const pv = await preview(plan, o.from, o.to, ports, {
      mode: o.mode,
      steps: percents,
      before: journal.weightsBefore,
      done: journal.position + 1,
      lockHeld: true,
      ...(o.capacityReport ? { capacityReport: o.capacityReport } : {}),
      ...(o.warn ? { warn: o.warn } : {}),
    }, target);
    if (!pv.ok) throw failedPrechecks(pv);
    await lock.confirm();
    journal.status = 'running';
    const ctx = walkContext(o, journal, lock, true);
    await emit(ctx, journal, 'start', `${journal === j ? 'resuming' : 'starting'} ${o.mode} failover ${o.from} → ${o.to} (${percents.join('/')}%) at ${formatWeights(pv.weights)}`);
    await o.sink.save(journal);

    if (pv.capacity.length > 0) {
      try {
        await scaleFirst(o, ctx, journal, pv);
      } catch (error) {
        await markStopped(ctx, journal, error);
        throw error;
      }
    }

    await walk(ctx, journal);
    journal.status = 'completed';
    delete journal.reason;
    await emit(ctx, journal, 'done', `completed: ${formatWeights(byRegion(weightsAt(journal, journal.steps.length - 1), target))}`);
    await o.sink.save(journal);
    return finish(o, journal, target, pv);
  });
}

export interface RollbackOptions extends RunOptions {
  /** The journal to roll back (an apply), or an unfinished rollback to continue. */
  journal: Journal;
}

/** `relia failover rollback`: back to the weights recorded before the operation, stepwise, with the same guards. */
export async function rollbackFailover(o: RollbackOptions): Promise<FailoverOutcome> {
  const { plan, ports } = o;
  const src = o.journal;
  const target = await resolveTarget(plan, ports);
  const live = target.weights;
  let j: Journal;
  if (src.kind === 'rollback') {
    if (src.status === 'completed') return { journal: src, preview: null, nothingToDo: true, weights: byRegion(live, target) };
    const position = positionOf(live, src.weightsBefore, src.steps.map((s) => s.weights));
    if (position === null) throw driftError(src, live);
    j = src;
    j.position = position;
  } else {
    const at = positionOf(live, src.weightsBefore, src.steps.map((s) => s.weights));
    if (at === null) throw driftError(src, live);
    const states: Weights[] = [];
    for (let i = at - 1; i >= -1; i--) states.push(weightsAt(src, i));
    j = newJournal(o, 'rollback', target, src.to, src.from, 'graceful', live, states.map((w, i) => ({ percent: Math.round(((i + 1) / states.length) * 100), weights: w })));
    j.rollsBack = src.id;
    j.scaling = src.scaling.map((s) => ({ ...s }));
  }
  const scaleBack = plan.capacity.scaleBackOnRollback && j.scaling.length > 0;
  if (j.steps.length === 0 && !scaleBack) return { journal: null, preview: null, nothingToDo: true, weights: byRegion(live, target) };
  if (scaleBack) refuseUnreachableScaleBack(j.scaling, ports, o.journal.id);

  return locked(o, target, j.id, async (lock) => {
    const ctx = walkContext(o, j, lock, false);
    const toRegion = plan.regions[j.to];
    if (j.position + 1 < j.steps.length && toRegion) {
      const h = await regionHealth(plan, toRegion, ports, ports.clock.now(), { slos: true });
      if (!h.healthy) throw new CheckFailedError(`rollback pre-check: ${j.to} would take traffic back but is unhealthy: ${h.problems.join('; ')}; nothing was changed`, { suggestions: ['fix the region first; relia failover status shows where the operation stands'] });
    }
    await lock.confirm();
    j.status = 'running';
    await emit(ctx, j, 'start', `rolling back ${o.journal.id}: ${j.steps.length} step${j.steps.length === 1 ? '' : 's'} back to ${formatWeights(byRegion(weightsAt(j, j.steps.length - 1), target))}`);
    await o.sink.save(j);
    await walk(ctx, j);
    if (scaleBack) {
      for (const s of j.scaling) {
        // Stryker disable next-line OptionalChaining: equivalent, refuseUnreachableScaleBack made sure the port exists
        if (s.kind === 'asg') await ports.compute?.setDesiredCapacity(s.where, s.name, s.before, ports.signal ? { signal: ports.signal } : {});
        else {
          const [namespace, name] = s.name.split('/') as [string, string];
          // Stryker disable next-line OptionalChaining: equivalent, refuseUnreachableScaleBack made sure the port exists
          await (await ports.cluster?.(s.where === '' ? undefined : s.where))?.setScale({ kind: 'deployment', namespace, name }, s.before, ports.signal ? { signal: ports.signal } : {});
        }
        await emit(ctx, j, 'scale', `${s.name}: scaled back ${s.desired} → ${s.before}`);
      }
    }
    j.status = 'completed';
    delete j.reason;
    await emit(ctx, j, 'done', `rolled back: ${formatWeights(byRegion(weightsAt(j, j.steps.length - 1), target))}`);
    await o.sink.save(j);
    return finish(o, j, target, null);
  });
}

/**
 * Scale-back needs the port that did the scaling. The CLI builds ports from the
 * plan, so a plan edited since the operation (its ASG or deployment targets
 * removed) would leave none: refuse before any weight moves, rather than walk
 * the weights back and report a scale-back that never happened.
 */
function refuseUnreachableScaleBack(scaling: ScalingRecord[], ports: FailoverPorts, operation: string): void {
  const missing = scaling.filter((s) => (s.kind === 'asg' ? ports.compute === undefined : ports.cluster === undefined));
  if (missing.length === 0) return;
  const what = missing.map((s) => `${s.kind} ${s.name}${s.where === '' ? '' : ` (${s.where})`}`).join(', ');
  throw new InputError(`capacity.scaleBackOnRollback: operation ${operation} scaled ${what}, but the plan no longer names ${missing.length === 1 ? 'that target' : 'those targets'} in any region's capacity, so relia cannot scale ${missing.length === 1 ? 'it' : 'them'} back; nothing was changed`, {
    field: 'capacity.scaleBackOnRollback',
    suggestions: ['put the targets back in the plan’s capacity lists for the rollback, or set capacity.scaleBackOnRollback: false and scale them back by hand (sizes before: relia failover status)'],
  });
}

/** `relia failover resume`: continue the journal's operation where the live weights say it is. */
export async function resumeFailover(o: RunOptions & { journal: Journal }): Promise<FailoverOutcome> {
  const j = o.journal;
  if (!resumable(j)) {
    throw new CheckFailedError(`operation ${j.id} is ${j.status}: nothing to resume`, { suggestions: j.status === 'reverted' || j.status === 'revert-failed' ? ['relia failover rollback, or apply again once the target is healthy'] : ['relia failover status'] });
  }
  if (j.kind === 'rollback') return rollbackFailover({ ...o, journal: j });
  return applyFailover({ ...o, from: j.from, to: j.to, mode: j.mode, ...(j.mode === 'graceful' ? { steps: j.steps.map((s) => s.percent) } : {}), existing: j });
}
