/**
 * The read-only part of a failover: what `relia failover plan` prints and
 * what `apply` checks before it changes anything. It reads the weights,
 * health checks, alarms, SLOs and capacity, computes every step's weights and
 * ChangeBatch, runs the safety rules on each batch, and gives the pre-checks
 * their verdicts. Pure: I/O through ports.
 */
import type { RecordSet } from '../../ports/dns.js';
import type { PlanReport } from '../capacity/plan.js';
import { capacityNeeds, capacityProblems, type CapacityNeed } from './capacity.js';
import { healthMap, readFreeze, readLock, regionHealth, resolveTarget, type RegionHealth, type Target } from './inspect.js';
import type { Mode } from './journal.js';
import { describeLock, type FreezeInfo, type LockInfo } from './lock.js';
import type { FailoverPlan } from './plan-schema.js';
import type { FailoverPorts } from './ports.js';
import { checkBatch, planWeights, weightBatch, type SafetyRules, type Weights } from './weights.js';

export interface Precheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface PreviewStep {
  index: number;
  percent: number;
  /** By region name. */
  weights: Record<string, number>;
  movedPercent: number;
  /** Records the batch UPSERTs. */
  changes: number;
  violations: string[];
}

export interface Preview {
  plan: string;
  from: string;
  to: string;
  mode: Mode;
  zone: { id: string; name: string };
  record: string;
  type: string;
  /** Now, by region name. */
  weights: Record<string, number>;
  health: RegionHealth[];
  capacity: CapacityNeed[];
  steps: PreviewStep[];
  freeze: FreezeInfo | null;
  lock: (LockInfo & { stale: boolean; description: string }) | null;
  prechecks: Precheck[];
  ok: boolean;
}

export interface PreviewOptions {
  mode: Mode;
  steps: readonly number[];
  capacityReport?: PlanReport;
  /** The weights the steps start from (a resumed operation's), default: now. */
  before?: Weights;
  /** Steps already done (resume): their batches are not checked again. */
  done?: number;
  warn?: (line: string) => void;
  /** This operation holds the lock (apply takes it before the pre-checks): the lock is not a pre-check then. */
  lockHeld?: boolean;
}

export function byRegion(w: Weights, target: Target): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [region, id] of Object.entries(target.idOf)) out[region] = w[id] ?? 0;
  return out;
}

/** Records with the weights replaced (to simulate the state after a batch). */
export function withWeights(records: readonly RecordSet[], w: Weights): RecordSet[] {
  return records.map((r) => (r.setIdentifier !== undefined && w[r.setIdentifier] !== undefined ? { ...r, weight: w[r.setIdentifier] as number } : r));
}

export function safetyRules(plan: FailoverPlan, mode: Mode): SafetyRules {
  return { minHealthyRegions: plan.safety.minHealthyRegions, maxStepPercent: mode === 'ungraceful' ? null : plan.safety.maxStepPercent };
}

