/**
 * One warm run: builds its parts (tally, pacing, requests with retries,
 * write buffer, checkpoint), restores the checkpoint, measures the hit ratio
 * before, runs the mode (origin.ts, copy.ts, http.ts), measures after, and
 * settles: checkpoint cleared or saved, the final `done` event, the result
 * returned or the stop reason thrown.
 */
import type { Clock, Random } from '../../../ports/clock.js';
import type { ResolvedLimits } from '../limits.js';
import { evenSample, Latencies, RunControl, Throttle } from '../run.js';
import { formatShard } from '../shard.js';
import { Checkpointer } from './checkpointing.js';
import type { WarmContext } from './context.js';
import { runCopy } from './copy.js';
import { sampleHitRatio } from './hit-ratio.js';
import { HttpWarm } from './http.js';
import { KeyFeed } from './keys.js';
import { runOrigin } from './origin.js';
import { Pacer, pool } from './pacing.js';
import type { Prepared } from './prepare.js';
import { breakerError, buildResult, progressEvent } from './report.js';
import { Requester } from './retry.js';
import { Tally } from './tally.js';
import type { HitRatioMeasurement, RedisCopyTarget, RedisOriginTarget, WarmEvent, WarmOptions, WarmResult } from './types.js';
import { WriteBuffer } from './write-buffer.js';

export class WarmRun implements WarmContext {
  readonly control: RunControl;
  readonly tally: Tally;
  readonly pacer: Pacer;
  readonly requester: Requester;
  readonly writes: WriteBuffer;
  readonly checkpoints: Checkpointer;
  readonly latencies = new Latencies();
  phase: 'warm' | 'verify' = 'warm';
  private readonly throttle: Throttle;
  /** The keys read for the hit ratio before the run (indices), read again after it. */
  private hitSample: number[] | undefined;
  private readonly measured: { before: HitRatioMeasurement | null; after: HitRatioMeasurement | null } = { before: null, after: null };
  private http: HttpWarm | undefined;
  private fatal: unknown;

  constructor(
    private readonly o: WarmOptions,
    readonly limits: ResolvedLimits,
    readonly p: Prepared,
    stream?: AsyncIterable<readonly string[]>,
  ) {
    const clock = o.clock;
    this.control = new RunControl(clock, o.signal, limits.maxDurationMs, limits.abortGraceMs);
    this.tally = new Tally(
      p.keys.list,
      p.variants,
      {
        failureListLimit: o.failureListLimit ?? 100,
        maxFailures: limits.maxFailures,
        ...(limits.onMaxFailures === 'stop' ? { onTooManyFailures: () => this.control.stop('max-failures') } : {}),
      },
      stream ? new KeyFeed(stream, p.keys) : undefined,
    );
    this.pacer = new Pacer(clock, limits, p.mode);
    this.requester = new Requester({ clock, random: o.random, limits, control: this.control, pacer: this.pacer, tally: this.tally, latencies: this.latencies }, p.mode);
    this.throttle = new Throttle(clock, o.progressIntervalMs ?? 1000);
    const t = o.target;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, only origin mode adds to the write buffer: in copy mode it stays empty (flush writes nothing), and an http target has no cache
    this.writes = new WriteBuffer(t.kind === 'redis' && t.mode === 'origin' ? t.cache : undefined, clock, this.tally, (err) => this.setFatal(err));
    const shard = o.shard && o.shard.count > 1 ? formatShard(o.shard) : '';
    this.checkpoints = new Checkpointer(o, p, this.tally, this.writes, `${p.mode} → ${p.targetId}${shard ? `, shard ${shard}` : ''}`);
  }

  get clock(): Clock {
    return this.o.clock;
  }

  get random(): Random {
    return this.o.random;
  }

