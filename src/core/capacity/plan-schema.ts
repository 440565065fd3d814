/**
 * The capacity plan file (`relia capacity plan --plan FILE`): a YAML or JSON
 * document describing a workload, a cache/CDN, a fleet of tiers and regions,
 * and the headroom policies to size for. The zod schema below is the single
 * source of truth: it validates the file and generates
 * docs/schemas/capacity-plan.schema.json (`planJsonSchema`). Values with units
 * stay strings in the schema and are converted by `normalisePlan` with the
 * parsers of src/core/units.ts. Reference: docs/capacity-planning.md. Pure.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseBandwidth, parseDuration, parseFraction, parseRate } from '../units.js';
import { parseYamlInput, schemaProblems, throwProblems, type Problem } from '../validation.js';

export const PLAN_DOCS = 'docs/capacity-planning.md#plan-file';
export const PLAN_SCHEMA_ID = 'https://relia.dev/schemas/capacity-plan.schema.json';

/** Region traffic shares must add up to 1 within this. */
export const SHARE_TOLERANCE = 0.001;

export const TIERS = ['edge', 'origin'] as const;
export type TierName = (typeof TIERS)[number];

// ---------------------------------------------------------------- value parsers

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** Parse a size into bytes: `64KB`, `1.5MB`, `512KiB`, `2000B` (KB = 1000 B, KiB = 1024 B). */
export function parseSize(input: string | number, field = 'size'): number {
  const m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-zA-Z]+)$/.exec(String(input).trim());
  const unit = m ? SIZE_UNITS[(m[2] as string).toLowerCase()] : undefined;
  const bytes =
    // Stryker disable next-line LogicalOperator: equivalent, with no match unit is undefined, so m || unit !== undefined is false just like m && ...
    m &&
    // Stryker disable next-line ConditionalExpression: equivalent, an unknown unit multiplies by undefined, which gives NaN bytes, refused just like Number.NaN
    unit !== undefined
      ? Number(m[1]) * unit
      : Number.NaN;
  // A number is refused by the pattern itself: String(n) never ends in a unit letter (1e+21, Infinity and NaN included).
  if (!(Number.isFinite(bytes) && bytes > 0)) {
    throw new InputError(`${field}: expected a size above zero such as 64KB, 1.5MB or 512KiB, got ${JSON.stringify(input)}`, {
      field,
      suggestions: ['write it like 1.5MB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)'],
    });
  }
  return bytes;
}

function accepts(parse: (v: string) => unknown): (v: string) => boolean {
  return (v) => {
    try {
      parse(v);
      return true;
    }
    // Stryker disable next-line BlockStatement: equivalent, an empty catch returns undefined, which refine reads as false just like return false (here, not inside the try: Stryker reads only a leading comment of the catch)
    catch {
      return false;
    }
  };
}

// ---------------------------------------------------------------- schema

const RateSchema = (description: string) =>
  z
    .union([
      z.number({ error: 'expected a rate such as 7500/s' }).positive({ error: 'expected a rate above zero' }).meta({ description: 'Per second.' }),
      z
        .string()
        .regex(/^\s*\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*(?:\/\s*\S.*)?$/, { error: 'expected a rate such as 7500/s, 200/h or 100/30m' })
        .refine(
          // Stryker disable next-line StringLiteral: equivalent, the field name is only in parseRate's message, which accepts() discards
          accepts((v) => parseRate(v, 'rate', { allowBare: true })),
          { error: 'expected a rate such as 7500/s, 200/h or 100/30m' },
        ),
    ], { error: 'expected a rate such as 7500/s, 200/h or 100/30m' })
    .meta({ description });

const BandwidthSchema = (description: string) =>
  z
    .string({ error: 'expected a bandwidth such as 3.5Mbps or 40Gbps' })
    .regex(/^\s*\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*[kKmMgGtT]?[bB](?:[pP][sS]|\/[sS])\s*$/, { error: 'expected a bandwidth such as 3.5Mbps or 40Gbps (units bps, Kbps, Mbps, Gbps, Tbps)' })
    .refine(accepts((v) => parseBandwidth(v)), { error: 'expected a bandwidth above zero such as 3.5Mbps or 40Gbps (units bps, Kbps, Mbps, Gbps, Tbps)' })
    .meta({ description });

