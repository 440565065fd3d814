/**
 * The faults through the BUILT CLI on the real servers: the origin behind
 * nginx sits behind the fault proxy; `chaos run` injects latency, the
 * userImpact guard trips, the run aborts and rolls back (exit 4); SIGINT in
 * the middle of the method rolls back and exits 130; a chaostoolkit
 * experiment with http and process providers runs unchanged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, recordExit, relia } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-faults-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function experiment(name: string, port: number, extra: string): string {
  const upstream = new URL(servers().nginx.url).host;
  const path = join(tmp, name);
  writeFileSync(
    path,
    `title: ${name}
steadyState:
  probes:
    - name: item answers 200
      probe: http.request
      args: { url: "http://127.0.0.1:${port}/items/faults-e2e", timeout: 2s }
      tolerance: 200
method:
  - name: add 300 ms
    action: network.latency
    args: { listen: ${port}, upstream: "${upstream}", latency: 300ms }
  - pause: 60s
${extra}`,
  );
  return path;
}

async function latencyThrough(port: number): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/items/faults-e2e`, { headers: { connection: 'close' } });
  await res.arrayBuffer();
  return performance.now() - t0;
}

describe('chaos run with the fault proxy in front of the real origin', () => {
  it('300 ms of latency trips the userImpact guard: aborted, latency removed, journal says aborted, exit 4', async () => {
    const port = await freePort();
    const file = experiment(
      'guard.yaml',
      port,
      `guards:
  - type: userImpact
    name: users
    probe: { probe: http.request, args: { url: "http://127.0.0.1:${port}/items/faults-e2e" } }
    every: 50ms
    slowerThan: 200ms
    max: 1%
    window: 10s
`,
    );
    const journal = join(tmp, 'guard-journal.json');
    const r = await relia(['chaos', 'run', file, '--yes', '--journal', journal]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/injected: latency 300ms on proxy 127\.0\.0\.1:\d+/);
    expect(r.stderr).toMatch(/undone: latency 300ms/);
    const j = JSON.parse(readFileSync(journal, 'utf8')) as { status: string };
    expect(j.status).toBe('aborted');
    // The run is over: the proxy is gone with it.
    await expect(latencyThrough(port)).rejects.toThrow();
  });

  it('SIGINT in the middle of the method: the latency is removed and the exit code is 130', async () => {
    const port = await freePort();
    const file = experiment('sigint.yaml', port, '');
    const journal = join(tmp, 'sigint-journal.json');
    const child = execa('node', [BIN, 'chaos', 'run', file, '--yes', '--journal', journal], { reject: false, env: { NO_COLOR: '1' } });
    const lines = createInterface({ input: child.stderr! });
    await new Promise<void>((resolve) => lines.on('line', (l) => /^injected: latency/.test(l) && resolve()));
    // The fault is really in place: a request through the proxy pays it twice (up and down).
    expect(await latencyThrough(port)).toBeGreaterThanOrEqual(590);
    child.kill('SIGINT');
    const r = await child;
    recordExit(r.exitCode, 'relia chaos run (SIGINT)');
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toMatch(/undone: latency 300ms/);
    expect((JSON.parse(readFileSync(journal, 'utf8')) as { status: string }).status).toBe('interrupted');
  });

  it('a chaostoolkit experiment with http and process providers runs unchanged and its journal has their fields', async () => {
    const path = join(tmp, 'ctk.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: '1.0.0',
        title: 'origin answers and a command runs',
        'steady-state-hypothesis': {
          title: 'healthy',
          probes: [
            { type: 'probe', name: 'origin-up', tolerance: 200, provider: { type: 'http', url: `${servers().nginx.url}/items/ctk`, timeout: 3, expected_status: 200 } },
            { type: 'probe', name: 'node-runs', tolerance: 0, provider: { type: 'process', path: process.execPath, arguments: ['-e', 'console.log("ok")'], timeout: 10 } },
          ],
        },
        method: [{ type: 'action', name: 'say hello', provider: { type: 'process', path: process.execPath, arguments: '-e "console.log(1)"' } }],
        rollbacks: [],
      }),
    );
    const journal = join(tmp, 'ctk-journal.json');
    const r = await relia(['chaos', 'run', path, '--yes', '--journal', journal]);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(readFileSync(journal, 'utf8')) as { status: string; deviated: boolean; steady_states: { before: { steady_state_met: boolean } }; run: Array<{ status: string; output: { status: number; stdout: string } }> };
    expect(j.status).toBe('completed');
    expect(j.deviated).toBe(false);
    expect(j.steady_states.before.steady_state_met).toBe(true);
    expect(j.run[0]?.status).toBe('succeeded');
    expect(j.run[0]?.output.stdout.trim()).toBe('1');
  });
});
