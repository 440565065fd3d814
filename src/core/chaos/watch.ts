/**
 * What watches a chaos run (docs/chaos.md#guards): the halt switch and every
 * guard, once before anything is touched and then every guard interval at a
 * fixed rate, and the probe samplers behind `userImpact` guards. A guard's
 * state changes are the journal's `relia.guards` events. Pure: ports, clock,
 * randomness and the halt switch are injected.
 */
import type { SloDefinition } from '../budget/index.js';
import type { Clock, Random } from '../../ports/clock.js';
import type { ActivityPorts, ActivityRegistry, ChaosPolicy } from './activity.js';
import { checkGuard, SampleWindow, type GuardCheck, type GuardEnv } from './guards.js';
import { errorLines, iso, type AbortInfo, type Journal } from './journal.js';
import type { GuardSpec } from './model.js';
import { timed } from './timed.js';
import type { CheckedArgs } from './validate.js';

export interface HaltState {
  reason: string;
  at?: string;
  by?: string;
}

/** What a watch needs; the engine's options are a superset. */
export interface WatchOptions {
  registry: ActivityRegistry;
  args: CheckedArgs;
  ports: ActivityPorts;
  clock: Clock;
  random: Random;
  policy: ChaosPolicy;
  guardIntervalMs: number;
  /** The halt switch: null when not halted. Throwing counts as halted (fail closed). */
  halt: () => Promise<HaltState | null>;
  /** SLOs of sloBurn guards, by guard name. */
  slos?: ReadonlyMap<string, SloDefinition>;
}

export type StopInfo = Omit<AbortInfo, 'trippedAt'>;

export class GuardWatch {
  private readonly windows = new Map<string, SampleWindow>();
  private readonly lastState = new Map<string, GuardCheck['state']>();

  constructor(
    private readonly guards: readonly GuardSpec[],
    private readonly o: WatchOptions,
    /** The journal's guard events: one per change of a guard's state. */
    private readonly events: Journal['relia']['guards'],
  ) {}

  /** The samplers of the `userImpact` guards that read a probe, until `signal` aborts. */
  samplers(signal: AbortSignal): Array<Promise<void>> {
    return this.guards.filter((g): g is Extract<GuardSpec, { type: 'userImpact' }> => g.type === 'userImpact').map((g) => this.sampler(g, signal));
  }

  private record(check: GuardCheck): void {
    const prev = this.lastState.get(check.guard);
    if (prev !== check.state) this.events.push({ ...check, at: iso(this.o.clock.now()) });
    this.lastState.set(check.guard, check.state);
  }

  env(signal: AbortSignal, startedAt: number): GuardEnv {
    return {
      now: () => this.o.clock.now(),
      startedAt,
      metrics: () => this.o.ports.get('metrics'),
      alarms: () => this.o.ports.get('alarms'),
      slos: this.o.slos ?? new Map(),
      windows: this.windows,
      signal,
    };
  }

  /** One round: the halt switch and every guard. Returns why to stop, or null. */
  async checkAll(env: GuardEnv, skip: ReadonlySet<GuardSpec['type']> = new Set()): Promise<StopInfo | null> {
    let halt: HaltState | null;
    try {
      halt = await this.o.halt();
    } catch (error) {
      // Stryker disable next-line StringLiteral: equivalent, errorLines always gives one line
      const line = errorLines(error)[0] ?? '';
      halt = { reason: `the halt switch could not be read (fail closed): ${line}` };
    }
    if (halt) {
      this.record({ guard: 'halt', type: 'halt', state: 'tripped', message: halt.reason });
      return { by: 'halt', what: 'halt', message: `halted: ${halt.reason}` };
    }
    const checks = await Promise.all(this.guards.filter((g) => !skip.has(g.type)).map(async (g) => ({ g, c: await checkGuard(g, env) })));
    for (const { g, c } of checks) {
      this.record(c);
      if (c.state === 'tripped') {
        const info: StopInfo = { by: 'guard', what: g.name, message: `guard ${g.name} tripped: ${c.message}` };
        // Stryker disable next-line ConditionalExpression: equivalent, every guard sets firstOverAt when it trips (guards.ts)
        if (c.firstOverAt !== undefined) info.firstOverAt = iso(c.firstOverAt);
        return info;
      }
      if (c.state === 'error' && g.onError === 'abort') {
        return { by: 'guard', what: g.name, message: `guard ${g.name} could not be evaluated (fail closed): ${c.message}` };
      }
    }
    return null;
  }

  private async sampler(g: Extract<GuardSpec, { type: 'userImpact' }>, signal: AbortSignal): Promise<void> {
    if (g.source.kind !== 'probe') return;
    const src = g.source;
    const w = new SampleWindow(g.windowMs, g.max, src.minSamples);
    this.windows.set(g.name, w);
    const def = this.o.registry.probe(src.probe.type);
    const args = this.o.args.get(src.probe);
    const from = this.o.clock.now() + src.warmupMs;
    while (!signal.aborted) {
      const t0 = this.o.clock.now();
      let bad = false;
      try {
        const out = (await timed(this.o.clock, Math.max(src.slowerThanMs ?? 0, 1000) * 5, signal, async (s) => {
          // a probe the registry lacks is a failed sample: the guard fails closed
          // Stryker disable next-line StringLiteral: equivalent, a failed sample's error is not shown, it only counts as bad
          if (!def) throw new Error(`unknown probe ${src.probe.type}`);
          return def.run(args, { ports: this.o.ports, clock: this.o.clock, random: this.o.random, policy: this.o.policy, dryRun: false, log: () => undefined, signal: s });
        })) as { status?: unknown; latencyMs?: unknown; durationMs?: unknown } | undefined;
        const reported = typeof out?.latencyMs === 'number' ? out.latencyMs : out?.durationMs;
        const elapsed = typeof reported === 'number' ? reported : this.o.clock.now() - t0;
        if (typeof out?.status === 'number' && out.status >= 500) bad = true;
        if (
          // Stryker disable next-line ConditionalExpression: equivalent, elapsed > undefined is false
          src.slowerThanMs !== undefined &&
          elapsed > src.slowerThanMs
        )
          bad = true;
      } catch {
        // Stryker disable next-line ConditionalExpression: equivalent when false, a sample added after the end is never checked (the monitor stops with the same signal)
        if (signal.aborted) return;
        bad = true;
      }
      if (this.o.clock.now() >= from) w.add({ at: this.o.clock.now(), bad });
      const wait = src.everyMs - (this.o.clock.now() - t0);
      // the sleep fails only when the signal aborts, which ends the loop
      await this.o.clock.sleep(Math.max(0, wait), signal).catch(() => undefined);
    }
  }

  /** The guards every guard interval, at a fixed rate: the time a check takes does not push the next one back. */
  async monitor(env: GuardEnv, stop: (info: StopInfo) => void, signal: AbortSignal): Promise<void> {
    let due = this.o.clock.now();
    for (;;) {
      due += this.o.guardIntervalMs;
      const now = this.o.clock.now();
      // Stryker disable next-line EqualityOperator: equivalent, at due === now both set due to now
      if (due < now) due = now; // a check that overran its interval: the next one at once, never a queue of them
      try {
        await this.o.clock.sleep(due - now, signal);
      } catch {
        return;
      }
      const why = await this.checkAll(env);
      if (signal.aborted) return;
      if (why) {
        stop(why);
        return;
      }
    }
  }
}
