// Tolerances, case by case, as docs/chaos.md states them (chaostoolkit's
// within_tolerance semantics): equality, a status of a dict, a two-number list
// as an inclusive range, membership otherwise, range/regex/jsonpath with a
// target, and the JSONPath subset. Found by mutation testing
// (docs/testing.md#mutation-testing): most of these branches had no test.
import { describe, expect, it } from 'vitest';
import { jsonPath, parseJsonPath, withinTolerance } from '../../../../src/core/chaos/tolerance.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('plain tolerances', () => {
  it('booleans and strings: strict equality', () => {
    expect([withinTolerance(true, true), withinTolerance(true, 'true'), withinTolerance('ok', 'ok'), withinTolerance('ok', 'OK')]).toEqual([true, false, true, false]);
  });

  it('a number: equal to the value, or to the status of a dict value', () => {
    expect([withinTolerance(200, 200), withinTolerance(200, { status: 200, body: 'x' }), withinTolerance(200, { status: 500 }), withinTolerance(200, null), withinTolerance(200, { code: 200 })]).toEqual([true, true, false, false, false]);
  });

  it('a two-number list is an inclusive range of a plain number', () => {
    expect([199, 200, 250, 299, 300].map((v) => withinTolerance([200, 299], v))).toEqual([false, true, true, true, false]);
  });

  it('a dict value is matched by membership of its status, never as a range', () => {
    expect(withinTolerance([200, 299], { status: 250 })).toBe(false);
    expect(withinTolerance([200, 299], { status: 299 })).toBe(true);
    expect(withinTolerance([200, 204], { status: null })).toBe(false);
    expect(withinTolerance([200, 299], null)).toBe(false);
  });

  it('any other list is membership', () => {
    expect([withinTolerance([200, 201, 204], 204), withinTolerance([200, 201, 204], 202), withinTolerance(['a', 'b'], 'a')]).toEqual([true, false, true]);
    // two items but not two numbers, or a value that is not a number: membership
    expect([withinTolerance([1, 'x'], 1), withinTolerance([1, 'x'], 0.5), withinTolerance([1, 5], '3'), withinTolerance(['1', 5] as never, 3)]).toEqual([true, false, false, false]);
    expect(withinTolerance([1, 5, 9] as never, 3)).toBe(false);
  });
});

describe('range', () => {
  const r = { type: 'range' as const, range: [0, 10] as [number, number] };
  it('inclusive at both ends; numeric strings count, blank ones do not', () => {
    expect([-1, 0, 10, 10.5].map((v) => withinTolerance(r, v))).toEqual([false, true, true, false]);
    expect(['5', ' 7 ', '', '   ', 'abc', null, true].map((v) => withinTolerance(r, v))).toEqual([true, true, false, false, false, false, false]);
    expect(withinTolerance({ type: 'range', range: [-5, -1] }, '')).toBe(false);
  });

  it('a target picks a field of a dict; a missing field, or a value that is not a dict, is the value itself', () => {
    expect(withinTolerance({ ...r, target: 'body' }, { body: 5 })).toBe(true);
    expect(withinTolerance({ ...r, target: 'body' }, { body: 50 })).toBe(false);
    expect(withinTolerance({ ...r, target: 'body' }, { status: 5 })).toBe(false);
    expect(withinTolerance({ ...r, target: 'body' }, 5)).toBe(true);
    expect(withinTolerance({ ...r, target: 'body' }, null)).toBe(false);
    expect(withinTolerance({ ...r, target: '0' }, [50])).toBe(false);
  });
});

describe('regex', () => {
  it('searches the text: a string as is, bytes decoded, anything else as JSON', () => {
    const re = (pattern: string, target?: string) => ({ type: 'regex' as const, pattern, ...(target ? { target } : {}) });
    expect(withinTolerance(re('ok'), 'all ok here')).toBe(true);
    expect(withinTolerance(re('^x$'), 'x')).toBe(true);
    expect(withinTolerance(re('^200$'), 200)).toBe(true);
    expect(withinTolerance(re('^hello$'), bytes('hello'))).toBe(true);
    expect(withinTolerance(re('"a":1'), { a: 1 })).toBe(true);
    expect(withinTolerance(re('^$'), undefined)).toBe(true);
    expect(withinTolerance(re('^up$', 'state'), { state: 'up' })).toBe(true);
    expect(withinTolerance(re('^up$', 'state'), { state: 'down' })).toBe(false);
  });
});

