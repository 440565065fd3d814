import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { defaultLockPath, FileCheckpointStore, FileLock } from '../../src/cli/cache/files.js';
import type { SourceReport } from '../../src/cli/cache/sources.js';
import { buildManifest, buildWarmRun, Clients, renderWarmReport, targetId } from '../../src/cli/cache/warm.js';
import type { K8sObject } from '../../src/core/cache/k8s.js';
import { limitsFromFlags } from '../../src/core/cache/limits.js';
import { seededRandom } from '../../src/core/cache/random.js';
import { parseShard } from '../../src/core/cache/shard.js';
import { warm, type WarmHandle, type WarmResult } from '../../src/core/cache/warm.js';
import { parseDuration, parseTime } from '../../src/core/units.js';
import { startProgress } from '../../src/ui/progress.js';

export interface CacheWarmRun extends WarmResult {
  sources: SourceReport[];
  checkpointFile: string | null;
}
export interface CacheWarmManifest {
  emit: 'cronjob' | 'indexed-job';
  manifest: string;
  objects: K8sObject[];
}
export type CacheWarmResult = CacheWarmRun | CacheWarmManifest;

const str = (description: string) => Flags.string({ description });

export default class CacheWarm extends ReliaCommand<typeof CacheWarm> {
  static override summary = 'Warm a Redis or HTTP/CDN cache from key lists, sitemaps, Prometheus or access logs, without hurting the origin.';
  static override description = 'Rate-limited, adaptive (AIMD on 429/503 and latency), retried with backoff, stopped by a circuit breaker; resumable from a checkpoint, locked against overlap, shardable. Exit 0 warmed/hot, 1 failures > --max-failures, 2 bad input, 3 target/origin unreachable, 4 breaker (checkpoint kept), 130/143 interrupted (checkpoint kept). See docs/cache.md.';
  static override examples = [
    "<%= config.bin %> cache warm --source keys.txt --target redis://127.0.0.1:6379/0 --origin 'http://origin/items/{key}' --ttl 1h --rate 500/s",
    "<%= config.bin %> cache warm --source 'prometheus:topk(50000, sum by (title) (rate(plays_total[1h])))' --template '/titles/{title}.json' --target https://cdn.example.com --vary 'Accept-Encoding: gzip,br' --verify",
    '<%= config.bin %> cache warm --target redis://new-node:6379/0 --from redis://warm-node:6379/0',
    '<%= config.bin %> cache warm --source sitemap:https://example.com/sitemap.xml.gz --target http --checkpoint /var/lib/relia/warm.json --max-duration 50m',
    "<%= config.bin %> cache warm --source keys.txt --target redis://cache:6379/0 --origin 'http://origin/items/{key}' --emit indexed-job --shards 8 --name warm-titles --image ghcr.io/acme/relia:0.1.0",
  ];
  static override flags = {
    source: Flags.string({ description: 'Keys: FILE or - (one per line), sitemap:PATH|URL, prometheus:QUERY (with --template), access-log:PATH (top --top paths). Repeatable.', multiple: true, char: 's' }),
    target: Flags.string({ char: 't', description: "redis://HOST:PORT[/DB] (rediss:// for TLS; password from RELIA_REDIS_PASSWORD), http (absolute URLs), or a base URL such as https://cdn.example.com. Default: the config's redis.url." }),
    origin: Flags.string({ description: "Redis: origin URL template for values, e.g. 'http://origin/items/{key}'.", exclusive: ['from'] }),
    from: Flags.string({ description: 'Redis: copy values and TTLs from this warm Redis (keys from --source, or SCAN --pattern).', exclusive: ['origin'] }),
    pattern: Flags.string({ description: "With --from and no --source: SCAN MATCH pattern for the keys to copy ('*' for all: never implied).", dependsOn: ['from'], exclusive: ['source'] }),
    ttl: str('Redis: TTL to set, e.g. 1h (copy mode keeps the source TTLs without it).'),
    'ttl-jitter': str('Redis: random TTL jitter, ±fraction (default 10%).'),
    refresh: Flags.boolean({ description: 'Redis: overwrite keys already present (default: skip them as already hot).' }),
    batch: Flags.integer({ description: 'Redis: keys per pipelined batch (default 100; copy 1000).', min: 1 }),
    pipeline: Flags.integer({ description: 'Copy mode: batches in flight (default 4).', min: 1 }),
    method: Flags.string({ description: 'HTTP: GET or HEAD (default GET).', options: ['GET', 'HEAD'] }),
    vary: Flags.string({ description: "HTTP: header variants, e.g. 'Accept-Encoding: gzip,br' (repeatable; variants multiply).", multiple: true }),
    header: Flags.string({ description: "Extra request header 'Name: value' (origin or cache). Repeatable.", multiple: true }),
    verify: Flags.boolean({ description: 'HTTP: re-request every URL after warming and report the hit ratio after.' }),
    'verify-sample': Flags.integer({ description: 'HTTP: verify only this many URLs, spread evenly.', min: 1 }),
    'hit-ratio-sample': Flags.integer({ description: 'Redis: keys read before and after to measure the hit ratio (0 skips; default 1000).', min: 0 }),
    template: str("prometheus: key template from labels, e.g. 'title:{title}' or '/titles/{title}.json'."),
    top: Flags.integer({ description: 'access-log: how many of the most requested paths.', default: 1000, min: 1 }),
    'strip-query': Flags.boolean({ description: 'access-log: drop query strings before counting.' }),
    'max-source-size': Flags.string({ description: 'Largest key list or sitemap, after decompression (default 256MiB), e.g. 1GiB.' }),
    prometheus: str('Prometheus URL for prometheus: sources (overrides the config).'),
    at: str('prometheus: evaluation time (RFC 3339 or unix seconds; default now).'),
    rate: str('Requests per second at most, e.g. 500/s (copy mode: keys per second).'),
    burst: Flags.integer({ description: 'Token-bucket burst (default rate/10).', min: 1 }),
    concurrency: Flags.integer({ description: 'Requests in flight at most (the AIMD ceiling).', default: 16, min: 1 }),
    adaptive: Flags.boolean({ description: 'Adapt concurrency and rate to 429/503 and latency (AIMD). --no-adaptive pins them.', allowNo: true, default: true }),
    retries: Flags.integer({ description: 'Retries on 429, 5xx and transport errors (exponential backoff, full jitter).', default: 3, min: 0 }),
    timeout: Flags.string({ description: 'Per-request timeout.', default: '10s' }),
    'max-duration': str('Stop issuing work after this long (checkpoint kept, exit 0), e.g. 50m.'),
    'max-failures': Flags.integer({ description: 'Failures allowed before exit 1.', default: 0, min: 0 }),
    'stop-on-max-failures': Flags.boolean({ description: 'Stop as soon as failures exceed --max-failures (checkpoint kept).' }),
    breaker: Flags.boolean({ description: 'Stop when the origin error ratio crosses the threshold (exit 4). --no-breaker disables.', allowNo: true, default: true }),
    'breaker-threshold': str('Error ratio that opens the breaker (default 50%).'),
    'breaker-min-samples': Flags.integer({ description: 'Outcomes before the breaker may open (default 20).', min: 1 }),
    'breaker-window': Flags.integer({ description: 'Outcomes the breaker remembers (default 100).', min: 1 }),
    shard: str('Warm only shard i of n: i/n, or $(JOB_COMPLETION_INDEX)/n.'),
    checkpoint: str('Checkpoint file: resume an interrupted run; saved every 5 s and on stop.'),
    restart: Flags.boolean({ description: 'Ignore an existing checkpoint and start over.' }),
    'on-checkpoint-mismatch': Flags.string({ description: 'A checkpoint from different inputs: fail (exit 2) or restart.', options: ['fail', 'restart'], default: 'fail' }),
    lock: Flags.boolean({ description: 'Take a lock so overlapping runs do not stack (--no-lock: do not).', allowNo: true, default: true }),
    'lock-file': str('Lock file (default: <checkpoint>.lock, else one per target and shard in the temp dir).'),
    seed: Flags.integer({ description: 'Seed for jitter and backoff (reproducible runs).' }),
    'progress-interval': Flags.string({ description: 'Off a TTY: a JSON progress line on stderr this often.', default: '5s' }),
    'no-progress': Flags.boolean({ description: 'No progress output.' }),
    emit: Flags.string({ description: 'Print a Kubernetes manifest that runs this warm instead of running it.', options: ['cronjob', 'indexed-job'] }),
    name: Flags.string({ description: '--emit: object name.', default: 'relia-cache-warm' }),
    image: Flags.string({ description: '--emit: container image with relia.', default: 'ghcr.io/relia/relia:latest' }),
    schedule: str("--emit cronjob: cron schedule, e.g. '0 3 * * *'."),
    'time-zone': str('--emit cronjob: time zone, e.g. Europe/Berlin.'),
    shards: Flags.integer({ description: '--emit: number of shards (Indexed Job completions).', min: 1 }),
    parallelism: Flags.integer({ description: '--emit: pods at once (default: all shards).', min: 1 }),
    namespace: str('--emit: namespace.'),
    'secret-env': Flags.string({ description: '--emit: Secret exposed as environment (e.g. RELIA_REDIS_PASSWORD). Repeatable.', multiple: true }),
    'checkpoint-claim': str('--emit: PersistentVolumeClaim for the checkpoints (one file per shard).'),
  };

