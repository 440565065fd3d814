/**
 * aws.fis-experiment and the aws.alarm-state probe: plan text, the journal,
 * wait: false, the timeout (the experiment is stopped when it is reached),
 * experiments that vanish or end badly, the undo, and aborts mid-call.
 */
import { describe, expect, it } from 'vitest';
import { alarmState, fisExperiment } from '../../../../src/core/chaos/actions/aws.js';
import { DependencyError } from '../../../../src/core/errors.js';
import { MemoryAlarms } from '../../../fakes/memory-alarms.js';
import { MemoryCompute } from '../../../fakes/memory-compute.js';
import { MemoryExperiments } from '../../../fakes/memory-experiments.js';
import { rejection } from '../../../helpers/errors.js';
import { ACCOUNT, R, abortOn, undoWith } from './faults-aws-kit.js';
import { args, faultsCtx } from './faults-ctx.js';

function setup(runningPolls = 2) {
  const fis = new MemoryExperiments();
  fis.addTemplate(R, 'EXTabc', { runningPolls });
  return { fis, compute: new MemoryCompute() };
}
const experimentId = (ctx: { events: Array<{ event: string; detail?: Record<string, unknown> }> }) => ctx.events.find((e) => e.event === 'aws.fis-started')?.detail?.id as string;

describe('aws.fis-experiment plan', () => {
  it('says what starts, how it is polled and for how long, and what the undo does', async () => {
    const { fis, compute } = setup();
    const ctx = faultsCtx({ compute, experiments: fis });
    expect(await fisExperiment.plan(args(fisExperiment, { region: R, templateId: 'EXTabc', pollInterval: '1500ms', timeout: '10m' }), ctx)).toEqual({
      targets: [{ kind: 'experiment-template', id: 'EXTabc', detail: R }],
      does: `start FIS experiment template EXTabc in ${R} (account ${ACCOUNT}), poll every 1500ms until it ends (at most 600s)`,
      undo: 'stop the experiment if it is still running',
    });
    expect((await fisExperiment.plan(args(fisExperiment, { region: R, templateId: 'EXTabc', wait: false }), ctx)).does).toBe(`start FIS experiment template EXTabc in ${R} (account ${ACCOUNT})`);
    expect(fis.calls).toEqual([]);
  });

  it('a disallowed account is exit 2 at plan time', async () => {
    const compute = new MemoryCompute({ account: '999999999999', arn: 'arn:aws:sts::999999999999:user/x' });
    expect((await rejection(fisExperiment.plan(args(fisExperiment, { region: R, templateId: 'EXTabc' }), faultsCtx({ compute, experiments: new MemoryExperiments() })))).field).toBe('chaos.allow.awsAccounts');
  });
});

