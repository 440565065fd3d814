/**
 * Sitemaps at their edges (docs/cache.md "Sources"): one-entry documents,
 * empty and blank <loc>s, unsafe or unparseable XML refused with exit 2, the
 * root element named when it is not a sitemap, and the depth and count
 * limits of sitemap indexes exactly at the limit and one over.
 */
import { describe, expect, it } from 'vitest';
import { collectSitemapUrls, parseSitemap } from '../../../../src/core/cache/sitemap.js';
import { InputError } from '../../../../src/core/errors.js';
import { expectInputError } from '../error-contract.js';
import { rejectionOf } from './fakes.js';

describe('parseSitemap: entries', () => {
  it('a sitemap with a single <url> and an index with a single <sitemap> each give that one URL', () => {
    expect(parseSitemap('<urlset><url><loc>https://x/only</loc></url></urlset>')).toEqual({ kind: 'urlset', urls: ['https://x/only'], sitemaps: [] });
    expect(parseSitemap('<sitemapindex><sitemap><loc>https://x/s.xml</loc></sitemap></sitemapindex>')).toEqual({ kind: 'sitemapindex', urls: [], sitemaps: ['https://x/s.xml'] });
  });

  it('skips entries without a usable <loc>: none, empty, blank (CDATA too); trims CDATA around a URL', () => {
    const xml = `<urlset>
      <url/>
      <url><loc/></url>
      <url><loc>   </loc></url>
      <url><loc><![CDATA[   ]]></loc></url>
      <url><loc><![CDATA[  https://x/1  ]]></loc></url>
    </urlset>`;
    expect(parseSitemap(xml).urls).toEqual(['https://x/1']);
  });

  it('a root holding only other elements or only text has no entries', () => {
    expect(parseSitemap('<urlset><lastmod>2026-01-01</lastmod></urlset>').urls).toEqual([]);
    expect(parseSitemap('<urlset>text</urlset>').urls).toEqual([]);
    expect(parseSitemap('<sitemapindex><url><loc>https://x/1</loc></url></sitemapindex>')).toEqual({ kind: 'sitemapindex', urls: [], sitemaps: [] });
  });
});

describe('parseSitemap: refusals (exit 2, naming the source)', () => {
  it('refuses a DOCTYPE or entity declaration before parsing (XXE, entity bombs)', () => {
    const e = expectInputError(() => parseSitemap('<!DOCTYPE urlset [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>', 'site.xml'), 'site.xml');
    expect(e.message).toBe('site.xml: a sitemap may not declare a DOCTYPE or entities (<!DOCTYPE>, <!ENTITY>)');
    expect(e.suggestions).toEqual(['remove the DOCTYPE; sitemaps (https://www.sitemaps.org/protocol.html) use none']);
  });

  it('turns a parser refusal (a reserved element name) into an input error', () => {
    const e = expectInputError(() => parseSitemap('<urlset><url><__proto__>x</__proto__></url></urlset>', 'site.xml'), 'site.xml');
    expect(e.message).toMatch(/^site\.xml: cannot parse the sitemap: .*__proto__/);
    expect(e.suggestions).toEqual(['check the file is an XML sitemap (https://www.sitemaps.org/protocol.html)']);
  });

  it('names the root elements found (not the XML declaration), and "sitemap" when no source is given', () => {
    const e = expectInputError(() => parseSitemap('<?xml version="1.0" encoding="UTF-8"?><rss><channel/></rss>'), 'sitemap');
    expect(e.message).toBe('sitemap: expected a <urlset> or <sitemapindex> root element, found <rss>');
    expect(e.suggestions).toEqual(['pass a sitemap (https://www.sitemaps.org/protocol.html) or a sitemap index']);
    expect(expectInputError(() => parseSitemap('<a/><b/>', 'two.xml'), 'two.xml').message).toBe('two.xml: expected a <urlset> or <sitemapindex> root element, found <a>, <b>');
  });
});

describe('collectSitemapUrls limits', () => {
  // index (depth 0) → a.xml, nested.xml (depth 1) → b.xml (depth 2): four documents
  const docs: Record<string, string> = {
    'https://x/index.xml': '<sitemapindex><sitemap><loc>https://x/a.xml</loc></sitemap><sitemap><loc>https://x/nested.xml</loc></sitemap></sitemapindex>',
    'https://x/nested.xml': '<sitemapindex><sitemap><loc>https://x/b.xml</loc></sitemap></sitemapindex>',
    'https://x/a.xml': '<urlset><url><loc>https://x/1</loc></url></urlset>',
    'https://x/b.xml': '<urlset><url><loc>https://x/2</loc></url></urlset>',
  };
  const fetch = async (u: string): Promise<string> => docs[u] as string;

  it('reads indexes nested exactly maxDepth deep, and refuses one level more', async () => {
    expect(await collectSitemapUrls('https://x/index.xml', { fetch, maxDepth: 2 })).toEqual(['https://x/1', 'https://x/2']);
    const e = await rejectionOf(collectSitemapUrls('https://x/index.xml', { fetch, maxDepth: 1 }));
    expect(e).toBeInstanceOf(InputError);
    expectInputError(() => {
      throw e;
    }, 'https://x/index.xml', ['https://x/index.xml: sitemap indexes nest deeper than 1 levels']);
    expect((e as InputError).suggestions).toEqual(['point relia at a lower-level sitemap index']);
  });

  it('reads exactly maxSitemaps documents, and refuses when there is one more', async () => {
    expect(await collectSitemapUrls('https://x/index.xml', { fetch, maxSitemaps: 4 })).toEqual(['https://x/1', 'https://x/2']);
    const e = await rejectionOf(collectSitemapUrls('https://x/index.xml', { fetch, maxSitemaps: 3 }));
    expectInputError(() => {
      throw e;
    }, 'https://x/index.xml', ['https://x/index.xml: more than 3 sitemaps']);
    expect((e as InputError).suggestions).toEqual(['warm from a smaller sitemap index, or split the run']);
  });
});
