/** Types for model.mjs (the history generator), for TypeScript tests that reuse it. */
export declare const STEP_S: number;
export declare const DAY_S: number;
export declare const END_S: number;
export declare const START_S: number;
export declare const PRE_S: number;
export declare const FIRST_S: number;
export declare const MINUTES: number;
export declare const CODES: readonly string[];
export declare const TITLES: number;
export declare const PLAYS_RPS: number;

export interface ServiceIncident {
  name: string;
  kind?: 'peak';
  start: number;
  end: number;
  errorRatio: number;
  trafficFactor?: number;
}
export interface ServiceModel {
  name: string;
  rps: number;
  amplitude: number;
  errorRatio: number;
  notFoundRatio: number;
  incidents: ServiceIncident[];
}
export declare const SERVICES: ServiceModel[];

/** One counter series; sample i is at FIRST_S + STEP_S·i with value cum[i]. */
export interface HistorySeries {
  family: 'http_requests' | 'plays';
  labels: Record<string, string>;
  cum: Float64Array;
}
export declare function buildSeries(): HistorySeries[];
export declare function toIso(unixSeconds: number): string;
export declare function titleId(k: number): string;
export declare function indexAt(unixSeconds: number): number;
export declare function mulberry32(seed: number): () => number;
export declare function seedOf(text: string): number;
