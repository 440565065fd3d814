/**
 * CLI glue of `relia capacity forecast`: its flags, reading the history (CSV
 * file/stdin, or a Prometheus range query through the metrics port) and the
 * human output.
 */
import { Flags } from '@oclif/core';
import { forecastSeries, historyFromMetrics, parseHistoryCsv, regularize, type ForecastReport, type ScalingOptions } from '../../core/capacity/forecast.js';
import { grouped } from '../../core/capacity/plan.js';
import { InputError } from '../../core/errors.js';
import { sparkline } from '../../core/sparkline.js';
import { formatDuration, parseDuration, parseFraction, parseRate, parseTime } from '../../core/units.js';
import type { CommandContext } from '../base-command.js';
import { readTextInput } from '../files.js';
import { metricsFromConfig } from '../providers.js';
import { renderPairs, renderTable, sig, type Style } from '../style.js';

export const forecastFlags = {
  input: Flags.string({ charAliases: ['i'], deprecateAliases: true, description: 'History as CSV (timestamp,value; RFC 3339 or unix seconds), or - for stdin.' }),
  query: Flags.string({ char: 'q', description: 'History from this PromQL range query (one series; aggregate with sum()).' }),
  prometheus: Flags.string({ description: "Prometheus URL (default: the config environment's metrics.url)." }),
  range: Flags.string({ description: 'With --query: this much history ending at --at, e.g. 7d.' }),
  start: Flags.string({ description: 'With --query: history start (RFC 3339 or unix seconds), instead of --range.', aliases: ['from'], deprecateAliases: true }),
  end: Flags.string({ description: 'With --start: history end (default --at).', aliases: ['to'], deprecateAliases: true }),
  at: Flags.string({ description: 'End of the history for --range (default: now).' }),
  step: Flags.string({ description: 'With --query: resolution (default 5m). Points are capped at 11,000.', default: '5m' }),
  season: Flags.string({ description: 'auto (detect 1d/7d from autocorrelation), none, or a season length such as 1d or 7d.', default: 'auto' }),
  horizon: Flags.string({ description: 'How far ahead to forecast.', default: '1d' }),
  level: Flags.string({ description: 'Prediction-interval level, e.g. 95% or 0.8.', default: '95%' }),
  holdout: Flags.string({ description: 'History held out for the backtest (default: one season, or the horizon without one).' }),
  'capacity-per-instance': Flags.string({ description: 'What one instance carries, in the series unit (a number or a rate such as 50/s): enables scheduled scaling actions.' }),
  'lead-time': Flags.string({ description: 'Capacity must be in place this long before a rise (instance start-up + warm-up).', default: '15m' }),
  'target-utilization': Flags.string({ description: 'Utilisation the scheduled capacity plans for (e.g. 70%).', default: '100%' }),
  'action-interval': Flags.string({ description: 'Length of the scheduling blocks (aligned to UTC multiples of it).', default: '1h' }),
  'min-instances': Flags.integer({ description: 'Never schedule fewer instances.', default: 1, min: 0 }),
  insecure: Flags.boolean({ description: 'Allow metrics.tls.insecureSkipVerify from the config.' }),
};

export interface ForecastFlags {
  input?: string | undefined;
  query?: string | undefined;
  range?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  at?: string | undefined;
  step: string;
  season: string;
  horizon: string;
  level: string;
  holdout?: string | undefined;
  'capacity-per-instance'?: string | undefined;
  'lead-time': string;
  'target-utilization': string;
  'action-interval': string;
  'min-instances': number;
  insecure: boolean;
}

export interface ForecastSource {
  kind: 'csv' | 'prometheus';
  /** The CSV file (`stdin` for -), or null. */
  input: string | null;
  query: string | null;
}

function parseSeason(text: string): 'auto' | 'none' | number {
  if (text === 'auto' || text === 'none') return text;
  return parseDuration(text, '--season');
}

