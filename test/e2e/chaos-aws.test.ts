/**
 * `chaos run` on moto through the BUILT CLI and the real aws plugin: EC2
 * instances stopped by tag are started again after the run; an account not
 * in chaos.allow.awsAccounts is exit 2 and nothing stops; chaostoolkit's
 * `terminate_random_instances` finds its group by tags; an instance
 * terminated in a group with decrementDesired has the desired capacity
 * restored; suspended scaling processes are resumed (only those the run
 * suspended).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SuspendProcessesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, describe, expect, it } from 'vitest';
import { createGroup, motoEnv, motoUrl, runInstances, uniqueName } from '../helpers/moto.js';
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

describe('chaos run on moto', { timeout: 90_000 }, () => {
  it('EC2 instances stopped by tag are started again after the run', async () => {
    motoEnv();
    const tag = uniqueName('fleet');
    const ids = (await runInstances(R, 3, { fleet: tag })).sort();
    const { config, exp } = files('123456789012', tag);
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config, '--journal', join(tmp, 'j.json')], { env });
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
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config, '--journal', join(tmp, 'j2.json')], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/AWS account 123456789012 .* is not allowed/);
    expect(r.stderr).toMatch(/chaos: \{ allow: \{ awsAccounts: \["123456789012"\] \} \}/);
    expect(await states(ids)).toEqual(['running']);
  });
});

async function group(name: string): Promise<{ desired: number; instances: string[]; suspended: string[] }> {
  const asg = new AutoScalingClient({ region: R, endpoint: motoUrl() });
  try {
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
    return {
      desired: g?.DesiredCapacity ?? -1,
      instances: (g?.Instances ?? []).map((i) => i.InstanceId as string).sort(),
      suspended: (g?.SuspendedProcesses ?? []).map((p) => p.ProcessName as string).sort(),
    };
  } finally {
    asg.destroy();
  }
}

describe('chaos run on moto: Auto Scaling', { timeout: 120_000 }, () => {
  it('a chaostoolkit terminate_random_instances with tags finds the group by every tag and terminates one of its instances', async () => {
    motoEnv();
    const team = uniqueName('team');
    const target = uniqueName('asg');
    const sibling = uniqueName('asg');
    await createGroup(R, target, { min: 1, max: 5, desired: 3 }, { team, env: 'staging' });
    await createGroup(R, sibling, { min: 1, max: 5, desired: 2 }, { team, env: 'prod' });
    const before = await group(target);
    const siblingBefore = await group(sibling);
    const { config } = files('123456789012', team);
    const exp = join(tmp, 'ctk-asg-tags.json');
    writeFileSync(exp, JSON.stringify({
      version: '1.0.0',
      title: 'terminate one instance of the staging web group',
      description: 'chaosaws finds the group by its tags',
      configuration: { aws_region: R },
      method: [{ type: 'action', name: 'terminate one', provider: { type: 'python', module: 'chaosaws.asg.actions', func: 'terminate_random_instances', arguments: { tags: [{ Key: 'team', Value: team }, { Key: 'env', Value: 'staging' }], instance_count: 1 } } }],
    }));
    const journalPath = join(tmp, 'ctk-asg-journal.json');
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config, '--journal', journalPath], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { status: string; run: Array<{ status: string; output: { terminated: Array<{ instance: string; group: string }> } }> };
    expect(journal.status).toBe('completed');
    const terminated = journal.run[0]!.output.terminated;
    expect(terminated).toHaveLength(1);
    expect(terminated[0]!.group).toBe(target);
    expect(before.instances).toContain(terminated[0]!.instance);
    const after = await group(target);
    expect(after.instances).not.toContain(terminated[0]!.instance);
    expect(after.desired).toBe(3);
    expect(await states([terminated[0]!.instance])).toEqual([expect.stringMatching(/shutting-down|terminated/)]);
    expect(await group(sibling)).toEqual(siblingBefore);
  });

  it('terminate in a group with decrementDesired: desired capacity is lowered, then restored after the run', async () => {
    motoEnv();
    const name = uniqueName('asg');
    await createGroup(R, name, { min: 1, max: 5, desired: 3 });
    const before = await group(name);
    const { config } = files('123456789012', name);
    const exp = join(tmp, 'asg-decrement.yaml');
    writeFileSync(exp, `title: lose one for good\nmethod:\n  - name: terminate one\n    action: aws.asg-terminate\n    args: { region: ${R}, asgNames: ["${name}"], decrementDesired: true, seed: 4 }\n`);
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config, '--journal', join(tmp, 'asg-dec.json')], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`injected: group ${name}: instance i-\\w+ terminated, desired capacity lowered`));
    expect(r.stderr).toMatch(new RegExp(`undone: group ${name}`));
    const after = await group(name);
    expect(after.desired).toBe(3);
    expect(after.instances.filter((i) => before.instances.includes(i))).toHaveLength(2);
  });

  it('suspend scaling processes: the run resumes those it suspended and leaves one suspended before it', async () => {
    motoEnv();
    const name = uniqueName('asg');
    await createGroup(R, name, { min: 0, max: 2, desired: 0 });
    const asg = new AutoScalingClient({ region: R, endpoint: motoUrl() });
    await asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: ['AZRebalance'] }));
    asg.destroy();
    const { config } = files('123456789012', name);
    const exp = join(tmp, 'asg-suspend.yaml');
    writeFileSync(exp, `title: no launches\nmethod:\n  - name: suspend\n    action: aws.asg-suspend\n    args: { region: ${R}, asgName: "${name}", processes: [Launch, Terminate, AZRebalance] }\n`);
    const journalPath = join(tmp, 'asg-suspend.json');
    const r = await relia(['chaos', 'run', exp, '--yes', '--config', config, '--journal', journalPath], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { run: Array<{ output: { group: string; suspended: string[] } }> };
    // What moto reported as newly suspended, read back by the action after SuspendProcesses.
    expect(journal.run[0]!.output).toEqual({ group: name, suspended: ['Launch', 'Terminate'] });
    expect(r.stderr).toMatch(new RegExp(`undone: group ${name}: processes Launch, Terminate suspended`));
    expect((await group(name)).suspended).toEqual(['AZRebalance']);
  });
});
