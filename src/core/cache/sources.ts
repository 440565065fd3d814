/**
 * Where the keys to warm come from. Every parser works on text or bytes the
 * caller has already read (and gunzipped); the Prometheus source goes through
 * the injected MetricsSource. Pure. docs/cache.md "Sources" has the formats.
 */
import { InputError } from '../errors.js';
import type { MetricsSource } from '../../ports/metrics.js';

/** One key (or URL/path) with an optional popularity score (higher = hotter). */
export interface SourceEntry {
  key: string;
  score?: number;
}

export function toText(input: string | Uint8Array): string {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// ---------------------------------------------------------------- key list

/**
 * A key list: one key or URL per line. Leading/trailing whitespace is trimmed;
 * blank lines and lines whose first non-blank character is `#` are skipped
 * (a `#` later in a line is part of the key: URLs have fragments, keys may
 * contain `#`). Order is kept; duplicates are removed by `mergeSources`.
 */
export function parseKeyList(input: string | Uint8Array): string[] {
  const out: string[] = [];
  for (const raw of toText(input).split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    out.push(line);
  }
  return out;
}

// ---------------------------------------------------------------- sitemaps

// Sitemaps (XML) are in sitemap.ts, so that loading the other sources does not load the XML parser.


// ---------------------------------------------------------------- nginx access log

export interface AccessLogOptions {
  /** Methods counted. Default GET and HEAD. */
  methods?: readonly string[];
  /** Drop `?query` from paths before counting. Default false (the query is part of the cache key). */
  stripQuery?: boolean;
}

export interface AccessLogStats {
  /** Non-blank lines seen. */
  lines: number;
  /** Lines counted (method and status matched). */
  counted: number;
  /** Well-formed lines skipped for their method or status. */
  skipped: number;
  /** Lines that are not in the combined/common format. */
  malformed: number;
}

// $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent ["$http_referer" "$http_user_agent"]
const COMBINED_RE = /^\S+ \S+ \S+ \[[^\]]*\] "((?:[^"\\]|\\.)*)" (\d{3}) \S+/;

/**
 * Counts request paths in an nginx `combined` (or `common`) access log, line
 * by line, so the caller can stream a large file through it. Only the given
 * methods (GET, HEAD) with a 2xx or 3xx status count.
 */
export class AccessLogCounter {
  private readonly counts = new Map<string, number>();
  private readonly methods: ReadonlySet<string>;
  private readonly stripQuery: boolean;
  readonly stats: AccessLogStats = { lines: 0, counted: 0, skipped: 0, malformed: 0 };

  constructor(options: AccessLogOptions = {}) {
    this.methods = new Set((options.methods ?? ['GET', 'HEAD']).map((m) => m.toUpperCase()));
    this.stripQuery = options.stripQuery ?? false;
  }

  /** Count one line. */
  addLine(line: string): void {
    if (line.trim() === '') return;
    this.stats.lines++;
    const m = COMBINED_RE.exec(line);
    // Stryker disable next-line ArrayDeclaration: equivalent, the fallback is only used when the line did not match, which is malformed below whatever it holds
    const request = m ? (m[1] as string).split(' ') : [];
    if (!m || request.length < 2 || request.length > 3) {
      this.stats.malformed++;
      return;
    }
    const method = (request[0] as string).toUpperCase();
    let target = request[1] as string;
    if (/^https?:\/\//i.test(target)) {
      // absolute-form (a forward proxy's log): keep path and query
      const at = target.indexOf('/', target.indexOf('//') + 2);
      target = at < 0 ? '/' : target.slice(at);
    }
    if (!target.startsWith('/')) {
      this.stats.malformed++;
      return;
    }
    const status = Number(m[2]);
    if (!this.methods.has(method) || status < 200 || status >= 400) {
      this.stats.skipped++;
      return;
    }
    if (this.stripQuery) {
      const q = target.indexOf('?');
      if (q >= 0) target = target.slice(0, q);
    }
    this.stats.counted++;
    this.counts.set(target, (this.counts.get(target) ?? 0) + 1);
  }

  /** Count every line of a chunk of text (whole lines only). */
  addText(text: string): void {
    for (const line of text.split(/\r?\n/)) this.addLine(line);
  }