function scalingOf(f: ForecastFlags): ScalingOptions | undefined {
  const cap = f['capacity-per-instance'];
  if (cap === undefined) return undefined;
  const capacityPerInstance = /\//.test(cap) ? parseRate(cap, '--capacity-per-instance') : Number(cap);
  if (!(capacityPerInstance > 0) || !Number.isFinite(capacityPerInstance)) {
    throw new InputError(`--capacity-per-instance: expected a number or a rate above zero, got ${JSON.stringify(cap)}`, { field: '--capacity-per-instance', suggestions: ['e.g. --capacity-per-instance 50/s (in the unit of the series)'] });
  }
  const targetUtilization = parseFraction(f['target-utilization'], '--target-utilization');
  if (targetUtilization === 0) throw new InputError('--target-utilization must be above 0', { field: '--target-utilization', suggestions: ['e.g. --target-utilization 70%'] });
  return {
    capacityPerInstance,
    leadTime: parseDuration(f['lead-time'], '--lead-time', { allowZero: true }),
    targetUtilization,
    interval: parseDuration(f['action-interval'], '--action-interval'),
    minInstances: f['min-instances'],
  };
}

/** Validate every flag, read the history, and forecast. */
export async function runForecast(ctx: CommandContext, f: ForecastFlags): Promise<{ report: ForecastReport; source: ForecastSource; history: number[] }> {
  if ((f.input === undefined) === (f.query === undefined)) {
    throw new InputError(f.input === undefined ? 'no history: give --input FILE or --query PROMQL' : 'give --input or --query, not both', { field: '--input', suggestions: ['--input history.csv', "--query 'sum(rate(http_requests_total[5m]))' --range 7d"] });
  }
  const season = parseSeason(f.season);
  const horizon = parseDuration(f.horizon, '--horizon');
  const level = parseFraction(f.level, '--level');
  if (!(level >= 0.5 && level < 1)) throw new InputError(`--level ${f.level}: expected 50% to 99.99%`, { field: '--level', suggestions: ['e.g. --level 95%'] });
  const holdout = f.holdout === undefined ? undefined : parseDuration(f.holdout, '--holdout');
  const scaling = scalingOf(f);

  let points: Array<[number, number]>;
  let step: number | undefined;
  let source: ForecastSource;
  if (f.input !== undefined) {
    if (f.range || f.start || f.end) throw new InputError('--range, --start and --end go with --query; a CSV carries its own timestamps', { field: '--range', suggestions: ['remove them, or use --query'] });
    const name = f.input === '-' ? 'stdin' : f.input;
    points = parseHistoryCsv(readTextInput(f.input, '--input', 'history.csv'), name);
    source = { kind: 'csv', input: name, query: null };
  } else {
    step = parseDuration(f.step, '--step');
    const at = f.at === undefined ? ctx.clock.now() : parseTime(f.at, '--at');
    let start: number;
    let end: number;
    if (f.start !== undefined) {
      if (f.range !== undefined) throw new InputError('give --range or --start, not both', { field: '--range', suggestions: ['--range 7d (ending at --at), or --start T1 --end T2'] });
      start = parseTime(f.start, '--start');
      end = f.end === undefined ? at : parseTime(f.end, '--end');
    } else {
      if (f.range === undefined) throw new InputError('--query needs a time range: --range 7d (ending at --at) or --start/--end', { field: '--range', suggestions: ['e.g. --range 7d --at 2026-11-01T00:00:00Z'] });
      if (f.end !== undefined) throw new InputError('--end goes with --start; --range ends at --at', { field: '--end', suggestions: ['use --at for the end of --range'] });
      end = at;
      start = end - parseDuration(f.range, '--range') * 1000;
    }
    if (!(end > start)) throw new InputError('--start must be before --end', { field: '--start', suggestions: ['swap them'] });
    // align to the step so points fall on a regular grid
    start = Math.ceil(start / 1000 / step) * step * 1000;
    const metrics = await metricsFromConfig(await ctx.providers(), ctx.resolved(), { insecure: f.insecure });
    ctx.lifecycle.defer('close metrics source', () => metrics.close());
    ctx.verbose(`range query ${f.query} from ${new Date(start).toISOString()} to ${new Date(end).toISOString()} step ${formatDuration(step)}`);
    points = await historyFromMetrics(metrics, f.query as string, { start, end, step, signal: ctx.lifecycle.signal });
    source = { kind: 'prometheus', input: null, query: f.query as string };
  }
  const series = regularize(points, { field: f.input !== undefined ? '--input' : '--query', ...(step !== undefined ? { step } : {}) });
  const report = forecastSeries({ series, season, horizon, level, ...(holdout !== undefined ? { holdout } : {}), ...(scaling ? { scaling } : {}) });
  return { report, source, history: series.values };
}

