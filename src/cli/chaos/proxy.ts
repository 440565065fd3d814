/**
 * `relia chaos proxy`: the fault proxy on its own, in the foreground, until
 * SIGINT/SIGTERM (or `--duration`). Parses the flags with the same pure
 * parsers the `network.*` actions use, starts the proxy through the providers
 * hook, and reports its figures when it stops.
 */
import { hostPort } from '../../core/chaos/actions/common.js';
import { describeToxics, parseToxics, toxicDecisions } from '../../core/chaos/toxics.js';
import { seededRandom } from '../../core/cache/random.js';
import { InputError } from '../../core/errors.js';
import { parseDuration } from '../../core/units.js';
import type { Clock } from '../../ports/clock.js';
import type { ProxyStats } from '../../ports/proxy.js';
import type { ProviderRegistry } from '../providers.js';
import { proxyFromConfig } from '../providers.js';

export interface ProxyFlags {
  listen: string;
  upstream: string;
  latency?: string | undefined;
  jitter?: string | undefined;
  loss?: string | undefined;
  bandwidth?: string | undefined;
  'reset-after'?: string | undefined;
  timeout?: string | undefined;
  seed?: number | undefined;
  duration?: string | undefined;
}

export interface ProxyRunResult {
  listen: string;
  upstream: string;
  toxics: string;
  /** Milliseconds the proxy ran. */
  ranMs: number;
  stats: ProxyStats;
}

function address(value: string, flag: string): { host: string; port: number } {
  const r = hostPort.safeParse(/^\d+$/.test(value) ? Number(value) : value);
  if (!r.success) throw new InputError(`${flag}: expected PORT or HOST:PORT such as 127.0.0.1:8080, got ${JSON.stringify(value)}`, { field: flag, suggestions: [`e.g. ${flag} 127.0.0.1:8080`] });
  return r.data;
}

/** Run the proxy until `signal` aborts or `--duration` passes; resolves with its figures. */
export async function runStandaloneProxy(
  flags: ProxyFlags,
  deps: { registry: ProviderRegistry; clock: Clock; signal: AbortSignal; random: () => number; started: (line: string) => void; defer: (name: string, fn: () => Promise<void>) => void },
): Promise<ProxyRunResult> {
  const listen = address(flags.listen, '--listen');
  const upstream = address(flags.upstream, '--upstream');
  const toxics = parseToxics(
    { latency: flags.latency, jitter: flags.jitter, loss: flags.loss, bandwidth: flags.bandwidth, resetAfter: flags['reset-after'], timeout: flags.timeout },
    '--',
    { resetAfter: '--reset-after' },
  );
  const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration, '--duration') * 1000;
  const port = await proxyFromConfig(deps.registry);
  const handle = await port.start({
    listenHost: listen.host,
    listenPort: listen.port,
    upstreamHost: upstream.host,
    upstreamPort: upstream.port,
    toxics,
    random: flags.seed !== undefined ? seededRandom(flags.seed) : deps.random,
    decisions: toxicDecisions,
  });
  deps.defer('fault proxy', () => handle.close());
  const began = deps.clock.now();
  const where = `${handle.host}:${handle.port}`;
  deps.started(`relia chaos proxy: listening on ${where} → ${upstream.host}:${upstream.port} (${describeToxics(toxics)})`);
  const result = (): ProxyRunResult => ({ listen: where, upstream: `${upstream.host}:${upstream.port}`, toxics: describeToxics(toxics), ranMs: deps.clock.now() - began, stats: handle.stats() });
  try {
    await (durationMs === undefined ? new Promise<never>((_, reject) => deps.signal.addEventListener('abort', () => reject(deps.signal.reason), { once: true })) : deps.clock.sleep(durationMs, deps.signal));
  } catch (err) {
    deps.started(`relia chaos proxy: stopped after ${Math.round((deps.clock.now() - began) / 1000)}s: ${JSON.stringify(result().stats)}`);
    throw err;
  }
  await handle.close();
  return result();
}
