import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { parseRegister, parseTrafficEvent, scoreEvent } from '../../../../src/core/risk/index.js';
import { example, inputError, risk, t } from './helpers.js';

describe('parseTrafficEvent', () => {
  it('parses NAME:START/DURATION xMULTIPLIER', () => {
    expect(parseTrafficEvent('premiere:2026-12-05T20:00:00Z/3h x3')).toEqual({
      name: 'premiere',
      start: t('2026-12-05T20:00:00Z'),
      durationSeconds: 10_800, // 3 h = 10,800 s
      multiplier: 3,
    });
    expect(parseTrafficEvent('  final.match:2026-07-19T18:00:00+02:00/2h30m X1.5 ')).toMatchObject({
      name: 'final.match',
      start: t('2026-07-19T16:00:00Z'),
      durationSeconds: 9000, // 2 h 30 m = 9,000 s
      multiplier: 1.5,
    });
    // the multiplier is optional
    expect(parseTrafficEvent('sale:2026-11-27T00:00:00Z/1d').multiplier).toBe(1);
  });

  it.each([
    ['premiere', /--event: expected NAME:START\/DURATION \[xMULTIPLIER\], got "premiere"/],
    ['premiere:tomorrow/3h x3', /--event: start: expected an RFC 3339 time .*got "tomorrow"/],
    ['premiere:1764964800/3h x3', /--event: start: expected an RFC 3339 time/],
    ['premiere:2026-12-05T20:00:00Z/3 hours x3', /--event: expected NAME:START\/DURATION/],
    ['premiere:2026-12-05T20:00:00Z/3x x3', /--event: duration: expected a duration above zero/],
    ['premiere:2026-12-05T20:00:00Z/3h x0', /--event: multiplier: expected a traffic multiplier above zero .*got "x0"/],
    ['premiere:2026-12-05T20:00:00Z/3h xlots', /--event: multiplier: expected a traffic multiplier/],
  ])('rejects %j naming --event', (text, message) => {
    const err = inputError(() => parseTrafficEvent(text));
    expect(err.message).toMatch(message);
    expect(err.field).toBe('--event');
    expect(err.suggestions[0]).toMatch(/premiere:2026-12-05T20:00:00Z\/3h x3/);
  });

  it('names another flag when asked and never throws anything but InputError', () => {
    expect(() => parseTrafficEvent('x', '--window')).toThrowError(/^--window: /);
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          parseTrafficEvent(s);
        } catch (err) {
          return err instanceof InputError;
        }
        return true;
      }),
    );
  });
});

