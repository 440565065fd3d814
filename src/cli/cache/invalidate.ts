/**
 * CLI glue of `relia cache invalidate`: which keys (never more than asked
 * for), the default pacing (never one burst), every input checked before
 * anything connects, the plan and result as text, and carrying the plan out.
 */
import { readFileSync } from 'node:fs';
import { invalidate, originRewarmer, type InvalidatePacing, type InvalidateResult, type InvalidateSelection, type InvalidationPlan } from '../../core/cache/invalidate.js';
import { checkOriginTemplate } from '../../core/cache/origin-template.js';
import { parseKeyList } from '../../core/cache/sources.js';
import { InputError, InterruptedError } from '../../core/errors.js';
import { parseDuration, parseFraction, parseRate } from '../../core/units.js';
import type { KeyValueCache } from '../../ports/cache.js';
import { startProgress } from '../../ui/progress.js';
import { progressOutput } from '../progress-flag.js';
import type { CommandContext } from '../base-command.js';
import { httpFromConfig } from '../providers.js';
import { resumeHint } from './resume-hint.js';
import { renderPairs, type Style } from '../style.js';
import { type Clients, parseHeaders } from './warm.js';

/**
 * Keys per second when neither --over nor --rate is given: 100k keys take
 * about 17 minutes instead of one burst (the invalidation storm this command
 * exists to prevent). docs/cache.md#invalidate.
 */
export const DEFAULT_INVALIDATE_RATE = 100;

/**
 * The selection: exactly one of a SCAN pattern or a key file (oclif's
 * `exactlyOne` has already refused both or neither). An empty pattern is
 * refused; a key file with no keys selects nothing.
 */
