/**
 * The AlarmsPort contract. One suite, every implementation: the in-memory
 * fake and the CloudWatch adapter on moto (alarms driven with SetAlarmState).
 */
import { describe, expect, it } from 'vitest';
import type { AlarmState, AlarmsPort } from '../../../src/ports/alarms.js';
import { expectDependencyError } from './dependency-error.js';

export interface AlarmsFixture {
  alarms: AlarmsPort;
  region: string;
  /** Another region, for isolation checks. */
  otherRegion: string;
  /** Fresh for this test: a prefix for alarm names. */
  prefix: string;
  /** Creates the alarm if needed, then sets its state. */
  setAlarm(region: string, name: string, state: AlarmState, reason: string): Promise<void>;
}

export function alarmsContract(name: string, make: () => Promise<AlarmsFixture>, options: { unreachable?: () => Promise<AlarmsPort> } = {}) {
  describe(`AlarmsPort contract: ${name}`, () => {
    it('reports each named alarm with its state and reason; unknown names are omitted', async () => {
      const { alarms, region, prefix, setAlarm } = await make();
      await setAlarm(region, `${prefix}-5xx`, 'ALARM', 'Threshold Crossed: 5xx rate 4%');
      await setAlarm(region, `${prefix}-latency`, 'OK', 'back to normal');
      const got = await alarms.describeAlarms(region, [`${prefix}-5xx`, `${prefix}-latency`, `${prefix}-absent`]);
      const byName = Object.fromEntries(got.map((a) => [a.name, a]));
      expect(Object.keys(byName).sort()).toEqual([`${prefix}-5xx`, `${prefix}-latency`]);
      expect(byName[`${prefix}-5xx`]).toMatchObject({ region, state: 'ALARM', reason: 'Threshold Crossed: 5xx rate 4%' });
      expect(byName[`${prefix}-latency`]).toMatchObject({ region, state: 'OK' });
      expect(byName[`${prefix}-5xx`]!.updatedAt).toBeGreaterThan(Date.UTC(2020, 0, 1));
      await alarms.close();
    });

    it('follows state changes', async () => {
      const { alarms, region, prefix, setAlarm } = await make();
      await setAlarm(region, `${prefix}-a`, 'OK', 'fine');
      expect((await alarms.describeAlarms(region, [`${prefix}-a`]))[0]?.state).toBe('OK');
      await setAlarm(region, `${prefix}-a`, 'ALARM', 'broken');
      expect((await alarms.describeAlarms(region, [`${prefix}-a`]))[0]?.state).toBe('ALARM');
      await alarms.close();
    });

    it('regions are separate; no names is an empty answer', async () => {
      const { alarms, region, otherRegion, prefix, setAlarm } = await make();
      await setAlarm(otherRegion, `${prefix}-elsewhere`, 'ALARM', 'there');
      expect(await alarms.describeAlarms(region, [`${prefix}-elsewhere`])).toEqual([]);
      expect((await alarms.describeAlarms(otherRegion, [`${prefix}-elsewhere`]))[0]?.region).toBe(otherRegion);
      expect(await alarms.describeAlarms(region, [])).toEqual([]);
      await alarms.close();
    });

    it('an aborted signal rejects the call', async () => {
      const { alarms, region, prefix } = await make();
      const ac = new AbortController();
      ac.abort(new Error('stop now'));
      await expect(alarms.describeAlarms(region, [`${prefix}-x`], { signal: ac.signal })).rejects.toThrow();
      await alarms.close();
    });

    if (options.unreachable) {
      it('an unreachable endpoint is a DependencyError (exit 3) naming the call and the region', async () => {
        const alarms = await options.unreachable!();
        await expectDependencyError(() => alarms.describeAlarms('eu-west-1', ['x']), /DescribeAlarms.*eu-west-1/);
        await alarms.close();
      });
    }
  });
}
