/**
 * Traffic events at their edges (docs/risk.md#events): each `--event` refusal with
 * its one "try this", the start that looks like unix seconds with decimals, the
 * multiplier's accepted spellings, `baselineUsers` refused naming the field, the
 * optional fields present only when they apply, and risks of equal cost by name.
 */
import { describe, expect, it } from 'vitest';
import { parseTrafficEvent, scoreEvent } from '../../../../src/core/risk/index.js';
import { expectInputError } from '../error-contract.js';
import { risk, t } from './helpers.js';

const HINT = 'write it like premiere:2026-12-05T20:00:00Z/3h x3 (NAME:START/DURATION xTRAFFIC_MULTIPLIER)';

describe('parseTrafficEvent', () => {
  it.each([
    ['premiere', 'expected NAME:START/DURATION [xMULTIPLIER]'],
    ['premiere:tomorrow/3h', 'start: expected an RFC 3339 time'],
    ['premiere:2026-12-05T20:00:00Z/3x', 'duration: expected a duration above zero'],
    ['premiere:2026-12-05T20:00:00Z/3h x0', 'multiplier: expected a traffic multiplier above zero'],
  ])('refuses %j with exactly one suggestion: the example', (text, message) => {
    const e = expectInputError(() => parseTrafficEvent(text), '--event', [message]);
    expect(e.suggestions).toEqual([HINT]);
  });

  it.each(['1764964800', '1764964800.5', '1764964800.25'])('refuses unix seconds %j as the start (RFC 3339 only)', (start) => {
    expectInputError(() => parseTrafficEvent(`premiere:${start}/3h x3`), '--event', [`start: expected an RFC 3339 time such as 2026-12-05T20:00:00Z, got "${start}"`]);
  });

  it.each([
    ['x12', 12],
    ['x1.25', 1.25],
    ['X10.05', 10.05],
  ])('reads the multiplier %s as %d', (mult, value) => {
    expect(parseTrafficEvent(`premiere:2026-12-05T20:00:00Z/3h ${mult}`)).toEqual({ name: 'premiere', start: t('2026-12-05T20:00:00Z'), durationSeconds: 10_800, multiplier: value });
  });

  it.each(['x+3', 'x1e3', 'x3.', 'x3e2', 'x0x3', 'x-3', 'x.5'])('refuses the multiplier %s (digits with an optional decimal part only)', (mult) => {
    expectInputError(() => parseTrafficEvent(`premiere:2026-12-05T20:00:00Z/3h ${mult}`), '--event', [`multiplier: expected a traffic multiplier above zero such as x3 or x1.5, got "${mult}"`]);
  });
});

describe('scoreEvent', () => {
  const event = parseTrafficEvent('premiere:2026-12-05T20:00:00Z/3h x3');

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses baselineUsers %d naming the field and how to fill it', (users) => {
    const e = expectInputError(() => scoreEvent({ risks: [risk({ name: 'a' })] }, event, { baselineUsers: users }), 'baselineUsers', ['baselineUsers: expected a number of users above zero']);
    expect(e.suggestions).toEqual(['pass the number of concurrent users at normal traffic, e.g. 200000']);
  });

  it('adds user-minutes and the savings of mitigations only where they apply', () => {
    const reg = { risks: [risk({ name: 'plain' }), risk({ name: 'steered', mitigations: [{ name: 'steer', ettrFactor: 0.5 }] })] };
    const r = scoreEvent(reg, event);
    expect(r).not.toHaveProperty('baselineUsers');
    expect(r).not.toHaveProperty('totalExpectedUserMinutes');
    const plain = r.risks.find((x) => x.name === 'plain')!;
    const steered = r.risks.find((x) => x.name === 'steered')!;
    expect(plain).not.toHaveProperty('mitigationSavesBaselineUserMinutes');
    expect(plain).not.toHaveProperty('expectedUserMinutes');
    // ETTR 30 → 15 min saves 15 × 0.2 × 4 = 12 bad min/y; 3 h of a year (8,766 h) × 3 traffic
    expect(steered.mitigationSavesBaselineUserMinutes).toBeCloseTo((12 * 3 * 3) / 8766, 12);
  });

  it('ranks risks of equal cost by name, whatever their order in the register', () => {
    for (const names of [
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
      ['b', 'c', 'a'],
    ]) {
      const r = scoreEvent({ risks: names.map((name) => risk({ name })) }, event);
      expect(r.risks.map((x) => [x.rank, x.name])).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ]);
    }
  });
});
