/**
 * Kubernetes manifests for scheduled and sharded warming, as plain objects
 * (the command prints them as YAML). Pure.
 *
 * Sharding: an Indexed Job (`completionMode: Indexed`) runs `completions: n`
 * pods, each with the env var JOB_COMPLETION_INDEX = 0…n-1. The container's
 * args carry `--shard=$(JOB_COMPLETION_INDEX)/n`; the kubelet expands
 * `$(VAR)` references in args from the container's environment, and relia's
 * `parseShard` resolves the same reference from the environment if it
 * arrives unexpanded.
 */
import { stringify } from 'yaml';
import { InputError } from '../errors.js';

export interface WarmJobSpec {
  /** Job/CronJob name: a DNS-1123 label (CronJob: ≤ 52 characters). */
  name: string;
  namespace?: string;
  /** Image with relia installed. */
  image: string;
  /** Arguments after `relia cache warm`, e.g. ['--source', '/etc/relia/keys.txt', '--rate', '500/s']. Not `--shard`. */
  warmArgs: readonly string[];
  /** The executable. Default ['relia']. */
  command?: readonly string[];
  /** Number of shards (Indexed Job completions). Default 1. */
  shards?: number;
  /** Pods at once. Default: all shards. */
  parallelism?: number;
  env?: Readonly<Record<string, string>>;
  /** Secrets exposed as environment variables (envFrom), e.g. the Redis password. */
  secretEnvFrom?: readonly string[];
  /** Single environment variables from a Secret's key (`valueFrom.secretKeyRef`). */
  secretKeyEnv?: ReadonlyArray<{ env: string; secret: string; key: string }>;
  serviceAccountName?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  labels?: Readonly<Record<string, string>>;
  /** Pod retries. Default 3. */
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  /** Default 86400. */
  ttlSecondsAfterFinished?: number;
  /** A PersistentVolumeClaim for checkpoints, so a retried pod resumes. Pass `--checkpoint <mountPath>/warm-$(JOB_COMPLETION_INDEX).json` in warmArgs. */
  checkpointVolume?: { claimName: string; mountPath: string };
}

export interface WarmCronJobSpec extends WarmJobSpec {
  /** Cron schedule, e.g. `*\/15 * * * *` or `@hourly`. */
  schedule: string;
  timeZone?: string;
  /** Default Forbid: a run still going when the next is due is not doubled. */
  concurrencyPolicy?: 'Forbid' | 'Replace' | 'Allow';
  startingDeadlineSeconds?: number;
  suspend?: boolean;
}

