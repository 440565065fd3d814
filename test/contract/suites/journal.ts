/**
 * The JournalSink contract: what the failover engine relies on from the sink
 * it hands the journal to at every transition (src/core/failover/steps.ts).
 * One suite, every implementation: `fileSink` on a temp dir read back with
 * `readJournal` (src/cli/failover/journal-file.ts), and the in-memory fake.
 */
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../../src/core/failover/journal.js';
import type { JournalSink } from '../../../src/core/failover/steps.js';

export interface JournalFixture {
  sink: JournalSink;
  /** The journal as `failover status|resume|rollback` read it; null when none was written. */
  read(): Journal | null;
}

export function journal(position: number, over: Partial<Journal> = {}): Journal {
  return {
    version: 1,
    id: 'op-1',
    kind: 'apply',
    plan: { name: 'api', file: 'api.yaml' },
    dns: { zoneId: 'Z1', record: 'api.example.com.', type: 'A' },
    regions: { use1: 'us-east-1', euw1: 'eu-west-1' },
    from: 'use1',
    to: 'euw1',
    mode: 'graceful',
    weightsBefore: { use1: 100, euw1: 0 },
    steps: [
      { percent: 50, weights: { use1: 50, euw1: 50 }, state: position >= 0 ? 'baked' : 'pending' },
      { percent: 100, weights: { use1: 0, euw1: 100 }, state: position >= 1 ? 'baked' : 'pending' },
    ],
    position,
    status: 'running',
    scaling: [],
    guard: [],
    events: [{ at: '2026-12-03T07:00:00.000Z', type: 'start', message: 'évacuation “use1” → euw1' }],
    owner: 'test@host:1',
    startedAt: '2026-12-03T07:00:00.000Z',
    updatedAt: '2026-12-03T07:00:00.000Z',
    ...over,
  } as Journal;
}

export function journalSinkContract(name: string, make: () => Promise<JournalFixture>) {
  describe(`JournalSink contract: ${name}`, () => {
    it('nothing saved reads as no journal', async () => {
      const f = await make();
      expect(f.read()).toBeNull();
    });

    it('a saved journal reads back exactly', async () => {
      const f = await make();
      await f.sink.save(journal(0));
      expect(f.read()).toEqual(journal(0));
    });

    it('a save is a snapshot: the engine changing the journal afterwards does not change what was saved', async () => {
      const f = await make();
      const j = journal(0);
      await f.sink.save(j);
      j.position = 1;
      j.status = 'completed';
      j.events.push({ at: '2026-12-03T07:05:00.000Z', type: 'step', message: 'later' } as Journal['events'][number]);
      expect(f.read()).toEqual(journal(0));
    });

    it('every save replaces the whole journal (the last transition is what a resume sees)', async () => {
      const f = await make();
      await f.sink.save(journal(0, { events: Array.from({ length: 50 }, (_, i) => ({ at: '2026-12-03T07:00:00.000Z', type: 'note', message: `event ${i}` })) as Journal['events'] }));
      await f.sink.save(journal(1, { status: 'interrupted', reason: 'interrupted by SIGINT at step 2 (100%)' }));
      expect(f.read()).toEqual(journal(1, { status: 'interrupted', reason: 'interrupted by SIGINT at step 2 (100%)' }));
    });
  });
}
