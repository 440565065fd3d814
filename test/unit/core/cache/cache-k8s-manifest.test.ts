/**
 * Pins the Kubernetes manifests of `relia cache warm --emit cronjob|indexed-job`
 * (src/core/cache/k8s.ts) against docs/cache.md "Kubernetes manifests" and
 * "Running it from cron and Kubernetes": the documented defaults (backoffLimit 3,
 * ttlSecondsAfterFinished 86400, the two podFailurePolicy rules, Forbid, 3+3 jobs
 * of history), the optional fields (present only when given), the limits
 * (names of 63 / 52 characters, 1..100000 shards, parallelism ≥ 1) with the flag
 * each refusal names, and the cron schedule check.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { manifestsToYaml, warmCronJobManifest, warmJobManifest, type WarmJobSpec } from '../../../../src/core/cache/k8s.js';

const MIN: WarmJobSpec = { name: 'w', image: 'img', warmArgs: ['--source', 'k'] };
const LABELS = { 'app.kubernetes.io/name': 'relia', 'app.kubernetes.io/component': 'cache-warm', 'app.kubernetes.io/instance': 'w' };
const POLICY = {
  rules: [
    { action: 'FailJob', onExitCodes: { containerName: 'warm', operator: 'In', values: [2] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
  ],
};

function refusal(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('a one-shard Job with nothing optional', () => {
  it('is exactly the documented defaults, with no optional field (not even one set to undefined)', () => {
    expect(warmJobManifest(MIN)).toStrictEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'w', labels: LABELS },
      spec: {
        backoffLimit: 3,
        ttlSecondsAfterFinished: 86_400,
        podFailurePolicy: POLICY,
        template: {
          metadata: { labels: LABELS },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'warm', image: 'img', imagePullPolicy: 'IfNotPresent', command: ['relia'], args: ['cache', 'warm', '--source', 'k'] }],
          },
        },
      },
    });
  });

  it('leaves out an empty secret list and an empty service account', () => {
    const job = warmJobManifest({ ...MIN, secretEnvFrom: [], serviceAccountName: '', env: {}, secretKeyEnv: [] });
    const pod = (job.spec.template as { spec: Record<string, unknown> }).spec;
    expect(pod).not.toHaveProperty('serviceAccountName');
    expect((pod.containers as Array<Record<string, unknown>>)[0]).not.toHaveProperty('envFrom');
    expect((pod.containers as Array<Record<string, unknown>>)[0]).not.toHaveProperty('env');
  });
});

describe('optional fields', () => {
  it('sets the command, retries, TTL, deadline, labels and single secret keys as given', () => {
    const job = warmJobManifest({
      ...MIN,
      command: ['node', '/app/bin/run.js'],
      backoffLimit: 0,
      ttlSecondsAfterFinished: 0,
      activeDeadlineSeconds: 0,
      labels: { team: 'cache', 'app.kubernetes.io/name': 'warmer' },
      env: { A: '1' },
      secretKeyEnv: [{ env: 'REDIS_PASSWORD', secret: 'redis-auth', key: 'password' }],
      resources: { requests: { cpu: '100m' }, limits: { memory: '256Mi' } },
    });
    expect(job.metadata.labels).toEqual({ ...LABELS, 'app.kubernetes.io/name': 'warmer', team: 'cache' });
    expect(job.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 0, activeDeadlineSeconds: 0 });
    const container = (job.spec.template as { spec: { containers: Array<Record<string, unknown>> } }).spec.containers[0]!;
    expect(container.command).toEqual(['node', '/app/bin/run.js']);
    expect(container.resources).toEqual({ requests: { cpu: '100m' }, limits: { memory: '256Mi' } });
    expect(container.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } },
    ]);
    expect((job.spec.template as { metadata: unknown }).metadata).toEqual({ labels: job.metadata.labels });
  });

  it('sets all shards running at once unless parallelism says otherwise', () => {
    expect(warmJobManifest({ ...MIN, shards: 3 }).spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
    expect(warmJobManifest({ ...MIN, shards: 3, parallelism: 1 }).spec).toMatchObject({ parallelism: 1 });
  });
});

describe('limits, each refusal naming its flag', () => {
  it('takes names up to 63 characters for a Job and 52 for a CronJob', () => {
    expect(warmJobManifest({ ...MIN, name: 'a'.repeat(63) }).metadata.name).toHaveLength(63);
    const long = refusal(() => warmJobManifest({ ...MIN, name: 'a'.repeat(64) }));
    expect(long.field).toBe('--name');
    expect(long.message).toBe(`--name: "${'a'.repeat(64)}" is not a valid name (lowercase letters, digits and '-', at most 63 characters)`);
    expect(long.suggestions).toEqual(['e.g. --name relia-warm-titles']);
    expect(warmCronJobManifest({ ...MIN, name: 'a'.repeat(52), schedule: '@daily' }).metadata.name).toHaveLength(52);
    expect(refusal(() => warmCronJobManifest({ ...MIN, name: 'a'.repeat(53), schedule: '@daily' })).field).toBe('--name');
  });

  it('takes 1 to 100000 whole shards', () => {
    expect(warmJobManifest({ ...MIN, shards: 100_000 }).spec).toMatchObject({ completions: 100_000 });
    expect(warmJobManifest({ ...MIN, shards: 1 }).spec).not.toHaveProperty('completionMode');
    expect(warmJobManifest({ ...MIN, shards: 2 }).spec).toMatchObject({ completionMode: 'Indexed', completions: 2 });
    for (const shards of [0, 100_001, 2.5, Number.NaN]) {
      const e = refusal(() => warmJobManifest({ ...MIN, shards }));
      expect(e.field).toBe('--shards');
      expect(e.message).toBe(`--shards: expected a whole number from 1 to 100000, got ${shards}`);
      expect(e.suggestions).toEqual(['--shards 8']);
    }
  });

  it('takes a whole parallelism of at least 1', () => {
    expect(warmJobManifest({ ...MIN, shards: 4, parallelism: 1 }).spec).toMatchObject({ parallelism: 1 });
    for (const parallelism of [0, 1.5]) {
      const e = refusal(() => warmJobManifest({ ...MIN, shards: 4, parallelism }));
      expect(e.field).toBe('--parallelism');
      expect(e.message).toBe(`--parallelism: expected a whole number ≥ 1, got ${parallelism}`);
      expect(e.suggestions).toEqual(['--parallelism 4']);
    }
  });

  it('refuses an empty image and a --shard in the warm arguments, but not a flag that only starts alike', () => {
    const image = refusal(() => warmJobManifest({ ...MIN, image: '' }));
    expect([image.field, image.message, image.suggestions]).toEqual(['--image', '--image: must not be empty', ['--image ghcr.io/acme/relia:0.1.0']]);
    const shard = refusal(() => warmJobManifest({ ...MIN, warmArgs: ['--shard=1/2'] }));
    expect(shard.message).toBe('the manifest sets --shard itself (from JOB_COMPLETION_INDEX); leave it out of the warm arguments');
    expect(shard.suggestions).toEqual(['use --shards n to split the keys over n pods']);
    expect(warmJobManifest({ ...MIN, warmArgs: ['--source', '--shardy'] }).kind).toBe('Job');
  });
});

describe('CronJob', () => {
  it('keeps 3 successful and 3 failed jobs, Forbid by default, and no optional field unless given', () => {
    const cron = warmCronJobManifest({ ...MIN, schedule: '  0 3 * * *  ' });
    expect(cron.spec).toStrictEqual({
      schedule: '0 3 * * *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: LABELS }, spec: warmJobManifest(MIN).spec },
    });
    expect(cron.metadata).toStrictEqual({ name: 'w', labels: LABELS });
    expect([cron.apiVersion, cron.kind]).toEqual(['batch/v1', 'CronJob']);
  });

  it('sets a zero starting deadline and suspend: true when given', () => {
    expect(warmCronJobManifest({ ...MIN, schedule: '@weekly', startingDeadlineSeconds: 0, suspend: true, namespace: 'ops' })).toMatchObject({
      metadata: { namespace: 'ops' },
      spec: { startingDeadlineSeconds: 0, suspend: true },
    });
  });

  it('takes five cron fields of digits, letters and * ? / , - or a macro', () => {
    for (const schedule of ['*/15 0-6 1,15 JAN-MAR MON?', '0\t3 * * *', '0  3   * * *', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']) {
      expect(warmCronJobManifest({ ...MIN, schedule }).spec.schedule, schedule).toBe(schedule);
    }
    for (const schedule of ['0 3 * * * *', '0 3 * * ;', '0 3 * * ;5', '0 3 * * 5;', '0 3 * * $(x)', '@every 1h', '', '@hourly x']) {
      const e = refusal(() => warmCronJobManifest({ ...MIN, schedule }));
      expect(e.field, schedule).toBe('--schedule');
      expect(e.message).toBe(`--schedule: expected five cron fields or a macro such as @hourly, got ${JSON.stringify(schedule)}`);
      expect(e.suggestions).toEqual(["--schedule '*/15 * * * *'", '--schedule @hourly']);
    }
  });
});

describe('YAML stream', () => {
  it('separates documents with --- and never folds a long line', () => {
    // a long argument with spaces, which YAML's default 80-column width would fold onto several lines
    const long = `--header=X-Note: ${'word '.repeat(40)}end`;
    const yaml = manifestsToYaml([warmJobManifest({ ...MIN, warmArgs: [long] }), warmJobManifest(MIN)]);
    expect(yaml.split('\n').filter((l) => l === '---')).toHaveLength(1);
    expect(yaml).toMatch(/^apiVersion: batch\/v1\n/);
    expect(yaml).toContain(`\n---\napiVersion: batch/v1\n`);
    expect(yaml.split('\n').some((l) => l.includes(long))).toBe(true);
    expect(manifestsToYaml([])).toBe('');
  });
});
