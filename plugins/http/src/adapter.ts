/**
 * HttpClient on undici: one keep-alive Agent (bounded connections per origin),
 * per-request timeouts, lower-cased headers, wall-clock duration. Transport
 * failures (refused, reset, DNS, timeout) raise DependencyError; every HTTP
 * status is a response for the caller to judge.
 */
import { Agent, request } from 'undici';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../src/ports/http.js';
import type { HttpProviderSettings, PluginKit } from '../../../src/ports/providers.js';

export class UndiciHttpClient implements HttpClient {
  readonly kind = 'http';
  private readonly agent: Agent;

  constructor(
    private readonly settings: HttpProviderSettings,
    private readonly kit: PluginKit,
  ) {
    this.agent = new Agent({ connections: settings.connections ?? 64, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.settings.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers = { 'user-agent': this.settings.userAgent, ...(this.settings.headers ?? {}), ...(req.headers ?? {}) };
    const started = performance.now();
    try {
      const res = await request(req.url, { method: req.method, headers, dispatcher: this.agent, signal });
      const readBody = req.readBody ?? req.method === 'GET';
      let body: Buffer | undefined;
      if (readBody) body = Buffer.from(await res.body.arrayBuffer());
      else await res.body.dump();
      const out: HttpResponse = { status: res.statusCode, headers: flatten(res.headers), durationMs: performance.now() - started };
      if (body !== undefined) out.body = body;
      return out;
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      const e = error as NodeJS.ErrnoException;
      const host = safeOrigin(req.url);
      const why = timeout.aborted ? `timed out after ${timeoutMs} ms` : (e.code ?? e.message);
      throw new this.kit.errors.DependencyError('http', `${req.method} ${req.url} failed: ${why}`, {
        suggestions: [`check that ${host} is reachable (curl -I ${host})`],
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
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
