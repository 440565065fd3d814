/**
 * `relia cache warm --dry-run`: everything a run resolves — the target and
 * its mode, the sources read into one key list, this shard's share, the
 * header variants — and nothing it does: no key is written, no origin or
 * cache request is made for a key, no checkpoint or lock file is touched.
 * Reading the sources (a file, a sitemap, a Prometheus query, a SCAN of the
 * copy source) is the only I/O, as it is for `cache invalidate --dry-run`.
 */
import { resolve } from 'node:path';
import { limitsFromFlags } from '../../core/cache/limits.js';
import { applyShard, formatShard, parseShard } from '../../core/cache/shard.js';
import type { WarmMode } from '../../core/cache/warm.js';
import { parseTime } from '../../core/units.js';
import type { CommandContext } from '../base-command.js';
import { renderPairs, type Style } from '../style.js';
import type { SourceReport } from './sources.js';
import { buildWarmRun, Clients, targetId } from './warm.js';
import type { WarmRunFlags } from './warm-run.js';

/** Keys shown in the plan. */
export const WARM_PLAN_SAMPLE = 10;

export interface WarmPlan {
  /** Always true: nothing was warmed. */
  dryRun: true;
  target: string;
  mode: WarmMode;
  sources: SourceReport[];
  /** This shard, `i/n`, or null for all keys. */
  shard: string | null;
  /** Distinct keys this run would warm (after --shard). */
  keys: number;
  /** Header variants per key (http; 1 otherwise). */
  variants: number;
  /** keys × variants: the requests (or copies) the run would make. */
  total: number;
  /** The first keys, in the order the run would take them. */
  sample: string[];
  /** The checkpoint file a run would resume from and save to, or null. */
  checkpointFile: string | null;
}

export async function planWarm(ctx: CommandContext, f: WarmRunFlags): Promise<WarmPlan> {
  limitsFromFlags(f); // the same checks as a run: a bad --rate is exit 2 here too
  const shard = f.shard ? parseShard(f.shard, { env: process.env }) : undefined;
  const clients = new Clients();
  ctx.lifecycle.defer('close connections', () => clients.closeAll());
  const built = await buildWarmRun(f, { registry: await ctx.providers(), resolved: ctx.resolved(), signal: ctx.lifecycle.signal, clients, ...(f.at ? { at: parseTime(f.at, '--at') } : {}) });
  for (const w of built.warnings) ctx.warn(w);
  const seen = new Set(built.keys);
  if (built.keyStream) for await (const batch of built.keyStream) for (const k of batch) seen.add(k);
  const keys = applyShard([...seen], shard);
  const t = built.target;
  const variants = t.kind === 'http' ? Math.max(1, t.variants?.length ?? 1) : 1;
  return {
    dryRun: true,
    target: t.id ?? targetId(f.target ?? ''),
    mode: t.kind === 'http' ? 'http' : t.mode === 'copy' ? 'redis-copy' : 'redis-origin',
    sources: built.sources,
    shard: shard ? formatShard(shard) : null,
    keys: keys.length,
    variants,
    total: keys.length * variants,
    sample: keys.slice(0, WARM_PLAN_SAMPLE),
    checkpointFile: f.checkpoint ? resolve(f.checkpoint) : null,
  };
}

export function renderWarmPlan(p: WarmPlan, style: Style): string {
  const pairs: Array<[string, string | number]> = [
    ['target', `${p.target} (${p.mode}${p.shard ? `, shard ${p.shard}` : ''})`],
    ['sources', p.sources.map((s) => `${s.source} (${s.keys})`).join(', ')],
    ['would warm', `${p.keys} keys${p.variants > 1 ? ` × ${p.variants} variants = ${p.total}` : ''}`],
    ['sample', p.sample.length === 0 ? '–' : p.sample.join(', ') + (p.keys > p.sample.length ? `, … ${p.keys - p.sample.length} more` : '')],
  ];
  if (p.checkpointFile) pairs.push(['checkpoint', p.checkpointFile]);
  return `${renderPairs(pairs, style)}\n\n${style.yellow('dry run')}: nothing was warmed; drop --dry-run to warm`;
}
