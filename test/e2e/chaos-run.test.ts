/**
 * `relia chaos run`, the BUILT CLI, on the real local servers: the origin
 * (scripts/origin.mjs) behind relia's own TCP fault proxy, measured by HTTP
 * probes; a userImpact guard on the real Prometheus; SIGINT mid-method; a
 * chaostoolkit experiment with http and process providers run unchanged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ChaosRunResult } from '../../commands/chaos/run.js';
import type { ChaosScheduleResult } from '../../commands/chaos/schedule.js';
import type { Journal } from '../../src/core/chaos/journal.js';
import { BIN, recordExit, relia, reliaJson } from '../helpers/relia.js';
import { deadPort, listening, servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-chaos-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// NODE_ENV=test (set by vitest) makes oclif load plugins from their TypeScript sources through tsx, where the
// local plugin's proxy start does not complete; users run the built plugins, so the runs here do too.
const env = { XDG_CONFIG_HOME: join(tmp, 'config'), NODE_ENV: undefined };

function file(name: string, data: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof data === 'string' ? data : name.endsWith('.json') ? JSON.stringify(data, null, 2) : stringify(data));
  return path;
}
const journalOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Journal;

async function latencyExperiment(guards: unknown[]) {
  const origin = new URL(servers().origin.url);
  const proxy = await deadPort();
  const listen = `127.0.0.1:${proxy}`;
  const upstream = `${origin.hostname}:${origin.port}`;
  const exp = {
    title: 'origin latency',
    steadyState: { probes: [{ name: 'origin health', probe: 'http.request', args: { url: `${servers().origin.url}/__origin/health` }, tolerance: 200 }] },
    method: [
      { name: 'proxy up', action: 'network.proxy', args: { listen, upstream } },
      { name: 'add 300 ms', action: 'network.latency', args: { listen, upstream, latency: '300ms' } },
      { pause: '30s' },
    ],
    guards,
  };
  return { exp, proxy, url: `http://${listen}/__origin/health` };
}

describe('chaos run on the origin behind the fault proxy', { timeout: 90_000 }, () => {
  it('300 ms of latency: the userImpact guard (> 1 % over 200 ms) trips, the run aborts, the latency is removed, journal aborted, exit 4', async () => {
    const { exp, proxy, url } = await latencyExperiment([]);
    exp.guards = [{ type: 'userImpact', name: 'users', probe: { probe: 'http.request', args: { url } }, every: '50ms', slowerThan: '200ms', max: '1%', window: '10s', warmup: '200ms' }];
    const path = file('latency.yaml', exp);
    const journal = join(tmp, 'latency-journal.json');
    const started = Date.now();
    const r = await reliaJson<ChaosRunResult>(['chaos', 'run', path, '--yes', '--guard-interval', '200ms', '--journal', journal], { env });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(Date.now() - started).toBeLessThan(25_000); // the 30 s pause was cut short
    const j = journalOf(journal);
    expect(j.status).toBe('aborted');
    expect(j.relia.abort).toMatchObject({ by: 'guard', what: 'users' });
    expect(j.relia.abort?.reactionMs).toBeGreaterThan(0);
    // The proxy itself is started in pass-through before the steady state is checked (so the
    // hypothesis can be probed through it) and closed with the command; the faults are injections.
    expect(j.relia.injections.map((i) => i.description)).toEqual([
      expect.stringMatching(/^pass-through on proxy/),
      expect.stringMatching(/^latency 300ms on proxy/),
    ]);
    expect(j.relia.injections.every((i) => i.undone)).toBe(true);
    expect(j.steady_states.before?.steady_state_met).toBe(true);
    expect(r.json.result?.status).toBe('aborted');
    expect(await listening(proxy)).toBe(false); // the proxy (and its latency) is gone
  });

  it('SIGINT in the middle of the method: the rollback runs, journal interrupted, exit 130', async () => {
    const { exp, proxy } = await latencyExperiment([]);
    const path = file('sigint.yaml', exp);
    const journal = join(tmp, 'sigint-journal.json');
    const child = execa('node', [BIN, 'chaos', 'run', path, '--yes', '--journal', journal], { env: { ...env, NO_COLOR: '1' }, extendEnv: true, reject: false });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/injected: .*latency 300ms/.test(stderr)) resolve();
      });
      void child.then(() => reject(new Error(`exited before the fault was injected:\n${stderr}`)));
    });
    expect(await listening(proxy)).toBe(true);
    child.kill('SIGINT');
    const done = await child;
    recordExit(done.exitCode, 'chaos run (SIGINT)');
    expect(done.exitCode, String(done.stderr)).toBe(130);
    const j = journalOf(journal);
    expect(j.status).toBe('interrupted');
    expect(j.relia.injections.every((i) => i.undone)).toBe(true);
    expect(await listening(proxy)).toBe(false);
  });

  it('off a TTY without --yes: prints the plan, changes nothing, exit 0', async () => {
    const { exp, proxy } = await latencyExperiment([]);
    const path = file('plan-only.yaml', exp);
    const r = await relia(['chaos', 'run', path], { env });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/method\[1\] action add 300 ms \(network\.latency\): proxy 127\.0\.0\.1:\d+ → .* with latency 300ms/);
    expect(r.stderr).toMatch(/nothing was done: pass --yes/);
    expect(await listening(proxy)).toBe(false);
  });

  it('a halt blocks a new run: exit 4, nothing injected', async () => {
    const { exp, proxy } = await latencyExperiment([]);
    const path = file('halted.yaml', exp);
    expect((await relia(['chaos', 'halt', '--reason', 'game day over'], { env })).exitCode).toBe(0);
    try {
      const journal = join(tmp, 'halted-journal.json');
      const r = await relia(['chaos', 'run', path, '--yes', '--journal', journal], { env });
      expect(r.exitCode).toBe(4);
      expect(journalOf(journal).run).toEqual([]);
      expect(r.stdout).toMatch(/halted: game day over/);
      expect(await listening(proxy)).toBe(false);
    } finally {
      await relia(['chaos', 'unhalt'], { env });
    }
  });
});

describe('guards on the real Prometheus', { timeout: 90_000 }, () => {
  it('a bad share over 1 % trips the guard (exit 4); an unreachable Prometheus before any fault is exit 3 with nothing injected', async () => {
    const { exp, proxy } = await latencyExperiment([{ type: 'userImpact', name: 'prom', query: 'vector(0.02)', max: '1%' }]);
    const trips = file('prom.yaml', exp);
    const r = await relia(['chaos', 'run', trips, '--yes', '--journal', join(tmp, 'prom.json')], { env: { ...env, RELIA_METRICS_URL: servers().prometheus.url } });
    // the preflight check already sees 2 %: the run is refused before anything is injected
    expect(r.exitCode).toBe(4);
    expect(journalOf(join(tmp, 'prom.json')).relia.reason).toMatch(/guard prom tripped: 2\.00 % of requests bad.*nothing was injected/);
    const dead = await relia(['chaos', 'run', trips, '--yes', '--journal', join(tmp, 'dead.json')], { env: { ...env, RELIA_METRICS_URL: `http://127.0.0.1:${await deadPort()}` } });
    expect(dead.exitCode).toBe(3);
    expect(journalOf(join(tmp, 'dead.json')).relia.injections).toEqual([]);
    expect(await listening(proxy)).toBe(false);
  });
});

describe('chaostoolkit experiments run unchanged', { timeout: 90_000 }, () => {
  it('http and process providers, tolerances, a rollback; the journal has chaostoolkit fields', async () => {
    const origin = servers().origin.url;
    const ctk = {
      version: '1.0.0',
      title: 'origin is healthy',
      configuration: { base: origin },
      'steady-state-hypothesis': {
        title: 'healthy',
        probes: [
          { type: 'probe', name: 'health', tolerance: 200, provider: { type: 'http', url: '${base}/__origin/health', timeout: 3 } },
          { type: 'probe', name: 'body', tolerance: { type: 'jsonpath', path: '$.ok', target: 'body', expect: true }, provider: { type: 'http', url: '${base}/__origin/health' } },
          { type: 'probe', name: 'node runs', tolerance: { type: 'regex', pattern: '^v\\d+', target: 'stdout' }, provider: { type: 'process', path: 'node', arguments: ['--version'] } },
          // a probe tolerance: chaostoolkit hands it the measured value as the argument `value`
          // (a mapping of arguments becomes `key value` pairs: here `node -e SCRIPT value <json>`)
          {
            type: 'probe',
            name: 'fast enough',
            provider: { type: 'http', url: '${base}/__origin/health' },
            tolerance: {
              type: 'probe',
              name: 'judge the latency',
              provider: {
                type: 'process',
                path: 'node',
                arguments: { '-e': `const v = JSON.parse(process.argv.at(-1)); require('fs').appendFileSync(${JSON.stringify(join(tmp, 'judged'))}, JSON.stringify(v) + '\\n'); process.exit(v.status === 200 && v.latencyMs < 2000 ? 0 : 1)` },
              },
            },
          },
        ],
      },
      method: [
        { type: 'action', name: 'touch a marker', provider: { type: 'process', path: 'node', arguments: ['-e', `require('fs').writeFileSync(${JSON.stringify(join(tmp, 'marker'))}, 'x')`] }, pauses: { after: 0.2 } },
        { type: 'probe', name: 'origin stats', provider: { type: 'http', url: '${base}/__origin/stats' } },
      ],
      rollbacks: [{ type: 'action', name: 'remove the marker', provider: { type: 'process', path: 'node', arguments: ['-e', `require('fs').rmSync(${JSON.stringify(join(tmp, 'marker'))})`] } }],
    };
    const path = file('ctk.json', ctk);
    const journal = join(tmp, 'ctk-journal.json');
    // chaostoolkit's own flags: the hypothesis is also checked during the method
    const r = await relia(['chaos', 'run', path, '--yes', '--journal', journal, '--hypothesis-strategy', 'continuously', '--hypothesis-frequency', '0.1'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const j = journalOf(journal);
    expect(j.status).toBe('completed');
    // the tolerance probe received the health probe's value, once per hypothesis check
    const judged = readFileSync(join(tmp, 'judged'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: number; body: unknown });
    expect(judged[0]).toMatchObject({ status: 200, body: { ok: true } });
    expect(j.steady_states.during.length).toBeGreaterThan(0);
    expect(judged).toHaveLength(2 + j.steady_states.during.length);
    for (const d of j.steady_states.during) expect(Object.keys(d).sort()).toEqual(['probes', 'steady_state_met']);
    expect(j.steady_states.during.every((d) => d.steady_state_met && d.probes.length === 4)).toBe(true);
    expect(j.deviated).toBe(false);
    expect(j.steady_states.before?.steady_state_met).toBe(true);
    expect(j.steady_states.before?.probes.map((p) => p.tolerance_met)).toEqual([true, true, true, true]);
    expect(j.steady_states.after?.steady_state_met).toBe(true);
    expect(j.run.map((x) => [x.activity.name, x.status])).toEqual([
      ['touch a marker', 'succeeded'],
      ['origin stats', 'succeeded'],
    ]);
    expect(j.run[0]?.output).toMatchObject({ status: 0 });
    expect(j.rollbacks.map((x) => [x.activity.name, x.status])).toEqual([['remove the marker', 'succeeded']]);
    for (const x of [...j.run, ...j.rollbacks]) {
      expect(Number.isNaN(Date.parse(x.start))).toBe(false);
      expect(x.duration).toBeGreaterThanOrEqual(0);
    }
    expect(typeof j.start).toBe('string');
    expect(j.duration).toBeGreaterThan(0);
    expect(j.experiment.title).toBe('origin is healthy');
  });
});

describe('chaos schedule', () => {
  it('emits a ConfigMap and a CronJob with concurrencyPolicy Forbid', async () => {
    const { exp } = await latencyExperiment([]);
    const path = file('scheduled.yaml', exp);
    const r = await reliaJson<ChaosScheduleResult>(['chaos', 'schedule', path, '--emit', 'cronjob', '--schedule', '0 10 * * 1-5', '--name', 'chaos-latency'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result?.objects.map((o) => o.kind)).toEqual(['ConfigMap', 'CronJob']);
    expect(r.json.result?.manifest).toMatch(/concurrencyPolicy: Forbid/);
    expect(r.json.warnings.join(' ')).toMatch(/chaos\.halt\.configMap or chaos\.halt\.redisKey/);
  });
});
