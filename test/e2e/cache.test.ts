/**
 * `relia cache warm | invalidate | stats`, the BUILT CLI against the real
 * servers: two redis-servers, the origin (scripts/origin.mjs, which counts its
 * requests per path), nginx with proxy_cache in front of it (X-Cache-Status)
 * and its combined access log, and Prometheus with plays_total history.
 * Every test uses its own key prefix / URL paths, so runs never see each
 * other's data. No fixed sleeps: waits poll for a condition.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, relia, reliaJson } from '../helpers/relia.js';
import { servers, uniquePrefix } from '../helpers/servers.js';

const DB = 7; // this suite's database on both servers
let redis0: Redis;
let redis1: Redis;
let dir: string;

interface OriginStats {
  total: number;
  byPath: Record<string, number>;
  byStatus: Record<string, number>;
}
const origin = () => servers().origin.url;
const nginx = () => servers().nginx.url;
const redisUrl = (i: number) => `${servers().redis[i]!.url}/${DB}`;

async function originStats(): Promise<OriginStats> {
  return (await (await fetch(`${origin()}/__origin/stats`)).json()) as OriginStats;
}
async function originMode(mode: Record<string, number>): Promise<void> {
  const res = await fetch(`${origin()}/__origin/mode`, { method: 'POST', body: JSON.stringify(mode) });
  expect(res.status).toBe(200);
}
/** Requests the origin saw for these paths. */
function counts(stats: OriginStats, paths: string[]): number[] {
  return paths.map((p) => stats.byPath[p] ?? 0);
}
function writeKeys(name: string, keys: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${keys.join('\n')}\n`);
  return file;
}
const itemPath = (key: string) => `/items/${encodeURIComponent(key)}`;

/** Wait until `check` is true, polling (bounded). */
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(() => {
  redis0 = new Redis(redisUrl(0));
  redis1 = new Redis(redisUrl(1));
  dir = mkdtempSync(join(tmpdir(), 'relia-cache-e2e-'));
});
afterAll(async () => {
  await originMode({});
  redis0.disconnect();
  redis1.disconnect();
});

describe('relia cache warm → Redis from the origin', () => {
  it('warms 10,000 keys: every value from the origin, TTLs in the jitter range, no duplicate fetches', { timeout: 120_000 }, async () => {
    const p = uniquePrefix('warm10k');
    const keys = Array.from({ length: 10_000 }, (_, i) => `${p}${String(i).padStart(5, '0')}`);
    const file = writeKeys('10k.txt', [...keys, ...keys.slice(0, 500)]); // duplicates in the source are dropped
    const before = await originStats();
    const started = Date.now();
    const { json, exitCode } = await reliaJson(['cache', 'warm', '--source', file, '--target', redisUrl(0), '--origin', `${origin()}/items/{key}`, '--ttl', '1h', '--ttl-jitter', '10%', '--concurrency', '32', '--no-progress']);
    expect(exitCode).toBe(0);
    expect(json.result).toMatchObject({ mode: 'redis-origin', keys: 10_000, attempted: 10_000, warmed: 10_000, alreadyHot: 0, failed: 0, hitRatioBefore: 0, hitRatioAfter: 1 });
    expect(json.result).toHaveProperty('durationSeconds');
    // every value is the origin's document for that key
    const values = await redis0.mget(...keys);
    expect(values.every((v, i) => v !== null && (JSON.parse(v) as { key: string }).key === keys[i])).toBe(true);
    // TTLs within 3600 × (1 ± 10%), and spread (jitter)
    const pipe = redis0.pipeline();
    for (const k of keys) pipe.ttl(k);
    const ttls = ((await pipe.exec()) ?? []).map(([, t]) => Number(t));
    // A TTL counts down from when its key was set: allow the seconds since the run started (slow under load).
    const elapsed = Math.ceil((Date.now() - started) / 1000) + 1;
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(3240 - elapsed);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(3960);
    expect(new Set(ttls).size).toBeGreaterThan(300);
    // the origin was asked exactly once per key
    const after = await originStats();
    const paths = keys.map(itemPath);
    expect(counts(after, paths).map((n, i) => n - (before.byPath[paths[i]!] ?? 0))).toEqual(keys.map(() => 1));
    // a second run finds everything hot and asks the origin nothing
    const again = await reliaJson(['cache', 'warm', '--source', file, '--target', redisUrl(0), '--origin', `${origin()}/items/{key}`, '--no-progress']);
    expect(again.json.result).toMatchObject({ warmed: 0, alreadyHot: 10_000, hitRatioBefore: 1 });
    expect(counts(await originStats(), paths)).toEqual(counts(after, paths));
  });

  it('SIGTERM mid-warm exits 143 after saving the checkpoint; the resumed run warms each key exactly once in total', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('sigterm');
    const keys = Array.from({ length: 2000 }, (_, i) => `${p}${i}`);
    const file = writeKeys('sigterm.txt', keys);
    const checkpoint = join(dir, 'sigterm.json');
    const args = ['cache', 'warm', '--source', file, '--target', redisUrl(0), '--origin', `${origin()}/items/{key}`, '--ttl', '10m', '--checkpoint', checkpoint, '--rate', '400/s', '--progress-interval', '100ms'];
    const child = execa('node', [BIN, ...args], { reject: false, env: { NO_COLOR: '1' } });
    let progressed = 0;
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          progressed = Math.max(progressed, (JSON.parse(line) as { done: number }).done);
        } catch {
          // a line split across chunks
        }
      }
    });
    await until(() => progressed >= 400, 'the run to be under way');
    child.kill('SIGTERM');
    const first = await child;
    expect(first.exitCode).toBe(143);
    expect(String(first.stderr)).toMatch(/SIGTERM received/);
    // What was done, where the checkpoint is, and the exact command that resumes.
    expect(String(first.stderr)).toMatch(/^relia: interrupted by SIGTERM: \d+ of 2000 keys done \(/m);
    expect(String(first.stderr)).toContain(`relia: checkpoint saved: ${checkpoint}`);
    expect(String(first.stderr)).toContain(`relia: resume with: relia ${args.join(' ').replace(`${origin()}/items/{key}`, `'${origin()}/items/{key}'`)}`);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { doneCount: number; total: number; done: Array<[number, number]> };
    expect(saved.total).toBe(2000);
    expect(saved.doneCount).toBeGreaterThanOrEqual(400);
    expect(saved.doneCount).toBeLessThan(2000);
    expect(existsSync(`${checkpoint}.lock`)).toBe(false); // the lock was released on the way out

    const resumed = await reliaJson(['cache', 'warm', ...args.slice(2)]);
    expect(resumed.exitCode).toBe(0);
    expect(resumed.json.result).toMatchObject({ resumed: saved.doneCount, attempted: 2000 - saved.doneCount, failed: 0, checkpoint: 'cleared' });
    expect(existsSync(checkpoint)).toBe(false);
    expect(counts(await originStats(), keys.map(itemPath))).toEqual(keys.map(() => 1));
    expect(await redis0.exists(...keys)).toBe(2000);
  });

  it('--shard i/4 over four runs covers every key exactly once', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('shard');
    const keys = Array.from({ length: 2000 }, (_, i) => `${p}${i}`);
    const file = writeKeys('shard.txt', keys);
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { json, exitCode } = await reliaJson(['cache', 'warm', '--source', file, '--target', redisUrl(0), '--origin', `${origin()}/items/{key}`, '--shard', `${i}/4`, '--no-progress']);
      expect(exitCode).toBe(0);
      expect(json.result).toMatchObject({ shard: `${i}/4`, failed: 0, alreadyHot: 0 });
      sizes.push((json.result as { warmed: number }).warmed);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(Math.min(...sizes)).toBeGreaterThan(400); // FNV-1a spreads them
    expect(counts(await originStats(), keys.map(itemPath))).toEqual(keys.map(() => 1));
    expect(await redis0.exists(...keys)).toBe(2000);
  });

  it('a second run while one holds the lock does nothing (exit 2, names the holder)', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('lock');
    // 3000 keys at 100/s: the first run holds the lock for 30 s, far longer than the second needs to start under load (it is stopped as soon as the second has answered)
    const file = writeKeys('lock.txt', Array.from({ length: 3000 }, (_, i) => `${p}${i}`));
    const checkpoint = join(dir, 'lock.json');
    const args = ['cache', 'warm', '--source', file, '--target', redisUrl(0), '--origin', `${origin()}/items/{key}`, '--checkpoint', checkpoint, '--rate', '100/s', '--progress-interval', '100ms'];
    const first = execa('node', [BIN, ...args], { reject: false });
    let started = false;
    first.stderr?.on('data', (c: Buffer) => (started ||= c.toString().includes('"event":"progress"')));
    await until(() => started, 'the first run to start');
    const second = await relia(args);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/another warm run holds the lock \(pid \d+/);
    first.kill('SIGTERM');
    expect((await first).exitCode).toBe(143);
  });

  it('backs off when the origin answers 429: the request rate stays under its limit, and everything is warmed', { timeout: 90_000 }, async () => {
    const p = uniquePrefix('throttle');
    const keys = Array.from({ length: 1200 }, (_, i) => `${p}${i}`);
    const file = writeKeys('throttle.txt', keys);
    const limit = 150;
    await originMode({ status429Above: limit });
    try {
      const before = await originStats();
      const { json, exitCode } = await reliaJson(['cache', 'warm', '--source', file, '--target', redisUrl(0), '--origin', `${origin()}/items/{key}`, '--retries', '10', '--concurrency', '32', '--no-progress']);
      const after = await originStats();
      expect(exitCode).toBe(0);
      const r = json.result as { warmed: number; failed: number; durationSeconds: number; retries: number; adaptiveRate: { decreases: number } | null };
      expect(r).toMatchObject({ warmed: 1200, failed: 0 });
      const requests = after.total - before.total; // 200s and 429s alike
      const throttled = (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0);
      expect(throttled).toBeGreaterThan(0); // the origin did push back…
      expect(r.adaptiveRate?.decreases).toBeGreaterThan(0); // …and the warmer slowed down
      expect(requests / r.durationSeconds).toBeLessThan(limit); // measured rate over the run
      expect(throttled / requests).toBeLessThan(0.1); // few requests were wasted on 429s
    } finally {
      await originMode({});
    }
  });

  it('an origin failing 50% trips the breaker: exit 4, checkpoint kept; a resume once healthy finishes', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('breaker');
    const keys = Array.from({ length: 500 }, (_, i) => `${p}${i}`);
    const file = writeKeys('breaker.txt', keys);
    const checkpoint = join(dir, 'breaker.json');
    const args = ['cache', 'warm', '--source', file, '--target', redisUrl(0), '--origin', `${origin()}/items/{key}`, '--checkpoint', checkpoint, '--no-progress'];
    await originMode({ failRatio: 0.5 });
    let tripped;
    try {
      tripped = await reliaJson(args);
    } finally {
      await originMode({});
    }
    expect(tripped.exitCode).toBe(4);
    expect(tripped.json.error?.message).toMatch(/circuit breaker opened: \d+(\.\d+)?% of the last \d+ origin requests failed/);
    expect(existsSync(checkpoint)).toBe(true);
    const human = await relia(args);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/done by an earlier run/);
    expect(await redis0.exists(...keys)).toBe(500);
  });

  it('an unreachable target or origin is exit 3', async () => {
    const file = writeKeys('unreach.txt', ['a', 'b']);
    const noRedis = await relia(['cache', 'warm', '--source', file, '--target', 'redis://127.0.0.1:1/0', '--origin', `${origin()}/items/{key}`]);
    expect(noRedis.exitCode).toBe(3);
    expect(noRedis.stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1/);
    const noOrigin = await reliaJson(['cache', 'warm', '--source', writeKeys('unreach2.txt', Array.from({ length: 40 }, (_, i) => uniquePrefix('u') + i)), '--target', redisUrl(0), '--origin', 'http://127.0.0.1:1/items/{key}', '--retries', '0', '--no-progress']);
    expect(noOrigin.exitCode).toBe(3);
    expect(noOrigin.json.error?.message).toMatch(/origin unreachable/);
  });
});

describe('relia cache warm → Redis copy (--from)', () => {
  it('copies values and TTLs from a warm Redis into a cold one', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('copy');
    const pipe = redis0.pipeline();
    for (let i = 0; i < 5000; i++) {
      if (i % 2 === 0) pipe.set(`${p}${i}`, `value-${i}`, 'EX', 900);
      else pipe.set(`${p}${i}`, `value-${i}`);
    }
    await pipe.exec();
    const { json, exitCode } = await reliaJson(['cache', 'warm', '--target', redisUrl(1), '--from', redisUrl(0), '--pattern', `${p}*`, '--no-progress']);
    expect(exitCode).toBe(0);
    expect(json.result).toMatchObject({ mode: 'redis-copy', keys: 5000, warmed: 5000, failed: 0, hitRatioBefore: 0, hitRatioAfter: 1 });
    expect(await redis1.get(`${p}4321`)).toBe('value-4321');
    expect(await redis1.ttl(`${p}10`)).toBeGreaterThan(890);
    expect(await redis1.ttl(`${p}11`)).toBe(-1);
  });

  it('skips keys the target has (counted hot), reports absent and non-string keys, keeps TTLs to the millisecond', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('copy-nx');
    const keys = Array.from({ length: 3000 }, (_, i) => `${p}${i}`);
    const pipe = redis0.pipeline();
    keys.forEach((k, i) => (i % 2 === 0 ? pipe.set(k, `value-${i}`, 'PX', 900_000) : pipe.set(k, `value-${i}`)));
    pipe.hset(`${p}hash`, 'f', 'v');
    await pipe.exec();
    await redis1.set(`${p}7`, 'kept');
    await redis1.set(`${p}8`, 'kept too', 'EX', 50);
    const file = writeKeys('copy-nx.txt', [...keys, `${p}missing`, `${p}hash`]);
    const { json, exitCode } = await reliaJson(['cache', 'warm', '--source', file, '--target', redisUrl(1), '--from', redisUrl(0), '--max-failures', '2', '--no-progress']);
    expect(exitCode).toBe(0);
    expect(json.result).toMatchObject({ keys: 3002, warmed: 2998, alreadyHot: 2, failed: 2, failuresByReason: { 'missing-in-source': 2 } });
    expect(await redis1.get(`${p}7`)).toBe('kept');
    expect(await redis1.ttl(`${p}8`)).toBeLessThanOrEqual(50);
    expect(await redis1.get(`${p}2999`)).toBe('value-2999');
    const pttl = await redis1.pttl(`${p}10`);
    expect(pttl).toBeGreaterThan(880_000);
    expect(pttl).toBeLessThanOrEqual(900_000);
    expect(await redis1.ttl(`${p}11`)).toBe(-1);
    expect(await redis1.exists(`${p}missing`, `${p}hash`)).toBe(0);
  });

  it('copies binary values and large values byte for byte; without TTLs in the source, a batch is one MSETNX', { timeout: 60_000 }, async () => {
    // a database of this suite that never holds keys with a TTL, so the copy needs no TTL reads
    const db = 12;
    const src = new Redis(`${servers().redis[0]!.url}/${db}`);
    const dst = new Redis(`${servers().redis[1]!.url}/${db}`);
    try {
      const p = uniquePrefix('copy-bin');
      const values = new Map<string, Buffer>();
      for (let i = 0; i < 2000; i++) values.set(`${p}${i}`, Buffer.from(`v\r\n$-1\r\n*2\r\n${i}\u00e9`));
      for (let i = 0; i < 8; i++) values.set(`${p}big:${i}`, Buffer.alloc(300_000 + i * 7919, i + 1)); // several receive buffers per batch
      values.set(`${p}ключ`, Buffer.from([0, 255, 13, 10, 36]));
      const pipe = src.pipeline();
      for (const [k, v] of values) pipe.set(k, v);
      await pipe.exec();
      await dst.set(`${p}1500`, 'kept');
      const msetnx = async (): Promise<number> => Number(/cmdstat_msetnx:calls=(\d+)/.exec(await dst.info('commandstats'))?.[1] ?? 0);
      const before = await msetnx();
      const { json, exitCode } = await reliaJson(['cache', 'warm', '--target', `${servers().redis[1]!.url}/${db}`, '--from', `${servers().redis[0]!.url}/${db}`, '--pattern', `${p}*`, '--batch', '500', '--no-progress']);
      expect(exitCode).toBe(0);
      expect(json.result).toMatchObject({ keys: values.size, warmed: values.size - 1, alreadyHot: 1, failed: 0 });
      expect(await msetnx()).toBeGreaterThan(before);
      const keys = [...values.keys()];
      const got = await dst.mgetBuffer(...keys);
      keys.forEach((k, i) => {
        if (k === `${p}1500`) expect(got[i]?.toString()).toBe('kept');
        else expect(Buffer.compare(got[i] as Buffer, values.get(k) as Buffer)).toBe(0);
      });
      // --refresh overwrites (MSET), --ttl sets the TTL (SET … EX)
      const again = await reliaJson(['cache', 'warm', '--target', `${servers().redis[1]!.url}/${db}`, '--from', `${servers().redis[0]!.url}/${db}`, '--pattern', `${p}*`, '--refresh', '--ttl', '1m', '--ttl-jitter', '0', '--no-progress']);
      expect(again.json.result).toMatchObject({ warmed: values.size, alreadyHot: 0, failed: 0 });
      expect(Buffer.compare((await dst.getBuffer(`${p}1500`)) as Buffer, values.get(`${p}1500`) as Buffer)).toBe(0);
      expect(await dst.ttl(`${p}big:3`)).toBeGreaterThan(55);
      await dst.del(...keys);
      await src.del(...keys);
    } finally {
      src.disconnect();
      dst.disconnect();
    }
  });
});

describe('relia cache warm → nginx proxy_cache', () => {
  it('after a warm, a client pass gets HIT for every URL and the origin sees no new request', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('nginx').replaceAll(':', '-');
    const paths = Array.from({ length: 300 }, (_, i) => `/items/${p}${i}`);
    const file = writeKeys('nginx.txt', paths);
    // the origin answers Vary: Accept-Encoding, so warm the variant the clients ask for (fetch sends "gzip, deflate")
    const { json, exitCode } = await reliaJson(['cache', 'warm', '--source', file, '--target', nginx(), '--header', 'Accept-Encoding: gzip, deflate', '--verify', '--no-progress']);
    expect(exitCode).toBe(0);
    expect(json.result).toMatchObject({ mode: 'http', warmed: 300, alreadyHot: 0, failed: 0, hitRatioBefore: 0, hitRatioAfter: 1, cacheStatus: { miss: 300 } });
    const before = await originStats();
    for (const path of paths) {
      const res = await fetch(`${nginx()}${path}`);
      await res.arrayBuffer();
      expect(res.headers.get('x-cache-status')).toBe('HIT');
    }
    expect(counts(await originStats(), paths)).toEqual(counts(before, paths));
    expect(counts(before, paths)).toEqual(paths.map(() => 1));
  });

  it('with header variants, every variant is requested and then served from the cache, one copy per Accept-Encoding', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('vary').replaceAll(':', '-');
    const paths = Array.from({ length: 100 }, (_, i) => `/items/${p}${i}`);
    const file = writeKeys('vary.txt', paths);
    const { json, exitCode } = await reliaJson(['cache', 'warm', '--source', file, '--target', nginx(), '--vary', 'Accept-Encoding: gzip,br', '--vary', 'User-Agent: relia-desktop,relia-mobile', '--no-progress']);
    expect(exitCode).toBe(0);
    expect(json.result).toMatchObject({ keys: 100, variants: 4, total: 400, failed: 0 });
    const r = json.result as { warmed: number; alreadyHot: number };
    expect(r.warmed + r.alreadyHot).toBe(400);
    for (const encoding of ['gzip', 'br']) {
      for (const agent of ['relia-desktop', 'relia-mobile']) {
        for (const path of paths.slice(0, 25)) {
          const res = await fetch(`${nginx()}${path}`, { headers: { 'accept-encoding': encoding, 'user-agent': agent } });
          await res.arrayBuffer();
          expect(res.headers.get('x-cache-status')).toBe('HIT');
        }
      }
    }
    // the origin varies on Accept-Encoding, so nginx keeps a copy per encoding: one origin fetch for gzip, one for br;
    // the User-Agent variants share them (variant-major order: the variants of one URL were never in flight together)
    expect(r.warmed).toBe(200);
    expect(r.alreadyHot).toBe(200);
    expect(counts(await originStats(), paths)).toEqual(paths.map(() => 2));
    // a third encoding is not cached yet
    const other = await fetch(`${nginx()}${paths[0]}`, { headers: { 'accept-encoding': 'zstd' } });
    await other.arrayBuffer();
    expect(other.headers.get('x-cache-status')).toBe('MISS');
  });

  it('reads a gzipped sitemap index and its child sitemap', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('sitemap').replaceAll(':', '-');
    const urls = Array.from({ length: 50 }, (_, i) => `${nginx()}/items/${p}${i}`);
    writeFileSync(join(dir, 'child.xml.gz'), gzipSync(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.map((u) => `<url><loc>${u}</loc></url>`).join('')}</urlset>`));
    writeFileSync(join(dir, 'index.xml.gz'), gzipSync(`<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>child.xml.gz</loc></sitemap></sitemapindex>`));
    const { json, exitCode } = await reliaJson(['cache', 'warm', '--source', `sitemap:${join(dir, 'index.xml.gz')}`, '--target', 'http', '--no-progress']);
    expect(exitCode).toBe(0);
    expect(json.result).toMatchObject({ keys: 50, warmed: 50, failed: 0, sources: [{ kind: 'sitemap', keys: 50 }] });
  });

  it('takes the most played titles from Prometheus and the top paths of the nginx access log', { timeout: 60_000 }, async () => {
    const at = servers().history.end;
    const prom = await reliaJson(['cache', 'warm', '--source', 'prometheus:topk(10, sum by (title) (rate(plays_total[1h])))', '--template', '/titles/{title}.json', '--prometheus', servers().prometheus.url, '--at', at, '--target', nginx(), '--verify', '--no-progress']);
    expect(prom.exitCode).toBe(0);
    expect(prom.json.result).toMatchObject({ keys: 10, failed: 0, hitRatioAfter: 1, sources: [{ kind: 'prometheus', keys: 10 }] });
    // the access log nginx writes (servers.json names it)
    const log = await reliaJson(['cache', 'warm', '--source', `access-log:${servers().nginx.accessLog}`, '--top', '20', '--target', nginx(), '--no-progress']);
    expect(log.json.error).toBeUndefined();
    expect(log.exitCode).toBe(0);
    expect(log.json.result).toMatchObject({ keys: 20, failed: 0, sources: [{ kind: 'access-log', keys: 20 }] });
  });
});