const FractionSchema = (description: string, opts: { positive?: boolean } = {}) =>
  z
    .union([
      z.number({ error: 'expected a fraction such as 0.95' }).min(0, { error: 'expected a fraction between 0 and 1' }).max(1, { error: 'expected a fraction between 0 and 1' }),
      z
        .string()
        .regex(/^\s*\d+(?:\.\d+)?(?:[eE]-?\d+)?\s*%?\s*$/, { error: 'expected a fraction such as 0.95 or a percentage such as 95%' })
        .refine(accepts((v) => parseFraction(v)), { error: 'expected a fraction such as 0.95 or a percentage such as 95%' }),
    ], { error: 'expected a fraction such as 0.95 or a percentage such as 95%' })
    // zod runs refinements even after a branch reported an issue: never throw from here
    .refine((v) => !opts.positive || !accepts((x) => parseFraction(x))(String(v)) || parseFraction(String(v)) > 0, { error: 'expected a fraction above 0' })
    .meta({ description });

const CountSchema = (description: string) =>
  z.number({ error: 'expected a number, e.g. 15000000' }).positive({ error: 'expected a number above zero' }).max(1e15, { error: 'expected at most 1e15' }).meta({ description });

const WorkloadSchema = z
  .strictObject({
    peakConcurrentSessions: CountSchema('Peak concurrent sessions (streams, connections). Give this, or arrivalRate with sessionDuration, or peakRequestRate.').optional(),
    arrivalRate: RateSchema("Session arrival rate at peak, e.g. 7500/s; with sessionDuration gives the concurrency by Little's law L = λW.").optional(),
    sessionDuration: z
      .string({ error: 'expected a duration such as 33m' })
      .regex(/^\s*(?:\d+(?:\.\d+)?(?:ms|sec|min|s|m|h|d|w|y))+\s*$/, { error: 'expected a duration above zero such as 180s, 33m or 2h' })
      .refine(accepts((v) => parseDuration(v)), { error: 'expected a duration above zero such as 180s, 33m or 2h' })
      .optional()
      .meta({ description: 'Mean session duration (W in L = λW), e.g. 33m.' }),
    peakRequestRate: RateSchema('Peak request rate of a request-driven service, e.g. 120000/s (instead of sessions).').optional(),
    bitratePerSession: BandwidthSchema('Per-session cost: delivered bitrate of one session, e.g. 3.5Mbps. Bandwidth = sessions × bitrate.').optional(),
    requestsPerSession: RateSchema('Requests each session makes per second, e.g. 0.5/s (a segment every 2 s). Request rate = sessions × this.').optional(),
    bytesPerRequest: z
      .string({ error: 'expected a size such as 64KB' })
      .regex(/^\s*\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*[kKmMgGtT]?[iI]?[bB]\s*$/, { error: 'expected a size above zero such as 64KB, 1.5MB or 512KiB' })
      .refine(accepts((v) => parseSize(v)), { error: 'expected a size above zero such as 64KB, 1.5MB or 512KiB' })
      .optional()
      .meta({ description: 'Per-request cost: mean response size, e.g. 64KB. Bandwidth = request rate × size × 8 (when bitratePerSession is not given).' }),
  })
  .meta({ id: 'CapacityWorkload', description: 'The peak workload and what one session or request costs.' });

const PerInstanceSchema = z
  .strictObject({
    bandwidth: BandwidthSchema('Bandwidth one instance serves at 100% utilisation, e.g. 40Gbps.').optional(),
    requests: RateSchema('Requests one instance serves per second at 100% utilisation, e.g. 50000/s.').optional(),
    sessions: CountSchema('Concurrent sessions one instance holds at 100% utilisation (edge tier only).').optional(),
  })
  .meta({ id: 'CapacityPerInstance', description: 'What one instance of the tier carries at 100% utilisation; give one or more. The tier needs enough instances for every dimension given.' });

const HpaMetricSchema = z
  .union([
    z.strictObject({ resource: z.enum(['cpu', 'memory'], { error: 'expected cpu or memory' }) }),
    z.strictObject({ pods: z.string({ error: 'expected a metric name' }).min(1), dimension: z.enum(['bandwidth', 'requests', 'sessions'], { error: 'expected bandwidth, requests or sessions' }) }),
  ], { error: 'expected {resource: cpu} or {pods: METRIC, dimension: bandwidth|requests|sessions}' })
  .meta({ description: 'The metric the emitted HPA scales on. Default {resource: cpu} (averageUtilization = targetUtilization). A Pods metric gets averageValue = perInstance[dimension] × targetUtilization.' });

