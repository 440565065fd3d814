/**
 * `relia risk history`: what the incident record says. Per (service, category)
 * group and overall: count, MTTD, MTTR, detect→resolve and MTBF (mean, median,
 * p90), open and overlapping incidents, a monthly series per metric with a
 * Mann-Kendall trend and Sen's slope. Every statistic is computed from sorted
 * data, so row order never changes a result. Pure. docs/risk.md#history.
 */
import { sparkline } from '../sparkline.js';
import type { Incident } from './incidents.js';
import { mannKendall, mean, median, quantile, sensSlope } from './stats.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export type TrendDirection = 'improving' | 'worsening' | 'no-trend';

export interface Trend {
  /** Months with a value. */
  n: number;
  /** Mann-Kendall S. */
  s: number;
  z: number;
  /** Two-sided p-value (normal approximation, tie-corrected). */
  pValue: number;
  /** Sen's slope, metric units per month; null with fewer than two months. */
  senSlopePerMonth: number | null;
  /** improving/worsening when pValue < alpha, by the metric's good direction; otherwise no-trend. */
  direction: TrendDirection;
}

export type TrendMetric = 'count' | 'mttdMinutes' | 'mttrMinutes' | 'detectToResolveMinutes' | 'mtbfDays';
export const TREND_METRICS: readonly TrendMetric[] = ['count', 'mttdMinutes', 'mttrMinutes', 'detectToResolveMinutes', 'mtbfDays'];
/** For MTBF more is better; for the others less is better. */
const HIGHER_IS_BETTER: Record<TrendMetric, boolean> = { count: false, mttdMinutes: false, mttrMinutes: false, detectToResolveMinutes: false, mtbfDays: true };

export interface MonthlyPoint {
  /** UTC month, `2026-03`. */
  month: string;
  /** Incidents that started in the month. */
  count: number;
  /** Means over the month's incidents; null when none (MTTR, detect→resolve: resolved ones only). */
  mttdMinutes: number | null;
  mttrMinutes: number | null;
  detectToResolveMinutes: number | null;
  /** Mean interval, in days, ending at a start in this month. */
  mtbfDays: number | null;
}

export interface HistoryGroup {
  /** `*` in the overall summary. */
  service: string;
  category: string;
  count: number;
  open: number;
  resolved: number;
  /** started → detected (all incidents). */
  mttdMinutes: number | null;
  mttdMedianMinutes: number | null;
  mttdP90Minutes: number | null;
  /** started → resolved (resolved incidents only). */
  mttrMinutes: number | null;
  mttrMedianMinutes: number | null;
  mttrP90Minutes: number | null;
  /** detected → resolved (resolved incidents only). */
  detectToResolveMinutes: number | null;
  detectToResolveMedianMinutes: number | null;
  detectToResolveP90Minutes: number | null;
  /** Mean interval between consecutive starts, days; null with fewer than two incidents. */
  mtbfDays: number | null;
  mtbfMedianDays: number | null;
  mtbfP90Days: number | null;
  /** Incidents that started while an earlier incident of the group was still unresolved. */
  overlapCount: number;
  /** Length of the union of [started, resolved) intervals (open ones run to asOf), minutes. */
  mergedOutageMinutes: number;
  /** Sum of started → resolved over the group (open ones to asOf), minutes; minus merged = double-counted overlap. */
  summedOutageMinutes: number;
  /** Σ impact × (resolved − started) over resolved incidents: full-outage-equivalent minutes. */
  badMinutes: number;
  /** Ids of open incidents, by start. */
  openIds: string[];
  monthly: MonthlyPoint[];
  trend: Record<TrendMetric, Trend>;
}

export interface OpenIncident {
  id: string;
  service: string;
  category: string;
  severity: string | null;
  started: string;
  detected: string;
  /** asOf − started. */
  openMinutes: number;
}

export interface HistoryResult {
  /** Earliest and latest start (ISO); null with no incidents. */
  from: string | null;
  to: string | null;
  /** The instant open incidents are measured to: `now` if given, else the latest timestamp in the data. */
  asOf: string | null;
  count: number;
  open: number;
  /** Significance level of the trend test. */
  alpha: number;
  months: string[];
  overall: HistoryGroup;
  /** Sorted by service, then category. */
  groups: HistoryGroup[];
  openIncidents: OpenIncident[];
  /** The overall monthly series (same as overall.monthly). */
  monthly: MonthlyPoint[];
}

