/**
 * Help and version as a newcomer meets them: -h is --help, `relia version` is
 * --version, each command's summary is printed once, and every topic is listed
 * once (plugins is a command, not also a topic).
 */
import { describe, expect, it } from 'vitest';
import type { VersionResult } from '../../commands/version.js';
import { relia, reliaJson } from '../helpers/relia.js';

describe('help', () => {
  it('-h is --help, at the root and on a command', async () => {
    const long = await relia(['budget', 'check', '--help']);
    const short = await relia(['budget', 'check', '-h']);
    expect(short.exitCode).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    const root = await relia(['-h']);
    expect(root.exitCode).toBe(0);
    expect(root.stdout).toContain('TOPICS');
  });

  it("prints a command's summary once", async () => {
    const r = await relia(['budget', 'check', '--help']);
    const summary = 'The deploy gate: exit 0 when every SLO passes the error-budget policy, 1 when any blocks.';
    expect(r.stdout.replace(/\s+/g, ' ').split(summary).length - 1).toBe(1);
  });

  it('lists plugins under COMMANDS only, and no topic twice', async () => {
    const r = await relia(['--help']);
    const topics = r.stdout.slice(r.stdout.indexOf('TOPICS'), r.stdout.indexOf('COMMANDS'));
    const commands = r.stdout.slice(r.stdout.indexOf('COMMANDS'));
    expect(topics).not.toMatch(/^\s+plugins\s/m);
    expect(commands).toMatch(/^\s+plugins\s/m);
    const names = topics.split('\n').map((l) => /^ {2}(\S+)/.exec(l)?.[1]).filter(Boolean);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('version', () => {
  it('`relia version` and -v print what --version prints; --json gives the parts', async () => {
    const flag = await relia(['--version']);
    expect((await relia(['version'])).stdout).toBe(flag.stdout);
    expect((await relia(['-v'])).stdout).toBe(flag.stdout);
    const j = await reliaJson<VersionResult>(['version']);
    expect(j.exitCode).toBe(0);
    expect(flag.stdout.trim()).toBe(j.json.result?.userAgent);
    expect(j.json.result?.node).toBe(process.versions.node);
  });
});
