/**
 * Network faults through the proxy port: a TCP proxy in this process between
 * clients and a service, with latency, jitter, loss, a bandwidth limit,
 * resets and timeouts. The first action on a listen address starts the proxy
 * (its undo, run last, closes it); each action sets its toxics and its undo
 * clears them, so the proxy passes traffic through again. With `duration`,
 * the action removes its toxics itself after that long.
 *
 * Point clients at `listen` (e.g. the service's URL in the probes and the
 * load) and `upstream` at the real service.
 */
import { z } from 'zod';
import { seededRandom } from '../../cache/random.js';
import type { FaultProxyPort, ProxyHandle } from '../../../ports/proxy.js';
import type { ActionDefinition, ActionRunContext, ActivityPlan, ActivityPorts } from '../activity.js';
import { describeToxics, parseToxics, toxicDecisions } from '../toxics.js';
import { durationMs, hostPort, issueAt, ms } from './common.js';

const toxicValue = z.union([z.string(), z.number()]);

const ProxyArgs = z.strictObject({
  /** Where the proxy listens: `PORT` or `HOST:PORT` (loopback by default). */
  listen: hostPort,
  /** The real service: `HOST:PORT`. */
  upstream: hostPort,
  latency: toxicValue.optional(),
  jitter: toxicValue.optional(),
  /** Share of new connections refused: `1%` or 0.01. */
  loss: toxicValue.optional(),
  /** Bytes per second per direction: `1MB/s`, `512KB/s`, `8Mbps`. */
  bandwidth: toxicValue.optional(),
  /** Cut a connection after this many bytes downstream: `65536`, `64KB`. */
  resetAfter: toxicValue.optional(),
  /** Hold new connections this long, forward nothing, then close. */
  timeout: toxicValue.optional(),
  /** Seed for jitter and loss, for a reproducible run. */
  seed: z.number().int().optional(),
  /** Remove the toxics after this long (default: at rollback). */
  duration: durationMs('30s').optional(),
}).superRefine((a, ctx) => {
  try {
    parseToxics(a);
  } catch (err) {
    const field = (err as { field?: string }).field;
    // parseToxics starts every message with `field: `; the path names the field already
    ctx.addIssue(issueAt(field ? [field] : [], (err as Error).message.replace(`${field}: `, '')));
  }
});
export type ProxyArgs = z.infer<typeof ProxyArgs>;

/** Proxies started in this run, by port instance and listen address: a second action on the same address reuses the proxy. */
const running = new WeakMap<FaultProxyPort, Map<string, ProxyHandle>>();

const addr = (hp: { host: string; port: number }) => `${hp.host}:${hp.port}`;

async function startProxy(port: FaultProxyPort, a: ProxyArgs, random: () => number): Promise<{ handle: ProxyHandle; started: boolean; release: () => void }> {
  let byAddr = running.get(port);
  if (!byAddr) running.set(port, (byAddr = new Map()));
  const key = addr(a.listen);
  const release = () => byAddr.delete(key);
  const existing = byAddr.get(key);
  if (existing) return { handle: existing, started: false, release };
  const handle = await port.start({
    listenHost: a.listen.host,
    listenPort: a.listen.port,
    upstreamHost: a.upstream.host,
    upstreamPort: a.upstream.port,
    toxics: null,
    random: a.seed !== undefined ? seededRandom(a.seed) : random,
    decisions: toxicDecisions,
  });
  byAddr.set(key, handle);
  return { handle, started: true, release };
}

async function proxyFor(a: ProxyArgs, ctx: ActionRunContext): Promise<ProxyHandle> {
  const { handle, started, release } = await startProxy(await ctx.ports.get('proxy'), a, ctx.random);
  if (started) {
    ctx.inject({
      description: `fault proxy listening on ${handle.host}:${handle.port} → ${addr(a.upstream)}`,
      manualUndo: 'nothing to do by hand: the proxy stops when relia exits',
      async undo() {
        release();
        await handle.close();
      },
    });
  }
  return handle;
}

/**
 * Start, in pass-through, the proxy of every `network.*` action of an
 * experiment before its steady state is checked, so probes through the proxy
 * address see the service before any fault. The actions reuse these proxies;
 * they stop when the proxy port closes at the end of the run.
 */
export async function startProxiesFor(activities: ReadonlyArray<{ type: string; args: unknown }>, ports: ActivityPorts, random: () => number): Promise<string[]> {
  const started: string[] = [];
  for (const activity of activities) {
    if (!activity.type.startsWith('network.')) continue;
    const parsed = ProxyArgs.safeParse(activity.args);
    if (!parsed.success) continue;
    const { handle, started: fresh } = await startProxy(await ports.get('proxy'), parsed.data, random);
    if (fresh) started.push(`${handle.host}:${handle.port} → ${addr(parsed.data.upstream)}`);
  }
  return started;
}

function defineNetwork(type: string, summary: string, required?: keyof ProxyArgs): ActionDefinition<ProxyArgs> {
  const args = required ? ProxyArgs.refine((a) => a[required] !== undefined, { path: [required], message: `${type} needs ${required}` }) : ProxyArgs;
  return {
    type,
    summary,
    args,
    async plan(a): Promise<ActivityPlan> {
      const toxics = parseToxics(a);
      return {
        targets: [{ kind: 'proxy', id: addr(a.listen), detail: `→ ${addr(a.upstream)}` }],
        does: `proxy ${addr(a.listen)} → ${addr(a.upstream)} with ${describeToxics(toxics)}${a.duration !== undefined ? ` for ${ms(a.duration)}` : ''}`,
        undo: 'clear the toxics (pass-through), then stop the proxy at the end of the run',
      };
    },
    async run(a, ctx) {
      const toxics = parseToxics(a);
      const handle = await proxyFor(a, ctx);
      handle.set(toxics);
      const where = `${handle.host}:${handle.port}`;
      let cleared = false;
      ctx.inject({
        description: `${describeToxics(toxics)} on proxy ${where} → ${addr(a.upstream)}`,
        manualUndo: 'nothing to do by hand: the proxy stops when relia exits',
        async undo() {
          if (!cleared) handle.set(null);
        },
      });
      ctx.log('network.toxics', { proxy: where, toxics: describeToxics(toxics) });
      if (a.duration !== undefined) {
        await ctx.clock.sleep(a.duration, ctx.signal);
        handle.set(null);
        cleared = true;
        ctx.log('network.toxics', { proxy: where, toxics: 'pass-through' });
      }
      return { proxy: where, upstream: addr(a.upstream), toxics: describeToxics(toxics), stats: handle.stats() };
    },
  };
}

export const networkActions: ActionDefinition<ProxyArgs>[] = [
  defineNetwork('network.proxy', 'TCP fault proxy: any mix of latency, jitter, loss, bandwidth, reset-after and timeout'),
  defineNetwork('network.latency', 'Add latency (± jitter) between clients and a service, through the fault proxy', 'latency'),
  defineNetwork('network.loss', 'Refuse a share of new connections, through the fault proxy', 'loss'),
  defineNetwork('network.bandwidth', 'Limit bandwidth between clients and a service, through the fault proxy', 'bandwidth'),
  defineNetwork('network.reset', 'Cut connections after N bytes, through the fault proxy', 'resetAfter'),
  defineNetwork('network.timeout', 'Hold new connections without answering, then close them, through the fault proxy', 'timeout'),
];
