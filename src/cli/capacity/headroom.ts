/**
 * CLI glue of `relia capacity headroom`: flags, usage from a flag or a
 * Prometheus instant query, the trend window as a range query of the same
 * query, and the human output.
 */
import { Flags } from '@oclif/core';
import { commonUnit, computeHeadroom, describeSaturation, parseQuantity, trendRange, usageFromMetrics, usageHistory, type HeadroomReport } from '../../core/capacity/headroom.js';
import { InputError } from '../../core/errors.js';
import { formatBandwidth, formatDuration, parseDuration, parseFraction, parseTime } from '../../core/units.js';
import type { CommandContext } from '../base-command.js';
import { metricsFromConfig } from '../providers.js';
import { renderPairs, sig, type Style } from '../style.js';

export const headroomFlags = {
  usage: Flags.string({ char: 'u', description: 'Current usage: a number, a rate (7500/s) or a bandwidth (30Gbps).' }),
  'usage-query': Flags.string({ description: 'PromQL giving current usage (one series); its range over --trend-window gives the trend.' }),
  capacity: Flags.string({ char: 'c', description: 'Capacity, in the same kind of unit as the usage: 10000, 10000/s or 40Gbps.', required: true }),
  prometheus: Flags.string({ description: "Prometheus URL (default: the config environment's metrics.url)." }),
  at: Flags.string({ description: 'Evaluate at this instant: RFC 3339 or unix seconds (default: now).' }),
  'trend-window': Flags.string({ description: 'Trend over this much recent history (at least 2 × --trend-season).', default: '7d' }),
  'trend-step': Flags.string({ description: 'Resolution of the trend query (default: window / 240, at least 15s).' }),
  'trend-season': Flags.string({ description: 'Average out this cycle before fitting the trend (a moving average over one season), or none.', default: '1d' }),
  'min-headroom': Flags.string({ description: 'Exit 1 when headroom is below this, e.g. 20%.' }),
  insecure: Flags.boolean({ description: 'Allow metrics.tls.insecureSkipVerify from the config.' }),
};

export interface HeadroomFlags {
  usage?: string | undefined;
  'usage-query'?: string | undefined;
  capacity: string;
  at?: string | undefined;
  'trend-window': string;
  'trend-step'?: string | undefined;
  'trend-season': string;
  'min-headroom'?: string | undefined;
  insecure: boolean;
}

export async function runHeadroom(ctx: CommandContext, f: HeadroomFlags): Promise<HeadroomReport & { query: string | null }> {
  const query = f['usage-query'];
  if ((f.usage === undefined) === (query === undefined)) {
    throw new InputError(f.usage === undefined ? 'no usage: give --usage or --usage-query' : 'give --usage or --usage-query, not both', {
      field: '--usage',
      suggestions: ['--usage 7500/s', "--usage-query 'sum(rate(http_requests_total[5m]))'"],
    });
  }
  const capacity = parseQuantity(f.capacity, '--capacity');
  const usageFlag = f.usage === undefined ? null : parseQuantity(f.usage, '--usage');
  const { unit, note } = commonUnit(usageFlag ?? { value: 0, kind: 'number' }, capacity, ['--usage', '--capacity']);
  const season = f['trend-season'] === 'none' ? null : parseDuration(f['trend-season'], '--trend-season');
  const window = parseDuration(f['trend-window'], '--trend-window');
  const step = f['trend-step'] === undefined ? undefined : parseDuration(f['trend-step'], '--trend-step');
  const minHeadroom = f['min-headroom'] === undefined ? undefined : parseFraction(f['min-headroom'], '--min-headroom');
  const at = f.at === undefined ? ctx.clock.now() : parseTime(f.at, '--at');
  const notes = note && usageFlag ? [note] : [];
  if (usageFlag) {
    if (f['trend-step'] !== undefined) throw new InputError('--trend-step goes with --usage-query', { field: '--trend-step', suggestions: ['remove it, or use --usage-query'] });
    notes.push('usage given by --usage: no history, so no trend (use --usage-query for the time to saturation)');
    return { ...computeHeadroom({ usage: usageFlag.value, capacity: capacity.value, unit, at, notes, ...(minHeadroom !== undefined ? { minHeadroom } : {}) }), query: null };
  }
  const metrics = await metricsFromConfig(await ctx.providers(), ctx.resolved(), { insecure: f.insecure });
  ctx.lifecycle.defer('close metrics source', () => metrics.close());
  const q = query as string;
  const usage = await usageFromMetrics(metrics, q, at, ctx.lifecycle.signal);
  const range = trendRange(at, window, step);
  ctx.verbose(`trend: ${q} over ${formatDuration(window)} every ${formatDuration(range.step)}`);
  const history = await usageHistory(metrics, q, range, ctx.lifecycle.signal);
  if (unit !== '') notes.push(`the query's values are read as ${unit === '/s' ? 'per second' : 'bits per second'}, like --capacity`);
  return { ...computeHeadroom({ usage, capacity: capacity.value, unit, at, history, window, season, notes, ...(minHeadroom !== undefined ? { minHeadroom } : {}) }), query: q };
}

export function renderHeadroom(r: HeadroomReport, style: Style): string {
  const v = (x: number) => (r.unit === 'bps' ? formatBandwidth(x) : `${sig(x, 6)}${r.unit}`);
  const pairs: Array<[string, string]> = [
    ['at', r.at],
    ['usage', v(r.usage)],
    ['capacity', v(r.capacity)],
    ['utilisation', `${(r.utilization * 100).toFixed(1)}%`],
    ['headroom', r.headroom < 0 ? style.red(`${r.headroomPercent.toFixed(1)}%`) : r.belowMinimum ? style.yellow(`${r.headroomPercent.toFixed(1)}%`) : style.green(`${r.headroomPercent.toFixed(1)}%`)],
  ];
  if (r.trend) {
    const perDay = r.unit === 'bps' ? `${formatBandwidth(r.trend.slopePerDay)}` : `${sig(r.trend.slopePerDay, 4)}${r.unit}`;
    pairs.push(['trend', `${r.trend.slopePerDay >= 0 ? '+' : ''}${perDay} per day (least squares over ${r.trend.points} ${r.trend.deseasonalized ? 'points of the 1-season moving average' : 'points'}, ${r.trend.from} → ${r.trend.to}; R² ${r.trend.r2.toFixed(2)})`]);
  }
  pairs.push(['saturation', describeSaturation(r)]);
  return [renderPairs(pairs, style), ...r.notes.map((n) => style.dim(n))].join('\n');
}
