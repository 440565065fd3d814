import { describe, expect, it } from 'vitest';
import { CheckFailedError, CleanupFailedError, DependencyError, InputError, InterruptedError, SafetyStopError } from '../../../../src/core/errors.js';
import { applyFailover, resumeFailover, rollbackFailover } from '../../../../src/core/failover/engine.js';
import { lockRecord } from '../../../../src/core/failover/lock.js';
import { freeze, unfreeze } from '../../../../src/core/failover/freeze.js';
import { planText, RECORD, T0, world } from './world.js';

const evacuate = { from: 'us-east-1', to: 'eu-west-1', mode: 'graceful' as const };

async function rejects<E extends Error>(p: Promise<unknown>, type: new (...a: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as E;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}

describe('apply: a full evacuation', () => {
  it('scales the target first, then 100/0 → 50/50 → 0/100 in one batch per step, baking with the guard', async () => {
    const w = world();
    const out = await applyFailover({ ...w.run(), ...evacuate });
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
    expect(out.weights).toEqual({ 'us-east-1': 0, 'eu-west-1': 100 });
    // Two weight batches, each UPSERTing both records at once.
    expect(w.dns.weightBatches.map((b) => b.map((c) => `${c.action} ${c.record.setIdentifier}=${c.record.weight}`))).toEqual([
      ['UPSERT euw1=50', 'UPSERT use1=50'],
      ['UPSERT euw1=100', 'UPSERT use1=0'],
    ]);
    // ceil(100 % × 6 InService) = 6 in the target ASG, 4 replicas of the deployment; before any weight moved.
    const groups = await w.compute.describeGroups('eu-west-1', ['api-euw1']);
    expect(groups[0]!.desired).toBe(6);
    expect((await w.cluster.getScale({ kind: 'deployment', namespace: 'web', name: 'api' }))!.replicas).toBe(4);
    const scaleAt = w.events.findIndex((e) => e.type === 'scale');
    const firstStep = w.events.findIndex((e) => e.type === 'step');
    expect(scaleAt).toBeGreaterThanOrEqual(0);
    expect(scaleAt).toBeLessThan(firstStep);
    const j = out.journal!;
    expect(j.status).toBe('completed');
    expect(j.steps.map((s) => s.state)).toEqual(['baked', 'baked']);
    expect(j.weightsBefore).toEqual({ use1: 100, euw1: 0 });
    expect(j.scaling.map((s) => [s.name, s.before, s.desired])).toEqual([
      ['api-euw1', 2, 6],
      ['web/api', 1, 4],
    ]);
    // Bake 2m sampled every 30s: 5 samples per step.
    expect(j.guard.filter((g) => g.step === 0)).toHaveLength(5);
    expect(j.guard.every((g) => g.ok)).toBe(true);
    // The lock is released.
    expect(w.memDns.records(w.zoneId).filter((r) => r.type === 'TXT')).toEqual([]);
  });

  it('re-running apply after completion changes nothing', async () => {
    const w = world();
    const first = await applyFailover({ ...w.run(), ...evacuate });
    const again = await applyFailover({ ...w.run(), ...evacuate, existing: first.journal });
    expect(again.nothingToDo).toBe(true);
    expect(w.dns.weightBatches).toHaveLength(2);
  });
});

describe('pre-checks and safety rules: exit 1, nothing changed', () => {
  it('refuses when the target alarm is in ALARM: weights and capacity unchanged, no journal', async () => {
    const w = world();
    w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', 'Threshold Crossed: 5xx > 1%');
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/target eu-west-1 healthy: alarm api-euw1-5xx is ALARM/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
    expect(w.journals).toEqual([]);
    expect(w.memDns.records(w.zoneId).filter((r) => r.type === 'TXT')).toEqual([]);
  });

  it('refuses an unhealthy target health check', async () => {
    const w = world();
    w.memDns.setHealth('hc-euw1', false);
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/health check hc-euw1 is unhealthy/);
  });

  it('refuses a plan that would leave every weight at 0 (records at 0/0: nothing can move)', async () => {
    const w = world({ weights: [0, 0] });
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/safety rules: step 1 \(50%\): every weight would be 0 \(euw1=0 use1=0\)/);
    expect(w.weights()).toEqual({ use1: 0, euw1: 0 });
    expect(w.journals).toEqual([]);
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
  });

  it('refuses a step that moves more than maxStepPercent', async () => {
    const w = world();
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate, steps: [100] }), CheckFailedError);
    expect(e.message).toMatch(/step 1 \(100%\): the batch moves 100% of the traffic; safety.maxStepPercent is 50/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });

  it('refuses when fewer than minHealthyRegions would carry traffic', async () => {
    const w = world({ plan: planText('safety: { minHealthyRegions: 2 }') });
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/step 2 \(100%\): only 1 healthy region would take traffic \(eu-west-1\); safety.minHealthyRegions is 2/);
  });

  it('a freeze blocks apply; unfreeze lets it through', async () => {
    const w = world();
    await freeze(w.plan, w.ports(), { by: 'alice@laptop', at: T0, reason: 'premiere night' });
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/frozen by alice@laptop .*premiere night/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    // Freezing twice keeps the first freeze.
    expect(await freeze(w.plan, w.ports(), { by: 'bob@ci', at: T0, reason: 'other' })).toMatchObject({ changed: false, freeze: { by: 'alice@laptop' } });
    expect(await unfreeze(w.plan, w.ports())).toMatchObject({ frozen: false, changed: true, freeze: { reason: 'premiere night' } });
    expect(await unfreeze(w.plan, w.ports())).toMatchObject({ changed: false });
    await applyFailover({ ...w.run(), ...evacuate });
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });

  it('a freeze set while apply runs stops it before the next step', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 50)) void freeze(w.plan, w.ports(), { by: 'oncall@pager', at: T0, reason: 'incident 4711' });
    };
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/frozen by oncall@pager: incident 4711; stopped before step 2/);
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
    expect(w.last()).toMatchObject({ status: 'interrupted', position: 0 });
  });

  it('a capacity need above the ASG max fails the pre-check', async () => {
    const w = world({ plan: planText('capacity: { percentToMatch: 400 }') });
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/ASG api-euw1 needs 24 but its max size is 20/);
  });

  it('a target that never gets ready stops before any weight moves (graceful)', async () => {
    const w = world({ readyFollows: false });
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/target capacity not ready within capacity.timeout: api 1\/4/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    expect(w.last().status).toBe('refused');
    // It waited the whole timeout (15m) on the virtual clock.
    expect(w.clock.now() - T0).toBeGreaterThanOrEqual(15 * 60_000);
  });

  it('bad input is exit 2: unknown region, equal regions, an ASG not in its region, a record set that is not weighted', async () => {
    const w = world();
    await rejects(applyFailover({ ...w.run(), ...evacuate, from: 'us-west-2' }), InputError);
    await rejects(applyFailover({ ...w.run(), ...evacuate, to: 'us-east-1' }), InputError);
    await rejects(applyFailover({ ...w.run(), ...evacuate, steps: [50, 25] }), InputError);
    const bad = world({ plan: planText().replace('asg: api-euw1', 'asg: api-use1') });
    const e = await rejects(applyFailover({ ...bad.run(), ...evacuate }), InputError);
    expect(e.field).toBe('regions.eu-west-1.capacity[0].asg');
    expect(e.message).toMatch(/no Auto Scaling group "api-use1" in eu-west-1/);
    const plain = world();
    plain.memDns.addRecords(plain.zoneId, { name: RECORD, type: 'A', ttl: 60, values: ['203.0.113.1'] });
    expect((await rejects(applyFailover({ ...plain.run(), ...evacuate }), InputError)).field).toBe('dns.record');
    expect(plain.weights()).toMatchObject({ use1: 100, euw1: 0 });
  });

  it('an unreachable control plane is exit 3 with nothing half-done', async () => {
    const w = world();
    w.memDns.unreachable = true;
    await rejects(applyFailover({ ...w.run(), ...evacuate }), DependencyError);
    w.memDns.unreachable = false;
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });
});

