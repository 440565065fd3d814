/**
 * The base command in-process: error → exit-code mapping, the JSON envelope,
 * warnings, --verbose redaction, signals and cleanup failures. Each case is
 * a small command class defined here, run by oclif's own runner.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Errors, Flags } from '@oclif/core';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_INTERNAL, ReliaCommand, toReliaError } from '../../../src/cli/base-command.js';
import { Lifecycle } from '../../../src/cli/lifecycle.js';
import { DependencyError, InputError, ReliaError, SafetyStopError } from '../../../src/core/errors.js';
import { runInProcess } from '../../helpers/in-process.js';

/** What the probe command does, chosen by --mode. */
type Mode =
  | 'ok'
  | 'warn'
  | 'check-failed'
  | 'input'
  | 'dependency'
  | 'safety'
  | 'internal'
  | 'thrown-string'
  | 'sigterm-then-foreign'
  | 'sigint-then-foreign'
  | 'sigterm-then-relia'
  | 'cleanup-fails'
  | 'cleanup-fails-after-error'
  | 'cleanup-ok'
  | 'verbose-secret'
  | 'leaky-internal'
  | 'leaky-dependency'
  | 'leaky-cleanup';

const cleanupLog: string[] = [];

class Probe extends ReliaCommand<typeof Probe> {
  static override id = 'probe';
  static override flags = {
    mode: Flags.string({ required: true }),
    count: Flags.integer({ min: 1 }),
  };
  /** A process-like emitter for signals, so the test never signals the vitest worker. */
  static signals = new EventEmitter();

  public override async init(): Promise<void> {
    await super.init();
    // the same Lifecycle, listening to the test's emitter instead of the process
    this.lifecycle.dispose();
    this.lifecycle = new Lifecycle({ emitter: Probe.signals, exit: () => undefined, log: () => undefined });
    this.lifecycle.install();
  }

  async run(): Promise<{ mode: string; n: number }> {
    const mode = this.flags.mode as Mode;
    const result = { mode, n: 42 };
    switch (mode) {
      case 'ok':
        if (!this.jsonEnabled()) this.log('human output');
        return result;
      case 'warn':
        this.warn('first warning');
        this.warn(new Error('second warning'));
        return result;
      case 'check-failed':
        this.checkFailed('the gate says no', ['wait for the budget to recover']);
        return result;
      case 'input':
        throw new InputError('--window: expected a duration, got "soon"', { field: '--window', suggestions: ['e.g. --window 30d'] });
      case 'dependency':
        throw new DependencyError('prometheus', 'Prometheus at http://127.0.0.1:1 is unreachable', { suggestions: ['start it'] });
      case 'safety':
        throw new SafetyStopError('hit ratio fell below the floor', { suggestions: ['lower --concurrency'] });
      case 'internal':
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      case 'thrown-string':
        throw 'a string, not an Error';
      case 'sigterm-then-foreign':
      case 'sigint-then-foreign':
        Probe.signals.emit(mode.startsWith('sigterm') ? 'SIGTERM' : 'SIGINT');
        expect(this.lifecycle.signal.aborted).toBe(true);
        // what an HTTP client throws when its request is aborted: not a relia error
        throw Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
      case 'sigterm-then-relia':
        Probe.signals.emit('SIGTERM');
        throw new DependencyError('redis', 'Redis went away');
      case 'cleanup-fails':
        this.lifecycle.defer('release lock relia:lock', () => {
          cleanupLog.push('release');
          throw new Error('connection closed');
        });
        this.lifecycle.defer('save checkpoint', () => void cleanupLog.push('save'));
        return result;
      case 'cleanup-fails-after-error':
        this.lifecycle.defer('restore TTLs', () => {
          throw new Error('READONLY');
        });
        throw new DependencyError('redis', 'Redis went away');
      case 'cleanup-ok':
        this.lifecycle.defer('a', () => void cleanupLog.push('a'));
        this.lifecycle.defer('b', () => void cleanupLog.push('b'));
        return result;
      case 'verbose-secret':
        this.verbose(`AUTH default ${this.resolved.secrets.redisPassword ?? '(none)'} for redis://127.0.0.1:6379`);
        return result;
      case 'leaky-internal': {
        // A bug whose message (and so its stack) carries every kind of secret.
        const pw = this.resolved.secrets.redisPassword ?? 'none';
        this.warn(`retrying redis://default:${pw}@127.0.0.1:6379/0`);
        this.verbose(`GET /api/v1/query?query=up&access_token=tok-QUERY-1 Authorization: Bearer tok-HEADER-2`);
        throw new TypeError(`cannot reach redis://default:${pw}@127.0.0.1:6379/0 (AUTH ${pw}); Authorization: Bearer tok-HEADER-2`);
      }
      case 'leaky-dependency':
        throw new DependencyError('prometheus', 'Prometheus at https://ops:url-Pa55@prom.example:9090 refused', {
          suggestions: ['check curl -H "Authorization: Basic b3BzOnVybC1QYTU1" https://ops:url-Pa55@prom.example:9090/-/ready'],
          cause: new Error('401 from https://ops:url-Pa55@prom.example:9090/api/v1/query?query=up&token=tok-QUERY-3'),
        });
      case 'leaky-cleanup':
        this.lifecycle.defer('release lock on redis://default:lock-Pa55@127.0.0.1:6379', () => {
          throw new Error('NOAUTH for redis://default:lock-Pa55@127.0.0.1:6379');
        });
        return result;
      default:
        throw new Error(`unknown mode ${String(mode)}`);
    }
  }
}

