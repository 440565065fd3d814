/**
 * The CheckpointStore contract: what the warm engine relies on from the store
 * a resumable run saves its progress to (src/core/cache/checkpoint.ts). One
 * suite, every implementation: FileCheckpointStore on a temp dir (the real
 * one, src/cli/cache/files.ts), the in-memory fake, and the fake inside its
 * recording wrapper with nothing armed.
 */
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, restoreDone, type CheckpointStore, type WarmCheckpoint } from '../../../src/core/cache/checkpoint.js';
import { InputError } from '../../../src/core/errors.js';

export interface CheckpointFixture {
  store: CheckpointStore;
  /** The same checkpoint seen by another run (a new FileCheckpointStore on the same path; the fake: the same store). */
  reopen(): CheckpointStore;
  /** Replace the stored document with raw text, as a crash, a disk error or a hand edit leaves a file. */
  corrupt(text: string): Promise<void>;
  /** The stored document as text, or null when there is none. */
  raw(): Promise<string | null>;
}

export function checkpoint(doneCount: number, over: Partial<WarmCheckpoint> = {}): WarmCheckpoint {
  const done: Array<[number, number]> = [];
  for (let i = 0; i < doneCount; i++) done.push([3 * i, 3 * i + 1]);
  return { version: CHECKPOINT_VERSION, fingerprint: 'fp-0123abcd', description: 'redis://cache:6379 from https://origin/{key}, shard 1/2', total: 3 * doneCount + 5, done, doneCount, savedAt: 1_700_000_000_000 + doneCount, ...over };
}

/** The InputError a checkpoint that is not JSON gives: exit 2, naming --checkpoint, with --restart as the way out. */
async function expectNotACheckpoint(p: Promise<unknown>): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  const e = err as InputError;
  expect(e.exitCode).toBe(2);
  expect(e.field).toBe('--checkpoint');
  expect(e.message).toMatch(/is not a relia checkpoint/);
  expect(e.suggestions.join(' ')).toMatch(/--restart/);
}

const EXPECTED = { fingerprint: 'fp-0123abcd', total: 3 * 4 + 5, description: 'this run' };

export function checkpointContract(name: string, make: () => Promise<CheckpointFixture>) {
  describe(`CheckpointStore contract: ${name}`, () => {
    it('a missing checkpoint loads as null (a first run)', async () => {
      const f = await make();
      expect(await f.store.load()).toBeNull();
      expect(await f.raw()).toBeNull();
    });

    it('save then load round-trips the checkpoint exactly, also for another run on the same place', async () => {
      const f = await make();
      const c = checkpoint(2000, { description: 'ünïcode “quotes” \\ back\nslash, 🔥', savedAt: Number.MAX_SAFE_INTEGER });
      await f.store.save(c);
      expect(await f.store.load()).toEqual(c);
      expect(await f.reopen().load()).toEqual(c);
      expect(restoreDone(await f.reopen().load(), { ...EXPECTED, total: c.total }, 'error')?.count).toBe(2000);
    });

    it('stores one line of JSON, the checkpoint and nothing else (the documented file format)', async () => {
      const f = await make();
      const c = checkpoint(3);
      await f.store.save(c);
      expect(await f.raw()).toBe(`${JSON.stringify(c)}\n`);
    });

    it('never aliases: changing what load returned or what was saved leaves the stored checkpoint alone', async () => {
      const f = await make();
      const c = checkpoint(4);
      await f.store.save(c);
      c.done.push([100, 200]);
      c.doneCount = 999;
      const loaded = (await f.store.load())!;
      expect(loaded).toEqual(checkpoint(4));
      loaded.done.length = 0;
      loaded.fingerprint = 'changed';
      expect(await f.store.load()).toEqual(checkpoint(4));
    });

    it('a save replaces the whole checkpoint (a shorter one leaves nothing of the longer one)', async () => {
      const f = await make();
      await f.store.save(checkpoint(500, { description: 'first, with a long description '.repeat(20) }));
      const second = checkpoint(1, { fingerprint: 'fp-other' });
      await f.store.save(second);
      expect(await f.store.load()).toEqual(second);
      expect(await f.raw()).toBe(`${JSON.stringify(second)}\n`);
    });

    it('saves land in call order: after many saves in flight at once, the last one called is stored', async () => {
      const f = await make();
      await Promise.all(Array.from({ length: 25 }, (_, i) => f.store.save(checkpoint(i + 1))));
      expect((await f.store.load())?.doneCount).toBe(25);
    });

    it('clear removes it (load is null again); clearing nothing, or twice, is not an error; a save after works', async () => {
      const f = await make();
      await f.store.clear();
      await f.store.save(checkpoint(4));
      await f.store.clear();
      expect(await f.store.load()).toBeNull();
      expect(await f.raw()).toBeNull();
      await f.store.clear();
      await f.store.save(checkpoint(2));
      expect(await f.reopen().load()).toEqual(checkpoint(2));
    });

    it.each([
      ['not JSON', 'garbage'],
      ['empty (a crash before the first byte)', ''],
      ['truncated half-way', `${JSON.stringify(checkpoint(50)).slice(0, 300)}`],
      ['binary', '\u0000\u0001\u00ff\ufffd'],
    ])('a corrupted checkpoint (%s) is an InputError on --checkpoint suggesting --restart, and a save replaces it', async (_what, text) => {
      const f = await make();
      await f.corrupt(text);
      await expectNotACheckpoint(f.store.load());
      await expectNotACheckpoint(f.reopen().load());
      // what `cache warm --restart` does: no load, then save over it
      await f.store.save(checkpoint(3));
      expect(await f.store.load()).toEqual(checkpoint(3));
      await f.corrupt(text);
      await f.store.clear();
      expect(await f.store.load()).toBeNull();
    });

    it('JSON that is not a checkpoint is returned as it is, and the engine refuses it as an unknown format (exit 2)', async () => {
      const f = await make();
      for (const text of ['{"hello":1}', '[]', '42', '{"version":2,"done":[]}']) {
        await f.corrupt(text);
        const loaded = await f.store.load();
        expect(loaded).toEqual(JSON.parse(text));
        expect(() => restoreDone(loaded, EXPECTED, 'error')).toThrow(/unknown format/);
        expect(restoreDone(loaded, EXPECTED, 'discard')).toBeNull();
      }
    });

    it('a JSON null reads as no checkpoint', async () => {
      const f = await make();
      await f.corrupt('null');
      expect(await f.store.load()).toBeNull();
    });
  });
}
