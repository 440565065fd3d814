/**
 * CLI glue of `relia cache invalidate`: which keys (never more than asked
 * for) and the default pacing (never one burst).
 */
import { readFileSync } from 'node:fs';
import { parseKeyList } from '../../core/cache/sources.js';
import { InputError } from '../../core/errors.js';

/**
 * Keys per second when neither --over nor --rate is given: 100k keys take
 * about 17 minutes instead of one burst (the invalidation storm this command
 * exists to prevent). docs/cache.md#invalidate.
 */
export const DEFAULT_INVALIDATE_RATE = 100;

/**
 * The selection: exactly one of a SCAN pattern or a key file (oclif's
 * `exactlyOne` has already refused both or neither). An empty pattern is
 * refused; a key file with no keys selects nothing.
 */
export function invalidationSelection(pattern: string | undefined, keysFile: string | undefined): { pattern: string } | { keys: string[] } {
  if (pattern !== undefined) {
    if (pattern.trim() === '') throw new InputError('--pattern: empty; say which keys', { field: '--pattern', suggestions: ["--pattern 'title:*'"] });
    return { pattern };
  }
  const file = keysFile as string;
  let raw: Buffer;
  try {
    raw = readFileSync(file === '-' ? 0 : file);
  } catch (error) {
    throw new InputError(`--keys ${file}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { field: '--keys', suggestions: ['check the path; one key per line'] });
  }
  // An empty list selects nothing (the plan says 0 keys); it never means "all keys".
  return { keys: parseKeyList(raw) };
}
