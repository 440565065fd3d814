import { Args, Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { readTextInput, writeFileAtomic } from '../../src/cli/files.js';
import { renderTable } from '../../src/cli/style.js';
import type { Journal } from '../../src/core/chaos/journal.js';
import { junitJournal, markdownJournal, summarise, type JournalSummary } from '../../src/core/chaos/report.js';
import { InputError } from '../../src/core/errors.js';

export interface ChaosJournalResult extends JournalSummary {
  reports: { junit: string | null; markdown: string | null };
}

export default class ChaosJournal extends ReliaCommand<typeof ChaosJournal> {
  static override summary = "Render a chaos journal (relia's or chaostoolkit's) as a table, Markdown or JUnit.";
  static override description = 'Exit 0; 2 when the file is not a journal. --markdown and --junit write files, like the budget reports. See docs/chaos.md#journal.';
  static override examples = ['<%= config.bin %> chaos journal journal.json', '<%= config.bin %> chaos journal journal.json --markdown report.md --junit chaos.xml'];
  static override args = { file: Args.string({ description: 'Journal file (- for stdin).', required: true }) };
  static override flags = {
    markdown: Flags.string({ description: 'Write a Markdown report here.' }),
    junit: Flags.string({ description: 'Write a JUnit XML report here.' }),
  };

  async run(): Promise<ChaosJournalResult> {
    const file = this.args.file;
    let journal: Journal;
    try {
      journal = JSON.parse(readTextInput(file, 'FILE', 'journal.json')) as Journal;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`${file}: not JSON: ${(error as Error).message}`, { file, field: 'FILE', suggestions: ['pass the journal.json written by relia chaos run (or chaostoolkit)'] });
    }
    if (typeof journal !== 'object' || journal === null || !('status' in journal) || !Array.isArray(journal.run)) {
      throw new InputError(`${file}: not a chaos journal (no status or run[])`, { file, field: 'FILE', suggestions: ['pass the journal.json written by relia chaos run (or chaostoolkit)'] });
    }
    const s = summarise(journal);
    const reports: ChaosJournalResult['reports'] = { junit: null, markdown: null };
    if (this.flags.markdown) writeFileAtomic((reports.markdown = this.flags.markdown), markdownJournal(s));
    if (this.flags.junit) writeFileAtomic((reports.junit = this.flags.junit), junitJournal(s));
    if (!this.jsonEnabled()) {
      this.log(`${s.title}: ${s.status}${s.deviated ? ' (deviated)' : ''}, exit ${s.exitCode}, ${s.durationSeconds.toFixed(1)} s${s.reason ? `: ${s.reason}` : ''}`);
      if (s.abort) this.log(`aborted by ${s.abort.by} ${s.abort.what}: ${s.abort.message}${s.abort.reactionMs !== undefined ? ` (reaction ${s.abort.reactionMs} ms)` : ''}`);
      if (s.during.checks > 0) this.log(`hypothesis during the method: ${s.during.met} of ${s.during.checks} checks met`);
      this.log(
        renderTable(
          [
            { header: 'PHASE', value: (r) => r.phase },
            { header: 'ACTIVITY', value: (r) => r.name },
            { header: 'STATUS', value: (r) => (r.status === 'succeeded' ? this.style.green(r.status) : this.style.red(r.status)) },
            { header: 'TOLERANCE', value: (r) => (r.toleranceMet === null ? '' : r.toleranceMet ? 'met' : 'not met') },
            { header: 'SECONDS', value: (r) => r.durationSeconds.toFixed(2), align: 'right' },
            { header: 'ERROR', value: (r) => r.error ?? '' },
          ],
          s.rows,
          this.style,
        ),
      );
      for (const l of s.leftovers) this.log(`${this.style.red('STILL INJECTED')}: ${l.description}\n  undo by hand: ${l.manualUndo}`);
    }
    return { ...s, reports };
  }
}
