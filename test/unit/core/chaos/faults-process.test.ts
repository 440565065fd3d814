/**
 * process.signal and process.run as a user meets them: what `chaos plan`
 * prints, the errors with the field and the fix, the journal event, the undo,
 * and what reaches the process port (cwd, env, input; the signal of a
 * command the timeout killed).
 */
import { describe, expect, it } from 'vitest';
import { processProbe, processRun, processSignal } from '../../../../src/core/chaos/actions/process.js';
import { InputError } from '../../../../src/core/errors.js';
import type { RunOptions } from '../../../../src/ports/process.js';
import { MemoryProcess } from '../../../fakes/memory-process.js';
import { inputError, rejection } from '../../../helpers/errors.js';
import { args, faultsCtx } from './faults-ctx.js';

/** A process that is alive when checked and gone when signalled (it exited in between). */
class ExitsBeforeSignal extends MemoryProcess {
  override async alive(): Promise<boolean> {
    return true;
  }
}

describe('process.signal', () => {
  it('the plan names the process (and its pid file), the signal, and what the undo does', async () => {
    const p = new MemoryProcess();
    const pid = p.spawn();
    p.files.set('/run/api.pid', `${pid}\n`);
    const ctx = faultsCtx({ process: p });
    expect(await processSignal.plan(args(processSignal, { pidFile: '/run/api.pid', signal: 'SIGSTOP' }), ctx)).toEqual({
      targets: [{ kind: 'process', id: String(pid), detail: '/run/api.pid' }],
      does: `send SIGSTOP to pid ${pid}`,
      undo: `send SIGCONT to pid ${pid}`,
    });
    expect(await processSignal.plan(args(processSignal, { pid }), ctx)).toEqual({
      targets: [{ kind: 'process', id: String(pid) }],
      does: `send SIGTERM to pid ${pid}`,
      undo: 'nothing to undo: a supervisor is expected to restart it',
    });
  });

  it('the run journals the signal and returns it; only SIGSTOP registers an undo', async () => {
    const p = new MemoryProcess();
    const pid = p.spawn();
    const ctx = faultsCtx({ process: p });
    expect(await processSignal.run(args(processSignal, { pid, signal: 'SIGUSR1' }), ctx)).toEqual({ pid, signal: 'SIGUSR1' });
    expect(ctx.events).toEqual([{ event: 'process.signalled', detail: { pid, signal: 'SIGUSR1' } }]);
    expect(ctx.injections).toEqual([]);
    await processSignal.run(args(processSignal, { pid, signal: 'SIGSTOP' }), ctx);
    expect(ctx.injections.map((i) => [i.description, i.manualUndo])).toEqual([[`pid ${pid} stopped (SIGSTOP)`, `kill -CONT ${pid}`]]);
  });

  it('a pid that does not exist is exit 2 at plan time, naming pid or pidFile and what to check', async () => {
    const p = new MemoryProcess();
    p.files.set('/run/old.pid', '4243');
    const ctx = faultsCtx({ process: p });
    const byPid = await rejection(processSignal.plan(args(processSignal, { pid: 4242 }), ctx), InputError);
    expect([byPid.field, byPid.message, byPid.suggestions]).toEqual(['pid', 'pid: no process with pid 4242', ['check that the service is running', 'check the pid with ps']]);
    const byFile = await rejection(processSignal.plan(args(processSignal, { pidFile: '/run/old.pid' }), ctx), InputError);
    expect([byFile.field, byFile.message, byFile.suggestions]).toEqual(['pidFile', 'pidFile: no process with pid 4243 (from /run/old.pid)', ['check that the service is running', 'the pid file may be stale: restart the service']]);
    expect(p.signals).toEqual([]);
  });

  it('a process that exits between the check and the signal is exit 2, and nothing is registered to undo', async () => {
    const ctx = faultsCtx({ process: new ExitsBeforeSignal() });
    const e = await rejection(processSignal.run(args(processSignal, { pid: 4242, signal: 'SIGSTOP' }), ctx), InputError);
    expect([e.field, e.message, e.suggestions]).toEqual(['pid', 'pid: pid 4242 exited before the signal', ['check that the service is running']]);
    expect(ctx.injections).toEqual([]);
  });

  it('naming the process twice or not at all is exit 2 on pid', () => {
    for (const raw of [{}, { pid: 5, pidFile: '/x' }]) {
      const e = inputError(() => args(processSignal, raw));
      expect([e.field, e.message]).toEqual(['pid', 'pid: name the process by exactly one of pid or pidFile (never by name pattern)']);
    }
  });
});

describe('process.run plan and options', () => {
  it('the plan shows the command line and the timeout; an action says to list a rollback, a probe has nothing to undo', async () => {
    const a = { path: '/usr/bin/curl', arguments: '-s "http://x/a b"', timeout: '1500ms' };
    expect(await processRun.plan(args(processRun, a), faultsCtx({}))).toEqual({
      targets: [{ kind: 'command', id: '/usr/bin/curl', detail: '-s http://x/a b' }],
      does: 'run /usr/bin/curl -s http://x/a b (timeout 1500ms)',
      undo: 'nothing to undo: list a rollback that reverses it',
    });
    expect(await processProbe.plan(args(processProbe, { path: 'true' }), faultsCtx({}))).toEqual({
      targets: [{ kind: 'command', id: 'true', detail: '' }],
      does: 'probe with true (timeout 30s)',
      undo: 'nothing to undo',
    });
  });

  it('passes cwd, env and input only when given', async () => {
    const seen: RunOptions[] = [];
    const p = new MemoryProcess((_file, _argv, options) => {
      seen.push(options);
      return { exitCode: 0 };
    });
    const ctx = faultsCtx({ process: p });
    await processRun.run(args(processRun, { path: 'psql', cwd: '/srv', env: { PGHOST: '127.0.0.1' }, input: 'select 1;' }), ctx);
    expect(seen[0]).toMatchObject({ cwd: '/srv', env: { PGHOST: '127.0.0.1' }, input: 'select 1;', signal: ctx.signal });
    await processRun.run(args(processRun, { path: 'psql' }), ctx);
    for (const key of ['cwd', 'env', 'input']) expect(seen[1]).not.toHaveProperty(key);
  });

  it('reports the signal of a command the timeout killed, and none otherwise', async () => {
    const p = new MemoryProcess((file) => ({ exitCode: 0, durationMs: file === 'slow' ? 5_000 : 10 }));
    const ctx = faultsCtx({ process: p });
    expect(await processProbe.run(args(processProbe, { path: 'slow', timeout: '1s' }), ctx)).toEqual({ status: null, signal: 'SIGTERM', stdout: '', stderr: '', timedOut: true, durationMs: 1000 });
    const quick = await processProbe.run(args(processProbe, { path: 'quick' }), ctx);
    expect(quick).toEqual({ status: 0, stdout: '', stderr: '', timedOut: false, durationMs: 10 });
    expect(quick).not.toHaveProperty('signal');
  });

  it('an unbalanced quote in arguments is exit 2 with the arguments and the fix', async () => {
    const e = await rejection(processRun.run(args(processRun, { path: 'x', arguments: 'a "b' }), faultsCtx({ process: new MemoryProcess() })), InputError);
    expect([e.field, e.message, e.suggestions]).toEqual(['arguments', 'arguments: unbalanced quote in "a \\"b"', ['close the quote, or give the arguments as a list']]);
  });
});
