/**
 * Seeding moto (the AWS emulator the harness starts) for the AWS adapters'
 * contract and e2e tests: instances, groups from a launch template, hosted
 * zones, health checks and alarms driven with SetAlarmState. Seeding uses
 * the SDK directly; the code under test is always the adapter.
 */
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateHealthCheckCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { AlarmState } from '../../src/ports/alarms.js';
import type { HostedZone } from '../../src/ports/dns.js';
import type { AwsProviderSettings } from '../../src/ports/providers.js';
import { servers } from './servers.js';

/** An AMI present in every moto region (moto ships the public Amazon images). */
export const MOTO_AMI = 'ami-12c6146b';

/** Moto accepts any credentials; set them (and silence the SDK's Node 22 notice) for this test process. */
export function motoEnv(): void {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

export function motoUrl(): string {
  return servers().moto.url;
}

/** The environment a relia subprocess needs to reach moto (us-east-1 by default), plus `extra`. */
export function motoCliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: motoUrl(),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

export function motoSettings(overrides: Partial<AwsProviderSettings> = {}): AwsProviderSettings {
  motoEnv();
  return { region: 'us-east-1', endpoint: motoUrl(), timeoutMs: 5000, maxAttempts: 2, ...overrides };
}

const sdk = (region: string) => ({ region, endpoint: motoUrl() });

let counter = 0;
/** A name unique to this process and call. */
export function uniqueName(tag: string): string {
  counter++;
  return `${tag}-${process.pid}-${counter}-${Date.now().toString(36)}`;
}

export async function runInstances(region: string, count: number, tags: Record<string, string>): Promise<string[]> {
  const ec2 = new EC2Client(sdk(region));
  try {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: MOTO_AMI,
        InstanceType: 't3.micro',
        MinCount: count,
        MaxCount: count,
        TagSpecifications: [{ ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
      }),
    );
    return (out.Instances ?? []).map((i) => i.InstanceId as string);
  } finally {
    ec2.destroy();
  }
}

/** An Auto Scaling group from a fresh launch template, with `tags` when given; moto puts its instances InService at once. */
export async function createGroup(region: string, name: string, sizes: { min: number; max: number; desired: number }, tags: Record<string, string> = {}): Promise<void> {
  const ec2 = new EC2Client(sdk(region));
  const asg = new AutoScalingClient(sdk(region));
  try {
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `${name}-lt`, LaunchTemplateData: { ImageId: MOTO_AMI, InstanceType: 't3.micro' } }));
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchTemplate: { LaunchTemplateName: `${name}-lt` },
        MinSize: sizes.min,
        MaxSize: sizes.max,
        DesiredCapacity: sizes.desired,
        AvailabilityZones: [`${region}a`, `${region}b`],
        ...(Object.keys(tags).length > 0 ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })) } : {}),
      }),
    );
  } finally {
    ec2.destroy();
    asg.destroy();
  }
}

export async function createZone(name: string): Promise<HostedZone> {
  const r53 = new Route53Client(sdk('us-east-1'));
  try {
    const out = await r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: uniqueName('zone') }));
    return { id: (out.HostedZone?.Id ?? '').replace(/^\/hostedzone\//, ''), name: out.HostedZone?.Name ?? '', private: out.HostedZone?.Config?.PrivateZone === true };
  } finally {
    r53.destroy();
  }
}

export async function createHealthCheck(): Promise<string> {
  const r53 = new Route53Client(sdk('us-east-1'));
  try {
    const out = await r53.send(
      new CreateHealthCheckCommand({ CallerReference: uniqueName('hc'), HealthCheckConfig: { Type: 'HTTP', IPAddress: '192.0.2.10', Port: 80, ResourcePath: '/health', RequestInterval: 30, FailureThreshold: 3 } }),
    );
    return out.HealthCheck?.Id ?? '';
  } finally {
    r53.destroy();
  }
}

/** Creates the alarm (PutMetricAlarm is idempotent), then drives its state with SetAlarmState. */
export async function setAlarm(region: string, name: string, state: AlarmState, reason: string): Promise<void> {
  const cw = new CloudWatchClient(sdk(region));
  try {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'Relia/Test',
        MetricName: '5xx',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));
  } finally {
    cw.destroy();
  }
}
