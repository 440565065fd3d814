/**
 * `chaos schedule --emit cronjob`: a ConfigMap holding the experiment (and
 * the relia config, so the halt settings reach the pod) and a CronJob that
 * runs `relia chaos run --yes` with concurrencyPolicy Forbid, no retries
 * (a chaos run is never retried blindly), and every `{type: env}` value of
 * the experiment from a Secret via secretKeyRef. The halt is respected
 * because every run reads it before anything is injected. Pure.
 */
import { InputError } from '../errors.js';
/** A Kubernetes object as emitted here (a ConfigMap has data, a CronJob a spec). */
export interface ChaosK8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

export interface ChaosScheduleSpec {
  name: string;
  namespace?: string;
  image: string;
  schedule: string;
  timeZone?: string;
  /** File name of the experiment inside the ConfigMap. */
  experimentName: string;
  experimentText: string;
  /** The relia config file's text, mounted and named by RELIA_CONFIG. */
  configText?: string;
  /** Secret holding the env vars (keys = variable names). */
  secretName: string;
  /** Variables the experiment reads: secrets are required, configuration values optional. */
  envVars: Array<{ name: string; optional: boolean }>;
  guardInterval?: string;
  serviceAccountName?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CRON = /^(?:@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|(?:[0-9A-Za-z*?/,-]+\s+){4}[0-9A-Za-z*?/,-]+)$/;

/** Names of `{type: env, key}` values in a configuration/secrets tree. */
export function envRefs(raw: Record<string, unknown>): Array<{ name: string; optional: boolean }> {
  const out = new Map<string, boolean>();
  const visit = (v: unknown, secret: boolean): void => {
    if (typeof v !== 'object' || v === null) return;
    const rec = v as Record<string, unknown>;
    if (rec.type === 'env' && typeof rec.key === 'string') {
      const optional = !secret || 'default' in rec;
      out.set(rec.key, (out.get(rec.key) ?? true) && optional);
      return;
    }
    for (const x of Object.values(rec)) visit(x, secret);
  };
  visit(raw.configuration, false);
  visit(raw.secrets, true);
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, optional]) => ({ name, optional }));
}

export function chaosCronJob(spec: ChaosScheduleSpec): ChaosK8sObject[] {
  if (!DNS_LABEL.test(spec.name) || spec.name.length > 52) {
    throw new InputError(`--name: ${JSON.stringify(spec.name)} is not a valid CronJob name (lowercase letters, digits and '-', at most 52 characters)`, { field: '--name', suggestions: ['--name chaos-checkout-latency'] });
  }
  if (!CRON.test(spec.schedule.trim())) {
    throw new InputError(`--schedule: expected five cron fields or a macro such as @daily, got ${JSON.stringify(spec.schedule)}`, { field: '--schedule', suggestions: ["--schedule '0 10 * * 1-5'"] });
  }
  const labels = { 'app.kubernetes.io/name': 'relia', 'app.kubernetes.io/component': 'chaos', 'app.kubernetes.io/instance': spec.name };
  const meta = (name: string) => ({ name, ...(spec.namespace ? { namespace: spec.namespace } : {}), labels });
  const data: Record<string, string> = { [spec.experimentName]: spec.experimentText };
  if (spec.configText !== undefined) data['relia.config.yaml'] = spec.configText;
  const configMap: ChaosK8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${spec.name}-experiment`), data };
  const args = ['chaos', 'run', `/etc/relia/chaos/${spec.experimentName}`, '--yes', '--journal', '/tmp/journal.json'];
  if (spec.guardInterval) args.push('--guard-interval', spec.guardInterval);
  const env: Array<Record<string, unknown>> = spec.envVars.map((v) => ({ name: v.name, valueFrom: { secretKeyRef: { name: spec.secretName, key: v.name, ...(v.optional ? { optional: true } : {}) } } }));
  if (spec.configText !== undefined) env.push({ name: 'RELIA_CONFIG', value: '/etc/relia/chaos/relia.config.yaml' });
  const container: Record<string, unknown> = {
    name: 'chaos',
    image: spec.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['relia'],
    args,
    volumeMounts: [{ name: 'experiment', mountPath: '/etc/relia/chaos', readOnly: true }],
  };
  if (env.length) container.env = env;
  const pod: Record<string, unknown> = {
    restartPolicy: 'Never',
    containers: [container],
    volumes: [{ name: 'experiment', configMap: { name: `${spec.name}-experiment` } }],
  };
  if (spec.serviceAccountName) pod.serviceAccountName = spec.serviceAccountName;
  const cron: Record<string, unknown> = {
    schedule: spec.schedule.trim(),
    concurrencyPolicy: 'Forbid',
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
  };
  if (spec.timeZone) cron.timeZone = spec.timeZone;
  // SIGTERM on pod deletion: relia rolls back and exits 143; give it time.
  cron.jobTemplate = { metadata: { labels }, spec: { backoffLimit: 0, template: { metadata: { labels }, spec: { ...pod, terminationGracePeriodSeconds: 120 } } } };
  return [configMap, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta(spec.name), spec: cron }];
}
