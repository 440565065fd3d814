/**
 * Issue 10, classes 2 and 3 (and the Redis bits of 4 and 5): destructive
 * commands never widen their scope, secrets never leak, and connection input
 * errors are named. The BUILT CLI against the real Redis; a second
 * redis-server with a password is started here on a free loopback port.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheInvalidateResult } from '../../commands/cache/invalidate.js';
import { relia, reliaJson } from '../helpers/relia.js';
import { deadPort, servers, uniquePrefix } from '../helpers/servers.js';
import { until } from '../helpers/tty.js';

const DB = 10;
const SECRET = 'Sup3r-S3cret-Value-4242';
let redis: Redis;
let dir: string;
let authPort: number;
let authPid: number | undefined;
const target = () => `${servers().redis[0]!.url}/${DB}`;

beforeAll(async () => {
  redis = new Redis(target());
  dir = mkdtempSync(join(tmpdir(), 'relia-scope-'));
  authPort = await deadPort();
  const pidFile = join(dir, 'auth-redis.pid');
  await execa('redis-server', ['--bind', '127.0.0.1', '--port', String(authPort), '--save', '', '--appendonly', 'no', '--requirepass', SECRET, '--daemonize', 'yes', '--pidfile', pidFile, '--logfile', join(dir, 'auth-redis.log')]);
  await until(() => {
    try {
      authPid = Number(readFileSync(pidFile, 'utf8'));
      return authPid > 0;
    } catch {
      return false;
    }
  }, 'the password-protected redis-server');
});
afterAll(async () => {
  await redis.quit();
  if (authPid) process.kill(authPid, 'SIGTERM');
});

/** Every file under dir, concatenated (checkpoints, journals, reports). */
function filesText(d: string): string {
  return readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('cache invalidate never widens its scope', () => {
  it('--source FILE with --pattern "*" is exit 2 before anything runs; every key survives', async () => {
    const p = uniquePrefix('scope');
    await redis.mset(`${p}a`, '1', `${p}b`, '2', `${p}c`, '3');
    const keys = join(dir, 'keys.txt');
    writeFileSync(keys, `${p}a\n`);
    const r = await reliaJson(['cache', 'invalidate', '--target', target(), '--source', keys, '--pattern', '*', '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.message).toMatch(/--source cannot also be provided when using --pattern|--pattern cannot also be provided when using --source/);
    expect(await redis.exists(`${p}a`, `${p}b`, `${p}c`)).toBe(3);
  });

  it('neither --source nor --pattern is exit 2 (no selection never means all)', async () => {
    const r = await relia(['cache', 'invalidate', '--target', target(), '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/Exactly one of the following must be provided: --pattern, --source|must be provided: --source, --pattern/);
  });

  it('--over with --rate, and --origin without --rewarm, are exit 2 (a flag is never ignored)', async () => {
    expect((await relia(['cache', 'invalidate', '--target', target(), '--pattern', 'x:*', '--over', '1m', '--rate', '10/s'])).exitCode).toBe(2);
    expect((await relia(['cache', 'invalidate', '--target', target(), '--pattern', 'x:*', '--origin', 'http://127.0.0.1:1/{key}'])).exitCode).toBe(2);
  });

  it('without --over or --rate the plan is paced at 100 keys/s, never one burst', async () => {
    const p = uniquePrefix('pace');
    const keys = Array.from({ length: 300 }, (_, i) => `${p}${i}`);
    await redis.mset(...keys.flatMap((k) => [k, 'v']));
    const r = await reliaJson<CacheInvalidateResult>(['cache', 'invalidate', '--target', target(), '--pattern', `${p}*`]);
    expect(r.exitCode).toBe(0);
    const plan = r.json.result!.plan;
    expect(plan.count).toBe(300);
    expect(plan.intervalMs).toBeGreaterThan(0);
    expect(plan.estimatedSeconds).toBeGreaterThanOrEqual(2.9);
    expect(await redis.exists(...keys)).toBe(300);
  });

  it('--header with CR/LF is exit 2 before any request; an --origin with {key} in the host is exit 2', async () => {
    const p = uniquePrefix('inject');
    await redis.set(`${p}a`, '1');
    const base = ['cache', 'invalidate', '--target', target(), '--pattern', `${p}*`, '--yes', '--rewarm'];
    const crlf = await relia([...base, '--origin', `${servers().origin.url}/items/{key}`, '--header', 'X-A: b\r\nX-Injected: 1']);
    expect(crlf.exitCode).toBe(2);
    expect(crlf.stderr).toMatch(/CR, LF or NUL/);
    const host = await relia([...base, '--origin', 'http://{key}.example.test/x']);
    expect(host.exitCode).toBe(2);
    expect(host.stderr).toMatch(/may not be in the scheme or host/);
    expect(await redis.exists(`${p}a`)).toBe(1);
  });

  it('cache warm --from without --source or --pattern is exit 2 (copying everything must be asked for)', async () => {
    const r = await relia(['cache', 'warm', '--target', `${servers().redis[1]!.url}/${DB}`, '--from', target(), '--no-progress']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/which keys\?/);
  });
});

describe('Redis connection input', () => {
  it('port 99999 is exit 2 naming the range', async () => {
    const r = await relia(['cache', 'stats', '--target', 'redis://127.0.0.1:99999/0']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/port 99999 is out of range 1–65535/);
  });

  it('a wrong password says "authentication failed" and never prints the password', async () => {
    const wrong = await relia(['cache', 'stats', '--target', `redis://127.0.0.1:${authPort}/0`], { env: { RELIA_REDIS_PASSWORD: 'not-the-password' } });
    expect(wrong.exitCode).toBe(3);
    expect(wrong.stderr).toMatch(/authentication failed at Redis/);
    expect(wrong.stderr).not.toMatch(/check the server is up/);
    const none = await relia(['cache', 'stats', '--target', `redis://127.0.0.1:${authPort}/0`]);
    expect(none.stderr).toMatch(/authentication failed at Redis .*NOAUTH/);
  });
});

describe('secrets never leak', () => {
  it('config refuses a literal credential header and takes it from the environment; config show never prints it', async () => {
    const literal = join(dir, 'literal.yaml');
    writeFileSync(literal, `environments:\n  prod:\n    metrics:\n      url: http://127.0.0.1:9\n      headers:\n        X-Api-Key: ${SECRET}\n`);
    const refused = await relia(['config', 'show', '--config', literal]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/environments\.prod\.metrics\.headers\.X-Api-Key: a credential header is never read from the config file/);
    expect(refused.stderr + refused.stdout).not.toContain(SECRET);

    const fromEnv = join(dir, 'from-env.yaml');
    writeFileSync(fromEnv, 'environments:\n  prod:\n    metrics:\n      url: http://127.0.0.1:9\n      headers:\n        Accept: application/json\n      headersFromEnv:\n        Authorization: PROM_AUTH\n');
    for (const args of [['config', 'show', '--config', fromEnv], ['config', 'show', '--config', fromEnv, '--json', '--verbose']]) {
      const r = await relia(args, { env: { PROM_AUTH: `Bearer ${SECRET}` } });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Authorization: \*\*\*/);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
  });

  it('cache warm --emit cronjob takes the Redis password from a Secret (secretKeyRef), never from the URL', async () => {
    const keys = join(dir, 'emit-keys.txt');
    writeFileSync(keys, 'a\n');
    for (const json of [false, true]) {
      const r = await relia(['cache', 'warm', '--source', keys, '--target', `redis://:${SECRET}@127.0.0.1:6379/0`, '--origin', 'http://origin/items/{key}', '--emit', 'cronjob', '--schedule', '@hourly', ...(json ? ['--json'] : [])]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('secretKeyRef');
      expect(r.stdout).toContain('RELIA_REDIS_PASSWORD');
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
    const header = await relia(['cache', 'warm', '--source', keys, '--target', 'redis://127.0.0.1:6379/0', '--origin', 'http://origin/items/{key}', '--header', `Authorization: Bearer ${SECRET}`, '--emit', 'indexed-job']);
    expect(header.exitCode).toBe(2);
    expect(header.stdout + header.stderr).not.toContain(SECRET);
  });

  it('a warm run with a password in the target URL keeps it out of output, progress, errors and the checkpoint', async () => {
    const work = mkdtempSync(join(tmpdir(), 'relia-secret-run-'));
    const p = uniquePrefix('secret');
    const keys = join(work, 'keys.txt');
    writeFileSync(keys, `${p}a\n${p}b\n`);
    const args = ['cache', 'warm', '--source', keys, '--target', `redis://:${SECRET}@127.0.0.1:${authPort}/0`, '--origin', `${servers().origin.url}/items/{key}`, '--checkpoint', join(work, 'cp.json'), '--progress-interval', '100ms', '--verbose'];
    const human = await relia(args);
    expect(human.exitCode, human.stderr).toBe(0);
    const json = await relia([...args, '--restart', '--json']);
    expect(json.exitCode, json.stderr).toBe(0);
    const wrong = await relia(['cache', 'warm', '--source', keys, '--target', `redis://:x${SECRET}@127.0.0.1:${authPort}/0`, '--origin', `${servers().origin.url}/items/{key}`, '--verbose']);
    expect(wrong.exitCode).toBe(3);
    const everything = [human.stdout, human.stderr, json.stdout, json.stderr, wrong.stdout, wrong.stderr, filesText(work)].join('\n');
    expect(everything).toMatch(/warmed|"status": 0/);
    expect(everything).not.toContain(SECRET);
  });
});
