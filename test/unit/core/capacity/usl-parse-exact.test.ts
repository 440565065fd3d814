/**
 * `relia capacity usl` inputs (src/core/capacity/usl.ts; docs/capacity.md, USL "Inputs"): the exact refusal a
 * user reads for a cell with spaces around it, an infinite or empty concurrency and a header naming one column
 * (with the file and the row), and pairByTime's counts for non-finite and zero throughputs from Prometheus.
 */
import { describe, expect, it } from 'vitest';
import { pairByTime, parseUslCsv } from '../../../../src/core/capacity/usl.js';
import { inputError } from '../../../helpers/errors.js';

const refusal = (text: string) => {
  const e = inputError(() => parseUslCsv(text, 'm.csv'));
  return { message: e.message, field: e.field, file: e.file };
};

describe('parseUslCsv refusals', () => {
  it('quotes the cell as trimmed, without the spaces around it', () => {
    expect(refusal('1,65\n18, lots \n')).toEqual({ message: 'm.csv row 2: throughput must be zero or a positive number, got "lots"', field: 'row 2.throughput', file: 'm.csv' });
  });

  it('refuses an infinite or empty concurrency, and an empty throughput (never read as 0)', () => {
    expect(refusal('1,65\nInfinity,900\n')).toEqual({ message: 'm.csv row 2: concurrency must be a positive number, got "Infinity"', field: 'row 2.concurrency', file: 'm.csv' });
    expect(refusal('1,65\n,900\n')).toEqual({ message: 'm.csv row 2: concurrency must be a positive number, got ""', field: 'row 2.concurrency', file: 'm.csv' });
    expect(refusal('1,65\n18,\n')).toEqual({ message: 'm.csv row 2: throughput must be zero or a positive number, got ""', field: 'row 2.throughput', file: 'm.csv' });
  });

  it('a header naming one column only: the file and its line, after a comment', () => {
    const r = refusal('# load test 2026-11-01\nconcurrency,reqs\n1,65\n');
    expect(r.field).toBe('row 2');
    expect(r.file).toBe('m.csv');
    expect(r.message).toMatch(/^m\.csv row 2: no column named throughput \("reqs" is not a column name\)/);
  });
});

describe('pairByTime', () => {
  it('counts a NaN or infinite throughput as unmatched, never as a point', () => {
    const r = pairByTime(
      [
        [1, 5],
        [2, 5],
        [3, 5],
      ],
      [
        [1, Number.NaN],
        [2, Number.POSITIVE_INFINITY],
        [3, 40],
      ],
    );
    expect(r).toEqual({ points: [{ concurrency: 5, throughput: 40 }], unmatched: 2, dropped: 0 });
  });

  it('keeps a throughput of 0 (a stalled system is a measurement) and drops a negative one', () => {
    const r = pairByTime(
      [
        [1, 5],
        [2, 8],
      ],
      [
        [1, 0],
        [2, -1],
      ],
    );
    expect(r).toEqual({ points: [{ concurrency: 5, throughput: 0 }], unmatched: 0, dropped: 1 });
  });
});
