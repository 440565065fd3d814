/**
 * Blast radius: which of the matching targets an action may touch, and where
 * destructive actions may run at all. Pure.
 *
 * - Targets come from a selector (labels or tags) through a port; protected
 *   namespaces and protected labels are removed first, whatever the selector.
 * - A mode picks among the rest: `one`, `{count: N}`, `{percent: P}` (rounded
 *   up, so a non-empty match always yields at least one) or `all`; `seed` makes
 *   the choice reproducible; `maxTargets` is a hard cap applied last.
 * - An empty selection is exit 2 unless `allowEmpty`.
 * - Kubernetes actions run only in `chaos.allow.kubeContexts`, AWS actions only
 *   in `chaos.allow.awsAccounts` (STS GetCallerIdentity); anything else is exit
 *   2 before any change, naming the context or account and the key to add.
 */
import { z } from 'zod';
import { seededRandom } from '../cache/random.js';
import { InputError } from '../errors.js';
import type { Random } from '../../ports/clock.js';
import type { ClusterPort } from '../../ports/cluster.js';
import type { ComputePort } from '../../ports/compute.js';
import type { ChaosPolicy } from './activity.js';

export const ModeSchema = z.union([
  z.literal('one'),
  z.literal('all'),
  z.strictObject({ count: z.number().int().min(1, { message: 'count must be at least 1' }) }),
  z.strictObject({
    percent: z
      .number()
      .gt(0, { message: 'percent must be above 0' })
      .max(100, { message: 'percent must be at most 100 (it is a share of the matching targets)' }),
  }),
]);
export type SelectionMode = z.infer<typeof ModeSchema>;

/** The selection fields every targeting action accepts, next to its own selector. */
export const selectionFields = {
  /** `one` (default), `all`, `{count: N}` or `{percent: P}`. */
  mode: ModeSchema.default('one'),
  /** Makes the choice reproducible: the same seed and the same matches choose the same targets. */
  seed: z.number().int().optional(),
  /** Hard cap on the number of targets, whatever the mode says. */
  maxTargets: z.number().int().min(1).optional(),
  /** A selector that matches nothing is exit 2 unless this is true. */
  allowEmpty: z.boolean().default(false),
};
export interface Selection {
  mode: SelectionMode;
  seed?: number | undefined;
  maxTargets?: number | undefined;
  allowEmpty: boolean;
}

export interface Candidate {
  /** Unique, stable id used to order candidates (the choice must not depend on the port's order). */
  id: string;
  namespace?: string;
  /** Labels (Kubernetes) or tags (AWS). */
  labels: Record<string, string>;
}

/** Why a candidate was left out, for `chaos plan`. */
export interface Excluded {
  id: string;
  reason: string;
}

export interface Chosen<T> {
  chosen: T[];
  /** How many matched the selector before protection. */
  matched: number;
  excluded: Excluded[];
}

/** A protected label or namespace the candidate carries; undefined when it may be selected. */
export function protection(candidate: Candidate, policy: Pick<ChaosPolicy, 'protectedNamespaces' | 'protectedLabels'>): string | undefined {
  if (policy.protectedNamespaces.some((ns) => ns === candidate.namespace)) {
    return `namespace ${candidate.namespace} is protected (chaos.protectedNamespaces)`;
  }
  for (const [key, value] of Object.entries(policy.protectedLabels)) {
    if (candidate.labels[key] === value) return `label ${key}=${value} is protected (chaos.protectedLabels)`;
  }
  return undefined;
}

/** How many of `n` candidates a mode selects, before `maxTargets`. */
export function countFor(mode: SelectionMode, n: number): number {
  if (n === 0) return 0;
  if (mode === 'one') return 1;
  if (mode === 'all') return n;
  if ('count' in mode) return Math.min(mode.count, n);
  return Math.min(n, Math.ceil((mode.percent / 100) * n - 1e-9));
}

