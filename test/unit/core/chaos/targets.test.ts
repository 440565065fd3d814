import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChaosPolicy } from '../../../../src/core/chaos/activity.js';
import { chooseTargets, countFor, describeMode, labelSelector, type ModeSchema, requireAwsAccount, requireKubeContext, selectionFields, type Candidate } from '../../../../src/core/chaos/targets.js';
import { parseWithSchema } from '../../../../src/core/validation.js';
import { MemoryCluster } from '../../../fakes/memory-cluster.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { inputError, rejection } from '../../../helpers/errors.js';
import { prng } from '../../../helpers/prng.js';

const policy: ChaosPolicy = { allowKubeContexts: ['staging'], allowAwsAccounts: ['123456789012'], protectedNamespaces: ['kube-system'], protectedLabels: { 'chaos.relia.dev/protected': 'true' } };
const pods = (n: number, ns = 'web'): Candidate[] => Array.from({ length: n }, (_, i) => ({ id: `${ns}/pod-${String(i).padStart(2, '0')}`, namespace: ns, labels: { app: 'api' } }));
const ctx = (random: () => number = prng(1)) => ({ policy, random, field: 'selector', what: 'pods', selector: 'app=api' });
const sel = (mode: z.input<typeof ModeSchema> | string, extra: object = {}) => parseWithSchema(z.strictObject(selectionFields), { mode, ...extra });

describe('countFor', () => {
  it('one, all, count and percent (rounded up) of n', () => {
    expect(countFor('one', 10)).toBe(1);
    expect(countFor('all', 10)).toBe(10);
    expect(countFor({ count: 3 }, 10)).toBe(3);
    expect(countFor({ count: 30 }, 10)).toBe(10);
    expect(countFor({ percent: 25 }, 10)).toBe(3);
    expect(countFor({ percent: 10 }, 10)).toBe(1);
    expect(countFor({ percent: 1 }, 10)).toBe(1);
    expect(countFor({ percent: 100 }, 7)).toBe(7);
    expect(countFor('one', 0)).toBe(0);
  });
  it('percent never exceeds n and is at least one of a non-empty set (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.001, max: 100, noNaN: true }), (n, p) => {
        const c = countFor({ percent: p }, n);
        expect(c).toBeGreaterThanOrEqual(1);
        expect(c).toBeLessThanOrEqual(n);
        expect(c).toBeGreaterThanOrEqual((p / 100) * n - 1e-6);
      }),
    );
  });
});

describe('selection schema', () => {
  it('percent over 100 is exit 2 naming mode.percent', () => {
    const err = inputError(() => sel({ percent: 150 }));
    expect(err.field).toBe('mode.percent');
    expect(err.message).toMatch(/at most 100/);
  });
  it('count 0, unknown modes and unknown fields are exit 2', () => {
    expect(inputError(() => sel({ count: 0 })).field).toBe('mode.count');
    expect(inputError(() => sel('half')).field).toBe('mode');
    expect(inputError(() => sel('one', { maxTarget: 2 })).message).toMatch(/unknown field "maxTarget"/);
  });
  it('defaults: one, not allowEmpty', () => {
    expect(parseWithSchema(z.strictObject(selectionFields), {})).toEqual({ mode: 'one', allowEmpty: false });
  });
});

