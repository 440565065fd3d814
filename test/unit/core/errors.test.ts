/**
 * The error taxonomy (src/core/errors.ts) as docs/exit-codes.md lists it: each
 * class's exit code and name, what an error carries only when given (field,
 * file, cause), the brand that recognises relia errors from another copy of
 * the module (a plugin's), and how an aborted signal becomes an error.
 */
import { describe, expect, it } from 'vitest';
import {
  CheckFailedError,
  CleanupFailedError,
  DependencyError,
  ExitCode,
  InputError,
  InternalError,
  InterruptedError,
  ReliaError,
  SafetyStopError,
  throwIfAborted,
} from '../../../src/core/errors.js';

describe('exit codes (docs/exit-codes.md)', () => {
  it('each class has its documented exit code and its own name', () => {
    const errors = [
      new CheckFailedError('no'),
      new InputError('bad'),
      new DependencyError('redis', 'down'),
      new SafetyStopError('guard'),
      new CleanupFailedError('left', ['a pod']),
      new InternalError('bug'),
      new InterruptedError('SIGINT'),
      new InterruptedError('SIGTERM'),
    ];
    expect(errors.map((e) => [e.name, e.exitCode])).toEqual([
      ['CheckFailedError', 1],
      ['InputError', 2],
      ['DependencyError', 3],
      ['SafetyStopError', 4],
      ['CleanupFailedError', 5],
      ['InternalError', 70],
      ['InterruptedError', 130],
      ['InterruptedError', 143],
    ]);
    expect(ExitCode).toEqual({ Ok: 0, CheckFailed: 1, Usage: 2, Dependency: 3, SafetyStop: 4, CleanupFailed: 5, Internal: 70, Sigint: 130, Sigterm: 143 });
  });
  it('an interruption says which signal and that cleanup ran, unless told otherwise', () => {
    const e = new InterruptedError('SIGTERM');
    expect([e.signal, e.message]).toEqual(['SIGTERM', 'interrupted by SIGTERM; cleanup ran']);
    expect(new InterruptedError('SIGINT', 'stopped').message).toBe('stopped');
  });
  it('a dependency error names the dependency; a cleanup failure lists what is left', () => {
    expect(new DependencyError('prometheus', 'timeout').dependency).toBe('prometheus');
    expect(new CleanupFailedError('2 left', ['pod a', 'pod b']).leftovers).toEqual(['pod a', 'pod b']);
  });
});

describe('what an error carries', () => {
  it('field, file, suggestions and cause when given', () => {
    const cause = new Error('ECONNREFUSED');
    const e = new InputError('bad', { field: 'slos[0].objective', file: 'slo.yaml', suggestions: ['objective: 99.9'], cause });
    expect([e.field, e.file, e.suggestions, e.cause, e.message]).toEqual(['slos[0].objective', 'slo.yaml', ['objective: 99.9'], cause, 'bad']);
  });
  it('nothing of them when not given: no empty keys in the JSON envelope', () => {
    const e = new InputError('bad');
    expect(e.suggestions).toEqual([]);
    expect([e.field, e.file, Object.hasOwn(e, 'cause')]).toEqual([undefined, undefined, false]);
    expect(JSON.parse(JSON.stringify({ ...e }))).toEqual({ exitCode: 2, suggestions: [], name: 'InputError' });
  });
  it('suggestions are not shared between errors', () => {
    const a = new InputError('a');
    a.suggestions.push('x');
    expect(new InputError('b').suggestions).toEqual([]);
  });
});

describe('ReliaError.is: recognised by the brand, so a plugin copy of this module counts too', () => {
  it('every relia error, and an object with the shared brand set to true', () => {
    expect(ReliaError.is(new DependencyError('aws', 'x'))).toBe(true);
    expect(ReliaError.is({ [Symbol.for('relia.error')]: true, exitCode: 3 })).toBe(true);
  });
  it('not other errors, values, or a brand that is not exactly true', () => {
    for (const other of [new Error('x'), null, undefined, 'InputError', 2, { exitCode: 2 }, { [Symbol.for('relia.error')]: 'yes' }, { [Symbol('relia.error')]: true }]) {
      expect(ReliaError.is(other)).toBe(false);
    }
  });
});

describe('throwIfAborted', () => {
  it('does nothing without a signal or before it aborts', () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
  });
  it('rethrows a relia reason as it is (SIGTERM stays 143)', () => {
    const c = new AbortController();
    const reason = new InterruptedError('SIGTERM');
    c.abort(reason);
    expect(() => throwIfAborted(c.signal)).toThrow(reason);
  });
  it('any other reason is an interruption, exit 130, "aborted"', () => {
    for (const reason of [undefined, new Error('timeout'), 'stop']) {
      const c = new AbortController();
      c.abort(reason);
      let caught: unknown;
      try {
        throwIfAborted(c.signal);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InterruptedError);
      expect([(caught as InterruptedError).exitCode, (caught as InterruptedError).signal, (caught as InterruptedError).message]).toEqual([130, 'SIGINT', 'aborted']);
    }
  });
});
