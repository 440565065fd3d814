/**
 * Every fault and probe relia ships, registered in one ActivityRegistry.
 * The chaos engine and `chaos validate/plan/run` use `defaultRegistry()`.
 */
import { failoverEvacuate } from '../../failover/chaos-action.js';
import { ActivityRegistry, type ActionDefinition } from '../activity.js';
import { alarmState, awsActions } from './aws.js';
import { httpProbe, prometheusProbe } from './http.js';
import { kubernetesActions } from './kubernetes.js';
import { flashCrowdAction, retryStormAction } from './load.js';
import { networkActions } from './network.js';
import { processProbe, processRun, processSignal } from './process.js';

/** Register every fault and probe in `registry` (src/cli/chaos/activities.ts does, for every chaos command). */
export function registerFaults(registry: ActivityRegistry): ActivityRegistry {
  const actions: ActionDefinition<unknown>[] = [
    ...kubernetesActions,
    ...awsActions,
    processSignal as ActionDefinition<unknown>,
    processRun as ActionDefinition<unknown>,
    flashCrowdAction as ActionDefinition<unknown>,
    retryStormAction as ActionDefinition<unknown>,
    ...(networkActions as ActionDefinition<unknown>[]),
    failoverEvacuate as ActionDefinition<unknown>,
  ];
  for (const a of actions) registry.addAction(a);
  registry.addProbe(httpProbe).addProbe(prometheusProbe).addProbe(processProbe).addProbe(alarmState);
  return registry;
}

export function defaultRegistry(): ActivityRegistry {
  return registerFaults(new ActivityRegistry());
}
