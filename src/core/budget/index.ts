/**
 * The budget engine's public surface (evaluation, policy, gate, reports).
 * Spec parsing lives in ./specs (loadSpecs), rule generation in ./rules.
 */
export * from './model.js';
export * from './policy.js';
export * from './evaluate-types.js';
export { planSlo, sloWindow, calendarPeriod, rangeStep, badSliceExpr, EXHAUSTION_WINDOWS, type SloPlan, type PlannedPart, type PartName } from './evaluate-plan.js';
export { evaluateSlos, computeStatus, unavailableStatus, effectivePolicy, planAll, type EvaluateOptions } from './evaluate.js';
export { burnRate, exhaustionSeconds, quantile, assessTraffic, fastBurn, type TrafficTier } from './burn.js';
export { consumption, burnDown, findIncidents, samplePoints, type Bucket, type Incident } from './incidents.js';
export { decide, parseChangeLabels, matchException, fmt, fmtPct, type GateInput, type GateDecision } from './gate.js';
