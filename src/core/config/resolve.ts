/**
 * Pure config resolution: file text → zod-validated config → one environment,
 * overridden by RELIA_* environment variables, then by flags. Secrets are read
 * only from the environment and kept apart from everything printable.
 */
import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import { checkYamlDepth } from '../yaml-depth.js';
import { formatPath, parseWithSchema } from '../validation.js';
import { isCredentialHeader, redactableValues, redactCredentials, redactHeaders, REDACTED } from '../secrets.js';
import {
  ConfigSchema,
  EnvironmentSchema,
  HttpSchema,
  MetricsSchema,
  RedisSchema,
  type EnvironmentConfig,
  type ReliaConfig,
} from './schema.js';

export type Source = 'file' | 'env' | 'flag' | 'default';

export interface ConfigOverrides {
  /** `--env NAME` */
  env?: string;
  /** `--prometheus URL` / `--metrics-url URL` */
  metricsUrl?: string;
  metricsProvider?: string;
  /** `--redis URL` */
  redisUrl?: string;
}

export interface Secrets {
  metricsToken?: string;
  metricsBasic?: { username: string; password: string };
  redisUsername?: string;
  redisPassword?: string;
  /** Credential headers from `metrics.headersFromEnv` / `http.headersFromEnv`. */
  metricsHeaders?: Record<string, string>;
  httpHeaders?: Record<string, string>;
}

export interface ResolvedConfig {
  /** Absolute path of the config file, or null when none was found. */
  file: string | null;
  /** Selected environment name, or null when the file has none. */
  environment: string | null;
  config: ReliaConfig;
  settings: EnvironmentConfig;
  /** Where each overridable setting came from, for `config show`. */
  sources: Record<string, Source>;
  secrets: Secrets;
  /** Names of environment variables consulted for secrets (for display). */
  secretEnvNames: string[];
  /** Those of them that are set. */
  secretsSet: string[];
}

const SECRET_KEY = /^(password|passwd|token|secret|api[-_]?key|bearer[-_]?token|access[-_]?key|secret[-_]?access[-_]?key)$/i;

function findSecretKeys(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecretKeys(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (SECRET_KEY.test(k) ? [[...path, k]] : findSecretKeys(v, [...path, k])));
  }
  return [];
}

