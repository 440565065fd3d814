/**
 * The AWS adapters (plugins/aws) on moto, through the same contract suites as
 * the fakes: compute (EC2, Auto Scaling, STS), dns (Route 53), alarms
 * (CloudWatch). FIS runs against its loopback stand-in
 * (test/contract/fis.contract.test.ts), because moto cannot start experiments.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createCloudWatchAlarms } from '../../plugins/aws/src/alarms.js';
import { createAwsCompute } from '../../plugins/aws/src/compute.js';
import { createRoute53Dns } from '../../plugins/aws/src/dns.js';
import { createFisExperiments } from '../../plugins/aws/src/experiments.js';
import { ReliaError } from '../../src/core/errors.js';
import { createGroup, createHealthCheck, createZone, motoSettings, motoUrl, runInstances, setAlarm, uniqueName } from '../helpers/moto.js';
import { deadPort, kit, servers } from '../helpers/servers.js';
import { alarmsContract } from './suites/alarms.js';
import { computeContract } from './suites/compute.js';
import { dnsContract } from './suites/dns.js';

const unreachable = async () => ({ ...motoSettings(), endpoint: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 1000, maxAttempts: 1 });

computeContract('aws adapter on moto (EC2, Auto Scaling, STS)', async () => {
  const region = 'eu-west-1';
  const tag = uniqueName('contract');
  return {
    compute: await createAwsCompute(motoSettings(), kit),
    region,
    tag,
    seed: {
      instances: (count, tags) => runInstances(region, count, { test: tag, ...tags }),
      group: (name, sizes, tags) => createGroup(region, name, sizes, tags),
    },
  };
}, { unreachable: async () => createAwsCompute(await unreachable(), kit) });

dnsContract('aws adapter on moto (Route 53)', async () => ({
  dns: await createRoute53Dns(motoSettings(), kit),
  zone: await createZone(`${uniqueName('contract')}.example.com`),
  healthCheck: createHealthCheck,
}), { unreachable: async () => createRoute53Dns(await unreachable(), kit) });

alarmsContract('aws adapter on moto (CloudWatch)', async () => ({
  alarms: await createCloudWatchAlarms(motoSettings(), kit),
  region: 'eu-west-1',
  otherRegion: 'us-west-2',
  prefix: uniqueName('contract'),
  setAlarm,
}), { unreachable: async () => createCloudWatchAlarms(await unreachable(), kit) });

describe('aws adapters: settings through the SDK chain', () => {
  it('with no endpoint in settings, AWS_ENDPOINT_URL is honoured by every client (EC2, STS, Route 53, CloudWatch, FIS)', async () => {
    const before = process.env.AWS_ENDPOINT_URL;
    const { endpoint: _omit, ...noEndpoint } = motoSettings();
    try {
      process.env.AWS_ENDPOINT_URL = motoUrl();
      const compute = await createAwsCompute(noEndpoint, kit);
      expect((await compute.callerIdentity()).account).toBe('123456789012');
      const tag = uniqueName('chain');
      const ids = await runInstances('eu-west-1', 1, { test: tag });
      expect((await compute.describeInstances('eu-west-1', { tags: { test: tag } })).map((i) => i.id)).toEqual(ids);
      const zone = await createZone(`${uniqueName('chain')}.example.com`);
      const dns = await createRoute53Dns(noEndpoint, kit);
      expect(await dns.findZone(zone.id)).toEqual(zone);
      await setAlarm('eu-west-1', `${tag}-a`, 'ALARM', 'chain');
      const alarms = await createCloudWatchAlarms(noEndpoint, kit);
      expect((await alarms.describeAlarms('eu-west-1', [`${tag}-a`]))[0]?.state).toBe('ALARM');
      process.env.AWS_ENDPOINT_URL = servers().fis.url;
      const fis = await createFisExperiments(noEndpoint, kit);
      expect(await fis.get('eu-west-1', 'EXPabsent')).toBeNull();
      await Promise.all([compute.close(), dns.close(), alarms.close(), fis.close()]);
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = before;
    }
  });

  it('a refusal by AWS is a DependencyError naming the call, the region and the IAM permission', async () => {
    // moto accepts any credentials, so the denial comes from a loopback endpoint answering as CloudWatch does (HTTP 403, AccessDenied, AWS JSON 1.0).
    const forbidden = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r1' });
      res.end(JSON.stringify({ __type: 'AccessDenied', message: 'User is not authorized to perform: cloudwatch:DescribeAlarms' }));
    });
    await new Promise<void>((r) => forbidden.listen(0, '127.0.0.1', () => r()));
    try {
      const alarms = await createCloudWatchAlarms({ ...motoSettings(), endpoint: `http://127.0.0.1:${(forbidden.address() as { port: number }).port}`, maxAttempts: 1 }, kit);
      const err = await alarms.describeAlarms('eu-west-1', ['x']).catch((e: unknown) => e);
      expect(ReliaError.is(err) && err.exitCode).toBe(3);
      expect((err as ReliaError).message).toMatch(/cloudwatch:DescribeAlarms in eu-west-1 was refused: AccessDenied/);
      expect((err as ReliaError).suggestions.join(' ')).toContain('IAM permission cloudwatch:DescribeAlarms');
    } finally {
      forbidden.close();
    }
  });

  it('throttling that outlasts the retry budget is a DependencyError saying so, after maxAttempts tries', async () => {
    let calls = 0;
    const throttling = createServer((_req, res) => {
      calls++;
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'Throttling', message: 'Rate exceeded' }));
    });
    await new Promise<void>((r) => throttling.listen(0, '127.0.0.1', () => r()));
    try {
      const alarms = await createCloudWatchAlarms({ ...motoSettings(), endpoint: `http://127.0.0.1:${(throttling.address() as { port: number }).port}`, maxAttempts: 2 }, kit);
      const err = await alarms.describeAlarms('eu-west-1', ['x']).catch((e: unknown) => e);
      expect((err as ReliaError).exitCode).toBe(3);
      expect((err as ReliaError).message).toMatch(/cloudwatch:DescribeAlarms in eu-west-1 was throttled after 2 attempts/);
      expect(calls).toBe(2);
    } finally {
      throttling.close();
    }
  });
});
