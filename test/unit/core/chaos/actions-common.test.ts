/**
 * The argument forms every fault shares (src/core/chaos/actions/common.ts),
 * read through the actions that use them: label selectors (docs: "`k=v,k2=v2`
 * or a map"; an empty selector never means "all"), HOST:PORT (a bare port is
 * loopback), shell-like argument strings (process.run: "split like a shell
 * would, without expansion") and the value a `probe` tolerance passes on.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTOR, splitArgs, valueText } from '../../../../src/core/chaos/actions/common.js';
import { httpProbe } from '../../../../src/core/chaos/actions/http.js';
import { flashCrowdAction } from '../../../../src/core/chaos/actions/load.js';
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

describe('durations (whole milliseconds) and HTTP methods (any case), read the same by the http probe and the load actions', () => {
  const timeout = (v: unknown) => args(httpProbe, { url: 'http://svc.test/', timeout: v }).timeout;
  it('seconds or a duration; half a millisecond rounds up to 1 ms', () => {
    expect([timeout(2), timeout(0.0005), timeout('1ms'), timeout('1m30s'), timeout([1, 2])]).toEqual([2000, 1, 1, 90_000, 3000]);
  });
  it('a duration that rounds to 0 ms is exit 2 naming the field, never "no time at all"', () => {
    for (const tiny of [0.0001, '0.1ms']) {
      expectInputError(() => timeout(tiny), 'timeout', [`${JSON.stringify(tiny)} is under a millisecond (durations are whole milliseconds): use 1ms or more, such as 10s`]);
    }
    expectInputError(() => args(flashCrowdAction, { url: 'http://svc.test/', baselineRate: '1/s', maxRate: '10/s', duration: 0.0004 }), 'duration', ['0.0004 is under a millisecond']);
  });
  it('a timeout that is no duration says what a duration is (the [connect, read] form no longer hides it); a list that is no such pair is exit 2 too', () => {
    expectInputError(() => timeout('soon'), 'timeout', ['expected a duration such as 10s or a number of seconds, got "soon"']);
    // a zero connect timeout is no pair of limits; numbers written as text are not summed (['1', 2] would read as '12')
    for (const bad of [[1], [1, -2], [0, 2], ['1', 2], [1, 2, 3], ['1s', '2s']]) expectInputError(() => timeout(bad), 'timeout', ['got a list']);
  });
  it('the method is read in any case (chaostoolkit writes `get`); one that is no HTTP method is exit 2 naming it', () => {
    const load = (method: unknown) => args(flashCrowdAction, { url: 'http://svc.test/', baselineRate: '1/s', maxRate: '10/s', duration: '1m', method }).method;
    expect([load('post'), load('Delete'), load(undefined), args(httpProbe, { url: 'http://svc.test/', method: 'head' }).method]).toEqual(['POST', 'DELETE', 'GET', 'HEAD']);
    for (const bad of ['FETCH', 'get ', 7]) expectInputError(() => load(bad), 'method');
  });
});
