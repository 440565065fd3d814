/**
 * relia:providers hook: registers the `aws` compute, dns, alarms and
 * experiments providers. This module stays tiny; each adapter (and its
 * @aws-sdk clients) loads only inside create().
 */
import type { ProviderRegistration, ProvidersHookOptions } from '../../../../src/ports/providers.js';

/**
 * aws-sdk v3 warns once per process that SDK releases after January 2027 will
 * need Node 22. relia pins its SDK versions, so the notice says nothing to a
 * relia user and would land in every command's stderr; it stays on when the
 * user set the variable themselves.
 */
function quietNodeVersionNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export default async function providers(_options: ProvidersHookOptions): Promise<ProviderRegistration[]> {
  const compute: ProviderRegistration<'compute'> = {
    port: 'compute',
    scheme: 'aws',
    description: 'EC2 instances, Auto Scaling groups and STS caller identity',
    async create(settings, kit) {
      quietNodeVersionNotice();
      const { createAwsCompute } = await import('../compute.js');
      return createAwsCompute(settings, kit);
    },
  };
  const dns: ProviderRegistration<'dns'> = {
    port: 'dns',
    scheme: 'aws',
    description: 'Route 53 weighted records, change batches and health checks',
    async create(settings, kit) {
      quietNodeVersionNotice();
      const { createRoute53Dns } = await import('../dns.js');
      return createRoute53Dns(settings, kit);
    },
  };
  const alarms: ProviderRegistration<'alarms'> = {
    port: 'alarms',
    scheme: 'aws',
    description: 'CloudWatch alarm states',
    async create(settings, kit) {
      quietNodeVersionNotice();
      const { createCloudWatchAlarms } = await import('../alarms.js');
      return createCloudWatchAlarms(settings, kit);
    },
  };
  const experiments: ProviderRegistration<'experiments'> = {
    port: 'experiments',
    scheme: 'aws',
    description: 'AWS FIS experiments from templates',
    async create(settings, kit) {
      quietNodeVersionNotice();
      const { createFisExperiments } = await import('../experiments.js');
      return createFisExperiments(settings, kit);
    },
  };
  return [compute, dns, alarms, experiments];
}
