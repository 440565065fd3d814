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

/** What the tests read off a relia error: its suggestions, and the field or leftovers where it has them. */
type ReliaErrorLike = Error & { suggestions: string[]; field?: string; leftovers?: string[] };

/**
 * Await `p`, expect it to reject, and return the error for further checks;
 * with `type`, the error must be of that class.
 */
export async function rejection<E extends Error = ReliaErrorLike>(p: Promise<unknown>, type?: abstract new (...args: never[]) => E): Promise<E> {
  let error: unknown;
  try {
    await p;
  } catch (err) {
    error = err;
  }
  if (error === undefined) throw new Error('expected a rejection, the promise resolved');
  if (type && !(error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(error)}`);
  return error as E;
}