describe('chooseTargets', () => {
  it('the same seed chooses the same targets, whatever the order the port returned', () => {
    const a = chooseTargets(pods(20), sel({ count: 5 }, { seed: 42 }), ctx(prng(1)));
    const b = chooseTargets(pods(20).reverse(), sel({ count: 5 }, { seed: 42 }), ctx(prng(99)));
    expect(a.chosen.map((p) => p.id)).toEqual(b.chosen.map((p) => p.id));
    expect(a.chosen).toHaveLength(5);
    const c = chooseTargets(pods(20), sel({ count: 5 }, { seed: 43 }), ctx());
    expect(c.chosen.map((p) => p.id)).not.toEqual(a.chosen.map((p) => p.id));
  });
  it('maxTargets caps every mode', () => {
    expect(chooseTargets(pods(20), sel('all', { maxTargets: 3 }), ctx()).chosen).toHaveLength(3);
    expect(chooseTargets(pods(20), sel({ percent: 50 }, { maxTargets: 4 }), ctx()).chosen).toHaveLength(4);
  });
  it('never selects protected namespaces or labels, and reports why they were left out', () => {
    const cands = [...pods(3), ...pods(3, 'kube-system'), { id: 'web/keep', namespace: 'web', labels: { app: 'api', 'chaos.relia.dev/protected': 'true' } }];
    const r = chooseTargets(cands, sel('all'), ctx());
    expect(r.chosen.map((p) => p.id)).toEqual(['web/pod-00', 'web/pod-01', 'web/pod-02']);
    expect(r.excluded).toHaveLength(4);
    expect(r.excluded.find((e) => e.id === 'web/keep')?.reason).toMatch(/chaos.relia.dev\/protected=true/);
    expect(r.matched).toBe(7);
  });
  it('chosen targets are distinct, eligible and as many as the mode says (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 100 }), fc.integer(), (n, prot, pct, seed) => {
        const cands = [...pods(n), ...pods(prot, 'kube-system')];
        const r = chooseTargets(cands, sel({ percent: pct }, { seed }), ctx());
        const ids = r.chosen.map((p) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.every((id) => id.startsWith('web/'))).toBe(true);
        expect(ids).toHaveLength(countFor({ percent: pct }, n));
      }),
    );
  });
  it('nothing matching is exit 2 naming the selector, unless allowEmpty', () => {
    const err = inputError(() => chooseTargets([], sel('one'), ctx()));
    expect(err.field).toBe('selector');
    expect(err.message).toMatch(/no pods match app=api/);
    expect(err.suggestions.join(' ')).toMatch(/allowEmpty/);
    const onlyProtected = inputError(() => chooseTargets(pods(2, 'kube-system'), sel('one'), ctx()));
    expect(onlyProtected.message).toMatch(/protected/);
    expect(chooseTargets([], sel('one', { allowEmpty: true }), ctx()).chosen).toEqual([]);
  });
  it('the empty-selection error: the selector, how many were protected and the first reason, and what to try', () => {
    const none = inputError(() => chooseTargets([], sel('one'), ctx()));
    expect(none.message).toBe('selector: no pods match app=api');
    expect(none.suggestions).toEqual(['check the selector against what exists (e.g. list the pods with the same selector)', 'or set allowEmpty: true to let the action do nothing']);
    const onlyProtected = inputError(() => chooseTargets(pods(2, 'kube-system'), sel('one'), ctx()));
    expect(onlyProtected.message).toBe('selector: no pods match app=api (2 matched but are protected: namespace kube-system is protected (chaos.protectedNamespaces))');
  });
  it('every protected namespace is left out, and the plan lists what was left out in id order, whatever the port order', () => {
    const two = { ...policy, protectedNamespaces: ['kube-system', 'monitoring'] };
    const cands = [...pods(2, 'web'), ...pods(2, 'monitoring'), ...pods(2, 'kube-system')].reverse();
    const r = chooseTargets(cands, sel('all'), { ...ctx(), policy: two });
    expect(r.chosen.map((p) => p.id)).toEqual(['web/pod-00', 'web/pod-01']);
    expect(r.excluded).toEqual([
      { id: 'kube-system/pod-00', reason: 'namespace kube-system is protected (chaos.protectedNamespaces)' },
      { id: 'kube-system/pod-01', reason: 'namespace kube-system is protected (chaos.protectedNamespaces)' },
      { id: 'monitoring/pod-00', reason: 'namespace monitoring is protected (chaos.protectedNamespaces)' },
      { id: 'monitoring/pod-01', reason: 'namespace monitoring is protected (chaos.protectedNamespaces)' },
    ]);
  });
  it('without a seed the run\'s injected random decides (a random that always answers 0 keeps the first in id order)', () => {
    const first = chooseTargets(pods(20).reverse(), sel({ count: 3 }), ctx(() => 0));
    expect(first.chosen.map((p) => p.id)).toEqual(['web/pod-00', 'web/pod-01', 'web/pod-02']);
    // the same choice with a seed follows the seed, not the injected random
    const seeded = chooseTargets(pods(20), sel({ count: 3 }, { seed: 42 }), ctx(() => 0));
    expect(seeded.chosen.map((p) => p.id)).toEqual(chooseTargets(pods(20), sel({ count: 3 }, { seed: 42 }), ctx(prng(7))).chosen.map((p) => p.id));
  });
});