export function renderForecast(r: ForecastReport, history: number[], style: Style): string {
  const bt = r.backtest;
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const pairs: Array<[string, string]> = [
    ['history', `${r.history.points} points, ${r.history.from} → ${r.history.to}, every ${formatDuration(r.history.step)}${r.history.filled ? ` (${r.history.filled} filled)` : ''}`],
    ['season', `${r.season.label} (${r.season.source}): ${r.season.reason}`],
    ['model', `${r.model.method}; α ${sig(r.model.alpha, 3)}, β* ${sig(r.model.beta, 3)}, γ ${sig(r.model.gamma, 3)}; one-step σ ${sig(r.model.sigma)}`],
    ['backtest', bt ? `MAPE ${bt.mape === null ? 'n/a' : `${bt.mape.toFixed(2)}%`} (max ${bt.maxApe === null ? 'n/a' : `${bt.maxApe.toFixed(1)}%`}) on the last ${formatDuration(bt.points * r.history.step)} held out; ${pct(bt.coverage)} inside the ${pct(r.interval.level)} interval` : 'none (history too short)'],
    ['next peak', `${sig(r.nextPeak.value)} at ${r.nextPeak.time} (${pct(r.interval.level)} interval ${sig(r.nextPeak.lower)} – ${sig(r.nextPeak.upper)})${r.nextPeak.instances !== null ? `; ${r.nextPeak.instances} instances` : ''}`],
    ['past', sparkline(history, { width: 60 })],
    ['ahead', sparkline(r.forecast.map((p) => p.value), { width: 60 })],
  ];
  const out = [renderPairs(pairs, style)];
  const every = Math.max(1, Math.ceil(r.forecast.length / 24));
  const rows = r.forecast.filter((_, i) => i % every === every - 1 || i === r.forecast.length - 1);
  out.push(
    '',
    renderTable(
      [
        { header: 'TIME', value: (p: (typeof rows)[number]) => (p.time === r.nextPeak.time ? style.bold(`${p.time} peak`) : p.time) },
        { header: 'FORECAST', value: (p) => sig(p.value), align: 'right' },
        { header: 'LOWER', value: (p) => sig(p.lower), align: 'right' },
        { header: 'UPPER', value: (p) => sig(p.upper), align: 'right' },
      ],
      rows,
      style,
    ),
  );
  if (r.actions.length > 0) {
    out.push(
      '',
      style.bold(`scheduled scaling (capacity ${grouped(r.scaling?.capacityPerInstance ?? 0)} per instance at ${pct(r.scaling?.targetUtilization ?? 1)}, lead time ${formatDuration(r.scaling?.leadTime ?? 0)})`),
      renderTable(
        [
          { header: 'AT', value: (a: ForecastReport['actions'][number]) => a.at },
          { header: 'ACTION', value: (a) => a.change },
          { header: 'INSTANCES', value: (a) => a.instances, align: 'right' },
          { header: 'COVERS', value: (a) => `${a.from} → ${a.to}` },
          { header: 'UPPER', value: (a) => sig(a.upper), align: 'right' },
        ],
        r.actions,
        style,
      ),
    );
  }
  for (const n of r.notes) out.push(style.dim(n));
  return out.join('\n');
}
