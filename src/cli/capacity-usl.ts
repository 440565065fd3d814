/**
 * CLI glue of `capacity usl`: measurements from a CSV (or stdin), or from two
 * Prometheus range queries (concurrency and throughput) paired by timestamp.
 */
import { Flags } from '@oclif/core';
import { asciiPlot } from '../core/capacity/ascii-plot.js';
import { parseUslCsv, uslThroughput, type UslFit, type UslPoint } from '../core/capacity/usl.js';
import { InputError } from '../core/errors.js';
import { parseDuration, parseTime } from '../core/units.js';
import type { MetricsSource, RangeSeries } from '../ports/metrics.js';
import type { CommandContext } from './base-command.js';
import { readTextInput } from './files.js';
import { metricsFromConfig } from './providers.js';

export const uslFlags = {
  input: Flags.string({ char: 'i', description: 'CSV of concurrency,throughput rows (header optional), or - for stdin.' }),
  'concurrency-query': Flags.string({ description: 'PromQL giving concurrency over time (one series), paired with --throughput-query.' }),
  'throughput-query': Flags.string({ description: 'PromQL giving throughput over time (one series).' }),
  prometheus: Flags.string({ description: "Prometheus URL (default: the config environment's metrics.url)." }),
  range: Flags.string({ description: 'With the queries: this much history ending at --at.', default: '1d' }),
  at: Flags.string({ description: 'With the queries: end of the range (default: now).' }),
  step: Flags.string({ description: 'With the queries: resolution.', default: '5m' }),
  insecure: Flags.boolean({ description: 'Allow metrics.tls.insecureSkipVerify from the config.' }),
};

export interface UslFlags {
  input?: string | undefined;
  'concurrency-query'?: string | undefined;
  'throughput-query'?: string | undefined;
  range: string;
  at?: string | undefined;
  step: string;
  insecure: boolean;
}

export interface UslSource {
  kind: 'csv' | 'prometheus';
  /** The CSV path (or `stdin`); null for Prometheus. */
  input: string | null;
  queries: { concurrency: string; throughput: string } | null;
}

function oneSeries(series: RangeSeries[], query: string, flag: string): RangeSeries {
  if (series.length !== 1) {
    throw new InputError(`${flag} returned ${series.length} series; it must return exactly one`, { field: flag, suggestions: [`aggregate it, e.g. sum(${query})`] });
  }
  return series[0] as RangeSeries;
}

/** Pair two series by timestamp; points where either is missing or non-finite are skipped. */
export function pairByTime(concurrency: RangeSeries, throughput: RangeSeries): UslPoint[] {
  const x = new Map(throughput.points.map(([t, v]) => [t, v]));
  const out: UslPoint[] = [];
  for (const [t, n] of concurrency.points) {
    const v = x.get(t);
    if (v !== undefined && Number.isFinite(n) && n > 0 && Number.isFinite(v) && v >= 0) out.push({ concurrency: n, throughput: v });
  }
  return out;
}

async function fromMetrics(metrics: MetricsSource, f: UslFlags, ctx: CommandContext): Promise<UslPoint[]> {
  const cq = f['concurrency-query'] as string;
  const tq = f['throughput-query'] as string;
  const step = parseDuration(f.step, '--step');
  const end = f.at === undefined ? ctx.clock.now() : parseTime(f.at, '--at');
  const start = end - parseDuration(f.range, '--range') * 1000;
  const options = { start, end, step, signal: ctx.lifecycle.signal };
  ctx.verbose(`range queries from ${new Date(start).toISOString()} to ${new Date(end).toISOString()} step ${step}s: ${cq} | ${tq}`);
  const [c, x] = await Promise.all([metrics.range(cq, options), metrics.range(tq, options)]);
  const points = pairByTime(oneSeries(c, cq, '--concurrency-query'), oneSeries(x, tq, '--throughput-query'));
  if (points.length === 0) throw new InputError('the two queries have no timestamps in common with data', { field: '--concurrency-query', suggestions: ['check both queries return data over --range ending at --at'] });
  return points;
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
    const name = f.input === '-' ? 'stdin' : f.input;
    return { points: parseUslCsv(readTextInput(f.input, '--input', 'docs/examples/capacity/usl-codahale.csv'), name), source: { kind: 'csv', input: name, queries: null } };
  }
  if (f['concurrency-query'] === undefined || f['throughput-query'] === undefined) {
    const missing = f['concurrency-query'] === undefined ? '--concurrency-query' : '--throughput-query';
    throw new InputError(`${missing} is missing: the queries go in pairs`, { field: missing, suggestions: ['give both --concurrency-query and --throughput-query'] });
  }
  const metrics = await metricsFromConfig(await ctx.providers(), ctx.resolved(), { insecure: f.insecure });
  ctx.lifecycle.defer('close metrics source', () => metrics.close());
  const points = await fromMetrics(metrics, f, ctx);
  return { points, source: { kind: 'prometheus', input: null, queries: { concurrency: f['concurrency-query'], throughput: f['throughput-query'] } } };
}

/** Measured points and the fitted curve, for a TTY. */
export function uslPlot(points: readonly UslPoint[], fit: UslFit, width = 60): string[] {
  const maxN = Math.max(...points.map((p) => p.concurrency), fit.peakConcurrency ?? 0, ...fit.predictions.map((p) => p.concurrency));
  const curve: Array<[number, number]> = [];
  for (let i = 0; i <= width * 2; i++) {
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
