/**
 * Shared pieces of the AWS fault tests: a fleet on the memory compute port,
 * and a port wrapper that trips an abort at the moment a given call is made
 * (a guard or Ctrl-C arriving mid-call; an undo's own timeout expiring).
 */
import type { Injection } from '../../../../src/core/chaos/activity.js';
import type { PortMap, PortName } from '../../../../src/ports/providers.js';
import { FakeClock } from '../cache/fakes.js';

export const R = 'us-east-1';
export const ACCOUNT = '123456789012';

/**
 * `port` with `method` tripping `ac` just before its `nth` call goes through:
 * the call receives an already aborted signal if the action passed its own,
 * and runs as if nothing happened if it did not.
 */
export function abortOn<T extends object>(port: T, method: string, ac: AbortController, nth = 1): T {
  let n = 0;
  return new Proxy(port, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      return (...xs: unknown[]) => {
        if (prop === method && ++n === nth) ac.abort(new Error(`aborted during ${method}`));
        return (v as (...a: unknown[]) => unknown).apply(target, xs);
      };
    },
  });
}

/** Run one injection's undo with the given ports and signal (the engine gives each undo its own). */
export async function undoWith(injection: Injection | undefined, ports: Partial<PortMap>, signal: AbortSignal): Promise<void> {
  if (!injection) throw new Error('no injection registered');
  const get = async <P extends PortName>(port: P): Promise<PortMap[P]> => ports[port] as PortMap[P];
  await injection.undo({ ports: { get }, clock: new FakeClock(), signal, log: () => undefined });
}
