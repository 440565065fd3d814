/**
 * The journal: chaostoolkit's field names (so its tools can read it) plus a
 * `relia` section with the guard events, the abort and its reaction time,
 * every injection and whether it was undone, and the exit code. Pure.
 */
import type { GuardCheck } from './guards.js';

export type JournalStatus = 'completed' | 'failed' | 'aborted' | 'interrupted';

export interface ActivityRun {
  activity: Record<string, unknown>;
  status: 'succeeded' | 'failed';
  output?: unknown;
  /** The error, as lines (chaostoolkit writes a traceback here). */
  exception?: string[];
  /** ISO 8601. */
  start: string;
  end: string;
  /** Seconds. */
  duration: number;
  /** Hypothesis probes only. */
  tolerance_met?: boolean;
}

export interface SteadyState {
  steady_state_met: boolean;
  probes: ActivityRun[];
}

export interface GuardEvent extends GuardCheck {
  /** ISO 8601 of the check. */
  at: string;
}

export interface AbortInfo {
  /** `hypothesis`: a continuous hypothesis check with failFast was not met (exit 1, deviated). */
  by: 'guard' | 'halt' | 'error' | 'signal' | 'hypothesis';
  /** The guard's name, the halt reason, the failed activity or the signal. */
  what: string;
  message: string;
  /** When the first sample over the threshold was taken (guards). */
  firstOverAt?: string;
  /** When the monitor decided to abort. */
  trippedAt: string;
  /** When every injected fault had been undone. */
  removedAt?: string;
  /** First sample over the threshold → fault removed, ms: the guard's reaction time. */
  reactionMs?: number;
}

export interface InjectionRecord {
  activity: string;
  description: string;
  manualUndo: string;
  injectedAt: string;
  undone: boolean;
  undoneAt?: string;
  error?: string;
}

export interface Journal {
  /** Marks the journal as relia's; chaostoolkit tools ignore unknown fields. */
  'chaoslib-version': null;
  platform: string;
  node: string;
  experiment: Record<string, unknown>;
  start: string;
  end: string;
  duration: number;
  status: JournalStatus;
  deviated: boolean;
  steady_states: { before: SteadyState | null; after: SteadyState | null; during: SteadyState[] };
  run: ActivityRun[];
  rollbacks: ActivityRun[];
  relia: {
    version: string;
    format: 'relia' | 'chaostoolkit';
    exitCode: number;
    /** One line: why the run ended as it did. */
    reason: string;
    guardIntervalMs: number;
    guards: GuardEvent[];
    abort?: AbortInfo;
    injections: InjectionRecord[];
    /** What is still injected (exit 5), with the command that undoes it. */
    leftovers: Array<{ description: string; manualUndo: string; error: string }>;
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * An error as the journal's `exception` lines: an Error as `Name: message`
 * (just `Name` when the message is empty), anything else as its string. A value
 * with no string form (a null-prototype object) must not crash the report.
 */
export function errorLines(error: unknown): string[] {
  try {
    return [String(error)];
  } catch {
    return [Object.prototype.toString.call(error)];
  }
}
