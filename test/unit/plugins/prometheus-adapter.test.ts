/**
 * The Prometheus adapter's HTTP behaviour against a scripted loopback server:
 * retries only on 5xx/429/timeouts (with backoff), auth headers, time anchoring,
 * and errors that name the query and the server's message. (Its behaviour on
 * real data is covered by the contract suite against real Prometheus.)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusSource } from '../../../plugins/prometheus/src/adapter.js';
import { ReliaError } from '../../../src/core/errors.js';
import { kit } from '../../helpers/kit.js';
import { FakeClock } from '../../fakes/virtual-clock.js';

type Script = (req: IncomingMessage, body: URLSearchParams, res: ServerResponse) => void;
let server: Server | undefined;
const seen: Array<{ url: string; body: URLSearchParams; auth?: string }> = [];

async function serve(script: Script): Promise<string> {
  seen.length = 0;
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = new URLSearchParams(data);
      seen.push({ url: req.url ?? '', body, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      script(req, body, res);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as { port: number }).port}`;
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (s?.listening) await new Promise((r) => s.close(r));
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const vector = { status: 'success', data: { resultType: 'vector', result: [{ metric: { service: 'checkout' }, value: [1793491200, '0.25'] }] } };
/** The retry backoff on the clock fake (test/fakes/virtual-clock.ts): nothing waits for real, each sleep is recorded; jitter fixed at one half. */
const clock = new FakeClock();
const noSleep = { sleep: (ms: number) => clock.sleep(ms), random: () => 0.5 };

async function error(p: Promise<unknown>): Promise<ReliaError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(ReliaError.is(e)).toBe(true);
  return e as ReliaError;
}

describe('PrometheusSource', () => {
  it('sends instant queries anchored with time= and parses the vector', async () => {
    const url = await serve((_q, _b, res) => json(res, 200, vector));
    const src = createPrometheusSource({ url, timeoutMs: 2000, retries: 0 }, kit);
    const out = await src.instant('sum(rate(x[5m]))', { time: Date.UTC(2026, 10, 1) });
    expect(out).toEqual([{ labels: { service: 'checkout' }, value: 0.25 }]);
    expect(seen[0]?.url).toBe('/api/v1/query');
    expect(seen[0]?.body.get('query')).toBe('sum(rate(x[5m]))');
    expect(seen[0]?.body.get('time')).toBe('1793491200.000');
    await src.close();
  });

  it('parses range matrices and special float values', async () => {
    const url = await serve((_q, _b, res) =>
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1, '1'], [61, 'NaN'], [121, '+Inf']] }] } }),
    );
    const src = createPrometheusSource({ url, timeoutMs: 2000, retries: 0 }, kit);
    const [series] = await src.range('x', { start: 1000, end: 121_000, step: 60 });
    expect(series?.points).toEqual([[1, 1], [61, Number.NaN], [121, Number.POSITIVE_INFINITY]]);
    expect(seen[0]?.body.get('step')).toBe('60');
    await src.close();
  });

  it('retries 503 then succeeds; counts requests', async () => {
    let n = 0;
    const url = await serve((_q, _b, res) => (++n < 3 ? json(res, 503, { status: 'error', error: 'busy' }) : json(res, 200, vector)));
    const src = createPrometheusSource({ url, timeoutMs: 2000, retries: 2 }, kit, noSleep);
    expect((await src.instant('up'))[0]?.value).toBe(0.25);
    expect(src.requests).toBe(3);
    expect(clock.sleeps).toEqual([200, 400]); // full jitter at one half of 200·2^attempt: the backoff doubles
    await src.close();
  });

  it('gives up after the retries with exit 3, naming the query and the server message', async () => {
    const url = await serve((_q, _b, res) => json(res, 500, { status: 'error', errorType: 'internal', error: 'disk full' }));
    const src = createPrometheusSource({ url, timeoutMs: 2000, retries: 1 }, kit, noSleep);
    const e = await error(src.instant('up{job="x"}'));
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain('"up{job=\\"x\\"}"');
    expect(e.message).toContain('internal: disk full');
    expect(e.message).toContain('after 2 attempts');
    await src.close();
  });

  it('does not retry a bad query (400), and names it', async () => {
    const url = await serve((_q, _b, res) => json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 5' }));
    const src = createPrometheusSource({ url, timeoutMs: 2000, retries: 3 }, kit, noSleep);
    const e = await error(src.instant('sum(('));
    expect(e.message).toBe('Prometheus rejected query "sum((": bad_data: parse error at char 5');
    expect(src.requests).toBe(1);
    await src.close();
  });

  it('times out slow answers and retries them', async () => {
    const url = await serve((_q, _b, res) => setTimeout(() => json(res, 200, vector), 500));
    const src = createPrometheusSource({ url, timeoutMs: 100, retries: 1 }, kit, noSleep);
    const e = await error(src.instant('up'));
    expect(e.message).toMatch(/timed out after 100 ms/);
    expect(src.requests).toBe(2);
    await src.close();
  });

  it('sends bearer and basic auth; 401 is not retried and points at the credentials', async () => {
    const url = await serve((_q, _b, res) => json(res, 401, { status: 'error', error: 'unauthorized' }));
    const bearer = createPrometheusSource({ url, timeoutMs: 2000, retries: 2, bearerToken: 'tok' }, kit, noSleep);
    const e = await error(bearer.instant('up'));
    expect(seen[0]?.auth).toBe('Bearer tok');
    expect(e.suggestions.join(' ')).toMatch(/credentials/);
    expect(bearer.requests).toBe(1);
    const basic = createPrometheusSource({ url, timeoutMs: 2000, retries: 0, basicAuth: { username: 'u', password: 'p' } }, kit, noSleep);
    await error(basic.instant('up'));
    expect(seen.at(-1)?.auth).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    await bearer.close();
    await basic.close();
  });

  it('refused connections are exit 3 with a readiness hint', async () => {
    const url = await serve((_q, _b, res) => json(res, 200, vector));
    await new Promise((r) => server!.close(r));
    server = undefined;
    const src = createPrometheusSource({ url, timeoutMs: 500, retries: 0 }, kit, noSleep);
    const e = await error(src.instant('up'));
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.suggestions[0]).toMatch(/-\/ready/);
    await src.close();
  });

  it('an aborted signal stops at once with its reason', async () => {
    const url = await serve((_q, _b, res) => setTimeout(() => json(res, 200, vector), 1000));
    const src = createPrometheusSource({ url, timeoutMs: 5000, retries: 3 }, kit, noSleep);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user cancelled')), 50);
    await expect(src.instant('up', { signal: ac.signal })).rejects.toThrow('user cancelled');
    expect(src.requests).toBe(1);
    await src.close();
  });

  it('a CA file that cannot be read is an input error naming the field', () => {
    expect(() => createPrometheusSource({ url: 'https://x', timeoutMs: 1, retries: 0, tls: { caFile: '/nonexistent/ca.pem', insecureSkipVerify: false } }, kit)).toThrow(
      /metrics\.tls\.caFile: cannot read/,
    );
  });
});

