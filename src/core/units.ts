/**
 * Parsers for the units users type: durations (`180s`, `1h30m`, `30d`), rates
 * (`7500/s`, `200/h`, `100/30m`, `4/y`), bandwidths (`3.5Mbps`, `40Gbps`) and
 * percentages (`99.9`, `99.9%`, `0.999`). Every parser throws an InputError that
 * names the field and shows an accepted form; none of them throws anything else.
 */
import { InputError } from './errors.js';

const SECOND = 1;
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
const WEEK = 7 * DAY;
/** A Julian year, 365.25 days: the year the CRE risk method and SLO maths use. */
export const YEAR_SECONDS = 365.25 * DAY;

const DURATION_UNITS: Record<string, number> = {
  ms: 0.001,
  s: SECOND,
  sec: SECOND,
  m: MINUTE,
  min: MINUTE,
  h: HOUR,
  d: DAY,
  w: WEEK,
  y: YEAR_SECONDS,
};

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|sec|min|s|m|h|d|w|y)/;

function fail(field: string, value: unknown, expected: string, example: string): never {
  throw new InputError(`${field}: expected ${expected}, got ${JSON.stringify(value)}`, {
    field,
    suggestions: [`write it like ${example}`],
  });
}

/**
 * Parse a duration into seconds. Accepts compound forms (`1h30m`), a bare
 * number of seconds when `allowBareSeconds` is set, and rejects zero/negatives
 * unless `allowZero`.
 */
export function parseDuration(
  input: string | number,
  field = 'duration',
  opts: { allowZero?: boolean; allowBareSeconds?: boolean } = {},
): number {
  const expected = 'a duration such as 30s, 5m, 1h30m, 30d';
  let seconds: number;
  if (typeof input === 'number') {
    if (!opts.allowBareSeconds) fail(field, input, expected, '90s');
    seconds = input;
  } else {
    const text = String(input).trim();
    if (text === '') fail(field, input, expected, '5m');
    if (/^\d+(?:\.\d+)?$/.test(text)) {
      if (!opts.allowBareSeconds) fail(field, input, `${expected} (a unit is required)`, `${text}s`);
      seconds = Number(text);
    } else {
      let rest = text;
      seconds = 0;
      while (rest.length > 0) {
        const m = DURATION_RE.exec(rest);
        if (!m) fail(field, input, expected, '1h30m');
        seconds += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
        rest = rest.slice(m[0].length);
      }
    }
  }
  if (!Number.isFinite(seconds)) fail(field, input, 'a finite duration', '30d');
  if (seconds < 0 || (seconds === 0 && !opts.allowZero)) fail(field, input, 'a duration above zero', '5m');
  return seconds;
}

/** Format seconds as a short Prometheus-compatible duration (`5m`, `1h`, `30d`, `90s`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const units: Array<[string, number]> = [
    // Stryker disable next-line ArrayDeclaration: equivalent, the loop below skips the 'w' entry, so an empty entry changes nothing
    ['w', WEEK],
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    // Stryker disable next-line ArrayDeclaration: equivalent, without it an integer falls through to Math.round(seconds) + 's', the same text, and a fraction is not an integer either way
    ['s', SECOND],
  ];
  if (seconds > 0 && seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  // Prefer the largest unit that divides exactly, so the output round-trips.
  for (const [unit, size] of units) {
    if (unit === 'w') continue; // `30d` reads better than `4w2d`
    if (seconds >= size && Number.isInteger(seconds / size)) return `${seconds / size}${unit}`;
  }
  return `${Math.round(seconds)}s`;
}

/** Human duration, e.g. `2d 3h`, `45m`, `12s`; for tables, not for parsing. */
export function humanDuration(seconds: number): string {
  if (seconds === Number.POSITIVE_INFINITY) return '∞';
  if (seconds === Number.NEGATIVE_INFINITY) return '-∞';
  if (Number.isNaN(seconds)) return 'n/a'; // no duration is known, as budget tables print it
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  if (s < 1) return `${sign}${(s * 1000).toFixed(0)}ms`;
  if (s < 60) return `${sign}${s.toFixed(s < 10 ? 1 : 0)}s`;
  const d = Math.floor(s / DAY);
  s -= d * DAY;
  const h = Math.floor(s / HOUR);
  s -= h * HOUR;
  const m = Math.floor(s / MINUTE);
  if (d > 0) return `${sign}${d}d${h > 0 ? ` ${h}h` : ''}`;
  if (h > 0) return `${sign}${h}h${m > 0 ? ` ${m}m` : ''}`;
  return `${sign}${m}m`;
}

