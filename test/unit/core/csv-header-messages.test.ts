/**
 * Pins src/core/csv-header.ts as its doc comment states it: a header names every field once, in any order and
 * case, with spaces, `_` and `-` ignored (also around and inside a name); other columns are ignored; a row naming
 * some fields but not all, or one twice, is exit 2 naming the file and row, the missing fields, the cells that are
 * not column names ("is" for one, "are" for several), the names accepted, and suggesting the documented header.
 */
import { describe, expect, it } from 'vitest';
import { documentedHeader, headerColumns } from '../../../src/core/csv-header.js';
import { InputError } from '../../../src/core/errors.js';

const NAMES = { concurrency: ['concurrency', 'n'], throughput: ['throughput', 'x_per_s'], latency: ['latency'] } as const;
const WHERE = { file: 'usl.csv', row: 1 };
const ACCEPTED = 'a header names each column once, in any order: concurrency (concurrency, n); throughput (throughput, x_per_s); latency (latency)';

function rejection(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, got a value');
}

describe('headerColumns', () => {
  it('documentedHeader is the first name of each field, comma-separated', () => {
    expect(documentedHeader(NAMES)).toBe('concurrency,throughput,latency');
  });

  it('ignores case, spaces, _ and - anywhere in a name, and extra columns', () => {
    expect(headerColumns([' Con_Currency ', 'note', 'X-Per S', 'LATENCY'], NAMES, WHERE)).toEqual({ concurrency: 0, throughput: 2, latency: 3 });
    expect(headerColumns(['through--put', 'n', 'la tency'], NAMES, WHERE)).toEqual({ concurrency: 1, throughput: 0, latency: 2 });
  });

  it('a row with no column name is data (null)', () => {
    expect(headerColumns(['10', '65', '0.2'], NAMES, WHERE)).toBeNull();
  });

  it('a field named twice: exit 2 naming the file, row and field, suggesting the documented header', () => {
    const e = rejection(() => headerColumns(['n', 'concurrency', 'throughput', 'latency'], NAMES, { file: 'in.csv', row: 3 }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`in.csv row 3: the column concurrency is named twice; ${ACCEPTED}`);
    expect(e.field).toBe('row 3');
    expect(e.suggestions).toEqual(['start with the header concurrency,throughput,latency, or with no header at all']);
  });

  it('missing fields are listed; with no other cell nothing more is said', () => {
    const e = rejection(() => headerColumns(['concurrency'], NAMES, WHERE));
    expect(e.message).toBe(`usl.csv row 1: no column named throughput, latency; ${ACCEPTED}`);
  });

  it('one unknown cell "is not a column name", several "are not column names" (bug fixed: "are not a column name")', () => {
    expect(rejection(() => headerColumns(['concurrency', 'thruput', 'latency'], NAMES, WHERE)).message).toBe(
      `usl.csv row 1: no column named throughput ("thruput" is not a column name); ${ACCEPTED}`,
    );
    expect(rejection(() => headerColumns(['concurrency', 'thruput', 'lat'], NAMES, WHERE)).message).toBe(
      `usl.csv row 1: no column named throughput, latency ("thruput", "lat" are not column names); ${ACCEPTED}`,
    );
  });
});

describe('headerColumns: "any case" is the case of the same letters, not another letter', () => {
  // In Unicode's case folding (CaseFolding.txt) the dotless ı (U+0131) folds only to itself (only the Turkic
  // mappings relate I and ı), so in caseless matching it is a letter of its own: "tıme" is not the name "time",
  // though its capital is "TIME".
  const HISTORY = { timestamp: ['timestamp', 'time'], value: ['value'] } as const;
  const accepted = 'a header names each column once, in any order: timestamp (timestamp, time); value (value)';

  it('reads TIME and Time as time, and refuses tıme as a cell that is not a column name', () => {
    expect(headerColumns(['TIME', 'Value'], HISTORY, WHERE)).toEqual({ timestamp: 0, value: 1 });
    expect(headerColumns(['Time', 'VALUE'], HISTORY, WHERE)).toEqual({ timestamp: 0, value: 1 });
    expect(rejection(() => headerColumns(['tıme', 'value'], HISTORY, WHERE)).message).toBe(`usl.csv row 1: no column named timestamp ("tıme" is not a column name); ${accepted}`);
  });
});
