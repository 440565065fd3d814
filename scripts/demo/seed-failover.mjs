#!/usr/bin/env node
/**
 * Seed moto (the AWS emulator scripts/servers.mjs starts) for the README
 * demo's failover section, and write the failover plan that points at it:
 *
 *   node scripts/demo/seed-failover.mjs --moto http://127.0.0.1:PORT --out DIR [--slo FILE]
 *
 * - hosted zone example.com. with two weighted A records api.example.com.
 *   (us-east-1 = 100, eu-west-1 = 0) and a Route 53 health check for each;
 * - an Auto Scaling group per region from a launch template (moto puts the
 *   instances InService at once): 6 in us-east-1, 2 in eu-west-1;
 * - a CloudWatch alarm per region, set OK with SetAlarmState;
 * - DIR/playback-api.yaml: the plan (steps 50/100, a 2 s bake sampled every
 *   second, the target scaled to 100 % of the source and back on rollback,
 *   and --slo as the target's SLO guard when given).
 *
 * Seeding uses the SDK directly; relia itself only ever goes through its AWS
 * adapters (plugins/aws). Prints the plan's path.
 */
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const moto = arg('moto');
const out = arg('out');
const slo = arg('slo');
if (!moto || !out) {
  process.stderr.write('usage: node scripts/demo/seed-failover.mjs --moto URL --out DIR [--slo FILE]\n');
  process.exit(2);
}

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const sdk = (region) => ({ region, endpoint: moto });
const REGIONS = { 'us-east-1': { ip: '192.0.2.10', weight: 100, instances: 6 }, 'eu-west-1': { ip: '198.51.100.10', weight: 0, instances: 2 } };
const AMI = 'ami-12c6146b'; // a public image moto has in every region

const r53 = new Route53Client(sdk('us-east-1'));
try {
  const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'example.com.', CallerReference: `relia-demo-${Date.now()}` }));
  const zoneId = zone.HostedZone.Id.replace('/hostedzone/', '');
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: Object.entries(REGIONS).map(([id, r]) => ({
          Action: 'CREATE',
          ResourceRecordSet: { Name: 'api.example.com.', Type: 'A', SetIdentifier: id, Weight: r.weight, TTL: 60, ResourceRecords: [{ Value: r.ip }] },
        })),
      },
    }),
  );
  const lines = [];
  for (const [region, r] of Object.entries(REGIONS)) {
    const hc = await r53.send(
      new CreateHealthCheckCommand({ CallerReference: `relia-demo-${region}-${Date.now()}`, HealthCheckConfig: { Type: 'HTTP', IPAddress: r.ip, Port: 80, ResourcePath: '/health', RequestInterval: 30, FailureThreshold: 3 } }),
    );
    const ec2 = new EC2Client(sdk(region));
    const asg = new AutoScalingClient(sdk(region));
    const cw = new CloudWatchClient(sdk(region));
    try {
      const group = `playback-${region}`;
      await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `${group}-lt`, LaunchTemplateData: { ImageId: AMI, InstanceType: 't3.micro' } }));
      await asg.send(
        new CreateAutoScalingGroupCommand({ AutoScalingGroupName: group, LaunchTemplate: { LaunchTemplateName: `${group}-lt` }, MinSize: 1, MaxSize: 20, DesiredCapacity: r.instances, AvailabilityZones: [`${region}a`, `${region}b`] }),
      );
      const alarm = `${group}-5xx`;
      await cw.send(new PutMetricAlarmCommand({ AlarmName: alarm, Namespace: 'Playback', MetricName: '5xx', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));
      await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'demo' }));
      const guard = region === 'eu-west-1' && slo ? [`    slos: [${relative(resolve(out), resolve(slo))}]`] : [];
      lines.push(`  ${region}:`, `    setIdentifier: ${region}`, `    healthCheck: ${hc.HealthCheck.Id}`, `    alarms: [${alarm}]`, `    capacity: [{ asg: ${group} }]`, ...guard);
    } finally {
      ec2.destroy();
      asg.destroy();
      cw.destroy();
    }
  }
  const plan = join(out, 'playback-api.yaml');
  writeFileSync(
    plan,
    [
      '# relia failover plan for the demo (seeded on moto by scripts/demo/seed-failover.mjs)',
      'name: playback-api',
      'dns: { zone: example.com., record: api.example.com. }',
      'regions:',
      ...lines,
      'steps: [50, 100]',
      'bake: 2s',
      'guardInterval: 1s',
      'capacity: { percentToMatch: 100, timeout: 2m, scaleBackOnRollback: true }',
      'safety: { minHealthyRegions: 1, maxStepPercent: 50 }',
      '',
    ].join('\n'),
  );
  process.stdout.write(`${plan}\n`);
} finally {
  r53.destroy();
}
