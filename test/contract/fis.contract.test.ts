/**
 * The FIS adapter (plugins/aws, the real @aws-sdk/client-fis) through the
 * managed-experiments contract, against the loopback FIS stand-in
 * (scripts/standins/fis.mjs): moto creates FIS templates but cannot start
 * experiments. Templates are seeded through the stand-in's admin API.
 */
import { createFisExperiments } from '../../plugins/aws/src/experiments.js';
import { motoSettings, uniqueName } from '../helpers/moto.js';
import { deadPort, kit, servers } from '../helpers/servers.js';
import { experimentsContract } from './suites/experiments.js';

async function template(region: string, id: string, runningPolls: number | null): Promise<string> {
  const res = await fetch(`${servers().fis.url}/__standin/templates`, { method: 'POST', body: JSON.stringify({ region, id, runningPolls }) });
  if (res.status !== 200) throw new Error(`seeding template ${id}: HTTP ${res.status}`);
  return id;
}

experimentsContract('aws adapter on the loopback FIS stand-in', async () => {
  const region = 'eu-west-1';
  return {
    experiments: await createFisExperiments(motoSettings({ endpoint: servers().fis.url }), kit),
    region,
    completes: await template(region, uniqueName('EXT-completes'), 2),
    runsUntilStopped: await template(region, uniqueName('EXT-forever'), null),
  };
}, { unreachable: async () => createFisExperiments(motoSettings({ endpoint: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 1000, maxAttempts: 1 }), kit) });
