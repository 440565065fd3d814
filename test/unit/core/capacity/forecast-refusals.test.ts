/**
 * `relia capacity forecast` (src/core/capacity/forecast.ts): every refusal with its whole error (message,
 * field, file and the fix it suggests: the CLI prints all four, docs/exit-codes.md), and the CSV and grid
 * edges found by mutation testing:
 * - regularize keeps the 10 %-of-a-step tolerance (0.1 of a step off is on the grid, a hair more is not)
 *   and refuses two points that land on one grid point (they used to overwrite each other silently);
 *   a measured point is kept exactly as given, never recomputed from the interpolation line;
 * - parseHistoryCsv names rows by their line in the file (comments and blank lines count, as an
 *   editor shows them; they used to count only data rows) and refuses an empty timestamp or value cell
 *   (Number('') would read an empty value as 0);
 * - historyFromMetrics at MAX_POINTS, with the caller's abort signal and with NaN samples dropped.
 */
import { describe, expect, it } from 'vitest';
import { historyFromMetrics, MAX_POINTS, parseHistoryCsv, regularize } from '../../../../src/core/capacity/forecast.js';
import type { ReliaError } from '../../../../src/core/errors.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { inputError, rejection } from '../../../helpers/errors.js';

/** The parts of an error the CLI shows: the message, the field, the file and the fixes. */
const shown = (e: ReliaError) => ({ message: e.message, field: e.field, file: e.file, suggestions: e.suggestions });
const refusal = (fn: () => unknown) => shown(inputError(fn));

describe('regularize refusals', () => {
  it('too little history, two values at one time, too many points', () => {
    expect(refusal(() => regularize([[0, 1]], { field: '--input' }))).toEqual({
      message: '--input: need at least 2 points of history, got 1',
      field: '--input',
      file: undefined,
      suggestions: ['give a longer history (several seasons, e.g. 7d)'],
    });
    expect(refusal(() => regularize([[60, 1], [0, 3], [60, 2]], { field: 'history' }))).toEqual({
      message: 'history: two values at 1970-01-01T00:01:00Z',
      field: 'history',
      file: undefined,
      suggestions: ['give one value per timestamp'],
    });
    expect(refusal(() => regularize([[0, 1], [(MAX_POINTS + 5) * 60, 2]], { field: '--input', step: 60 }))).toEqual({
      message: '--input: 11006 points at a 1m step is more than 11000',
      field: '--input',
      file: undefined,
      suggestions: ['use a coarser step (e.g. --step 15m) or a shorter range'],
    });
  });

  it('a point up to 0.1 of a step off the grid is on it; more is refused', () => {
    // 54 s is 0.9 of a 60 s step: 0.1 off grid point 1
    expect(regularize([[0, 1], [54, 2], [120, 3]], { field: '--input', step: 60 })).toEqual({ start: 0, step: 60, values: [1, 2, 3], filled: 0 });
    // 66 s is 1.1 steps: in floating point 0.10000000000000009 off grid point 1
    expect(refusal(() => regularize([[0, 1], [66, 2], [120, 3]], { field: '--input', step: 60 }))).toEqual({
      message: '--input: 1970-01-01T00:01:06Z is off the 1m grid starting 1970-01-01T00:00:00Z',
      field: '--input',
      file: undefined,
      suggestions: ['give evenly spaced timestamps (one every step)'],
    });
  });

  it('refuses two points that fall on one grid point instead of keeping the later one', () => {
    // 6 s is exactly 0.1 of a step: on the grid, at the grid point 0 that the first point already holds
    expect(refusal(() => regularize([[0, 1], [6, 2], [60, 3]], { field: '--input', step: 60 }))).toEqual({
      message: '--input: 1970-01-01T00:00:06Z falls on the grid point 1970-01-01T00:00:00Z, which already has a value (two values within one 1m step)',
      field: '--input',
      file: undefined,
      suggestions: ['give one value per step: aggregate finer samples first, or give a finer --step'],
    });
    // a scrape 2 s early, then one on time: both are the 00:01:00 point
    expect(refusal(() => regularize([[0, 1], [58, 2], [60, 3]], { field: '--input', step: 60 })).message).toBe(
      '--input: 1970-01-01T00:01:00Z falls on the grid point 1970-01-01T00:01:00Z, which already has a value (two values within one 1m step)',
    );
  });

  it('keeps a measured point exactly as given after a gap', () => {
    // the line from 1 to 0.3 over 2 steps: 1 + (0.3 − 1)·2/2 is 0.30000000000000004 in floating point
    const r = regularize([[0, 1], [120, 0.3], [180, 0.2]], { field: '--input', step: 60 });
    expect(r.values[2]).toBe(0.3);
    expect(r.values[3]).toBe(0.2);
    expect(r.values[1]).toBeCloseTo(0.65, 15);
    expect(r.filled).toBe(1);
  });
});