describe('guards: a breach reverts', () => {
  it('an alarm firing during the bake of step 2 reverts to step 1 within one guard interval (exit 4)', async () => {
    const w = world();
    let breachAt = 0;
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 100)) {
        breachAt = w.clock.now() + 45_000;
        w.clock.at(breachAt, () => w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%'));
      }
    };
    let revertedAt = 0;
    w.dns.before = (_z, changes) => {
      if (changes.some((c) => c.record.setIdentifier === 'euw1' && c.record.weight === 50) && w.dns.weightBatches.length === 2) revertedAt = w.clock.now();
    };
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), SafetyStopError);
    expect(e.exitCode).toBe(4);
    expect(e.message).toMatch(/guard breached at step 2 \(eu-west-1: alarm api-euw1-5xx is ALARM \(5xx above 1%\)\); weights reverted to us-east-1=50 eu-west-1=50/);
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
    expect(revertedAt - breachAt).toBeLessThanOrEqual(30_000);
    const j = w.last();
    expect(j.status).toBe('reverted');
    expect(j.position).toBe(0);
    expect(j.steps.map((s) => s.state)).toEqual(['baked', 'reverted']);
    expect(j.guard.at(-1)).toMatchObject({ ok: false, step: 1 });
  });

  it('an SLO burning during the bake reverts (the injected SLO guard)', async () => {
    const w = world({ plan: planText().replace('alarms: [api-euw1-5xx]', 'alarms: [api-euw1-5xx]\n    slos: [slo.yaml]') });
    const burningFrom = T0 + 60_000;
    const ports = { ...w.ports(), sloGuard: async (region: string, at: number) => [{ id: 'playback/availability', ok: !(region === 'eu-west-1' && at >= burningFrom), reasons: ['fast burn 1h/5m: 20.1 > 14.4'] }] };
    const e = await rejects(applyFailover({ ...w.run({ ports }), ...evacuate }), SafetyStopError);
    expect(e.message).toMatch(/SLO playback\/availability: fast burn/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });

  it('a revert that fails is exit 5 with the exact weights now and the command that restores them', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 100)) w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM');
    };
    w.dns.before = (_z, changes) => (w.dns.weightBatches.length === 2 && changes.some((c) => c.record.weight === 50) ? { status: 'rejected', reason: 'Throttling: Rate exceeded' } : undefined);
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CleanupFailedError);
    expect(e.exitCode).toBe(5);
    expect(e.message).toMatch(/revert FAILED: Route 53 rejected the revert: Throttling/);
    expect(e.message).toMatch(/weights now: us-east-1=0 eu-west-1=100/);
    expect(e.message).toMatch(/wanted: {6}us-east-1=50 eu-west-1=50/);
    expect(e.suggestions[0]).toMatch(/^restore the previous weights: aws route53 change-resource-record-sets --hosted-zone-id \S+ --change-batch '\{"Changes":\[/);
    expect(e.suggestions[0]).toMatch(/"SetIdentifier":"euw1","Weight":50/);
    expect(w.last().status).toBe('revert-failed');
  });

  it('ungraceful: skips the source checks, shifts straight to 100, maxStepPercent does not apply', async () => {
    const w = world();
    w.memDns.setHealth('hc-use1', false);
    w.alarms.setAlarm('us-east-1', 'api-use1-5xx', 'ALARM');
    await applyFailover({ ...w.run(), ...evacuate, mode: 'ungraceful' });
    expect(w.dns.weightBatches).toHaveLength(1);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });
});

