/**
 * `relia chaos validate | halt | unhalt | journal`, the BUILT CLI, on inputs
 * that need no fault activity: bad experiments (exit 2 with file, field path
 * and a fix, nothing done), the halt switch in a private config dir, and
 * journals (relia's and chaostoolkit's own) rendered as table, Markdown and
 * JUnit. No servers.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChaosHaltResult } from '../../commands/chaos/halt.js';
import type { ChaosJournalResult } from '../../commands/chaos/journal.js';
import type { ChaosUnhaltResult } from '../../commands/chaos/unhalt.js';
import { relia, reliaJson } from '../helpers/relia.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-chaos-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}
const env = { XDG_CONFIG_HOME: join(tmp, 'config') };

describe('chaos validate: bad experiments are exit 2 naming the file, the field and a fix', () => {
  it('a malformed native experiment lists every problem with its path', async () => {
    const f = file('bad.yaml', 'title: x\nmethod:\n  - name: a\n    action: network.latency\n    argz: {}\n  - pause: soon\n');
    const r = await reliaJson(['chaos', 'validate', f]);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.message).toContain(`${f}: method[0]: unknown field "argz"`);
    expect(r.json.error?.field).toBe('method[0]');
    expect(r.json.error?.suggestions.join(' ')).toMatch(/docs\/chaos\.md/);
  });

  it('a percent over 100 names the field', async () => {
    const f = file('pct.yaml', 'title: x\nmethod: [{pause: 1s}]\nguards:\n  - {type: userImpact, query: "up", max: 150%}\n');
    const r = await reliaJson(['chaos', 'validate', f]);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.field).toBe('guards[0].max');
  });

  it('a chaostoolkit experiment with an unknown python provider names the activity and what relia supports', async () => {
    const f = file(
      'ctk.json',
      JSON.stringify({
        version: '1.0.0',
        title: 'cpu',
        'steady-state-hypothesis': { title: 'ok', probes: [{ type: 'probe', name: 'up', tolerance: 0, provider: { type: 'process', path: 'true' } }] },
        method: [{ type: 'action', name: 'burn cpu', provider: { type: 'python', module: 'chaosaws.ecs.actions', func: 'stop_task', arguments: {} } }],
      }),
    );
    const r = await relia(['chaos', 'validate', f]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('method[0].provider: activity "burn cpu": python provider chaosaws.ecs.actions.stop_task is not supported');
    expect(r.stderr).toMatch(/Try this: relia supports the http and process providers and the python functions chaosaws\.asg\.actions\.terminate_random_instances/);
  });

  it('a missing secret env var names the secret and the variable', async () => {
    const f = file(
      'secret.json',
      JSON.stringify({
        title: 'needs a token',
        secrets: { api: { token: { type: 'env', key: 'RELIA_E2E_NOT_SET' } } },
        'steady-state-hypothesis': { title: 'ok', probes: [{ type: 'probe', name: 'up', tolerance: 200, provider: { type: 'http', url: 'http://127.0.0.1:9/${token}' } }] },
        method: [],
      }),
    );
    const r = await reliaJson(['chaos', 'validate', f], { env: { RELIA_E2E_NOT_SET: undefined } });
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.field).toBe('secrets.api.token');
    expect(r.json.error?.message).toMatch(/RELIA_E2E_NOT_SET is not set/);
  });
});

describe('chaos halt / unhalt', () => {
  it('writes the halt under the config dir and clears it', async () => {
    const h = await reliaJson<ChaosHaltResult>(['chaos', 'halt', '--reason', 'incident 42'], { env });
    expect(h.exitCode).toBe(0);
    const path = join(tmp, 'config', 'relia', 'chaos-halt.json');
    expect(h.json.result?.places).toEqual([`file ${path}`]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ reason: 'incident 42' });
    const u = await reliaJson<ChaosUnhaltResult>(['chaos', 'unhalt'], { env });
    expect(u.json.result?.cleared?.reason).toBe('incident 42');
    expect(existsSync(path)).toBe(false);
    const again = await reliaJson<ChaosUnhaltResult>(['chaos', 'unhalt'], { env });
    expect(again.json.result?.cleared).toBeNull();
  });
});

describe('chaos journal', () => {
  // A journal as chaostoolkit itself writes it (no relia section): a deviated run.
  const ctkJournal = {
    'chaoslib-version': '1.42.0',
    experiment: { title: 'web stays up' },
    start: '2026-12-01T10:00:00.000000',
    end: '2026-12-01T10:00:12.500000',
    duration: 12.5,
    status: 'failed',
    deviated: true,
    steady_states: {
      before: { steady_state_met: true, probes: [{ activity: { name: 'home' }, status: 'succeeded', output: { status: 200 }, start: 'a', end: 'b', duration: 0.05, tolerance_met: true }] },
      after: { steady_state_met: false, probes: [{ activity: { name: 'home' }, status: 'succeeded', output: { status: 503 }, start: 'a', end: 'b', duration: 0.07, tolerance_met: false }] },
      during: [],
    },
    run: [{ activity: { name: 'kill web' }, status: 'succeeded', output: null, start: 'a', end: 'b', duration: 2 }],
    rollbacks: [{ activity: { name: 'restart' }, status: 'failed', exception: ['Error: timeout'], start: 'a', end: 'b', duration: 10 }],
  };

  it("renders chaostoolkit's own journal as a table, Markdown and JUnit", async () => {
    const f = file('journal.json', JSON.stringify(ctkJournal));
    const md = join(tmp, 'j.md');
    const xml = join(tmp, 'j.xml');
    const r = await reliaJson<ChaosJournalResult>(['chaos', 'journal', f, '--markdown', md, '--junit', xml]);
    expect(r.exitCode).toBe(0);
    expect(r.json.result?.exitCode).toBe(1);
    expect(r.json.result?.rows.map((x) => `${x.phase}:${x.name}:${x.status}:${String(x.toleranceMet)}`)).toEqual([
      'before:home:succeeded:true',
      'method:kill web:succeeded:null',
      'after:home:succeeded:false',
      'rollback:restart:failed:null',
    ]);
    expect(readFileSync(md, 'utf8')).toMatch(/\*\*failed\*\* \(deviated\) · exit 1/);
    // 4 activities + the experiment; after:home (not met), rollback:restart and the experiment fail
    expect(readFileSync(xml, 'utf8')).toMatch(/<testsuite name="web stays up" tests="5" failures="3"/);
    const human = await relia(['chaos', 'journal', f]);
    expect(human.stdout).toMatch(/web stays up: failed \(deviated\), exit 1, 12\.5 s/);
    expect(human.stdout).toMatch(/rollback +restart +failed/);
  });

  it('a file that is not a journal is exit 2', async () => {
    const r = await relia(['chaos', 'journal', file('nope.json', '{"hello": 1}')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not a chaos journal/);
  });
});
