import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPrometheusSource } from '../../plugins/prometheus/src/adapter.js';
import { computeExpected, type HistoryExpected } from '../../scripts/history/expected.mjs';
import { FIRST_S, STEP_S, buildSeries, type HistorySeries } from '../../scripts/history/model.mjs';
import { InstrumentedMetrics } from '../fakes/instrumented-metrics.js';
import { MemoryMetrics, type MemorySeries } from '../fakes/memory-metrics.js';
import { deadPort, kit, servers } from '../helpers/servers.js';
import { metricsContract } from './suites/metrics.js';

const realExpected = (): HistoryExpected => JSON.parse(readFileSync(servers().history.expectedFile, 'utf8')) as HistoryExpected;

metricsContract(
  'prometheus (real Prometheus 2.42, backfilled history)',
  async () => ({ source: createPrometheusSource({ url: servers().prometheus.url, timeoutMs: 10_000, retries: 0 }, kit), expected: realExpected() }),
  { unreachable: async () => createPrometheusSource({ url: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 1000, retries: 0 }, kit) },
);

// The fake holds the very series the generator backfilled into Prometheus.
let generated: { series: HistorySeries[]; memory: MemorySeries[]; expected: HistoryExpected } | undefined;
function history() {
  if (!generated) {
    const series = buildSeries();
    const times = new Float64Array(series[0]!.cum.length).map((_, i) => FIRST_S + i * STEP_S);
    const memory = series.map((s) => ({ labels: { __name__: `${s.family}_total`, ...s.labels }, times, values: s.cum }));
    generated = { series, memory, expected: computeExpected(series) };
  }
  return generated;
}

metricsContract(
  'memory fake inside InstrumentedMetrics (no faults armed)',
  async () => ({ source: new InstrumentedMetrics(new MemoryMetrics(history().memory)), expected: history().expected }),
  { unreachable: async () => new InstrumentedMetrics(new MemoryMetrics([], { unreachable: true })) },
);

metricsContract(
  'memory fake (same generated series)',
  async () => ({ source: new MemoryMetrics(history().memory), expected: history().expected }),
  { unreachable: async () => new MemoryMetrics([], { unreachable: true }) },
);

describe('the backfilled history', () => {
  it('expected.json from the servers is what the generator computes in-process', () => {
    expect(realExpected()).toEqual(JSON.parse(JSON.stringify(history().expected)));
  });

  it('has the shape the budget tests rely on', () => {
    const { services, end } = history().expected;
    expect(end).toBe('2026-11-01T00:00:00Z');
    // billing is too thin for a 100 000-event guard
    expect(services.billing!.windows['30d']!.total).toBeLessThan(100_000);
    // recommendations has spent more than a 99.9 % budget, and burns fast at the end
    const rec = services.recommendations!.windows;
    expect(rec['30d']!.bad / rec['30d']!.total).toBeGreaterThan(0.001);
    expect(rec['1h']!.bad / rec['1h']!.total).toBeGreaterThan(0.05);
    // the others are within a 99.9 % objective over 30 days
    for (const s of ['checkout', 'search', 'playback']) expect(services[s]!.windows['30d']!.bad / services[s]!.windows['30d']!.total).toBeLessThan(0.001);
    // playback's peak triples traffic
    const peak = history().expected.playbackPeak;
    expect(peak.total / ((peak.endUnix - peak.startUnix) * services.playback!.meanRps)).toBeGreaterThan(2);
  });

  it('off the sample grid both extrapolate the same way (the fake follows Prometheus 2.42)', async () => {
    const real = createPrometheusSource({ url: servers().prometheus.url, timeoutMs: 10_000, retries: 0 }, kit);
    const fake = new MemoryMetrics(history().memory);
    const end = history().expected.endUnix * 1000;
    const queries = [
      'sum(increase(http_requests_total{service="checkout"}[5m]))',
      'sum(increase(http_requests_total{service="billing",code="500"}[1d]))',
      'sum by (code) (rate(http_requests_total{service="search"}[30m]))',
      'sum(increase(plays_total{title="t007"}[1h])) / sum(increase(plays_total[1h]))',
    ];
    for (const q of queries) {
      for (const time of [end - 30_000, end - 86_400_000 - 17_000, end - 45_000]) {
        const order = (r: Array<{ labels: Record<string, string>; value: number }>) => [...r].sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1));
        const want = order(await real.instant(q, { time }));
        const got = order(await fake.instant(q, { time }));
        expect(got.map((s) => s.labels), q).toEqual(want.map((s) => s.labels));
        got.forEach((s, i) => expect(Math.abs(s.value - want[i]!.value), `${q} @ ${time}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want[i]!.value))));
      }
    }
    await real.close();
  });

  it('p90 of the per-minute rate: PromQL quantile_over_time over a 1m subquery reproduces it', async () => {
    const { expected } = history();
    const source = createPrometheusSource({ url: servers().prometheus.url, timeoutMs: 20_000, retries: 0 }, kit);
    for (const [service, exp] of Object.entries(expected.services)) {
      const q = `quantile_over_time(0.9, sum(rate(http_requests_total{service="${service}"}[1m]))[30d:1m])`;
      const [got] = await source.instant(q, { time: expected.endUnix * 1000 });
      expect(Math.abs(got!.value - exp.perMinute.p90Rate), service).toBeLessThanOrEqual(1e-9 * Math.max(1, exp.perMinute.p90Rate));
    }
    await source.close();
  });
});
