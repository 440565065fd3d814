/**
 * The step walker (src/core/failover/steps.ts) through `apply`: how an
 * operation stops between steps (declined, frozen, refused, rejected, signal)
 * and what the journal says then; INSYNC waiting; a breach and its revert
 * (exit 4), a revert that fails (exit 5) with the exact restore command; the
 * ungraceful breach that is reported, not reverted. Expected values follow
 * from the world (world.ts): steps 50/100 of 100/0, bake 2m, guard every 30s.
 */
import { describe, expect, it } from 'vitest';
import { CheckFailedError, CleanupFailedError, DependencyError, InterruptedError, SafetyStopError } from '../../../../src/core/errors.js';
import { applyFailover, resumeFailover, rollbackFailover } from '../../../../src/core/failover/engine.js';
import { freeze } from '../../../../src/core/failover/freeze.js';
import { restoreCommand, type StepApproval } from '../../../../src/core/failover/steps.js';
import type { ClusterPort } from '../../../../src/ports/cluster.js';
import type { DnsCallOptions, DnsChange, RecordSet } from '../../../../src/ports/dns.js';
import { RECORD, T0, world, type World } from './world.js';
import { rejection } from '../../../helpers/errors.js';

const evacuate = { from: 'us-east-1', to: 'eu-west-1', mode: 'graceful' as const };


/** Set the live weights as someone else would (the console, another tool). */
function setWeights(w: World, use1: number, euw1: number): Promise<unknown> {
  const changes: DnsChange[] = w.memDns
    .records(w.zoneId)
    .filter((r) => r.name === RECORD && r.setIdentifier)
    .map((r) => ({ action: 'UPSERT', record: { ...r, weight: r.setIdentifier === 'use1' ? use1 : euw1 } }));
  return w.memDns.change(w.zoneId, changes);
}

/** The comments of the weight batches sent to Route 53 (what CloudTrail shows). */
function comments(w: World): string[] {
  const out: string[] = [];
  const change = w.dns.change.bind(w.dns);
  w.dns.change = (zoneId, changes, comment, options) => {
    if (changes.some((c) => c.record.weight !== undefined)) out.push(comment ?? '');
    return change(zoneId, changes, comment, options);
  };
  return out;
}

const tail = (w: World) => w.events.filter((e) => e.type !== 'guard').map((e) => `${e.type}@${e.step ?? '-'}: ${e.message}`);

