/**
 * relia:providers hook: registers the `redis` cache provider (redis:// and
 * rediss://). ioredis loads only inside create().
 */
import type { ProviderRegistration, ProvidersHookOptions } from '../../../../src/ports/providers.js';

export default async function providers(_options: ProvidersHookOptions): Promise<ProviderRegistration[]> {
  const redis: ProviderRegistration<'cache'> = {
    port: 'cache',
    scheme: 'redis',
    description: 'Redis 6+ (redis:// and rediss:// URLs)',
    async create(settings, kit) {
      const { createRedisCache } = await import('../adapter.js');
      return createRedisCache(settings, kit);
    },
  };
  return [redis];
}
