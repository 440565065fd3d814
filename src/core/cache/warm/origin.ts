/**
 * Redis from the origin: GET each key's value from the origin (URL template,
 * key percent-encoded) and SET it into the cache in batches (write-buffer.ts),
 * TTL jittered. Keys already in the cache are skipped (already hot) unless
 * `refresh`; their existence is checked a batch ahead.
 */
import type { CacheEntry } from '../../../ports/cache.js';
import { type KeyTemplate, renderKeyTemplate } from '../sources.js';
import type { WarmContext } from './context.js';
import { jitteredTtl } from './prepare.js';
import { ok2xx } from './retry.js';
import type { RedisOriginTarget } from './types.js';

export async function runOrigin(ctx: WarmContext, t: RedisOriginTarget): Promise<void> {
  const template = ctx.p.originTemplate as KeyTemplate;
  const headers = t.originHeaders ? { ...t.originHeaders } : undefined;
  const batch = t.batchSize ?? 100;
  const keys = ctx.tally.keys;
  const ttl = ctx.p.ttl;
  await ctx.pool(originItems(ctx, t, batch), async (item) => {
    const key = keys[item] as string;
    // Stryker disable next-line StringLiteral: equivalent, the field only names a missing placeholder, and prepare() allows only {key}, which is always given
    const url = renderKeyTemplate(template, { key }, '--origin');
    const out = await ctx.requester.attempt(t.origin, { method: 'GET', url, ...(headers ? { headers } : {}) }, ok2xx);
    if (out.kind === 'ok') {
      const entry: CacheEntry = { key, value: out.response.body ?? Buffer.alloc(0) };
      if (ttl) entry.ttlSeconds = jitteredTtl(ttl.seconds, ttl.jitter, ctx.random);
      ctx.writes.add(item, entry, batch);
    } else if (out.kind === 'failed') ctx.tally.recordFailure(item, out.reason, out.detail);
  });
  await ctx.writes.flush();
}

/** Items to fetch: keys not done, minus those already in the cache (checked a batch ahead). */
async function* originItems(ctx: WarmContext, t: RedisOriginTarget, batch: number): AsyncGenerator<number> {
  const { tally, control } = ctx;
  if (t.refresh) {
    yield* tally.remaining();
    return;
  }
  const check = (chunk: number[]): Promise<boolean[]> => {
    const p = t.cache.existsMany(chunk.map((i) => tally.keys[i] as string));
    p.catch(() => undefined); // observed below; may be abandoned when the run stops
    return p;
  };
  const chunks = tally.remainingChunks(batch);
  let cur = chunks.next();
  let exists = cur.done ? undefined : check(cur.value);
  while (!cur.done) {
    if (!control.live()) return;
    await ctx.checkpoints.saveIfDue();
    const chunk = cur.value;
    const present = await (exists as Promise<boolean[]>);
    cur = chunks.next();
    exists = cur.done ? undefined : check(cur.value);
    for (let j = 0; j < chunk.length; j++) {
      const item = chunk[j] as number;
      if (present[j]) tally.markHot(item);
      else yield item;
    }
    ctx.progress();
  }
}
