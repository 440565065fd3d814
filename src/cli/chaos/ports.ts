/**
 * The ports chaos activities and guards ask for, created lazily the first
 * time one is needed (so an experiment that only uses HTTP never loads an
 * AWS SDK), each closed once when the command ends.
 */
import type { ActivityPorts } from '../../core/chaos/activity.js';
import { InputError } from '../../core/errors.js';
import type { PortMap, PortName } from '../../ports/providers.js';
import type { CommandContext } from '../base-command.js';
import { alarmsFromConfig, cacheFromUrl, clusterFromConfig, computeFromConfig, dnsFromConfig, experimentsFromConfig, httpFromConfig, metricsFromConfig, type ProviderRegistry } from '../providers.js';

async function create<P extends PortName>(port: P, registry: ProviderRegistry, ctx: CommandContext): Promise<PortMap[P]> {
  const resolved = ctx.resolved();
  const s = resolved.settings;
  switch (port) {
    case 'metrics':
      return (await metricsFromConfig(registry, resolved)) as PortMap[P];
    case 'http':
      return (await httpFromConfig(registry, resolved)) as PortMap[P];
    case 'cache': {
      if (!s.redis?.url) throw new InputError('this experiment needs Redis, and no redis.url is configured', { field: 'redis.url', suggestions: ['set RELIA_REDIS_URL, or environments.<name>.redis.url'] });
      return (await cacheFromUrl(registry, s.redis.url, resolved, 'redis.url')) as PortMap[P];
    }
    case 'process':
    case 'proxy':
      return (await registry.create(port, 'local', {} as never, port)) as PortMap[P];
    case 'cluster':
      return (await clusterFromConfig(registry, resolved)) as PortMap[P];
    case 'compute':
      return (await computeFromConfig(registry, resolved)) as PortMap[P];
    case 'dns':
      return (await dnsFromConfig(registry, resolved)) as PortMap[P];
    case 'alarms':
      return (await alarmsFromConfig(registry, resolved)) as PortMap[P];
    case 'experiments':
      return (await experimentsFromConfig(registry, resolved)) as PortMap[P];
  }
}

/** ActivityPorts over the command's providers; every port created is closed by the lifecycle. */
export function activityPorts(ctx: CommandContext): ActivityPorts {
  const made = new Map<PortName, Promise<unknown>>();
  return {
    get<P extends PortName>(port: P): Promise<PortMap[P]> {
      let p = made.get(port) as Promise<PortMap[P]> | undefined;
      if (!p) {
        p = ctx.providers().then((registry) => create(port, registry, ctx));
        made.set(port, p);
        p.then(
          (instance) => ctx.lifecycle.defer(`close ${port}`, () => (instance as { close(): Promise<void> }).close()),
          () => made.delete(port),
        );
      }
      return p;
    },
  };
}