export interface HistoryOptions {
  /** Epoch ms; open incidents are measured up to it. Default: the latest timestamp in the data. */
  now?: number;
  /** Two-sided significance level for trends; default 0.05. */
  alpha?: number;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A total order on incidents that ignores the row they came from. */
export function compareIncidents(a: Incident, b: Incident): number {
  return (
    a.started - b.started ||
    a.detected - b.detected ||
    (a.resolved ?? Number.POSITIVE_INFINITY) - (b.resolved ?? Number.POSITIVE_INFINITY) ||
    cmpStr(a.id, b.id) ||
    cmpStr(a.service, b.service) ||
    cmpStr(a.category, b.category) ||
    a.impact - b.impact ||
    cmpStr(a.severity ?? '', b.severity ?? '')
  );
}

function monthIndex(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function monthLabel(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function trendOf(metric: TrendMetric, monthly: readonly MonthlyPoint[], alpha: number): Trend {
  const points: Array<[number, number]> = [];
  monthly.forEach((p, i) => {
    const v = p[metric];
    if (v !== null) points.push([i, v]);
  });
  const mk = mannKendall(points.map(([, v]) => v));
  let direction: TrendDirection = 'no-trend';
  if (
    mk.pValue < alpha &&
    // Stryker disable next-line ConditionalExpression: equivalent for every significance level α ≤ 1, S = 0 gives p = 1 (stats.mannKendall), never below α
    mk.s !== 0
  ) {
    // Stryker disable next-line EqualityOperator: `>=` is equivalent, S is not 0 here
    const rising = mk.s > 0;
    direction = rising === HIGHER_IS_BETTER[metric] ? 'improving' : 'worsening';
  }
  return { n: mk.n, s: mk.s, z: mk.z, pValue: mk.pValue, senSlopePerMonth: sensSlope(points), direction };
}

function monthlySeries(incidents: readonly Incident[], firstMonth: number, monthCount: number): MonthlyPoint[] {
  const buckets = Array.from({ length: monthCount }, () => ({ ttd: [] as number[], ttr: [] as number[], dtr: [] as number[], gaps: [] as number[], count: 0 }));
  incidents.forEach((inc, i) => {
    const b = buckets[monthIndex(inc.started) - firstMonth] as (typeof buckets)[number];
    b.count++;
    b.ttd.push((inc.detected - inc.started) / MINUTE_MS);
    if (inc.resolved !== null) {
      b.ttr.push((inc.resolved - inc.started) / MINUTE_MS);
      b.dtr.push((inc.resolved - inc.detected) / MINUTE_MS);
    }
    const prev = incidents[i - 1];
    if (prev) b.gaps.push((inc.started - prev.started) / DAY_MS);
  });
  return buckets.map((b, i) => ({
    month: monthLabel(firstMonth + i),
    count: b.count,
    mttdMinutes: mean(b.ttd),
    mttrMinutes: mean(b.ttr),
    detectToResolveMinutes: mean(b.dtr),
    mtbfDays: mean(b.gaps),
  }));
}

function summarize(
  service: string,
  category: string,
  incidents: readonly Incident[],
  asOf: number,
  firstMonth: number,
  monthCount: number,
  alpha: number,
): HistoryGroup {
  const ttd = incidents.map((i) => (i.detected - i.started) / MINUTE_MS);
  const resolved = incidents.filter((i) => i.resolved !== null) as Array<Incident & { resolved: number }>;
  const ttr = resolved.map((i) => (i.resolved - i.started) / MINUTE_MS);
  const dtr = resolved.map((i) => (i.resolved - i.detected) / MINUTE_MS);
  const gaps: number[] = [];
  for (let i = 1; i < incidents.length; i++) gaps.push(((incidents[i] as Incident).started - (incidents[i - 1] as Incident).started) / DAY_MS);

  let overlapCount = 0;
  let merged = 0;
  let summed = 0;
  let curStart = Number.NaN;
  let curEnd = Number.NEGATIVE_INFINITY;
  for (const inc of incidents) {
    const end = inc.resolved ?? Math.max(asOf, inc.detected);
    summed += end - inc.started;
    if (inc.started < curEnd) {
      overlapCount++;
      curEnd = Math.max(curEnd, end);
    } else {
      if (Number.isFinite(curEnd)) merged += curEnd - curStart;
      curStart = inc.started;
      curEnd = end;
    }
  }
  if (Number.isFinite(curEnd)) merged += curEnd - curStart;

  const monthly = monthlySeries(incidents, firstMonth, monthCount);
  const trend = Object.fromEntries(TREND_METRICS.map((m) => [m, trendOf(m, monthly, alpha)])) as Record<TrendMetric, Trend>;
  return {
    service,
    category,
    count: incidents.length,
    open: incidents.length - resolved.length,
    resolved: resolved.length,
    mttdMinutes: mean(ttd),
    mttdMedianMinutes: median(ttd),
    mttdP90Minutes: quantile(ttd, 0.9),
    mttrMinutes: mean(ttr),
    mttrMedianMinutes: median(ttr),
    mttrP90Minutes: quantile(ttr, 0.9),
    detectToResolveMinutes: mean(dtr),
    detectToResolveMedianMinutes: median(dtr),
    detectToResolveP90Minutes: quantile(dtr, 0.9),
    mtbfDays: mean(gaps),
    mtbfMedianDays: median(gaps),
    mtbfP90Days: quantile(gaps, 0.9),
    overlapCount,
    mergedOutageMinutes: merged / MINUTE_MS,
    summedOutageMinutes: summed / MINUTE_MS,
    badMinutes: resolved.reduce((sum, i) => sum + (i.impact * (i.resolved - i.started)) / MINUTE_MS, 0),
    openIds: incidents.filter((i) => i.resolved === null).map((i) => i.id),
    monthly,
    trend,
  };
}

/** The latest timestamp in the data (started, detected or resolved); null when empty. */
export function latestTimestamp(incidents: readonly Incident[]): number | null {
  let latest: number | null = null;
  for (const i of incidents) latest = Math.max(latest ?? Number.NEGATIVE_INFINITY, i.started, i.detected, i.resolved ?? Number.NEGATIVE_INFINITY);
  return latest;
}

/** Incidents by (service, category): groups ordered by service, then category; each group's incidents in input order. */
export function groupByServiceCategory(incidents: readonly Incident[]): Array<{ service: string; category: string; incidents: Incident[] }> {
  const byGroup = new Map<string, Incident[]>();
  for (const inc of incidents) {
    const key = JSON.stringify([inc.service, inc.category]);
    const list = byGroup.get(key);
    if (list) list.push(inc);
    else byGroup.set(key, [inc]);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => cmpStr(a, b))
    .map(([key, list]) => {
      const [service, category] = JSON.parse(key) as [string, string];
      return { service, category, incidents: list };
    });
}

/** Summarize an incident history. */
export function analyzeHistory(incidentsIn: readonly Incident[], options: HistoryOptions = {}): HistoryResult {
  const alpha = options.alpha ?? 0.05;
  const incidents = [...incidentsIn].sort(compareIncidents);
  const latest = latestTimestamp(incidents);
  const asOf = options.now ?? latest ?? 0;
  const first = incidents[0];
  const last = incidents[incidents.length - 1];
  const firstMonth = first ? monthIndex(first.started) : 0;
  // Stryker disable next-line LogicalOperator: equivalent, first and last are both set or both undefined
  const monthCount = first && last ? monthIndex(last.started) - firstMonth + 1 : 0;

  const groups = groupByServiceCategory(incidents).map((g) => summarize(g.service, g.category, g.incidents, asOf, firstMonth, monthCount, alpha));
  const overall = summarize('*', '*', incidents, asOf, firstMonth, monthCount, alpha);
  const openIncidents = incidents
    .filter((i) => i.resolved === null)
    .map((i) => ({
      id: i.id,
      service: i.service,
      category: i.category,
      severity: i.severity,
      started: new Date(i.started).toISOString(),
      detected: new Date(i.detected).toISOString(),
      openMinutes: Math.max(0, asOf - i.started) / MINUTE_MS,
    }));
  return {
    from: first ? new Date(first.started).toISOString() : null,
    to: last ? new Date(last.started).toISOString() : null,
    asOf: incidents.length > 0 || options.now !== undefined ? new Date(asOf).toISOString() : null,
    count: incidents.length,
    open: overall.open,
    alpha,
    months: overall.monthly.map((p) => p.month),
    overall,
    groups,
    openIncidents,
    monthly: overall.monthly,
  };
}

/** One sparkline (`▁▂▃▄▅▆▇█`) per metric over a monthly series; months without a value render as a space. */
export function monthlySparklines(monthly: readonly MonthlyPoint[]): Record<TrendMetric, string> {
  const out = {} as Record<TrendMetric, string>;
  for (const metric of TREND_METRICS) {
    out[metric] = sparkline(
      monthly.map((p) => p[metric] ?? Number.NaN),
      metric === 'count' ? { min: 0 } : {},
    );
  }
  return out;
}

export { sparkline };
