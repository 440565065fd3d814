/**
 * ProcessPort on execa and node's process.kill: run a command with a hard
 * timeout (SIGTERM, then SIGKILL two seconds later), signal a pid, check a
 * pid is alive, read a pid file. Never finds processes by name.
 */
import { readFile } from 'node:fs/promises';
import type { PluginKit } from '../../../src/ports/providers.js';
import type { ProcessPort, ProcessSignal, RunOptions, RunResult } from '../../../src/ports/process.js';

const KILL_AFTER_MS = 2000;
const DEFAULT_MAX_BUFFER = 1024 * 1024;

function errno(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export class LocalProcessPort implements ProcessPort {
  readonly kind = 'local';

  constructor(private readonly kit: PluginKit) {}

  async run(file: string, args: string[], options: RunOptions): Promise<RunResult> {
    options.signal?.throwIfAborted();
    const { execa } = await import('execa');
    const started = performance.now();
    const result = await execa(file, args, {
      reject: false,
      timeout: options.timeoutMs,
      forceKillAfterDelay: KILL_AFTER_MS,
      maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
      stripFinalNewline: false,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.env !== undefined ? { env: options.env, extendEnv: true } : {}),
      ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
      ...(options.signal !== undefined ? { cancelSignal: options.signal } : {}),
    });
    if (result.isCanceled && options.signal?.aborted) throw options.signal.reason;
    const durationMs = performance.now() - started;
    const stdout = typeof result.stdout === 'string' ? result.stdout : '';
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    if (result.exitCode === undefined && result.signal === undefined && !result.timedOut) {
      // Could not start it: ENOENT (127 as a shell would say), EACCES (126).
      const code = result.code === 'EACCES' ? 126 : 127;
      return { exitCode: code, stdout, stderr: `${stderr}${stderr ? '\n' : ''}${result.shortMessage}`, timedOut: false, durationMs };
    }
    const out: RunResult = { exitCode: result.exitCode ?? null, stdout, stderr, timedOut: result.timedOut, durationMs };
    if (result.signal !== undefined) out.signal = result.signal;
    return out;
  }

  async signal(pid: number, signal: ProcessSignal): Promise<'sent' | 'absent'> {
    this.checkPid(pid);
    try {
      process.kill(pid, signal);
      return 'sent';
    } catch (err) {
      if (errno(err) === 'ESRCH') return 'absent';
      throw new this.kit.errors.DependencyError('process', `sending ${signal} to pid ${pid} failed: ${(err as Error).message}`, {
        suggestions: errno(err) === 'EPERM' ? ['the process belongs to another user: run relia as that user'] : ['check the pid'],
        cause: err,
      });
    }
  }

  async alive(pid: number): Promise<boolean> {
    this.checkPid(pid);
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return errno(err) === 'EPERM';
    }
  }

  async readPidFile(path: string): Promise<number> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new this.kit.errors.InputError(`pid file ${path} cannot be read: ${errno(err) ?? (err as Error).message}`, {
        field: 'pidFile',
        file: path,
        suggestions: ['check the path: the service writes its pid file when it starts'],
      });
    }
    const trimmed = text.trim();
    if (!/^\d+$/.test(trimmed) || Number(trimmed) <= 1) {
      throw new this.kit.errors.InputError(`pid file ${path} does not hold a pid (got ${JSON.stringify(trimmed.slice(0, 40))})`, {
        field: 'pidFile',
        file: path,
        suggestions: ['a pid file holds one process id, e.g. 4242'],
      });
    }
    return Number(trimmed);
  }

  async close(): Promise<void> {}

  private checkPid(pid: number): void {
    // 0, 1 and negatives address process groups or init: never.
    if (!Number.isInteger(pid) || pid <= 1) {
      throw new this.kit.errors.InputError(`pid ${pid} is not a single process`, { field: 'pid', suggestions: ['name one process by its pid (greater than 1)'] });
    }
  }
}

export function createProcessPort(kit: PluginKit): ProcessPort {
  return new LocalProcessPort(kit);
}
