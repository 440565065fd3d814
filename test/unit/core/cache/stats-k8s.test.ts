import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../../../../src/core/errors.js';
import { cacheStats, keyPrefix, NO_PREFIX } from '../../../../src/core/cache/stats.js';
import { manifestsToYaml, warmCronJobManifest, warmJobManifest, type WarmJobSpec } from '../../../../src/core/cache/k8s.js';
import { parseShard } from '../../../../src/core/cache/shard.js';
import { FakeClock, FakeKv } from './fakes.js';

function keyspace() {
  const cache = new FakeKv(new FakeClock(0));
  // interleaved, as SCAN's hash-bucket order would roughly be: every 10 keys are 6 title, 3 person, 1 session
  for (let i = 0; i < 600; i++) {
    cache.put(`title:${i}`, 'v');
    if (i % 2 === 0) cache.put(`person:${i / 2}:meta`, 'v');
    if (i % 6 === 0) cache.put(`session${i / 6}`, 'v');
  }
  cache.hits = 900;
  cache.misses = 100;
  cache.evictedKeys = 12;
  cache.expiredKeys = 34;
  cache.usedMemoryBytes = 750;
  cache.maxMemoryBytes = 1000;
  return cache;
}

describe('cacheStats', () => {
  it('reports the hit ratio, evictions and memory use', async () => {
    const s = await cacheStats({ cache: keyspace(), sampleSize: 0 });
    expect(s).toMatchObject({ kind: 'memory', hits: 900, misses: 100, hitRatio: 0.9, evictedKeys: 12, expiredKeys: 34, keys: 1000, memory: { usedBytes: 750, maxBytes: 1000, usedPercent: 75 } });
    expect(s.prefixes).toEqual([]);
    expect(s.sample).toEqual({ pattern: '*', size: 0, complete: false });
  });

  it('has no ratio before any lookup and no percentage without maxmemory', async () => {
    const cache = new FakeKv(new FakeClock(0));
    cache.maxMemoryBytes = 0;
    const s = await cacheStats({ cache });
    expect(s.hitRatio).toBeNull();
    expect(s.memory.usedPercent).toBeNull();
    expect(s.prefixes).toEqual([]);
  });

  it('extrapolates prefix shares of a SCAN sample to the keyspace', async () => {
    const cache = keyspace();
    const s = await cacheStats({ cache, sampleSize: 200, scanBatch: 50 });
    expect(s.sample).toEqual({ pattern: '*', size: 200, complete: false });
    expect(s.prefixes).toEqual([
      { prefix: 'title:', sampleCount: 120, share: 0.6, estimatedKeys: 600 },
      { prefix: 'person:', sampleCount: 60, share: 0.3, estimatedKeys: 300 },
      { prefix: NO_PREFIX, sampleCount: 20, share: 0.1, estimatedKeys: 100 },
    ]);
    expect(cache.count('scan')).toBe(4); // stopped once the sample was full
  });

  it('gives exact counts when SCAN ends before the sample is full, and none for a partial pattern sample', async () => {
    const cache = keyspace();
    const all = await cacheStats({ cache, sampleSize: 5000, top: 2 });
    expect(all.sample.complete).toBe(true);
    expect(all.prefixes).toEqual([
      { prefix: 'title:', sampleCount: 600, share: 0.6, estimatedKeys: 600 },
      { prefix: 'person:', sampleCount: 300, share: 0.3, estimatedKeys: 300 },
    ]);
    const partial = await cacheStats({ cache, pattern: 'person:*', sampleSize: 10, depth: 2 });
    expect(partial.prefixes[0]).toMatchObject({ sampleCount: 1, estimatedKeys: null });
    expect(partial.prefixes[0]?.prefix).toMatch(/^person:\d+:$/);
  });

  it('splits prefixes on the separator to the given depth', () => {
    expect(keyPrefix('title:1:meta')).toBe('title:');
    expect(keyPrefix('title:1:meta', ':', 2)).toBe('title:1:');
    expect(keyPrefix('title:1', ':', 3)).toBe('title:');
    expect(keyPrefix('session9')).toBe(NO_PREFIX);
    expect(keyPrefix('a::b', '::')).toBe('a::');
  });
});

interface PodShape {
  restartPolicy: string;
  serviceAccountName?: string;
  volumes?: unknown[];
  containers: Array<{ command: string[]; args: string[]; env?: unknown[]; envFrom?: unknown[]; volumeMounts?: unknown[] }>;
}
interface JobShape {
  completionMode?: string;
  completions?: number;
  parallelism?: number;
  podFailurePolicy: { rules: unknown[] };
  template: { spec: PodShape };
}
interface CronShape {
  concurrencyPolicy: string;
  jobTemplate: { spec: JobShape };
}

