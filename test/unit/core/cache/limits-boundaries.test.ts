/**
 * Warm-run limits at their edges (docs/cache.md "Protection"): each limit
 * exactly at its smallest accepted value passes and a step past it is an
 * InputError naming the flag, with the example fix; values given are kept
 * as given; flags map one to one onto limits.
 */
import { describe, expect, it } from 'vitest';
import { limitsFromFlags, resolveLimits } from '../../../../src/core/cache/limits.js';
import { expectInputError } from '../error-contract.js';

describe('resolveLimits at the edges', () => {
  it('accepts each limit at its smallest allowed value', () => {
    const l = resolveLimits({ rate: 0.001, concurrency: 1, burst: 1, retries: 0, maxFailures: 0, timeoutMs: 0.5, maxDuration: 0.5, breaker: { errorRatio: 1, window: 1, minSamples: 1 } });
    expect(l).toMatchObject({ rate: 0.001, concurrency: 1, burst: 1, retries: 0, maxFailures: 0, timeoutMs: 0.5, maxDurationMs: 500, breaker: { errorRatio: 1, window: 1, minSamples: 1 } });
  });

  it.each([
    [{ rate: Number.NaN }, '--rate', 'expected a rate above zero, got NaN', '--rate 500/s'],
    [{ rate: Number.POSITIVE_INFINITY }, '--rate', 'expected a rate above zero', '--rate 500/s'],
    [{ rate: -1 }, '--rate', 'got -1', '--rate 500/s'],
    [{ concurrency: -3 }, '--concurrency', 'expected a whole number ≥ 1, got -3', '--concurrency 16'],
    [{ burst: Number.POSITIVE_INFINITY }, '--burst', 'expected a number ≥ 1', '--burst 50'],
    [{ burst: 0.999 }, '--burst', 'got 0.999', '--burst 50'],
    [{ retries: 1.5 }, '--retries', 'expected a whole number ≥ 0, got 1.5', '--retries 3'],
    [{ maxFailures: 2.5 }, '--max-failures', 'expected a whole number ≥ 0, got 2.5', '--max-failures 10'],
    [{ maxFailures: Number.NEGATIVE_INFINITY }, '--max-failures', 'got -Infinity', '--max-failures 10'],
    [{ timeoutMs: Number.POSITIVE_INFINITY }, '--timeout', 'expected a duration above zero, got Infinity ms', '--timeout 10s'],
    [{ timeoutMs: -5 }, '--timeout', 'got -5 ms', '--timeout 10s'],
    [{ maxDuration: Number.NaN }, '--max-duration', 'expected a duration above zero, got NaN s', '--max-duration 30m'],
    [{ maxDuration: -1 }, '--max-duration', 'got -1 s', '--max-duration 30m'],
    [{ breaker: { errorRatio: 1.01 } }, '--breaker-threshold', 'expected a fraction in (0, 1], got 1.01', '--breaker-threshold 50%'],
    [{ breaker: { errorRatio: -0.1 } }, '--breaker-threshold', 'got -0.1', '--breaker-threshold 50%'],
    [{ breaker: { window: 2.5 } }, '--breaker-window', 'expected a whole number ≥ 1, got 2.5', '--breaker-window 100'],
    [{ breaker: { minSamples: 1.5 } }, '--breaker-min-samples', 'expected a whole number ≥ 1, got 1.5', '--breaker-min-samples 20'],
  ])('%j: %s, "%s"', (limits, field, message, example) => {
    const e = expectInputError(() => resolveLimits(limits), field, [`${field}: `, message]);
    expect(e.suggestions).toEqual([example]);
  });

  it('a rate defaults the burst to ⌈rate / 10⌉ (100 ms of traffic), at least 1; a given burst wins', () => {
    expect(resolveLimits({ rate: 11 }).burst).toBe(2);
    expect(resolveLimits({ rate: 10 }).burst).toBe(1);
    expect(resolveLimits({ rate: 0.5 }).burst).toBe(1);
    expect(resolveLimits({ rate: 500, burst: 7 }).burst).toBe(7);
    expect(resolveLimits({ burst: 3 }).burst).toBe(3);
  });

  it('keeps the values given for the unvalidated timings and the stop policy', () => {
    const l = resolveLimits({ backoffBaseMs: 50, backoffCapMs: 2000, maxRetryAfterMs: 1000, abortGraceMs: 250, onMaxFailures: 'stop' });
    expect(l).toMatchObject({ backoffBaseMs: 50, backoffCapMs: 2000, maxRetryAfterMs: 1000, abortGraceMs: 250, onMaxFailures: 'stop' });
  });

  it('adaptive concurrency takes --concurrency as its ceiling; `true` is the default controller', () => {
    expect(resolveLimits({ adaptive: true, concurrency: 5 }).adaptive).toEqual({ max: 5 });
    expect(resolveLimits({ adaptive: { initial: 2, min: 2, max: 99 } as never, concurrency: 8 }).adaptive).toEqual({ initial: 2, min: 2, max: 8 });
  });

  it('a partial breaker keeps the other defaults', () => {
    expect(resolveLimits({ breaker: { window: 10 } }).breaker).toEqual({ window: 10, minSamples: 20, errorRatio: 0.5 });
  });
});

describe('limitsFromFlags', () => {
  it('maps each flag to its limit, and only the flags given', () => {
    expect(limitsFromFlags({ burst: 4 })).toEqual({ burst: 4 });
    expect(limitsFromFlags({ concurrency: 3 })).toEqual({ concurrency: 3 });
    expect(limitsFromFlags({ adaptive: true })).toEqual({ adaptive: true });
    expect(limitsFromFlags({ retries: 0 })).toEqual({ retries: 0 });
    expect(limitsFromFlags({ 'max-failures': 0 })).toEqual({ maxFailures: 0 });
    expect(limitsFromFlags({ timeout: '1500ms' })).toEqual({ timeoutMs: 1500 });
    expect(limitsFromFlags({ 'stop-on-max-failures': false })).toEqual({});
    expect(limitsFromFlags({ breaker: true })).toEqual({});
    expect(limitsFromFlags({ breaker: true, 'breaker-min-samples': 5 })).toEqual({ breaker: { minSamples: 5 } });
    expect(limitsFromFlags({ 'breaker-window': 50 })).toEqual({ breaker: { window: 50 } });
  });

  it('--no-breaker drops the breaker even when its other flags are given', () => {
    expect(limitsFromFlags({ breaker: false, 'breaker-threshold': '10%' })).toEqual({ breaker: false });
  });

  it('validates what it parsed: a bad combination is refused', () => {
    expectInputError(() => limitsFromFlags({ retries: -1 }), '--retries');
    expectInputError(() => limitsFromFlags({ 'breaker-window': 0 }), '--breaker-window');
    expectInputError(() => limitsFromFlags({ timeout: '0s' }), '--timeout');
  });
});
