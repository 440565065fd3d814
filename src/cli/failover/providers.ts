/**
 * The AWS and Kubernetes ports failover needs, from the configured
 * providers (plugins/aws, plugins/kubernetes via `relia:providers`), with the
 * settings of `environments.<env>.aws` / `.kubernetes` (src/cli/providers.ts).
 * One instance of each port per command; one cluster port per kubeconfig
 * context. Every port is closed by a lifecycle cleanup.
 */
import type { ClusterPort } from '../../ports/cluster.js';
import type { AlarmsPort } from '../../ports/alarms.js';
import type { ComputePort } from '../../ports/compute.js';
import type { DnsPort } from '../../ports/dns.js';
import type { CommandContext } from '../base-command.js';
import { alarmsFromConfig, clusterFromConfig, computeFromConfig, dnsFromConfig } from '../providers.js';

export interface PortFactory {
  dns(): Promise<DnsPort>;
  compute(): Promise<ComputePort>;
  alarms(): Promise<AlarmsPort>;
  cluster(context: string | undefined): Promise<ClusterPort>;
}

export function portFactory(ctx: CommandContext): PortFactory {
  const clusters = new Map<string, Promise<ClusterPort>>();
  const track = async <T extends { close(): Promise<void> }>(name: string, make: Promise<T>): Promise<T> => {
    const port = await make;
    ctx.lifecycle.defer(`close ${name}`, () => port.close());
    return port;
  };
  return {
    dns: async () => track('dns', dnsFromConfig(await ctx.providers(), ctx.resolved())),
    compute: async () => track('compute', computeFromConfig(await ctx.providers(), ctx.resolved())),
    alarms: async () => track('alarms', alarmsFromConfig(await ctx.providers(), ctx.resolved())),
    cluster: (context) => {
      const key = context ?? '';
      let port = clusters.get(key);
      if (!port) {
        port = (async () => track(`cluster ${key || '(current context)'}`, clusterFromConfig(await ctx.providers(), ctx.resolved(), context !== undefined ? { context } : {})))();
        clusters.set(key, port);
      }
      return port;
    },
  };
}
