/**
 * The failover plan file (`relia failover * --plan FILE`): which weighted
 * Route 53 record set carries the traffic, the regions behind it (set
 * identifier, health check, alarms, capacity to pre-scale, SLOs), the steps,
 * the bake time and the safety rules. zod is the source of truth; the JSON
 * Schema in docs/schemas/failover-plan.schema.json is generated from it
 * (`failoverPlanJsonSchema`). Pure. Reference: docs/failover.md#plan-file.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseDuration } from '../units.js';
import { parseYamlInput, schemaProblems, throwProblems, type Problem } from '../validation.js';

export const FAILOVER_PLAN_DOCS = 'docs/failover.md#plan-file';
export const FAILOVER_PLAN_SCHEMA_ID = 'https://relia.dev/schemas/failover-plan.schema.json';

/** Finite, and above zero unless `allowZero`. */
function durationOk(v: string, allowZero: boolean): boolean {
  let ok = true;
  try {
    // Stryker disable next-line StringLiteral: equivalent, the field name is only in parseDuration's message, which is discarded here
    parseDuration(v, 'duration', { allowZero });
  } catch {
    ok = false;
  }
  return ok;
}

/** A duration field; only `bake` may be 0s (one guard sample), so a zero elsewhere is refused here, naming the file and field. */
const Duration = (description: string, allowZero = false) =>
  z
    .string({ error: 'expected a duration such as 0s, 30s, 5m or 1h' })
    .regex(/^(?:\d+(?:ms|s|m|h|d))+$/, { error: 'expected a duration such as 0s, 30s, 5m or 1h (units ms, s, m, h, d)', abort: true })
    .refine((v) => durationOk(v, allowZero), { error: allowZero ? 'expected a duration such as 0s, 30s, 5m or 1h' : 'expected a duration above zero such as 30s, 5m or 1h' })
    .meta({ description });

const Name = (what: string) => z.string({ error: `expected ${what} (a string)` }).min(1, { error: `expected ${what}` });

const Percent = (description: string) =>
  z.number({ error: 'expected a percentage such as 50' }).gt(0, { error: 'expected a percentage above 0' }).max(100, { error: 'expected a percentage of at most 100' }).meta({ description });

const AsgCapacity = z
  .strictObject({
    asg: Name('an Auto Scaling group name').meta({ description: 'Auto Scaling group name.' }),
    region: Name('an AWS region').optional().meta({ description: 'AWS region of the group (default: the plan region key).' }),
    tier: Name('a capacity-plan tier').optional().meta({ description: 'With capacity.plan: the tier of the capacity plan that sizes this group (e.g. origin).' }),
  })
  .meta({ id: 'FailoverAsgCapacity', description: 'An Auto Scaling group scaled in the target before traffic moves.' });

const DeploymentCapacity = z
  .strictObject({
    kubernetes: z
      .strictObject({
        context: Name('a kubeconfig context').optional().meta({ description: 'kubeconfig context (default: the current one).' }),
        namespace: Name('a namespace').meta({ description: 'Namespace of the deployment.' }),
        deployment: Name('a deployment name').meta({ description: 'Deployment name.' }),
      })
      .meta({ description: 'A Kubernetes deployment scaled in the target before traffic moves.' }),
    tier: Name('a capacity-plan tier').optional().meta({ description: 'With capacity.plan: the tier of the capacity plan that sizes this deployment.' }),
  })
  .meta({ id: 'FailoverDeploymentCapacity' });

