import { MemoryCompute } from '../fakes/memory-compute.js';
import { computeContract } from './suites/compute.js';

let n = 0;
computeContract('memory fake', async () => {
  const compute = new MemoryCompute();
  const region = 'eu-west-1';
  const tag = `contract-${++n}`;
  return {
    compute,
    region,
    tag,
    seed: {
      instances: async (count, tags) => Array.from({ length: count }, () => compute.addInstance({ region, tags: { test: tag, ...tags } }).id),
      group: async (name, sizes, tags) => compute.addGroup({ name, region, ...sizes, ...(tags ? { tags } : {}) }),
    },
  };
}, {
  unreachable: async () => {
    const compute = new MemoryCompute();
    compute.unreachable = true;
    return compute;
  },
});
