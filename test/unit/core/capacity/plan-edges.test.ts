/**
 * Edges of `relia capacity plan` (docs/capacity-planning.md): the number format of the assumption lines
 * (`grouped`: 1e6 and above as whole numbers, 6 significant figures below, non-finite values as JavaScript
 * prints them), the "shares add up to 1 ± 0.001" rule at both sides of the tolerance, fractions given as
 * plain numbers (kept exactly), a session workload with no request rate (no request-rate assumption line),
 * and a demand above zero that still names its capacity dimension. Expected values are worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { computePlan, grouped, instancesFor } from '../../../../src/core/capacity/plan.js';
import { validatePlan } from '../../../../src/core/capacity/plan-schema.js';
import { inputError as errorOf } from '../../../helpers/errors.js';

const seed = () => ({
  name: 'edges',
  workload: { peakConcurrentSessions: 1000, bitratePerSession: '1Mbps' },
  tiers: { origin: { perInstance: { bandwidth: '1Gbps' } } },
});

describe('grouped: the number format of the plan output', () => {
  it('rounds 1e6 and above to whole numbers, and keeps 6 significant figures below', () => {
    expect(grouped(1e6)).toBe('1,000,000');
    expect(grouped(-1e6)).toBe('-1,000,000');
    expect(grouped(1_000_000.4)).toBe('1,000,000');
    // 6 significant figures: 999,999.4 → 999,999 and 999,999.5 → 1.00000e6
    expect(grouped(999_999.4)).toBe('999,999');
    expect(grouped(999_999.5)).toBe('1,000,000');
    expect(grouped(123_456.789)).toBe('123,457');
    expect(grouped(0.000123456789)).toBe('0.000123457');
  });

  it('prints non-finite values as JavaScript does', () => {
    expect(grouped(Number.NaN)).toBe('NaN');
    expect(grouped(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(grouped(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});

describe('region shares add up to 1 ± 0.001', () => {
  it('accepts a sum just inside the tolerance on either side and refuses one just outside', () => {
    // 0.5 + 0.5009 = 1.0009 and 0.5 + 0.4991 = 0.9991: within 0.001
    expect(() => validatePlan({ ...seed(), regions: [{ name: 'a', share: 0.5 }, { name: 'b', share: 0.5009 }] })).not.toThrow();
    expect(() => validatePlan({ ...seed(), regions: [{ name: 'a', share: 0.5 }, { name: 'b', share: 0.4991 }] })).not.toThrow();
    const over = errorOf(() => validatePlan({ ...seed(), regions: [{ name: 'a', share: 0.5 }, { name: 'b', share: 0.5011 }] }));
    expect(over.field).toBe('regions');
    expect(over.message).toContain('the region shares add up to 1.0011, not 1 (tolerance ±0.001)');
    const under = errorOf(() => validatePlan({ ...seed(), regions: [{ name: 'a', share: '50%' }, { name: 'b', share: '49.89%' }] }));
    expect(under.message).toContain('add up to 0.9989, not 1');
  });

  it('keeps a share given as a number exactly, even a tiny one written with an exponent', () => {
    const plan = validatePlan({ ...seed(), regions: [{ name: 'a', share: 1e-7 }, { name: 'b', share: 0.9999999 }] });
    expect(plan.regions.map((r) => r.share)).toEqual([1e-7, 0.9999999]);
    expect(validatePlan({ ...seed(), cache: { hitRatio: 0.95 } }).cache.hitRatio).toBe(0.95);
  });
});

describe('the assumption lines of a session workload with no request rate', () => {
  it('state sessions and bandwidth but no request rate', () => {
    // S = 1000 (given), B = 1000 × 1 Mbps = 1 Gbps; no requestsPerSession, so no request rate
    const report = computePlan(validatePlan(seed()));
    expect(report.workload.requestRate).toBeNull();
    expect(report.assumptions.slice(0, 2)).toEqual(['peak concurrent sessions: 1,000 (given)', 'peak bandwidth: 1,000 sessions × 1 Mbps = 1 Gbps']);
    expect(report.assumptions.filter((a) => a.includes('request rate'))).toEqual([]);
  });
});

describe('instancesFor names the dimension of any demand above zero', () => {
  it('even when the demand is so small that it rounds to 0 instances', () => {
    // 1e-320 bit/s over 1e10 bit/s per instance underflows to 0 instances, but there is bandwidth demand
    expect(instancesFor({ bandwidthBps: 1e-320, requestsPerSecond: null, sessions: null }, { bandwidthBps: 1e10, requestsPerSecond: null, sessions: null }, 1)).toEqual({ instances: 0, dimension: 'bandwidth' });
  });
});
