/**
 * The base command's edges, in-process: the warning for secrets too short to
 * redact (the 3-character boundary, one and several), a failure without
 * suggestions, colour on a colour terminal, warnings oclif emits before the
 * command's style exists (a deprecated command), `-o json` on a command that
 * has no JSON output, YAML lines never folded, several failed cleanups one
 * per line, an init that fails before the lifecycle exists, oclif errors whose
 * exit code says nothing (docs/exit-codes.md: usage errors are exit 2), and
 * the oclif hooks used outside a run (toErrorJson, verbose), a base flag's
 * deprecated alias, and the one --json document of a run that returns
 * nothing (docs/output.md), the providers registry built once per command,
 * and CLI glue's verbose line through the command context. Found by mutation
 * testing of src/cli (docs/testing.md#mutation-testing).
 */
import { EventEmitter } from 'node:events';
import { Errors, Flags, Parser } from '@oclif/core';
import { describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ReliaCommand, toReliaError, type Envelope } from '../../../src/cli/base-command.js';
import { Lifecycle } from '../../../src/cli/lifecycle.js';
import { ExitCode, InputError } from '../../../src/core/errors.js';
import { reliaConfig, runInProcess } from '../../helpers/in-process.js';

/** A report sentence longer than YAML's default 80-column fold. */
const LONG = 'the gate blocked the deploy because the 30d error budget of checkout-api is exhausted (burn rate 14.4 over 1h and 6 over 6h)';

class Edge extends ReliaCommand<typeof Edge> {
  static override id = 'edge';
  static override flags = { mode: Flags.string({ required: true }) };
  static override examples = ['<%= config.bin %> edge --mode long'];

  async run(): Promise<unknown> {
    switch (this.flags.mode) {
      case 'short-secrets':
        // '' is no secret at all; 'ab' and 'cd' are too short; 'xyz' (exactly 3) is redacted
        this.redactValues(['', 'ab', 'cd', 'xyz']);
        this.warn('sent xyz with ab');
        return { ok: true };
      case 'check-failed':
        this.checkFailed('budget exhausted');
        return { verdict: 'block' };
      case 'fail-3':
        this.failWithResult(3, 'MetricsDataError', 'no data for errors_ratio');
        return { verdict: 'invalid' };
      case 'long':
        return { reason: LONG };
      case 'cleanups-fail':
        this.lifecycle.defer('release lock', () => {
          throw new Error('connection closed');
        });
        this.lifecycle.defer('restore TTLs', () => {
          throw new Error('READONLY');
        });
        return { ok: true };
      case 'providers-twice':
        // the hooks run once per command: a second call hands back the same registry
        return { same: (await this.providers()) === (await this.providers()) };
      case 'context-verbose':
        // CLI glue logs through the command's context, redacted and only under --verbose like verbose() itself
        this.redactValues(['s3cret-token']);
        this.context().verbose('GET /api/v1/query with s3cret-token');
        return { ok: true };
      default:
        throw new Error('unknown mode');
    }
  }
}

describe('redactValues: secrets too short to redact', () => {
  it('several are counted (plural), an empty value is no secret, and a 3-character one is redacted, not warned about', async () => {
    const warning = '2 secret values are shorter than 3 characters and cannot be redacted from output or the journal; use the real credential';
    const r = await runInProcess(Edge, ['--mode', 'short-secrets', '--json']);
    expect(r.json<Envelope<unknown>>().warnings).toEqual([warning, 'sent *** with ab']);
  });
});

