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

/** Secret values shorter than this are not replaced: they would blank ordinary text wherever they occur. */
export const MIN_REDACTED_LENGTH = 3;

/** The values to replace by `***`, each once, longest first (so no tail of a longer secret that holds a shorter one is left). */
export function redactableValues(values: Iterable<string | undefined>): string[] {
  return [...new Set([...values].filter((v): v is string => v !== undefined && v.length >= MIN_REDACTED_LENGTH))].sort((a, b) => b.length - a.length);
}

/** The headers with every credential-bearing value replaced by `***`. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isCredentialHeader(k) ? REDACTED : v]));
}

/** `scheme://user:PASSWORD@` anywhere in free text. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"'<>]*:)[^\s@/"'<>]+@/gi;
/** `Authorization: Bearer X`, `Cookie: X`, `X-Api-Key: X` (as a header line or a `name=value`/JSON pair): the value. Not a config path naming the header (`…headers.X-Api-Key: message`). */
const HEADER_VALUE = /(?<![\w.-])((?:proxy-)?authori[sz]ation|(?:set-)?cookie|x-api-key|api-key|x-auth-token|private-token)("?\s*[:=]\s*"?)((?:bearer|basic|token)\s+)?[^\s",;]+/gi;
/** `?token=X`, `&password=X`, `&X-Amz-Signature=X` in a query string: the value. */
const QUERY_SECRET = /([?&](?:access_token|token|api_key|apikey|password|passwd|secret|signature|sig|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^\s&#"']+/gi;

/**
 * Credentials relia can recognise in free text without knowing them: URL
 * passwords, credential header values and secret query parameters, each
 * replaced by `***`. For every text relia prints about a failure (messages,
 * suggestions, warnings, --verbose lines and stacks); the secrets relia
 * resolved from config are removed by value as well (`redactText`).
 */
export function redactCredentials(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(HEADER_VALUE, (_m, name: string, sep: string, scheme: string | undefined) => `${name}${sep}${scheme ?? ''}${REDACTED}`)
    .replace(QUERY_SECRET, `$1${REDACTED}`);
}

/** The password in a URL's userinfo, or undefined. */
export function urlPassword(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : undefined;
  }
  // Stryker disable next-line BlockStatement: equivalent, an empty catch returns undefined too (here, not inside the try: Stryker reads only a leading comment of the catch)
  catch {
    return undefined;
  }
}

/**
 * A URL shown only as far as its host (`https://hooks.example.com/…`): the
 * path and query of a webhook URL are often its credential (a Slack or Teams
 * hook, `?token=`), so relia never prints them. Unparseable text gives `***`.
 */
export function urlOriginOnly(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' && u.search === '' ? '' : '/…'}`;
  } catch {
    return REDACTED;
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
  // Stryker disable next-line StringLiteral: equivalent, any text with a space is no valid name either, so the line is refused the same way
  const name = i > 0 ? line.slice(0, i).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new InputError(`${field}: expected 'Name: value', got ${JSON.stringify(line)}`, { field, suggestions: ["--header 'Accept-Encoding: gzip'"] });
  }
  return [name, line.slice(i + 1).trim()];
}
