/**
 * One limit for one piece of work (docs/chaos.md#engine): `fn` gets a signal
 * that aborts when `parent` aborts or `ms` pass on the injected clock, and the
 * returned promise settles at that moment even if `fn` ignores its signal.
 */
import type { Clock } from '../../ports/clock.js';

/** Run `fn` with a signal that aborts on `parent` or after `ms`. */
export async function timed<T>(clock: Clock, ms: number, parent: AbortSignal | null, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctl = new AbortController();
  const timer = new AbortController();
  // Stryker disable next-line OptionalChaining: equivalent, this listener is only ever added to a parent
  const onParent = (): void => ctl.abort(parent?.reason);
  if (parent?.aborted) ctl.abort(parent.reason);
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, a signal aborts once and the listener is removed below
  parent?.addEventListener('abort', onParent, { once: true });
  clock.sleep(ms, timer.signal).then(
    () => ctl.abort(new Error(`timed out after ${ms} ms`)),
    () => undefined,
  );
  try {
    return await Promise.race([
      fn(ctl.signal),
      new Promise<never>((_, reject) => {
        if (ctl.signal.aborted) reject(ctl.signal.reason);
        // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, a signal aborts once
        ctl.signal.addEventListener('abort', () => reject(ctl.signal.reason), { once: true });
      }),
    ]);
  } finally {
    timer.abort();
    parent?.removeEventListener('abort', onParent);
  }
}
