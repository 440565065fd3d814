/**
 * The error-budget evaluation engine behind `relia budget status|check`.
 *
 * For each SLO, as of `at`: two queries (./evaluate-plan.ts), then the SLI,
 * budget, burn rates, exhaustion, burn-down, incidents and traffic tier from
 * their answers, then the gate (./gate.ts). SLOs run concurrently with a
 * small limit. Fail closed: an unreachable source, an error answer or a query
 * with no series is a DependencyError (exit 3) naming the SLO and the query,
 * unless `onUnavailable: 'pass'` turns it into a passing SLO marked
 * `unavailable`. Pure: I/O only through the MetricsSource port.
 * Math: docs/budget.md#math.
 */
import type { InstantSample, MetricsSource, RangeSeries } from '../../ports/metrics.js';
import { DependencyError, ReliaError } from '../errors.js';
import { assertNotAbove, MetricsDataError } from '../metrics-guard.js';
import { sparkline } from '../sparkline.js';
import { assessTraffic, budgetOf, burnRate, exhaustionSeconds, fastBurn } from './burn.js';
import { EXHAUSTION_WINDOWS, PART_LABEL, planSlo, WINDOW_LABEL, type PartName, type PlannedPart, type SloPlan } from './evaluate-plan.js';
import type { BudgetEvaluation, SloStatus } from './evaluate-types.js';
import { decide } from './gate.js';
import { burnDown, consumption, findIncidents, samplePoints, type Bucket } from './incidents.js';
import type { SloDefinition } from './model.js';
import { mergePolicy, type BudgetPolicy } from './policy.js';

export interface EvaluateOptions {
  /** Evaluation instant, epoch ms (every query is anchored here). */
  at: number;
  /** The policy file (or the defaults); per-SLO overrides are merged over it. */
  policy: BudgetPolicy;
  /** `--change-label key=value` pairs, for policy exceptions. */
  changeLabels?: Record<string, string>;
  /** SLOs evaluated at once. Default 8. */
  concurrency?: number;
  signal?: AbortSignal;
  /** `fail` (default): the first unavailable SLO throws. `pass`: it passes, marked unavailable. */
  onUnavailable?: 'fail' | 'pass';
  /** `--allow-no-data`: a no-data verdict passes whatever `block.noData` says. Default false (no-data blocks). */
  allowNoData?: boolean;
  /**
   * Batch each SLO's windows into one instant and one range query (PromQL
   * label_replace/or). Default: true for the `prometheus` provider, false for
   * others, which get one query per window and part (still bounded per SLO).
   */
  batch?: boolean;
  /** Called before every query (for --verbose). */
  onQuery?: (event: { slo: string; kind: 'instant' | 'range'; query: string }) => void;
}

export const TREND_POINTS = 48;
export const SPARK_WIDTH = 24;
const MAX_INCIDENTS = 5;

/** The effective policy of one SLO: the policy file with the SLO's overrides merged over it. */
export function effectivePolicy(slo: SloDefinition, policy: BudgetPolicy): BudgetPolicy {
  // Without overrides: a copy of the policy.
  return mergePolicy(policy, slo.policy, { file: slo.source.file, path: `${slo.source.path ? `${slo.source.path}.` : ''}policy` });
}