const SPEC: WarmJobSpec = {
  name: 'relia-warm-titles',
  namespace: 'cache',
  image: 'ghcr.io/acme/relia:0.1.0',
  warmArgs: ['--source', '/etc/relia/keys.txt', '--target', 'redis', '--rate', '500/s'],
  shards: 4,
  parallelism: 2,
  env: { RELIA_ENV: 'prod' },
  secretEnvFrom: ['relia-redis'],
  serviceAccountName: 'relia',
  resources: { requests: { cpu: '100m' } },
  activeDeadlineSeconds: 3600,
  checkpointVolume: { claimName: 'relia-checkpoints', mountPath: '/var/lib/relia' },
};

describe('Kubernetes manifests', () => {
  it('emits an Indexed Job whose pods each warm their own shard', () => {
    const job = warmJobManifest(SPEC);
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'relia-warm-titles', namespace: 'cache' } });
    const spec = job.spec as unknown as JobShape;
    expect(spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 2, backoffLimit: 3, activeDeadlineSeconds: 3600 });
    expect(spec.podFailurePolicy.rules[0]).toEqual({ action: 'FailJob', onExitCodes: { containerName: 'warm', operator: 'In', values: [2] } });
    const pod = spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('relia');
    expect(pod.volumes).toEqual([{ name: 'checkpoints', persistentVolumeClaim: { claimName: 'relia-checkpoints' } }]);
    const c = pod.containers[0] as PodShape['containers'][number];
    expect(c.command).toEqual(['relia']);
    expect(c.args).toEqual(['cache', 'warm', '--source', '/etc/relia/keys.txt', '--target', 'redis', '--rate', '500/s', '--shard=$(JOB_COMPLETION_INDEX)/4']);
    expect(c.env).toEqual([{ name: 'RELIA_ENV', value: 'prod' }]);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'relia-redis' } }]);
    expect(c.volumeMounts).toEqual([{ name: 'checkpoints', mountPath: '/var/lib/relia' }]);
    // each pod's shard flag resolves to a distinct i/4, whether or not the kubelet expanded it
    const flag = c.args.at(-1)?.replace('--shard=', '') as string;
    const shards = [0, 1, 2, 3].map((i) => parseShard(flag, { env: { JOB_COMPLETION_INDEX: String(i) } }));
    expect(shards).toEqual([0, 1, 2, 3].map((index) => ({ index, count: 4 })));
  });

  it('emits a plain Job for one shard, with parallelism never above completions', () => {
    const job = warmJobManifest({ name: 'w', image: 'i', warmArgs: ['--source', 'k'] });
    const spec = job.spec as unknown as JobShape;
    expect(spec.completionMode).toBeUndefined();
    expect(spec.template.spec.containers[0]?.args).toEqual(['cache', 'warm', '--source', 'k']);
    const capped = warmJobManifest({ name: 'w', image: 'i', warmArgs: [], shards: 2, parallelism: 10 });
    expect((capped.spec as unknown as JobShape).parallelism).toBe(2);
  });

  it('emits a CronJob (Forbid by default) whose jobs are Indexed when sharded', () => {
    const cron = warmCronJobManifest({ ...SPEC, schedule: '*/15 * * * *', timeZone: 'Etc/UTC', startingDeadlineSeconds: 300, suspend: false });
    expect(cron.kind).toBe('CronJob');
    const spec = cron.spec as unknown as CronShape;
    expect(spec).toMatchObject({ schedule: '*/15 * * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, suspend: false });
    expect(spec.jobTemplate.spec).toMatchObject({ completionMode: 'Indexed', completions: 4 });
    expect(warmCronJobManifest({ name: 'w', image: 'i', warmArgs: [], schedule: '@hourly', concurrencyPolicy: 'Replace' }).spec.concurrencyPolicy).toBe('Replace');
  });

  it.each([
    [{ name: 'Relia_Warm' }, '--name'],
    [{ name: 'x'.repeat(64) }, '--name'],
    [{ shards: 0 }, '--shards'],
    [{ shards: 2, parallelism: 0 }, '--parallelism'],
    [{ image: ' ' }, '--image'],
    [{ warmArgs: ['--shard', '0/2'] }, '--shard'],
    [{ warmArgs: ['--shard=0/2'] }, '--shard'],
  ])('rejects %j naming %s', (over, field) => {
    expect(() => warmJobManifest({ ...SPEC, ...over })).toThrow(InputError);
    try {
      warmJobManifest({ ...SPEC, ...over });
    } catch (e) {
      expect((e as InputError).field).toBe(field);
    }
  });

  it('validates the schedule and the shorter CronJob name', () => {
    for (const schedule of ['every hour', '* * * *', '@often']) {
      expect(() => warmCronJobManifest({ ...SPEC, schedule }), schedule).toThrow(/--schedule/);
    }
    expect(() => warmCronJobManifest({ ...SPEC, name: 'x'.repeat(53), schedule: '@daily' })).toThrow(/at most 52/);
  });

  it('renders a multi-document YAML stream that parses back', () => {
    const objects = [warmJobManifest(SPEC), warmCronJobManifest({ ...SPEC, schedule: '0 * * * *' })];
    const docs = parseAllDocuments(manifestsToYaml(objects)).map((d) => d.toJS());
    expect(docs).toEqual(JSON.parse(JSON.stringify(objects)));
  });
});
