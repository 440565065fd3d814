/**
 * Run a command class in this process with oclif's own runner
 * (`Config.load` + `Cmd.run(argv, config)`), capturing stdout, stderr and the
 * exit code the base command sets. vitest sees (and covers) every line, which
 * it cannot in a subprocess. oclif's dynamic import of command files is
 * bypassed: the test imports the class statically (oclif/test#645).
 * Keep the subprocess e2e tests for the real binary.
 */
import type { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { Config, type Command } from '@oclif/core';
import { PROVIDERS_HOOK } from '../../src/cli/hooks.js';
import { Lifecycle } from '../../src/cli/lifecycle.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ProviderRegistration } from '../../src/ports/providers.js';

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

export interface InProcessOptions {
  env?: Record<string, string | undefined>;
  /**
   * Registrations that replace the plugins' ones of the same port and scheme
   * for this run (the contract-checked fakes of test/fakes behind the real
   * `relia:providers` hook); every other provider stays the plugins' own.
   */
  providers?: ProviderRegistration[];
  /** The command's clock instead of the system clock (a FakeClock: bakes and polls take no real time). */
  clock?: Clock;
  /**
   * A process-like emitter the command's Lifecycle listens to instead of the
   * process: `signals.emit('SIGINT')` interrupts the command as Ctrl-C would,
   * without signalling the vitest worker.
   */
  signals?: Pick<EventEmitter, 'on' | 'off'>;
}

/** A fake that answers for `port`/`scheme` whatever the settings (the settings it got are recorded in `seen`). */
export function fakeProvider<P extends ProviderRegistration['port']>(port: P, scheme: string, make: (settings: Parameters<ProviderRegistration<P>['create']>[0]) => Awaited<ReturnType<ProviderRegistration<P>['create']>>): ProviderRegistration<P> {
  return { port, scheme, description: `test fake (${port})`, create: async (settings) => make(settings) };
}

interface Instrumentable {
  clock: Clock;
  lifecycle: Lifecycle;
}

/** The command class with its clock and signal source replaced (a subclass; the command's code is unchanged). */
function instrumented(Cmd: CommandClass, options: InProcessOptions): CommandClass {
  if (!options.clock && !options.signals) return Cmd;
  const Base = Cmd as unknown as new (...args: unknown[]) => { init(): Promise<void> };
  class Instrumented extends Base {
    override async init(): Promise<void> {
      const self = this as unknown as Instrumentable;
      if (options.clock) self.clock = options.clock;
      await super.init();
      if (options.signals) {
        self.lifecycle.dispose();
        self.lifecycle = new Lifecycle({ emitter: options.signals, exit: () => undefined, log: () => undefined });
        self.lifecycle.install();
      }
    }
  }
  Object.defineProperty(Instrumented, 'name', { value: Cmd.name });
  return Instrumented as unknown as CommandClass;
}

/**
 * Replace the hook's registrations of the same port and scheme by `fakes`
 * (returns the undo). oclif builds a fresh Config from ours for every run, so
 * the patch is on the class, for the duration of one run (tests in a file run
 * one at a time).
 */
function withProviders(fakes: ProviderRegistration[] | undefined): () => void {
  if (!fakes) return () => undefined;
  const proto = Config.prototype as { runHook: Config['runHook'] };
  const real = proto.runHook;
  const replaced = (r: unknown) => fakes.some((f) => f.port === (r as ProviderRegistration | undefined)?.port && f.scheme === (r as ProviderRegistration | undefined)?.scheme);
  proto.runHook = async function (this: Config, ...args: Parameters<Config['runHook']>) {
    const out = await real.apply(this, args);
    if (args[0] !== PROVIDERS_HOOK) return out;
    const successes = out.successes.map((s) => ({ ...s, result: Array.isArray(s.result) ? (s.result as unknown[]).filter((r) => !replaced(r)) : s.result }));
    return { ...out, successes: [...successes, { plugin: { name: 'test-fakes' }, result: fakes }] };
  } as Config['runHook'];
  return () => {
    proto.runHook = real;
  };
}

export async function runInProcess<R = unknown>(Command: CommandClass, argv: string[], options: InProcessOptions = {}): Promise<InProcessRun<R>> {
  const cfg = await reliaConfig();
  const Cmd = instrumented(Command, options);
  const restoreProviders = withProviders(options.providers);
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
    restoreProviders();
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
