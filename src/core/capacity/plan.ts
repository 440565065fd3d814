/**
 * Fleet and bandwidth planning: from a validated plan (plan-schema.ts) to the
 * instances each tier needs in each region under every headroom policy, with
 * the binding policy and every assumption spelled out. Pure, deterministic.
 *
 * The model (docs/capacity-planning.md#model):
 *   sessions    S = peakConcurrentSessions, or λ·W (Little 1961, L = λW)
 *   requests    R = peakRequestRate, or S · requestsPerSession
 *   bandwidth   B = S · bitratePerSession, or R · bytesPerRequest · 8
 *   edge        h·B (h·R) when the edge serves hits (default), B (R) when it serves all; S sessions
 *   origin      (1 − h)·B, (1 − h)·R
 *   region r    its share s_r of each
 *   instances   max over capacity dimensions of ⌈demand / (perInstance · utilisation)⌉
 * Policies, each sized on its own (one failure or surge at a time); the largest binds:
 *   peak / target-utilization   region demand at targetUtilization (1 when not set)
 *   n-plus-one-zone             z zones: every zone holds ⌈demand / ((z − 1) · cap · u_max)⌉ instances
 *   region-loss                 demand · 1 / (1 − s_o), s_o the largest other region's share, at u_max
 *   flash-crowd                 demand · (1 + p·(m − 1)) on the surge's tiers, at u_max
 */
import { formatBandwidth } from '../units.js';
import type { Plan, PerInstance, RegionSpec, TierName, TierSpec } from './plan-schema.js';

export type PolicyName = 'peak' | 'target-utilization' | 'n-plus-one-zone' | 'region-loss' | 'flash-crowd';
export type Dimension = 'bandwidth' | 'requests' | 'sessions';

/** A demand vector; null where the workload has no such dimension. */
export interface Demand {
  bandwidthBps: number | null;
  requestsPerSecond: number | null;
  sessions: number | null;
}

export interface Scenario {
  policy: PolicyName;
  /** What the scenario assumes, in words. */
  description: string;
  /** Region demand multiplier of this scenario (1 for peak). */
  demandFactor: number;
  /** Utilisation the instances may run at in this scenario. */
  utilization: number;
  demand: Demand;
  instances: number;
  /** Capacity dimension that needs the most instances; null when there is no demand. */
  dimension: Dimension | null;
}

export interface RegionTierPlan {
  tier: TierName;
  /** max over scenarios */
  instances: number;
  /** Instances per zone, spread evenly: ⌈instances / zones⌉. */
  perZone: number;
  /** The policy that needs the most instances (first in scenario order on ties). */
  binding: PolicyName;
  /** Instances of the peak / target-utilization scenario (the steady-state need). */
  steadyInstances: number;
  scenarios: Scenario[];
}

export interface RegionPlan {
  name: string;
  share: number;
  zones: number;
  /** Region peak: total, at the edge and to the origin. */
  demand: { totalBps: number | null; edgeBps: number | null; originBps: number | null; requestsPerSecond: number | null; sessions: number | null };
  tiers: RegionTierPlan[];
}

export interface TierTotal {
  tier: TierName;
  name: string;
  perInstance: PerInstance;
  instances: number;
  steadyInstances: number;
  /** Policies binding in at least one region, most frequent first. */
  binding: PolicyName[];
}

export interface PlanReport {
  name: string;
  workload: {
    concurrentSessions: number | null;
    /** given | littles-law | null (a request workload) */
    sessionsFrom: 'given' | 'littles-law' | null;
    arrivalRate: number | null;
    sessionDuration: number | null;
    requestRate: number | null;
    bitratePerSession: number | null;
    bytesPerRequest: number | null;
  };
  cache: { hitRatio: number; edgeServes: 'hits' | 'all' };
  /** Global peak demand. */
  demand: { totalBps: number | null; edgeBps: number | null; originBps: number | null; requestsPerSecond: number | null; edgeRequestsPerSecond: number | null; originRequestsPerSecond: number | null; sessions: number | null };
  headroom: {
    targetUtilization: number | null;
    maxUtilization: number;
    nPlusOneZones: boolean;
    surviveRegionLoss: boolean;
    flashCrowd: { multiplier: number; popularFraction: number; tiers: TierName[]; demandFactor: number } | null;
  };
  tiers: TierTotal[];
  regions: RegionPlan[];
  /** Every assumption and derived figure, one line each, in the order they are used. */
  assumptions: string[];
}

