/** Types for expected.mjs: the shape of expected.json (docs/test-servers.md#expected-json). */
import type { HistorySeries } from './model.mjs';

export interface Counts {
  /** All codes. */
  total: number;
  /** code="500". */
  bad: number;
  /** total − bad (200 and 404). */
  good: number;
  /** code="404". */
  notFound: number;
}

export interface ExpectedIncident extends Counts {
  name: string;
  kind: 'errors' | 'peak';
  start: string;
  end: string;
  startUnix: number;
  endUnix: number;
  errorRatio: number;
  trafficFactor?: number;
}

export interface ExpectedService {
  meanRps: number;
  dailyAmplitude: number;
  baselineErrorRatio: number;
  notFoundRatio: number;
  /** Keyed by window name: 5m 30m 1h 2h 6h 1d 3d 30d. */
  windows: Record<string, Counts>;
  incidents: ExpectedIncident[];
  perMinute: { count: number; p90Requests: number; p90Rate: number };
}

export interface HistoryExpected {
  version: number;
  generator: string;
  end: string;
  endUnix: number;
  start: string;
  startUnix: number;
  firstSample: string;
  firstSampleUnix: number;
  leadInSeconds: number;
  stepSeconds: number;
  /** Window name → seconds. */
  windows: Record<string, number>;
  definitions: Record<string, string>;
  services: Record<string, ExpectedService>;
  playbackPeak: ExpectedIncident;
  plays: { titles: number; meanRps: number; zipfExponent: number; increase: Record<string, { '1h': number; '30d': number }> };
}

export declare const WINDOWS: Record<string, number>;
export declare function promQuantile(phi: number, values: ArrayLike<number>): number;
export declare function computeExpected(series: HistorySeries[]): HistoryExpected;