describe('failures without suggestions, and colour', () => {
  it('checkFailed and failWithResult without suggestions: the envelope lists none, stderr has no Try this line', async () => {
    const c = await runInProcess(Edge, ['--mode', 'check-failed', '--json']);
    expect(c.json()).toEqual({ status: 1, result: { verdict: 'block' }, warnings: [], error: { name: 'CheckFailed', message: 'budget exhausted', suggestions: [] } });
    const f = await runInProcess(Edge, ['--mode', 'fail-3', '--json']);
    expect(f.json<Envelope<unknown>>().error).toEqual({ name: 'MetricsDataError', message: 'no data for errors_ratio', suggestions: [] });
    const h = await runInProcess(Edge, ['--mode', 'fail-3']);
    expect([h.exitCode, h.stderr]).toEqual([3, 'Error: no data for errors_ratio\n']);
  });

  it('on a colour terminal (FORCE_COLOR=1, docs/output.md) the Error word of a failWithResult is red', async () => {
    const r = await runInProcess(Edge, ['--mode', 'fail-3'], { env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
    expect(r.stderr).toBe('\u001b[31mError\u001b[39m: no data for errors_ratio\n');
  });
});

/** A deprecated command: oclif warns from its init, before relia has made the command's style. */
class Old extends ReliaCommand<typeof Old> {
  static override id = 'old';
  static override state = 'deprecated';

  async run(): Promise<{ ok: boolean }> {
    return { ok: true };
  }
}

describe('warnings oclif emits during init', () => {
  it('a deprecated command warns with a plain "warning:" line (human), in the envelope and not on stderr (--json)', async () => {
    const h = await runInProcess(Old, []);
    expect(h.exitCode).toBe(0);
    expect(h.stderr).toMatch(/^warning: The "old" command has been deprecated[^\n]*\n$/);
    const j = await runInProcess(Old, ['--json']);
    expect(j.stderr).toBe('');
    expect(j.json<Envelope<unknown>>().warnings).toEqual([h.stderr.slice('warning: '.length, -1)]);
  });
});

/** A command that opted out of JSON output (oclif's enableJsonFlag = false). */
class NoJson extends ReliaCommand<typeof NoJson> {
  static override id = 'nojson';
  static override enableJsonFlag = false;

  async run(): Promise<{ ok: boolean }> {
    this.log('human report');
    return { ok: true };
  }
}

describe('-o json is --json', () => {
  it('on a command without --json, -o json and -o yaml print the human report, never a document', async () => {
    for (const format of ['json', 'yaml']) {
      const r = await runInProcess(NoJson, ['-o', format]);
      expect([r.exitCode, r.stdout], format).toEqual([0, 'human report\n']);
    }
  });
});

describe('-o yaml', () => {
  it('never folds a long string: the reason stays on one line, as in the JSON document', async () => {
    const r = await runInProcess(Edge, ['--mode', 'long', '-o', 'yaml']);
    expect(r.stdout.split('\n')).toContain(`  reason: ${LONG}`);
    expect(parseYaml(r.stdout)).toEqual({ status: 0, result: { reason: LONG }, warnings: [] });
  });
});

describe('cleanup failures', () => {
  it('every failed cleanup is on its own indented line, last registered first', async () => {
    const r = await runInProcess(Edge, ['--mode', 'cleanups-fail', '--json']);
    expect(r.exitCode).toBe(ExitCode.CleanupFailed);
    expect(r.json<Envelope<unknown>>().error?.message).toBe('cleanup failed, manual action is needed:\n  restore TTLs: READONLY\n  release lock: connection closed');
  });
});

/** Its init fails before the base command's init ran: no lifecycle, no style, no flags yet. */
class EarlyFail extends ReliaCommand<typeof EarlyFail> {
  static override id = 'early';

  override async init(): Promise<void> {
    throw new InputError('--target: no such cluster "prod-eu"', { suggestions: ['relia providers list'] });
  }

  async run(): Promise<void> {}
}

describe('an init that fails before the lifecycle exists', () => {
  it('reports its own error and exit code: there was nothing to clean up', async () => {
    const h = await runInProcess(EarlyFail, []);
    expect([h.exitCode, h.stderr]).toEqual([2, 'Error: --target: no such cluster "prod-eu"\nTry this: relia providers list\n']);
    const j = await runInProcess(EarlyFail, ['--json']);
    expect(j.json()).toEqual({ status: 2, error: { name: 'InputError', message: '--target: no such cluster "prod-eu"', suggestions: ['relia providers list'] }, warnings: [] });
  });
});

describe('toReliaError: oclif errors whose exit code does not say usage', () => {
  it('a parse error is a usage error (exit 2) whatever exit oclif gave it (a project can renumber them in oclif.exitCodes)', async () => {
    const err = (await Parser.parse(['--nope'], { flags: {}, args: {}, strict: true }).catch((e: unknown) => e)) as Errors.CLIError;
    expect(err).toBeInstanceOf(Errors.CLIError);
    (err.oclif as { exit?: number }).exit = 7;
    const e = toReliaError(err, 'budget:check', null);
    expect(e).toBeInstanceOf(InputError);
    expect([e.exitCode, e.message, e.suggestions]).toEqual([ExitCode.Usage, 'Nonexistent flag: --nope', ['see `relia budget check --help`']]);
  });

  it('an oclif error that carries no exit code is a usage error (exit 2), never an exit code of undefined', () => {
    const err = new Errors.CLIError('Flag --window expects a value');
    delete (err.oclif as { exit?: number }).exit;
    const e = toReliaError(err, 'budget:status', null);
    expect([e.name, e.exitCode, e.message]).toEqual(['InputError', ExitCode.Usage, 'Flag --window expects a value']);
  });
});

describe('oclif hooks called outside a run', () => {
  type Hooks = { toErrorJson(err: unknown): Envelope<never>; verbose(line: string): void; lifecycle: Lifecycle };

  it('toErrorJson maps anything thrown as catch does: a bug is 70, after SIGTERM 143, before init too', async () => {
    const cmd = new Edge(['--mode', 'long'], await reliaConfig()) as unknown as Hooks;
    expect(cmd.toErrorJson(new TypeError('x is undefined'))).toEqual({
      status: ExitCode.Internal,
      error: { name: 'InternalError', message: 'internal error: x is undefined', suggestions: ['this is a bug in relia; re-run with --verbose and report the output'] },
      warnings: [],
    });
    const signals = new EventEmitter();
    cmd.lifecycle = new Lifecycle({ emitter: signals, exit: () => undefined, log: () => undefined });
    cmd.lifecycle.install();
    signals.emit('SIGTERM');
    expect(cmd.toErrorJson(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }))).toMatchObject({ status: ExitCode.Sigterm, error: { name: 'InterruptedError' } });
    cmd.lifecycle.dispose();
  });

  it('without an oclif config, a parse error\'s example names the relia binary', () => {
    const cmd = new Edge([], undefined as never) as unknown as Hooks;
    const err = Object.assign(new Errors.CLIError('The following error occurred:\n  Missing required flag mode\nSee more help with --help'), { parse: {} });
    expect(cmd.toErrorJson(err).error?.suggestions[0]).toBe('e.g. relia edge --mode long');
  });

  it('verbose() before the flags are parsed writes nothing and does not throw', async () => {
    const cmd = new Edge(['--mode', 'long', '--verbose'], await reliaConfig()) as unknown as Hooks;
    const write = vi.spyOn(process.stderr, 'write');
    try {
      cmd.verbose('GET /api/v1/query');
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});

/** A command class that adds a base flag with a deprecated alias (as a plugin's base class may). */
class WithBaseAlias extends ReliaCommand<typeof WithBaseAlias> {
  static override id = 'with-base-alias';
  static override baseFlags = { ...ReliaCommand.baseFlags, profile: Flags.string({ aliases: ['prof'], deprecateAliases: true }) };

  async run(): Promise<{ ok: boolean }> {
    return { ok: true };
  }
}

describe('deprecated spellings of base flags', () => {
  it('warn like a command flag\'s: on stderr and in the envelope', async () => {
    const r = await runInProcess(WithBaseAlias, ['--prof', 'ci', '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.json<Envelope<unknown>>().warnings).toEqual([expect.stringMatching(/^--prof is deprecated here: use --profile;/)]);
    expect(r.stderr).toMatch(/^warning: --prof is deprecated here: use --profile;/);
  });
});

/** A command whose run returns nothing. */
class Quiet extends ReliaCommand<typeof Quiet> {
  static override id = 'quiet';
  static override flags = { fail: Flags.boolean() };

  async run(): Promise<void> {
    if (this.flags.fail) this.failWithResult(3, 'MetricsDataError', 'no data for errors_ratio');
  }
}

describe('--json prints exactly one document (docs/output.md), also when run returns nothing', () => {
  it('a command with no result prints the envelope without result; a failure it recorded is in it', async () => {
    const ok = await runInProcess(Quiet, ['--json']);
    expect([ok.exitCode, ok.json()]).toEqual([0, { status: 0, warnings: [] }]);
    const failed = await runInProcess(Quiet, ['--fail', '--json']);
    expect([failed.exitCode, failed.json()]).toEqual([3, { status: 3, warnings: [], error: { name: 'MetricsDataError', message: 'no data for errors_ratio', suggestions: [] } }]);
  });
});

describe('the command context handed to CLI glue, and the providers registry', () => {
  it('providers() runs the plugins\' hooks once per command: a second call returns the same registry', async () => {
    const r = await runInProcess(Edge, ['--mode', 'providers-twice', '--json']);
    expect(r.json<Envelope<{ same: boolean }>>().result).toEqual({ same: true });
  });

  it('context().verbose writes the redacted [relia] line under --verbose, and nothing without it', async () => {
    const on = await runInProcess(Edge, ['--mode', 'context-verbose', '--verbose']);
    expect(on.stderr).toBe('[relia] GET /api/v1/query with ***\n');
    const off = await runInProcess(Edge, ['--mode', 'context-verbose']);
    expect(off.stderr).toBe('');
  });
});
