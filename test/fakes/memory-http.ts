/**
 * In-memory HttpClient for core tests: requests go to a handler function
 * instead of the network. It passes the same contract suite as the undici
 * adapter (test/contract/http.contract.test.ts).
 */
import { DependencyError } from '../../src/core/errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/ports/http.js';

export type Handler = (req: HttpRequest & { path: string }) => { status: number; headers?: Record<string, string>; body?: string | Buffer; delayMs?: number } | 'refuse';

export class MemoryHttp implements HttpClient {
  readonly kind = 'memory-http';
  readonly requests: Array<{ method: string; url: string; headers: Record<string, string> }> = [];

  constructor(private readonly handler: Handler) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    req.signal?.throwIfAborted();
    const url = new URL(req.url);
    const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    this.requests.push({ method: req.method, url: req.url, headers });
    const answer = this.handler({ ...req, headers, path: url.pathname });
    if (answer === 'refuse') throw new DependencyError('http', `${req.method} ${req.url} failed: ECONNREFUSED`, { suggestions: [`check that ${url.origin} is reachable`] });
    if (answer.delayMs !== undefined && req.timeoutMs !== undefined && answer.delayMs > req.timeoutMs) {
      throw new DependencyError('http', `${req.method} ${req.url} failed: timed out after ${req.timeoutMs} ms`, { suggestions: [`check that ${url.origin} is reachable`] });
    }
    const out: HttpResponse = {
      status: answer.status,
      headers: Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      durationMs: answer.delayMs ?? 0,
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
