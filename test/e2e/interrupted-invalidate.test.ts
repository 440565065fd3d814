/**
 * Issue 10, class 5: after an interrupted `cache invalidate`, relia prints
 * what was done and the exact command that finishes the job (BUILT CLI, real
 * Redis). The run is paced (--rate 20/s over 300 keys, ~15 s); the test waits
 * for its first JSON progress line (keys are being deleted), sends SIGINT, and
 * checks: exit 130, the count printed is the count deleted (the rest are still
 * there: it used to be the last throttled progress count, short of the batches
 * deleted since), and the printed command, run as printed, deletes the rest.
 */
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, recordExit, ROOT } from '../helpers/relia.js';
import { servers, uniquePrefix } from '../helpers/servers.js';
import { until } from '../helpers/tty.js';

const DB = 11;
const target = () => `${servers().redis[0]!.url}/${DB}`;
let redis: Redis;
beforeAll(() => {
  redis = new Redis(target());
});
afterAll(async () => {
  await redis.quit();
});

const env = { NO_COLOR: '1', RELIA_CONFIG: undefined, RELIA_ENV: undefined };

async function count(prefix: string): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

describe('an interrupted cache invalidate', { timeout: 120_000 }, () => {
  it('SIGINT mid-run: exit 130, what was deleted, and the command that finishes the rest', async () => {
    const prefix = uniquePrefix('int-inv');
    const pipe = redis.pipeline();
    for (let i = 0; i < 300; i++) pipe.set(`${prefix}${i}`, 'v');
    await pipe.exec();
    const args = ['--target', target(), '--pattern', `${prefix}*`, '--rate', '20/s', '--yes', '--progress', 'json'];
    const child = execa('node', [BIN, 'cache', 'invalidate', ...args], { cwd: ROOT, env, reject: false, input: '' });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (c: Buffer) => {
        stderr += String(c);
        if (/^\{"event":"progress".*"done":[1-9]/m.test(stderr)) resolve();
      });
      void child.then((r) => reject(new Error(`ended before a progress line (exit ${r.exitCode}):\n${stderr}`)));
    });
    // Let it delete well past what that line reported (the stop then falls between two progress events), then interrupt.
    const reported = Number(/"done":(\d+)/.exec(stderr)![1]);
    await until(async () => (await count(prefix)) <= 300 - reported - 25, 'more keys deleted since the progress line', 60_000);
    child.kill('SIGINT');
    const r = await child;
    recordExit(r.exitCode, 'cache invalidate + SIGINT');
    expect(r.exitCode, String(r.stderr)).toBe(130);
    const err = String(r.stderr);
    expect(err).not.toMatch(/Error:|bug in relia/);
    const done = /^relia: interrupted by SIGINT: (\d+) keys deleted$/m.exec(err);
    expect(done, err).not.toBeNull();
    const deleted = Number(done![1]);
    expect(deleted).toBeGreaterThan(0);
    expect(deleted).toBeLessThan(300);
    expect(await count(prefix)).toBe(300 - deleted);
    const again = /^relia: running it again finishes the rest \(what is done is skipped\): (.+)$/m.exec(err);
    expect(again, err).not.toBeNull();
    expect(again![1]).toBe(`relia cache invalidate ${args.map((a) => (a.includes('*') ? `'${a}'` : a)).join(' ')}`);
    // Run it as printed (through a shell, as a person would paste it).
    const rest = await execa('bash', ['-c', again![1]!.replace(/^relia /, `node ${BIN} `)], { cwd: ROOT, env, reject: false, input: '' });
    recordExit(rest.exitCode, 'cache invalidate (resumed)');
    expect(rest.exitCode, String(rest.stderr)).toBe(0);
    expect(await count(prefix)).toBe(0);
  });
});
