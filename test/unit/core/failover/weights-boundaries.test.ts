// Weight arithmetic and safety-rule edges that docs/failover.md promises and
// the main tests did not pin (found by mutation testing,
// docs/testing.md#mutation-testing): exact weights after scaling past 255,
// rounding of a moved share, missing records, the total-variation figure, and
// the wording of each broken rule.
import { describe, expect, it } from 'vitest';
import type { RecordSet } from '../../../../src/ports/dns.js';
import { checkBatch, formatWeights, weightsOf, movedPercent, positionOf, resultingWeights, sameWeights, shares, stepWeights, weightBatch } from '../../../../src/core/failover/weights.js';

const rec = (id: string, weight: number, name = 'api.example.com.'): RecordSet => ({ name, type: 'A', setIdentifier: id, weight, ttl: 60, values: ['10.0.0.1'] });
const ctx = { name: 'api.example.com.', type: 'A', regionOf: { use1: 'us-east-1', euw1: 'eu-west-1' }, healthy: { 'us-east-1': true, 'eu-west-1': true } };

describe('step weights, exactly', () => {
  it('past 255 every weight is scaled by 255 / (source + target) and floored, then the share moves', () => {
    // k = 255/400: floor(200k) = 127 each; 100 % moves 127 → 0 / 254
    expect(stepWeights({ use1: 200, euw1: 200 }, 'use1', 'euw1', 100)).toEqual({ use1: 0, euw1: 254 });
    // k = 255/300 = 0.85: a 170, b 85, c floor(42.5) = 42; 50 % of 170 moves
    expect(stepWeights({ a: 200, b: 100, c: 50 }, 'a', 'b', 50)).toEqual({ a: 85, b: 170, c: 42 });
  });

  it('at exactly 255 nothing is scaled', () => {
    expect(stepWeights({ a: 155, b: 100, c: 7 }, 'a', 'b', 20)).toEqual({ a: 124, b: 131, c: 7 });
  });

  it('a moved share rounds half up; a missing target starts at 0, a missing source moves nothing', () => {
    expect(stepWeights({ a: 3, b: 0 }, 'a', 'b', 50)).toEqual({ a: 1, b: 2 });
    expect(stepWeights({ a: 10 }, 'a', 'b', 50)).toEqual({ a: 5, b: 5 });
    expect(stepWeights({ b: 10 }, 'a', 'b', 50)).toEqual({ a: 0, b: 10 });
  });
});

