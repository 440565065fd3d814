import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { HaltSwitch } from '../../../../src/cli/chaos/halt.js';
import type { SloDefinition } from '../../../../src/core/budget/index.js';
import { runExperiment } from '../../../../src/core/chaos/engine.js';
import { checkGuard, SampleWindow, sloErrorRatioQuery, type GuardEnv } from '../../../../src/core/chaos/guards.js';
import { chaosExperimentJsonSchema, parseNative } from '../../../../src/core/chaos/native.js';
import { junitJournal, markdownJournal, summarise } from '../../../../src/core/chaos/report.js';
import { chaosCronJob, envRefs } from '../../../../src/core/chaos/schedule.js';
import { MemoryAlarms } from '../../../fakes/memory-alarms.js';
import { MemoryCache } from '../../../fakes/memory-cache.js';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { FakeClock, options, ports, World } from './world.js';

const slo: SloDefinition = {
  id: 'checkout/availability',
  service: 'checkout',
  name: 'availability',
  objective: 0.999,
  window: { type: 'rolling', seconds: 30 * 86400, label: '30d' },
  budgeting: { method: 'occurrences' },
  sli: { type: 'ratio', bad: 'sum(rate(http_requests_total{code="500"}[{{.window}}]))', total: 'sum(rate(http_requests_total[{{.window}}]))' },
  labels: {},
  source: { file: 'slo.yaml', path: '', format: 'relia' },
};

function env(over: Partial<GuardEnv>): GuardEnv {
  return {
    now: () => 1_700_000_000_000,
    startedAt: 1_700_000_000_000,
    metrics: async () => new MemoryMetrics([]),
    alarms: async () => new MemoryAlarms(),
    slos: new Map(),
    windows: new Map(),
    signal: new AbortController().signal,
    ...over,
  };
}

describe('guards', () => {
  it('sloBurn: the error ratio over the window, as a burn rate by the budget family (1 % errors on 99.9 % = 10×)', async () => {
    const now = 1_700_000_000_000;
    const t = (k: number) => now / 1000 - 600 + k * 15;
    const pts = (rate: number) => Array.from({ length: 41 }, (_, k) => [t(k), rate * 15 * k] as [number, number]);
    const metrics = MemoryMetrics.fromPoints(
      [
        { labels: { __name__: 'http_requests_total', code: '200' }, points: pts(99) },
        { labels: { __name__: 'http_requests_total', code: '500' }, points: pts(1) },
      ],
      { now: () => now },
    );
    expect(sloErrorRatioQuery(slo, '5m')).toBe('(sum(rate(http_requests_total{code="500"}[5m]))) / (sum(rate(http_requests_total[5m])))');
    const g = { type: 'sloBurn' as const, name: 'burn', path: 'guards[0]', onError: 'abort' as const, sloFile: 'slo.yaml', maxBurn: 5, window: '5m' };
    const c = await checkGuard(g, env({ metrics: async () => metrics, slos: new Map([['burn', slo]]), now: () => now }));
    expect(c.state).toBe('tripped');
    expect(c.value).toBeCloseTo(10, 6);
    const ok = await checkGuard({ ...g, maxBurn: 14.4 }, env({ metrics: async () => metrics, slos: new Map([['burn', slo]]), now: () => now }));
    expect(ok.state).toBe('ok');
  });

  it('userImpact from Prometheus: invalid samples (NaN, > 1) and no series are errors, not passes', async () => {
    const now = 1_700_000_000_000;
    const g = { type: 'userImpact' as const, name: 'u', path: 'guards[0]', onError: 'abort' as const, max: 0.01, windowMs: 30_000, source: { kind: 'prometheus' as const, query: 'share' } };
    const series = (v: number) => MemoryMetrics.fromPoints([{ labels: { __name__: 'share' }, points: [[now / 1000 - 5, v]] }], { now: () => now });
    expect((await checkGuard(g, env({ metrics: async () => series(0.005) }))).state).toBe('ok');
    expect((await checkGuard(g, env({ metrics: async () => series(0.02) }))).state).toBe('tripped');
    expect((await checkGuard(g, env({ metrics: async () => series(Number.NaN) }))).state).toBe('error');
    expect((await checkGuard(g, env({ metrics: async () => series(3) }))).message).toMatch(/invalid bad share 3/);
    expect((await checkGuard(g, env({ metrics: async () => new MemoryMetrics([]) }))).message).toMatch(/no series/);
  });

  it('alarm: ALARM trips, unknown names are errors', async () => {
    const alarms = new MemoryAlarms(() => 1_700_000_000_000);
    alarms.setAlarm('us-east-1', 'p99', 'OK');
    const g = { type: 'alarm' as const, name: 'a', path: 'guards[0]', onError: 'abort' as const, region: 'us-east-1', alarms: ['p99'] };
    expect((await checkGuard(g, env({ alarms: async () => alarms }))).state).toBe('ok');
    alarms.setAlarm('us-east-1', 'p99', 'ALARM');
    expect((await checkGuard(g, env({ alarms: async () => alarms }))).state).toBe('tripped');
    expect((await checkGuard({ ...g, alarms: ['p99', 'gone'] }, env({ alarms: async () => alarms }))).message).toMatch(/gone not found/);
  });

  it('the sliding window remembers when the share first went over, and forgets samples older than the window', () => {
    const w = new SampleWindow(1000, 0.01, 1);
    w.add({ at: 0, bad: false });
    w.add({ at: 100, bad: true });
    w.add({ at: 200, bad: true });
    expect(w.firstOverAt()).toBe(100);
    w.add({ at: 1150, bad: false });
    expect(w.count()).toBe(2);
    expect(w.share()).toBe(0.5);
    expect(w.firstOverAt()).toBe(100);
    w.add({ at: 1250, bad: false });
    expect(w.count()).toBe(2);
    expect(w.share()).toBe(0);
    expect(w.firstOverAt()).toBeUndefined();
  });
});

