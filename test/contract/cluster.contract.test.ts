import { MemoryCluster } from '../fakes/memory-cluster.js';
import { clusterContract, type ClusterSeed } from './suites/cluster.js';

let n = 0;
clusterContract('memory fake', async () => {
  const cluster = new MemoryCluster('fake-context');
  const namespace = `contract-${++n}`;
  const seed = (ns: string): ClusterSeed => ({
    pods: async (prefix, count, labels, nodeName) => void cluster.addPods(ns, prefix, count, labels, nodeName === undefined ? [] : [nodeName]),
    pdb: async (name, matchLabels, disruptionsAllowed) => cluster.addPdb({ namespace: ns, name, matchLabels, disruptionsAllowed }),
    workload: async (kind, name, replicas) => cluster.addWorkload({ kind, namespace: ns, name, replicas }),
    node: async (name, labels) => cluster.addNode({ name, labels }),
  });
  return { cluster, namespace, seed: seed(namespace), other: async () => ({ namespace: `${namespace}-b`, seed: seed(`${namespace}-b`) }) };
}, {
  unreachable: async () => {
    const cluster = new MemoryCluster();
    cluster.unreachable = true;
    return cluster;
  },
});