/** A Kubernetes object as emitted here. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CRON_MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function checkName(name: string, max: number): void {
  if (!DNS_LABEL.test(name) || name.length > max) {
    throw new InputError(`--name: ${JSON.stringify(name)} is not a valid name (lowercase letters, digits and '-', at most ${max} characters)`, {
      field: '--name',
      suggestions: ['e.g. --name relia-warm-titles'],
    });
  }
}

function checkSpec(spec: WarmJobSpec): { shards: number; parallelism: number } {
  const shards = spec.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1 || shards > 100_000) {
    throw new InputError(`--shards: expected a whole number from 1 to 100000, got ${shards}`, { field: '--shards', suggestions: ['--shards 8'] });
  }
  const parallelism = spec.parallelism ?? shards;
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new InputError(`--parallelism: expected a whole number ≥ 1, got ${parallelism}`, { field: '--parallelism', suggestions: [`--parallelism ${shards}`] });
  }
  if (spec.image.trim() === '') throw new InputError('--image: must not be empty', { field: '--image', suggestions: ['--image ghcr.io/acme/relia:0.1.0'] });
  if (spec.warmArgs.some((a) => a === '--shard' || a.startsWith('--shard='))) {
    throw new InputError('the manifest sets --shard itself (from JOB_COMPLETION_INDEX); leave it out of the warm arguments', {
      field: '--shard',
      suggestions: ['use --shards n to split the keys over n pods'],
    });
  }
  return { shards, parallelism: Math.min(parallelism, shards) };
}

function labelsOf(spec: WarmJobSpec): Record<string, string> {
  return { 'app.kubernetes.io/name': 'relia', 'app.kubernetes.io/component': 'cache-warm', 'app.kubernetes.io/instance': spec.name, ...(spec.labels ?? {}) };
}

function jobSpec(spec: WarmJobSpec, shards: number, parallelism: number): Record<string, unknown> {
  const args = ['cache', 'warm', ...spec.warmArgs];
  if (shards > 1) args.push(`--shard=$(JOB_COMPLETION_INDEX)/${shards}`);
  const container: Record<string, unknown> = {
    name: 'warm',
    image: spec.image,
    imagePullPolicy: 'IfNotPresent',
    command: [...(spec.command ?? ['relia'])],
    args,
  };
  const env: Array<Record<string, unknown>> = Object.entries(spec.env ?? {}).map(([name, value]) => ({ name, value }));
  for (const s of spec.secretKeyEnv ?? []) env.push({ name: s.env, valueFrom: { secretKeyRef: { name: s.secret, key: s.key } } });
  if (env.length > 0) container.env = env;
  if (spec.secretEnvFrom?.length) container.envFrom = spec.secretEnvFrom.map((name) => ({ secretRef: { name } }));
  if (spec.resources) container.resources = spec.resources;
  const pod: Record<string, unknown> = { restartPolicy: 'Never', containers: [container] };
  if (spec.serviceAccountName) pod.serviceAccountName = spec.serviceAccountName;
  if (spec.checkpointVolume) {
    container.volumeMounts = [{ name: 'checkpoints', mountPath: spec.checkpointVolume.mountPath }];
    pod.volumes = [{ name: 'checkpoints', persistentVolumeClaim: { claimName: spec.checkpointVolume.claimName } }];
  }
  const job: Record<string, unknown> = {
    backoffLimit: spec.backoffLimit ?? 3,
    ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished ?? 86_400,
    // exit 2 (bad input) will not get better by retrying; evictions do not count as failures
    podFailurePolicy: {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'warm', operator: 'In', values: [2] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
      ],
    },
  };
  if (shards > 1) {
    job.completionMode = 'Indexed';
    job.completions = shards;
    job.parallelism = parallelism;
  }
  if (spec.activeDeadlineSeconds !== undefined) job.activeDeadlineSeconds = spec.activeDeadlineSeconds;
  job.template = { metadata: { labels: labelsOf(spec) }, spec: pod };
  return job;
}

function metadata(spec: WarmJobSpec): K8sObject['metadata'] {
  return { name: spec.name, ...(spec.namespace ? { namespace: spec.namespace } : {}), labels: labelsOf(spec) };
}

/**
 * A Job that warms once. With `shards` > 1 it is an Indexed Job: `completions`
 * = shards, each pod warming `--shard=$(JOB_COMPLETION_INDEX)/shards`.
 */
export function warmJobManifest(spec: WarmJobSpec): K8sObject {
  checkName(spec.name, 63);
  const { shards, parallelism } = checkSpec(spec);
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: metadata(spec), spec: jobSpec(spec, shards, parallelism) };
}

/** A CronJob that warms on a schedule (its jobs Indexed when `shards` > 1). */
export function warmCronJobManifest(spec: WarmCronJobSpec): K8sObject {
  checkName(spec.name, 52);
  const { shards, parallelism } = checkSpec(spec);
  const schedule = spec.schedule.trim();
  const fields = schedule.split(/\s+/);
  if (!(CRON_MACROS.has(schedule) || (fields.length === 5 && fields.every((f) => /^[0-9A-Za-z*?/,-]+$/.test(f))))) {
    throw new InputError(`--schedule: expected five cron fields or a macro such as @hourly, got ${JSON.stringify(spec.schedule)}`, {
      field: '--schedule',
      suggestions: ["--schedule '*/15 * * * *'", '--schedule @hourly'],
    });
  }
  const cron: Record<string, unknown> = {
    schedule,
    concurrencyPolicy: spec.concurrencyPolicy ?? 'Forbid',
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
  };
  if (spec.timeZone) cron.timeZone = spec.timeZone;
  if (spec.startingDeadlineSeconds !== undefined) cron.startingDeadlineSeconds = spec.startingDeadlineSeconds;
  if (spec.suspend !== undefined) cron.suspend = spec.suspend;
  cron.jobTemplate = { metadata: { labels: labelsOf(spec) }, spec: jobSpec(spec, shards, parallelism) };
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: metadata(spec), spec: cron };
}

/** Manifests as one multi-document YAML stream. */
export function manifestsToYaml(objects: readonly K8sObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
