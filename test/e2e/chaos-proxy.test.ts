import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, recordExit, relia, reliaJson } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';

const upstream = () => new URL(servers().nginx.url).host;

async function median(url: string, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)] as number;
}

describe('relia chaos proxy', () => {
  it('puts latency between a client and the real nginx until SIGINT, then closes and exits 130', async () => {
    const direct = await median(`${servers().nginx.url}/items/e2e-proxy`, 5);
    const child = execa('node', [BIN, 'chaos', 'proxy', '--listen', '0', '--upstream', upstream(), '--latency', '200ms', '--jitter', '20ms', '--seed', '3'], { reject: false, env: { NO_COLOR: '1' } });
    const lines = createInterface({ input: child.stderr! });
    const listening = await new Promise<string>((resolve) => lines.on('line', (l) => /listening on/.test(l) && resolve(l)));
    const port = /127\.0\.0\.1:(\d+)/.exec(listening)![1];
    expect(listening).toMatch(/latency 200ms ±20ms/);
    const through = await median(`http://127.0.0.1:${port}/items/e2e-proxy`, 5);
    // Request up and response down each pay 200 ± 20 ms.
    expect(through - direct).toBeGreaterThanOrEqual(360);
    expect(through - direct).toBeLessThan(600);
    child.kill('SIGINT');
    const r = await child;
    recordExit(r.exitCode, 'relia chaos proxy (SIGINT)');
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toMatch(/stopped after \d+s: \{"connections":5/);
    await expect(fetch(`http://127.0.0.1:${port}/items/e2e-proxy`)).rejects.toThrow();
  });

  it('--duration stops it with exit 0 and the figures in the JSON envelope', async () => {
    const r = await reliaJson<{ listen: string; toxics: string; stats: { connections: number } }>(['chaos', 'proxy', '--listen', '0', '--upstream', upstream(), '--loss', '100%', '--duration', '1s']);
    expect(r.exitCode).toBe(0);
    expect(r.json.result?.toxics).toBe('loss 100%');
    expect(r.json.result?.stats.connections).toBe(0);
  });

  it('bad flags are exit 2 naming the flag, and nothing listens', async () => {
    const loss = await relia(['chaos', 'proxy', '--listen', '0', '--upstream', upstream(), '--loss', '150%']);
    expect(loss.exitCode).toBe(2);
    expect(loss.stderr).toMatch(/--loss/);
    expect(loss.stderr).not.toMatch(/listening/);
    const up = await relia(['chaos', 'proxy', '--listen', '0', '--upstream', 'nowhere']);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toMatch(/--upstream: expected PORT or HOST:PORT/);
    const reset = await relia(['chaos', 'proxy', '--listen', '0', '--upstream', upstream(), '--reset-after', 'lots']);
    expect(reset.stderr).toMatch(/--reset-after/);
  });
});
