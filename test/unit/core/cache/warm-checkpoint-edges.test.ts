/**
 * A warm run's checkpointing (src/core/cache/warm/checkpointing.ts), pinned from docs/cache.md
 * "Checkpoints, locks and shards": saved every 5 s of clock time (`checkpointIntervalMs`) after pending
 * writes land, cleared when the list is finished, saved when the run stops early unless nothing was done
 * and no checkpoint existed; the record's fields (version 1, fingerprint, description, total, done ranges,
 * doneCount, savedAt); the shard is in the fingerprint; and WarmHandle.checkpointNow (types.ts): false
 * without a store, before the checkpoint was read and once the list was finished; waits for queued writes
 * at most `flushWaitMs` (default 2 s).
 */
import { describe, expect, it } from 'vitest';
import { runFingerprint } from '../../../../src/core/cache/checkpoint.js';
import { shardOf } from '../../../../src/core/cache/shard.js';
import { Checkpointer } from '../../../../src/core/cache/warm/checkpointing.js';
import { prepare } from '../../../../src/core/cache/warm/prepare.js';
import { Tally } from '../../../../src/core/cache/warm/tally.js';
import type { WarmOptions } from '../../../../src/core/cache/warm/types.js';
import { WriteBuffer } from '../../../../src/core/cache/warm/write-buffer.js';
import { InstrumentedCheckpointStore } from '../../../fakes/instrumented-checkpoint.js';
import { FakeClock, FakeHttp, FakeKv, seededRandom } from './fakes.js';
import { HeldWritesKv } from './held-writes.js';

function setup(over: Partial<WarmOptions> = {}, opts: { store?: boolean; heldWrites?: boolean } = {}) {
  const clock = new FakeClock(1000);
  // heldWrites: the same fake, its setMany calls waiting until the test lets them through (held-writes.ts)
  const cache = opts.heldWrites ? new HeldWritesKv(clock) : new FakeKv(clock);
  const origin = new FakeHttp(clock, () => ({ status: 200 }));
  const store = new InstrumentedCheckpointStore();
  const o: WarmOptions = {
    keys: ['a', 'b', 'c', 'd'],
    target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://origin/{key}' },
    clock,
    random: seededRandom(1),
    ...(opts.store === false ? {} : { checkpoint: store }),
    ...over,
  };
  const p = prepare(o);
  const tally = new Tally(p.keys.list, p.variants, { failureListLimit: 100, maxFailures: 0 }, undefined);
  const held = cache instanceof HeldWritesKv ? cache.held : [];
  const writes = new WriteBuffer(cache, clock, tally, () => undefined);
  const cp = new Checkpointer(o, p, tally, writes, 'redis-origin → memory');
  return { clock, store, tally, writes, cp, held, o, p };
}

describe('Checkpointer: when to save', () => {
  it('a save is due every 5 s of clock time by default, counted from the last save', async () => {
    const { clock, cp, store } = setup();
    expect(cp.due()).toBe(false);
    clock.advance(4999);
    expect(cp.due()).toBe(false);
    await cp.saveIfDue();
    expect(store.saves).toBe(0);
    clock.advance(1);
    expect(cp.due()).toBe(true);
    await cp.saveIfDue();
    expect(store.saves).toBe(1);
    expect(cp.due()).toBe(false);
    clock.advance(4999);
    expect(cp.due()).toBe(false);
    clock.advance(1);
    expect(cp.due()).toBe(true);
  });

  it('honours checkpointIntervalMs; without a store nothing is ever due', async () => {
    const { clock, cp } = setup({ checkpointIntervalMs: 200 });
    clock.advance(199);
    expect(cp.due()).toBe(false);
    clock.advance(1);
    expect(cp.due()).toBe(true);
    const bare = setup({}, { store: false });
    bare.clock.advance(60_000);
    expect(bare.cp.due()).toBe(false);
    await bare.cp.save();
    expect(await bare.cp.restore()).toBeNull();
    expect(await bare.cp.settle(false)).toBe('none');
    expect(await bare.cp.settle(true)).toBe('none');
  });

  it('saves the record of what is done, after the buffered writes landed', async () => {
    const { clock, cp, store, tally, writes } = setup();
    tally.markHot(0);
    writes.add(2, { key: 'c', value: Buffer.from('v') }, 100);
    clock.advance(5000);
    await cp.save();
    expect(store.saved).toEqual({
      version: 1,
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
      description: 'redis-origin → memory',
      total: 4,
      done: [
        [0, 1],
        [2, 3],
      ],
      doneCount: 2,
      savedAt: 6000,
    });
  });
});

