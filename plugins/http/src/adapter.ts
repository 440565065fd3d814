/**
 * HttpClient on undici: one keep-alive Agent (bounded connections per origin),
 * per-request timeouts, lower-cased headers, wall-clock duration. Transport
 * failures (refused, reset, DNS, timeout) raise DependencyError; every HTTP
 * status is a response for the caller to judge.
 *
 * Requests go through undici's dispatcher API with a small handler (`Call`)
 * rather than `undici.request()`: no body stream per response (chunks are
 * collected, or counted and dropped when the body is not wanted, so the
 * response is still read to the end, as a CDN wants before it caches), no
 * AbortSignal.timeout/AbortSignal.any per request (a plain timer and the
 * dispatcher's own abort function), and URLs in the usual shape are split into
 * origin and path without a URL object. Per request this saves tens of
 * microseconds, which is most of a warm run's client time.
 */
import { createRequire } from 'node:module';
import type { Agent as AgentType, Dispatcher } from 'undici';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../src/ports/http.js';
import type { HttpProviderSettings, PluginKit } from '../../../src/ports/providers.js';

/**
 * undici's Agent alone: its module loads in about half the time of undici's
 * index (fetch, WebSocket, caches, mocks), which is a tenth of a short run's
 * startup. The path is internal to undici, pinned in package.json; if it ever
 * moves, the whole package is loaded instead.
 */
function loadAgent(): typeof AgentType {
  const require = createRequire(import.meta.url);
  try {
    return require('undici/lib/dispatcher/agent.js') as typeof AgentType;
  } catch {
    return (require('undici') as { Agent: typeof AgentType }).Agent;
  }
}

let AgentClass: typeof AgentType | undefined;

export class UndiciHttpClient implements HttpClient {
  readonly kind = 'http';
  /** @internal */
  readonly agent: AgentType;
  /** @internal the headers every request carries (user agent, configured headers). */
  readonly baseHeaders: Readonly<Record<string, string>>;

  constructor(
    /** @internal */ readonly settings: HttpProviderSettings,
    /** @internal */ readonly kit: PluginKit,
  ) {
    AgentClass ??= loadAgent();
    this.agent = new AgentClass({ connections: settings.connections ?? 64, pipelining: 1, keepAliveTimeout: 30_000 });
    this.baseHeaders = { 'user-agent': settings.userAgent, ...(settings.headers ?? {}) };
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => new Call(this, req, resolve, reject).start());
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** One request: the dispatcher's handler, its timer and its abort plumbing. */
class Call implements Dispatcher.DispatchHandlers {
  private abortFn: ((err: Error) => void) | undefined;
  /** Set when we cancel (timeout or the caller's signal) before the dispatcher handed us its abort function. */
  private cancelled: Error | undefined;
  private timedOut = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private status = 0;
  private headers: Record<string, string> = {};
  private chunks: Buffer[] | undefined;
  private readonly readBody: boolean;
  private readonly started = performance.now();
  private readonly timeoutMs: number;
  private done = false;

  constructor(
    private readonly client: UndiciHttpClient,
    private readonly req: HttpRequest,
    private readonly resolve: (res: HttpResponse) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    this.readBody = req.readBody ?? req.method === 'GET';
    this.timeoutMs = req.timeoutMs ?? client.settings.timeoutMs;
  }

  start(): void {
    const req = this.req;
    const signal = req.signal;
    if (signal?.aborted) {
      this.done = true;
      this.reject(signal.reason);
      return;
    }
    const target = splitUrl(req.url);
    if (!target) {
      this.settle(new Error('invalid URL'));
      return;
    }
    if (signal) watch(signal, this);
    this.timer = setTimeout(this.onTimeout, this.timeoutMs);
    const headers = req.headers ? { ...this.client.baseHeaders, ...req.headers } : this.client.baseHeaders;
    try {
      this.client.agent.dispatch({ origin: target.origin, path: target.path, method: req.method, headers, ...(req.body !== undefined ? { body: req.body } : {}) }, this);
    } catch (error) {
      this.settle(error);
    }
  }