describe('parseHistoryCsv refusals', () => {
  it('a file that is not CSV', () => {
    expect(refusal(() => parseHistoryCsv('"a,1\n', 'h.csv'))).toEqual({
      message: 'h.csv: not readable as CSV: Quote Not Closed: the parsing is finished with an opening quote at line 1',
      field: '--input',
      file: 'h.csv',
      suggestions: ['write one `timestamp,value` per line'],
    });
  });

  it('a header that names a column twice, named by its line in the file', () => {
    expect(refusal(() => parseHistoryCsv('# checkout rps\n\ntime,time\n1,2\n', 'h.csv'))).toEqual({
      message:
        'h.csv row 3: the column timestamp is named twice; a header names each column once, in any order: timestamp (timestamp, t, ts, time, date, datetime); value (value, v, y, count, rate, rps)',
      field: 'row 3',
      file: 'h.csv',
      suggestions: ['start with the header timestamp,value, or with no header at all'],
    });
  });

  const missingCell = (row: number, got: string) => ({
    message: `h.csv: row ${row}: expected timestamp,value, got ${JSON.stringify(got)}`,
    field: '--input',
    file: 'h.csv',
    suggestions: ['e.g. 2026-10-31T18:00:00Z,1234.5'],
  });

  it('a row with no value, an empty value (never read as 0) or an empty timestamp', () => {
    expect(refusal(() => parseHistoryCsv('1793491200\n', 'h.csv'))).toEqual(missingCell(1, '1793491200'));
    expect(refusal(() => parseHistoryCsv('1793491200,10\n1793491260,\n', 'h.csv'))).toEqual(missingCell(2, '1793491260,'));
    expect(refusal(() => parseHistoryCsv('1793491200,10\n,11\n', 'h.csv'))).toEqual(missingCell(2, ',11'));
  });

  it('a row with no timestamp under a header that puts the value first', () => {
    expect(parseHistoryCsv('value,timestamp\n10,1793491200\n', 'h.csv')).toEqual([[1793491200, 10]]);
    expect(refusal(() => parseHistoryCsv('value,timestamp\n10\n', 'h.csv'))).toEqual(missingCell(2, '10'));
  });

  it('names the line in the file, counting comments and blank lines', () => {
    expect(refusal(() => parseHistoryCsv('# history\n\n1793491200,10\nyesterday,5\n', 'h.csv'))).toEqual({
      message: 'h.csv: row 4: timestamp: expected an RFC 3339 time (2026-11-01T12:00:00Z) or unix seconds, got "yesterday"',
      field: 'h.csv: row 4: timestamp',
      file: undefined,
      suggestions: ['write it like 2026-11-01T12:00:00Z'],
    });
    expect(refusal(() => parseHistoryCsv('t,v\n# paused\n1793491200,abc\n', 'h.csv'))).toEqual({
      message: 'h.csv: row 3: value "abc" is not a number',
      field: '--input',
      file: 'h.csv',
      suggestions: ['write plain numbers, e.g. 1234.5'],
    });
  });

  it('no data rows: an empty file, or a header alone', () => {
    const none = { message: 'h.csv: no data rows', field: '--input', file: 'h.csv', suggestions: ['write one `timestamp,value` per line'] };
    expect(refusal(() => parseHistoryCsv('', 'h.csv'))).toEqual(none);
    expect(refusal(() => parseHistoryCsv('# nothing yet\ntimestamp,value\n', 'h.csv'))).toEqual(none);
  });
});

describe('historyFromMetrics', () => {
  const END = Date.parse('2026-11-01T00:00:00Z') / 1000;
  const load = (points: Array<[number, number]>, host = 'a') => ({ labels: { __name__: 'load', host }, points });

  it('refuses several series or none, naming --query unless told otherwise', async () => {
    const two = MemoryMetrics.fromPoints([load([[END, 1]]), load([[END, 2]], 'b')]);
    expect(shown(await rejection(historyFromMetrics(two, 'load', { start: (END - 600) * 1000, end: END * 1000, step: 300 })))).toEqual({
      message: '--query: the query returned 2 series; a forecast needs one',
      field: '--query',
      file: undefined,
      suggestions: ['aggregate it, e.g. sum(rate(http_requests_total[5m]))'],
    });
    expect(shown(await rejection(historyFromMetrics(two, 'missing', { start: (END - 3600) * 1000, end: END * 1000, step: 300 }, 'history')))).toEqual({
      message: 'history: the query returned no data between 2026-10-31T23:00:00Z and 2026-11-01T00:00:00Z',
      field: 'history',
      file: undefined,
      suggestions: ['check the metric name and labels', 'check --from/--to or --range and --at'],
    });
  });

  it('asks for MAX_POINTS points and refuses one more before querying', async () => {
    const source = MemoryMetrics.fromPoints([load([[60, 1]])]);
    // (MAX_POINTS − 1) steps after the start: MAX_POINTS points, so the query runs (and finds nothing there)
    const atLimit = await rejection(historyFromMetrics(source, 'missing', { start: 60_000, end: (60 + (MAX_POINTS - 1) * 60) * 1000, step: 60 }));
    expect(atLimit.message).toMatch(/^--query: the query returned no data/);
    expect(shown(await rejection(historyFromMetrics(source, 'load', { start: 60_000, end: (60 + MAX_POINTS * 60) * 1000, step: 60 })))).toEqual({
      message: '--query: 11001 points at a 1m step is more than 11000',
      field: '--step',
      file: undefined,
      suggestions: ['use a coarser --step or a shorter --range'],
    });
    expect(source.queries).toEqual(['missing']);
  });

  it("passes the caller's abort signal to the metrics source", async () => {
    const source = MemoryMetrics.fromPoints([load([[END, 1]])]);
    const range = { start: (END - 600) * 1000, end: END * 1000, step: 300 };
    expect(await historyFromMetrics(source, 'load', range)).toEqual([[END, 1]]);
    const controller = new AbortController();
    const reason = new Error('stopped by the operator');
    controller.abort(reason);
    expect(await rejection(historyFromMetrics(source, 'load', { ...range, signal: controller.signal }))).toBe(reason);
  });

  it('drops NaN samples (a stale or failed scrape) rather than fitting them', async () => {
    const source = MemoryMetrics.fromPoints([load([[END - 600, 1], [END - 300, Number.NaN], [END, 3]])]);
    expect(await historyFromMetrics(source, 'load', { start: (END - 600) * 1000, end: END * 1000, step: 300 })).toEqual([
      [END - 600, 1],
      [END, 3],
    ]);
  });
});
