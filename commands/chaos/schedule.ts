import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { experimentFlags, loadExperiment } from '../../src/cli/chaos/load.js';
import { readTextInput } from '../../src/cli/files.js';
import { manifestsToYaml, type K8sObject } from '../../src/core/cache/k8s.js';
import { chaosCronJob, envRefs } from '../../src/core/chaos/schedule.js';

export interface ChaosScheduleResult {
  emit: 'cronjob';
  manifest: string;
  objects: K8sObject[];
}

export default class ChaosSchedule extends ReliaCommand<typeof ChaosSchedule> {
  static override summary = 'Print a Kubernetes CronJob that runs an experiment on a schedule (concurrencyPolicy Forbid, halt respected).';
  static override description =
    'The experiment is validated first (exit 2 when bad), then emitted with a ConfigMap holding it and the relia config; env values come from --secret via secretKeyRef. Each scheduled run reads the halt switch before injecting anything: set chaos.halt.configMap or chaos.halt.redisKey so `relia chaos halt` reaches the cluster. See docs/chaos.md#schedule.';
  static override examples = ["<%= config.bin %> chaos schedule experiment.yaml --emit cronjob --schedule '0 10 * * 1-5' --name chaos-checkout --image ghcr.io/acme/relia:0.1.0 --secret chaos-env"];
  static override args = { file: Args.string({ description: 'Experiment file.', required: true }) };
  static override flags = {
    ...experimentFlags,
    emit: Flags.string({ description: 'What to print.', options: ['cronjob'], required: true }),
    schedule: Flags.string({ description: "Cron schedule, e.g. '0 10 * * 1-5'.", required: true }),
    name: Flags.string({ description: 'CronJob name.', default: 'relia-chaos' }),
    image: Flags.string({ description: 'Container image with relia.', default: 'ghcr.io/relia/relia:latest' }),
    namespace: Flags.string({ description: 'Namespace.' }),
    secret: Flags.string({ description: 'Secret holding the environment variables the experiment reads.', default: 'relia-chaos-env' }),
    'time-zone': Flags.string({ description: 'Time zone, e.g. Europe/Berlin.' }),
    'service-account': Flags.string({ description: 'Service account (RBAC for the faults).' }),
  };

  async run(): Promise<ChaosScheduleResult> {
    const f = this.flags;
    const env = { ...process.env };
    const loaded = loadExperiment(this.args.file, f, new Proxy(env, { get: (t, k) => (typeof k === 'string' ? (t[k] ?? '1') : undefined) }));
    const h = this.resolved.config.chaos?.halt;
    if (!h?.configMap && !h?.redisKey) this.warn('the halt file lives inside each pod: set chaos.halt.configMap or chaos.halt.redisKey so relia chaos halt reaches scheduled runs');
    const objects = chaosCronJob({
      name: f.name,
      image: f.image,
      schedule: f.schedule,
      experimentName: basename(loaded.file),
      experimentText: readTextInput(loaded.file, 'FILE'),
      ...(this.resolved.file ? { configText: readFileSync(this.resolved.file, 'utf8') } : {}),
      secretName: f.secret,
      envVars: envRefs(loaded.experiment.raw),
      ...(f.namespace ? { namespace: f.namespace } : {}),
      ...(f['time-zone'] ? { timeZone: f['time-zone'] } : {}),
      ...(f['service-account'] ? { serviceAccountName: f['service-account'] } : {}),
    });
    const manifest = manifestsToYaml(objects);
    if (!this.jsonEnabled()) process.stdout.write(manifest);
    return { emit: 'cronjob', manifest, objects };
  }
}
