/**
 * Emitted manifests never carry a credential (issue 10): the argument walk of
 * scrubManifestArgs at its edges. Which argument is a flag's value (separate,
 * after '=', none at the end of the line, none when the next one is a flag),
 * which flags may hand their Redis password to a Secret, and the header
 * name a credential header is recognised by.
 */
import { describe, expect, it } from 'vitest';
import { scrubManifestArgs } from '../../../../src/core/cache/manifest-secrets.js';
import { expectInputError } from '../error-contract.js';

const SECRET = [{ env: 'RELIA_REDIS_PASSWORD', secret: 'relia-redis', key: 'password' }];

describe('scrubManifestArgs: which argument is a value', () => {
  it.each<[string, string[], string[]]>([
    // a flag with '=' is followed by a bare argument: the password after '=' is still moved
    ['--from=URL then a bare argument', ['--from=redis://:pw@src', 'extra'], ['--from=redis://src', 'extra']],
    // a flag without value before --target: --target keeps its own value
    ['a value-less flag before --target', ['--yes', '--target', 'redis://:pw@c'], ['--yes', '--target', 'redis://c']],
    ['-t with its value, then a value-less flag last', ['-t', 'redis://:pw@c', '--dry-run'], ['-t', 'redis://c', '--dry-run']],
  ])('%s', (_name, args, scrubbed) => {
    expect(scrubManifestArgs(args, 'relia-redis')).toEqual({ args: scrubbed, secretEnv: SECRET, secretsNeeded: [{ secret: 'relia-redis', key: 'password' }] });
  });

  it('a flag last on the line, or followed by a flag, has no value and is kept as it is', () => {
    expect(scrubManifestArgs(['--target', 'redis://c', '--yes'], 's')).toEqual({ args: ['--target', 'redis://c', '--yes'], secretEnv: [], secretsNeeded: [] });
    expect(scrubManifestArgs(['--yes'], 's').args).toEqual(['--yes']);
  });

  it('a bare argument is never taken for a flag: its password is refused, whatever follows', () => {
    // a bare URL with a password followed by another bare argument
    expectInputError(() => scrubManifestArgs(['redis://:pw@c', 'next'], 's'), '--emit', ['a password in an argument (redis://c)']);
    // a bare URL whose query holds '=' is not split into flag=value
    expectInputError(() => scrubManifestArgs(['https://u:pw@h/?a=b'], 's'), '--emit', ['a password in an argument (https://u@h/?a=b)']);
  });

  it('a one-character flag with = is still flag=value: its password is refused, not passed on as text', () => {
    expectInputError(() => scrubManifestArgs(['-=redis://:pw@c'], 's'), '-', ['a password in - (redis://c)']);
  });
});

describe('scrubManifestArgs: only --target, -t and --from hand a Redis password to the Secret', () => {
  it.each<[string, string[], string, string]>([
    ['a Redis URL in another flag', ['--origin', 'redis://:pw@c'], '--origin', 'a password in --origin (redis://c)'],
    ['a Redis URL in another flag, with =', ['--source=rediss://u:pw@c:6380'], '--source', 'a password in --source (rediss://u@c:6380)'],
    ['an http URL in --target that mentions redis:// later', ['--target', 'http://u:pw@o/redis://x'], '--target', 'a password in --target (http://u@o/redis://x)'],
  ])('refuses %s', (_name, args, field, mention) => {
    expectInputError(() => scrubManifestArgs(args, 's'), field, [`--emit: the manifest would carry ${mention}`]);
  });
});

describe('scrubManifestArgs: credential headers', () => {
  it('names the header without the spaces around it', () => {
    const e = expectInputError(() => scrubManifestArgs(['--header', ' Authorization : Bearer x'], 's'), '--header');
    expect(e.message).toBe('--emit: the manifest would carry the credential header Authorization in its arguments');
  });

  it('judges a header by its name, not its value', () => {
    const args = ['--header', 'X-Request-Id: token-1', '-H', 'Accept: application/key+json', '--header=Via: session'];
    expect(scrubManifestArgs(args, 's')).toEqual({ args, secretEnv: [], secretsNeeded: [] });
  });
});
