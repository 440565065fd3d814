/**
 * Cancellation and cleanup, one mechanism for every command: a command's work
 * gets `lifecycle.signal`; anything that must be undone registers a cleanup
 * with `defer()`. SIGINT/SIGTERM abort the signal with an InterruptedError; the
 * command unwinds, cleanups run (last registered first), and the process exits
 * 130/143. If the work ignores the abort for `graceMs`, or a second signal
 * arrives, cleanups run at once and the process exits anyway.
 */
import type { EventEmitter } from 'node:events';
import { InterruptedError } from '../core/errors.js';

export type Cleanup = () => Promise<void> | void;

export interface CleanupFailure {
  name: string;
  error: unknown;
}

export interface LifecycleOptions {
  /** Process-like emitter of 'SIGINT'/'SIGTERM' (tests pass their own). */
  emitter?: Pick<EventEmitter, 'on' | 'off'>;
  /** How long to wait for the work to unwind after a signal before forcing cleanup. */
  graceMs?: number;
  /** Called when a forced exit is needed; defaults to process.exit. */
  exit?: (code: number) => void;
  /** Where forced-exit diagnostics go. */
  log?: (line: string) => void;
}

type Signal = 'SIGINT' | 'SIGTERM';

/**
 * Lifecycle lines go through console.error: while an ink progress bar is on
 * screen (it patches the console), ink prints them above the bar instead of
 * drawing over them, so "stopping and cleaning up" stays visible.
 */
const consoleLine = (line: string): void => console.error(line);

export class Lifecycle {
  private readonly controller = new AbortController();
  private readonly cleanups: Array<{ name: string; fn: Cleanup }> = [];
  private received: Signal | null = null;
  private cleaning: Promise<CleanupFailure[]> | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private uninstall: (() => void) | null = null;

  constructor(private readonly options: LifecycleOptions = {}) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The signal received, if any. */
  get interruptedBy(): Signal | null {
    return this.received;
  }

  /** Register a cleanup; returns a function that removes it (call it when the work undid itself). */
  defer(name: string, fn: Cleanup): () => void {
    const entry = { name, fn };
    this.cleanups.push(entry);
    return () => {
      const i = this.cleanups.indexOf(entry);
      if (i >= 0) this.cleanups.splice(i, 1);
    };
  }

  /** Abort the work programmatically (e.g. a safety guard), with a reason. */
  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** Run every registered cleanup once, last first. Failures are collected, not thrown. */
  runCleanups(): Promise<CleanupFailure[]> {
    this.cleaning ??= (async () => {
      const failures: CleanupFailure[] = [];
      while (this.cleanups.length > 0) {
        const { name, fn } = this.cleanups.pop() as { name: string; fn: Cleanup };
        try {
          await fn();
        } catch (error) {
          failures.push({ name, error });
        }
      }
      return failures;
    })();
    return this.cleaning;
  }

  /** Listen for SIGINT/SIGTERM. Returns a function that stops listening. */
  install(): () => void {
    const emitter = this.options.emitter ?? process;
    const onSignal = (sig: Signal) => () => this.onSignal(sig);
    const onInt = onSignal('SIGINT');
    const onTerm = onSignal('SIGTERM');
    emitter.on('SIGINT', onInt);
    emitter.on('SIGTERM', onTerm);
    this.uninstall = () => {
      emitter.off('SIGINT', onInt);
      emitter.off('SIGTERM', onTerm);
      if (this.graceTimer) clearTimeout(this.graceTimer);
    };
    return this.uninstall;
  }

  dispose(): void {
    this.uninstall?.();
    this.uninstall = null;
  }

  private onSignal(sig: Signal): void {
    const log = this.options.log ?? consoleLine;
    if (this.received === null) {
      this.received = sig;
      log(`relia: ${sig} received; stopping and cleaning up (send again to force)`);
      this.controller.abort(new InterruptedError(sig));
      const grace = this.options.graceMs ?? 10_000;
      this.graceTimer = setTimeout(() => void this.forceExit(sig, `work did not stop within ${grace} ms`), grace);
      // Stryker disable next-line OptionalChaining: equivalent, Node's setTimeout (and vitest's fake one) always returns a Timeout with unref()
      this.graceTimer.unref?.();
      return;
    }
    void this.forceExit(this.received, `second ${sig}`);
  }

  private async forceExit(sig: Signal, why: string): Promise<void> {
    const log = this.options.log ?? consoleLine;
    log(`relia: ${why}; running cleanup now`);
    const failures = await this.runCleanups();
    for (const f of failures) log(`relia: cleanup "${f.name}" failed: ${f.error instanceof Error ? f.error.message : String(f.error)}`);
    const exit = this.options.exit ?? ((code: number) => process.exit(code));
    exit(failures.length > 0 ? 5 : sig === 'SIGINT' ? 130 : 143);
  }
}
