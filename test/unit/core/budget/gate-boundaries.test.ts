/**
 * The deploy gate's reasons and edges (docs/budget.md#policy): each reason's
 * exact text in the cases gate.test.ts does not reach (not-blocking fast
 * burn, a factor of 1, an unknown burn, a postmortem without an incident
 * list, low traffic, no remaining figure), the remaining-budget threshold
 * exactly at and a hair above its limit, and exceptions that match but
 * bypass nothing.
 */
import { describe, expect, it } from 'vitest';
import { decide, fmt, fmtPct, matchException, parseChangeLabels, type GateInput } from '../../../../src/core/budget/gate.js';
import { defaultPolicy, mergePolicy } from '../../../../src/core/budget/policy.js';

const policy = defaultPolicy();
const calm: GateInput = {
  noData: null,
  budgetRemaining: 0.4,
  fastBurn: [],
  traffic: { tier: 'normal', multiplier: 1 },
  incidents: [],
  postmortemRequired: false,
};
const burning = { long: '1h', short: '5m', baseFactor: 14.4, factor: 14.4, longBurn: 20.123, shortBurn: null, firing: true };

describe('decide: reasons word for word', () => {
  it('a firing condition at factor ×1 names no traffic scaling; an unknown burn reads n/a', () => {
    const d = decide({ ...calm, fastBurn: [burning] }, policy, {});
    expect(d).toMatchObject({ verdict: 'fail', blocked: true, blocks: ['fast-burn'] });
    expect(d.reasons).toEqual(['fast burn: burn 20.1× over 1h and n/a over 5m > 14.4×']);
  });

  it('a policy that does not block fast burn still says so, and the verdict stays pass', () => {
    const d = decide({ ...calm, fastBurn: [burning, { ...burning, long: '6h', short: '30m', longBurn: 7, shortBurn: 8, factor: 6 }] }, mergePolicy(policy, { block: { fastBurn: false } }), {});
    expect(d).toEqual({
      verdict: 'pass',
      blocked: false,
      reasons: ['fast burn (not blocking under this policy): burn 20.1× over 1h and n/a over 5m > 14.4×; burn 7× over 6h and 8× over 30m > 6×'],
      blocks: [],
      bypassed: [],
      exception: null,
    });
  });

  it('conditions that do not fire are not mentioned', () => {
    const d = decide({ ...calm, fastBurn: [{ ...burning, firing: false }] }, policy, {});
    expect(d.reasons).toEqual(['within policy: 40% of the error budget remains']);
  });

  it('a required postmortem without an incident on record still gives a reason, and blocks when the policy says so', () => {
    const strict = mergePolicy(policy, { block: { postmortem: true } });
    const d = decide({ ...calm, postmortemRequired: true }, strict, {});
    expect(d).toMatchObject({ verdict: 'fail', blocked: true, blocks: ['postmortem'] });
    expect(d.reasons).toEqual(['postmortem required: an incident consumed too much of the budget']);
  });

  it('without a remaining figure, a clean SLO is "within policy"', () => {
    expect(decide({ ...calm, budgetRemaining: null }, policy, {}).reasons).toEqual(['within policy']);
  });

  it('low traffic is named with its factor; normal and unknown traffic are not', () => {
    expect(decide({ ...calm, traffic: { tier: 'low', multiplier: 1.5 } }, policy, {}).reasons).toEqual([
      'within policy: 40% of the error budget remains',
      'dynamic budget: low traffic, fast-burn factors ×1.5',
    ]);
    expect(decide({ ...calm, traffic: { tier: 'unknown', multiplier: 1 } }, policy, {}).reasons).toEqual(['within policy: 40% of the error budget remains']);
  });

  it('no-data under a policy that lets it pass says why it passes', () => {
    const d = decide({ ...calm, noData: 'no events in 30d' }, mergePolicy(policy, { block: { noData: false } }), {});
    expect(d.reasons).toEqual(['no data: no events in 30d', 'no-data passes under this policy (block.noData: false or --allow-no-data)']);
    expect(d.blocks).toEqual([]);
  });

  it('no-data is not judged on the budget: a spent budget does not add a block', () => {
    const d = decide({ ...calm, noData: 'no events', budgetRemaining: -1, fastBurn: [burning], postmortemRequired: true }, policy, {});
    expect(d.blocks).toEqual(['no-data']);
    expect(d.verdict).toBe('no-data');
  });
});

