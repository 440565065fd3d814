/**
 * The chaos engine (docs/chaos.md#engine). Pure: ports, clock, randomness
 * and the halt switch are injected.
 *
 *   halt? → guards preflight → hypothesis before → method (guards every
 *   interval, samplers, background activities) → hypothesis after
 *   → ALWAYS: undo every registered injection (last first), then the file's
 *     rollbacks, each with a fresh signal and its own timeout.
 *
 * Exit: 0 held · 1 deviated / hypothesis not met before · 2/3 an input or
 * dependency failure before any fault · 4 aborted by a guard, a halt or an
 * action error, rolled back · 5 an undo or rollback failed · 130/143
 * interrupted, rolled back.
 */
import { ExitCode, InterruptedError, ReliaError } from '../errors.js';
import type { Injection, JournalEventSink } from './activity.js';
import { errorLines, iso, type AbortInfo, type ActivityRun, type InjectionRecord, type Journal, type SteadyState } from './journal.js';
import type { ActivitySpec, ContinuousHypothesis, Experiment } from './model.js';
import { redact } from './substitute.js';
import { checkHypothesis } from './hypothesis.js';
import { timed } from './timed.js';
import { GuardWatch, type StopInfo, type WatchOptions } from './watch.js';

export type { HaltState } from './watch.js';

export interface EngineOptions extends WatchOptions {
  /** Aborted by SIGINT/SIGTERM with an InterruptedError. */
  signal: AbortSignal;
  /** Limit per undo and per rollback activity (default 60 s). */
  undoTimeoutMs?: number;
  /** Limit per activity without its own timeout (default 5 min). */
  activityTimeoutMs?: number;
  version?: string;
  platform?: string;
  log?: JournalEventSink;
  /**
   * Targets per method action path, as the plan showed them. At run time an
   * action never touches more (pods scaled up or instances launched between the
   * plan, or the prompt, and the run): the blast radius never widens.
   */
  plannedTargets?: ReadonlyMap<string, number>;
}

export interface EngineOutcome {
  journal: Journal;
  exitCode: number;
}

class Stop extends Error {
  constructor(readonly info: StopInfo) {
    super(info.message);
  }
}

interface Live {
  record: InjectionRecord;
  injection: Injection;
  /** Its undo has been run (whether it worked or not). */
  tried?: boolean;
}

const SAFETY_EXIT = ExitCode.SafetyStop;

export class ChaosRun {
  private readonly injections: Live[] = [];
  private readonly running = new Set<string>();
  private readonly journal: Journal;
  private readonly watch: GuardWatch;
  private abort: AbortInfo | undefined;
  private actionError: unknown;
  private rollingBack = false;
  private readonly startMs: number;

  constructor(
    private readonly exp: Experiment,
    private readonly o: EngineOptions,
  ) {
    const now = o.clock.now();
    this.startMs = now;
    this.journal = {
      'chaoslib-version': null,
      platform: o.platform ?? 'relia',
      node: 'relia',
      experiment: exp.raw,
      start: iso(now),
      end: iso(now),
      duration: 0,
      // Stryker disable next-line StringLiteral: equivalent, finish() sets the status of every run
      status: 'completed',
      deviated: false,
      steady_states: { before: null, after: null, during: [] },
      run: [],
      rollbacks: [],
      relia: {
        version: o.version ?? '0.0.0',
        format: exp.format,
        exitCode: 0,
        // Stryker disable next-line StringLiteral: equivalent, finish() sets the reason of every run
        reason: '',
        guardIntervalMs: o.guardIntervalMs,
        guards: [],
        // Stryker disable next-line ArrayDeclaration: equivalent, finish() sets the injections of every run
        injections: [],
        leftovers: [],
      },
    };
    this.watch = new GuardWatch(exp.guards, o, this.journal.relia.guards);
  }

  /** What is still in place or running (printed on a second Ctrl-C). */
  stillRunning(): string[] {
    return [...this.injections.filter((l) => !l.record.undone).map((l) => `injected: ${l.record.description}`), ...[...this.running].map((r) => `running: ${r}`)];
  }

  private log(event: string, detail?: Record<string, unknown>): void {
    this.o.log?.(event, detail);
  }

  private finish(exitCode: number, status: Journal['status'], reason: string): EngineOutcome {
    const end = this.o.clock.now();
    const j = this.journal;
    j.end = iso(end);
    j.duration = (end - this.startMs) / 1000;
    j.status = status;
    j.relia.exitCode = exitCode;
    j.relia.reason = reason;
    if (this.abort) j.relia.abort = this.abort;
    j.relia.injections = this.injections.map((l) => l.record);
    this.log('done', { exitCode, status, reason });
    return { journal: redact(j, this.exp.secretValues), exitCode };
  }