const TierSchema = z
  .strictObject({
    perInstance: PerInstanceSchema,
    name: z.string().min(1).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a DNS-1123 name such as edge-cache' }).optional().meta({ description: 'Workload (Deployment / Auto Scaling group) name used by --emit. Default: <plan name>-<tier>.' }),
    hpaMetric: HpaMetricSchema.optional(),
  })
  .meta({ id: 'CapacityTier' });

const RegionSchema = z
  .strictObject({
    name: z.string({ error: 'expected a region name' }).min(1, { error: 'expected a region name' }).meta({ description: 'Region name, e.g. us-east-1.' }),
    share: FractionSchema('Fraction of the global peak this region serves; all shares add up to 1.', { positive: true }),
    zones: z.number({ error: 'expected a whole number of availability zones, e.g. 3' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected at least 1 zone' }).max(64).optional().meta({ description: 'Availability zones the region spreads instances over. Default 1.' }),
  })
  .meta({ id: 'CapacityRegion' });

const HeadroomSchema = z
  .strictObject({
    targetUtilization: FractionSchema('Utilisation to run at in normal peak operation (as HPA targets do), e.g. 0.7. Default 1 (no headroom).', { positive: true }).optional(),
    maxUtilization: FractionSchema('Highest utilisation allowed during a failure or a flash crowd. Default 1.', { positive: true }).optional(),
    nPlusOneZones: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'Survive the loss of one availability zone in every region: the other zones carry the region’s load. Needs zones ≥ 2.' }),
    surviveRegionLoss: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'Survive the loss of the largest region: its traffic moves to the others in proportion to their shares. Needs 2 or more regions.' }),
    flashCrowd: z
      .strictObject({
        multiplier: z.number({ error: 'expected a multiplier such as 10' }).min(1, { error: 'expected a multiplier of at least 1' }).max(1e6).meta({ description: 'Surge on the popular content, e.g. 10 for 10×.' }),
        popularFraction: FractionSchema('Fraction of peak demand that is on the popular content that surges. Default 1 (all of it).').optional(),
        tiers: z.array(z.enum(TIERS, { error: 'expected edge or origin' })).min(1).optional().meta({ description: 'Tiers the surge reaches. Default [edge]: popular content is served from cache.' }),
      })
      .optional()
      .meta({ description: 'A flash crowd: demand × (1 + popularFraction × (multiplier − 1)) on the listed tiers, sized at maxUtilization.' }),
  })
  .meta({ id: 'CapacityHeadroom', description: 'Headroom policies. Each failure or surge is sized on its own (one at a time); the largest need binds.' });

export const PlanSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Editor hint; ignored.' }),
    apiVersion: z.literal('relia/v1', { error: 'expected relia/v1' }).optional(),
    kind: z.literal('CapacityPlan', { error: 'expected CapacityPlan' }).optional(),
    name: z.string({ error: 'expected a plan name' }).min(1).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a lowercase name such as streaming (letters, digits, -)' }).meta({ description: 'Plan name (lowercase, digits, -).' }),
    description: z.string().optional(),
    workload: WorkloadSchema,
    cache: z
      .strictObject({
        hitRatio: FractionSchema('Fraction of bandwidth and requests served from the edge cache/CDN, e.g. 0.95. Default 0.'),
        edgeServes: z.enum(['hits', 'all'], { error: 'expected hits or all' }).optional().meta({ description: 'What the edge tier is sized for: hits (default; misses are origin traffic) or all traffic (edge servers also relay misses).' }),
      })
      .optional()
      .meta({ description: 'Cache / CDN in front of the origin.' }),
    tiers: z
      .strictObject({ edge: TierSchema.optional(), origin: TierSchema.optional() })
      .meta({ description: 'Fleets to size: edge (cache servers) and/or origin.' }),
    regions: z.array(RegionSchema, { error: 'expected a list of regions' }).min(1).max(100).optional().meta({ description: 'Regions and their traffic shares (sum 1). Default: one region "global", share 1, 1 zone.' }),
    headroom: HeadroomSchema.optional(),
  })
  .meta({ id: 'CapacityPlan', title: 'relia capacity plan', description: 'Workload, cache, fleet tiers, regions and headroom policies. Reference: docs/capacity-planning.md#plan-file.' });

