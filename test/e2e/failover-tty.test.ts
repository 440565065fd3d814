/**
 * Approvals of `relia failover apply` on a real TTY (tmux): without --yes it
 * asks before it starts and before each step, every question defaulting to
 * no. A no stops the operation with the weights of the last completed step
 * (exit 1, the journal says where); yes goes on. Off a TTY it never asks:
 * without --yes it is a dry run. The BUILT CLI, Route 53 on moto.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/core/failover/journal.js';
import { readWeights, weightedZone } from '../helpers/failover.js';
import { motoCliEnv, motoEnv, uniqueName } from '../helpers/moto.js';
import { relia, ROOT } from '../helpers/relia.js';
import { HAS_TMUX, reliaOnTty, until, type TtySession } from '../helpers/tty.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-failover-tty-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let env: Record<string, string>;
beforeAll(() => {
  motoEnv();
  env = motoCliEnv({ XDG_CONFIG_HOME: join(tmp, 'config') });
});

interface Setup {
  zoneId: string;
  record: string;
  args: string[];
  journal: string;
}

async function setup(): Promise<Setup> {
  const tag = uniqueName('fot');
  const { zoneId, zoneName, record } = await weightedZone(tag, [100, 0]);
  const plan = join(tmp, `${tag}.yaml`);
  writeFileSync(plan, `name: ${tag}\ndns: { zone: ${zoneName}, record: ${record} }\nregions:\n  us-east-1: { setIdentifier: us-east-1 }\n  eu-west-1: { setIdentifier: eu-west-1 }\nsteps: [50, 100]\nbake: 0s\n`);
  const journal = join(tmp, `${tag}.journal.json`);
  return { zoneId, record, journal, args: ['failover', 'apply', '--plan', plan, '--from', 'us-east-1', '--to', 'eu-west-1', '--journal', journal] };
}

const weights = (s: Setup) => readWeights(s.zoneId, s.record);
const journalOf = (s: Setup) => JSON.parse(readFileSync(s.journal, 'utf8')) as Journal;
const START = 'start the graceful failover us-east-1 → eu-west-1 now?';
const STEP1 = 'step 1/2: move to 50% (us-east-1=50 eu-west-1=50)?';
const STEP2 = 'step 2/2: move to 100% (us-east-1=0 eu-west-1=100)?';

/** Wait for `question` on the screen, then answer it: 'y' or the default (Enter). */
async function answer(t: TtySession, question: string, yes: boolean): Promise<void> {
  await until(async () => (await t.screen()).includes(question), `the question "${question}"`, 60_000);
  if (yes) await t.keys('y');
  await t.keys('Enter');
  await until(async () => !(await t.screen()).includes(`${question} (y/N)`), `"${question}" answered`, 60_000);
}

describe.runIf(HAS_TMUX)('failover apply on a TTY asks before each step (default no)', () => {
  it('no at step 2 stops at step 1: exit 1, weights 50/50, the journal says where and how to go on', { timeout: 120_000 }, async () => {
    const s = await setup();
    const t = await reliaOnTty(s.args, ROOT, { env });
    try {
      await answer(t, START, true);
      await answer(t, STEP1, true);
      await until(async () => (await weights(s))['eu-west-1'] === 50, 'step 1 applied', 60_000);
      await answer(t, STEP2, false);
      const { exitCode, screen } = await t.exit();
      expect(exitCode, screen).toBe(1);
      expect(screen).toMatch(/step 2 was declined at the prompt/);
      expect(screen).toMatch(/relia failover resume to continue, or relia failover rollback/);
    } finally {
      await t.kill();
    }
    expect(await weights(s)).toEqual({ 'us-east-1': 50, 'eu-west-1': 50 });
    expect(journalOf(s)).toMatchObject({ status: 'interrupted', position: 0 });
    expect(journalOf(s).steps.map((x) => x.state)).toEqual(['baked', 'pending']);
  });

  it('no at step 1: exit 1 and the weights unchanged', { timeout: 120_000 }, async () => {
    const s = await setup();
    const t = await reliaOnTty(s.args, ROOT, { env });
    try {
      await answer(t, START, true);
      await answer(t, STEP1, false);
      const { exitCode, screen } = await t.exit();
      expect(exitCode, screen).toBe(1);
      expect(screen).toMatch(/step 1 was declined at the prompt/);
    } finally {
      await t.kill();
    }
    expect(await weights(s)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
    expect(journalOf(s)).toMatchObject({ status: 'interrupted', position: -1 });
  });

  it('no (the default) at the start: a dry run, exit 0, no journal and nothing changed', { timeout: 120_000 }, async () => {
    const s = await setup();
    const t = await reliaOnTty(s.args, ROOT, { env });
    try {
      await answer(t, START, false);
      const { exitCode, screen } = await t.exit();
      expect(exitCode, screen).toBe(0);
      expect(screen).toMatch(/dry run: nothing was changed; pass --yes to act/);
    } finally {
      await t.kill();
    }
    expect(await weights(s)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });
    expect(() => readFileSync(s.journal)).toThrow(/ENOENT/);
  });

  it('yes to each step: completed, 0/100', { timeout: 120_000 }, async () => {
    const s = await setup();
    const t = await reliaOnTty(s.args, ROOT, { env });
    try {
      await answer(t, START, true);
      await answer(t, STEP1, true);
      await answer(t, STEP2, true);
      const { exitCode, screen } = await t.exit();
      expect(exitCode, screen).toBe(0);
    } finally {
      await t.kill();
    }
    expect(await weights(s)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    expect(journalOf(s).status).toBe('completed');
  });
});

describe('off a TTY failover never asks', () => {
  it('apply, resume and rollback without --yes are dry runs: exit 0 at once, nothing changed', { timeout: 90_000 }, async () => {
    const s = await setup();
    // No TTY and CI unset: only the missing terminal keeps it from asking (stdin is closed, so a prompt would fail).
    const offTty = { ...env, CI: undefined };
    const a = await relia(s.args, { env: offTty });
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/dry run: nothing was changed; pass --yes to act/);
    expect(a.stdout).not.toMatch(/\(y\/N\)/);
    expect(await weights(s)).toEqual({ 'us-east-1': 100, 'eu-west-1': 0 });

    // A completed operation, to try resume and rollback on.
    const done = await relia([...s.args, '--yes'], { env: offTty });
    expect(done.exitCode, done.stderr).toBe(0);
    for (const verb of ['resume', 'rollback']) {
      const r = await relia(['failover', verb, '--journal', s.journal], { env: offTty });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`dry run: nothing was changed; pass --yes to ${verb === 'resume' ? 'resume' : 'roll back'}`));
    }
    expect(await weights(s)).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
  });
});
