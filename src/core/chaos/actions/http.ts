/**
 * Read-only probes through the http and metrics ports: an HTTP probe (status,
 * latency, body; also the chaostoolkit `http` provider: url, method, headers,
 * arguments, timeout, expected_status) and a Prometheus query with bounds.
 */
import { z } from 'zod';
import { CheckFailedError, DependencyError, InputError } from '../../errors.js';
import type { HttpRequest } from '../../../ports/http.js';
import type { ProbeDefinition } from '../activity.js';
import { durationMs, httpMethod, httpUrl, ms } from './common.js';

/** chaostoolkit's snake_case names are accepted as they are written in its experiments. */
function aliases(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { expected_status, expectedStatus, ...rest } = input as Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  // undefined when none is written: the same as absent for this optional field
  out.expectStatus = out.expectStatus ?? expectedStatus ?? expected_status;
  // chaostoolkit's [connect, read] pair: the limit is their sum, in seconds (one duration, read by durationMs)
  const t = out.timeout;
  if (Array.isArray(t) && t.length === 2 && t.every((n) => typeof n === 'number' && n > 0)) out.timeout = (t[0] as number) + (t[1] as number);
  return out;
}

const HttpArgs = z.preprocess(
  aliases,
  z.strictObject({
    url: httpUrl,
    method: httpMethod,
    headers: z.record(z.string(), z.string()).optional(),
    /** chaostoolkit: query parameters for GET/HEAD/DELETE, a JSON body otherwise. */
    arguments: z.record(z.string(), z.unknown()).optional(),
    body: z.string().optional(),
    /** Seconds (chaostoolkit), a duration, or chaostoolkit's [connect, read] pair (their sum is the limit, see aliases). */
    timeout: durationMs('10s').default(10_000),
    /** The probe fails unless the status is one of these (chaostoolkit's expected_status). */
    expectStatus: z.union([z.number().int(), z.array(z.number().int()).min(1)]).optional(),
    /** The probe fails when the response takes longer. */
    maxLatency: durationMs('300ms').optional(),
  }),
);
export type HttpArgs = z.infer<typeof HttpArgs>;

export interface HttpProbeOutput {
  status: number;
  headers: Record<string, string>;
  /** JSON when the response says so and parses, else text. */
  body: unknown;
  latencyMs: number;
}

function buildRequest(a: HttpArgs): HttpRequest {
  let target = a.url;
  let body = a.body;
  const headers = { ...(a.headers ?? {}) };
  if (a.arguments !== undefined) {
    if (a.method === 'GET' || a.method === 'HEAD' || a.method === 'DELETE') {
      const u = new URL(a.url);
      for (const [k, v] of Object.entries(a.arguments)) u.searchParams.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      target = u.toString();
    } else {
      if (body !== undefined) throw new InputError('arguments and body cannot both be given', { field: 'arguments', suggestions: ['keep one: arguments is sent as a JSON body'] });
      body = JSON.stringify(a.arguments);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
  }
  // the http port sends no body when `body` is undefined
  return { method: a.method, url: target, headers, body, timeoutMs: a.timeout, readBody: a.method !== 'HEAD' };
}

export const httpProbe: ProbeDefinition<HttpArgs> = {
  type: 'http.request',
  summary: 'HTTP request: status, latency and body (the chaostoolkit http provider)',
  args: HttpArgs,
  async plan(a) {
    const req = buildRequest(a);
    return { targets: [{ kind: 'url', id: req.url, detail: req.method }], does: `${req.method} ${req.url} (timeout ${ms(a.timeout)})`, undo: 'nothing to undo' };
  },
  async run(a, ctx) {
    const http = await ctx.ports.get('http');
    const res = await http.request({ ...buildRequest(a), signal: ctx.signal });
    const text = res.body?.toString('utf8') ?? '';
    let body: unknown = text;
    const type = res.headers['content-type'];
    // Stryker disable next-line StringLiteral: equivalent, no content-type and any text without "json" both fail the test
    if (/json/.test(type ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON after all (an empty body included): the text as it is
      }
    }
    const out: HttpProbeOutput = { status: res.status, headers: res.headers, body, latencyMs: Math.round(res.durationMs * 10) / 10 };
    const expected = a.expectStatus === undefined ? undefined : Array.isArray(a.expectStatus) ? a.expectStatus : [a.expectStatus];
    if (expected && !expected.includes(res.status)) {
      throw new CheckFailedError(`${a.method} ${a.url} answered ${res.status}, expected ${expected.join(' or ')}`, { suggestions: ['check the service, or the expected status'] });
    }
    const maxLatency = a.maxLatency ?? Infinity;
    if (res.durationMs > maxLatency) {
      throw new CheckFailedError(`${a.method} ${a.url} took ${Math.round(res.durationMs)}ms, more than ${ms(maxLatency)}`, { suggestions: ['check the service, or raise maxLatency'] });
    }
    return out;
  },
  // chaostoolkit sets `arguments.value`: a query parameter for GET/HEAD/DELETE, a field of the JSON body otherwise.
  withValue: (a, value) => ({ ...a, arguments: { ...(a.arguments ?? {}), value } }),
};

const PromArgs = z
  .strictObject({
    query: z.string().min(1),
    /** The value must be at least this. */
    min: z.number().optional(),
    /** The value must be at most this. */
    max: z.number().optional(),
    /** chaostoolkit's `when`: only `now` (the default) is supported. */
    when: z.literal('now').optional(),
  })
  .refine((a) => a.min === undefined || a.max === undefined || a.min <= a.max, { path: ['min'], message: 'min is above max' });
export type PromArgs = z.infer<typeof PromArgs>;

export interface PromProbeOutput {
  value: number;
  /** True when the value is within [min, max] (or no bounds were given). */
  within: boolean;
}

export const prometheusProbe: ProbeDefinition<PromArgs> = {
  type: 'prometheus.query',
  summary: 'A PromQL query that returns one value, checked against min/max bounds',
  args: PromArgs,
  async plan(a) {
    const bounds = [a.min !== undefined ? `≥ ${a.min}` : '', a.max !== undefined ? `≤ ${a.max}` : ''].filter(Boolean).join(' and ');
    return { targets: [{ kind: 'query', id: a.query }], does: `query ${a.query}${bounds ? `, expect ${bounds}` : ''}`, undo: 'nothing to undo' };
  },
  async run(a, ctx) {
    const metrics = await ctx.ports.get('metrics');
    const samples = await metrics.instant(a.query, { signal: ctx.signal, time: ctx.clock.now() });
    if (samples.length === 0) {
      throw new DependencyError(metrics.kind, `query returned no data: ${a.query}`, { suggestions: ['check the metric names and labels in the query; a probe fails closed without data'] });
    }
    if (samples.length > 1) {
      throw new InputError(`query: ${a.query} returned ${samples.length} series; a probe needs one value`, { field: 'query', suggestions: [`aggregate it, e.g. sum(${a.query}) or max(${a.query})`] });
    }
    const value = (samples[0] as { value: number }).value;
    const within = (a.min === undefined || value >= a.min) && (a.max === undefined || value <= a.max) && !Number.isNaN(value);
    const out: PromProbeOutput = { value, within };
    return out;
  },
};
