import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveLittle } from '../../../../src/core/capacity/little.js';
import { InputError } from '../../../../src/core/errors.js';
import { expectInputError } from '../error-contract.js';

describe("Little's law", () => {
  it('solves each of the three', () => {
    // 7500 arrivals/s staying 180 s: L = 7500 × 180 = 1,350,000
    expect(solveLittle({ arrivalRate: 7500, duration: 180 })).toEqual({ concurrency: 1_350_000, arrivalRate: 7500, duration: 180, solved: 'concurrency' });
    // 15M concurrent streams of 45 min (2700 s): λ = 15e6 / 2700 = 5555.6/s
    expect(solveLittle({ concurrency: 15e6, duration: 2700 }).arrivalRate).toBeCloseTo(5555.5556, 3);
    // 800 in flight at 4000/s: W = 800/4000 = 0.2 s
    expect(solveLittle({ concurrency: 800, arrivalRate: 4000 })).toMatchObject({ duration: 0.2, solved: 'duration' });
  });

  it('round trip: solving back from any two gives the third (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (lambda, w) => {
        const { concurrency } = solveLittle({ arrivalRate: lambda, duration: w });
        const back1 = solveLittle({ concurrency, duration: w }).arrivalRate;
        const back2 = solveLittle({ concurrency, arrivalRate: lambda }).duration;
        return Math.abs(back1 - lambda) <= 1e-9 * lambda && Math.abs(back2 - w) <= 1e-9 * w;
      }),
    );
  });

  it('needs exactly two positive inputs', () => {
    expect(() => solveLittle({ arrivalRate: 1 })).toThrow(InputError);
    expect(() => solveLittle({})).toThrow(/got none/);
    expect(() => solveLittle({ arrivalRate: 1, duration: 2, concurrency: 2 })).toThrow(/exactly two/);
    try {
      solveLittle({ arrivalRate: 1, duration: 2, concurrency: 2 });
    } catch (e) {
      expect((e as InputError).field).toBe('--concurrency');
    }
    try {
      solveLittle({ arrivalRate: 1 });
    } catch (e) {
      expect((e as InputError).field).toBe('--concurrency');
      expect((e as InputError).suggestions[0]).toBe('add --concurrency or --time-in-system');
    }
    expect(() => solveLittle({ arrivalRate: -1, duration: 2 })).toThrow(/--arrival-rate: expected a positive number/);
    expect(() => solveLittle({ concurrency: Number.POSITIVE_INFINITY, duration: 2 })).toThrow(/--concurrency/);
  });

  it('says which inputs it got and which to add or drop; zero is not a rate or a duration', () => {
    expect(solveLittle({ concurrency: 800, arrivalRate: 4000 }).solved).toBe('duration');
    expect(solveLittle({ concurrency: 15e6, duration: 2700 }).solved).toBe('arrivalRate');
    // one given: named in the message; the first missing one is the field and the fix
    const one = expectInputError(() => solveLittle({ concurrency: 1 }), '--arrival-rate', ['got --concurrency']);
    expect(one.suggestions[0]).toBe('add --arrival-rate or --time-in-system');
    expect(one.suggestions).toHaveLength(3);
    for (const s of one.suggestions.slice(1)) expect(s).toMatch(/^--\S+ \S+ --\S+ \S+ {2}\(gives the /);
    // three given: all named; drop one, the first
    const three = expectInputError(() => solveLittle({ arrivalRate: 1, duration: 2, concurrency: 2 }), '--concurrency', ['got --concurrency, --arrival-rate, --time-in-system']);
    expect(three.suggestions[0]).toBe('drop the one to solve for, e.g. remove --concurrency to compute it');
    expectInputError(() => solveLittle({}), '--concurrency', ['got none']);
    for (const [input, field] of [[{ arrivalRate: 0, duration: 2 }, '--arrival-rate'], [{ concurrency: 3, duration: 0 }, '--time-in-system']] as const) {
      const e = expectInputError(() => solveLittle(input), field, [`${field}: expected a positive number, got 0`]);
      expect(e.suggestions).toEqual(['e.g. --arrival-rate 7500/s --time-in-system 180s']);
    }
  });
});
