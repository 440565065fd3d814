/**
 * The base command's output choices in-process (docs/output.md): `-o` read
 * from argv the way users write it, `-o json|yaml` as one document, `-o
 * markdown|wide` tables at any width without colour; the system clock's
 * abortable sleep; and the mapping of prompt cancellations, wrapped flag
 * errors and oclif usage errors (docs/exit-codes.md). Found by mutation
 * testing of src/cli (docs/testing.md#mutation-testing).
 */
import { getEventListeners } from 'node:events';
import { Errors, Flags } from '@oclif/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { outputFormatOf, ReliaCommand, systemClock, toReliaError } from '../../../src/cli/base-command.js';
import { ExitCode, InputError, InterruptedError } from '../../../src/core/errors.js';
import { renderTable } from '../../../src/cli/style.js';
import { runInProcess } from '../../helpers/in-process.js';

describe('outputFormatOf', () => {
  it.each([
    [['-o', 'json'], 'json'],
    [['--output', 'yaml'], 'yaml'],
    [['--output=markdown'], 'markdown'],
    [['-owide'], 'wide'],
    [['-o=table'], 'table'],
    [['budget', 'check', '-o', 'json', '--output', 'yaml'], 'yaml'], // the last one wins, as oclif parses it
    [['--', '-o', 'json'], undefined], // after `--` it is an argument
    [['-o', 'json', '--', '-o', 'yaml'], 'json'],
    [['-o', 'xml'], undefined],
    [['-o'], undefined],
    [['--output='], undefined],
    [['-o', 'JSON'], undefined],
    [['-x', 'json'], undefined],
    [['--outputs=json'], undefined],
    // -o only at the start of an argument: a later value containing "-o" changes nothing
    [['-o', 'json', '--reason=roll-out'], 'json'],
    [['-o', 'yaml', '--note', 'x-oj'], 'yaml'],
    [[], undefined],
  ])('%j → %s', (argv, format) => {
    expect(outputFormatOf(argv)).toBe(format);
  });
});

