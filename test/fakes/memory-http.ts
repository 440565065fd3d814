/**
 * The in-memory HttpClient: THE fake of the http port. Requests go to a
 * handler function instead of the network. It passes the same contract suite
 * as the undici adapter (test/contract/http.contract.test.ts):
 *  - HTTP error statuses are responses; a transport failure (`'refuse'`, or
 *    `{ error: 'ECONNRESET' }`) is a DependencyError (exit 3) naming the URL;
 *  - response header names are lower-cased, request header names too;
 *  - the body is read for GET (or `readBody`), never for HEAD;
 *  - an answer slower than `timeoutMs` is a DependencyError saying "timed out";
 *  - an aborted signal rejects with its reason.
 *
 * Latency: `delayMs` passes on the injected clock when one is given (a
 * virtual clock in core tests: nothing waits for real), and is only compared
 * with the timeout otherwise. Recording, concurrency counts and other test
 * needs go on top, in instrumented-http.ts.
 */
import { DependencyError } from '../../src/core/errors.js';
import type { Clock } from '../../src/ports/clock.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/ports/http.js';

export type Answer = { status: number; headers?: Record<string, string>; body?: string | Buffer; delayMs?: number } | { error: string; delayMs?: number };
export type Handler = (req: HttpRequest & { path: string }) => Answer | 'refuse';

export class MemoryHttp implements HttpClient {
  readonly kind = 'memory-http';
  readonly requests: Array<{ method: string; url: string; headers: Record<string, string> }> = [];
  private readonly clock: Pick<Clock, 'sleep'> | undefined;

  constructor(
    private readonly handler: Handler,
    options: { clock?: Pick<Clock, 'sleep'> } = {},
  ) {
    this.clock = options.clock;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    req.signal?.throwIfAborted();
    const url = new URL(req.url);
    const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    this.requests.push({ method: req.method, url: req.url, headers });
    const raw = this.handler({ ...req, headers, path: url.pathname });
    const answer = raw === 'refuse' ? { error: 'ECONNREFUSED' } : raw;
    const fail = (why: string) => new DependencyError('http', `${req.method} ${req.url} failed: ${why}`, { suggestions: [`check that ${url.origin} is reachable`] });
    const delay = answer.delayMs ?? 0;
    const timeout = req.timeoutMs ?? Infinity;
    if (this.clock && delay > 0) await this.clock.sleep(Math.min(delay, timeout), req.signal);
    if (delay > timeout) throw fail(`timed out after ${req.timeoutMs} ms`);
    if ('error' in answer) throw fail(answer.error);
    const out: HttpResponse = {
      status: answer.status,
      headers: Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      durationMs: delay,
    };
    if (req.readBody ?? req.method === 'GET') out.body = Buffer.from(answer.body ?? '');
    return out;
  }

  async close(): Promise<void> {}
}

/** A fake origin that behaves like scripts/origin.mjs for /items/<key>. */
export function fakeOrigin(options: { latencyMs?: number } = {}): Handler {
  return (req) => {
    const m = /^\/items\/(.+)$/.exec(req.path);
    if (!m) return { status: 404, body: 'not found' };
    const key = decodeURIComponent(m[1] as string);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' },
      body: JSON.stringify({ key }),
      ...(options.latencyMs !== undefined ? { delayMs: options.latencyMs } : {}),
    };
  };
}
