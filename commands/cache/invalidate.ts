import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { DEFAULT_INVALIDATE_RATE, invalidationInputs, planVerb, renderInvalidationPlan, renderInvalidationResult, runInvalidation } from '../../src/cli/cache/invalidate.js';
import { Clients } from '../../src/cli/cache/warm.js';
import { progressFlags } from '../../src/cli/progress-flag.js';
import { cacheFromUrl } from '../../src/cli/providers.js';
import { planInvalidation, type InvalidateResult, type InvalidationPlan } from '../../src/core/cache/invalidate.js';
import { InputError } from '../../src/core/errors.js';

export interface CacheInvalidateResult {
  /** True when nothing was changed (a plan: no --yes, --dry-run, or the prompt was declined). */
  dryRun: boolean;
  plan: InvalidationPlan;
  result: InvalidateResult | null;
}

export default class CacheInvalidate extends ReliaCommand<typeof CacheInvalidate> {
  static override summary = 'Delete (or expire) Redis keys gradually, paced over a duration or at a rate, optionally re-warming each key.';
  static override description =
    'Keys by --pattern (SCAN, never KEYS) or --source FILE. Shows a plan (count, sample, pacing) and changes nothing unless --yes is given or the prompt on a TTY is confirmed. Exit 0, 2 bad input, 3 Redis/origin unreachable, 130/143 interrupted (stops between batches).';
  static override examples = [
    "<%= config.bin %> cache invalidate --target redis://127.0.0.1:6379/0 --pattern 'title:*' --over 10m",
    "<%= config.bin %> cache invalidate --pattern 'title:*' --over 10m --yes --rewarm --origin 'http://origin/items/{key}' --ttl 1h",
    '<%= config.bin %> cache invalidate --source changed.txt --rate 200/s --expire 60s --yes',
  ];
  static override flags = {
    target: Flags.string({ char: 't', description: "Redis URL (default: the config's redis.url)." }),
    pattern: Flags.string({ description: "Glob of the keys, e.g. 'title:*' (SCAN MATCH). Exactly one of --pattern and --source.", exactlyOne: ['pattern', 'source'] }),
    source: Flags.string({
      char: 's',
      description: 'Keys: a file with one key per line, or - for stdin (as cache warm --source). Exactly one of --pattern and --source.',
      exactlyOne: ['pattern', 'source'],
      aliases: ['keys'],
      deprecateAliases: true,
    }),
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
    ...progressFlags,
  };

  async run(): Promise<CacheInvalidateResult> {
    const f = this.flags;
    const url = f.target ?? this.resolved.settings.redis?.url;
    if (!url) throw new InputError('--target: which Redis?', { field: '--target', suggestions: ['--target redis://HOST:6379/0', 'or set environments.<name>.redis.url in relia.config.yaml'] });
    const inputs = invalidationInputs(f);
    const clients = new Clients();
    this.lifecycle.defer('close connections', () => clients.closeAll());
    const cache = clients.track(await cacheFromUrl(await this.providers(), url, this.resolved, '--target'));
    const plan = await planInvalidation({ cache, ...inputs.selection, ...inputs.pacing, sampleSize: f.sample, signal: this.lifecycle.signal });
    const human = !this.jsonEnabled();
    const verb = planVerb(plan, f.expire);
    if (human) this.log(renderInvalidationPlan(plan, verb, this.style));
    let go = f.yes && !f['dry-run'];
    if (!go && !f['dry-run'] && plan.count > 0 && this.canPrompt()) {
      const { confirm } = await import('@inquirer/prompts');
      go = await confirm({ message: `${verb} these ${plan.count} keys now?`, default: false });
    }
    if (!go) {
      if (human) this.log(`\n${this.style.yellow('dry run')}: nothing was changed${f['dry-run'] ? '' : '; pass --yes to act'}`);
      return { dryRun: true, plan, result: null };
    }
    const result = await runInvalidation(this.context(), f, cache, clients, plan, inputs);
    if (human) this.log(`\n${renderInvalidationResult(plan, result, f.rewarm === true, this.style)}`);
    if (result.rewarmFailed > 0) this.warn(`${result.rewarmFailed} keys could not be re-warmed (first: ${result.failures[0]?.key}: ${result.failures[0]?.reason}); they will be fetched on first read`);
    return { dryRun: false, plan, result };
  }
}
