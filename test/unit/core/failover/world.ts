/**
 * A small world for the failover engine tests: the contract-checked fakes
 * (MemoryDns, MemoryCompute, MemoryAlarms, MemoryCluster), the virtual clock
 * (FakeClock from test/fakes/, started at T0),
 * the contract-checked journal sink (MemoryJournalSink) with every save
 * recorded in `journals` (each read back through the fake, as a resume reads
 * the file), and two documented wrappers on top of the DNS fake: `HookedDns`
 * runs test code around a change batch (to interrupt an operation between
 * steps, or reject a revert), and counts weight batches.
 */
import { MemoryAlarms } from '../../../fakes/memory-alarms.js';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { MemoryDns } from '../../../fakes/memory-dns.js';
import { HookedDns } from '../../../fakes/hooked-dns.js';
import { MemoryJournalSink } from '../../../fakes/memory-journal.js';
import { FakeClock } from '../../../fakes/virtual-clock.js';
import type { Journal } from '../../../../src/core/failover/journal.js';
import { parseFailoverPlan, type FailoverPlan } from '../../../../src/core/failover/plan-schema.js';
import type { FailoverEvent, FailoverPorts } from '../../../../src/core/failover/ports.js';
import type { RunOptions } from '../../../../src/core/failover/engine.js';
import type { JournalSink } from '../../../../src/core/failover/steps.js';

export { HookedDns };

export const T0 = Date.parse('2026-12-03T07:00:00Z');

/** The clock fake of every core test (test/fakes/virtual-clock.ts), starting at T0. */
export class VirtualClock extends FakeClock {
  constructor() {
    super(T0);
  }
}

/** The journal fake, recording every save as read back from it (a wrapper: it never changes what the fake stores). */
function recordingSink(journals: Journal[]): JournalSink {
  const sink = new MemoryJournalSink();
  return {
    save(journal) {
      sink.save(journal);
      journals.push(sink.journal as Journal);
    },
  };
}

export const RECORD = 'api.example.com.';

export interface World {
  clock: VirtualClock;
  memDns: MemoryDns;
  dns: HookedDns;
  zoneId: string;
  compute: MemoryCompute;
  alarms: MemoryAlarms;
  cluster: MemoryCluster;
  plan: FailoverPlan;
  journals: Journal[];
  events: FailoverEvent[];
  controller: AbortController;
  ports(): FailoverPorts;
  run(overrides?: Partial<RunOptions>): RunOptions;
  weights(): Record<string, number>;
  last(): Journal;
}

export function planText(extra = ''): string {
  return `name: api
dns: { zone: example.com., record: ${RECORD} }
regions:
  us-east-1:
    setIdentifier: use1
    healthCheck: hc-use1
    alarms: [api-use1-5xx]
    capacity: [{ asg: api-use1 }, { kubernetes: { context: use1, namespace: web, deployment: api } }]
  eu-west-1:
    setIdentifier: euw1
    healthCheck: hc-euw1
    alarms: [api-euw1-5xx]
    capacity: [{ asg: api-euw1 }, { kubernetes: { context: euw1, namespace: web, deployment: api } }]
steps: [50, 100]
bake: 2m
guardInterval: 30s
${extra}`;
}

export function world(options: { weights?: [number, number]; plan?: string; targetDesired?: number; readyFollows?: boolean } = {}): World {
  const clock = new VirtualClock();
  const memDns = new MemoryDns();
  const zone = memDns.addZone('example.com.');
  const [w1, w2] = options.weights ?? [100, 0];
  memDns.addRecords(zone.id, { name: RECORD, type: 'A', setIdentifier: 'use1', weight: w1, ttl: 60, values: ['192.0.2.10'] }, { name: RECORD, type: 'A', setIdentifier: 'euw1', weight: w2, ttl: 60, values: ['198.51.100.10'] });
  memDns.addHealthCheck({ id: 'hc-use1' });
  memDns.addHealthCheck({ id: 'hc-euw1' });
  const compute = new MemoryCompute();
  compute.addGroup({ name: 'api-use1', region: 'us-east-1', min: 1, max: 20, desired: 6 });
  compute.addGroup({ name: 'api-euw1', region: 'eu-west-1', min: 1, max: 20, desired: options.targetDesired ?? 2 });
  const alarms = new MemoryAlarms(() => clock.now());
  alarms.setAlarm('us-east-1', 'api-use1-5xx', 'OK');
  alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'OK');
  const cluster = new MemoryCluster();
  cluster.addWorkload({ namespace: 'web', name: 'api', replicas: 4 });
  const euCluster = new MemoryCluster('euw1');
  euCluster.addWorkload({ namespace: 'web', name: 'api', replicas: 1, readyFollows: options.readyFollows ?? true });
  const dns = new HookedDns(memDns);
  const plan = parseFailoverPlan(options.plan ?? planText(), 'api.yaml');
  const journals: Journal[] = [];
  const events: FailoverEvent[] = [];
  const w: World = {
    clock,
    memDns,
    dns,
    zoneId: zone.id,
    compute,
    alarms,
    cluster: euCluster,
    plan,
    journals,
    events,
    controller: new AbortController(),
    ports() {
      return { dns, compute, alarms, cluster: async (ctx) => (ctx === 'euw1' ? euCluster : cluster), clock, signal: w.controller.signal, onEvent: (e) => void events.push(e) };
    },
    run(overrides = {}) {
      return { plan: w.plan, ports: w.ports(), sink: recordingSink(journals), owner: 'test@host:1', operationId: `op-${journals.length}-${clock.now()}`, insyncPollMs: 1000, scalePollMs: 1000, ...overrides };
    },
    weights() {
      const out: Record<string, number> = {};
      for (const r of memDns.records(zone.id)) if (r.name === RECORD && r.setIdentifier) out[r.setIdentifier] = r.weight ?? -1;
      return out;
    },
    last() {
      const j = journals[journals.length - 1];
      if (!j) throw new Error('no journal saved');
      return j;
    },
  };
  return w;
}
