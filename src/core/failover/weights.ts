/**
 * Weight math and the safety rules, checked on a whole ChangeBatch before it
 * is sent. Pure.
 *
 * Weights are keyed by set identifier. A step of p % moves p % of the
 * source's original weight to the target: with w_s, w_t before,
 *   moved = round(w_s · p / 100), source = w_s − moved, target = w_t + moved,
 * so 100/0 goes 50/50 at p = 50 and 0/100 at p = 100, and the sum never
 * changes. When w_s + w_t would push the target past Route 53's 255, every
 * weight is scaled by 255 / (w_s + w_t) first (the traffic shares stay).
 */
import type { DnsChange, RecordSet } from '../../ports/dns.js';

export type Weights = Record<string, number>;

export const MAX_WEIGHT = 255;

/** The weights after moving `percent` of `from`'s weight to `to`. */
export function stepWeights(before: Weights, from: string, to: string, percent: number): Weights {
  const ws = before[from] ?? 0;
  const wt = before[to] ?? 0;
  // Stryker disable next-line EqualityOperator: equivalent, at exactly MAX_WEIGHT the factor 255 / 255 is 1 anyway
  const k = ws + wt > MAX_WEIGHT ? MAX_WEIGHT / (ws + wt) : 1;
  const base: Weights = {};
  // Stryker disable next-line ConditionalExpression: equivalent, weights are whole numbers (Route 53 refuses others), so floor(w × 1) is w
  for (const [id, w] of Object.entries(before)) base[id] = k === 1 ? w : Math.floor(w * k);
  // Stryker disable next-line ConditionalExpression: equivalent, weights are whole numbers, so floor(ws × 1) is ws
  const s = k === 1 ? ws : Math.floor(ws * k);
  const moved = Math.round((s * percent) / 100);
  base[from] = s - moved;
  base[to] = (base[to] ?? 0) + moved;
  return base;
}

/** Every step's weights, in order. */
export function planWeights(before: Weights, from: string, to: string, steps: readonly number[]): Weights[] {
  return steps.map((p) => stepWeights(before, from, to, p));
}

export function sameWeights(a: Weights, b: Weights): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
}

/** Traffic shares (weight / sum); all-zero weights split evenly, as Route 53 does. */
export function shares(w: Weights): Record<string, number> {
  const ids = Object.keys(w);
  const sum = ids.reduce((s, id) => s + (w[id] ?? 0), 0);
  const out: Record<string, number> = {};
  for (const id of ids) out[id] = sum === 0 ? 1 / ids.length : (w[id] ?? 0) / sum;
  return out;
}

/** Share of traffic (in %) that moves between two weight maps: the total variation distance. */
export function movedPercent(a: Weights, b: Weights): number {
  const sa = shares(a);
  const sb = shares(b);
  let moved = 0;
  for (const id of new Set([...Object.keys(sa), ...Object.keys(sb)])) moved += Math.max(0, (sb[id] ?? 0) - (sa[id] ?? 0));
  return Math.round(moved * 1e6) / 1e4;
}

export function formatWeights(w: Weights, order?: readonly string[]): string {
  const ids = order ?? Object.keys(w);
  return ids.map((id) => `${id}=${w[id] ?? 0}`).join(' ');
}

/** The current weights of a weighted record set (keyed by set identifier). */
export function weightsOf(records: readonly RecordSet[]): Weights {
  const out: Weights = {};
  for (const r of records) if (r.setIdentifier !== undefined && r.weight !== undefined) out[r.setIdentifier] = r.weight;
  return out;
}

/** One ChangeBatch that UPSERTs every record whose weight changes (all at once: never half-shifted). */
export function weightBatch(records: readonly RecordSet[], next: Weights): DnsChange[] {
  const changes: DnsChange[] = [];
  for (const r of records) {
    if (r.setIdentifier === undefined || r.weight === undefined) continue;
    const w = next[r.setIdentifier];
    if (w === undefined || w === r.weight) continue;
    changes.push({ action: 'UPSERT', record: { ...r, weight: w } });
  }
  return changes;
}

/** The weights a batch would leave behind, applied to the current records as Route 53 would. */
export function resultingWeights(records: readonly RecordSet[], changes: readonly DnsChange[], name: string, type: string): Weights {
  const map = new Map<string, number>();
  for (const r of records) if (r.setIdentifier !== undefined && r.weight !== undefined) map.set(r.setIdentifier, r.weight);
  for (const c of changes) {
    const r = c.record;
    if (r.name.toLowerCase() !== name || r.type !== type || r.setIdentifier === undefined) continue;
    if (c.action === 'DELETE') map.delete(r.setIdentifier);
    else if (r.weight !== undefined) map.set(r.setIdentifier, r.weight);
  }
  return Object.fromEntries(map);
}

export interface SafetyRules {
  minHealthyRegions: number;
  /** null: not enforced (ungraceful mode). */
  maxStepPercent: number | null;
}

export interface BatchContext {
  name: string;
  type: string;
  /** Set identifier → region name. */
  regionOf: Record<string, string>;
  /** Region name → healthy now (health check, alarms). */
  healthy: Record<string, boolean>;
}

export interface SafetyVerdict {
  ok: boolean;
  /** One line per broken rule. */
  violations: string[];
  before: Weights;
  after: Weights;
  movedPercent: number;
}

/**
 * The safety rules, on the whole batch: never every weight at 0; at least
 * `minHealthyRegions` healthy regions keep weight > 0; at most
 * `maxStepPercent` of the traffic moves.
 */
export function checkBatch(records: readonly RecordSet[], changes: readonly DnsChange[], ctx: BatchContext, rules: SafetyRules): SafetyVerdict {
  const before = weightsOf(records);
  const after = resultingWeights(records, changes, ctx.name, ctx.type);
  const violations: string[] = [];
  const ids = Object.keys(after);
  // [].every(…) is true: no records at all is also "every weight would be 0"
  if (ids.every((id) => (after[id] ?? 0) === 0)) {
    violations.push(`every weight would be 0 (${formatWeights(after) || 'no records'}): Route 53 would then spread traffic over every record, failed regions included`);
  }
  // Stryker disable next-line StringLiteral: equivalent, healthy is keyed by the plan's region names, which the plan schema limits to [a-z0-9-]: neither '' nor any other fallback is one
  const healthyLive = ids.filter((id) => (after[id] ?? 0) > 0 && ctx.healthy[ctx.regionOf[id] ?? ''] === true);
  if (healthyLive.length < rules.minHealthyRegions) {
    violations.push(`only ${healthyLive.length} healthy region${healthyLive.length === 1 ? '' : 's'} would take traffic (${healthyLive.map((id) => ctx.regionOf[id] ?? id).join(', ') || 'none'}); safety.minHealthyRegions is ${rules.minHealthyRegions}`);
  }
  const moved = movedPercent(before, after);
  if (rules.maxStepPercent !== null && moved > rules.maxStepPercent + 1e-9) {
    violations.push(`the batch moves ${moved}% of the traffic; safety.maxStepPercent is ${rules.maxStepPercent}`);
  }
  return { ok: violations.length === 0, violations, before, after, movedPercent: moved };
}

/** Which step the weights are at: -1 = the weights before, k = step k, null = neither (drift). Latest match wins. */
export function positionOf(now: Weights, before: Weights, targets: readonly Weights[]): number | null {
  for (let k = targets.length - 1; k >= 0; k--) if (sameWeights(now, targets[k] as Weights)) return k;
  if (sameWeights(now, before)) return -1;
  return null;
}
