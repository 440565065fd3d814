import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors.js';
import { InstrumentedMetrics } from '../../../fakes/instrumented-metrics.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { collectSitemapUrls, parseSitemap } from '../../../../src/core/cache/sitemap.js';
import { AccessLogCounter, mergeSources, parseKeyList, parseKeyTemplate, popularKeysFromMetrics, renderKeyTemplate, topPathsFromAccessLog } from '../../../../src/core/cache/sources.js';
import { rejectionOf } from './fakes.js';

describe('parseKeyList', () => {
  it('keeps keys in order and skips blanks and # comments', () => {
    const text = '\uFEFF# warm list\r\ntitle:1\n\n   title:2  \n  # indented comment\nhttps://cdn.example/a#frag\nkey#with-hash\n';
    expect(parseKeyList(text)).toEqual(['title:1', 'title:2', 'https://cdn.example/a#frag', 'key#with-hash']);
  });

  it('reads bytes as UTF-8', () => {
    expect(parseKeyList(new TextEncoder().encode('clé:1\nkey:2'))).toEqual(['clé:1', 'key:2']);
  });

  it('returns exactly the trimmed non-comment lines, for any text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 20 }), (lines) => {
        const expected = lines
          .flatMap((l) => l.split(/\r?\n/))
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'));
        const text = lines.join('\n');
        // a BOM at the very start is dropped, as an editor would
        const got = parseKeyList(text);
        return JSON.stringify(got) === JSON.stringify(text.startsWith('\uFEFF') ? parseKeyList(text.slice(1)) : expected);
      }),
    );
  });
});

const URLSET = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://www.example.com/titles/1?lang=en&amp;page=2</loc><lastmod>2026-01-01</lastmod><priority>0.8</priority></url>
  <url>
    <loc>
      https://www.example.com/titles/2
    </loc>
    <image:image><image:loc>https://img.example.com/2.jpg</image:loc></image:image>
  </url>
  <url><loc><![CDATA[https://www.example.com/titles/3]]></loc></url>
  <url><lastmod>2026-01-01</lastmod></url>
</urlset>`;

const INDEX = `<?xml version="1.0" encoding="UTF-8"?>
<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sm:sitemap><sm:loc>https://www.example.com/sitemap-titles.xml.gz</sm:loc></sm:sitemap>
  <sm:sitemap><sm:loc>https://www.example.com/sitemap-people.xml</sm:loc></sm:sitemap>
</sm:sitemapindex>`;

describe('parseSitemap', () => {
  it('returns page URLs of a urlset, entities decoded, namespaces and extensions ignored', () => {
    const doc = parseSitemap(URLSET);
    expect(doc.kind).toBe('urlset');
    expect(doc.urls).toEqual(['https://www.example.com/titles/1?lang=en&page=2', 'https://www.example.com/titles/2', 'https://www.example.com/titles/3']);
    expect(doc.sitemaps).toEqual([]);
  });

  it('returns child sitemap URLs of an index (prefixed namespace) for the caller to fetch', () => {
    const doc = parseSitemap(new TextEncoder().encode(INDEX));
    expect(doc).toEqual({
      kind: 'sitemapindex',
      urls: [],
      sitemaps: ['https://www.example.com/sitemap-titles.xml.gz', 'https://www.example.com/sitemap-people.xml'],
    });
  });

  it('accepts empty documents', () => {
    expect(parseSitemap('<urlset></urlset>').urls).toEqual([]);
    expect(parseSitemap('<sitemapindex/>').sitemaps).toEqual([]);
  });

  it('reports malformed XML with the source, line and column', () => {
    const err = (() => {
      try {
        parseSitemap('<urlset>\n<url><loc>x</loc>\n</urlset>', 'sitemap.xml');
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err?.message).toMatch(/^sitemap\.xml: not well-formed XML at line 3/);
    expect(err?.suggestions.join()).toMatch(/gunzip/);
  });

  it('rejects another root element', () => {
    expect(() => parseSitemap('<rss><channel/></rss>', 'feed.xml')).toThrow(/feed\.xml: expected a <urlset> or <sitemapindex> root element, found <rss>/);
  });
});

describe('collectSitemapUrls', () => {
  const docs: Record<string, string> = {
    'https://x/index.xml': `<sitemapindex><sitemap><loc>https://x/a.xml</loc></sitemap><sitemap><loc>https://x/nested.xml</loc></sitemap></sitemapindex>`,
    'https://x/nested.xml': `<sitemapindex><sitemap><loc>https://x/b.xml.gz</loc></sitemap><sitemap><loc>https://x/index.xml</loc></sitemap></sitemapindex>`,
    'https://x/a.xml': `<urlset><url><loc>https://x/1</loc></url><url><loc>https://x/2</loc></url></urlset>`,
    'https://x/b.xml.gz': `<urlset><url><loc>https://x/2</loc></url><url><loc>https://x/3</loc></url></urlset>`,
  };

  it('follows indexes breadth-first, skipping cycles and duplicate URLs', async () => {
    const fetched: string[] = [];
    const urls = await collectSitemapUrls('https://x/index.xml', {
      fetch: async (u) => {
        fetched.push(u);
        return docs[u] as string;
      },
    });
    expect(urls).toEqual(['https://x/1', 'https://x/2', 'https://x/3']);
    expect(fetched).toEqual(['https://x/index.xml', 'https://x/a.xml', 'https://x/nested.xml', 'https://x/b.xml.gz']);
  });

  it('enforces the depth and count limits', async () => {
    const fetch = async (u: string): Promise<string> => docs[u] as string;
    expect(await rejectionOf(collectSitemapUrls('https://x/index.xml', { fetch, maxDepth: 1 }))).toBeInstanceOf(InputError);
    const err = await rejectionOf(collectSitemapUrls('https://x/index.xml', { fetch, maxSitemaps: 2 }));
    expect((err as Error).message).toMatch(/more than 2 sitemaps/);
  });
});

