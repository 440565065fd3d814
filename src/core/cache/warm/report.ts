/**
 * What a warm run reports: progress events while it runs, the result at the
 * end, and the error when the circuit breaker stopped it (exit 4, or exit 3
 * when the origin never answered at all).
 */
import { DependencyError } from '../../errors.js';
import type { CacheVerdict } from '../http-cache.js';
import type { ResolvedLimits } from '../limits.js';
import type { CircuitBreaker } from '../protection.js';
import type { Latencies, RunControl } from '../run.js';
import { formatShard } from '../shard.js';
import type { Pacer } from './pacing.js';
import type { Prepared } from './prepare.js';
import type { Requester } from './retry.js';
import type { Tally } from './tally.js';
import { type HitRatioMeasurement, type VerifySummary, type WarmOptions, type WarmProgress, type WarmResult, WarmStoppedError } from './types.js';

export interface ReportParts {
  o: WarmOptions;
  limits: ResolvedLimits;
  p: Prepared;
  control: RunControl;
  tally: Tally;
  pacer: Pacer;
  requester: Requester;
  latencies: Latencies;
}

/** A progress event from the run's counts. */
export function progressEvent(r: ReportParts, phase: WarmProgress['phase']): WarmProgress {
  const { tally } = r;
  const finished = tally.finished;
  const elapsed = r.control.elapsedMs() / 1000;
  const rate = elapsed > 0 ? (finished - tally.resumed) / elapsed : 0;
  return {
    event: 'progress',
    phase,
    done: finished,
    total: tally.total,
    resumed: tally.resumed,
    warmed: tally.warmed,
    alreadyHot: tally.alreadyHot,
    failed: tally.failed,
    retries: tally.retries,
    inFlight: r.pacer.gate.inFlight,
    concurrency: r.pacer.conc.current,
    elapsedSeconds: elapsed,
    ratePerSecond: rate,
    // while keys still stream in, the total is only what arrived so far: no ETA
    etaSeconds: rate > 0 && !tally.streaming ? Math.max(0, tally.total - finished) / rate : null,
  };
}

export interface ResultExtras {
  hitRatioBefore: number | null;
  hitRatioAfter: number | null;
  checkpoint: WarmResult['checkpoint'];
  /** redis modes */
  measured?: { before: HitRatioMeasurement | null; after: HitRatioMeasurement | null };
  /** http mode */
  verdicts?: Record<CacheVerdict, number>;
  verify?: VerifySummary | undefined;
}

export function buildResult(r: ReportParts, x: ResultExtras): WarmResult {
  const { tally, control } = r;
  const stoppedBy = control.stoppedBy;
  const durationMs = control.elapsedMs();
  const attempted = tally.warmed + tally.alreadyHot + tally.failed;
  const exitCode: WarmResult['exitCode'] = stoppedBy === 'breaker' ? 4 : tally.failed > r.limits.maxFailures ? 1 : 0;
  const breaker = r.requester.breaker;
  const result: WarmResult = {
    mode: r.p.mode,
    target: r.p.targetId,
    shard: r.o.shard && r.o.shard.count > 1 ? formatShard(r.o.shard) : null,
    keys: tally.keys.length,
    variants: tally.variants.length,
    total: tally.total,
    resumed: tally.resumed,
    attempted,
    warmed: tally.warmed,
    alreadyHot: tally.alreadyHot,
    failed: tally.failed,
    remaining: Math.max(0, tally.total - tally.done.count - tally.failed),
    failures: tally.failures,
    failuresTruncated: tally.failuresTruncated,
    failuresByReason: tally.byReason,
    retries: tally.retries,
    durationSeconds: durationMs / 1000,
    ratePerSecond: durationMs > 0 ? attempted / (durationMs / 1000) : 0,
    latencyMs: r.latencies.summary(),
    concurrency: r.pacer.concurrencySummary(),
    adaptiveRate: r.pacer.rateSummary(),
    breaker: breaker ? { open: breaker.open, errorRatio: breaker.errorRatio, samples: breaker.samples } : null,
    hitRatioBefore: x.hitRatioBefore,
    hitRatioAfter: x.hitRatioAfter,
    checkpoint: x.checkpoint,
    exitCode,
  };
  if (r.p.mode === 'http') result.cacheStatus = { ...(x.verdicts as Record<CacheVerdict, number>) };
  else result.hitRatioMeasurements = { ...(x.measured as NonNullable<ResultExtras['measured']>) };
  if (x.verify) result.verify = x.verify;
  if (stoppedBy !== undefined && stoppedBy !== 'error') result.stoppedBy = stoppedBy;
  return result;
}

/** The error for a run the breaker stopped: DependencyError when nothing ever answered, else WarmStoppedError. */
export function breakerError(r: ReportParts, result: WarmResult): Error {
  const b = r.requester.breaker as CircuitBreaker;
  const mode = r.p.mode;
  const dependency = mode === 'http' ? 'http' : 'origin';
  if (r.requester.responses === 0) {
    return new DependencyError(
      dependency,
      `${dependency} unreachable: none of ${b.samples} requests got an answer (last error: ${r.requester.lastTransportError}); checkpoint kept`,
      {
        suggestions: [`check that ${mode === 'http' ? 'the cache/CDN' : 'the origin'} is up and reachable from here`, 're-run to resume from the checkpoint'],
      },
    );
  }
  const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
  return new WarmStoppedError(
    `circuit breaker opened: ${pct(b.errorRatio)} of the last ${b.samples} ${dependency} requests failed (threshold ${pct(b.threshold)}); stopped after ${result.attempted} of ${r.tally.total - r.tally.resumed} items, checkpoint kept`,
    result,
    ['check the origin\'s health and error logs', 'lower --rate or --concurrency', 're-run to resume from the checkpoint once the origin is healthy'],
  );
}