export type PlanInput = z.output<typeof PlanSchema>;

/** JSON Schema (draft 2020-12) of the plan file, generated from the zod schema. */
export function planJsonSchema(): Record<string, unknown> {
  return { $id: PLAN_SCHEMA_ID, ...(z.toJSONSchema(PlanSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>) };
}

// ---------------------------------------------------------------- the normalised plan

export interface PerInstance {
  /** bits/s */
  bandwidthBps: number | null;
  /** requests/s */
  requestsPerSecond: number | null;
  sessions: number | null;
}

export type HpaMetric = { resource: 'cpu' | 'memory' } | { pods: string; dimension: 'bandwidth' | 'requests' | 'sessions' };

export interface TierSpec {
  tier: TierName;
  /** Workload name for --emit. */
  name: string;
  perInstance: PerInstance;
  hpaMetric: HpaMetric;
}

export interface RegionSpec {
  name: string;
  share: number;
  zones: number;
}

export interface FlashCrowd {
  multiplier: number;
  popularFraction: number;
  tiers: TierName[];
}

/** A validated plan in base units (per second, bits/s, bytes, seconds). */
export interface Plan {
  name: string;
  workload: {
    peakConcurrentSessions: number | null;
    arrivalRate: number | null;
    sessionDuration: number | null;
    peakRequestRate: number | null;
    bitratePerSession: number | null;
    requestsPerSession: number | null;
    bytesPerRequest: number | null;
  };
  cache: { hitRatio: number; edgeServes: 'hits' | 'all' };
  tiers: TierSpec[];
  regions: RegionSpec[];
  /** True when the file gave no regions (one implicit region). */
  implicitRegion: boolean;
  headroom: {
    targetUtilization: number | null;
    maxUtilization: number;
    nPlusOneZones: boolean;
    surviveRegionLoss: boolean;
    flashCrowd: FlashCrowd | null;
  };
}

// parseFraction(n) is n for every number the schema lets through: String(n) of n in [0, 1] is digits with an optional e-exponent, which its pattern reads back exactly.
const frac = (v: number | string | undefined): number | null => (v === undefined ? null : parseFraction(v));
// Stryker disable next-line StringLiteral: equivalent, the field name is only in parseRate's message, and the schema has already accepted every rate this parses
const rate = (v: number | string | undefined): number | null => (v === undefined ? null : parseRate(v, 'rate', { allowBare: true }));

/** Cross-field rules the schema cannot express, as problems with field paths and fixes. */
export function planProblems(p: PlanInput, file?: string): Problem[] {
  const out: Problem[] = [];
  const add = (path: string, message: string, suggestion: string) => out.push({ path, message, suggestion, ...(file !== undefined ? { file } : {}) });
  const w = p.workload;
  const forms = [w.peakConcurrentSessions !== undefined, w.arrivalRate !== undefined || w.sessionDuration !== undefined, w.peakRequestRate !== undefined].filter(Boolean).length;
  if (forms === 0) add('workload', 'no workload: give peakConcurrentSessions, or arrivalRate with sessionDuration, or peakRequestRate', 'e.g. workload: {peakConcurrentSessions: 15000000, bitratePerSession: 3.5Mbps}');
  if (forms > 1) add('workload', 'give exactly one workload form: peakConcurrentSessions, arrivalRate + sessionDuration, or peakRequestRate', 'keep one of them and remove the others');
  if ((w.arrivalRate === undefined) !== (w.sessionDuration === undefined)) {
    add(w.arrivalRate === undefined ? 'workload.arrivalRate' : 'workload.sessionDuration', "arrivalRate and sessionDuration go together (Little's law L = λW needs both)", 'e.g. arrivalRate: 7500/s and sessionDuration: 33m');
  }
  const sessionWorkload = w.peakConcurrentSessions !== undefined || w.arrivalRate !== undefined;
  if (w.peakRequestRate !== undefined) {
    if (w.bitratePerSession !== undefined) add('workload.bitratePerSession', 'a per-session bitrate needs a session workload, not peakRequestRate', 'use bytesPerRequest for request-driven services');
    if (w.requestsPerSession !== undefined) add('workload.requestsPerSession', 'requestsPerSession needs a session workload, not peakRequestRate', 'remove it; peakRequestRate is the request rate already');
  }
  if (w.bitratePerSession !== undefined && w.bytesPerRequest !== undefined) add('workload.bytesPerRequest', 'give one bandwidth cost: bitratePerSession or bytesPerRequest', 'remove one of them');
  const hasRequests = w.peakRequestRate !== undefined || (sessionWorkload && w.requestsPerSession !== undefined);
  const hasBandwidth = w.bitratePerSession !== undefined || (w.bytesPerRequest !== undefined && hasRequests);
  if (w.bytesPerRequest !== undefined && !hasRequests) add('workload.bytesPerRequest', 'bytesPerRequest needs a request rate', 'give peakRequestRate, or requestsPerSession with a session workload');

  const tiers = TIERS.filter((t) => p.tiers[t] !== undefined);
  if (tiers.length === 0) add('tiers', 'no tier to size', 'e.g. tiers: {edge: {perInstance: {bandwidth: 40Gbps}}}');
  for (const t of tiers) {
    const per = (p.tiers[t] as NonNullable<PlanInput['tiers']['edge']>).perInstance;
    const dims = [per.bandwidth, per.requests, per.sessions].filter((v) => v !== undefined).length;
    if (dims === 0) add(`tiers.${t}.perInstance`, 'no capacity given', 'give bandwidth (e.g. 40Gbps), requests (e.g. 50000/s) or sessions (e.g. 20000)');
    if (per.bandwidth !== undefined && !hasBandwidth) add(`tiers.${t}.perInstance.bandwidth`, 'the workload has no bandwidth to size on', 'add workload.bitratePerSession (or bytesPerRequest), or size on requests/sessions');
    if (per.requests !== undefined && !hasRequests) add(`tiers.${t}.perInstance.requests`, 'the workload has no request rate to size on', 'add workload.peakRequestRate or workload.requestsPerSession');
    if (per.sessions !== undefined) {
      if (t === 'origin') add(`tiers.origin.perInstance.sessions`, 'sessions terminate at the edge; the origin sees only cache misses', 'size the origin on bandwidth or requests');
      else if (!sessionWorkload) add(`tiers.${t}.perInstance.sessions`, 'the workload has no sessions to size on', 'give peakConcurrentSessions or arrivalRate + sessionDuration');
    }
    // Stryker disable next-line OptionalChaining: equivalent, t comes from TIERS filtered on p.tiers[t] !== undefined, so p.tiers[t] is always defined here
    const metric = p.tiers[t]?.hpaMetric;
    if (metric && 'pods' in metric && per[metric.dimension] === undefined) add(`tiers.${t}.hpaMetric.dimension`, `perInstance.${metric.dimension} is not given, so the Pods metric has no per-pod target`, `add tiers.${t}.perInstance.${metric.dimension} or choose another dimension`);
  }
  if (p.tiers.edge !== undefined && p.cache === undefined) add('cache', 'an edge tier needs the cache hit ratio', 'add cache: {hitRatio: 0.95} (or size only tiers.origin when there is no cache)');

  const regions = p.regions ?? [];
  const names = new Set<string>();
  regions.forEach((r, i) => {
    if (names.has(r.name)) add(`regions[${i}].name`, `duplicate region ${JSON.stringify(r.name)}`, 'give each region a unique name');
    names.add(r.name);
  });
  if (regions.length > 0) {
    const sum = regions.reduce((s, r) => s + (frac(r.share) ?? 0), 0);
    if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
      add('regions', `the region shares add up to ${Number(sum.toPrecision(6))}, not 1 (tolerance ±${SHARE_TOLERANCE})`, `scale the shares so they sum to 1, e.g. divide each by ${Number(sum.toPrecision(6))}`);
    }
  }
  const h = p.headroom ?? {};
  if (h.nPlusOneZones) {
    if (regions.length === 0) add('headroom.nPlusOneZones', 'N+1 per zone needs regions with 2 or more zones', 'add regions: [{name: ..., share: 1, zones: 3}]');
    regions.forEach((r, i) => {
      if ((r.zones ?? 1) < 2) add(`regions[${i}].zones`, `N+1 per zone needs at least 2 zones in region ${r.name}`, 'set zones: 2 or more, or turn off headroom.nPlusOneZones');
    });
  }
  if (h.surviveRegionLoss && regions.length < 2) add('headroom.surviveRegionLoss', 'surviving a region loss needs 2 or more regions', 'add regions, or turn off headroom.surviveRegionLoss');
  const target = frac(h.targetUtilization);
  const max = frac(h.maxUtilization);
  if (
    max !== null &&
    // Stryker disable next-line ConditionalExpression: equivalent, a null target compares as 0, never above a max, which is above 0
    target !== null &&
    target > max
  )
    add('headroom.targetUtilization', `targetUtilization ${target} is above maxUtilization ${max}`, 'targetUtilization must be at most maxUtilization, e.g. 0.7 and 1');
  return out;
}

