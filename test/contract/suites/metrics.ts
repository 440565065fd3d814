/**
 * The MetricsSource contract. One suite, every implementation: the Prometheus
 * adapter against real Prometheus holding the backfilled 30-day history, and
 * the in-memory fake fed the same generated series. Expected numbers come from
 * the generator (expected.json), never from relia's code.
 *
 * Queries are anchored on the 60 s sample grid (time = END or an incident
 * edge): there Prometheus 2.42's increase() is exact, because samples sit on
 * both edges of the range (docs/test-servers.md#promql).
 */
import { describe, expect, it } from 'vitest';
import type { HistoryExpected } from '../../../scripts/history/expected.mjs';
import { ReliaError } from '../../../src/core/errors.js';
import type { MetricsSource } from '../../../src/ports/metrics.js';

export type { HistoryExpected };

export interface MetricsFixture {
  source: MetricsSource;
  expected: HistoryExpected;
}

export interface MetricsContractOptions {
  /** A source whose server does not answer. */
  unreachable: () => Promise<MetricsSource>;
}

/** Ratios of integers computed two ways (Prometheus divides two rates) may differ in the last bits. */
const RATIO_TOLERANCE = 1e-12;

const sel = (service: string, code?: string) => `http_requests_total{service="${service}"${code ? `,code="${code}"` : ''}}`;

async function rejection(p: Promise<unknown>): Promise<ReliaError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(ReliaError.is(e), `expected a relia error, got ${String(e)}`).toBe(true);
  return e as ReliaError;
}

function single(samples: Array<{ labels: Record<string, string>; value: number }>): number {
  expect(samples).toHaveLength(1);
  return samples[0]!.value;
}

