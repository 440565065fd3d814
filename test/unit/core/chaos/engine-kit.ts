/**
 * The engine tests' own activities, on top of world.ts's: probes and actions
 * whose behaviour a test gives as a function (a sample that depends on the
 * clock, an error of a given kind, an action that ignores its signal), plus
 * the run's journal events as they reach the CLI's progress view.
 */
import { z } from 'zod';
import type { ActionRunContext, ActivityContext } from '../../../../src/core/chaos/activity.js';
import type { EngineOptions } from '../../../../src/core/chaos/engine.js';
import type { Experiment } from '../../../../src/core/chaos/model.js';
import { parseNative } from '../../../../src/core/chaos/native.js';
import { FakeClock, options, registry, World } from './world.js';

export const parse = (doc: Record<string, unknown>): Experiment => parseNative({ title: 't', ...doc }, { file: 'exp.yaml', env: {}, vars: {} });

export interface KitActivities {
  /** `kit.<name>` probes, run with no arguments. */
  probes?: Record<string, (ctx: ActivityContext) => Promise<unknown>>;
  /** `kit.<name>` actions, run with no arguments. */
  actions?: Record<string, (ctx: ActionRunContext) => Promise<unknown>>;
}

export interface Kit {
  world: World;
  clock: FakeClock;
  start: number;
  /** Every event the engine logged, in order. */
  events: Array<{ event: string; detail?: Record<string, unknown> }>;
  options(exp: Experiment, extra?: Partial<EngineOptions>): EngineOptions;
}

export function kit(activities: KitActivities = {}): Kit {
  const world = new World();
  const clock = new FakeClock();
  const reg = registry(world, clock);
  const none = z.strictObject({});
  const plan = async () => ({ targets: [], does: 'test', undo: 'nothing to undo' });
  for (const [name, run] of Object.entries(activities.probes ?? {})) reg.addProbe({ type: `kit.${name}`, summary: name, args: none, plan, run: (_a, ctx) => run(ctx) });
  for (const [name, run] of Object.entries(activities.actions ?? {})) reg.addAction({ type: `kit.${name}`, summary: name, args: none, plan, run: (_a, ctx) => run(ctx) });
  // a tolerance probe (it takes the measured value) that answers `true` after 100 ms
  reg.addProbe({ type: 'kit.tolerance', summary: 'tolerance', args: none, plan, withValue: (a) => a, run: async (_a, ctx) => (await ctx.clock.sleep(100, ctx.signal), true) });
  const events: Kit['events'] = [];
  return {
    world,
    clock,
    start: clock.now(),
    events,
    options: (exp, extra = {}) => options(exp, world, clock, { registry: reg, log: (event, detail) => void events.push(detail ? { event, detail } : { event }), ...extra }),
  };
}

/** ISO 8601 of `ms` after the kit's start. */
export const at = (k: Kit, ms: number): string => new Date(k.start + ms).toISOString();

/** Run `fn` `ms` after the kit's start, on a timer of its own (the clock stops there even when nothing else does). */
export function after(k: Kit, ms: number, fn: () => void): void {
  void k.clock.sleep(k.start + ms - k.clock.now()).then(fn);
}
