/**
 * AlarmsPort over CloudWatch (aws-sdk v3): DescribeAlarms by name, metric and
 * composite alarms alike, at most 100 names per call, one client per region.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmInfo, AlarmState, AlarmsPort } from '../../../src/ports/alarms.js';
import type { AwsProviderSettings, PluginKit } from '../../../src/ports/providers.js';
import { awsCall, chunk, clientConfig, RegionClients, send, signal } from './common.js';

export class CloudWatchAlarms implements AlarmsPort {
  readonly kind = 'aws';
  private readonly clients: RegionClients<CloudWatchClient>;

  constructor(
    private readonly settings: AwsProviderSettings,
    private readonly kit: PluginKit,
  ) {
    this.clients = new RegionClients((region) => new CloudWatchClient(clientConfig(settings, region)));
  }

  async describeAlarms(region: string, names: string[], options: { signal?: AbortSignal } = {}): Promise<AlarmInfo[]> {
    const unique = [...new Set(names)];
    if (unique.length === 0) return [];
    const client = this.clients.get(region);
    const out: AlarmInfo[] = [];
    for (const batch of chunk(unique, 100)) {
      let token: string | undefined;
      do {
        const page = await awsCall(this.kit, { call: 'cloudwatch:DescribeAlarms', region, ...signal(options) }, this.settings.endpoint, () =>
          client.send(new DescribeAlarmsCommand({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: token }), send(options)),
        );
        for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
          const info: AlarmInfo = { name: a.AlarmName ?? '', region, state: (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState };
          if (a.StateReason !== undefined) info.reason = a.StateReason;
          if (a.StateUpdatedTimestamp !== undefined) info.updatedAt = new Date(a.StateUpdatedTimestamp).getTime();
          out.push(info);
        }
        token = page.NextToken;
      } while (token);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async close(): Promise<void> {
    this.clients.close();
  }
}

export async function createCloudWatchAlarms(settings: AwsProviderSettings, kit: PluginKit): Promise<AlarmsPort> {
  return new CloudWatchAlarms(settings, kit);
}
