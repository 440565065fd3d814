import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { parseHeaders, Clients } from '../../src/cli/cache/warm.js';
import { DEFAULT_INVALIDATE_RATE, invalidationSelection } from '../../src/cli/cache/invalidate.js';
import { checkOriginTemplate } from '../../src/core/cache/origin-template.js';
import { cacheFromUrl, httpFromConfig } from '../../src/cli/providers.js';
import { renderPairs } from '../../src/cli/style.js';
import { invalidate, originRewarmer, planInvalidation, type InvalidateResult, type InvalidationPlan } from '../../src/core/cache/invalidate.js';
import { InputError } from '../../src/core/errors.js';
import { parseDuration, parseFraction, parseRate } from '../../src/core/units.js';
import { startProgress } from '../../src/ui/progress.js';

export interface CacheInvalidateResult {
  /** True when nothing was changed (a plan: no --yes, --dry-run, or the prompt was declined). */
  dryRun: boolean;
  plan: InvalidationPlan;
  result: InvalidateResult | null;
}

export default class CacheInvalidate extends ReliaCommand<typeof CacheInvalidate> {
  static override summary = 'Delete (or expire) Redis keys gradually, paced over a duration or at a rate, optionally re-warming each key.';
  static override description =
    'Keys by --pattern (SCAN, never KEYS) or --keys FILE. Shows a plan (count, sample, pacing) and changes nothing unless --yes is given or the prompt on a TTY is confirmed. Exit 0, 2 bad input, 3 Redis/origin unreachable, 130/143 interrupted (stops between batches).';
  static override examples = [
    "<%= config.bin %> cache invalidate --target redis://127.0.0.1:6379/0 --pattern 'title:*' --over 10m",
    "<%= config.bin %> cache invalidate --pattern 'title:*' --over 10m --yes --rewarm --origin 'http://origin/items/{key}' --ttl 1h",
    '<%= config.bin %> cache invalidate --keys changed.txt --rate 200/s --expire 60s --yes',
  ];
  static override flags = {
    target: Flags.string({ char: 't', description: "Redis URL (default: the config's redis.url)." }),
    pattern: Flags.string({ description: "Glob of the keys, e.g. 'title:*' (SCAN MATCH). Exactly one of --pattern and --keys.", exactlyOne: ['pattern', 'keys'] }),
    keys: Flags.string({ description: 'File with one key per line, or - for stdin.', exactlyOne: ['pattern', 'keys'] }),
    over: Flags.string({ description: 'Spread the work evenly over this long, e.g. 10m.', exclusive: ['rate'] }),
    rate: Flags.string({ description: `Or: keys per second, e.g. 200/s. Without --over or --rate: ${DEFAULT_INVALIDATE_RATE}/s.`, exclusive: ['over'] }),
    batch: Flags.integer({ description: 'Largest batch per round trip (default 100).', min: 1 }),
    expire: Flags.string({ description: 'Expire instead of delete: give each key this TTL (only ever shortening one), e.g. 60s.' }),
    rewarm: Flags.boolean({ description: 'Re-warm each key from --origin right after deleting it.' }),
    origin: Flags.string({ description: "--rewarm: origin URL template, e.g. 'http://origin/items/{key}'.", dependsOn: ['rewarm'] }),
    header: Flags.string({ description: "--rewarm: extra origin request header 'Name: value'.", multiple: true, dependsOn: ['rewarm'] }),
    ttl: Flags.string({ description: '--rewarm: TTL of re-warmed keys, e.g. 1h.', dependsOn: ['rewarm'] }),
    'ttl-jitter': Flags.string({ description: '--rewarm: TTL jitter, ±fraction (default 10%).', dependsOn: ['rewarm'] }),
    sample: Flags.integer({ description: 'Keys shown in the plan.', default: 10, min: 0 }),
    yes: Flags.boolean({ char: 'y', description: 'Act without asking.' }),
    'dry-run': Flags.boolean({ description: 'Only show the plan, even with --yes.' }),
    'no-progress': Flags.boolean({ description: 'No progress output (off a TTY: no JSON progress lines on stderr).' }),
  };

