/** The shared assertion of every port contract: an unreachable dependency is a DependencyError (exit 3) with a suggestion. */
import { expect } from 'vitest';
import { ReliaError } from '../../../src/core/errors.js';

export async function expectDependencyError(call: () => Promise<unknown>, message: RegExp): Promise<void> {
  const err = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(ReliaError.is(err), `expected a relia error, got ${String(err)}`).toBe(true);
  expect((err as ReliaError).exitCode).toBe(3);
  expect((err as ReliaError).message).toMatch(message);
  expect((err as ReliaError).suggestions.length).toBeGreaterThan(0);
}

export async function expectInputError(call: () => Promise<unknown>, message: RegExp): Promise<void> {
  const err = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(ReliaError.is(err), `expected a relia error, got ${String(err)}`).toBe(true);
  expect((err as ReliaError).exitCode).toBe(2);
  expect((err as ReliaError).message).toMatch(message);
  expect((err as ReliaError).suggestions.length).toBeGreaterThan(0);
}
