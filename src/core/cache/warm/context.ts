/**
 * What a warm mode (origin.ts, copy.ts, http.ts) is handed by the run
 * (run.ts): the inputs, the run's parts, and the run's two callbacks.
 */
import type { Clock, Random } from '../../../ports/clock.js';
import type { ResolvedLimits } from '../limits.js';
import type { Latencies, RunControl } from '../run.js';
import type { Checkpointer } from './checkpointing.js';
import type { Pacer } from './pacing.js';
import type { Prepared } from './prepare.js';
import type { Requester } from './retry.js';
import type { Tally } from './tally.js';
import type { WriteBuffer } from './write-buffer.js';

export interface WarmContext {
  readonly clock: Clock;
  readonly random: Random;
  readonly limits: ResolvedLimits;
  readonly p: Prepared;
  readonly control: RunControl;
  readonly tally: Tally;
  readonly pacer: Pacer;
  readonly requester: Requester;
  readonly checkpoints: Checkpointer;
  readonly writes: WriteBuffer;
  readonly latencies: Latencies;
  /** Shown in progress events. */
  phase: 'warm' | 'verify';
  /** Report progress (throttled). */
  progress(): void;
  /** Record the run's first fatal error and stop it. */
  setFatal(err: unknown): void;
  /** Issue items through the pool (pacing.ts) with the run's checkpoint and write back-pressure. */
  pool(items: AsyncIterable<number> | Iterable<number>, exec: (item: number) => Promise<void>): Promise<void>;
}
