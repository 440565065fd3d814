/**
 * Edges of the key sources in src/core/cache/sources.ts, from docs/cache.md "Sources": a byte-order mark is not
 * part of the first key or log line; the access log counts GET/HEAD with a 2xx or 3xx status (so 199 and 400 are
 * out) and reads the request line "METHOD target [PROTOCOL]"; template errors name the flag and the label; merged
 * popularity is each list's score ÷ its highest finite score, a negative or non-finite score counting as 0.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { InstrumentedMetrics } from '../../../fakes/instrumented-metrics.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { AccessLogCounter, mergeSources, parseKeyTemplate, popularKeysFromMetrics, renderKeyTemplate, toText, topPathsFromAccessLog } from '../../../../src/core/cache/sources.js';
import { rejectionOf } from './fakes.js';

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('no error thrown');
}

const line = (request: string, status: number): string => `198.51.100.1 - - [10/Oct/2026:13:55:36 +0000] "${request}" ${status} 10 "-" "-"`;

describe('toText', () => {
  it('drops a leading byte-order mark from text and from UTF-8 bytes, and only a leading one', () => {
    expect(toText('\uFEFFabc')).toBe('abc');
    expect(toText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(toText('a\uFEFF')).toBe('a\uFEFF');
    expect(toText('')).toBe('');
  });

  it('lets an access log that starts with a byte-order mark count its first line', () => {
    const { stats } = topPathsFromAccessLog(`\uFEFF${line('GET /a HTTP/1.1', 200)}`, { top: 5 });
    expect(stats).toEqual({ lines: 1, counted: 1, skipped: 0, malformed: 0 });
  });
});

describe('AccessLogCounter edges', () => {
  it('counts 200 and 399, skips 199 and 400', () => {
    const c = new AccessLogCounter();
    c.addText([line('GET /a HTTP/1.1', 199), line('GET /b HTTP/1.1', 200), line('GET /c HTTP/1.1', 399), line('GET /d HTTP/1.1', 400)].join('\n'));
    expect(c.top(10)).toEqual([
      { key: '/b', score: 1 },
      { key: '/c', score: 1 },
    ]);
    expect(c.stats).toEqual({ lines: 4, counted: 2, skipped: 2, malformed: 0 });
  });

  it('reads a request line of two or three words and calls any other malformed', () => {
    const c = new AccessLogCounter();
    c.addText([line('GET /http09', 200), line('GET /a b HTTP/1.1', 200), line('GET', 200)].join('\r\n'));
    expect(c.top(10)).toEqual([{ key: '/http09', score: 1 }]);
    expect(c.stats).toEqual({ lines: 3, counted: 1, skipped: 0, malformed: 2 });
  });

  it('does not count blank or whitespace-only lines at all', () => {
    const c = new AccessLogCounter();
    c.addText('\n   \n\t\n');
    expect(c.stats).toEqual({ lines: 0, counted: 0, skipped: 0, malformed: 0 });
  });

  it('keeps the path of an absolute-form target in any scheme case, and its query unless stripped', () => {
    const c = new AccessLogCounter({ methods: ['get'] });
    c.addLine(line('GET HTTPS://proxy.example/t/1?x=1 HTTP/1.1', 200));
    c.addLine(line('get https://proxy.example/t/1?x=1 HTTP/1.1', 200));
    expect(c.top(1)).toEqual([{ key: '/t/1?x=1', score: 2 }]);
    const s = new AccessLogCounter({ stripQuery: true });
    s.addLine(line('GET http://proxy.example/t/1?x=1 HTTP/1.1', 200));
    s.addLine(line('GET /t/1 HTTP/1.1', 200));
    s.addLine(line('GET /t/2?a?b HTTP/1.1', 200));
    expect(s.top(5)).toEqual([
      { key: '/t/1', score: 2 },
      { key: '/t/2', score: 1 },
    ]);
  });

  it('counts a path whose query holds a URL as that path, not as an absolute-form target', () => {
    const c = new AccessLogCounter();
    c.addLine(line('GET /go?to=http://x.example/y HTTP/1.1', 200));
    expect(c.top(1)).toEqual([{ key: '/go?to=http://x.example/y', score: 1 }]);
  });

  it('ranks a long log by count, ties in first-seen order', () => {
    // path k is requested (k mod 3) + 1 times, the requests of all paths interleaved
    const n = 120;
    const c = new AccessLogCounter();
    for (let round = 0; round < 3; round++) for (let k = 0; k < n; k++) if (k % 3 >= round) c.addLine(line(`GET /p/${k} HTTP/1.1`, 200));
    const byCount = (r: number): Array<{ key: string; score: number }> =>
      Array.from({ length: n }, (_, k) => k)
        .filter((k) => k % 3 === r)
        .map((k) => ({ key: `/p/${k}`, score: r + 1 }));
    expect(c.top(n)).toEqual([...byCount(2), ...byCount(1), ...byCount(0)]);
  });

  it('counts HEAD by default but no other method', () => {
    const c = new AccessLogCounter();
    c.addText([line('HEAD /h HTTP/1.1', 200), line('PUT /p HTTP/1.1', 200), line('OPTIONS /o HTTP/1.1', 200)].join('\n'));
    expect(c.top(5)).toEqual([{ key: '/h', score: 1 }]);
    expect(c.stats.skipped).toBe(2);
  });

  it('ranks by count, then first seen, whatever the insertion order of the counts', () => {
    const c = new AccessLogCounter();
    c.addText([line('GET /x HTTP/1.1', 200), line('GET /y HTTP/1.1', 200), line('GET /y HTTP/1.1', 200), line('GET /z HTTP/1.1', 200), line('GET /z HTTP/1.1', 200), line('GET /z HTTP/1.1', 200), line('GET /w HTTP/1.1', 200)].join('\n'));
    expect(c.top(3)).toEqual([
      { key: '/z', score: 3 },
      { key: '/y', score: 2 },
      { key: '/x', score: 1 },
    ]);
    expect(c.top(0)).toEqual([]);
  });
});

describe('key template errors', () => {
  it('quotes the bad placeholder and the template, and names the flag', () => {
    const err = inputError(() => parseKeyTemplate('t:{a-b}', '--popular-template'));
    expect(err.message).toBe('--popular-template: "{a-b}" is not a valid placeholder in "t:{a-b}"');
    expect(err.field).toBe('--popular-template');
    expect(err.suggestions).toEqual(['placeholders are label names in braces, e.g. title:{title} or /titles/{title}.json']);
  });

  it('accepts label-style names with underscores and digits after the first character', () => {
    expect(parseKeyTemplate('k:{_a1}:{B_2}').placeholders).toEqual(['_a1', 'B_2']);
    expect(inputError(() => parseKeyTemplate('k:{a b}')).message).toMatch(/"\{a b\}" is not a valid placeholder/);
  });

  it('says how to write a placeholder for an unbalanced brace', () => {
    const err = inputError(() => parseKeyTemplate('k:{a}}'));
    expect(err.message).toBe('--template: unbalanced brace in "k:{a}}"');
    expect(err.field).toBe('--template');
    expect(err.suggestions).toEqual(['write placeholders as {name}']);
  });

  it('suggests the required placeholders, or an example, for a template without any', () => {
    const bare = inputError(() => parseKeyTemplate('static'));
    expect(bare.message).toBe('--template: "static" has no {placeholder}, so every key would be the same');
    expect(bare.field).toBe('--template');
    expect(bare.suggestions).toEqual(['e.g. title:{title} or /titles/{title}.json']);
    expect(inputError(() => parseKeyTemplate('http://o/', '--origin', ['key', 'id'])).suggestions).toEqual(['include {key}, {id}']);
    expect(inputError(() => parseKeyTemplate('http://o/', '--origin', [])).suggestions).toEqual(['e.g. title:{title} or /titles/{title}.json']);
  });

  it('names the missing required placeholder with an example', () => {
    const err = inputError(() => parseKeyTemplate('http://o/{key}', '--origin', ['key', 'id']));
    expect(err.message).toBe('--origin: "http://o/{key}" must contain {id}');
    expect(err.field).toBe('--origin');
    expect(err.suggestions).toEqual(['e.g. http://origin/items/{id}']);
    expect(parseKeyTemplate('http://o/{id}/{key}', '--origin', ['key', 'id']).placeholders).toEqual(['id', 'key']);
  });

  it('explains a series without labels and how to keep the label', () => {
    const err = inputError(() => renderKeyTemplate(parseKeyTemplate('title:{title}'), {}));
    expect(err.message).toBe('--template: the label "title" used in "title:{title}" is missing');
    expect(err.field).toBe('--template');
    expect(err.suggestions).toEqual(['the series has no labels: aggregate with `sum by (<label>)`', 'make the query keep "title", e.g. sum by (title) (...)']);
    expect(inputError(() => renderKeyTemplate(parseKeyTemplate('t:{x}'), { y: '1' }, '--key')).field).toBe('--key');
  });

  it('fills an empty label value as empty', () => {
    expect(renderKeyTemplate(parseKeyTemplate('t:{x}:{y}'), { x: '', y: 'b' })).toBe('t::b');
  });
});

describe('popularKeysFromMetrics options', () => {
  const T = 1_700_000_000;
  const metrics = (): InstrumentedMetrics<MemoryMetrics> =>
    new InstrumentedMetrics(MemoryMetrics.fromPoints([{ labels: { __name__: 'p', title: 'a' }, points: [[T, 1]] }], { now: () => T * 1000 }));

  it('evaluates at the server’s now without a time', async () => {
    const m = metrics();
    expect(await popularKeysFromMetrics(m, { query: 'p', template: 'k:{title}' })).toEqual([{ key: 'k:a', score: 1 }]);
    expect(m.instantCalls).toEqual([{ query: 'p', time: undefined }]);
  });

  it('orders any query’s samples by value, ties in the order the server gave', async () => {
    // a plain selector, not topk: the server's order is the series order, not by value
    const n = 120;
    const series = Array.from({ length: n }, (_, k) => ({ labels: { __name__: 'p', title: `t${String(k).padStart(3, '0')}` }, points: [[T, k % 4] as [number, number]] }));
    const m = new InstrumentedMetrics(MemoryMetrics.fromPoints(series));
    const got = await popularKeysFromMetrics(m, { query: 'p', template: 'k:{title}', time: T * 1000 });
    const samples = await MemoryMetrics.fromPoints(series).instant('p', { time: T * 1000 });
    const level = (v: number): Array<{ key: string; score: number }> => samples.filter((s) => s.value === v).map((s) => ({ key: `k:${s.labels.title as string}`, score: v }));
    expect(got).toEqual([...level(3), ...level(2), ...level(1), ...level(0)]);
  });

  it('names --template in label errors by default', async () => {
    const m = metrics();
    const err = await rejectionOf(popularKeysFromMetrics(m, { query: 'p', template: 'k:{show}', time: T * 1000 }));
    expect((err as InputError).message).toMatch(/^--template: the label "show"/);
  });

  it('stops when the caller aborts', async () => {
    const m = metrics();
    const ctl = new AbortController();
    ctl.abort(new Error('cancelled'));
    const err = await rejectionOf(popularKeysFromMetrics(m, { query: 'p', template: 'k:{title}', signal: ctl.signal, time: T * 1000 }));
    expect((err as Error).message).toBe('cancelled');
  });
});

describe('mergeSources popularity', () => {
  it('normalises by the highest finite score; negative and non-finite scores count as 0', () => {
    const list = [
      { key: 'inf', score: Number.POSITIVE_INFINITY },
      { key: 'neg', score: -5 },
      { key: 'half', score: 5 },
      { key: 'top', score: 10 },
      { key: 'zero', score: 0 },
    ];
    // top 1, half 0.5, then inf/neg/zero all 0 in first-seen order
    expect(mergeSources([list])).toEqual(['top', 'half', 'inf', 'neg', 'zero']);
  });

  it('compares lists by their normalised scores, a key keeping its best', () => {
    // a: 100/100 = 1 in the first list; b: 50/100 = 0.5 there but 3/3 = 1 in the second; c: 2/3 ≈ 0.667
    expect(mergeSources([[{ key: 'a', score: 100 }, { key: 'b', score: 50 }], [{ key: 'c', score: 2 }, { key: 'b', score: 3 }]])).toEqual(['a', 'b', 'c']);
    // a later, lower score does not lower it
    expect(mergeSources([[{ key: 'x', score: 1 }, { key: 'y', score: 4 }], [{ key: 'x', score: 1 }, { key: 'z', score: 2 }, { key: 'y', score: 1 }]])).toEqual(['y', 'z', 'x']);
  });

  it('puts unscored keys after scored ones even when seen first, a later score ranking a key seen unscored', () => {
    expect(mergeSources([['u1', { key: 'u2' }], [{ key: 's', score: 1 }, { key: 'u1', score: 0.5 }]])).toEqual(['s', 'u1', 'u2']);
    expect(mergeSources([[{ key: 's', score: 2 }, 'u'], ['v', { key: 't', score: 1 }]])).toEqual(['s', 't', 'u', 'v']);
  });

  it('keeps scored keys first and ties in first-seen order in long lists', () => {
    // s<k> has score (k mod 4) + 1, u<k> none, interleaved: s0 u0 s1 u1 ...
    const n = 80;
    const list: Array<string | { key: string; score: number }> = [];
    for (let k = 0; k < n; k++) list.push({ key: `s${k}`, score: (k % 4) + 1 }, `u${k}`);
    const level = (r: number): string[] => Array.from({ length: n }, (_, k) => k).filter((k) => k % 4 === r).map((k) => `s${k}`);
    const unscored = Array.from({ length: n }, (_, k) => `u${k}`);
    expect(mergeSources([list])).toEqual([...level(3), ...level(2), ...level(1), ...level(0), ...unscored]);
    // unscored keys first in the input still come after every scored one
    expect(mergeSources([unscored, list])).toEqual([...level(3), ...level(2), ...level(1), ...level(0), ...unscored]);
  });

  it('gives every key of an all-zero list popularity 0, ahead of unscored keys', () => {
    expect(mergeSources([['u'], [{ key: 'z1', score: 0 }, { key: 'z2', score: 0 }]])).toEqual(['z1', 'z2', 'u']);
  });
});
