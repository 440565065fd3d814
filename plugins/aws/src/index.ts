/** The AWS adapters (each module imports its SDK clients; load them only when needed). */
export { createAwsCompute } from './compute.js';
export { createRoute53Dns } from './dns.js';
export { createCloudWatchAlarms } from './alarms.js';
export { createFisExperiments } from './experiments.js';
