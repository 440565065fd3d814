/**
 * The checkpoint store contract against the real FileCheckpointStore (a temp
 * dir), the in-memory fake and the fake inside InstrumentedCheckpointStore;
 * then what only a file shows: atomic replace seen by a concurrent reader,
 * missing directories, and a path that cannot be read.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../src/cli/cache/files.js';
import { InputError } from '../../src/core/errors.js';
import { InstrumentedCheckpointStore } from '../fakes/instrumented-checkpoint.js';
import { MemoryCheckpointStore } from '../fakes/memory-checkpoint.js';
import { checkpoint, checkpointContract } from './suites/checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'relia-checkpoint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(root, `run-${n++}`, 'warm.checkpoint.json');

checkpointContract('FileCheckpointStore (src/cli/cache/files.ts) on a temp dir', async () => {
  const path = freshPath();
  return {
    store: new FileCheckpointStore(path),
    reopen: () => new FileCheckpointStore(path),
    async corrupt(text) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
    },
    raw: async () => (existsSync(path) ? readFileSync(path, 'utf8') : null),
  };
});

checkpointContract('memory fake (test/fakes/memory-checkpoint.ts)', async () => {
  const store = new MemoryCheckpointStore();
  return {
    store,
    reopen: () => store,
    corrupt: async (text) => void (store.document = text),
    raw: async () => store.document,
  };
});

checkpointContract('memory fake inside InstrumentedCheckpointStore, nothing armed', async () => {
  const inner = new MemoryCheckpointStore();
  return {
    store: new InstrumentedCheckpointStore(inner),
    reopen: () => new InstrumentedCheckpointStore(inner),
    corrupt: async (text) => void (inner.document = text),
    raw: async () => inner.document,
  };
});

describe('FileCheckpointStore: what only a file shows', () => {
  it('replaces the file atomically: a reader in another thread only ever sees a whole checkpoint, and no temp file is left', async () => {
    const path = freshPath();
    const store = new FileCheckpointStore(path);
    await store.save(checkpoint(1));
    // shared[0]: stop flag (main → reader); shared[1]: reads done (reader → main)
    const shared = new Int32Array(new SharedArrayBuffer(8));
    // The reader parses the file in a tight loop until told to stop; it reports reads and any torn one.
    const reader = new Worker(
      `const { readFileSync } = require('node:fs');
       const { workerData, parentPort } = require('node:worker_threads');
       const shared = new Int32Array(workerData.shared);
       let torn = null;
       while (Atomics.load(shared, 0) === 0 && torn === null) {
         let text;
         try { text = readFileSync(workerData.path, 'utf8'); } catch (e) { torn = 'unreadable: ' + e.code; break; }
         try { const c = JSON.parse(text); if (c.done.length !== c.doneCount) torn = 'inconsistent'; } catch { torn = 'partial: ' + text.length + ' bytes'; }
         Atomics.add(shared, 1, 1);
       }
       if (torn !== null) Atomics.store(shared, 0, 2);
       parentPort.postMessage({ torn });`,
      { eval: true, workerData: { path, shared: shared.buffer } },
    );
    const report = new Promise<{ torn: string | null }>((resolve, reject) => {
      reader.once('message', resolve);
      reader.once('error', reject);
    });
    const reads = () => Atomics.load(shared, 1);
    // wait (a condition, not a fixed time) until the reader is reading
    for (const deadline = Date.now() + 60_000; reads() === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
    const before = reads();
    // large documents (about 0.5 MB) so a non-atomic write would be seen half-written; go on until the reader
    // has read at least 50 times while saves were happening
    let saves = 0;
    while ((saves < 60 || reads() - before < 50) && saves < 600 && Atomics.load(shared, 0) === 0) {
      await store.save(checkpoint(saves % 2 === 0 ? 30_000 : 20_000 + saves));
      saves++;
    }
    Atomics.store(shared, 0, 1);
    const { torn } = await report;
    await reader.terminate();
    expect(torn).toBeNull();
    expect(reads() - before).toBeGreaterThanOrEqual(50);
    expect(readdirSync(join(path, '..'))).toEqual(['warm.checkpoint.json']);
  });

  it('a missing directory is a missing checkpoint; save creates the directories', async () => {
    const path = join(root, 'deep', 'er', 'and', 'deeper', 'c.json');
    const store = new FileCheckpointStore(path);
    expect(await store.load()).toBeNull();
    await store.save(checkpoint(2));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(checkpoint(2));
  });

  it('a path that cannot be read (a directory) is an InputError naming --checkpoint and the path', async () => {
    const path = join(root, `dir-${n++}`);
    mkdirSync(path);
    const err = await new FileCheckpointStore(path).load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('--checkpoint');
    expect((err as Error).message).toContain(path);
  });

  it('a path that cannot be written (under a file) is an InputError naming --checkpoint, not an internal error', async () => {
    const dir = join(root, `file-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-file'), 'x');
    const path = join(dir, 'a-file', 'warm.json');
    const err = await new FileCheckpointStore(path).save(checkpoint(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('--checkpoint');
    expect((err as Error).message).toContain(path);
    expect(readdirSync(dir)).toEqual(['a-file']);
  });
});
