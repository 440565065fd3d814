export type * from './cache.js';
export type * from './clock.js';
export type * from './http.js';
export type * from './metrics.js';
export type {
  CacheProviderSettings,
  HttpProviderSettings,
  MetricsProviderSettings,
  PluginKit,
  PortMap,
  PortName,
  ProviderRegistration,
  ProviderSettingsMap,
  ProvidersHookOptions,
} from './providers.js';
export { defineProvider } from './providers.js';
