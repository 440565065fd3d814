/**
 * The error-budget policy: what `relia budget check` blocks on. A policy file
 * (YAML or JSON) holds any subset of the fields below; everything missing
 * takes the built-in default (the SRE Workbook policy). SLO specs may carry
 * per-SLO overrides (`policy:`), merged over the file with `mergePolicy`.
 *
 * The zod schemas are the single source of truth: they validate the input and
 * generate docs/schemas/budget-policy.schema.json (`policyJsonSchema`).
 * Reference: docs/budget.md#policy. Pure.
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from '../units.js';
import { parseYamlInput, schemaProblems, throwProblems, type Problem } from '../validation.js';
import { InputError } from '../errors.js';

export const POLICY_DOCS = 'docs/budget.md#policy';

/** What a policy can block on; exceptions name the ones they bypass. */
export const BLOCK_REASONS = ['budget-exhausted', 'fast-burn', 'postmortem', 'no-data', 'invalid'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export interface FastBurnCondition {
  /** Long window, e.g. `1h`. */
  long: string;
  /** Short window, e.g. `5m`. */
  short: string;
  /** Burn-rate factor both windows must exceed (before dynamic scaling). */
  factor: number;
}

export interface PolicyException {
  /** Shown in reasons; defaults to the labels as `k=v`. */
  name?: string;
  /** Every label must be among the `--change-label` values. */
  labels: Record<string, string>;
  /** The blocks this exception lets a change through. */
  bypass: BlockReason[];
}

/** The resolved policy (every field present). */
export interface BudgetPolicy {
  /** Burn-rate windows reported by status/check, canonical labels (`5m`, `1h`, `1d`). */
  burnWindows: string[];
  block: {
    /** Block when the remaining budget fraction is ≤ `remainingAtOrBelow`. */
    budgetExhausted: boolean;
    remainingAtOrBelow: number;
    /** Block when a fast-burn (page) condition fires. */
    fastBurn: boolean;
    /** Block when a postmortem is required (by default it is only flagged). */
    postmortem: boolean;
    /** Block when the verdict is no-data (no or too few events). Default true: a gate never passes what it could not see. */
    noData: boolean;
    /** Block when the metrics answered nonsense (verdict invalid; `budget check` exits 3). Default true. */
    invalid: boolean;
  };
  /** Page conditions: burn over `long` AND over `short` both > factor. */
  fastBurn: FastBurnCondition[];
  postmortem: {
    /** Flag a postmortem when one incident consumed more than this fraction of the budget. */
    incidentBudgetShare: number;
    /** A range bucket belongs to an incident when its burn rate is ≥ this. */
    incidentBurn: number;
  };
  /** Fewer events than this in the SLO window → verdict no-data. 0 switches the guard off. */
  minEvents: number;
  /** Dynamic error budgets: scale the fast-burn factors with current traffic. */
  dynamic: {
    enabled: boolean;
    /** Current traffic is the event rate over this window. */
    currentWindow: string;
    /** Above the window's `peak.quantile` traffic, factors × `peak.factor` (stricter when < 1). */
    peak: { quantile: number; factor: number };
    /** Below the window's `low.quantile` traffic, factors × `low.factor` (looser when > 1). */
    low: { quantile: number; factor: number };
  };
  exceptions: PolicyException[];
  /** Points of the one range query per SLO (sparkline, incidents, traffic quantiles). */
  resolution: number;
}

export const DEFAULT_POLICY: BudgetPolicy = {
  burnWindows: ['5m', '1h', '6h', '1d', '3d'],
  block: { budgetExhausted: true, remainingAtOrBelow: 0, fastBurn: true, postmortem: false, noData: true, invalid: true },
  fastBurn: [
    { long: '1h', short: '5m', factor: 14.4 },
    { long: '6h', short: '30m', factor: 6 },
  ],
  postmortem: { incidentBudgetShare: 0.2, incidentBurn: 2 },
  minEvents: 100_000,
  dynamic: { enabled: true, currentWindow: '1h', peak: { quantile: 0.9, factor: 0.5 }, low: { quantile: 0.1, factor: 1 } },
  exceptions: [],
  resolution: 720,
};

// ---------------------------------------------------------------- schemas

function durationOk(v: string): boolean {
  let ok = false;
  try {
    ok = Number.isInteger(parseDuration(v));
  } catch {
    // parseDuration refuses zero (and a number too large to be finite): not ok
  }
  return ok;
}

const Duration = z
  .string({ error: 'expected a duration such as 5m, 1h or 3d' })
  .regex(/^(?:\d+(?:s|m|h|d|w))+$/, { error: 'expected a duration such as 30s, 5m, 1h, 3d (units s, m, h, d, w)' })
  .refine(durationOk, { error: 'expected a duration above zero, in whole seconds, such as 30s, 5m, 1h, 3d' })
  .meta({ description: 'A duration: 5m, 1h, 6h, 1d, 3d (units s, m, h, d, w).' });

const Fraction = (description: string) =>
  z
    .number({ error: 'expected a fraction between 0 and 1, e.g. 0.2' })
    .min(0, { error: 'expected a fraction between 0 and 1' })
    .max(1, { error: 'expected a fraction between 0 and 1' })
    .meta({ description });

const Factor = (description: string) =>
  z
    .number({ error: 'expected a positive number such as 14.4' })
    .positive({ error: 'expected a number above 0' })
    .max(1e6, { error: 'expected a factor of at most 1e6' })
    .meta({ description });

const Bool = (description: string) => z.boolean({ error: 'expected true or false' }).meta({ description });

const LABEL_KEY_RE = /^[A-Za-z0-9_.\-/]+$/;

const FastBurnSchema = z
  .strictObject({
    long: Duration.meta({ description: 'Long window, e.g. 1h.' }),
    short: Duration.meta({ description: 'Short window, e.g. 5m.' }),
    factor: Factor('Burn-rate factor that both windows must exceed, e.g. 14.4.'),
  })
  .meta({ id: 'FastBurnCondition', description: 'A page condition: burn over `long` and over `short` both above `factor`.' });

const ExceptionSchema = z
  .strictObject({
    name: z.string({ error: 'expected a name (a string)' }).min(1).optional().meta({ description: 'Shown in the reasons when the exception applies.' }),
    labels: z
      .record(
        z.string().regex(LABEL_KEY_RE, { error: 'expected a label key: letters, digits, _ . - /' }),
        z.string({ error: 'expected a label value (a string)' }),
        { error: 'expected a mapping of labels, e.g. {type: security-fix}' },
      )
      .refine((r) => Object.keys(r).length > 0, { error: 'expected at least one label' })
      .meta({ description: 'The change must carry every one of these labels (`--change-label key=value`).' }),
    bypass: z
      .array(z.enum(BLOCK_REASONS, { error: `expected one of ${BLOCK_REASONS.join(', ')}` }), { error: 'expected a list of block reasons' })
      .min(1, { error: 'expected at least one block reason' })
      .optional()
      .meta({ description: 'The blocks this exception lets a change through. Default: [budget-exhausted].' }),
  })
  .meta({ id: 'PolicyException', description: 'Lets a labelled change through a frozen budget.' });

const Quantile = Fraction('A traffic quantile of the SLO window, e.g. 0.9.');

/**
 * Every field optional and without defaults: the shape of both a policy file
 * and a per-SLO override. Defaults come from DEFAULT_POLICY via mergePolicy.
 */
export const PolicyOverridesSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Editor hint; ignored.' }),
    apiVersion: z.literal('relia/v1', { error: 'expected relia/v1' }).optional(),
    kind: z.literal('BudgetPolicy', { error: 'expected BudgetPolicy' }).optional(),
    burnWindows: z
      .array(Duration, { error: 'expected a list of durations, e.g. [5m, 1h, 6h, 1d, 3d]' })
      .min(1, { error: 'expected at least one window' })
      .max(16, { error: 'expected at most 16 windows' })
      .optional()
      .meta({ description: 'Burn-rate windows reported by status/check. Default: [5m, 1h, 6h, 1d, 3d].', default: DEFAULT_POLICY.burnWindows }),
    block: z
      .strictObject({
        budgetExhausted: Bool('Block when the remaining budget is at or below remainingAtOrBelow. Default: true.').optional(),
        remainingAtOrBelow: z
          .number({ error: 'expected a fraction of the budget, e.g. 0 or 0.1' })
          .min(-1e6)
          .max(1, { error: 'expected at most 1 (the whole budget)' })
          .optional()
          .meta({ description: 'Remaining budget (a fraction of the budget) at or below which changes are blocked. Default: 0.' }),
        fastBurn: Bool('Block when a fast-burn page condition fires. Default: true.').optional(),
        postmortem: Bool('Block when a postmortem is required (otherwise only flagged). Default: false.').optional(),
        noData: Bool('Block when the verdict is no-data (no events, or fewer than minEvents). Default: true (fail closed); false, or --allow-no-data, lets it pass.').optional(),
        invalid: Bool('Block when the metrics answered nonsense (NaN, ±Inf, negative, bad > total): verdict invalid, exit 3. Default: true.').optional(),
      })
      .optional()
      .meta({ description: 'What blocks a change.' }),
    fastBurn: z
      .array(FastBurnSchema, { error: 'expected a list of {long, short, factor}' })
      .max(8)
      .optional()
      .meta({ description: 'Fast-burn page conditions. Default: 14.4× over 1h and 5m; 6× over 6h and 30m.', default: DEFAULT_POLICY.fastBurn }),
    postmortem: z
      .strictObject({
        incidentBudgetShare: Fraction('Flag a postmortem when one incident consumed more than this fraction of the budget. Default: 0.2.').optional(),
        incidentBurn: Factor('A range bucket is part of an incident when its burn rate is at least this. Default: 2.').optional(),
      })
      .optional(),
    minEvents: z
      .number({ error: 'expected a whole number of events, e.g. 100000' })
      .int({ error: 'expected a whole number' })
      .min(0, { error: 'expected 0 or more' })
      .optional()
      .meta({ description: 'Minimum events in the SLO window; fewer gives the verdict no-data. 0 switches the guard off. Default: 100000.', default: DEFAULT_POLICY.minEvents }),
    dynamic: z
      .strictObject({
        enabled: Bool('Scale the fast-burn factors with current traffic. Default: true.').optional(),
        currentWindow: Duration.optional().meta({ description: 'Current traffic is the event rate over this window. Default: 1h.' }),
        peak: z
          .strictObject({
            quantile: Quantile.optional(),
            factor: Factor('Multiplier of the fast-burn factors at peaks (< 1 is stricter). Default: 0.5.').optional(),
          })
          .optional()
          .meta({ description: 'Above this traffic quantile (default 0.9) the factors are multiplied by `factor`.' }),
        low: z
          .strictObject({
            quantile: Quantile.optional(),
            factor: Factor('Multiplier of the fast-burn factors in low-traffic periods (> 1 is looser). Default: 1 (off).').optional(),
          })
          .optional()
          .meta({ description: 'Below this traffic quantile (default 0.1) the factors are multiplied by `factor`.' }),
      })
      .optional()
      .meta({ description: 'Dynamic error budgets.' }),
    exceptions: z
      .array(ExceptionSchema, { error: 'expected a list of exceptions' })
      .optional()
      .meta({ description: 'Labelled changes allowed through blocks. Default: none.', default: [] }),
    resolution: z
      .number({ error: 'expected a whole number of points, e.g. 720' })
      .int({ error: 'expected a whole number' })
      .min(12, { error: 'expected at least 12 points' })
      .max(10_000, { error: 'expected at most 10000 points (Prometheus allows 11000 per range query)' })
      .optional()
      .meta({ description: 'Points of the one range query per SLO (sparkline, incidents, traffic quantiles). Default: 720.', default: DEFAULT_POLICY.resolution }),
  })
  .meta({ id: 'BudgetPolicy', title: 'relia error-budget policy', description: 'Any subset of the fields; missing ones take the built-in defaults. Reference: docs/budget.md#policy.' });

