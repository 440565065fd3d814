/**
 * The plan's webhook (`notify.webhook`) during `relia failover apply`, BUILT
 * CLI, Route 53 on moto, the hook a loopback HTTP server of this test that
 * answers each POST only after HOOK_MS. The notifications arrive in the order
 * of the journal's events, all of them before the command exits, and the slow
 * hook does not slow the operation down: the POSTs are queued off its path.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/core/failover/journal.js';
import { readWeights, weightedZone } from '../helpers/failover.js';
import { motoCliEnv, motoEnv, uniqueName } from '../helpers/moto.js';
import { relia, type RunOptions } from '../helpers/relia.js';

const HOOK_MS = 1_500;
const tmp = mkdtempSync(join(tmpdir(), 'relia-failover-hook-'));
const received: Array<{ type: string; operation?: string; plan: string; at: string }> = [];
let hook: Server;
let hookUrl = '';
let env: RunOptions['env'];

beforeAll(async () => {
  motoEnv();
  env = motoCliEnv({ XDG_CONFIG_HOME: join(tmp, 'config'), CI: 'true' });
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += String(c)));
    req.on('end', () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      setTimeout(() => res.writeHead(204).end(), HOOK_MS); // a slow receiver
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const address = hook.address();
  hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/relia`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => hook.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('failover notify.webhook', () => {
  it('every event but the healthy guard samples, in order, before exit; a slow hook does not slow the steps', { timeout: 90_000 }, async () => {
    const tag = uniqueName('foh');
    const { zoneId, zoneName, record } = await weightedZone(tag, [100, 0]);
    const plan = join(tmp, `${tag}.yaml`);
    writeFileSync(plan, `name: ${tag}\ndns: { zone: ${zoneName}, record: ${record} }\nregions:\n  us-east-1: { setIdentifier: us-east-1 }\n  eu-west-1: { setIdentifier: eu-west-1 }\nsteps: [50, 100]\nbake: 0s\nnotify: { webhook: ${hookUrl} }\n`);
    const journal = join(tmp, `${tag}.journal.json`);
    const r = await relia(['failover', 'apply', '--plan', plan, '--from', 'us-east-1', '--to', 'eu-west-1', '--journal', journal, '--yes'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/notify\.webhook/); // no warning: every POST was answered
    expect(await readWeights(zoneId, record)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });

    const j = JSON.parse(readFileSync(journal, 'utf8')) as Journal;
    const mine = received.filter((e) => e.plan === tag);
    // The journal records healthy guard samples too; the hook gets only the events that matter.
    expect(mine.map((e) => e.type)).toEqual(j.events.filter((e) => !(e.type === 'guard' && !/: /.test(e.message))).map((e) => e.type));
    expect(mine.map((e) => e.type)).toEqual(['start', 'step', 'step', 'done']);
    expect(mine.every((e) => e.operation === j.id)).toBe(true);
    // Had each POST held the operation, start → done would take at least 3 × HOOK_MS.
    const took = Date.parse(j.events.find((e) => e.type === 'done')!.at) - Date.parse(j.events.find((e) => e.type === 'start')!.at);
    expect(took).toBeLessThan(3 * HOOK_MS);
  });
});
