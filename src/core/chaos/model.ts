/**
 * The normalised experiment: what the engine runs. Both file formats (relia
 * native, chaostoolkit v1) parse into this shape, with every activity already
 * mapped onto a registry type (`http.request`, `kubernetes.pod-kill`, ...),
 * configuration and secrets substituted, and durations in milliseconds. Pure.
 */

/** chaostoolkit's tolerance model, used by both formats (./tolerance.ts). */
export type Tolerance =
  | boolean
  | number
  | string
  | Array<string | number | boolean>
  | { type: 'range'; range: [number, number]; target?: string }
  | { type: 'regex'; pattern: string; target?: string }
  | { type: 'jsonpath'; path: string; target?: string; expect?: unknown; count?: number }
  | { type: 'probe'; probe: ActivitySpec };

export interface ActivitySpec {
  kind: 'action' | 'probe';
  name: string;
  /** Registry type, e.g. `http.request`. */
  type: string;
  /** Arguments, validated against the registry definition's zod schema. */
  args: unknown;
  /** Steady-state probes only. */
  tolerance?: Tolerance;
  /** Method only: run alongside the following steps; the method waits for it at its end. */
  background?: boolean;
  /** Milliseconds to wait before and after the activity. */
  pauses?: { before?: number; after?: number };
  /** Per-activity limit, milliseconds. */
  timeoutMs?: number;
  /** Where it was written, e.g. `method[2]` (for errors and the journal). */
  path: string;
  /** The activity as written (the journal's `activity`, secrets redacted). */
  source: Record<string, unknown>;
}

/** The hypothesis checked during the method too (chaostoolkit's `continuously` strategy). */
export interface ContinuousHypothesis {
  /** Between the end of one check and the start of the next, ms (chaostoolkit's frequency). */
  everyMs: number;
  /** Stop the method at the first check not met: deviated, exit 1, rolled back. */
  failFast: boolean;
}

export type MethodStep = ActivitySpec | { kind: 'pause'; ms: number; path: string };

export type OnError = 'abort' | 'continue';

/** The safety monitor's guards (./guards.ts). */
export type GuardSpec =
  | {
      type: 'userImpact';
      name: string;
      path: string;
      onError: OnError;
      /** Abort when the share of bad requests exceeds this fraction (default 0.01). */
      max: number;
      /** Sliding window, ms. */
      windowMs: number;
      source:
        | { kind: 'prometheus'; query: string }
        | { kind: 'probe'; probe: ActivitySpec; everyMs: number; slowerThanMs?: number; minSamples: number; /** Samples in the method's first `warmupMs` are not counted. */ warmupMs: number };
    }
  | { type: 'sloBurn'; name: string; path: string; onError: OnError; sloFile: string; slo?: string; maxBurn: number; window: string }
  | { type: 'maxDuration'; name: string; path: string; onError: OnError; ms: number }
  | { type: 'alarm'; name: string; path: string; onError: OnError; region: string; alarms: string[] };

/**
 * Experiment-wide limits, on top of each action's own selection (mode, seed,
 * maxTargets, allowEmpty: src/core/chaos/targets.ts).
 */
export interface BlastRadius {
  /** Hard cap on the targets all method actions together may touch. */
  maxTargets?: number;
}

export interface Experiment {
  format: 'relia' | 'chaostoolkit';
  title: string;
  description?: string;
  tags: string[];
  steadyState: { title: string; probes: ActivitySpec[]; continuous?: ContinuousHypothesis } | null;
  method: MethodStep[];
  rollbacks: ActivitySpec[];
  guards: GuardSpec[];
  blastRadius: BlastRadius;
  /** Values to redact wherever they appear in the journal and output. */
  secretValues: string[];
  /** The experiment as written (the journal's `experiment`), secrets redacted later. */
  raw: Record<string, unknown>;
}

/** Every activity of an experiment with its place, in run order. */
export function allActivities(exp: Experiment): ActivitySpec[] {
  const out: ActivitySpec[] = [];
  const push = (a: ActivitySpec): void => {
    out.push(a);
    if (typeof a.tolerance === 'object' && !Array.isArray(a.tolerance) && a.tolerance.type === 'probe') push(a.tolerance.probe);
  };
  for (const p of exp.steadyState?.probes ?? []) push(p);
  for (const s of exp.method) if (s.kind !== 'pause') push(s);
  for (const r of exp.rollbacks) push(r);
  for (const g of exp.guards) if (g.type === 'userImpact' && g.source.kind === 'probe') push(g.source.probe);
  return out;
}
