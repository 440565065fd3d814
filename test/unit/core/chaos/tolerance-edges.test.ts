// Tolerance edges (docs/chaos.md "Tolerances", chaostoolkit's semantics):
// without `target` the whole value is tested, whatever its keys are called;
// `[*]` over a list visits its elements, only those, in order. Found by
// mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { jsonPath, parseJsonPath, withinTolerance } from '../../../../src/core/chaos/tolerance.js';

describe('no target: the whole value', () => {
  it('a range without target tests the value itself, even one with a key named "undefined"', () => {
    const value = JSON.parse('{"undefined": 5}') as unknown;
    expect(withinTolerance({ type: 'range', range: [0, 10] }, value)).toBe(false);
    expect(withinTolerance({ type: 'range', range: [0, 10], target: 'undefined' }, value)).toBe(true);
  });
  it('a regex without target searches the JSON of the whole value', () => {
    expect(withinTolerance({ type: 'regex', pattern: '^\\{"undefined":"ok"\\}$' }, { undefined: 'ok' })).toBe(true);
  });
});

describe('[*] over a list', () => {
  it('visits the elements in order, and not other properties a list object carries', () => {
    const list = Object.assign([1, 2], { note: 'not an element' });
    expect(jsonPath(parseJsonPath('$[*]'), list)).toEqual([1, 2]);
    expect(jsonPath(parseJsonPath('$.*'), { a: list })).toEqual([list]);
  });
  it('a hole in a list is an element too (undefined)', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(jsonPath(parseJsonPath('$[*]'), [1, , 3])).toEqual([1, undefined, 3]);
  });
});
