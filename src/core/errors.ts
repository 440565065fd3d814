/**
 * relia's error taxonomy. Every error a user can see carries an exit code and
 * "try this" suggestions; the base command turns them into the JSON envelope
 * and the process exit code. Pure: no I/O, no oclif.
 *
 * Exit codes (docs/exit-codes.md):
 *   0 success / check passed
 *   1 the check's answer is no (budget exhausted, gate failed, ...)
 *   2 usage, config or input error; nothing was done
 *   3 a dependency was unreachable or answered with an error
 *   4 stopped by a safety guard; cleanup or rollback completed
 *   5 cleanup or rollback failed; manual action needed
 *   70 internal error: a bug in relia
 *   130 / 143 interrupted by SIGINT / SIGTERM after cleanup ran
 */

export const ExitCode = {
  Ok: 0,
  CheckFailed: 1,
  Usage: 2,
  Dependency: 3,
  SafetyStop: 4,
  CleanupFailed: 5,
  Internal: 70,
  Sigint: 130,
  Sigterm: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ReliaErrorOptions {
  /** Dotted path of the offending field, e.g. `environments.prod.prometheus.url`. */
  field?: string;
  /** File the bad input came from. */
  file?: string;
  /** What to do about it. */
  suggestions?: string[];
  cause?: unknown;
}

const BRAND = Symbol.for('relia.error');

export class ReliaError extends Error {
  readonly exitCode: number;
  readonly suggestions: string[];
  readonly field?: string;
  readonly file?: string;
  readonly [BRAND] = true;

  constructor(message: string, exitCode: number, options: ReliaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.suggestions = options.suggestions ?? [];
    if (options.field !== undefined) this.field = options.field;
    if (options.file !== undefined) this.file = options.file;
  }

  /** True for relia errors, even when raised by another copy of this module (plugins). */
  static is(err: unknown): err is ReliaError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** Bad flags, config, spec or input file. Exit 2; nothing was done. */
export class InputError extends ReliaError {
  constructor(message: string, options: ReliaErrorOptions = {}) {
    super(message, ExitCode.Usage, options);
  }
}

/** A dependency (metrics API, Redis, cloud API, origin) was unreachable or failed. Exit 3. */
export class DependencyError extends ReliaError {
  /** Which dependency, e.g. `prometheus`, `redis`, `origin`. */
  readonly dependency: string;
  constructor(dependency: string, message: string, options: ReliaErrorOptions = {}) {
    super(message, ExitCode.Dependency, options);
    this.dependency = dependency;
  }
}

/** The check's answer is no. Exit 1. */
export class CheckFailedError extends ReliaError {
  constructor(message: string, options: ReliaErrorOptions = {}) {
    super(message, ExitCode.CheckFailed, options);
  }
}

/** A safety guard stopped the run, and cleanup completed. Exit 4. */
export class SafetyStopError extends ReliaError {
  constructor(message: string, options: ReliaErrorOptions = {}) {
    super(message, ExitCode.SafetyStop, options);
  }
}

/** Cleanup or rollback failed: manual action needed. Exit 5. */
export class CleanupFailedError extends ReliaError {
  /** Human-readable list of what is left behind. */
  readonly leftovers: string[];
  constructor(message: string, leftovers: string[], options: ReliaErrorOptions = {}) {
    super(message, ExitCode.CleanupFailed, options);
    this.leftovers = leftovers;
  }
}

/** Interrupted by a signal after cleanup ran. Exit 130 (SIGINT) or 143 (SIGTERM). */
export class InterruptedError extends ReliaError {
  readonly signal: 'SIGINT' | 'SIGTERM';
  constructor(signal: 'SIGINT' | 'SIGTERM', message = `interrupted by ${signal}; cleanup ran`) {
    super(message, signal === 'SIGINT' ? ExitCode.Sigint : ExitCode.Sigterm);
    this.signal = signal;
  }
}

/** Not one of the documented outcomes: a bug in relia. Exit 70. */
export class InternalError extends ReliaError {
  constructor(message: string, options: ReliaErrorOptions = {}) {
    super(message, ExitCode.Internal, options);
  }
}

/** Raise when an AbortSignal has fired; maps the reason to an InterruptedError when it is one. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (ReliaError.is(reason)) throw reason;
  throw new InterruptedError('SIGINT', 'aborted');
}
