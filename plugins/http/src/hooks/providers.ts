/**
 * relia:providers hook: registers the `http` provider used to reach origins,
 * caches and CDNs. undici loads only inside create().
 */
import type { ProviderRegistration, ProvidersHookOptions } from '../../../../src/ports/providers.js';

export default async function providers(_options: ProvidersHookOptions): Promise<ProviderRegistration[]> {
  const http: ProviderRegistration<'http'> = {
    port: 'http',
    scheme: 'http',
    description: 'HTTP/1.1 client (undici) for origins, caches and CDNs',
    async create(settings, kit) {
      const { createHttpClient } = await import('../adapter.js');
      return createHttpClient(settings, kit);
    },
  };
  return [http];
}