/** Plan every SLO's queries (what the engine sends; the bench replays them). */
export function planAll(slos: readonly SloDefinition[], policy: BudgetPolicy, at: number): SloPlan[] {
  return slos.map((slo) => planSlo(slo, effectivePolicy(slo, policy), at));
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

function finiteOrNull(x: number | undefined): number | null {
  return Number.isFinite(x) ? (x as number) : null;
}

/** A known, positive number (a window or step with events). */
function positive(x: number | null): x is number {
  // Stryker disable next-line ConditionalExpression: its → false is equivalent, null > 0 is false: the next line refuses null too (this one narrows the type)
  if (x === null) return false;
  return x > 0;
}

/** Event counts from rate × seconds: drop floating-point dust (518362033.99999994 → 518362034). */
function events(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function clamp01(x: number | null): number | null {
  return x === null ? null : Math.min(1, Math.max(0, x));
}

/**
 * The SLO is invalid (MetricsDataError naming the planned part's own query)
 * unless its answers hold together: bad ≤ total, good ≤ total, an error ratio
 * or bad-slice fraction ≤ 1 (the total is checked against itself, harmlessly).
 * Only the parts planned for this window (or step) are read: a series tagged
 * with another part is not the SLO's.
 */
function consistent(parts: readonly PlannedPart[], value: (part: PartName) => number | null, unixSeconds: number, sourceKind: string): void {
  const total = value('total');
  for (const p of parts) {
    const v = value(p.part);
    // Stryker disable next-line ConditionalExpression: its → false is equivalent as wired, null > x is false for every x ≥ 0, and the port is guarded (guardMetrics: no negative totals)
    if (v === null) continue;
    const ctx = { dependency: sourceKind, query: p.raw, time: iso(unixSeconds) };
    if (p.part === 'ratio' || p.part === 'badslices') assertNotAbove({ name: `error ratio (${p.window})`, value: v }, { name: 'the maximum', value: 1 }, ctx);
    else if (total !== null) assertNotAbove({ name: `${p.part} (${p.window})`, value: v }, { name: `total (${p.window})`, value: total }, ctx);
  }
}

function noSeries(plan: SloPlan, part: PlannedPart, sourceKind: string): DependencyError {
  const slo = plan.slo;
  return new DependencyError(sourceKind, `SLO ${slo.id}: query returned no series over ${plan.window.label} at ${iso(plan.at / 1000)}: ${part.raw}`, {
    suggestions: [
      `check the metric and label names in ${slo.source.file}${slo.source.path ? ` (${slo.source.path})` : ''}; try the query in the Prometheus UI`,
      'if the counter legitimately has no samples yet, append `or vector(0)` to the query',
      'pass --on-unavailable pass to let the gate pass with a warning instead (not recommended)',
    ],
  });
}

function wrapError(error: unknown, plan: SloPlan, kind: 'instant' | 'range', query: string, sourceKind: string): unknown {
  if (error instanceof MetricsDataError) return error;
  if (ReliaError.is(error)) {
    if (error instanceof DependencyError || error.exitCode === 3) {
      const dep = (error as { dependency?: string }).dependency ?? sourceKind;
      return new DependencyError(dep, `SLO ${plan.slo.id}: ${error.message}`, {
        suggestions: [...error.suggestions, 'pass --on-unavailable pass to let the gate pass with a warning instead (not recommended)'],
        cause: error,
      });
    }
    return error;
  }
  if ((error as { name?: string })?.name === 'AbortError') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DependencyError(sourceKind, `SLO ${plan.slo.id}: the ${kind} query failed: ${message}; query: ${query}`, { cause: error });
}

/** How several series of one part combine: error ratios take the worst (max), everything else adds up. */
function combine(part: string, a: number | undefined, b: number): number {
  if (a === undefined) return b;
  return part === 'ratio' ? Math.max(a, b) : a + b;
}

/** Values of the instant answer keyed by `window|part` (series combined). */
function indexInstant(samples: readonly InstantSample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    // Stryker disable next-line StringLiteral: equivalent, a sample without the label is keyed under a name no planned window or part has, whichever string it is
    const part = s.labels[PART_LABEL] ?? '';
    // Stryker disable next-line StringLiteral: equivalent, as above
    const window = s.labels[WINDOW_LABEL] ?? '';
    const key = `${window}|${part}`;
    out.set(key, combine(part, out.get(key), s.value));
  }
  return out;
}

/** Range answer: part → (unix seconds → value). */
function indexRange(series: readonly RangeSeries[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of series) {
    // Stryker disable next-line StringLiteral: equivalent, a series without the label is kept under a name no planned part has, whichever string it is
    const part = s.labels[PART_LABEL] ?? '';
    const m = out.get(part) ?? new Map<number, number>();
    for (const [t, v] of s.points) m.set(t, combine(part, m.get(t), v));
    out.set(part, m);
  }
  return out;
}

interface WindowMeasure {
  errorRatio: number | null;
  /** Events over the window (event-based), else null. */
  total: number | null;
  bad: number | null;
}

/** Error ratio (and events) per window from the instant answer. Throws no-series for the SLO window. */
function measureWindows(plan: SloPlan, values: Map<string, number>, sourceKind: string): Map<string, WindowMeasure> {
  const slo = plan.slo;
  const out = new Map<string, WindowMeasure>();
  const get = (w: string, p: PartName) => values.get(`${w}|${p}`);
  const L = plan.window.label;
  const sli = slo.sli;
  const timeslices = slo.budgeting.method === 'timeslices';
  // Fail closed: every part must have series over the SLO window.
  const missing = plan.instant.parts.find((p) => p.window === L && get(p.window, p.part) === undefined);
  if (missing) throw noSeries(plan, missing, sourceKind);
  for (const w of plan.windows) {
    const total = sli.type === 'ratio' ? finiteOrNull(get(w.label, 'total')) : null;
    consistent(
      plan.instant.parts.filter((p) => p.window === w.label),
      (part) => finiteOrNull(get(w.label, part)),
      plan.instant.time / 1000,
      sourceKind,
    );
    const count = total === null ? null : events(total * w.seconds);
    if (timeslices) {
      out.set(w.label, { errorRatio: clamp01(finiteOrNull(get(w.label, 'badslices'))), total: count, bad: null });
    } else if (sli.type === 'ratio') {
      if (!positive(total)) {
        out.set(w.label, { errorRatio: null, total: count, bad: null });
        continue;
      }
      let badRate: number;
      if (sli.bad !== undefined) badRate = finiteOrNull(get(w.label, 'bad')) ?? 0;
      else {
        const good = finiteOrNull(get(w.label, 'good'));
        // Stryker disable next-line ConditionalExpression: equivalent, total - null is total
        badRate = good === null ? total : total - good;
      }
      const errorRatio = clamp01(badRate / total) as number;
      out.set(w.label, { errorRatio, total: count, bad: events(Math.max(0, badRate * w.seconds)) });
    } else {
      out.set(w.label, { errorRatio: clamp01(finiteOrNull(get(w.label, 'ratio'))), total: null, bad: null });
    }
  }
  return out;
}

/** Per-step buckets from the range answer. */
function buckets(plan: SloPlan, series: readonly RangeSeries[], windowEvents: number | null, sourceKind: string): Bucket[] {
  const slo = plan.slo;
  const byPart = indexRange(series);
  const step = plan.range.step;
  const times = [...new Set([...byPart.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const timeslices = slo.budgeting.method === 'timeslices';
  const sli = slo.sli;
  return times.map((t) => {
    const at = (part: PartName) => finiteOrNull(byPart.get(part)?.get(t));
    consistent(plan.range.parts, at, t, sourceKind);
    const totalRate = at('total');
    if (timeslices || sli.type !== 'ratio') {
      return { t, errorRatio: clamp01(at(timeslices ? 'badslices' : 'ratio')), weight: step / plan.window.seconds, bad: null, rate: totalRate };
    }
    if (!positive(totalRate)) return { t, errorRatio: null, weight: 0, bad: null, rate: totalRate };
    const badRate = sli.bad !== undefined ? (at('bad') ?? 0) : totalRate - (at('good') ?? totalRate);
    const weight = positive(windowEvents) ? (totalRate * step) / windowEvents : 0;
    return { t, errorRatio: clamp01(badRate / totalRate), weight, bad: events(Math.max(0, badRate * step)), rate: totalRate };
  });
}

/** Compute one SLO's status from the two answers (pure; exported for tests). */
export function computeStatus(
  plan: SloPlan,
  instant: readonly InstantSample[],
  range: readonly RangeSeries[],
  changeLabels: Readonly<Record<string, string>>,
  sourceKind = 'metrics',
): SloStatus {
  const { slo, policy } = plan;
  const measures = measureWindows(plan, indexInstant(instant), sourceKind);
  const L = plan.window.label;
  const main = measures.get(L) as WindowMeasure;
  const budget = budgetOf(slo.objective);
  const errorRatio = main.errorRatio;
  const sli = errorRatio === null ? null : 1 - errorRatio;
  const consumed = burnRate(errorRatio, slo.objective);
  const budgetRemaining = consumed === null ? null : 1 - consumed;
  const windowMinutes = plan.window.seconds / 60;

  const burnRates: Record<string, number | null> = {};
  // Stryker disable next-line OptionalChaining: equivalent, every burn window is one of plan.windows (planSlo), all of them measured
  for (const w of policy.burnWindows) burnRates[w] = burnRate(measures.get(w)?.errorRatio ?? null, slo.objective);
  const allBurns: Record<string, number | null> = {};
  // Stryker disable next-line OptionalChaining: equivalent, measureWindows measures every one of plan.windows
  for (const w of plan.windows) allBurns[w.label] = burnRate(measures.get(w.label)?.errorRatio ?? null, slo.objective);

  const exhaustion: Record<string, number | null> = {};
  for (const w of EXHAUSTION_WINDOWS) exhaustion[w] = exhaustionSeconds(budgetRemaining, allBurns[w] ?? null, plan.window.periodSeconds);

  const eventCounts =
    // Stryker disable next-line ConditionalExpression: equivalent, bad is non-null only where total is (measureWindows)
    main.total !== null && main.bad !== null
      ? { total: main.total, bad: main.bad, allowedBad: budget * main.total, remainingBad: budget * main.total - main.bad }
      : null;
  const badMinutes = errorRatio === null ? null : { allowed: budget * windowMinutes, consumed: errorRatio * windowMinutes, remaining: (budget - errorRatio) * windowMinutes };
  const slices =
    slo.budgeting.method === 'timeslices' && errorRatio !== null
      ? (() => {
          const total = Math.floor(plan.window.seconds / (slo.budgeting as { sliceSeconds: number }).sliceSeconds);
          return { seconds: (slo.budgeting as { sliceSeconds: number }).sliceSeconds, total, bad: Math.round(errorRatio * total), allowed: budget * total };
        })()
      : null;

  // Range: burn-down, incidents, traffic.
  const bs = buckets(plan, range, main.total, sourceKind);
  const remainingSeries = burnDown(consumption(bs, slo.objective));
  const trend = samplePoints(remainingSeries, TREND_POINTS);
  const lo = Math.min(0, ...trend);
  const spark = sparkline(trend, { width: SPARK_WIDTH, min: lo, max: 1 });
  const incidents = findIncidents(bs, slo.objective, plan.range.step, policy.postmortem.incidentBurn);
  const postmortemRequired = incidents.some((i) => i.budgetShare > policy.postmortem.incidentBudgetShare);
  const currentMeasure = policy.dynamic.enabled ? measures.get(policy.dynamic.currentWindow) : undefined;
  const currentRate =
    currentMeasure?.total != null
      ? // Stryker disable next-line OptionalChaining: equivalent, planSlo adds the current window to plan.windows whenever dynamic budgets are on (the only time it is measured here)
        currentMeasure.total / (plan.windows.find((w) => w.label === policy.dynamic.currentWindow)?.seconds ?? 1)
      : null;
  // A step without a total counts as NaN, which assessTraffic drops.
  const rates = bs.map((b) => b.rate ?? Number.NaN);
  const traffic = assessTraffic(currentRate, rates, policy.dynamic);
  const fb = fastBurn(policy.fastBurn, allBurns, traffic.multiplier);

  let noData: string | null = null;
  if (errorRatio === null) noData = `no events in the ${slo.window.label} window`;
  else if (
    main.total !== null &&
    // Stryker disable next-line ConditionalExpression,EqualityOperator: its → true and >= are equivalent as wired, with minEvents 0 the guard would need total < 0, and the port is guarded (guardMetrics: no negative rates)
    policy.minEvents > 0 &&
    main.total < policy.minEvents
  ) {
    noData = `${Math.round(main.total)} events in ${slo.window.label}, fewer than minEvents ${policy.minEvents}`;
  }
  const incidentStatus = incidents.slice(0, MAX_INCIDENTS).map((i) => ({ start: iso(i.start), end: iso(i.end), budgetShare: i.budgetShare, peakBurn: i.peakBurn, badEvents: i.badEvents }));
  const decision = decide({ noData, budgetRemaining, fastBurn: fb, traffic, incidents: incidentStatus, postmortemRequired }, policy, changeLabels);

  const status: SloStatus = {
    ...identity(plan),
    sli,
    errorRatio,
    budget,
    consumed,
    budgetRemaining,
    events: eventCounts,
    badMinutes,
    slices,
    burnRates,
    exhaustion,
    fastBurn: fb,
    traffic,
    incidents: incidentStatus,
    postmortemRequired,
    trend,
    sparkline: spark,
    step: plan.range.step,
    ...decision,
    unavailable: null,
    invalid: null,
    queries: 2,
  };
  if (slo.description !== undefined) status.description = slo.description;
  return status;
}

/** The fields of a status that say which SLO and window it is about. */
function identity(plan: SloPlan) {
  const { slo } = plan;
  return {
    id: slo.id,
    name: slo.name,
    service: slo.service,
    source: { ...slo.source },
    objective: slo.objective,
    window: slo.window.label,
    windowType: slo.window.type,
    windowStart: iso(plan.window.start / 1000),
    windowSeconds: plan.window.seconds,
    periodSeconds: plan.window.periodSeconds,
    budgeting: slo.budgeting.method,
    sliType: slo.sli.type,
  } satisfies Partial<SloStatus>;
}

/** The status of an SLO whose metrics were unavailable, under --on-unavailable pass. */
export function unavailableStatus(plan: SloPlan, message: string, queries: number): SloStatus {
  return emptyStatus(plan, queries, {
    verdict: 'pass',
    blocked: false,
    reasons: [`metrics unavailable, passed because of --on-unavailable pass: ${message}`],
    blocks: [],
    unavailable: message,
    invalid: null,
  });
}

/**
 * The status of an SLO whose metrics answered nonsense (NaN, ±Inf, negative,
 * bad > total): verdict `invalid`, blocking unless the policy says
 * `block.invalid: false`. `budget check` exits 3 on a blocking invalid SLO.
 */
export function invalidStatus(plan: SloPlan, error: MetricsDataError, queries: number): SloStatus {
  const blocks = plan.policy.block.invalid ? (['invalid'] as const) : [];
  return emptyStatus(plan, queries, {
    verdict: 'invalid',
    blocked: blocks.length > 0,
    reasons: [`invalid metric data: ${error.message}`, ...(blocks.length === 0 ? ['invalid data passes under this policy (block.invalid: false)'] : [])],
    blocks: [...blocks],
    unavailable: null,
    invalid: { message: error.message, query: error.query, value: error.value, time: error.time },
  });
}

/** A status with no measurements (unavailable or invalid metrics). */
function emptyStatus(plan: SloPlan, queries: number, verdict: Pick<SloStatus, 'verdict' | 'blocked' | 'reasons' | 'blocks' | 'unavailable' | 'invalid'>): SloStatus {
  const { slo } = plan;
  const status: SloStatus = {
    ...identity(plan),
    sli: null,
    errorRatio: null,
    budget: budgetOf(slo.objective),
    consumed: null,
    budgetRemaining: null,
    events: null,
    badMinutes: null,
    slices: null,
    burnRates: Object.fromEntries(plan.policy.burnWindows.map((w) => [w, null])),
    exhaustion: { '1h': null, '6h': null },
    fastBurn: [],
    traffic: { current: null, peak: null, low: null, tier: 'unknown', multiplier: 1 },
    incidents: [],
    postmortemRequired: false,
    trend: [],
    sparkline: '',
    step: plan.range.step,
    ...verdict,
    bypassed: [],
    exception: null,
    queries,
  };
  if (slo.description !== undefined) status.description = slo.description;
  return status;
}

async function pool<T>(count: number, limit: number, signal: AbortSignal, work: (i: number) => Promise<T>): Promise<T[]> {
  // Stryker disable next-line ArrayDeclaration: equivalent, every index is written before the array is returned (a failure rejects instead)
  const out = new Array<T>(count);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, async () => {
    while (next < count) {
      signal.throwIfAborted();
      const i = next++;
      out[i] = await work(i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Evaluate every SLO. Throws DependencyError (exit 3) on unavailable metrics unless onUnavailable is `pass`. */
export async function evaluateSlos(slos: readonly SloDefinition[], source: MetricsSource, options: EvaluateOptions): Promise<BudgetEvaluation> {
  const plans = planAll(slos, options.policy, options.at).map((p) =>
    options.allowNoData ? { ...p, policy: { ...p.policy, block: { ...p.policy.block, noData: false } } } : p,
  );
  const changeLabels = options.changeLabels ?? {};
  const passUnavailable = options.onUnavailable === 'pass';
  const batch = options.batch ?? source.kind === 'prometheus';
  const inner = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, inner.signal]) : inner.signal;
  let firstError: unknown;

  const evaluateOne = async (plan: SloPlan): Promise<SloStatus> => {
    let queries = 0;
    const send = async <T>(kind: 'instant' | 'range', query: string, run: () => Promise<T>): Promise<T> => {
      options.onQuery?.({ slo: plan.slo.id, kind, query });
      queries++;
      try {
        return await run();
      } catch (error) {
        throw wrapError(error, plan, kind, query, source.kind);
      }
    };
    const rangeOptions = { start: plan.range.start, end: plan.range.end, step: plan.range.step, signal };
    try {
      let instant: InstantSample[];
      let range: RangeSeries[];
      if (batch) {
        [instant, range] = await Promise.all([
          send('instant', plan.instant.query, () => source.instant(plan.instant.query, { time: plan.instant.time, signal })),
          send('range', plan.range.query, () => source.range(plan.range.query, rangeOptions)),
        ]);
      } else {
        // One query per window and part, tagged here instead of by label_replace.
        const [instants, ranges] = await Promise.all([
          Promise.all(
            plan.instant.parts.map(async (p) =>
              (await send('instant', p.raw, () => source.instant(p.raw, { time: plan.instant.time, signal }))).map((s) => ({ labels: { [WINDOW_LABEL]: p.window, [PART_LABEL]: p.part }, value: s.value })),
            ),
          ),
          Promise.all(
            plan.range.parts.map(async (p) => (await send('range', p.raw, () => source.range(p.raw, rangeOptions))).map((s) => ({ labels: { [PART_LABEL]: p.part }, points: s.points }))),
          ),
        ]);
        instant = instants.flat();
        range = ranges.flat();
      }
      const status = computeStatus(plan, instant, range, changeLabels, source.kind);
      status.queries = queries;
      return status;
    } catch (error) {
      // Nonsense data is not unavailability: --on-unavailable pass does not apply.
      if (error instanceof MetricsDataError && !options.signal?.aborted) return invalidStatus(plan, error, queries);
      if (error instanceof DependencyError && passUnavailable && !options.signal?.aborted) {
        return unavailableStatus(plan, error.message, queries);
      }
      if (firstError === undefined) {
        firstError = error;
        inner.abort(error);
      }
      throw error;
    }
  };

  let statuses: SloStatus[];
  try {
    statuses = await pool(plans.length, options.concurrency ?? 8, signal, (i) => evaluateOne(plans[i] as SloPlan));
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    // Stryker disable next-line LogicalOperator: equivalent, the pool rejects with the first failure, which is firstError (set before it is thrown; a later failure rejects later)
    throw firstError ?? error;
  }
  const summary = {
    total: statuses.length,
    pass: statuses.filter((s) => s.verdict === 'pass').length,
    fail: statuses.filter((s) => s.verdict === 'fail').length,
    noData: statuses.filter((s) => s.verdict === 'no-data').length,
    blocked: statuses.filter((s) => s.blocked).length,
    unavailable: statuses.filter((s) => s.unavailable !== null).length,
    invalid: statuses.filter((s) => s.invalid !== null).length,
  };
  return { at: iso(options.at / 1000), slos: statuses, summary, queries: statuses.reduce((n, s) => n + s.queries, 0) };
}
