/**
 * A loopback HTTP stand-in for the Prometheus query API, backed by the
 * contract-checked metrics fake (MemoryMetrics): POST /api/v1/query and
 * /api/v1/query_range with form bodies, answered in Prometheus' JSON (values
 * as strings, NaN/±Inf spelt its way; a query the fake rejects → 400
 * bad_data). It lets in-process command tests run the real Prometheus
 * adapter without a server; the contract suite proves the fake answers as
 * Prometheus 2.42 does. Not a Prometheus: only these two endpoints.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsSource } from '../../src/ports/metrics.js';

const promText = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

export interface PrometheusStandIn {
  url: string;
  /** Query texts received, in order. */
  queries: string[];
  close(): Promise<void>;
}

export async function prometheusStandIn(source: MetricsSource): Promise<PrometheusStandIn> {
  const queries: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      for (const [k, v] of url.searchParams) if (!form.has(k)) form.set(k, v);
      const query = form.get('query') ?? '';
      queries.push(query);
      const answer = async () => {
        if (url.pathname === '/api/v1/query') {
          const time = form.has('time') ? Number(form.get('time')) * 1000 : undefined;
          const samples = await source.instant(query, time === undefined ? {} : { time });
          const at = (time ?? Date.now()) / 1000;
          return { resultType: 'vector', result: samples.map((s) => ({ metric: s.labels, value: [at, promText(s.value)] })) };
        }
        if (url.pathname === '/api/v1/query_range') {
          const series = await source.range(query, { start: Number(form.get('start')) * 1000, end: Number(form.get('end')) * 1000, step: Number(form.get('step')) });
          return { resultType: 'matrix', result: series.map((s) => ({ metric: s.labels, values: s.points.map(([t, v]) => [t, promText(v)]) })) };
        }
        return null;
      };
      answer().then(
        (data) => {
          res.writeHead(data ? 200 : 404, { 'content-type': 'application/json' });
          res.end(JSON.stringify(data ? { status: 'success', data } : { status: 'error', errorType: 'not_found', error: `no ${url.pathname} in the stand-in` }));
        },
        (error: unknown) => {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: error instanceof Error ? error.message : String(error) }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
