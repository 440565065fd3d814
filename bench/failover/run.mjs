#!/usr/bin/env node
/**
 * Breach-to-revert time of `relia failover apply` on moto (issue 13: at most
 * one guard interval plus one Route 53 change).
 *
 *   npm run build && node bench/failover/run.mjs [--rounds 10] [--interval 1s] [--json]
 *
 * Each round seeds a fresh zone (100/0 weighted records, health checks), a
 * group per region and OK alarms on moto, then runs relia's engine in this
 * process with the real AWS adapters (plugins/aws/dist) and the system clock:
 * steps [50, 100], bake 30s, guard every --interval. Once step 1 is live, the
 * target's alarm is set to ALARM (SetAlarmState) at a random moment of the
 * guard cycle. Measured from the moment SetAlarmState returned to:
 *   detected  the guard sample that saw the breach,
 *   reverted  the revert ChangeBatch accepted and INSYNC (the 'revert' event).
 * The bound per round is: guard interval + the round's own Route 53 change
 * time (ChangeResourceRecordSets + GetChange until INSYNC of step 1).
 *
 * Servers: RELIA_TEST_SERVERS=<servers.json> reuses a running set; otherwise
 * moto alone is started with scripts/servers.mjs (and always stopped).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const ROUNDS = Number(arg('--rounds', '10'));
const INTERVAL = arg('--interval', '1s');
const JSON_OUT = process.argv.includes('--json');

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function withMoto(fn) {
  const given = process.env.RELIA_TEST_SERVERS;
  if (given) return fn(JSON.parse(readFileSync(given, 'utf8')).moto.url);
  const state = mkdtempSync(join(tmpdir(), 'relia-bench-failover-'));
  const up = spawnSync(process.execPath, [join(ROOT, 'scripts/servers.mjs'), 'up', '--state', state, '--only', 'moto'], { encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`servers did not start:\n${up.stderr}`);
  try {
    return await fn(JSON.parse(readFileSync(join(state, 'servers.json'), 'utf8')).moto.url);
  } finally {
    spawnSync(process.execPath, [join(ROOT, 'scripts/servers.mjs'), 'down', '--state', state], { encoding: 'utf8' });
    rmSync(state, { recursive: true, force: true });
  }
}

await withMoto(async (moto) => {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
  const aws = (p) => import(pathToFileURL(join(ROOT, 'plugins/aws/dist', p)).href);
  const { parseFailoverPlan } = await dist('src/core/failover/plan-schema.js');
  const { applyFailover } = await dist('src/core/failover/engine.js');
  const { systemClock } = await dist('src/cli/base-command.js');
  const { makeKit } = await dist('src/cli/providers.js');
  const { parseDuration } = await dist('src/core/units.js');
  const { createRoute53Dns } = await aws('dns.js');
  const { createAwsCompute } = await aws('compute.js');
  const { createCloudWatchAlarms } = await aws('alarms.js');
  const { Route53Client, CreateHostedZoneCommand, ChangeResourceRecordSetsCommand, CreateHealthCheckCommand } = await import('@aws-sdk/client-route-53');
  const { AutoScalingClient, CreateAutoScalingGroupCommand } = await import('@aws-sdk/client-auto-scaling');
  const { EC2Client, CreateLaunchTemplateCommand } = await import('@aws-sdk/client-ec2');
  const { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } = await import('@aws-sdk/client-cloudwatch');

  const kit = makeKit('bench');
  const settings = { region: 'us-east-1', endpoint: moto, timeoutMs: 5000, maxAttempts: 2 };
  const sdk = (region) => ({ region, endpoint: moto });
  const r53 = new Route53Client(sdk('us-east-1'));
  const cw = { 'us-east-1': new CloudWatchClient(sdk('us-east-1')), 'eu-west-1': new CloudWatchClient(sdk('eu-west-1')) };
  const setAlarm = async (region, name, state) => {
    await cw[region].send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'Relia/Bench', MetricName: '5xx', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));
    await cw[region].send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'bench' }));
  };
  const group = async (region, name, desired) => {
    const ec2 = new EC2Client(sdk(region));
    const asg = new AutoScalingClient(sdk(region));
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `${name}-lt`, LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' } }));
    await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: name, LaunchTemplate: { LaunchTemplateName: `${name}-lt` }, MinSize: 1, MaxSize: 20, DesiredCapacity: desired, AvailabilityZones: [`${region}a`] }));
    ec2.destroy();
    asg.destroy();
  };

  const dnsPort = await createRoute53Dns(settings, kit);
  const compute = await createAwsCompute(settings, kit);
  const alarms = await createCloudWatchAlarms(settings, kit);
  const intervalMs = Math.round(parseDuration(INTERVAL, '--interval') * 1000);
  const rounds = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const tag = `bench-${process.pid}-${i}-${Date.now().toString(36)}`;
      const zone = await r53.send(new CreateHostedZoneCommand({ Name: `${tag}.example.com.`, CallerReference: tag }));
      const zoneId = zone.HostedZone.Id.replace('/hostedzone/', '');
      const record = `api.${tag}.example.com.`;
      const rr = (id, w, ip) => ({ Action: 'UPSERT', ResourceRecordSet: { Name: record, Type: 'A', SetIdentifier: id, Weight: w, TTL: 60, ResourceRecords: [{ Value: ip }] } });
      await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [rr('us-east-1', 100, '192.0.2.10'), rr('eu-west-1', 0, '198.51.100.10')] } }));
      const hc = async () => (await r53.send(new CreateHealthCheckCommand({ CallerReference: `${tag}-${Math.random()}`, HealthCheckConfig: { Type: 'HTTP', IPAddress: '192.0.2.10', Port: 80, ResourcePath: '/', RequestInterval: 30, FailureThreshold: 3 } }))).HealthCheck.Id;
      const [hc1, hc2] = [await hc(), await hc()];
      await group('us-east-1', `${tag}-use1`, 4);
      await group('eu-west-1', `${tag}-euw1`, 4);
      await setAlarm('us-east-1', `${tag}-use1`, 'OK');
      await setAlarm('eu-west-1', `${tag}-euw1`, 'OK');
      const plan = parseFailoverPlan(
        `name: ${tag}\ndns: { zone: ${tag}.example.com., record: ${record} }\nregions:\n  us-east-1: { setIdentifier: us-east-1, healthCheck: ${hc1}, alarms: [${tag}-use1], capacity: [{ asg: ${tag}-use1 }] }\n  eu-west-1: { setIdentifier: eu-west-1, healthCheck: ${hc2}, alarms: [${tag}-euw1], capacity: [{ asg: ${tag}-euw1 }] }\nsteps: [50, 100]\nbake: 30s\nguardInterval: ${INTERVAL}\n`,
        'bench.yaml',
      );

      let changeMs = null;
      let tChange = 0;
      const timedDns = {
        kind: dnsPort.kind,
        findZone: (...a) => dnsPort.findZone(...a),
        listRecords: (...a) => dnsPort.listRecords(...a),
        healthCheckStatus: (...a) => dnsPort.healthCheckStatus(...a),
        close: async () => {},
        async change(zone, changes, ...rest) {
          if (changeMs === null && changes.some((c) => c.record.weight !== undefined)) tChange = performance.now();
          return dnsPort.change(zone, changes, ...rest);
        },
        async changeStatus(id, ...rest) {
          const s = await dnsPort.changeStatus(id, ...rest);
          if (s === 'INSYNC' && changeMs === null && tChange > 0) changeMs = performance.now() - tChange;
          return s;
        },
      };
      let breachAt = 0;
      let detectedAt = 0;
      let revertedAt = 0;
      let breachSet = null;
      const onEvent = (e) => {
        if (e.type === 'step' && e.step === 0 && !breachSet) {
          // A random moment of the guard cycle, after the step is live.
          const delay = 200 + Math.random() * intervalMs;
          breachSet = new Promise((resolve) =>
            setTimeout(async () => {
              await setAlarm('eu-west-1', `${tag}-euw1`, 'ALARM');
              breachAt = performance.now();
              resolve();
            }, delay),
          );
        }
        if (e.type === 'guard' && e.data?.ok === false && !detectedAt) detectedAt = performance.now();
        if (e.type === 'revert') revertedAt = performance.now();
      };
      const journals = [];
      let status = 'completed';
      try {
        await applyFailover({ plan, ports: { dns: timedDns, compute, alarms, clock: systemClock, onEvent }, sink: { save: (j) => journals.push(j.status) }, owner: 'bench@local:1', operationId: tag, from: 'us-east-1', to: 'eu-west-1', mode: 'graceful', insyncPollMs: 100, scalePollMs: 200 });
      } catch (error) {
        status = error.exitCode === 4 ? 'reverted' : `error: ${error.message}`;
      }
      await breachSet;
      const round = { status, intervalMs, changeMs, detectedMs: detectedAt - breachAt, revertMs: revertedAt - breachAt, boundMs: intervalMs + changeMs };
      rounds.push(round);
      if (!JSON_OUT) process.stderr.write(`round ${i + 1}: ${status}, detected ${round.detectedMs.toFixed(0)} ms, reverted ${round.revertMs.toFixed(0)} ms after the breach (bound ${round.boundMs.toFixed(0)} ms)\n`);
    }
  } finally {
    r53.destroy();
    cw['us-east-1'].destroy();
    cw['eu-west-1'].destroy();
    await Promise.all([dnsPort.close(), compute.close(), alarms.close()]);
  }

  const ok = rounds.filter((r) => r.status === 'reverted');
  const summary = {
    date: new Date().toISOString().slice(0, 10),
    rounds: rounds.length,
    reverted: ok.length,
    guardIntervalMs: intervalMs,
    route53ChangeMs: { median: quantile(ok.map((r) => r.changeMs), 0.5), max: Math.max(...ok.map((r) => r.changeMs)) },
    detectedMs: { median: quantile(ok.map((r) => r.detectedMs), 0.5), max: Math.max(...ok.map((r) => r.detectedMs)) },
    breachToRevertMs: { median: quantile(ok.map((r) => r.revertMs), 0.5), p90: quantile(ok.map((r) => r.revertMs), 0.9), max: Math.max(...ok.map((r) => r.revertMs)) },
    withinBound: ok.filter((r) => r.revertMs <= r.boundMs).length,
  };
  if (JSON_OUT) process.stdout.write(`${JSON.stringify({ summary, rounds }, null, 2)}\n`);
  else {
    const f = (x) => `${x.toFixed(0)} ms`;
    process.stdout.write(
      [
        `failover breach-to-revert on moto, ${summary.rounds} rounds, guard interval ${INTERVAL}`,
        `  reverted            ${summary.reverted}/${summary.rounds}`,
        `  Route 53 change     median ${f(summary.route53ChangeMs.median)}, max ${f(summary.route53ChangeMs.max)} (ChangeResourceRecordSets + GetChange to INSYNC)`,
        `  breach → detected   median ${f(summary.detectedMs.median)}, max ${f(summary.detectedMs.max)}`,
        `  breach → reverted   median ${f(summary.breachToRevertMs.median)}, p90 ${f(summary.breachToRevertMs.p90)}, max ${f(summary.breachToRevertMs.max)}`,
        `  within the bound (interval + that round's change): ${summary.withinBound}/${summary.reverted}`,
        '',
      ].join('\n'),
    );
  }
});