describe('systemClock.sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the time, and a later abort changes nothing', async () => {
    vi.useFakeTimers();
    const ctl = new AbortController();
    let done = false;
    const p = systemClock.sleep(1000, ctl.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
    // a long-lived signal (the command's) serves many sleeps: none may leave its listener behind
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
    ctl.abort(new Error('late'));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the reason at once when already aborted, and when aborted while waiting, leaving no timer', async () => {
    vi.useFakeTimers();
    const reason = new Error('stop');
    await expect(systemClock.sleep(1000, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    const ctl = new AbortController();
    const p = systemClock.sleep(60_000, ctl.signal);
    await vi.advanceTimersByTimeAsync(10);
    ctl.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    // the abort listener went with the abort: a long-lived signal keeps no sleep's closure
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
  });

  it('sleeps without a signal', async () => {
    vi.useFakeTimers();
    const p = systemClock.sleep(5);
    await vi.advanceTimersByTimeAsync(5);
    await expect(p).resolves.toBeUndefined();
  });
});

describe('toReliaError', () => {
  it.each(['ExitPromptError', 'AbortPromptError'])('Ctrl-C at a prompt (%s) is an interruption, exit 130, nothing changed', (name) => {
    const e = toReliaError(Object.assign(new Error('User force closed the prompt'), { name }), 'cache:warm', null);
    expect(e).toBeInstanceOf(InterruptedError);
    expect([e.exitCode, e.message]).toEqual([ExitCode.Sigint, 'cancelled at the prompt; nothing was changed']);
  });

  it('a relia error wrapped by oclif (a flag parser threw it) is that error', () => {
    const inner = new InputError('--window: expected a duration', { field: '--window' });
    expect(toReliaError(Object.assign(new Error('Parsing --window failed'), { cause: inner }), 'budget:status', null)).toBe(inner);
  });

  it('an oclif usage error: exit 2, colour and the help pointer line removed, lines trimmed, help for the command', () => {
    const err = new Errors.CLIError('\u001b[31m  Expected --steps\u001b[39m\n\n  to be a list  \nSee more help with --help', { exit: 2 });
    const e = toReliaError(err, 'failover:apply', null);
    expect(e).toBeInstanceOf(InputError);
    expect([e.exitCode, e.message, e.suggestions]).toEqual([ExitCode.Usage, 'Expected --steps\nto be a list', ['see `relia failover apply --help`']]);
    expect(toReliaError(new Errors.CLIError('bad'), undefined, null).suggestions).toEqual(['see `relia --help`']);
  });

  it('anything else thrown is a bug: exit 70, with what was thrown', () => {
    for (const [thrown, message] of [
      [42, 'internal error: 42'],
      [new RangeError('x out of range'), 'internal error: x out of range'],
    ] as const) {
      const e = toReliaError(thrown, 'risk:score', null);
      expect([e.exitCode, e.message, e.suggestions]).toEqual([ExitCode.Internal, message, ['this is a bug in relia; re-run with --verbose and report the output']]);
    }
  });
});

/** A command with a table, to see what each output format does with it. */
class Show extends ReliaCommand<typeof Show> {
  static override id = 'show';

  async run(): Promise<{ rows: number; color: boolean; width: number | 'unlimited' }> {
    const line = renderTable(
      [
        { header: 'service', value: (r: string[]) => r[0] as string },
        { header: 'state', value: (r: string[]) => r[1] as string },
      ],
      [
        ['checkout', 'ok'],
        ['search', 'degraded'],
      ],
      this.style,
    );
    if (!this.jsonEnabled()) this.log(line);
    const { width } = this.style.layout;
    return { rows: 2, color: this.style.enabled, width: Number.isFinite(width) ? width : 'unlimited' };
  }
}

describe('output formats', () => {
  // a 40-column terminal, colour forced: what each format keeps of it
  const env = { COLUMNS: '40', FORCE_COLOR: '1', NO_COLOR: undefined };

  it('-o json and -o yaml print the one envelope document, never coloured; -o yaml as YAML', async () => {
    const json = await runInProcess(Show, ['-o', 'json'], { env });
    expect(json.json()).toEqual({ status: 0, result: { rows: 2, color: false, width: 40 }, warnings: [] });
    const yaml = await runInProcess(Show, ['--output=yaml'], { env });
    expect(yaml.exitCode).toBe(0);
    expect(yaml.stdout.startsWith('status: 0\n')).toBe(true);
    expect(parseYaml(yaml.stdout)).toEqual(json.json());
  });

  it('-o markdown: a Markdown table, never coloured, at any width; -o wide and --wide: any width', async () => {
    const md = await runInProcess(Show, ['-o', 'markdown'], { env });
    expect(md.stdout).toContain('| service | state |');
    expect(md.result).toEqual({ rows: 2, color: false, width: 'unlimited' });
    for (const argv of [['-o', 'wide'], ['--wide']]) {
      const wide = await runInProcess(Show, argv, { env });
      expect(wide.result).toEqual({ rows: 2, color: true, width: 'unlimited' });
      expect(wide.stdout).not.toContain('| service |');
    }
    for (const argv of [['-o', 'table'], []]) expect((await runInProcess(Show, argv, { env })).result).toEqual({ rows: 2, color: true, width: 40 });
  });
});

/** The shared helpers a command uses, each reached through a mode. */
class Helpers extends ReliaCommand<typeof Helpers> {
  static override id = 'helpers';
  static override flags = {
    mode: Flags.string({ required: true }),
    prometheus: Flags.string(),
    redis: Flags.string(),
  };

  async run(): Promise<unknown> {
    switch (this.flags.mode) {
      case 'secrets':
        // an experiment's secrets: one contains another, one is too short to redact without blanking ordinary text
        this.redactValues(['pw', 'tok-1', '']);
        this.redactValues(['tok-1-long', 'tok-1']);
        this.warn('sent tok-1-long and tok-1 with pw');
        return { ok: true };
      case 'fail-3':
        this.failWithResult(3, 'MetricsDataError', 'query errors_ratio returned NaN', ['check the recording rule']);
        return { verdict: 'invalid' };
      case 'check-failed':
        this.checkFailed('budget exhausted', ['wait']);
        return { verdict: 'block' };
      case 'prompt':
        return { canPrompt: this.canPrompt() };
      case 'overrides':
        return { ...this.configOverrides() };
      default:
        throw new Error('unknown mode');
    }
  }
}

describe('shared helpers', () => {
  it('redactValues: secrets of 3 characters or more are removed from every later text, the longest first, so no tail leaks', async () => {
    const short = '1 secret value is shorter than 3 characters and cannot be redacted from output or the journal; use the real credential';
    const r = await runInProcess(Helpers, ['--mode', 'secrets']);
    expect(r.stderr).toBe(`warning: ${short}\nwarning: sent *** and *** with pw\n`);
    const j = await runInProcess(Helpers, ['--mode', 'secrets', '--json']);
    expect(j.json<{ warnings: string[] }>().warnings).toEqual([short, 'sent *** and *** with pw']);
  });

  it('failWithResult: the result is still printed, the error and every fix on stderr, the exit code kept; a check that fails (exit 1) prints no error line', async () => {
    const r = await runInProcess(Helpers, ['--mode', 'fail-3']);
    expect([r.exitCode, r.stderr]).toEqual([3, 'Error: query errors_ratio returned NaN\nTry this: check the recording rule\n']);
    expect(r.result).toEqual({ verdict: 'invalid' });
    const j = await runInProcess(Helpers, ['--mode', 'fail-3', '--json']);
    expect([j.exitCode, j.stderr]).toEqual([3, '']);
    expect(j.json()).toEqual({ status: 3, result: { verdict: 'invalid' }, warnings: [], error: { name: 'MetricsDataError', message: 'query errors_ratio returned NaN', suggestions: ['check the recording rule'] } });
    const c = await runInProcess(Helpers, ['--mode', 'check-failed']);
    expect([c.exitCode, c.stderr]).toEqual([1, '']);
  });

  it('canPrompt only with a terminal on stdin and stdout, outside CI, and not under --json', async () => {
    const tty = (stream: NodeJS.ReadStream | NodeJS.WriteStream, value: boolean | undefined) => Object.defineProperty(stream, 'isTTY', { value, configurable: true, writable: true });
    const saved = [process.stdin.isTTY, process.stdout.isTTY] as const;
    const canPrompt = async (stdin: boolean | undefined, stdout: boolean | undefined, extra: string[] = [], env: Record<string, string | undefined> = { CI: undefined }) => {
      tty(process.stdin, stdin);
      tty(process.stdout, stdout);
      try {
        const r = await runInProcess(Helpers, ['--mode', 'prompt', ...extra], { env });
        return extra.includes('--json') ? r.json<{ result: { canPrompt: boolean } }>().result.canPrompt : (r.result as { canPrompt: boolean }).canPrompt;
      } finally {
        tty(process.stdin, saved[0]);
        tty(process.stdout, saved[1]);
      }
    };
    expect(await canPrompt(true, true)).toBe(true);
    expect(await canPrompt(false, true)).toBe(false);
    expect(await canPrompt(undefined, true)).toBe(false);
    expect(await canPrompt(true, false)).toBe(false);
    expect(await canPrompt(true, true, [], { CI: 'true' })).toBe(false);
    expect(await canPrompt(true, true, ['--json'])).toBe(false);
  });

  it('configOverrides: --env, --prometheus and --redis when given, nothing else', async () => {
    expect((await runInProcess(Helpers, ['--mode', 'overrides'])).result).toStrictEqual({});
    const all = await runInProcess(Helpers, ['--mode', 'overrides', '--env', 'staging', '--prometheus', 'http://127.0.0.1:9090', '--redis', 'redis://127.0.0.1:6379']);
    expect(all.result).toEqual({ env: 'staging', metricsUrl: 'http://127.0.0.1:9090', redisUrl: 'redis://127.0.0.1:6379' });
    expect((await runInProcess(Helpers, ['--mode', 'overrides', '--redis', 'redis://127.0.0.1:1'])).result).toStrictEqual({ redisUrl: 'redis://127.0.0.1:1' });
  });
});
