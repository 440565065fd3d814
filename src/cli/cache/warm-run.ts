/**
 * Running `relia cache warm` for the command: the checkpoint file and the
 * lock, the cleanups (close connections, release the lock, save the
 * checkpoint when the process must go before the run unwound), progress, the
 * engine call, and the human report (also for a run that stopped with an
 * error, when it got far enough to have counts).
 */
import { resolve } from 'node:path';
import { limitsFromFlags, type WarmLimitFlags } from '../../core/cache/limits.js';
import { seededRandom } from '../../core/cache/random.js';
import { parseShard } from '../../core/cache/shard.js';
import { warm, type WarmHandle, type WarmResult } from '../../core/cache/warm.js';
import { parseDuration, parseTime } from '../../core/units.js';
import { startProgress } from '../../ui/progress.js';
import type { CommandContext } from '../base-command.js';
import type { Style } from '../style.js';
import { progressOutput } from '../progress-flag.js';
import { resumeHint } from './resume-hint.js';
import { InterruptedError } from '../../core/errors.js';
import { defaultLockPath, FileCheckpointStore, FileLock } from './files.js';
import type { SourceReport } from './sources.js';
import { buildWarmRun, Clients, renderWarmReport, targetId, type WarmFlagsIn } from './warm.js';

/** The flags a warm run reads (those of `cache warm` but --emit's). */
export interface WarmRunFlags extends WarmFlagsIn, WarmLimitFlags {
  shard?: string;
  checkpoint?: string;
  restart?: boolean;
  'on-checkpoint-mismatch': string;
  lock: boolean;
  'lock-file'?: string;
  seed?: number;
  'progress-interval': string;
  progress?: string;
  'no-progress'?: boolean;
}

/** Where the human report goes; `human` false under --json. */
export interface WarmOutput {
  human: boolean;
  style: Style;
  log(text: string): void;
}

export interface WarmRunOutcome {
  result: WarmResult;
  sources: SourceReport[];
  checkpointFile: string | null;
  /** The failure budget (--max-failures) the result's exit code 1 is about. */
  maxFailures: number;
}

/** Run the warm the flags describe; the engine's errors propagate (after the partial report). */
export async function runWarm(ctx: CommandContext, f: WarmRunFlags, out: WarmOutput): Promise<WarmRunOutcome> {
  const limits = limitsFromFlags(f);
  const shard = f.shard ? parseShard(f.shard, { env: process.env }) : undefined;
  const progressMs = parseDuration(f['progress-interval'], '--progress-interval') * 1000;
  const { lifecycle } = ctx;
  const clients = new Clients();
  lifecycle.defer('close connections', () => clients.closeAll());
  const built = await buildWarmRun(f, { registry: await ctx.providers(), resolved: ctx.resolved(), signal: lifecycle.signal, clients, ...(f.at ? { at: parseTime(f.at, '--at') } : {}) });
  for (const w of built.warnings) ctx.warn(w);
  const checkpointFile = f.checkpoint ? resolve(f.checkpoint) : null;
  const store = checkpointFile ? new FileCheckpointStore(checkpointFile) : undefined;
  const id = built.target.id ?? targetId(f.target ?? '');
  const lock = !f.lock ? undefined : new FileLock(f['lock-file'] ? resolve(f['lock-file']) : checkpointFile ? `${checkpointFile}.lock` : defaultLockPath(id, f.shard ?? ''));
  const progress = await startProgress({ label: 'warming', total: null, ...progressOutput(f), intervalMs: progressMs });
  let handle: WarmHandle | undefined;
  let settled = false;
  let partial: WarmResult | undefined;
  if (lock) lifecycle.defer('release lock', () => lock.release());
  // If the run cannot unwind in time (forced exit), save what it has done before the process goes.
  lifecycle.defer('save checkpoint', async () => void (!settled && (await handle?.checkpointNow(2000))));
  let result: WarmResult;
  try {
    result = await warm({
      keys: built.keys,
      ...(built.keyStream ? { keyStream: built.keyStream } : {}),
      target: built.target,
      limits,
      clock: ctx.clock,
      random: f.seed === undefined ? Math.random : seededRandom(f.seed),
      signal: lifecycle.signal,
      progressIntervalMs: Math.min(1000, progressMs),
      ...(shard ? { shard } : {}),
      ...(store ? { checkpoint: f.restart ? { load: async () => null, save: (c) => store.save(c), clear: () => store.clear() } : store } : {}),
      ...(lock ? { lock } : {}),
      onCheckpointMismatch: f['on-checkpoint-mismatch'] === 'restart' ? 'discard' : 'error',
      onStart: (h) => (handle = h),
      onProgress: (e) => {
        if (e.event === 'done') {
          partial = e.result;
          const r = e.result;
          progress.update(r.total - r.resumed - r.remaining, { warmed: r.warmed, hot: r.alreadyHot, failed: r.failed, retries: r.retries, concurrency: r.concurrency.final }, r.total - r.resumed);
        } else progress.update(e.done - e.resumed, { warmed: e.warmed, hot: e.alreadyHot, failed: e.failed, retries: e.retries, concurrency: e.concurrency }, e.total - e.resumed);
      },
    });
  } catch (error) {
    settled = true;
    await progress.stop();
    if (partial && out.human) out.log(renderWarmReport(partial, built.sources, out.style));
    if (error instanceof InterruptedError) {
      const p = partial as WarmResult | undefined;
      const done = p ? `${p.total - p.remaining} of ${p.total} keys done (${p.warmed} warmed, ${p.alreadyHot} already hot, ${p.failed} failed)` : 'stopped before the first key';
      for (const line of resumeHint({ bin: ctx.bin, command: 'cache warm', argv: ctx.argv, done, checkpointFile, signal: error.signal })) process.stderr.write(`${line}\n`);
    }
    throw error;
  }
  settled = true;
  await progress.stop();
  if (out.human) out.log(renderWarmReport(result, built.sources, out.style));
  return { result, sources: built.sources, checkpointFile, maxFailures: limits.maxFailures ?? 0 };
}
