/**
 * Two safety checks of `relia cache warm` (docs/cache.md): an origin template
 * may hold `{key}` only in its path, query or fragment (key data must never
 * choose the server), and an emitted manifest never carries a credential —
 * a Redis password moves to a Secret, anything else is refused (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { scrubManifestArgs } from '../../../../src/core/cache/manifest-secrets.js';
import { checkOriginTemplate } from '../../../../src/core/cache/origin-template.js';
import { expectInputError } from '../error-contract.js';

describe('checkOriginTemplate', () => {
  it('accepts a placeholder in the path, the query or the fragment, over http or https (any case)', () => {
    for (const ok of ['http://origin.internal/items/{key}', 'https://origin:8443/a?k={key}&v=1', 'HTTP://origin/x#{key}', 'http://127.0.0.1:8080/{key}', 'https://origin']) {
      expect(() => checkOriginTemplate(ok, '--origin'), ok).not.toThrow();
    }
  });

  it('refuses a placeholder in the host, the port or the user info, naming the flag and showing the template', () => {
    for (const bad of ['http://{key}.example/x', 'http://origin:{key}/x', 'http://user{key}@origin/x', 'http://origin}/x']) {
      const e = expectInputError(() => checkOriginTemplate(bad, '--origin'), '--origin', ['may not be in the scheme or host', JSON.stringify(bad)]);
      expect(e.suggestions).toEqual(["--origin 'http://origin.internal/items/{key}'"]);
    }
  });

  it('refuses what is not an http(s) URL template', () => {
    expectInputError(() => checkOriginTemplate('origin/items/{key}', '--from'), '--from', ['--from: expected an http(s) URL template, got "origin/items/{key}"']);
    // a placeholder in the scheme is no scheme at all
    expectInputError(() => checkOriginTemplate('http{key}://origin/x', '--origin'), '--origin', ['expected an http(s) URL template']);
    expectInputError(() => checkOriginTemplate('ftp://origin/{key}', '--origin'), '--origin', ['expected an http:// or https:// URL template']);
    expectInputError(() => checkOriginTemplate('httpx://origin/{key}', '--origin'), '--origin', ['expected an http:// or https:// URL template']);
    expectInputError(() => checkOriginTemplate('xhttp://origin/{key}', '--origin'), '--origin', ['expected an http:// or https:// URL template']);
  });

  it('refuses a template that is no URL once {key} is filled in', () => {
    expectInputError(() => checkOriginTemplate('http://exa mple/{key}', '--origin'), '--origin', ['not a valid URL once {key} is filled in']);
    // every placeholder is filled, not only {key}
    expect(() => checkOriginTemplate('http://origin/{key}/{variant}', '--origin')).not.toThrow();
  });
});

describe('scrubManifestArgs', () => {
  it('moves one Redis password (in --target and --from, separate or with =) to a Secret', () => {
    const r = scrubManifestArgs(['cache', 'warm', '--target', 'redis://:s3cret@cache:6379/0', '--from=rediss://user:s3cret@src:6380', '--rate', '100/s'], 'relia-redis');
    expect(r.args).toEqual(['cache', 'warm', '--target', 'redis://cache:6379/0', '--from=rediss://user@src:6380', '--rate', '100/s']);
    expect(r.secretEnv).toEqual([{ env: 'RELIA_REDIS_PASSWORD', secret: 'relia-redis', key: 'password' }]);
    expect(r.secretsNeeded).toEqual([{ secret: 'relia-redis', key: 'password' }]);
    // -t is --target
    expect(scrubManifestArgs(['-t', 'redis://:pw@c'], 's').args).toEqual(['-t', 'redis://c']);
  });

  it('leaves arguments without credentials alone and asks for no Secret', () => {
    const args = ['cache', 'warm', '--target', 'redis://cache:6379', '--header', 'Accept: text/html', '-H', 'X-Trace: 1', '--origin', 'http://o/{key}', '--dry-run', 'positional'];
    expect(scrubManifestArgs(args, 's')).toEqual({ args, secretEnv: [], secretsNeeded: [] });
    // a flag followed by another flag has no value to scrub
    expect(scrubManifestArgs(['--yes', '--target', 'redis://c'], 's').args).toEqual(['--yes', '--target', 'redis://c']);
  });

  it('refuses two different Redis passwords (one Secret holds one)', () => {
    const e = expectInputError(() => scrubManifestArgs(['--target', 'redis://:a@c', '--from', 'redis://:b@d'], 's'), '--from', ['different passwords']);
    expect(e.suggestions[0]).toMatch(/one Redis user for both/);
    // the same password twice is one Secret
    expect(scrubManifestArgs(['--target', 'redis://:a@c', '--from', 'redis://:a@d'], 's').secretEnv).toHaveLength(1);
  });

  it('refuses a credential header, in either spelling of the flag and with =', () => {
    for (const args of [['--header', 'Authorization: Bearer x'], ['-H', 'Cookie: a=b'], ['--header=X-Api-Key: k']]) {
      const e = expectInputError(() => scrubManifestArgs(args, 's'), '--header', ['the manifest would carry the credential header']);
      expect(e.suggestions[0]).toMatch(/headersFromEnv/);
    }
  });

  it('refuses a password anywhere else: another flag, a non-Redis URL in --target, a bare argument', () => {
    expectInputError(() => scrubManifestArgs(['--origin', 'http://u:pw@o/{key}'], 's'), '--origin', ['--emit: the manifest would carry a password in --origin (http://u@o/']);
    expectInputError(() => scrubManifestArgs(['--target', 'http://u:pw@o/'], 's'), '--target', ['a password in --target']);
    expectInputError(() => scrubManifestArgs(['redis://:pw@c'], 's'), '--emit', ['a password in an argument (redis://c)']);
    expectInputError(() => scrubManifestArgs(['--sitemap=https://u:pw@site/s.xml'], 's'), '--sitemap', ['a password in --sitemap']);
  });
});