export type PolicyOverridesInput = z.output<typeof PolicyOverridesSchema>;

/** JSON Schema (draft 2020-12) of the policy file, generated from the zod schema. */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://relia.dev/schemas/budget-policy.schema.json',
    ...(z.toJSONSchema(PolicyOverridesSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>),
  };
}

// ---------------------------------------------------------------- semantics

function canonical(d: string): string {
  return formatDuration(parseDuration(d));
}

/** `prefix.path`, or `path` alone without a prefix (every caller's path is a non-empty field name). */
function prefixed(prefix: string, path: string): string {
  return prefix ? `${prefix}.${path}` : path;
}

/** Cross-field checks the schema cannot express. */
function semanticProblems(data: PolicyOverridesInput, file: string, prefix: string): Problem[] {
  const out: Problem[] = [];
  const add = (path: string, message: string, suggestion: string) => {
    out.push({ path: prefixed(prefix, path), message, file, suggestion });
  };
  if (data.burnWindows) {
    const seen = new Set<string>();
    data.burnWindows.forEach((w, i) => {
      const c = canonical(w);
      if (seen.has(c)) add(`burnWindows[${i}]`, `duplicate window ${JSON.stringify(w)}`, 'list each window once');
      seen.add(c);
    });
  }
  data.fastBurn?.forEach((c, i) => {
    if (parseDuration(c.short) >= parseDuration(c.long)) {
      add(`fastBurn[${i}].short`, `the short window ${c.short} must be shorter than the long window ${c.long}`, 'e.g. {long: 1h, short: 5m, factor: 14.4}');
    }
  });
  // A quantile the overrides leave out is NaN here, which compares false: the merged policy is checked again in mergePolicy.
  const peak = data.dynamic?.peak?.quantile ?? Number.NaN;
  const low = data.dynamic?.low?.quantile ?? Number.NaN;
  if (low >= peak) {
    add('dynamic.low.quantile', `the low quantile ${low} must be below the peak quantile ${peak}`, 'e.g. low 0.1, peak 0.9');
  }
  return out;
}

