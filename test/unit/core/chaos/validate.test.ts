/**
 * `chaos validate` / `chaos plan` semantics (docs/chaos.md): every activity is
 * checked against the registry with an exit-2 error naming its path and a fix;
 * the plan lists every activity in run order, read-only, and enforces the
 * experiment-wide blastRadius.maxTargets over the method's actions only.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActivityRegistry, type ActivityContext, type ActivityPlan } from '../../../../src/core/chaos/activity.js';
import { parseNative } from '../../../../src/core/chaos/native.js';
import { checkExperiment, planExperiment } from '../../../../src/core/chaos/validate.js';
import { rejection } from '../../../helpers/errors.js';
import { expectInputError } from '../error-contract.js';
import { FakeClock, policy, ports } from './world.js';

const FILE = 'exp.yaml';
const FALLBACK = 'see docs/chaos.md for the experiment format; relia chaos validate lists the registered types';
const parse = (doc: Record<string, unknown>) => parseNative({ title: 't', ...doc }, { file: FILE, env: {}, vars: {} });

/** What each activity's plan saw: its args and whether it was asked read-only. */
interface Seen {
  type: string;
  args: unknown;
  dryRun: boolean;
}

/** Actions and probes whose plans touch `targets` (an argument) services. */
function reg(opts: { withValue?: boolean; empty?: boolean } = {}, seen: Seen[] = []): ActivityRegistry {
  const r = new ActivityRegistry();
  if (opts.empty) return r;
  const args = z.strictObject({ targets: z.number().int().default(1) });
  const plan = (type: string) => async (a: { targets: number }, ctx: ActivityContext): Promise<ActivityPlan> => {
    seen.push({ type, args: a, dryRun: ctx.dryRun });
    return { targets: Array.from({ length: a.targets }, (_, i) => ({ kind: 'service', id: `s${i}` })), does: `${type} on ${a.targets}`, undo: 'undo it' };
  };
  for (const type of ['net.latency', 'net.loss', 'svc.stop']) r.addAction({ type, summary: type, args, plan: plan(type), run: async () => null });
  r.addProbe({ type: 'net.ping', summary: 'ping', args, plan: plan('net.ping'), run: async () => true });
  r.addProbe({ type: 'http.status', summary: 'status', args, plan: plan('http.status'), run: async () => 200 });
  if (opts.withValue !== false) {
    r.addProbe({ type: 'http.get', summary: 'get', args, plan: plan('http.get'), run: async () => 200, withValue: (a) => a });
  }
  return r;
}

const steady = { probes: [{ name: 'up', probe: 'net.ping', tolerance: true }] };
const action = (type: string, extra: Record<string, unknown> = {}) => ({ name: type, action: type, ...extra });

