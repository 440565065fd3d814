/**
 * oclif's flag and argument errors, rewritten for people: one line that names
 * the flag and what it is for, an example from the command's own examples,
 * and "did you mean" for a mistyped flag. Always an InputError (exit 2), so
 * `--json` shows the documented error name.
 */
import { InputError } from '../core/errors.js';
import { closestCommand } from '../core/suggest.js';

export interface FlagInfo {
  description?: string | undefined;
  char?: string | undefined;
  aliases?: string[] | undefined;
}

export interface CommandInfo {
  id: string;
  bin: string;
  flags: Record<string, FlagInfo>;
  examples: string[];
}

/** The first example that uses `--flag`, with `<%= config.bin %>` filled in. */
function exampleWith(flag: string, info: CommandInfo): string | undefined {
  const hit = info.examples.find((e) => new RegExp(`--${flag}(?![\\w-])`).test(e));
  return hit?.replaceAll('<%= config.bin %>', info.bin);
}

/** The purpose of a flag: the first sentence of its description, without the default in parentheses. */
function purpose(flag: FlagInfo | undefined): string {
  const text = (flag?.description ?? '').split(/(?<=\.)\s/)[0] ?? '';
  return text.replace(/\s*\([^)]*\)\.?$/, '').replace(/\.$/, '');
}

/** Known spellings of the command's flags: `--name`, `--alias`, `-c`. */
function spellings(info: CommandInfo): string[] {
  return Object.entries(info.flags).flatMap(([name, f]) => [`--${name}`, ...(f.aliases ?? []).map((a) => `--${a}`), ...(f.char ? [`-${f.char}`] : [])]);
}

/**
 * An InputError for an oclif parse error's message, or undefined when the
 * message is not one this knows (the caller keeps oclif's text then).
 */
export function describeParseError(message: string, info: CommandInfo): InputError | undefined {
  const reasons = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^See more help/.test(l) && !/^The following errors? occurred:?$/.test(l));
  const help = `see \`${info.bin} ${info.id}${info.id ? ' ' : ''}--help\``;
  const missing = reasons.map((r) => /^Missing required flag (\S+)$/.exec(r)?.[1]).filter((n): n is string => n !== undefined);
  if (missing.length > 0 && missing.length === reasons.length) {
    const first = missing[0] as string;
    const text = missing.map((n) => `--${n}${purpose(info.flags[n]) ? ` (${purpose(info.flags[n])})` : ''}`).join(', ');
    const example = exampleWith(first, info);
    return new InputError(`missing ${text}`, { field: `--${first}`, suggestions: [...(example ? [`e.g. ${example}`] : []), help] });
  }
  // -o is the output format everywhere (docs/flags.md); `-o FILE` meant to write a file names --out
  const output = /^Expected --output=(.*) to be one of: (.+)$/.exec(reasons[0] ?? '');
  if (output && reasons.length === 1) {
    const value = output[1] as string;
    const toFile = 'out' in info.flags ? [`to write the result to a file: --out ${value}`] : [];
    return new InputError(`-o/--output ${JSON.stringify(value)}: not an output format; -o is one of ${output[2]}`, { field: '--output', suggestions: [...toFile, '-o json', help] });
  }
  const unknown = /^Nonexistent flags?: (.+)$/.exec(reasons[0] ?? '')?.[1];
  if (unknown !== undefined && reasons.length === 1) {
    const flags = unknown.split(/,\s*/).map((f) => f.split('=')[0] as string);
    const known = spellings(info);
    const guesses = flags.map((f) => {
      const name = f.replace(/^-+/, '');
      const guess = closestCommand(`--${name}`, known.filter((k) => k.startsWith('--')), Math.max(2, Math.floor(name.length / 3)));
      if (!guess) return undefined;
      const what = purpose(info.flags[guess.slice(2)]);
      return `did you mean ${guess}${flags.length > 1 ? ` for ${f}` : ''}?${what ? ` (${what})` : ''}`;
    });
    return new InputError(`unknown flag${flags.length === 1 ? '' : 's'} ${flags.join(', ')}`, {
      field: flags[0] as string,
      suggestions: [...guesses.filter((g): g is string => g !== undefined), help],
    });
  }
  return undefined;
}
