/**
 * Shared plumbing for the cache benches: start (or reuse) the local servers,
 * run commands, time them. Servers: RELIA_TEST_SERVERS=<servers.json> reuses
 * a running set; otherwise a private set is started with scripts/servers.mjs
 * and always stopped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RELIA = join(ROOT, 'bin', 'run.js');

export function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/** Run `fn(servers)` with the local servers up (only the ones named). */
export async function withServers(only, fn) {
  const given = process.env.RELIA_TEST_SERVERS;
  if (given) return fn(JSON.parse(readFileSync(given, 'utf8')));
  const state = mkdtempSync(join(tmpdir(), 'relia-bench-'));
  const up = spawnSync(process.execPath, [join(ROOT, 'scripts/servers.mjs'), 'up', '--state', state, '--only', only], { encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`servers did not start:\n${up.stderr}`);
  try {
    return await fn(JSON.parse(readFileSync(join(state, 'servers.json'), 'utf8')));
  } finally {
    spawnSync(process.execPath, [join(ROOT, 'scripts/servers.mjs'), 'down', '--state', state], { encoding: 'utf8' });
    rmSync(state, { recursive: true, force: true });
  }
}

/** Run a command to completion; returns {status, stdout, stderr, seconds}. `input` is piped to stdin. */
export function timed(cmd, args, { input, env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), seconds: (performance.now() - t0) / 1000 }));
    if (input !== undefined) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    } else child.stdin.end();
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function portOf(url) {
  return new URL(url).port;
}
