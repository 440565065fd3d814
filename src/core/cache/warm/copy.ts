/**
 * Redis copy: copy values (and TTLs) from another KeyValueCache in large
 * batches, `pipelineDepth` batches in flight — through the target's
 * `CacheCopier` when it has one (values never pass through the engine),
 * else one existsMany/getMany/ttlMany/setMany per batch; no per-key
 * promises. Streamed keys (SCAN of the source) are copied as they arrive.
 */
import type { CacheCopier, CacheEntry, CopyingCache, KeyValueCache } from '../../../ports/cache.js';
import type { WarmContext } from './context.js';
import { jitteredTtl } from './prepare.js';
import { COPY_PRESENT, COPY_WRITTEN, type RedisCopyTarget } from './types.js';

function copierOf(target: KeyValueCache, from: KeyValueCache): CacheCopier | undefined {
  const c = target as Partial<CopyingCache>;
  return typeof c.copierFrom === 'function' ? c.copierFrom(from) : undefined;
}

export async function runCopy(ctx: WarmContext, t: RedisCopyTarget): Promise<void> {
  const { control, pacer } = ctx;
  const batch = t.batchSize ?? 1000;
  const depth = Math.max(1, t.pipelineDepth ?? 4);
  const copier = copierOf(t.cache, t.from);
  const inFlight: Array<Promise<void>> = [];
  try {
    for await (const chunk of copyChunks(ctx, batch)) {
      if (!control.live()) break;
      await ctx.checkpoints.saveIfDue();
      // the save may have taken the run past its deadline: no batch after it
      if (!control.live()) break;
      const bucket = pacer.bucket;
      if (bucket) {
        const wait = bucket.reserve(chunk.length);
        // Stryker disable next-line EqualityOperator: equivalent, control.sleep(0) returns live(), checked just above with no time passing in between
        if (wait > 0 && !(await control.sleep(wait))) {
          bucket.refund(chunk.length);
          break;
        }
      }
      const work = copier ? copyChunkWith(ctx, copier, t, chunk) : copyChunk(ctx, t, chunk);
      inFlight.push(work.catch((err: unknown) => ctx.setFatal(err)));
      if (inFlight.length >= depth) await inFlight.shift();
    }
  } catch (err) {
    ctx.setFatal(err);
  }
  await control.drain(inFlight);
}

/** Items not yet done, in order, in chunks; streamed keys are pulled in as the list runs out. */
async function* copyChunks(ctx: WarmContext, size: number): AsyncGenerator<number[]> {
  const tally = ctx.tally;
  let chunk: number[] = [];
  let i = 0;
  for (;;) {
    for (; i < tally.total; i++) {
      if (tally.done.has(i)) continue;
      chunk.push(i);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
    if (!ctx.control.live() || !(await tally.pullKeys())) break;
  }
  if (chunk.length > 0) yield chunk;
}

/** Copy one batch through the target's copier: values and TTLs never pass through the engine. */
async function copyChunkWith(ctx: WarmContext, copier: CacheCopier, t: RedisCopyTarget, chunk: number[]): Promise<void> {
  const { clock, tally } = ctx;
  const t0 = clock.now();
  const n = chunk.length;
  // Stryker disable next-line ArrayDeclaration: equivalent, every index below n is assigned just after, so a preallocated and an empty array end the same
  const keys = new Array<string>(n);
  for (let j = 0; j < n; j++) keys[j] = tally.keys[chunk[j] as number] as string;
  let ttlSeconds: number[] | undefined;
  const ttl = ctx.p.ttl;
  if (ttl) {
    // Stryker disable next-line ArrayDeclaration: equivalent, every index below n is assigned just after
    ttlSeconds = new Array<number>(n);
    for (let j = 0; j < n; j++) ttlSeconds[j] = jitteredTtl(ttl.seconds, ttl.jitter, ctx.random);
  }
  const out = await copier.copy(keys, { overwrite: t.refresh === true, ...(ttlSeconds ? { ttlSeconds } : {}) });
  for (let j = 0; j < n; j++) {
    const item = chunk[j] as number;
    const outcome = out[j];
    if (outcome === COPY_WRITTEN) tally.markWarmed(item);
    else if (outcome === COPY_PRESENT) tally.markHot(item);
    else tally.recordFailure(item, 'missing-in-source');
  }
  ctx.latencies.add(clock.now() - t0);
  ctx.progress();
}

/** Copy one batch through the port: existsMany (unless refresh), getMany [+ ttlMany], setMany. */
async function copyChunk(ctx: WarmContext, t: RedisCopyTarget, chunk: number[]): Promise<void> {
  const { clock, tally } = ctx;
  const t0 = clock.now();
  let items = chunk;
  let keys = chunk.map((i) => tally.keys[i] as string);
  if (!t.refresh) {
    const present = await t.cache.existsMany(keys);
    const k2: string[] = [];
    const i2: number[] = [];
    for (let j = 0; j < keys.length; j++) {
      if (present[j]) tally.markHot(items[j] as number);
      else {
        k2.push(keys[j] as string);
        i2.push(items[j] as number);
      }
    }
    keys = k2;
    items = i2;
  }
  if (keys.length > 0) {
    const fixedTtl = ctx.p.ttl;
    const [values, ttls] = await Promise.all([t.from.getMany(keys), fixedTtl === undefined ? t.from.ttlMany(keys) : undefined]);
    const entries: CacheEntry[] = [];
    const copied: number[] = [];
    for (let j = 0; j < keys.length; j++) {
      const value = values[j];
      const ttl = ttls?.[j];
      // absent, or expired between GET and TTL: writing it would resurrect it without a TTL
      if (value === null || value === undefined || ttl === -2) {
        tally.recordFailure(items[j] as number, 'missing-in-source');
        continue;
      }
      const entry: CacheEntry = { key: keys[j] as string, value };
      if (fixedTtl) entry.ttlSeconds = jitteredTtl(fixedTtl.seconds, fixedTtl.jitter, ctx.random);
      else if (ttl !== undefined && ttl >= 0) entry.ttlSeconds = Math.max(1, ttl);
      entries.push(entry);
      copied.push(items[j] as number);
    }
    if (entries.length > 0) await t.cache.setMany(entries);
    for (const i of copied) tally.markWarmed(i);
  }
  ctx.latencies.add(clock.now() - t0);
  ctx.progress();
}