describe('what the plan prints', () => {
  it('the mode, the cap and the seed, as `chaos plan` shows them in each action\'s line', () => {
    const cases: [z.input<typeof ModeSchema>, object, string][] = [
      ['one', {}, 'one'],
      ['all', {}, 'all'],
      [{ count: 3 }, {}, '3'],
      [{ percent: 25 }, {}, '25%'],
      [{ percent: 12.5 }, {}, '12.5%'],
      ['all', { maxTargets: 2 }, 'all (at most 2)'],
      ['one', { seed: 0 }, 'one, seed 0'],
      [{ percent: 50 }, { maxTargets: 4, seed: 7 }, '50% (at most 4), seed 7'],
    ];
    for (const [mode, extra, text] of cases) expect(describeMode(sel(mode, extra))).toBe(text);
  });
  it('a label map is a Kubernetes equality selector, comma-separated in the order written', () => {
    expect(labelSelector({ app: 'api', tier: 'web' })).toBe('app=api,tier=web');
    expect(labelSelector({ app: 'api' })).toBe('app=api');
    expect(labelSelector({})).toBe('');
  });
});

describe('allowlists', () => {
  // the contract-checked fakes, each answering for one context / account
  const cluster = (context: string) => new MemoryCluster(context);
  const compute = (account: string) => new MemoryCompute({ account, arn: `arn:aws:iam::${account}:user/x` });
  it('an allowed context passes; any other is exit 2 naming it and chaos.allow.kubeContexts', () => {
    expect(requireKubeContext(cluster('staging'), policy)).toBe('staging');
    const err = inputError(() => requireKubeContext(cluster('prod-eu'), policy));
    expect(err.message).toMatch(/"prod-eu"/);
    expect(err.field).toBe('chaos.allow.kubeContexts');
    expect(err.suggestions).toEqual(['add it to relia.config.yaml: chaos: { allow: { kubeContexts: ["prod-eu"] } }', 'or switch to an allowed context (kubernetes.context in config, or --context)']);
  });
  it('an allowed account passes; any other is exit 2 naming it and chaos.allow.awsAccounts', async () => {
    expect(await requireAwsAccount(compute('123456789012'), policy)).toBe('123456789012');
    const err = (await requireAwsAccount(compute('999999999999'), policy).then(() => null, (e: unknown) => e)) as Error & { field?: string; exitCode?: number };
    expect(err.exitCode).toBe(2);
    expect(err.field).toBe('chaos.allow.awsAccounts');
    expect(err.message).toBe('AWS account 999999999999 (arn:aws:iam::999999999999:user/x) is not allowed for chaos actions');
    expect((err as Error & { suggestions: string[] }).suggestions).toEqual([
      'add it to relia.config.yaml: chaos: { allow: { awsAccounts: ["999999999999"] } }',
      'or use credentials of an allowed account (aws.profile in config, or AWS_PROFILE)',
    ]);
  });
  it('the identity check stops when the run is cancelled: the signal reaches STS', async () => {
    const stop = new AbortController();
    stop.abort(new Error('interrupted'));
    const sts = compute('123456789012');
    expect((await rejection(requireAwsAccount(sts, policy, stop.signal))).message).toBe('interrupted');
    expect(sts.calls).toEqual([]);
  });
});
