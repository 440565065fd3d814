/**
 * Input files of the capacity commands: a path, or `-` for stdin (read once).
 * A missing or unreadable file is exit 2 naming the flag.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';

export interface TextInput {
  /** The path, or `stdin`. */
  name: string;
  text: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Read a text input for `field` (e.g. `--plan`); `-` reads stdin. */
export async function readCapacityInput(path: string, field: string, example: string): Promise<TextInput> {
  if (path === '-') return { name: 'stdin', text: await readStdin() };
  try {
    return { name: path, text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`${field} ${path}: cannot read it: ${why}`, { field, file: path, suggestions: ['check the path (relative paths are from the current directory)', `e.g. ${field} ${example}`, `or ${field} - to read stdin`] });
  }
}
