/**
 * Journal files: one per plan, `<config dir>/failover/<plan name>.json` by
 * default (`--journal FILE` overrides), written atomically (temp file +
 * rename) at every transition, so a crash never leaves half a journal.
 * `status`, `resume` and `rollback` without `--journal` read the plan's
 * journal, or without `--plan` the most recently updated one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { asJournal, type Journal } from '../../core/failover/journal.js';
import type { JournalSink } from '../../core/failover/steps.js';
import { writeFileAtomic } from '../files.js';

export function journalDir(configDir: string): string {
  return join(configDir, 'failover');
}

export function journalPath(configDir: string, planName: string, flag: string | undefined): string {
  return flag ?? join(journalDir(configDir), `${planName}.json`);
}

export function fileSink(path: string): JournalSink {
  return {
    save(journal: Journal) {
      try {
        writeFileAtomic(path, `${JSON.stringify(journal, null, 2)}\n`);
      } catch (error) {
        // A journal that cannot be written must stop the operation before the next step.
        throw new InputError(`--journal ${path}: cannot write the journal: ${(error as Error).message}`, { field: '--journal', suggestions: ['choose a writable --journal path'] });
      }
    },
  };
}

/** Read a journal; null when the file does not exist. A corrupt file is exit 2. */
export function readJournal(path: string): Journal | null {
  if (!existsSync(path)) return null;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`--journal ${path}: not a readable journal: ${(error as Error).message}`, { field: '--journal', file: path, suggestions: ['point --journal at a file relia failover wrote'] });
  }
  const j = asJournal(data);
  if (!j) throw new InputError(`--journal ${path}: not a relia failover journal (version 1)`, { field: '--journal', file: path, suggestions: ['point --journal at a file relia failover wrote'] });
  return j;
}

/** The journal to act on: --journal, else the plan's, else the latest in the journal directory. */
export function findJournal(configDir: string, options: { journal?: string | undefined; planName?: string | undefined }): { path: string; journal: Journal } {
  if (options.journal !== undefined || options.planName !== undefined) {
    const path = journalPath(configDir, options.planName ?? '', options.journal);
    const j = readJournal(path);
    if (!j) throw new InputError(`no failover journal at ${path}`, { field: options.journal !== undefined ? '--journal' : '--plan', suggestions: ['relia failover apply writes one; pass --journal FILE if it used a custom path'] });
    return { path, journal: j };
  }
  const dir = journalDir(configDir);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)) : [];
  if (files.length === 0) throw new InputError(`no failover journal in ${dir}`, { field: '--journal', suggestions: ['relia failover apply writes one; pass --journal FILE or --plan FILE'] });
  const latest = files.map((f) => ({ f, t: statSync(f).mtimeMs })).sort((a, b) => b.t - a.t)[0] as { f: string };
  const j = readJournal(latest.f);
  if (!j) throw new InputError(`no failover journal at ${latest.f}`, { field: '--journal', suggestions: ['pass --journal FILE'] });
  return { path: latest.f, journal: j };
}
