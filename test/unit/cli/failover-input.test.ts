/**
 * `relia failover` bad input, in-process: every flag and the plan are checked
 * before any provider is built or asked, so a bad flag is exit 2 naming it
 * (and a fix) even when a provider is missing too. The config has no metrics
 * source and AWS points at a dead port: had anything been built or asked
 * first, the error would name the metrics source or be exit 3 instead.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import FailoverApply from '../../../commands/failover/apply.js';
import FailoverPlan from '../../../commands/failover/plan.js';
import FailoverResume from '../../../commands/failover/resume.js';
import FailoverRollback from '../../../commands/failover/rollback.js';
import { runInProcess } from '../../helpers/in-process.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'relia-failover-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = join(dir, 'relia.config.yaml');
writeFileSync(config, 'version: 1\ndefaultEnvironment: bare\nenvironments:\n  bare: {}\n');
const plan = join(dir, 'plan.yaml');
writeFileSync(
  plan,
  `name: input-check
dns: { zone: example.com., record: api.example.com. }
regions:
  us-east-1: { setIdentifier: us-east-1, capacity: [{ asg: api-use1 }] }
  eu-west-1: { setIdentifier: eu-west-1, capacity: [{ asg: api-euw1 }], slos: [${join(ROOT, 'docs/examples/slo/services/search.yaml')}] }
steps: [50, 100]
`,
);
const journal = join(dir, 'journal.json');
// Nothing listens on port 9 of loopback (discard): a call would be a connection error, exit 3.
const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_MAX_ATTEMPTS: '1' };

interface ErrorEnvelope {
  status: number;
  error: { name: string; message: string; field?: string; suggestions: string[] };
}

async function bad(Cmd: Parameters<typeof runInProcess>[0], argv: string[]): Promise<ErrorEnvelope['error']> {
  const r = await runInProcess(Cmd, [...argv, '--config', config, '--json'], { env });
  expect(r.exitCode, r.stdout + r.stderr).toBe(2);
  expect(existsSync(journal)).toBe(false);
  return r.json<ErrorEnvelope>().error;
}

const direction = (from: string, to: string) => ['--plan', plan, '--from', from, '--to', to, '--journal', journal];

describe('failover apply: flags are checked before any provider (exit 2, nothing changed)', () => {
  it('steps that do not increase: --steps 50,40 names --steps[1] and the fix, not the missing metrics source', async () => {
    for (const yes of [[], ['--yes']]) {
      const e = await bad(FailoverApply, [...direction('us-east-1', 'eu-west-1'), '--steps', '50,40', ...yes]);
      expect(e).toMatchObject({ name: 'InputError', field: '--steps[1]' });
      expect(e.message).toMatch(/steps must increase: 40 follows 50/);
      expect(e.message).not.toMatch(/metrics/);
      expect(e.suggestions.join('\n')).toMatch(/increasing percentages ending at 100/);
    }
  });

  it('steps that do not end at 100: --steps 25,50', async () => {
    const e = await bad(FailoverApply, [...direction('us-east-1', 'eu-west-1'), '--steps', '25,50', '--yes']);
    expect(e).toMatchObject({ field: '--steps' });
    expect(e.message).toMatch(/the last step must be 100, got 50/);
    expect(e.suggestions.join('\n')).toMatch(/end the steps at 100/);
  });

  it('steps that are not percentages: --steps 50,abc', async () => {
    const e = await bad(FailoverApply, [...direction('us-east-1', 'eu-west-1'), '--steps', '50,abc', '--yes']);
    expect(e).toMatchObject({ field: '--steps' });
    expect(e.suggestions).toContain('--steps 25,50,100');
  });

  it('--from equal to --to', async () => {
    const e = await bad(FailoverApply, [...direction('eu-west-1', 'eu-west-1'), '--yes']);
    expect(e).toMatchObject({ field: '--to' });
    expect(e.message).toMatch(/--from and --to are both eu-west-1/);
  });

  it('an unknown region names the flag and lists the plan’s regions', async () => {
    const e = await bad(FailoverApply, [...direction('us-east-1', 'ap-south-1'), '--yes']);
    expect(e).toMatchObject({ field: '--to' });
    expect(e.message).toMatch(/--to ap-south-1: not a region of plan input-check/);
    expect(e.suggestions).toContain('use one of: us-east-1, eu-west-1');
  });

  it('a bad --bake or --slo-at', async () => {
    expect(await bad(FailoverApply, [...direction('us-east-1', 'eu-west-1'), '--bake', 'soon', '--yes'])).toMatchObject({ field: '--bake' });
    expect(await bad(FailoverApply, [...direction('us-east-1', 'eu-west-1'), '--slo-at', 'yesterday', '--yes'])).toMatchObject({ field: '--slo-at' });
  });

  it('a malformed plan names the file and the field', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'name: broken\ndns: { zone: example.com. }\nregions: { us-east-1: { setIdentifier: a }, eu-west-1: { setIdentifier: b } }\nsteps: [50, 30]\n');
    const e = await bad(FailoverApply, ['--plan', broken, '--from', 'us-east-1', '--to', 'eu-west-1', '--journal', journal, '--yes']);
    expect(e.message).toContain(broken);
    expect(e.message).toMatch(/dns\.record/);
  });
});

describe('failover plan, resume and rollback check their flags first too', () => {
  it('plan --steps 50,40', async () => {
    expect(await bad(FailoverPlan, ['--plan', plan, '--from', 'us-east-1', '--to', 'eu-west-1', '--steps', '50,40'])).toMatchObject({ field: '--steps[1]' });
  });

  it('resume and rollback: a bad --bake is named before the journal is looked for', async () => {
    for (const Cmd of [FailoverResume, FailoverRollback]) {
      const e = await bad(Cmd, ['--journal', journal, '--bake', '5 minutes', '--yes']);
      expect(e).toMatchObject({ field: '--bake' });
    }
  });
});
