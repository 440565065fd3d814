/**
 * `relia capacity headroom`: how much capacity is left and, from the recent
 * trend, when it runs out. Pure; usage and history come in as numbers or
 * through the metrics port. Reference: docs/capacity-planning.md#headroom.
 *
 *   utilisation         u = usage / capacity
 *   headroom            (capacity − usage) / capacity = 1 − u
 *   trend               least-squares slope of usage over the trend window (trend.ts), fitted
 *                       to the moving average over one season (default 1d) when the window
 *                       holds at least 2 seasons: a line through a raw daily cycle is biased
 *                       even over whole days (for A·sin over n periods of length P the bias
 *                       is up to 6A/(π·n²·P) per unit time), and averaging over exactly one
 *                       period removes any periodic component while keeping a linear trend's slope
 *   time to saturation  (capacity − usage) / slope   when slope > 0
 *                       0 when usage ≥ capacity; never (null) when slope ≤ 0
 */
import { InputError } from '../errors.js';
import type { MetricsSource } from '../../ports/metrics.js';
import { humanDuration, parseBandwidth, parseRate } from '../units.js';
import { linearTrend, type LinearTrend } from './trend.js';

export type QuantityKind = 'rate' | 'bandwidth' | 'number';

export interface Quantity {
  /** Per second for rates, bits/s for bandwidths, as given for plain numbers. */
  value: number;
  kind: QuantityKind;
}

/** A plain number (`7500`, `1.2e4`), a rate (`7500/s`, `450000/m`) or a bandwidth (`40Gbps`). */
export function parseQuantity(input: string, field: string): Quantity {
  const text = input.trim();
  if (/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return { value, kind: 'number' };
  }
  if (text.includes('/') && !/b\/s$/i.test(text)) return { value: parseRate(text, field, { allowZero: true }), kind: 'rate' };
  if (/(?:bps|b\/s)$/i.test(text)) return { value: parseBandwidth(text, field), kind: 'bandwidth' };
  throw new InputError(`${field}: expected a number, a rate or a bandwidth, got ${JSON.stringify(input)}`, {
    field,
    suggestions: ['write it like 7500, 7500/s or 40Gbps (usage and capacity in the same kind of unit)'],
  });
}

/** The unit both values are in once reconciled: rates per second, bandwidth in bits/s, else as given. */
export function commonUnit(a: Quantity, b: Quantity, fields: [string, string]): { unit: string; note: string | null } {
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.has('rate') && kinds.has('bandwidth')) {
    const [rateField, bwField] = a.kind === 'rate' ? fields : [fields[1], fields[0]];
    throw new InputError(`${rateField} is a rate but ${bwField} is a bandwidth; they cannot be compared`, {
      field: bwField,
      suggestions: ['give both as rates (7500/s) or both as bandwidths (40Gbps)'],
    });
  }
  if (kinds.has('rate')) return { unit: '/s', note: kinds.has('number') ? 'plain numbers are read as per second, like the rates' : null };
  if (kinds.has('bandwidth')) return { unit: 'bps', note: kinds.has('number') ? 'plain numbers are read as bits per second, like the bandwidths' : null };
  return { unit: '', note: null };
}

export interface HeadroomTrend {
  /** Usage change per second (least squares over the window). */
  slopePerSecond: number;
  /** The same per day, for people. */
  slopePerDay: number;
  /** True when the line was fitted to the one-season moving average. */
  deseasonalized: boolean;
  r2: number;
  points: number;
  window: number;
  from: string;
  to: string;
}

export interface HeadroomReport {
  at: string;
  usage: number;
  capacity: number;
  /** `/s`, `bps` or empty (the unit of the plain numbers / the query). */
  unit: string;
  utilization: number;
  /** (capacity − usage) / capacity, as a fraction (negative when over capacity). */
  headroom: number;
  headroomPercent: number;
  trend: HeadroomTrend | null;
  /** Seconds until usage reaches capacity on the trend; 0 when saturated; null when never or unknown. */
  timeToSaturation: number | null;
  saturationAt: string | null;
  /** saturated: usage ≥ capacity; rising: saturates at saturationAt; never: trend ≤ 0; unknown: no trend. */
  outlook: 'saturated' | 'rising' | 'never' | 'unknown';
  /** The --min-headroom check: null when not asked. */
  belowMinimum: boolean | null;
  notes: string[];
}