describe('shares and the traffic a change moves', () => {
  it('all-zero weights split evenly; a missing weight counts 0', () => {
    expect(shares({ a: 0, b: 0, c: 0, d: 0 })).toEqual({ a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
    expect(shares({ a: 1, b: 3 })).toEqual({ a: 0.25, b: 0.75 });
    expect(sameWeights({ a: 0 }, {})).toBe(true);
    expect(sameWeights({}, { a: 1 })).toBe(false);
    expect(sameWeights({ a: 1, b: 2 }, { a: 1, b: 3 })).toBe(false);
  });

  it('the moved percentage is rounded to 4 decimals', () => {
    // 2/3 → 1/3 of the traffic moves: 33.3333 %
    expect(movedPercent({ a: 2, b: 1 }, { a: 1, b: 2 })).toBe(33.3333);
    // a record only in the second map takes its whole share
    expect(movedPercent({ a: 1 }, { a: 1, b: 3 })).toBe(75);
  });

  it('formats in the given order, a missing one as 0', () => {
    expect(formatWeights({ a: 1, b: 2 })).toBe('a=1 b=2');
    expect(formatWeights({ b: 2 }, ['a', 'b'])).toBe('a=0 b=2');
  });

  it('the latest matching step wins', () => {
    const before = { a: 100, b: 0 };
    expect(positionOf({ a: 50, b: 50 }, before, [{ a: 50, b: 50 }, { a: 50, b: 50 }, { a: 0, b: 100 }])).toBe(1);
    expect(positionOf({ a: 100, b: 0 }, before, [{ a: 100, b: 0 }])).toBe(0);
  });
});

describe('the ChangeBatch', () => {
  it('records need both a set identifier and a weight to count, before and after a batch', () => {
    const { weight: _w, ...idOnly } = rec('b', 5);
    const { setIdentifier: _s, ...weightOnly } = rec('c', 7);
    expect(weightsOf([rec('a', 3), idOnly, weightOnly])).toStrictEqual({ a: 3 });
    expect(resultingWeights([rec('a', 3), idOnly, weightOnly], [], 'api.example.com.', 'A')).toStrictEqual({ a: 3 });
    expect(weightBatch([idOnly, weightOnly], { b: 9, c: 9, undefined: 9 })).toEqual([]);
  });

  it('skips records without a set identifier or weight, and weights the plan does not name', () => {
    const plain: RecordSet = { name: 'api.example.com.', type: 'A', ttl: 60, values: ['10.0.0.9'] };
    const changes = weightBatch([plain, rec('use1', 100), rec('euw1', 0)], { use1: 40 });
    expect(changes).toEqual([{ action: 'UPSERT', record: { ...rec('use1', 100), weight: 40 } }]);
  });

  it('applies only the changes to this name (any case) and type; a DELETE removes, an UPSERT without weight keeps', () => {
    const records = [rec('use1', 100), rec('euw1', 0)];
    const changes = [
      { action: 'UPSERT' as const, record: { ...rec('use1', 30), name: 'API.example.com.' } },
      { action: 'UPSERT' as const, record: rec('euw1', 99, 'other.example.com.') },
      { action: 'UPSERT' as const, record: { ...rec('euw1', 77), type: 'AAAA' } },
      { action: 'UPSERT' as const, record: { name: 'api.example.com.', type: 'A', ttl: 60, values: ['10.0.0.2'], weight: 5 } },
    ];
    expect(resultingWeights(records, changes, 'api.example.com.', 'A')).toEqual({ use1: 30, euw1: 0 });
    const { weight: _drop, ...noWeight } = rec('euw1', 0);
    expect(resultingWeights(records, [{ action: 'UPSERT', record: noWeight }], 'api.example.com.', 'A')).toEqual({ use1: 100, euw1: 0 });
    expect(resultingWeights(records, [{ action: 'DELETE', record: rec('euw1', 0) }], 'api.example.com.', 'A')).toEqual({ use1: 100 });
  });
});

describe('the safety rules, word for word', () => {
  const records = [rec('use1', 100), rec('euw1', 0)];

  it('every weight 0, or no record left at all', () => {
    const zero = checkBatch([rec('use1', 0), rec('euw1', 0)], [], ctx, { minHealthyRegions: 0, maxStepPercent: null });
    expect(zero.violations).toEqual(['every weight would be 0 (use1=0 euw1=0): Route 53 would then spread traffic over every record, failed regions included']);
    const none = checkBatch([rec('use1', 10)], [{ action: 'DELETE', record: rec('use1', 10) }], ctx, { minHealthyRegions: 0, maxStepPercent: null });
    expect(none.violations[0]).toBe('every weight would be 0 (no records): Route 53 would then spread traffic over every record, failed regions included');
    // one weight above 0 is enough
    expect(checkBatch([rec('use1', 0), rec('euw1', 1)], [], ctx, { minHealthyRegions: 0, maxStepPercent: null }).ok).toBe(true);
  });

  it('one healthy region named; a set identifier without a region is named by itself', () => {
    const one = checkBatch(records, [], ctx, { minHealthyRegions: 2, maxStepPercent: null });
    expect(one.violations).toEqual(['only 1 healthy region would take traffic (us-east-1); safety.minHealthyRegions is 2']);
    const unknown = checkBatch([rec('use1', 50), rec('zz', 50)], [], { ...ctx, healthy: { ...ctx.healthy, zz: true } }, { minHealthyRegions: 3, maxStepPercent: null });
    expect(unknown.violations).toEqual(['only 1 healthy region would take traffic (us-east-1); safety.minHealthyRegions is 3']);
    const two = checkBatch([rec('use1', 50), rec('euw1', 50)], [], ctx, { minHealthyRegions: 3, maxStepPercent: null });
    expect(two.violations).toEqual(['only 2 healthy regions would take traffic (us-east-1, eu-west-1); safety.minHealthyRegions is 3']);
  });

  it('a step of exactly maxStepPercent passes; a hair more does not', () => {
    expect(checkBatch(records, weightBatch(records, { use1: 75, euw1: 25 }), ctx, { minHealthyRegions: 1, maxStepPercent: 25 }).ok).toBe(true);
    const over = checkBatch(records, weightBatch(records, { use1: 74, euw1: 26 }), ctx, { minHealthyRegions: 1, maxStepPercent: 25 });
    expect(over.violations).toEqual(['the batch moves 26% of the traffic; safety.maxStepPercent is 25']);
    expect(over).toMatchObject({ ok: false, before: { use1: 100, euw1: 0 }, after: { use1: 74, euw1: 26 }, movedPercent: 26 });
  });
});