describe('a URL that is not a Prometheus HTTP API', () => {
  const longQuery = `sum(rate(http_requests_total{code=~"5.."}[5m])) / ${'x'.repeat(2000)}`;

  it('a plain web server (HTML 404): says so with the URL and the fix, not the query, and does not blame the spec', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
    });
    const e = await error(createPrometheusSource({ url, timeoutMs: 1000, retries: 2 }, kit, noSleep).instant(longQuery));
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`${url} does not look like a Prometheus HTTP API: POST /api/v1/query answered 404 with an HTML page`);
    expect(e.message).not.toContain('http_requests_total');
    expect(e.suggestions.join(' ')).toContain('server root');
    expect(e.suggestions.join(' ')).not.toMatch(/SLO spec/);
    expect(seen).toHaveLength(1); // not retried
  });

  it('a URL ending in /api/v1: the fix drops the suffix', async () => {
    const root = await serve((_req, _body, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    });
    const e = await error(createPrometheusSource({ url: `${root}/api/v1`, timeoutMs: 1000, retries: 0 }, kit, noSleep).range('up', { start: 0, end: 60_000, step: 15 }));
    expect(e.message).toContain('answered 404 with "404 page not found"');
    expect(e.suggestions[0]).toBe(`drop /api/v1 from the URL: --prometheus ${root} (relia adds /api/v1/query itself)`);
  });

  it('a 200 JSON answer of another shape is not taken for data', async () => {
    const url = await serve((_req, _body, res) => json(res, 200, { hello: 'world' }));
    const e = await error(createPrometheusSource({ url, timeoutMs: 1000, retries: 0 }, kit, noSleep).instant('up'));
    expect(e.message).toContain('JSON that is not a Prometheus API answer');
  });

  it('a real Prometheus error still names the query, cut to a readable length', async () => {
    const url = await serve((_req, _body, res) => json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error' }));
    const e = await error(createPrometheusSource({ url, timeoutMs: 1000, retries: 0 }, kit, noSleep).instant(longQuery));
    expect(e.message).toContain('Prometheus rejected query "sum(rate(http_requests_total');
    expect(e.message).toContain(`(${longQuery.length} characters)`);
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).toContain('bad_data: parse error');
  });
});