describe('Checkpointer: at the end of the run', () => {
  it('a finished list clears the checkpoint, whatever failed', async () => {
    const { cp, store, tally } = setup();
    tally.recordFailure(1, 'http 404');
    expect(await cp.settle(true)).toBe('cleared');
    expect(store.clears).toBe(1);
    expect(store.saves).toBe(0);
  });

  it('a run stopped early saves what was done', async () => {
    const { cp, store, tally } = setup();
    tally.markWarmed(1);
    expect(await cp.settle(false)).toBe('saved');
    expect(store.saved?.done).toEqual([[1, 2]]);
  });

  it('a first attempt that did nothing leaves nothing behind; one that resumed a checkpoint saves it again', async () => {
    const a = setup();
    await a.cp.restore();
    expect(await a.cp.settle(false)).toBe('none');
    expect(a.store.saves).toBe(0);
    // a checkpoint from an earlier run, even with nothing done, is kept
    const b = setup();
    expect(await b.cp.settle(false)).toBe('none'); // a checkpointer that read no checkpoint knows of none
    expect(b.store.saves).toBe(0);
    b.tally.markWarmed(0);
    await b.cp.save();
    const c = setup({ checkpoint: b.store });
    const restored = await c.cp.restore();
    expect(restored?.count).toBe(1);
    const d = setup();
    await d.store.inner.save({ ...b.store.saved!, done: [], doneCount: 0 });
    expect((await d.cp.restore())?.count).toBe(0);
    expect(await d.cp.settle(false)).toBe('saved');
  });

  it('refuses a checkpoint of other inputs, naming both runs; discards it on request', async () => {
    const a = setup();
    a.tally.markWarmed(0);
    await a.cp.save();
    const b = setup({ keys: ['a', 'b', 'c', 'x'], checkpoint: a.store });
    await expect(b.cp.restore()).rejects.toThrow(/different run \(redis-origin → memory, 4 items\) than this one \(redis-origin → memory, 4 items\)/);
    const c = setup({ keys: ['a', 'b', 'c', 'x'], checkpoint: a.store, onCheckpointMismatch: 'discard' });
    expect(await c.cp.restore()).toBeNull();
    expect(await c.cp.settle(false)).toBe('saved'); // a checkpoint existed: it is replaced
  });

  it('the fingerprint covers mode, target, origin template, shard, variants and keys (a saved checkpoint stays valid across versions)', async () => {
    const s = setup();
    s.tally.markWarmed(0);
    await s.cp.save();
    expect(s.store.saved!.fingerprint).toBe(
      runFingerprint({ mode: 'redis-origin', target: 'memory', details: ['http://origin/{key}'], shard: '', keys: ['a', 'b', 'c', 'd'], variants: [''] }),
    );
    // a shard that happens to keep every key still changes it
    const all = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].filter((k) => shardOf(k, 2) === 0);
    const sharded = setup({ keys: all, shard: { index: 0, count: 2 } });
    const plain = setup({ keys: all });
    expect(sharded.tally.keys).toEqual(plain.tally.keys);
    for (const x of [sharded, plain]) {
      x.tally.markWarmed(0);
      await x.cp.save();
    }
    expect(sharded.store.saved!.fingerprint).not.toBe(plain.store.saved!.fingerprint);
    expect(sharded.store.saved!.fingerprint).toBe(
      runFingerprint({ mode: 'redis-origin', target: 'memory', details: ['http://origin/{key}'], shard: '0/2', keys: all, variants: [''] }),
    );
  });

  it('the shard is part of the fingerprint; a single shard is no shard', async () => {
    const fp = async (shard?: WarmOptions['shard']): Promise<string> => {
      const s = setup(shard ? { shard } : {});
      s.tally.markWarmed(0);
      await s.cp.save();
      return s.store.saved!.fingerprint;
    };
    const plain = await fp();
    expect(await fp({ index: 0, count: 1 })).toBe(plain);
    // same keys list in both (a 4-key list split 2 ways may differ), so compare two shards of one list
    const s0 = setup({ shard: { index: 0, count: 2 } });
    const s1 = setup({ shard: { index: 1, count: 2 } });
    s0.tally.markWarmed(0);
    s1.tally.markWarmed(0);
    await s0.cp.save();
    await s1.cp.save();
    expect(s0.store.saved!.fingerprint).not.toBe(s1.store.saved!.fingerprint);
  });
});

describe('Checkpointer: checkpointNow', () => {
  it('false without a store, and before the checkpoint was read', async () => {
    expect(await setup({}, { store: false }).cp.now()).toBe(false);
    const { cp, store } = setup();
    expect(await cp.now()).toBe(false);
    cp.markRestored();
    expect(await cp.now()).toBe(true);
    expect(store.saves).toBe(1);
  });

  it('false once the list was finished (the store was cleared)', async () => {
    const { cp, store } = setup();
    cp.markRestored();
    await cp.settle(true);
    expect(await cp.now()).toBe(false);
    expect(store.saves).toBe(0);
  });

  it('waits for queued writes, at most flushWaitMs (default 2 s), then saves at that time', async () => {
    const { clock, cp, store, tally, writes, held } = setup({}, { heldWrites: true });
    cp.markRestored();
    writes.add(1, { key: 'b', value: Buffer.from('v') }, 1);
    const start = clock.now();
    expect(await cp.now()).toBe(true);
    expect(clock.now() - start).toBe(2000);
    expect(store.saved?.savedAt).toBe(start + 2000);
    expect(store.saved?.doneCount).toBe(0); // the write had not landed
    writes.add(2, { key: 'c', value: Buffer.from('v') }, 1);
    const t1 = clock.now();
    expect(await cp.now(500)).toBe(true);
    expect(clock.now() - t1).toBe(500);
    held[0]?.resolve();
    for (let i = 0; i < 10 && held.length < 2; i++) await Promise.resolve();
    held[1]?.resolve();
    await writes.chain;
    expect(tally.warmed).toBe(2);
    const t2 = clock.now();
    expect(await cp.now()).toBe(true); // nothing queued: no wait
    expect(clock.now()).toBe(t2);
    expect(store.saved?.doneCount).toBe(2);
  });

  it('does not save when the list finished while it waited', async () => {
    const { clock, cp, store, writes } = setup({}, { heldWrites: true });
    cp.markRestored();
    writes.add(1, { key: 'b', value: Buffer.from('v') }, 1);
    clock.at(clock.now() + 1000, () => void cp.settle(true));
    expect(await cp.now()).toBe(false);
    expect(store.saves).toBe(0);
    expect(store.clears).toBe(1);
  });
});
