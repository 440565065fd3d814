/**
 * The engine's decisions before and around the walk: bad --steps, refused
 * pre-checks and freezes (exact messages and what to do), what an existing
 * journal means for a re-run, plans without capacity, the lock release, and
 * the rollback cases that move no weight.
 */
import { describe, expect, it } from 'vitest';
import { CheckFailedError, DependencyError, InputError } from '../../../../src/core/errors.js';
import { applyFailover, rollbackFailover } from '../../../../src/core/failover/engine.js';
import { freeze } from '../../../../src/core/failover/freeze.js';
import type { AlarmsPort } from '../../../../src/ports/alarms.js';
import { lockRecord } from '../../../../src/core/failover/lock.js';
import { planText, RECORD, T0, world } from './world.js';
import { rejection } from '../../../helpers/errors.js';

const evacuate = { from: 'us-east-1', to: 'eu-west-1', mode: 'graceful' as const };


describe('refusals before anything changes', () => {
  it('--steps that do not end at 100: exit 2 on --steps with an example', async () => {
    const w = world();
    const e = await rejection(applyFailover({ ...w.run(), ...evacuate, steps: [25, 50] }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain('the last step must be 100, got 50');
    expect(e.field).toBe('--steps');
    expect(e.suggestions).toEqual(['end the steps at 100, e.g. [50, 100]', 'e.g. --steps 50,100']);
  });

  it('failed pre-checks are listed one per line (only the failed ones), nothing changed', async () => {
    const w = world();
    w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%');
    w.memDns.setHealth('hc-euw1', false);
    const e = await rejection(applyFailover({ ...w.run(), ...evacuate }));
    expect(e).toBeInstanceOf(CheckFailedError);
    // The unhealthy target also leaves no healthy region for step 2 (minHealthyRegions 1); the passing checks are not listed.
    expect(e.message).toBe(
      'pre-checks failed, nothing was changed:\n  target eu-west-1 healthy: health check hc-euw1 is unhealthy (0/16 checkers healthy); alarm api-euw1-5xx is ALARM (5xx above 1%)\n  safety rules: step 2 (100%): only 0 healthy regions would take traffic (none); safety.minHealthyRegions is 1',
    );
    expect(e.suggestions).toEqual(['relia failover plan --plan FILE --from R1 --to R2 shows every check']);
    expect(w.journals).toEqual([]);
  });

  it('a freeze names who, since when and why, and how to lift it', async () => {
    const w = world();
    await freeze(w.plan, w.ports(), { by: 'alice@laptop', at: T0, reason: 'premiere night' });
    const e = await rejection(applyFailover({ ...w.run(), ...evacuate }));
    expect(e.message).toBe('failover of api.example.com. is frozen by alice@laptop since 2026-12-03T07:00:00Z: premiere night');
    expect(e.suggestions).toEqual(['relia failover unfreeze --plan FILE when the freeze is over']);
  });
});

describe('what an existing journal means for a re-run', () => {
  it('a completed apply at its final weights: nothing to do, the same journal returned', async () => {
    const w = world();
    const first = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    const again = await applyFailover({ ...w.run(), ...evacuate, existing: first });
    expect(again).toEqual({ journal: first, preview: null, nothingToDo: true, weights: { 'us-east-1': 0, 'eu-west-1': 100 } });
  });

  it('a finished but not completed operation at the final weights (revert failed) is not adopted: nothing to do, no journal', async () => {
    const w = world();
    const first = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    const again = await applyFailover({ ...w.run(), ...evacuate, existing: { ...first, status: 'revert-failed' } });
    expect(again).toEqual({ journal: null, preview: null, nothingToDo: true, weights: { 'us-east-1': 0, 'eu-west-1': 100 } });
  });
});

describe('nothing to do only when every step is already live', () => {
  it('1/99 in steps 25/50/100: step 1 rounds to no move, the others still run', async () => {
    const w = world({ weights: [1, 99], plan: planText().replace('steps: [50, 100]', 'steps: [25, 50, 100]') });
    const out = await applyFailover({ ...w.run(), ...evacuate });
    expect(out.nothingToDo).toBe(false);
    expect(out.journal!.steps.map((s) => s.weights)).toEqual([
      { use1: 1, euw1: 99 },
      { use1: 0, euw1: 100 },
      { use1: 0, euw1: 100 },
    ]);
    expect(w.dns.weightBatches).toHaveLength(1);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });
});

describe('plans and ports', () => {
  it('a plan without capacity moves the weights without a scaling phase', async () => {
    const w = world({ plan: planText().replace(/ {4}capacity: .*\n/g, '') });
    const out = await applyFailover({ ...w.run(), ...evacuate });
    expect(out.journal!.events.map((e) => e.type).filter((t) => t !== 'guard')).toEqual(['start', 'step', 'step', 'done']);
    expect(out.journal!.scaling).toEqual([]);
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
  });

  it('ungraceful never reads the source region\'s health (it is down); an unreadable source capacity is a warning', async () => {
    const w = world();
    // the alarms fake with one region unreachable (a scripted fault; the rest forwards to MemoryAlarms)
    const alarms: AlarmsPort = {
      kind: w.alarms.kind,
      describeAlarms: (region, names, options) => (region === 'us-east-1' ? Promise.reject(new DependencyError('cloudwatch', 'us-east-1 unreachable')) : w.alarms.describeAlarms(region, names, options)),
      close: () => w.alarms.close(),
    };
    // The source ASG cannot be read either: a warning, and the target keeps its desired capacity.
    const compute = new Proxy(w.compute, {
      get: (t, p) => (p === 'describeGroups' ? (region: string, names: string[]) => (region === 'us-east-1' ? Promise.reject(new DependencyError('autoscaling', 'us-east-1 unreachable')) : t.describeGroups(region, names)) : Reflect.get(t, p, t)),
    });
    const warnings: string[] = [];
    const out = await applyFailover({ ...w.run({ ports: { ...w.ports(), alarms, compute }, warn: (l) => warnings.push(l) }), ...evacuate, mode: 'ungraceful' });
    expect(out.journal!.status).toBe('completed');
    expect(warnings.filter((l) => l.startsWith('ungraceful: cannot read the source capacity'))).toHaveLength(1);
    expect((await w.compute.describeGroups('eu-west-1', ['api-euw1']))[0]!.desired).toBe(2);
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });

  it('a lock that cannot be released is a warning naming when it expires; a released one is silent', async () => {
    for (const how of ['rejected', 'unreachable'] as const) {
      const w = world();
      const warnings: string[] = [];
      w.dns.before = (_z, changes) => {
        if (changes.length === 1 && changes[0]!.action === 'DELETE' && changes[0]!.record.type === 'TXT') {
          if (how === 'unreachable') throw new DependencyError('aws', 'route53:ChangeResourceRecordSets failed: connect ECONNREFUSED');
          return { status: 'rejected', reason: 'InvalidChangeBatch' };
        }
        return undefined;
      };
      const out = await applyFailover({ ...w.run({ warn: (l) => warnings.push(l) }), ...evacuate });
      expect(out.journal!.status).toBe('completed');
      // Renewed before step 2 (at 2m) for the plan's lock TTL.
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^could not release the lock on api\.example\.com\.; it expires at 2026-12-03T\d\d:\d\d:\d\dZ$/);
    }
  });
});

describe('scaling the target', () => {
  it('readiness is polled every scalePollMs (5 s by default): no weight moves before the target is ready', async () => {
    for (const [pollMs, readySeenAt] of [
      [1_000, 2_000],
      [undefined, 5_000],
    ] as const) {
      const w = world({ readyFollows: false });
      w.clock.at(T0 + 1_500, () => w.cluster.setReady({ kind: 'deployment', namespace: 'web', name: 'api' }, 4));
      const out = await applyFailover({ ...w.run({ scalePollMs: pollMs }), ...evacuate });
      const at = (type: string) => Date.parse(out.journal!.events.find((e) => e.type === type)!.at) - T0;
      expect([at('scaled'), at('step')]).toEqual([readySeenAt, readySeenAt]);
    }
  });

  it('scaling back on rollback passes the abort signal, and the current kube context as "no context"', async () => {
    const w = world({ plan: planText('capacity: { scaleBackOnRollback: true }').replace('{ kubernetes: { context: euw1, namespace: web, deployment: api } }', '{ kubernetes: { namespace: web, deployment: api } }') });
    const contexts: Array<string | undefined> = [];
    const signals: boolean[] = [];
    const base = w.ports();
    const compute = new Proxy(w.compute, {
      get: (t, p) => (p === 'setDesiredCapacity' ? (r: string, n: string, d: number, o?: { signal?: AbortSignal }) => (signals.push(o?.signal === w.controller.signal), t.setDesiredCapacity(r, n, d, o)) : Reflect.get(t, p, t)),
    });
    const cluster = async (context: string | undefined) => {
      contexts.push(context);
      // The current context is the target's cluster here.
      const c = context === undefined ? w.cluster : await base.cluster!(context);
      return new Proxy(c, {
        get: (t, p) => (p === 'setScale' ? (ref: Parameters<typeof c.setScale>[0], n: number, o?: { signal?: AbortSignal }) => (signals.push(o?.signal === w.controller.signal), t.setScale(ref, n, o)) : Reflect.get(t, p, t)),
      });
    };
    const ports = { ...base, compute, cluster };
    const applied = (await applyFailover({ ...w.run({ ports }), ...evacuate })).journal!;
    expect(applied.scaling.map((s) => [s.name, s.where])).toEqual([
      ['api-euw1', 'eu-west-1'],
      ['web/api', ''],
    ]);
    contexts.length = 0;
    signals.length = 0;
    await rollbackFailover({ ...w.run({ ports }), journal: applied });
    expect(contexts.filter((c) => c !== 'use1')).toEqual([undefined]);
    expect(signals).toEqual([true, true]);
  });
});

describe('more paths', () => {
  it('ungraceful with an unready target and no warn hook still shifts', async () => {
    const w = world({ readyFollows: false });
    const out = await applyFailover({ ...w.run(), ...evacuate, mode: 'ungraceful' });
    expect(out.journal!.status).toBe('completed');
  });

  it('a completed rollback journal passed to apply is not "done": the apply runs', async () => {
    const w = world();
    const applied = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    const rolled = (await rollbackFailover({ ...w.run(), journal: applied })).journal!;
    const again = await applyFailover({ ...w.run({ operationId: 'op-again' }), ...evacuate, existing: rolled });
    expect(again.journal).toMatchObject({ id: 'op-again', status: 'completed' });
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });

  it('an unfinished rollback whose weights were changed since is drift', async () => {
    const w = world();
    const applied = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    w.dns.after = (_z, changes) => void (changes.some((c) => c.record.setIdentifier === 'use1' && c.record.weight === 50) && w.controller.abort(new Error('stop')));
    await rejection(rollbackFailover({ ...w.run({ operationId: 'op-rb' }), journal: applied }));
    w.controller = new AbortController();
    w.dns.after = null;
    await w.memDns.change(w.zoneId, w.memDns.records(w.zoneId).filter((r) => r.setIdentifier === 'use1').map((r) => ({ action: 'UPSERT' as const, record: { ...r, weight: 70 } })));
    const e = await rejection(rollbackFailover({ ...w.run(), journal: w.last() }));
    expect(e.message).toBe('the weights of api.example.com. (us-east-1=70 eu-west-1=50) match no step of operation op-rb: someone changed them since');
  });

  it('a lock lost to another run is not ours to release: no release attempted, no warning', async () => {
    const w = world();
    const winner = lockRecord(RECORD, { owner: 'ci@runner-2:77', operation: 'op-winner', acquired: T0, expires: T0 + 3_600_000 });
    const deletes: string[] = [];
    w.dns.after = (_z, changes) => {
      if (changes.length === 1 && changes[0]!.action === 'DELETE' && changes[0]!.record.type === 'TXT') deletes.push(changes[0]!.record.values!.join(''));
      if (changes.length === 1 && changes[0]!.action === 'CREATE' && changes[0]!.record.type === 'TXT') {
        const mine = w.memDns.records(w.zoneId).find((r) => r.type === 'TXT')!;
        void w.memDns.change(w.zoneId, [{ action: 'DELETE', record: mine }, { action: 'CREATE', record: winner }]);
      }
    };
    const warnings: string[] = [];
    await rejection(applyFailover({ ...w.run({ warn: (l) => warnings.push(l) }), ...evacuate }));
    expect(deletes).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('the rollback pre-check lists every problem of the region', async () => {
    const w = world();
    const applied = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    w.alarms.setAlarm('us-east-1', 'api-use1-5xx', 'ALARM', '5xx above 1%');
    w.memDns.setHealth('hc-use1', false);
    const e = await rejection(rollbackFailover({ ...w.run(), journal: applied }));
    expect(e.message).toBe('rollback pre-check: us-east-1 would take traffic back but is unhealthy: health check hc-use1 is unhealthy (0/16 checkers healthy); alarm api-use1-5xx is ALARM (5xx above 1%); nothing was changed');
  });
});

describe('rollbacks that move no weight', () => {
  it('scaleBackOnRollback with nothing scaled and no step back: nothing to do', async () => {
    const w = world({ readyFollows: false, plan: planText('capacity: { scaleBackOnRollback: true }') });
    await rejection(applyFailover({ ...w.run(), ...evacuate }));
    const out = await rollbackFailover({ ...w.run(), journal: { ...w.last(), scaling: [] } });
    expect(out).toEqual({ journal: null, preview: null, nothingToDo: true, weights: { 'us-east-1': 100, 'eu-west-1': 0 } });
  });

  it('the rollback pre-check includes the SLOs of the region taking traffic back', async () => {
    const w = world({ plan: planText().replace('alarms: [api-use1-5xx]', 'alarms: [api-use1-5xx]\n    slos: [slo.yaml]') });
    const applied = (await applyFailover({ ...w.run(), ...evacuate })).journal!;
    const ports = { ...w.ports(), sloGuard: async (region: string) => [{ id: 'playback/availability', ok: region !== 'us-east-1', reasons: ['fast burn 1h/5m: 20.1 > 14.4'] }] };
    const e = await rejection(rollbackFailover({ ...w.run({ ports }), journal: applied }));
    expect(e.message).toBe('rollback pre-check: us-east-1 would take traffic back but is unhealthy: SLO playback/availability: fast burn 1h/5m: 20.1 > 14.4; nothing was changed');
    expect(w.weights()).toEqual({ use1: 0, euw1: 100 });
  });
});
