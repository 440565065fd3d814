import { describe, expect, it } from 'vitest';
import { decide, fmt, fmtPct, matchException, parseChangeLabels, type GateInput } from '../../../../src/core/budget/gate.js';
import { defaultPolicy, mergePolicy } from '../../../../src/core/budget/policy.js';

const policy = defaultPolicy();
const calm: GateInput = {
  noData: null,
  budgetRemaining: 0.4,
  fastBurn: [{ long: '1h', short: '5m', baseFactor: 14.4, factor: 14.4, longBurn: 1, shortBurn: 1, firing: false }],
  traffic: { tier: 'normal', multiplier: 1 },
  incidents: [],
  postmortemRequired: false,
};
const firing = [{ long: '1h', short: '5m', baseFactor: 14.4, factor: 7.2, longBurn: 20, shortBurn: 30.04, firing: true }];

describe('decide', () => {
  it('passes within policy', () => {
    expect(decide(calm, policy, {})).toEqual({ verdict: 'pass', blocked: false, reasons: ['within policy: 40% of the error budget remains'], blocks: [], bypassed: [], exception: null });
  });

  it('blocks at or below the remaining threshold', () => {
    expect(decide({ ...calm, budgetRemaining: 0 }, policy, {}).blocks).toEqual(['budget-exhausted']);
    expect(decide({ ...calm, budgetRemaining: 0.05 }, mergePolicy(policy, { block: { remainingAtOrBelow: 0.1 } }), {}).reasons[0]).toBe('budget exhausted: 5% of the error budget remains (blocks at ≤ 10%)');
    expect(decide({ ...calm, budgetRemaining: -1 }, mergePolicy(policy, { block: { budgetExhausted: false } }), {}).blocked).toBe(false);
  });

  it('blocks on fast burn, naming the windows, burns and scaled factor', () => {
    const d = decide({ ...calm, fastBurn: firing, traffic: { tier: 'peak', multiplier: 0.5 } }, policy, {});
    expect(d.verdict).toBe('fail');
    expect(d.reasons).toEqual(['fast burn: burn 20× over 1h and 30× over 5m > 7.2× (factor ×0.5 at peak traffic)', 'dynamic budget: peak traffic, fast-burn factors ×0.5']);
    expect(decide({ ...calm, fastBurn: firing }, mergePolicy(policy, { block: { fastBurn: false } }), {}).blocked).toBe(false);
  });

  it('flags a postmortem, blocking only when the policy says so', () => {
    const input = { ...calm, postmortemRequired: true, incidents: [{ start: 'a', end: 'b', budgetShare: 0.25, peakBurn: 100, badEvents: 1 }] };
    const d = decide(input, policy, {});
    expect(d).toMatchObject({ verdict: 'pass', blocked: false });
    expect(d.reasons).toEqual(['postmortem required (flag only): one incident (a to b) consumed 25% of the budget (> 20%)']);
    expect(decide(input, mergePolicy(policy, { block: { postmortem: true } }), {}).blocks).toEqual(['postmortem']);
  });

  it('gives no-data, blocking by default (fail closed) unless the policy lets it pass, and an exception can bypass it', () => {
    const input = { ...calm, noData: '10 events in 30d, fewer than minEvents 100000' };
    expect(decide(input, policy, {})).toMatchObject({ verdict: 'no-data', blocked: true, blocks: ['no-data'] });
    expect(decide(input, policy, {}).reasons.join('\n')).toContain('--allow-no-data');
    expect(decide(input, mergePolicy(policy, { block: { noData: false } }), {})).toMatchObject({ verdict: 'no-data', blocked: false });
    const strict = mergePolicy(policy, { block: { noData: true }, exceptions: [{ labels: { type: 'backfill' }, bypass: ['no-data'] }] });
    expect(decide(input, strict, {})).toMatchObject({ verdict: 'no-data', blocked: true, blocks: ['no-data'] });
    expect(decide(input, strict, { type: 'backfill' })).toMatchObject({ verdict: 'no-data', blocked: false, bypassed: ['no-data'], exception: 'type=backfill' });
  });

  it('applies the first matching exception to the blocks it names', () => {
    const p = mergePolicy(policy, { exceptions: [{ name: 'sec', labels: { type: 'security-fix', team: 'x' } }, { labels: { type: 'security-fix' }, bypass: ['fast-burn'] }] });
    const input = { ...calm, budgetRemaining: -0.5, fastBurn: firing };
    expect(decide(input, p, { type: 'security-fix', team: 'x' })).toMatchObject({ verdict: 'fail', bypassed: ['budget-exhausted'], exception: 'sec' });
    expect(decide(input, p, { type: 'security-fix' })).toMatchObject({ verdict: 'fail', bypassed: ['fast-burn'], exception: 'type=security-fix' });
    expect(decide({ ...input, fastBurn: [] }, p, { type: 'security-fix', team: 'x' })).toMatchObject({ verdict: 'pass', blocked: false });
    expect(matchException(p, {})).toBeUndefined();
  });
});

describe('helpers', () => {
  it('parses change labels', () => {
    expect(parseChangeLabels(['type=security-fix', 'ticket = OPS-1', 'a=b=c'])).toEqual({ labels: { type: 'security-fix', ticket: 'OPS-1', a: 'b=c' }, problems: [] });
    expect(parseChangeLabels(['nope', '=x']).problems).toEqual(['expected key=value, got "nope"', 'expected key=value, got "=x"']);
  });

  it('formats numbers', () => {
    expect(fmt(14.4)).toBe('14.4');
    expect(fmt(0)).toBe('0');
    expect(fmt(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(fmt(Number.NEGATIVE_INFINITY)).toBe('-∞');
    expect(fmt(Number.NaN)).toBe('n/a');
    expect(fmtPct(-4.210869)).toBe('-421.1%');
  });
});