  async execute(): Promise<WarmResult> {
    let hitRatioBefore: number | null = null;
    let hitRatioAfter: number | null = null;
    // Stryker disable next-line ConditionalExpression: equivalent, without a store restore() returns null at once
    if (this.o.checkpoint) {
      // before the try: a refused checkpoint must not be overwritten
      try {
        const restored = await this.checkpoints.restore();
        if (restored) this.tally.restore(restored);
      } catch (err) {
        this.control.dispose();
        throw err;
      }
    }
    this.checkpoints.markRestored();
    try {
      const t = this.o.target;
      if (t.kind === 'redis') {
        // streaming keys: the sample is the first keys to arrive (SCAN's bucket order spreads them over the keyspace)
        const want = t.hitRatioSample ?? 1000;
        while (this.tally.keys.length < want && this.control.live() && (await this.tally.pullKeys()));
        this.measured.before = await this.sampleHitRatio(t);
        hitRatioBefore = this.measured.before?.ratio ?? null;
      }
      if (t.kind === 'http') {
        this.http = new HttpWarm(this, t);
        await this.http.run();
      } else if (t.mode === 'copy') await runCopy(this, t);
      else await runOrigin(this, t);
      if (t.kind === 'http') {
        const http = this.http as HttpWarm;
        hitRatioBefore = http.hitRatio();
        if (t.verify && this.fatal === undefined && this.control.stoppedBy === undefined) hitRatioAfter = await http.runVerify();
      } else if (this.fatal === undefined && this.control.stoppedBy !== 'signal') {
        this.measured.after = await this.sampleHitRatio(t);
        hitRatioAfter = this.measured.after?.ratio ?? null;
      }
    } catch (err) {
      this.setFatal(err);
    } finally {
      await this.tally.closeFeed();
      this.control.dispose();
    }
    return this.finish(hitRatioBefore, hitRatioAfter);
  }

  private async finish(hitRatioBefore: number | null, hitRatioAfter: number | null): Promise<WarmResult> {
    const stoppedBy = this.control.stoppedBy;
    const completed = stoppedBy === undefined && this.fatal === undefined;
    let checkpoint: WarmResult['checkpoint'] = 'none';
    try {
      checkpoint = await this.checkpoints.settle(completed);
    } catch (err) {
      if (this.fatal === undefined && stoppedBy !== 'signal') throw err;
    }
    const result = buildResult(this.reportParts(), {
      hitRatioBefore,
      hitRatioAfter,
      checkpoint,
      measured: this.measured,
      // Stryker disable next-line ObjectLiteral: equivalent, the fallback is only taken in the redis modes, whose result has no cacheStatus (http always built its HttpWarm first)
      verdicts: this.http?.verdicts ?? { hit: 0, stale: 0, miss: 0, bypass: 0, unknown: 0 },
      verify: this.http?.verify,
    });
    this.emit({ event: 'done', result });
    // Stryker disable next-line OptionalChaining: equivalent, a run is only stopped by 'signal' when it has a signal
    if (stoppedBy === 'signal') throw this.o.signal?.reason;
    if (this.fatal !== undefined) throw this.fatal;
    if (stoppedBy === 'breaker') throw breakerError(this.reportParts(), result);
    return result;
  }

  private reportParts(): Parameters<typeof buildResult>[0] {
    const { o, limits, p, control, tally, pacer, requester, latencies } = this;
    return { o, limits, p, control, tally, pacer, requester, latencies };
  }

  /** See WarmHandle.checkpointNow. */
  checkpointNow(flushWaitMs?: number): Promise<boolean> {
    return this.checkpoints.now(flushWaitMs);
  }

  pool(items: AsyncIterable<number> | Iterable<number>, exec: (item: number) => Promise<void>): Promise<void> {
    return pool(
      {
        control: this.control,
        pacer: this.pacer,
        beforeIssue: () => {
          const backlog = (): Promise<void> | undefined => (this.writes.backlogged ? this.writes.chain : undefined);
          return this.checkpoints.due() ? this.checkpoints.save().then(backlog) : backlog();
        },
        settled: () => this.progress(),
        fatal: (err) => this.setFatal(err),
      },
      items,
      exec,
    );
  }

  setFatal(err: unknown): void {
    if (this.fatal === undefined) this.fatal = err;
    this.control.stop('error');
  }

  private emit(event: WarmEvent): void {
    if (!this.o.onProgress) return;
    try {
      this.o.onProgress(event);
    } catch (err) {
      this.setFatal(err);
    }
  }

  progress(): void {
    if (!this.o.onProgress || !this.throttle.due()) return;
    this.emit(progressEvent(this.reportParts(), this.phase));
  }

  /** Hit ratio of an even sample of the run's keys (the same sample before and after). */
  private sampleHitRatio(t: RedisOriginTarget | RedisCopyTarget): Promise<HitRatioMeasurement | null> {
    const keys = this.tally.keys;
    const sample = (this.hitSample ??= evenSample(keys.length, t.hitRatioSample ?? 1000));
    return sampleHitRatio(t.cache, keys, sample);
  }
}
