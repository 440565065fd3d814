/**
 * Issue 10, class 4: a CSV header is detected by its names, never guessed
 * from whether a row parses. For every CSV reader (capacity usl, capacity
 * forecast, risk incidents), fast-check:
 * - a header is recognised by its names in any order and any case, and the
 *   columns are read by name (a reversed header swaps them);
 * - a malformed first data row is an exit-2 InputError naming that row, never
 *   taken as a header and never a silently shorter fit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTORY_COLUMNS, parseHistoryCsv } from '../../../src/core/capacity/forecast.js';
import { parseUslCsv, USL_COLUMNS } from '../../../src/core/capacity/usl.js';
import { headerColumns } from '../../../src/core/csv-header.js';
import { InputError } from '../../../src/core/errors.js';
import { INCIDENT_FIELDS, parseIncidents } from '../../../src/core/risk/incidents.js';
import { propertyRuns } from './property-runs.js';

/** The InputError `f` throws (the test fails on anything else, or on no error). */
function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, got a result');
}

/** A name in a random case, e.g. cOnCuRrEnCy. */
const anyCase = (name: string) => fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

/** Cell text that is neither a number nor a column name of `names`: what a broken first row holds. */
function junkCell(names: Record<string, readonly string[]>) {
  const known = new Set(Object.values(names).flat().map((n) => n.toLowerCase()));
  return fc
    .string({ minLength: 1, maxLength: 12 })
    .map((s) => s.replace(/[,;\t\r\n"#]/g, '').trim())
    .filter((s) => s !== '' && !Number.isFinite(Number(s)) && !known.has(s.toLowerCase().replace(/[\s_-]+/g, '')));
}

const points = fc.array(fc.tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 1_000_000 })), { minLength: 1, maxLength: 30 });

describe('capacity usl CSV', () => {
  it('a header is recognised by any of its names, in either order and any case; columns are read by name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...USL_COLUMNS.concurrency).chain(anyCase), fc.constantFrom(...USL_COLUMNS.throughput).chain(anyCase), fc.boolean(), fc.constantFrom(',', ';', '\t'), points, (cName, xName, reversed, sep, rows) => {
        const header = reversed ? `${xName}${sep}${cName}` : `${cName}${sep}${xName}`;
        const body = rows.map(([n, x]) => (reversed ? `${x}${sep}${n}` : `${n}${sep}${x}`)).join('\n');
        expect(parseUslCsv(`${header}\n${body}\n`, 'm.csv')).toEqual(rows.map(([concurrency, throughput]) => ({ concurrency, throughput })));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('a malformed first data row is exit 2 naming that row, never a skipped header', () => {
    const junk = junkCell(USL_COLUMNS);
    const firstRow = fc.oneof(
      fc.tuple(junk, junk).map(([a, b]) => `${a},${b}`), // both cells broken: the old guess took it for a header
      fc.tuple(junk, fc.integer({ min: 1, max: 100 })).map(([a, b]) => `${a},${b}`),
      fc.tuple(fc.integer({ min: 1, max: 100 }), junk).map(([a, b]) => `${a},${b}`),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('', '# a comment'), { maxLength: 3 }), firstRow, points, (lead, first, rows) => {
        const text = [...lead, first, ...rows.map(([n, x]) => `${n},${x}`)].join('\n');
        const e = inputError(() => parseUslCsv(text, 'm.csv'));
        expect(e.message).toMatch(new RegExp(`^m\\.csv row ${lead.length + 1}: (concurrency|throughput) must be`));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('a first row that names one column but not the other is exit 2 naming the row and the accepted names', () => {
    const e = inputError(() => parseUslCsv('Concurrency,reqs\n1,65\n', 'm.csv'));
    expect(e.message).toBe('m.csv row 1: no column named throughput ("reqs" is not a column name); a header names each column once, in any order: concurrency (concurrency, n, clients, users, threads, vus, load); throughput (throughput, x, rps, qps, tps, rate)');
    expect(inputError(() => parseUslCsv('n,clients\n1,65\n', 'm.csv')).message).toMatch(/^m\.csv row 1: the column concurrency is named twice/);
  });
});

describe('capacity forecast CSV', () => {
  const t0 = 1_767_225_600; // 2026-01-01T00:00:00Z
  const series = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 });

  it('a header is recognised by its names in either order and any case; columns are read by name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HISTORY_COLUMNS.timestamp).chain(anyCase), fc.constantFrom(...HISTORY_COLUMNS.value).chain(anyCase), fc.boolean(), series, (tName, vName, reversed, values) => {
        const header = reversed ? `${vName},${tName}` : `${tName},${vName}`;
        const body = values.map((v, i) => (reversed ? `${v},${t0 + i * 60}` : `${t0 + i * 60},${v}`)).join('\n');
        expect(parseHistoryCsv(`${header}\n${body}\n`, 'h.csv')).toEqual(values.map((v, i) => [t0 + i * 60, v]));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('a malformed first data row is exit 2 naming row 1, never a skipped header', () => {
    const junk = junkCell(HISTORY_COLUMNS);
    fc.assert(
      fc.property(fc.oneof(fc.tuple(junk, junk), fc.tuple(fc.constant(String(t0 - 60)), junk), fc.tuple(junk, fc.constant('5'))), series, ([a, b], values) => {
        const text = [`${a},${b}`, ...values.map((v, i) => `${t0 + i * 60},${v}`)].join('\n');
        const e = inputError(() => parseHistoryCsv(text, 'h.csv'));
        expect(e.message).toMatch(/^h\.csv: row 1: /);
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

describe('risk incident CSV', () => {
  const row = 'INC-1,playback,cdn,SEV2,2026-01-01T10:00:00Z,2026-01-01T10:05:00Z,2026-01-01T10:30:00Z,0.2';
  const canonical = parseIncidents(`${INCIDENT_FIELDS.join(',')}\n${row}\n`, 'i.csv').incidents;

  it('the header is read by its names in any order and any case', () => {
    const cells = row.split(',');
    fc.assert(
      fc.property(fc.shuffledSubarray([...INCIDENT_FIELDS.keys()], { minLength: INCIDENT_FIELDS.length, maxLength: INCIDENT_FIELDS.length }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (order, upper) => {
        const header = order.map((i, k) => (upper[k] ? (INCIDENT_FIELDS[i] as string).toUpperCase() : (INCIDENT_FIELDS[i] as string))).join(',');
        const data = order.map((i) => cells[i]).join(',');
        expect(parseIncidents(`${header}\n${data}\n`, 'i.csv').incidents).toEqual(canonical);
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('a data row where the header belongs is exit 2 naming the missing columns, never read as a header', () => {
    fc.assert(
      fc.property(fc.constantFrom(row, row.replace('INC-1', 'INC-0'), row.replace('0.2', 'x')), (first) => {
        const e = inputError(() => parseIncidents(`${first}\n${row}\n`, 'i.csv'));
        expect(e.message).toMatch(/^i\.csv: missing columns id, service, category, started, detected, resolved, impact; columns are "INC-/);
      }),
      { numRuns: propertyRuns(10) },
    );
  });
});

describe('headerColumns', () => {
  it('a row naming no column is data (null); extra columns after a full header are ignored', () => {
    expect(headerColumns(['1', '65'], USL_COLUMNS, { file: 'f', row: 1 })).toBeNull();
    expect(headerColumns(['RPS', 'notes', 'Users'], USL_COLUMNS, { file: 'f', row: 1 })).toEqual({ throughput: 0, concurrency: 2 });
  });
});
