/**
 * Configuration, secrets and `${name}` substitution, as chaostoolkit
 * experiments rely on them (docs/chaos.md "File formats"): `{type: env}`
 * values read the environment the CLI hands in, with a default and a type;
 * `--var` wins over configuration; an unset secret or an undefined `${name}`
 * is exit 2 naming the field and the fix; secret values never reach the
 * journal or the output (`redact`).
 */
import { describe, expect, it } from 'vitest';
import { redact, resolveConfiguration, substitute } from '../../../../src/core/chaos/substitute.js';
import { expectInputError } from '../error-contract.js';

const FILE = 'exp.yaml';
const config = (configuration: Record<string, unknown>, env: Record<string, string | undefined> = {}, vars: Record<string, string> = {}) =>
  resolveConfiguration(configuration, undefined, env, vars, FILE).values;

describe('resolveConfiguration: configuration values', () => {
  it('keeps literals and reads {type: env} from the environment handed in', () => {
    expect(config({ proxy: '127.0.0.1:18080', retries: 3, origin: { type: 'env', key: 'ORIGIN' } }, { ORIGIN: '10.0.0.1:8080' })).toEqual({
      proxy: '127.0.0.1:18080',
      retries: 3,
      origin: '10.0.0.1:8080',
    });
  });

  it('uses the default when the variable is unset or empty, and the variable when it is set', () => {
    const origin = { type: 'env', key: 'ORIGIN', default: '127.0.0.1:8080' };
    expect(config({ origin })).toEqual({ origin: '127.0.0.1:8080' });
    expect(config({ origin }, { ORIGIN: '' })).toEqual({ origin: '127.0.0.1:8080' });
    expect(config({ origin }, { ORIGIN: '10.1.1.1:80' })).toEqual({ origin: '10.1.1.1:80' });
  });

  it('only a mapping with type env and a string key reads a variable; other values are literals', () => {
    const literals = {
      nothing: null,
      missing: undefined,
      hosts: ['a', 'b'],
      labelled: { key: 'HOME' },
      otherType: { type: 'file', key: 'HOME' },
      numericKey: { type: 'env', key: 5 },
      listThatLooksLikeARef: Object.assign(['x'], { type: 'env', key: 'HOME' }),
    };
    expect(config(literals, { HOME: '/root' })).toEqual(literals);
  });

  it('an unset variable with no default: exit 2 naming configuration.<name>, with export and --var fixes', () => {
    const e = expectInputError(() => config({ origin: { type: 'env', key: 'ORIGIN_URL' } }, { ORIGIN_URL: '' }), 'configuration.origin', [
      'exp.yaml',
      'environment variable ORIGIN_URL is not set',
    ]);
    expect(e.suggestions).toEqual(['export ORIGIN_URL=...', 'or pass --var origin=VALUE']);
  });

  it('--var wins over a configuration entry (its variable need not be set) and adds names of its own', () => {
    expect(config({ origin: { type: 'env', key: 'ORIGIN' }, proxy: 'p:1' }, {}, { origin: 'o:2', extra: 'x' })).toEqual({ origin: 'o:2', proxy: 'p:1', extra: 'x' });
  });

  it('names that are also Object.prototype members are ordinary names', () => {
    expect(config({ constructor: 'c' }, {}, {})).toEqual({ constructor: 'c' });
    expect(config({ toString: { type: 'env', key: 'TS', default: 'd' } })).toEqual({ toString: 'd' });
    expect(resolveConfiguration(undefined, { api: { constructor: { type: 'env', key: 'TOKEN' } } }, { TOKEN: 's3cret' }, {}, FILE).values).toEqual({ constructor: 's3cret' });
  });
});