/** Parse YAML text into a plain value, with errors naming file, line and column. */
export function parseYaml(text: string, file: string): unknown {
  checkYamlDepth(text, file);
  // Stryker disable next-line ObjectLiteral: equivalent, both are yaml's defaults (written out so a changed default cannot drop them)
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    // Stryker disable next-line OptionalChaining: equivalent, parseDocument places every error in the source, so prettyErrors always sets linePos
    const pos = first.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}` : 'somewhere';
    throw new InputError(`${file}: invalid YAML at ${where}: ${first.message.split('\n')[0]}`, {
      file,
      suggestions: ['check indentation and quoting at that line; YAML uses spaces, not tabs'],
    });
  }
  try {
    // Stryker disable next-line ObjectLiteral: equivalent, 100 is yaml's default maxAliasCount (written out so a changed default cannot drop it)
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new InputError(`${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`, {
      file,
      suggestions: ['check anchors (&name) and aliases (*name): every alias needs an anchor defined before it'],
    });
  }
}

/** Validate config text; throws InputError naming the file and every bad field. */
export function parseConfig(text: string, file: string): ReliaConfig {
  const raw = parseYaml(text, file);
  const secretPaths = findSecretKeys(raw);
  const firstSecret = secretPaths[0];
  if (firstSecret) {
    const key = String(firstSecret[firstSecret.length - 1]);
    throw new InputError(`${file}: ${formatPath(firstSecret)}: secrets are never read from the config file`, {
      file,
      field: formatPath(firstSecret),
      suggestions: [
        `put the secret in an environment variable and name it instead, e.g. ${/pass/i.test(key) ? 'passwordEnv' : 'tokenEnv'}: MY_SECRET_VAR`,
      ],
    });
  }
  const literal = literalCredentialHeaders(raw)[0];
  if (literal) {
    const path = formatPath(literal);
    throw new InputError(`${file}: ${path}: a credential header is never read from the config file`, {
      file,
      field: path,
      suggestions: [`put the value in an environment variable and name it: ${formatPath(literal.slice(0, -2))}.headersFromEnv: {${String(literal[literal.length - 1])}: MY_SECRET_VAR}`],
    });
  }
  return parseWithSchema(ConfigSchema, raw, { file, docs: 'docs/config.md' });
}

/** Paths of `…metrics.headers.<Name>` / `…http.headers.<Name>` whose name carries a credential. */
function literalCredentialHeaders(raw: unknown): PropertyKey[][] {
  const out: PropertyKey[][] = [];
  // Stryker disable next-line OptionalChaining: equivalent, parseYaml turns an empty document into {}, so raw is never null or undefined
  const envs = (raw as { environments?: unknown })?.environments;
  if (!envs || typeof envs !== 'object') return out;
  for (const [env, value] of Object.entries(envs)) {
    for (const section of ['metrics', 'http'] as const) {
      const headers = (value as Record<string, { headers?: unknown } | undefined> | null)?.[section]?.headers;
      if (!headers || typeof headers !== 'object') continue;
      for (const name of Object.keys(headers)) if (isCredentialHeader(name)) out.push(['environments', env, section, 'headers', name]);
    }
  }
  return out;
}

function override<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } },
  value: unknown,
  origin: string,
  example: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Stryker disable next-line OptionalChaining: equivalent, a failed zod parse has at least one issue
  throw new InputError(`${origin}: ${result.error.issues[0]?.message ?? 'invalid value'}, got ${JSON.stringify(value)}`, {
    field: origin,
    suggestions: [`set it like ${example}`],
  });
}

/**
 * Resolve the configuration for one run. `file` is the config file found (or
 * given by --config), `env` the process environment, `flags` the overrides.
 */
export function resolveConfig(input: {
  file?: { path: string; text: string } | undefined;
  env: Readonly<Record<string, string | undefined>>;
  flags?: ConfigOverrides;
}): ResolvedConfig {
  const { env } = input;
  const flags = input.flags ?? {};
  const config: ReliaConfig = input.file ? parseConfig(input.file.text, input.file.path) : ConfigSchema.parse({});
  const names = Object.keys(config.environments);
  const sources: Record<string, Source> = {};

  let environment: string | null = null;
  let envOrigin = '--env';
  if (flags.env !== undefined) environment = flags.env;
  else if (env.RELIA_ENV) {
    environment = env.RELIA_ENV;
    envOrigin = 'RELIA_ENV';
  } else if (config.defaultEnvironment !== undefined) {
    environment = config.defaultEnvironment;
    // Stryker disable next-line OptionalChaining: equivalent, without a file the config is the schema's defaults, which set no defaultEnvironment, so a file is there
    envOrigin = `${input.file?.path ?? 'config'}: defaultEnvironment`;
  } else if (names.length === 1) environment = names[0] as string;

  if (environment !== null && !(environment in config.environments)) {
    throw new InputError(`${envOrigin}: no environment named ${JSON.stringify(environment)}${input.file ? ` in ${input.file.path}` : ' (no config file found)'}`, {
      field: envOrigin,
      suggestions: names.length > 0 ? [`use one of: ${names.join(', ')}`] : ['create one with `relia init`, or drop --env'],
    });
  }

  const base: EnvironmentConfig = environment === null ? {} : structuredClone(config.environments[environment] ?? {});
  for (const section of ['metrics', 'redis', 'http', 'aws', 'kubernetes'] as const) {
    if (base[section]) for (const key of Object.keys(base[section] as object)) sources[`${section}.${key}`] = 'file';
  }

  // Environment variables, then flags, override the file.
  const metricsUrl = flags.metricsUrl ?? env.RELIA_METRICS_URL ?? env.RELIA_PROMETHEUS_URL;
  if (metricsUrl !== undefined) {
    const origin = flags.metricsUrl !== undefined ? '--prometheus' : env.RELIA_METRICS_URL !== undefined ? 'RELIA_METRICS_URL' : 'RELIA_PROMETHEUS_URL';
    const url = override(MetricsSchema.shape.url, metricsUrl, origin, 'http://127.0.0.1:9090');
    base.metrics = base.metrics ? { ...base.metrics, url } : MetricsSchema.parse({ url });
    sources['metrics.url'] = flags.metricsUrl !== undefined ? 'flag' : 'env';
  }
  const provider = flags.metricsProvider ?? env.RELIA_METRICS_PROVIDER;
  if (provider !== undefined) {
    if (!base.metrics) {
      throw new InputError('RELIA_METRICS_PROVIDER is set but no metrics URL is configured', {
        field: 'metrics.url',
        suggestions: ['set RELIA_METRICS_URL, pass --prometheus URL, or add metrics.url to the environment'],
      });
    }
    base.metrics.provider = override(MetricsSchema.shape.provider, provider, flags.metricsProvider !== undefined ? '--metrics-provider' : 'RELIA_METRICS_PROVIDER', 'prometheus');
    sources['metrics.provider'] = flags.metricsProvider !== undefined ? 'flag' : 'env';
  }
  if (env.RELIA_METRICS_TIMEOUT !== undefined && base.metrics) {
    base.metrics.timeout = override(MetricsSchema.shape.timeout, env.RELIA_METRICS_TIMEOUT, 'RELIA_METRICS_TIMEOUT', '10s');
    sources['metrics.timeout'] = 'env';
  }
  const redisUrl = flags.redisUrl ?? env.RELIA_REDIS_URL;
  if (redisUrl !== undefined) {
    const url = override(RedisSchema.shape.url, redisUrl, flags.redisUrl !== undefined ? '--redis' : 'RELIA_REDIS_URL', 'redis://127.0.0.1:6379/0');
    base.redis = base.redis ? { ...base.redis, url } : RedisSchema.parse({ url });
    sources['redis.url'] = flags.redisUrl !== undefined ? 'flag' : 'env';
  }
  if (env.RELIA_HTTP_TIMEOUT !== undefined) {
    const timeout = override(HttpSchema.shape.timeout, env.RELIA_HTTP_TIMEOUT, 'RELIA_HTTP_TIMEOUT', '10s');
    base.http = { ...(base.http ?? HttpSchema.parse({})), timeout };
    sources['http.timeout'] = 'env';
  }
  if (env.RELIA_AWS_REGION !== undefined) (base.aws ??= {}).region = env.RELIA_AWS_REGION;
  if (env.RELIA_AWS_ENDPOINT !== undefined) {
    (base.aws ??= {}).endpoint = override(EnvironmentSchema.shape.aws.unwrap().shape.endpoint.unwrap(), env.RELIA_AWS_ENDPOINT, 'RELIA_AWS_ENDPOINT', 'http://127.0.0.1:5000');
  }
  if (env.RELIA_KUBE_CONTEXT !== undefined) (base.kubernetes ??= {}).context = env.RELIA_KUBE_CONTEXT;
  if (env.RELIA_KUBE_NAMESPACE !== undefined) (base.kubernetes ??= {}).namespace = env.RELIA_KUBE_NAMESPACE;

  // Secrets: only from the environment.
  const secrets: Secrets = {};
  const secretEnvNames: string[] = [];
  const take = (name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    secretEnvNames.push(name);
    return env[name];
  };
  const auth = base.metrics?.auth;
  if (auth?.type === 'bearer') {
    const token = take(auth.tokenEnv);
    if (token) secrets.metricsToken = token;
  } else if (auth?.type === 'basic') {
    const password = take(auth.passwordEnv);
    const username = auth.username ?? take(auth.usernameEnv) ?? '';
    if (password !== undefined) secrets.metricsBasic = { username, password };
  } else {
    const token = take('RELIA_METRICS_TOKEN');
    if (token) secrets.metricsToken = token;
    const password = take('RELIA_METRICS_PASSWORD');
    if (password !== undefined) secrets.metricsBasic = { username: env.RELIA_METRICS_USERNAME ?? '', password };
  }
  const redisPassword = take(base.redis?.passwordEnv ?? 'RELIA_REDIS_PASSWORD');
  if (redisPassword !== undefined) secrets.redisPassword = redisPassword;
  const redisUsername = take(base.redis?.usernameEnv ?? 'RELIA_REDIS_USERNAME');
  if (redisUsername !== undefined) secrets.redisUsername = redisUsername;
  const fromEnv = (map: Record<string, string> | undefined): Record<string, string> | undefined => {
    if (!map) return undefined;
    const out: Record<string, string> = {};
    for (const [header, name] of Object.entries(map)) {
      const value = take(name);
      if (value !== undefined && value !== '') out[header] = value;
    }
    return out;
  };
  const metricsHeaders = fromEnv(base.metrics?.headersFromEnv);
  if (metricsHeaders) secrets.metricsHeaders = metricsHeaders;
  const httpHeaders = fromEnv(base.http?.headersFromEnv);
  if (httpHeaders) secrets.httpHeaders = httpHeaders;

  return {
    file: input.file?.path ?? null,
    environment,
    config,
    settings: base,
    sources,
    secrets,
    secretEnvNames: [...new Set(secretEnvNames)],
    secretsSet: [...new Set(secretEnvNames)].filter((name) => env[name] !== undefined && env[name] !== ''),
  };
}

/** The resolved config as it may be printed: secrets replaced by where they come from. */
export function redactedView(resolved: ResolvedConfig): Record<string, unknown> {
  const settings = structuredClone(resolved.settings) as Record<string, unknown>;
  const metrics = settings.metrics as Record<string, unknown> | undefined;
  if (metrics) {
    if (resolved.secrets.metricsToken !== undefined) metrics.credentials = 'bearer token: ***';
    else if (resolved.secrets.metricsBasic !== undefined) metrics.credentials = `basic: ${resolved.secrets.metricsBasic.username || '(no user)'}:***`;
    metrics.url = redactUrl(String(metrics.url));
    // Defence in depth: literal credential headers are refused at load, but never print one.
    if (metrics.headers) metrics.headers = redactHeaders(metrics.headers as Record<string, string>);
    if (resolved.secrets.metricsHeaders) metrics.credentialHeaders = Object.keys(resolved.secrets.metricsHeaders).map((h) => `${h}: ${REDACTED}`);
  }
  const http = settings.http as Record<string, unknown> | undefined;
  if (http) {
    if (http.headers) http.headers = redactHeaders(http.headers as Record<string, string>);
    if (resolved.secrets.httpHeaders) http.credentialHeaders = Object.keys(resolved.secrets.httpHeaders).map((h) => `${h}: ${REDACTED}`);
  }
  const redis = settings.redis as Record<string, unknown> | undefined;
  if (redis) {
    redis.url = redactUrl(String(redis.url));
    if (resolved.secrets.redisPassword !== undefined) redis.credentials = 'password: ***';
  }
  return {
    file: resolved.file,
    environment: resolved.environment,
    environments: Object.keys(resolved.config.environments),
    settings,
    sources: resolved.sources,
    secretsFrom: Object.fromEntries(resolved.secretEnvNames.map((name) => [name, resolved.secretsSet.includes(name) ? 'set' : 'unset'])),
  };
}

/** Remove userinfo passwords from a URL (`redis://:pw@host` → `redis://:***@host`). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Redact every known secret value (the config's, and `extra` values such as a
 * chaos experiment's secrets) from free text, then every credential
 * recognisable by its shape (`redactCredentials`: URL passwords, credential
 * headers, secret query parameters). For every failure text and --verbose line.
 */
export function redactText(text: string, secrets: Secrets, extra: readonly string[]): string {
  // one list, longest first: a secret holding another whole is replaced before the other can leave its tail
  const values = redactableValues([
    ...extra,
    secrets.metricsToken,
    secrets.metricsBasic?.password,
    secrets.redisPassword,
    ...Object.values(secrets.metricsHeaders ?? {}),
    ...Object.values(secrets.httpHeaders ?? {}),
  ]);
  let out = text;
  for (const v of values) out = out.split(v).join(REDACTED);
  return redactCredentials(out);
}
