import { expect } from 'vitest';
import type { InputError } from '../../../src/core/errors.js';
import { inputError } from '../../helpers/errors.js';

/**
 * The house rule for bad input (docs/contributing.md): an InputError (exit 2)
 * that names the field, says what was wrong and gives at least one "try this"
 * suggestion, none of them empty. `mentions`: text the message must contain
 * (the flag, the bad value). Returns the error for further checks.
 */
export function expectInputError(fn: () => unknown, field: string, mentions: string[] = []): InputError {
  const e = inputError(fn);
  expect(e.field).toBe(field);
  expect(e.message.trim().length).toBeGreaterThan(0);
  for (const m of mentions) expect(e.message).toContain(m);
  expect(e.suggestions.length).toBeGreaterThan(0);
  for (const s of e.suggestions) expect(s.trim().length).toBeGreaterThan(0);
  return e;
}