describe('resolveConfiguration: env_var_type', () => {
  const typed = (env_var_type: string, value: string) => config({ v: { type: 'env', key: 'V', env_var_type } }, { V: value }).v;

  it.each<[string, string, unknown]>([
    ['str', '007', '007'],
    ['string', '007', '007'],
    ['int', '42', 42],
    ['int', '-3', -3],
    ['int', '1e3', 1000],
    ['integer', '42', 42],
    ['float', '0.25', 0.25],
    ['float', '7', 7],
    ['number', '2.5', 2.5],
    ['json', '{"hosts":["a","b"],"port":80}', { hosts: ['a', 'b'], port: 80 }],
    ['json', '[1,2]', [1, 2]],
  ])('%s %j → %j', (kind, raw, value) => {
    expect(typed(kind, raw)).toEqual(value);
  });

  it('no type: the variable as written', () => {
    expect(config({ v: { type: 'env', key: 'V' } }, { V: '42' }).v).toBe('42');
  });

  it.each([
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['On', true],
    ['0', false],
    ['false', false],
    ['no', false],
    ['off', false],
    ['x1', false],
    ['1x', false],
    ['untrue', false],
    ['yesterday', false],
  ])('bool %j → %j', (raw, value) => {
    expect(typed('bool', raw)).toBe(value);
  });

  it.each([
    ['int', '4.5', 'an integer'],
    ['int', 'forty', 'an integer'],
    ['integer', '4.5', 'an integer'],
    ['float', 'abc', 'a number'],
    ['float', 'Infinity', 'a number'],
    ['number', 'NaN', 'a number'],
  ])('%s %j: exit 2 naming the field and the value', (kind, raw, expected) => {
    const e = expectInputError(() => typed(kind, raw), 'configuration.v', ['exp.yaml', `expected ${expected} in the variable, got ${JSON.stringify(raw)}`]);
    expect(e.suggestions).toEqual(['set the variable to a number']);
  });

  it('json that does not parse: exit 2 naming the field', () => {
    const e = expectInputError(() => typed('json', '{hosts: a}'), 'configuration.v', ['exp.yaml', 'the variable is not valid JSON']);
    expect(e.suggestions).toEqual(['set the variable to a JSON document']);
  });

  it.each(['itn', 'bytes', 'toString', ''])('a type relia cannot convert to (%j): exit 2 listing the types, instead of a silent string', (kind) => {
    const e = expectInputError(() => typed(kind, '42'), 'configuration.v.env_var_type', ['exp.yaml', JSON.stringify(kind), 'str, int, float, bool, json']);
    expect(e.suggestions).toEqual(['use env_var_type str, int, float, bool or json']);
  });
});

describe('resolveConfiguration: secrets', () => {
  const secrets = (entries: Record<string, Record<string, unknown>>, env: Record<string, string | undefined> = {}, configuration?: Record<string, unknown>) =>
    resolveConfiguration(configuration, entries, env, {}, FILE);

  it('secrets are values by their name and their values are listed for redaction', () => {
    expect(secrets({ api: { token: { type: 'env', key: 'API_TOKEN' }, user: 'svc-chaos' } }, { API_TOKEN: 'tok-123' })).toEqual({
      values: { token: 'tok-123', user: 'svc-chaos' },
      secretValues: ['tok-123', 'svc-chaos'],
    });
  });

  it('an unset secret: exit 2 naming secrets.<scope>.<name>, never suggesting to write it into the file', () => {
    const e = expectInputError(() => secrets({ api: { token: { type: 'env', key: 'API_TOKEN' } } }, { API_TOKEN: '' }), 'secrets.api.token', [
      'exp.yaml',
      'environment variable API_TOKEN is not set',
    ]);
    expect(e.suggestions).toEqual(['export API_TOKEN=... (a secret: never write it into the file)', 'or remove the secret if nothing uses it']);
  });

  it('a configuration value keeps its name over a secret of the same name; the secret is still redacted', () => {
    expect(secrets({ api: { host: 'secret-host' } }, {}, { host: 'public-host' })).toEqual({ values: { host: 'public-host' }, secretValues: ['secret-host'] });
  });

  it('empty, null and missing secret values give nothing to redact; numbers are redacted as written', () => {
    const r = secrets({ s: { empty: '', nothing: null, unset: { type: 'env', key: 'U', default: null }, undef: { type: 'env', key: 'U', default: undefined }, pin: 4711 } });
    expect(r.secretValues).toEqual(['4711']);
    expect(r.values).toEqual({ empty: '', nothing: null, unset: null, undef: undefined, pin: 4711 });
  });

  it('a scope that is not a mapping is skipped', () => {
    expect(secrets({ api: 'tok-123' as never, other: null as never })).toEqual({ values: {}, secretValues: [] });
  });
});

