/**
 * The provider contract: how an oclif plugin supplies adapters for relia's
 * ports. A plugin declares a `relia:providers` hook in its package.json; the
 * hook returns ProviderRegistration[]; relia picks a registration by port and
 * scheme from config and calls `create` only when a command needs it, so heavy
 * client libraries load lazily.
 */
import type { AlarmsPort } from './alarms.js';
import type { KeyValueCache } from './cache.js';
import type { ClusterPort } from './cluster.js';
import type { ComputePort } from './compute.js';
import type { DnsPort } from './dns.js';
import type { ManagedExperimentsPort } from './experiments.js';
import type { HttpClient } from './http.js';
import type { MetricsSource } from './metrics.js';
import type { ProcessPort } from './process.js';
import type { FaultProxyPort } from './proxy.js';

export interface PortMap {
  metrics: MetricsSource;
  cache: KeyValueCache;
  http: HttpClient;
  /** Kubernetes (plugins/kubernetes). */
  cluster: ClusterPort;
  /** Instances and auto-scaling groups (plugins/aws: EC2, Auto Scaling, STS). */
  compute: ComputePort;
  /** Weighted records and health checks (plugins/aws: Route 53). */
  dns: DnsPort;
  /** Alarm states (plugins/aws: CloudWatch). */
  alarms: AlarmsPort;
  /** Managed fault injection (plugins/aws: FIS). */
  experiments: ManagedExperimentsPort;
  /** Local processes (plugins/local: execa). */
  process: ProcessPort;
  /** The TCP fault proxy (plugins/local: node:net). */
  proxy: FaultProxyPort;
}
export type PortName = keyof PortMap;

/** Settings handed to a metrics provider: the resolved `metrics` config plus secrets. */
export interface MetricsProviderSettings {
  url: string;
  timeoutMs: number;
  retries: number;
  headers?: Record<string, string>;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  tls?: { caFile?: string; insecureSkipVerify: boolean };
  options?: Record<string, unknown>;
}

export interface CacheProviderSettings {
  url: string;
  timeoutMs: number;
  username?: string;
  password?: string;
}

export interface HttpProviderSettings {
  timeoutMs: number;
  userAgent: string;
  headers?: Record<string, string>;
  /** Max sockets per origin. */
  connections?: number;
}

/** Settings for every AWS port: the SDK's usual credential chain applies (env, profile, SSO, instance role). */
export interface AwsProviderSettings {
  /** Default region for calls that do not name one (and for STS). */
  region?: string;
  profile?: string;
  /** A local emulator (moto) or a VPC endpoint. */
  endpoint?: string;
  timeoutMs: number;
  /** The SDK's retry budget per call. */
  maxAttempts: number;
}

export interface KubernetesProviderSettings {
  /** Path of the kubeconfig; omitted: KUBECONFIG, then ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  /** Context to use; omitted: the kubeconfig's current context. */
  context?: string;
  timeoutMs: number;
}

export type LocalProviderSettings = Record<string, never>;

export interface ProviderSettingsMap {
  metrics: MetricsProviderSettings;
  cache: CacheProviderSettings;
  http: HttpProviderSettings;
  cluster: KubernetesProviderSettings;
  compute: AwsProviderSettings;
  dns: AwsProviderSettings;
  alarms: AwsProviderSettings;
  experiments: AwsProviderSettings;
  process: LocalProviderSettings;
  proxy: LocalProviderSettings;
}

/** Error constructors handed to plugins, so their errors carry relia's exit codes without importing relia. */
export interface PluginKit {
  readonly version: string;
  readonly errors: {
    InputError: new (message: string, options?: { field?: string; file?: string; suggestions?: string[]; cause?: unknown }) => Error;
    DependencyError: new (dependency: string, message: string, options?: { suggestions?: string[]; cause?: unknown }) => Error;
  };
}

export interface ProviderRegistration<P extends PortName = PortName> {
  port: P;
  /** The name config uses: `prometheus`, `redis`, `http`, `datadog`... */
  scheme: string;
  description?: string;
  create(settings: ProviderSettingsMap[P], kit: PluginKit): Promise<PortMap[P]>;
}

/** What the `relia:providers` hook receives. */
export interface ProvidersHookOptions {
  kit: PluginKit;
}