const iso = (unix: number): string => new Date(Math.round(unix) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Moving average over one season of a regular series (points at a fixed step),
 * each placed at the mean time of its window. Needs 2 seasons of points;
 * otherwise the raw points are returned with a note.
 */
export function deseasonalize(points: ReadonlyArray<readonly [number, number]>, season: number, notes: string[]): ReadonlyArray<readonly [number, number]> {
  const pts = points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  if (pts.length < 3) return points;
  const step = ((pts[pts.length - 1] as readonly [number, number])[0] - (pts[0] as readonly [number, number])[0]) / (pts.length - 1);
  const width = Math.round(season / step);
  if (width < 2 || pts.length < 2 * width) {
    notes.push(`the trend window holds less than 2 seasons (${Math.round(season / 3600)}h each): the line is fitted to the raw points, so the cycle can bias it`);
    return points;
  }
  const out: Array<[number, number]> = [];
  let sumT = 0;
  let sumV = 0;
  for (let i = 0; i < pts.length; i++) {
    const [t, v] = pts[i] as readonly [number, number];
    sumT += t;
    sumV += v;
    if (i >= width) {
      const [t0, v0] = pts[i - width] as readonly [number, number];
      sumT -= t0;
      sumV -= v0;
    }
    if (i >= width - 1) out.push([sumT / width, sumV / width]);
  }
  return out;
}

export interface HeadroomInput {
  usage: number;
  capacity: number;
  unit: string;
  /** Epoch ms the usage is measured at. */
  at: number;
  /** Usage history over the trend window: [unix seconds, value]. */
  history?: ReadonlyArray<readonly [number, number]>;
  /** Trend window in seconds (for the report). */
  window?: number;
  /** Season in seconds to average out before fitting the trend (null/undefined: fit the raw points). */
  season?: number | null;
  /** Fail (belowMinimum) when headroom is below this fraction. */
  minHeadroom?: number;
  notes?: string[];
}

export function computeHeadroom(input: HeadroomInput): HeadroomReport {
  if (!(input.capacity > 0)) throw new InputError(`--capacity must be above zero, got ${input.capacity}`, { field: '--capacity', suggestions: ['e.g. --capacity 10000/s'] });
  if (!(input.usage >= 0) || !Number.isFinite(input.usage)) throw new InputError(`usage must be a finite number ≥ 0, got ${input.usage}`, { field: '--usage', suggestions: ['e.g. --usage 7500/s'] });
  const notes = [...(input.notes ?? [])];
  const headroom = (input.capacity - input.usage) / input.capacity;
  const points = input.history && input.season ? deseasonalize(input.history, input.season, notes) : input.history;
  const fit: LinearTrend | null = points ? linearTrend(points) : null;
  if (input.history && !fit) notes.push('the trend window has fewer than 2 points: no trend');
  const trend: HeadroomTrend | null = fit
    ? {
        slopePerSecond: fit.slope,
        deseasonalized: points !== input.history,
        slopePerDay: fit.slope * 86_400,
        r2: fit.r2,
        points: fit.points,
        window: input.window ?? 0,
        from: iso(Math.min(...(input.history as ReadonlyArray<readonly [number, number]>).map(([t]) => t))),
        to: iso(Math.max(...(input.history as ReadonlyArray<readonly [number, number]>).map(([t]) => t))),
      }
    : null;
  let timeToSaturation: number | null = null;
  let outlook: HeadroomReport['outlook'];
  if (input.usage >= input.capacity) {
    outlook = 'saturated';
    timeToSaturation = 0;
  } else if (!trend) outlook = 'unknown';
  else if (trend.slopePerSecond <= 0) outlook = 'never';
  else {
    outlook = 'rising';
    timeToSaturation = (input.capacity - input.usage) / trend.slopePerSecond;
  }
  if (
    trend &&
    // Stryker disable next-line EqualityOperator: equivalent, R² = 1 − x is never the double 0.3 (for x in [0.5, 1] it is exact, a multiple of 2⁻⁵³; 0.3 is an odd multiple of 2⁻⁵⁴)
    trend.r2 < 0.3 &&
    outlook === 'rising'
  )
    notes.push(`the trend explains little of the variation (R² ${trend.r2.toFixed(2)}); treat the time to saturation as rough`);
  const atSeconds = input.at / 1000;
  return {
    at: iso(atSeconds),
    usage: input.usage,
    capacity: input.capacity,
    unit: input.unit,
    utilization: input.usage / input.capacity,
    headroom,
    headroomPercent: headroom * 100,
    trend,
    timeToSaturation,
    saturationAt: timeToSaturation === null ? null : iso(atSeconds + timeToSaturation),
    outlook,
    belowMinimum: input.minHeadroom === undefined ? null : headroom < input.minHeadroom,
    notes,
  };
}

/** The range of the trend query: [at − window, at], about 240 points, whole seconds, at least 15 s apart. */
export function trendRange(atMs: number, window: number, step?: number): { start: number; end: number; step: number } {
  const s = step ?? Math.max(15, Math.ceil(window / 240));
  return { start: atMs - window * 1000, end: atMs, step: s };
}

/** The usage query's single value at `at` (epoch ms). */
export async function usageFromMetrics(source: MetricsSource, query: string, at: number, signal?: AbortSignal): Promise<number> {
  const samples = await source.instant(query, { time: at, ...(signal ? { signal } : {}) });
  if (samples.length !== 1) {
    throw new InputError(`--usage-query returned ${samples.length === 0 ? 'no data' : `${samples.length} series`} at ${iso(at / 1000)}; it must return exactly one`, {
      field: '--usage-query',
      suggestions: samples.length === 0 ? ['check the metric name, labels and --at'] : ['aggregate it, e.g. sum(rate(http_requests_total[5m]))'],
    });
  }
  const value = (samples[0] as { value: number }).value;
  if (!Number.isFinite(value)) throw new InputError(`--usage-query returned ${value}, not a finite number`, { field: '--usage-query', suggestions: ['make the query return a finite number'] });
  return value;
}

/** The usage query over the trend window, as points (one series, else an InputError). */
export async function usageHistory(source: MetricsSource, query: string, range: { start: number; end: number; step: number }, signal?: AbortSignal): Promise<Array<[number, number]>> {
  const series = await source.range(query, { ...range, ...(signal ? { signal } : {}) });
  if (series.length > 1) {
    throw new InputError(`--usage-query returned ${series.length} series over the trend window`, { field: '--usage-query', suggestions: ['aggregate it, e.g. sum(...)'] });
  }
  return series.length === 0 ? [] : (series[0] as { points: Array<[number, number]> }).points.filter(([, v]) => Number.isFinite(v));
}

/** `3d 4h` style text for a time to saturation (null → never). */
export function describeSaturation(report: HeadroomReport): string {
  switch (report.outlook) {
    case 'saturated':
      return 'now (usage is at or above capacity)';
    case 'never':
      return 'never (the trend is flat or falling)';
    case 'unknown':
      return 'unknown (no trend: give --usage-query)';
    default:
      return `in ${humanDuration(report.timeToSaturation as number)} (${report.saturationAt})`;
  }
}