describe('journal reports, schedule, halt, schema', () => {
  it('markdown and JUnit of an aborted run name the guard, the reaction time and the failed experiment', async () => {
    const world = new World();
    const clock = new FakeClock();
    const exp = parseNative(
      {
        title: 'latency <x>',
        steadyState: { probes: [{ name: 'value', probe: 'test.value', tolerance: 'ok' }] },
        method: [{ name: 'slow', action: 'test.latency', args: { ms: 300 } }, { pause: '1m' }],
        guards: [{ type: 'userImpact', name: 'users', probe: { probe: 'test.request' }, every: '50ms', slowerThan: '200ms' }],
      },
      { file: 'e.yaml', env: {}, vars: {} },
    );
    const { journal } = await runExperiment(exp, options(exp, world, clock, { guardIntervalMs: 200 }));
    const s = summarise(journal);
    expect(s.rows.map((r) => `${r.phase}:${r.name}`)).toEqual(['before:value', 'method:slow']);
    const md = markdownJournal(s);
    expect(md).toMatch(/\*\*aborted\*\* · exit 4/);
    expect(md).toMatch(/Aborted by guard \*\*users\*\*.*reaction \d+ ms/);
    const xml = junitJournal(s);
    expect(xml).toMatch(/<testsuite name="latency &lt;x&gt;" tests="3" failures="1"/);
    expect(xml).toMatch(/<testcase classname="chaos" name="experiment"[^>]*>\n\s+<failure message="aborted \(exit 4\)"/);
  });

  it('schedule: ConfigMap + CronJob (Forbid, no retries), env values from the Secret (secrets required, configuration optional)', () => {
    const raw = { configuration: { base: { type: 'env', key: 'BASE_URL', default: 'x' } }, secrets: { api: { token: { type: 'env', key: 'API_TOKEN' } } } };
    expect(envRefs(raw)).toEqual([
      { name: 'API_TOKEN', optional: false },
      { name: 'BASE_URL', optional: true },
    ]);
    const [cm, cron] = chaosCronJob({ name: 'chaos-x', image: 'relia:1', schedule: '0 10 * * 1-5', experimentName: 'e.yaml', experimentText: 'title: x', secretName: 'env', envVars: envRefs(raw) });
    expect(cm?.kind).toBe('ConfigMap');
    const spec = cron?.spec as { concurrencyPolicy: string; jobTemplate: { spec: { backoffLimit: number; template: { spec: { containers: Array<{ args: string[]; env: unknown[] }> } } } } };
    expect(spec.concurrencyPolicy).toBe('Forbid');
    expect(spec.jobTemplate.spec.backoffLimit).toBe(0);
    const c = spec.jobTemplate.spec.template.spec.containers[0];
    expect(c?.args).toEqual(['chaos', 'run', '/etc/relia/chaos/e.yaml', '--yes', '--journal', '/tmp/journal.json']);
    expect(c?.env[0]).toEqual({ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'env', key: 'API_TOKEN' } } });
    expect(() => chaosCronJob({ name: 'Bad_Name', image: 'i', schedule: '@daily', experimentName: 'e', experimentText: '', secretName: 's', envVars: [] })).toThrow(/--name/);
  });

  it('the halt switch: file, Redis key and ConfigMap; set, read from another machine, clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-halt-'));
    const cache = new MemoryCache();
    const cluster = new MemoryCluster();
    const p = ports({ cache, cluster });
    const here = new HaltSwitch({ file: join(dir, 'a.json'), redisKey: 'relia:halt', configMap: { namespace: 'chaos', name: 'halt' } }, p);
    expect(await here.read()).toBeNull();
    await here.set({ reason: 'incident', at: '2026-12-03T08:00:00Z', by: 'me' });
    // another machine: its own (absent) file, the same Redis and cluster
    const there = new HaltSwitch({ file: join(dir, 'b.json'), redisKey: 'relia:halt' }, p);
    expect((await there.read())?.reason).toBe('incident');
    const viaCm = new HaltSwitch({ file: join(dir, 'c.json'), configMap: { namespace: 'chaos', name: 'halt' } }, p);
    expect((await viaCm.read())?.reason).toBe('incident');
    await here.clear();
    expect(await there.read()).toBeNull();
    expect(await viaCm.read()).toBeNull();
  });

  it('docs/schemas/chaos-experiment.schema.json is generated from the zod schema and accepts the docs example', () => {
    const file = new URL('../../../../docs/schemas/chaos-experiment.schema.json', import.meta.url);
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(schema).toEqual(chaosExperimentJsonSchema());
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const example = parseYaml(readFileSync(new URL('../../../../docs/examples/chaos/latency.yaml', import.meta.url), 'utf8')) as unknown;
    expect(validate(example)).toBe(true);
    expect(validate({ title: 'x', method: [{ name: 'a', action: 'b', unknown: 1 }] })).toBe(false);
  });
});
