/**
 * The warm engine behind `relia cache warm`. Three modes:
 *
 *  - `redis` + `origin`: GET each key's value from the origin (URL template,
 *    key percent-encoded) and SET it into Redis in pipelined batches, TTL
 *    jittered; keys already present are skipped unless `refresh`.
 *  - `redis` + `copy`: copy values (and TTLs) from another KeyValueCache in
 *    large pipelined batches — through the target's `CacheCopier` when it
 *    has one, else one getMany/ttlMany/existsMany/setMany per batch; no
 *    per-key promises. Keys may stream in (`keyStream`, e.g. SCAN of the
 *    source) and are copied as they arrive.
 *  - `http`: GET or HEAD each URL through the cache/CDN for every header
 *    variant, classifying each answer HIT/MISS from the cache's headers.
 *
 * Every mode is paced by a token bucket, a (fixed or AIMD) concurrency
 * limit, retries with full-jitter backoff, an origin circuit breaker,
 * `maxDuration` and `maxFailures`; is resumable from a checkpoint; honours an
 * AbortSignal; and reports progress on the injected clock. Pure: all I/O is
 * through ports. docs/cache.md is the user-facing description (with the
 * copy and HTTP fast paths).
 *
 * The parts live in ./warm/: the contract (types.ts), inputs (prepare.ts,
 * keys.ts), the run (run.ts) with its tally, pacing and pool (pacing.ts),
 * requests with retries (retry.ts), origin writes (write-buffer.ts),
 * checkpointing (checkpointing.ts), the three modes (origin.ts, copy.ts,
 * http.ts), the Redis hit ratio (hit-ratio.ts) and the report (report.ts).
 */
import { InputError } from '../errors.js';
import { resolveLimits } from './limits.js';
import { prepare } from './warm/prepare.js';
import { WarmRun } from './warm/run.js';
import type { WarmOptions, WarmResult } from './warm/types.js';

export { jitteredTtl } from './warm/prepare.js';
/** The public contract (targets, options, events, result): everything in ./warm/types.ts. */
export * from './warm/types.js';

/**
 * Warm a cache. Returns the result (check `exitCode`: 1 when failures exceed
 * `maxFailures`); throws WarmStoppedError (SafetyStopError, exit 4) when the
 * breaker stopped the run, DependencyError (exit 3) when the target failed or
 * the origin never answered, InputError (exit 2) for bad inputs, a refused
 * checkpoint or a held lock, and the signal's reason when aborted. In every
 * case but the input errors, `onProgress` receives a final `done` event with
 * the result so far.
 */
export async function warm(options: WarmOptions): Promise<WarmResult> {
  if (options.signal?.aborted) throw options.signal.reason;
  const limits = resolveLimits(options.limits);
  let prepared = prepare(options);
  let stream = options.keyStream;
  if (stream && (prepared.mode !== 'redis-copy' || options.checkpoint)) {
    // the whole list first: a checkpoint's fingerprint covers it, and only copy mode streams
    const all = [...options.keys];
    for await (const batch of stream) {
      if (options.signal?.aborted) throw options.signal.reason;
      for (const k of batch) all.push(k);
    }
    stream = undefined;
    prepared = prepare({ ...options, keys: all });
  }
  if (options.lock) {
    if (!(await options.lock.acquire())) {
      const holder = options.lock.holder ? await options.lock.holder() : undefined;
      throw new InputError(`another warm run holds the lock${holder ? ` (${holder})` : ''}; nothing was done`, {
        field: '--checkpoint',
        suggestions: ['wait for it to finish, or use a different --checkpoint/--shard', 'if no run is active, remove the stale lock'],
      });
    }
  }
  try {
    const run = new WarmRun(options, limits, prepared, stream);
    options.onStart?.({ checkpointNow: (flushWaitMs) => run.checkpointNow(flushWaitMs) });
    return await run.execute();
  } finally {
    await options.lock?.release();
  }
}
