/**
 * The bake guard samples at a fixed cadence: a sample starts one guard
 * interval after the previous one STARTED, so slow reads do not stretch the
 * period, and a breach is seen (and reverted) within one interval. The reads
 * are slowed on the virtual clock by a wrapper around the alarms fake (each
 * describeAlarms answers SAMPLE_MS after it is called); the health check,
 * alarms and SLOs of a sample are read at once, so the sample takes the
 * slowest, not their sum.
 */
import { describe, expect, it } from 'vitest';
import { SafetyStopError } from '../../../../src/core/errors.js';
import { applyFailover } from '../../../../src/core/failover/engine.js';
import { regionHealth } from '../../../../src/core/failover/inspect.js';
import type { FailoverEvent } from '../../../../src/core/failover/ports.js';
import type { AlarmsPort } from '../../../../src/ports/alarms.js';
import { planText, world, type World } from './world.js';

const evacuate = { from: 'us-east-1', to: 'eu-west-1', mode: 'graceful' as const };
const INTERVAL = 30_000; // planText(): guardInterval 30s, bake 2m
const SAMPLE_MS = 10_000;

/** The alarms fake, answering SAMPLE_MS of virtual time after each call. */
function slowAlarms(w: World): AlarmsPort {
  return {
    kind: 'slow-alarms',
    describeAlarms: async (region, names, options) => {
      await w.clock.sleep(SAMPLE_MS);
      return w.alarms.describeAlarms(region, names, options);
    },
    close: async () => {},
  };
}

describe('the bake guard keeps its cadence when a sample is slow', () => {
  it('samples of a step start one interval apart, not interval + sample time', async () => {
    const w = world();
    const out = await applyFailover({ ...w.run({ ports: { ...w.ports(), alarms: slowAlarms(w) } }), ...evacuate });
    expect(out.journal?.status).toBe('completed');
    for (const step of [0, 1]) {
      const starts = w.last().guard.filter((g) => g.step === step).map((g) => Date.parse(g.at));
      // A 2 m bake sampled every 30 s: at 0, 30, 60, 90 and 120 s.
      expect(starts.length).toBe(5);
      expect(starts.slice(1).map((t, i) => t - (starts[i] as number))).toEqual([INTERVAL, INTERVAL, INTERVAL, INTERVAL]);
    }
  });

  it('a breach just after a sample read its alarm is reverted within one interval', async () => {
    const w = world();
    let breachAt = 0;
    let revertedAt = 0;
    const onEvent = (e: FailoverEvent) => {
      // The first sample of step 2 has just read the alarm (OK): the alarm fires 1 s later.
      if (e.type === 'guard' && e.step === 1 && breachAt === 0) {
        breachAt = e.at + 1_000;
        w.clock.at(breachAt, () => w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '5xx above 1%'));
      }
      if (e.type === 'revert') revertedAt = e.at;
    };
    const ports = { ...w.ports(), alarms: slowAlarms(w), onEvent };
    await expect(applyFailover({ ...w.run({ ports }), ...evacuate })).rejects.toBeInstanceOf(SafetyStopError);
    expect(w.weights()).toEqual({ use1: 50, euw1: 50 });
    // The next read is one interval after the one that missed it (it would be interval + sample time, 40 s, before).
    expect(revertedAt - breachAt).toBe(INTERVAL - 1_000);
  });

  it('a sample reads the health check, alarms and SLOs at once (it takes the slowest read, not their sum)', async () => {
    const w = world({ plan: planText().replace('alarms: [api-euw1-5xx]', 'alarms: [api-euw1-5xx]\n    slos: [slo.yaml]') });
    // Each read waits until the other has started: read one after the other, they would never finish.
    let started = 0;
    let release: () => void = () => {};
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const enter = async () => {
      if (++started === 2) release();
      await bothStarted;
    };
    // a wrapper on the alarms fake: each read waits at the gate, then asks the fake
    const alarms: AlarmsPort = { kind: 'gated-alarms', describeAlarms: async (r, n, o) => (await enter(), w.alarms.describeAlarms(r, n, o)), close: async () => {} };
    const sloGuard = async () => (await enter(), [{ id: 'playback/availability', ok: false, reasons: ['fast burn 1h/5m: 20.1 > 14.4'] }]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the reads ran one after the other')), 5_000)));
    try {
      const h = await Promise.race([regionHealth(w.plan, w.plan.regions['eu-west-1']!, { ...w.ports(), alarms, sloGuard }, w.clock.now(), { slos: true }), deadline]);
      expect(h.problems).toEqual(['SLO playback/availability: fast burn 1h/5m: 20.1 > 14.4']);
      expect(h.alarms).toEqual([{ name: 'api-euw1-5xx', state: 'OK' }]);
    } finally {
      clearTimeout(timer);
    }
  });

  it('when several reads fail, the error is the first in plan order (health check, alarms, SLOs), whatever finishes first', async () => {
    const w = world({ plan: planText().replace('healthCheck: hc-euw1', 'healthCheck: hc-missing') });
    w.alarms.unreachable = true;
    await expect(regionHealth(w.plan, w.plan.regions['eu-west-1']!, w.ports(), w.clock.now(), { slos: true })).rejects.toMatchObject({ field: 'regions.eu-west-1.healthCheck' });
  });
});
