/**
 * The SLO guard: the budget family's evaluation (evaluateSlos, its policy
 * and gate) for the SLOs a region lists. An SLO is "ok" when the budget gate
 * does not block it: no fast burn firing, budget not exhausted (per the
 * policy). It is the same verdict `relia budget check` gives; no burn math
 * is repeated here. `offsetMs` shifts the evaluation instant (replaying a
 * plan against recorded history: `--slo-at`).
 */
import type { MetricsSource } from '../../ports/metrics.js';
import { evaluateSlos, type BudgetPolicy, type SloDefinition } from '../budget/index.js';
import type { SloGuard, SloVerdict } from './ports.js';

export function budgetSloGuard(slosByRegion: Record<string, SloDefinition[]>, source: MetricsSource, policy: BudgetPolicy, offsetMs = 0): SloGuard {
  return async (region, at, signal) => {
    const slos = slosByRegion[region] ?? [];
    // Stryker disable next-line ConditionalExpression: equivalent, evaluateSlos of no SLO sends no query and returns no verdict
    if (slos.length === 0) return [];
    const evaluation = await evaluateSlos(slos, source, { at: at + offsetMs, policy, ...(signal ? { signal } : {}) });
    return evaluation.slos.map((s): SloVerdict => {
      const reasons = s.blocked
        ? // Stryker disable next-line ConditionalExpression,EqualityOperator,ArrowFunction: equivalent, a blocked SLO always carries the budget gate's sentences (each block adds one; invalid data has its own), so the block names are never used
          (s.reasons.length > 0 ? s.reasons : s.blocks.map((b) => b))
        : [];
      return { id: s.id, ok: !s.blocked, reasons };
    });
  };
}