  /** An action's run-time selection, capped at what the plan showed for it. */
  private claimTargets(a: ActivitySpec, wanted: number): number {
    const planned = this.o.plannedTargets?.get(a.path);
    if (planned === undefined || wanted <= planned) return wanted;
    this.log('targets-capped', { path: a.path, name: a.name, wanted, planned });
    return planned;
  }

  /** Run one activity (probe or action) and record it. */
  private async exec(a: ActivitySpec, signal: AbortSignal, timeoutMs?: number, argsOverride?: unknown, quiet = false): Promise<{ run: ActivityRun; error?: unknown }> {
    const started = this.o.clock.now();
    // A rollback activity restores the steady state. Decided when the activity starts: a method action
    // the abort cut may still inject once the rollback has begun, and that fault must be undone too.
    const restoring = this.rollingBack;
    const label = `${a.kind} ${a.name} (${a.type})`;
    this.running.add(label);
    if (!quiet) this.log('activity-start', { name: a.name, type: a.type, path: a.path });
    const args = argsOverride ?? this.o.args.get(a);
    const ctx = { ports: this.o.ports, clock: this.o.clock, random: this.o.random, policy: this.o.policy, dryRun: false, log: (e: string, d?: Record<string, unknown>) => this.log(e, d) };
    let output: unknown;
    let error: unknown;
    try {
      output = await timed(this.o.clock, a.timeoutMs ?? timeoutMs ?? this.o.activityTimeoutMs ?? 300_000, signal, async (s) => {
        if (a.kind === 'action') {
          const def = this.o.registry.action(a.type);
          if (!def) throw new Error(`unknown action ${a.type}`);
          return def.run(args, {
            ...ctx,
            signal: s,
            ...(restoring ? {} : { claimTargets: (wanted: number) => this.claimTargets(a, wanted) }),
            inject: (injection: Injection) => {
              if (restoring) {
                // A rollback restores the steady state: what it puts in place is not a fault to undo.
                this.log('rollback-injection-ignored', { activity: a.name, description: injection.description });
                return;
              }
              const record: InjectionRecord = { activity: a.name, description: injection.description, manualUndo: injection.manualUndo, injectedAt: iso(this.o.clock.now()), undone: false };
              this.injections.push({ record, injection });
              this.log('injected', { activity: a.name, description: injection.description });
            },
          });
        }
        const def = this.o.registry.probe(a.type);
        if (!def) throw new Error(`unknown probe ${a.type}`);
        return def.run(args, { ...ctx, signal: s });
      });
    } catch (e) {
      error = e;
    } finally {
      this.running.delete(label);
    }
    const ended = this.o.clock.now();
    const run: ActivityRun = { activity: a.source, status: error === undefined ? 'succeeded' : 'failed', start: iso(started), end: iso(ended), duration: (ended - started) / 1000 };
    if (error === undefined) run.output = output;
    else run.exception = errorLines(error);
    return { run, error };
  }

  private async pause(ms: number | undefined, signal: AbortSignal): Promise<void> {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent, a zero pause only yields a tick; with an aborted signal (pauses.after of an activity the abort cut) it throws, which ends the method as the abort does anyway
    if (ms !== undefined && ms > 0) await this.o.clock.sleep(ms, signal);
  }

  /** The hypothesis once (./hypothesis.ts). */
  private hypothesis(signal: AbortSignal, quiet = false): Promise<{ state: SteadyState; error?: unknown }> {
    const deps = { registry: this.o.registry, args: this.o.args, exec: (a: ActivitySpec, s: AbortSignal, args?: unknown) => this.exec(a, s, undefined, args, quiet) };
    return checkHypothesis(this.exp.steadyState?.probes ?? [], deps, signal);
  }

