/**
 * What every AWS adapter shares: the SDK client configuration built from
 * settings (one client per region, the retry budget, timeouts, an endpoint for
 * moto or a VPC endpoint, a named profile), and the mapping of SDK failures to
 * relia's errors. Nothing here imports the SDK: adapters pass their clients in.
 */
import type { AwsProviderSettings, PluginKit } from '../../../src/ports/providers.js';

/** The client options every @aws-sdk/client-* constructor accepts. */
export interface SdkClientConfig {
  region?: string;
  maxAttempts: number;
  endpoint?: string;
  profile?: string;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

export function clientConfig(settings: AwsProviderSettings, region: string | undefined, endpoint = settings.endpoint): SdkClientConfig {
  const config: SdkClientConfig = {
    maxAttempts: Math.max(1, settings.maxAttempts),
    requestHandler: { connectionTimeout: settings.timeoutMs, requestTimeout: settings.timeoutMs },
  };
  const r = region ?? settings.region;
  if (r !== undefined) config.region = r;
  if (endpoint !== undefined) config.endpoint = endpoint;
  if (settings.profile !== undefined) config.profile = settings.profile;
  return config;
}

/** One SDK client per region, created on first use and destroyed on close. */
export class RegionClients<C extends { destroy(): void }> {
  private readonly clients = new Map<string, C>();
  constructor(private readonly make: (region: string) => C) {}

  get(region: string): C {
    let c = this.clients.get(region);
    if (!c) {
      c = this.make(region);
      this.clients.set(region, c);
    }
    return c;
  }

  close(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}

/** The fields of an SDK error we read (ServiceException, or a transport error). */
export interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const AUTH = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'CredentialsProviderError',
]);

const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|PriorRequestNotComplete|SlowDown|RequestThrottled/;

export const errorName = (err: unknown): string => String((err as SdkError | undefined)?.name ?? '');

/** True when the SDK error has this name (EC2's dotted codes included). */
export const isNamed = (err: unknown, ...names: string[]): boolean => names.includes(errorName(err));

export interface AwsCall {
  /** `ec2:StopInstances`. */
  call: string;
  region: string;
  signal?: AbortSignal;
}

/**
 * Maps an SDK failure to a relia error: an abort rethrows the signal's reason;
 * relia errors pass through; authorisation, throttling after the retry budget,
 * transport and server failures are DependencyError naming the call and region.
 */
export function dependencyFailure(kit: PluginKit, where: AwsCall, err: unknown, endpoint?: string): Error {
  if (where.signal?.aborted) return where.signal.reason instanceof Error ? where.signal.reason : new Error(String(where.signal.reason));
  if (typeof err === 'object' && err !== null && typeof (err as { exitCode?: unknown }).exitCode === 'number') return err as Error;
  const e = (err ?? {}) as SdkError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const at = `${where.call} in ${where.region}`;
  const via = endpoint ? ` (endpoint ${endpoint})` : '';
  const iamAction = where.call;
  if (AUTH.has(name) || status === 401 || status === 403) {
    return new kit.errors.DependencyError('aws', `${at} was refused: ${name}: ${e.message ?? ''}`.trim(), {
      suggestions: [
        'check the credentials: aws sts get-caller-identity (set AWS_PROFILE or environments.<env>.aws.profile)',
        `the caller needs the IAM permission ${iamAction}`,
      ],
      cause: err,
    });
  }
  if (THROTTLING.test(name) || e.$retryable?.throttling === true) {
    const attempts = e.$metadata?.attempts;
    return new kit.errors.DependencyError('aws', `${at} was throttled${attempts ? ` after ${attempts} attempts` : ''}: ${name}`, {
      suggestions: ['retry later, or raise environments.<env>.aws.maxAttempts'],
      cause: err,
    });
  }
  if (name === 'Error' && /Region is missing/i.test(e.message ?? '')) {
    return new kit.errors.DependencyError('aws', `${at}: no AWS region configured`, {
      suggestions: ['set environments.<env>.aws.region in relia.config.yaml, or AWS_REGION'],
      cause: err,
    });
  }
  const reason = e.code ?? (name === 'TimeoutError' ? `timed out: ${e.message ?? ''}` : `${name}: ${e.message ?? ''}`);
  const transport = e.code !== undefined || name === 'TimeoutError' || status === undefined;
  return new kit.errors.DependencyError('aws', `${at} failed${via}: ${reason}`.trim(), {
    suggestions: transport
      ? ['check the network path to the AWS endpoint (environments.<env>.aws.endpoint or AWS_ENDPOINT_URL), then retry']
      : [`AWS answered HTTP ${status}; retry, and check the AWS Health Dashboard if it persists`],
    cause: err,
  });
}

/** What a call's own error handler makes of an SDK error: a value, a relia error, or undefined for the default mapping. */
export type Recovery<T> = { value: T } | Error | undefined;

/**
 * Runs one SDK call. `recover` sees the raw SDK error first (DryRunOperation,
 * InvalidChangeBatch, NotFound...); anything it leaves becomes a relia error
 * (see dependencyFailure).
 */
export async function awsCall<T>(kit: PluginKit, where: AwsCall, endpoint: string | undefined, fn: () => Promise<T>, recover?: (err: unknown) => Recovery<T>): Promise<T> {
  where.signal?.throwIfAborted();
  try {
    return await fn();
  } catch (err) {
    if (!where.signal?.aborted && recover) {
      const r = recover(err);
      if (r instanceof Error) throw r;
      if (r !== undefined) return r.value;
    }
    throw dependencyFailure(kit, where, err, endpoint);
  }
}

/** The signal in AwsCall form (only when given). */
export function signal(options: { signal?: AbortSignal }): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

/** The SDK's per-call options. */
export function send(options: { signal?: AbortSignal }): { abortSignal?: AbortSignal } | undefined {
  return options.signal ? { abortSignal: options.signal } : undefined;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
