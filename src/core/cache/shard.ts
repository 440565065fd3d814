/**
 * Deterministic sharding of a key list: key k belongs to shard
 * `fnv1a32(k) mod n`. Every key is in exactly one shard, whatever the order
 * or the machine, so n workers (an Indexed Job, n cron entries) split the work
 * without talking to each other. Pure.
 */
import { InputError } from '../errors.js';
import { fnv1a32 } from './hash.js';

export interface Shard {
  /** 0-based, < count. */
  index: number;
  /** ≥ 1. */
  count: number;
}

export interface ParseShardOptions {
  /**
   * Environment used to resolve `$(NAME)`, `${NAME}` or `$NAME` in the index
   * (the command passes `process.env`). Kubernetes expands `$(NAME)` in a
   * container's args itself; this covers the cases where it did not.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Flag named in errors. Default `--shard`. */
  field?: string;
}

const SHARD_RE = /^\s*(\S+?)\s*\/\s*(\S+)\s*$/;
const ENV_RE = /^\$(?:\(([A-Za-z_][A-Za-z0-9_]*)\)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/**
 * Parse `i/n` (0 ≤ i < n). The index may be an environment reference such as
 * `$(JOB_COMPLETION_INDEX)/8`, resolved from `options.env`.
 */
export function parseShard(input: string, options: ParseShardOptions = {}): Shard {
  const field = options.field ?? '--shard';
  const example = `write it like 0/4 (this worker's index / number of workers), or $(JOB_COMPLETION_INDEX)/4 in an Indexed Job`;
  const m = SHARD_RE.exec(input);
  if (!m) throw new InputError(`${field}: expected i/n, got ${JSON.stringify(input)}`, { field, suggestions: [example] });
  let indexText = m[1] as string;
  const countText = m[2] as string;
  const ref = ENV_RE.exec(indexText);
  if (ref) {
    const name = (ref[1] ?? ref[2] ?? ref[3]) as string;
    const value = options.env?.[name];
    if (value === undefined || value.trim() === '') {
      throw new InputError(`${field}: ${indexText} is not set in the environment, so the shard index is unknown`, {
        field,
        suggestions: [
          name === 'JOB_COMPLETION_INDEX'
            ? 'JOB_COMPLETION_INDEX is set by Kubernetes in Indexed Jobs (completionMode: Indexed); elsewhere pass the index as a number'
            : `set ${name}, or pass the index as a number`,
          example,
        ],
      });
    }
    indexText = value.trim();
  }
  if (!/^\d+$/.test(indexText) || !/^\d+$/.test(countText)) {
    throw new InputError(`${field}: expected two whole numbers i/n, got ${JSON.stringify(input)}`, { field, suggestions: [example] });
  }
  const index = Number(indexText);
  const count = Number(countText);
  if (count < 1 || !Number.isSafeInteger(count)) {
    throw new InputError(`${field}: the number of shards must be at least 1, got ${countText}`, { field, suggestions: [example] });
  }
  if (index >= count) {
    throw new InputError(`${field}: the shard index ${index} must be below the number of shards ${count} (indices are 0-based)`, {
      field,
      suggestions: [`use 0/${count} … ${count - 1}/${count}`],
    });
  }
  return { index, count };
}

/** `i/n`. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The shard (0..count-1) that owns `key`. */
export function shardOf(key: string, count: number): number {
  return fnv1a32(key) % count;
}

/** True when `key` belongs to `shard`. */
export function inShard(key: string, shard: Shard): boolean {
  return shardOf(key, shard.count) === shard.index;
}

/** The keys of one shard, in their original order. No shard: all keys. */
export function applyShard(keys: readonly string[], shard?: Shard): string[] {
  if (!shard) return [...keys];
  return keys.filter((k) => inShard(k, shard));
}
