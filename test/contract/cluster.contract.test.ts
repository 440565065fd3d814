import { MemoryCluster } from '../fakes/memory-cluster.js';
import { clusterContract } from './suites/cluster.js';

let n = 0;
clusterContract('memory fake', async () => {
  const cluster = new MemoryCluster('fake-context');
  const namespace = `contract-${++n}`;
  return {
    cluster,
    namespace,
    seed: {
      pods: async (prefix, count, labels, nodeName) => void cluster.addPods(namespace, prefix, count, labels, nodeName === undefined ? [] : [nodeName]),
      pdb: async (name, matchLabels, disruptionsAllowed) => cluster.addPdb({ namespace, name, matchLabels, disruptionsAllowed }),
      workload: async (kind, name, replicas) => cluster.addWorkload({ kind, namespace, name, replicas }),
      node: async (name, labels) => cluster.addNode({ name, labels }),
    },
  };
}, {
  unreachable: async () => {
    const cluster = new MemoryCluster();
    cluster.unreachable = true;
    return cluster;
  },
});
