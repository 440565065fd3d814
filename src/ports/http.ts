/** The HTTP port: requests through a cache/CDN or to an origin. */

export interface HttpRequest {
  /** Cache warming uses GET and HEAD; chaos probes, load and webhooks use the rest. */
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Request body (not with GET or HEAD). */
  body?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Read and return the body (default true for GET). */
  readBody?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body?: Buffer;
  /** Wall time from send to the end of the body, milliseconds. */
  durationMs: number;
}

/**
 * Transport failures (refused, reset, DNS, timeout) raise DependencyError;
 * every HTTP status, 5xx included, is a response, not an error.
 */
export interface HttpClient {
  readonly kind: string;
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}
