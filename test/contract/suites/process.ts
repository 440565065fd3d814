/** The ProcessPort contract, run against plugins/local (real processes) and the in-memory fake. */
import { describe, expect, it } from 'vitest';
import { ReliaError } from '../../../src/core/errors.js';
import type { ProcessPort } from '../../../src/ports/process.js';

type Cmd = { file: string; args: string[] };

export interface ProcessFixture {
  port: ProcessPort;
  /** Prints `hello` to stdout, exits 0. */
  ok: Cmd;
  /** Prints `bad` to stderr, exits 3. */
  fail: Cmd;
  /** Runs for at least 5 s. */
  slow: Cmd;
  /** Prints the value of RELIA_TEST_VALUE. */
  env: Cmd;
  /** A process that runs until signalled; resolves its pid. */
  spawn(): Promise<number>;
  /** Wait until the pid is gone (the real one reaps its child). */
  gone(pid: number): Promise<void>;
  /** A pid nothing uses. */
  unusedPid: number;
  /** Write a pid file holding `content`; returns its path. */
  pidFile(content: string): Promise<string>;
  /** A path where no file exists. */
  missingFile: string;
}

export function processContract(name: string, make: () => Promise<ProcessFixture>) {
  describe(`ProcessPort contract: ${name}`, () => {
    it('runs a command and returns its exit code and output', async () => {
      const f = await make();
      const res = await f.port.run(f.ok.file, f.ok.args, { timeoutMs: 5000 });
      expect(res.exitCode).toBe(0);
      expect(res.stdout.trim()).toBe('hello');
      expect(res.timedOut).toBe(false);
      expect(res.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('a failing command is a result with its code and stderr, not an error', async () => {
      const f = await make();
      const res = await f.port.run(f.fail.file, f.fail.args, { timeoutMs: 5000 });
      expect(res.exitCode).toBe(3);
      expect(res.stderr.trim()).toBe('bad');
    });

    it('a missing executable resolves with 127 and says so in stderr', async () => {
      const f = await make();
      const res = await f.port.run('relia-no-such-command-x', [], { timeoutMs: 5000 });
      expect(res.exitCode).toBe(127);
      expect(res.stderr).toMatch(/ENOENT/);
    });

    it('the timeout kills the command: timedOut, no exit code', async () => {
      const f = await make();
      const res = await f.port.run(f.slow.file, f.slow.args, { timeoutMs: 150 });
      expect(res.timedOut).toBe(true);
      expect(res.exitCode).toBeNull();
      expect(res.durationMs).toBeLessThan(5000);
    });

    it('env is added to the environment', async () => {
      const f = await make();
      const res = await f.port.run(f.env.file, f.env.args, { timeoutMs: 5000, env: { RELIA_TEST_VALUE: 'v-42' } });
      expect(res.stdout.trim()).toBe('v-42');
    });

    it('an aborted signal rejects before anything runs', async () => {
      const f = await make();
      const ac = new AbortController();
      ac.abort(new Error('cancelled by test'));
      await expect(f.port.run(f.ok.file, f.ok.args, { timeoutMs: 5000, signal: ac.signal })).rejects.toThrow('cancelled by test');
    });

    it('signals a pid: sent, then the process is gone; an unused pid is absent', async () => {
      const f = await make();
      const pid = await f.spawn();
      expect(await f.port.alive(pid)).toBe(true);
      expect(await f.port.signal(pid, 'SIGTERM')).toBe('sent');
      await f.gone(pid);
      expect(await f.port.alive(pid)).toBe(false);
      expect(await f.port.signal(f.unusedPid, 'SIGTERM')).toBe('absent');
      expect(await f.port.alive(f.unusedPid)).toBe(false);
    });

    it('refuses pids that address groups or init (0, 1, negative): exit 2', async () => {
      const f = await make();
      for (const pid of [0, 1, -5]) {
        const err = await f.port.signal(pid, 'SIGTERM').then(() => null, (e: unknown) => e);
        expect(ReliaError.is(err) && err.exitCode).toBe(2);
      }
    });

    it('reads pid files; a missing or malformed one is exit 2 naming the file', async () => {
      const f = await make();
      expect(await f.port.readPidFile(await f.pidFile('4242\n'))).toBe(4242);
      for (const path of [f.missingFile, await f.pidFile('not a pid')]) {
        const err = await f.port.readPidFile(path).then(() => null, (e: unknown) => e);
        expect(ReliaError.is(err)).toBe(true);
        expect((err as ReliaError).exitCode).toBe(2);
        expect((err as ReliaError).file).toBe(path);
      }
    });
  });
}
