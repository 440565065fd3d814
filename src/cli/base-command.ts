/**
 * The one base command. It owns: parsing (base + command flags), config
 * loading (file → RELIA_* env → flags), the JSON envelope, error → exit-code
 * mapping with suggestions, warnings, and cancellation/cleanup.
 *
 * A command extends `ReliaCommand<typeof Cmd>`, implements `run()` returning
 * its typed result, prints human output itself unless `this.jsonEnabled()`,
 * and sets `this.status = 1` (via `this.checkFailed`) when its check says no.
 */
import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { CheckFailedError, CleanupFailedError, ExitCode, InputError, InternalError, InterruptedError, ReliaError } from '../core/errors.js';
import { redactText, type ConfigOverrides, type ResolvedConfig } from '../core/config/resolve.js';
import { MIN_REDACTED_LENGTH } from '../core/secrets.js';
import type { Clock } from '../ports/clock.js';
import { loadConfig } from './config-loader.js';
import { deprecatedUses, deprecationWarning } from './deprecations.js';
import { Lifecycle } from './lifecycle.js';
import { describeParseError, type CommandInfo, type FlagInfo } from './parse-errors.js';
import { loadProviders, type ProviderRegistry } from './providers.js';
import { colorEnabled, makeStyle, terminalWidth, type Style } from './style.js';

/** See ReliaCommand.context(). */
export interface CommandContext {
  providers(): Promise<ProviderRegistry>;
  /** The resolved config, loaded on first use. */
  resolved(): ResolvedConfig;
  lifecycle: Lifecycle;
  clock: Clock;
  verbose(line: string): void;
  warn(line: string): void;
  /** The binary's name and the arguments as given after the command id (for "run this to resume" hints). */
  bin: string;
  argv: readonly string[];
}

export type InferredFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof ReliaCommand)['baseFlags'] & T['flags']>;
export type InferredArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

export interface ErrorBody {
  name: string;
  message: string;
  field?: string;
  suggestions: string[];
}

/** What `--json` prints: exactly one document on stdout. */
export interface Envelope<R> {
  status: number;
  result?: R;
  error?: ErrorBody;
  warnings: string[];
}

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The value of -o/--output in argv (before `--`), when it is one of the formats. */
export function outputFormatOf(argv: readonly string[]): OutputFormat | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') break;
    if (a === '-o' || a === '--output') found = argv[i + 1];
    else if (a.startsWith('--output=')) found = a.slice('--output='.length);
    else if (/^-o=?[a-z]/.test(a)) found = a.slice(a[2] === '=' ? 3 : 2);
  }
  // Stryker disable next-line StringLiteral: equivalent, the fallback for no -o only has to be a string that is not a format, and the mutant's is not one either
  return (OUTPUT_FORMATS as readonly string[]).includes(found ?? '') ? (found as OutputFormat) : undefined;
}

/** Internal error (a bug): not one of the documented outcomes. */
export const EXIT_INTERNAL = ExitCode.Internal;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        // Stryker disable next-line OptionalChaining: equivalent, onAbort is only ever registered on a signal, so signal is defined when it runs
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Map anything thrown to a ReliaError with an exit code and suggestions. */
export function toReliaError(err: unknown, commandId: string | undefined, interruptedBy: 'SIGINT' | 'SIGTERM' | null, command?: Omit<CommandInfo, 'id'>): ReliaError {
  if (ReliaError.is(err)) return err;
  if (interruptedBy) return new InterruptedError(interruptedBy);
  // Ctrl-C at an @inquirer prompt: the prompt rejects with ExitPromptError
  // (the terminal is in raw mode, so no SIGINT arrives). Nothing was written.
  if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
    return new InterruptedError('SIGINT', 'cancelled at the prompt; nothing was changed');
  }
  if (err instanceof Error) {
    // A flag's parse() that threw our InputError arrives wrapped by oclif.
    const cause = (err as { cause?: unknown }).cause;
    if (ReliaError.is(cause)) return cause;
    const exit = err instanceof Errors.CLIError ? (err as Errors.CLIError).oclif?.exit : undefined;
    // oclif's parse errors (every class of its parser's errors extends
    // CLIParseError, a CLIError with a `parse` field), and its other usage
    // errors (a flag value its own parser refused, exit 2)
    if (err instanceof Errors.CLIError && ('parse' in err || exit === undefined || exit === ExitCode.Usage)) {
      const id = (commandId ?? '').replaceAll(':', ' ');
      // eslint-disable-next-line no-control-regex
      const plain = err.message.replace(/\u001b\[[0-9;]*m/g, '');
      const described = command ? describeParseError(plain, { ...command, id }) : undefined;
      if (described) return described;
      const message = plain
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !/^See more help/.test(l))
        .join('\n');
      return new InputError(message, { suggestions: [`see \`relia ${id}${id ? ' ' : ''}--help\``] });
    }
    if (err instanceof Errors.CLIError) return new ReliaError(err.message, exit as number);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError(`internal error: ${message}`, {
    cause: err,
    suggestions: ['this is a bug in relia; re-run with --verbose and report the output'],
  });
}