/**
 * ⌈x⌉ that ignores floating-point dust: 49875e9 / 40e9 may come out as
 * 1246.8750000000002, and 1000·(1 + 1e-16) must stay 1000. Subtracting a relative
 * 1e-9 keeps the function monotone in x.
 */
export function ceilSafe(x: number): number {
  if (!(x > 0)) return 0;
  return Math.ceil(x - x * 1e-9);
}

/** Thousands separated: 1234567.8 → `1,234,568` (1e6 and above rounded to whole numbers), 1234.5678 → `1,234.57` (6 significant figures). */
export function grouped(n: number): string {
  // Infinity, -Infinity and NaN need no guard: they come out below as String(n) does.
  const rounded = Math.abs(n) >= 1e6 ? Math.round(n) : Number(n.toPrecision(6));
  const [int, dec] = String(Math.abs(rounded)).split('.');
  const withCommas = (int as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${withCommas}${dec ? `.${dec}` : ''}`;
}

const gbps = (bps: number): string => `${grouped(bps / 1e9)} Gbps`;
const scale = (d: Demand, f: number): Demand => ({
  bandwidthBps: d.bandwidthBps === null ? null : d.bandwidthBps * f,
  requestsPerSecond: d.requestsPerSecond === null ? null : d.requestsPerSecond * f,
  sessions: d.sessions === null ? null : d.sessions * f,
});

/** Instances for a demand at a utilisation: the most any capacity dimension needs. */
export function instancesFor(demand: Demand, per: PerInstance, utilization: number): { instances: number; dimension: Dimension | null } {
  const dims: Array<[Dimension, number | null, number | null]> = [
    ['bandwidth', demand.bandwidthBps, per.bandwidthBps],
    ['requests', demand.requestsPerSecond, per.requestsPerSecond],
    ['sessions', demand.sessions, per.sessions],
  ];
  let best: { instances: number; dimension: Dimension | null } = { instances: 0, dimension: null };
  for (const [dim, d, cap] of dims) {
    if (
      cap === null ||
      // Stryker disable next-line ConditionalExpression: equivalent, null > 0 is false, so !(d > 0) skips a null demand too (the test is there to narrow d's type)
      d === null ||
      !(d > 0)
    )
      continue;
    const n = ceilSafe(d / (cap * utilization));
    if (best.dimension === null || n > best.instances) best = { instances: n, dimension: dim };
  }
  return best;
}

interface GlobalDemand {
  sessions: number | null;
  requests: number | null;
  bandwidth: number | null;
}

function globalDemand(plan: Plan): GlobalDemand {
  const w = plan.workload;
  const sessions =
    w.peakConcurrentSessions ??
    // Stryker disable next-line LogicalOperator: equivalent, planProblems refuses arrivalRate without sessionDuration and the reverse, so both are null or neither is
    (w.arrivalRate !== null &&
    // Stryker disable next-line ConditionalExpression: equivalent, by the same rule sessionDuration is given whenever arrivalRate is
    w.sessionDuration !== null
      ? w.arrivalRate * w.sessionDuration
      : null);
  const requests =
    w.peakRequestRate ??
    (w.requestsPerSession !== null &&
    // Stryker disable next-line ConditionalExpression: equivalent, with no peakRequestRate planProblems requires a session workload, so sessions is never null here
    sessions !== null
      ? sessions * w.requestsPerSession
      : null);
  const bandwidth =
    w.bitratePerSession !== null &&
    // Stryker disable next-line ConditionalExpression: equivalent, planProblems refuses bitratePerSession without a session workload
    sessions !== null
      ? sessions * w.bitratePerSession
      : w.bytesPerRequest !== null &&
          // Stryker disable next-line ConditionalExpression: equivalent, planProblems refuses bytesPerRequest without a request rate
          requests !== null
        ? requests * w.bytesPerRequest * 8
        : null;
  return { sessions, requests, bandwidth };
}

/** The fraction of bandwidth/requests a tier carries. */
function tierFraction(plan: Plan, tier: TierName): number {
  const h = plan.cache.hitRatio;
  if (tier === 'origin') return 1 - h;
  return plan.cache.edgeServes === 'hits' ? h : 1;
}

function tierDemand(plan: Plan, g: GlobalDemand, tier: TierName): Demand {
  const f = tierFraction(plan, tier);
  return {
    bandwidthBps: g.bandwidth === null ? null : g.bandwidth * f,
    requestsPerSecond: g.requests === null ? null : g.requests * f,
    sessions: tier === 'edge' ? g.sessions : null,
  };
}

export function flashCrowdFactor(fc: { multiplier: number; popularFraction: number }): number {
  return 1 + fc.popularFraction * (fc.multiplier - 1);
}

function largestOther(regions: RegionSpec[], r: RegionSpec): RegionSpec {
  let best: RegionSpec | undefined;
  for (const q of regions) if (q !== r && (best === undefined || q.share > best.share)) best = q;
  return best as RegionSpec;
}

function scenariosFor(plan: Plan, tier: TierSpec, region: RegionSpec, base: Demand): Scenario[] {
  const h = plan.headroom;
  const per = tier.perInstance;
  const out: Scenario[] = [];
  const push = (policy: PolicyName, description: string, factor: number, utilization: number, instances: { instances: number; dimension: Dimension | null }) =>
    out.push({ policy, description, demandFactor: factor, utilization, demand: scale(base, factor), ...instances });

  const target = h.targetUtilization ?? 1;
  push(
    h.targetUtilization === null ? 'peak' : 'target-utilization',
    `peak demand at ${pctText(target)} utilisation`, // with no target, target is 1: 'peak demand at 100% utilisation'
    1,
    target,
    instancesFor(base, per, target),
  );
  if (
    h.nPlusOneZones &&
    // Stryker disable next-line ConditionalExpression: equivalent, planProblems refuses nPlusOneZones unless every region has zones >= 2, so this is true whenever it is read
    region.zones >= 2
  ) {
    const z = region.zones;
    const perZone = instancesFor(scale(base, 1 / (z - 1)), per, h.maxUtilization);
    push('n-plus-one-zone', `one of ${z} zones lost: ${z - 1} zones carry the region at ≤ ${pctText(h.maxUtilization)}`, 1, h.maxUtilization, { instances: perZone.instances * z, dimension: perZone.dimension });
  }
  if (
    h.surviveRegionLoss &&
    // Stryker disable next-line ConditionalExpression: equivalent, planProblems refuses surviveRegionLoss with fewer than 2 regions, so this is true whenever it is read
    plan.regions.length >= 2
  ) {
    const lost = largestOther(plan.regions, region);
    const factor = 1 / (1 - lost.share);
    push('region-loss', `region ${lost.name} (share ${grouped(lost.share)}) lost: this region takes share ${grouped(region.share * factor)} at ≤ ${pctText(h.maxUtilization)}`, factor, h.maxUtilization, instancesFor(scale(base, factor), per, h.maxUtilization));
  }
  if (h.flashCrowd && h.flashCrowd.tiers.includes(tier.tier)) {
    const f = flashCrowdFactor(h.flashCrowd);
    push('flash-crowd', `${h.flashCrowd.multiplier}× on ${pctText(h.flashCrowd.popularFraction)} of demand = ${grouped(f)}× at ≤ ${pctText(h.maxUtilization)}`, f, h.maxUtilization, instancesFor(scale(base, f), per, h.maxUtilization));
  }
  return out;
}

function pctText(f: number): string {
  return `${Number((f * 100).toPrecision(6))}%`;
}

function describePer(per: PerInstance): string {
  const parts: string[] = [];
  if (per.bandwidthBps !== null) parts.push(formatBandwidth(per.bandwidthBps));
  if (per.requestsPerSecond !== null) parts.push(`${grouped(per.requestsPerSecond)} req/s`);
  if (per.sessions !== null) parts.push(`${grouped(per.sessions)} sessions`);
  return parts.join(', ');
}

function assumptionsOf(plan: Plan, g: GlobalDemand): string[] {
  const w = plan.workload;
  const a: string[] = [];
  if (w.peakConcurrentSessions !== null) a.push(`peak concurrent sessions: ${grouped(w.peakConcurrentSessions)} (given)`);
  else if (g.sessions !== null) {
    a.push(`peak concurrent sessions: L = λW = ${grouped(w.arrivalRate as number)}/s × ${grouped(w.sessionDuration as number)} s = ${grouped(g.sessions)} (Little's law)`);
  }
  if (w.peakRequestRate !== null) a.push(`peak request rate: ${grouped(w.peakRequestRate)} req/s (given)`);
  else if (g.requests !== null) a.push(`peak request rate: ${grouped(g.sessions as number)} sessions × ${grouped(w.requestsPerSession as number)} req/s = ${grouped(g.requests)} req/s`);
  if (g.bandwidth !== null) {
    if (w.bitratePerSession !== null) a.push(`peak bandwidth: ${grouped(g.sessions as number)} sessions × ${formatBandwidth(w.bitratePerSession)} = ${gbps(g.bandwidth)}`);
    else a.push(`peak bandwidth: ${grouped(g.requests as number)} req/s × ${grouped(w.bytesPerRequest as number)} B × 8 = ${gbps(g.bandwidth)}`);
  }
  const hr = plan.cache.hitRatio;
  const hasEdge = plan.tiers.some((t) => t.tier === 'edge');
  if (!hasEdge && hr === 0) a.push('no cache in front: the origin carries all traffic');
  else if (g.bandwidth !== null) {
    const edge = plan.cache.edgeServes === 'hits' ? `edge bandwidth (hits) = ${gbps(g.bandwidth)} × ${hr} = ${gbps(g.bandwidth * hr)}` : `edge bandwidth (all traffic) = ${gbps(g.bandwidth)}`;
    a.push(`cache hit ratio ${pctText(hr)}: origin bandwidth = ${gbps(g.bandwidth)} × (1 − ${hr}) = ${gbps(g.bandwidth * (1 - hr))}; ${edge}`);
  } else {
    a.push(`cache hit ratio ${pctText(hr)}: the origin gets ${pctText(1 - hr)} of requests`);
  }
  if (hasEdge) a.push(plan.cache.edgeServes === 'hits' ? 'the edge tier is sized for cache hits; misses are sized at the origin' : 'the edge tier is sized for all traffic (it also relays misses)');
  for (const t of plan.tiers) a.push(`${t.tier} instance capacity at 100% utilisation: ${describePer(t.perInstance)}`);
  if (!plan.implicitRegion) a.push(`regions: ${plan.regions.map((r) => `${r.name} ${pctText(r.share)} over ${r.zones} zone${r.zones === 1 ? '' : 's'}`).join('; ')}`);
  else a.push('one region (global), one zone');
  const h = plan.headroom;
  a.push(h.targetUtilization === null ? 'no target utilisation: instances may run at 100% at peak' : `target utilisation ${pctText(h.targetUtilization)} at peak`);
  if (h.nPlusOneZones || h.surviveRegionLoss || h.flashCrowd) a.push(`failures and flash crowds may run instances at up to ${pctText(h.maxUtilization)} (maxUtilization); one event at a time`);
  if (h.nPlusOneZones) a.push('N+1 per zone: losing any one zone leaves enough instances in the others (instances spread evenly over zones)');
  if (h.surviveRegionLoss) a.push("region loss: a lost region's traffic spreads over the rest in proportion to their shares; each region is sized for the loss of the largest other region");
  if (h.flashCrowd) {
    a.push(`flash crowd: ${h.flashCrowd.multiplier}× on the popular ${pctText(h.flashCrowd.popularFraction)} of demand → demand × ${grouped(flashCrowdFactor(h.flashCrowd))} on tier${h.flashCrowd.tiers.length > 1 ? 's' : ''} ${h.flashCrowd.tiers.join(', ')}`);
  }
  a.push('instances = ⌈demand / (per-instance capacity × utilisation)⌉, the largest over the capacity dimensions given');
  return a;
}

function bindingOrder(regions: RegionPlan[], tier: TierName): PolicyName[] {
  const counts = new Map<PolicyName, number>();
  for (const r of regions) {
    // every region sizes every tier of the plan (computePlan maps plan.tiers in each), so find always hits
    const t = r.tiers.find((x) => x.tier === tier) as RegionTierPlan;
    counts.set(t.binding, (counts.get(t.binding) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([p]) => p);
}

/** Size every tier in every region. */
export function computePlan(plan: Plan): PlanReport {
  const g = globalDemand(plan);
  const hr = plan.cache.hitRatio;
  // Stryker disable next-line StringLiteral: equivalent, tierFraction treats every tier but 'origin' as the edge
  const edgeF = tierFraction(plan, 'edge');
  const mul = (x: number | null, f: number) => (x === null ? null : x * f);
  const regions: RegionPlan[] = plan.regions.map((region) => {
    const tiers = plan.tiers.map((tier): RegionTierPlan => {
      const base = scale(tierDemand(plan, g, tier.tier), region.share);
      const scenarios = scenariosFor(plan, tier, region, base);
      let best = scenarios[0] as Scenario;
      for (const s of scenarios) if (s.instances > best.instances) best = s;
      return {
        tier: tier.tier,
        instances: best.instances,
        perZone: Math.ceil(best.instances / region.zones),
        binding: best.policy,
        steadyInstances: (scenarios[0] as Scenario).instances,
        scenarios,
      };
    });
    return {
      name: region.name,
      share: region.share,
      zones: region.zones,
      demand: {
        totalBps: mul(g.bandwidth, region.share),
        edgeBps: mul(g.bandwidth, region.share * edgeF),
        originBps: mul(g.bandwidth, region.share * (1 - hr)),
        requestsPerSecond: mul(g.requests, region.share),
        sessions: mul(g.sessions, region.share),
      },
      tiers,
    };
  });
  const tiers: TierTotal[] = plan.tiers.map((t) => {
    let instances = 0;
    let steady = 0;
    for (const r of regions) {
      const rt = r.tiers.find((x) => x.tier === t.tier) as RegionTierPlan;
      instances += rt.instances;
      steady += rt.steadyInstances;
    }
    return { tier: t.tier, name: t.name, perInstance: t.perInstance, instances, steadyInstances: steady, binding: bindingOrder(regions, t.tier) };
  });
  const h = plan.headroom;
  return {
    name: plan.name,
    workload: {
      concurrentSessions: g.sessions,
      sessionsFrom: plan.workload.peakConcurrentSessions !== null ? 'given' : g.sessions !== null ? 'littles-law' : null,
      arrivalRate: plan.workload.arrivalRate,
      sessionDuration: plan.workload.sessionDuration,
      requestRate: g.requests,
      bitratePerSession: plan.workload.bitratePerSession,
      bytesPerRequest: plan.workload.bytesPerRequest,
    },
    cache: { ...plan.cache },
    demand: {
      totalBps: g.bandwidth,
      edgeBps: mul(g.bandwidth, edgeF),
      originBps: mul(g.bandwidth, 1 - hr),
      requestsPerSecond: g.requests,
      edgeRequestsPerSecond: mul(g.requests, edgeF),
      originRequestsPerSecond: mul(g.requests, 1 - hr),
      sessions: g.sessions,
    },
    headroom: {
      targetUtilization: h.targetUtilization,
      maxUtilization: h.maxUtilization,
      nPlusOneZones: h.nPlusOneZones,
      surviveRegionLoss: h.surviveRegionLoss,
      flashCrowd: h.flashCrowd ? { ...h.flashCrowd, tiers: [...h.flashCrowd.tiers], demandFactor: flashCrowdFactor(h.flashCrowd) } : null,
    },
    tiers,
    regions,
    assumptions: assumptionsOf(plan, g),
  };
}
