/** Input files and file writes that never leave half a file behind. */
import { fstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from '../core/errors.js';
import { parseSize } from '../core/units.js';

/** Write a sibling temp file, then rename it into place. */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * The largest input file relia reads whole (SLO specs, registers, incident
 * exports, plans): 8 MiB, or RELIA_MAX_INPUT_SIZE (e.g. 64MB). A parsed
 * document takes 25 to 65 times its size in memory (bench/limits: an 8 MiB
 * SLO file peaks at 0.6 GB in `budget check`, an 8 MiB incident file at
 * 0.26 GB), so a file past this is refused up front (exit 2) rather than
 * exhausting memory.
 */
export const DEFAULT_MAX_INPUT_BYTES = 8 * 1024 * 1024;

export function maxInputBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RELIA_MAX_INPUT_SIZE;
  if (raw === undefined || raw === '') return DEFAULT_MAX_INPUT_BYTES;
  return parseSize(raw, 'RELIA_MAX_INPUT_SIZE');
}

/** Refuse an input larger than maxInputBytes(), naming the flag, the file and the way to raise the limit. */
export function checkInputSize(path: string, field: string, size: number, limit = maxInputBytes()): void {
  if (size <= limit) return;
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  throw new InputError(`${field} ${path}: the file is ${mib(size)}, over the ${mib(limit)} relia reads whole`, {
    field,
    file: path,
    suggestions: ['split it into smaller files (a directory of files works where the flag takes one)', `or raise the limit: RELIA_MAX_INPUT_SIZE=${Math.ceil(size / 1024 / 1024) + 1}MB`],
  });
}

/**
 * Read a text input given to `field` (e.g. `--plan`): a path, or `-` for
 * stdin. A missing or unreadable file is an InputError (exit 2) naming the
 * flag, the reason and, when given, an example.
 */
export function readTextInput(path: string, field: string, example?: string): string {
  try {
    checkInputSize(path === '-' ? 'stdin' : path, field, path === '-' ? fstatSync(0).size : statSync(path).size);
    const text = readFileSync(path === '-' ? 0 : path, 'utf8');
    if (path === '-') checkInputSize('stdin', field, Buffer.byteLength(text));
    return text;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`${field} ${path}: cannot read it: ${why}`, {
      field,
      file: path,
      suggestions: ['check the path (relative paths are from the current directory)', ...(example ? [`e.g. ${field} ${example}`] : []), `or ${field} - to read stdin`],
    });
  }
}
