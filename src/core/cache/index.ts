/**
 * The engine of `relia cache warm | invalidate | stats`. Pure: every I/O goes
 * through ports (KeyValueCache, HttpClient, MetricsSource, Clock, Random) or
 * the small interfaces declared here (CheckpointStore, Lock). docs/cache.md.
 */
export { fnv1a32, Fingerprint } from './hash.js';
export { seededRandom } from './random.js';
export { applyShard, formatShard, inShard, parseShard, shardOf, type ParseShardOptions, type Shard } from './shard.js';
export { collectSitemapUrls, parseSitemap, type CollectSitemapOptions, type SitemapDocument } from './sitemap.js';
export {
  AccessLogCounter,
  mergeSources,
  parseKeyList,
  parseKeyTemplate,
  popularKeysFromMetrics,
  renderKeyTemplate,
  topPathsFromAccessLog,
  type AccessLogOptions,
  type AccessLogStats,
  type KeyTemplate,
  type PopularityQuery,
  type SourceEntry,
} from './sources.js';
export {
  CACHE_STATUS_HEADERS,
  classifyCacheStatus,
  describeVariant,
  isCached,
  parseVary,
  resolveUrl,
  validateBaseUrl,
  type CacheClassification,
  type CacheVerdict,
  type HeaderVariant,
} from './http-cache.js';
export {
  AdaptiveConcurrency,
  AdaptiveRate,
  ADAPTIVE_RATE_DEFAULTS,
  AIMD_DEFAULTS,
  backoffDelayMs,
  BREAKER_DEFAULTS,
  CircuitBreaker,
  classifyStatus,
  FixedConcurrency,
  parseRetryAfter,
  TokenBucket,
  type AdaptiveRateOptions,
  type AimdOptions,
  type AttemptClass,
  type BreakerOptions,
  type ConcurrencyController,
  type ConcurrencySample,
} from './protection.js';
export { limitsFromFlags, resolveLimits, WARM_DEFAULTS, type ResolvedLimits, type WarmLimitFlags, type WarmLimits } from './limits.js';
export {
  CHECKPOINT_VERSION,
  IndexSet,
  restoreDone,
  runFingerprint,
  type CheckpointStore,
  type Lock,
  type RunIdentity,
  type WarmCheckpoint,
} from './checkpoint.js';
export { type LatencySummary } from './run.js';
export {
  COPY_MISSING,
  COPY_PRESENT,
  COPY_WRITTEN,
  jitteredTtl,
  warm,
  type CacheCopier,
  type CopyingCache,
  WarmStoppedError,
  type HitRatioMeasurement,
  type HttpTarget,
  type RedisCopyTarget,
  type RedisOriginTarget,
  type VerifySummary,
  type WarmEvent,
  type WarmFailure,
  type WarmHandle,
  type WarmMode,
  type WarmOptions,
  type WarmProgress,
  type WarmResult,
  type WarmTarget,
} from './warm.js';
export {
  canExpire,
  invalidate,
  originRewarmer,
  planInvalidation,
  type OriginRewarmOptions,
  type ExpiringCache,
  type InvalidateEvent,
  type InvalidateOptions,
  type InvalidatePacing,
  type InvalidateProgress,
  type InvalidateResult,
  type InvalidateSelection,
  type InvalidationPlan,
} from './invalidate.js';
export { cacheStats, keyPrefix, NO_PREFIX, type CacheStatsOptions, type CacheStatsReport, type PrefixCount, type StatsWindow } from './stats.js';
export { manifestsToYaml, warmCronJobManifest, warmJobManifest, type K8sObject, type WarmCronJobSpec, type WarmJobSpec } from './k8s.js';