describe('interruption, resume and convergence', () => {
  it('SIGINT during step 1 lets the batch finish, stops, and resume completes without repeating it', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 50)) w.controller.abort(new InterruptedError('SIGINT'));
    };
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), InterruptedError);
    expect(e.exitCode).toBe(130);
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
    const j = w.last();
    expect(j.status).toBe('interrupted');
    expect(j.reason).toBe('interrupted by SIGINT at step 1 (50%)');
    expect(j.position).toBe(0);
    expect(w.memDns.records(w.zoneId).filter((r) => r.type === 'TXT')).toEqual([]);

    w.controller = new AbortController();
    w.dns.after = null;
    const out = await resumeFailover({ ...w.run(), journal: j });
    expect(out.journal!.id).toBe(j.id);
    expect(out.journal!.status).toBe('completed');
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
    // Step 1 was sent once; its bake ran again (it had been cut short), then step 2.
    expect(w.dns.weightBatches.map((b) => b.find((c) => c.record.setIdentifier === 'euw1')!.record.weight)).toEqual([50, 100]);
  });

  it('re-running apply with the same arguments converges like resume; with other steps it is refused', async () => {
    const w = world({ plan: planText().replace('steps: [50, 100]', 'steps: [25, 50, 100]') });
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 50)) w.controller.abort(new InterruptedError('SIGTERM'));
    };
    await rejects(applyFailover({ ...w.run(), ...evacuate }), InterruptedError);
    const j = w.last();
    expect(j.reason).toMatch(/SIGTERM at step 2 \(50%\)/);
    w.controller = new AbortController();
    w.dns.after = null;
    await rejects(applyFailover({ ...w.run(), ...evacuate, steps: [50, 100], existing: j }), InputError);
    await applyFailover({ ...w.run(), ...evacuate, existing: j });
    expect(w.dns.weightBatches.map((b) => b.find((c) => c.record.setIdentifier === 'euw1')!.record.weight)).toEqual([25, 50, 100]);
  });

  it('weights changed by someone else since the interruption are drift: refused', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 50)) w.controller.abort(new InterruptedError('SIGINT'));
    };
    await rejects(applyFailover({ ...w.run(), ...evacuate }), InterruptedError);
    w.controller = new AbortController();
    w.dns.after = null;
    w.memDns.addRecords(w.zoneId, { name: RECORD, type: 'A', setIdentifier: 'use1', weight: 70, ttl: 60, values: ['192.0.2.10'] });
    const e = await rejects(resumeFailover({ ...w.run(), journal: w.last() }), CheckFailedError);
    expect(e.message).toMatch(/match no step of operation/);
  });
});

