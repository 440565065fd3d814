/**
 * `relia capacity little`, `capacity queue` and `capacity usl`, run as the
 * BUILT CLI (npm run build first). The USL also runs against the real
 * Prometheus with the generated history (docs/test-servers.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityLittleResult } from '../../commands/capacity/little.js';
import type { CapacityQueueResult } from '../../commands/capacity/queue.js';
import type { CapacityUslResult } from '../../commands/capacity/usl.js';
import { relia, reliaJson } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-capacity-queue-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sig4 = (x: number) => Number(x.toPrecision(4));
const CODAHALE = 'docs/examples/capacity/usl-codahale.csv';

let prom: string;
let END: string;
beforeAll(() => {
  const info = servers();
  prom = info.prometheus.url;
  END = info.history.end;
});

describe('relia capacity little', () => {
  it('solves the third of L = λW, with units', async () => {
    const r = await reliaJson<CapacityLittleResult>(['capacity', 'little', '--arrival-rate', '7500/s', '--time-in-system', '3m']);
    expect(r.json.result).toEqual({ concurrency: 1_350_000, arrivalRate: 7500, duration: 180, solved: 'concurrency' });
    const back = await reliaJson<CapacityLittleResult>(['capacity', 'little', '--concurrency', '1350000', '--arrival-rate', '450000/m']);
    expect(back.json.result?.duration).toBe(180); // 1,350,000 / 7500 per s
    const human = await relia(['capacity', 'little', '--concurrency', '800', '--time-in-system', '200ms']);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/arrival rate \(λ\) +4000\/s ← solved/);
  });

  it('exit 2 naming the flags when not exactly two are given, or a unit is wrong', async () => {
    const one = await reliaJson(['capacity', 'little', '--arrival-rate', '7500/s']);
    expect(one.exitCode).toBe(2);
    expect(one.json.error?.message).toMatch(/exactly two of --concurrency, --arrival-rate and --time-in-system; got --arrival-rate/);
    const bad = await relia(['capacity', 'little', '--arrival-rate', '7500/parsec', '--time-in-system', '3m']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--arrival-rate');
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const nan = await relia(['capacity', 'little', '--concurrency', 'lots', '--time-in-system', '3m']);
    expect(nan.exitCode).toBe(2);
    expect(nan.stderr).toContain('--concurrency: expected a number');
  });
});

describe('relia capacity queue', () => {
  it('evaluates M/M/c: the ErlangC package example to 4 significant figures', async () => {
    // Source: CRAN ErlangC example: 100 calls per 30 min, 180 s, 14 agents, 20 s target.
    const r = await reliaJson<CapacityQueueResult>(['capacity', 'queue', '--arrival-rate', '100/30m', '--service-time', '180s', '--servers', '14', '--target-wait', '20s']);
    expect(r.exitCode, r.stderr).toBe(0);
    const q = r.json.result!;
    expect(sig4(q.offeredLoad)).toBe(10);
    expect(sig4(q.probabilityOfWait)).toBe(0.1741);
    expect(Number(q.serviceLevel.toPrecision(3))).toBe(0.888);
    expect(Number((q.averageWait as number).toPrecision(3))).toBe(7.84);
    expect(Number(q.occupancy.toPrecision(3))).toBe(0.714);
    expect(q).toMatchObject({ servers: 14, stable: true, mode: 'evaluate', binding: null });
    const human = await relia(['capacity', 'queue', '--arrival-rate', '100/30m', '--service-time', '180s', '--servers', '14', '--target-wait', '20s']);
    expect(human.stdout).toMatch(/offered load +10 Erlangs/);
    expect(human.stdout).toMatch(/P\(wait\) +17\.41%/);
    expect(human.stdout).toMatch(/service level +88\.84% answered within 20 s/);
  });

  it('sizes: the fewest servers for 80% in 20 s, and for a max occupancy', async () => {
    const r = await reliaJson<CapacityQueueResult>(['capacity', 'queue', '--arrival-rate', '100/30m', '--service-time', '180s', '--target-service-level', '80%', '--target-wait', '20s']);
    expect(r.json.result).toMatchObject({ servers: 14, mode: 'size', binding: ['service-level'] });
    const occ = await reliaJson<CapacityQueueResult>(['capacity', 'queue', '--arrival-rate', '100/30m', '--service-time', '180s', '--target-service-level', '80%', '--target-wait', '20s', '--max-occupancy', '70%']);
    expect(occ.json.result).toMatchObject({ servers: 15, binding: ['max-occupancy'], serversFor: { stability: 11, serviceLevel: 14, maxOccupancy: 15, maxWait: null } });
  });

  it('sizes 100,000 servers at a load near 1 without overflow', async () => {
    const r = await reliaJson<CapacityQueueResult>(['capacity', 'queue', '--arrival-rate', '99990/s', '--service-time', '1s', '--servers', '100000']);
    expect(r.exitCode).toBe(0);
    const q = r.json.result!;
    expect(q.probabilityOfWait).toBeGreaterThan(0);
    expect(q.probabilityOfWait).toBeLessThanOrEqual(1);
    expect(Number.isFinite(q.averageWait)).toBe(true);
  });

  it('exit 1 when unstable (load ≥ servers), still printing the result', async () => {
    const r = await reliaJson<CapacityQueueResult>(['capacity', 'queue', '--arrival-rate', '100/30m', '--service-time', '180s', '--servers', '10']);
    expect(r.exitCode).toBe(1);
    expect(r.json.result).toMatchObject({ stable: false, probabilityOfWait: 1, averageWait: null });
    const human = await relia(['capacity', 'queue', '--arrival-rate', '100/30m', '--service-time', '180s', '--servers', '10']);
    expect(human.exitCode).toBe(1);
    expect(human.stderr).toMatch(/unstable: the offered load \(10 Erlangs\) is at or above the 10 servers/);
    expect(human.stderr).toContain('use at least 11 servers');
  });

  it('exit 2: --servers with a sizing goal, no goal at all, a bad fraction', async () => {
    const both = await relia(['capacity', 'queue', '--arrival-rate', '1/s', '--service-time', '1s', '--servers', '3', '--max-wait', '1s']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('give one or the other');
    const none = await reliaJson(['capacity', 'queue', '--arrival-rate', '1/s', '--service-time', '1s']);
    expect(none.exitCode).toBe(2);
    expect(none.json.error?.field).toBe('--servers');
    const frac = await relia(['capacity', 'queue', '--arrival-rate', '1/s', '--service-time', '1s', '--target-service-level', '180%']);
    expect(frac.exitCode).toBe(2);
    expect(frac.stderr).toContain('--target-service-level');
  });
});

describe('relia capacity usl', () => {
  it('fits the codahale/usl measurements to 4 significant figures, with predictions', async () => {
    // Source: codahale/usl README: σ ≈ 0.0277299, κ ≈ 0.000104343, λ ≈ 89.9878, peak 1883.76 at N ≈ 96.
    const r = await reliaJson<CapacityUslResult>(['capacity', 'usl', '--input', CODAHALE, '--predict', '64', '128']);
    expect(r.exitCode, r.stderr).toBe(0);
    const u = r.json.result!;
    expect(sig4(u.sigma)).toBe(0.02773);
    expect(sig4(u.kappa)).toBe(0.0001043);
    expect(sig4(u.lambda)).toBe(89.99);
    expect(sig4(u.peakThroughput as number)).toBe(1884);
    expect(Math.floor(u.peakConcurrency as number)).toBe(96);
    expect(u.predictions.map((p) => p.concurrency)).toEqual([64, 128]);
    expect(u.source).toEqual({ kind: 'csv', input: CODAHALE, queries: null, window: null });
    const human = await relia(['capacity', 'usl', '--input', CODAHALE]);
    expect(human.stdout).toMatch(/peak +1883\.78 at concurrency 96\.53/);
    expect(human.stdout).not.toContain('●'); // no plot off a TTY
    const forced = await relia(['capacity', 'usl', '--input', CODAHALE, '--plot']);
    expect(forced.stdout).toContain('●'); // --plot draws it into a log
    const jsonPlot = await reliaJson<CapacityUslResult>(['capacity', 'usl', '--input', CODAHALE, '--plot']);
    expect(jsonPlot.json.result?.sigma).toBe(u.sigma); // stdout stays one JSON document
    expect(jsonPlot.stderr).toContain('●'); // the plot goes to stderr
  });

  it('reads stdin, without the N = 1 row', async () => {
    const r = await reliaJson<CapacityUslResult>(['capacity', 'usl', '--input', '-'], { input: '18,996\n36,1652\n72,1853\n108,1829\n144,1775\n216,1702\n' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result?.source.input).toBe('stdin');
    expect(Math.abs((r.json.result?.peakThroughput as number) - 1883.76) / 1883.76).toBeLessThan(0.002);
  });

  it('warns instead of returning a negative coefficient', async () => {
    const csv = join(tmp, 'superlinear.csv');
    writeFileSync(csv, [1, 2, 4, 8, 16].map((n) => `${n},${100 * n * (1 + 0.02 * n)}`).join('\n'));
    const r = await reliaJson<CapacityUslResult>(['capacity', 'usl', '--input', csv]);
    expect(r.exitCode).toBe(0);
    expect(r.json.result?.sigma).toBe(0);
    expect(r.json.result?.clamped).toEqual(['sigma', 'kappa']); // with σ held at 0 the best κ ≥ 0 is 0 too: linear
    expect(r.json.warnings.join('\n')).toMatch(/unconstrained fit gives σ = -/);
  });

  it('exit 2 with the row and field of a bad CSV, or without any input', async () => {
    const csv = join(tmp, 'bad.csv');
    writeFileSync(csv, 'concurrency,throughput\n1,65\n2,lots\n');
    const r = await reliaJson(['capacity', 'usl', '--input', csv]);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.message).toContain('row 3: throughput must be zero or a positive number, got "lots"');
    expect(r.json.error?.field).toBe('row 3.throughput');
    const none = await relia(['capacity', 'usl']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('--input FILE');
    const half = await relia(['capacity', 'usl', '--concurrency-query', 'up']);
    expect(half.exitCode).toBe(2);
    expect(half.stderr).toContain('--throughput-query is missing');
  });

  it('pairs two Prometheus range queries by timestamp (real server): good requests scale linearly with all requests', async () => {
    // Over the last day of the history checkout has no incident; its good (non-500) share is
    // 1 − 0.05 % (docs/test-servers.md), so throughput = λ·N with λ ≈ 0.9995 and no contention.
    const r = await reliaJson<CapacityUslResult>([
      'capacity', 'usl', '--prometheus', prom, '--at', END, '--range', '1d', '--step', '5m',
      '--concurrency-query', 'sum(rate(http_requests_total{service="checkout"}[5m]))',
      '--throughput-query', 'sum(rate(http_requests_total{service="checkout",code!="500"}[5m]))',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const u = r.json.result!;
    expect(u.points).toBe(289); // 24 h at 5 m, both ends included
    expect(u.lambda).toBeGreaterThan(0.998);
    expect(u.lambda).toBeLessThan(1.0001);
    expect(u.sigma).toBeLessThan(1e-3);
    expect(u.kappa).toBeLessThan(1e-5);
    expect(u.source.kind).toBe('prometheus');
    expect(u.source.window).toEqual({ from: '2026-10-31T00:00:00.000Z', to: END.replace('Z', '.000Z'), step: 300 });
    // Noise pushes the unconstrained σ a hair below 0 (−2e-6): it is held at 0, with a warning that
    // shows the fit hardly changes.
    expect(u.clamped).toEqual(['sigma']);
    expect(r.json.warnings).toHaveLength(1);
    expect(r.json.warnings[0]).toMatch(/unconstrained fit gives σ = -.*held at 0.*the RMSE goes from 0\.018\d+ to 0\.018\d+, 0\.0000\d+% of the mean throughput/);
    const many = await relia(['capacity', 'usl', '--prometheus', prom, '--at', END, '--concurrency-query', 'rate(http_requests_total[5m])', '--throughput-query', 'sum(rate(http_requests_total[5m]))']);
    expect(many.exitCode).toBe(2);
    expect(many.stderr).toMatch(/--concurrency-query returned \d+ series; it must return exactly one/);
  });

  it('--from/--to with the --prometheus-* aliases: the playback peak, a wide range of concurrencies', async () => {
    // playback-peak (docs/test-servers.md): 3× traffic 2026-10-28T17:00 → 23:00 with 0.3 % errors,
    // so all requests span roughly 0.65× … 4× the mean rate; good requests stay linear in them.
    const r = await reliaJson<CapacityUslResult>([
      'capacity', 'usl', '--prometheus', prom, '--start', '2026-10-28T00:00:00Z', '--end', '2026-10-29T00:00:00Z', '--step', '10m',
      '--prometheus-concurrency', 'sum(rate(http_requests_total{service="playback"}[10m]))',
      '--prometheus-throughput', 'sum(rate(http_requests_total{service="playback",code!="500"}[10m]))',
      '--predict', '1000',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const u = r.json.result!;
    expect(u.points).toBe(145); // 24 h at 10 m, both ends
    expect(u.source.window).toEqual({ from: '2026-10-28T00:00:00.000Z', to: '2026-10-29T00:00:00.000Z', step: 600 });
    expect(u.lambda).toBeGreaterThan(0.99);
    expect(u.lambda).toBeLessThan(1.0001);
    expect(u.predictions[0]?.throughput).toBeGreaterThan(990);
  });

  it('exit 2 for a bad time range: too many points, --end without --start, time flags with a CSV', async () => {
    const q = ['--concurrency-query', 'sum(rate(http_requests_total[5m]))', '--throughput-query', 'sum(rate(http_requests_total[5m]))'];
    const dense = await reliaJson(['capacity', 'usl', '--prometheus', prom, '--at', END, '--range', '30d', '--step', '1m', ...q]);
    expect(dense.exitCode).toBe(2);
    expect(dense.json.error).toMatchObject({ field: '--step' });
    expect(dense.json.error?.message).toMatch(/43201 points; Prometheus answers at most 11000/);
    const to = await reliaJson(['capacity', 'usl', '--prometheus', prom, '--end', END, ...q]);
    expect(to.json.error).toMatchObject({ field: '--end' });
    const backwards = await reliaJson(['capacity', 'usl', '--prometheus', prom, '--start', END, '--end', '2026-10-01T00:00:00Z', ...q]);
    expect(backwards.json.error).toMatchObject({ field: '--start' });
    const csv = await reliaJson(['capacity', 'usl', '--input', CODAHALE, '--range', '1d']);
    expect(csv.exitCode).toBe(2);
    expect(csv.json.error).toMatchObject({ field: '--range' });
  });
});
