/**
 * Reading `relia cache warm --source` specs: files, stdin, URLs, gzip, and
 * streaming of large access logs. The parsing itself is pure
 * (src/core/cache/sources.ts); this module does the I/O around it.
 *
 *   keys.txt | -                 one key or URL per line (file or stdin)
 *   list:PATH|URL                the same, explicitly
 *   sitemap:PATH|URL             XML sitemap or sitemap index (.gz fine)
 *   PATH.xml | PATH.xml.gz | URL.xml   a sitemap, by its name
 *   prometheus:QUERY | promql:QUERY    popularity query; needs --template
 *   access-log:PATH              nginx combined log (.gz fine); top --top paths
 */
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { DependencyError, InputError } from '../../core/errors.js';
import { AccessLogCounter, parseKeyList, popularKeysFromMetrics, type SourceEntry } from '../../core/cache/sources.js';
import type { HttpClient } from '../../ports/http.js';
import type { MetricsSource } from '../../ports/metrics.js';

export type SourceKind = 'list' | 'sitemap' | 'prometheus' | 'access-log';

export interface SourceSpec {
  kind: SourceKind;
  /** Path, URL, `-` or the query. */
  location: string;
  raw: string;
}

export interface SourceReport {
  source: string;
  kind: SourceKind;
  /** Keys this source gave (before merging and dedupe). */
  keys: number;
}

export interface SourceContext {
  http: () => Promise<HttpClient>;
  metrics: () => Promise<MetricsSource>;
  /** Key template for Prometheus samples. */
  template?: string;
  /** Access logs: how many top paths. */
  top: number;
  /** Access logs: drop query strings. */
  stripQuery?: boolean;
  /** Prometheus evaluation time, epoch ms. */
  at?: number;
  signal: AbortSignal;
  readStdin?: () => Promise<Buffer>;
  /** Largest document after decompression (`--max-source-size`). Default DEFAULT_MAX_SOURCE_BYTES. */
  maxBytes?: number;
}

const limit = (ctx: SourceContext): number => ctx.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;

const PREFIXES: Record<string, SourceKind> = {
  'list:': 'list',
  'file:': 'list',
  'sitemap:': 'sitemap',
  'prometheus:': 'prometheus',
  'promql:': 'prometheus',
  'access-log:': 'access-log',
  'accesslog:': 'access-log',
};

const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** Parse one `--source` value. */
export function parseSourceSpec(raw: string): SourceSpec {
  const text = raw.trim();
  if (text === '') throw new InputError('--source: must not be empty', { field: '--source', suggestions: ['--source keys.txt', '--source sitemap:https://example.com/sitemap.xml'] });
  for (const [prefix, kind] of Object.entries(PREFIXES)) {
    if (text.toLowerCase().startsWith(prefix)) {
      const location = text.slice(prefix.length).trim();
      if (location === '') throw new InputError(`--source: nothing after "${prefix}"`, { field: '--source', suggestions: [`--source ${prefix}${kind === 'prometheus' ? "'topk(1000, sum by (title) (rate(plays_total[1h])))'" : 'PATH'}`] });
      return { kind, location, raw };
    }
  }
  if (/\.xml(\.gz)?(\?.*)?$/i.test(text)) return { kind: 'sitemap', location: text, raw };
  return { kind: 'list', location: text, raw };
}

/** Largest source document (a key list, a sitemap), after decompression: 256 MiB unless --max-source-size. */
export const DEFAULT_MAX_SOURCE_BYTES = 256 * 1024 * 1024;

function tooLarge(where: string, limit: number, what: string): InputError {
  return new InputError(`${where}: ${what} more than the limit of ${Math.round(limit / 1024 / 1024)} MiB`, {
    field: '--source',
    suggestions: ['raise it with --max-source-size 1GiB if the source really is that large', 'or split the source into several files'],
  });
}

function gunzipIfNeeded(data: Buffer, where: string, limit: number): Buffer {
  if (data.length > limit) throw tooLarge(where, limit, 'is');
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      // Stops at the limit: a gzip bomb (1 MB → 1 GB) never reaches memory.
      return gunzipSync(data, { maxOutputLength: limit });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge(where, limit, 'decompresses to');
      throw new InputError(`${where}: looks gzipped but cannot be decompressed: ${(error as Error).message}`, { field: '--source', suggestions: ['check the file is complete'] });
    }
  }
  return data;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function readLocal(path: string, max: number): Buffer {
  try {
    if (statSync(path).size > max) throw tooLarge(path, max, 'is');
    return readFileSync(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`--source: cannot read ${path}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}`, {
      field: '--source',
      file: path,
      suggestions: ['check the path (relative paths are from the current directory)', 'use - to read keys from stdin'],
    });
  }
}