export abstract class ReliaCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    config: Flags.string({
      description: 'Config file (default: relia.config.yaml or .reliarc.* found upward from the current directory).',
      helpGroup: 'GLOBAL',
    }),
    env: Flags.string({ description: 'Named environment from the config file (default: RELIA_ENV, then defaultEnvironment).', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'Log requests and decisions to stderr (secrets redacted).', helpGroup: 'GLOBAL' }),
    output: Flags.string({
      char: 'o',
      description: 'Output format: table (fits the terminal), wide (every column), json (same as --json), yaml (the JSON document as YAML), markdown (tables as Markdown).',
      options: [...OUTPUT_FORMATS],
      helpGroup: 'GLOBAL',
    }),
    wide: Flags.boolean({ description: 'Show every table column whatever the terminal width (same as -o wide).', helpGroup: 'GLOBAL' }),
  };

  protected flags!: InferredFlags<T>;
  protected args!: InferredArgs<T>;
  protected lifecycle!: Lifecycle;
  protected style!: Style;
  protected clock: Clock = systemClock;
  /** Exit status of a completed run: 0, or 1 when the check's answer is no. */
  protected status: number = ExitCode.Ok;
  protected readonly warnings: string[] = [];
  private failure: ErrorBody | undefined;
  private resolvedConfig: ResolvedConfig | undefined;
  private registry: ProviderRegistry | undefined;
  private errorReported = false;
  /** Values given to redactValues; redactText drops the short ones and replaces the longest first. */
  private readonly extraSecrets = new Set<string>();
  private stringifyYaml: ((value: unknown, options: { lineWidth: number }) => string) | undefined;

  public override async init(): Promise<void> {
    await super.init();
    this.lifecycle = new Lifecycle();
    this.lifecycle.install();
    const ctor = this.ctor as typeof ReliaCommand;
    const { args, flags } = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      args: ctor.args,
      strict: ctor.strict,
    });
    this.flags = flags as InferredFlags<T>;
    this.args = args as InferredArgs<T>;
    const format = this.outputFormat();
    // Loaded only for -o yaml: startup stays lean for everything else.
    if (format === 'yaml') this.stringifyYaml = (await import('yaml')).stringify;
    const width = format === 'wide' || format === 'markdown' || this.flags.wide === true ? Number.POSITIVE_INFINITY : terminalWidth();
    this.style = makeStyle(this.colour(), { width, format: format === 'markdown' ? 'markdown' : 'table' });
  }

  /** docs/output.md: colour when stdout is a colour terminal (NO_COLOR, FORCE_COLOR, TERM=dumb), never for a document or Markdown. Known from argv and the environment, so before the flags are parsed too. */
  private colour(): boolean {
    return colorEnabled(process.stdout) && !this.jsonEnabled() && this.outputFormat() !== 'markdown';
  }

  /** `-o FORMAT` / `--output FORMAT` from argv (known before parsing, like oclif's own --json). */
  protected outputFormat(): OutputFormat | undefined {
    return outputFormatOf(this.argv);
  }

  /** --json, or -o json / -o yaml: the result is printed as one document. */
  public override jsonEnabled(): boolean {
    const format = this.outputFormat();
    // Stryker disable next-line OptionalChaining: equivalent, oclif's ctor getter is this.constructor, never undefined
    return super.jsonEnabled() || ((format === 'json' || format === 'yaml') && this.ctor?.enableJsonFlag === true);
  }

  /** What parse-error messages need to know of this command: its flags and examples. */
  private commandInfo(): Omit<CommandInfo, 'id'> {
    const ctor = this.ctor as typeof ReliaCommand;
    const flags = { ...(ctor.baseFlags ?? {}), ...(ctor.flags ?? {}) } as Record<string, FlagInfo>;
    // Stryker disable next-line ArrayDeclaration: equivalent, examples are only searched for one naming the missing --flag (parse-errors.ts exampleWith), which the mutant's placeholder string never does
    const examples = (ctor.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command));
    return { bin: this.config?.bin ?? 'relia', flags, examples };
  }

  /** Overrides from this command's own flags (e.g. --prometheus). */
  protected configOverrides(): ConfigOverrides {
    const f = this.flags as Record<string, unknown>;
    const out: ConfigOverrides = {};
    if (typeof f.env === 'string') out.env = f.env;
    if (typeof f.prometheus === 'string') out.metricsUrl = f.prometheus;
    if (typeof f.redis === 'string') out.redisUrl = f.redis;
    return out;
  }

  /** The resolved config (loaded once, on first use). */
  protected get resolved(): ResolvedConfig {
    this.resolvedConfig ??= loadConfig({
      ...(typeof this.flags.config === 'string' ? { configPath: this.flags.config } : {}),
      overrides: this.configOverrides(),
    });
    return this.resolvedConfig;
  }

  /** Providers from every plugin's `relia:providers` hook (run once, on first use). */
  protected async providers(): Promise<ProviderRegistry> {
    if (!this.registry) {
      this.registry = await loadProviders(this.config);
      for (const w of this.registry.warnings) this.warn(w);
    }
    return this.registry;
  }

  /**
   * What CLI glue in src/cli needs from the running command (providers,
   * config, lifecycle, clock, diagnostics), so shared helpers need not be
   * methods of a command class.
   */
  protected context(): CommandContext {
    return {
      providers: () => this.providers(),
      resolved: () => this.resolved,
      lifecycle: this.lifecycle,
      clock: this.clock,
      verbose: (line) => this.verbose(line),
      warn: (line) => void this.warn(line),
      bin: this.config.bin,
      argv: this.argv,
    };
  }

  /** True when prompts are allowed: stdin and stdout are TTYs and CI is not set. */
  protected canPrompt(): boolean {
    return process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI && !this.jsonEnabled();
  }

  /**
   * Text with secrets removed: the values config resolved (when loaded) and
   * whatever looks like a credential (URL passwords, credential headers, secret
   * query parameters). Every failure text, warning, --verbose line and stack
   * relia prints goes through it.
   */
  protected redact(text: string): string {
    return redactText(text, this.resolvedConfig?.secrets ?? {}, [...this.extraSecrets]);
  }

  /**
   * Secret values a command resolved itself (a chaos experiment's `secrets`),
   * removed from every text `redact` covers from now on, as config secrets are.
   * Call it before anything that may print them (planning, errors).
   */
  protected redactValues(values: readonly string[]): void {
    // shorter values would blank ordinary text wherever they occur: say so, without the value
    const short = values.filter((v) => v.length > 0 && v.length < MIN_REDACTED_LENGTH).length;
    if (short > 0) this.warn(`${short} secret value${short === 1 ? ' is' : 's are'} shorter than ${MIN_REDACTED_LENGTH} characters and cannot be redacted from output or the journal; use the real credential`);
    for (const v of values) this.extraSecrets.add(v);
  }

  /** Log a diagnostic line to stderr under --verbose, with secrets redacted. */
  protected verbose(line: string): void {
    if (!this.flags?.verbose) return;
    process.stderr.write(`${this.style.dim(`[relia] ${this.redact(line)}`)}\n`);
  }

  /** Record that the check's answer is no (exit 1); the result is still printed. */
  protected checkFailed(message: string, suggestions: string[] = []): void {
    const e = new CheckFailedError(message, { suggestions });
    this.failWithResult(e.exitCode, 'CheckFailed', e.message, e.suggestions);
  }

  /**
   * Exit with `exitCode` while still printing the result (e.g. a gate that
   * fails closed with exit 3 on invalid metric data, after its report).
   */
  protected failWithResult(exitCode: number, name: string, message: string, suggestions: string[] = []): void {
    this.status = exitCode;
    message = this.redact(message);
    suggestions = suggestions.map((x) => this.redact(x));
    this.failure = { name, message, suggestions };
    if (!this.jsonEnabled()) {
      // called from run() only (checkFailed too), which oclif starts after init() made the style
      const s = this.style;
      if (exitCode !== ExitCode.CheckFailed) process.stderr.write(`${[`${s.red('Error')}: ${message}`, ...suggestions.map((x) => `${s.cyan('Try this')}: ${x}`)].join('\n')}\n`);
    }
  }

  public override warn(input: string | Error): string | Error {
    const text = this.redact(input instanceof Error ? input.message : input);
    this.warnings.push(text);
    if (!this.jsonEnabled()) process.stderr.write(`${(this.style ?? makeStyle(this.colour())).yellow('warning')}: ${text}\n`);
    return input;
  }

  /**
   * Deprecated flag spellings (src/cli/deprecations.ts): one warning line
   * each, on stderr even under --json (which concerns stdout only), and in
   * the envelope's `warnings`. Replaces oclif's check, which misses
   * `--old=value` and `-xVALUE`.
   */
  protected override warnIfFlagDeprecated(): void {
    const ctor = this.ctor as typeof ReliaCommand;
    for (const use of deprecatedUses(this.argv, { ...(ctor.baseFlags ?? {}), ...(ctor.flags ?? {}) })) {
      const text = deprecationWarning(use);
      this.warnings.push(text);
      process.stderr.write(`warning: ${text}\n`);
    }
  }

  protected override toSuccessJson(result: unknown): Envelope<unknown> {
    const envelope: Envelope<unknown> = { status: this.status, result, warnings: this.warnings };
    if (this.failure) envelope.error = this.failure;
    return envelope;
  }

  protected override toErrorJson(err: unknown): Envelope<never> {
    const e = ReliaError.is(err) ? err : toReliaError(err, this.id, this.lifecycle?.interruptedBy ?? null, this.commandInfo());
    const body: ErrorBody = { name: e.name, message: this.redact(e.message), suggestions: e.suggestions.map((x) => this.redact(x)) };
    if (e.field !== undefined) body.field = e.field;
    return { status: e.exitCode, error: body, warnings: this.warnings };
  }

  public override logJson(json: unknown): void {
    // One compact-but-readable document; never colourised (machines read it).
    if (this.stringifyYaml) process.stdout.write(this.stringifyYaml(JSON.parse(JSON.stringify(json)) as unknown, { lineWidth: 0 }));
    else process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }

  public override async catch(err: Error & { exitCode?: number }): Promise<void> {
    if (err instanceof Errors.ExitError) throw err;
    let e = toReliaError(err, this.id, this.lifecycle?.interruptedBy ?? null, this.commandInfo());
    const failures = this.lifecycle ? await this.lifecycle.runCleanups() : [];
    if (failures.length > 0) e = this.cleanupError(failures, e);
    this.report(e);
  }

  public override async finally(err: Error | undefined): Promise<void> {
    try {
      if (!err && this.lifecycle) {
        const failures = await this.lifecycle.runCleanups();
        if (failures.length > 0) this.report(this.cleanupError(failures));
      }
    } finally {
      this.lifecycle?.dispose();
      if (!this.errorReported) process.exitCode = this.status;
      await super.finally(err);
    }
  }

  private cleanupError(failures: Array<{ name: string; error: unknown }>, original?: ReliaError): CleanupFailedError {
    const leftovers = failures.map((f) => `${f.name}: ${f.error instanceof Error ? f.error.message : String(f.error)}`);
    const before = original ? `${original.message}; then ` : '';
    return new CleanupFailedError(`${before}cleanup failed, manual action is needed:\n  ${leftovers.join('\n  ')}`, leftovers, {
      suggestions: ['undo the items listed above by hand, then re-run'],
    });
  }

  private report(e: ReliaError): void {
    this.errorReported = true;
    process.exitCode = e.exitCode;
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(e));
      return;
    }
    const s = this.style ?? makeStyle(this.colour());
    // An interrupt is the user's choice, not a failure: one quiet line.
    if (e instanceof InterruptedError) {
      process.stderr.write(`${this.redact(e.message)}\n`);
      return;
    }
    const lines = [`${s.red('Error')}: ${this.redact(e.message)}`];
    for (const suggestion of e.suggestions) lines.push(`${s.cyan('Try this')}: ${this.redact(suggestion)}`);
    if (this.flags?.verbose && e.cause instanceof Error && e.cause.stack) lines.push(s.dim(this.redact(e.cause.stack)));
    process.stderr.write(`${lines.join('\n')}\n`);
  }

  /**
   * oclif's run loop, with two changes: when cleanup fails after a successful
   * run, the error document replaces the success document, and a run that
   * returns nothing still prints its envelope, so `--json` always prints
   * exactly one.
   */
  protected override async _run<R>(): Promise<R> {
    let err: Error | undefined;
    let result: R | undefined;
    try {
      await this.init();
      result = (await this.run()) as R;
    } catch (error) {
      err = error as Error;
      await this.catch(err);
    } finally {
      await this.finally(err);
    }
    // also when run returned nothing: --json prints exactly one document (a failure recorded by failWithResult is in it)
    if (this.jsonEnabled() && !this.errorReported) this.logJson(this.toSuccessJson(result));
    return result as R;
  }
}
