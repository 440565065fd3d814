/**
 * Synthetic user traffic for the chaos e2e tests: a client in the test
 * process that sends GETs to a URL (the service behind relia's fault proxy)
 * every `everyMs`, each on a new connection, and exposes what it saw at
 * /metrics in the Prometheus text format (a blackbox prober, in short):
 *
 *   relia_harness_request_duration_seconds{_bucket,_sum,_count}  completed requests
 *   relia_harness_request_failures_total                          refused, reset or timed out
 *
 * `register()` lists it in the test Prometheus' file_sd directory
 * (servers.json `prometheus.scrapeDir`: job="harness", scraped every second),
 * so a guard can read user impact from the real Prometheus.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { get, createServer, type Server } from 'node:http';
import { join } from 'node:path';

const BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5];

export class UserTraffic {
  private readonly counts = BUCKETS.map(() => 0);
  private total = 0;
  private sum = 0;
  private failures = 0;
  private inflight = 0;
  private timer: NodeJS.Timeout | undefined;
  private sdFile: string | undefined;

  private constructor(
    private readonly server: Server,
    readonly metricsPort: number,
  ) {}

  /** Serve /metrics on a free loopback port. */
  static async serve(): Promise<UserTraffic> {
    const holder: { self?: UserTraffic } = {};
    const server = createServer((req, res) => {
      if (req.url !== '/metrics' || !holder.self) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(holder.self.exposition());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new UserTraffic(server, (server.address() as { port: number }).port);
    return holder.self;
  }

  /** Completed requests so far, and how many took longer than `seconds` (one of the bucket bounds). */
  seen(seconds?: number): { completed: number; slower: number; failures: number } {
    const i = seconds === undefined ? -1 : BUCKETS.indexOf(seconds);
    return { completed: this.total, slower: i < 0 ? 0 : this.total - (this.counts[i] as number), failures: this.failures };
  }

  private exposition(): string {
    const name = 'relia_harness_request_duration_seconds';
    const lines = [`# HELP ${name} Latency of completed requests through the fault proxy.`, `# TYPE ${name} histogram`];
    BUCKETS.forEach((b, i) => lines.push(`${name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${name}_bucket{le="+Inf"} ${this.total}`, `${name}_sum ${this.sum}`, `${name}_count ${this.total}`);
    lines.push('# HELP relia_harness_request_failures_total Requests refused, reset or timed out.', '# TYPE relia_harness_request_failures_total counter', `relia_harness_request_failures_total ${this.failures}`);
    return `${lines.join('\n')}\n`;
  }

  private observe(seconds: number): void {
    this.total++;
    this.sum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.counts[i] = (this.counts[i] as number) + 1;
    });
  }

  private one(url: string): void {
    this.inflight++;
    const t0 = performance.now();
    const done = (ok: boolean): void => {
      this.inflight--;
      if (ok) this.observe((performance.now() - t0) / 1000);
      else this.failures++;
    };
    const req = get(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => done(true));
      res.on('error', () => done(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(false));
  }

  /** Send a GET to `url` every `everyMs` (at most `maxInflight` at once). */
  start(url: string, everyMs: number, maxInflight = 50): void {
    this.timer = setInterval(() => {
      if (this.inflight < maxInflight) this.one(url);
    }, everyMs);
  }

  /** List /metrics as a scrape target (file_sd), with `labels` on every series. */
  register(scrapeDir: string, name: string, labels: Record<string, string>): void {
    this.sdFile = join(scrapeDir, `${name}.json`);
    writeFileSync(this.sdFile, JSON.stringify([{ targets: [`127.0.0.1:${this.metricsPort}`], labels }]));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.sdFile) rmSync(this.sdFile, { force: true });
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** One instant query on the real Prometheus: the first value, or null with no series. */
export async function promValue(prometheusUrl: string, query: string): Promise<number | null> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
  const first = body.data?.result?.[0];
  return first ? Number(first.value[1]) : null;
}

/** Poll until `check` passes (no fixed sleeps): throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
