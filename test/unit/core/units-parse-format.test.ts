/**
 * Pins what users may write and what relia prints for units (src/core/units.ts): durations (`1h30m`, bare
 * seconds), rates (`7500/s`, `60/minute`, `100/30m`), bandwidths (`3.5Mbps`, `b/s` forms), objectives,
 * fractions, times (RFC 3339 / unix seconds within [1970, 2200)) and sizes (1 KiB .. 64 GiB), plus the
 * error contract: every rejection is an InputError whose message starts with the field, says what was
 * expected, quotes the input, and suggests an accepted form. Expected values are hand arithmetic
 * (1 h = 3600 s, 1 d = 86 400 s, Julian year = 365.25 d = 31 557 600 s, 2200-01-01 = 84 006 days after
 * 1970-01-01 = 7 258 118 400 s).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import {
  formatBandwidth,
  formatDuration,
  humanDuration,
  parseBandwidth,
  parseDuration,
  parseFraction,
  parseObjective,
  parseRate,
  parseSize,
  parseTime,
  TIME_MAX_MS,
  YEAR_SECONDS,
} from '../../../src/core/units.js';

/** The InputError thrown by `fn`, failing the test when it returns or throws something else. */
function rejection(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, got a value');
}

describe('parseDuration: accepted forms', () => {
  it.each([
    ['1.5h', 5400],
    ['2sec', 2],
    ['3min', 180],
    ['1y', 31_557_600],
    ['1d12h', 129_600],
    ['1h30m15s', 5415],
    ['  5m  ', 300],
    ['250ms', 0.25],
  ])('%s = %d s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it('takes bare seconds (text or number) only when allowed', () => {
    expect(parseDuration(90, 'd', { allowBareSeconds: true })).toBe(90);
    expect(parseDuration('2.5', 'd', { allowBareSeconds: true })).toBe(2.5);
    const num = rejection(() => parseDuration(90, '--timeout'));
    expect(num.message).toBe('--timeout: expected a duration such as 30s, 5m, 1h30m, 30d, got 90');
    expect(num.suggestions).toEqual(['write it like 90s']);
    const text = rejection(() => parseDuration('45', '--timeout'));
    expect(text.message).toBe('--timeout: expected a duration such as 30s, 5m, 1h30m, 30d (a unit is required), got "45"');
    expect(text.suggestions).toEqual(['write it like 45s']);
  });

  it('zero only with allowZero; negatives never', () => {
    expect(parseDuration('0s', 'f', { allowZero: true })).toBe(0);
    expect(parseDuration(0, 'f', { allowZero: true, allowBareSeconds: true })).toBe(0);
    const zero = rejection(() => parseDuration('0m', 'budget.window'));
    expect(zero.message).toBe('budget.window: expected a duration above zero, got "0m"');
    expect(zero.suggestions).toEqual(['write it like 5m']);
    expect(rejection(() => parseDuration(0, 'f', { allowBareSeconds: true })).message).toMatch(/above zero/);
    expect(rejection(() => parseDuration(-5, 'f', { allowBareSeconds: true, allowZero: true })).message).toMatch(/above zero/);
  });

  it('rejects empty text, stray text and unknown units with the 1h30m example', () => {
    const empty = rejection(() => parseDuration('   ', 'f'));
    expect(empty.message).toBe('f: expected a duration such as 30s, 5m, 1h30m, 30d, got "   "');
    expect(empty.suggestions).toEqual(['write it like 5m']);
    for (const bad of ['5m junk', 'x5m', '5mx', 'm5', '5 m', '1h 30m', '5q']) {
      const e = rejection(() => parseDuration(bad, 'f'));
      expect(e.message, bad).toBe(`f: expected a duration such as 30s, 5m, 1h30m, 30d, got ${JSON.stringify(bad)}`);
      expect(e.suggestions, bad).toEqual(['write it like 1h30m']);
    }
  });

  it('rejects an infinite duration', () => {
    const huge = `${'9'.repeat(400)}s`;
    const e = rejection(() => parseDuration(huge, 'f'));
    expect(e.message).toMatch(/^f: expected a finite duration, got/);
    expect(e.suggestions).toEqual(['write it like 30d']);
    expect(rejection(() => parseDuration(Number.POSITIVE_INFINITY, 'f', { allowBareSeconds: true })).message).toMatch(/a finite duration/);
  });
});