interface Env<R = unknown> {
  status: number;
  result?: R;
  error?: { name: string; message: string; field?: string; suggestions: string[] };
  warnings: string[];
}

const run = (argv: string[], env?: Record<string, string | undefined>) => runInProcess(Probe, argv, env ? { env } : {});

describe('base command in-process: outcomes and exit codes', () => {
  it('success: human output on stdout, exit 0, nothing on stderr', async () => {
    const r = await run(['--mode', 'ok']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('human output\n');
    expect(r.stderr).toBe('');
    expect(r.result).toEqual({ mode: 'ok', n: 42 });
  });

  it('--json: exactly one envelope {status, result, warnings}; human output silenced', async () => {
    const r = await run(['--mode', 'ok', '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.json()).toEqual({ status: 0, result: { mode: 'ok', n: 42 }, warnings: [] });
    expect(r.stdout).not.toContain('human output');
  });

  it('warnings: on stderr in human mode, in the envelope (and not on stderr) under --json', async () => {
    const human = await run(['--mode', 'warn']);
    expect(human.stderr).toBe('warning: first warning\nwarning: second warning\n');
    expect(human.exitCode).toBe(0);
    const json = await run(['--mode', 'warn', '--json']);
    expect(json.json<Env>().warnings).toEqual(['first warning', 'second warning']);
    expect(json.stderr).toBe('');
  });

  it('checkFailed: exit 1, and the result is still printed with the reason', async () => {
    const r = await run(['--mode', 'check-failed', '--json']);
    expect(r.exitCode).toBe(1);
    expect(r.json()).toEqual({
      status: 1,
      result: { mode: 'check-failed', n: 42 },
      error: { name: 'CheckFailed', message: 'the gate says no', suggestions: ['wait for the budget to recover'] },
      warnings: [],
    });
  });

  it('InputError: exit 2; human mode prints Error and every Try this line', async () => {
    const r = await run(['--mode', 'input']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: --window: expected a duration, got "soon"\nTry this: e.g. --window 30d\n');
  });

  it('InputError under --json: one error envelope with the field and suggestions', async () => {
    const r = await run(['--mode', 'input', '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.json()).toEqual({
      status: 2,
      error: { name: 'InputError', message: '--window: expected a duration, got "soon"', field: '--window', suggestions: ['e.g. --window 30d'] },
      warnings: [],
    });
  });

  it.each([
    ['dependency', 3, 'DependencyError'],
    ['safety', 4, 'SafetyStopError'],
  ])('%s: exit %i (%s)', async (mode, code, name) => {
    const r = await run(['--mode', mode, '--json']);
    expect(r.exitCode).toBe(code);
    expect(r.json<Env>().error?.name).toBe(name);
    expect(r.json<Env>().status).toBe(code);
  });

  it('an internal error (a bug) exits 70, not 2, and says it is a bug', async () => {
    const r = await run(['--mode', 'internal']);
    expect(r.exitCode).toBe(EXIT_INTERNAL);
    expect(EXIT_INTERNAL).toBe(70);
    expect(r.stderr).toContain("Error: internal error: Cannot read properties of undefined (reading 'x')");
    expect(r.stderr).toContain('Try this: this is a bug in relia; re-run with --verbose and report the output');
    const j = await run(['--mode', 'thrown-string', '--json']);
    expect(j.exitCode).toBe(70);
    expect(j.json<Env>().error?.message).toBe('internal error: a string, not an Error');
  });

  it('--verbose adds the stack of an internal error; without it, no stack', async () => {
    const plain = await run(['--mode', 'internal']);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const verbose = await run(['--mode', 'internal', '--verbose']);
    expect(verbose.stderr).toMatch(/TypeError: Cannot read properties[^\n]*\n\s+at /);
  });

  it('a parse error (unknown flag, bad integer, missing required flag) exits 2 and points at --help', async () => {
    for (const argv of [['--mode', 'ok', '--nope'], ['--mode', 'ok', '--count', 'x'], ['--mode', 'ok', '--count', '0'], []]) {
      const r = await run([...argv, '--json']);
      expect(r.exitCode, argv.join(' ')).toBe(2);
      expect(r.json<Env>().error?.suggestions.join('\n'), argv.join(' ')).toMatch(/relia probe --help|did you mean|--count/);
      expect(r.json<Env>().error?.message, argv.join(' ')).not.toMatch(/See more help|\t/);
    }
  });

  it('an oclif error with its own exit code keeps it', () => {
    const e = toReliaError(new Errors.CLIError('not now', { exit: 6 }), 'a:b', null);
    expect(e.exitCode).toBe(6);
    expect(e.message).toBe('not now');
  });
});

describe('base command in-process: signals', () => {
  it('a foreign error after SIGTERM exits 143 (interrupted), not 70', async () => {
    const r = await run(['--mode', 'sigterm-then-foreign', '--json']);
    expect(r.exitCode).toBe(143);
    expect(r.json<Env>().error?.name).toBe('InterruptedError');
  });

  it('a foreign error after SIGINT exits 130', async () => {
    const r = await run(['--mode', 'sigint-then-foreign']);
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toBe('interrupted by SIGINT; cleanup ran\n'); // an interruption is not reported as an error
  });

  it('a relia error after SIGTERM keeps its own exit code (it says what failed)', async () => {
    const r = await run(['--mode', 'sigterm-then-relia', '--json']);
    expect(r.exitCode).toBe(3);
  });

  it('toReliaError: interruption wins only over errors that are not relia errors', () => {
    expect(toReliaError(new Error('x'), 'a:b', 'SIGTERM').exitCode).toBe(143);
    expect(toReliaError(new Error('x'), 'a:b', 'SIGINT').exitCode).toBe(130);
    expect(toReliaError(new Error('x'), 'a:b', null).exitCode).toBe(70);
    const mine = new InputError('bad', { suggestions: ['fix'] });
    expect(toReliaError(mine, 'a:b', 'SIGTERM')).toBe(mine);
    // a flag's parse() that threw our InputError arrives wrapped: the cause is kept
    expect(toReliaError(Object.assign(new Error('wrapped'), { cause: mine }), 'a:b', null)).toBe(mine);
  });
});

describe('base command in-process: cleanup', () => {
  it('cleanups run last-first after success; a failing one turns exit 0 into 5 with one JSON document', async () => {
    cleanupLog.length = 0;
    const r = await run(['--mode', 'cleanup-fails', '--json']);
    expect(cleanupLog).toEqual(['save', 'release']);
    expect(r.exitCode).toBe(5);
    const doc = r.json<Env>(); // exactly one document: JSON.parse would throw on two
    expect(doc.status).toBe(5);
    expect(doc.result).toBeUndefined();
    expect(doc.error?.message).toBe('cleanup failed, manual action is needed:\n  release lock relia:lock: connection closed');
    expect(doc.error?.suggestions).toEqual(['undo the items listed above by hand, then re-run']);
    expect(doc.error?.name).toBe('CleanupFailedError');
    expect(doc.warnings).toEqual([]);
  });

  it('a cleanup failure under --json after an error: one envelope named CleanupFailedError, exit 5, the original error first', async () => {
    const r = await run(['--mode', 'cleanup-fails-after-error', '--json']);
    expect(r.exitCode).toBe(5);
    const doc = r.json<Env>();
    expect(doc).toEqual({
      status: 5,
      error: { name: 'CleanupFailedError', message: 'Redis went away; then cleanup failed, manual action is needed:\n  restore TTLs: READONLY', suggestions: ['undo the items listed above by hand, then re-run'] },
      warnings: [],
    });
  });

  it('a cleanup failing after an error: exit 5, the message keeps the original error first', async () => {
    const r = await run(['--mode', 'cleanup-fails-after-error']);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain('Error: Redis went away; then cleanup failed, manual action is needed:\n  restore TTLs: READONLY');
  });

  it('cleanups that succeed leave exit 0 and run once', async () => {
    cleanupLog.length = 0;
    const r = await run(['--mode', 'cleanup-ok', '--json']);
    expect(r.exitCode).toBe(0);
    expect(cleanupLog).toEqual(['b', 'a']);
  });
});

describe('base command in-process: --verbose redaction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relia-verbose-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'relia.config.yaml');
  writeFileSync(config, 'version: 1\ndefaultEnvironment: dev\nenvironments:\n  dev:\n    redis:\n      url: redis://127.0.0.1:6379/0\n      passwordEnv: TEST_REDIS_SECRET\n');

  it('a secret from the environment never reaches stderr under --verbose', async () => {
    const secret = 's3cr3t-Pa55word';
    const r = await run(['--mode', 'verbose-secret', '--verbose', '--config', config], { TEST_REDIS_SECRET: secret });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('[relia] AUTH default');
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr).toMatch(/AUTH default \S*(\*|redacted|TEST_REDIS_SECRET)\S* for redis/i);
  });

  it('a bug carrying secrets: message, warning, --verbose line and stack are all redacted (human and --json)', async () => {
    const secret = 'Env-Pa55word-9';
    const human = await run(['--mode', 'leaky-internal', '--verbose', '--config', config], { TEST_REDIS_SECRET: secret });
    expect(human.exitCode).toBe(70);
    // the stack is printed, and it is redacted too
    expect(human.stderr).toMatch(/TypeError: cannot reach redis:\/\/default:\*\*\*@127\.0\.0\.1:6379\/0 \(AUTH \*\*\*\); Authorization: Bearer \*\*\*\n\s+at /);
    expect(human.stderr).toContain('warning: retrying redis://default:***@127.0.0.1:6379/0');
    expect(human.stderr).toContain('[relia] GET /api/v1/query?query=up&access_token=*** Authorization: Bearer ***');
    expect(human.stderr).toContain('Error: internal error: cannot reach redis://default:***@127.0.0.1:6379/0 (AUTH ***)');
    for (const leak of [secret, 'tok-QUERY-1', 'tok-HEADER-2']) expect(human.stderr + human.stdout).not.toContain(leak);

    const json = await run(['--mode', 'leaky-internal', '--verbose', '--json', '--config', config], { TEST_REDIS_SECRET: secret });
    expect(json.exitCode).toBe(70);
    const doc = json.json<Env>();
    expect(doc.error?.name).toBe('InternalError');
    expect(doc.error?.message).toBe('internal error: cannot reach redis://default:***@127.0.0.1:6379/0 (AUTH ***); Authorization: Bearer ***');
    expect(doc.warnings).toEqual(['retrying redis://default:***@127.0.0.1:6379/0']);
    for (const leak of [secret, 'tok-QUERY-1', 'tok-HEADER-2']) expect(json.stderr + json.stdout).not.toContain(leak);
  });

  it('secrets relia was never told about (a URL password, a Basic header, a token parameter) are redacted by their shape, in the cause stack too', async () => {
    const r = await run(['--mode', 'leaky-dependency', '--verbose']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('Error: Prometheus at https://ops:***@prom.example:9090 refused');
    expect(r.stderr).toContain('Try this: check curl -H "Authorization: Basic ***" https://ops:***@prom.example:9090/-/ready');
    expect(r.stderr).toMatch(/Error: 401 from https:\/\/ops:\*\*\*@prom\.example:9090\/api\/v1\/query\?query=up&token=\*\*\*\n\s+at /);
    for (const leak of ['url-Pa55', 'b3BzOnVybC1QYTU1', 'tok-QUERY-3']) expect(r.stderr).not.toContain(leak);
    const json = await run(['--mode', 'leaky-dependency', '--json']);
    expect(json.json<Env>().error).toEqual({
      name: 'DependencyError',
      message: 'Prometheus at https://ops:***@prom.example:9090 refused',
      suggestions: ['check curl -H "Authorization: Basic ***" https://ops:***@prom.example:9090/-/ready'],
    });
  });

  it('a failed cleanup naming a secret: exit 5, CleanupFailedError, redacted', async () => {
    const r = await run(['--mode', 'leaky-cleanup', '--json']);
    expect(r.exitCode).toBe(5);
    const doc = r.json<Env>();
    expect(doc.error?.name).toBe('CleanupFailedError');
    expect(doc.error?.message).toBe('cleanup failed, manual action is needed:\n  release lock on redis://default:***@127.0.0.1:6379: NOAUTH for redis://default:***@127.0.0.1:6379');
    expect(r.stdout).not.toContain('lock-Pa55');
    const human = await run(['--mode', 'leaky-cleanup']);
    expect(human.exitCode).toBe(5);
    expect(human.stderr).toContain('Error: cleanup failed, manual action is needed:');
    expect(human.stderr).not.toContain('lock-Pa55');
  });

  it('without --verbose nothing is logged', async () => {
    const r = await run(['--mode', 'verbose-secret', '--config', config], { TEST_REDIS_SECRET: 'x' });
    expect(r.stderr).toBe('');
  });
});

describe('toReliaError maps oclif errors', () => {
  it('keeps an oclif exit code it is given and never loses a ReliaError', () => {
    const e = new ReliaError('custom', 6);
    expect(toReliaError(e, undefined, null)).toBe(e);
  });
});
