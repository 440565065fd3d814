/**
 * The journal's error lines: what `exception` holds for a failed activity
 * (chaostoolkit writes a traceback there; relia writes one line). An Error
 * keeps its class name, so a reader can tell a timeout from a refusal; any
 * other thrown value is written as its string, and one with no string form
 * (a null-prototype object) still gives a line instead of a crash.
 */
import { describe, expect, it } from 'vitest';
import { errorLines, iso } from '../../../../src/core/chaos/journal.js';

class ProbeTimeout extends Error {
  override name = 'ProbeTimeout';
}

describe('errorLines', () => {
  it.each<[string, unknown, string[]]>([
    ['an Error', new Error('connection refused'), ['Error: connection refused']],
    ['an Error subclass keeps its name', new ProbeTimeout('no answer in 5s'), ['ProbeTimeout: no answer in 5s']],
    ['a TypeError', new TypeError('x is not a function'), ['TypeError: x is not a function']],
    ['a thrown string', 'pod not found', ['pod not found']],
    ['a thrown number', 42, ['42']],
    ['undefined', undefined, ['undefined']],
    ['an Error with no message: its name alone', new Error(''), ['Error']],
    ['an object that only looks like an Error', { name: 'Error', message: 'fake' }, ['[object Object]']],
    ['an object with no string form does not crash the journal', Object.create(null) as unknown, ['[object Object]']],
  ])('%s', (_, thrown, lines) => {
    expect(errorLines(thrown)).toEqual(lines);
  });
});

describe('iso', () => {
  it('writes epoch milliseconds as UTC ISO 8601 with milliseconds', () => {
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(iso(Date.UTC(2026, 11, 3, 21, 7, 45, 12))).toBe('2026-12-03T21:07:45.012Z');
  });
});
