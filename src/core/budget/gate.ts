/**
 * The deploy gate: turns one SLO's measurements into a verdict (pass, fail,
 * no-data), whether it blocks, and the reasons, under the policy and the
 * change's labels (exceptions). Pure. Reference: docs/budget.md#policy.
 */
import type { FastBurnStatus, GateDecision, IncidentStatus, Verdict } from './evaluate-types.js';

export type { GateDecision };
import type { BlockReason, BudgetPolicy } from './policy.js';

export interface GateInput {
  /** Set when the min-events guard (or an empty window) makes the verdict no-data. */
  noData: string | null;
  budgetRemaining: number | null;
  fastBurn: FastBurnStatus[];
  traffic: { tier: 'peak' | 'normal' | 'low' | 'unknown'; multiplier: number };
  incidents: IncidentStatus[];
  postmortemRequired: boolean;
}

/** Short number for messages: 4 significant figures, no exponent noise. */
export function fmt(n: number, digits = 4): string {
  // Stryker disable next-line EqualityOperator: equivalent, n is ±∞ or NaN here, never 0
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? '-∞' : 'n/a';
  // Stryker disable next-line ConditionalExpression: equivalent, String(Number((0).toPrecision(4))) is '0' too, and so is −0's
  if (n === 0) return '0';
  return String(Number(n.toPrecision(digits)));
}

/** A fraction as a percentage with up to 4 significant figures: 0.2593 → `25.93%`. */
export function fmtPct(fraction: number): string {
  return `${fmt(fraction * 100)}%`;
}

function burnText(b: number | null): string {
  return b === null ? 'n/a' : `${fmt(b, 3)}×`;
}

/** Parse `key=value` change labels; returns the problems for bad ones. */
export function parseChangeLabels(values: readonly string[]): { labels: Record<string, string>; problems: string[] } {
  const labels: Record<string, string> = {};
  const problems: string[] = [];
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) {
      problems.push(`expected key=value, got ${JSON.stringify(v)}`);
      continue;
    }
    labels[v.slice(0, i).trim()] = v.slice(i + 1).trim();
  }
  return { labels, problems };
}

/** The first policy exception whose labels the change carries, if any. */
export function matchException(policy: BudgetPolicy, changeLabels: Readonly<Record<string, string>>): BudgetPolicy['exceptions'][number] | undefined {
  return policy.exceptions.find((e) => Object.entries(e.labels).every(([k, v]) => changeLabels[k] === v));
}

function exceptionName(e: BudgetPolicy['exceptions'][number]): string {
  return e.name ?? Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Decide one SLO. */
export function decide(input: GateInput, policy: BudgetPolicy, changeLabels: Readonly<Record<string, string>>): GateDecision {
  const reasons: string[] = [];
  const blocks: BlockReason[] = [];
  let verdict: Verdict;

  if (input.noData !== null) {
    verdict = 'no-data';
    reasons.push(`no data: ${input.noData}`);
    if (policy.block.noData) {
      blocks.push('no-data');
      reasons.push('a gate does not pass what it could not see: pass --allow-no-data or set block.noData: false in the policy to let it through');
    } else reasons.push('no-data passes under this policy (block.noData: false or --allow-no-data)');
  } else {
    verdict = 'pass';
    const remaining = input.budgetRemaining;
    if (policy.block.budgetExhausted && remaining !== null && remaining <= policy.block.remainingAtOrBelow) {
      blocks.push('budget-exhausted');
      reasons.push(`budget exhausted: ${fmtPct(remaining)} of the error budget remains (blocks at ≤ ${fmtPct(policy.block.remainingAtOrBelow)})`);
    }
    const firing = input.fastBurn.filter((c) => c.firing);
    if (firing.length > 0) {
      const scaled = input.traffic.multiplier !== 1 ? ` (factor ×${fmt(input.traffic.multiplier)} at ${input.traffic.tier} traffic)` : '';
      const text = firing.map((c) => `burn ${burnText(c.longBurn)} over ${c.long} and ${burnText(c.shortBurn)} over ${c.short} > ${fmt(c.factor, 4)}×`).join('; ');
      if (policy.block.fastBurn) {
        blocks.push('fast-burn');
        reasons.push(`fast burn: ${text}${scaled}`);
      } else reasons.push(`fast burn (not blocking under this policy): ${text}${scaled}`);
    }
    if (input.postmortemRequired) {
      const top = input.incidents[0];
      const text = top
        ? `one incident (${top.start} to ${top.end}) consumed ${fmtPct(top.budgetShare)} of the budget (> ${fmtPct(policy.postmortem.incidentBudgetShare)})`
        : 'an incident consumed too much of the budget';
      if (policy.block.postmortem) {
        blocks.push('postmortem');
        reasons.push(`postmortem required: ${text}`);
      } else reasons.push(`postmortem required (flag only): ${text}`);
    }
  }

  let bypassed: BlockReason[] = [];
  let exception: string | null = null;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, with no blocks an exception bypasses nothing, so it is neither named nor applied
  if (blocks.length > 0) {
    const e = matchException(policy, changeLabels);
    if (e) {
      bypassed = blocks.filter((b) => e.bypass.includes(b));
      if (bypassed.length > 0) {
        exception = exceptionName(e);
        reasons.push(`exception ${exception} lets the change through: ${bypassed.join(', ')}`);
      }
    }
  }
  const remainingBlocks = blocks.filter((b) => !bypassed.includes(b));
  const blocked = remainingBlocks.length > 0;
  if (verdict === 'pass' && blocked) verdict = 'fail';
  if (
    reasons.length === 0 &&
    // Stryker disable next-line ConditionalExpression: equivalent, a no-data or failing verdict always has its reason already
    verdict === 'pass'
  ) {
    const r = input.budgetRemaining;
    reasons.push(r === null ? 'within policy' : `within policy: ${fmtPct(r)} of the error budget remains`);
  }
  if (input.traffic.tier === 'peak' || input.traffic.tier === 'low') {
    reasons.push(`dynamic budget: ${input.traffic.tier} traffic, fast-burn factors ×${fmt(input.traffic.multiplier)}`);
  }
  return { verdict, blocked, reasons, blocks, bypassed, exception };
}
