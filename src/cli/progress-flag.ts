/**
 * `--progress auto|bar|json|none`, for the long-running commands. Progress
 * always goes to stderr, so `--json` (stdout) does not change it: on a
 * terminal, `auto` is the human bar even with --json; off one, JSON lines.
 * `json` asks for the JSON lines on a terminal too; `bar` is the bar on a
 * terminal and nothing off one (nothing decorative is written off a TTY);
 * `none` (or the older --no-progress) is silence.
 */
import { Flags } from '@oclif/core';

export const PROGRESS_MODES = ['auto', 'bar', 'json', 'none'] as const;

export const progressFlags = {
  progress: Flags.string({
    description: 'Progress on stderr: auto (a bar on a terminal, JSON lines off one; --json does not change it), bar (on a terminal only), json (JSON lines, also on a terminal) or none.',
    options: [...PROGRESS_MODES],
    default: 'auto',
  }),
  'no-progress': Flags.boolean({ description: 'No progress output; the same as --progress none.' }),
};

export interface ProgressFlagsIn {
  progress?: string | undefined;
  'no-progress'?: boolean | undefined;
}

/** What to show, for the flags and whether stderr is a terminal. */
export function progressMode(f: ProgressFlagsIn, stderrIsTty: boolean): 'bar' | 'json' | 'none' {
  const mode = f['no-progress'] ? 'none' : (f.progress ?? 'auto');
  if (mode === 'none' || mode === 'json') return mode;
  if (mode === 'bar') return stderrIsTty ? 'bar' : 'none';
  return stderrIsTty ? 'bar' : 'json';
}

/** For commands whose progress is event lines (failover): human lines, JSON lines or none. */
export function eventProgress(f: ProgressFlagsIn, stderrIsTty = process.stderr.isTTY === true): 'tty' | 'json' | 'none' {
  const mode = progressMode(f, stderrIsTty);
  return mode === 'bar' ? 'tty' : mode;
}

/** The `startProgress` options for that mode. */
export function progressOutput(f: ProgressFlagsIn, stderrIsTty = process.stderr.isTTY === true): { tty: boolean; silent: boolean } {
  const mode = progressMode(f, stderrIsTty);
  return { tty: mode === 'bar', silent: mode === 'none' };
}
