/**
 * HTTP cache helpers: reading a cache's verdict from response headers, the
 * `--vary` header matrix, and joining paths onto a base URL. Pure.
 */
import { InputError } from '../errors.js';

/**
 * What a cache said it did with a request:
 *  - `hit`: served from cache (HIT, REVALIDATED, REFRESH_HIT, or `Age` > 0);
 *  - `stale`: served a stale copy (STALE, UPDATING) — the object is cached;
 *  - `miss`: fetched from the origin (MISS, EXPIRED);
 *  - `bypass`: the cache did not store it (BYPASS, DYNAMIC, PASS, NONE);
 *  - `unknown`: no header said.
 */
export type CacheVerdict = 'hit' | 'stale' | 'miss' | 'bypass' | 'unknown';

export interface CacheClassification {
  verdict: CacheVerdict;
  /** The header the verdict came from, e.g. `x-cache-status`, `age`. */
  header?: string;
  /** Its raw value. */
  value?: string;
}

/** Header names consulted, most specific first. */
export const CACHE_STATUS_HEADERS = ['x-cache-status', 'cf-cache-status', 'x-cache'] as const;

/** Whole header values that need no parsing (each is what `verdictOf` says for it). */
const EXACT_VERDICTS: Readonly<Record<string, CacheVerdict>> = {
  HIT: 'hit',
  MISS: 'miss',
  EXPIRED: 'miss',
  REVALIDATED: 'hit',
  STALE: 'stale',
  UPDATING: 'stale',
  BYPASS: 'bypass',
  DYNAMIC: 'bypass',
};

/** `token` is one trimmed entry of the header's comma-separated list. */
function verdictOf(token: string): CacheVerdict {
  const t = token.toUpperCase();
  // "Hit from cloudfront", "RefreshHit from cloudfront", "TCP_MEM_HIT", "HIT"
  // Stryker disable next-line StringLiteral: equivalent, split always returns at least one element, so the fallback is never read
  const word = t.split(/\s+/)[0] ?? '';
  if (/(^|_)HIT$/.test(word) || word === 'REFRESHHIT' || word === 'REVALIDATED') return 'hit';
  if (word === 'STALE' || word === 'UPDATING') return 'stale';
  if (/(^|_)MISS$/.test(word) || word === 'EXPIRED') return 'miss';
  if (word === 'BYPASS' || word === 'DYNAMIC' || word === 'PASS' || word === 'NONE' || word === 'UNCACHEABLE') return 'bypass';
  return 'unknown';
}

/**
 * Classify a response from its (lower-cased) headers: `X-Cache-Status`
 * (nginx), `CF-Cache-Status` (Cloudflare), `X-Cache` (Varnish, Fastly,
 * CloudFront, Squid), then `Age` > 0 → hit. When X-Cache lists several
 * caches (`MISS, HIT`, Fastly shield then edge) the last — nearest the
 * client — decides.
 */
export function classifyCacheStatus(headers: Readonly<Record<string, string | undefined>>): CacheClassification {
  for (const name of CACHE_STATUS_HEADERS) {
    const raw = headers[name];
    if (raw === undefined) continue;
    const exact = EXACT_VERDICTS[raw]; // the usual single-word values, without splitting and regexes
    // Stryker disable next-line EqualityOperator: equivalent, the table's own values are defined and verdictOf gives each the same verdict, so skipping this shortcut changes nothing
    if (exact !== undefined && Object.hasOwn(EXACT_VERDICTS, raw)) return { verdict: exact, header: name, value: raw };
    const tokens = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    // a blank value has no tokens: '' (like any non-verdict word) gives 'unknown' and the next header is read
    // Stryker disable next-line StringLiteral: equivalent, the fallback is only read for a blank value, and any non-verdict word gives 'unknown' as '' does
    const verdict = verdictOf(tokens[tokens.length - 1] ?? '');
    if (verdict !== 'unknown') return { verdict, header: name, value: raw };
  }
  const age = headers.age;
  if (age !== undefined && /^\s*\d+\s*$/.test(age) && Number(age) > 0) return { verdict: 'hit', header: 'age', value: age };
  return { verdict: 'unknown' };
}

