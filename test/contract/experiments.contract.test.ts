import { MemoryExperiments } from '../fakes/memory-experiments.js';
import { experimentsContract } from './suites/experiments.js';

experimentsContract('memory fake', async () => {
  const experiments = new MemoryExperiments();
  experiments.addTemplate('eu-west-1', 'EXTcompletes', { runningPolls: 2 });
  experiments.addTemplate('eu-west-1', 'EXTforever', { runningPolls: Number.POSITIVE_INFINITY });
  return { experiments, region: 'eu-west-1', completes: 'EXTcompletes', runsUntilStopped: 'EXTforever' };
}, {
  unreachable: async () => {
    const experiments = new MemoryExperiments();
    experiments.unreachable = true;
    return experiments;
  },
});