/**
 * Parse a rate into events per second: `7500/s`, `200/h`, `100/30m`, `4/y`,
 * `12/day`. A bare number is per second when `allowBare` is set.
 */
export function parseRate(input: string | number, field = 'rate', opts: { allowBare?: boolean; allowZero?: boolean } = {}): number {
  const expected = 'a rate such as 7500/s, 200/h, 100/30m or 4/y';
  if (typeof input === 'number') {
    if (!opts.allowBare) fail(field, input, expected, `${input}/s`);
    if (!Number.isFinite(input) || input < 0 || (input === 0 && !opts.allowZero)) fail(field, input, 'a rate above zero', '10/s');
    return input;
  }
  const text = String(input).trim();
  const m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(?:\/\s*(.+))?$/i.exec(text);
  if (!m) fail(field, input, expected, '200/h');
  const count = Number(m[1]);
  let per: number;
  if (m[2] === undefined) {
    if (!opts.allowBare) fail(field, input, `${expected} (the "/unit" part is required)`, `${text}/s`);
    per = 1;
  } else {
    const unit = m[2].trim().toLowerCase();
    const named: Record<string, number> = { sec: 1, second: 1, min: MINUTE, minute: MINUTE, hour: HOUR, day: DAY, week: WEEK, year: YEAR_SECONDS, yr: YEAR_SECONDS };
    // Own keys only: `constructor` or `tostring` are object-prototype names, not units. A unit with digits
    // (`30m`) is never a key, so it falls through to parseDuration.
    if (Object.hasOwn(named, unit)) per = named[unit] as number;
    else if (Object.hasOwn(DURATION_UNITS, unit)) per = DURATION_UNITS[unit] as number;
    else per = parseDuration(unit, field);
  }
  const rate = count / per;
  if (!Number.isFinite(rate)) fail(field, input, 'a finite rate', '10/s');
  if (rate < 0 || (rate === 0 && !opts.allowZero)) fail(field, input, 'a rate above zero', '10/s');
  return rate;
}

const BANDWIDTH_UNITS: Record<string, number> = {
  bps: 1,
  kbps: 1e3,
  mbps: 1e6,
  gbps: 1e9,
  tbps: 1e12,
  'b/s': 1,
  'kb/s': 1e3,
  'mb/s': 1e6,
  'gb/s': 1e9,
  'tb/s': 1e12,
};

/** Parse a bandwidth into bits per second: `3.5Mbps`, `40Gbps`, `100 kbps`. Decimal (SI) prefixes; a capital B (bytes) is refused. */
export function parseBandwidth(input: string | number, field = 'bandwidth'): number {
  const expected = 'a bandwidth such as 3.5Mbps or 40Gbps';
  if (typeof input === 'number') fail(field, input, expected, `${input}Mbps`);
  const m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-zA-Z/]+)$/.exec(String(input).trim());
  if (!m) fail(field, input, expected, '40Gbps');
  // A capital B is bytes (`1MB/s` is 8 Mbit/s, as chaos toxics read it): folding it to bits would be 8x off.
  if ((m[2] as string).includes('B')) fail(field, input, `${expected} in bits per second (B is bytes: 1MB/s is 8Mbps)`, '8Mbps, not 1MB/s');
  const unit = BANDWIDTH_UNITS[(m[2] as string).toLowerCase()];
  if (unit === undefined) fail(field, input, `${expected} (units: bps, Kbps, Mbps, Gbps, Tbps)`, '3.5Mbps');
  const bps = Number(m[1]) * unit;
  if (!Number.isFinite(bps) || bps <= 0) fail(field, input, 'a bandwidth above zero', '3.5Mbps');
  return bps;
}

