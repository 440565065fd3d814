/**
 * Wiring for `relia cache warm`: building the engine's target from the
 * flags, the key list from the sources, the Kubernetes manifests, and the
 * human report. The command stays flags → context → core → result.
 */
import { parseHeaderLine } from '../../core/secrets.js';
import { checkOriginTemplate } from '../../core/cache/origin-template.js';
import { scrubManifestArgs } from '../../core/cache/manifest-secrets.js';
import { InputError } from '../../core/errors.js';
import { redactUrl } from '../../core/config/resolve.js';
import type { ResolvedConfig } from '../../core/config/resolve.js';
// specific modules, not the index: it would load every source's parser (the XML one is slow to load)
import { parseVary } from '../../core/cache/http-cache.js';
import { manifestsToYaml, warmCronJobManifest, warmJobManifest, type K8sObject } from '../../core/cache/k8s.js';
import { mergeSources } from '../../core/cache/sources.js';
import type { WarmResult, WarmTarget } from '../../core/cache/warm.js';
import { parseDuration, parseFraction, parseSize } from '../../core/units.js';
import type { KeyValueCache } from '../../ports/cache.js';
import type { HttpClient } from '../../ports/http.js';
import { cacheFromUrl, httpFromConfig, metricsFromConfig, type ProviderRegistry } from '../providers.js';
import { parseSourceSpec, readSources, type SourceReport } from './sources.js';
import { renderPairs, renderTable, type Style } from '../style.js';

/** Opened clients, closed by the command's cleanup. */
export class Clients {
  private readonly closers: Array<() => Promise<void>> = [];
  track<T extends { close(): Promise<void> }>(client: T): T {
    this.closers.push(() => client.close());
    return client;
  }
  async closeAll(): Promise<void> {
    const all = this.closers.splice(0);
    await Promise.allSettled(all.map((c) => c()));
  }
}

export interface WarmFlagsIn {
  source?: string[];
  target?: string;
  origin?: string;
  from?: string;
  pattern?: string;
  ttl?: string;
  'ttl-jitter'?: string;
  refresh?: boolean;
  batch?: number;
  pipeline?: number;
  method?: string;
  vary?: string[];
  header?: string[];
  verify?: boolean;
  'verify-sample'?: number;
  'hit-ratio-sample'?: number;
  template?: string;
  top: number;
  'strip-query'?: boolean;
  'max-source-size'?: string;
  at?: string;
  concurrency?: number;
}

export function parseHeaders(list: readonly string[] | undefined, field = '--header'): Record<string, string> | undefined {
  if (!list || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const h of list) {
    const [name, value] = parseHeaderLine(h, field);
    out[name] = value;
  }
  return out;
}

/** The target's identity: the URL without a password. */
export function targetId(url: string): string {
  return redactUrl(url);
}

export interface BuiltRun {
  target: WarmTarget;
  keys: string[];
  /** Copy mode without --source: SCAN of the source, streamed into the run (the sources report counts as it goes). */
  keyStream?: AsyncIterable<readonly string[]>;
  sources: SourceReport[];
  warnings: string[];
}

/** Keys per SCAN call when copy mode lists the source (COUNT; Redis may return somewhat more or fewer). */
const SCAN_COUNT = 1000;

/** SCAN of the source cache, counting the keys it yields into `report`. */
async function* scanCounting(from: KeyValueCache, pattern: string, signal: AbortSignal, report: SourceReport): AsyncGenerator<readonly string[]> {
  for await (const batch of from.scan(pattern, { batch: SCAN_COUNT, signal })) {
    report.keys += batch.length;
    yield batch;
  }
}

