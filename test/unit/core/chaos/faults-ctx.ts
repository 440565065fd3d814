/**
 * A context for running one fault or probe against the contract-checked
 * fakes: ports from a map, a virtual clock, a seeded Random, and the
 * injections and journal events recorded for the test to inspect.
 */
import type { ActionDefinition, ActionRunContext, ChaosPolicy, Injection, ProbeDefinition } from '../../../../src/core/chaos/activity.js';
import { parseWithSchema } from '../../../../src/core/validation.js';
import type { PortMap, PortName } from '../../../../src/ports/providers.js';
import { FakeClock, seededRandom } from '../cache/fakes.js';

export const allowAll: ChaosPolicy = { allowKubeContexts: ['memory'], allowAwsAccounts: ['123456789012'], protectedNamespaces: ['kube-system'], protectedLabels: { 'chaos.relia.dev/protected': 'true' } };

export interface FaultsCtx extends ActionRunContext {
  injections: Injection[];
  events: Array<{ event: string; detail?: Record<string, unknown> }>;
  clock: FakeClock;
  /** Run every registered undo, last first, with a fresh signal. */
  undoAll(): Promise<void>;
}

export function faultsCtx(ports: Partial<PortMap>, options: { policy?: ChaosPolicy; signal?: AbortSignal; seed?: number } = {}): FaultsCtx {
  const injections: Injection[] = [];
  const events: FaultsCtx['events'] = [];
  const clock = new FakeClock();
  const get = async <P extends PortName>(port: P): Promise<PortMap[P]> => {
    const p = ports[port];
    if (!p) throw new Error(`test gave no ${port} port`);
    return p as PortMap[P];
  };
  const log = (event: string, detail?: Record<string, unknown>) => void events.push(detail ? { event, detail } : { event });
  return {
    ports: { get },
    clock,
    random: seededRandom(options.seed ?? 1),
    signal: options.signal ?? new AbortController().signal,
    policy: options.policy ?? allowAll,
    dryRun: false,
    log,
    inject: (i) => void injections.push(i),
    injections,
    events,
    async undoAll() {
      for (const i of [...injections].reverse()) await i.undo({ ports: { get }, clock, signal: new AbortController().signal, log });
    },
  };
}

/** Parse args the way the engine does (exit 2 naming the field), then plan or run. */
export const args = <A>(def: ActionDefinition<A> | ProbeDefinition<A>, raw: unknown): A => parseWithSchema(def.args, raw);
