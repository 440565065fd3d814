/**
 * Edges of src/core/cache/http-cache.ts: the cache verdicts docs/cache.md ("HTTP target") lists, in any case
 * and in the multi-cache X-Cache form; the Age rule (RFC 9111 §5.1: Age is a whole number of seconds); the
 * --vary refusals with the field and the suggestion a user sees; joining keys onto --base-url.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { classifyCacheStatus, parseVary, resolveUrl, validateBaseUrl } from '../../../../src/core/cache/http-cache.js';

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('no error thrown');
}

describe('classifyCacheStatus: values read word by word', () => {
  it.each([
    ['revalidated', 'hit'],
    ['refreshhit', 'hit'],
    ['TCP_REFRESH_HIT', 'hit'],
    ['stale', 'stale'],
    ['updating', 'stale'],
    ['expired', 'miss'],
    ['miss', 'miss'],
    ['bypass', 'bypass'],
    ['dynamic', 'bypass'],
    ['PASS', 'bypass'],
    ['NONE', 'bypass'],
    ['UNCACHEABLE', 'bypass'],
    ['Pass from edge', 'bypass'],
  ])('X-Cache %j → %s', (value, verdict) => {
    expect(classifyCacheStatus({ 'x-cache': value })).toEqual({ verdict, header: 'x-cache', value });
  });

  it.each([['HITS'], ['XHIT'], ['MISSING'], ['AMISS'], ['STALEISH'], ['BYPASSED'], ['constructor'], ['__proto__'], ['toString'], [','], [' , ']])(
    'X-Cache %j says nothing',
    (value) => {
      expect(classifyCacheStatus({ 'x-cache': value })).toEqual({ verdict: 'unknown' });
    },
  );

  it('reads the last cache of a list, ignoring empty entries after it', () => {
    expect(classifyCacheStatus({ 'x-cache': 'MISS, HIT, ' }).verdict).toBe('hit');
    expect(classifyCacheStatus({ 'x-cache': 'HIT,MISS,' }).verdict).toBe('miss');
  });

  it('skips an empty status header for the next one', () => {
    expect(classifyCacheStatus({ 'x-cache-status': '', 'cf-cache-status': 'HIT' })).toEqual({ verdict: 'hit', header: 'cf-cache-status', value: 'HIT' });
  });
});

describe('classifyCacheStatus: Age', () => {
  it.each([[' 7 '], ['1'], ['86400']])('Age %j is a hit', (age) => {
    expect(classifyCacheStatus({ age })).toEqual({ verdict: 'hit', header: 'age', value: age });
  });

  it.each([['+5'], ['-5'], ['1e3'], ['0x10'], ['5s'], ['5 6'], ['00'], ['']])('Age %j is not a number of seconds above 0', (age) => {
    expect(classifyCacheStatus({ age }).verdict).toBe('unknown');
  });
});

describe('parseVary refusals', () => {
  it('names the flag and shows the expected form for a spec without a header name', () => {
    for (const spec of ['Accept-Encoding gzip', 'Accept-Encoding', ': gzip', 'Bad Header: x']) {
      const err = inputError(() => parseVary([spec]));
      expect(err.message).toBe(`--vary: expected "Header-Name: value1,value2", got ${JSON.stringify(spec)}`);
      expect(err.field).toBe('--vary');
      expect(err.suggestions).toEqual(["--vary 'Accept-Encoding: gzip,br'"]);
    }
  });

  it('accepts every token character in a header name', () => {
    expect(parseVary(["X-a.b_c~d!#$%&'*+^`|0: v"])).toEqual([{ "X-a.b_c~d!#$%&'*+^`|0": 'v' }]);
  });

  it.each([['X-A: a\r\nX-B: b'], ['X-A: a\nb'], ['X-A: a\0']])('refuses CR, LF or NUL in a value: %j', (spec) => {
    const err = inputError(() => parseVary([spec], '--header'));
    expect(err.message).toBe('--header: a header value may not contain CR, LF or NUL');
    expect(err.field).toBe('--header');
    expect(err.suggestions).toEqual(["--vary 'Accept-Encoding: gzip,br'"]);
  });

  it('names the spec with an empty value', () => {
    const err = inputError(() => parseVary(['Accept: a||b']));
    expect(err.message).toBe('--vary: empty value in "Accept: a||b"');
    expect(err.suggestions).toEqual(["--vary 'Accept-Encoding: gzip,br'"]);
  });

  it('names the header given twice and how to list its values once', () => {
    const err = inputError(() => parseVary(['Accept-Encoding: gzip', 'accept-encoding: br']));
    expect(err.message).toBe('--vary: header accept-encoding is given twice');
    expect(err.suggestions).toEqual(["list every value once: --vary 'accept-encoding: a,b'"]);
  });

  it('trims the header name and each value', () => {
    expect(parseVary(['  Accept-Language  :  en | de  '])).toEqual([{ 'Accept-Language': 'en' }, { 'Accept-Language': 'de' }]);
  });
});

describe('resolveUrl and validateBaseUrl', () => {
  it('joins with exactly one slash however many the base ends with and the key starts with', () => {
    expect(resolveUrl('//titles/1', 'http://cdn/prefix//')).toBe('http://cdn/prefix/titles/1');
  });

  it('treats a key that only contains a URL as a path', () => {
    expect(resolveUrl('/go?to=http://x/y', 'http://cdn')).toBe('http://cdn/go?to=http://x/y');
    expect(resolveUrl('https:/one-slash', 'http://cdn')).toBe('http://cdn/https:/one-slash');
  });

  it('names the flag, the key and the fixes when a relative key has no base', () => {
    const err = inputError(() => resolveUrl('titles/1'));
    expect(err.message).toBe('--base-url: the key "titles/1" is not an absolute URL and no base URL was given');
    expect(err.field).toBe('--base-url');
    expect(err.suggestions).toEqual(['pass --base-url http://cache.example', 'or list absolute URLs']);
    expect(inputError(() => resolveUrl('x', undefined, '--url')).message).toMatch(/^--url: /);
  });

  it('names the flag and the value of a bad base URL', () => {
    const err = inputError(() => validateBaseUrl('http://x/?q=1'));
    expect(err.message).toBe('--base-url: expected an http(s) URL without query or fragment, got "http://x/?q=1"');
    expect(err.field).toBe('--base-url');
    expect(err.suggestions).toEqual(['e.g. --base-url https://cdn.example.com']);
    expect(inputError(() => validateBaseUrl('x', '--cdn')).field).toBe('--cdn');
    expect(validateBaseUrl('HTTP://CDN.example')).toBe('HTTP://CDN.example');
  });
});