/** Format bits/s with an SI unit: 52500e9 → `52.5 Tbps`, or pinned to a unit (`Gbps`). */
export function formatBandwidth(bps: number, unit?: 'Mbps' | 'Gbps' | 'Tbps'): string {
  const scale: Array<[string, number]> = [
    ['Tbps', 1e12],
    ['Gbps', 1e9],
    ['Mbps', 1e6],
    ['Kbps', 1e3],
    // Stryker disable next-line ArrayDeclaration: equivalent, without it nothing below 1 Kbps matches and the fallback is the same ['bps', 1]
    ['bps', 1],
  ];
  const chosen = unit ? scale.find(([u]) => u === unit) : scale.find(([, s]) => Math.abs(bps) >= s);
  const [name, size] = chosen ?? ['bps', 1];
  return `${Number((bps / size).toPrecision(6))} ${name}`;
}

/**
 * Parse an objective or ratio given as a percentage (`99.9`, `99.9%`) or a
 * fraction (`0.999`) into a fraction in (0, 1). Values above 1 are percentages.
 */
export function parseObjective(input: string | number, field = 'objective'): number {
  const expected = 'an objective such as 99.9, 99.9% or 0.999';
  const text = String(input).trim(); // a number's String() has no spaces to trim
  const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text);
  if (!m) fail(field, input, expected, '99.9');
  const n = Number(m[1]);
  const fraction = m[2] === '%' || n > 1 ? n / 100 : n;
  if (!(fraction > 0 && fraction < 1)) fail(field, input, 'an objective strictly between 0% and 100%', '99.9');
  return fraction;
}

/** Parse a fraction in [0, 1] given as `0.2`, `20%`. */
export function parseFraction(input: string | number, field = 'fraction'): number {
  const text = String(input).trim(); // a number's String() has no spaces to trim
  const m = /^(\d+(?:\.\d+)?(?:e-?\d+)?)\s*(%?)$/i.exec(text);
  if (!m) fail(field, input, 'a fraction between 0 and 1, or a percentage', '0.2 or 20%');
  const value = m[2] === '%' ? Number(m[1]) / 100 : Number(m[1]);
  if (!(value >= 0 && value <= 1)) fail(field, input, 'a fraction between 0 and 1 (or 0% to 100%)', '0.2 or 20%');
  return value;
}

/**
 * Every time a user gives relia lies in [1970-01-01, 2200-01-01): anything
 * else is a typo (a year 0001 or 275760, milliseconds given as seconds), and
 * would make monthly series, ranges and loops that depend on the span huge.
 */
export const TIME_MIN_MS = 0;
export const TIME_MAX_MS = Date.UTC(2200, 0, 1);

/** Parse a point in time: RFC 3339 or unix seconds, within [1970, 2200). Returns epoch milliseconds. */
export function parseTime(input: string | number, field = 'time'): number {
  const text = String(input).trim();
  let ms = Number.NaN;
  if (/^\d+(?:\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i.test(text)) ms = Date.parse(text);
  if (!Number.isFinite(ms)) return fail(field, input, 'an RFC 3339 time (2026-11-01T12:00:00Z) or unix seconds', '2026-11-01T12:00:00Z');
  if (ms < TIME_MIN_MS || ms >= TIME_MAX_MS) return fail(field, input, 'a time from 1970-01-01 to 2199-12-31 (unix seconds, not milliseconds)', '2026-11-01T12:00:00Z');
  return ms;
}

/** Parse a size: `256MiB`, `1GiB`, `500MB`, `1024` (bytes). Between 1 KiB and 64 GiB. */
export function parseSize(input: string | number, field = 'size'): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(String(input).trim());
  if (!m) return fail(field, input, 'a size such as 256MiB or 1GiB', '512MiB');
  const units: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
  const bytes = Number(m[1]) * (units[(m[2] ?? 'b').toLowerCase()] as number);
  if (!(bytes >= 1024 && bytes <= 64 * 1024 ** 3)) return fail(field, input, 'a size from 1KiB to 64GiB', '512MiB');
  return Math.floor(bytes);
}
