/**
 * A small world for engine tests: a service whose latency and error rate
 * actions change (registering their undo on injection), probes that measure
 * it on the virtual clock, and the ActivityPorts/registry the engine needs.
 */
import { z } from 'zod';
import { ActivityRegistry, type ActivityPorts, type ChaosPolicy } from '../../../../src/core/chaos/activity.js';
import type { EngineOptions, HaltState } from '../../../../src/core/chaos/engine.js';
import type { Experiment } from '../../../../src/core/chaos/model.js';
import { checkExperiment } from '../../../../src/core/chaos/validate.js';
import { DependencyError } from '../../../../src/core/errors.js';
import type { PortMap, PortName } from '../../../../src/ports/providers.js';
import { FakeClock, seededRandom } from '../cache/fakes.js';

export class World {
  latencyMs = 20;
  errors = false;
  value = 'ok';
  /** Every action, undo and rollback, in order. */
  readonly events: string[] = [];
  /** Undo signals seen (must never be aborted). */
  readonly undoSignals: AbortSignal[] = [];
  failUndo = false;
  halted: HaltState | null = null;
  haltUnreadable = false;
}

export const policy: ChaosPolicy = { allowKubeContexts: [], allowAwsAccounts: [], protectedNamespaces: ['kube-system'], protectedLabels: {} };

export function registry(world: World, clock: FakeClock): ActivityRegistry {
  const r = new ActivityRegistry();
  r.addAction({
    type: 'test.latency',
    summary: 'adds latency',
    args: z.strictObject({ ms: z.number(), holdMs: z.number().default(0) }),
    plan: async (a) => ({ targets: [{ kind: 'service', id: 'svc' }], does: `add ${a.ms} ms`, undo: 'remove it' }),
    run: async (a, ctx) => {
      const before = world.latencyMs;
      world.latencyMs += a.ms;
      world.events.push(`inject latency ${a.ms}`);
      ctx.inject({
        description: `latency +${a.ms} ms on svc`,
        manualUndo: 'relia chaos proxy --stop svc',
        undo: async (u) => {
          world.undoSignals.push(u.signal);
          if (world.failUndo) throw new Error('proxy unreachable');
          world.latencyMs = before;
          world.events.push(`undo latency ${a.ms}`);
        },
      });
      if (a.holdMs > 0) await ctx.clock.sleep(a.holdMs, ctx.signal);
      return { latencyMs: world.latencyMs };
    },
  });
  r.addAction({
    type: 'test.break',
    summary: 'sets the value',
    args: z.strictObject({ value: z.string() }),
    plan: async () => ({ targets: [{ kind: 'service', id: 'svc' }], does: 'set value', undo: 'restore' }),
    run: async (a, ctx) => {
      const before = world.value;
      world.value = a.value;
      world.events.push(`set value ${a.value}`);
      ctx.inject({
        description: `value ${a.value}`,
        manualUndo: `set value ${before}`,
        undo: async () => {
          world.value = before;
          world.events.push(`restore value ${before}`);
        },
      });
      return a.value;
    },
  });
  r.addAction({
    type: 'test.fail',
    summary: 'fails, maybe after injecting',
    args: z.strictObject({ injectFirst: z.boolean().default(false), dependency: z.boolean().default(false) }),
    plan: async () => ({ targets: [{ kind: 'service', id: 'svc' }], does: 'fail', undo: 'nothing' }),
    run: async (a, ctx) => {
      if (a.injectFirst) {
        world.errors = true;
        world.events.push('inject errors');
        ctx.inject({
          description: 'errors on svc',
          manualUndo: 'fix svc',
          undo: async () => {
            world.errors = false;
            world.events.push('undo errors');
          },
        });
      }
      if (a.dependency) throw new DependencyError('cluster', 'the API server did not answer');
      throw new Error('boom');
    },
  });
  r.addAction({
    type: 'test.restore',
    summary: 'a rollback',
    args: z.strictObject({ note: z.string().default('') }),
    plan: async () => ({ targets: [{ kind: 'service', id: 'svc' }], does: 'restore', undo: 'nothing to undo' }),
    run: async (a, ctx) => {
      world.events.push(`rollback ${a.note}`);
      world.undoSignals.push(ctx.signal);
      return 'restored';
    },
  });
  r.addProbe({
    type: 'test.request',
    summary: 'one request to svc',
    args: z.strictObject({}),
    plan: async () => ({ targets: [{ kind: 'url', id: 'svc' }], does: 'GET svc', undo: 'nothing to undo' }),
    run: async (_a, ctx) => {
      if (world.errors) return { status: 500, durationMs: world.latencyMs };
      await clock.sleep(world.latencyMs, ctx.signal);
      return { status: 200, durationMs: world.latencyMs };
    },
  });
  r.addProbe({
    type: 'test.value',
    summary: 'reads the value',
    args: z.strictObject({ unreachable: z.boolean().default(false) }),
    plan: async () => ({ targets: [], does: 'read value', undo: 'nothing to undo' }),
    run: async (a) => {
      if (a.unreachable) throw new DependencyError('svc', 'connection refused');
      return world.value;
    },
  });
  return r;
}

export function ports(map: Partial<PortMap>): ActivityPorts {
  return {
    get: async <P extends PortName>(port: P): Promise<PortMap[P]> => {
      const p = map[port];
      if (!p) throw new DependencyError(port, `no ${port} port in this test`);
      return p as PortMap[P];
    },
  };
}

export function options(exp: Experiment, world: World, clock: FakeClock, extra: Partial<EngineOptions> = {}): EngineOptions {
  const reg = extra.registry ?? registry(world, clock);
  return {
    registry: reg,
    args: checkExperiment(exp, reg, 'exp.yaml'),
    ports: ports({}),
    clock,
    random: seededRandom(7),
    policy,
    signal: new AbortController().signal,
    guardIntervalMs: 100,
    halt: async () => {
      if (world.haltUnreadable) throw new Error('EACCES');
      return world.halted;
    },
    ...extra,
  };
}

export { FakeClock };
