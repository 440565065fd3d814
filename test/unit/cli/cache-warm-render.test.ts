import { describe, expect, it } from 'vitest';
import { concurrencyLine } from '../../../src/cli/cache/warm.js';

describe('concurrencyLine', () => {
  it('is just the number when the controller never moved', () => {
    expect(concurrencyLine({ final: 16, low: 16, high: 16, decreases: 0 })).toBe('16');
  });
  it('explains back-offs as latency reactions, not failures', () => {
    expect(concurrencyLine({ final: 24, low: 8, high: 64, decreases: 312 })).toBe('24 (adaptive, ranged 8–64; backed off 312 times when latency rose (not failures))');
    expect(concurrencyLine({ final: 24, low: 8, high: 64, decreases: 1 })).toContain('backed off 1 time when');
  });
  it('shows the range without a back-off clause when it only grew', () => {
    expect(concurrencyLine({ final: 64, low: 8, high: 64, decreases: 0 })).toBe('64 (adaptive, ranged 8–64)');
  });
});
