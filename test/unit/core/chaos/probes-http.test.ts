/**
 * The http.request and prometheus.query probes as docs/chaos-faults.md
 * "HTTP and Prometheus probes" promises them: the chaostoolkit argument
 * forms, what is sent, how the answer is read, when the probe fails, and
 * what `chaos plan` prints.
 */
import { describe, expect, it } from 'vitest';
import { httpProbe, prometheusProbe } from '../../../../src/core/chaos/actions/http.js';
import type { HttpRequest } from '../../../../src/ports/http.js';
import { MemoryHttp, type Answer } from '../../../fakes/memory-http.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { inputError, rejection } from '../../../helpers/errors.js';
import { expectInputError } from '../error-contract.js';
import { args, faultsCtx } from './faults-ctx.js';

/** An http port that answers `answer` to everything and keeps what it was sent. */
function server(answer: Answer) {
  const seen: Array<HttpRequest & { path: string }> = [];
  const http = new MemoryHttp((req) => {
    seen.push(req);
    return answer;
  });
  return { http, seen };
}

const probe = (raw: Record<string, unknown>, answer: Answer) => {
  const { http, seen } = server(answer);
  return { out: httpProbe.run(args(httpProbe, { url: 'http://svc.test/health', ...raw }), faultsCtx({ http })), seen };
};

/** The house rule: every error says what to try, and no suggestion is empty. */
const hasSuggestions = (e: { suggestions: string[] }) => e.suggestions.length > 0 && e.suggestions.every((s) => s.trim() !== '');

describe('http.request arguments', () => {
  it('must be a mapping (exit 2), never crash', () => {
    for (const raw of [null, 'http://svc.test/', ['http://svc.test/']]) expect(inputError(() => args(httpProbe, raw)).message).toMatch(/expected object/);
  });
  it('the URL must be http(s), even one that contains an http URL further on', () => {
    expectInputError(() => args(httpProbe, { url: 'ftp://files.test/http://svc.test/' }), 'url', ['expected an http(s) URL']);
  });
  it('a bad maxLatency names the field and the form expected', () => {
    expectInputError(() => args(httpProbe, { url: 'http://svc.test/', maxLatency: 'soon' }), 'maxLatency', ['expected a duration such as 300ms or a number of seconds, got "soon"']);
  });
  it("the expected status: expectStatus, or chaostoolkit's expected_status, or expectedStatus; expectStatus wins when several are written", async () => {
    await expect(probe({ expectStatus: 200, expected_status: 503 }, { status: 200 }).out).resolves.toMatchObject({ status: 200 });
    const err = await rejection(probe({ expectedStatus: [200, 204] }, { status: 503 }).out);
    expect(err.message).toBe('GET http://svc.test/health answered 503, expected 200 or 204');
  });
});

describe('http.request: what is sent', () => {
  it('headers go out as given', async () => {
    const { out, seen } = probe({ headers: { Authorization: 'Bearer t' } }, { status: 200 });
    await out;
    expect(seen[0]?.headers).toEqual({ authorization: 'Bearer t' });
  });
  it('arguments are query parameters on HEAD and DELETE too', async () => {
    for (const method of ['head', 'DELETE']) {
      const { out, seen } = probe({ method, arguments: { q: 'a b', n: 2 } }, { status: 200 });
      await out;
      expect(seen[0]).toMatchObject({ method: method.toUpperCase(), url: 'http://svc.test/health?q=a+b&n=2' });
      expect(seen[0]?.body).toBeUndefined();
    }
  });
  it('arguments as a JSON body are sent as application/json, unless the experiment set a content-type itself', async () => {
    const { out, seen } = probe({ method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, arguments: { n: 1 } }, { status: 200 });
    await out;
    expect(seen[0]?.headers).toEqual({ 'content-type': 'application/merge-patch+json' });
    expect(seen[0]?.body).toBe('{"n":1}');
    const other = probe({ method: 'POST', headers: { Authorization: 'Bearer t' }, arguments: { n: 1 } }, { status: 200 });
    await other.out;
    expect(other.seen[0]?.headers).toEqual({ authorization: 'Bearer t', 'content-type': 'application/json' });
  });
  it('arguments and body together on a body method are exit 2 naming arguments, at plan time already', async () => {
    const a = args(httpProbe, { url: 'http://svc.test/', method: 'POST', arguments: { n: 1 }, body: 'x' });
    const err = await rejection(httpProbe.plan(a, faultsCtx({})));
    expect(err).toMatchObject({ exitCode: 2, field: 'arguments', message: 'arguments and body cannot both be given' });
    expect(hasSuggestions(err)).toBe(true);
  });
  it('the plan names the URL as it will be called, the method and the timeout; a [connect, read] timeout is their sum', async () => {
    const plan = async (raw: Record<string, unknown>) => httpProbe.plan(args(httpProbe, { url: 'http://svc.test/echo', ...raw }), faultsCtx({}));
    expect(await plan({ arguments: { q: 'a b' } })).toEqual({ targets: [{ kind: 'url', id: 'http://svc.test/echo?q=a+b', detail: 'GET' }], does: 'GET http://svc.test/echo?q=a+b (timeout 10s)', undo: 'nothing to undo' });
    expect((await plan({ method: 'PUT', timeout: [1, 2] })).does).toBe('PUT http://svc.test/echo (timeout 3s)');
    expect((await plan({ timeout: 1.5 })).does).toBe('GET http://svc.test/echo (timeout 1500ms)');
  });
});