const LOG = [
  '203.0.113.5 - - [10/Oct/2026:13:55:36 +0000] "GET /titles/1 HTTP/1.1" 200 2326 "-" "Mozilla/5.0"',
  '203.0.113.6 - alice [10/Oct/2026:13:55:37 +0000] "GET /titles/2?lang=de HTTP/1.1" 200 100 "https://ref/" "curl/8.0 \\"quoted\\""',
  '203.0.113.7 - - [10/Oct/2026:13:55:38 +0000] "HEAD /titles/2?lang=en HTTP/1.1" 304 0 "-" "-"',
  '203.0.113.8 - - [10/Oct/2026:13:55:39 +0000] "GET /titles/1 HTTP/2.0" 301 0 "-" "-"',
  '203.0.113.9 - - [10/Oct/2026:13:55:40 +0000] "POST /titles/1 HTTP/1.1" 200 0 "-" "-"',
  '203.0.113.9 - - [10/Oct/2026:13:55:41 +0000] "GET /missing HTTP/1.1" 404 0 "-" "-"',
  '203.0.113.9 - - [10/Oct/2026:13:55:42 +0000] "GET /boom HTTP/1.1" 502 0 "-" "-"',
  '203.0.113.9 - - [10/Oct/2026:13:55:43 +0000] "GET http://proxy.example/titles/3 HTTP/1.1" 200 0',
  '203.0.113.9 - - [10/Oct/2026:13:55:43 +0000] "GET http://proxy.example HTTP/1.1" 200 0',
  '203.0.113.9 - - [10/Oct/2026:13:55:44 +0000] "\\x16\\x03\\x01" 400 0 "-" "-"',
  '203.0.113.9 - - [10/Oct/2026:13:55:44 +0000] "GET titles HTTP/1.1" 200 0 "-" "-"',
  'not a log line',
  '',
].join('\n');

describe('nginx access log', () => {
  it('counts GET/HEAD with 2xx/3xx, most requested first, ties in first-seen order', () => {
    const { entries, stats } = topPathsFromAccessLog(LOG, { top: 10 });
    expect(entries).toEqual([
      { key: '/titles/1', score: 2 },
      { key: '/titles/2?lang=de', score: 1 },
      { key: '/titles/2?lang=en', score: 1 },
      { key: '/titles/3', score: 1 },
      { key: '/', score: 1 },
    ]);
    expect(stats).toEqual({ lines: 12, counted: 6, skipped: 3, malformed: 3 });
  });

  it('strips queries on request and cuts to the top N', () => {
    const { entries } = topPathsFromAccessLog(new TextEncoder().encode(LOG), { top: 2, stripQuery: true });
    expect(entries).toEqual([
      { key: '/titles/1', score: 2 },
      { key: '/titles/2', score: 2 },
    ]);
  });

  it('streams line by line with the same answer, and honours other methods', () => {
    const counter = new AccessLogCounter({ methods: ['post'] });
    for (const line of LOG.split('\n')) counter.addLine(line);
    expect(counter.top(5)).toEqual([{ key: '/titles/1', score: 1 }]);
    expect(counter.top(-1)).toEqual([]);
  });
});

