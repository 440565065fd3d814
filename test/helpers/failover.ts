/**
 * Route 53 seeding and reading for the failover e2e tests on moto: a hosted
 * zone whose record `api.<tag>.example.com.` has two weighted A records,
 * us-east-1 and eu-west-1, and the live weights by set identifier. Seeding
 * uses the SDK directly; the code under test is always relia's adapter.
 */
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { createZone, motoUrl } from './moto.js';

const r53 = () => new Route53Client({ region: 'us-east-1', endpoint: motoUrl() });

/** UPSERT both weighted records (us-east-1 → 192.0.2.10, eu-west-1 → 198.51.100.10) in one batch. */
export async function setWeights(zoneId: string, record: string, weights: [number, number]): Promise<void> {
  const client = r53();
  try {
    await client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'UPSERT', ResourceRecordSet: { Name: record, Type: 'A', SetIdentifier: 'us-east-1', Weight: weights[0], TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }] } },
            { Action: 'UPSERT', ResourceRecordSet: { Name: record, Type: 'A', SetIdentifier: 'eu-west-1', Weight: weights[1], TTL: 60, ResourceRecords: [{ Value: '198.51.100.10' }] } },
          ],
        },
      }),
    );
  } finally {
    client.destroy();
  }
}

/** The weights of `record`'s A records now, by set identifier. */
export async function readWeights(zoneId: string, record: string): Promise<Record<string, number>> {
  const client = r53();
  try {
    const out = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: record, StartRecordType: 'A' }));
    const w: Record<string, number> = {};
    for (const r of out.ResourceRecordSets ?? []) if (r.Name === record && r.Type === 'A' && r.SetIdentifier) w[r.SetIdentifier] = r.Weight ?? -1;
    return w;
  } finally {
    client.destroy();
  }
}

/** A fresh zone `<tag>.example.com.` with `api.<tag>.example.com.` weighted `weights` (us-east-1, eu-west-1). */
export async function weightedZone(tag: string, weights: [number, number]): Promise<{ zoneId: string; zoneName: string; record: string }> {
  const zone = await createZone(`${tag}.example.com.`);
  const record = `api.${tag}.example.com.`;
  await setWeights(zone.id, record, weights);
  return { zoneId: zone.id, zoneName: zone.name, record };
}
