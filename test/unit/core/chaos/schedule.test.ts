/**
 * `relia chaos schedule --emit cronjob` (docs/chaos.md "Schedule"): the
 * manifests a user applies to the cluster. A ConfigMap with the experiment
 * (and the relia config), a CronJob running `relia chaos run --yes` with
 * concurrencyPolicy Forbid, backoffLimit 0, a 120 s grace period, and every
 * `{type: env}` value from the Secret (secrets required, configuration
 * optional). Bad names and schedules are exit 2 naming the flag.
 */
import { describe, expect, it } from 'vitest';
import { chaosCronJob, envRefs, type ChaosScheduleSpec } from '../../../../src/core/chaos/schedule.js';
import { expectInputError } from '../error-contract.js';

const base: ChaosScheduleSpec = {
  name: 'chaos-checkout',
  image: 'ghcr.io/acme/relia:0.1.0',
  schedule: '0 10 * * 1-5',
  experimentName: 'latency.yaml',
  experimentText: 'title: latency\n',
  secretName: 'chaos-env',
  envVars: [],
};

const labels = { 'app.kubernetes.io/name': 'relia', 'app.kubernetes.io/component': 'chaos', 'app.kubernetes.io/instance': 'chaos-checkout' };

describe('envRefs: the variables a scheduled run needs from the Secret', () => {
  it('secrets are required unless they have a default; configuration values are always optional; sorted by name', () => {
    const raw = {
      title: 'x',
      configuration: { proxy: '127.0.0.1:1', origin: { type: 'env', key: 'ORIGIN' }, port: { type: 'env', key: 'PORT', default: 80 }, none: null },
      secrets: { api: { token: { type: 'env', key: 'API_TOKEN' }, user: { type: 'env', key: 'API_USER', default: 'svc' }, literal: 'abc' }, db: null },
    };
    expect(envRefs(raw)).toEqual([
      { name: 'API_TOKEN', optional: false },
      { name: 'API_USER', optional: true },
      { name: 'ORIGIN', optional: true },
      { name: 'PORT', optional: true },
    ]);
  });

  it('a variable used both as configuration and as a required secret is required', () => {
    const raw = { configuration: { t: { type: 'env', key: 'TOKEN' } }, secrets: { s: { t: { type: 'env', key: 'TOKEN' } } } };
    expect(envRefs(raw)).toEqual([{ name: 'TOKEN', optional: false }]);
  });

  it('a secret without a default keeps its variable required even when a later secret gives it a default', () => {
    const raw = { secrets: { a: { t: { type: 'env', key: 'TOKEN' } }, b: { t: { type: 'env', key: 'TOKEN', default: 'x' } } } };
    expect(envRefs(raw)).toEqual([{ name: 'TOKEN', optional: false }]);
  });

  it('finds references nested in lists and mappings; mappings that are not env references are not variables', () => {
    const raw = {
      configuration: { hosts: [{ type: 'env', key: 'HOST_A' }, 'literal'], labelled: { key: 'NOT_A_VAR' }, other: { type: 'file', key: 'NOR_THIS' }, keyless: { type: 'env' } },
    };
    expect(envRefs(raw)).toEqual([{ name: 'HOST_A', optional: true }]);
  });

  it('no configuration and no secrets: no variables', () => {
    expect(envRefs({ title: 'x' })).toEqual([]);
  });
});