describe('formatDuration: Prometheus-style, largest exact unit, days rather than weeks', () => {
  it.each([
    [0, '0s'],
    [1, '1s'],
    [1.5, '2s'],
    [59, '59s'],
    [90, '90s'],
    [60, '1m'],
    [120, '2m'],
    [3600, '1h'],
    [5400, '90m'],
    [86_400, '1d'],
    [604_800, '7d'],
    [2_592_000, '30d'],
    [0.5, '500ms'],
    [0.0015, '2ms'],
  ])('%d s → %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it('prints non-finite values as they are', () => {
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(formatDuration(Number.NaN)).toBe('NaN');
  });
});

describe('humanDuration: table form', () => {
  it.each([
    [0, '0ms'],
    [0.25, '250ms'],
    [-0.25, '-250ms'],
    [1, '1.0s'],
    [5, '5.0s'],
    [9.94, '9.9s'],
    [10, '10s'],
    [59.4, '59s'],
    [60, '1m'],
    [-90, '-1m'],
    [3599, '59m'],
    [3600, '1h'],
    [5400, '1h 30m'],
    [-5400, '-1h 30m'],
    [86_400, '1d'],
    [86_460, '1d'],
    [183_600, '2d 3h'],
  ])('%d s → %s', (seconds, text) => expect(humanDuration(seconds)).toBe(text));

  it('prints infinities as ∞', () => {
    expect(humanDuration(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(humanDuration(Number.NEGATIVE_INFINITY)).toBe('-∞');
  });

  it('prints NaN as n/a, not as an infinity (bug fixed: it printed -∞)', () => {
    expect(humanDuration(Number.NaN)).toBe('n/a');
  });
});

describe('parseRate: accepted forms', () => {
  it.each([
    ['7500 / s', 7500],
    ['  200/h ', 200 / 3600],
    ['1e3/s', 1000],
    ['2E2/min', 200 / 60],
    ['60/minute', 1],
    ['60/MIN', 1],
    ['1/sec', 1],
    ['1/second', 1],
    ['3600/hour', 1],
    ['86400/day', 1],
    ['604800/week', 1],
    ['7/w', 7 / 604_800],
    ['1/ms', 1000],
    ['100/1h30m', 100 / 5400],
  ])('%s', (text, perSecond) => expect(parseRate(text)).toBeCloseTo(perSecond, 12));

  it('a year is the Julian year, both spellings', () => {
    expect(YEAR_SECONDS).toBe(31_557_600);
    expect(parseRate('31557600/year')).toBe(1);
    expect(parseRate('31557600/yr')).toBe(1);
  });

  it('takes a bare number (text or number) per second only when allowed', () => {
    expect(parseRate('200', 'r', { allowBare: true })).toBe(200);
    expect(parseRate(5, 'r', { allowBare: true })).toBe(5);
    const num = rejection(() => parseRate(5, '--rate'));
    expect(num.message).toBe('--rate: expected a rate such as 7500/s, 200/h, 100/30m or 4/y, got 5');
    expect(num.suggestions).toEqual(['write it like 5/s']);
    const text = rejection(() => parseRate('200', '--rate'));
    expect(text.message).toBe('--rate: expected a rate such as 7500/s, 200/h, 100/30m or 4/y (the "/unit" part is required), got "200"');
    expect(text.suggestions).toEqual(['write it like 200/s']);
  });

  it('zero only with allowZero; negatives and non-finite numbers never', () => {
    expect(parseRate('0/s', 'r', { allowZero: true })).toBe(0);
    expect(parseRate(0, 'r', { allowBare: true, allowZero: true })).toBe(0);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const e = rejection(() => parseRate(bad, 'r', { allowBare: true }));
      expect(e.message, String(bad)).toMatch(/^r: expected a rate above zero, got/);
      expect(e.suggestions).toEqual(['write it like 10/s']);
    }
    expect(rejection(() => parseRate(-1, 'r', { allowBare: true, allowZero: true })).message).toMatch(/above zero/);
    const zero = rejection(() => parseRate('0/h', 'r'));
    expect(zero.message).toBe('r: expected a rate above zero, got "0/h"');
    expect(zero.suggestions).toEqual(['write it like 10/s']);
  });

  it('rejects malformed text with the 200/h example, and a bad period as a duration error naming the field', () => {
    for (const bad of ['/s', 'fast', '-5/s', 'x10/s']) {
      const e = rejection(() => parseRate(bad, '--arrival-rate'));
      expect(e.message, bad).toBe(`--arrival-rate: expected a rate such as 7500/s, 200/h, 100/30m or 4/y, got ${JSON.stringify(bad)}`);
      expect(e.suggestions).toEqual(['write it like 200/h']);
    }
    expect(rejection(() => parseRate('5/fortnight', '--arrival-rate')).message).toMatch(/^--arrival-rate: expected a duration such as/);
    // Bug fixed: object-prototype names were looked up as units and gave "expected a finite rate".
    for (const proto of ['5/constructor', '5/tostring', '5/__proto__']) {
      expect(rejection(() => parseRate(proto, '--arrival-rate')).message, proto).toMatch(/^--arrival-rate: expected a duration such as/);
    }
  });

  it('rejects an infinite rate', () => {
    const e = rejection(() => parseRate(`${'9'.repeat(400)}/s`, 'r'));
    expect(e.message).toMatch(/^r: expected a finite rate, got/);
    expect(e.suggestions).toEqual(['write it like 10/s']);
  });
});

describe('parseBandwidth', () => {
  it.each([
    ['100 kbps', 1e5],
    ['1Tbps', 1e12],
    ['1bps', 1],
    ['  3.5Mbps ', 3.5e6],
    ['1e3Mbps', 1e9],
    ['2 b/s', 2],
    ['5kb/s', 5e3],
    ['3Mb/s', 3e6],
    ['2.5Gb/s', 2.5e9],
    ['1tb/s', 1e12],
  ])('%s = %d bit/s', (text, bps) => expect(parseBandwidth(text)).toBe(bps));

  it('rejects a bare number, naming the field and suggesting Mbps', () => {
    const e = rejection(() => parseBandwidth(5, 'plan.link'));
    expect(e.message).toBe('plan.link: expected a bandwidth such as 3.5Mbps or 40Gbps, got 5');
    expect(e.suggestions).toEqual(['write it like 5Mbps']);
  });

  it('rejects text without a number or unit, and lists the units for an unknown one', () => {
    for (const bad of ['fast', 'Mbps', '40', '-3Mbps']) {
      const e = rejection(() => parseBandwidth(bad, 'b'));
      expect(e.message, bad).toBe(`b: expected a bandwidth such as 3.5Mbps or 40Gbps, got ${JSON.stringify(bad)}`);
      expect(e.suggestions).toEqual(['write it like 40Gbps']);
    }
    const unit = rejection(() => parseBandwidth('40 Gbit', 'b'));
    expect(unit.message).toBe('b: expected a bandwidth such as 3.5Mbps or 40Gbps (units: bps, Kbps, Mbps, Gbps, Tbps), got "40 Gbit"');
    expect(unit.suggestions).toEqual(['write it like 3.5Mbps']);
  });

  // Bug fixed: `40GB/s` and `40GBps` were read as 40 Gbit/s, 8x too little (chaos toxics read `1MB/s` as bytes).
  it('refuses a capital B (bytes) instead of reading it as bits', () => {
    for (const bad of ['40GB/s', '40GBps', '1MB/s', '100B/s', '5 kBps']) {
      const e = rejection(() => parseBandwidth(bad, 'tiers.edge.perInstance.bandwidth'));
      expect(e.message, bad).toBe(
        `tiers.edge.perInstance.bandwidth: expected a bandwidth such as 3.5Mbps or 40Gbps in bits per second (B is bytes: 1MB/s is 8Mbps), got ${JSON.stringify(bad)}`,
      );
      expect(e.suggestions).toEqual(['write it like 8Mbps, not 1MB/s']);
    }
  });

  it('rejects zero and infinite bandwidths', () => {
    for (const bad of ['0Mbps', `${'9'.repeat(400)}bps`]) {
      const e = rejection(() => parseBandwidth(bad, 'b'));
      expect(e.message, bad).toMatch(/^b: expected a bandwidth above zero, got/);
      expect(e.suggestions).toEqual(['write it like 3.5Mbps']);
    }
  });
});

describe('formatBandwidth', () => {
  it.each([
    [52_500e9, '52.5 Tbps'],
    [1e12, '1 Tbps'],
    [999e9, '999 Gbps'],
    [1e9, '1 Gbps'],
    [3.5e6, '3.5 Mbps'],
    [1_234_567, '1.23457 Mbps'],
    [1e6, '1 Mbps'],
    [1500, '1.5 Kbps'],
    [1000, '1 Kbps'],
    [999, '999 bps'],
    [1, '1 bps'],
    [0.5, '0.5 bps'],
    [0, '0 bps'],
    [-2e9, '-2 Gbps'],
  ])('%d bit/s → %s', (bps, text) => expect(formatBandwidth(bps)).toBe(text));

  it('pins the unit when asked', () => {
    expect(formatBandwidth(52_500e9, 'Gbps')).toBe('52500 Gbps');
    expect(formatBandwidth(2.5e6, 'Mbps')).toBe('2.5 Mbps');
    expect(formatBandwidth(5e11, 'Tbps')).toBe('0.5 Tbps');
  });
});

describe('parseObjective', () => {
  it.each([
    [' 99.9 ', 0.999],
    ['99.9 %', 0.999],
    [99.9, 0.999],
    ['50', 0.5],
    ['0.5', 0.5],
    ['1%', 0.01],
    ['0.5%', 0.005],
  ])('%s', (input, fraction) => expect(parseObjective(input)).toBeCloseTo(fraction, 12));

  it('1 is a fraction (100 %), so it is refused, not read as 1 %', () => {
    const e = rejection(() => parseObjective('1', 'slo.objective'));
    expect(e.message).toBe('slo.objective: expected an objective strictly between 0% and 100%, got "1"');
    expect(e.suggestions).toEqual(['write it like 99.9']);
  });

  it('refuses 0, 100 % and above', () => {
    for (const bad of ['0', '0%', '100%', '101', 1]) {
      expect(rejection(() => parseObjective(bad)).message, String(bad)).toMatch(/^objective: expected an objective strictly between/);
    }
  });

  it('refuses text that is not a number or percentage', () => {
    for (const bad of ['abc', '-5', '99.9%%', 'x99']) {
      const e = rejection(() => parseObjective(bad, 'o'));
      expect(e.message, bad).toBe(`o: expected an objective such as 99.9, 99.9% or 0.999, got ${JSON.stringify(bad)}`);
      expect(e.suggestions).toEqual(['write it like 99.9']);
    }
  });
});

describe('parseFraction', () => {
  it.each([
    ['0.2', 0.2],
    [0.25, 0.25],
    ['0', 0],
    [1, 1],
    ['0%', 0],
    ['100%', 1],
    ['1e-3', 0.001],
    ['5E-1', 0.5],
    [' 20 %', 0.2],
  ])('%s', (input, value) => expect(parseFraction(input)).toBe(value));

  it('refuses values outside [0, 1] (a bare 20 is not 20 %)', () => {
    for (const bad of ['20', '101%', '1.5']) {
      const e = rejection(() => parseFraction(bad, 'impact'));
      expect(e.message, bad).toBe(`impact: expected a fraction between 0 and 1 (or 0% to 100%), got ${JSON.stringify(bad)}`);
      expect(e.suggestions).toEqual(['write it like 0.2 or 20%']);
    }
  });

  it('refuses text that is not a number', () => {
    for (const bad of ['x', '-0.1', 'x0.2', '0.2x']) {
      const e = rejection(() => parseFraction(bad, 'impact'));
      expect(e.message, bad).toBe(`impact: expected a fraction between 0 and 1, or a percentage, got ${JSON.stringify(bad)}`);
      expect(e.suggestions).toEqual(['write it like 0.2 or 20%']);
    }
  });
});

describe('parseTime', () => {
  it('2200-01-01 is 7 258 118 400 unix seconds, the first refused instant', () => {
    expect(TIME_MAX_MS).toBe(7_258_118_400_000);
    expect(parseTime('7258118399')).toBe(7_258_118_399_000);
    expect(rejection(() => parseTime('7258118400', '--at')).message).toBe(
      '--at: expected a time from 1970-01-01 to 2199-12-31 (unix seconds, not milliseconds), got "7258118400"',
    );
    expect(parseTime('2199-12-31T23:59:59Z')).toBe(7_258_118_399_000);
    expect(rejection(() => parseTime('2200-01-01T00:00:00Z')).message).toMatch(/from 1970-01-01 to 2199-12-31/);
  });

  it('1970-01-01 is the first accepted instant', () => {
    expect(parseTime('0')).toBe(0);
    expect(parseTime('1970-01-01T00:00:00Z')).toBe(0);
    expect(rejection(() => parseTime('1969-12-31T23:59:59Z')).message).toMatch(/from 1970-01-01 to 2199-12-31/);
  });

  it('milliseconds given as seconds are refused with a hint', () => {
    const e = rejection(() => parseTime('1790000000000', '--at'));
    expect(e.message).toMatch(/unix seconds, not milliseconds/);
    expect(e.suggestions).toEqual(['write it like 2026-11-01T12:00:00Z']);
  });

  it.each([
    ['2026-11-01T12:00:00+02:00', Date.UTC(2026, 10, 1, 10)],
    ['2026-11-01T12:00:00-01:30', Date.UTC(2026, 10, 1, 13, 30)],
    ['2026-11-01T12:00Z', Date.UTC(2026, 10, 1, 12)],
    ['2026-11-01t12:00:00.5z', Date.UTC(2026, 10, 1, 12, 0, 0, 500)],
    [' 12.5 ', 12_500],
    [1_790_000_000, 1_790_000_000_000],
  ])('%s', (input, ms) => expect(parseTime(input)).toBe(ms));

  it('refuses dates without a time or a zone, and other text', () => {
    for (const bad of ['2026-11-01', '2026-11-01T12:00:00', 'x2026-11-01T12:00:00Z', '2026-11-01T12:00:00Zx',
      // an ISO 8601 expanded year is no RFC 3339 time, though Date.parse reads it as 2026
      '+002026-11-01T12:00:00Z', '12s', '']) {
      const e = rejection(() => parseTime(bad, '--at'));
      expect(e.message, bad).toBe(`--at: expected an RFC 3339 time (2026-11-01T12:00:00Z) or unix seconds, got ${JSON.stringify(bad)}`);
      expect(e.suggestions).toEqual(['write it like 2026-11-01T12:00:00Z']);
    }
  });
});

describe('parseSize', () => {
  it.each([
    ['1024', 1024],
    [4096, 4096],
    ['1KiB', 1024],
    ['2kb', 2000],
    ['1.5KiB', 1536],
    ['1 MiB', 1_048_576],
    ['256MiB', 268_435_456],
    ['500MB', 5e8],
    ['1GiB', 1_073_741_824],
    ['65GB', 65e9],
    ['64GiB', 68_719_476_736],
    ['2048B', 2048],
    ['1025.7', 1025],
    [' 512MiB ', 536_870_912], // surrounding spaces (a quoted YAML value) are trimmed, as in the other parsers
  ])('%s = %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it('refuses sizes under 1 KiB or over 64 GiB', () => {
    for (const bad of ['1023', '1KB', '64.5GiB', '69GB']) {
      const e = rejection(() => parseSize(bad, 'cache.memory'));
      expect(e.message, bad).toBe(`cache.memory: expected a size from 1KiB to 64GiB, got ${JSON.stringify(bad)}`);
      expect(e.suggestions).toEqual(['write it like 512MiB']);
    }
  });

  it('refuses unknown units and other text', () => {
    for (const bad of ['1TiB', 'lots', 'x1GiB', '1GiBx']) {
      const e = rejection(() => parseSize(bad, 'cache.memory'));
      expect(e.message, bad).toBe(`cache.memory: expected a size such as 256MiB or 1GiB, got ${JSON.stringify(bad)}`);
      expect(e.suggestions).toEqual(['write it like 512MiB']);
    }
  });
});

