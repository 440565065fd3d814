/**
 * The rest of src/core/secrets.ts, as docs/config.md ("Secrets") and
 * docs/output.md promise it: which values are redacted (3+ characters, each
 * once, longest first), which header names carry credentials, URL passwords
 * read and stripped, webhook URLs shown only to their host, and `--header`
 * lines (no CR/LF/NUL, a valid name). Expected values are written by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  isCredentialHeader,
  parseHeaderLine,
  REDACTED,
  redactableValues,
  redactHeaders,
  stripUrlPassword,
  urlOriginOnly,
  urlPassword,
} from '../../../src/core/secrets.js';
import { expectInputError } from './error-contract.js';

describe('redactableValues', () => {
  it('keeps values of 3+ characters, each once, longest first; shorter and missing ones are left out', () => {
    expect(redactableValues(['abc', undefined, 'ab', '', 'token-1', 'abc', 'abcd'])).toEqual(['token-1', 'abcd', 'abc']);
    expect(redactableValues([])).toEqual([]);
    expect(redactableValues(new Set(['xyz']))).toEqual(['xyz']);
  });
});

describe('credential headers', () => {
  it('names that carry a credential, in any case; ordinary ones do not', () => {
    for (const name of ['Authorization', 'authorisation', 'Cookie', 'X-Api-Key', 'X-Auth-Token', 'Private-Token', 'X-Client-Secret', 'X-Password', 'Session-Id', 'X-Amz-Signature', 'Proxy-Credentials']) {
      expect([name, isCredentialHeader(name)]).toEqual([name, true]);
    }
    for (const name of ['Accept', 'Content-Type', 'User-Agent', 'X-Request-Id', 'Cache-Control']) expect([name, isCredentialHeader(name)]).toEqual([name, false]);
  });
  it('redactHeaders replaces only the credential values, keeping every name and the order', () => {
    expect(redactHeaders({ Accept: 'text/html', Authorization: 'Bearer t0k', 'X-Api-Key': 'k' })).toEqual({ Accept: 'text/html', Authorization: REDACTED, 'X-Api-Key': REDACTED });
    expect(Object.keys(redactHeaders({ b: '1', Cookie: 'c', a: '2' }))).toEqual(['b', 'Cookie', 'a']);
    expect(REDACTED).toBe('***');
  });
});

describe('URLs', () => {
  it('urlPassword: the decoded password, or undefined (none, or not a URL)', () => {
    expect(urlPassword('redis://default:p%40ss@cache:6379')).toBe('p@ss');
    expect(urlPassword('redis://default@cache:6379')).toBeUndefined();
    expect(urlPassword('not a url')).toBeUndefined();
  });
  it('urlOriginOnly: scheme and host only; "/…" when a path or query was cut; *** when not a URL', () => {
    expect(urlOriginOnly('https://hooks.example.com/services/T0/B0/secret')).toBe('https://hooks.example.com/…');
    expect(urlOriginOnly('https://hooks.example.com/?token=abc')).toBe('https://hooks.example.com/…');
    expect(urlOriginOnly('https://hooks.example.com:8443/')).toBe('https://hooks.example.com:8443');
    expect(urlOriginOnly('https://hooks.example.com')).toBe('https://hooks.example.com');
    expect(urlOriginOnly('hooks.example.com/x')).toBe(REDACTED);
  });
  it('stripUrlPassword: the user stays, the password goes; a URL without one, or no URL, is returned as written', () => {
    expect(stripUrlPassword('redis://default:pw@cache:6379/0')).toBe('redis://default@cache:6379/0');
    expect(stripUrlPassword('redis://cache:6379')).toBe('redis://cache:6379');
    expect(stripUrlPassword('http://HOST:80/a')).toBe('http://HOST:80/a');
    expect(stripUrlPassword('::not a url::')).toBe('::not a url::');
  });
});

describe('parseHeaderLine (--header)', () => {
  it('splits at the first colon and trims name and value; a value may hold colons or be empty', () => {
    expect(parseHeaderLine('  Accept-Encoding :  gzip  ', '--header')).toEqual(['Accept-Encoding', 'gzip']);
    expect(parseHeaderLine('X-Time: 12:30:00', '--header')).toEqual(['X-Time', '12:30:00']);
    expect(parseHeaderLine('X-Empty:', '--header')).toEqual(['X-Empty', '']);
  });
  it('CR, LF or NUL anywhere is exit 2 naming the flag: it would split the request', () => {
    for (const line of ['X-A: 1\r\nX-B: 2', 'X-A: 1\nX-B: 2', 'X-A: 1\0', 'X\r-A: 1']) {
      const e = expectInputError(() => parseHeaderLine(line, '--header'), '--header', ['--header: a header may not contain CR, LF or NUL (it would split the request)']);
      expect(e.suggestions).toEqual(["one header per flag: --header 'Name: value'"]);
    }
  });
  it('no colon, nothing before it, or a name that is no HTTP token is exit 2 quoting the line', () => {
    for (const line of ['Accept', 'Accept gzip', ': gzip', ' : gzip', 'Bad Name: x', 'Bad(name): x', 'Ünicode: x']) {
      const e = expectInputError(() => parseHeaderLine(line, 'headers'), 'headers', [`headers: expected 'Name: value', got ${JSON.stringify(line)}`]);
      expect(e.suggestions).toEqual(["--header 'Accept-Encoding: gzip'"]);
    }
  });
});
