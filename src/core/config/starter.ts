/** The starter config `relia init` writes. Pure: returns text, validated by the same schema. */
import { InputError } from '../errors.js';
import { parseConfig } from './resolve.js';

/** The `relia init` flag behind each option, for error messages. */
const STARTER_FLAGS = { prometheusUrl: '--prometheus-url', redisUrl: '--redis-url', tokenEnv: '--token-env', environment: '--environment' } as const;

export interface StarterOptions {
  environment: string;
  prometheusUrl?: string;
  redisUrl?: string;
  tokenEnv?: string;
}

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
  const text = `${lines.join('\n')}\n`;
  // Never write what we would refuse to read; name the option that caused it.
  try {
    parseConfig(text, 'relia.config.yaml');
  } catch (error) {
    const field = (error as InputError).field ?? '';
    const option = field.endsWith('metrics.url') ? 'prometheusUrl' : field.endsWith('redis.url') ? 'redisUrl' : field.includes('tokenEnv') ? 'tokenEnv' : 'environment';
    throw new InputError(`${STARTER_FLAGS[option]}: ${(error as Error).message.replace(/^.*?: .*?: /, '')}`, {
      field: STARTER_FLAGS[option],
      suggestions: (error as InputError).suggestions,
    });
  }
  return text;
}
