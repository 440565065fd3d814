/**
 * The latency scenario measured by the real Prometheus: user traffic (a
 * blackbox-style client, test/helpers/user-traffic.ts) goes through relia's
 * own fault proxy to the origin, and the test Prometheus scrapes the client's
 * latency histogram every second. The experiment's `userImpact` guard reads
 * "share of requests over 200 ms" from a PromQL query over that data; the
 * 300 ms of injected latency trips it, the run aborts (exit 4), the latency
 * is removed and the journal says `aborted`. An HTTP probe measures the same
 * origin through the proxy, before the method and continuously during it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ChaosRunResult } from '../../commands/chaos/run.js';
import type { Journal } from '../../src/core/chaos/journal.js';
import { reliaJson } from '../helpers/relia.js';
import { deadPort, listening, servers } from '../helpers/servers.js';
import { promValue, UserTraffic, waitFor } from '../helpers/user-traffic.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-chaos-prom-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// Built plugins, as in chaos-run.test.ts (NODE_ENV=test would load their TypeScript sources).
const env = { XDG_CONFIG_HOME: join(tmp, 'config'), NODE_ENV: undefined };

/** Share of completed requests slower than 200 ms over the last 5 s (0 while nothing completes: no users, no impact). */
function slowShareQuery(scenario: string): string {
  const sel = `scenario="${scenario}"`;
  const total = `sum(rate(relia_harness_request_duration_seconds_count{${sel}}[10s]))`;
  const fast = `sum(rate(relia_harness_request_duration_seconds_bucket{${sel},le="0.2"}[10s]))`;
  return `(${total} - ${fast}) / clamp_min(${total}, 1e-9)`;
}

describe('chaos run: the userImpact guard on the real Prometheus', { timeout: 120_000 }, () => {
  it('300 ms through the relia proxy: Prometheus sees > 1 % of requests over 200 ms, the guard trips, exit 4, latency removed, journal aborted', async () => {
    const prom = servers().prometheus;
    if (!prom.scrapeDir) throw new Error('this server set predates scrape targets: restart it (node scripts/servers.mjs down/up)');
    const origin = new URL(servers().origin.url);
    const proxy = await deadPort();
    const listen = `127.0.0.1:${proxy}`;
    const scenario = `latency-${proxy}`;
    const users = await UserTraffic.serve();
    try {
      users.register(prom.scrapeDir, scenario, { scenario });
      // Prometheus picks the target up (file_sd) and scrapes it: wait for that, not for a fixed time.
      await waitFor('Prometheus to scrape the user-traffic target', () => promValue(prom.url, `up{job="harness",scenario="${scenario}"} == 1`), 30_000);
      users.start(`http://${listen}/__origin/health`, 40);
      // The guard's first reading needs scrapes with traffic inside its rate window; without them the query has no
      // data and the run fails closed (exit 3) before any fault. Wait until the query answers, not for a fixed time.
      await waitFor('Prometheus to have a rate for the user traffic', () => promValue(prom.url, slowShareQuery(scenario)), 30_000);

      const exp = {
        title: 'origin latency, judged by Prometheus',
        steadyState: {
          continuous: { every: '20ms' },
          probes: [{ name: 'health through the proxy', probe: 'http.request', args: { url: `http://${listen}/__origin/health`, maxLatency: '200ms' }, tolerance: 200 }],
        },
        method: [
          { name: 'add 300 ms', action: 'network.latency', args: { listen, upstream: `${origin.hostname}:${origin.port}`, latency: '300ms' } },
          { pause: '60s' },
        ],
        guards: [{ type: 'userImpact', name: 'users', query: slowShareQuery(scenario), max: '1%' }],
      };
      const path = join(tmp, 'prom-latency.yaml');
      writeFileSync(path, stringify(exp));
      const journalPath = join(tmp, 'prom-latency-journal.json');
      const started = Date.now();
      const r = await reliaJson<ChaosRunResult>(['chaos', 'run', path, '--yes', '--guard-interval', '1s', '--journal', journalPath], {
        env: { ...env, RELIA_METRICS_URL: prom.url },
        timeoutMs: 90_000,
      });
      expect(r.exitCode, r.stderr).toBe(4);
      expect(Date.now() - started).toBeLessThan(45_000); // the 60 s pause was cut short
      const j = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
      expect(j.status).toBe('aborted');
      expect(r.json.result?.status).toBe('aborted');
      expect(j.relia.abort).toMatchObject({ by: 'guard', what: 'users' });
      expect(j.relia.abort?.reactionMs).toBeGreaterThan(0);
      // the guard's own reading, from Prometheus: more than 1 % of requests over 200 ms
      const tripped = j.relia.guards.find((g) => g.guard === 'users' && g.state === 'tripped');
      expect(tripped?.value).toBeGreaterThan(0.01);
      expect(j.relia.guards.find((g) => g.guard === 'users')?.state).toBe('ok'); // the preflight read a healthy share
      // the HTTP probes measured the same origin through the proxy: fast before, slow during
      expect(j.steady_states.before?.steady_state_met).toBe(true);
      // ...and checked continuously during the method (steady_states.during): the checks after the
      // injection take longer than the 200 ms the probe allows. (A check cut short by the abort is dropped.)
      const during = j.steady_states.during;
      expect(during.length).toBeGreaterThan(0);
      const slow = during.filter((d) => !d.steady_state_met);
      expect(slow.length, JSON.stringify(during.map((d) => d.probes[0]?.exception ?? 'met'))).toBeGreaterThan(0);
      expect(slow[0]?.probes[0]?.exception?.[0]).toMatch(/took \d+ms, more than 200ms/);
      // the latency is removed: every injection undone and the proxy closed with the run
      expect(j.relia.injections.map((i) => i.description)).toEqual([expect.stringMatching(/^latency 300ms on proxy/)]);
      expect(j.relia.injections.every((i) => i.undone)).toBe(true);
      expect(await listening(proxy)).toBe(false);
      // and Prometheus holds the slow requests the client measured
      expect(users.seen(0.2).slower).toBeGreaterThan(0);
      const slowInProm = await waitFor('the slow requests in Prometheus', async () => {
        const v = await promValue(prom.url, `sum(relia_harness_request_duration_seconds_count{scenario="${scenario}"}) - sum(relia_harness_request_duration_seconds_bucket{scenario="${scenario}",le="0.2"})`);
        return v !== null && v > 0 ? v : null;
      });
      expect(slowInProm).toBeGreaterThan(0);
    } finally {
      await users.close();
    }
  });
});
