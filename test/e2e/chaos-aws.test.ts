/**
 * `chaos run` on moto through the BUILT CLI and the real aws plugin: EC2
 * instances stopped by tag are started again after the run; an account not
 * in chaos.allow.awsAccounts is exit 2 and nothing stops.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, describe, expect, it } from 'vitest';
import { motoEnv, motoUrl, runInstances, uniqueName } from '../helpers/moto.js';
import { relia } from '../helpers/relia.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-chaos-aws-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const R = 'us-east-1';
const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

async function states(ids: string[]): Promise<string[]> {
  const ec2 = new EC2Client({ region: R, endpoint: motoUrl() });
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  ec2.destroy();
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).sort((a, b) => (a.InstanceId! < b.InstanceId! ? -1 : 1)).map((i) => i.State?.Name ?? '?');
}

function files(account: string, tag: string): { config: string; exp: string } {
  const config = join(tmp, `relia-${account}.yaml`);
  writeFileSync(config, `environments:\n  moto:\n    aws: { region: ${R}, endpoint: "${motoUrl()}" }\ndefaultEnvironment: moto\nchaos:\n  allow: { awsAccounts: ["${account}"] }\n`);
  const exp = join(tmp, `stop-${tag}.yaml`);
  writeFileSync(exp, `title: stop the ${tag} fleet\nmethod:\n  - name: stop them\n    action: aws.ec2-stop\n    args: { region: ${R}, tags: { fleet: "${tag}" }, mode: all }\n  - pause: 1s\n`);
  return { config, exp };
}

describe('chaos run on moto', () => {
  it('EC2 instances stopped by tag are started again after the run', async () => {
    motoEnv();
    const tag = uniqueName('fleet');
    const ids = (await runInstances(R, 3, { fleet: tag })).sort();
    const { config, exp } = files('123456789012', tag);
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config, '--journal-path', join(tmp, 'j.json')], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/injected: instances i-\w+, i-\w+, i-\w+ stopped \(us-east-1\)/);
    expect(r.stderr).toMatch(/undone: instances/);
    for (const s of await states(ids)) expect(['pending', 'running']).toContain(s);
  });

  it('an account not in chaos.allow.awsAccounts is exit 2 naming the key, and nothing stops', async () => {
    motoEnv();
    const tag = uniqueName('fleet');
    const ids = await runInstances(R, 1, { fleet: tag });
    const { config, exp } = files('999999999999', tag);
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config, '--journal-path', join(tmp, 'j2.json')], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/AWS account 123456789012 .* is not allowed/);
    expect(r.stderr).toMatch(/chaos: \{ allow: \{ awsAccounts: \["123456789012"\] \} \}/);
    expect(await states(ids)).toEqual(['running']);
  });
});