/**
 * Validate per-SLO overrides (or a whole policy document). Returns every
 * problem with `file` and `path`-prefixed field paths; never throws.
 */
export function validatePolicyOverrides(data: unknown, where: { file: string; path: string }): Problem[] {
  const result = PolicyOverridesSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    return schemaProblems(result.error, where.file, where.path).map((p) => (p.suggestion ? p : { ...p, suggestion: `see ${POLICY_DOCS} for the policy fields` }));
  }
  return semanticProblems(result.data, where.file, where.path);
}

type DeepPartialPolicy = {
  [K in keyof BudgetPolicy]?: BudgetPolicy[K] extends unknown[] ? BudgetPolicy[K] : BudgetPolicy[K] extends object ? DeepPartial<BudgetPolicy[K]> : BudgetPolicy[K];
};
type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A mapping (not null, not a list): what YAML and the schema give for an object field. */
function isObject(v: unknown): v is Record<string, unknown> {
  return v instanceof Object && !Array.isArray(v);
}

function deepMerge(base: unknown, over: unknown): unknown {
  // An override field left undefined (a JS caller's `{minEvents: undefined}`, which zod keeps) keeps the base.
  if (over === undefined) return base;
  // Stryker disable next-line LogicalOperator: equivalent, the schema gives every override field the shape of the policy's field, so both are objects or neither is
  if (isObject(base) && isObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
    return out;
  }
  // Arrays and scalars replace.
  return structuredCloneSafe(over);
}

