import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordSet } from '../../../../src/ports/dns.js';
import { checkBatch, movedPercent, planWeights, positionOf, resultingWeights, stepWeights, weightBatch, weightsOf } from '../../../../src/core/failover/weights.js';

const rec = (id: string, weight: number): RecordSet => ({ name: 'api.example.com.', type: 'A', setIdentifier: id, weight, ttl: 60, values: [`10.0.0.${id.length}`] });
const ctx = { name: 'api.example.com.', type: 'A', regionOf: { use1: 'us-east-1', euw1: 'eu-west-1', apse1: 'ap-southeast-1' }, healthy: { 'us-east-1': true, 'eu-west-1': true, 'ap-southeast-1': true } };

describe('step weights', () => {
  it('moves the share of the source weight: 100/0 → 50/50 → 0/100', () => {
    expect(planWeights({ use1: 100, euw1: 0 }, 'use1', 'euw1', [50, 100])).toEqual([
      { use1: 50, euw1: 50 },
      { use1: 0, euw1: 100 },
    ]);
  });

  it('leaves the other regions alone and keeps the sum', () => {
    expect(stepWeights({ use1: 60, euw1: 30, apse1: 10 }, 'use1', 'euw1', 25)).toEqual({ use1: 45, euw1: 45, apse1: 10 });
  });

  it('scales every weight when the target would pass 255, keeping the shares', () => {
    const w = stepWeights({ use1: 200, euw1: 200 }, 'use1', 'euw1', 100);
    expect(w.use1).toBe(0);
    expect(w.euw1).toBeLessThanOrEqual(255);
    expect(w.euw1).toBeGreaterThan(250);
  });

  it('property: weights stay integers in 0..255, the sum never grows, and 100 % empties the source', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 100 }), (s, t, p) => {
        const w = stepWeights({ a: s, b: t }, 'a', 'b', p);
        for (const v of Object.values(w)) expect(Number.isInteger(v) && v >= 0 && v <= 255).toBe(true);
        expect(w.a! + w.b!).toBeLessThanOrEqual(s + t);
        if (s + t <= 255) expect(w.a! + w.b!).toBe(s + t);
        if (p === 100) expect(w.a).toBe(0);
      }),
    );
  });

  it('measures the traffic a change moves (total variation of the shares)', () => {
    expect(movedPercent({ a: 100, b: 0 }, { a: 50, b: 50 })).toBe(50);
    expect(movedPercent({ a: 75, b: 25 }, { a: 50, b: 50 })).toBe(25);
    expect(movedPercent({ a: 0, b: 0 }, { a: 0, b: 10 })).toBe(50);
  });

  it('finds the step the live weights are at, latest first', () => {
    const before = { a: 100, b: 0 };
    const targets = planWeights(before, 'a', 'b', [25, 50, 100]);
    expect(positionOf(before, before, targets)).toBe(-1);
    expect(positionOf({ a: 50, b: 50 }, before, targets)).toBe(1);
    expect(positionOf({ a: 0, b: 100 }, before, targets)).toBe(2);
    expect(positionOf({ a: 33, b: 67 }, before, targets)).toBeNull();
  });
});

describe('the ChangeBatch and the safety rules', () => {
  const records = [rec('use1', 100), rec('euw1', 0)];

  it('UPSERTs both records in one batch, keeping every other field', () => {
    const changes = weightBatch(records, { use1: 50, euw1: 50 });
    expect(changes).toHaveLength(2);
    expect(changes.every((c) => c.action === 'UPSERT')).toBe(true);
    expect(changes[0]!.record).toEqual({ ...records[0], weight: 50 });
    expect(resultingWeights(records, changes, 'api.example.com.', 'A')).toEqual({ use1: 50, euw1: 50 });
    expect(weightBatch(records, { use1: 100, euw1: 0 })).toEqual([]);
  });

  it('passes a 50 % step with two healthy regions', () => {
    const v = checkBatch(records, weightBatch(records, { use1: 50, euw1: 50 }), ctx, { minHealthyRegions: 1, maxStepPercent: 50 });
    expect(v).toMatchObject({ ok: true, violations: [], movedPercent: 50 });
  });

  it('refuses a batch that leaves every weight at 0, looking at the batch as a whole', () => {
    const zero = [rec('use1', 0), rec('euw1', 0)];
    const v = checkBatch(zero, [], ctx, { minHealthyRegions: 1, maxStepPercent: 50 });
    expect(v.ok).toBe(false);
    expect(v.violations[0]).toMatch(/every weight would be 0/);
    // Each change alone keeps a weight; together they zero the set.
    const both = [
      { action: 'UPSERT' as const, record: { ...records[0]!, weight: 0 } },
      { action: 'UPSERT' as const, record: { ...records[1]!, weight: 0 } },
    ];
    expect(checkBatch(records, both, ctx, { minHealthyRegions: 0, maxStepPercent: null }).violations.join()).toMatch(/every weight would be 0/);
    // A DELETE counts too.
    expect(checkBatch([rec('use1', 10)], [{ action: 'DELETE', record: rec('use1', 10) }], ctx, { minHealthyRegions: 0, maxStepPercent: null }).ok).toBe(false);
  });

  it('refuses a batch that moves more than maxStepPercent', () => {
    const v = checkBatch(records, weightBatch(records, { use1: 0, euw1: 100 }), ctx, { minHealthyRegions: 1, maxStepPercent: 50 });
    expect(v.ok).toBe(false);
    expect(v.violations.join()).toMatch(/moves 100% of the traffic; safety.maxStepPercent is 50/);
    expect(checkBatch(records, weightBatch(records, { use1: 0, euw1: 100 }), ctx, { minHealthyRegions: 1, maxStepPercent: null }).ok).toBe(true);
  });

  it('refuses a batch that leaves fewer healthy regions with traffic than minHealthyRegions', () => {
    const sick = { ...ctx, healthy: { 'us-east-1': true, 'eu-west-1': false } };
    const v = checkBatch(records, weightBatch(records, { use1: 0, euw1: 100 }), sick, { minHealthyRegions: 1, maxStepPercent: 100 });
    expect(v.violations).toEqual(['only 0 healthy regions would take traffic (none); safety.minHealthyRegions is 1']);
    const two = checkBatch(records, weightBatch(records, { use1: 50, euw1: 50 }), ctx, { minHealthyRegions: 2, maxStepPercent: 100 });
    expect(two.ok).toBe(true);
    expect(checkBatch(records, weightBatch(records, { use1: 0, euw1: 100 }), ctx, { minHealthyRegions: 2, maxStepPercent: 100 }).ok).toBe(false);
  });

  it('reads the weights of a record set', () => {
    expect(weightsOf([rec('a', 3), { name: 'x.', type: 'A', values: ['1.1.1.1'] }])).toEqual({ a: 3 });
  });
});
