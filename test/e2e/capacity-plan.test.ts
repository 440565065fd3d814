/**
 * `relia capacity plan`, `capacity forecast` and `capacity headroom`, run as
 * the BUILT CLI (npm run build first). The forecast and headroom run against
 * the real Prometheus holding the generated 30-day history
 * (docs/test-servers.md): daily sine seasonality peaking at 18:00 UTC.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityForecastResult } from '../../commands/capacity/forecast.js';
import type { CapacityHeadroomResult } from '../../commands/capacity/headroom.js';
import type { CapacityPlanResult } from '../../commands/capacity/plan.js';
import type { HistoryExpected } from '../../scripts/history/expected.mjs';
import { relia, reliaJson } from '../helpers/relia.js';
import { deadPort, servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-capacity-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const STREAMING = 'docs/examples/capacity/streaming-plan.yaml';
const CHECKOUT = 'sum(rate(http_requests_total{service="checkout"}[5m]))';

let prom: string;
let END: string;
let expected: HistoryExpected;
beforeAll(() => {
  const info = servers();
  prom = info.prometheus.url;
  expected = JSON.parse(readFileSync(info.history.expectedFile, 'utf8')) as HistoryExpected;
  END = expected.end;
});

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

const SEED_YAML = `name: seed
workload:
  peakConcurrentSessions: 15000000
  bitratePerSession: 3.5Mbps
cache:
  hitRatio: 95%
tiers:
  edge:
    perInstance:
      bandwidth: 40Gbps
`;

describe('relia capacity plan', () => {
  it('reproduces the seed model: 52,500 Gbps, 2,625 to origin, 49,875 at the edge, 1,247 servers', async () => {
    // Source: issue 4's seed model (no headroom policies).
    const r = await reliaJson<CapacityPlanResult>(['capacity', 'plan', '--plan', file('seed.yaml', SEED_YAML)]);
    expect(r.exitCode, r.stderr).toBe(0);
    const p = r.json.result!;
    expect(p.demand.totalBps).toBe(52_500e9);
    expect(Number((p.demand.originBps! / 1e9).toPrecision(10))).toBe(2625);
    expect(Number((p.demand.edgeBps! / 1e9).toPrecision(10))).toBe(49_875);
    expect(p.tiers).toEqual([expect.objectContaining({ tier: 'edge', instances: 1247, binding: ['peak'] })]);
    expect(p.emit).toBeNull();

    const human = await relia(['capacity', 'plan', '--plan', 'docs/examples/capacity/seed-plan.yaml']);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toContain('15,000,000 sessions × 3.5 Mbps = 52,500 Gbps');
    expect(human.stdout).toContain('origin bandwidth = 52,500 Gbps × (1 − 0.95) = 2,625 Gbps');
    expect(human.stdout).toContain('49,875 Gbps');
    expect(human.stdout).toMatch(/TOTAL .* edge\s+1,247/);
  });

  it('sizes the demo streaming plan under every policy, per region and in total', async () => {
    const r = await reliaJson<CapacityPlanResult>(['capacity', 'plan', '--plan', STREAMING]);
    expect(r.exitCode, r.stderr).toBe(0);
    const p = r.json.result!;
    expect(p.file).toBe(STREAMING);
    expect(p.regions.map((x) => [x.name, x.tiers[0]?.instances, x.tiers[0]?.binding])).toEqual([
      ['us-east', 936, 'n-plus-one-zone'],
      ['eu-west', 749, 'region-loss'],
      ['ap-south', 499, 'region-loss'],
    ]);
    expect(p.tiers.map((t) => [t.tier, t.instances])).toEqual([
      ['edge', 2184],
      ['origin', 186],
    ]);
    expect(p.assumptions.length).toBeGreaterThan(8);
    const human = await relia(['capacity', 'plan', '--plan', STREAMING]);
    expect(human.stdout).toContain('instances each policy needs on its own');
    expect(human.stdout).toContain('936*');
  });

  it('--emit hpa prints one HorizontalPodAutoscaler per region on stdout', async () => {
    const r = await relia(['capacity', 'plan', '--plan', STREAMING, '--emit', 'hpa', '--namespace', 'video']);
    expect(r.exitCode, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { namespace: string; annotations: Record<string, string> }; spec: { minReplicas: number; maxReplicas: number; metrics: unknown[] } });
    expect(docs.map((d) => [d.kind, d.metadata.annotations['relia.dev/region'], d.spec.minReplicas, d.spec.maxReplicas])).toEqual([
      ['HorizontalPodAutoscaler', 'us-east', 936, 936],
      ['HorizontalPodAutoscaler', 'eu-west', 564, 749],
      ['HorizontalPodAutoscaler', 'ap-south', 375, 499],
    ]);
    expect(docs[0]?.metadata.namespace).toBe('video');
  });

  it('--emit asg --out writes Auto Scaling group sizes; --json carries them too', async () => {
    const out = join(tmp, 'asg.json');
    const r = await reliaJson<CapacityPlanResult>(['capacity', 'plan', '--plan', STREAMING, '--emit', 'asg', '--tier', 'origin', '--min', 'required', '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const groups = JSON.parse(readFileSync(out, 'utf8')) as Array<{ region: string; updateAutoScalingGroup: { MinSize: number; MaxSize: number } }>;
    expect(groups.map((g) => [g.region, g.updateAutoScalingGroup.MinSize, g.updateAutoScalingGroup.MaxSize])).toEqual([
      ['us-east', 81, 81],
      ['eu-west', 63, 63],
      ['ap-south', 42, 42],
    ]);
    expect(r.json.result?.emit).toMatchObject({ format: 'asg', tier: 'origin', minFrom: 'required', file: out });
    expect(JSON.parse(r.json.result!.emit!.text)).toEqual(groups);
  });

  it('reads the plan from stdin', async () => {
    const r = await reliaJson<CapacityPlanResult>(['capacity', 'plan', '--plan', '-'], { input: SEED_YAML });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result?.file).toBe('stdin');
    expect(r.json.result?.tiers[0]?.instances).toBe(1247);
  });

  it('exit 2 naming the field and the fix for a bad plan', async () => {
    const bad = file('bad.yaml', `${SEED_YAML}regions:\n  - {name: a, share: 0.5}\n  - {name: b, share: 0.3}\n`);
    const r = await reliaJson(['capacity', 'plan', '--plan', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.field).toBe('regions');
    expect(r.json.error?.message).toContain('add up to 0.8, not 1');
    expect(r.json.error?.suggestions.join(' ')).toContain('divide each by 0.8');

    const typo = await relia(['capacity', 'plan', '--plan', file('typo.yaml', SEED_YAML.replace('hitRatio: 95%', 'hitRatio: 1.5'))]);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('cache.hitRatio');
    expect(typo.stderr).toContain('Try this');

    const tier = await reliaJson(['capacity', 'plan', '--plan', file('seed2.yaml', SEED_YAML), '--emit', 'hpa', '--tier', 'origin']);
    expect(tier.exitCode).toBe(2);
    expect(tier.json.error?.field).toBe('--tier');
    const missing = await reliaJson(['capacity', 'plan', '--plan', join(tmp, 'nope.yaml')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.json.error?.field).toBe('--plan');
  });
});

describe('relia capacity forecast', () => {
  let f: CapacityForecastResult;
  beforeAll(async () => {
    const r = await reliaJson<CapacityForecastResult>([
      'capacity', 'forecast', '--prometheus', prom, '--query', CHECKOUT, '--range', '7d', '--at', END, '--step', '5m', '--horizon', '1d',
      '--capacity-per-instance', '50/s', '--lead-time', '15m', '--target-utilization', '70%',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    f = r.json.result!;
  });

  it('reads 7 days at 5 m from Prometheus and detects the daily season', () => {
    expect(f.source).toEqual({ kind: 'prometheus', input: null, query: CHECKOUT });
    expect(f.history).toMatchObject({ points: 2017, step: 300, from: '2026-10-25T00:00:00Z', to: END, filled: 0 });
    expect(f.season).toMatchObject({ seconds: 86_400, label: '1d', source: 'detected', points: 288 });
    expect(f.season.candidates[0]?.acf).toBeGreaterThan(0.8);
  });

  it('names the next peak near 18:00 UTC, with its interval', () => {
    const peak = new Date(f.nextPeak.time);
    expect(peak.toISOString().slice(0, 10)).toBe('2026-11-01');
    expect(Math.abs(peak.getUTCHours() * 60 + peak.getUTCMinutes() - 18 * 60)).toBeLessThanOrEqual(30);
    // the model's peak: 200 rps × (1 + 0.4) = 280 rps (checkout, docs/test-servers.md)
    expect(f.nextPeak.value).toBeGreaterThan(270);
    expect(f.nextPeak.value).toBeLessThan(290);
    expect(f.nextPeak.lower).toBeLessThan(f.nextPeak.value);
    expect(f.nextPeak.upper).toBeGreaterThan(f.nextPeak.value);
    expect(f.forecast).toHaveLength(288);
  });

  it('reports the backtest MAPE on the held-out last day', () => {
    // ±3% per-minute jitter averaged by rate()[5m]: the model fits to well under 5%.
    expect(f.backtest?.points).toBe(288);
    expect(f.backtest?.mape).toBeLessThan(5);
    expect(f.backtest?.mape).toBeGreaterThan(0);
    expect(f.backtest?.coverage).toBeGreaterThan(0.7);
  });

  it('schedules capacity a lead time before each rise', () => {
    expect(f.actions[0]?.change).toBe('initial');
    const top = f.actions.reduce((a, b) => (b.instances > a.instances ? b : a));
    expect(top.instances).toBe(f.nextPeak.instances);
    expect(top.instances).toBe(Math.ceil(top.upper / 35));
    expect(Date.parse(top.from) - Date.parse(top.at)).toBe(15 * 60 * 1000);
    expect(Date.parse(top.from)).toBeLessThanOrEqual(Date.parse(f.nextPeak.time));
  });

  it('prints a human summary', async () => {
    const r = await relia(['capacity', 'forecast', '--prometheus', prom, '--query', CHECKOUT, '--range', '7d', '--at', END, '--horizon', '1d']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('season     1d (detected)');
    expect(r.stdout).toMatch(/backtest\s+MAPE \d+\.\d\d%/);
    expect(r.stdout).toContain('peak');
  });

  it('forecasts a CSV from stdin', async () => {
    const start = Date.parse('2026-10-01T00:00:00Z') / 1000;
    const lines = ['timestamp,value'];
    for (let i = 0; i < 4 * 24; i++) lines.push(`${new Date((start + i * 3600) * 1000).toISOString()},${(100 + 50 * Math.sin((2 * Math.PI * (i - 12)) / 24) + (i % 3)).toFixed(3)}`);
    const r = await reliaJson<CapacityForecastResult>(['capacity', 'forecast', '--input', '-', '--horizon', '12h'], { input: `${lines.join('\n')}\n` });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result?.source).toEqual({ kind: 'csv', input: 'stdin', query: null });
    expect(r.json.result?.season.label).toBe('1d');
    expect(r.json.result?.forecast).toHaveLength(12);
    expect(r.json.result?.actions).toEqual([]);
  });

  it('exit 2 for bad input, naming the flag; exit 3 when Prometheus is down', async () => {
    const none = await reliaJson(['capacity', 'forecast', '--horizon', '1d']);
    expect(none.exitCode).toBe(2);
    expect(none.json.error?.field).toBe('--input');
    const many = await reliaJson(['capacity', 'forecast', '--prometheus', prom, '--query', 'rate(http_requests_total{service="checkout"}[5m])', '--range', '1d', '--at', END]);
    expect(many.exitCode).toBe(2);
    expect(many.json.error?.message).toContain('series');
    expect(many.json.error?.suggestions.join(' ')).toContain('sum(');
    const season = await reliaJson(['capacity', 'forecast', '--prometheus', prom, '--query', CHECKOUT, '--range', '1d', '--at', END, '--season', '1d']);
    expect(season.exitCode).toBe(2);
    expect(season.json.error?.field).toBe('--season');
    const down = await reliaJson(['capacity', 'forecast', '--prometheus', `http://127.0.0.1:${await deadPort()}`, '--query', CHECKOUT, '--range', '1d', '--at', END]);
    expect(down.exitCode).toBe(3);
  });
});

describe('relia capacity headroom', () => {
  it('from flags: headroom % = (capacity − usage) / capacity, no trend', async () => {
    const r = await reliaJson<CapacityHeadroomResult>(['capacity', 'headroom', '--usage', '7500/s', '--capacity', '10000/s', '--at', END]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result).toMatchObject({ usage: 7500, capacity: 10_000, unit: '/s', headroom: 0.25, headroomPercent: 25, outlook: 'unknown', timeToSaturation: null, saturationAt: null, query: null });
    const human = await relia(['capacity', 'headroom', '--usage', '450000/m', '--capacity', '10000']);
    expect(human.stdout).toMatch(/headroom\s+25\.0%/);
  });

  it('from Prometheus: current usage, and the trend over 7 days', async () => {
    const r = await reliaJson<CapacityHeadroomResult>(['capacity', 'headroom', '--prometheus', prom, '--usage-query', CHECKOUT, '--capacity', '400/s', '--at', END]);
    expect(r.exitCode, r.stderr).toBe(0);
    const h = r.json.result!;
    // rate over the last 5 minutes at END = the generator's 5m total / 300 s
    const usage = expected.services.checkout!.windows['5m']!.total / 300;
    expect(h.usage).toBeCloseTo(usage, 9);
    expect(h.headroom).toBeCloseTo((400 - usage) / 400, 12);
    expect(h.trend).toMatchObject({ window: 7 * 86_400, deseasonalized: true, from: '2026-10-25T00:00:00Z', to: END });
    // the history has no trend, only the daily cycle: the slope is a small fraction of the level
    expect(Math.abs(h.trend!.slopePerDay)).toBeLessThan(2);
    if (h.trend!.slopePerSecond <= 0) {
      expect(h.outlook).toBe('never');
      expect(h.timeToSaturation).toBeNull();
    } else {
      expect(h.timeToSaturation).toBeCloseTo((400 - usage) / h.trend!.slopePerSecond, 3);
    }
  });

  it('--min-headroom fails the check with exit 1, still printing the result', async () => {
    const r = await reliaJson<CapacityHeadroomResult>(['capacity', 'headroom', '--prometheus', prom, '--usage-query', CHECKOUT, '--capacity', '400/s', '--at', END, '--min-headroom', '60%']);
    expect(r.exitCode).toBe(1);
    expect(r.json.result?.belowMinimum).toBe(true);
    expect(r.json.error?.message).toContain('below --min-headroom 60%');
  });

  it('exit 2 naming the flag when units do not match or usage is missing', async () => {
    const mixed = await reliaJson(['capacity', 'headroom', '--usage', '7500/s', '--capacity', '40Gbps']);
    expect(mixed.exitCode).toBe(2);
    expect(mixed.json.error?.field).toBe('--capacity');
    const none = await reliaJson(['capacity', 'headroom', '--capacity', '40Gbps']);
    expect(none.exitCode).toBe(2);
    expect(none.json.error?.field).toBe('--usage');
  });
});
