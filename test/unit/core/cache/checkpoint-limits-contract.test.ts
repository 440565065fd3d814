/**
 * What outlives one run of `relia cache warm`: a checkpoint written today must
 * resume under the next release of the same format (a Job pod retried after
 * an image upgrade), and a refused checkpoint says how to go on. The limit
 * flags set only what was typed, so defaults and other sources still apply.
 */
import { describe, expect, it } from 'vitest';
import { limitsFromFlags, type WarmLimitFlags } from '../../../../src/core/cache/limits.js';
import { CHECKPOINT_VERSION, restoreDone, runFingerprint, type WarmCheckpoint } from '../../../../src/core/cache/checkpoint.js';
import { expectInputError } from '../error-contract.js';

/** runFingerprint of the two runs below, as format version 1 computes them. */
const PINNED = '74197efe105083bd';
const PINNED_EMPTY = '532852fce5336240';

describe('checkpoint compatibility', () => {
  it('the fingerprint of a fixed run is pinned: checkpoints saved by this format version stay resumable', () => {
    // Pinned when format version 1 shipped; changing it orphans every saved checkpoint
    // (bump CHECKPOINT_VERSION instead, so old files are refused with a clear message).
    expect(CHECKPOINT_VERSION).toBe(1);
    const id = { mode: 'redis-origin', target: 'redis://cache:6379/0', details: ['http://origin/items/{key}'], shard: '1/4', keys: ['a', 'b', 'c'], variants: [''] };
    expect(runFingerprint(id)).toBe(PINNED);
    expect(runFingerprint({ mode: 'http', target: 'http://edge', details: [], shard: '', keys: [], variants: [] })).toBe(PINNED_EMPTY);
  });

  it('a refused checkpoint names --checkpoint and gives both ways on', () => {
    const saved: WarmCheckpoint = { version: CHECKPOINT_VERSION, fingerprint: 'f1', description: 'redis-origin → a', total: 10, done: [[0, 4]], doneCount: 4, savedAt: 0 };
    for (const loaded of [saved, { ...saved, version: 2 as never }]) {
      const e = expectInputError(() => restoreDone(loaded, { fingerprint: 'f2', total: 10, description: 'redis-origin → b' }, 'error'), '--checkpoint', ['--checkpoint: the checkpoint']);
      expect(e.suggestions).toEqual(['re-run with the same sources, target and --shard to resume', 'or pass --restart to discard the checkpoint and start over']);
    }
  });
});

describe('limitsFromFlags sets only the flags given', () => {
  it.each<[WarmLimitFlags, object]>([
    [{}, {}],
    [{ burst: 4 }, { burst: 4 }],
    [{ concurrency: 3 }, { concurrency: 3 }],
    [{ adaptive: false }, { adaptive: false }],
    [{ retries: 0 }, { retries: 0 }],
    [{ 'max-failures': 2 }, { maxFailures: 2 }],
    [{ rate: '50/s' }, { rate: 50 }],
  ])('%j → %j, no other key', (flags, limits) => {
    const got = limitsFromFlags(flags);
    expect(got).toStrictEqual(limits);
    // merged over limits from elsewhere, an unset flag keeps the other value
    expect({ burst: 9, concurrency: 9, adaptive: true, retries: 9, maxFailures: 9, ...got }).toStrictEqual({ burst: 9, concurrency: 9, adaptive: true, retries: 9, maxFailures: 9, ...limits });
  });
});