  /**
   * The hypothesis checked every `everyMs` during the method (chaostoolkit's
   * `continuously` strategy): each completed check is one entry of
   * `steady_states.during`; a check cut short by the method's end is dropped.
   * With failFast, the first check not met stops the method (deviated, exit 1).
   */
  private async continuous(spec: ContinuousHypothesis, stop: (info: StopInfo) => void, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let state: SteadyState;
      // Stryker disable BlockStatement: equivalent for the catch, the check throws only when the signal aborted, and the next test returns then (this also marks the try block's mutant, which the continuous tests kill)
      try {
        ({ state } = await this.hypothesis(signal, true)); // one progress line per check (hypothesis-during), not one per probe
      } catch {
        return;
      }
      // Stryker restore BlockStatement
      if (signal.aborted) return;
      this.journal.steady_states.during.push(state);
      this.log('hypothesis-during', { met: state.steady_state_met, check: this.journal.steady_states.during.length });
      if (!state.steady_state_met && spec.failFast) {
        const last = state.probes[state.probes.length - 1];
        // Stryker disable next-line ConditionalExpression,OptionalChaining,StringLiteral: equivalent, a check that is not met ran a probe, and both formats require a string name on every probe
        const name = typeof last?.activity.name === 'string' ? last.activity.name : 'a probe';
        // Stryker disable next-line OptionalChaining: equivalent, a check that is not met ran a probe
        stop({ by: 'hypothesis', what: name, message: `the steady state deviated during the method: ${name} ${last?.status === 'failed' ? 'failed' : 'was not within its tolerance'} (fail fast)` });
        return;
      }
      // the sleep fails only when the signal aborts, which ends the loop
      await this.o.clock.sleep(spec.everyMs, signal).catch(() => undefined);
    }
  }

  /** The caller's signal, when aborted: the CLI aborts it with an InterruptedError; any other reason counts as SIGINT (as throwIfAborted does). */
  private interruption(): InterruptedError | null {
    const { signal } = this.o;
    if (!signal.aborted) return null;
    return signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGINT', 'aborted');
  }

  /** Undo every injection (last first), then the file's rollbacks; each with a fresh signal. */
  private async rollback(): Promise<void> {
    this.rollingBack = true;
    const undoMs = this.o.undoTimeoutMs ?? 60_000;
    await this.undoAll(undoMs);
    if (this.abort) {
      const removed = this.o.clock.now();
      this.abort.removedAt = iso(removed);
      if (this.abort.firstOverAt !== undefined) this.abort.reactionMs = removed - Date.parse(this.abort.firstOverAt);
    }
    for (const r of this.exp.rollbacks) {
      const fresh = new AbortController();
      const { run, error } = await this.exec(r, fresh.signal, undoMs);
      this.journal.rollbacks.push(run);
      if (error !== undefined) {
        this.journal.relia.leftovers.push({
          description: `rollback ${r.name} (${r.path})`,
          manualUndo: `re-run rollback ${r.name} by hand`,
          // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, a failed run always has its exception line
          error: run.exception?.[0] ?? 'failed',
        });
      }
    }
    // what a cut action injected while the file's rollbacks ran
    await this.undoAll(undoMs);
  }

  /** Undo every injection not tried yet, last first, until none is left (one that lands meanwhile included). */
  private async undoAll(undoMs: number): Promise<void> {
    for (let live = this.injections.findLast((l) => !l.tried); live; live = this.injections.findLast((l) => !l.tried)) {
      live.tried = true;
      const label = `undo ${live.record.description}`;
      this.running.add(label);
      try {
        await timed(this.o.clock, undoMs, null, (signal) => live.injection.undo({ ports: this.o.ports, clock: this.o.clock, signal, log: (e, d) => this.log(e, d) }));
        live.record.undone = true;
        live.record.undoneAt = iso(this.o.clock.now());
        this.log('undone', { description: live.record.description });
      } catch (error) {
        // Stryker disable next-line StringLiteral: equivalent, errorLines always gives one line
        live.record.error = errorLines(error)[0] ?? 'undo failed';
        this.journal.relia.leftovers.push({ description: live.record.description, manualUndo: live.record.manualUndo, error: live.record.error });
      } finally {
        this.running.delete(label);
      }
    }
  }

  async run(): Promise<EngineOutcome> {
    const { clock, signal } = this.o;
    const startedAt = clock.now();
    // 1. The halt switch and the guards, before anything is touched.
    const pre = await this.watch.checkAll(this.watch.env(signal, startedAt), new Set(['maxDuration']));
    if (pre) {
      this.abort = { ...pre, trippedAt: iso(clock.now()) };
      // the fail-closed message of checkAll, by its whole prefix: a tripped guard's message may hold any alarm name
      if (pre.message.startsWith(`guard ${pre.what} could not be evaluated (fail closed): `)) {
        return this.finish(ExitCode.Dependency, 'failed', `${pre.message}; nothing was injected`);
      }
      return this.finish(SAFETY_EXIT, 'aborted', `${pre.message}; nothing was injected`);
    }
    // 2. The hypothesis before the method.
    const interruptedBefore = (e: InterruptedError): EngineOutcome => this.finish(e.exitCode, 'interrupted', `${e.message}; nothing was injected`);
    try {
      const before = await this.hypothesis(signal);
      this.journal.steady_states.before = before.state;
      // a signal during the hypothesis interrupts it, also where the probe it cut reads as "not met" (a tolerance probe)
      const stopped = this.interruption();
      if (stopped) return interruptedBefore(stopped);
      const e = before.error;
      if (ReliaError.is(e) && (e.exitCode === ExitCode.Dependency || e.exitCode === ExitCode.Usage)) {
        return this.finish(e.exitCode, 'failed', `${e.message} (before any fault; nothing was injected)`);
      }
      if (!before.state.steady_state_met) return this.finish(ExitCode.CheckFailed, 'failed', 'the steady state was not met before the method; nothing was injected');
    } catch (e) {
      // checkHypothesis throws the signal's reason when the signal aborts between two probes
      const stopped = this.interruption();
      if (stopped) return interruptedBefore(stopped);
      throw e;
    }

    // 3. The method, watched by the guards.
    const method = new AbortController();
    const onSignal = (): void => method.abort(signal.reason);
    // Stryker disable next-line ConditionalExpression: equivalent, step 2 returned if the signal had aborted and nothing is awaited since (kept against a later await here)
    if (signal.aborted) method.abort(signal.reason);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, a signal aborts once and the listener is removed below
    signal.addEventListener('abort', onSignal, { once: true });
    const watching = new AbortController();
    const stop = (info: StopInfo): void => {
      if (this.abort) return;
      this.abort = { ...info, trippedAt: iso(clock.now()) };
      this.log('abort', { ...this.abort });
      method.abort(new Stop(info));
    };
    const samplers = this.watch.samplers(watching.signal);
    const monitor = this.watch.monitor(this.watch.env(watching.signal, startedAt), stop, watching.signal);
    const during = this.exp.steadyState?.continuous ? this.continuous(this.exp.steadyState.continuous, stop, watching.signal) : Promise.resolve();
    let deviated = false;
    try {
      // Stryker disable next-line ArrayDeclaration: equivalent, Promise.all of a non-promise resolves at once
      const background: Array<Promise<void>> = [];
      for (const step of this.exp.method) {
        if (method.signal.aborted) break;
        if (step.kind === 'pause') {
          await this.pause(step.ms, method.signal);
          continue;
        }
        const go = async (): Promise<void> => {
          await this.pause(step.pauses?.before, method.signal);
          const { run, error } = await this.exec(step, method.signal);
          this.journal.run.push(run);
          if (error !== undefined && step.kind === 'action' && !method.signal.aborted) {
            this.actionError = error;
            // Stryker disable next-line StringLiteral: equivalent, errorLines always gives one line
            const line = errorLines(error)[0] ?? '';
            stop({ by: 'error', what: step.name, message: `action ${step.name} failed: ${line}` });
          }
          await this.pause(step.pauses?.after, method.signal);
        };
        if (step.background) background.push(go().catch(() => undefined));
        else await go();
      }
      await Promise.all(background);
      if (!method.signal.aborted && this.exp.steadyState) {
        const after = await this.hypothesis(method.signal);
        this.journal.steady_states.after = after.state;
        // a check cut short by an abort (a guard, a halt, a signal) is not a deviation
        deviated = !after.state.steady_state_met && !method.signal.aborted;
      }
    } catch {
      // aborted: a pause or the hypothesis saw the signal; the reason is in this.abort or the user signal
    } finally {
      watching.abort();
      signal.removeEventListener('abort', onSignal);
      await Promise.allSettled([monitor, during, ...samplers]);
    }
    const interrupted = this.interruption();
    if (interrupted && !this.abort) this.abort = { by: 'signal', what: interrupted.signal, message: interrupted.message, trippedAt: iso(clock.now()) };

    // 4. ALWAYS: undo and roll back.
    await this.rollback();

    // A fail-fast check that was not met is a deviation, whether or not every undo worked.
    this.journal.deviated = deviated || this.abort?.by === 'hypothesis';
    const left = this.journal.relia.leftovers;
    if (left.length > 0) {
      return this.finish(ExitCode.CleanupFailed, this.abort && this.abort.by !== 'hypothesis' ? (interrupted ? 'interrupted' : 'aborted') : 'failed', `${left.length} undo/rollback step(s) failed; manual action is needed`);
    }
    if (interrupted) return this.finish(interrupted.exitCode, 'interrupted', `interrupted by ${interrupted.signal}; everything injected was undone`);
    if (this.abort?.by === 'hypothesis') return this.finish(ExitCode.CheckFailed, 'failed', `${this.abort.message}; rolled back`);
    if (this.abort) {
      // set only by the action failure that stopped the method (this.abort.by is 'error' then)
      const e = this.actionError;
      if (this.injections.length === 0 && ReliaError.is(e) && (e.exitCode === ExitCode.Usage || e.exitCode === ExitCode.Dependency)) {
        return this.finish(e.exitCode, 'failed', `${this.abort.message} (before any fault was in place)`);
      }
      return this.finish(SAFETY_EXIT, 'aborted', `${this.abort.message}; rolled back`);
    }
    if (deviated) return this.finish(ExitCode.CheckFailed, 'failed', 'the steady state deviated after the method; rolled back');
    return this.finish(ExitCode.Ok, 'completed', 'the steady state held; rolled back');
  }
}

/** Run an experiment to its end (the CLI keeps the ChaosRun to answer a second Ctrl-C). */
export function runExperiment(exp: Experiment, options: EngineOptions): Promise<EngineOutcome> {
  return new ChaosRun(exp, options).run();
}