const RegionSchema = z
  .strictObject({
    setIdentifier: Name('the set identifier of the weighted record').meta({ description: 'SetIdentifier of this region’s weighted record.' }),
    healthCheck: Name('a Route 53 health check id').optional().meta({ description: 'Route 53 health check id that must be healthy before and while this region takes traffic.' }),
    alarms: z.array(Name('an alarm name'), { error: 'expected a list of alarm names' }).optional().meta({ description: 'CloudWatch alarms (in this region) that must be OK.' }),
    alarmRegion: Name('an AWS region').optional().meta({ description: 'Region of the alarms (default: the plan region key).' }),
    capacity: z.array(z.union([AsgCapacity, DeploymentCapacity], { error: 'expected {asg: NAME} or {kubernetes: {namespace, deployment}}' }), { error: 'expected a list of capacity entries' }).optional().meta({ description: 'What to scale in this region when it becomes the target. Entries pair by position with the source region’s entries of the same kind.' }),
    slos: z.array(Name('an SLO spec path'), { error: 'expected a list of SLO spec files' }).optional().meta({ description: 'Budget-family SLO spec files (paths relative to the plan file) guarding this region.' }),
  })
  .meta({ id: 'FailoverRegion' });

export const FailoverPlanSchema = z
  .strictObject({
    name: Name('a plan name').regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, { error: 'expected letters, digits, _ . - (at most 63)' }).meta({ description: 'Plan name (journal files are named after it).' }),
    dns: z
      .strictObject({
        zone: Name('a hosted zone name or id').meta({ description: 'Hosted zone by name (example.com.) or id.' }),
        record: Name('a record name').meta({ description: 'The weighted record name, e.g. api.example.com.' }),
        type: Name('a record type').optional().meta({ description: 'Record type (default A).' }),
      })
      .meta({ description: 'The weighted record set that carries the traffic.' }),
    regions: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'expected a region name such as us-east-1' }), RegionSchema, { error: 'expected a mapping of regions' })
      .refine((r) => Object.keys(r).length >= 2, { error: 'expected at least two regions' })
      .meta({ description: 'The regions behind the record, by name.' }),
    steps: z.array(Percent('Share of the source’s traffic moved to the target by this step, in %.'), { error: 'expected a list of percentages, e.g. [25, 50, 100]' }).min(1).max(20).optional().meta({ description: 'Cumulative share moved at each step (default [25, 50, 100]).' }),
    bake: Duration('Guard time after each step (default 5m).', true).optional(),
    guardInterval: Duration('How often the guard samples health, alarms and SLOs during a bake (default 30s).').optional(),
    capacity: z
      .strictObject({
        percentToMatch: z.number({ error: 'expected a percentage such as 100' }).gt(0).max(1000).optional().meta({ description: 'Target capacity = ceil(percentToMatch × source InService) (default 100).' }),
        timeout: Duration('How long to wait for the target capacity to be InService / ready (default 15m).').optional(),
        plan: Name('a capacity plan file').optional().meta({ description: 'A capacity-family plan (relative to this file): region-loss sizing replaces percentToMatch. Each capacity entry then names its tier.' }),
        scaleBackOnRollback: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'rollback scales the target back to its recorded size (default false).' }),
      })
      .optional(),
    safety: z
      .strictObject({
        minHealthyRegions: z.number().int().min(1, { error: 'expected at least 1' }).max(50).optional().meta({ description: 'Regions with weight > 0 that must be healthy after each step (default 1).' }),
        maxStepPercent: Percent('Largest share of traffic one ChangeBatch may move (default 50).').optional(),
        approval: z.enum(['tty', 'none'], { error: 'expected tty or none' }).optional().meta({ description: 'tty: ask before each step on a terminal (default); none: ask once.' }),
      })
      .optional(),
    lock: z.strictObject({ ttl: Duration('Lock lifetime, renewed before every step (default 30m).').optional() }).optional(),
    notify: z.strictObject({ webhook: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).meta({ description: 'Receives a JSON POST for each step.' }) }).optional(),
    sloPolicy: Name('a budget policy file').optional().meta({ description: 'Budget policy for the SLO guards (default: the built-in policy).' }),
  })
  .meta({ id: 'FailoverPlan', title: 'relia failover plan', description: `Weighted record, regions, steps and safety rules. Reference: ${FAILOVER_PLAN_DOCS}.` });

export type FailoverPlanInput = z.output<typeof FailoverPlanSchema>;