describe('jsonpath', () => {
  const body = '{"items":[{"id":1},{"id":2}],"ok":true}';
  const jp = (path: string, more: Record<string, unknown> = {}) => ({ type: 'jsonpath' as const, path, ...more });
  it('parses a JSON string or bytes; expect compares all matches, count their number, else any match passes', () => {
    expect(withinTolerance(jp('$.items[*].id', { expect: [1, 2] }), body)).toBe(true);
    expect(withinTolerance(jp('$.items[*].id', { expect: [2, 1] }), body)).toBe(false);
    expect(withinTolerance(jp('$.items[0].id', { expect: 1 }), bytes(body))).toBe(true);
    expect(withinTolerance(jp('$.items[*]', { count: 2 }), body)).toBe(true);
    expect(withinTolerance(jp('$.items[*]', { count: 3 }), body)).toBe(false);
    expect(withinTolerance(jp('$.ok'), body)).toBe(true);
    expect(withinTolerance(jp('$.nothing'), body)).toBe(false);
    expect(withinTolerance(jp('$.nothing', { count: 0 }), body)).toBe(true);
    // not JSON: the string itself
    expect(withinTolerance(jp('$', { expect: 'plain text' }), 'plain text')).toBe(true);
    expect(withinTolerance(jp('$.a', { target: 'body', expect: 1 }), { body: '{"a":1}' })).toBe(true);
    expect(withinTolerance(jp('$.a', { target: 'body', expect: 1 }), { body: bytes('{"a":1}') })).toBe(true);
  });

  it('expect is a deep comparison: same keys, same values, arrays are not objects', () => {
    const value = { a: [1, 2], b: { c: null } };
    expect(withinTolerance(jp('$', { expect: [{ a: [1, 2], b: { c: null } }] }), value)).toBe(true);
    expect(withinTolerance(jp('$', { expect: [{ a: [1, 3], b: { c: null } }] }), value)).toBe(false);
    expect(withinTolerance(jp('$', { expect: [{ a: [1, 2] }] }), value)).toBe(false);
    expect(withinTolerance(jp('$', { expect: [{ a: [1, 2], b: { c: null }, d: 1 }] }), value)).toBe(false);
    expect(withinTolerance(jp('$', { expect: [{ a: { 0: 1, 1: 2 }, b: { c: null } }] }), value)).toBe(false);
    expect(withinTolerance(jp('$.b.c', { expect: [{}] }), value)).toBe(false);
    expect(withinTolerance(jp('$.b', { expect: [null] }), value)).toBe(false);
    expect(withinTolerance(jp('$.b.c', { expect: [null] }), value)).toBe(true);
    expect(withinTolerance(jp('$.a', { expect: [[1, 2]] }), value)).toBe(true);
    expect(withinTolerance(jp('$.a[0]', { expect: ['1'] }), value)).toBe(false);
    // a number is never equal to an empty dict, either way round
    expect(withinTolerance(jp('$.x', { expect: [1] }), { x: {} })).toBe(false);
    expect(withinTolerance(jp('$.x', { expect: [{}] }), { x: 1 })).toBe(false);
  });

  it('only a string is parsed as JSON (an array value stays an array)', () => {
    expect(withinTolerance(jp('$[0]', { expect: 1 }), [1])).toBe(true);
  });
});

describe('the JSONPath subset', () => {
  it('parses each supported step, trimming the text', () => {
    expect(parseJsonPath(' $.a ')).toEqual([{ kind: 'key', key: 'a' }]);
    expect(parseJsonPath('$..*')).toEqual([{ kind: 'descend', key: null }]);
    expect(parseJsonPath('$..*.id')).toEqual([{ kind: 'descend', key: null }, { kind: 'key', key: 'id' }]);
    expect(parseJsonPath('$..name')).toEqual([{ kind: 'descend', key: 'name' }]);
    expect(parseJsonPath('$.*.a')).toEqual([{ kind: 'wild' }, { kind: 'key', key: 'a' }]);
    expect(parseJsonPath(`$['a b']["c"][12][-1][*]`)).toEqual([{ kind: 'key', key: 'a b' }, { kind: 'key', key: 'c' }, { kind: 'index', index: 12 }, { kind: 'index', index: -1 }, { kind: 'wild' }]);
    expect(parseJsonPath(`$[ "ab" ]`)).toEqual([{ kind: 'key', key: 'ab' }]);
    expect(parseJsonPath('$')).toEqual([]);
  });

  it('refuses anything else with the reason', () => {
    expect(() => parseJsonPath('a.b')).toThrow('a JSONPath starts with $');
    expect(() => parseJsonPath('$x')).toThrow(/^unsupported JSONPath at "x"$/);
    expect(() => parseJsonPath('$.')).toThrow('unsupported JSONPath at "."');
    expect(() => parseJsonPath('$.1a')).toThrow('unsupported JSONPath at ".1a"');
    expect(() => parseJsonPath('$..[0]')).toThrow('unsupported JSONPath at "..[0]"');
    expect(() => parseJsonPath('$[x][0]')).toThrow(`unsupported JSONPath at "[x][0]" (relia supports $, .key, ['key'], [n], [*], .* and ..key)`);
    expect(() => parseJsonPath('$[?(@.a)]')).toThrow(/relia supports/);
  });

  it('evaluates keys only on dicts, indexes only on arrays (negative from the end), wildcards on containers', () => {
    const at = (path: string, root: unknown) => jsonPath(parseJsonPath(path), root);
    expect(at('$.length', [1, 2])).toEqual([]);
    expect(at('$.length', 'abc')).toEqual([]);
    expect(at('$.a', null)).toEqual([]);
    expect(at('$.a', { b: { a: 2 } })).toEqual([]);
    expect(at('$[0]', 'abc')).toEqual([]);
    expect(at('$[0]', { 0: 'x' })).toEqual([]);
    expect([at('$[-1]', [1, 2, 3]), at('$[-3]', [1, 2, 3]), at('$[-4]', [1, 2, 3]), at('$[2]', [1, 2, 3]), at('$[3]', [1, 2, 3])]).toEqual([[3], [1], [], [3], []]);
    expect(at('$[*]', { a: 1, b: [2] })).toEqual([1, [2]]);
    expect(at('$.a[*]', { a: null })).toEqual([]);
    expect(at('$.a[*]', { a: 5 })).toEqual([]);
  });

  it('descends in document order, to every value or to every value of a key', () => {
    const at = (path: string, root: unknown) => jsonPath(parseJsonPath(path), root);
    expect(at('$..*', { a: { b: 1 }, c: [2] })).toEqual([{ b: 1 }, 1, [2], 2]);
    expect(at('$..id', { id: 1, x: { id: 2, y: [{ id: 3 }, null, 'id'] }, z: null })).toEqual([1, 2, 3]);
    expect(at('$..*', { a: null })).toEqual([null]);
  });
});
