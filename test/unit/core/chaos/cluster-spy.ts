/**
 * A MemoryCluster seen through a recorder: every port call with its
 * arguments, so a test can check what a fault passed (the abort signal, the
 * grace period, the selectors) as well as what it changed.
 */
import type { ClusterPort } from '../../../../src/ports/cluster.js';
import type { MemoryCluster } from '../../../fakes/memory-cluster.js';

export interface ClusterCall {
  method: string;
  args: unknown[];
  /** The options object (the last argument), when the call took one. */
  options: Record<string, unknown> | undefined;
}

export function spyCluster(c: MemoryCluster): { cluster: ClusterPort; calls: ClusterCall[] } {
  const calls: ClusterCall[] = [];
  const cluster = new Proxy(c, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || prop === 'context') return value;
      return (...args: unknown[]) => {
        const last = args.at(-1);
        calls.push({ method: String(prop), args, options: typeof last === 'object' && last !== null ? (last as Record<string, unknown>) : undefined });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { cluster, calls };
}