describe('http.request: how the answer is read', () => {
  it('the body is parsed only when the content-type says JSON and it parses; otherwise it is the text', async () => {
    const body = async (answer: Answer) => ((await probe({}, answer).out) as { body: unknown }).body;
    expect(await body({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })).toEqual({ ok: true });
    expect(await body({ status: 200, headers: { 'content-type': 'text/plain' }, body: '{"ok":true}' })).toBe('{"ok":true}');
    expect(await body({ status: 200, body: '[1]' })).toBe('[1]');
    expect(await body({ status: 200, headers: { 'content-type': 'application/json' }, body: 'not json' })).toBe('not json');
    expect(await body({ status: 204, headers: { 'content-type': 'application/json' } })).toBe('');
  });
  it('a HEAD probe reports no body, even from a server that writes one', async () => {
    await expect(probe({ method: 'HEAD' }, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }).out).resolves.toMatchObject({ status: 200, body: '' });
  });
  it('maxLatency: exactly the limit passes, a millisecond more fails the probe (exit 1) saying both', async () => {
    await expect(probe({ maxLatency: '300ms' }, { status: 200, delayMs: 300 }).out).resolves.toMatchObject({ latencyMs: 300 });
    await expect(probe({ maxLatency: 1 }, { status: 200, delayMs: 40 }).out).resolves.toMatchObject({ latencyMs: 40 });
    const err = await rejection(probe({ maxLatency: '300ms' }, { status: 200, delayMs: 301 }).out);
    expect(err).toMatchObject({ exitCode: 1, message: 'GET http://svc.test/health took 301ms, more than 300ms' });
    expect(hasSuggestions(err)).toBe(true);
  });
  it('an unexpected status fails the probe (exit 1) with a suggestion', async () => {
    const err = await rejection(probe({ expectStatus: 200 }, { status: 503 }).out);
    expect(err).toMatchObject({ exitCode: 1, message: 'GET http://svc.test/health answered 503, expected 200' });
    expect(hasSuggestions(err)).toBe(true);
  });
});

describe('prometheus.query', () => {
  const t = 1_700_000_000; // the FakeClock's start, in seconds
  const metrics = () =>
    MemoryMetrics.fromPoints([
      { labels: { __name__: 'error_ratio' }, points: [[t - 30, 0.02]] },
      { labels: { __name__: 'up', a: '1' }, points: [[t - 30, 1]] },
      { labels: { __name__: 'up', a: '2' }, points: [[t - 30, 1]] },
    ]);
  const run = (raw: Record<string, unknown>) => prometheusProbe.run(args(prometheusProbe, { query: 'error_ratio', ...raw }), faultsCtx({ metrics: metrics() }));

  it('within: the bounds are inclusive, and a missing bound does not bound', async () => {
    const cases: Array<[Record<string, unknown>, boolean]> = [
      [{}, true],
      [{ min: 0.02 }, true],
      [{ max: 0.02 }, true],
      [{ min: 0.02, max: 0.02 }, true],
      [{ min: 0.03 }, false],
      [{ min: 0.03, max: 1 }, false],
      [{ max: 0.01 }, false],
    ];
    for (const [bounds, within] of cases) expect({ bounds, out: await run(bounds) }).toEqual({ bounds, out: { value: 0.02, within } });
  });
  it('min may equal max, and either may be given alone; min above max is exit 2 naming min', () => {
    expect(args(prometheusProbe, { query: 'x', min: 1, max: 1 })).toMatchObject({ min: 1, max: 1 });
    expect(args(prometheusProbe, { query: 'x', min: 1 })).toMatchObject({ min: 1 });
    expect(inputError(() => args(prometheusProbe, { query: 'x', min: 2, max: 1 })).message).toMatch(/min: min is above max/);
  });
  it('no data fails closed (exit 3) naming the query; several series are exit 2 suggesting an aggregation', async () => {
    const none = await rejection(run({ query: 'absent_metric' }));
    expect(none).toMatchObject({ exitCode: 3 });
    expect(none.message).toContain('query returned no data: absent_metric');
    expect(hasSuggestions(none)).toBe(true);
    const many = await rejection(run({ query: 'up' }));
    expect(many).toMatchObject({ exitCode: 2, field: 'query', message: 'query: up returned 2 series; a probe needs one value' });
    expect(many.suggestions.join(' ')).toContain('sum(up)');
  });
  it('the plan says the query and the bounds it expects', async () => {
    const plan = async (raw: Record<string, unknown>) => prometheusProbe.plan(args(prometheusProbe, { query: 'up', ...raw }), faultsCtx({}));
    expect(await plan({ min: 1, max: 3 })).toEqual({ targets: [{ kind: 'query', id: 'up' }], does: 'query up, expect ≥ 1 and ≤ 3', undo: 'nothing to undo' });
    expect((await plan({ min: 1 })).does).toBe('query up, expect ≥ 1');
    expect((await plan({ max: 3 })).does).toBe('query up, expect ≤ 3');
    expect((await plan({})).does).toBe('query up');
  });
});
