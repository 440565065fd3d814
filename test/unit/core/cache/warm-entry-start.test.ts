/**
 * The entry of `relia cache warm` (src/core/cache/warm.ts), as its doc comment and docs/cache.md ("Key sources",
 * "Checkpoints and locks") describe it: an already-aborted signal does nothing at all; keys listed and keys
 * streamed are warmed together, and every mode but a checkpoint-less copy reads the whole stream first (a cancel
 * while reading stops with the signal's reason); a held lock is exit 2 naming its holder when known, and the
 * lock is released however the run ends.
 */
import { describe, expect, it } from 'vitest';
import { DependencyError, InputError } from '../../../../src/core/errors.js';
import type { Lock } from '../../../../src/core/cache/checkpoint.js';
import type { HttpRequest } from '../../../../src/ports/http.js';
import { warm, type WarmOptions } from '../../../../src/core/cache/warm.js';
import { FakeClock, FakeHttp, FakeKv, rejectionOf, type Reply, seededRandom } from './fakes.js';
import { InstrumentedLock } from '../../../fakes/instrumented-checkpoint.js';
import { MemoryLock } from '../../../fakes/memory-lock.js';

const ORIGIN = 'http://origin/items/{key}';
const ok = (req: HttpRequest): Reply => ({ status: 200, body: `v:${req.url}`, latencyMs: 1 });

function setup(handler: (req: HttpRequest) => Reply = ok) {
  const clock = new FakeClock(0);
  const cache = new FakeKv(clock);
  const origin = new FakeHttp(clock, handler);
  const base = (over: Partial<WarmOptions> = {}): WarmOptions => ({
    keys: ['a', 'b'],
    target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: ORIGIN },
    clock,
    random: seededRandom(5),
    ...over,
  });
  return { clock, cache, origin, base };
}

async function* batches(...list: string[][]): AsyncGenerator<readonly string[]> {
  for (const b of list) yield b;
}

/**
 * A lock someone else holds: the fake's `MemoryLock.heldBy(holder)` inside InstrumentedLock. With no holder, the
 * same lock behind a Lock that cannot say who holds it (`holder` is optional in the port).
 */
function heldLock(holder?: string): Lock {
  const lock = new InstrumentedLock(MemoryLock.heldBy(holder ?? 'someone'));
  if (holder !== undefined) return lock;
  return { acquire: () => lock.acquire(), release: () => lock.release() };
}

describe('warm entry', () => {
  it('does nothing when the signal is already aborted: no lock taken, no request, the reason thrown', async () => {
    const { origin, base } = setup();
    const ctl = new AbortController();
    ctl.abort(new Error('SIGINT'));
    const lock = new InstrumentedLock();
    const err = await rejectionOf(warm(base({ signal: ctl.signal, lock })));
    expect((err as Error).message).toBe('SIGINT');
    expect(lock.acquired).toBe(0);
    expect(origin.requests).toHaveLength(0);
  });

  it('warms the listed keys and the streamed ones together in origin mode', async () => {
    const { cache, base } = setup();
    const result = await warm(base({ keys: ['a'], keyStream: batches(['b', 'c'], ['d']) }));
    expect(result).toMatchObject({ keys: 4, warmed: 4, failed: 0 });
    expect(['a', 'b', 'c', 'd'].every((k) => cache.has(k))).toBe(true);
  });

  it('reads a key stream once (a SCAN of the source is not run twice)', async () => {
    const { base } = setup();
    let reads = 0;
    const stream: AsyncIterable<readonly string[]> = {
      [Symbol.asyncIterator]: () => {
        reads++;
        return batches(['b'], ['c']);
      },
    };
    const result = await warm(base({ keys: [], keyStream: stream }));
    expect(result).toMatchObject({ keys: 2, warmed: 2 });
    expect(reads).toBe(1);
  });

  it('stops reading the stream when the signal aborts, with its reason, before any request', async () => {
    const { origin, base } = setup();
    const ctl = new AbortController();
    async function* stream(): AsyncGenerator<readonly string[]> {
      yield ['b'];
      ctl.abort(new Error('SIGTERM'));
      yield ['c'];
    }
    const lock = new InstrumentedLock();
    const err = await rejectionOf(warm(base({ keyStream: stream(), signal: ctl.signal, lock })));
    expect((err as Error).message).toBe('SIGTERM');
    expect(origin.requests).toHaveLength(0);
    expect(lock.acquired).toBe(0);
  });

  it('refuses with exit 2 naming the holder, and says how to go on', async () => {
    const { origin, base } = setup();
    const lock = heldLock('pid 7 on host-b');
    const err = (await rejectionOf(warm(base({ lock })))) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('another warm run holds the lock (pid 7 on host-b); nothing was done');
    expect(err.field).toBe('--checkpoint');
    expect(err.suggestions).toEqual(['wait for it to finish, or use a different --checkpoint/--shard', 'if no run is active, remove the stale lock']);
    expect(origin.requests).toHaveLength(0);
  });

  it('refuses without a holder when the lock cannot say, or says nothing', async () => {
    const { base } = setup();
    for (const lock of [heldLock(), heldLock('')]) {
      const err = (await rejectionOf(warm(base({ lock })))) as InputError;
      expect(err.message).toBe('another warm run holds the lock; nothing was done');
    }
  });

  it('releases the lock when the run fails', async () => {
    const { cache, base } = setup();
    cache.fault = (op) => (op === 'setMany' ? new DependencyError('redis', 'redis: connection reset') : undefined);
    const lock = new InstrumentedLock();
    expect(await rejectionOf(warm(base({ lock })))).toBeInstanceOf(DependencyError);
    expect([lock.acquired, lock.released, lock.held]).toEqual([1, 1, false]);
  });
});
