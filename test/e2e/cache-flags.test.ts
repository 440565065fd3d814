/**
 * Issue 15, "one meaning per flag", for the cache family, with the BUILT CLI
 * against the real Redis, origin and nginx: `cache warm --dry-run` resolves
 * and shows what it would warm and changes nothing (no key written, no origin
 * or cache request, no checkpoint); `cache invalidate` takes its keys with
 * `--source`/`-s` as `cache warm` does, and the old `--keys` still works for
 * one minor version, with a warning.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheInvalidateResult } from '../../commands/cache/invalidate.js';
import type { CacheWarmPlan } from '../../commands/cache/warm.js';
import { relia, reliaJson } from '../helpers/relia.js';
import { servers, uniquePrefix } from '../helpers/servers.js';

const DB = 11; // this file's database
let redis: Redis;
let dir: string;
const target = () => `${servers().redis[0]!.url}/${DB}`;
const itemPath = (key: string) => `/items/${encodeURIComponent(key)}`;

interface OriginStats {
  total: number;
  byPath: Record<string, number>;
}
async function originStats(): Promise<OriginStats> {
  return (await (await fetch(`${servers().origin.url}/__origin/stats`)).json()) as OriginStats;
}
function writeKeys(name: string, keys: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${keys.join('\n')}\n`);
  return file;
}

beforeAll(() => {
  redis = new Redis(target());
  dir = mkdtempSync(join(tmpdir(), 'relia-cache-flags-'));
});
afterAll(() => redis.disconnect());

describe('cache warm --dry-run', () => {
  it('Redis from the origin: shows the count and a sample; no key is written, the origin sees no request, no checkpoint is made', async () => {
    const p = uniquePrefix('dry-warm');
    const keys = Array.from({ length: 40 }, (_, i) => `${p}${i}`);
    const file = writeKeys(`${p}.txt`, keys);
    const checkpoint = join(dir, `${p}.checkpoint.json`);
    const args = ['cache', 'warm', '--source', file, '--target', target(), '--origin', `${servers().origin.url}/items/{key}`, '--checkpoint', checkpoint, '--dry-run'];
    const r = await reliaJson<CacheWarmPlan>([...args, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result).toMatchObject({ dryRun: true, mode: 'redis-origin', keys: 40, variants: 1, total: 40, shard: null, checkpointFile: checkpoint });
    expect(r.json.result?.sample).toEqual(keys.slice(0, 10));
    expect(r.json.result?.sources).toEqual([{ source: file, kind: 'list', keys: 40 }]);
    const human = await relia(args);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/would warm\s+40 keys/);
    expect(human.stdout).toContain('dry run: nothing was warmed');
    expect(await redis.exists(...keys)).toBe(0);
    const stats = await originStats();
    expect(keys.map((k) => stats.byPath[itemPath(k)] ?? 0)).toEqual(keys.map(() => 0));
    expect(existsSync(checkpoint)).toBe(false);
  });

  it('--shard i/n shows that shard’s share: the shards add up to every key once', async () => {
    const p = uniquePrefix('dry-shard');
    const file = writeKeys(`${p}.txt`, Array.from({ length: 100 }, (_, i) => `${p}${i}`));
    const share = async (shard: string) => {
      const r = await reliaJson<CacheWarmPlan>(['cache', 'warm', '--source', file, '--target', target(), '--origin', 'http://127.0.0.1:9/{key}', '--shard', shard, '--dry-run', '--json']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.json.result?.shard).toBe(shard);
      return r.json.result?.keys ?? 0;
    };
    const [a, b] = [await share('0/2'), await share('1/2')];
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a + b).toBe(100);
  });

  it('an HTTP cache: keys × variants, and the cache in front of the origin gets no request', async () => {
    const p = uniquePrefix('dry-http');
    const paths = Array.from({ length: 5 }, (_, i) => `/items/${p}${i}`);
    const file = writeKeys(`${p}.txt`, paths);
    const before = await originStats();
    const r = await reliaJson<CacheWarmPlan>(['cache', 'warm', '--source', file, '--target', servers().nginx.url, '--vary', 'Accept-Encoding: gzip,br', '--dry-run', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result).toMatchObject({ dryRun: true, mode: 'http', keys: 5, variants: 2, total: 10 });
    expect((await originStats()).total).toBe(before.total);
  });

  it('bad input is still exit 2 (the same checks as a run), and --dry-run with --emit is refused', async () => {
    const file = writeKeys('one.txt', ['k']);
    const bad = await reliaJson(['cache', 'warm', '--source', file, '--target', target(), '--origin', 'http://127.0.0.1:9/{key}', '--rate', 'fast', '--dry-run', '--json']);
    expect(bad.exitCode).toBe(2);
    const both = await relia(['cache', 'warm', '--source', file, '--target', target(), '--emit', 'indexed-job', '--dry-run']);
    expect(both.exitCode).toBe(2);
  });
});

describe('cache invalidate --source', () => {
  it('-s FILE selects the keys in the file, as cache warm --source does; --keys still works with a one-line warning', async () => {
    const p = uniquePrefix('inv-src');
    const keys = Array.from({ length: 6 }, (_, i) => `${p}${i}`);
    await redis.mset(...keys.flatMap((k) => [k, 'v']));
    const first = writeKeys(`${p}-a.txt`, keys.slice(0, 3));
    const r = await reliaJson<CacheInvalidateResult>(['cache', 'invalidate', '--target', target(), '-s', first, '--yes', '--json', '--no-progress']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.result?.result?.deleted).toBe(3);
    expect(r.json.warnings).toEqual([]);
    expect(await redis.exists(...keys)).toBe(3);

    const rest = writeKeys(`${p}-b.txt`, keys.slice(3));
    const old = await relia(['cache', 'invalidate', '--target', target(), '--keys', rest, '--yes', '--no-progress']);
    expect(old.exitCode, old.stderr).toBe(0);
    expect(old.stderr.split('\n').filter((l) => l.includes('deprecated'))).toEqual([
      'warning: --keys is deprecated here: use --source (-s); the old spelling stops working in relia 0.3.0 (docs/flags.md)',
    ]);
    expect(await redis.exists(...keys)).toBe(0);
  });
});
