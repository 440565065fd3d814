import { InputError } from '../../src/core/errors.js';

/** Run `fn`, expect an InputError (exit 2), and return it for further checks. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw new Error(`expected an InputError, got ${String(err)}`);
  }
  throw new Error('expected an InputError, nothing was thrown');
}
