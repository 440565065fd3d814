/**
 * relia:providers hook: registers the `local` providers for the `process`
 * port (execa) and the `proxy` port (the TCP fault proxy on node:net). The
 * adapters, and execa, load only inside create().
 */
import type { ProviderRegistration, ProvidersHookOptions } from '../../../../src/ports/providers.js';

export default async function providers(_options: ProvidersHookOptions): Promise<ProviderRegistration[]> {
  const processes: ProviderRegistration<'process'> = {
    port: 'process',
    scheme: 'local',
    description: 'Local processes: run commands (execa), signal a pid or a pid file',
    async create(_settings, kit) {
      const { createProcessPort } = await import('../process.js');
      return createProcessPort(kit);
    },
  };
  const proxy: ProviderRegistration<'proxy'> = {
    port: 'proxy',
    scheme: 'local',
    description: 'TCP fault proxy in this process (latency, jitter, loss, bandwidth, resets, timeouts)',
    async create(_settings, kit) {
      const { createFaultProxy } = await import('../proxy.js');
      return createFaultProxy(kit);
    },
  };
  return [processes, proxy];
}