describe('stopping between steps leaves the journal interrupted where the weights are', () => {
  const cases: Array<{ name: string; arrange: (w: World) => Partial<{ approve: (s: StepApproval) => Promise<boolean> }>; error: string; suggestions: string[]; reason: string; position: number; weights: Record<string, number> }> = [
    {
      name: 'declined at the first prompt',
      arrange: () => ({ approve: async () => false }),
      error: 'step 1 was declined at the prompt',
      suggestions: ['relia failover resume to continue, or relia failover rollback'],
      reason: 'stopped at before step 1: step 1 was declined at the prompt',
      position: -1,
      weights: { use1: 100, euw1: 0 },
    },
    {
      name: 'declined at the second prompt',
      arrange: () => ({ approve: async (s) => s.index === 0 }),
      error: 'step 2 was declined at the prompt',
      suggestions: ['relia failover resume to continue, or relia failover rollback'],
      reason: 'stopped at step 1 (50%): step 2 was declined at the prompt',
      position: 0,
      weights: { use1: 50, euw1: 50 },
    },
    {
      name: 'frozen before step 2',
      arrange: (w) => ({ approve: async (s) => (s.index === 0 && (await freeze(w.plan, w.ports(), { by: 'oncall@pager', at: T0, reason: 'incident 4711' })), true) }),
      error: 'failover of api.example.com. was frozen by oncall@pager: incident 4711; stopped before step 2',
      suggestions: ['relia failover unfreeze, then relia failover resume'],
      reason: 'stopped at step 1 (50%): failover of api.example.com. was frozen by oncall@pager: incident 4711; stopped before step 2',
      position: 0,
      weights: { use1: 50, euw1: 50 },
    },
    {
      name: 'step 2 refused by the safety rules (someone moved the weights back to 100/0)',
      arrange: (w) => ({ approve: async (s) => (s.index === 1 && (await setWeights(w, 100, 0)), true) }),
      error: 'step 2 refused by the safety rules, nothing changed: the batch moves 100% of the traffic; safety.maxStepPercent is 50',
      suggestions: ['relia failover plan shows every step and its checks'],
      reason: 'stopped at step 1 (50%): step 2 refused by the safety rules, nothing changed: the batch moves 100% of the traffic; safety.maxStepPercent is 50',
      position: 0,
      weights: { use1: 100, euw1: 0 },
    },
    {
      name: 'Route 53 rejects step 1',
      arrange: (w) => ((w.dns.before = (_z, changes) => (changes.some((c) => c.record.weight === 50) ? { status: 'rejected', reason: 'InvalidChangeBatch: tried to do it wrong' } : undefined)), {}),
      error: 'Route 53 rejected step 1: InvalidChangeBatch: tried to do it wrong; nothing changed',
      suggestions: ['relia failover evaluate --plan FILE checks the record set'],
      reason: 'stopped at before step 1: Route 53 rejected step 1: InvalidChangeBatch: tried to do it wrong; nothing changed',
      position: -1,
      weights: { use1: 100, euw1: 0 },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const w = world();
      const e = await rejection(applyFailover({ ...w.run({ operationId: 'op-1', ...c.arrange(w) }), ...evacuate }));
      expect(e).toBeInstanceOf(CheckFailedError);
      expect(e.message).toBe(c.error);
      expect(e.suggestions).toEqual(c.suggestions);
      expect(w.last()).toMatchObject({ status: 'interrupted', position: c.position, reason: c.reason });
      expect(tail(w).at(-1)).toBe(`interrupted@${c.position}: ${c.reason}`);
      expect(w.weights()).toEqual(c.weights);
      // The lock is released whatever stopped the walk.
      expect(w.memDns.records(w.zoneId).filter((r) => r.type === 'TXT' && r.name.startsWith('_relia-lock'))).toEqual([]);
    });
  }

  it('resumed after a declined step: the baked step is not baked again', async () => {
    const w = world();
    await rejection(applyFailover({ ...w.run(), ...evacuate, approve: async (s) => s.index === 0 }));
    expect(w.last().steps.map((s) => s.state)).toEqual(['baked', 'pending']);
    w.events.length = 0;
    await resumeFailover({ ...w.run(), journal: w.last() });
    const guarded = w.events.filter((e) => e.type === 'guard').map((e) => e.step);
    expect(guarded).toEqual([1, 1, 1, 1, 1]);
  });

  it('each prompt is asked with the step, the total and the weights by region', async () => {
    const w = world();
    const asked: StepApproval[] = [];
    await applyFailover({ ...w.run({ approve: async (s) => (asked.push(s), true) }), ...evacuate });
    expect(asked).toEqual([
      { index: 0, total: 2, percent: 50, weights: { 'us-east-1': 50, 'eu-west-1': 50 } },
      { index: 1, total: 2, percent: 100, weights: { 'us-east-1': 0, 'eu-west-1': 100 } },
    ]);
  });

  it('a step whose weights are already live sends no batch and waits for no change', async () => {
    const w = world();
    const polled: string[] = [];
    const status = w.dns.changeStatus.bind(w.dns);
    w.dns.changeStatus = (id, options) => (polled.push(id), status(id, options));
    const out = await applyFailover({ ...w.run({ approve: async (s) => (s.index === 1 && (await setWeights(w, 0, 100)), true) }), ...evacuate });
    expect(w.dns.weightBatches).toHaveLength(1);
    expect(polled).toEqual([out.journal!.steps[0]!.changeId]);
    expect(out.journal!.steps[1]).toMatchObject({ state: 'baked', appliedAt: '2026-12-03T07:02:00Z', insyncAt: '2026-12-03T07:02:00Z' });
    expect(out.journal!.steps[1]!.changeId).toBeUndefined();
  });

  it('a signal says which: SIGINT/SIGTERM by name, anything else as "abort"; no signal port: the error', async () => {
    const reasons: Array<[unknown, string]> = [
      [new InterruptedError('SIGTERM'), 'interrupted by SIGTERM at step 1 (50%)'],
      [new Error('the parent went away'), 'interrupted by abort at step 1 (50%)'],
      [new CheckFailedError('deadline'), 'interrupted by abort at step 1 (50%)'],
    ];
    for (const [reason, expected] of reasons) {
      const w = world();
      w.dns.after = (_z, changes) => void (changes.some((c) => c.record.weight === 50) && w.controller.abort(reason));
      await rejection(applyFailover({ ...w.run(), ...evacuate }));
      expect(w.last().reason).toBe(expected);
    }
    const w = world();
    const ports = w.ports();
    delete ports.signal;
    await rejection(applyFailover({ ...w.run({ ports, approve: async (s) => s.index === 0 }), ...evacuate }));
    expect(w.last().reason).toBe('stopped at step 1 (50%): step 2 was declined at the prompt');
  });

  it('a failing progress listener never stops the operation; events without a step carry no step', async () => {
    const w = world();
    const seen: string[][] = [];
    const ports = { ...w.ports(), onEvent: (e: object) => (seen.push(Object.keys(e)), Promise.reject(new Error('webhook down'))) };
    const out = await applyFailover({ ...w.run({ ports }), ...evacuate });
    expect(out.journal!.status).toBe('completed');
    expect(seen[0]).toEqual(['type', 'message', 'at', 'operation']);
    expect(seen.find((k) => k.includes('step'))).toEqual(['type', 'message', 'at', 'operation', 'step', 'data']);
  });

  it('rollback ignores a freeze (it restores); apply honours it', async () => {
    const w = world();
    const applied = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    await freeze(w.plan, w.ports(), { by: 'oncall@pager', at: T0, reason: 'incident 4711' });
    await rollbackFailover({ ...w.run(), journal: applied });
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });
});

