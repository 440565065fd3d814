/**
 * The alarms port: alarm states (AWS CloudWatch, or anything with named
 * alarms). Chaos uses an alarm in ALARM as a stop condition (as FIS does);
 * failover requires the target's alarms to be OK.
 * Unknown names are omitted from the answer (the core reports them); no names,
 * no alarms (never "every alarm").
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmInfo {
  name: string;
  region: string;
  state: AlarmState;
  reason?: string;
  /** Epoch milliseconds of the last state change. */
  updatedAt?: number;
}

export interface AlarmsPort {
  readonly kind: string;
  describeAlarms(region: string, names: string[], options?: { signal?: AbortSignal }): Promise<AlarmInfo[]>;
  close(): Promise<void>;
}