describe('the lock', () => {
  const held = (operation: string, expires: number) => lockRecord(RECORD, { owner: 'ci@runner-7:4242', operation, acquired: T0 - 60_000, expires });

  it('a second apply while the lock is held exits 1 naming the holder', async () => {
    const w = world();
    w.memDns.addRecords(w.zoneId, held('op-other', T0 + 10 * 60_000));
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/another failover holds the lock on api.example.com.: held by ci@runner-7:4242 \(operation op-other\)/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    // --break-lock does not break a live lock.
    await rejects(applyFailover({ ...w.run({ breakLock: true }), ...evacuate }), CheckFailedError);
  });

  it('two concurrent applies: exactly one gets the lock', async () => {
    const w = world();
    const results = await Promise.allSettled([applyFailover({ ...w.run({ operationId: 'op-a' }), ...evacuate }), applyFailover({ ...w.run({ operationId: 'op-b' }), ...evacuate })]);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(((failed[0] as PromiseRejectedResult).reason as Error).message).toMatch(/another failover holds the lock.*test@host:1/);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });

  it('a stale lock is broken only with --break-lock', async () => {
    const w = world();
    w.memDns.addRecords(w.zoneId, held('op-dead', T0 - 1000));
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.suggestions.join()).toMatch(/--break-lock/);
    const warnings: string[] = [];
    await applyFailover({ ...w.run({ breakLock: true, warn: (l) => warnings.push(l) }), ...evacuate });
    expect(warnings.join()).toMatch(/breaking a stale lock: held by ci@runner-7:4242 \(operation op-dead\)/);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });
});

