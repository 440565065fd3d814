/**
 * What a person needs after interrupting a resumable command (cache warm,
 * cache invalidate): what was done, where the checkpoint is, and the exact
 * command that continues. Without a checkpoint, how to make the next run
 * resumable.
 */

/** Quote one argument for a POSIX shell, only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface ResumeHintInput {
  bin: string;
  /** The command id with spaces, e.g. `cache warm`. */
  command: string;
  /** The arguments as given (after the command id). */
  argv: readonly string[];
  /** e.g. "1,200 of 10,000 keys warmed". */
  done: string;
  checkpointFile: string | null;
  signal: 'SIGINT' | 'SIGTERM';
  /** The command is safe to run again as is (what is done is skipped): no checkpoint needed. */
  idempotent?: boolean;
}

export function resumeHint(input: ResumeHintInput): string[] {
  const again = [input.bin, ...input.command.split(' '), ...input.argv.filter((a) => a !== '--restart')].map(shellQuote).join(' ');
  const lines = [`relia: interrupted by ${input.signal}: ${input.done}`];
  if (input.idempotent === true) {
    lines.push(`relia: running it again finishes the rest (what is done is skipped): ${again}`);
  } else if (input.checkpointFile === null) {
    lines.push('relia: no --checkpoint was given, so running it again starts over; add --checkpoint FILE to make runs resumable');
    lines.push(`relia: run again with: ${again}`);
  } else {
    lines.push(`relia: checkpoint saved: ${input.checkpointFile}`);
    lines.push(`relia: resume with: ${again}`);
  }
  return lines;
}