export function invalidationSelection(pattern: string | undefined, keysFile: string | undefined): { pattern: string } | { keys: string[] } {
  if (pattern !== undefined) {
    if (pattern.trim() === '') throw new InputError('--pattern: empty; say which keys', { field: '--pattern', suggestions: ["--pattern 'title:*'"] });
    return { pattern };
  }
  const file = keysFile as string;
  let raw: Buffer;
  try {
    raw = readFileSync(file === '-' ? 0 : file);
  } catch (error) {
    throw new InputError(`--source ${file}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { field: '--source', suggestions: ['check the path; one key per line'] });
  }
  // An empty list selects nothing (the plan says 0 keys); it never means "all keys".
  return { keys: parseKeyList(raw) };
}

/** The flags of `cache invalidate` the glue reads. */
export interface InvalidateFlagsIn {
  pattern?: string;
  source?: string;
  over?: string;
  rate?: string;
  batch?: number;
  expire?: string;
  rewarm?: boolean;
  origin?: string;
  header?: string[];
  ttl?: string;
  'ttl-jitter'?: string;
  progress?: string;
  'no-progress'?: boolean;
}

export interface InvalidationInputs {
  selection: InvalidateSelection;
  pacing: InvalidatePacing;
  headers: Record<string, string> | undefined;
}

/** Every input checked before anything connects (a bad header is exit 2 with nothing deleted). */
export function invalidationInputs(f: InvalidateFlagsIn): InvalidationInputs {
  if (f.rewarm && !f.origin) throw new InputError('--rewarm needs --origin to fetch the values from', { field: '--origin', suggestions: ["--origin 'http://origin/items/{key}'"] });
  const selection = invalidationSelection(f.pattern, f.source);
  const headers = parseHeaders(f.header);
  if (f.origin !== undefined) checkOriginTemplate(f.origin, '--origin');
  const pacing: InvalidatePacing = {
    ...(f.over !== undefined ? { overSeconds: parseDuration(f.over, '--over') } : {}),
    // Never one burst: without --over or --rate, a safe default rate (docs/cache.md#invalidate).
    ...(f.rate !== undefined ? { rate: parseRate(f.rate, '--rate') } : f.over === undefined ? { rate: DEFAULT_INVALIDATE_RATE } : {}),
    ...(f.batch !== undefined ? { maxBatch: f.batch } : {}),
    ...(f.expire !== undefined ? { expireSeconds: parseDuration(f.expire, '--expire') } : {}),
  };
  return { selection, pacing, headers };
}

/** What the plan does, for the plan and the prompt: `delete`, or `expire (TTL 60s)`. */
export function planVerb(plan: InvalidationPlan, expire: string | undefined): string {
  return plan.action === 'expire' ? `expire (TTL ${expire})` : 'delete';
}

export function renderInvalidationPlan(plan: InvalidationPlan, verb: string, style: Style): string {
  return renderPairs(
    [
      ['plan', `${verb} ${plan.count} keys${plan.pattern !== undefined ? ` matching ${plan.pattern}` : ` (${plan.existing} exist now)`}`],
      ['pacing', plan.batches === 0 ? '–' : `${plan.batches} batches of ≤ ${plan.batchSize}, every ${(plan.intervalMs / 1000).toFixed(3)} s, ≈ ${plan.estimatedSeconds.toFixed(1)} s`],
      ['sample', plan.sample.join(', ') || '–'],
    ],
    style,
  );
}

/** Carry the plan out: the re-warmer (with --rewarm), progress, the paced deletes or expiries. */
export async function runInvalidation(ctx: CommandContext, f: InvalidateFlagsIn, cache: KeyValueCache, clients: Clients, plan: InvalidationPlan, inputs: InvalidationInputs): Promise<InvalidateResult> {
  const signal = ctx.lifecycle.signal;
  let rewarm: ((key: string) => Promise<void>) | undefined;
  if (f.rewarm) {
    const origin = clients.track(await httpFromConfig(await ctx.providers(), ctx.resolved()));
    const headers = inputs.headers;
    rewarm = originRewarmer({
      cache,
      origin,
      originUrl: f.origin as string,
      random: Math.random,
      signal,
      ...(f.ttl !== undefined ? { ttlSeconds: parseDuration(f.ttl, '--ttl') } : {}),
      ...(f['ttl-jitter'] !== undefined ? { ttlJitter: parseFraction(f['ttl-jitter'], '--ttl-jitter') } : {}),
      ...(headers ? { headers } : {}),
    });
  }
  const progress = await startProgress({ label: plan.action === 'expire' ? 'expiring' : 'invalidating', total: plan.count, ...progressOutput(f) });
  let seen = { done: 0, total: plan.count as number | null };
  let interrupted: InterruptedError | undefined;
  try {
    return await invalidate({
      cache,
      clock: ctx.clock,
      signal,
      ...inputs.selection,
      ...inputs.pacing,
      ...(rewarm ? { rewarm } : {}),
      onProgress: (e) => {
        if (e.event === 'progress') {
          seen = { done: e.done, total: e.total };
          progress.update(e.done, { deleted: e.deleted, expired: e.expired }, e.total);
        } else {
          // The last word: a stop between throttled progress events must not report a stale count.
          seen = { done: e.result.matched, total: seen.total };
          progress.update(e.result.matched, { deleted: e.result.deleted, expired: e.result.expired });
        }
      },
    });
  } catch (error) {
    if (error instanceof InterruptedError) interrupted = error;
    throw error;
  } finally {
    await progress.stop();
    if (interrupted) {
      const done = `${seen.done}${seen.total === null ? '' : ` of ${seen.total}`} keys ${plan.action === 'expire' ? 'expired' : 'deleted'}`;
      const hint = resumeHint({ bin: ctx.bin, command: 'cache invalidate', argv: ctx.argv, done, checkpointFile: null, signal: interrupted.signal, idempotent: true });
      for (const line of hint) process.stderr.write(`${line}\n`);
    }
  }
}

export function renderInvalidationResult(plan: InvalidationPlan, result: InvalidateResult, rewarmed: boolean, style: Style): string {
  return renderPairs(
    [
      [plan.action === 'expire' ? 'expired' : 'deleted', `${plan.action === 'expire' ? result.expired : result.deleted} of ${result.matched} keys in ${result.batches} batches over ${result.durationSeconds.toFixed(1)} s`],
      ...(rewarmed ? [['re-warmed', `${result.rewarmed}${result.rewarmFailed ? `, ${style.red(`${result.rewarmFailed} failed`)}` : ''}`] as [string, string]] : []),
    ],
    style,
  );
}
