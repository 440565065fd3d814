import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { renderTable } from '../../src/cli/style.js';
import type { PortName } from '../../src/ports/index.js';

export interface ProvidersListResult {
  providers: Array<{ port: string; scheme: string; plugin: string; description?: string }>;
}

export default class ProvidersList extends ReliaCommand<typeof ProvidersList> {
  static override summary = 'List the adapters that plugins provide for each port.';
  static override description =
    'Providers come from every installed plugin\'s relia:providers hook: the first-party plugins (prometheus, redis, http, aws, kubernetes, local), and any you add with `relia plugins install` or `relia plugins link`. Config selects one by name (e.g. metrics.provider).';
  static override examples = ['<%= config.bin %> providers list', '<%= config.bin %> providers list --port metrics --json'];
  static override flags = {
    port: Flags.string({ description: 'Only this port.', options: ['metrics', 'cache', 'http', 'cluster', 'compute', 'dns', 'alarms', 'experiments', 'process', 'proxy'] }),
  };

  async run(): Promise<ProvidersListResult> {
    const registry = await this.providers();
    const providers = registry.list(this.flags.port as PortName | undefined);
    if (!this.jsonEnabled()) {
      this.log(
        renderTable(
          [
            { header: 'PORT', value: (p) => p.port },
            { header: 'SCHEME', value: (p) => p.scheme },
            { header: 'PLUGIN', value: (p) => p.plugin },
            { header: 'DESCRIPTION', value: (p) => p.description ?? '' },
          ],
          providers,
          this.style,
        ),
      );
    }
    return { providers };
  }
}
