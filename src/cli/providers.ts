/**
 * Finds adapters for ports. Every provider, first-party or not, comes from an
 * oclif plugin's `relia:providers` hook. Hook modules are tiny; the adapter
 * (and its client library) is imported only inside `create()`.
 */
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { Config } from '@oclif/core';
import { DependencyError, InputError } from '../core/errors.js';
import { guardMetrics } from '../core/metrics-guard.js';
import { redactUrl, type ResolvedConfig } from '../core/config/resolve.js';
import { parseDuration } from '../core/units.js';
import type { PluginKit, PortMap, PortName, ProviderRegistration, ProviderSettingsMap } from '../ports/providers.js';
import { PROVIDERS_HOOK } from './hooks.js';

export interface ProviderEntry {
  registration: ProviderRegistration;
  plugin: string;
}

export class ProviderRegistry {
  constructor(
    private readonly entries: ProviderEntry[],
    readonly warnings: string[],
    private readonly kit: PluginKit,
  ) {}

  list(port?: PortName): Array<{ port: PortName; scheme: string; plugin: string; description?: string }> {
    return this.entries
      .filter((e) => port === undefined || e.registration.port === port)
      .map((e) => ({ port: e.registration.port, scheme: e.registration.scheme, plugin: e.plugin, ...(e.registration.description ? { description: e.registration.description } : {}) }))
      .sort((a, b) => a.port.localeCompare(b.port) || a.scheme.localeCompare(b.scheme));
  }

  async create<P extends PortName>(port: P, scheme: string, settings: ProviderSettingsMap[P], field: string): Promise<PortMap[P]> {
    const entry = this.entries.find((e) => e.registration.port === port && e.registration.scheme === scheme);
    if (!entry) {
      const known = this.list(port).map((e) => e.scheme);
      throw new InputError(`${field}: no ${port} provider named "${scheme}"`, {
        field,
        suggestions: [
          known.length > 0 ? `use one of: ${known.join(', ')}` : `no ${port} providers are installed`,
          'a plugin can add providers: relia plugins install <plugin>',
        ],
      });
    }
    return (entry.registration as ProviderRegistration<P>).create(settings, this.kit);
  }
}

export function makeKit(version: string): PluginKit {
  return { version, errors: { InputError, DependencyError } };
}

/** Run the providers hook across all plugins (core, user-installed and linked). */
export async function loadProviders(config: Config): Promise<ProviderRegistry> {
  const kit = makeKit(config.version);
  const result = await config.runHook(PROVIDERS_HOOK, { kit });
  const entries: ProviderEntry[] = [];
  const warnings: string[] = [];
  for (const success of result.successes) {
    const regs = Array.isArray(success.result) ? success.result : [];
    for (const registration of regs) {
      if (!registration || typeof registration.create !== 'function' || typeof registration.scheme !== 'string') {
        warnings.push(`plugin ${success.plugin.name} returned a malformed provider registration; ignored`);
        continue;
      }
      entries.push({ registration, plugin: success.plugin.name });
    }
  }
  for (const failure of result.failures) {
    warnings.push(`plugin ${failure.plugin.name} failed to register providers: ${failure.error.message}`);
  }
  return new ProviderRegistry(entries, warnings, kit);
}

function ms(duration: string, field: string): number {
  return Math.round(parseDuration(duration, field) * 1000);
}

/**
 * Build the metrics port from resolved config. Every answer goes through
 * `guardMetrics` (src/core/metrics-guard.ts): NaN, ±Inf and negative values
 * are a MetricsDataError (exit 3) for every consumer, whichever provider.
 */
export async function metricsFromConfig(registry: ProviderRegistry, resolved: ResolvedConfig, opts: { insecure?: boolean } = {}): Promise<PortMap['metrics']> {
  const m = resolved.settings.metrics;
  if (!m) {
    throw new InputError('no metrics source configured', {
      field: 'metrics.url',
      suggestions: ['pass --prometheus http://HOST:9090', 'or set RELIA_METRICS_URL', 'or add environments.<name>.metrics.url to relia.config.yaml (relia init writes one)'],
    });
  }
  if (m.tls?.insecureSkipVerify && !opts.insecure) {
    throw new InputError('metrics.tls.insecureSkipVerify is set but --insecure was not given', {
      field: 'metrics.tls.insecureSkipVerify',
      suggestions: ['pass --insecure to confirm you accept unverified TLS, or configure metrics.tls.caFile'],
    });
  }
  const settings: ProviderSettingsMap['metrics'] = { url: m.url, timeoutMs: ms(m.timeout, 'metrics.timeout'), retries: m.retries };
  if (m.headers || resolved.secrets.metricsHeaders) settings.headers = { ...m.headers, ...resolved.secrets.metricsHeaders };
  if (resolved.secrets.metricsToken) settings.bearerToken = resolved.secrets.metricsToken;
  if (resolved.secrets.metricsBasic) settings.basicAuth = resolved.secrets.metricsBasic;
  if (m.tls) settings.tls = { ...(m.tls.caFile ? { caFile: m.tls.caFile } : {}), insecureSkipVerify: m.tls.insecureSkipVerify && opts.insecure === true };
  if (m.options) settings.options = m.options;
  return guardMetrics(await registry.create('metrics', m.provider, settings, 'metrics.provider'));
}

