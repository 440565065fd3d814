/** Input files and file writes that never leave half a file behind. */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from '../core/errors.js';

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
 * Read a text input given to `field` (e.g. `--plan`): a path, or `-` for
 * stdin. A missing or unreadable file is an InputError (exit 2) naming the
 * flag, the reason and, when given, an example.
 */
export function readTextInput(path: string, field: string, example?: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`${field} ${path}: cannot read it: ${why}`, {
      field,
      file: path,
      suggestions: ['check the path (relative paths are from the current directory)', ...(example ? [`e.g. ${field} ${example}`] : []), `or ${field} - to read stdin`],
    });
  }
}
