/**
 * What counts as a credential, in one place: header names that carry one,
 * passwords in URLs, and control characters that would split a header. Used by
 * config validation (literal credential headers are refused), `config show`
 * (redaction), emitted manifests (never carry a credential) and `--header`
 * parsing. Pure.
 */
import { InputError } from './errors.js';

/** Header names whose values are credentials: Authorization, Cookie, X-Api-Key, anything token/secret/key/password/session/auth-ish. */
const CREDENTIAL_HEADER = /(authori[sz]ation|cookie|token|secret|passw(or)?d|passwd|key|session|credential|auth|signature)/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

export const REDACTED = '***';

/** The headers with every credential-bearing value replaced by `***`. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isCredentialHeader(k) ? REDACTED : v]));
}

/** The password in a URL's userinfo, or undefined. */
export function urlPassword(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    return undefined;
  }
}

/** The URL without its userinfo password (the user name stays). Unparseable text is returned unchanged. */
export function stripUrlPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * One `Name: value` header from a flag, refusing CR, LF and NUL anywhere (they
 * would split the request: header injection) and an invalid name. Exit 2
 * before any request is sent.
 */
export function parseHeaderLine(line: string, field: string): [string, string] {
  if (/[\r\n\0]/.test(line)) {
    throw new InputError(`${field}: a header may not contain CR, LF or NUL (it would split the request)`, { field, suggestions: ["one header per flag: --header 'Name: value'"] });
  }
  const i = line.indexOf(':');
  const name = i > 0 ? line.slice(0, i).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new InputError(`${field}: expected 'Name: value', got ${JSON.stringify(line)}`, { field, suggestions: ["--header 'Accept-Encoding: gzip'"] });
  }
  return [name, line.slice(i + 1).trim()];
}
