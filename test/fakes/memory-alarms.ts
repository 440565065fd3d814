/**
 * In-memory AlarmsPort (CloudWatch's model) for core tests. It passes the same
 * contract suite as the CloudWatch adapter on moto
 * (test/contract/alarms.contract.test.ts). Drive states with setAlarm, as
 * tests on moto drive them with SetAlarmState.
 */
import { DependencyError } from '../../src/core/errors.js';
import type { AlarmInfo, AlarmState, AlarmsPort } from '../../src/ports/alarms.js';

export class MemoryAlarms implements AlarmsPort {
  readonly kind = 'memory-alarms';
  readonly calls: string[] = [];
  private readonly alarms = new Map<string, AlarmInfo>();
  /** Set to make every call fail as an unreachable endpoint would. */
  unreachable = false;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Creates the alarm or changes its state (the state-change time moves only when the state changes). */
  setAlarm(region: string, name: string, state: AlarmState, reason = `set to ${state} by a test`): void {
    const k = `${region}/${name}`;
    const before = this.alarms.get(k);
    const updatedAt = before && before.state === state && before.updatedAt !== undefined ? before.updatedAt : this.now();
    this.alarms.set(k, { name, region, state, reason, updatedAt });
  }

  async describeAlarms(region: string, names: string[], options: { signal?: AbortSignal } = {}): Promise<AlarmInfo[]> {
    options.signal?.throwIfAborted();
    this.calls.push(`cloudwatch:DescribeAlarms ${region} ${names.join(',')}`);
    if (this.unreachable) throw new DependencyError('aws', `cloudwatch:DescribeAlarms in ${region} failed: connect ECONNREFUSED`, { suggestions: ['check the CloudWatch endpoint and network, then retry'] });
    const out: AlarmInfo[] = [];
    for (const name of [...new Set(names)].sort()) {
      const a = this.alarms.get(`${region}/${name}`);
      if (a) out.push({ ...a });
    }
    return out;
  }

  async close(): Promise<void> {}
}
