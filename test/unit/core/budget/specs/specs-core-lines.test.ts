/**
 * Line numbers and generic fixes of spec problems (src/core/budget/specs/common.ts
 * lineOf and ProblemList), as docs/budget-specs.md "Problems are reported all at
 * once" promises them: every problem names its line when the document has one
 * (the line of the value, else of the deepest part of the path that exists), and
 * a problem without a fix gets one from what its message expects. Lines counted
 * by hand in the YAML texts below.
 */
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { lineOf, ProblemList, type DocContext } from '../../../../../src/core/budget/specs/common.js';
import { check } from './helpers.js';

function ctxOf(text: string): DocContext {
  const lineCounter = new LineCounter();
  return { file: 'f.yaml', prefix: '', doc: parseDocument(text, { lineCounter }), lineCounter };
}

describe('lineOf: the line of a path, or of its deepest existing part', () => {
  it('gives no line without both the document and its line counter', () => {
    const full = ctxOf('a: 1\nb: 2\n');
    expect(lineOf(full, ['b'])).toBe(2);
    expect(lineOf({ file: 'f.yaml', prefix: '', doc: full.doc! }, ['b'])).toBeUndefined();
    expect(lineOf({ file: 'f.yaml', prefix: '', lineCounter: full.lineCounter! }, ['b'])).toBeUndefined();
  });

  it('gives no line for an empty document', () => {
    expect(lineOf(ctxOf(''), [])).toBeUndefined();
    expect(lineOf(ctxOf(''), ['a'])).toBeUndefined();
  });

  it('a key written without a value is at the line of its key', () => {
    expect(lineOf(ctxOf('a: 1\nb:\nc: 3\n'), ['b'])).toBe(2);
    expect(lineOf(ctxOf('a: 1\nb:\nc: 3\n'), ['b', 'x'])).toBe(2);
  });

  it('a path below a scalar stops at the scalar', () => {
    expect(lineOf(ctxOf('a: 1\nb: text\n'), ['b', 'c', 0])).toBe(2);
  });

  it('an index past the end of a list stops at the list', () => {
    expect(lineOf(ctxOf('a: 1\nlist:\n  - x\n  - y\n'), ['list', 1])).toBe(4);
    expect(lineOf(ctxOf('a: 1\nlist:\n  - x\n  - y\n'), ['list', 5])).toBe(3);
  });

  it('a name under a list (even "length") stops at the list', () => {
    expect(lineOf(ctxOf('a: 1\nlist: [x, y]\n'), ['list', 'length'])).toBe(2);
  });
});

describe('a spec field written without a value', () => {
  it('is reported at the line of its key', () => {
    const r = check('apiVersion: relia/v1\nkind: SLO\nservice: checkout\nname: a\nobjective:\nwindow: 30d\n');
    const objective = r.problems.find((p) => p.path === 'objective');
    expect(objective?.message).toMatch(/ \(line 5\)$/);
  });
});

describe('the generic fix from what a message expects', () => {
  it('leaves the line number of the message out of the fix, also for lines of two digits', () => {
    const p = new ProblemList();
    p.push({ file: 'f', path: 'x', message: 'expected a mapping (line 12)' }, 0);
    p.push({ file: 'f', path: 'y', message: 'expected a list, got 5 (line 7)' }, 0);
    expect(p.items.map((i) => i.suggestion)).toEqual(['write x as a mapping (see docs/budget-specs.md)', 'write y as a list (see docs/budget-specs.md)']);
  });
});

describe('problems on the same line', () => {
  it('stay in the order found, however many there are', () => {
    const p = new ProblemList();
    const paths = Array.from({ length: 50 }, (_, i) => `f${i}`);
    for (const path of paths) p.push({ file: 'f', path, message: 'm', suggestion: 's' }, 0, 3);
    p.push({ file: 'f', path: 'first', message: 'm', suggestion: 's' }, 0, 1);
    expect(p.items.map((i) => i.path)).toEqual(['first', ...paths]);
  });
});