describe('checkExperiment: each activity against the registry (exit 2, path and fix)', () => {
  it('a mistyped type is named with the known ones and the closest suggested', () => {
    const e = expectInputError(() => checkExperiment(parse({ steadyState: steady, method: [action('net.latensy')] }), reg(), FILE), 'method[0]', [
      'exp.yaml: method[0]: unknown action type "net.latensy" (known: net.latency, net.loss, svc.stop)',
    ]);
    expect(e.suggestions).toEqual(['did you mean net.latency?', FALLBACK]);
    const p = expectInputError(() => checkExperiment(parse({ steadyState: { probes: [{ name: 'p', probe: 'http.stat' }] }, method: [action('svc.stop')] }), reg(), FILE), 'steadyState.probes[0]', [
      'unknown probe type "http.stat" (known: http.get, http.status, net.ping)',
    ]);
    expect(p.suggestions[0]).toBe('did you mean http.status?');
  });

  it('a type like none of the known ones suggests installing its plugin, not an unrelated type', () => {
    const e = expectInputError(() => checkExperiment(parse({ steadyState: steady, method: [action('kubernetes.pod-kill')] }), reg(), FILE), 'method[0]', ['unknown action type "kubernetes.pod-kill"']);
    expect(e.suggestions).toEqual(['install the plugin that provides it', FALLBACK]);
  });

  it('with nothing registered, says so', () => {
    const e = expectInputError(() => checkExperiment(parse({ method: [action('net.latency')] }), reg({ empty: true }), FILE), 'method[0]', [
      'unknown action type "net.latency" (no activities are registered)',
    ]);
    expect(e.suggestions).toEqual(['install the plugin that provides it', FALLBACK]);
  });

  it('a probe used as an action, and an action used as a probe, are named as such', () => {
    expectInputError(() => checkExperiment(parse({ steadyState: steady, method: [action('http.get')] }), reg(), FILE), 'method[0]', ['exp.yaml: method[0]: http.get is a probe, not an action']);
    expectInputError(() => checkExperiment(parse({ steadyState: { probes: [{ name: 'p', probe: 'svc.stop' }] }, method: [action('svc.stop')] }), reg(), FILE), 'steadyState.probes[0]', [
      'steadyState.probes[0]: svc.stop is an action, not a probe',
    ]);
  });

  it('arguments that fail the schema are named by their path under args', () => {
    const e = expectInputError(() => checkExperiment(parse({ steadyState: steady, method: [action('net.loss', { args: { targets: 'two' } })] }), reg(), FILE), 'method[0].args.targets', ['method[0].args.targets']);
    // the value as written, not "required": it is there, with the wrong type
    expect(e.message).toBe('exp.yaml: method[0].args.targets: expected number, got "two"');
  });

  it('every problem is reported, each with its path, the first one naming the field', () => {
    const e = expectInputError(
      () => checkExperiment(parse({ steadyState: { probes: [{ name: 'p', probe: 'svc.stop' }] }, method: [action('net.latensy'), action('net.loss', { args: { targets: 'x' } })] }), reg(), FILE),
      'steadyState.probes[0]',
      ['3 problems:', 'steadyState.probes[0]: svc.stop is an action', 'method[0]: unknown action type', 'method[1].args.targets'],
    );
    expect(e.suggestions.at(-1)).toBe(FALLBACK);
  });

  it('returns the parsed arguments (defaults applied) of every activity, tolerance and guard probes included', () => {
    const exp = parse({
      steadyState: { probes: [{ name: 'p', probe: 'net.ping', tolerance: { type: 'probe', probe: 'http.get', args: { targets: 2 } } }] },
      method: [action('net.latency', { args: { targets: 3 } })],
      rollbacks: [action('svc.stop')],
      guards: [{ type: 'userImpact', probe: { probe: 'http.status' }, max: '5%' }],
    });
    const args = checkExperiment(exp, reg(), FILE);
    expect([...args.entries()].map(([a, v]) => [a.path, a.type, v])).toEqual([
      ['steadyState.probes[0]', 'net.ping', { targets: 1 }],
      ['steadyState.probes[0].tolerance', 'http.get', { targets: 2 }],
      ['method[0]', 'net.latency', { targets: 3 }],
      ['rollbacks[0]', 'svc.stop', { targets: 1 }],
      ['guards[0].probe', 'http.status', { targets: 1 }],
    ]);
  });

  describe('a probe tolerance must take the measured value', () => {
    const tolerant = (probe: string) => parse({ steadyState: { probes: [{ name: 'p', probe: 'net.ping', tolerance: { type: 'probe', probe } }] }, method: [action('svc.stop')] });

    it('one that does not is exit 2 naming ...tolerance, suggesting the probes that do', () => {
      const e = expectInputError(() => checkExperiment(tolerant('http.status'), reg(), FILE), 'steadyState.probes[0].tolerance', [
        'http.status cannot be a tolerance probe: it does not take the measured value (the argument `value`)',
      ]);
      expect(e.suggestions).toEqual(['use one that does: http.get', FALLBACK]);
    });

    it('when no registered probe does, suggests the other tolerance kinds', () => {
      const e = expectInputError(() => checkExperiment(tolerant('http.status'), reg({ withValue: false }), FILE), 'steadyState.probes[0].tolerance');
      expect(e.suggestions).toEqual(['use a range, regex or jsonpath tolerance', FALLBACK]);
    });

    it('one that does passes', () => {
      expect(checkExperiment(tolerant('http.get'), reg(), FILE).size).toBe(3);
    });
  });

  describe('an experiment must check something or inject something', () => {
    it('no steady state and no action in the method is exit 2 naming the method', () => {
      for (const method of [[{ name: 'p', probe: 'net.ping' }], [{ pause: '1s' }, { name: 'p', probe: 'net.ping' }]]) {
        const e = expectInputError(() => checkExperiment(parse({ method }), reg(), FILE), 'method', ['exp.yaml: method: the experiment has no steady state and injects nothing']);
        expect(e.suggestions).toEqual(['add an action to the method', FALLBACK]);
      }
    });

    it('a steady state with probes only, or an action without a steady state, is fine', () => {
      expect(checkExperiment(parse({ steadyState: steady, method: [{ name: 'p', probe: 'net.ping' }] }), reg(), FILE).size).toBe(2);
      expect(checkExperiment(parse({ method: [{ name: 'p', probe: 'net.ping' }, action('svc.stop')] }), reg(), FILE).size).toBe(2);
    });
  });
});

