/**
 * The halt switch (a kill switch, as FIS has one). A halt is a small JSON
 * record in a file under the config dir and, when configured, under a Redis
 * key and in a ConfigMap, so a halt set on one machine reaches runs on
 * others. `read` answers from the first place that holds one; a place that
 * cannot be read throws, and the engine treats that as halted (fail closed).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HaltState } from '../../core/chaos/engine.js';
import type { ResolvedConfig } from '../../core/config/resolve.js';
import type { ActivityPorts } from '../../core/chaos/activity.js';
import { writeFileAtomic } from '../files.js';

export interface HaltRecord extends HaltState {
  reason: string;
  at: string;
  by: string;
}

export interface HaltPlaces {
  file: string;
  redisKey?: string;
  configMap?: { namespace: string; name: string };
}

/** Where the halt lives, from `chaos.halt` and the CLI's config dir. */
export function haltPlaces(resolved: ResolvedConfig, configDir: string): HaltPlaces {
  const h = resolved.config.chaos?.halt;
  const out: HaltPlaces = { file: h?.file ?? join(configDir, 'chaos-halt.json') };
  if (h?.redisKey) out.redisKey = h.redisKey;
  if (h?.configMap) {
    const [namespace, name] = h.configMap.split('/') as [string, string];
    out.configMap = { namespace, name };
  }
  return out;
}

function parseRecord(text: string, where: string): HaltRecord {
  const data = JSON.parse(text) as Partial<HaltRecord>;
  if (typeof data !== 'object' || data === null) throw new Error(`${where}: not a halt record`);
  return { reason: String(data.reason ?? 'halted'), at: String(data.at ?? ''), by: String(data.by ?? '') };
}

export class HaltSwitch {
  constructor(
    private readonly places: HaltPlaces,
    private readonly ports: ActivityPorts,
  ) {}

  describe(): string[] {
    const out = [`file ${this.places.file}`];
    if (this.places.redisKey) out.push(`redis key ${this.places.redisKey}`);
    if (this.places.configMap) out.push(`configmap ${this.places.configMap.namespace}/${this.places.configMap.name}`);
    return out;
  }

  async read(signal?: AbortSignal): Promise<HaltRecord | null> {
    if (existsSync(this.places.file)) return parseRecord(readFileSync(this.places.file, 'utf8'), this.places.file);
    if (this.places.redisKey) {
      const cache = await this.ports.get('cache');
      const [value] = await cache.getMany([this.places.redisKey]);
      if (value) return parseRecord(value.toString('utf8'), `redis ${this.places.redisKey}`);
    }
    if (this.places.configMap) {
      const cluster = await this.ports.get('cluster');
      const { namespace, name } = this.places.configMap;
      const data = await cluster.getConfigMap(namespace, name, signal ? { signal } : undefined);
      if (data) return { reason: data.reason ?? 'halted', at: data.at ?? '', by: data.by ?? '' };
    }
    return null;
  }

  /** Set the halt everywhere configured; returns where it was written. */
  async set(record: HaltRecord): Promise<string[]> {
    const json = JSON.stringify(record);
    writeFileAtomic(this.places.file, `${json}\n`);
    if (this.places.redisKey) await (await this.ports.get('cache')).setMany([{ key: this.places.redisKey, value: Buffer.from(json) }]);
    if (this.places.configMap) {
      const { namespace, name } = this.places.configMap;
      await (await this.ports.get('cluster')).putConfigMap(namespace, name, { reason: record.reason, at: record.at, by: record.by });
    }
    return this.describe();
  }

  /** Clear the halt everywhere configured; returns where it was cleared. */
  async clear(): Promise<string[]> {
    rmSync(this.places.file, { force: true });
    if (this.places.redisKey) await (await this.ports.get('cache')).deleteMany([this.places.redisKey]);
    if (this.places.configMap) {
      const { namespace, name } = this.places.configMap;
      await (await this.ports.get('cluster')).deleteConfigMap(namespace, name);
    }
    return this.describe();
  }
}