describe('rollback', () => {
  it('returns to the weights before, stepwise with guards, and scales back when the plan says so', async () => {
    const w = world({ plan: planText('capacity: { scaleBackOnRollback: true }') });
    const applied = await applyFailover({ ...w.run(), ...evacuate });
    const before = w.dns.weightBatches.length;
    const out = await rollbackFailover({ ...w.run(), journal: applied.journal! });
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    expect(w.dns.weightBatches.slice(before).map((b) => b.find((c) => c.record.setIdentifier === 'use1')!.record.weight)).toEqual([50, 100]);
    const j = out.journal!;
    expect(j).toMatchObject({ kind: 'rollback', rollsBack: applied.journal!.id, from: 'eu-west-1', to: 'us-east-1', status: 'completed' });
    expect(j.guard.every((g) => g.region === 'us-east-1')).toBe(true);
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
    expect((await w.cluster.getScale({ kind: 'deployment', namespace: 'web', name: 'api' }))!.replicas).toBe(1);
  });

  it('rolls back a reverted operation from where it stopped, and refuses if the source is unhealthy', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 100)) w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM');
    };
    await rejects(applyFailover({ ...w.run(), ...evacuate }), SafetyStopError);
    w.dns.after = null;
    const reverted = w.last();
    w.alarms.setAlarm('us-east-1', 'api-use1-5xx', 'ALARM');
    await rejects(rollbackFailover({ ...w.run(), journal: reverted }), CheckFailedError);
    w.alarms.setAlarm('us-east-1', 'api-use1-5xx', 'OK');
    await rollbackFailover({ ...w.run(), journal: reverted });
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
  });
});

describe('the lock during an operation', () => {
  it('is renewed once half its life is gone (one DELETE+CREATE batch) and released at the end', async () => {
    const w = world({ plan: planText('lock: { ttl: 3m }') });
    const batches: string[] = [];
    w.dns.after = (_z, changes) => void batches.push(changes.map((c) => `${c.action} ${c.record.type}`).join('+'));
    await applyFailover({ ...w.run(), ...evacuate });
    // take, step 1, renew after step 1's 2-minute bake (> half of 3m), step 2, release.
    expect(batches).toEqual(['CREATE TXT', 'UPSERT A+UPSERT A', 'DELETE TXT+CREATE TXT', 'UPSERT A+UPSERT A', 'DELETE TXT']);
  });

  it('two takers that both "won" a non-atomic CREATE (moto): the one whose value was overwritten stops before any change, leaving the winner\'s lock', async () => {
    const w = world();
    const winner = lockRecord(RECORD, { owner: 'ci@runner-2:77', operation: 'op-winner', acquired: T0, expires: T0 + 3_600_000 });
    w.dns.after = (_z, changes) => {
      if (changes.length === 1 && changes[0]!.action === 'CREATE' && changes[0]!.record.type === 'TXT') {
        // The other runner's CREATE lands right after ours and replaces it, as a check-then-write service allows.
        const mine = w.memDns.records(w.zoneId).find((r) => r.type === 'TXT')!;
        void w.memDns.change(w.zoneId, [{ action: 'DELETE', record: mine }, { action: 'CREATE', record: winner }]);
      }
    };
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/^another failover holds the lock on api\.example\.com\.: held by ci@runner-2:77 \(operation op-winner\).*nothing was changed$/);
    expect(w.weights()).toEqual({ use1: 100, euw1: 0 });
    expect(w.dns.weightBatches).toHaveLength(0);
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
    // The winner's lock is left in place, not deleted by the loser's cleanup.
    expect(w.memDns.records(w.zoneId).filter((r) => r.type === 'TXT').map((r) => r.values)).toEqual([winner.values]);
  });

  it('an operation whose lock was broken stops before its next step', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 50)) {
        const mine = w.memDns.records(w.zoneId).find((r) => r.type === 'TXT')!;
        void w.memDns.change(w.zoneId, [{ action: 'DELETE', record: mine }, { action: 'CREATE', record: lockRecord(RECORD, { owner: 'ops@laptop:9', operation: 'op-x', acquired: T0, expires: T0 + 3_600_000 }) }]);
      }
    };
    const e = await rejects(applyFailover({ ...w.run(), ...evacuate }), CheckFailedError);
    expect(e.message).toMatch(/lost the failover lock on api.example.com. \(held by ops@laptop:9 \(operation op-x\)/);
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
    expect(w.last()).toMatchObject({ status: 'interrupted', position: 0 });
  });
});