describe('planExperiment: every activity in run order, read-only, within the blast radius', () => {
  const ctx = (dryRun: boolean): ActivityContext => ({ ports: ports({}), clock: new FakeClock(), random: () => 0.5, signal: new AbortController().signal, policy, dryRun, log: () => undefined });
  const plan = async (doc: Record<string, unknown>, seen: Seen[] = [], dryRun = true) => {
    const r = reg({}, seen);
    const exp = parse(doc);
    return planExperiment(exp, r, checkExperiment(exp, r, FILE), ctx(dryRun), FILE);
  };

  it('lists steady state, method (pauses and background included), rollbacks and guard probes, each with its plan', async () => {
    const seen: Seen[] = [];
    const planned = await plan(
      {
        steadyState: steady,
        method: [action('net.latency', { background: true, args: { targets: 2 } }), { pause: '1.5s' }, action('svc.stop'), { name: 'check', probe: 'http.get' }],
        rollbacks: [action('net.loss')],
        guards: [
          { type: 'userImpact', query: 'sum(rate(errors[1m]))' },
          { type: 'maxDuration', duration: '5m' },
          { type: 'userImpact', name: 'users', probe: { probe: 'http.status' } },
        ],
      },
      seen,
      false,
    );
    expect(planned.map((p) => [p.path, p.name, p.kind, p.type, p.phase, p.background, p.plan.does, p.plan.targets.length])).toEqual([
      ['steadyState.probes[0]', 'up', 'probe', 'net.ping', 'steady-state', false, 'net.ping on 1', 1],
      ['method[0]', 'net.latency', 'action', 'net.latency', 'method', true, 'net.latency on 2', 2],
      ['method[1]', 'pause', 'pause', 'pause', 'method', false, 'wait 1500 ms', 0],
      ['method[2]', 'svc.stop', 'action', 'svc.stop', 'method', false, 'svc.stop on 1', 1],
      ['method[3]', 'check', 'probe', 'http.get', 'method', false, 'http.get on 1', 1],
      ['rollbacks[0]', 'net.loss', 'action', 'net.loss', 'rollbacks', false, 'net.loss on 1', 1],
      ['guards[2].probe', 'users sample', 'probe', 'http.status', 'guards', false, 'http.status on 1', 1],
    ]);
    expect(planned[2]?.plan).toEqual({ targets: [], does: 'wait 1500 ms', undo: 'nothing to undo' });
    // `chaos run` plans too (without --dry-run): each activity is still asked read-only, with its parsed arguments
    expect(seen.map((s) => [s.type, s.dryRun, s.args])).toEqual([
      ['net.ping', true, { targets: 1 }],
      ['net.latency', true, { targets: 2 }],
      ['svc.stop', true, { targets: 1 }],
      ['http.get', true, { targets: 1 }],
      ['net.loss', true, { targets: 1 }],
      ['http.status', true, { targets: 1 }],
    ]);
  });

  it('blastRadius.maxTargets counts the method actions only, and allows exactly the cap', async () => {
    const planned = await plan({
      steadyState: { probes: [{ name: 'p', probe: 'net.ping', args: { targets: 5 } }] },
      method: [action('net.latency', { args: { targets: 1 } }), { name: 'c', probe: 'http.get', args: { targets: 5 } }, action('svc.stop', { args: { targets: 1 } })],
      rollbacks: [action('net.loss', { args: { targets: 5 } })],
      guards: [{ type: 'userImpact', probe: { probe: 'http.status', args: { targets: 5 } } }],
      blastRadius: { maxTargets: 2 },
    });
    expect(planned).toHaveLength(6);
  });

  it('over the cap is exit 2 naming blastRadius.maxTargets, the action that crossed it and the total, before anything runs', async () => {
    const seen: Seen[] = [];
    const e = await rejection(
      plan({ steadyState: steady, method: [action('net.latency', { args: { targets: 2 } }), action('svc.stop', { args: { targets: 2 } }), action('net.loss')], blastRadius: { maxTargets: 3 } }, seen),
    );
    expectInputError(() => {
      throw e;
    }, 'blastRadius.maxTargets', ['exp.yaml: method[1]: the method would touch 4 targets, over blastRadius.maxTargets 3']);
    expect(e.suggestions).toEqual(["narrow the actions' selectors or modes (one, {count: N}, {percent: P})", 'raise blastRadius.maxTargets to 4 if that is intended']);
    expect(seen.map((s) => s.type)).toEqual(['net.ping', 'net.latency', 'svc.stop']);
  });

  it('without a cap, any number of targets plans', async () => {
    expect(await plan({ method: [action('net.latency', { args: { targets: 1000 } })] })).toHaveLength(1);
  });

  it('an activity the registry does not know (checked against another) is exit 2 naming it, with a fix', async () => {
    const exp = parse({ steadyState: steady, method: [action('net.latency')] });
    const args = checkExperiment(exp, reg(), FILE);
    const e = await rejection(planExperiment(exp, reg({ empty: true }), args, ctx(true), FILE));
    expectInputError(() => {
      throw e;
    }, 'steadyState.probes[0]', ['exp.yaml: steadyState.probes[0]: unknown probe net.ping']);
    expect(e.suggestions).toEqual(['run relia chaos validate exp.yaml: it lists the registered types']);
  });
});