export function metricsContract(name: string, make: () => Promise<MetricsFixture>, options: MetricsContractOptions) {
  describe(`MetricsSource contract: ${name}`, () => {
    it('sum(increase(...[W])) at END equals the exact total and bad counts for every service and window', async () => {
      const { source, expected } = await make();
      const time = expected.endUnix * 1000;
      const checks: Array<Promise<void>> = [];
      for (const [service, exp] of Object.entries(expected.services)) {
        for (const [w, counts] of Object.entries(exp.windows)) {
          checks.push(
            source.instant(`sum(increase(${sel(service)}[${w}]))`, { time }).then((r) => {
              expect(single(r), `${service} total over ${w}`).toBe(counts.total);
            }),
            source.instant(`sum(increase(${sel(service, '500')}[${w}]))`, { time }).then((r) => {
              expect(single(r), `${service} bad over ${w}`).toBe(counts.bad);
            }),
          );
        }
      }
      await Promise.all(checks);
      await source.close();
    });

    it('incident windows anchored at the incident end give the exact incident counts', async () => {
      const { source, expected } = await make();
      for (const [service, exp] of Object.entries(expected.services)) {
        for (const inc of exp.incidents) {
          const w = `${(inc.endUnix - inc.startUnix) / 60}m`;
          const time = inc.endUnix * 1000;
          expect(single(await source.instant(`sum(increase(${sel(service, '500')}[${w}]))`, { time })), inc.name).toBe(inc.bad);
          expect(single(await source.instant(`sum(increase(${sel(service)}[${w}]))`, { time })), inc.name).toBe(inc.total);
        }
      }
      await source.close();
    });

    it('sum by (label) returns one sample per group, labelled by the group only', async () => {
      const { source, expected } = await make();
      const time = expected.endUnix * 1000;
      const bad = await source.instant('sum by (service) (increase(http_requests_total{code="500"}[1d]))', { time });
      expect(bad.map((s) => s.labels).sort((a, b) => (a.service! < b.service! ? -1 : 1))).toEqual(
        Object.keys(expected.services)
          .sort()
          .map((service) => ({ service })),
      );
      for (const s of bad) expect(s.value, s.labels.service).toBe(expected.services[s.labels.service!]!.windows['1d']!.bad);

      const plays = await source.instant('sum by (title) (increase(plays_total[1h]))', { time });
      expect(plays).toHaveLength(expected.plays.titles);
      for (const s of plays) expect(s.value, s.labels.title).toBe(expected.plays.increase[s.labels.title!]!['1h']);
      await source.close();
    });

    it('an error ratio as rate / rate matches bad / total', async () => {
      const { source, expected } = await make();
      const time = expected.endUnix * 1000;
      for (const [service, exp] of Object.entries(expected.services)) {
        const q = `sum(rate(${sel(service, '500')}[1h])) / sum(rate(${sel(service)}[1h]))`;
        const got = single(await source.instant(q, { time }));
        const want = exp.windows['1h']!.bad / exp.windows['1h']!.total;
        expect(Math.abs(got - want), `${service}: ${got} vs ${want}`).toBeLessThanOrEqual(RATIO_TOLERANCE * Math.max(1, Math.abs(want)));
      }
      await source.close();
    });

    it('a plain selector returns the series with all its labels, __name__ included', async () => {
      const { source, expected } = await make();
      const r = await source.instant(sel('checkout', '500'), { time: expected.endUnix * 1000 });
      expect(r).toHaveLength(1);
      expect(r[0]!.labels).toEqual({ __name__: 'http_requests_total', service: 'checkout', code: '500' });
      expect(Number.isInteger(r[0]!.value)).toBe(true);
      expect(r[0]!.value).toBeGreaterThanOrEqual(expected.services.checkout!.windows['30d']!.bad);
      await source.close();
    });

    it('range queries return points on the step grid, and they add up to the longer windows', async () => {
      const { source, expected } = await make();
      const end = expected.endUnix;
      const hourly = await source.range(`sum(increase(${sel('checkout', '500')}[1h]))`, { start: (end - 5 * 3600) * 1000, end: end * 1000, step: 3600 });
      expect(hourly).toHaveLength(1);
      const points = hourly[0]!.points;
      expect(points.map((p) => p[0])).toEqual([5, 4, 3, 2, 1, 0].map((h) => end - h * 3600));
      const w = expected.services.checkout!.windows;
      expect(points.at(-1)![1]).toBe(w['1h']!.bad);
      expect(points[4]![1] + points[5]![1]).toBe(w['2h']!.bad);
      expect(points.reduce((a, p) => a + p[1], 0)).toBe(w['6h']!.bad);

      const minutes = await source.range(`sum(increase(${sel('recommendations')}[1m]))`, { start: (end - 300) * 1000, end: end * 1000, step: 60 });
      expect(minutes[0]!.points.map((p) => p[0])).toEqual([300, 240, 180, 120, 60, 0].map((s) => end - s));
      expect(minutes[0]!.points.slice(1).reduce((a, p) => a + p[1], 0)).toBe(expected.services.recommendations!.windows['5m']!.total);
      await source.close();
    });

    it('time= anchoring is deterministic, and adjacent windows add up exactly', async () => {
      const { source, expected } = await make();
      const end = expected.endUnix * 1000;
      const q = (w: string) => `sum(increase(${sel('search')}[${w}]))`;
      const a = await source.instant(q('1d'), { time: end });
      const b = await source.instant(q('1d'), { time: end });
      expect(a).toEqual(b);
      const dayBefore = single(await source.instant(q('1d'), { time: end - 86_400_000 }));
      const twoDays = single(await source.instant(q('2d'), { time: end }));
      expect(dayBefore + single(a)).toBe(twoDays);
      expect(dayBefore).not.toBe(single(a));
      await source.close();
    });

    it('a query that matches no series returns [] (instant and range)', async () => {
      const { source, expected } = await make();
      const end = expected.endUnix * 1000;
      expect(await source.instant('sum(increase(http_requests_total{service="no-such-service"}[1h]))', { time: end })).toEqual([]);
      expect(await source.instant('no_such_metric_total', { time: end })).toEqual([]);
      expect(await source.range('sum(rate(no_such_metric_total[5m]))', { start: end - 3_600_000, end, step: 600 })).toEqual([]);
      await source.close();
    });

    it('special floats: x/0 is +Inf, 0/0 is NaN, for scalars and vectors (never a number, never an error)', async () => {
      const { source, expected } = await make();
      const time = expected.endUnix * 1000;
      const inf = await source.instant('1 / 0', { time });
      expect(inf).toEqual([{ labels: {}, value: Number.POSITIVE_INFINITY }]);
      const nan = await source.instant('0 / 0', { time });
      expect(nan).toHaveLength(1);
      expect(nan[0]!.value).toBeNaN();
      const vec = await source.instant(`sum(increase(${sel('checkout')}[1h])) / 0`, { time });
      expect(vec).toEqual([{ labels: {}, value: Number.POSITIVE_INFINITY }]);
      await source.close();
    });

    it('time outside the stored history: no samples before the first, [] (instant and range)', async () => {
      const { source, expected } = await make();
      const q = `sum(increase(${sel('checkout')}[1h]))`;
      const longBefore = (expected.endUnix - 400 * 86_400) * 1000;
      expect(await source.instant(q, { time: longBefore })).toEqual([]);
      expect(await source.instant(sel('checkout', '500'), { time: longBefore })).toEqual([]);
      expect(await source.range(q, { start: longBefore - 86_400_000, end: longBefore, step: 3600 })).toEqual([]);
      await source.close();
    });

    // The constructs the budget engine builds its batched queries from (src/core/budget/evaluate-plan.ts):
    // label_replace-tagged parts joined by `or`, comparisons with `bool`, max/min, and avg_over_time over a subquery.

    it('label_replace sets a label (tagging, and $1 from a regex capture); `or` keeps the left side on equal label sets', async () => {
      const { source, expected } = await make();
      const time = expected.endUnix * 1000;
      const w = expected.services.checkout!.windows['1h']!;
      const tag = (expr: string, value: string) => `label_replace(${expr}, "relia_w", "${value}", "", "")`;
      const total = `sum(increase(${sel('checkout')}[1h]))`;
      const bad = `sum(increase(${sel('checkout', '500')}[1h]))`;
      const both = await source.instant(`${tag(total, 'total')} or ${tag(bad, 'bad')}`, { time });
      expect(both.sort((a, b) => (a.labels.relia_w! < b.labels.relia_w! ? -1 : 1))).toEqual([
        { labels: { relia_w: 'bad' }, value: w.bad },
        { labels: { relia_w: 'total' }, value: w.total },
      ]);
      // untagged, both sides have the label set {}: only the left one survives
      expect(await source.instant(`${bad} or ${total}`, { time })).toEqual([{ labels: {}, value: w.bad }]);
      // `or vector(0)`: the fallback when the left side has no series
      expect(await source.instant(`sum(increase(no_such_metric_total[1h])) or vector(0)`, { time })).toEqual([{ labels: {}, value: 0 }]);
      const renamed = await source.instant('label_replace(sum by (service) (increase(http_requests_total{code="500"}[1d])), "svc", "s-$1", "service", "(.*)")', { time });
      expect(renamed).toHaveLength(Object.keys(expected.services).length);
      for (const s of renamed) {
        expect(s.labels).toEqual({ service: s.labels.service, svc: `s-${s.labels.service}` });
        expect(s.value).toBe(expected.services[s.labels.service!]!.windows['1d']!.bad);
      }
      // a regex that does not match leaves the sample as it is
      expect(await source.instant(`label_replace(${bad}, "relia_w", "x", "nope", "y")`, { time })).toEqual([{ labels: {}, value: w.bad }]);
      await source.close();
    });

    it('comparisons: `bool` answers 0/1 and drops the metric name, at equality too; without bool they filter and keep the sample', async () => {
      const { source, expected } = await make();
      const time = expected.endUnix * 1000;
      const total = expected.services.checkout!.windows['1h']!.total;
      const q = `sum(increase(${sel('checkout')}[1h]))`;
      const answers: Array<[string, number]> = [
        [`${q} > bool 0`, 1],
        [`${q} < bool 0`, 0],
        [`${q} >= bool ${total}`, 1],
        [`${q} > bool ${total}`, 0],
        [`${q} == bool ${total}`, 1],
        [`${q} != bool ${total}`, 0],
        [`${q} <= bool ${total - 1}`, 0],
        [`(${q} / ${q}) < bool 0.5`, 0],
        ['1 > bool 0', 1],
        ['(0 / 0) > bool 0', 0],
        ['(0 / 0) != bool 0', 1],
      ];
      for (const [query, want] of answers) expect(single(await source.instant(query, { time })), query).toBe(want);
      expect(await source.instant(`${q} > ${total}`, { time })).toEqual([]);
      expect(await source.instant(`${q} >= ${total}`, { time })).toEqual([{ labels: {}, value: total }]);
      // a filter keeps the series' own value and name; bool and arithmetic drop the name
      const raw = await source.instant(sel('checkout', '500'), { time });
      expect(await source.instant(`${sel('checkout', '500')} >= 0`, { time })).toEqual(raw);
      expect(await source.instant(`0 <= ${sel('checkout', '500')}`, { time })).toEqual(raw);
      expect(await source.instant(`${sel('checkout', '500')} > bool 0`, { time })).toEqual([{ labels: { service: 'checkout', code: '500' }, value: 1 }]);
      expect(await source.instant(`${sel('checkout', '500')} * 1`, { time })).toEqual([{ labels: { service: 'checkout', code: '500' }, value: raw[0]!.value }]);
      await source.close();
    });

    it('max, min, count, avg and topk aggregate; + - * between vectors match on labels', async () => {
      const { source, expected } = await make();
      const time = expected.endUnix * 1000;
      const w = expected.services.checkout!.windows['1d']!;
      const byCode = [w.total - w.bad - w.notFound, w.notFound, w.bad];
      const inc = `increase(${sel('checkout')}[1d])`;
      expect(single(await source.instant(`max(${inc})`, { time }))).toBe(Math.max(...byCode));
      expect(single(await source.instant(`min(${inc})`, { time }))).toBe(Math.min(...byCode));
      expect(single(await source.instant(`count(${inc})`, { time }))).toBe(3);
      expect(Math.abs(single(await source.instant(`avg(${inc})`, { time })) - w.total / 3)).toBeLessThanOrEqual(1e-9 * w.total);
      const bad = `sum(increase(${sel('checkout', '500')}[1d]))`;
      const total = `sum(increase(${sel('checkout')}[1d]))`;
      expect(single(await source.instant(`${total} - ${bad}`, { time }))).toBe(w.good);
      expect(single(await source.instant(`${bad} * 2 + 1`, { time }))).toBe(2 * w.bad + 1);
      expect(single(await source.instant(`-${bad}`, { time }))).toBe(-w.bad);
      expect(single(await source.instant('2 * 3 - 1', { time }))).toBe(5);
      const top = await source.instant('topk(3, sum by (title) (increase(plays_total[1h])))', { time });
      const want = Object.values(expected.plays.increase)
        .map((x) => x['1h'])
        .sort((a, b) => b - a)
        .slice(0, 3);
      expect(top.map((s) => s.value).sort((a, b) => b - a)).toEqual(want);
      for (const s of top) expect(expected.plays.increase[s.labels.title!]!['1h']).toBe(s.value);
      await source.close();
    });

    it('subqueries: steps aligned to the step, both ends of the range included; *_over_time reduce them', async () => {
      const { source, expected } = await make();
      const end = expected.endUnix * 1000;
      // [1h:1m] on the grid holds 61 steps (END−60m … END); 30 s off the grid, 60
      expect(single(await source.instant('count_over_time(vector(1)[1h:1m])', { time: end }))).toBe(61);
      expect(single(await source.instant('count_over_time(vector(1)[1h:1m])', { time: end - 30_000 }))).toBe(60);
      const perMinute = `sum(increase(${sel('search')}[1m]))`;
      // 61 one-minute increases ending END−60m … END cover the 61 minutes before END
      const sum61 = single(await source.instant(`sum(increase(${sel('search')}[61m]))`, { time: end }));
      expect(single(await source.instant(`sum_over_time(${perMinute}[1h:1m])`, { time: end }))).toBe(sum61);
      expect(Math.abs(single(await source.instant(`avg_over_time((${perMinute})[1h:1m])`, { time: end })) - sum61 / 61)).toBeLessThanOrEqual(1e-9 * sum61);
      expect(single(await source.instant(`max_over_time(${perMinute}[1h:1m])`, { time: end }))).toBeGreaterThanOrEqual(sum61 / 61);
      expect(single(await source.instant(`min_over_time(${perMinute}[1h:1m])`, { time: end }))).toBeLessThanOrEqual(sum61 / 61);
      // the budget engine's timeslices: 43 201 one-minute slices in [30d:1m]
      expect(single(await source.instant(`count_over_time((${perMinute} >= bool 0)[30d:1m])`, { time: end }))).toBe(expected.services.search!.perMinute.count);
      // a bad-slice fraction is a number in [0, 1]; over an incident it is 1
      const inc = expected.services.checkout!.incidents.find((i) => i.kind === 'errors')!;
      const slice = `(sum(increase(${sel('checkout', '500')}[1m])) / sum(increase(${sel('checkout')}[1m]))) > bool ${inc.errorRatio / 2}`;
      const minutes = (inc.endUnix - inc.startUnix) / 60;
      expect(single(await source.instant(`avg_over_time((${slice})[${minutes - 1}m:1m])`, { time: inc.endUnix * 1000 }))).toBe(1);
      await source.close();
    });

    it('a bad query is a dependency error (exit 3) that names the query', async () => {
      const { source, expected } = await make();
      for (const q of ['sum((', 'no_such_function(http_requests_total[5m])', 'http_requests_total{service=}', '1 > 0']) {
        const e = await rejection(source.instant(q, { time: expected.endUnix * 1000 }));
        expect(e.exitCode, q).toBe(3);
        expect(e.message).toContain(JSON.stringify(q));
      }
      await source.close();
    });

    it('an unreachable server is a DependencyError (exit 3) that names the query', async () => {
      const source = await options.unreachable();
      const e = await rejection(source.instant('sum(up)'));
      expect(e.name).toBe('DependencyError');
      expect(e.exitCode).toBe(3);
      expect(e.message).toContain('"sum(up)"');
      await source.close();
    });
  });
}