describe('aws.fis-experiment run', () => {
  it('journals the start (id and template) and the injection; the experiment carries the user’s tags next to relia:chaos', async () => {
    const { fis, compute } = setup();
    const ctx = faultsCtx({ compute, experiments: fis });
    const out = (await fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc', tags: { team: 'sre' } }), ctx)) as { id: string };
    expect(ctx.events).toEqual([{ event: 'aws.fis-started', detail: { id: out.id, templateId: 'EXTabc' } }]);
    expect(ctx.injections.map((i) => i.description)).toEqual([`FIS experiment ${out.id} (template EXTabc, ${R})`]);
    expect(fis.tagsOf(out.id)).toEqual({ 'relia:chaos': 'true', team: 'sre' });
  });

  it('wait: false returns as soon as the experiment is started, without polling', async () => {
    const { fis, compute } = setup();
    const ctx = faultsCtx({ compute, experiments: fis });
    const out = (await fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc', wait: false }), ctx)) as { id: string; state: string };
    expect(out).toEqual({ id: experimentId(ctx), state: 'initiating' });
    expect(ctx.clock.sleeps).toEqual([]);
    expect(fis.calls).toEqual([`fis:StartExperiment ${R}`]);
  });

  it('the timeout stops the experiment when it is reached (not a poll later) and fails with exit 3', async () => {
    const { fis, compute } = setup(Infinity);
    const ctx = faultsCtx({ compute, experiments: fis });
    const start = ctx.clock.now();
    const e = await rejection(fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc', pollInterval: '5s', timeout: '10s' }), ctx), DependencyError);
    const id = experimentId(ctx);
    expect(e.exitCode).toBe(3);
    expect(e.dependency).toBe('fis');
    expect(e.message).toBe(`FIS experiment ${id} still running after 10s: stopped`);
    expect(e.suggestions).toEqual(['raise timeout, or check the experiment in the FIS console']);
    expect(ctx.clock.now() - start).toBe(10_000);
    expect((await fis.get(R, id))?.state).toBe('stopped');
  });

  it('an experiment that disappears while polled fails with exit 3', async () => {
    const { fis, compute } = setup(Infinity);
    const get = fis.get.bind(fis);
    let n = 0;
    fis.get = async (...xs) => (++n === 2 ? null : get(...xs));
    const ctx = faultsCtx({ compute, experiments: fis });
    const e = await rejection(fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc' }), ctx), DependencyError);
    expect([e.dependency, e.message, e.suggestions]).toEqual(['fis', `FIS experiment ${experimentId(ctx)} disappeared while running`, ['check the experiment in the FIS console']]);
  });

  it.each([
    ['failed', 'target not found', ': target not found'],
    ['cancelled', undefined, ''],
  ])('an experiment that ends %s fails with exit 3, giving its reason when it has one', async (state, reason, tail) => {
    const { fis, compute } = setup();
    const get = fis.get.bind(fis);
    fis.get = async (...xs) => {
      const e = await get(...xs);
      return e && { id: e.id, templateId: e.templateId, state: state as 'failed', ...(reason ? { reason } : {}) };
    };
    const ctx = faultsCtx({ compute, experiments: fis });
    const e = await rejection(fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc' }), ctx), DependencyError);
    expect([e.exitCode, e.dependency, e.message, e.suggestions]).toEqual([3, 'fis', `FIS experiment ${experimentId(ctx)} ended ${state}${tail}`, ['read the experiment’s log in the FIS console']]);
  });
});

describe('aws.fis-experiment undo', () => {
  it('leaves an experiment that already ended alone (no stop call)', async () => {
    const { fis, compute } = setup();
    const ctx = faultsCtx({ compute, experiments: fis });
    await fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc' }), ctx);
    const before = fis.calls.length;
    await ctx.undoAll();
    expect(fis.calls.slice(before)).toEqual([`fis:GetExperiment ${R}`]);
  });

  it('an experiment FIS no longer knows is nothing to undo', async () => {
    const { fis, compute } = setup();
    const ctx = faultsCtx({ compute, experiments: fis });
    await fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc', wait: false }), ctx);
    fis.get = async () => null;
    await ctx.undoAll();
    expect(fis.calls.filter((c) => c.includes('StopExperiment'))).toEqual([]);
  });

  it.each([
    ['get', 'of an experiment that completed', true],
    ['stop', 'of a running experiment', false],
  ])('stops its %s call %s when its own signal aborts (undo timeout)', async (method, _, wait) => {
    const { fis, compute } = setup(wait ? 1 : Infinity);
    const ctx = faultsCtx({ compute, experiments: fis });
    await fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc', wait }), ctx);
    const ac = new AbortController();
    await expect(undoWith(ctx.injections[0], { experiments: abortOn(fis, method, ac) }, ac.signal)).rejects.toThrow(`aborted during ${method}`);
    expect(fis.calls.filter((c) => c.includes('StopExperiment'))).toEqual([]);
  });
});

describe('an abort arriving during an FIS call stops that call', () => {
  it('during the poll that would see it complete: the run fails with the abort', async () => {
    const { fis, compute } = setup(1);
    const ac = new AbortController();
    // get #1: running, get #2: completed.
    const ctx = faultsCtx({ compute, experiments: abortOn(fis, 'get', ac, 2) }, { signal: ac.signal });
    expect((await rejection(fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc' }), ctx))).message).toBe('aborted during get');
  });

  it('during the stop at the timeout: the run fails with the abort, and the undo is left to stop it', async () => {
    const { fis, compute } = setup(Infinity);
    const ac = new AbortController();
    const ctx = faultsCtx({ compute, experiments: abortOn(fis, 'stop', ac) }, { signal: ac.signal });
    expect((await rejection(fisExperiment.run(args(fisExperiment, { region: R, templateId: 'EXTabc', pollInterval: '5s', timeout: '10s' }), ctx))).message).toBe('aborted during stop');
    expect((await fis.get(R, experimentId(ctx)))?.state).toBe('running');
  });
});

describe('aws.alarm-state probe', () => {
  it('plans a read of the alarm', async () => {
    expect(await alarmState.plan(args(alarmState, { region: R, name: 'api-5xx' }), faultsCtx({}))).toEqual({ targets: [{ kind: 'alarm', id: 'api-5xx', detail: R }], does: `read alarm api-5xx in ${R}`, undo: 'nothing to undo' });
  });

  it('an unknown alarm is exit 2 with the describe command', async () => {
    const e = await rejection(alarmState.run(args(alarmState, { region: R, name: 'nope' }), faultsCtx({ alarms: new MemoryAlarms(() => 0) })));
    expect([e.field, e.message, e.suggestions]).toEqual(['name', `name: no CloudWatch alarm nope in ${R}`, [`check the name: aws cloudwatch describe-alarms --region ${R} --alarm-names nope`]]);
  });

  it('an abort during the read fails the probe with the abort', async () => {
    const alarms = new MemoryAlarms(() => 0);
    alarms.setAlarm(R, 'api-5xx', 'OK');
    const ac = new AbortController();
    const ctx = faultsCtx({ alarms: abortOn(alarms, 'describeAlarms', ac) }, { signal: ac.signal });
    expect((await rejection(alarmState.run(args(alarmState, { region: R, name: 'api-5xx' }), ctx))).message).toBe('aborted during describeAlarms');
  });
});
