import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors.js';
import { classifyCacheStatus, describeVariant, isCached, parseVary, resolveUrl, validateBaseUrl } from '../../../../src/core/cache/http-cache.js';

describe('classifyCacheStatus', () => {
  it.each([
    // nginx $upstream_cache_status
    [{ 'x-cache-status': 'HIT' }, 'hit'],
    [{ 'x-cache-status': 'MISS' }, 'miss'],
    [{ 'x-cache-status': 'EXPIRED' }, 'miss'],
    [{ 'x-cache-status': 'STALE' }, 'stale'],
    [{ 'x-cache-status': 'UPDATING' }, 'stale'],
    [{ 'x-cache-status': 'REVALIDATED' }, 'hit'],
    [{ 'x-cache-status': 'BYPASS' }, 'bypass'],
    // Cloudflare
    [{ 'cf-cache-status': 'HIT' }, 'hit'],
    [{ 'cf-cache-status': 'DYNAMIC' }, 'bypass'],
    [{ 'cf-cache-status': 'expired' }, 'miss'],
    // Varnish, Squid, CloudFront, Fastly (shield, edge)
    [{ 'x-cache': 'HIT' }, 'hit'],
    [{ 'x-cache': 'TCP_MEM_HIT' }, 'hit'],
    [{ 'x-cache': 'TCP_MISS' }, 'miss'],
    [{ 'x-cache': 'Hit from cloudfront' }, 'hit'],
    [{ 'x-cache': 'RefreshHit from cloudfront' }, 'hit'],
    [{ 'x-cache': 'Miss from cloudfront' }, 'miss'],
    [{ 'x-cache': 'MISS, HIT' }, 'hit'],
    [{ 'x-cache': 'HIT, MISS' }, 'miss'],
    // Age
    [{ age: '120' }, 'hit'],
    [{ age: '0' }, 'unknown'],
    [{ age: 'soon' }, 'unknown'],
    [{}, 'unknown'],
    [{ 'x-cache': 'Error from cloudfront' }, 'unknown'],
  ])('%j → %s', (headers, verdict) => {
    expect(classifyCacheStatus(headers).verdict).toBe(verdict);
  });

  it('prefers X-Cache-Status over CF-Cache-Status over X-Cache over Age, skipping unreadable ones', () => {
    expect(classifyCacheStatus({ 'x-cache-status': 'MISS', 'cf-cache-status': 'HIT', 'x-cache': 'HIT', age: '5' })).toEqual({
      verdict: 'miss',
      header: 'x-cache-status',
      value: 'MISS',
    });
    expect(classifyCacheStatus({ 'x-cache-status': ' ', 'cf-cache-status': 'weird', 'x-cache': 'MISS', age: '5' }).header).toBe('x-cache');
    expect(classifyCacheStatus({ 'x-cache': '???', age: '7' })).toEqual({ verdict: 'hit', header: 'age', value: '7' });
  });

  it('counts hit and stale as cached', () => {
    expect(['hit', 'stale', 'miss', 'bypass', 'unknown'].map((v) => isCached(v as never))).toEqual([true, true, false, false, false]);
  });
});

describe('parseVary', () => {
  it('gives one plain variant without specs', () => {
    expect(parseVary([])).toEqual([{}]);
  });

  it('expands values and multiplies specs (first spec slowest)', () => {
    expect(parseVary(['Accept-Encoding: gzip,br', 'Accept-Language: en, de'])).toEqual([
      { 'Accept-Encoding': 'gzip', 'Accept-Language': 'en' },
      { 'Accept-Encoding': 'gzip', 'Accept-Language': 'de' },
      { 'Accept-Encoding': 'br', 'Accept-Language': 'en' },
      { 'Accept-Encoding': 'br', 'Accept-Language': 'de' },
    ]);
  });

  it('splits on | when values contain commas, and drops repeated values', () => {
    expect(parseVary(['Accept: text/html,*/*|application/json|application/json'])).toEqual([{ Accept: 'text/html,*/*' }, { Accept: 'application/json' }]);
  });

  it('has product-of-value-counts variants, all distinct', () => {
    const values = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,4}$/), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(values, { maxLength: 3 }), (specs) => {
        const variants = parseVary(specs.map((v, i) => `X-H${i}: ${v.join(',')}`));
        const expected = specs.reduce((n, v) => n * v.length, 1);
        return variants.length === expected && new Set(variants.map(describeVariant)).size === expected;
      }),
    );
  });

  it.each([['Accept-Encoding gzip'], [': gzip'], ['Bad Header: x'], ['Accept-Encoding: gzip,,br'], ['Accept-Encoding:']])('rejects %j', (spec) => {
    expect(() => parseVary([spec])).toThrow(InputError);
    expect(() => parseVary([spec])).toThrow(/^--vary: /);
  });

  it('rejects the same header twice, case-insensitively', () => {
    expect(() => parseVary(['Accept-Encoding: gzip', 'accept-encoding: br'])).toThrow(/given twice/);
  });

  it('describes variants', () => {
    expect(describeVariant({ A: '1', B: '2' })).toBe('A=1; B=2');
    expect(describeVariant({})).toBe('');
  });
});

describe('resolveUrl', () => {
  it('uses absolute keys as they are and joins paths onto the base, keeping its path', () => {
    expect(resolveUrl('https://other/x', 'http://cdn')).toBe('https://other/x');
    expect(resolveUrl('/titles/1', 'http://cdn/prefix/')).toBe('http://cdn/prefix/titles/1');
    expect(resolveUrl('titles/1', 'http://cdn/prefix')).toBe('http://cdn/prefix/titles/1');
    expect(resolveUrl('HTTP://A/b')).toBe('HTTP://A/b');
  });

  it('needs a base for relative keys', () => {
    expect(() => resolveUrl('/titles/1')).toThrow(/^--base-url: the key "\/titles\/1" is not an absolute URL/);
  });

  it('validates base URLs', () => {
    expect(validateBaseUrl('https://cdn.example/p')).toBe('https://cdn.example/p');
    for (const bad of ['cdn.example', 'ftp://x', 'http://x/?q=1', 'http://x/#f', 'http://[bad']) {
      expect(() => validateBaseUrl(bad), bad).toThrow(InputError);
    }
  });
});
