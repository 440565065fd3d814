/**
 * The activities `relia chaos` knows: every action and probe type an
 * experiment may name. The fault and probe definitions live with their
 * family (src/core/chaos/actions, probes); this is the one place they are
 * registered, so `validate` lists them and `run` finds them.
 */
import { registerFaults } from '../../core/chaos/actions/index.js';
import { ActivityRegistry } from '../../core/chaos/activity.js';

type Registrar = (registry: ActivityRegistry) => void;

const registrars: Registrar[] = [registerFaults];

/** Add activities (fault families, tests, plugins) to every registry built from now on. */
export function registerActivities(fn: Registrar): void {
  registrars.push(fn);
}

export function chaosRegistry(): ActivityRegistry {
  const registry = new ActivityRegistry();
  for (const fn of registrars) fn(registry);
  return registry;
}
