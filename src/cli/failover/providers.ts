/**
 * The AWS and Kubernetes ports failover needs, from the configured
 * providers (plugins/aws, plugins/kubernetes via `relia:providers`). One
 * instance of each port per command; one cluster port per kubeconfig
 * context. Every port is closed by a lifecycle cleanup.
 */
import type { ClusterPort } from '../../ports/cluster.js';
import type { AlarmsPort } from '../../ports/alarms.js';
import type { ComputePort } from '../../ports/compute.js';
import type { DnsPort } from '../../ports/dns.js';
import type { AwsProviderSettings } from '../../ports/providers.js';
import type { CommandContext } from '../base-command.js';

export interface PortFactory {
  dns(): Promise<DnsPort>;
  compute(): Promise<ComputePort>;
  alarms(): Promise<AlarmsPort>;
  cluster(context: string | undefined): Promise<ClusterPort>;
}

const AWS: AwsProviderSettings = { timeoutMs: 10_000, maxAttempts: 3 };

export function portFactory(ctx: CommandContext): PortFactory {
  const clusters = new Map<string, Promise<ClusterPort>>();
  const track = async <T extends { close(): Promise<void> }>(name: string, make: Promise<T>): Promise<T> => {
    const port = await make;
    ctx.lifecycle.defer(`close ${name}`, () => port.close());
    return port;
  };
  return {
    dns: async () => track('dns', (await ctx.providers()).create('dns', 'aws', AWS, 'dns')),
    compute: async () => track('compute', (await ctx.providers()).create('compute', 'aws', AWS, 'compute')),
    alarms: async () => track('alarms', (await ctx.providers()).create('alarms', 'aws', AWS, 'alarms')),
    cluster: (context) => {
      const key = context ?? '';
      let port = clusters.get(key);
      if (!port) {
        port = (async () => track(`cluster ${key || '(current context)'}`, (await ctx.providers()).create('cluster', 'kubernetes', { timeoutMs: 10_000, ...(context !== undefined ? { context } : {}) }, 'cluster')))();
        clusters.set(key, port);
      }
      return port;
    },
  };
}
