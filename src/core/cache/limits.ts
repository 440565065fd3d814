/**
 * Warm-run limits: their defaults, validation, and parsing from the command's
 * flags with the shared unit parsers (errors name the flag). Pure.
 */
import { InputError } from '../errors.js';
import { parseDuration, parseFraction, parseRate } from '../units.js';
import { type AimdOptions, BREAKER_DEFAULTS, type BreakerOptions } from './protection.js';

export interface WarmLimits {
  /** Requests (copy mode: keys) per second; undefined: unlimited. */
  rate?: number;
  /** Token-bucket capacity. Default max(1, ceil(rate / 10)): 100 ms of traffic. */
  burst?: number;
  /** Most requests in flight (the AIMD ceiling when adaptive). Default 16. */
  concurrency?: number;
  /** AIMD adaptive concurrency. Default true; `false` pins the limit to `concurrency`. */
  adaptive?: boolean | Omit<AimdOptions, 'max'>;
  /** Retries after the first attempt, on retryable outcomes only. Default 3. */
  retries?: number;
  /** Full-jitter backoff base and cap, ms. Defaults 100 and 10 000. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Longest Retry-After honoured, ms (longer ones are capped). Default 30 000. */
  maxRetryAfterMs?: number;
  /** Per-request timeout, ms. Default 10 000. */
  timeoutMs?: number;
  /** The origin circuit breaker; `false` turns it off. */
  breaker?: false | BreakerOptions;
  /** Stop issuing work after this many seconds (checkpoint kept, exit 0). */
  maxDuration?: number;
  /** More failures than this make the exit code 1. Default 0. */
  maxFailures?: number;
  /** On exceeding maxFailures: keep going to the end (default) or stop (checkpoint kept). */
  onMaxFailures?: 'continue' | 'stop';
  /** After a stop or abort, in-flight requests get this long to finish before they are cancelled, ms. Default 5000. */
  abortGraceMs?: number;
}

export interface ResolvedLimits {
  rate: number | undefined;
  burst: number;
  concurrency: number;
  adaptive: false | AimdOptions;
  retries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  maxRetryAfterMs: number;
  timeoutMs: number;
  breaker: false | Required<BreakerOptions>;
  maxDurationMs: number | undefined;
  maxFailures: number;
  onMaxFailures: 'continue' | 'stop';
  abortGraceMs: number;
}

export const WARM_DEFAULTS = {
  concurrency: 16,
  retries: 3,
  backoffBaseMs: 100,
  backoffCapMs: 10_000,
  maxRetryAfterMs: 30_000,
  timeoutMs: 10_000,
  maxFailures: 0,
  abortGraceMs: 5_000,
} as const;

function check(ok: boolean, field: string, message: string, example: string): void {
  if (!ok) throw new InputError(`${field}: ${message}`, { field, suggestions: [example] });
}

