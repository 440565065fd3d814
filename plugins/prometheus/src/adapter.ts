/**
 * MetricsSource over the Prometheus HTTP API (v1): instant and range queries,
 * `time=` anchoring, per-request timeouts, retries with exponential backoff and
 * full jitter on 5xx/429/timeouts/transport errors only, bearer or basic auth,
 * TLS (CA file, skip-verify only when the user explicitly allowed it). Every
 * error names the query and the server's own message.
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import type { InstantQueryOptions, InstantSample, MetricsSource, RangeQueryOptions, RangeSeries } from '../../../src/ports/metrics.js';
import type { MetricsProviderSettings, PluginKit } from '../../../src/ports/providers.js';

interface PromResponse {
  status: 'success' | 'error';
  data?: { resultType: 'vector' | 'matrix' | 'scalar' | 'string'; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

type VectorItem = { metric: Record<string, string>; value: [number, string] };
type MatrixItem = { metric: Record<string, string>; values: Array<[number, string]> };

export interface PrometheusDeps {
  /** Injected for tests; defaults to real timers. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const BASE_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 5_000;

class RetryableError extends Error {}

export class PrometheusSource implements MetricsSource {
  readonly kind = 'prometheus';
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly dispatcher: Dispatcher;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** Number of HTTP requests sent (including retries); for query-economy tests and --verbose. */
  requests = 0;

  constructor(
    private readonly settings: MetricsProviderSettings,
    private readonly kit: PluginKit,
    deps: PrometheusDeps = {},
  ) {
    this.base = new URL(settings.url.endsWith('/') ? settings.url : `${settings.url}/`);
    this.headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...(settings.headers ?? {}) };
    if (settings.bearerToken) this.headers.authorization = `Bearer ${settings.bearerToken}`;
    else if (settings.basicAuth) {
      this.headers.authorization = `Basic ${Buffer.from(`${settings.basicAuth.username}:${settings.basicAuth.password}`).toString('base64')}`;
    }
    const connect: Record<string, unknown> = {};
    if (settings.tls?.caFile) {
      try {
        connect.ca = readFileSync(settings.tls.caFile);
      } catch (error) {
        throw new kit.errors.InputError(`metrics.tls.caFile: cannot read ${settings.tls.caFile}: ${(error as Error).message}`, {
          field: 'metrics.tls.caFile',
          suggestions: ['point it at a PEM file with the CA certificate'],
        });
      }
    }
    if (settings.tls?.insecureSkipVerify) connect.rejectUnauthorized = false;
    this.dispatcher = new Agent({ connections: 16, keepAliveTimeout: 10_000, connect });
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
  }

  async instant(query: string, options: InstantQueryOptions = {}): Promise<InstantSample[]> {
    const params: Record<string, string> = { query };
    if (options.time !== undefined) params.time = (options.time / 1000).toFixed(3);
    const data = await this.call('api/v1/query', params, query, options.signal);
    if (data.resultType === 'scalar') {
      const [, v] = data.result as [number, string];
      return [{ labels: {}, value: promFloat(v) }];
    }
    if (data.resultType !== 'vector') throw this.unexpected(query, `an instant vector, got ${data.resultType}`);
    return (data.result as VectorItem[]).map((item) => ({ labels: item.metric, value: promFloat(item.value[1]) }));
  }

  async range(query: string, options: RangeQueryOptions): Promise<RangeSeries[]> {
    const params = {
      query,
      start: (options.start / 1000).toFixed(3),
      end: (options.end / 1000).toFixed(3),
      step: String(options.step),
    };
    const data = await this.call('api/v1/query_range', params, query, options.signal);
    if (data.resultType !== 'matrix') throw this.unexpected(query, `a range matrix, got ${data.resultType}`);
    return (data.result as MatrixItem[]).map((item) => ({
      labels: item.metric,
      points: item.values.map(([t, v]) => [t, promFloat(v)] as [number, number]),
    }));
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /**
   * The Prometheus HTTP API answers every request under /api/v1, errors
   * included, with a JSON body whose `status` is success or error. Anything
   * else (an HTML page, a 404 text, JSON of another shape) means the URL is
   * not a Prometheus API: say so, with the URL and the likely fix, instead of
   * blaming the query.
   */
  private notPrometheus(url: URL, status: number, text: string): Error {
    const base = this.base.href.replace(/\/$/, '');
    const apiSuffix = /\/api\/v1\/?$/.test(this.base.pathname);
    const answered = text.trim() === '' ? 'an empty body' : /^\s*</.test(text) ? 'an HTML page' : /^\s*[[{]/.test(text) ? 'JSON that is not a Prometheus API answer' : `"${text.trim().slice(0, 60)}"`;
    const suggestions = apiSuffix
      ? [`drop /api/v1 from the URL: --prometheus ${base.replace(/\/api\/v1$/, '')} (relia adds /api/v1/query itself)`]
      : [`point --prometheus (or metrics.url) at the Prometheus server root, e.g. http://HOST:9090, or at the path prefix it serves under (--web.route-prefix)`, `check it: curl ${base}/api/v1/status/buildinfo`];
    return new this.kit.errors.DependencyError('prometheus', `${base} does not look like a Prometheus HTTP API: POST ${url.pathname} answered ${status} with ${answered}`, { suggestions });
  }

  private unexpected(query: string, what: string): Error {
    return new this.kit.errors.DependencyError('prometheus', `Prometheus answered query ${shortQuery(query)} with an unexpected shape: expected ${what}`);
  }

  private async call(path: string, params: Record<string, string>, query: string, signal?: AbortSignal): Promise<NonNullable<PromResponse['data']>> {
    const url = new URL(path, this.base);
    const body = new URLSearchParams({ ...params, timeout: `${Math.max(1, Math.floor(this.settings.timeoutMs / 1000))}s` }).toString();
    let lastError: Error | undefined;
    for (let attempt = 0; attempt <= this.settings.retries; attempt++) {
      if (attempt > 0) {
        // Full jitter: uniform in [0, min(cap, base·2^attempt)].
        await this.sleep(this.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt));
      }
      signal?.throwIfAborted();
      try {
        return await this.once(url, body, query, signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof RetryableError)) throw error;
        lastError = error;
      }
    }
    throw new this.kit.errors.DependencyError('prometheus', `${lastError?.message ?? 'request failed'} (after ${this.settings.retries + 1} attempts)`, {
      suggestions: [
        `check that Prometheus is up at ${this.base.origin} (curl ${this.base.origin}/-/ready)`,
        'raise metrics.timeout / metrics.retries in the config if the server is slow',
      ],
    });
  }

  private async once(url: URL, body: string, query: string, signal?: AbortSignal): Promise<NonNullable<PromResponse['data']>> {
    this.requests++;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let status: number;
    let text: string;
    try {
      const res = await request(url, { method: 'POST', body, headers: this.headers, dispatcher: this.dispatcher, signal: combined });
      status = res.statusCode;
      text = await res.body.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const e = error as NodeJS.ErrnoException;
      const why = timeout.aborted ? `timed out after ${this.settings.timeoutMs} ms` : (e.code ?? e.message);
      throw new RetryableError(`Prometheus at ${this.base.origin} did not answer query ${shortQuery(query)}: ${why}`);
    }
    let parsed: PromResponse | undefined;
    try {
      parsed = JSON.parse(text) as PromResponse;
    } catch {
      parsed = undefined;
    }
    const serverMessage = parsed?.error ? `${parsed.errorType ?? 'error'}: ${parsed.error}` : text.slice(0, 200).trim();
    if (status >= 500 || status === 429) {
      throw new RetryableError(`Prometheus answered ${status} to query ${shortQuery(query)}: ${serverMessage}`);
    }
    if (status === 401 || status === 403) {
      throw new this.kit.errors.DependencyError('prometheus', `Prometheus refused query ${shortQuery(query)} with ${status}: ${serverMessage}`, {
        suggestions: ['check the credentials: metrics.auth in the config, or RELIA_METRICS_TOKEN / RELIA_METRICS_PASSWORD'],
      });
    }
    if (parsed?.status !== 'success' && parsed?.status !== 'error') throw this.notPrometheus(url, status, text);
    if (status >= 400 || parsed.status === 'error') {
      throw new this.kit.errors.DependencyError('prometheus', `Prometheus rejected query ${shortQuery(query)}: ${serverMessage}`, {
        suggestions: ['check the PromQL in the SLO spec; try it in the Prometheus UI'],
      });
    }
    if (!parsed?.data) throw this.unexpected(query, 'a JSON body with data');
    return parsed.data;
  }
}

export function createPrometheusSource(settings: MetricsProviderSettings, kit: PluginKit, deps?: PrometheusDeps): PrometheusSource {
  return new PrometheusSource(settings, kit, deps);
}

/** A query for an error message: generated SLO queries run to thousands of characters, so long ones are cut. */
export function shortQuery(query: string, max = 160): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? JSON.stringify(oneLine) : `${JSON.stringify(`${oneLine.slice(0, max)}…`)} (${oneLine.length} characters)`;
}

/** Prometheus encodes sample values as strings, with `+Inf`, `-Inf` and `NaN` spelled out. */
export function promFloat(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(v);
}
