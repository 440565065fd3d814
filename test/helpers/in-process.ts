/**
 * Run a command class in this process with oclif's own runner
 * (`Config.load` + `Cmd.run(argv, config)`), capturing stdout, stderr and the
 * exit code the base command sets. vitest sees (and covers) every line, which
 * it cannot in a subprocess. oclif's dynamic import of command files is
 * bypassed: the test imports the class statically (oclif/test#645).
 * Keep the subprocess e2e tests for the real binary.
 */
import { resolve } from 'node:path';
import { Config, type Command } from '@oclif/core';

const ROOT = resolve(import.meta.dirname, '../..');
let config: Promise<Config> | undefined;

/** The repository's oclif config, loaded once per test file. */
export function reliaConfig(): Promise<Config> {
  config ??= Config.load({ root: ROOT });
  return config;
}

export interface InProcessRun<R> {
  stdout: string;
  stderr: string;
  /** What the process would exit with (process.exitCode as the base command left it). */
  exitCode: number;
  result: R | undefined;
  /** stdout parsed as the one JSON document `--json` prints. */
  json<T = unknown>(): T;
}

type CommandClass = { run(argv?: string[], opts?: Config): Promise<unknown> } & typeof Command;

export async function runInProcess<R = unknown>(Cmd: CommandClass, argv: string[], options: { env?: Record<string, string | undefined> } = {}): Promise<InProcessRun<R>> {
  const cfg = await reliaConfig();
  const out: string[] = [];
  const err: string[] = [];
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  const savedEnv: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries({ NO_COLOR: '1', CI: 'true', ...(options.env ?? {}) })) {
    savedEnv[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const savedExit = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  let result: R | undefined;
  let exitCode: number;
  try {
    result = (await Cmd.run(argv, cfg)) as R;
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    exitCode = Number(process.exitCode ?? 0);
    process.exitCode = savedExit;
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const stdout = out.join('');
  return { stdout, stderr: err.join(''), exitCode, result, json: <T>() => JSON.parse(stdout) as T };
}
