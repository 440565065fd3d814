/**
 * `cache stats`, `cache invalidate`, Redis-mode `cache warm` (origin → Redis
 * and copy --from), `config show` and `providers list` in-process. Redis is
 * the contract-checked MemoryCache (test/fakes/memory-cache.ts) and the
 * origin the contract-checked MemoryHttp serving `fakeOrigin()`, both put
 * behind the real `relia:providers` hook in place of plugins/redis and
 * plugins/http; pacing runs on a FakeClock. Each test asserts the envelope,
 * the exit code, the lines docs/cache.md and docs/config.md print, and what
 * the command did to the keys.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import CacheInvalidate, { type CacheInvalidateResult } from '../../../commands/cache/invalidate.js';
import CacheStats, { type CacheStatsResult } from '../../../commands/cache/stats.js';
import CacheWarm, { type CacheWarmRun } from '../../../commands/cache/warm.js';
import ConfigShow, { type ConfigShowResult } from '../../../commands/config/show.js';
import ProvidersList, { type ProvidersListResult } from '../../../commands/providers/list.js';
import type { KeyValueCache } from '../../../src/ports/cache.js';
import type { CacheProviderSettings, ProviderRegistration } from '../../../src/ports/providers.js';
import { MemoryCache } from '../../fakes/memory-cache.js';
import { fakeOrigin, MemoryHttp } from '../../fakes/memory-http.js';
import { FakeClock } from '../../fakes/virtual-clock.js';
import { fakeProvider, runInProcess } from '../../helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'relia-cache-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'none.yaml');
writeFileSync(config, 'version: 1\n');

interface Env<R> {
  status: number;
  result?: R;
  error?: { name: string; message: string; field?: string; suggestions: string[] };
  warnings: string[];
}

const T0 = Date.parse('2026-12-03T08:00:00Z');
const TARGET = 'redis://cache.test:6379/0';
const WARM = 'redis://warm.test:6379/0';
/** The target through a provider without `expireMany` (a cache that cannot set TTLs). */
const NO_TTL = 'redis://nottl.test:6379/0';
/** A Redis the provider cannot reach: create() fails as plugins/redis does, with the kit's DependencyError. */
const DOWN = 'redis://down.test:6379/0';

/** Two Redis fakes by URL, an origin fake, the clock, and the settings each provider was created with. */
function world() {
  const clock = new FakeClock(T0);
  const target = new MemoryCache(() => clock.now());
  const warm = new MemoryCache(() => clock.now());
  const http = new MemoryHttp(fakeOrigin());
  const settings: CacheProviderSettings[] = [];
  const noTtl: KeyValueCache = {
    kind: 'no-ttl',
    getMany: (k) => target.getMany(k),
    existsMany: (k) => target.existsMany(k),
    setMany: (e) => target.setMany(e),
    ttlMany: (k) => target.ttlMany(k),
    deleteMany: (k) => target.deleteMany(k),
    scan: (p, o) => target.scan(p, o),
    stats: () => target.stats(),
    close: () => target.close(),
  };
  const byUrl: Record<string, KeyValueCache> = { [TARGET]: target, [WARM]: warm, [NO_TTL]: noTtl };
  const providers: ProviderRegistration[] = [
    {
      port: 'cache',
      scheme: 'redis',
      create: async (s, kit) => {
        settings.push(s);
        const cache = byUrl[s.url];
        if (!cache) throw new kit.errors.DependencyError('redis', `${s.url}: connect ECONNREFUSED`, { suggestions: ['is Redis running?'] });
        return cache;
      },
    } satisfies ProviderRegistration<'cache'>,
    fakeProvider('http', 'http', () => http),
  ];
  const signals = new EventEmitter();
  const run = <R>(Cmd: Parameters<typeof runInProcess>[0], argv: string[], env: Record<string, string | undefined> = {}) => runInProcess<R>(Cmd, [...argv, '--config', config], { providers, clock, signals, env });
  return { clock, target, warm, http, settings, signals, run };
}

