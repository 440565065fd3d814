import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { MemoryDns } from '../../../fakes/memory-dns.js';
import { computePlan } from '../../../../src/core/capacity/plan.js';
import { parsePlan } from '../../../../src/core/capacity/plan-schema.js';
import { InputError } from '../../../../src/core/errors.js';
import { capacityNeeds, pairEntries, planNeed } from '../../../../src/core/failover/capacity.js';
import { asJournal, resumable, summarise, type Journal } from '../../../../src/core/failover/journal.js';
import { parseFailoverPlan } from '../../../../src/core/failover/plan-schema.js';
import { VirtualClock } from './world.js';

const report = computePlan(parsePlan(readFileSync(new URL('../../../../docs/examples/capacity/streaming-plan.yaml', import.meta.url), 'utf8'), 'streaming-plan.yaml'));

const plan = (capacity: string, target = '[{ asg: origin-euw, tier: origin }]') =>
  parseFailoverPlan(
    `name: stream
dns: { zone: example.com., record: api.example.com. }
regions:
  us-east: { setIdentifier: use, capacity: [{ asg: origin-use, tier: origin }] }
  eu-west: { setIdentifier: euw, capacity: ${target} }
${capacity}`,
    'stream.yaml',
  );

describe('target sizing', () => {
  it('with capacity.plan, the need is the capacity family’s region-loss sizing of the target tier', async () => {
    const p = plan('capacity: { plan: streaming-plan.yaml }');
    const compute = new MemoryCompute();
    compute.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 100, desired: 45 });
    const needs = await capacityNeeds(p, 'us-east', 'eu-west', { dns: new MemoryDns(), compute, clock: new VirtualClock() }, { ungraceful: false, report });
    // relia capacity plan: eu-west origin needs 63 under region-loss (binding), 45 at target utilisation.
    expect(needs.map((n) => [n.target.ref.name, n.need, n.desired])).toEqual([['origin-euw', 63, 63]]);
    expect(planNeed(report, p, 'eu-west', p.regions['eu-west']!.capacity[0]!)).toEqual({ instances: 63, policy: 'region-loss' });
  });

  it('names the field when the capacity plan lacks the region or the tier', () => {
    const p = plan('capacity: { plan: streaming-plan.yaml }', '[{ asg: origin-euw, tier: mid }]');
    expect(() => planNeed(report, p, 'eu-west', p.regions['eu-west']!.capacity[0]!)).toThrow(/regions.eu-west.capacity\[0\].tier: the capacity plan has no tier "mid"/);
    expect(() => planNeed(report, p, 'sa-east', p.regions['eu-west']!.capacity[0]!)).toThrow(InputError);
  });

  it('ungraceful: the source’s desired size stands in for its InService count; an unreadable source is tolerated', async () => {
    const p = plan('capacity: { percentToMatch: 50 }');
    const compute = new MemoryCompute();
    compute.addGroup({ name: 'origin-use', region: 'us-east', min: 0, max: 100, desired: 9 });
    compute.addGroup({ name: 'origin-euw', region: 'eu-west', min: 1, max: 100, desired: 2 });
    const ports = { dns: new MemoryDns(), compute, clock: new VirtualClock() };
    expect((await capacityNeeds(p, 'us-east', 'eu-west', ports, { ungraceful: true }))[0]).toMatchObject({ need: 5, desired: 5, basis: 'ceil(50% × 9 desired in us-east)' });
    expect((await capacityNeeds(p, 'us-east', 'eu-west', ports, { ungraceful: false }))[0]).toMatchObject({ need: 5, basis: 'ceil(50% × 9 InService in us-east)' });
  });

  it('entries pair by position and kind; a mismatch is exit 2', () => {
    const p = plan('', '[{ asg: a }, { asg: b }]');
    expect(() => pairEntries(p, 'us-east', 'eu-west')).toThrow(/2 asg entries in eu-west but 1 in us-east/);
  });
});

describe('journal', () => {
  const base = { version: 1, id: 'op', kind: 'apply', plan: { name: 'p', file: 'p.yaml' }, dns: { zoneId: 'Z', record: 'api.', type: 'A' }, regions: { a: 'a', b: 'b' }, from: 'a', to: 'b', mode: 'graceful', weightsBefore: { a: 100, b: 0 }, steps: [{ percent: 50, weights: { a: 50, b: 50 }, state: 'baked' }, { percent: 100, weights: { a: 0, b: 100 }, state: 'pending' }], position: 0, status: 'interrupted', reason: 'interrupted by SIGINT at step 1 (50%)', scaling: [], guard: [], events: [], owner: 'x', startedAt: '', updatedAt: '' } as unknown as Journal;

  it('summarises every status in one line', () => {
    expect(summarise(base)).toBe('apply a → b interrupted at step 1 of 2 (50%): interrupted by SIGINT at step 1 (50%)');
    expect(summarise({ ...base, status: 'completed' })).toBe('apply a → b completed (2 steps)');
    expect(summarise({ ...base, status: 'reverted', reason: 'x' })).toBe('apply a → b reverted to step 1 of 2 (50%): x');
    expect(summarise({ ...base, status: 'revert-failed', reason: 'y' })).toMatch(/revert FAILED at step 1/);
    expect(summarise({ ...base, status: 'refused', position: -1, reason: 'z' })).toBe('apply a → b refused, weights unchanged: z');
    expect(summarise({ ...base, status: 'running', position: -1 })).toBe('apply a → b running (before step 1)');
    expect(resumable(base)).toBe(true);
    expect(resumable({ ...base, status: 'reverted' })).toBe(false);
  });

  it('recognises only its own files', () => {
    expect(asJournal(JSON.parse(JSON.stringify(base)))).toEqual(base);
    expect(asJournal({ version: 2, id: 'x', steps: [], position: 0, dns: {} })).toBeNull();
    expect(asJournal('text')).toBeNull();
  });
});