  /** The caller's signal aborted. */
  aborted(): void {
    this.cancel(new Error('aborted'));
  }

  private readonly onTimeout = (): void => {
    this.timedOut = true;
    this.cancel(new Error(`timed out after ${this.timeoutMs} ms`));
  };

  private cancel(err: Error): void {
    if (this.done) return;
    if (this.abortFn) this.abortFn(err);
    else this.cancelled = err;
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.cancelled) abort(this.cancelled);
    else this.abortFn = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null, _resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx: the final answer follows
    this.status = statusCode;
    this.headers = flatten(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.readBody) (this.chunks ??= []).push(chunk);
    return true;
  }

  onComplete(): void {
    this.settle(undefined);
  }

  onError(err: Error): void {
    this.settle(err);
  }

  onUpgrade(): void {
    // never asked for
  }

  private settle(error: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const req = this.req;
    if (req.signal) unwatch(req.signal, this);
    if (error === undefined) {
      const out: HttpResponse = { status: this.status, headers: this.headers, durationMs: performance.now() - this.started };
      if (this.readBody) out.body = this.chunks === undefined ? Buffer.alloc(0) : this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
      this.resolve(out);
      return;
    }
    if (req.signal?.aborted) {
      this.reject(req.signal.reason);
      return;
    }
    const e = error as NodeJS.ErrnoException;
    const host = safeOrigin(req.url);
    const why = this.timedOut ? `timed out after ${this.timeoutMs} ms` : (e.code ?? e.message);
    this.reject(
      new this.client.kit.errors.DependencyError('http', `${req.method} ${req.url} failed: ${why}`, {
        suggestions: [`check that ${host} is reachable (curl -I ${host})`],
        cause: error,
      }),
    );
  }
}

/**
 * Calls in flight per caller signal, with one abort listener per signal
 * rather than one per request: callers such as the warm engine hand the same
 * signals to request after request (see RunControl.requestScope), and adding
 * and removing an AbortSignal listener costs more than a small request.
 */
const watchers = new WeakMap<AbortSignal, Set<Call>>();

function watch(signal: AbortSignal, call: Call): void {
  let calls = watchers.get(signal);
  if (!calls) {
    const set = new Set<Call>();
    calls = set;
    watchers.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        for (const c of [...set]) c.aborted();
        set.clear();
      },
      { once: true },
    );
  }
  calls.add(call);
}

function unwatch(signal: AbortSignal, call: Call): void {
  watchers.get(signal)?.delete(call);
}

/** Response headers, names lower-cased, repeated ones joined with ", ". */
function flatten(raw: Buffer[] | string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i] as Buffer | string;
    const v = raw[i + 1] as Buffer | string;
    const name = (typeof k === 'string' ? k : k.toString('latin1')).toLowerCase();
    const value = typeof v === 'string' ? v : v.toString('utf8');
    const prev = out[name];
    out[name] = prev === undefined ? value : `${prev}, ${value}`;
  }
  return out;
}

/**
 * http(s) URLs that WHATWG parsing would leave as they are (lower-case
 * scheme, host[:port] without user info, a path and query of printable ASCII
 * without characters it would percent-encode, no fragment, no dot segments,
 * no backslash): split without a URL object. Anything else goes through URL.
 */
const PLAIN_URL = /^(https?:\/\/[a-z0-9.-]+(?::[1-9]\d{0,4})?)([/?][!$-&(-;=?-[\]-_a-z|~]*)?$/;

function splitUrl(url: string): { origin: string; path: string } | undefined {
  const m = PLAIN_URL.exec(url);
  if (m && !(m[2] !== undefined && m[2].includes('/.')) && !/:(80|443)$/.test(m[1] as string)) {
    const path = m[2];
    return { origin: m[1] as string, path: path === undefined ? '/' : path.charCodeAt(0) === 63 ? `/${path}` : path };
  }
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return { origin: u.origin, path: `${u.pathname}${u.search}` };
  } catch {
    return undefined;
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export function createHttpClient(settings: HttpProviderSettings, kit: PluginKit): UndiciHttpClient {
  return new UndiciHttpClient(settings, kit);
}