async function fetchUrl(http: HttpClient, url: string, signal: AbortSignal, limit: number): Promise<Buffer> {
  const res = await http.request({ method: 'GET', url, signal, headers: { 'accept-encoding': 'gzip' } });
  if (res.status < 200 || res.status >= 300) {
    throw new DependencyError('http', `--source: GET ${url} answered ${res.status}`, { suggestions: [`check the URL: curl -I ${url}`] });
  }
  return gunzipIfNeeded(res.body ?? Buffer.alloc(0), url, limit);
}

async function readBytes(location: string, ctx: SourceContext, stdinUsed: { used: boolean }): Promise<Buffer> {
  if (location === '-') {
    if (stdinUsed.used) throw new InputError('--source: stdin (-) can be read only once', { field: '--source', suggestions: ['pass - once'] });
    stdinUsed.used = true;
    return gunzipIfNeeded(await (ctx.readStdin ?? readStdin)(), 'stdin', limit(ctx));
  }
  if (isUrl(location)) return fetchUrl(await ctx.http(), location, ctx.signal, limit(ctx));
  return gunzipIfNeeded(readLocal(location, limit(ctx)), location, limit(ctx));
}

/** Count an access log line by line (streamed, gunzipped when .gz), so a large log never sits in memory whole. */
async function countAccessLog(location: string, ctx: SourceContext, stdinUsed: { used: boolean }): Promise<AccessLogCounter> {
  const counter = new AccessLogCounter(ctx.stripQuery ? { stripQuery: true } : {});
  let input: Readable;
  if (location === '-' || isUrl(location)) input = Readable.from([await readBytes(location, ctx, stdinUsed)]);
  else {
    const head = Buffer.alloc(2);
    let fd: number;
    try {
      fd = openSync(location, 'r');
    } catch {
      readLocal(location, Infinity); // throws the InputError naming the file
      throw new Error('unreachable');
    }
    try {
      readSync(fd, head, 0, 2, 0);
    } finally {
      closeSync(fd);
    }
    const file = createReadStream(location);
    input = head[0] === 0x1f && head[1] === 0x8b ? file.pipe(createGunzip()) : file;
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    counter.addLine(line);
  }
  return counter;
}

/** Read every source. Lists come back in the order given, for mergeSources. */
export async function readSources(specs: readonly SourceSpec[], ctx: SourceContext): Promise<{ lists: Array<Array<string | SourceEntry>>; reports: SourceReport[]; warnings: string[] }> {
  const lists: Array<Array<string | SourceEntry>> = [];
  const reports: SourceReport[] = [];
  const warnings: string[] = [];
  const stdinUsed = { used: false };
  for (const spec of specs) {
    let list: Array<string | SourceEntry>;
    switch (spec.kind) {
      case 'list':
        list = parseKeyList(await readBytes(spec.location, ctx, stdinUsed));
        break;
      case 'sitemap': {
        const root = spec.location;
        const base = root === '-' || isUrl(root) ? undefined : dirname(resolvePath(root));
        // the XML parser loads only when a sitemap is read
        const { collectSitemapUrls } = await import('../../core/cache/sitemap.js');
        list = await collectSitemapUrls(root, {
          fetch: (url) => {
            // a child given as a relative path in a local index is read next to it
            const where = url === root || isUrl(url) || base === undefined ? url : resolvePath(base, url);
            return readBytes(where, ctx, stdinUsed);
          },
        });
        break;
      }
      case 'prometheus': {
        if (ctx.template === undefined) {
          throw new InputError('--template: a prometheus: source needs a template mapping a label to a key or URL', {
            field: '--template',
            suggestions: ["--template 'title:{title}'", "--template '/titles/{title}.json'"],
          });
        }
        list = await popularKeysFromMetrics(await ctx.metrics(), { query: spec.location, template: ctx.template, signal: ctx.signal, ...(ctx.at !== undefined ? { time: ctx.at } : {}) });
        if (list.length === 0) warnings.push(`--source ${spec.raw}: the query returned no series`);
        break;
      }
      case 'access-log': {
        const counter = await countAccessLog(spec.location, ctx, stdinUsed);
        list = counter.top(ctx.top);
        const s = counter.stats;
        if (s.malformed > 0) warnings.push(`--source ${spec.raw}: ${s.malformed} of ${s.lines} lines are not in the nginx combined format and were skipped`);
        if (s.lines > 0 && s.counted === 0) warnings.push(`--source ${spec.raw}: no GET/HEAD request with a 2xx/3xx status was found`);
        break;
      }
    }
    lists.push(list);
    reports.push({ source: spec.raw, kind: spec.kind, keys: list.length });
  }
  return { lists, reports, warnings };
}