/** Verdicts that mean the object was already in the cache. */
export function isCached(verdict: CacheVerdict): boolean {
  return verdict === 'hit' || verdict === 'stale';
}

/** One header combination to request each URL with. */
export type HeaderVariant = Readonly<Record<string, string>>;

/**
 * Parse `--vary` specs into the header matrix. `Accept-Encoding: gzip,br`
 * gives two variants; several specs multiply (cartesian product, first spec
 * varying slowest). Values split on `|` when the spec contains one (for values
 * with commas, `Accept: text/html,*\/*|application/json`), else on `,`.
 * No specs: one variant with no extra headers.
 */
export function parseVary(specs: readonly string[], field = '--vary'): HeaderVariant[] {
  let variants: Array<Record<string, string>> = [{}];
  const seen = new Set<string>();
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = spec.slice(0, colon).trim(); // not read when colon < 0: refused below
    if (colon < 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new InputError(`${field}: expected "Header-Name: value1,value2", got ${JSON.stringify(spec)}`, {
        field,
        suggestions: ["--vary 'Accept-Encoding: gzip,br'"],
      });
    }
    const rest = spec.slice(colon + 1);
    if (/[\r\n\0]/.test(rest)) throw new InputError(`${field}: a header value may not contain CR, LF or NUL`, { field, suggestions: ["--vary 'Accept-Encoding: gzip,br'"] });
    const values = rest.split(rest.includes('|') ? '|' : ',').map((v) => v.trim());
    if (values.some((v) => v === '')) {
      throw new InputError(`${field}: empty value in ${JSON.stringify(spec)}`, { field, suggestions: ["--vary 'Accept-Encoding: gzip,br'"] });
    }
    // Stryker disable next-line MethodExpression: equivalent, a header name is ASCII token characters, which upper- and lower-casing fold alike
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      throw new InputError(`${field}: header ${name} is given twice`, { field, suggestions: [`list every value once: --vary '${name}: a,b'`] });
    }
    seen.add(lower);
    const unique = [...new Set(values)];
    variants = variants.flatMap((v) => unique.map((value) => ({ ...v, [name]: value })));
  }
  return variants;
}

/** `Accept-Encoding=gzip; Accept-Language=de`, or `` for the plain variant. */
export function describeVariant(variant: HeaderVariant): string {
  return Object.entries(variant)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

function isAbsolute(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/**
 * The URL to request for a key: absolute http(s) keys are used as they are;
 * anything else is joined onto `baseUrl` as a path (`http://cdn/prefix` +
 * `titles/1` → `http://cdn/prefix/titles/1`: the base's path is kept, unlike
 * WHATWG relative resolution). Relative keys without a base are an
 * InputError.
 */
export function resolveUrl(key: string, baseUrl?: string, field = '--base-url'): string {
  if (isAbsolute(key)) return key;
  if (baseUrl === undefined) {
    throw new InputError(`${field}: the key ${JSON.stringify(key)} is not an absolute URL and no base URL was given`, {
      field,
      suggestions: ['pass --base-url http://cache.example', 'or list absolute URLs'],
    });
  }
  return `${baseUrl.replace(/\/+$/, '')}/${key.replace(/^\/+/, '')}`;
}

/** Check a base URL: absolute http(s), no query or fragment. */
export function validateBaseUrl(baseUrl: string, field = '--base-url'): string {
  let ok = isAbsolute(baseUrl);
  if (ok) {
    try {
      const u = new URL(baseUrl);
      ok = u.search === '' && u.hash === '';
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new InputError(`${field}: expected an http(s) URL without query or fragment, got ${JSON.stringify(baseUrl)}`, {
      field,
      suggestions: ['e.g. --base-url https://cdn.example.com'],
    });
  }
  return baseUrl;
}
