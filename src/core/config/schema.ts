/**
 * relia's configuration: the zod schema, and the pure resolution of
 * file → environment variables → flags into one environment's settings.
 * No I/O here: the CLI layer finds and reads the file and hands over its text.
 */
import { z } from 'zod';
import { parseDuration } from '../units.js';

const durationString = (example: string) =>
  z.string().refine(
    (v) => {
      try {
        parseDuration(v);
        return true;
      }
      // Stryker disable next-line BlockStatement: equivalent, an empty catch returns undefined, which refine reads as a failure too
      catch {
        return false;
      }
    },
    { message: `expected a duration such as ${example}` },
  );

/** An environment variable's name (where a secret lives; never the secret). */
export const EnvVarNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected an environment variable name such as PROM_TOKEN' });

const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/]+\S*$/.test(v) && URL.canParse(v), { message: 'expected an http(s) URL such as http://127.0.0.1:9090' });

/** Secrets are never in the file: the file names the environment variable that holds them. */
export const AuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), tokenEnv: EnvVarNameSchema }),
  z.strictObject({ type: z.literal('basic'), username: z.string().optional(), usernameEnv: EnvVarNameSchema.optional(), passwordEnv: EnvVarNameSchema }),
]);

export const TlsSchema = z.strictObject({
  caFile: z.string().optional(),
  /** Skip certificate verification. Only honoured together with the command's explicit `--insecure` flag. */
  insecureSkipVerify: z.boolean().default(false),
});

export const MetricsSchema = z.strictObject({
  /** Provider scheme; `prometheus` is built in, plugins add more. */
  provider: z.string().regex(/^[a-z][a-z0-9-]*$/, { message: 'expected a provider name such as prometheus' }).default('prometheus'),
  url: httpUrl,
  timeout: durationString('10s').default('10s'),
  retries: z.number().int().min(0).max(10).default(2),
  auth: AuthSchema.optional(),
  tls: TlsSchema.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Credential headers (Authorization, X-Api-Key, Cookie, …): header name → environment variable holding its value. */
  headersFromEnv: z.record(z.string(), EnvVarNameSchema).optional(),
  /** Provider-specific settings, passed through to the provider untouched. */
  options: z.record(z.string(), z.unknown()).optional(),
});

export const RedisSchema = z.strictObject({
  url: z.string().refine((v) => /^rediss?:\/\/\S+$/.test(v) && URL.canParse(v), {
    message: 'expected a redis URL such as redis://127.0.0.1:6379/0 (rediss:// for TLS)',
  }),
  usernameEnv: EnvVarNameSchema.optional(),
  passwordEnv: EnvVarNameSchema.optional(),
  timeout: durationString('5s').default('5s'),
});

export const HttpSchema = z.strictObject({
  timeout: durationString('10s').default('10s'),
  userAgent: z.string().default('relia'),
  headers: z.record(z.string(), z.string()).optional(),
  /** Credential headers: header name → environment variable holding its value. */
  headersFromEnv: z.record(z.string(), EnvVarNameSchema).optional(),
});

export const AwsSchema = z.strictObject({
  /** Default region (calls that name a region use theirs); omitted: the SDK chain (AWS_REGION, the profile). */
  region: z.string().optional(),
  /** Named profile; omitted: the SDK chain (AWS_PROFILE, default). */
  profile: z.string().optional(),
  /** One endpoint for every AWS service (moto, LocalStack, a proxy); omitted: AWS, or AWS_ENDPOINT_URL. */
  endpoint: httpUrl.optional(),
  /** Per-service endpoints, over `endpoint` (e.g. a FIS stand-in next to moto). */
  endpoints: z.strictObject({ route53: httpUrl.optional(), cloudwatch: httpUrl.optional(), fis: httpUrl.optional() }).optional(),
  /** Connection and request timeout of each attempt (default 10s). */
  timeout: durationString('10s').optional(),
  /** The SDK's attempts per call, retries of throttling and transient errors included (default 3). */
  maxAttempts: z.number().int().min(1).max(10).optional(),
});

export const KubernetesSchema = z.strictObject({
  /** Path of the kubeconfig (`~/` and paths relative to this config file work); omitted: KUBECONFIG, then ~/.kube/config, then in-cluster. */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().optional(),
  namespace: z.string().optional(),
  /** Timeout of each API call (default 30s). */
  timeout: durationString('30s').optional(),
});

export const EnvironmentSchema = z.strictObject({
  metrics: MetricsSchema.optional(),
  redis: RedisSchema.optional(),
  http: HttpSchema.optional(),
  aws: AwsSchema.optional(),
  kubernetes: KubernetesSchema.optional(),
});

/** `chaos:`: where destructive actions may run, what they never touch, and the halt switch (docs/chaos.md#safety). */
export const ChaosConfigSchema = z.strictObject({
  allow: z
    .strictObject({
      /** kubeconfig contexts destructive Kubernetes actions may run in. */
      kubeContexts: z.array(z.string().min(1)).default([]),
      /** AWS account ids (12 digits) destructive AWS actions may run in, checked with STS. */
      awsAccounts: z.array(z.string().regex(/^\d{12}$/, { message: 'expected a 12-digit AWS account id' })).default([]),
    })
    .default({ kubeContexts: [], awsAccounts: [] }),
  protectedNamespaces: z.array(z.string().min(1)).default(['kube-system']),
  protectedLabels: z.record(z.string(), z.string()).default({}),
  /** Default guard interval of `chaos run`. */
  guardInterval: durationString('1s').default('1s'),
  halt: z
    .strictObject({
      /** The halt file; default: <config dir>/chaos-halt.json. */
      file: z.string().optional(),
      /** Also keep the halt under this key in Redis (the environment's redis.url), so other machines see it. */
      redisKey: z.string().min(1).optional(),
      /** Also keep the halt in this ConfigMap (namespace/name) through the kubernetes settings. */
      configMap: z.string().regex(/^[a-z0-9.-]+\/[a-z0-9.-]+$/, { message: 'expected NAMESPACE/NAME, e.g. chaos/relia-halt' }).optional(),
    })
    .default({}),
});
export type ChaosConfig = z.infer<typeof ChaosConfigSchema>;

/** The name of an environment (a key of `environments`). */
export const EnvironmentNameSchema = z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: 'expected an environment name of letters, digits, . _ -' });

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).default(1),
  defaultEnvironment: z.string().optional(),
  environments: z.record(EnvironmentNameSchema, EnvironmentSchema).default({}),
  budget: z
    .strictObject({
      slos: z.array(z.string()).optional(),
      policy: z.string().optional(),
      burnWindows: z.array(durationString('1h')).optional(),
    })
    .optional(),
  chaos: ChaosConfigSchema.optional(),
});

export type ReliaConfig = z.infer<typeof ConfigSchema>;
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;
export type MetricsConfig = z.infer<typeof MetricsSchema>;
export type RedisConfig = z.infer<typeof RedisSchema>;
export type HttpConfig = z.infer<typeof HttpSchema>;
