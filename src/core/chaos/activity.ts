/**
 * The contract between the chaos engine and the activities it runs. An
 * activity is an action (injects a fault) or a probe (measures, read-only).
 * Each has a `type` (e.g. `kubernetes.pod-kill`), zod-validated arguments,
 * and works only through ports, so the engine stays pure and every activity
 * runs the same against a fake, a stand-in or the real system.
 *
 * Safety rules this contract encodes:
 * - An action registers an Injection the moment a fault is in place (not when
 *   it returns), so an abort in the middle of an action still undoes what was
 *   already done. The engine runs every registered undo, last first, after
 *   success, deviation, a guard abort, an error, a halt, a timeout or a signal.
 * - Undo runs with its own fresh signal and timeout (UndoContext), never the
 *   aborted run's.
 * - `plan` resolves targets through the same ports, read-only: it is what
 *   `chaos plan` and `--dry-run` show.
 */
import type { z } from 'zod';
import type { Clock, Random } from '../../ports/clock.js';
import type { PortMap, PortName } from '../../ports/providers.js';

/** Ports, created lazily by the CLI the first time an activity asks for one. */
export interface ActivityPorts {
  get<P extends PortName>(port: P): Promise<PortMap[P]>;
}

/** Where destructive actions may run, and what they may never touch. From config (`chaos.*`). */
export interface ChaosPolicy {
  /** kubeconfig contexts destructive Kubernetes actions may run in. Empty: none. */
  allowKubeContexts: string[];
  /** AWS account ids destructive AWS actions may run in (checked with STS). Empty: none. */
  allowAwsAccounts: string[];
  /** Never selected (default ['kube-system']). */
  protectedNamespaces: string[];
  /** A target carrying any of these label/tag pairs is never selected. */
  protectedLabels: Record<string, string>;
}

export interface JournalEventSink {
  /** A structured event for the journal and the progress view. */
  (event: string, detail?: Record<string, unknown>): void;
}

export interface ActivityContext {
  ports: ActivityPorts;
  clock: Clock;
  random: Random;
  signal: AbortSignal;
  policy: ChaosPolicy;
  /** `chaos plan` and `--dry-run`: resolve targets read-only, change nothing. */
  dryRun: boolean;
  log: JournalEventSink;
  /**
   * Set by the engine for a method action at run time: how many of `wanted`
   * targets the action may touch, at most what the plan showed for it (the
   * blast radius the user approved). Selecting actions pass it to chooseTargets.
   */
  claimTargets?: (wanted: number) => number;
}

export interface UndoContext {
  ports: ActivityPorts;
  clock: Clock;
  /** Fresh: never the aborted run's signal. */
  signal: AbortSignal;
  log: JournalEventSink;
}

/** A fault that is in place, and how to take it out. */
export interface Injection {
  /** What is injected, e.g. "instances i-0a, i-0b stopped (us-east-1)". */
  description: string;
  undo(ctx: UndoContext): Promise<void>;
  /** A command a person can run to undo it by hand, printed when undo fails (exit 5). */
  manualUndo: string;
}

export interface PlannedTarget {
  /** pod, node, deployment, instance, asg, process, proxy, url, experiment-template... */
  kind: string;
  id: string;
  detail?: string;
}

export interface ActivityPlan {
  targets: PlannedTarget[];
  /** What would be done, in one line. */
  does: string;
  /** How it would be undone, in one line ("nothing to undo" for probes). */
  undo: string;
}

export interface ActionRunContext extends ActivityContext {
  /** Register a fault the moment it is in place. */
  inject(injection: Injection): void;
}

export interface ActionDefinition<A = unknown> {
  readonly type: string;
  readonly summary: string;
  readonly args: z.ZodType<A>;
  plan(args: A, ctx: ActivityContext): Promise<ActivityPlan>;
  /** Inject; the returned value is the activity's `output` in the journal. */
  run(args: A, ctx: ActionRunContext): Promise<unknown>;
}

export interface ProbeDefinition<A = unknown> {
  readonly type: string;
  readonly summary: string;
  readonly args: z.ZodType<A>;
  plan(args: A, ctx: ActivityContext): Promise<ActivityPlan>;
  /** Measure, read-only; the value is checked against the tolerance. */
  run(args: A, ctx: ActivityContext): Promise<unknown>;
  /**
   * The arguments with a measured value added, when this probe is used as a
   * `probe` tolerance: chaostoolkit hands the hypothesis probe's value to the
   * tolerance probe as the argument `value`. A probe without it cannot be a
   * tolerance (validation says so, exit 2).
   */
  withValue?(args: A, value: unknown): A;
}

/** The known activities, by type. */
export class ActivityRegistry {
  private readonly actions = new Map<string, ActionDefinition<unknown>>();
  private readonly probes = new Map<string, ProbeDefinition<unknown>>();

  addAction<A>(definition: ActionDefinition<A>): this {
    if (this.actions.has(definition.type)) throw new Error(`action ${definition.type} is registered twice`);
    this.actions.set(definition.type, definition as ActionDefinition<unknown>);
    return this;
  }

  addProbe<A>(definition: ProbeDefinition<A>): this {
    if (this.probes.has(definition.type)) throw new Error(`probe ${definition.type} is registered twice`);
    this.probes.set(definition.type, definition as ProbeDefinition<unknown>);
    return this;
  }

  action(type: string): ActionDefinition<unknown> | undefined {
    return this.actions.get(type);
  }

  probe(type: string): ProbeDefinition<unknown> | undefined {
    return this.probes.get(type);
  }

  actionTypes(): string[] {
    return [...this.actions.keys()].sort();
  }

  probeTypes(): string[] {
    return [...this.probes.keys()].sort();
  }
}
