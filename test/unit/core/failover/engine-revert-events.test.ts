// What a breach leaves in the journal and the event stream (docs/failover.md
// "Guards"): the revert event names the weights it went back to, as "the
// weights before" for a breach in step 1 and "step k" for a later one, and the
// journal's reason names the step that breached. Found by mutation testing
// (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { SafetyStopError } from '../../../../src/core/errors.js';
import { applyFailover } from '../../../../src/core/failover/engine.js';
import { planText, T0, world } from './world.js';

const evacuate = { from: 'us-east-1', to: 'eu-west-1', mode: 'graceful' as const };

describe('the revert, in events and journal', () => {
  it('a breach in step 2 reverts to step 1', async () => {
    const w = world();
    w.dns.after = (_z, changes) => {
      if (changes.some((c) => c.record.weight === 100)) w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%');
    };
    await expect(applyFailover({ ...w.run(), ...evacuate })).rejects.toBeInstanceOf(SafetyStopError);
    expect(w.events.filter((e) => e.type === 'revert').map((e) => [e.message, e.step])).toEqual([['reverted to step 1: us-east-1=50 eu-west-1=50', 1]]);
    expect(w.last().reason).toBe('guard breached at step 2: eu-west-1: alarm api-euw1-5xx is ALARM (5xx above 1%)');
  });

  it('a breach in step 1 reverts to the weights before', async () => {
    const w = world({ plan: planText().replace('alarms: [api-euw1-5xx]', 'alarms: [api-euw1-5xx]\n    slos: [slo.yaml]') });
    const ports = { ...w.ports(), sloGuard: async (region: string, at: number) => [{ id: 'playback/availability', ok: !(region === 'eu-west-1' && at >= T0 + 60_000), reasons: ['fast burn'] }] };
    await expect(applyFailover({ ...w.run({ ports }), ...evacuate })).rejects.toBeInstanceOf(SafetyStopError);
    expect(w.events.filter((e) => e.type === 'revert').map((e) => [e.message, e.step])).toEqual([['reverted to the weights before: us-east-1=100 eu-west-1=0', 0]]);
    expect(w.last()).toMatchObject({ status: 'reverted', position: -1, reason: 'guard breached at step 1: eu-west-1: SLO playback/availability: fast burn' });
    expect(w.last().steps.map((s) => s.state)).toEqual(['reverted', 'pending']);
  });
});