describe('key templates', () => {
  it('fills Redis-key templates raw and URL/path templates percent-encoded', () => {
    expect(renderKeyTemplate(parseKeyTemplate('title:{title}'), { title: 'Alien/Ø 1' })).toBe('title:Alien/Ø 1');
    expect(renderKeyTemplate(parseKeyTemplate('/titles/{title}.json'), { title: 'Alien/Ø 1' })).toBe('/titles/Alien%2F%C3%98%201.json');
    expect(renderKeyTemplate(parseKeyTemplate('http://o/{a}/{b}/{a}'), { a: '1', b: '?' })).toBe('http://o/1/%3F/1');
    expect(parseKeyTemplate('http://o/{a}/{b}/{a}').placeholders).toEqual(['a', 'b']);
  });

  it.each([
    ['title:{}', /not a valid placeholder/],
    ['title:{1x}', /not a valid placeholder/],
    ['title:{title', /unbalanced brace/],
    ['title}', /unbalanced brace/],
    ['title:static', /has no \{placeholder\}/],
  ])('rejects %j', (template, message) => {
    expect(() => parseKeyTemplate(template, '--template')).toThrow(message);
  });

  it('requires named placeholders when asked', () => {
    expect(() => parseKeyTemplate('http://o/{id}', '--origin', ['key'])).toThrow(/--origin: "http:\/\/o\/\{id\}" must contain \{key\}/);
    expect(() => parseKeyTemplate('http://o/', '--origin', ['key'])).toThrow(/include \{key\}|no \{placeholder\}/);
  });

  it('names a missing label and lists those present', () => {
    const err = (() => {
      try {
        renderKeyTemplate(parseKeyTemplate('title:{title}'), { show: 'x', job: 'y' }, '--template');
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err?.field).toBe('--template');
    expect(err?.message).toMatch(/label "title"/);
    expect(err?.suggestions[0]).toBe('labels present: show, job');
    expect(() => renderKeyTemplate(parseKeyTemplate('t:{x}'), {})).toThrow(InputError);
  });
});

/** The contract-checked metrics fake holding one gauge sample per title at T, inside the recording wrapper. */
const T = 1_700_000_000;
function popularity(samples: Array<{ labels: Record<string, string>; value: number }>): InstrumentedMetrics<MemoryMetrics> {
  return new InstrumentedMetrics(MemoryMetrics.fromPoints(samples.map((s) => ({ labels: { __name__: 'title_popularity', ...s.labels }, points: [[T, s.value]] }))));
}

describe('popularKeysFromMetrics', () => {
  const query = 'topk(1000, sum by (title) (title_popularity))';

  it('runs the query and maps each sample through the template, most popular first', async () => {
    const metrics = popularity([
      { labels: { title: 'b' }, value: 2 },
      { labels: { title: 'a' }, value: 9.5 },
      { labels: { title: 'c' }, value: Number.NaN },
      { labels: { title: 'd' }, value: 2 },
    ]);
    const entries = await popularKeysFromMetrics(metrics, { query, template: '/titles/{title}.json', time: T * 1000 });
    expect(entries).toEqual([
      { key: '/titles/a.json', score: 9.5 },
      { key: '/titles/b.json', score: 2 },
      { key: '/titles/d.json', score: 2 },
      { key: '/titles/c.json', score: 0 },
    ]);
    expect(metrics.instantCalls).toEqual([{ query, time: T * 1000 }]);
  });

  it('names the missing label (exit 2)', async () => {
    const metrics = popularity([{ labels: { show: 'x' }, value: 1 }]);
    const err = await rejectionOf(popularKeysFromMetrics(metrics, { query: 'title_popularity', template: 'title:{title}', field: '--popular-template', time: T * 1000 }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as InputError).message).toMatch(/^--popular-template: the label "title"/);
  });

  it('rejects a bad template before querying', async () => {
    const metrics = popularity([]);
    await expect(popularKeysFromMetrics(metrics, { query, template: 'static' })).rejects.toThrow(InputError);
    expect(metrics.instantCalls).toEqual([]);
  });
});

describe('mergeSources', () => {
  it('dedupes, puts scored keys first by normalised score, then unscored in first-seen order', () => {
    const list = ['k1', 'k2', 'k3', 'k1'];
    const log = [
      { key: 'k3', score: 100 },
      { key: 'k4', score: 50 },
      { key: 'k5', score: 10 },
    ];
    const prom = [
      { key: 'k6', score: 0.9 }, // normalised 1.0: ties k3, which was seen first
      { key: 'k5', score: 0.6 }, // normalised 0.667: beats k5's 0.1 from the log
      { key: 'k7', score: 0 },
    ];
    expect(mergeSources([list, log, prom])).toEqual(['k3', 'k6', 'k5', 'k4', 'k7', 'k1', 'k2']);
  });

  it('keeps first-seen order when nothing is scored', () => {
    expect(mergeSources([['b', 'a'], ['c', 'b'], [{ key: 'd' }]])).toEqual(['b', 'a', 'c', 'd']);
  });

  it('outputs each distinct input key exactly once', () => {
    const entry = fc.oneof(fc.string({ maxLength: 3 }), fc.record({ key: fc.string({ maxLength: 3 }), score: fc.option(fc.double({ noNaN: false }), { nil: undefined }) }));
    fc.assert(
      fc.property(fc.array(fc.array(entry, { maxLength: 10 }), { maxLength: 4 }), (lists) => {
        const keys = lists.flat().map((e) => (typeof e === 'string' ? e : e.key));
        const out = mergeSources(lists);
        return out.length === new Set(keys).size && new Set(out).size === out.length && out.every((k) => keys.includes(k));
      }),
    );
  });

  it('is stable: unscored lists come out in first-seen order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 2 }), { maxLength: 8 }), { maxLength: 4 }), (lists) => {
        const firstSeen = [...new Set(lists.flat())];
        return JSON.stringify(mergeSources(lists)) === JSON.stringify(firstSeen);
      }),
    );
  });
});