  /** The `n` most requested paths, by count, ties in first-seen order. */
  top(n: number): SourceEntry[] {
    const entries = [...this.counts.entries()].map(([key, score], i) => ({ key, score, i }));
    entries.sort(
      (a, b) =>
        b.score - a.score ||
        // Stryker disable next-line ArithmeticOperator: equivalent, V8's stable sort calls the comparator as (later, earlier) in array order, which is first-seen order, so on a tie a.i + b.i is positive as a.i - b.i is
        a.i - b.i,
    );
    return entries.slice(0, Math.max(0, n)).map(({ key, score }) => ({ key, score }));
  }
}

/** Top `top` paths by request count in an nginx combined access log. */
export function topPathsFromAccessLog(
  input: string | Uint8Array,
  options: AccessLogOptions & { top: number },
): { entries: SourceEntry[]; stats: AccessLogStats } {
  const counter = new AccessLogCounter(options);
  counter.addText(toText(input));
  return { entries: counter.top(options.top), stats: counter.stats };
}

// ---------------------------------------------------------------- templates

export interface KeyTemplate {
  template: string;
  /** Placeholder names in order of appearance (duplicates kept once). */
  placeholders: string[];
  /** Values are percent-encoded (encodeURIComponent): the template is a URL or a path. */
  encode: boolean;
}

/**
 * Parse a template such as `title:{title}`, `/titles/{title}.json` or
 * `http://origin/items/{key}`. Placeholders are `{name}` with a Prometheus
 * label-style name. Values are percent-encoded when the template starts with
 * `/` or contains `://`, and inserted as-is otherwise (Redis keys).
 */
export function parseKeyTemplate(template: string, field = '--template', required?: readonly string[]): KeyTemplate {
  const placeholders: string[] = [];
  const re = /\{([^{}]*)\}/g;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    const name = m[1] as string;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InputError(`${field}: ${JSON.stringify(`{${name}}`)} is not a valid placeholder in ${JSON.stringify(template)}`, {
        field,
        suggestions: ['placeholders are label names in braces, e.g. title:{title} or /titles/{title}.json'],
      });
    }
    if (!placeholders.includes(name)) placeholders.push(name);
  }
  // Stryker disable next-line StringLiteral: equivalent, the placeholders are replaced by text without braces either way
  const stripped = template.replace(re, '');
  if (stripped.includes('{') || stripped.includes('}')) {
    throw new InputError(`${field}: unbalanced brace in ${JSON.stringify(template)}`, { field, suggestions: ['write placeholders as {name}'] });
  }
  if (placeholders.length === 0) {
    throw new InputError(`${field}: ${JSON.stringify(template)} has no {placeholder}, so every key would be the same`, {
      field,
      suggestions: [required?.length ? `include ${required.map((r) => `{${r}}`).join(', ')}` : 'e.g. title:{title} or /titles/{title}.json'],
    });
  }
  for (const r of required ?? []) {
    if (!placeholders.includes(r)) {
      throw new InputError(`${field}: ${JSON.stringify(template)} must contain {${r}}`, { field, suggestions: [`e.g. http://origin/items/{${r}}`] });
    }
  }
  return { template, placeholders, encode: template.startsWith('/') || template.includes('://') };
}

/** Fill a parsed template; a missing value is an InputError naming it. */
export function renderKeyTemplate(t: KeyTemplate, values: Readonly<Record<string, string | undefined>>, field = '--template'): string {
  return t.template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      const present = Object.keys(values);
      throw new InputError(`${field}: the label "${name}" used in ${JSON.stringify(t.template)} is missing`, {
        field,
        suggestions: [
          present.length ? `labels present: ${present.join(', ')}` : 'the series has no labels: aggregate with `sum by (<label>)`',
          `make the query keep "${name}", e.g. sum by (${name}) (...)`,
        ],
      });
    }
    return t.encode ? encodeURIComponent(value) : value;
  });
}

// ---------------------------------------------------------------- Prometheus popularity

export interface PopularityQuery {
  /** PromQL instant query, e.g. `topk(1000, sum by (title) (rate(plays_total[1h])))`. */
  query: string;
  /** Key or URL template filled from each sample's labels, e.g. `title:{title}`. */
  template: string;
  /** Evaluation instant, epoch ms. Default: the server's now. */
  time?: number;
  signal?: AbortSignal;
  /** Flag named in template errors. Default `--template`. */
  field?: string;
}