  async run(): Promise<CacheInvalidateResult> {
    const f = this.flags;
    const url = f.target ?? this.resolved.settings.redis?.url;
    if (!url) throw new InputError('--target: which Redis?', { field: '--target', suggestions: ['--target redis://HOST:6379/0', 'or set environments.<name>.redis.url in relia.config.yaml'] });
    if (f.rewarm && !f.origin) throw new InputError('--rewarm needs --origin to fetch the values from', { field: '--origin', suggestions: ["--origin 'http://origin/items/{key}'"] });
    const selection = invalidationSelection(f.pattern, f.keys);
    // Every input checked before anything runs (a bad header is exit 2 with nothing deleted).
    const headers = parseHeaders(f.header);
    if (f.origin !== undefined) checkOriginTemplate(f.origin, '--origin');
    const pacing = {
      ...(f.over !== undefined ? { overSeconds: parseDuration(f.over, '--over') } : {}),
      // Never one burst: without --over or --rate, a safe default rate (docs/cache.md#invalidate).
      ...(f.rate !== undefined ? { rate: parseRate(f.rate, '--rate') } : f.over === undefined ? { rate: DEFAULT_INVALIDATE_RATE } : {}),
      ...(f.batch !== undefined ? { maxBatch: f.batch } : {}),
      ...(f.expire !== undefined ? { expireSeconds: parseDuration(f.expire, '--expire') } : {}),
    };
    const clients = new Clients();
    this.lifecycle.defer('close connections', () => clients.closeAll());
    const registry = await this.providers();
    const cache = clients.track(await cacheFromUrl(registry, url, this.resolved, '--target'));
    const plan = await planInvalidation({ cache, ...selection, ...pacing, sampleSize: f.sample, signal: this.lifecycle.signal });
    const human = !this.jsonEnabled();
    const verb = plan.action === 'expire' ? `expire (TTL ${f.expire})` : 'delete';
    if (human) {
      this.log(renderPairs([
        ['plan', `${verb} ${plan.count} keys${plan.pattern !== undefined ? ` matching ${plan.pattern}` : ` (${plan.existing} exist now)`}`],
        ['pacing', plan.batches === 0 ? '–' : `${plan.batches} batches of ≤ ${plan.batchSize}, every ${(plan.intervalMs / 1000).toFixed(3)} s, ≈ ${plan.estimatedSeconds.toFixed(1)} s`],
        ['sample', plan.sample.join(', ') || '–'],
      ], this.style));
    }
    let go = f.yes && !f['dry-run'];
    if (!go && !f['dry-run'] && plan.count > 0 && this.canPrompt()) {
      const { confirm } = await import('@inquirer/prompts');
      go = await confirm({ message: `${verb} these ${plan.count} keys now?`, default: false });
    }
    if (!go) {
      if (human) this.log(`\n${this.style.yellow('dry run')}: nothing was changed${f['dry-run'] ? '' : '; pass --yes to act'}`);
      return { dryRun: true, plan, result: null };
    }
    let rewarm: ((key: string) => Promise<void>) | undefined;
    if (f.rewarm) {
      const origin = clients.track(await httpFromConfig(registry, this.resolved));
      rewarm = originRewarmer({
        cache, origin, originUrl: f.origin as string, random: Math.random, signal: this.lifecycle.signal,
        ...(f.ttl !== undefined ? { ttlSeconds: parseDuration(f.ttl, '--ttl') } : {}),
        ...(f['ttl-jitter'] !== undefined ? { ttlJitter: parseFraction(f['ttl-jitter'], '--ttl-jitter') } : {}),
        ...(headers ? { headers } : {}),
      });
    }
    const progress = await startProgress({ label: plan.action === 'expire' ? 'expiring' : 'invalidating', total: plan.count, tty: process.stderr.isTTY === true, silent: f['no-progress'] });
    let result: InvalidateResult;
    try {
      result = await invalidate({
        cache, clock: this.clock, signal: this.lifecycle.signal, ...selection, ...pacing, ...(rewarm ? { rewarm } : {}),
        onProgress: (e) =>
          e.event === 'progress' ? progress.update(e.done, { deleted: e.deleted, expired: e.expired }, e.total) : progress.update(e.result.matched, { deleted: e.result.deleted, expired: e.result.expired }),
      });
    } finally {
      await progress.stop();
    }
    if (human) {
      this.log(`\n${renderPairs([
        [plan.action === 'expire' ? 'expired' : 'deleted', `${plan.action === 'expire' ? result.expired : result.deleted} of ${result.matched} keys in ${result.batches} batches over ${result.durationSeconds.toFixed(1)} s`],
        ...(f.rewarm ? [['re-warmed', `${result.rewarmed}${result.rewarmFailed ? `, ${this.style.red(`${result.rewarmFailed} failed`)}` : ''}`] as [string, string]] : []),
      ], this.style)}`);
    }
    if (result.rewarmFailed > 0) this.warn(`${result.rewarmFailed} keys could not be re-warmed (first: ${result.failures[0]?.key}: ${result.failures[0]?.reason}); they will be fetched on first read`);
    return { dryRun: false, plan, result };
  }
}
