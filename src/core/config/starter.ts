/**
 * The starter config `relia init` writes, and the checks of each answer. Pure:
 * returns text, validated by the same schema the commands read it with; the
 * answer checks are the schema's own field checks, so the wizard can reject a
 * bad answer while it is being typed.
 */
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { parseConfig } from './resolve.js';
import { EnvironmentNameSchema, EnvVarNameSchema, MetricsSchema, RedisSchema } from './schema.js';

/** The `relia init` flag behind each option, for error messages. */
export const STARTER_FLAGS = {
  prometheusUrl: '--prometheus-url',
  redisUrl: '--redis-url',
  tokenEnv: '--token-env',
  environment: '--environment',
  sloDir: '--slo-dir',
} as const;

export type StarterField = keyof typeof STARTER_FLAGS;

export interface StarterOptions {
  environment: string;
  prometheusUrl?: string;
  redisUrl?: string;
  /** The name of the environment variable that holds the Prometheus bearer token (never the token). */
  tokenEnv?: string;
  /** The SLO spec directory, written as budget.slos (relative to the config file). */
  sloDir?: string;
}

const FIELD_SCHEMAS: Record<Exclude<StarterField, 'sloDir'>, z.ZodType> = {
  environment: EnvironmentNameSchema,
  prometheusUrl: MetricsSchema.shape.url,
  redisUrl: RedisSchema.shape.url,
  tokenEnv: EnvVarNameSchema,
};

/**
 * Check one answer with the config schema's own rule for that field (plus the
 * mistakes people make there). Returns the problem, or null when it is fine.
 */
export function checkStarterAnswer(field: StarterField, value: string): string | null {
  const v = value.trim();
  if (field === 'sloDir') return v === '' ? 'expected a directory, e.g. slos' : null;
  const result = FIELD_SCHEMAS[field].safeParse(v);
  if (!result.success) {
    // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, a failed zod parse has at least one issue, and every issue has a message
    const message = result.error.issues[0]?.message ?? 'invalid value';
    return field === 'tokenEnv' ? `${message} (the variable's name, not the token itself)` : message;
  }
  if (field === 'prometheusUrl' && /\/api\/v1\/?$/.test(v)) return `drop /api/v1 from the URL (relia adds /api/v1/query itself): ${v.replace(/\/api\/v1\/?$/, '')}`;
  return null;
}

/** A path as a YAML scalar: plain when that is unambiguous, else double-quoted. */
const yamlPath = (p: string) => (/^[A-Za-z0-9_./-]+$/.test(p) && !/^[-.]/.test(p) ? p : JSON.stringify(p));

export function renderStarterConfig(o: StarterOptions): string {
  const lines = [
    '# relia configuration. Reference: docs/config.md',
    '# Secrets never go here: name the environment variable that holds them (tokenEnv, passwordEnv).',
    'version: 1',
    `defaultEnvironment: ${o.environment}`,
    'environments:',
    `  ${o.environment}:`,
  ];
  if (o.prometheusUrl) {
    lines.push('    metrics:', '      provider: prometheus', `      url: ${o.prometheusUrl}`, '      timeout: 10s', '      retries: 2');
    if (o.tokenEnv) lines.push('      auth:', '        type: bearer', `        tokenEnv: ${o.tokenEnv}`);
  }
  if (o.redisUrl) lines.push('    redis:', `      url: ${o.redisUrl}`, '      timeout: 5s');
  lines.push('    http:', '      timeout: 10s', '      userAgent: relia');
  if (o.sloDir) lines.push('budget:', '  # SLO specs read by budget status/check/validate when --slo is not given (relative to this file).', '  slos:', `    - ${yamlPath(o.sloDir)}`);
  const text = `${lines.join('\n')}\n`;
  // Never write what we would refuse to read; name the option that caused it.
  try {
    parseConfig(text, 'relia.config.yaml');
  } catch (error) {
    // Stryker disable next-line StringLiteral: equivalent, any text that neither ends in metrics.url or redis.url nor holds tokenEnv gives 'environment', as '' does
    const field = (error as InputError).field ?? '';
    const option: StarterField = field.endsWith('metrics.url') ? 'prometheusUrl' : field.endsWith('redis.url') ? 'redisUrl' : field.includes('tokenEnv') ? 'tokenEnv' : 'environment';
    throw new InputError(`${STARTER_FLAGS[option]}: ${(error as Error).message.replace(/^.*?: .*?: /, '')}`, {
      field: STARTER_FLAGS[option],
      suggestions: (error as InputError).suggestions,
    });
  }
  return text;
}

/** The example SLO spec `relia init` offers to create (relia's native format, docs/budget-specs.md). */
export function exampleSloSpec(): string {
  return [
    '# An example SLO in relia\'s native format (docs/budget-specs.md). Edit the service,',
    '# the objective and the two PromQL queries to match your metrics; {{.window}} is',
    '# replaced by each window relia evaluates.',
    'apiVersion: relia/v1',
    'kind: SLO',
    'service: example',
    'name: availability',
    'description: Requests that do not fail with a 5xx.',
    'objective: 99.9',
    'window: 30d',
    'sli:',
    '  bad: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
    '  total: sum(rate(http_requests_total[{{.window}}]))',
    '',
  ].join('\n');
}

export interface NextCommandsInput {
  bin: string;
  prometheusUrl?: string | undefined;
  sloDir?: string | undefined;
  redisUrl?: string | undefined;
  /** `--config PATH` to add when the config is not where relia looks by itself (null: it is). */
  configPath: string | null;
}

/** The next three commands to try, tailored to what was configured. */
export function nextCommands(o: NextCommandsInput): string[] {
  const cfg = o.configPath === null ? '' : ` --config ${/^[A-Za-z0-9_./-]+$/.test(o.configPath) ? o.configPath : `'${o.configPath.replace(/'/g, `'\\''`)}'`}`;
  const r = (rest: string) => `${o.bin} ${rest.replace(/^(\S+ \S+)/, `$1${cfg}`)}`;
  const tailored: string[] = [];
  if (o.sloDir && o.prometheusUrl) tailored.push(r('budget status'), r('budget check'));
  else if (o.sloDir) tailored.push(r('budget validate'), r('budget status --prometheus http://HOST:9090'));
  else if (o.prometheusUrl) tailored.push(r('budget status --slo SLO_DIR'));
  if (o.redisUrl) tailored.push(r('cache stats'));
  const fallbacks = [`${o.bin} capacity little --arrival-rate 7500/s --time-in-system 180ms`, `${o.bin} help`];
  return [r('config validate'), ...tailored, ...fallbacks].slice(0, 3);
}
