/**
 * Colour of what the base command prints before its flags are parsed (a usage error, an init that fails, a
 * warning oclif emits from init), by docs/output.md: colour when stdout is a colour terminal, never with NO_COLOR,
 * forced by FORCE_COLOR=1, never under -o markdown. Before 2026-12-04 these lines were never coloured (the style
 * made before init was always plain), so FORCE_COLOR=1 did not force them, unlike every later error line.
 * FORCE_COLOR stands in for a colour terminal (the test's stdout is not one).
 */
import { Flags } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { ReliaCommand } from '../../../src/cli/base-command.js';
import { InputError } from '../../../src/core/errors.js';
import { runInProcess } from '../../helpers/in-process.js';

const RED = (s: string) => `\u001b[31m${s}\u001b[39m`;
const CYAN = (s: string) => `\u001b[36m${s}\u001b[39m`;
const YELLOW = (s: string) => `\u001b[33m${s}\u001b[39m`;
const COLOUR = { FORCE_COLOR: '1', NO_COLOR: undefined };

class Needs extends ReliaCommand<typeof Needs> {
  static override id = 'needs';
  static override flags = { mode: Flags.string({ required: true }) };

  async run(): Promise<{ ok: boolean }> {
    return { ok: true };
  }
}

class EarlyFail extends ReliaCommand<typeof EarlyFail> {
  static override id = 'early';

  override async init(): Promise<void> {
    throw new InputError('--target: no such cluster "prod-eu"', { suggestions: ['relia providers list'] });
  }

  async run(): Promise<void> {}
}

class Old extends ReliaCommand<typeof Old> {
  static override id = 'old';
  static override state = 'deprecated';

  async run(): Promise<{ ok: boolean }> {
    return { ok: true };
  }
}

describe('before the flags are parsed, colour follows docs/output.md', () => {
  it('a usage error (a required flag missing) on a colour terminal: the Error word red, exit 2', async () => {
    const r = await runInProcess(Needs, [], { env: COLOUR });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`${RED('Error')}: missing --mode\n${CYAN('Try this')}: see \`relia needs --help\`\n`);
  });

  it('an init that fails: Error red and Try this cyan; plain with NO_COLOR and under -o markdown', async () => {
    expect((await runInProcess(EarlyFail, [], { env: COLOUR })).stderr).toBe(`${RED('Error')}: --target: no such cluster "prod-eu"\n${CYAN('Try this')}: relia providers list\n`);
    const plain = 'Error: --target: no such cluster "prod-eu"\nTry this: relia providers list\n';
    expect((await runInProcess(EarlyFail, [], { env: { FORCE_COLOR: undefined, NO_COLOR: '1' } })).stderr).toBe(plain);
    expect((await runInProcess(EarlyFail, ['-o', 'markdown'], { env: COLOUR })).stderr).toBe(plain);
  });

  it('a warning oclif emits from init (a deprecated command): the warning word yellow', async () => {
    const r = await runInProcess(Old, [], { env: COLOUR });
    expect(r.stderr).toMatch(new RegExp(`^${YELLOW('warning').replaceAll('[', '\\[')}: The "old" command has been deprecated`));
  });
});
