/**
 * `relia capacity forecast`: history (CSV or a Prometheus range query) →
 * regular series → season (detected or given) → additive Holt-Winters fit →
 * forecast with prediction intervals, the next peak, a backtest on a held-out
 * tail, and scheduled scaling actions that put capacity in place before the
 * peak. Pure: time comes in as data (timestamps, `at`), I/O through the
 * metrics port. Reference: docs/capacity-planning.md#forecast.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { headerColumns, type ColumnNames } from '../csv-header.js';
import { InputError } from '../errors.js';
import type { MetricsSource } from '../../ports/metrics.js';
import { formatDuration, parseTime } from '../units.js';
import { fitHoltWinters, forecastHw, zForLevel, type HwFit } from './holt-winters.js';
import { ceilSafe } from './plan.js';
import { detectSeason, type SeasonCandidate } from './seasonality.js';

/** Most points a forecast takes (Prometheus answers at most 11,000 per range query). */
export const MAX_POINTS = 11_000;

export interface RegularSeries {
  /** Unix seconds of values[0]. */
  start: number;
  /** Seconds between points. */
  step: number;
  values: number[];
  /** Points missing from the input and filled by linear interpolation. */
  filled: number;
}

const iso = (unix: number): string => new Date(unix * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Put (time, value) points on a regular grid. The step is given or the median
 * spacing. Points must sit on the grid (within 10% of a step); gaps are filled
 * by linear interpolation and counted.
 */
export function regularize(points: ReadonlyArray<readonly [number, number]>, opts: { step?: number; field: string }): RegularSeries {
  const pts = [...points].sort((a, b) => a[0] - b[0]);
  if (pts.length < 2) throw new InputError(`${opts.field}: need at least 2 points of history, got ${pts.length}`, { field: opts.field, suggestions: ['give a longer history (several seasons, e.g. 7d)'] });
  for (let i = 1; i < pts.length; i++) {
    if ((pts[i] as [number, number])[0] === (pts[i - 1] as [number, number])[0]) {
      throw new InputError(`${opts.field}: two values at ${iso((pts[i] as [number, number])[0])}`, { field: opts.field, suggestions: ['give one value per timestamp'] });
    }
  }
  let step = opts.step;
  if (step === undefined) {
    const gaps = pts.slice(1).map((p, i) => p[0] - (pts[i] as [number, number])[0]).sort((a, b) => a - b);
    step = gaps[Math.floor(gaps.length / 2)] as number;
  }
  const start = (pts[0] as [number, number])[0];
  const last = (pts[pts.length - 1] as [number, number])[0];
  const count = Math.round((last - start) / step) + 1;
  if (count > MAX_POINTS) {
    throw new InputError(`${opts.field}: ${count} points at a ${formatDuration(step)} step is more than ${MAX_POINTS}`, { field: opts.field, suggestions: ['use a coarser step (e.g. --step 15m) or a shorter range'] });
  }
  const values = new Array<number>(count).fill(Number.NaN);
  // The grid indices that hold a measured value, in time order (pts is sorted).
  const known: number[] = [];
  for (const [t, v] of pts) {
    const k = (t - start) / step;
    const i = Math.round(k);
    if (Math.abs(k - i) > 0.1) {
      throw new InputError(`${opts.field}: ${iso(t)} is off the ${formatDuration(step)} grid starting ${iso(start)}`, { field: opts.field, suggestions: ['give evenly spaced timestamps (one every step)'] });
    }
    if (known[known.length - 1] === i) {
      throw new InputError(`${opts.field}: ${iso(t)} falls on the grid point ${iso(start + i * step)}, which already has a value (two values within one ${formatDuration(step)} step)`, {
        field: opts.field,
        suggestions: ['give one value per step: aggregate finer samples first, or give a finer --step'],
      });
    }
    values[i] = v;
    known.push(i);
  }
  // Each gap between two measured points is filled on the straight line between them.
  let filled = 0;
  for (let g = 1; g < known.length; g++) {
    const i0 = known[g - 1] as number;
    const i1 = known[g] as number;
    const a = values[i0] as number;
    const b = values[i1] as number;
    for (let k = i0 + 1; k < i1; k++) values[k] = a + ((b - a) * (k - i0)) / (i1 - i0);
    filled += i1 - i0 - 1;
  }
  return { start, step, values, filled };
}

/** The names a `capacity forecast` CSV header may give its columns (any order, any case). */
export const HISTORY_COLUMNS: ColumnNames<'timestamp' | 'value'> = {
  timestamp: ['timestamp', 't', 'ts', 'time', 'date', 'datetime'],
  value: ['value', 'v', 'y', 'count', 'rate', 'rps'],
};

/**
 * Parse `timestamp,value` CSV (RFC 3339 or unix seconds; `#` comments). A
 * header is optional and recognised by its names only (`HISTORY_COLUMNS`, any
 * order); a first row that names no column is data, checked as data.
 */
export function parseHistoryCsv(text: string, file: string): Array<[number, number]> {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parseCsv(text, { comment: '#', skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    throw new InputError(`${file}: not readable as CSV: ${(error as Error).message}`, { field: '--input', file, suggestions: ['write one `timestamp,value` per line'] });
  }
  const out: Array<[number, number]> = [];
  // Rows are named by their line in the file (comments and blank lines count), as an editor shows them.
  const first = records[0];
  const header = first ? headerColumns(first.record, HISTORY_COLUMNS, { file, row: first.info.lines }) : null;
  const at = header ?? { timestamp: 0, value: 1 };
  for (const { record: row, info } of header ? records.slice(1) : records) {
    const line = info.lines;
    const ts = row[at.timestamp];
    const value = row[at.value];
    if (ts === undefined || ts === '' || value === undefined || value === '') {
      throw new InputError(`${file}: row ${line}: expected timestamp,value, got ${JSON.stringify(row.join(','))}`, { field: '--input', file, suggestions: ['e.g. 2026-10-31T18:00:00Z,1234.5'] });
    }
    const t = parseTime(ts, `${file}: row ${line}: timestamp`) / 1000;
    const v = Number(value);
    if (!Number.isFinite(v)) throw new InputError(`${file}: row ${line}: value ${JSON.stringify(value)} is not a number`, { field: '--input', file, suggestions: ['write plain numbers, e.g. 1234.5'] });
    out.push([t, v]);
  }
  if (out.length === 0) throw new InputError(`${file}: no data rows`, { field: '--input', file, suggestions: ['write one `timestamp,value` per line'] });
  return out;
}

/** One range query → its single series' points. Several series: aggregate them first. */
export async function historyFromMetrics(
  source: MetricsSource,
  query: string,
  range: { start: number; end: number; step: number; signal?: AbortSignal },
  field = '--query',
): Promise<Array<[number, number]>> {
  const count = Math.floor((range.end - range.start) / 1000 / range.step) + 1;
  if (count > MAX_POINTS) {
    throw new InputError(`${field}: ${count} points at a ${formatDuration(range.step)} step is more than ${MAX_POINTS}`, { field: '--step', suggestions: ['use a coarser --step or a shorter --range'] });
  }
  const series = await source.range(query, { start: range.start, end: range.end, step: range.step, ...(range.signal ? { signal: range.signal } : {}) });
  if (series.length === 0) {
    throw new InputError(`${field}: the query returned no data between ${iso(range.start / 1000)} and ${iso(range.end / 1000)}`, { field, suggestions: ['check the metric name and labels', 'check --from/--to or --range and --at'] });
  }
  if (series.length > 1) {
    throw new InputError(`${field}: the query returned ${series.length} series; a forecast needs one`, { field, suggestions: ['aggregate it, e.g. sum(rate(http_requests_total[5m]))'] });
  }
  return (series[0] as { points: Array<[number, number]> }).points.filter(([, v]) => Number.isFinite(v));
}

export interface ScalingOptions {
  /** What one instance carries, in the series' unit. */
  capacityPerInstance: number;
  /** Seconds before a rise that capacity must be in place. */
  leadTime: number;
  /** Utilisation to plan at (1 = full). */
  targetUtilization: number;
  /** Seconds per scheduling block. */
  interval: number;
  minInstances: number;
}

export interface ForecastOptions {
  series: RegularSeries;
  /** 'auto' detects; 'none' fits Holt's linear trend; a number of seconds is taken as given. */
  season: 'auto' | 'none' | number;
  /** Seconds ahead. */
  horizon: number;
  /** Central prediction-interval level, e.g. 0.95. */
  level: number;
  /** Seconds held out for the backtest (default one season; with no season, the horizon). */
  holdout?: number;
  scaling?: ScalingOptions;
}

export interface ForecastPoint {
  time: string;
  value: number;
  lower: number;
  upper: number;
}

export interface ScalingAction {
  /** When to act: the forecast origin for the first; lead time before a rise; the start of the lower block for a fall. */
  at: string;
  instances: number;
  change: 'initial' | 'scale-out' | 'scale-in';
  /** The time this sizing covers: [from, to). */
  from: string;
  to: string;
  /** Highest upper bound in the block, in the series' unit. */
  upper: number;
}

export interface Backtest {
  /** Points held out at the end of the history. */
  points: number;
  from: string;
  to: string;
  /** Mean absolute percentage error of the held-out forecast (percent; zero actuals skipped). */
  mape: number | null;
  /** Largest absolute percentage error (percent). */
  maxApe: number | null;
  /** Held-out actuals inside the prediction interval (fraction). */
  coverage: number;
  zeroActualsSkipped: number;
}

export interface ForecastReport {
  history: { points: number; from: string; to: string; step: number; filled: number; min: number; max: number; mean: number };
  season: {
    /** Seconds, or null for none. */
    seconds: number | null;
    label: string;
    points: number;
    source: 'detected' | 'given' | 'none';
    reason: string;
    candidates: SeasonCandidate[];
  };
  model: {
    method: string;
    alpha: number;
    beta: number;
    gamma: number;
    /** Level and trend (per step) after the last observation. */
    level: number;
    trendPerStep: number;
    /** σ of the one-step errors. */
    sigma: number;
    sse: number;
  };
  interval: { level: number; z: number; method: string };
  horizon: { seconds: number; points: number; from: string; to: string };
  forecast: ForecastPoint[];
  nextPeak: { time: string; value: number; lower: number; upper: number; instances: number | null };
  backtest: Backtest | null;
  actions: ScalingAction[];
  scaling: ScalingOptions | null;
  notes: string[];
}

function seasonPoints(opts: ForecastOptions): { seconds: number | null; points: number; source: 'detected' | 'given' | 'none'; reason: string; candidates: SeasonCandidate[] } {
  const { series } = opts;
  const detected = detectSeason(series.values, series.step);
  if (opts.season === 'auto') return { ...detected, source: detected.seconds === null ? 'none' : 'detected' };
  if (opts.season === 'none') return { seconds: null, points: 0, source: 'none', reason: 'no season (--season none)', candidates: detected.candidates };
  const m = opts.season / series.step;
  if (!Number.isInteger(m) || m < 2) {
    throw new InputError(`--season ${formatDuration(opts.season)}: must be a whole number (≥ 2) of ${formatDuration(series.step)} steps`, { field: '--season', suggestions: [`use a season that is a multiple of the step, e.g. --season 1d`, 'or --season auto'] });
  }
  if (series.values.length < 2 * m) {
    throw new InputError(`--season ${formatDuration(opts.season)}: Holt-Winters needs 2 full seasons (${2 * m} points); the history has ${series.values.length}`, { field: '--season', suggestions: [`give at least ${formatDuration(2 * opts.season)} of history`, 'or a shorter --season'] });
  }
  return { seconds: opts.season, points: m, source: 'given', reason: `given (--season ${formatDuration(opts.season)})`, candidates: detected.candidates };
}

function clampNonNegative(points: ForecastPoint[], allow: boolean): ForecastPoint[] {
  if (!allow) return points;
  return points.map((p) => ({ time: p.time, value: Math.max(0, p.value), lower: Math.max(0, p.lower), upper: Math.max(0, p.upper) }));
}

function runBacktest(values: number[], period: number, holdout: number, z: number, step: number, start: number): Backtest | null {
  const train = values.slice(0, values.length - holdout);
  if (holdout < 1 || train.length < Math.max(2 * period, 3)) return null;
  const fit = fitHoltWinters(train, period);
  const fc = forecastHw(fit, holdout, z);
  let sum = 0;
  let n = 0;
  let max = 0;
  let inside = 0;
  let zeros = 0;
  fc.forEach((f, i) => {
    const actual = values[train.length + i] as number;
    if (actual >= f.lower && actual <= f.upper) inside++;
    if (actual === 0) {
      zeros++;
      return;
    }
    const ape = (Math.abs(actual - f.mean) / Math.abs(actual)) * 100;
    sum += ape;
    max = Math.max(max, ape);
    n++;
  });
  return {
    points: holdout,
    from: iso(start + train.length * step),
    to: iso(start + (values.length - 1) * step),
    mape: n > 0 ? sum / n : null,
    maxApe: n > 0 ? max : null,
    coverage: inside / holdout,
    zeroActualsSkipped: zeros,
  };
}

/**
 * Scheduled scaling: cut the horizon into blocks of `interval` aligned to
 * multiples of it in UTC (hours, for 1h); each block needs
 * max(minInstances, ⌈max upper bound in the block / (capacity × target)⌉).
 * A rise is scheduled `leadTime` before its block starts, so the capacity is
 * in place before the load arrives (what AWS predictive scaling's
 * SchedulingBufferTime does); a fall at the start of the lower block, after
 * the higher one has passed. The first action, at the forecast origin, sets
 * the starting size. `forecast[i]` is at `firstTime + i·step`.
 */
export function scheduleActions(forecast: ForecastPoint[], firstTime: number, step: number, s: ScalingOptions): ScalingAction[] {
  const blocks: Array<{ from: number; to: number; upper: number; instances: number }> = [];
  const horizonEnd = firstTime + forecast.length * step;
  forecast.forEach((p, i) => {
    const t = firstTime + i * step;
    const from = Math.max(firstTime, Math.floor(t / s.interval) * s.interval);
    let block = blocks[blocks.length - 1];
    if (!block || block.from !== from) {
      block = { from, to: Math.min(horizonEnd, (Math.floor(t / s.interval) + 1) * s.interval), upper: p.upper, instances: 0 };
      blocks.push(block);
    }
    block.upper = Math.max(block.upper, p.upper);
  });
  for (const b of blocks) b.instances = Math.max(s.minInstances, ceilSafe(b.upper / (s.capacityPerInstance * s.targetUtilization)));
  const actions: ScalingAction[] = [];
  let previous: number | null = null;
  for (const b of blocks) {
    if (b.instances === previous) {
      const last = actions[actions.length - 1] as ScalingAction;
      last.to = iso(b.to);
      last.upper = Math.max(last.upper, b.upper);
      continue;
    }
    // Stryker disable next-line EqualityOperator: equivalent, a block of the same size as the previous one was merged above, so b.instances never equals previous here
    const change: ScalingAction['change'] = previous === null ? 'initial' : b.instances > previous ? 'scale-out' : 'scale-in';
    const at = change === 'initial' ? firstTime - step : change === 'scale-out' ? b.from - s.leadTime : b.from;
    actions.push({ at: iso(at), instances: b.instances, change, from: iso(b.from), to: iso(b.to), upper: b.upper });
    previous = b.instances;
  }
  return actions;
}

/** Fit, backtest and forecast. InputError (exit 2) when the history cannot support the request. */
export function forecastSeries(opts: ForecastOptions): ForecastReport {
  const { series } = opts;
  const { values, step, start } = series;
  const n = values.length;
  const notes: string[] = [];
  const season = seasonPoints(opts);
  const m = season.points;
  const minPoints = Math.max(2 * m, 4);
  if (n < minPoints) {
    throw new InputError(`history: ${n} points are too few to fit (need ${minPoints})`, { field: '--range', suggestions: ['give a longer history', 'or --season none'] });
  }
  const horizonPoints = Math.round(opts.horizon / step);
  if (horizonPoints < 1) throw new InputError(`--horizon ${formatDuration(opts.horizon)} is shorter than one step (${formatDuration(step)})`, { field: '--horizon', suggestions: [`use at least --horizon ${formatDuration(step)}`] });
  if (horizonPoints > MAX_POINTS) throw new InputError(`--horizon: ${horizonPoints} points is more than ${MAX_POINTS}`, { field: '--horizon', suggestions: ['forecast a shorter horizon or use a coarser step'] });
  const z = zForLevel(opts.level);

  const fit: HwFit = fitHoltWinters(values, m);
  const nonNegative = values.every((v) => v >= 0);
  const end = start + (n - 1) * step;
  const raw = forecastHw(fit, horizonPoints, z);
  const forecast = clampNonNegative(
    raw.map((p) => ({ time: iso(end + p.h * step), value: p.mean, lower: p.lower, upper: p.upper })),
    nonNegative,
  );
  if (nonNegative && raw.some((p) => p.lower < 0)) notes.push('the history has no negative values, so forecasts and bounds are clamped at 0');

  const peakWindow = Math.min(horizonPoints, m > 0 ? m : horizonPoints);
  let peakIndex = 0;
  for (let i = 1; i < peakWindow; i++) if ((forecast[i] as ForecastPoint).value > (forecast[peakIndex] as ForecastPoint).value) peakIndex = i;
  const peak = forecast[peakIndex] as ForecastPoint;

  const holdoutSeconds = opts.holdout ?? (m > 0 ? m * step : opts.horizon);
  const holdout = Math.round(holdoutSeconds / step);
  const backtest = runBacktest(values, m, Math.min(holdout, n - 1), z, step, start);
  if (!backtest && holdout < 1) notes.push(`no backtest: the holdout ${formatDuration(holdoutSeconds)} is less than one ${formatDuration(step)} step`);
  else if (!backtest) notes.push(`no backtest: holding out ${formatDuration(holdoutSeconds)} leaves less than ${m > 0 ? '2 seasons' : '3 points'} to fit; give a longer history`);
  else if (backtest.mape === null) notes.push('backtest: every held-out value is 0, so MAPE is undefined');

  const actions = opts.scaling ? scheduleActions(forecast, end + step, step, opts.scaling) : [];
  if (series.filled > 0) notes.push(`${series.filled} missing points were filled by linear interpolation`);

  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return {
    history: { points: n, from: iso(start), to: iso(end), step, filled: series.filled, min, max, mean: sum / n },
    season: { seconds: season.seconds, label: season.seconds === null ? 'none' : formatDuration(season.seconds), points: m, source: season.source, reason: season.reason, candidates: season.candidates },
    model: {
      method: m > 0 ? `additive Holt-Winters, ETS(A,A,A), season ${m} points` : "Holt's linear trend, ETS(A,A,N)",
      alpha: fit.params.alpha,
      beta: fit.params.beta,
      gamma: fit.params.gamma,
      level: fit.state.level,
      trendPerStep: fit.state.trend,
      sigma: fit.sigma,
      sse: fit.sse,
    },
    interval: { level: opts.level, z, method: 'ŷ ± z·σ_h, σ_h² = σ²(1 + Σ_{j<h} c_j²), c_j = α + αβ*·j + γ·[j mod m = 0] (FPP3 §8.7)' },
    horizon: { seconds: horizonPoints * step, points: horizonPoints, from: iso(end + step), to: iso(end + horizonPoints * step) },
    forecast,
    nextPeak: {
      time: peak.time,
      value: peak.value,
      lower: peak.lower,
      upper: peak.upper,
      instances: opts.scaling ? Math.max(opts.scaling.minInstances, ceilSafe(peak.upper / (opts.scaling.capacityPerInstance * opts.scaling.targetUtilization))) : null,
    },
    backtest,
    actions,
    scaling: opts.scaling ?? null,
    notes,
  };
}
