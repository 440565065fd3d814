/**
 * XML sitemaps and sitemap indexes as a key source (docs/cache.md "Sources").
 * Pure: the caller fetches (and gunzips) the documents. A module of its own
 * so that the XML parser loads only when a sitemap is read.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../errors.js';
import { toText } from './sources.js';

export interface SitemapDocument {
  kind: 'urlset' | 'sitemapindex';
  /** Page URLs (`<urlset><url><loc>`), in document order. */
  urls: string[];
  /** Child sitemap URLs (`<sitemapindex><sitemap><loc>`) for the caller to fetch (and gunzip when `.gz`). */
  sitemaps: string[];
}

const sitemapParser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'url' || name === 'sitemap',
});

function locs(items: unknown): string[] {
  if (!Array.isArray(items)) return [];
  const out: string[] = [];
  for (const item of items) {
    // Stryker disable next-line OptionalChaining: equivalent, the parser gives an element as a string or an object, never null
    const loc = (item as { loc?: unknown } | null)?.loc;
    if (typeof loc === 'string' && loc.trim() !== '') out.push(loc.trim());
  }
  return out;
}

/**
 * Parse an XML sitemap (`<urlset>`) or sitemap index (`<sitemapindex>`),
 * namespaces ignored. `source` (a file or URL) is named in errors.
 */
export function parseSitemap(input: string | Uint8Array, source = 'sitemap'): SitemapDocument {
  const text = toText(input);
  // A sitemap never needs a DTD: refusing <!DOCTYPE>/<!ENTITY> closes external
  // entities (XXE) and entity-expansion bombs before the parser sees them.
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) {
    throw new InputError(`${source}: a sitemap may not declare a DOCTYPE or entities (<!DOCTYPE>, <!ENTITY>)`, {
      field: source,
      suggestions: ['remove the DOCTYPE; sitemaps (https://www.sitemaps.org/protocol.html) use none'],
    });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError(`${source}: not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`, {
      field: source,
      suggestions: ['check the file is an XML sitemap (gunzip .xml.gz files first)'],
    });
  }
  let doc: Record<string, unknown>;
  try {
    doc = sitemapParser.parse(text) as Record<string, unknown>;
  } catch (error) {
    // e.g. "Maximum nested tags exceeded": the parser's own limits are input errors, not crashes
    throw new InputError(`${source}: cannot parse the sitemap: ${(error as Error).message}`, { field: source, suggestions: ['check the file is an XML sitemap (https://www.sitemaps.org/protocol.html)'] });
  }
  // A root is an object, or a string when it has no child element (a string has no .url: no URLs).
  if ('urlset' in doc) {
    // Stryker disable next-line OptionalChaining: equivalent, the parser gives an element as a string or an object, never null
    return { kind: 'urlset', urls: locs((doc.urlset as { url?: unknown } | null)?.url), sitemaps: [] };
  }
  if ('sitemapindex' in doc) {
    // Stryker disable next-line OptionalChaining: equivalent, the parser gives an element as a string or an object, never null
    return { kind: 'sitemapindex', urls: [], sitemaps: locs((doc.sitemapindex as { sitemap?: unknown } | null)?.sitemap) };
  }
  // well-formed (validated above), so there is at least one element; `?xml` and other processing instructions are none
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?'));
  throw new InputError(`${source}: expected a <urlset> or <sitemapindex> root element, found <${roots.join('>, <')}>`, {
    field: source,
    suggestions: ['pass a sitemap (https://www.sitemaps.org/protocol.html) or a sitemap index'],
  });
}

export interface CollectSitemapOptions {
  /** Fetch one sitemap's bytes (gunzipped). The caller does the I/O. */
  fetch: (url: string) => Promise<string | Uint8Array>;
  /** Stop after reading this many sitemap documents. Default 1000. */
  maxSitemaps?: number;
  /** Nesting limit of sitemap indexes. Default 3. */
  maxDepth?: number;
}

/**
 * Follow a sitemap or sitemap index breadth-first through `fetch` and return
 * every page URL, in document order, deduplicated. Sitemaps already read are
 * skipped (cycles), and nesting deeper than `maxDepth` is an InputError.
 */
export async function collectSitemapUrls(rootUrl: string, options: CollectSitemapOptions): Promise<string[]> {
  const maxSitemaps = options.maxSitemaps ?? 1000;
  const maxDepth = options.maxDepth ?? 3;
  const seen = new Set<string>([rootUrl]);
  const urls = new Set<string>();
  let queue: string[] = [rootUrl];
  let read = 0;
  for (let depth = 0; queue.length > 0; depth++) {
    if (depth > maxDepth) {
      throw new InputError(`${rootUrl}: sitemap indexes nest deeper than ${maxDepth} levels`, {
        field: rootUrl,
        suggestions: ['point relia at a lower-level sitemap index'],
      });
    }
    const next: string[] = [];
    for (const url of queue) {
      if (read >= maxSitemaps) {
        throw new InputError(`${rootUrl}: more than ${maxSitemaps} sitemaps`, { field: rootUrl, suggestions: ['warm from a smaller sitemap index, or split the run'] });
      }
      read++;
      const doc = parseSitemap(await options.fetch(url), url);
      for (const u of doc.urls) urls.add(u);
      for (const child of doc.sitemaps) {
        if (!seen.has(child)) {
          seen.add(child);
          next.push(child);
        }
      }
    }
    queue = next;
  }
  return [...urls];
}