const titles = (cache: MemoryCache, n: number, prefix = 'title:') => {
  for (let i = 0; i < n; i++) cache.put(`${prefix}${String(i).padStart(4, '0')}`, `v${i}`);
};
/** The keys of a fake matching a glob (its own SCAN; no hit or miss counted). */
const keysOf = async (cache: MemoryCache, pattern: string) => {
  const out: string[] = [];
  for await (const batch of cache.scan(pattern)) out.push(...batch);
  return out;
};

describe('cache stats in-process', () => {
  it('hit ratio from the counters, evictions, memory against maxmemory, keys by prefix (human and --json)', async () => {
    const w = world();
    titles(w.target, 30);
    titles(w.target, 10, 'user:');
    w.target.hits = 90;
    w.target.misses = 10;
    w.target.evictedKeys = 4;
    w.target.maxMemoryBytes = 4 * 1048576;
    w.target.usedMemoryBytes = 1048576;
    const r = await w.run<CacheStatsResult>(CacheStats, ['--target', TARGET, '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<CacheStatsResult>>();
    expect(e.result).toMatchObject({ target: TARGET, kind: 'memory', hits: 90, misses: 10, hitRatio: 0.9, evictedKeys: 4, keys: 40, memory: { usedBytes: 1048576, maxBytes: 4 * 1048576, usedPercent: 25 }, window: null });
    expect(e.result?.sample).toEqual({ pattern: '*', size: 40, complete: true });
    expect(e.result?.prefixes.map((p) => [p.prefix, p.sampleCount, p.estimatedKeys])).toEqual([
      ['title:', 30, 30],
      ['user:', 10, 10],
    ]);

    const human = await w.run(CacheStats, ['--target', TARGET]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/hit ratio +90\.00% \(90 hits, 10 misses since the counters were reset\)/);
    expect(human.stdout).toMatch(/evicted +4 keys \(maxmemory reached: warming beyond it evicts other keys\)/);
    expect(human.stdout).toMatch(/memory +1\.0 MiB of 4\.0 MiB \(25\.0%\)/);
    expect(human.stdout).toMatch(/title: +30 +75\.0% +30/);
    expect(human.stdout).toContain('all 40 keys matching *');
  });

  it('--window: the counters read twice, the window’s own hit ratio (the clock slept the window)', async () => {
    const w = world();
    titles(w.target, 5);
    w.target.hits = 1000;
    // during the window: 3 hits and 1 miss
    w.clock.at(T0 + 1, () => {
      w.target.hits += 3;
      w.target.misses += 1;
    });
    const r = await w.run<CacheStatsResult>(CacheStats, ['--target', TARGET, '--window', '10s', '--sample', '0', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<CacheStatsResult>>();
    expect(e.result?.window).toMatchObject({ hits: 3, misses: 1, hitRatio: 0.75 });
    expect(e.result?.prefixes).toEqual([]);
    expect(w.clock.now() - T0).toBe(10_000);
  });

  it('no target anywhere: exit 2 naming --target; a bad URL: exit 2; a Redis that does not answer: exit 3', async () => {
    const w = world();
    const none = await w.run(CacheStats, ['--json']);
    expect(none.exitCode).toBe(2);
    expect(none.json<Env<never>>().error).toMatchObject({ name: 'InputError', field: '--target' });
    const bad = await w.run(CacheStats, ['--target', 'redis://cache.test:99999/0', '--json']);
    expect(bad.exitCode).toBe(2);
    expect(bad.json<Env<never>>().error?.message).toMatch(/port 99999 is out of range/);
    const down = await w.run(CacheStats, ['--target', DOWN, '--json']);
    expect(down.exitCode).toBe(3);
    expect(down.json<Env<never>>().error).toMatchObject({ name: 'DependencyError' });
    expect(down.json<Env<never>>().error?.message).toMatch(/ECONNREFUSED/);
  });
});

describe('cache invalidate in-process', () => {
  it('without --yes: the plan (count, pacing at the default 100 keys/s, sample) and a dry run; no key deleted', async () => {
    const w = world();
    titles(w.target, 250);
    titles(w.target, 5, 'user:');
    const r = await w.run<CacheInvalidateResult>(CacheInvalidate, ['--target', TARGET, '--pattern', 'title:*', '--sample', '3', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<CacheInvalidateResult>>();
    expect(e.result?.dryRun).toBe(true);
    expect(e.result?.result).toBeNull();
    expect(e.result?.plan).toMatchObject({ selection: 'pattern', pattern: 'title:*', action: 'delete', count: 250 });
    expect(e.result?.plan.sample).toHaveLength(3);
    // never one burst: 250 keys at the default 100 keys/s take about 2.5 s
    expect(e.result!.plan.estimatedSeconds).toBeGreaterThanOrEqual(2);
    expect(e.result!.plan.estimatedSeconds).toBeLessThanOrEqual(3);
    expect(w.target.size).toBe(255);

    const human = await w.run(CacheInvalidate, ['--target', TARGET, '--pattern', 'title:*', '--over', '10s', '--sample', '3']);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^plan +delete 250 keys matching title:\*$/m);
    expect(human.stdout).toMatch(/^pacing +\d+ batches of ≤ \d+, every \d+\.\d{3} s, ≈ 10\.0 s$/m);
    expect(human.stdout).toContain('dry run: nothing was changed; pass --yes to act');
    // --dry-run never acts, even with --yes
    const dry = await w.run(CacheInvalidate, ['--target', TARGET, '--pattern', 'title:*', '--yes', '--dry-run']);
    expect(dry.stdout).toMatch(/dry run: nothing was changed\n?$/);
    expect(w.target.size).toBe(255);
  });

  it('--yes: deletes exactly the matching keys, paced on the clock at 100 keys/s by default; others untouched', async () => {
    const w = world();
    titles(w.target, 250);
    titles(w.target, 5, 'user:');
    const r = await w.run<CacheInvalidateResult>(CacheInvalidate, ['--target', TARGET, '--pattern', 'title:*', '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<CacheInvalidateResult>>();
    expect(e.result?.dryRun).toBe(false);
    expect(e.result?.result).toMatchObject({ matched: 250, deleted: 250, expired: 0, rewarmed: 0, rewarmFailed: 0 });
    expect(await keysOf(w.target, 'title:*')).toEqual([]);
    expect(await keysOf(w.target, 'user:*')).toHaveLength(5);
    // paced: the virtual clock moved about 2.5 s (not one burst)
    expect(w.clock.now() - T0).toBeGreaterThanOrEqual(2000);
    expect(w.clock.now() - T0).toBeLessThanOrEqual(3000);
  });

  it('--source FILE (and its deprecated --keys): only the listed keys are deleted', async () => {
    const w = world();
    titles(w.target, 10);
    const list = join(dir, 'changed.txt');
    writeFileSync(list, 'title:0001\ntitle:0002\ntitle:9999\n');
    const r = await w.run<CacheInvalidateResult>(CacheInvalidate, ['--target', TARGET, '--keys', list, '--rate', '1000/s', '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<CacheInvalidateResult>>();
    expect(e.warnings.join(' ')).toMatch(/--keys/);
    expect(e.result?.plan).toMatchObject({ selection: 'keys', action: 'delete', count: 3, existing: 2 });
    expect(e.result?.result).toMatchObject({ matched: 3, deleted: 2 });
    expect(w.target.has('title:0001')).toBe(false);
    expect(w.target.has('title:0002')).toBe(false);
    expect(w.target.size).toBe(8);
  });

  it('--expire: the listed keys get the TTL (an existing shorter one is kept), none is deleted; a provider that cannot set TTLs is exit 2', async () => {
    const w = world();
    titles(w.target, 10);
    w.target.put('title:0002', 'v2', 30);
    const list = join(dir, 'expire.txt');
    writeFileSync(list, 'title:0001\ntitle:0002\ntitle:9999\n');
    const r = await w.run<CacheInvalidateResult>(CacheInvalidate, ['--target', TARGET, '--source', list, '--expire', '60s', '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<CacheInvalidateResult>>();
    expect(e.result?.plan).toMatchObject({ selection: 'keys', action: 'expire', count: 3, existing: 2 });
    expect(e.result?.result).toMatchObject({ expired: 2, deleted: 0 });
    expect(w.target.ttl('title:0001')).toBe(60);
    expect(w.target.ttl('title:0002')).toBe(30);
    expect(w.target.ttl('title:0003')).toBe(-1);
    expect(w.target.has('title:9999')).toBe(false);
    expect(w.target.size).toBe(10);
    const human = await w.run(CacheInvalidate, ['--target', TARGET, '--source', list, '--expire', '60s']);
    expect(human.stdout).toMatch(/^plan +expire \(TTL 60s\) 3 keys \(2 exist now\)$/m);
    // the same cache seen through a provider without the ExpiringCache capability
    const refused = await w.run(CacheInvalidate, ['--target', NO_TTL, '--source', list, '--expire', '60s', '--yes', '--json']);
    expect(refused.exitCode).toBe(2);
    expect(refused.json<Env<never>>().error).toMatchObject({ field: '--expire', message: '--expire: the no-ttl cache provider cannot set TTLs' });
    expect(w.target.ttl('title:0003')).toBe(-1);
    expect(w.target.size).toBe(10);
  });

  it('--rewarm: each deleted key is fetched from the origin and set again with the TTL', async () => {
    const w = world();
    titles(w.target, 4);
    const r = await w.run<CacheInvalidateResult>(CacheInvalidate, ['--target', TARGET, '--pattern', 'title:*', '--rewarm', '--origin', 'http://origin.test/items/{key}', '--ttl', '1h', '--ttl-jitter', '0', '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.json<Env<CacheInvalidateResult>>().result?.result).toMatchObject({ deleted: 4, rewarmed: 4, rewarmFailed: 0 });
    expect(w.target.value('title:0002')).toBe(JSON.stringify({ key: 'title:0002' }));
    expect(w.target.ttl('title:0002')).toBe(3600);
    expect(w.http.requests.map((q) => q.url).sort()).toEqual(['title:0000', 'title:0001', 'title:0002', 'title:0003'].map((k) => `http://origin.test/items/${encodeURIComponent(k)}`));
    const human = await w.run(CacheInvalidate, ['--target', TARGET, '--pattern', 'title:*', '--rewarm', '--origin', 'http://origin.test/items/{key}', '--yes']);
    expect(human.stdout).toMatch(/^deleted +4 of 4 keys in \d+ batches over \d+\.\d s$/m);
    expect(human.stdout).toMatch(/^re-warmed +4$/m);
  });

  it('bad or exclusive flags: exit 2 naming the flag, nothing deleted', async () => {
    const w = world();
    titles(w.target, 20);
    const list = join(dir, 'k.txt');
    writeFileSync(list, 'title:0001\n');
    const cases: Array<[string[], RegExp]> = [
      [['--pattern', 'title:*', '--source', list], /pattern|source/],
      [[], /pattern|source/],
      [['--pattern', 'title:*', '--over', '10s', '--rate', '5/s'], /over|rate/],
      [['--pattern', '  '], /--pattern: empty/],
      [['--pattern', 'title:*', '--rewarm'], /--rewarm needs --origin/],
      [['--pattern', 'title:*', '--ttl', '1h'], /rewarm/],
      [['--pattern', 'title:*', '--rate', 'fast'], /--rate/],
      [['--pattern', 'title:*', '--rewarm', '--origin', 'http://{key}/x'], /--origin/],
    ];
    for (const [argv, message] of cases) {
      const r = await w.run(CacheInvalidate, ['--target', TARGET, ...argv, '--yes', '--json']);
      expect(r.exitCode, argv.join(' ')).toBe(2);
      expect(r.json<Env<never>>().error?.message, argv.join(' ')).toMatch(message);
    }
    expect(w.target.size).toBe(20);
    expect(w.settings).toEqual([]); // refused before any connection
  });

  it('SIGINT mid-run: exit 130, stopped between batches (some keys deleted, the rest kept), a resume hint on stderr', async () => {
    const w = world();
    titles(w.target, 300);
    w.clock.at(T0 + 1000, () => w.signals.emit('SIGINT'));
    const r = await w.run(CacheInvalidate, ['--target', TARGET, '--pattern', 'title:*', '--yes', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(r.json<Env<never>>().error?.name).toBe('InterruptedError');
    const left = w.target.size;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(300);
    expect(r.stderr).toMatch(/keys deleted/);
  });
});

describe('cache warm in Redis mode in-process', () => {
  it('origin → Redis: every listed key fetched and set with its TTL; a second run finds them hot', async () => {
    const w = world();
    const list = join(dir, 'warm-keys.txt');
    writeFileSync(list, 'title:0001\ntitle:0002\ntitle:0003\n');
    const argv = ['--source', list, '--target', TARGET, '--origin', 'http://origin.test/items/{key}', '--ttl', '1h', '--ttl-jitter', '0', '--no-lock', '--seed', '1'];
    const r = await w.run<CacheWarmRun>(CacheWarm, [...argv, '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<CacheWarmRun>>();
    expect(e.result).toMatchObject({ mode: 'redis-origin', target: TARGET, keys: 3, total: 3, warmed: 3, alreadyHot: 0, failed: 0, checkpointFile: null });
    expect(e.result?.sources).toEqual([expect.objectContaining({ keys: 3 })]);
    for (const k of ['title:0001', 'title:0002', 'title:0003']) {
      expect(w.target.value(k)).toBe(JSON.stringify({ key: k }));
      expect(w.target.ttl(k)).toBe(3600);
    }
    const again = await w.run(CacheWarm, argv);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^target +redis:\/\/cache\.test:6379\/0 \(redis-origin\)$/m);
    expect(again.stdout).toMatch(/^already hot +3$/m);
    expect(again.stdout).toMatch(/^warmed +0$/m);
    expect(w.http.requests).toHaveLength(3); // hot keys are not fetched again
  });

  it('an origin that fails every key: exit 1 (over --max-failures), no key written', async () => {
    const w = world();
    const list = join(dir, 'warm-missing.txt');
    writeFileSync(list, 'nope:1\nnope:2\n');
    const r = await w.run<CacheWarmRun>(CacheWarm, ['--source', list, '--target', TARGET, '--origin', 'http://origin.test/missing/{key}', '--no-lock', '--no-breaker', '--retries', '0', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const e = r.json<Env<CacheWarmRun>>();
    expect(e.result).toMatchObject({ failed: 2, warmed: 0 });
    expect(e.error?.message).toBe('2 items failed, more than --max-failures 0');
    expect(w.target.size).toBe(0);
  });

  it('copy --from a warm Redis by --pattern: values and TTLs copied, other keys not', async () => {
    const w = world();
    titles(w.warm, 20);
    w.warm.put('title:ttl', 'short', 120);
    titles(w.warm, 5, 'user:');
    const r = await w.run<CacheWarmRun>(CacheWarm, ['--target', TARGET, '--from', WARM, '--pattern', 'title:*', '--no-lock', '--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const e = r.json<Env<CacheWarmRun>>();
    expect(e.result).toMatchObject({ mode: 'redis-copy', warmed: 21, failed: 0 });
    expect(w.target.size).toBe(21);
    expect(w.target.value('title:0007')).toBe('v7');
    expect(w.target.ttl('title:ttl')).toBe(120);
    expect(w.target.has('user:0001')).toBe(false);
    expect(w.settings.map((s) => s.url).sort()).toEqual([TARGET, WARM].sort());
  });

  it('bad combinations: exit 2 naming the flag, nothing copied or fetched', async () => {
    const w = world();
    titles(w.warm, 3);
    const cases: Array<[string[], string]> = [
      [['--target', TARGET, '--from', WARM, '--origin', 'http://origin.test/items/{key}', '--pattern', '*'], 'origin'],
      [['--target', TARGET, '--from', WARM], '--pattern'],
      [['--target', 'https://cdn.test', '--from', WARM, '--pattern', '*'], '--from'],
      [['--target', TARGET, '--source', join(dir, 'warm-keys.txt')], '--origin'],
    ];
    for (const [argv, field] of cases) {
      const r = await w.run(CacheWarm, [...argv, '--no-lock', '--json']);
      expect(r.exitCode, argv.join(' ') + r.stdout).toBe(2);
      expect(JSON.stringify(r.json<Env<never>>().error), argv.join(' ')).toContain(field);
    }
    expect(w.target.size).toBe(0);
    expect(w.http.requests).toEqual([]);
  });
});

describe('config show in-process', () => {
  const file = join(dir, 'show.yaml');
  writeFileSync(
    file,
    `version: 1
defaultEnvironment: prod
environments:
  prod:
    metrics:
      url: https://prometheus.prod.example:9090
      auth: { type: bearer, tokenEnv: RELIA_TEST_PROM_TOKEN }
      headers: { X-Scope-OrgID: tenant-1 }
      headersFromEnv: { X-Api-Key: RELIA_TEST_PROM_KEY }
    redis:
      url: redis://cache.prod:6379/0
      passwordEnv: RELIA_TEST_REDIS_PASSWORD
    http:
      headersFromEnv: { Authorization: RELIA_TEST_ORIGIN_AUTH }
  dev: {}
`,
  );
  const secrets = { RELIA_TEST_PROM_TOKEN: 'tok-SECRET-1', RELIA_TEST_PROM_KEY: 'key-SECRET-2', RELIA_TEST_REDIS_PASSWORD: 'pw-SECRET-3', RELIA_TEST_ORIGIN_AUTH: undefined };

  it('the resolved settings with every secret redacted, where each value came from, and which variables are set', async () => {
    const r = await runInProcess<ConfigShowResult>(ConfigShow, ['--config', file, '--json'], { env: { ...secrets, RELIA_METRICS_TIMEOUT: '7s' } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/SECRET/);
    const e = r.json<Env<Record<string, unknown>>>();
    expect(e.result).toMatchObject({
      file,
      environment: 'prod',
      environments: ['prod', 'dev'],
      settings: {
        metrics: { url: 'https://prometheus.prod.example:9090', credentials: 'bearer token: ***', headers: { 'X-Scope-OrgID': 'tenant-1' }, credentialHeaders: ['X-Api-Key: ***'], timeout: '7s' },
        redis: { url: 'redis://cache.prod:6379/0', credentials: 'password: ***' },
      },
      secretsFrom: { RELIA_TEST_PROM_TOKEN: 'set', RELIA_TEST_PROM_KEY: 'set', RELIA_TEST_REDIS_PASSWORD: 'set', RELIA_TEST_ORIGIN_AUTH: 'unset' },
    });
    const sources = (e.result as { sources: Record<string, string> }).sources;
    expect(sources['metrics.url']).toBe('file');
    expect(sources['metrics.timeout']).toBe('env');

    const human = await runInProcess(ConfigShow, ['--config', file, '--env', 'prod'], { env: secrets });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).not.toMatch(/SECRET/);
    expect(human.stdout).toMatch(/credentialHeaders:\n\s+- "X-Api-Key: \*\*\*"/);
    expect(human.stdout).toMatch(/RELIA_TEST_ORIGIN_AUTH: unset/);
  });

  it('--prometheus-style overrides from the environment show as env; an unknown --env is exit 2', async () => {
    const r = await runInProcess<ConfigShowResult>(ConfigShow, ['--config', file, '--json'], { env: { ...secrets, RELIA_METRICS_URL: 'http://user:hunter2@127.0.0.1:9090' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain('hunter2');
    const e = r.json<Env<{ settings: { metrics: { url: string } }; sources: Record<string, string> }>>();
    expect(e.result?.settings.metrics.url).toBe('http://user:***@127.0.0.1:9090/');
    expect(e.result?.sources['metrics.url']).toBe('env');
    const bad = await runInProcess(ConfigShow, ['--config', file, '--env', 'staging', '--json'], { env: secrets });
    expect(bad.exitCode).toBe(2);
    expect(bad.json<Env<never>>().error?.message).toMatch(/staging/);
  });

  it('a literal credential header in the file: exit 2, and the value is not printed', async () => {
    const leak = join(dir, 'leak.yaml');
    writeFileSync(leak, 'environments:\n  prod:\n    metrics: { url: "http://127.0.0.1:9090", headers: { Authorization: "Bearer LEAKED-VALUE" } }\n');
    const r = await runInProcess(ConfigShow, ['--config', leak, '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).not.toContain('LEAKED-VALUE');
    expect(r.json<Env<never>>().error?.message).toMatch(/Authorization/);
  });
});

describe('providers list in-process', () => {
  it('every first-party provider from the plugins’ hooks, sorted by port and scheme; --port filters', async () => {
    const r = await runInProcess<ProvidersListResult>(ProvidersList, ['--json']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const list = r.json<Env<ProvidersListResult>>().result!.providers;
    const pairs = list.map((p) => `${p.port}/${p.scheme}@${p.plugin}`);
    for (const want of ['metrics/prometheus@@relia/plugin-prometheus', 'cache/redis@@relia/plugin-redis', 'http/http@@relia/plugin-http', 'dns/aws@@relia/plugin-aws', 'compute/aws@@relia/plugin-aws', 'alarms/aws@@relia/plugin-aws', 'cluster/kubernetes@@relia/plugin-kubernetes', 'process/local@@relia/plugin-local', 'proxy/local@@relia/plugin-local']) {
      expect(pairs).toContain(want);
    }
    const sorted = [...list].sort((a, b) => a.port.localeCompare(b.port) || a.scheme.localeCompare(b.scheme));
    expect(list).toEqual(sorted);

    const only = await runInProcess<ProvidersListResult>(ProvidersList, ['--port', 'cache', '--json']);
    expect(only.json<Env<ProvidersListResult>>().result!.providers.map((p) => p.port)).toEqual(['cache']);
    const human = await runInProcess(ProvidersList, ['--port', 'metrics']);
    expect(human.stdout).toMatch(/^PORT +SCHEME +PLUGIN +DESCRIPTION/m);
    expect(human.stdout).toMatch(/^metrics +prometheus +@relia\/plugin-prometheus/m);
  });

  it('a plugin’s extra provider is listed beside the first-party ones; an unknown --port is exit 2', async () => {
    const extra = fakeProvider('metrics', 'datadog', () => {
      throw new Error('never created by list');
    });
    const r = await runInProcess<ProvidersListResult>(ProvidersList, ['--port', 'metrics', '--json'], { providers: [extra] });
    expect(r.json<Env<ProvidersListResult>>().result!.providers.map((p) => `${p.scheme}@${p.plugin}`)).toEqual(['datadog@test-fakes', 'prometheus@@relia/plugin-prometheus']);
    const bad = await runInProcess(ProvidersList, ['--port', 'queue', '--json']);
    expect(bad.exitCode).toBe(2);
  });
});