/** Convert a schema-valid plan (that passed planProblems) to base units. */
export function normalisePlan(p: PlanInput): Plan {
  const w = p.workload;
  const tiers: TierSpec[] = TIERS.filter((t) => p.tiers[t] !== undefined).map((t) => {
    const spec = p.tiers[t] as NonNullable<PlanInput['tiers']['edge']>;
    return {
      tier: t,
      name: spec.name ?? `${p.name}-${t}`,
      perInstance: {
        bandwidthBps: spec.perInstance.bandwidth === undefined ? null : parseBandwidth(spec.perInstance.bandwidth),
        requestsPerSecond: rate(spec.perInstance.requests),
        sessions: spec.perInstance.sessions ?? null,
      },
      hpaMetric: spec.hpaMetric ?? { resource: 'cpu' },
    };
  });
  const h = p.headroom ?? {};
  return {
    name: p.name,
    workload: {
      peakConcurrentSessions: w.peakConcurrentSessions ?? null,
      arrivalRate: rate(w.arrivalRate),
      sessionDuration: w.sessionDuration === undefined ? null : parseDuration(w.sessionDuration),
      peakRequestRate: rate(w.peakRequestRate),
      bitratePerSession: w.bitratePerSession === undefined ? null : parseBandwidth(w.bitratePerSession),
      requestsPerSession: rate(w.requestsPerSession),
      bytesPerRequest: w.bytesPerRequest === undefined ? null : parseSize(w.bytesPerRequest),
    },
    cache: { hitRatio: frac(p.cache?.hitRatio) ?? 0, edgeServes: p.cache?.edgeServes ?? 'hits' },
    tiers,
    regions: (p.regions ?? [{ name: 'global', share: 1, zones: 1 }]).map((r) => ({ name: r.name, share: frac(r.share) as number, zones: r.zones ?? 1 })),
    implicitRegion: p.regions === undefined,
    headroom: {
      targetUtilization: frac(h.targetUtilization),
      maxUtilization: frac(h.maxUtilization) ?? 1,
      nPlusOneZones: h.nPlusOneZones ?? false,
      surviveRegionLoss: h.surviveRegionLoss ?? false,
      flashCrowd: h.flashCrowd ? { multiplier: h.flashCrowd.multiplier, popularFraction: frac(h.flashCrowd.popularFraction) ?? 1, tiers: [...new Set<TierName>(h.flashCrowd.tiers ?? ['edge'])] } : null,
    },
  };
}

/** Validate plan data (already parsed from YAML/JSON): InputError (exit 2) naming every bad field and its fix. */
export function validatePlan(data: unknown, file?: string): Plan {
  const result = PlanSchema.safeParse(data, { reportInput: true });
  const hint = `see ${PLAN_DOCS} for the plan fields`;
  if (!result.success) throwProblems(schemaProblems(result.error, file), hint);
  const problems = planProblems(result.data, file);
  if (problems.length > 0) throwProblems(problems, hint);
  return normalisePlan(result.data);
}

/** Parse a plan file (YAML or JSON text). */
export function parsePlan(text: string, file: string): Plan {
  const data = parseYamlInput(text, { file, field: '--plan', docs: PLAN_DOCS });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`${file}: expected a mapping with name, workload, tiers, ... got ${Array.isArray(data) ? 'a list' : JSON.stringify(data ?? null)}`, {
      file,
      field: '--plan',
      suggestions: ['start from docs/examples/capacity/streaming-plan.yaml', `see ${PLAN_DOCS}`],
    });
  }
  return validatePlan(data, file);
}
