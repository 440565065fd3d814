/**
 * The AWS adapters (plugins/aws) on moto, through the same contract suites as
 * the fakes: compute (EC2, Auto Scaling, STS), dns (Route 53), alarms
 * (CloudWatch). FIS runs against its loopback stand-in
 * (test/contract/fis.contract.test.ts), because moto cannot start experiments.
 */
import { createCloudWatchAlarms } from '../../plugins/aws/src/alarms.js';
import { createAwsCompute } from '../../plugins/aws/src/compute.js';
import { createRoute53Dns } from '../../plugins/aws/src/dns.js';
import { createGroup, createHealthCheck, createZone, motoSettings, runInstances, setAlarm, uniqueName } from '../helpers/moto.js';
import { deadPort, kit } from '../helpers/servers.js';
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
      group: (name, sizes) => createGroup(region, name, sizes),
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