/** Fill defaults and validate. Errors name the flag (`--rate`, `--concurrency`, ...). */
export function resolveLimits(l: WarmLimits = {}): ResolvedLimits {
  if (l.rate !== undefined) check(Number.isFinite(l.rate) && l.rate > 0, '--rate', `expected a rate above zero, got ${l.rate}`, '--rate 500/s');
  const concurrency = l.concurrency ?? WARM_DEFAULTS.concurrency;
  check(Number.isInteger(concurrency) && concurrency >= 1, '--concurrency', `expected a whole number ≥ 1, got ${concurrency}`, '--concurrency 16');
  const burst = l.burst ?? (l.rate === undefined ? 1 : Math.max(1, Math.ceil(l.rate / 10)));
  check(Number.isFinite(burst) && burst >= 1, '--burst', `expected a number ≥ 1, got ${burst}`, '--burst 50');
  const retries = l.retries ?? WARM_DEFAULTS.retries;
  check(Number.isInteger(retries) && retries >= 0, '--retries', `expected a whole number ≥ 0, got ${retries}`, '--retries 3');
  const maxFailures = l.maxFailures ?? WARM_DEFAULTS.maxFailures;
  check(maxFailures >= 0 && (Number.isInteger(maxFailures) || maxFailures === Infinity), '--max-failures', `expected a whole number ≥ 0, got ${maxFailures}`, '--max-failures 10');
  const timeoutMs = l.timeoutMs ?? WARM_DEFAULTS.timeoutMs;
  check(Number.isFinite(timeoutMs) && timeoutMs > 0, '--timeout', `expected a duration above zero, got ${timeoutMs} ms`, '--timeout 10s');
  if (l.maxDuration !== undefined) check(Number.isFinite(l.maxDuration) && l.maxDuration > 0, '--max-duration', `expected a duration above zero, got ${l.maxDuration} s`, '--max-duration 30m');
  let breaker: ResolvedLimits['breaker'] = false;
  if (l.breaker !== false) {
    const b = { ...BREAKER_DEFAULTS, ...(l.breaker ?? {}) };
    check(b.errorRatio > 0 && b.errorRatio <= 1, '--breaker-threshold', `expected a fraction in (0, 1], got ${b.errorRatio}`, '--breaker-threshold 50%');
    check(Number.isInteger(b.window) && b.window >= 1, '--breaker-window', `expected a whole number ≥ 1, got ${b.window}`, '--breaker-window 100');
    check(Number.isInteger(b.minSamples) && b.minSamples >= 1, '--breaker-min-samples', `expected a whole number ≥ 1, got ${b.minSamples}`, '--breaker-min-samples 20');
    breaker = b;
  }
  // `true` and undefined spread to nothing (the default controller); an object overrides its defaults. Capped at --concurrency.
  const adaptive: ResolvedLimits['adaptive'] = l.adaptive === false ? false : { ...(l.adaptive as Omit<AimdOptions, 'max'> | undefined), max: concurrency };
  return {
    rate: l.rate,
    burst,
    concurrency,
    adaptive,
    retries,
    backoffBaseMs: l.backoffBaseMs ?? WARM_DEFAULTS.backoffBaseMs,
    backoffCapMs: l.backoffCapMs ?? WARM_DEFAULTS.backoffCapMs,
    maxRetryAfterMs: l.maxRetryAfterMs ?? WARM_DEFAULTS.maxRetryAfterMs,
    timeoutMs,
    breaker,
    maxDurationMs: l.maxDuration === undefined ? undefined : l.maxDuration * 1000,
    maxFailures,
    onMaxFailures: l.onMaxFailures ?? 'continue',
    abortGraceMs: l.abortGraceMs ?? WARM_DEFAULTS.abortGraceMs,
  };
}

/** The flags `relia cache warm` exposes for its limits, as typed by the user. */
export interface WarmLimitFlags {
  rate?: string;
  burst?: number;
  concurrency?: number;
  /** `--no-adaptive` sets this false. */
  adaptive?: boolean;
  retries?: number;
  timeout?: string;
  'max-duration'?: string;
  'max-failures'?: number;
  'stop-on-max-failures'?: boolean;
  'breaker-threshold'?: string;
  'breaker-min-samples'?: number;
  'breaker-window'?: number;
  /** `--no-breaker` sets this false. */
  breaker?: boolean;
}

/** Parse the limit flags with relia's unit parsers, then validate (resolveLimits). */
export function limitsFromFlags(f: WarmLimitFlags): WarmLimits {
  const limits: WarmLimits = {};
  if (f.rate !== undefined) limits.rate = parseRate(f.rate, '--rate');
  if (f.burst !== undefined) limits.burst = f.burst;
  if (f.concurrency !== undefined) limits.concurrency = f.concurrency;
  if (f.adaptive !== undefined) limits.adaptive = f.adaptive;
  if (f.retries !== undefined) limits.retries = f.retries;
  if (f.timeout !== undefined) limits.timeoutMs = parseDuration(f.timeout, '--timeout') * 1000;
  if (f['max-duration'] !== undefined) limits.maxDuration = parseDuration(f['max-duration'], '--max-duration');
  if (f['max-failures'] !== undefined) limits.maxFailures = f['max-failures'];
  if (f['stop-on-max-failures']) limits.onMaxFailures = 'stop';
  if (f.breaker === false) limits.breaker = false;
  else {
    const b: BreakerOptions = {};
    if (f['breaker-threshold'] !== undefined) b.errorRatio = parseFraction(f['breaker-threshold'], '--breaker-threshold');
    if (f['breaker-min-samples'] !== undefined) b.minSamples = f['breaker-min-samples'];
    if (f['breaker-window'] !== undefined) b.window = f['breaker-window'];
    if (Object.keys(b).length > 0) limits.breaker = b;
  }
  resolveLimits(limits);
  return limits;
}