describe('second digits, anchors and default field names', () => {
  it('accepts two decimals and signed or long exponents', () => {
    expect(parseDuration('2.25', 'd', { allowBareSeconds: true })).toBe(2.25);
    expect(parseRate('1.25/s')).toBe(1.25);
    expect(parseRate('1e+3/s')).toBe(1000);
    expect(parseRate('1e10/s')).toBe(1e10);
    expect(parseBandwidth('2.25Gbps')).toBe(2.25e9);
    expect(parseBandwidth('1e+3bps')).toBe(1000);
    expect(parseBandwidth('1e10bps')).toBe(1e10);
    expect(parseFraction('1e-10')).toBe(1e-10);
    expect(parseFraction('1e0')).toBe(1);
    expect(parseTime('12.25')).toBe(12_250);
    expect(parseTime('2026-11-01T12:00:00.25Z')).toBe(Date.UTC(2026, 10, 1, 12, 0, 0, 250));
    expect(parseSize('1.25KiB')).toBe(1280);
  });

  it('text before a bare number, or after a number, is not a bare number', () => {
    const before = rejection(() => parseDuration('x45', 'f'));
    expect(before.suggestions).toEqual(['write it like 1h30m']);
    const after = rejection(() => parseRate('200 junk', 'r'));
    expect(after.message).toBe('r: expected a rate such as 7500/s, 200/h, 100/30m or 4/y, got "200 junk"');
    expect(rejection(() => parseBandwidth('3Mbps2', 'b')).suggestions).toEqual(['write it like 40Gbps']);
  });

  it('messages start with the default field name', () => {
    expect(rejection(() => parseRate('x')).message).toMatch(/^rate: /);
    expect(rejection(() => parseBandwidth('x')).message).toMatch(/^bandwidth: /);
    expect(rejection(() => parseFraction('x')).message).toMatch(/^fraction: /);
    expect(rejection(() => parseTime('x')).message).toMatch(/^time: /);
    expect(rejection(() => parseSize('x')).message).toMatch(/^size: /);
    expect(rejection(() => parseDuration('x')).message).toMatch(/^duration: /);
  });
});