describe('INSYNC', () => {
  /** Route 53 answering PENDING `pending` times per change, recording each poll's time and signal. */
  function slowSync(w: World, pending: number): Array<{ id: string; at: number; signal: boolean }> {
    const polls: Array<{ id: string; at: number; signal: boolean }> = [];
    const seen = new Map<string, number>();
    w.dns.changeStatus = async (id: string, options?: DnsCallOptions) => {
      polls.push({ id, at: w.clock.now() - T0, signal: options?.signal === w.controller.signal });
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      return n > pending ? 'INSYNC' : 'PENDING';
    };
    return polls;
  }

  it('polls every insyncPollMs (2 s by default) with the abort signal until INSYNC', async () => {
    for (const [pollMs, expected] of [
      [1_000, [0, 1_000, 2_000, 3_000]],
      [undefined, [0, 2_000, 4_000, 6_000]],
    ] as const) {
      const w = world();
      const polls = slowSync(w, 3);
      const out = await applyFailover({ ...w.run({ insyncPollMs: pollMs }), ...evacuate });
      const first = polls.filter((p) => p.id === out.journal!.steps[0]!.changeId);
      expect(first.map((p) => p.at)).toEqual(expected);
      expect(first.every((p) => p.signal)).toBe(true);
      expect(out.journal!.steps[0]).toMatchObject({ appliedAt: '2026-12-03T07:00:00Z', insyncAt: new Date(T0 + expected[3]).toISOString().replace('.000Z', 'Z') });
    }
  });

  it('a change not INSYNC by the timeout is exit 3 naming the change; the step stays applied', async () => {
    for (const [timeoutMs, pollMs, seconds, times] of [
      [5_000, 1_000, 5, [0, 1_000, 2_000, 3_000, 4_000, 5_000]],
      [undefined, 120_000, 600, [0, 120_000, 240_000, 360_000, 480_000, 600_000]],
    ] as const) {
      const w = world();
      const polls = slowSync(w, Infinity);
      const e = await rejection(applyFailover({ ...w.run({ insyncPollMs: pollMs, insyncTimeoutMs: timeoutMs }), ...evacuate }));
      const id = w.last().steps[0]!.changeId!;
      expect(e).toBeInstanceOf(DependencyError);
      expect(e.message).toContain(`change ${id} is not INSYNC after ${seconds} s`);
      expect(e.suggestions).toEqual([`aws route53 get-change --id ${id}`]);
      expect((e as DependencyError).dependency).toBe('route53');
      expect(polls.map((p) => p.at)).toEqual(times);
      expect(w.last()).toMatchObject({ status: 'interrupted', position: 0 });
      expect(w.last().steps.map((s) => s.state)).toEqual(['applied', 'pending']);
      expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
    }
  });
});

