/**
 * What base-command.ts and lifecycle.ts build when they load: the system clock
 * (`systemClock`), the global flags every command's `--help` lists
 * (docs/flags.md "Global flags"), and the Lifecycle's default log line (to
 * console.error, so an ink progress bar prints it above itself).
 *
 * Each test loads the modules afresh (vi.resetModules + import inside the
 * test), and this file imports neither statically: StrykerJS activates a
 * mutant only once a test runs, so a mutant in load-time code is in force
 * only when the module is evaluated inside a test (docs/testing.md
 * "Mutation testing"). Fake timers; no real sleeps.
 */
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { dirname, resolve } from 'node:path';
import { Config, loadHelpClass, type Command } from '@oclif/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

async function fresh() {
  vi.resetModules();
  const base = await import('../../../src/cli/base-command.js');
  const { Lifecycle } = await import('../../../src/cli/lifecycle.js');
  return { ...base, Lifecycle };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('systemClock (loaded afresh)', () => {
  it('now() is the wall clock in epoch milliseconds', async () => {
    const { systemClock } = await fresh();
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('sleep(ms) resolves after ms, not before, and rejects with the reason when aborted', async () => {
    const { systemClock } = await fresh();
    vi.useFakeTimers();
    let done = false;
    const p = systemClock.sleep(1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
    const ctl = new AbortController();
    const reason = new Error('stop');
    const aborted = systemClock.sleep(60_000, ctl.signal);
    ctl.abort(reason);
    await expect(aborted).rejects.toBe(reason);
  });
});

describe('global flags in --help (loaded afresh)', () => {
  /** `relia probe --help` as oclif renders it, ANSI stripped, lines not wrapped. */
  async function help(): Promise<string> {
    const { ReliaCommand } = await fresh();
    class Probe extends ReliaCommand<typeof Probe> {
      static override id = 'probe';
      async run(): Promise<void> {}
    }
    const config = await Config.load({ root: ROOT });
    // oclif's own cached form of a command class (what its manifest and `relia help` use)
    const require = createRequire(import.meta.url);
    const { cacheCommand } = require(resolve(dirname(require.resolve('@oclif/core')), 'util/cache-command.js')) as {
      cacheCommand(cmd: Command.Class): Promise<Command.Cached>;
    };
    const Help = await loadHelpClass(config);
    const renderer = new Help(config, { stripAnsi: true, maxWidth: 1000 }) as unknown as { formatCommand(cmd: Command.Cached): string };
    return renderer.formatCommand(await cacheCommand(Probe as unknown as Command.Class));
  }

  it('every command lists --config, --env, --json, -o/--output (with its formats), --verbose and --wide under GLOBAL FLAGS, each described', async () => {
    const text = await help();
    const sections = text.split(/\n\n(?=[A-Z ]+\n)/);
    expect(sections.map((s) => s.split('\n')[0])).toEqual(['USAGE', 'GLOBAL FLAGS']);
    // one row per flag: a line that does not start with a flag continues the one above
    const rows: string[] = [];
    for (const line of (sections[1] as string).split('\n').slice(1)) {
      if (line.trimStart().startsWith('-')) rows.push(line);
      else rows.push(`${rows.pop() ?? ''} ${line.trim()}`);
    }
    const flag = (spelling: string) => {
      const row = rows.find((r) => r.trimStart().startsWith(spelling));
      expect(row, spelling).toBeDefined();
      return (row as string).trimStart().slice(spelling.length).trim();
    };
    expect(rows.map((r) => /--[a-z]+/.exec(r)?.[0])).toEqual(['--output', '--config', '--env', '--json', '--verbose', '--wide']);
    expect(flag('-o, --output=<option>')).toMatch(/^Output format: table .*, wide .*, json .*, yaml .*, markdown .* <options: table\|wide\|json\|yaml\|markdown>$/);
    expect(flag('--config=<value>')).toMatch(/^Config file \(default: relia\.config\.yaml or \.reliarc\.\* found upward from the current directory\)\.$/);
    expect(flag('--env=<value>')).toMatch(/^Named environment from the config file/);
    expect(flag('--verbose')).toBe('Log requests and decisions to stderr (secrets redacted).');
    expect(flag('--wide')).toBe('Show every table column whatever the terminal width (same as -o wide).');
  });
});

describe('Lifecycle (loaded afresh)', () => {
  it('without a log option, its lines go to console.error', async () => {
    const { Lifecycle } = await fresh();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const emitter = new EventEmitter();
    const lc = new Lifecycle({ emitter, exit: () => undefined });
    lc.install();
    emitter.emit('SIGTERM');
    lc.dispose();
    expect(error.mock.calls).toEqual([['relia: SIGTERM received; stopping and cleaning up (send again to force)']]);
  });
});
