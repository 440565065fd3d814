/**
 * `cache invalidate --rewarm --origin TEMPLATE`: which templates are refused
 * (exit 2 naming --origin, before any request), which answers count as a
 * re-warm, and what the request and the SET carry (docs/cache.md).
 */
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../../../src/ports/http.js';
import { originRewarmer } from '../../../../src/core/cache/invalidate.js';
import { checkOriginTemplate } from '../../../../src/core/cache/origin-template.js';
import { expectInputError } from '../error-contract.js';
import { FakeClock, FakeHttp, FakeKv } from './fakes.js';

/** An origin that records each request as given and answers `status` with the URL as body. */
function origin(status = 200) {
  // The HTTP fake (MemoryHttp inside InstrumentedHttp) answers; on top, each request is kept as it was handed over
  // (timeoutMs, signal, no undefined keys), which InstrumentedHttp's own record does not keep.
  const client = new FakeHttp(new FakeClock(), (req) => ({ status, body: `v:${req.url}` }));
  const seen: HttpRequest[] = [];
  const request = client.request.bind(client);
  client.request = (req: HttpRequest): Promise<HttpResponse> => {
    seen.push(req);
    return request(req);
  };
  return { seen, client };
}

const lowest = () => 0;

describe('originRewarmer: templates', () => {
  it.each([
    ['a placeholder in the host', 'http://{key}.origin/items', 'may not be in the scheme or host'],
    ['no placeholder', 'http://origin/items/fixed', 'has no {placeholder}'],
    ['another placeholder instead of {key}', 'http://origin/items/{id}', 'must contain {key}'],
    ['a second placeholder', 'http://origin/items/{key}/{lang}', 'with only {key}'],
    ['a placeholder that is no name', 'http://origin/items/{key}/{1x}', 'is not a valid placeholder'],
    ['a scheme that is not http(s)', 'ftp://origin/items/{key}', 'expected an http:// or https:// URL template'],
  ])('refuses %s, naming --origin', (_, template, mention) => {
    const { client } = origin();
    const cache = new FakeKv(new FakeClock());
    expectInputError(() => originRewarmer({ cache, origin: client, originUrl: template, random: lowest }), '--origin', [mention]);
  });

  it('refuses a template whose scheme a key could write ({key} before the scheme)', () => {
    for (const template of ['{key}http://origin/items', 'x{key}://origin/', ' http://origin/{key}']) {
      expectInputError(() => checkOriginTemplate(template, '--origin'), '--origin', ['expected an http(s) URL template', JSON.stringify(template)]);
    }
    expectInputError(() => checkOriginTemplate('{key}http://origin/items', '--manifest-origin'), '--manifest-origin', ['--manifest-origin:']);
  });
});

describe('originRewarmer: requests and writes', () => {
  it('GETs the percent-encoded key and SETs the body, with no TTL unless given', async () => {
    const { seen, client } = origin();
    const cache = new FakeKv(new FakeClock());
    await originRewarmer({ cache, origin: client, originUrl: 'https://origin/items/{key}?full=1', random: lowest })('a/b c');
    // no `timeoutMs: undefined` or `signal: undefined`: an adapter merging its defaults under the request keeps them
    expect(seen).toStrictEqual([{ method: 'GET', url: 'https://origin/items/a%2Fb%20c?full=1' }]);
    expect(cache.value('a/b c')).toBe('v:https://origin/items/a%2Fb%20c?full=1');
    expect(cache.ttl('a/b c')).toBe(-1);
    expect(cache.sets).toEqual([{ key: 'a/b c', value: Buffer.from('v:https://origin/items/a%2Fb%20c?full=1') }]);
  });

  it('passes the timeout and the signal to the origin request when given', async () => {
    const { seen, client } = origin();
    const cache = new FakeKv(new FakeClock());
    const signal = new AbortController().signal;
    await originRewarmer({ cache, origin: client, originUrl: 'http://origin/{key}', random: lowest, timeoutMs: 2500, signal, headers: { accept: 'text/plain' } })('k');
    expect(seen).toEqual([{ method: 'GET', url: 'http://origin/k', timeoutMs: 2500, signal, headers: { accept: 'text/plain' } }]);
  });

  it('jitters the TTL by ±10 % by default, by --ttl-jitter when given, not at all with 0', async () => {
    const { client } = origin();
    const cache = new FakeKv(new FakeClock());
    // random() = 0 is the low end of the jitter: TTL × (1 − jitter)
    await originRewarmer({ cache, origin: client, originUrl: 'http://origin/{key}', ttlSeconds: 100, random: lowest })('d');
    await originRewarmer({ cache, origin: client, originUrl: 'http://origin/{key}', ttlSeconds: 100, ttlJitter: 0.5, random: lowest })('h');
    await originRewarmer({ cache, origin: client, originUrl: 'http://origin/{key}', ttlSeconds: 100, ttlJitter: 0, random: lowest })('z');
    expect([cache.ttl('d'), cache.ttl('h'), cache.ttl('z')]).toEqual([90, 50, 100]);
  });

  it.each([
    [199, false],
    [200, true],
    [204, true],
    [299, true],
    [300, false],
    [304, false],
    [404, false],
  ])('an origin answer %i re-warms: %s', async (status, ok) => {
    const { client } = origin(status);
    const cache = new FakeKv(new FakeClock());
    const run = originRewarmer({ cache, origin: client, originUrl: 'http://origin/{key}', random: lowest })('k');
    if (ok) {
      await run;
      expect(cache.has('k')).toBe(true);
    } else {
      await expect(run).rejects.toThrow(`http ${status}`);
      expect(cache.has('k')).toBe(false);
    }
  });
});