  async run(): Promise<CacheWarmResult> {
    const f = this.flags;
    if (f.emit) {
      const { objects, yaml, secretsNeeded } = buildManifest({ ...f, emit: f.emit as 'cronjob' | 'indexed-job' }, this.argv);
      for (const s of secretsNeeded) this.warn(`the manifest reads the Redis password from Secret ${s.secret} (key ${s.key}); create it: kubectl create secret generic ${s.secret} --from-literal=${s.key}=<password>`);
      if (!this.jsonEnabled()) process.stdout.write(yaml);
      return { emit: f.emit as 'cronjob' | 'indexed-job', manifest: yaml, objects };
    }
    const limits = limitsFromFlags(f);
    const shard = f.shard ? parseShard(f.shard, { env: process.env }) : undefined;
    const progressMs = parseDuration(f['progress-interval'], '--progress-interval') * 1000;
    const clients = new Clients();
    this.lifecycle.defer('close connections', () => clients.closeAll());
    const built = await buildWarmRun(f, { registry: await this.providers(), resolved: this.resolved, signal: this.lifecycle.signal, clients, ...(f.at ? { at: parseTime(f.at, '--at') } : {}) });
    for (const w of built.warnings) this.warn(w);
    const checkpointFile = f.checkpoint ? resolve(f.checkpoint) : null;
    const store = checkpointFile ? new FileCheckpointStore(checkpointFile) : undefined;
    const id = built.target.id ?? targetId(f.target ?? '');
    const lock = !f.lock ? undefined : new FileLock(f['lock-file'] ? resolve(f['lock-file']) : checkpointFile ? `${checkpointFile}.lock` : defaultLockPath(id, f.shard ?? ''));
    const progress = await startProgress({ label: 'warming', total: null, tty: process.stderr.isTTY === true, silent: f['no-progress'], intervalMs: progressMs });
    let handle: WarmHandle | undefined;
    let settled = false;
    let partial: WarmResult | undefined;
    if (lock) this.lifecycle.defer('release lock', () => lock.release());
    // If the run cannot unwind in time (forced exit), save what it has done before the process goes.
    this.lifecycle.defer('save checkpoint', async () => void (!settled && (await handle?.checkpointNow(2000))));
    let result: WarmResult;
    try {
      result = await warm({
        keys: built.keys,
        ...(built.keyStream ? { keyStream: built.keyStream } : {}),
        target: built.target,
        limits,
        clock: this.clock,
        random: f.seed === undefined ? Math.random : seededRandom(f.seed),
        signal: this.lifecycle.signal,
        progressIntervalMs: Math.min(1000, progressMs),
        ...(shard ? { shard } : {}),
        ...(store ? { checkpoint: f.restart ? { load: async () => null, save: (c) => store.save(c), clear: () => store.clear() } : store } : {}),
        ...(lock ? { lock } : {}),
        onCheckpointMismatch: f['on-checkpoint-mismatch'] === 'restart' ? 'discard' : 'error',
        onStart: (h) => (handle = h),
        onProgress: (e) => {
          if (e.event === 'done') {
            partial = e.result;
            const r = e.result;
            progress.update(r.total - r.resumed - r.remaining, { warmed: r.warmed, hot: r.alreadyHot, failed: r.failed, retries: r.retries, concurrency: r.concurrency.final }, r.total - r.resumed);
          } else progress.update(e.done - e.resumed, { warmed: e.warmed, hot: e.alreadyHot, failed: e.failed, retries: e.retries, concurrency: e.concurrency }, e.total - e.resumed);
        },
      });
    } catch (error) {
      settled = true;
      await progress.stop();
      if (partial && !this.jsonEnabled()) this.log(renderWarmReport(partial, built.sources, this.style));
      throw error;
    }
    settled = true;
    await progress.stop();
    if (!this.jsonEnabled()) this.log(renderWarmReport(result, built.sources, this.style));
    if (result.exitCode === 1) this.checkFailed(`${result.failed} items failed, more than --max-failures ${limits.maxFailures ?? 0}`, ['see the failures above; re-run to retry them', 'raise --max-failures if some failures are expected']);
    return { ...result, sources: built.sources, checkpointFile };
  }
}
