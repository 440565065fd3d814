/**
 * The failover journal sink contract against the real `fileSink` (a temp dir,
 * read back with `readJournal`) and the in-memory fake; then what only a file
 * shows: a journal that cannot be written stops the operation (exit 2 naming
 * --journal).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSink, readJournal } from '../../src/cli/failover/journal-file.js';
import { InputError } from '../../src/core/errors.js';
import { MemoryJournalSink } from '../fakes/memory-journal.js';
import { journal, journalSinkContract } from './suites/journal.js';

const root = mkdtempSync(join(tmpdir(), 'relia-journal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

journalSinkContract('fileSink (src/cli/failover/journal-file.ts) on a temp dir', async () => {
  const path = join(root, `run-${n++}`, 'failover', 'api.json');
  return { sink: fileSink(path), read: () => readJournal(path) };
});

journalSinkContract('memory fake (test/fakes/memory-journal.ts)', async () => {
  const sink = new MemoryJournalSink();
  return { sink, read: () => sink.journal };
});

describe('fileSink: what only a file shows', () => {
  it('a journal that cannot be written is an InputError naming --journal, so the engine stops before the next step', () => {
    const dir = join(root, `file-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-file'), 'x');
    const path = join(dir, 'a-file', 'api.json');
    let err: unknown;
    try {
      void fileSink(path).save(journal(0));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('--journal');
  });
});
