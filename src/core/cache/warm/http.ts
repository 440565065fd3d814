/**
 * HTTP: GET or HEAD each URL through the cache/CDN once per header variant,
 * classifying each answer HIT/MISS from the cache's headers; optionally a
 * verify pass that requests (an even sample of) the items again.
 */
import type { HttpRequest } from '../../../ports/http.js';
import { type CacheVerdict, classifyCacheStatus, isCached, resolveUrl } from '../http-cache.js';
import { evenSample } from '../run.js';
import type { WarmContext } from './context.js';
import { ok2xx3xx } from './retry.js';
import type { HttpTarget, VerifySummary } from './types.js';

export class HttpWarm {
  /** Verdicts of the warm pass's answers. */
  readonly verdicts: Record<CacheVerdict, number> = { hit: 0, stale: 0, miss: 0, bypass: 0, unknown: 0 };
  /** The verify pass, once it ran. */
  verify: VerifySummary | undefined;
  /** Per variant: the request headers (the target's, then the variant's); undefined when there are none. */
  private variantHeaders: Array<Record<string, string> | undefined> | undefined;

  constructor(
    private readonly ctx: WarmContext,
    private readonly t: HttpTarget,
  ) {}

  private request(item: number): HttpRequest {
    // variant-major: every URL once with the first variant, then again with the next, so two
    // variants of one URL are never in flight together (a cache that ignores the header would
    // send both to the origin)
    const t = this.t;
    const { keys, variants } = this.ctx.tally;
    const k = keys.length;
    const v = Math.floor(item / k);
    const all = (this.variantHeaders ??= variants.map((variant) => {
      const headers = { ...(t.headers ?? {}), ...variant };
      return Object.keys(headers).length > 0 ? headers : undefined;
    }));
    const req: HttpRequest = { method: t.method ?? 'GET', url: resolveUrl(keys[item % k] as string, t.baseUrl), readBody: t.readBody ?? false };
    const headers = all[v];
    if (headers) req.headers = { ...headers }; // a copy per request: a client may add to it
    return req;
  }

  async run(): Promise<void> {
    const { ctx, t } = this;
    const tally = ctx.tally;
    await ctx.pool(tally.remaining(), async (item) => {
      const out = await ctx.requester.attempt(t.http, this.request(item), ok2xx3xx);
      if (out.kind === 'ok') {
        const verdict = classifyCacheStatus(out.response.headers).verdict;
        this.verdicts[verdict]++;
        if (isCached(verdict)) tally.markHot(item);
        else tally.markWarmed(item);
      } else if (out.kind === 'failed') tally.recordFailure(item, out.reason, out.detail);
    });
  }

  /** HIT share of the warm pass's classified answers; null when none was classified. */
  hitRatio(): number | null {
    const cached = this.verdicts.hit + this.verdicts.stale;
    const classified = cached + this.verdicts.miss;
    return classified === 0 ? null : cached / classified;
  }

  /** Re-request (all or an even sample of) the items once each; HIT share of the classified answers. */
  async runVerify(): Promise<number | null> {
    const { ctx, t } = this;
    ctx.phase = 'verify';
    const v: VerifySummary = { requests: 0, hit: 0, stale: 0, miss: 0, bypass: 0, unknown: 0, errors: 0 };
    this.verify = v;
    const total = ctx.tally.total;
    const items = evenSample(total, t.verify === true ? total : (t.verify as { sample: number }).sample);
    await ctx.pool(items, async (item) => {
      v.requests++;
      const scope = ctx.control.requestScope();
      try {
        const req = this.request(item);
        req.timeoutMs = ctx.limits.timeoutMs;
        req.signal = scope.signal;
        const res = await t.http.request(req);
        if (ok2xx3xx(res.status)) v[classifyCacheStatus(res.headers).verdict]++;
        else v.errors++;
      } catch {
        v.errors++;
      } finally {
        scope.release();
      }
    });
    const cached = v.hit + v.stale;
    return cached + v.miss === 0 ? null : cached / (cached + v.miss);
  }
}
