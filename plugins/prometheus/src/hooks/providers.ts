/**
 * relia:providers hook: registers the `prometheus` metrics provider. This
 * module stays tiny; the adapter (and undici) load only inside create().
 */
import type { ProviderRegistration, ProvidersHookOptions } from '../../../../src/ports/providers.js';

export default async function providers(_options: ProvidersHookOptions): Promise<ProviderRegistration[]> {
  const prometheus: ProviderRegistration<'metrics'> = {
    port: 'metrics',
    scheme: 'prometheus',
    description: 'Prometheus HTTP API v1 (also Thanos, Mimir, VictoriaMetrics and other compatible APIs)',
    async create(settings, kit) {
      const { createPrometheusSource } = await import('../adapter.js');
      return createPrometheusSource(settings, kit);
    },
  };
  return [prometheus];
}
