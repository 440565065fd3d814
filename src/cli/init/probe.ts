/**
 * `relia init` asks whether a Prometheus URL answers, through the same metrics
 * provider the budget commands use (one short query, no retries). A URL that
 * answers but is not a Prometheus HTTP API is a wrong answer; one that does
 * not answer from here is kept with a note (the config may be for elsewhere).
 */
import { resolveConfig } from '../../core/config/resolve.js';
import { renderStarterConfig } from '../../core/config/starter.js';
import { metricsFromConfig, type ProviderRegistry } from '../providers.js';

const firstLine = (message: string) => message.split('\n')[0] ?? message;

export async function probePrometheus(registry: ProviderRegistry, url: string, signal?: AbortSignal): Promise<{ problem: string } | { note: string }> {
  const resolved = resolveConfig({ file: { path: 'relia init', text: renderStarterConfig({ environment: 'init', prometheusUrl: url }) }, env: {} });
  const metrics = resolved.settings.metrics;
  if (metrics) resolved.settings.metrics = { ...metrics, timeout: '3s', retries: 0 };
  const source = await metricsFromConfig(registry, resolved);
  try {
    await source.instant('vector(1)', signal ? { signal } : {});
    return { note: `Prometheus answers at ${url}` };
  } catch (error) {
    const message = firstLine((error as Error).message);
    if (/does not look like a Prometheus HTTP API/.test(message)) {
      const hint = (error as { suggestions?: string[] }).suggestions?.[0];
      return { problem: `${message}${hint ? `; ${hint}` : ''}` };
    }
    const reason = (message.split(': ').at(-1) ?? message).replace(/\s*\(after \d+ attempts?\)$/, '');
    return { note: `no answer from ${url} here (${reason}); kept it: relia budget status will tell` };
  } finally {
    await source.close();
  }
}