/** Build the target and the key list from the flags. Opens the clients (tracked in `clients`). */
export async function buildWarmRun(
  f: WarmFlagsIn,
  ctx: { registry: ProviderRegistry; resolved: ResolvedConfig; signal: AbortSignal; clients: Clients; at?: number },
): Promise<BuiltRun> {
  const { registry, resolved, signal, clients } = ctx;
  const targetUrl = f.target ?? resolved.settings.redis?.url;
  if (!targetUrl) {
    throw new InputError('--target: nothing to warm', {
      field: '--target',
      suggestions: ['--target redis://HOST:6379/0 (with --origin or --from)', '--target http (absolute URLs) or --target https://cdn.example.com', 'or set environments.<name>.redis.url in relia.config.yaml'],
    });
  }
  let http: HttpClient | undefined;
  const getHttp = async (): Promise<HttpClient> => (http ??= clients.track(await httpFromConfig(registry, resolved, Math.max(f.concurrency ?? 16, 4))));
  const isRedis = /^rediss?:\/\//i.test(targetUrl);
  // Inputs that would be sent on the wire are checked before anything connects (exit 2, nothing sent).
  parseHeaders(f.header);
  if (f.origin !== undefined) checkOriginTemplate(f.origin, '--origin');

  // sources; in copy mode without sources the keys come from SCAN of the source cache
  const specs = (f.source ?? []).map(parseSourceSpec);
  let from: KeyValueCache | undefined;
  if (f.from !== undefined) {
    if (!isRedis) throw new InputError('--from: copying needs a Redis --target', { field: '--from', suggestions: ['--target redis://NEW-NODE:6379/0 --from redis://WARM-NODE:6379/0'] });
    if (f.origin !== undefined) throw new InputError('--from and --origin do not go together: values come from one place', { field: '--from', suggestions: ['drop --origin to copy, or --from to fetch from the origin'] });
    from = clients.track(await cacheFromUrl(registry, f.from, resolved, '--from'));
  }
  if (specs.length === 0 && !from) {
    throw new InputError('--source: no keys to warm', { field: '--source', suggestions: ['--source keys.txt (one key or URL per line), or - for stdin', '--source sitemap:https://example.com/sitemap.xml', "--source 'prometheus:topk(1000, sum by (title) (rate(plays_total[1h])))' --template 'title:{title}'", '--source access-log:/var/log/nginx/access.log --top 1000'] });
  }
  let keys: string[] = [];
  let keyStream: AsyncIterable<readonly string[]> | undefined;
  let sources: SourceReport[] = [];
  const warnings: string[] = [];
  if (specs.length > 0) {
    const read = await readSources(specs, {
      http: getHttp,
      metrics: async () => clients.track(await metricsFromConfig(registry, resolved)),
      top: f.top,
      signal,
      ...(f.template !== undefined ? { template: f.template } : {}),
      ...(f['strip-query'] ? { stripQuery: true } : {}),
      ...(f['max-source-size'] !== undefined ? { maxBytes: parseSize(f['max-source-size'], '--max-source-size') } : {}),
      ...(ctx.at !== undefined ? { at: ctx.at } : {}),
    });
    keys = mergeSources(read.lists);
    sources = read.reports;
    warnings.push(...read.warnings);
  } else {
    // streamed: the engine copies each SCAN batch as it arrives (or reads them all first when it needs the whole list)
    // Copying every key must be asked for (--pattern '*'): no selection never means "all".
    if (f.pattern === undefined) {
      throw new InputError('--from: which keys? give --source FILE or --pattern', { field: '--pattern', suggestions: ["--pattern 'title:*'", "--pattern '*' to copy every key"] });
    }
    const pattern = f.pattern;
    const report: SourceReport = { source: `scan:${pattern}`, kind: 'list', keys: 0 };
    keyStream = scanCounting(from as KeyValueCache, pattern, signal, report);
    sources = [report];
  }

  const ttlSeconds = f.ttl === undefined ? undefined : parseDuration(f.ttl, '--ttl');
  const ttlJitter = f['ttl-jitter'] === undefined ? undefined : parseFraction(f['ttl-jitter'], '--ttl-jitter');
  const ttl = { ...(ttlSeconds !== undefined ? { ttlSeconds } : {}), ...(ttlJitter !== undefined ? { ttlJitter } : {}) };
  const common = {
    ...ttl,
    ...(f.refresh ? { refresh: true } : {}),
    ...(f.batch !== undefined ? { batchSize: f.batch } : {}),
    ...(f['hit-ratio-sample'] !== undefined ? { hitRatioSample: f['hit-ratio-sample'] } : {}),
  };
  if (isRedis) {
    if (f.vary?.length || f.verify || f.method) throw new InputError('--vary, --method and --verify apply to HTTP targets only', { field: '--vary', suggestions: ['drop them for a Redis target'] });
    const cache = clients.track(await cacheFromUrl(registry, targetUrl, resolved, '--target'));
    const id = targetId(targetUrl);
    if (from) {
      return { target: { kind: 'redis', mode: 'copy', cache, id, from, fromId: targetId(f.from as string), ...common, ...(f.pipeline !== undefined ? { pipelineDepth: f.pipeline } : {}) }, keys, ...(keyStream ? { keyStream } : {}), sources, warnings };
    }
    if (f.origin === undefined) {
      throw new InputError('--origin: a Redis target needs the origin to fetch values from, or --from a warm Redis to copy', {
        field: '--origin',
        suggestions: ["--origin 'http://origin.internal/items/{key}'", '--from redis://WARM-NODE:6379/0'],
      });
    }
    const originHeaders = parseHeaders(f.header);
    return { target: { kind: 'redis', mode: 'origin', cache, id, origin: await getHttp(), originUrl: f.origin, ...common, ...(originHeaders ? { originHeaders } : {}) }, keys, sources, warnings };
  }
  if (!/^(http|https?:\/\/.+)$/i.test(targetUrl)) {
    throw new InputError(`--target: expected redis://…, rediss://…, http, or a base URL such as https://cdn.example.com; got ${JSON.stringify(targetUrl)}`, { field: '--target', suggestions: ['--target redis://127.0.0.1:6379/0', '--target http', '--target https://cdn.example.com'] });
  }
  if (f.origin !== undefined || ttlSeconds !== undefined || f.refresh) throw new InputError('--origin, --ttl and --refresh apply to Redis targets only', { field: '--origin', suggestions: ['an HTTP cache fetches from its own origin: drop them'] });
  const method = (f.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') throw new InputError(`--method: expected GET or HEAD, got ${f.method}`, { field: '--method', suggestions: ['--method HEAD'] });
  const headers = parseHeaders(f.header);
  const baseUrl = targetUrl.toLowerCase() === 'http' ? undefined : targetUrl;
  return {
    target: {
      kind: 'http',
      http: await getHttp(),
      method: method as 'GET' | 'HEAD',
      variants: parseVary(f.vary ?? []),
      ...(baseUrl !== undefined ? { baseUrl, id: baseUrl } : { id: 'http' }),
      ...(headers ? { headers } : {}),
      ...(f.verify || f['verify-sample'] !== undefined ? { verify: f['verify-sample'] !== undefined ? { sample: f['verify-sample'] } : true } : {}),
    },
    keys,
    sources,
    warnings,
  };
}

// ---------------------------------------------------------------- manifests

export interface ManifestFlags {
  emit: 'cronjob' | 'indexed-job';
  name: string;
  image: string;
  schedule?: string;
  shards?: number;
  parallelism?: number;
  namespace?: string;
  'secret-env'?: string[];
  'checkpoint-claim'?: string;
  'time-zone'?: string;
}

/** Flags that configure the manifest (not the warm run inside it), with whether they take a value. */
const MANIFEST_FLAGS: Record<string, boolean> = {
  '--emit': true,
  '--name': true,
  '--image': true,
  '--schedule': true,
  '--shards': true,
  '--parallelism': true,
  '--namespace': true,
  '--secret-env': true,
  '--checkpoint-claim': true,
  '--time-zone': true,
  '--json': false,
  '--shard': true,
};

/** The user's warm arguments minus the manifest's own flags. */
export function warmArgsForManifest(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (name in MANIFEST_FLAGS) {
      if (MANIFEST_FLAGS[name] && !a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

export function buildManifest(flags: ManifestFlags, argv: readonly string[]): { objects: K8sObject[]; yaml: string; secretsNeeded: Array<{ secret: string; key: string }> } {
  // Never a credential in the manifest: a Redis URL password becomes a secretKeyRef.
  const scrubbed = scrubManifestArgs(warmArgsForManifest(argv), `${flags.name}-redis`);
  const warmArgs = scrubbed.args;
  const mount = '/var/lib/relia';
  if (flags['checkpoint-claim'] && !warmArgs.some((a) => a === '--checkpoint' || a.startsWith('--checkpoint='))) {
    warmArgs.push('--checkpoint', `${mount}/warm-$(JOB_COMPLETION_INDEX).json`);
  }
  const spec = {
    name: flags.name,
    image: flags.image,
    warmArgs,
    ...(flags.shards !== undefined ? { shards: flags.shards } : {}),
    ...(flags.parallelism !== undefined ? { parallelism: flags.parallelism } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags['secret-env']?.length ? { secretEnvFrom: flags['secret-env'] } : {}),
    ...(scrubbed.secretEnv.length ? { secretKeyEnv: scrubbed.secretEnv } : {}),
    ...(flags['checkpoint-claim'] ? { checkpointVolume: { claimName: flags['checkpoint-claim'], mountPath: mount } } : {}),
  };
  let object: K8sObject;
  if (flags.emit === 'cronjob') {
    if (!flags.schedule) throw new InputError('--schedule: a CronJob needs a schedule', { field: '--schedule', suggestions: ["--schedule '0 3 * * *'", '--schedule @hourly'] });
    object = warmCronJobManifest({ ...spec, schedule: flags.schedule, ...(flags['time-zone'] ? { timeZone: flags['time-zone'] } : {}) });
  } else {
    object = warmJobManifest({ ...spec, shards: spec.shards ?? 1 });
  }
  return { objects: [object], yaml: manifestsToYaml([object]), secretsNeeded: scrubbed.secretsNeeded };
}

// ---------------------------------------------------------------- report

const ms = (x: number | null): string => (x === null ? '–' : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);
const ratio = (x: number | null): string => (x === null ? 'not measured' : `${(x * 100).toFixed(1)}%`);

/**
 * The adaptive concurrency in one line. "Decreases" are the AIMD controller
 * backing off when latency rose above its target: normal on a busy origin,
 * not failures, so the line says so, and says nothing when it never backed off.
 */
export function concurrencyLine(c: { final: number; low: number; high: number; decreases: number }): string {
  if (c.low === c.high && c.decreases === 0) return `${c.final}`;
  const backoff = c.decreases === 0 ? '' : `; backed off ${c.decreases} time${c.decreases === 1 ? '' : 's'} when latency rose (not failures)`;
  return `${c.final} (adaptive, ranged ${c.low}–${c.high}${backoff})`;
}

export function renderWarmReport(r: WarmResult, sources: readonly SourceReport[], style: Style): string {
  const reasons = Object.entries(r.failuresByReason)
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  const pairs: Array<[string, string | number]> = [
    ['target', `${r.target} (${r.mode}${r.shard ? `, shard ${r.shard}` : ''})`],
    ['sources', sources.map((s) => `${s.source} (${s.keys})`).join(', ')],
    ['items', `${r.keys} keys${r.variants > 1 ? ` × ${r.variants} variants = ${r.total}` : ''}${r.resumed ? `, ${r.resumed} done by an earlier run` : ''}`],
    ['attempted', r.attempted],
    ['warmed', style.green(String(r.warmed))],
    ['already hot', r.alreadyHot],
    ['failed', r.failed > 0 ? style.red(`${r.failed} (${reasons})`) : '0'],
  ];
  if (r.remaining > 0) pairs.push(['not reached', `${r.remaining}${r.stoppedBy ? ` (stopped: ${r.stoppedBy})` : ''}`]);
  pairs.push(
    ['retries', r.retries],
    ['duration', `${r.durationSeconds.toFixed(1)} s, ${Math.round(r.ratePerSecond)} items/s`],
    ['latency', `p50 ${ms(r.latencyMs.p50)}, p95 ${ms(r.latencyMs.p95)}${r.mode === 'redis-copy' ? ' (per batch)' : ''}`],
    ['hit ratio', `${ratio(r.hitRatioBefore)} before → ${ratio(r.hitRatioAfter)} after`],
  );
  if (r.mode !== 'redis-copy') pairs.push(['concurrency', concurrencyLine(r.concurrency)]);
  if (r.adaptiveRate) pairs.push(['paced to', `${r.adaptiveRate.final.toFixed(1)}/s after ${r.adaptiveRate.decreases} slow-down${r.adaptiveRate.decreases === 1 ? '' : 's'} (lowest ${r.adaptiveRate.low.toFixed(1)}/s)`]);
  if (r.cacheStatus) pairs.push(['cache said', Object.entries(r.cacheStatus).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || '–']);
  pairs.push(['checkpoint', r.checkpoint]);
  let out = renderPairs(pairs, style);
  if (r.failures.length > 0) {
    const shown = r.failures.slice(0, 10);
    out += `\n\n${renderTable(
      [
        { header: 'failed key', value: (f) => f.key },
        { header: 'variant', value: (f) => f.variant ?? '' },
        { header: 'reason', value: (f) => f.reason },
        { header: 'detail', value: (f) => f.detail ?? '' },
      ],
      shown,
      style,
    )}${r.failed > shown.length ? `\n… ${r.failed - shown.length} more (--json lists ${r.failures.length})` : ''}`;
  }
  return out;
}
