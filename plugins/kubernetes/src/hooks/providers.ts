/**
 * relia:providers hook: registers the `kubernetes` cluster provider. This
 * module stays tiny; the adapter (and @kubernetes/client-node) loads only
 * inside create().
 */
import type { ProviderRegistration, ProvidersHookOptions } from '../../../../src/ports/providers.js';

export default async function providers(_options: ProvidersHookOptions): Promise<ProviderRegistration[]> {
  const kubernetes: ProviderRegistration<'cluster'> = {
    port: 'cluster',
    scheme: 'kubernetes',
    description: 'Kubernetes API (@kubernetes/client-node): pods, evictions, PDBs, scale, nodes, ConfigMaps',
    async create(settings, kit) {
      const { createKubernetesCluster } = await import('../adapter.js');
      return createKubernetesCluster(settings, kit);
    },
  };
  return [kubernetes];
}
