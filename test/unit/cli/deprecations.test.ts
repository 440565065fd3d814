/**
 * Renamed flags keep their old spelling for one minor version (docs/flags.md):
 * the old spelling gives the same result as the new one, and each use prints
 * one warning line on stderr (also under --json, whose `warnings` list it).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import CapacityLittle from '../../../commands/capacity/little.js';
import CapacityQueue from '../../../commands/capacity/queue.js';
import CapacityUsl from '../../../commands/capacity/usl.js';
import RiskHistory from '../../../commands/risk/history.js';
import RiskScore from '../../../commands/risk/score.js';
import { DEPRECATED_SPELLINGS_REMOVED_IN, deprecatedUses, deprecationWarning, type AliasedFlag } from '../../../src/cli/deprecations.js';
import { runInProcess } from '../../helpers/in-process.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const REGISTER = resolve(ROOT, 'docs/examples/risk/register.yaml');
const INCIDENTS = resolve(ROOT, 'docs/examples/risk/incidents.csv');

interface Env {
  status: number;
  result?: unknown;
  warnings: string[];
}

const warningLines = (stderr: string) => stderr.split('\n').filter((l) => /^warning: .* is deprecated here/.test(l));

describe('deprecatedUses', () => {
  const flags: Record<string, AliasedFlag> = {
    source: { char: 's', aliases: ['keys'], deprecateAliases: true },
    'service-time': { charAliases: ['s'], deprecateAliases: true },
    years: { aliases: ['runs'] },
    predict: { charAliases: ['p'], deprecateAliases: true },
  };

  it('finds --old, --old=value, -x and -xVALUE, each once, in order of first use', () => {
    expect(deprecatedUses(['--keys', 'a.txt', '-s', '1s', '--keys=b.txt', '-p64'], flags)).toEqual([
      { used: '--keys', preferred: '--source (-s)' },
      { used: '-s', preferred: '--service-time' },
      { used: '-p', preferred: '--predict' },
    ]);
  });

  it('ignores current names, aliases that are not deprecated, values, and everything after --', () => {
    expect(deprecatedUses(['--source', 'k', '--runs', '5', '--service-time', '1s', '--', '--keys', '-s'], flags)).toEqual([]);
    expect(deprecatedUses(['--rate', '-5'], flags)).toEqual([]);
  });

  it('words the warning as one line naming the new spelling and the version that drops the old one', () => {
    const line = deprecationWarning({ used: '--keys', preferred: '--source (-s)' });
    expect(line).toBe(`--keys is deprecated here: use --source (-s); the old spelling stops working in relia ${DEPRECATED_SPELLINGS_REMOVED_IN} (docs/flags.md)`);
    expect(line).not.toContain('\n');
  });
});

describe('old spellings still work, with a warning', () => {
  it('capacity little --duration is --time-in-system', async () => {
    const old = await runInProcess(CapacityLittle, ['--arrival-rate', '7500/s', '--duration', '180s', '--json']);
    const now = await runInProcess(CapacityLittle, ['--arrival-rate', '7500/s', '--time-in-system', '180s', '--json']);
    expect(old.exitCode).toBe(0);
    expect(old.json<Env>().result).toEqual(now.json<Env>().result);
    expect(now.json<Env>().warnings).toEqual([]);
    expect(old.json<Env>().warnings).toEqual([expect.stringMatching(/^--duration is deprecated here: use --time-in-system \(-W\)/)]);
    // under --json too, the line is on stderr (stdout holds only the document)
    expect(warningLines(old.stderr)).toHaveLength(1);
    expect(warningLines(now.stderr)).toEqual([]);
  });

  it('capacity queue -r -s -c are --arrival-rate --service-time --servers (the chars now mean --register, --source, --capacity)', async () => {
    const old = await runInProcess(CapacityQueue, ['-r', '100/30m', '-s', '180s', '-c', '11']);
    const now = await runInProcess(CapacityQueue, ['--arrival-rate', '100/30m', '--service-time', '180s', '--servers', '11']);
    expect(old.exitCode).toBe(0);
    expect(old.stdout).toBe(now.stdout);
    expect(warningLines(old.stderr).map((l) => l.split(' ')[1])).toEqual(['-r', '-s', '-c']);
  });

  it('capacity usl -p and -i are --predict and --input', async () => {
    const csv = resolve(ROOT, 'docs/examples/capacity/usl-codahale.csv');
    const old = await runInProcess(CapacityUsl, ['-i', csv, '-p', '64', '--json', '--no-plot']);
    const now = await runInProcess(CapacityUsl, ['--input', csv, '--predict', '64', '--json', '--no-plot']);
    expect(old.exitCode).toBe(0);
    expect(old.json<Env>().result).toEqual(now.json<Env>().result);
    expect(old.json<Env>().warnings).toHaveLength(2);
  });

  it('risk score --slo and --method are --objective and --scoring; risk history --as-of is --at', async () => {
    const old = await runInProcess(RiskScore, ['-r', REGISTER, '--slo', '99.9', '--method', 'rpn', '--json']);
    const now = await runInProcess(RiskScore, ['-r', REGISTER, '--objective', '99.9', '--scoring', 'rpn', '--json']);
    expect(old.exitCode).toBe(0);
    expect(old.json<Env>().result).toEqual(now.json<Env>().result);
    expect(old.json<Env>().warnings.filter((w) => w.includes('deprecated'))).toEqual([
      expect.stringMatching(/^--slo is deprecated here: use --objective;/),
      expect.stringMatching(/^--method is deprecated here: use --scoring;/),
    ]);
    const hOld = await runInProcess(RiskHistory, ['-i', INCIDENTS, '--as-of=2026-11-01T00:00:00Z', '--json']);
    const hNow = await runInProcess(RiskHistory, ['-i', INCIDENTS, '--at', '2026-11-01T00:00:00Z', '--json']);
    expect(hOld.json<Env>().result).toEqual(hNow.json<Env>().result);
    expect(warningLines(hOld.stderr)).toEqual([expect.stringContaining('--as-of is deprecated here: use --at')]);
  });
});