describe('substitute', () => {
  const values = { proxy: '127.0.0.1:18080', port: 8080, 'db.host': 'db1', tls: false, hosts: ['a', 'b'], nothing: null };

  it('a string that is exactly one placeholder takes the value with its type', () => {
    expect(substitute({ port: '${port}', tls: '${tls}', hosts: '${hosts}', nothing: '${nothing}', host: '${db.host}' }, values, '', FILE)).toEqual({
      port: 8080,
      tls: false,
      hosts: ['a', 'b'],
      nothing: null,
      host: 'db1',
    });
  });

  it('inside a longer string, strings go in as written and other values as JSON', () => {
    expect(substitute('http://${proxy}/health', values, 'url', FILE)).toBe('http://127.0.0.1:18080/health');
    expect(substitute('port=${port} tls=${tls} hosts=${hosts} n=${nothing}', values, 'x', FILE)).toBe('port=8080 tls=false hosts=["a","b"] n=null');
    expect(substitute('${port}/x', values, 'x', FILE)).toBe('8080/x');
    expect(substitute('${proxy}${port}', values, 'x', FILE)).toBe('127.0.0.1:18080' + '8080');
  });

  it('a name starts with a letter or _ and goes on with letters, digits, _ . -; anything else is left as written', () => {
    const v = { a: 1, _u: 'U', 'x-1.y_2': 'dashed' };
    expect(substitute(['${a}', '${_u}', '${x-1.y_2}', '<${a}>'], v, 'x', FILE)).toEqual([1, 'U', 'dashed', '<1>']);
    expect(substitute(['${1x}', '${}', '${ a}', '$a', '{a}'], v, 'x', FILE)).toEqual(['${1x}', '${}', '${ a}', '$a', '{a}']);
  });

  it('walks lists and mappings; other values and text without placeholders stay as they are', () => {
    expect(substitute({ args: { urls: ['http://${proxy}/a', 'plain', 3, true, null] }, $: '${', n: 1 }, values, 'method[0]', FILE)).toEqual({
      args: { urls: ['http://127.0.0.1:18080/a', 'plain', 3, true, null] },
      $: '${',
      n: 1,
    });
  });

  it.each<[string, unknown, string, string]>([
    ['a top-level key', { url: 'http://${region}/' }, '', 'url'],
    ['a nested key', { args: { url: '${region}' } }, 'method[2]', 'method[2].args.url'],
    ['a list item', { hosts: ['ok', 'x-${region}'] }, 'steadyState', 'steadyState.hosts[1]'],
  ])('an undefined name in %s: exit 2 naming the field path and the fix', (_, data, path, field) => {
    const e = expectInputError(() => substitute(data, values, path, FILE), field, ['exp.yaml', '${region} is not defined in configuration or secrets']);
    expect(e.suggestions).toEqual(['add region under configuration, or pass --var region=VALUE']);
  });

  it('Object.prototype names are not defined values', () => {
    expectInputError(() => substitute('${constructor}', {}, 'args.x', FILE), 'args.x', ['${constructor} is not defined']);
    expectInputError(() => substitute('a ${toString}', {}, 'args.x', FILE), 'args.x', ['${toString} is not defined']);
  });
});

describe('redact', () => {
  it('replaces every secret value by *** in strings at any depth, keeping the shape', () => {
    const journal = { url: 'http://svc:tok-123@h/', headers: [{ Authorization: 'Bearer tok-123' }], n: 5, ok: true, none: null, note: 'tok-123 tok-123' };
    expect(redact(journal, ['tok-123'])).toEqual({ url: 'http://svc:***@h/', headers: [{ Authorization: 'Bearer ***' }], n: 5, ok: true, none: null, note: '*** ***' });
  });

  it('a secret that contains another secret never leaks its tail', () => {
    for (const order of [
      ['abc', 'abcdef', 'abcdefghi'],
      ['abcdefghi', 'abc', 'abcdef'],
      ['abcdef', 'abcdefghi', 'abc'],
    ]) {
      expect(redact('k=abcdefghi j=abcdef i=abc', order)).toBe('k=*** j=*** i=***');
    }
  });

  it('values of three characters or more are redacted; shorter ones would blank out ordinary text and are left', () => {
    expect(redact('pin 123 and 12', ['123', '12'])).toBe('pin *** and 12');
    expect(redact(['a 12 b'], ['12'])).toEqual(['a 12 b']);
  });

  it('with no secrets the data comes back equal', () => {
    const data = { a: ['x', 1], b: { c: null } };
    expect(redact(data, [])).toEqual({ a: ['x', 1], b: { c: null } });
  });
});