export function describeMode(selection: Selection): string {
  const m = selection.mode;
  const base = m === 'one' ? 'one' : m === 'all' ? 'all' : 'count' in m ? `${m.count}` : `${m.percent}%`;
  return `${base}${selection.maxTargets !== undefined ? ` (at most ${selection.maxTargets})` : ''}${selection.seed !== undefined ? `, seed ${selection.seed}` : ''}`;
}

/** Id order (UTF-16 code units). */
function byId(a: Candidate, b: Candidate): number {
  if (a.id < b.id) return -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, V8's sort only asks whether a comparison is below 0, so 1 and 0 act alike
  return a.id > b.id ? 1 : 0;
}

/**
 * Choose targets. Candidates are ordered by id, protected ones removed, then a
 * partial Fisher-Yates shuffle (seeded by `seed`, else `random`) picks the count.
 * The chosen list is returned in id order.
 */
export function chooseTargets<T extends Candidate>(
  candidates: T[],
  selection: Selection,
  context: { policy: Pick<ChaosPolicy, 'protectedNamespaces' | 'protectedLabels'>; random: Random; field: string; what: string; selector: string; claim?: ((wanted: number) => number) | undefined },
): Chosen<T> {
  const excluded: Excluded[] = [];
  const eligible: T[] = [];
  for (const c of [...candidates].sort(byId)) {
    const why = protection(c, context.policy);
    if (why) excluded.push({ id: c.id, reason: why });
    else eligible.push(c);
  }
  if (eligible.length === 0 && !selection.allowEmpty) {
    const first = excluded[0];
    const protectedNote = first ? ` (${excluded.length} matched but are protected: ${first.reason})` : '';
    throw new InputError(`${context.field}: no ${context.what} match ${context.selector}${protectedNote}`, {
      field: context.field,
      suggestions: [`check the selector against what exists (e.g. list the ${context.what} with the same selector)`, 'or set allowEmpty: true to let the action do nothing'],
    });
  }
  let n = countFor(selection.mode, eligible.length);
  if (selection.maxTargets !== undefined) n = Math.min(n, selection.maxTargets);
  // At run time the engine never lets more appear than the plan showed (pods scaled up between plan and run).
  if (context.claim) n = Math.min(n, context.claim(n));
  const random = selection.seed !== undefined ? seededRandom(selection.seed) : context.random;
  const pool = [...eligible];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const tmp = pool[i] as T;
    pool[i] = pool[j] as T;
    pool[j] = tmp;
  }
  const chosen = pool.slice(0, n).sort(byId);
  return { chosen, matched: candidates.length, excluded };
}

/** Kubernetes actions only in allowed contexts: exit 2 naming the context and the key otherwise. */
export function requireKubeContext(cluster: ClusterPort, policy: ChaosPolicy): string {
  const context = cluster.context();
  if (!policy.allowKubeContexts.includes(context)) {
    throw new InputError(`Kubernetes context "${context}" is not allowed for chaos actions`, {
      field: 'chaos.allow.kubeContexts',
      suggestions: [
        `add it to relia.config.yaml: chaos: { allow: { kubeContexts: [${JSON.stringify(context)}] } }`,
        'or switch to an allowed context (kubernetes.context in config, or --context)',
      ],
    });
  }
  return context;
}

/** AWS actions only in allowed accounts (STS GetCallerIdentity): exit 2 naming the account and the key otherwise. */
export async function requireAwsAccount(compute: ComputePort, policy: ChaosPolicy, signal?: AbortSignal): Promise<string> {
  const identity = await compute.callerIdentity(signal ? { signal } : {});
  if (!policy.allowAwsAccounts.includes(identity.account)) {
    throw new InputError(`AWS account ${identity.account} (${identity.arn}) is not allowed for chaos actions`, {
      field: 'chaos.allow.awsAccounts',
      suggestions: [
        `add it to relia.config.yaml: chaos: { allow: { awsAccounts: ["${identity.account}"] } }`,
        'or use credentials of an allowed account (aws.profile in config, or AWS_PROFILE)',
      ],
    });
  }
  return identity.account;
}

/** `app=api,tier in (web)` style selector from a label map, for display and the port. */
export function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
