/**
 * CLI glue of `capacity usl`: measurements from a CSV (or stdin), or from two
 * Prometheus range queries (concurrency and throughput) paired by timestamp.
 */
import { Flags } from '@oclif/core';
import { asciiPlot } from '../../core/capacity/ascii-plot.js';
import { pairByTime, parseUslCsv, uslThroughput, type UslFit, type UslPoint } from '../../core/capacity/usl.js';
import { InputError } from '../../core/errors.js';
import { parseDuration, parseTime } from '../../core/units.js';
import type { MetricsSource, RangeSeries } from '../../ports/metrics.js';
import type { CommandContext } from '../base-command.js';
import { readTextInput } from '../files.js';
import { metricsFromConfig } from '../providers.js';

/** Prometheus answers at most 11,000 points per series and range query. */
const MAX_POINTS = 11_000;

export const uslFlags = {
  input: Flags.string({ charAliases: ['i'], deprecateAliases: true, description: 'CSV of concurrency,throughput rows (header optional), or - for stdin.' }),
  'concurrency-query': Flags.string({
    aliases: ['prometheus-concurrency'],
    description: 'PromQL giving concurrency over time (one series), paired with --throughput-query. Alias --prometheus-concurrency.',
  }),
  'throughput-query': Flags.string({ aliases: ['prometheus-throughput'], description: 'PromQL giving throughput over time (one series). Alias --prometheus-throughput.' }),
  prometheus: Flags.string({ description: "Prometheus URL (default: the config environment's metrics.url)." }),
  range: Flags.string({ description: 'With the queries: this much history ending at --at (default 1d).' }),
  at: Flags.string({ description: 'With --range: end of the range (RFC 3339 or unix seconds; default: now).' }),
  start: Flags.string({ description: 'With the queries: start (RFC 3339 or unix seconds), instead of --range.', aliases: ['from'], deprecateAliases: true }),
  end: Flags.string({ description: 'With --start: end (default: --at, or now).', aliases: ['to'], deprecateAliases: true }),
  step: Flags.string({ description: 'With the queries: resolution.', default: '5m' }),
  insecure: Flags.boolean({ description: 'Allow metrics.tls.insecureSkipVerify from the config.' }),
};

export interface UslFlags {
  input?: string | undefined;
  'concurrency-query'?: string | undefined;
  'throughput-query'?: string | undefined;
  range?: string | undefined;
  at?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  step: string;
  insecure: boolean;
}

export interface UslSource {
  kind: 'csv' | 'prometheus';
  /** The CSV path (or `stdin`); null for Prometheus. */
  input: string | null;
  queries: { concurrency: string; throughput: string } | null;
  /** Prometheus only: the range queried (RFC 3339) and its step in seconds; null for a CSV. */
  window: { from: string; to: string; step: number } | null;
}

function oneSeries(series: RangeSeries[], query: string, flag: string): RangeSeries {
  if (series.length !== 1) {
    throw new InputError(`${flag} returned ${series.length} series; it must return exactly one`, { field: flag, suggestions: [`aggregate it, e.g. sum(${query})`] });
  }
  return series[0] as RangeSeries;
}

/** The [start, end] in epoch ms and the step in seconds the flags name. */
export function uslWindow(f: UslFlags, now: number): { start: number; end: number; step: number } {
  const step = parseDuration(f.step, '--step');
  const at = f.at === undefined ? now : parseTime(f.at, '--at');
  let start: number;
  let end: number;
  if (f.start !== undefined) {
    if (f.range !== undefined) throw new InputError('give --range or --start, not both', { field: '--range', suggestions: ['--range 1d (ending at --at), or --start T1 --end T2'] });
    start = parseTime(f.start, '--start');
    end = f.end === undefined ? at : parseTime(f.end, '--end');
  } else {
    if (f.end !== undefined) throw new InputError('--end goes with --start; --range ends at --at', { field: '--end', suggestions: ['--start 2026-10-31T00:00:00Z --end 2026-11-01T00:00:00Z'] });
    end = at;
    start = end - parseDuration(f.range ?? '1d', '--range') * 1000;
  }
  if (!(start < end)) throw new InputError('the range is empty: --start must be before --end', { field: '--start', suggestions: ['--start 2026-10-31T00:00:00Z --end 2026-11-01T00:00:00Z'] });
  const points = Math.floor((end - start) / 1000 / step) + 1;
  if (points > MAX_POINTS) {
    throw new InputError(`--step ${f.step} over this range asks for ${points} points; Prometheus answers at most ${MAX_POINTS} per query`, {
      field: '--step',
      suggestions: [`use --step ${Math.ceil((end - start) / 1000 / (MAX_POINTS - 1))}s or more, or a shorter range`],
    });
  }
  return { start, end, step };
}

