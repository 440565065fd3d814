/**
 * The budget, capacity and risk commands in-process (oclif's runner, output
 * captured), so coverage sees their glue in commands/, src/cli/<topic>/ and
 * the Prometheus adapter. Metrics come from a loopback stand-in of the query
 * API (test/helpers/prometheus-standin.ts) serving the contract-checked
 * metrics fake, fed the same generated 30-day history the real Prometheus of
 * the contract and e2e suites holds; expected numbers come from the
 * generator (scripts/history), never from relia. The subprocess e2e tests
 * still run the built binary against the real servers.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BudgetCheck from '../../../commands/budget/check.js';
import CacheWarm from '../../../commands/cache/warm.js';
import BudgetRules from '../../../commands/budget/rules.js';
import BudgetStatus from '../../../commands/budget/status.js';
import CapacityForecast from '../../../commands/capacity/forecast.js';
import CapacityHeadroom from '../../../commands/capacity/headroom.js';
import CapacityUsl from '../../../commands/capacity/usl.js';
import RiskHistory from '../../../commands/risk/history.js';
import RiskRegister from '../../../commands/risk/register.js';
import RiskSimulate from '../../../commands/risk/simulate.js';
import { computeExpected, type HistoryExpected } from '../../../scripts/history/expected.mjs';
import { buildSeries, FIRST_S, STEP_S } from '../../../scripts/history/model.mjs';
import { MemoryMetrics } from '../../fakes/memory-metrics.js';
import { runInProcess } from '../../helpers/in-process.js';
import { prometheusStandIn, type PrometheusStandIn } from '../../helpers/prometheus-standin.js';

interface Env<R = Record<string, unknown>> {
  status: number;
  result?: R;
  error?: { name: string; message: string; field?: string; suggestions: string[] };
  warnings: string[];
}

const SLOS = 'docs/examples/slo/services';
const dir = mkdtempSync(join(tmpdir(), 'relia-families-'));
let prom: PrometheusStandIn;
let expected: HistoryExpected;
let END: string;

beforeAll(async () => {
  const series = buildSeries();
  const times = new Float64Array(series[0]!.cum.length).map((_, i) => FIRST_S + i * STEP_S);
  expected = computeExpected(series);
  END = expected.end;
  // "server now" is the end of the history, for queries sent without a time (cache warm's prometheus: source)
  const now = () => expected.endUnix * 1000;
  prom = await prometheusStandIn(new MemoryMetrics(series.map((s) => ({ labels: { __name__: `${s.family}_total`, ...s.labels }, times, values: s.cum })), { now }));
}, 120_000);
afterAll(async () => {
  await prom?.close();
  rmSync(dir, { recursive: true, force: true });
});

// A config without environments: the flags name every endpoint.
const noConfig = () => ['--config', join(dir, 'none.yaml')];
writeFileSync(join(dir, 'none.yaml'), 'version: 1\n');

describe('budget status and check in-process', () => {
  it('status: every SLO with its budget left, computed from the generator counts (human and --json)', async () => {
    const json = await runInProcess(BudgetStatus, ['--slo', SLOS, '--prometheus', prom.url, '--at', END, '--json', ...noConfig()]);
    expect(json.exitCode).toBe(0);
    const env = json.json<Env<{ slos: Array<{ service: string; objective: number; events: { total: number; bad: number } | null; budgetRemaining: number | null }> }>>();
    expect(env.status).toBe(0);
    const bySvc = new Map(env.result!.slos.map((s) => [s.service, s]));
    for (const service of ['checkout', 'search', 'recommendations']) {
      const w = expected.services[service]!.windows['30d']!;
      expect(bySvc.get(service)!.events).toMatchObject({ total: w.total, bad: w.bad });
      // the objective is the spec's (docs/examples/slo/services/<service>.yaml)
      expect(bySvc.get(service)!.budgetRemaining!).toBeCloseTo(1 - w.bad / ((1 - bySvc.get(service)!.objective) * w.total), 9);
    }
    const human = await runInProcess(BudgetStatus, ['--slo', SLOS, '--prometheus', prom.url, '--at', END, ...noConfig()]);
    expect(human.exitCode).toBe(0);
    for (const service of ['checkout', 'search', 'recommendations', 'playback']) expect(human.stdout).toContain(service);
  });

  it('check: a service within budget passes (exit 0); recommendations, over budget and burning, blocks (exit 1) with its reports', async () => {
    const ok = await runInProcess(BudgetCheck, ['--slo', join(SLOS, 'search.yaml'), '--prometheus', prom.url, '--at', END, ...noConfig()]);
    expect(ok.exitCode).toBe(0);
    const junit = join(dir, 'junit.xml');
    const md = join(dir, 'report.md');
    const blocked = await runInProcess(BudgetCheck, ['--slo', join(SLOS, 'recommendations.yaml'), '--prometheus', prom.url, '--at', END, '--junit', junit, '--markdown', md, '--json', ...noConfig()]);
    expect(blocked.exitCode).toBe(1);
    const env = blocked.json<Env<{ slos: Array<{ blocked: boolean; blocks: string[] }> }>>();
    expect(env.status).toBe(1);
    expect(env.error?.name).toBe('CheckFailed');
    expect(env.result!.slos[0]!.blocked).toBe(true);
    expect(env.result!.slos[0]!.blocks).toContain('budget-exhausted');
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure/);
    expect(readFileSync(md, 'utf8')).toContain('recommendations');
  });

  it('check fails closed: an unreachable Prometheus is exit 3, and --on-unavailable pass passes with a warning', async () => {
    const down = 'http://127.0.0.1:9/';
    const closed = await runInProcess(BudgetCheck, ['--slo', join(SLOS, 'search.yaml'), '--prometheus', down, '--at', END, '--json', ...noConfig()]);
    expect(closed.exitCode).toBe(3);
    expect(closed.json<Env>().error?.name).toBe('DependencyError');
    const open = await runInProcess(BudgetCheck, ['--slo', join(SLOS, 'search.yaml'), '--prometheus', down, '--at', END, '--on-unavailable', 'pass', '--json', ...noConfig()]);
    expect(open.exitCode).toBe(0);
    expect(open.json<Env>().warnings.join(' ')).toMatch(/unavailable/i);
  });

  it('bad input is exit 2 naming the flag, before any query', async () => {
    const before = prom.queries.length;
    const at = await runInProcess(BudgetCheck, ['--slo', join(SLOS, 'search.yaml'), '--prometheus', prom.url, '--at', 'yesterday', '--json', ...noConfig()]);
    expect(at.exitCode).toBe(2);
    expect(at.json<Env>().error?.field).toBe('--at');
    const missing = await runInProcess(BudgetStatus, ['--slo', join(dir, 'nope.yaml'), '--prometheus', prom.url, '--json', ...noConfig()]);
    expect(missing.exitCode).toBe(2);
    expect(prom.queries.length).toBe(before);
  });

  it('rules: Prometheus recording and alerting rules for the specs, to stdout or atomically to --out', async () => {
    const out = await runInProcess(BudgetRules, ['--slo', join(SLOS, 'checkout.yaml'), ...noConfig()]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/groups:/);
    expect(out.stdout).toMatch(/record: /);
    expect(out.stdout).toMatch(/alert: /);
    const file = join(dir, 'rules.yaml');
    const written = await runInProcess(BudgetRules, ['--slo', join(SLOS, 'checkout.yaml'), '--out', file, '--no-page', ...noConfig()]);
    expect(written.exitCode).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/groups:/);
  });
});

describe('capacity usl, headroom and forecast in-process', () => {
  it('usl fits the codahale measurements and predicts; a missing input is exit 2', async () => {
    const r = await runInProcess(CapacityUsl, ['--input', 'docs/examples/capacity/usl-codahale.csv', '--predict', '64', '--json', ...noConfig()]);
    expect(r.exitCode).toBe(0);
    const env = r.json<Env<{ sigma: number; kappa: number }>>();
    expect(env.result!.sigma).toBeGreaterThan(0);
    expect(env.result!.kappa).toBeGreaterThan(0);
    const human = await runInProcess(CapacityUsl, ['--input', 'docs/examples/capacity/usl-codahale.csv', '--plot', ...noConfig()]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout.length).toBeGreaterThan(100);
    expect((await runInProcess(CapacityUsl, ['--json', ...noConfig()])).exitCode).toBe(2);
  });

  it('headroom: usage against capacity (450000/m of 10000/s is 25 % used)', async () => {
    const r = await runInProcess(CapacityHeadroom, ['--usage', '450000/m', '--capacity', '10000', '--json', ...noConfig()]);
    expect(r.exitCode).toBe(0);
    expect(JSON.stringify(r.json<Env>().result)).toMatch(/0\.75|75/);
    const mixed = await runInProcess(CapacityHeadroom, ['--usage', '7500/s', '--capacity', '40Gbps', '--json', ...noConfig()]);
    expect(mixed.exitCode).toBe(2);
  });

  it('forecast: a week of checkout traffic from the stand-in, a day ahead', async () => {
    const q = 'sum(rate(http_requests_total{service="checkout"}[5m]))';
    const r = await runInProcess(CapacityForecast, ['--prometheus', prom.url, '--query', q, '--range', '7d', '--at', END, '--horizon', '1d', '--json', ...noConfig()]);
    expect(r.exitCode).toBe(0);
    expect(prom.queries).toContain(q);
    const human = await runInProcess(CapacityForecast, ['--prometheus', prom.url, '--query', q, '--range', '7d', '--at', END, '--horizon', '1d', ...noConfig()]);
    expect(human.exitCode).toBe(0);
    const many = await runInProcess(CapacityForecast, ['--prometheus', prom.url, '--query', 'rate(http_requests_total{service="checkout"}[5m])', '--range', '1d', '--at', END, '--json', ...noConfig()]);
    expect(many.exitCode).toBe(2);
  });
});

describe('risk register, history and simulate in-process', () => {
  it('history of the example incidents (human, --monthly, --json)', async () => {
    const json = await runInProcess(RiskHistory, ['-i', 'docs/examples/risk/incidents.csv', '--at', '2026-12-01T00:00:00Z', '--json', ...noConfig()]);
    expect(json.exitCode).toBe(0);
    expect(json.json<Env>().result).toBeDefined();
    const human = await runInProcess(RiskHistory, ['-i', 'docs/examples/risk/incidents.csv', '--at', '2026-12-01T00:00:00Z', '--monthly', ...noConfig()]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout.length).toBeGreaterThan(100);
  });

  it('register from the incidents, to stdout and to --out (refusing to overwrite without --force)', async () => {
    const r = await runInProcess(RiskRegister, ['-i', 'docs/examples/risk/incidents.csv', '--objective', '99.9', ...noConfig()]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/risks:/);
    const out = join(dir, 'register.yaml');
    expect((await runInProcess(RiskRegister, ['-i', 'docs/examples/risk/incidents.csv', '--out', out, ...noConfig()])).exitCode).toBe(0);
    const again = await runInProcess(RiskRegister, ['-i', 'docs/examples/risk/incidents.csv', '--out', out, '--json', ...noConfig()]);
    expect(again.exitCode).toBe(2);
    expect((await runInProcess(RiskRegister, ['-i', 'docs/examples/risk/incidents.csv', '--out', out, '--force', ...noConfig()])).exitCode).toBe(0);
  });

  it('simulate is reproducible with --seed', async () => {
    const args = ['-r', 'docs/examples/risk/register.yaml', '--seed', '7', '--years', '2000', '--json', ...noConfig()];
    const a = await runInProcess(RiskSimulate, args);
    const b = await runInProcess(RiskSimulate, args);
    expect(a.exitCode).toBe(0);
    expect(a.json<Env>().result).toEqual(b.json<Env>().result);
    const human = await runInProcess(RiskSimulate, ['-r', 'docs/examples/risk/register.yaml', '--seed', '7', '--years', '500', '--mitigated', ...noConfig()]);
    expect(human.exitCode).toBe(0);
  });
});

describe('cache warm (HTTP mode) in-process', () => {
  it('warms every key through a loopback CDN stand-in, keys from a file and from the metrics stand-in; --dry-run sends nothing', async () => {
    const { createServer } = await import('node:http');
    const seen: string[] = [];
    const cdn = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(req.url?.includes('missing') ? 404 : 200, { 'x-cache': seen.filter((s) => s.endsWith(req.url ?? '')).length > 1 ? 'HIT' : 'MISS' });
      res.end('ok');
    });
    await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(cdn.address() as { port: number }).port}`;
    try {
      const keys = join(dir, 'keys.txt');
      writeFileSync(keys, ['/a', '/b', '/c', '/d'].join('\n'));
      const dry = await runInProcess(CacheWarm, ['--source', keys, '--target', base, '--dry-run', '--json', ...noConfig()]);
      expect(dry.exitCode).toBe(0);
      expect(seen).toEqual([]);
      const run = await runInProcess(CacheWarm, ['--source', keys, '--target', base, '--no-progress', '--checkpoint', join(dir, 'warm.json'), '--json', ...noConfig()]);
      expect(run.exitCode).toBe(0);
      expect(seen.map((s) => s.split(' ')[1]).sort()).toEqual(['/a', '/b', '/c', '/d']);
      // the most popular titles, from the metrics (the stand-in serves the generated plays_total)
      seen.length = 0;
      const popular = await runInProcess(CacheWarm, ['--source', 'prometheus:topk(3, sum by (title) (increase(plays_total[1h])))', '--template', '/titles/{title}.json', '--target', base, '--no-progress', '--checkpoint', join(dir, 'warm2.json'), '--json', ...noConfig()], { env: { RELIA_METRICS_URL: prom.url } });
      expect(popular.exitCode).toBe(0);
      expect(seen).toHaveLength(3);
      for (const s of seen) expect(s).toMatch(/^GET \/titles\/t\d+\.json$/);
      const badTarget = await runInProcess(CacheWarm, ['--source', keys, '--target', 'ftp://x', '--json', ...noConfig()]);
      expect(badTarget.exitCode).toBe(2);
      expect(badTarget.json<Env>().error?.field).toBe('--target');
    } finally {
      await new Promise<void>((r) => cdn.close(() => r()));
    }
  });
});