export function failoverPlanJsonSchema(): Record<string, unknown> {
  return { $id: FAILOVER_PLAN_SCHEMA_ID, ...(z.toJSONSchema(FailoverPlanSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>) };
}

export type CapacityRef =
  | { kind: 'asg'; name: string; region: string; tier?: string; field: string }
  | { kind: 'deployment'; context?: string; namespace: string; name: string; tier?: string; field: string };

export interface RegionPlan {
  name: string;
  setIdentifier: string;
  healthCheck?: string;
  alarms: string[];
  alarmRegion: string;
  capacity: CapacityRef[];
  slos: string[];
}

/** A validated plan, defaults applied, durations in milliseconds. */
export interface FailoverPlan {
  name: string;
  file: string;
  zone: string;
  record: string;
  type: string;
  regions: Record<string, RegionPlan>;
  steps: number[];
  bakeMs: number;
  guardIntervalMs: number;
  capacity: { percentToMatch: number; timeoutMs: number; plan?: string; scaleBackOnRollback: boolean };
  safety: { minHealthyRegions: number; maxStepPercent: number; approval: 'tty' | 'none' };
  lockTtlMs: number;
  notify?: { webhook: string };
  sloPolicy?: string;
}

export const DEFAULT_STEPS = [25, 50, 100];

/** Milliseconds of a duration field the schema has checked (only `bake` may be zero there). */
const ms = (v: string | undefined, fallback: number): number =>
  // Stryker disable next-line StringLiteral: equivalent, the schema admitted v by the same rule, so parseDuration does not throw here to name the field
  v === undefined ? fallback : Math.round(parseDuration(v, 'duration', { allowZero: true }) * 1000);

/** Fully qualified, lower-case, with the trailing dot. */
export function fqdn(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

/** Steps must increase strictly and end at 100 (exit 2 naming `field`). */
export function stepProblems(steps: readonly number[], field: string): Problem[] {
  const out: Problem[] = [];
  // Stryker disable next-line EqualityOperator: i <= length is equivalent (steps[length] is undefined, and undefined <= n is false); the other mutants are killed
  for (let i = 1; i < steps.length; i++) {
    if ((steps[i] as number) <= (steps[i - 1] as number)) {
      out.push({ path: `${field}[${i}]`, message: `steps must increase: ${steps[i]} follows ${steps[i - 1]}`, suggestion: 'list increasing percentages ending at 100, e.g. [25, 50, 100]' });
      break;
    }
  }
  if (steps[steps.length - 1] !== 100) out.push({ path: field, message: `the last step must be 100, got ${steps[steps.length - 1]}`, suggestion: 'end the steps at 100, e.g. [50, 100]' });
  return out;
}

/** The plan rules beyond the schema: steps, one weighted record per region, tiers with a capacity plan, enough regions for minHealthyRegions. */
export function planProblems(p: FailoverPlanInput, file: string): Problem[] {
  const out: Problem[] = [];
  const add = (path: string, message: string, suggestion: string) => out.push({ file, path, message, suggestion });
  for (const pr of stepProblems(p.steps ?? DEFAULT_STEPS, 'steps')) out.push({ ...pr, file });
  const ids = new Map<string, string>();
  for (const [name, r] of Object.entries(p.regions)) {
    const other = ids.get(r.setIdentifier);
    if (other !== undefined) add(`regions.${name}.setIdentifier`, `set identifier ${JSON.stringify(r.setIdentifier)} is already region ${other}'s`, 'give each region its own weighted record');
    ids.set(r.setIdentifier, name);
    if (p.capacity?.plan !== undefined) {
      (r.capacity ?? []).forEach((c, i) => {
        if (c.tier === undefined) add(`regions.${name}.capacity[${i}].tier`, 'capacity.plan is set, so each capacity entry must name its capacity-plan tier', 'add tier: origin (or edge, ...) to the entry');
      });
    }
  }
  const minHealthy = p.safety?.minHealthyRegions ?? 1;
  if (minHealthy > Object.keys(p.regions).length) add('safety.minHealthyRegions', `${minHealthy} healthy regions are required but the plan has ${Object.keys(p.regions).length}`, 'lower safety.minHealthyRegions');
  return out;
}

export function normaliseFailoverPlan(p: FailoverPlanInput, file: string): FailoverPlan {
  const regions: Record<string, RegionPlan> = {};
  for (const [name, r] of Object.entries(p.regions)) {
    regions[name] = {
      name,
      setIdentifier: r.setIdentifier,
      healthCheck: r.healthCheck,
      alarms: r.alarms ?? [],
      alarmRegion: r.alarmRegion ?? name,
      capacity: (r.capacity ?? []).map((c, i): CapacityRef => {
        const field = `regions.${name}.capacity[${i}]`;
        if ('asg' in c) return { kind: 'asg', name: c.asg, region: c.region ?? name, tier: c.tier, field: `${field}.asg` };
        return { kind: 'deployment', context: c.kubernetes.context, namespace: c.kubernetes.namespace, name: c.kubernetes.deployment, tier: c.tier, field: `${field}.kubernetes` };
      }),
      slos: r.slos ?? [],
    };
  }
  const bakeMs = ms(p.bake, 5 * 60_000);
  return {
    name: p.name,
    file,
    zone: p.dns.zone,
    record: fqdn(p.dns.record),
    type: (p.dns.type ?? 'A').toUpperCase(),
    regions,
    steps: p.steps ?? DEFAULT_STEPS,
    bakeMs,
    guardIntervalMs: ms(p.guardInterval, 30_000),
    capacity: {
      percentToMatch: p.capacity?.percentToMatch ?? 100,
      timeoutMs: ms(p.capacity?.timeout, 15 * 60_000),
      ...(p.capacity?.plan !== undefined ? { plan: p.capacity.plan } : {}),
      scaleBackOnRollback: p.capacity?.scaleBackOnRollback ?? false,
    },
    safety: { minHealthyRegions: p.safety?.minHealthyRegions ?? 1, maxStepPercent: p.safety?.maxStepPercent ?? 50, approval: p.safety?.approval ?? 'tty' },
    lockTtlMs: ms(p.lock?.ttl, 30 * 60_000),
    ...(p.notify ? { notify: { webhook: p.notify.webhook } } : {}),
    sloPolicy: p.sloPolicy,
  };
}

export function validateFailoverPlan(data: unknown, file: string): FailoverPlan {
  const result = FailoverPlanSchema.safeParse(data, { reportInput: true });
  const hint = `see ${FAILOVER_PLAN_DOCS} for the plan fields`;
  if (!result.success) throwProblems(schemaProblems(result.error, file), hint);
  const found = planProblems(result.data, file);
  if (found.length > 0) throwProblems(found, hint);
  return normaliseFailoverPlan(result.data, file);
}

export function parseFailoverPlan(text: string, file: string): FailoverPlan {
  const data = parseYamlInput(text, { file, field: '--plan', docs: FAILOVER_PLAN_DOCS });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`${file}: expected a mapping with name, dns, regions, ... got ${Array.isArray(data) ? 'a list' : JSON.stringify(data ?? null)}`, {
      file,
      field: '--plan',
      suggestions: ['start from docs/examples/failover/playback-api.yaml', `see ${FAILOVER_PLAN_DOCS}`],
    });
  }
  return validateFailoverPlan(data, file);
}

/** --from/--to: known regions, not equal (exit 2 naming the flag). */
export function checkDirection(plan: FailoverPlan, from: string, to: string): void {
  const known = Object.keys(plan.regions);
  for (const [flag, region] of [['--from', from], ['--to', to]] as const) {
    if (!(region in plan.regions)) {
      throw new InputError(`${flag} ${region}: not a region of plan ${plan.name}`, { field: flag, file: plan.file, suggestions: [`use one of: ${known.join(', ')}`] });
    }
  }
  if (from === to) throw new InputError(`--from and --to are both ${from}`, { field: '--to', suggestions: ['name the region traffic moves to, different from --from'] });
}