function structuredCloneSafe<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function normalise(p: BudgetPolicy): BudgetPolicy {
  return {
    ...p,
    burnWindows: p.burnWindows.map(canonical),
    fastBurn: p.fastBurn.map((c) => ({ long: canonical(c.long), short: canonical(c.short), factor: c.factor })),
    dynamic: { ...p.dynamic, currentWindow: canonical(p.dynamic.currentWindow) },
    exceptions: p.exceptions.map((e) => ({ ...(e.name !== undefined ? { name: e.name } : {}), labels: { ...e.labels }, bypass: [...(e.bypass ?? ['budget-exhausted'])] })),
  };
}

/**
 * Merge overrides over a base policy: objects merge field by field, lists
 * (burnWindows, fastBurn, exceptions) and scalars replace. The overrides are
 * validated first (InputError naming the fields, exit 2).
 */
export function mergePolicy(base: BudgetPolicy, overrides: unknown, where: { file?: string; path?: string } = {}): BudgetPolicy {
  if (overrides === undefined || overrides === null) return normalise(structuredCloneSafe(base));
  const problems = validatePolicyOverrides(overrides, { file: where.file ?? '(policy)', path: where.path ?? '' });
  if (problems.length > 0) throwProblems(problems, `see ${POLICY_DOCS} for the policy fields`);
  const parsed = PolicyOverridesSchema.parse(overrides);
  const { $schema: _s, apiVersion: _a, kind: _k, ...rest } = parsed;
  const merged = deepMerge(base, rest as DeepPartialPolicy) as BudgetPolicy;
  const out = normalise(merged);
  // Re-check cross-field rules on the merged result (e.g. low vs peak quantile from two sources).
  if (out.dynamic.low.quantile >= out.dynamic.peak.quantile) {
    throw new InputError(`${where.file ?? '(policy)'}: dynamic.low.quantile (${out.dynamic.low.quantile}) must be below dynamic.peak.quantile (${out.dynamic.peak.quantile})`, {
      field: prefixed(where.path ?? '', 'dynamic.low.quantile'),
      ...(where.file ? { file: where.file } : {}),
      suggestions: ['e.g. low 0.1, peak 0.9'],
    });
  }
  return out;
}

/**
 * Parse a policy file (YAML or JSON text) into a full policy: the file's
 * fields over the built-in defaults. InputError (exit 2) listing every bad
 * field with its path.
 */
export function parsePolicy(text: string, file: string): BudgetPolicy {
  const data = parseYamlInput(text, { file, field: '--policy', docs: POLICY_DOCS });
  // yaml gives null for an empty document (nothing, comments only, `null`, `~`)
  if (data === null) return normalise(DEFAULT_POLICY);
  if (!isObject(data)) {
    throw new InputError(`${file}: expected a mapping of policy fields, got ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}`, {
      file,
      field: '--policy',
      suggestions: [`see ${POLICY_DOCS} for the policy fields`],
    });
  }
  return mergePolicy(DEFAULT_POLICY, data, { file });
}

/** The default policy, normalised (a fresh copy). */
export function defaultPolicy(): BudgetPolicy {
  return normalise(structuredCloneSafe(DEFAULT_POLICY));
}
