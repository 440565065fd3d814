/**
 * The run's inputs, validated before anything is done: the key list, the
 * header variants, the target's identity, the origin URL template and the
 * TTL (with its jitter).
 */
import type { Random } from '../../../ports/clock.js';
import { InputError } from '../../errors.js';
import { type HeaderVariant, resolveUrl, validateBaseUrl } from '../http-cache.js';
import { type KeyTemplate, parseKeyTemplate } from '../sources.js';
import { KeyList } from './keys.js';
import type { WarmMode, WarmOptions } from './types.js';

/** TTL with jitter: ttl × (1 + jitter × u), u uniform in [-1, 1); whole seconds, at least 1. */
export function jitteredTtl(ttlSeconds: number, jitter: number, random: Random): number {
  const factor = jitter > 0 ? 1 + jitter * (2 * random() - 1) : 1;
  return Math.max(1, Math.round(ttlSeconds * factor));
}

export interface Prepared {
  mode: WarmMode;
  keys: KeyList;
  variants: readonly HeaderVariant[];
  targetId: string;
  details: string[];
  originTemplate?: KeyTemplate;
  ttl?: { seconds: number; jitter: number };
}

export function prepare(o: WarmOptions): Prepared {
  const list = new KeyList(o.shard);
  list.add(o.keys);
  const keys = list.list;
  const t = o.target;
  if (t.kind === 'http') {
    if (t.baseUrl !== undefined) validateBaseUrl(t.baseUrl);
    else for (const k of keys) resolveUrl(k, undefined);
    const variants = t.variants && t.variants.length > 0 ? t.variants : [{}];
    return {
      mode: 'http',
      keys: list,
      variants,
      targetId: t.id ?? t.baseUrl ?? t.http.kind,
      details: [t.method ?? 'GET', t.baseUrl ?? ''],
    };
  }
  let ttl: Prepared['ttl'];
  if (t.ttlSeconds !== undefined) {
    if (!(Number.isFinite(t.ttlSeconds) && t.ttlSeconds > 0)) {
      throw new InputError(`--ttl: expected a duration above zero, got ${t.ttlSeconds} s`, { field: '--ttl', suggestions: ['--ttl 1h'] });
    }
    const jitter = t.ttlJitter ?? 0.1;
    if (!(jitter >= 0 && jitter < 1)) {
      throw new InputError(`--ttl-jitter: expected a fraction from 0 to below 1, got ${jitter}`, { field: '--ttl-jitter', suggestions: ['--ttl-jitter 10%'] });
    }
    ttl = { seconds: t.ttlSeconds, jitter };
  }
  const batch = t.batchSize;
  if (batch !== undefined && !(Number.isInteger(batch) && batch >= 1)) {
    throw new InputError(`--batch: expected a whole number ≥ 1, got ${batch}`, { field: '--batch', suggestions: ['--batch 1000'] });
  }
  const targetId = t.id ?? t.cache.kind;
  if (t.mode === 'copy') {
    return { mode: 'redis-copy', keys: list, variants: [{}], targetId, details: [t.fromId ?? t.from.kind], ...(ttl ? { ttl } : {}) };
  }
  const originTemplate = parseKeyTemplate(t.originUrl, '--origin', ['key']);
  if (originTemplate.placeholders.length !== 1 || !/^https?:\/\//i.test(t.originUrl)) {
    throw new InputError(`--origin: expected an http(s) URL template with only {key}, got ${JSON.stringify(t.originUrl)}`, {
      field: '--origin',
      suggestions: ['--origin http://origin.internal/items/{key}'],
    });
  }
  return { mode: 'redis-origin', keys: list, variants: [{}], targetId, details: [t.originUrl], originTemplate, ...(ttl ? { ttl } : {}) };
}

