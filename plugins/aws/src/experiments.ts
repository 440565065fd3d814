/**
 * ManagedExperimentsPort over AWS FIS (aws-sdk v3): StartExperiment from a
 * template (with a client token, so a retried start never starts twice),
 * GetExperiment, StopExperiment. One client per region.
 */
import { randomUUID } from 'node:crypto';
import { FisClient, GetExperimentCommand, StartExperimentCommand, StopExperimentCommand, type Experiment } from '@aws-sdk/client-fis';
import type { ManagedExperiment, ManagedExperimentState, ManagedExperimentsPort } from '../../../src/ports/experiments.js';
import type { AwsProviderSettings, PluginKit } from '../../../src/ports/providers.js';
import { awsCall, clientConfig, isNamed, RegionClients, send, signal, type Recovery } from './common.js';

const FINAL: ManagedExperimentState[] = ['completed', 'stopped', 'failed', 'cancelled'];

export class FisExperiments implements ManagedExperimentsPort {
  readonly kind = 'aws';
  private readonly clients: RegionClients<FisClient>;

  constructor(
    private readonly settings: AwsProviderSettings,
    private readonly kit: PluginKit,
  ) {
    this.clients = new RegionClients((region) => new FisClient(clientConfig(settings, region)));
  }

  private run<T>(call: string, region: string, options: { signal?: AbortSignal }, fn: (c: FisClient) => Promise<T>, recover?: (err: unknown) => Recovery<T>): Promise<T> {
    const client = this.clients.get(region);
    return awsCall(this.kit, { call: `fis:${call}`, region, ...signal(options) }, this.settings.endpoint, () => fn(client), recover);
  }

  async start(region: string, templateId: string, options: { tags?: Record<string, string>; signal?: AbortSignal } = {}): Promise<ManagedExperiment> {
    const out = await this.run('StartExperiment', region, options, (c) =>
      c.send(new StartExperimentCommand({ experimentTemplateId: templateId, clientToken: randomUUID(), tags: options.tags }), send(options)),
    (err) => (isNamed(err, 'ResourceNotFoundException', 'ValidationException')
      ? new this.kit.errors.InputError(`fis:StartExperiment in ${region}: no experiment template ${templateId} (${(err as Error).message})`, {
          field: 'templateId',
          suggestions: [`check the template id: aws fis list-experiment-templates --region ${region}`],
        })
      : undefined));
    return experiment(out.experiment, templateId);
  }

  async get(region: string, id: string, options: { signal?: AbortSignal } = {}): Promise<ManagedExperiment | null> {
    const out = await this.run<Experiment | undefined>('GetExperiment', region, options, async (c) => (await c.send(new GetExperimentCommand({ id }), send(options))).experiment, (err) =>
      isNamed(err, 'ResourceNotFoundException') ? { value: undefined } : undefined,
    );
    return out ? experiment(out, '') : null;
  }

  async stop(region: string, id: string, options: { signal?: AbortSignal } = {}): Promise<ManagedExperiment> {
    const missing = () => new this.kit.errors.InputError(`fis:StopExperiment in ${region}: no experiment ${id}`, { field: 'experiment', suggestions: ['use the id that start returned, in the same region'] });
    const out = await this.run<Experiment | undefined>('StopExperiment', region, options, async (c) => (await c.send(new StopExperimentCommand({ id }), send(options))).experiment, (err) => {
      if (isNamed(err, 'ResourceNotFoundException')) return missing();
      // A finished experiment cannot be stopped: answer what it is.
      if (isNamed(err, 'ValidationException', 'ConflictException')) return { value: undefined };
      return undefined;
    });
    if (out) return experiment(out, '');
    const now = await this.get(region, id, options);
    if (!now) throw missing();
    if (!FINAL.includes(now.state)) throw new this.kit.errors.DependencyError('aws', `fis:StopExperiment in ${region} refused to stop ${id}, which is ${now.state}`, { suggestions: [`stop it by hand: aws fis stop-experiment --id ${id} --region ${region}`] });
    return now;
  }

  async close(): Promise<void> {
    this.clients.close();
  }
}

export async function createFisExperiments(settings: AwsProviderSettings, kit: PluginKit): Promise<ManagedExperimentsPort> {
  return new FisExperiments(settings, kit);
}

function experiment(e: Experiment | undefined, templateId: string): ManagedExperiment {
  const out: ManagedExperiment = { id: e?.id ?? '', templateId: e?.experimentTemplateId ?? templateId, state: (e?.state?.status ?? 'pending') as ManagedExperimentState };
  if (e?.state?.reason) out.reason = e.state.reason;
  return out;
}
