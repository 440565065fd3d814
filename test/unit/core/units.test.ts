import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors.js';
import { formatDuration, parseBandwidth, parseDuration, parseFraction, parseObjective, parseRate, parseTime } from '../../../src/core/units.js';

describe('parseDuration', () => {
  it.each([
    ['180s', 180],
    ['33m', 1980],
    ['2h', 7200],
    ['1h30m', 5400],
    ['30d', 2_592_000],
    ['500ms', 0.5],
    ['1w', 604_800],
  ])('%s = %d s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it('names the field and an example on bad input', () => {
    expect(() => parseDuration('5 minutes', 'budget.window')).toThrowError(/budget\.window: expected a duration/);
    const err = (() => { try { parseDuration('x', 'f'); } catch (e) { return e; } })() as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(2);
    expect(err.field).toBe('f');
    expect(err.suggestions[0]).toMatch(/write it like/);
  });

  it('requires a unit unless bare seconds are allowed', () => {
    expect(() => parseDuration('90')).toThrow(InputError);
    expect(parseDuration('90', 'd', { allowBareSeconds: true })).toBe(90);
  });

  it('round-trips through formatDuration', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (s) => parseDuration(formatDuration(s)) === s));
  });

  it('never throws anything but InputError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const v = parseDuration(s);
          return Number.isFinite(v) && v > 0;
        } catch (e) {
          return e instanceof InputError && e.message.startsWith('duration:');
        }
      }),
    );
  });
});

describe('parseRate', () => {
  it.each([
    ['7500/s', 7500],
    ['200/h', 200 / 3600],
    ['100/30m', 100 / 1800],
    ['4/y', 4 / (365.25 * 86400)],
    ['12/day', 12 / 86400],
  ])('%s', (text, perSecond) => expect(parseRate(text)).toBeCloseTo(perSecond, 12));

  it('rejects a rate without a unit, naming the field', () => {
    expect(() => parseRate('200', '--arrival-rate')).toThrowError(/--arrival-rate: .*"\/unit" part is required/);
  });

  it('never throws anything but InputError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          return parseRate(s) > 0;
        } catch (e) {
          return e instanceof InputError;
        }
      }),
    );
  });
});

describe('other parsers', () => {
  it('bandwidth in bits per second', () => {
    expect(parseBandwidth('3.5Mbps')).toBe(3.5e6);
    expect(parseBandwidth('40Gbps')).toBe(40e9);
    expect(() => parseBandwidth('40 GB', 'plan.capacity')).toThrowError(/plan\.capacity/);
  });
  it('objective as percent or fraction', () => {
    expect(parseObjective('99.9')).toBeCloseTo(0.999, 12);
    expect(parseObjective('99.9%')).toBeCloseTo(0.999, 12);
    expect(parseObjective(0.995)).toBe(0.995);
    expect(() => parseObjective('100')).toThrow(InputError);
  });
  it('fraction', () => {
    expect(parseFraction('20%')).toBe(0.2);
    expect(() => parseFraction('1.5', 'impact')).toThrowError(/impact/);
  });
  it('time as RFC 3339 or unix seconds', () => {
    expect(parseTime('2026-11-01T00:00:00Z')).toBe(Date.UTC(2026, 10, 1));
    expect(parseTime('1790000000')).toBe(1_790_000_000_000);
    expect(() => parseTime('yesterday', '--at')).toThrowError(/--at: expected an RFC 3339/);
  });
  it('arbitrary strings never escape as non-InputErrors', () => {
    for (const parse of [parseBandwidth, parseObjective, parseFraction, parseTime]) {
      fc.assert(fc.property(fc.string(), (s) => { try { parse(s); return true; } catch (e) { return e instanceof InputError; } }));
    }
  });
});
