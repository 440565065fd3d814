/**
 * The in-memory JournalSink: THE fake of the failover engine's journal sink
 * (the interface is declared by the engine, src/core/failover/steps.ts; the
 * real one is `fileSink`, src/cli/failover/journal-file.ts). It passes the
 * same contract suite as the file sink (test/contract/journal.contract.test.ts):
 *  - it holds one document, the text the file holds (`document`), replaced
 *    whole by every save;
 *  - a save is a snapshot: changing the journal object afterwards (the engine
 *    keeps mutating it) does not change what was saved;
 *  - `journal` reads it back the way `failover status|resume|rollback` do
 *    (`asJournal`), null when nothing was saved.
 */
import { asJournal, type Journal } from '../../src/core/failover/journal.js';
import type { JournalSink } from '../../src/core/failover/steps.js';

export class MemoryJournalSink implements JournalSink {
  document: string | null = null;

  save(journal: Journal): void {
    this.document = `${JSON.stringify(journal, null, 2)}\n`;
  }

  /** The saved journal as a reader sees it (a fresh copy), or null. */
  get journal(): Journal | null {
    return this.document === null ? null : asJournal(JSON.parse(this.document));
  }
}