describe('chaosCronJob', () => {
  it('every option: the ConfigMap and CronJob as applied to the cluster', () => {
    const objects = chaosCronJob({
      ...base,
      namespace: 'chaos',
      schedule: '  30 2 * * *  ',
      timeZone: 'Europe/Berlin',
      configText: 'chaos:\n  guardInterval: 1s\n',
      envVars: [
        { name: 'API_TOKEN', optional: false },
        { name: 'ORIGIN', optional: true },
      ],
      guardInterval: '500ms',
      serviceAccountName: 'relia-chaos',
    });
    const metadata = (name: string) => ({ name, namespace: 'chaos', labels });
    expect(objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata('chaos-checkout-experiment'),
        data: { 'latency.yaml': 'title: latency\n', 'relia.config.yaml': 'chaos:\n  guardInterval: 1s\n' },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: metadata('chaos-checkout'),
        spec: {
          schedule: '30 2 * * *',
          timeZone: 'Europe/Berlin',
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            metadata: { labels },
            spec: {
              backoffLimit: 0,
              template: {
                metadata: { labels },
                spec: {
                  restartPolicy: 'Never',
                  serviceAccountName: 'relia-chaos',
                  terminationGracePeriodSeconds: 120,
                  volumes: [{ name: 'experiment', configMap: { name: 'chaos-checkout-experiment' } }],
                  containers: [
                    {
                      name: 'chaos',
                      image: 'ghcr.io/acme/relia:0.1.0',
                      imagePullPolicy: 'IfNotPresent',
                      command: ['relia'],
                      args: ['chaos', 'run', '/etc/relia/chaos/latency.yaml', '--yes', '--journal', '/tmp/journal.json', '--guard-interval', '500ms'],
                      volumeMounts: [{ name: 'experiment', mountPath: '/etc/relia/chaos', readOnly: true }],
                      env: [
                        { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'chaos-env', key: 'API_TOKEN' } } },
                        { name: 'ORIGIN', valueFrom: { secretKeyRef: { name: 'chaos-env', key: 'ORIGIN', optional: true } } },
                        { name: 'RELIA_CONFIG', value: '/etc/relia/chaos/relia.config.yaml' },
                      ],
                    },
                  ],
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('nothing optional given: no namespace, config, env, service account, time zone or guard interval', () => {
    const [configMap, cron] = chaosCronJob(base);
    // strict: a ConfigMap's data holds strings only, never an undefined entry
    expect(configMap).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'chaos-checkout-experiment', labels },
      data: { 'latency.yaml': 'title: latency\n' },
    });
    expect(cron?.metadata).toEqual({ name: 'chaos-checkout', labels });
    const spec = cron?.spec as { timeZone?: string; schedule: string; jobTemplate: { spec: { template: { spec: Record<string, unknown> & { containers: Array<Record<string, unknown>> } } } } };
    expect(spec.schedule).toBe('0 10 * * 1-5');
    expect('timeZone' in spec).toBe(false);
    const pod = spec.jobTemplate.spec.template.spec;
    expect('serviceAccountName' in pod).toBe(false);
    expect(pod.containers[0]?.args).toEqual(['chaos', 'run', '/etc/relia/chaos/latency.yaml', '--yes', '--journal', '/tmp/journal.json']);
    expect(pod.containers[0] && 'env' in pod.containers[0]).toBe(false);
  });

  it('an empty relia config is still mounted and named by RELIA_CONFIG', () => {
    const [configMap, cron] = chaosCronJob({ ...base, configText: '' });
    expect(configMap?.data).toEqual({ 'latency.yaml': 'title: latency\n', 'relia.config.yaml': '' });
    const env = (cron?.spec as { jobTemplate: { spec: { template: { spec: { containers: Array<{ env?: unknown[] }> } } } } }).jobTemplate.spec.template.spec.containers[0]?.env;
    expect(env).toEqual([{ name: 'RELIA_CONFIG', value: '/etc/relia/chaos/relia.config.yaml' }]);
  });

  it.each(['a', 'chaos-1', '0-day', 'x'.repeat(52)])('accepts the CronJob name %j', (name) => {
    expect(chaosCronJob({ ...base, name })[1]?.metadata.name).toBe(name);
  });

  it.each(['Chaos', 'chaos_x', '-chaos', 'chaos-', '', 'x'.repeat(53)])('rejects the CronJob name %j: exit 2 naming --name', (name) => {
    const e = expectInputError(() => chaosCronJob({ ...base, name }), '--name', [JSON.stringify(name), 'at most 52 characters']);
    expect(e.suggestions).toEqual(['--name chaos-checkout-latency']);
  });

  it.each(['@daily', '@hourly', '*/15 * * * *', '0 10 * * MON-FRI', ' 0 10 * * 1-5\n', '0  10\t* * 1-5'])('accepts the schedule %j', (schedule) => {
    expect((chaosCronJob({ ...base, schedule })[1]?.spec as { schedule: string }).schedule).toBe(schedule.trim());
  });

  it.each(['every day', '0 10 * *', '0 10 * * * *', '@fortnightly', '', '0 10 * * 1;rm'])('rejects the schedule %j: exit 2 naming --schedule', (schedule) => {
    const e = expectInputError(() => chaosCronJob({ ...base, schedule }), '--schedule', ['five cron fields or a macro such as @daily', JSON.stringify(schedule)]);
    expect(e.suggestions).toEqual(["--schedule '0 10 * * 1-5'"]);
  });
});
