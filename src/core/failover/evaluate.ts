/**
 * `relia failover evaluate`: what ARC Region switch's plan evaluation does,
 * runnable from cron or CI. Every zone, record set, health check, alarm, ASG
 * and deployment the plan names exists and is readable; every region can be
 * scaled (a dry run where the API has one); and for every ordered pair of
 * regions the target could absorb the source (its ASG max is at least
 * ceil(percentToMatch × source InService)) — the drift check. A stale lock is
 * a problem; a freeze is reported. Nothing is changed. Pure: I/O via ports.
 */
import { ExitCode, ReliaError } from '../errors.js';
import { pairEntries, readCapacity, type CapacityState } from './capacity.js';
import { readFreeze, readLock, regionHealth, resolveTarget } from './inspect.js';
import { describeLock } from './lock.js';
import type { FailoverPlan } from './plan-schema.js';
import type { FailoverPorts } from './ports.js';
import { byRegion } from './preview.js';

export interface EvaluationCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Evaluation {
  plan: string;
  /** Weights now by region (null when the record set could not be read). */
  weights: Record<string, number> | null;
  checks: EvaluationCheck[];
  problems: string[];
  ok: boolean;
}

function why(error: unknown): string {
  return ReliaError.is(error) || error instanceof Error ? error.message : String(error);
}

export async function evaluatePlan(plan: FailoverPlan, ports: FailoverPorts, options: { sloProblems?: string[] } = {}): Promise<Evaluation> {
  const checks: EvaluationCheck[] = [];
  const check = async (name: string, fn: () => Promise<string>): Promise<void> => {
    try {
      checks.push({ name, ok: true, detail: await fn() });
    } catch (error) {
      checks.push({ name, ok: false, detail: why(error) });
    }
  };
  let weights: Record<string, number> | null = null;
  let unreachable: ReliaError | null = null;
  let zoneId: string | null = null;
  await check('record set', async () => {
    let t;
    try {
      t = await resolveTarget(plan, ports);
    } catch (error) {
      // The Route 53 control plane itself unreachable: exit 3, not a plan problem.
      if (ReliaError.is(error) && error.exitCode === ExitCode.Dependency) unreachable = error;
      throw error;
    }
    weights = byRegion(t.weights, t);
    zoneId = t.zoneId;
    return `${plan.record} ${plan.type} in ${t.zoneName} (${t.zoneId}): ${Object.entries(weights).map(([r, w]) => `${r}=${w}`).join(' ')}`;
  });
  if (unreachable) throw unreachable;
  if (zoneId !== null) {
    const z = zoneId;
    await check('lock', async () => {
      const lock = await readLock(ports, z, plan.record);
      if (!lock) return 'free';
      const now = ports.clock.now();
      if (!lock.info) throw new Error(`an unreadable lock record exists: ${JSON.stringify(lock.record.values)}`);
      if (lock.info.expires <= now) throw new Error(`stale lock: ${describeLock(lock.info, now)}; break it with apply --break-lock once that operation is known to be gone`);
      return `an operation is in progress: ${describeLock(lock.info, now)}`;
    });
    await check('freeze', async () => {
      const f = await readFreeze(ports, z, plan.record);
      return f ? `frozen by ${f.info.by}: ${f.info.reason} (apply is blocked)` : 'not frozen';
    });
  }
  const capacity = new Map<string, CapacityState>();
  for (const region of Object.values(plan.regions)) {
    const { healthCheck, ...withoutCheck } = region;
    if (healthCheck !== undefined) {
      await check(`${region.name} health check`, async () => {
        const h = await regionHealth(
          plan,
          { ...withoutCheck, healthCheck, alarms: [] },
          ports,
          ports.clock.now(),
          // Stryker disable next-line ObjectLiteral: equivalent, {} leaves slos undefined, which regionHealth reads as false
          { slos: false },
        );
        // Stryker disable next-line OptionalChaining: equivalent, regionHealth returns the status of a region's health check, or throws
        return `${healthCheck} ${h.healthCheck?.healthy ? 'healthy' : 'UNHEALTHY'} (${h.healthCheck?.healthyCheckers}/${h.healthCheck?.checkers} checkers)`;
      });
    }
    if (region.alarms.length > 0) {
      await check(`${region.name} alarms`, async () => {
        // Stryker disable next-line ObjectLiteral: equivalent, {} leaves slos undefined, which regionHealth reads as false
        const h = await regionHealth(plan, withoutCheck, ports, ports.clock.now(), { slos: false });
        return h.alarms.map((a) => `${a.name} ${a.state}`).join(', ');
      });
    }
    for (const ref of region.capacity) {
      await check(`${region.name} ${ref.kind} ${ref.name}`, async () => {
        const state = await readCapacity(plan, ref, ports);
        capacity.set(ref.field, state);
        const opts = { dryRun: true, ...(ports.signal ? { signal: ports.signal } : {}) };
        if (ref.kind === 'asg') {
          // Stryker disable next-line OptionalChaining: equivalent, readCapacity above needs the same port and throws without it
          await ports.compute?.setDesiredCapacity(ref.region, ref.name, state.desired, opts);
        } else {
          // Stryker disable next-line OptionalChaining: equivalent, readCapacity above needs the same cluster port and throws without it
          await (await ports.cluster?.(ref.context))?.setScale({ kind: 'deployment', namespace: ref.namespace, name: ref.name }, state.desired, opts);
        }
        return `desired ${state.desired}, ${state.ready} ${ref.kind === 'asg' ? 'InService' : 'ready'}${state.max !== null ? `, max ${state.max}` : ''}; scaling permitted (dry run)`;
      });
    }
  }
  if (plan.capacity.plan === undefined) {
    const names = Object.keys(plan.regions);
    for (const from of names) {
      for (const to of names) {
        if (from === to) continue;
        let pairs: ReturnType<typeof pairEntries>;
        try {
          pairs = pairEntries(plan, from, to);
        } catch (error) {
          checks.push({ name: `${from} → ${to} capacity`, ok: false, detail: why(error) });
          continue;
        }
        for (const p of pairs) {
          const t = capacity.get(p.target.field);
          const s = p.source ? capacity.get(p.source.field) : undefined;
          if (!t || !s || t.max === null) continue;
          const need = Math.ceil((plan.capacity.percentToMatch * s.ready) / 100 - 1e-9);
          checks.push({ name: `${from} → ${to} ${p.target.name}`, ok: need <= t.max, detail: need <= t.max ? `can take ${need} (max ${t.max})` : `needs ${need} to match ${from} but max size is ${t.max}: raise it before a failover` });
        }
      }
    }
  }
  for (const p of options.sloProblems ?? []) checks.push({ name: 'SLO specs', ok: false, detail: p });
  const problems = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  return { plan: plan.name, weights, checks, problems, ok: problems.length === 0 };
}
