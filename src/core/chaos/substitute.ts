/**
 * Configuration and secrets, as chaostoolkit defines them, and `${name}`
 * substitution. Values of `{type: env, key: NAME}` come from the environment
 * the CLI hands in (never `process.env` here); `--var key=value` overrides
 * configuration. A secret whose variable is unset is an InputError naming the
 * field and the variable. Pure.
 */
import { InputError } from '../errors.js';
import { redactableValues } from '../secrets.js';

export interface Resolved {
  /** Flat name → value (configuration, then secrets by their key). */
  values: Record<string, unknown>;
  /** Secret values, to redact. */
  secretValues: string[];
}

interface EnvRef {
  type: 'env';
  key: string;
  default?: unknown;
  env_var_type?: string;
}

function isEnvRef(v: unknown): v is EnvRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as EnvRef).type === 'env' && typeof (v as EnvRef).key === 'string';
}

/** chaostoolkit's `env_var_type` names (with its aliases) → the type relia converts to. */
const ENV_VAR_TYPES = new Map<string, 'str' | 'int' | 'float' | 'bool' | 'json'>([
  ['str', 'str'],
  ['string', 'str'],
  ['int', 'int'],
  ['integer', 'int'],
  ['float', 'float'],
  ['number', 'float'],
  ['bool', 'bool'],
  ['json', 'json'],
]);

function convert(raw: string, type: string | undefined, field: string, file: string): unknown {
  if (type === undefined) return raw;
  const kind = ENV_VAR_TYPES.get(type);
  if (kind === undefined) {
    throw new InputError(`${file}: ${field}.env_var_type: ${JSON.stringify(type)} is not a type the variable can be converted to (str, int, float, bool, json)`, {
      file,
      field: `${field}.env_var_type`,
      suggestions: ['use env_var_type str, int, float, bool or json'],
    });
  }
  if (kind === 'int' || kind === 'float') {
    const n = Number(raw);
    if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) {
      throw new InputError(`${file}: ${field}: expected ${kind === 'int' ? 'an integer' : 'a number'} in the variable, got ${JSON.stringify(raw)}`, {
        file,
        field,
        suggestions: ['set the variable to a number'],
      });
    }
    return n;
  }
  if (kind === 'bool') return /^(?:1|true|yes|on)$/i.test(raw);
  if (kind === 'json') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new InputError(`${file}: ${field}: the variable is not valid JSON`, { file, field, suggestions: ['set the variable to a JSON document'] });
    }
  }
  return raw;
}

function resolveValue(value: unknown, field: string, file: string, env: Record<string, string | undefined>, secret: boolean): unknown {
  if (!isEnvRef(value)) return value;
  const found = env[value.key];
  if (found === undefined || found === '') {
    if ('default' in value) return value.default;
    throw new InputError(`${file}: ${field}: environment variable ${value.key} is not set`, {
      file,
      field,
      suggestions: [`export ${value.key}=...${secret ? ' (a secret: never write it into the file)' : ''}`, secret ? 'or remove the secret if nothing uses it' : `or pass --var ${field.split('.').pop() ?? value.key}=VALUE`],
    });
  }
  return convert(found, value.env_var_type, field, file);
}

/**
 * Resolve `configuration` (name → literal | env ref) and `secrets`
 * (scope → name → literal | env ref). `vars` (from --var/--var-file) win over
 * configuration entries of the same name.
 */
export function resolveConfiguration(
  configuration: Record<string, unknown> | undefined,
  secrets: Record<string, Record<string, unknown>> | undefined,
  env: Record<string, string | undefined>,
  vars: Record<string, string>,
  file: string,
  names: { configuration: string; secrets: string } = { configuration: 'configuration', secrets: 'secrets' },
): Resolved {
  const values: Record<string, unknown> = { ...vars };
  const secretValues: string[] = [];
  for (const [name, value] of Object.entries(configuration ?? {})) {
    if (!Object.hasOwn(vars, name)) values[name] = resolveValue(value, `${names.configuration}.${name}`, file, env, false);
  }
  for (const [scope, entries] of Object.entries(secrets ?? {})) {
    if (typeof entries !== 'object' || entries === null) continue;
    for (const [name, value] of Object.entries(entries)) {
      const v = resolveValue(value, `${names.secrets}.${scope}.${name}`, file, env, true);
      if (!Object.hasOwn(values, name)) values[name] = v;
      if (v !== undefined && v !== null && String(v) !== '') secretValues.push(String(v));
    }
  }
  return { values, secretValues };
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

/**
 * Replace `${name}` in every string of `data`. A string that is exactly one
 * placeholder takes the value's own type (chaostoolkit does the same).
 * Unknown names are InputErrors naming the field.
 */
export function substitute(data: unknown, values: Record<string, unknown>, path: string, file: string): unknown {
  if (typeof data === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}$/.exec(data);
    if (whole && Object.hasOwn(values, whole[1] as string)) return values[whole[1] as string];
    return data.replace(PLACEHOLDER, (match, name: string) => {
      if (!Object.hasOwn(values, name)) {
        throw new InputError(`${file}: ${path}: \${${name}} is not defined in configuration or secrets`, {
          file,
          field: path,
          suggestions: [`add ${name} under configuration, or pass --var ${name}=VALUE`],
        });
      }
      const v = values[name];
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(data)) return data.map((x, i) => substitute(x, values, `${path}[${i}]`, file));
  if (typeof data === 'object' && data !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) out[k] = substitute(v, values, path === '' ? k : `${path}.${k}`, file);
    return out;
  }
  return data;
}

/** Replace every secret value by `***` in any JSON-like value. */
export function redact<T>(data: T, secretValues: readonly string[]): T {
  const secrets = redactableValues(secretValues);
  // Stryker disable next-line ConditionalExpression: equivalent, with no secrets the walk returns an equal copy (a shortcut only)
  if (secrets.length === 0) return data;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let out = v;
      for (const s of secrets) out = out.split(s).join('***');
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(data) as T;
}