describe('scoreEvent', () => {
  // ETTD 5 m, ETTR 30 m, impact 0.2, 4/y → 28 bad minutes per year
  const reg = { risks: [risk({ name: 'cdn', mitigations: [{ name: 'steer', ettrFactor: 0.2 }] })] };
  const event = parseTrafficEvent('premiere:2026-12-05T20:00:00Z/3h x3');

  it('computes the expected cost in the window by hand', () => {
    const result = scoreEvent(reg, event, { baselineUsers: 1000, objective: 0.999, now: t('2026-12-01T20:00:00Z') });
    const r = result.risks[0]!;
    // the window is 3 h of a 8766 h year: 3/8766
    // expected occurrences = 4 × 3/8766 = 0.00136893
    expect(r.expectedOccurrences).toBeCloseTo(12 / 8766, 12);
    // P(≥ 1) = 1 − e^(−0.00136893) = 0.00136799
    expect(r.probabilityAtLeastOne).toBeCloseTo(1 - Math.exp(-12 / 8766), 12);
    expect(r.probabilityAtLeastOne).toBeCloseTo(0.00136799, 8);
    // expected bad minutes = 28 × 3/8766 = 0.00958248
    expect(r.expectedBadMinutes).toBeCloseTo(84 / 8766, 12);
    // × traffic 3 = 0.02874743 baseline-user-minutes; × 1000 users = 28.74743 user-minutes
    expect(r.expectedBaselineUserMinutes).toBeCloseTo(252 / 8766, 12);
    expect(r.expectedUserMinutes).toBeCloseTo(252_000 / 8766, 9);
    // if it happens: min(35, 180) × 0.2 × 3 = 21
    expect(r.costIfOccursBaselineUserMinutes).toBeCloseTo(21, 12);
    // mitigated: (5 + 6) × 0.2 × 4 = 8.8 /y; saves (28 − 8.8) × 3/8766 × 3 = 172.8/8766
    expect(r.mitigationSavesBaselineUserMinutes).toBeCloseTo(172.8 / 8766, 12);
    expect(result.event).toEqual({
      name: 'premiere',
      start: '2026-12-05T20:00:00.000Z',
      end: '2026-12-05T23:00:00.000Z',
      durationMinutes: 180,
      multiplier: 3,
      startsInDays: 4,
    });
    // window budget: (1 − 0.999) × 180 min = 0.18 min
    expect(result.windowBudgetMinutes).toBeCloseTo(0.18, 12);
    expect(result.totalExpectedUserMinutes).toBeCloseTo(252_000 / 8766, 9);
    expect(result.baselineUsers).toBe(1000);
    expect(result.basis).toBe('unmitigated');
  });

  it('caps the cost of one occurrence at the window and uses mitigated numbers when asked', () => {
    // a 20 minute window: min(35, 20) × 0.2 × 3 = 12
    const short = scoreEvent(reg, parseTrafficEvent('spike:2026-12-05T20:00:00Z/20m x3'));
    expect(short.risks[0]!.costIfOccursBaselineUserMinutes).toBeCloseTo(12, 12);
    expect(short.risks[0]!.expectedUserMinutes).toBeUndefined();
    expect(short.windowBudgetMinutes).toBeUndefined();
    expect(short.event.startsInDays).toBeUndefined();
    const mitigated = scoreEvent(reg, event, { mitigated: true });
    // (5 + 6) × 0.2 × 4 = 8.8 /y → 8.8 × 3/8766 × 3
    expect(mitigated.risks[0]!.expectedBaselineUserMinutes).toBeCloseTo(79.2 / 8766, 12);
    expect(mitigated.basis).toBe('mitigated');
  });

  it('ranks by expected cost, then by cost if it happens, then by name', () => {
    const three = {
      risks: [
        risk({ name: 'b', ettdMinutes: 0, ettrMinutes: 10, impact: 1, frequencyPerYear: 2 }), // 20 /y, 10 if it happens
        risk({ name: 'c', ettdMinutes: 0, ettrMinutes: 20, impact: 1, frequencyPerYear: 1 }), // 20 /y, 20 if it happens
        risk({ name: 'a', ettdMinutes: 0, ettrMinutes: 10, impact: 1, frequencyPerYear: 2 }), // same as b
        risk({ name: 'big', ettdMinutes: 0, ettrMinutes: 60, impact: 1, frequencyPerYear: 1 }), // 60 /y
      ],
    };
    const result = scoreEvent(three, event);
    expect(result.risks.map((r) => r.name)).toEqual(['big', 'c', 'a', 'b']);
    expect(result.risks.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    // total occurrences (2 + 1 + 2 + 1) × 3/8766 = 18/8766
    expect(result.probabilityAnyOccurrence).toBeCloseTo(1 - Math.exp(-18 / 8766), 12);
    expect(result.totalExpectedBadMinutes).toBeCloseTo((120 * 3) / 8766, 12);
  });

  it('rejects a bad baseline user count and ranks the example register', () => {
    expect(() => scoreEvent(reg, event, { baselineUsers: 0 })).toThrowError(/baselineUsers: expected a number of users above zero/);
    const example1 = scoreEvent(parseRegister(example('risk-register.yaml'), 'r.yaml'), event);
    const costs = example1.risks.map((r) => r.expectedBaselineUserMinutes);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });
});