describe('a breach reverts to the previous step (exit 4)', () => {
  for (const [k, weight, revertedTo, weights] of [
    [0, 50, 'the weights before: us-east-1=100 eu-west-1=0', { use1: 100, euw1: 0 }],
    [1, 100, 'step 1: us-east-1=50 eu-west-1=50', { use1: 50, euw1: 50 }],
  ] as const) {
    it(`at step ${k + 1}`, async () => {
      const w = world();
      const sent = comments(w);
      w.dns.after = (_z, changes) => void (changes.some((c) => c.record.setIdentifier === 'euw1' && c.record.weight === weight) && w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%'));
      const e = await rejection(applyFailover({ ...w.run({ operationId: 'op-1' }), ...evacuate }));
      const problem = 'eu-west-1: alarm api-euw1-5xx is ALARM (5xx above 1%)';
      expect(e).toBeInstanceOf(SafetyStopError);
      expect(e.message).toBe(`guard breached at step ${k + 1} (${problem}); weights reverted to ${revertedTo.replace(/^.*: /, '')}`);
      expect(e.suggestions).toEqual(['look at the target region, then: relia failover resume (or rollback)', 'relia failover status shows the guard samples']);
      expect(w.weights()).toEqual(weights);
      expect(tail(w).slice(-1)).toEqual([`revert@${k}: reverted to ${revertedTo}`]);
      const breach = w.events.filter((e) => e.type === 'guard').at(-1)!;
      expect([breach.message, breach.step, breach.data]).toEqual([problem, k, { ok: false }]);
      const j = w.last();
      expect(j).toMatchObject({ status: 'reverted', position: k - 1, reason: `guard breached at step ${k + 1}: ${problem}` });
      expect(j.steps[k]!.state).toBe('reverted');
      expect(j.guard.at(-1)).toMatchObject({ step: k, region: 'eu-west-1', ok: false, problems: ['alarm api-euw1-5xx is ALARM (5xx above 1%)'] });
      expect(sent).toEqual([...['op-1: step 1 (50%)', 'op-1: step 2 (100%)'].slice(0, k + 1), `op-1: revert step ${k + 1}`].map((c) => `relia failover ${c}`));
    });
  }

  it('every problem of the breaching sample is named, in the guard event and the reason', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (!changes.some((c) => c.record.weight === 100)) return;
      w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%');
      w.memDns.setHealth('hc-euw1', false);
    };
    await rejection(applyFailover({ ...w.run(), ...evacuate }));
    const problems = 'health check hc-euw1 is unhealthy (0/16 checkers healthy); alarm api-euw1-5xx is ALARM (5xx above 1%)';
    expect(w.events.filter((e) => e.type === 'guard').at(-1)!.message).toBe(`eu-west-1: ${problems}`);
    expect(w.last().reason).toBe(`guard breached at step 2: eu-west-1: ${problems}`);
  });

  it('weights already back where the revert goes: no batch, still reverted', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (!changes.some((c) => c.record.weight === 100)) return;
      w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%');
      void setWeights(w, 50, 50);
    };
    await rejection(applyFailover({ ...w.run(), ...evacuate }));
    expect(w.dns.weightBatches).toHaveLength(2);
    expect(w.last()).toMatchObject({ status: 'reverted', position: 0 });
  });

  it('ungraceful: the breach is reported, not reverted (the source is down)', async () => {
    const w = world();
    w.dns.after = (_z, changes) => void (changes.some((c) => c.record.weight === 100) && w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%'));
    const e = await rejection(applyFailover({ ...w.run(), ...evacuate, mode: 'ungraceful' }));
    const reason = 'guard breached after the ungraceful shift (not reverted: the source is down): eu-west-1: alarm api-euw1-5xx is ALARM (5xx above 1%)';
    expect(e).toBeInstanceOf(CheckFailedError);
    expect(e.message).toBe(reason);
    expect(e.suggestions).toEqual(['the target is unhealthy and the source is down: investigate both regions']);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
    expect(w.dns.weightBatches).toHaveLength(1);
    expect(w.last()).toMatchObject({ status: 'interrupted', position: 0, reason: `stopped at step 1 (100%): ${reason}` });
  });
});

