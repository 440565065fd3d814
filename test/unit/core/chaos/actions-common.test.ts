/**
 * The argument forms every fault shares (src/core/chaos/actions/common.ts),
 * read through the actions that use them: label selectors (docs: "`k=v,k2=v2`
 * or a map"; an empty selector never means "all"), HOST:PORT (a bare port is
 * loopback), shell-like argument strings (process.run: "split like a shell
 * would, without expansion") and the value a `probe` tolerance passes on.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTOR, splitArgs, valueText } from '../../../../src/core/chaos/actions/common.js';
import { podKill } from '../../../../src/core/chaos/actions/kubernetes.js';
import { networkActions } from '../../../../src/core/chaos/actions/network.js';
import { expectInputError } from '../error-contract.js';
import { args } from './faults-ctx.js';

describe('label selectors (kubernetes.pod-kill selector)', () => {
  const selector = (s: unknown) => args(podKill, { selector: s }).selector;
  it('`k=v,k2=v2`: spaces around pairs and empty pairs are ignored; a value may be empty', () => {
    expect(selector('app=api, tier=web ,')).toEqual({ app: 'api', tier: 'web' });
    expect(selector(',app=')).toEqual({ app: '' });
    expect(selector({ app: 'api' })).toEqual({ app: 'api' });
  });
  it('anything but key=value pairs is exit 2 naming the selector and the bad pair', () => {
    for (const bad of ['app', '!app=api', 'app!=api', 'app=api=x', 'app=a b', 'my app=api']) {
      const part = bad.split(',').at(-1) as string;
      expectInputError(() => selector(bad), 'selector', [`expected key=value pairs such as app=api,tier=web, got ${JSON.stringify(part)}`]);
    }
  });
  it('an empty selector is exit 2, never "all"', () => {
    for (const empty of ['', ' , ', {}]) expectInputError(() => selector(empty), 'selector', [EMPTY_SELECTOR]);
  });
});

describe('HOST:PORT (network.latency listen and upstream)', () => {
  const latency = networkActions.find((a) => a.type === 'network.latency')!;
  const upstream = (v: unknown) => args(latency, { listen: 18080, upstream: v, latency: '1ms' }).upstream;
  it('a bare port, as a number or as text, is on 127.0.0.1; a host or [IPv6] is kept; spaces around are ignored', () => {
    expect(upstream(8080)).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(upstream('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(upstream(':8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(upstream(' db.test:5432 ')).toEqual({ host: 'db.test', port: 5432 });
    expect(upstream('[::1]:65535')).toEqual({ host: '::1', port: 65535 });
  });
  it('a port above 65535, more than five digits or anything after the port is exit 2 naming the field', () => {
    for (const bad of ['65536', '123456', 'db.test:8080x', '8080/tcp', 'a]b:80']) {
      expectInputError(() => upstream(bad), 'upstream', [`expected HOST:PORT such as 127.0.0.1:8080, got ${JSON.stringify(bad)}`]);
    }
  });
});

describe('splitArgs: a command line split the way a POSIX shell splits words', () => {
  const cases: Array<[string, string[]]> = [
    ['', []],
    ['  a  b ', ['a', 'b']],
    [`'' x`, ['', 'x']],
    [`"a\\"b" "c\\\\d" "\\$HOME" "\\\`x"`, ['a"b', 'c\\d', '$HOME', '`x']],
    [`"a\\nb"`, ['a\\nb']],
    [`'a\\"b'`, ['a\\"b']],
    [`a\\ b \\" c\\`, ['a b', '"', 'c\\']],
  ];
  it.each(cases)('%j → %j', (line, words) => {
    expect(splitArgs(line)).toEqual(words);
  });
  it('an unterminated quote is no command line', () => {
    expect(splitArgs(`"a\\"`)).toBeNull();
    expect(splitArgs(`'a`)).toBeNull();
  });
});

describe('valueText: the value a probe tolerance passes as one word', () => {
  it('text as it is, numbers and booleans as written (NaN included), anything else as JSON, nothing as null', () => {
    expect([valueText('up'), valueText(12.5), valueText(Number.NaN), valueText(true), valueText({ status: 200 }), valueText(undefined)]).toEqual(['up', '12.5', 'NaN', 'true', '{"status":200}', 'null']);
  });
});
