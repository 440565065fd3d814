/**
 * After every e2e file: each exit code relia returned in it must be one that
 * docs/exit-codes.md lists. A new code (an oclif 127, a V8 abort 134, a
 * timeout's -1) fails the file that produced it, naming the command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { ROOT, seenExitCodes } from '../helpers/relia.js';

/** The codes in the first column of the table in docs/exit-codes.md. */
export function documentedExitCodes(): Set<number> {
  const text = readFileSync(join(ROOT, 'docs', 'exit-codes.md'), 'utf8');
  return new Set([...text.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1])));
}

afterAll(() => {
  const documented = documentedExitCodes();
  const undocumented = [...seenExitCodes].filter(([code]) => !documented.has(code)).map(([code, what]) => `${code} (${what})`);
  expect(undocumented, 'exit codes not listed in docs/exit-codes.md').toEqual([]);
});