describe('relia cache warm --emit', () => {
  it('prints an Indexed Job whose pods, run as written, cover every key once', { timeout: 60_000 }, async () => {
    const p = uniquePrefix('emit');
    const keys = Array.from({ length: 400 }, (_, i) => `${p}${i}`);
    const file = writeKeys('emit.txt', keys);
    const out = await relia(['cache', 'warm', '--source', file, '--target', redisUrl(0), '--origin', `${origin()}/items/{key}`, '--no-progress', '--emit', 'indexed-job', '--shards', '4', '--name', 'warm-items', '--image', 'relia:test']);
    expect(out.exitCode).toBe(0);
    const [job] = parseAllDocuments(out.stdout).map((d) => d.toJSON() as { kind: string; spec: Record<string, unknown> & { template: { spec: { containers: Array<{ args: string[]; command: string[] }> } } } });
    expect(job?.kind).toBe('Job');
    expect(job?.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    const container = job!.spec.template.spec.containers[0]!;
    expect(container.args).toContain('--shard=$(JOB_COMPLETION_INDEX)/4');
    // what each pod runs: the args as written, $(JOB_COMPLETION_INDEX) unexpanded, the index in the environment
    for (let i = 0; i < 4; i++) {
      const r = await relia(container.args, { env: { JOB_COMPLETION_INDEX: String(i) } });
      expect(r.exitCode).toBe(0);
    }
    expect(counts(await originStats(), keys.map(itemPath))).toEqual(keys.map(() => 1));
  });

  it('prints a CronJob that never runs two warms at once', async () => {
    const r = await reliaJson(['cache', 'warm', '--source', 'keys.txt', '--target', 'redis://cache:6379/0', '--origin', 'http://o/items/{key}', '--emit', 'cronjob', '--schedule', '0 3 * * *', '--name', 'nightly-warm']);
    expect(r.exitCode).toBe(0);
    const [obj] = r.json.result!.objects as Array<{ kind: string; spec: { schedule: string; concurrencyPolicy: string } }>;
    expect(obj).toMatchObject({ kind: 'CronJob', spec: { schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' } });
    expect(r.json.result!.manifest).toContain('- --origin');
  });
});

describe('relia cache invalidate', () => {
  async function fill(p: string, n: number): Promise<string[]> {
    const keys = Array.from({ length: n }, (_, i) => `${p}${i}`);
    const pipe = redis0.pipeline();
    for (const k of keys) pipe.set(k, 'v');
    await pipe.exec();
    return keys;
  }

  it('is a dry run without --yes off a TTY: shows the count and a sample, deletes nothing', async () => {
    const p = uniquePrefix('dry');
    await fill(p, 50);
    const r = await relia(['cache', 'invalidate', '--target', redisUrl(0), '--pattern', `${p}*`, '--over', '1s']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/delete 50 keys matching/);
    expect(r.stdout).toMatch(/dry run: nothing was changed; pass --yes to act/);
    expect(await redis0.exists(...Array.from({ length: 50 }, (_, i) => `${p}${i}`))).toBe(50);
  });

  it('--over 2s spreads the deletes evenly: no 100 ms bucket gets more than twice its share', { timeout: 30_000 }, async () => {
    const p = uniquePrefix('inval');
    const keys = await fill(p, 400);
    // watch the deletes as the server sees them: keyspace notifications for this prefix
    const sub = new Redis(servers().redis[0]!.url); // no SELECT: keyspace channels are server-wide
    await new Promise((r) => sub.once('ready', r)); // subscribe only after ioredis's ready check (INFO) is done
    const old = ((await redis0.config('GET', 'notify-keyspace-events')) as string[])[1] ?? '';
    await redis0.config('SET', 'notify-keyspace-events', 'Kg');
    const times: number[] = [];
    sub.on('pmessage', () => times.push(performance.now()));
    await sub.psubscribe(`__keyspace@${DB}__:${p}*`);
    try {
      const { json, exitCode } = await reliaJson(['cache', 'invalidate', '--target', redisUrl(0), '--pattern', `${p}*`, '--over', '2s', '--yes']);
      expect(exitCode).toBe(0);
      expect(json.result).toMatchObject({ dryRun: false, result: { matched: 400, deleted: 400 } });
      await until(() => times.length >= 400, `every delete notification (got ${times.length})`);
    } finally {
      await redis0.config('SET', 'notify-keyspace-events', old);
      sub.disconnect();
    }
    expect(await redis0.exists(...keys)).toBe(0);
    const start = Math.min(...times);
    const buckets = new Array(20).fill(0) as number[];
    for (const t of times) buckets[Math.min(19, Math.floor((t - start) / 100))]!++;
    expect(Math.max(...buckets)).toBeLessThanOrEqual(2 * (400 / 20));
    expect(times[times.length - 1]! - start).toBeGreaterThan(1500); // it took the 2 s, not a burst
  });

  it('--expire gives TTLs instead of deleting; --rewarm re-fetches each deleted key from the origin', { timeout: 30_000 }, async () => {
    const p = uniquePrefix('rewarm');
    const keys = await fill(p, 40);
    const exp = await reliaJson(['cache', 'invalidate', '--target', redisUrl(0), '--pattern', `${p}*`, '--rate', '400/s', '--expire', '120s', '--yes']);
    expect(exp.json.result).toMatchObject({ result: { action: 'expire', expired: 40, deleted: 0 } });
    expect(await redis0.ttl(keys[0]!)).toBeGreaterThan(100);
    const rw = await reliaJson(['cache', 'invalidate', '--target', redisUrl(0), '--pattern', `${p}*`, '--rate', '400/s', '--rewarm', '--origin', `${origin()}/items/{key}`, '--ttl', '1h', '--yes']);
    expect(rw.json.result).toMatchObject({ result: { deleted: 40, rewarmed: 40, rewarmFailed: 0 } });
    expect(JSON.parse((await redis0.get(keys[3]!)) as string)).toMatchObject({ key: keys[3] });
    expect(await redis0.ttl(keys[3]!)).toBeGreaterThan(3000);
  });
});

describe('relia cache stats', () => {
  it('reports hit ratio, memory, keys and prefixes from the real server', { timeout: 30_000 }, async () => {
    const p = uniquePrefix('stats');
    const pipe = redis1.pipeline();
    for (let i = 0; i < 300; i++) pipe.set(`${p}a:${i}`, 'v');
    for (let i = 0; i < 100; i++) pipe.set(`${p}b:${i}`, 'v');
    await pipe.exec();
    const { json, exitCode } = await reliaJson(['cache', 'stats', '--target', redisUrl(1), '--pattern', `${p}*`, '--separator', ':', '--depth', '5', '--window', '200ms']);
    expect(exitCode).toBe(0);
    const r = json.result as { keys: number; memory: { usedBytes: number }; sample: { size: number; complete: boolean }; prefixes: Array<{ prefix: string; sampleCount: number; estimatedKeys: number }>; window: { seconds: number } };
    expect(r.keys).toBeGreaterThanOrEqual(400);
    expect(r.memory.usedBytes).toBeGreaterThan(0);
    expect(r.sample).toMatchObject({ size: 400, complete: true });
    expect(r.prefixes.slice(0, 2)).toEqual([
      expect.objectContaining({ prefix: `${p}a:`, sampleCount: 300, estimatedKeys: 300 }),
      expect.objectContaining({ prefix: `${p}b:`, sampleCount: 100, estimatedKeys: 100 }),
    ]);
    expect(r.window.seconds).toBe(0.2);
  });
});
