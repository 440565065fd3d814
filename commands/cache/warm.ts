import { ReliaCommand } from '../../src/cli/base-command.js';
import type { SourceReport } from '../../src/cli/cache/sources.js';
import { buildManifest } from '../../src/cli/cache/warm.js';
import { warmFlags } from '../../src/cli/cache/warm-flags.js';
import { planWarm, renderWarmPlan, type WarmPlan } from '../../src/cli/cache/warm-plan.js';
import { runWarm } from '../../src/cli/cache/warm-run.js';
import type { K8sObject } from '../../src/core/cache/k8s.js';
import type { WarmResult } from '../../src/core/cache/warm.js';

export interface CacheWarmRun extends WarmResult {
  sources: SourceReport[];
  checkpointFile: string | null;
}
export interface CacheWarmManifest {
  emit: 'cronjob' | 'indexed-job';
  manifest: string;
  objects: K8sObject[];
}
export type CacheWarmPlan = WarmPlan;
export type CacheWarmResult = CacheWarmRun | CacheWarmManifest | CacheWarmPlan;

export default class CacheWarm extends ReliaCommand<typeof CacheWarm> {
  static override summary = 'Warm a Redis or HTTP/CDN cache from key lists, sitemaps, Prometheus or access logs, without hurting the origin.';
  static override description = 'Rate-limited, adaptive (AIMD on 429/503 and latency), retried with backoff, stopped by a circuit breaker; resumable from a checkpoint, locked against overlap, shardable. Exit 0 warmed/hot, 1 failures > --max-failures, 2 bad input, 3 target/origin unreachable, 4 breaker (checkpoint kept), 130/143 interrupted (checkpoint kept). See docs/cache.md.';
  static override examples = [
    "<%= config.bin %> cache warm --source keys.txt --target redis://127.0.0.1:6379/0 --origin 'http://origin/items/{key}' --ttl 1h --rate 500/s",
    "<%= config.bin %> cache warm --source 'prometheus:topk(50000, sum by (title) (rate(plays_total[1h])))' --template '/titles/{title}.json' --target https://cdn.example.com --vary 'Accept-Encoding: gzip,br' --verify",
    "<%= config.bin %> cache warm --target redis://new-node:6379/0 --from redis://warm-node:6379/0 --pattern 'title:*'",
    '<%= config.bin %> cache warm --source keys.txt --target https://cdn.example.com --dry-run',
    '<%= config.bin %> cache warm --source sitemap:https://example.com/sitemap.xml.gz --target http --checkpoint /var/lib/relia/warm.json --max-duration 50m',
    "<%= config.bin %> cache warm --source keys.txt --target redis://cache:6379/0 --origin 'http://origin/items/{key}' --emit indexed-job --shards 8 --name warm-titles --image ghcr.io/acme/relia:0.1.0",
  ];
  static override flags = warmFlags;

  async run(): Promise<CacheWarmResult> {
    const f = this.flags;
    if (f.emit) {
      const { objects, yaml, secretsNeeded } = buildManifest({ ...f, emit: f.emit as 'cronjob' | 'indexed-job' }, this.argv);
      for (const s of secretsNeeded) this.warn(`the manifest reads the Redis password from Secret ${s.secret} (key ${s.key}); create it: kubectl create secret generic ${s.secret} --from-literal=${s.key}=<password>`);
      if (!this.jsonEnabled()) process.stdout.write(yaml);
      return { emit: f.emit as 'cronjob' | 'indexed-job', manifest: yaml, objects };
    }
    if (f['dry-run']) {
      const plan = await planWarm(this.context(), f);
      if (!this.jsonEnabled()) this.log(renderWarmPlan(plan, this.style));
      return plan;
    }
    const { result, sources, checkpointFile, maxFailures } = await runWarm(this.context(), f, { human: !this.jsonEnabled(), style: this.style, log: (text) => this.log(text) });
    if (result.exitCode === 1) this.checkFailed(`${result.failed} items failed, more than --max-failures ${maxFailures}`, ['see the failures above; re-run to retry them', 'raise --max-failures if some failures are expected']);
    return { ...result, sources, checkpointFile };
  }
}
