/**
 * The activities `relia chaos` knows: every action and probe type an
 * experiment may name. relia's own faults and probes come from
 * src/core/chaos/actions (defaultRegistry); `registerActivities` lets more be
 * added (tests, plugins) to every registry built afterwards.
 */
import type { ActivityRegistry } from '../../core/chaos/activity.js';
import { defaultRegistry } from '../../core/chaos/actions/index.js';

type Registrar = (registry: ActivityRegistry) => void;

const registrars: Registrar[] = [];

/** Add activities to every registry built from now on. */
export function registerActivities(fn: Registrar): void {
  registrars.push(fn);
}

export function chaosRegistry(): ActivityRegistry {
  const registry = defaultRegistry();
  for (const fn of registrars) fn(registry);
  return registry;
}