/**
 * Run a popularity query and map each sample to a key through the template.
 * Entries are ordered by value, highest first (a non-finite value counts as 0);
 * the value becomes the entry's score. No samples: an empty list.
 */
export async function popularKeysFromMetrics(metrics: MetricsSource, q: PopularityQuery): Promise<SourceEntry[]> {
  const field = q.field ?? '--template';
  const template = parseKeyTemplate(q.template, field);
  const samples = await metrics.instant(q.query, {
    ...(q.time !== undefined ? { time: q.time } : {}),
    ...(q.signal ? { signal: q.signal } : {}),
  });
  const entries = samples.map((s, i) => ({
    key: renderKeyTemplate(template, s.labels, field),
    score: Number.isFinite(s.value) ? s.value : 0,
    i,
  }));
  entries.sort(
    (a, b) =>
      b.score - a.score ||
      // Stryker disable next-line ArithmeticOperator: equivalent, V8's stable sort calls the comparator as (later, earlier) in array order, which is the server's order, so on a tie a.i + b.i is positive as a.i - b.i is
      a.i - b.i,
  );
  return entries.map(({ key, score }) => ({ key, score }));
}

// ---------------------------------------------------------------- merge

/**
 * Merge key lists into one deduplicated list.
 *
 * Scores are normalised per list (score ÷ the list's highest score), so an
 * access-log count and a Prometheus rate compare; a key's popularity is its
 * highest normalised score over all lists. Keys with a popularity come first,
 * hottest first; keys without one follow. Ties, and all unscored keys, keep
 * first-seen order (lists in the order given, entries in list order).
 */
export function mergeSources(lists: ReadonlyArray<ReadonlyArray<string | SourceEntry>>): string[] {
  // Stryker disable next-line ArrowFunction,LogicalOperator,StringLiteral,BlockStatement: equivalent, a shortcut: without it the ranking below gives the same first-seen order
  if (lists.every((list) => list.every((e) => typeof e === 'string' || e.score === undefined))) {
    // nothing ranked: first-seen order, which is what the sort below gives (cheaper for large key lists)
    const seen = new Set<string>();
    for (const list of lists) for (const e of list) seen.add(typeof e === 'string' ? e : e.key);
    return [...seen];
  }
  const info = new Map<string, { first: number; pop: number | undefined }>();
  let seq = 0;
  for (const list of lists) {
    let max = 0;
    for (const e of list) {
      // Stryker disable next-line StringLiteral: equivalent, a string has no score, and Number.isFinite(undefined) is false
      if (typeof e !== 'string' && e.score !== undefined && Number.isFinite(e.score) && e.score > max) max = e.score;
    }
    for (const e of list) {
      const key = typeof e === 'string' ? e : e.key;
      // Stryker disable next-line StringLiteral: equivalent, a string's .score is undefined too
      const raw = typeof e === 'string' ? undefined : e.score;
      const pop = raw === undefined ? undefined : max > 0 && Number.isFinite(raw) && raw > 0 ? raw / max : 0;
      const cur = info.get(key);
      if (!cur) info.set(key, { first: seq++, pop });
      else if (pop !== undefined && (cur.pop === undefined || pop > cur.pop)) cur.pop = pop;
    }
  }
  const all = [...info.entries()];
  all.sort(([, a], [, b]) => {
    if (a.pop !== undefined && b.pop !== undefined) {
      return (
        b.pop - a.pop ||
        // Stryker disable next-line ArithmeticOperator: equivalent, V8's stable sort calls the comparator as (later, earlier) in array order, which is first-seen order, so on a tie a.first + b.first is positive as a.first - b.first is
        a.first - b.first
      );
    }
    if (a.pop !== undefined) return -1;
    // V8's stable sort calls the comparator as (later, earlier) in the array's order, which is first-seen order, so a.first > b.first below
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, reached with a unscored: 1 and a.first - b.first are both positive
    if (b.pop !== undefined) return 1;
    // Stryker disable next-line ArithmeticOperator: equivalent, a.first + b.first and a.first - b.first are both positive (a.first > b.first ≥ 0)
    return a.first - b.first;
  });
  return all.map(([key]) => key);
}