/** Build a cache port for a `redis://` (or plugin scheme) URL. */
export async function cacheFromUrl(registry: ProviderRegistry, url: string, resolved: ResolvedConfig, field: string): Promise<PortMap['cache']> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) throw new InputError(`${field}: expected a URL such as redis://127.0.0.1:6379/0, got ${JSON.stringify(redactUrl(url))}`, { field, suggestions: ['write it like redis://HOST:PORT/DB'] });
  const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)/i.exec(url)?.[1];
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) {
    throw new InputError(`${field}: port ${port} is out of range 1–65535`, { field, suggestions: ['write it like redis://HOST:6379/0'] });
  }
  if (!URL.canParse(url)) throw new InputError(`${field}: not a valid URL: ${JSON.stringify(redactUrl(url))}`, { field, suggestions: ['write it like redis://HOST:PORT/DB'] });
  const settings: ProviderSettingsMap['cache'] = { url, timeoutMs: ms(resolved.settings.redis?.timeout ?? '5s', 'redis.timeout') };
  if (resolved.secrets.redisPassword !== undefined) settings.password = resolved.secrets.redisPassword;
  if (resolved.secrets.redisUsername !== undefined) settings.username = resolved.secrets.redisUsername;
  return registry.create('cache', scheme === 'rediss' ? 'redis' : scheme, settings, field);
}

/** Build the HTTP port. */
export async function httpFromConfig(registry: ProviderRegistry, resolved: ResolvedConfig, connections?: number): Promise<PortMap['http']> {
  const h = resolved.settings.http;
  const settings: ProviderSettingsMap['http'] = { timeoutMs: ms(h?.timeout ?? '10s', 'http.timeout'), userAgent: h?.userAgent ?? 'relia' };
  if (h?.headers || resolved.secrets.httpHeaders) settings.headers = { ...h?.headers, ...resolved.secrets.httpHeaders };
  if (connections !== undefined) settings.connections = connections;
  return registry.create('http', 'http', settings, 'http');
}

/** Settings for the AWS ports from `environments.<env>.aws`; the SDK chain (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL...) fills what is not set. */
export function awsSettings(resolved: ResolvedConfig, service?: 'route53' | 'cloudwatch' | 'fis'): ProviderSettingsMap['compute'] {
  const a = resolved.settings.aws;
  const settings: ProviderSettingsMap['compute'] = { timeoutMs: ms(a?.timeout ?? '10s', 'aws.timeout'), maxAttempts: a?.maxAttempts ?? 3 };
  if (a?.region) settings.region = a.region;
  if (a?.profile) settings.profile = a.profile;
  const endpoint = (service ? a?.endpoints?.[service] : undefined) ?? a?.endpoint;
  if (endpoint) settings.endpoint = endpoint;
  return settings;
}

/** Settings for the cluster port from `environments.<env>.kubernetes`; `context` (e.g. --context) wins over the config's. */
export function kubernetesSettings(resolved: ResolvedConfig, opts: { context?: string; home?: string } = {}): ProviderSettingsMap['cluster'] {
  const k = resolved.settings.kubernetes;
  const settings: ProviderSettingsMap['cluster'] = { timeoutMs: ms(k?.timeout ?? '30s', 'kubernetes.timeout') };
  if (k?.kubeconfig) settings.kubeconfig = kubeconfigPath(k.kubeconfig, resolved.file, opts.home ?? homedir());
  const context = opts.context ?? k?.context;
  if (context) settings.context = context;
  return settings;
}

/** `~/x` is under the home directory; a relative path is relative to the config file (else to the working directory). */
function kubeconfigPath(path: string, configFile: string | null, home: string): string {
  if (path.startsWith('~/')) return join(home, path.slice(2));
  if (isAbsolute(path) || !configFile) return path;
  return join(dirname(configFile), path);
}

/** The cluster port (plugins/kubernetes by default). */
export async function clusterFromConfig(registry: ProviderRegistry, resolved: ResolvedConfig, opts: { context?: string; scheme?: string; home?: string } = {}): Promise<PortMap['cluster']> {
  return registry.create('cluster', opts.scheme ?? 'kubernetes', kubernetesSettings(resolved, opts), 'kubernetes');
}

/** The compute port: EC2, Auto Scaling and STS (plugins/aws by default). */
export async function computeFromConfig(registry: ProviderRegistry, resolved: ResolvedConfig, scheme = 'aws'): Promise<PortMap['compute']> {
  return registry.create('compute', scheme, awsSettings(resolved), 'aws');
}

/** The DNS port: Route 53 (plugins/aws by default); `aws.endpoints.route53` over `aws.endpoint`. */
export async function dnsFromConfig(registry: ProviderRegistry, resolved: ResolvedConfig, scheme = 'aws'): Promise<PortMap['dns']> {
  return registry.create('dns', scheme, awsSettings(resolved, 'route53'), 'aws');
}

/** The alarms port: CloudWatch (plugins/aws by default); `aws.endpoints.cloudwatch` over `aws.endpoint`. */
export async function alarmsFromConfig(registry: ProviderRegistry, resolved: ResolvedConfig, scheme = 'aws'): Promise<PortMap['alarms']> {
  return registry.create('alarms', scheme, awsSettings(resolved, 'cloudwatch'), 'aws');
}

/** The managed-experiments port: FIS (plugins/aws by default); `aws.endpoints.fis` over `aws.endpoint`. */
export async function experimentsFromConfig(registry: ProviderRegistry, resolved: ResolvedConfig, scheme = 'aws'): Promise<PortMap['experiments']> {
  return registry.create('experiments', scheme, awsSettings(resolved, 'fis'), 'aws');
}

/** Build the process port (local processes through execa; plugins may add other schemes). */
export async function processFromConfig(registry: ProviderRegistry, scheme = 'local'): Promise<PortMap['process']> {
  return registry.create('process', scheme, {}, 'process');
}

/** Build the fault-proxy port (the TCP proxy in this process; plugins may add other schemes). */
export async function proxyFromConfig(registry: ProviderRegistry, scheme = 'local'): Promise<PortMap['proxy']> {
  return registry.create('proxy', scheme, {}, 'proxy');
}
