/**
 * Load faults, the BUILT CLI, against a private instance of the local origin
 * (scripts/origin.mjs: the shared one serves other test files, and these
 * tests reset its stats and set its mode): a flash crowd (N× a baseline rate)
 * and a retry storm (clients that retry failures at once, no backoff). The
 * hard rate cap is asserted where it matters, at the origin: the most
 * requests it saw arrive in any sliding 1-second window, and its total count,
 * never exceed the cap.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { LoadStats } from '../../src/core/chaos/actions/load.js';
import type { Journal } from '../../src/core/chaos/journal.js';
import { startOrigin, type PrivateOrigin } from '../helpers/origin.js';
import { relia } from '../helpers/relia.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-chaos-load-'));
const env = { XDG_CONFIG_HOME: join(tmp, 'config'), NODE_ENV: undefined };
let origin: PrivateOrigin | undefined;
let base = '';

interface OriginStats {
  total: number;
  byStatus: Record<string, number>;
  maxPerSecond: number;
}

beforeAll(async () => {
  origin = await startOrigin();
  base = origin.base;
});

afterAll(async () => {
  await origin?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const post = async (path: string, body?: object) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', ...(body ? { body: JSON.stringify(body) } : {}) });
  expect(res.status).toBeLessThan(300);
};
const stats = async () => (await (await fetch(`${base}/__origin/stats`)).json()) as OriginStats;

async function runLoad(name: string, action: string, args: Record<string, unknown>): Promise<{ exitCode: number; out: LoadStats; stderr: string }> {
  const path = join(tmp, `${name}.yaml`);
  writeFileSync(path, stringify({ title: name, method: [{ name, action, args: { wait: true, ...args } }] }));
  const journal = join(tmp, `${name}-journal.json`);
  const r = await relia(['chaos', 'run', path, '--yes', '--journal', journal], { env, timeoutMs: 60_000 });
  const j = JSON.parse(readFileSync(journal, 'utf8')) as Journal;
  return { exitCode: r.exitCode, out: j.run[0]?.output as LoadStats, stderr: r.stderr };
}

describe('chaos load faults on the local origin, under the hard rate cap', { timeout: 90_000 }, () => {
  it('flash-crowd: 8× a 10/s baseline for 3 s, capped at 80/s: the origin never sees more than 80 in any second', async () => {
    await post('/__origin/mode', {});
    await post('/__origin/reset');
    const { exitCode, out, stderr } = await runLoad('crowd', 'load.flash-crowd', { url: `${base}/items/crowd`, baselineRate: '10/s', multiplier: 8, maxRate: '80/s', duration: '3s' });
    expect(exitCode, stderr).toBe(0);
    const seen = await stats();
    // every request relia sent reached the origin, and the crowd was real: well over the baseline's 30
    expect(seen.total).toBe(out.sent);
    expect(seen.byStatus['200']).toBe(out.ok);
    expect(seen.total).toBeGreaterThan(60);
    // the hard cap, as the origin observed it
    // The pacer spaces its sends ≥ 1/cap apart; the origin times arrivals, and delivery jitter can put one
    // send's arrival a few ms late beside the next, so a sliding second at the origin may hold one more (seen once in
    // CI: 61 at a cap of 60). The total below is the strict check.
    expect(seen.maxPerSecond).toBeLessThanOrEqual(80 + 1);
    expect(seen.total).toBeLessThanOrEqual(80 * 3 + 1);
    expect(out.achievedRate).toBeLessThanOrEqual(80);
  });

  it('retry-storm: 8 clients retrying every 503 at once (no backoff), capped at 60/s: the origin never sees more than 60 in any second', async () => {
    await post('/__origin/mode', { failRatio: 0.5 });
    await post('/__origin/reset');
    try {
      const { exitCode, out, stderr } = await runLoad('storm', 'load.retry-storm', { url: `${base}/items/storm`, clients: 8, retries: 3, maxRate: '60/s', duration: '3s' });
      expect(exitCode, stderr).toBe(0);
      const seen = await stats();
      expect(seen.total).toBe(out.sent);
      // the storm: half the calls fail, and each failure is retried at once
      expect(seen.byStatus['503']).toBe(out.failed);
      expect(out.retries).toBeGreaterThan(0);
      // every failure is retried unless its call ran out of retries or the storm's time was up
      expect(out.retries).toBeLessThanOrEqual(out.failed - out.gaveUp);
      expect(out.retries).toBeGreaterThanOrEqual(out.failed - out.gaveUp - 8);
      // The pacer spaces its sends ≥ 1/cap apart; the origin times arrivals, and delivery jitter can put one
      // send's arrival a few ms late beside the next, so a sliding second at the origin may hold one more (seen once in
      // CI: 61 at a cap of 60). The total below is the strict check.
      expect(seen.maxPerSecond).toBeLessThanOrEqual(60 + 1);
      expect(seen.total).toBeLessThanOrEqual(60 * 3 + 1);
    } finally {
      await post('/__origin/mode', {});
    }
  });
});