export async function preview(plan: FailoverPlan, from: string, to: string, ports: FailoverPorts, options: PreviewOptions, resolved?: Target): Promise<Preview> {
  const target = resolved ?? (await resolveTarget(plan, ports));
  const now = ports.clock.now();
  const prechecks: Precheck[] = [];
  const ungraceful = options.mode === 'ungraceful';

  const freeze = await readFreeze(ports, target.zoneId, plan.record);
  prechecks.push({ name: 'freeze', ok: freeze === null, detail: freeze ? `frozen by ${freeze.info.by}: ${freeze.info.reason}` : 'not frozen' });
  const lockRead = await readLock(ports, target.zoneId, plan.record);
  const lock = lockRead?.info ? { ...lockRead.info, stale: lockRead.info.expires <= now, description: describeLock(lockRead.info, now) } : null;
  if (!options.lockHeld) prechecks.push({ name: 'lock', ok: lockRead === null, detail: lock ? lock.description : lockRead ? 'an unreadable lock record exists' : 'free' });

  const toRegion = plan.regions[to];
  const fromRegion = plan.regions[from];
  const health: RegionHealth[] = [];
  if (toRegion) {
    const h = await regionHealth(plan, toRegion, ports, now, { slos: true });
    health.push(h);
    prechecks.push({ name: `target ${to} healthy`, ok: h.healthy, detail: h.healthy ? describeHealth(h) : h.problems.join('; ') });
  }
  if (fromRegion && !ungraceful) {
    // Stryker disable next-line ObjectLiteral: equivalent, {} leaves slos undefined, read as false
    const h = await regionHealth(plan, fromRegion, ports, now, { slos: false });
    health.push(h);
    prechecks.push({ name: `source ${from} readable`, ok: true, detail: h.healthy ? `healthy (${describeHealth(h)})` : `unhealthy (${h.problems.join('; ')}): evacuating it is what failover is for` });
  }

  const capacity = await capacityNeeds(plan, from, to, ports, { ungraceful, ...(options.capacityReport ? { report: options.capacityReport } : {}), ...(options.warn ? { warn: options.warn } : {}) });
  const capProblems = capacityProblems(capacity);
  if (capacity.length > 0) prechecks.push({ name: 'target capacity', ok: capProblems.length === 0, detail: capProblems.length > 0 ? capProblems.join('; ') : capacity.map((c) => `${c.target.ref.name}: ${c.target.ready} ready, needs ${c.need} (${c.basis})`).join('; ') });

  const healthy = await healthMap(plan, ports, now, ungraceful ? [from] : []);
  const before = options.before ?? target.weights;
  const targets = planWeights(before, target.idOf[from] as string, target.idOf[to] as string, options.steps);
  const rules = safetyRules(plan, options.mode);
  const ctx = { name: plan.record, type: plan.type, regionOf: target.regionOf, healthy };
  const steps: PreviewStep[] = [];
  const done = options.done ?? 0;
  let records = withWeights(target.records, done > 0 ? (targets[done - 1] as Weights) : before);
  targets.forEach((w, i) => {
    if (i < done) return;
    const changes = weightBatch(records, w);
    const verdict = checkBatch(records, changes, ctx, rules);
    steps.push({ index: i, percent: options.steps[i] as number, weights: byRegion(w, target), movedPercent: verdict.movedPercent, changes: changes.length, violations: verdict.violations });
    records = withWeights(records, w);
  });
  const violations = steps.flatMap((s) => s.violations.map((v) => `step ${s.index + 1} (${s.percent}%): ${v}`));
  prechecks.push({ name: 'safety rules', ok: violations.length === 0, detail: violations.length > 0 ? violations.join('; ') : `every batch keeps a weight above 0, ≥ ${rules.minHealthyRegions} healthy region${rules.minHealthyRegions === 1 ? '' : 's'}${rules.maxStepPercent === null ? '' : `, moves ≤ ${rules.maxStepPercent}%`}` });

  return {
    plan: plan.name,
    from,
    to,
    mode: options.mode,
    zone: { id: target.zoneId, name: target.zoneName },
    record: plan.record,
    type: plan.type,
    weights: byRegion(target.weights, target),
    health,
    capacity,
    steps,
    freeze: freeze?.info ?? null,
    lock,
    prechecks,
    ok: prechecks.every((p) => p.ok),
  };
}

function describeHealth(h: RegionHealth): string {
  const parts: string[] = [];
  if (h.healthCheck) parts.push(`health check ${h.healthCheck.id} healthy`);
  if (h.alarms.length > 0) parts.push(`${h.alarms.length} alarm${h.alarms.length === 1 ? '' : 's'} OK`);
  if (h.slos.length > 0) parts.push(`${h.slos.length} SLO${h.slos.length === 1 ? '' : 's'} within budget`);
  return parts.join(', ') || 'no health check, alarms or SLOs configured';
}
