/**
 * Emitted manifests never carry a credential. A password in a Redis URL of the
 * warm arguments (`redis://:PASS@host`) is taken out of the URL and the
 * container gets RELIA_REDIS_PASSWORD from a Secret (`secretKeyRef`) instead;
 * any other credential (a password in another URL, a credential `--header`)
 * is refused, exit 2. Pure.
 */
import { InputError } from '../errors.js';
import { isCredentialHeader, stripUrlPassword, urlPassword } from '../secrets.js';

export interface SecretKeyEnv {
  /** Environment variable of the container. */
  env: string;
  /** Secret name and key it comes from. */
  secret: string;
  key: string;
}

export interface ScrubbedArgs {
  args: string[];
  /** Env vars the container must take from Secrets (empty when nothing was scrubbed). */
  secretEnv: SecretKeyEnv[];
  /** The Secrets the user must create (name and key), to tell them. */
  secretsNeeded: Array<{ secret: string; key: string }>;
}

/** The flags whose Redis URL may hand its password to the Secret (`has(undefined)`: a bare argument, never). */
const REDIS_FLAGS: ReadonlySet<string | undefined> = new Set(['--target', '-t', '--from']);

/**
 * Take credentials out of `relia cache warm` arguments. `secretName` is the
 * Secret that holds the Redis password (key `password`).
 */
export function scrubManifestArgs(args: readonly string[], secretName: string): ScrubbedArgs {
  const out: string[] = [];
  const passwords = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.startsWith('-') ? a.indexOf('=') : -1;
    if (eq !== -1) {
      // --flag=value
      const flag = a.slice(0, eq);
      out.push(`${flag}=${scrubValue(flag, a.slice(eq + 1), passwords)}`);
      continue;
    }
    // --flag value: the next argument, unless that is a flag too
    if (a.startsWith('-') && i + 1 < args.length && !(args[i + 1] as string).startsWith('-')) {
      out.push(a, scrubValue(a, args[++i] as string, passwords));
      continue;
    }
    out.push(scrubValue(undefined, a, passwords));
  }
  if (passwords.size > 1) {
    throw new InputError('--emit: --target and --from have different passwords; the manifest can take one RELIA_REDIS_PASSWORD from a Secret', {
      field: '--from',
      suggestions: ['use one Redis user for both, or run the copy from a shell instead of an emitted manifest'],
    });
  }
  if (passwords.size === 0) return { args: out, secretEnv: [], secretsNeeded: [] };
  return { args: out, secretEnv: [{ env: 'RELIA_REDIS_PASSWORD', secret: secretName, key: 'password' }], secretsNeeded: [{ secret: secretName, key: 'password' }] };
}

function scrubValue(flag: string | undefined, value: string, passwords: Set<string>): string {
  if (flag === '--header' || flag === '-H') {
    const name = value.slice(0, Math.max(0, value.indexOf(':'))).trim();
    if (isCredentialHeader(name)) {
      throw new InputError(`--emit: the manifest would carry the credential header ${name} in its arguments`, {
        field: '--header',
        suggestions: ['configure it as http.headersFromEnv in relia.config.yaml and expose that variable from a Secret (--secret-env)'],
      });
    }
    return value;
  }
  const password = urlPassword(value);
  if (password === undefined) return value;
  if (REDIS_FLAGS.has(flag) && /^rediss?:\/\//i.test(value)) {
    passwords.add(password);
    return stripUrlPassword(value);
  }
  throw new InputError(`--emit: the manifest would carry a password in ${flag ?? 'an argument'} (${stripUrlPassword(value)})`, {
    field: flag ?? '--emit',
    suggestions: ['take the password out of the URL and give it through the config (tokenEnv/passwordEnv) from a Secret (--secret-env)'],
  });
}
