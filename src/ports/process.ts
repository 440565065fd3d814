/**
 * The process port: run a command (chaos `process` probes and actions,
 * chaostoolkit `process` providers) and signal a process named by pid.
 * Never by name pattern: a pattern can match the wrong process.
 */

export interface RunOptions {
  /** Hard limit; the process is killed (SIGTERM, then SIGKILL) when it passes. */
  timeoutMs: number;
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  input?: string;
  signal?: AbortSignal;
  /** Output beyond this many bytes per stream is cut (default 1 MiB). */
  maxBuffer?: number;
}

export interface RunResult {
  /** null when killed by a signal. */
  exitCode: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export type ProcessSignal = 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGHUP' | 'SIGSTOP' | 'SIGCONT' | 'SIGUSR1' | 'SIGUSR2';

export interface ProcessPort {
  readonly kind: string;
  /** A missing executable resolves with exitCode 127 and the error in stderr (never throws). */
  run(file: string, args: string[], options: RunOptions): Promise<RunResult>;
  /** `absent` when no such process exists. */
  signal(pid: number, signal: ProcessSignal): Promise<'sent' | 'absent'>;
  alive(pid: number): Promise<boolean>;
  /** Read a pid file: InputError (exit 2) naming the file when missing or not a pid. */
  readPidFile(path: string): Promise<number>;
  close(): Promise<void>;
}
