/**
 * In-memory ProcessPort for core tests: commands go to a handler instead of
 * being spawned, pids are entries in a table, pid files live in a map. It
 * passes the same contract suite as plugins/local (test/contract/process.contract.test.ts).
 */
import { InputError } from '../../src/core/errors.js';
import type { ProcessPort, ProcessSignal, RunOptions, RunResult } from '../../src/ports/process.js';

export type CommandHandler = (file: string, args: string[], options: RunOptions) => { exitCode: number; stdout?: string; stderr?: string; durationMs?: number } | 'missing';

export class MemoryProcess implements ProcessPort {
  readonly kind = 'memory-process';
  /** Every command run, in order. */
  readonly runs: Array<{ file: string; args: string[]; timeoutMs: number }> = [];
  /** Every signal sent, in order. */
  readonly signals: Array<{ pid: number; signal: ProcessSignal }> = [];
  /** pid → alive; SIGSTOP/SIGCONT toggle `stopped`. */
  readonly processes = new Map<number, { alive: boolean; stopped: boolean }>();
  readonly files = new Map<string, string>();
  private nextPid = 40_000;

  constructor(private readonly handler: CommandHandler = () => 'missing') {}

  /** A running process the tests can signal. */
  spawn(): number {
    const pid = this.nextPid++;
    this.processes.set(pid, { alive: true, stopped: false });
    return pid;
  }

  async run(file: string, args: string[], options: RunOptions): Promise<RunResult> {
    options.signal?.throwIfAborted();
    this.runs.push({ file, args, timeoutMs: options.timeoutMs });
    const answer = this.handler(file, args, options);
    if (answer === 'missing') return { exitCode: 127, stdout: '', stderr: `spawn ${file} ENOENT`, timedOut: false, durationMs: 0 };
    const durationMs = answer.durationMs ?? 0;
    if (durationMs > options.timeoutMs) return { exitCode: null, signal: 'SIGTERM', stdout: '', stderr: '', timedOut: true, durationMs: options.timeoutMs };
    return { exitCode: answer.exitCode, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', timedOut: false, durationMs };
  }

  async signal(pid: number, signal: ProcessSignal): Promise<'sent' | 'absent'> {
    if (!Number.isInteger(pid) || pid <= 1) throw new InputError(`pid ${pid} is not a single process`, { field: 'pid', suggestions: ['name one process by its pid (greater than 1)'] });
    const p = this.processes.get(pid);
    if (!p?.alive) return 'absent';
    this.signals.push({ pid, signal });
    if (signal === 'SIGSTOP') p.stopped = true;
    else if (signal === 'SIGCONT') p.stopped = false;
    else if (signal !== 'SIGUSR1' && signal !== 'SIGUSR2' && signal !== 'SIGHUP') p.alive = false;
    return 'sent';
  }

  async alive(pid: number): Promise<boolean> {
    return this.processes.get(pid)?.alive === true;
  }

  async readPidFile(path: string): Promise<number> {
    const text = this.files.get(path);
    if (text === undefined) throw new InputError(`pid file ${path} cannot be read: ENOENT`, { field: 'pidFile', file: path, suggestions: ['check the path'] });
    const trimmed = text.trim();
    if (!/^\d+$/.test(trimmed) || Number(trimmed) <= 1) throw new InputError(`pid file ${path} does not hold a pid`, { field: 'pidFile', file: path, suggestions: ['a pid file holds one process id'] });
    return Number(trimmed);
  }

  async close(): Promise<void> {}
}