async function fromMetrics(metrics: MetricsSource, f: UslFlags, ctx: CommandContext): Promise<{ points: UslPoint[]; window: NonNullable<UslSource['window']> }> {
  const cq = f['concurrency-query'] as string;
  const tq = f['throughput-query'] as string;
  const { start, end, step } = uslWindow(f, ctx.clock.now());
  const options = { start, end, step, signal: ctx.lifecycle.signal };
  const window = { from: new Date(start).toISOString(), to: new Date(end).toISOString(), step };
  ctx.verbose(`range queries from ${window.from} to ${window.to} step ${step}s: ${cq} | ${tq}`);
  const [c, x] = await Promise.all([metrics.range(cq, options), metrics.range(tq, options)]);
  const paired = pairByTime(oneSeries(c, cq, '--concurrency-query').points, oneSeries(x, tq, '--throughput-query').points);
  if (paired.points.length === 0) {
    throw new InputError('the two queries have no instants in common with concurrency above 0', { field: '--concurrency-query', suggestions: ['check both queries return data over the range (--range/--at or --start/--end)'] });
  }
  const skipped = paired.unmatched + paired.dropped;
  if (skipped > 0) ctx.warn(`${skipped} of ${paired.points.length + skipped} instants left out (${paired.unmatched} without a throughput sample, ${paired.dropped} with concurrency ≤ 0 or negative throughput)`);
  return { points: paired.points, window };
}

/** The measurements the flags name. */
export async function readUslPoints(ctx: CommandContext, f: UslFlags): Promise<{ points: UslPoint[]; source: UslSource }> {
  const hasQueries = f['concurrency-query'] !== undefined || f['throughput-query'] !== undefined;
  if ((f.input === undefined) === !hasQueries) {
    throw new InputError('give the measurements either as --input FILE (or - for stdin) or as --concurrency-query with --throughput-query', {
      field: '--input',
      suggestions: ['--input docs/examples/capacity/usl-codahale.csv', "--concurrency-query 'sum(app_inflight)' --throughput-query 'sum(rate(app_requests_total[1m]))'"],
    });
  }
  if (f.input !== undefined) {
    const timeFlag = (['range', 'at', 'start', 'end'] as const).find((k) => f[k] !== undefined);
    if (timeFlag) throw new InputError(`--${timeFlag} goes with the Prometheus queries; a CSV has no time range`, { field: `--${timeFlag}`, suggestions: [`remove --${timeFlag}`] });
    const name = f.input === '-' ? 'stdin' : f.input;
    const points = parseUslCsv(readTextInput(f.input, '--input', 'docs/examples/capacity/usl-codahale.csv'), name);
    return { points, source: { kind: 'csv', input: name, queries: null, window: null } };
  }
  if (f['concurrency-query'] === undefined || f['throughput-query'] === undefined) {
    const missing = f['concurrency-query'] === undefined ? '--concurrency-query' : '--throughput-query';
    throw new InputError(`${missing} is missing: the queries go in pairs`, { field: missing, suggestions: ['give both --concurrency-query and --throughput-query'] });
  }
  const metrics = await metricsFromConfig(await ctx.providers(), ctx.resolved(), { insecure: f.insecure });
  ctx.lifecycle.defer('close metrics source', () => metrics.close());
  const { points, window } = await fromMetrics(metrics, f, ctx);
  return { points, source: { kind: 'prometheus', input: null, queries: { concurrency: f['concurrency-query'], throughput: f['throughput-query'] }, window } };
}

/** Measured points and the fitted curve, for a TTY. */
export function uslPlot(points: readonly UslPoint[], fit: UslFit, width = 60): string[] {
  const maxN = Math.max(...points.map((p) => p.concurrency), Math.min(fit.peakConcurrency ?? 0, 4 * Math.max(...points.map((p) => p.concurrency))), ...fit.predictions.map((p) => p.concurrency));
  const curve: Array<[number, number]> = [];
  for (let i = 1; i <= width * 2; i++) {
    const n = (maxN * i) / (width * 2);
    curve.push([n, uslThroughput(fit, n)]);
  }
  return asciiPlot(
    [
      { points: curve, mark: '·' },
      { points: points.map((p) => [p.concurrency, p.throughput] as const), mark: '●' },
    ],
    { width, height: 14, xLabel: 'concurrency', yLabel: 'throughput (● measured, · USL fit)' },
  );
}
