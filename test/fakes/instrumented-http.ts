/**
 * A documented wrapper around any HttpClient (in core tests: the
 * contract-checked MemoryHttp on a virtual clock). It never changes the
 * answers; it records what a test asserts on:
 *  - `requests`: method, URL, headers and the clock's time when sent;
 *  - `completed`: requests that got a response (not failed, not cancelled);
 *  - `active` (in flight now, the current one included) and `maxInFlight`;
 *  - `countsByUrl()`.
 */
import type { Clock } from '../../src/ports/clock.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/ports/http.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  at: number;
}

export class InstrumentedHttp<C extends HttpClient = HttpClient> implements HttpClient {
  readonly requests: SeenRequest[] = [];
  completed = 0;
  maxInFlight = 0;
  private inFlight = 0;

  constructor(
    readonly inner: C,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  get kind(): string {
    return this.inner.kind;
  }

  /** Requests in flight now, the current one included (for handlers modelling capacity). */
  get active(): number {
    return this.inFlight;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    req.signal?.throwIfAborted();
    this.requests.push({ method: req.method, url: req.url, headers: { ...(req.headers ?? {}) }, at: this.clock.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const res = await this.inner.request(req);
      this.completed++;
      return res;
    } finally {
      this.inFlight--;
    }
  }

  countsByUrl(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.requests) m.set(r.url, (m.get(r.url) ?? 0) + 1);
    return m;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
