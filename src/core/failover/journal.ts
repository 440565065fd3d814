/**
 * The journal of one failover operation: the weights before it, every step
 * as it is applied and confirmed, the scaling done and the guard samples. The
 * engine updates it at every transition and hands it to a `JournalSink`; the
 * CLI writes it atomically (src/cli/failover/journal-file.ts). `resume`,
 * `rollback` and `status` read it. Pure.
 */
import type { Weights } from './weights.js';

export const JOURNAL_VERSION = 1;

export type OperationKind = 'apply' | 'rollback';
export type Mode = 'graceful' | 'ungraceful';

export type OperationStatus =
  /** Between steps or baking: a process is (or was, if it crashed) working on it. */
  | 'running'
  /** Stopped by SIGINT/SIGTERM, an operator declining a step, or an error; the weights are those of `position`. */
  | 'interrupted'
  /** Every step done. */
  | 'completed'
  /** A guard breached and the weights went back to the previous step. */
  | 'reverted'
  /** A guard breached and the revert failed: manual action needed. */
  | 'revert-failed'
  /** Pre-checks or the target capacity said no; weights unchanged. */
  | 'refused';

export type StepState = 'pending' | 'applied' | 'insync' | 'baked' | 'reverted';

export interface JournalStep {
  percent: number;
  weights: Weights;
  state: StepState;
  changeId?: string;
  appliedAt?: string;
  insyncAt?: string;
  bakedAt?: string;
}

export interface ScalingRecord {
  kind: 'asg' | 'deployment';
  /** ASG name or namespace/deployment. */
  name: string;
  /** AWS region (ASG) or kube context (deployment, '' = current). */
  where: string;
  /** Desired / replicas before relia touched it. */
  before: number;
  /** What relia set (never below `before`). */
  desired: number;
  /** What the target needed: ceil(percentToMatch × source) or the capacity plan's. */
  need: number;
  /** InService instances / ready replicas when the wait ended. */
  ready: number;
  at: string;
}

export interface GuardSample {
  at: string;
  step: number;
  region: string;
  ok: boolean;
  /** Why not, one line each. */
  problems: string[];
}

export interface JournalEvent {
  at: string;
  type: string;
  message: string;
}

export interface Journal {
  version: number;
  id: string;
  kind: OperationKind;
  /** For a rollback: the operation it rolls back. */
  rollsBack?: string;
  plan: { name: string; file: string };
  dns: { zoneId: string; record: string; type: string };
  /** Region name → set identifier (every region of the plan). */
  regions: Record<string, string>;
  from: string;
  to: string;
  mode: Mode;
  /** Step percentages as given (apply) or the states walked back through (rollback). */
  weightsBefore: Weights;
  steps: JournalStep[];
  /** Index of the last step whose weights are live: -1 = the weights before. */
  position: number;
  status: OperationStatus;
  /** Human reason for interrupted / reverted / refused. */
  reason?: string;
  scaling: ScalingRecord[];
  guard: GuardSample[];
  events: JournalEvent[];
  owner: string;
  startedAt: string;
  updatedAt: string;
}

/** Keep the journal small: the last guard samples are enough to explain a breach. */
export const MAX_GUARD_SAMPLES = 200;

export function isoOf(ms: number): string {
  // Stryker disable next-line Regex: equivalent without the $ (toISOString's only .dddZ is at its end); the other Regex mutants are killed by journal.test.ts
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function addEvent(j: Journal, now: number, type: string, message: string): void {
  j.events.push({ at: isoOf(now), type, message });
  j.updatedAt = isoOf(now);
}

export function addGuardSample(j: Journal, sample: GuardSample): void {
  j.guard.push(sample);
  j.guard.splice(0, Math.max(0, j.guard.length - MAX_GUARD_SAMPLES));
}

/** The weights live at `position` (-1: before). */
export function weightsAt(j: Journal, position: number): Weights {
  return position < 0 ? j.weightsBefore : ((j.steps[position] as JournalStep).weights ?? j.weightsBefore);
}

/** True when another process may pick the operation up (resume). */
export function resumable(j: Journal): boolean {
  return j.status === 'running' || j.status === 'interrupted';
}

/** A one-line summary for status and errors. */
export function summarise(j: Journal): string {
  const total = j.steps.length;
  const at = j.position < 0 ? 'before step 1' : `step ${j.position + 1} of ${total} (${j.steps[j.position]?.percent}%)`;
  switch (j.status) {
    case 'completed':
      return `${j.kind} ${j.from} → ${j.to} completed (${total} step${total === 1 ? '' : 's'})`;
    case 'interrupted':
      return `${j.kind} ${j.from} → ${j.to} interrupted at ${at}${j.reason ? `: ${j.reason}` : ''}`;
    case 'reverted':
      return `${j.kind} ${j.from} → ${j.to} reverted to ${at}${j.reason ? `: ${j.reason}` : ''}`;
    case 'revert-failed':
      return `${j.kind} ${j.from} → ${j.to} revert FAILED at ${at}${j.reason ? `: ${j.reason}` : ''}`;
    case 'refused':
      return `${j.kind} ${j.from} → ${j.to} refused, weights unchanged${j.reason ? `: ${j.reason}` : ''}`;
    default:
      return `${j.kind} ${j.from} → ${j.to} running (${at})`;
  }
}

/** Parse and sanity-check a journal read from disk (null when it is not one). */
export function asJournal(data: unknown): Journal | null {
  if (typeof data !== 'object' || data === null) return null;
  const j = data as Partial<Journal>;
  if (j.version !== JOURNAL_VERSION || typeof j.id !== 'string' || !Array.isArray(j.steps) || typeof j.position !== 'number' || typeof j.dns !== 'object') return null;
  return j as Journal;
}
