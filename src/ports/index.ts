export type * from './alarms.js';
export type * from './cache.js';
export type * from './cluster.js';
export type * from './compute.js';
export type * from './dns.js';
export type * from './experiments.js';
export type * from './clock.js';
export type * from './http.js';
export type * from './metrics.js';
export type * from './process.js';
export type * from './proxy.js';
export type {
  AwsProviderSettings,
  CacheProviderSettings,
  KubernetesProviderSettings,
  LocalProviderSettings,
  HttpProviderSettings,
  MetricsProviderSettings,
  PluginKit,
  PortMap,
  PortName,
  ProviderRegistration,
  ProviderSettingsMap,
  ProvidersHookOptions,
} from './providers.js';