describe('a revert that fails (exit 5)', () => {
  it('Route 53 rejects it: the weights now, those wanted, and the exact command that restores them', async () => {
    const w = world();
    w.dns.after = (_z, changes) => void (changes.some((c) => c.record.weight === 100) && w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%'));
    w.dns.before = (_z, changes) => (w.dns.weightBatches.length === 2 && changes.some((c) => c.record.weight === 50) ? { status: 'rejected', reason: 'Throttling' } : undefined);
    const e = await rejection(applyFailover({ ...w.run({ operationId: 'op-1' }), ...evacuate }));
    const restore = `aws route53 change-resource-record-sets --hosted-zone-id ${w.zoneId} --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"api.example.com.","Type":"A","SetIdentifier":"euw1","Weight":50,"TTL":60,"ResourceRecords":[{"Value":"198.51.100.10"}]}},{"Action":"UPSERT","ResourceRecordSet":{"Name":"api.example.com.","Type":"A","SetIdentifier":"use1","Weight":50,"TTL":60,"ResourceRecords":[{"Value":"192.0.2.10"}]}}]}'`;
    expect(e).toBeInstanceOf(CleanupFailedError);
    expect(e.message).toBe('guard breached at step 2 (eu-west-1: alarm api-euw1-5xx is ALARM (5xx above 1%)) and the revert FAILED: Route 53 rejected the revert: Throttling\n  weights now: us-east-1=0 eu-west-1=100\n  wanted:      us-east-1=50 eu-west-1=50');
    expect(e.leftovers).toEqual(['weights of api.example.com.: us-east-1=0 eu-west-1=100', `restore with: ${restore}`]);
    expect(e.suggestions).toEqual([`restore the previous weights: ${restore}`, 'then: relia failover status']);
    expect(w.last()).toMatchObject({ status: 'revert-failed', position: 1, reason: 'eu-west-1: alarm api-euw1-5xx is ALARM (5xx above 1%); the revert failed: Route 53 rejected the revert: Throttling' });
    expect(tail(w).at(-1)).toBe(`revert-failed@1: ${w.last().reason}`);
  });

  it('the control plane is gone: the last weights set, and the weights to set by hand', async () => {
    const w = world();
    let gone = false;
    const list = w.dns.listRecords.bind(w.dns);
    w.dns.listRecords = (zoneId, name, type, options) => (gone && name === RECORD ? Promise.reject(new DependencyError('aws', 'route53:ListResourceRecordSets failed: connect ECONNREFUSED')) : list(zoneId, name, type, options));
    w.dns.after = (_z, changes) => {
      if (!changes.some((c) => c.record.weight === 100)) return;
      w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%');
      gone = true;
    };
    const e = await rejection(applyFailover({ ...w.run(), ...evacuate }));
    expect(e).toBeInstanceOf(CleanupFailedError);
    const cause = e.message.match(/revert FAILED: (.*)\n/)![1]!;
    expect(cause).toMatch(/ECONNREFUSED/);
    expect(e.message).toBe(`guard breached at step 2 (eu-west-1: alarm api-euw1-5xx is ALARM (5xx above 1%)) and the revert FAILED: ${cause}\n  weights now: unknown; last set: us-east-1=0 eu-west-1=100\n  wanted:      us-east-1=50 eu-west-1=50`);
    expect(e.leftovers).toEqual(['weights of api.example.com.: unknown; last set: us-east-1=0 eu-west-1=100', 'restore with: set the weights to us-east-1=50 eu-west-1=50']);
  });
});

describe('restoreCommand', () => {
  const plain: RecordSet = { name: 'api.example.com.', type: 'A', setIdentifier: 'a', weight: 1, ttl: 60, values: ['192.0.2.1'] };
  const alias: RecordSet = { name: 'api.example.com.', type: 'A', setIdentifier: 'b', weight: 0, aliasTarget: { hostedZoneId: 'Z2', dnsName: 'lb.example.net.', evaluateTargetHealth: true }, healthCheckId: 'hc-b' };

  it('UPSERTs only what differs, each record as Route 53 wants it (TTL and values, or alias target, and its health check)', () => {
    const cmd = restoreCommand('Z1', [plain, alias], { a: 1, b: 5 });
    expect(cmd).toBe(`aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"api.example.com.","Type":"A","SetIdentifier":"b","Weight":5,"AliasTarget":{"HostedZoneId":"Z2","DNSName":"lb.example.net.","EvaluateTargetHealth":true},"HealthCheckId":"hc-b"}}]}'`);
  });

  it('all: every record to its weight, even one that already has it (an undo written before the change)', () => {
    const cmd = restoreCommand('Z1', [plain, alias], { a: 1, b: 0 }, { all: true });
    const changes = (JSON.parse(cmd.slice(cmd.indexOf("'") + 1, -1)) as { Changes: Array<{ Action: string; ResourceRecordSet: { SetIdentifier: string; Weight: number } }> }).Changes;
    expect(changes.map((c) => [c.Action, c.ResourceRecordSet.SetIdentifier, c.ResourceRecordSet.Weight])).toEqual([
      ['UPSERT', 'a', 1],
      ['UPSERT', 'b', 0],
    ]);
  });
});

describe('the target capacity on resume', () => {
  it('graceful: a target that is no longer ready stops the resumed operation where it is (interrupted, not refused)', async () => {
    const w = world();
    w.dns.after = (_z, changes) => void (changes.some((c) => c.record.weight === 50) && w.controller.abort(new InterruptedError('SIGINT')));
    await rejection(applyFailover({ ...w.run(), ...evacuate }));
    w.controller = new AbortController();
    w.dns.after = null;
    // The deployment reports 1 ready replica from now on.
    const notReady = new Proxy(w.cluster, {
      get: (t, p) => (p === 'getScale' ? async (...a: Parameters<ClusterPort['getScale']>) => ({ ...(await t.getScale(...a))!, readyReplicas: 1 }) : Reflect.get(t, p, t)),
    }) as ClusterPort;
    const base = w.ports();
    const ports = { ...base, cluster: async (context: string | undefined) => (context === 'euw1' ? notReady : base.cluster!(context)) };
    const e = await rejection(resumeFailover({ ...w.run({ ports }), journal: w.last() }));
    expect(e.message).toBe('target capacity not ready within capacity.timeout: api 1/4; no traffic was moved');
    expect(w.last()).toMatchObject({ status: 'interrupted', position: 0, reason: 'target capacity not ready within capacity.timeout: api 1/4; no traffic was moved' });
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
  });

  it('ungraceful: shifts anyway, with a warning and the capacity it got', async () => {
    const w = world({ readyFollows: false });
    const warnings: string[] = [];
    const out = await applyFailover({ ...w.run({ warn: (l) => warnings.push(l) }), ...evacuate, mode: 'ungraceful' });
    expect(warnings).toEqual(['ungraceful: shifting anyway: target capacity not ready within capacity.timeout: api 1/4; no traffic was moved']);
    expect(out.journal!.events.find((e) => e.type === 'scaled')!.message).toBe('target capacity ready: api-euw1 6/6, api 1/4');
    expect(out.journal!.scaling.map((s) => [s.name, s.ready])).toEqual([
      ['api-euw1', 6],
      ['web/api', 1],
    ]);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });
});