describe('decide: the remaining-budget threshold', () => {
  const at10 = mergePolicy(policy, { block: { remainingAtOrBelow: 0.1 } });

  it('blocks exactly at the threshold and passes a hair above it', () => {
    expect(decide({ ...calm, budgetRemaining: 0.1 }, at10, {})).toMatchObject({ verdict: 'fail', blocks: ['budget-exhausted'] });
    expect(decide({ ...calm, budgetRemaining: 0.1000001 }, at10, {})).toMatchObject({ verdict: 'pass', blocks: [] });
  });

  it('an unknown remaining budget never blocks', () => {
    expect(decide({ ...calm, budgetRemaining: null }, at10, {})).toMatchObject({ verdict: 'pass', blocked: false });
  });
});

describe('decide: exceptions', () => {
  it('an exception that matches but bypasses none of the blocks is not applied or named', () => {
    const p = mergePolicy(policy, { exceptions: [{ name: 'hotfix', labels: { type: 'hotfix' }, bypass: ['postmortem'] }] });
    const d = decide({ ...calm, budgetRemaining: -0.2 }, p, { type: 'hotfix' });
    expect(d).toMatchObject({ verdict: 'fail', blocked: true, blocks: ['budget-exhausted'], bypassed: [], exception: null });
    expect(d.reasons.some((r) => r.includes('hotfix'))).toBe(false);
  });

  it('an exception bypassing every block passes the change and says so', () => {
    const p = mergePolicy(policy, { exceptions: [{ name: 'sec', labels: { type: 'security-fix' }, bypass: ['budget-exhausted', 'fast-burn'] }] });
    const d = decide({ ...calm, budgetRemaining: -0.2, fastBurn: [burning] }, p, { type: 'security-fix' });
    expect(d).toMatchObject({ verdict: 'pass', blocked: false, blocks: ['budget-exhausted', 'fast-burn'], bypassed: ['budget-exhausted', 'fast-burn'], exception: 'sec' });
    expect(d.reasons.at(-1)).toBe('exception sec lets the change through: budget-exhausted, fast-burn');
  });

  it('a change must carry every label of the exception, with the same value', () => {
    const p = mergePolicy(policy, { exceptions: [{ labels: { type: 'security-fix', team: 'payments' } }] });
    expect(matchException(p, { type: 'security-fix' })).toBeUndefined();
    expect(matchException(p, { type: 'security-fix', team: 'search' })).toBeUndefined();
    expect(matchException(p, { type: 'security-fix', team: 'payments', extra: 'x' })?.labels).toEqual({ type: 'security-fix', team: 'payments' });
    // several labels without a name are listed k=v, comma-separated
    const d = decide({ ...calm, budgetRemaining: 0 }, p, { type: 'security-fix', team: 'payments' });
    expect(d.exception).toBe('type=security-fix,team=payments');
  });

  it('no blocks: a matching exception is not consulted', () => {
    const p = mergePolicy(policy, { exceptions: [{ name: 'any', labels: { type: 'x' } }] });
    expect(decide(calm, p, { type: 'x' })).toMatchObject({ exception: null, bypassed: [] });
  });
});

describe('helpers at their edges', () => {
  it('keeps 4 significant figures by default, fewer when asked', () => {
    expect(fmt(1.23456)).toBe('1.235');
    expect(fmt(1.23456, 2)).toBe('1.2');
    expect(fmt(123_456)).toBe('123500');
    expect(fmt(-0.000123456)).toBe('-0.0001235');
    expect(fmtPct(0.2593)).toBe('25.93%');
    expect(fmtPct(0)).toBe('0%');
  });

  it('trims label keys and values, and keeps the last of a repeated key', () => {
    expect(parseChangeLabels([' a = 1 ', 'a=2', 'k='])).toEqual({ labels: { a: '2', k: '' }, problems: [] });
    expect(parseChangeLabels([])).toEqual({ labels: {}, problems: [] });
  });
});
