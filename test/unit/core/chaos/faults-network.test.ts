/**
 * network.* faults as a user meets them: what `chaos plan` prints, the
 * validation messages, the journal events and manual undo, reproducible loss
 * with `seed`, a proxy started again after its undo, and that only network
 * actions start proxies before the steady state.
 */
import { describe, expect, it } from 'vitest';
import { networkActions, startProxiesFor } from '../../../../src/core/chaos/actions/network.js';
import { MemoryFaultProxy } from '../../../fakes/memory-proxy.js';
import { inputError } from '../../../helpers/errors.js';
import { args, faultsCtx } from './faults-ctx.js';

const action = (type: string) => {
  const a = networkActions.find((d) => d.type === type);
  if (!a) throw new Error(`no ${type}`);
  return a;
};
const latency = action('network.latency');
const loss = action('network.loss');
const manualUndo = 'nothing to do by hand: the proxy stops when relia exits';

describe('network actions: plan and validation', () => {
  it('the plan names the proxy, the upstream, the toxics and how long', async () => {
    const undo = 'clear the toxics (pass-through), then stop the proxy at the end of the run';
    expect(await latency.plan(args(latency, { listen: 18080, upstream: '127.0.0.1:8080', latency: '300ms', jitter: '50ms', duration: '90s' }), faultsCtx({}))).toEqual({
      targets: [{ kind: 'proxy', id: '127.0.0.1:18080', detail: '→ 127.0.0.1:8080' }],
      does: 'proxy 127.0.0.1:18080 → 127.0.0.1:8080 with latency 300ms ±50ms for 90s',
      undo,
    });
    expect((await loss.plan(args(loss, { listen: 18080, upstream: 8080, loss: '2%' }), faultsCtx({}))).does).toBe('proxy 127.0.0.1:18080 → 127.0.0.1:8080 with loss 2%');
  });

  it('a bad toxic is exit 2 naming the field once, with what was expected', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ latency: 'soon' }, 'latency: expected a duration such as 30s, 5m, 1h30m, 30d, got "soon"'],
      [{ latency: '1ms', jitter: '5ms', loss: '120%' }, 'loss: expected a fraction between 0 and 1 (or 0% to 100%), got "120%"'],
      [{ latency: '1ms', bandwidth: 'fast' }, 'bandwidth: expected a bandwidth such as 1MB/s, 512KB/s or 8Mbps, got "fast"'],
    ];
    for (const [raw, message] of cases) expect(inputError(() => args(action('network.proxy'), { listen: 1, upstream: 2, ...raw })).message).toBe(message);
    expect(inputError(() => args(action('network.proxy'), { listen: 1, upstream: 2, jitter: '5ms' })).message).toBe('jitter: jitter needs a latency to vary around');
  });
});

describe('network actions: run and undo', () => {
  it('journals the toxics it set and, after duration, the pass-through; then its undo leaves the proxy alone', async () => {
    const proxy = new MemoryFaultProxy();
    const ctx = faultsCtx({ proxy });
    await latency.run(args(latency, { listen: 0, upstream: 8080, latency: 200, duration: '30s' }), ctx);
    expect(ctx.events).toEqual([
      { event: 'network.toxics', detail: { proxy: '127.0.0.1:41000', toxics: 'latency 200ms' } },
      { event: 'network.toxics', detail: { proxy: '127.0.0.1:41000', toxics: 'pass-through' } },
    ]);
    expect(ctx.injections.map((i) => i.manualUndo)).toEqual([manualUndo, manualUndo]);
    const h = proxy.handles[0]!;
    expect(h.history.map((t) => t?.latencyMs ?? null)).toEqual([null, 200, null]);
    await ctx.undoAll();
    expect(h.history).toHaveLength(3);
    expect(h.closed).toBe(true);
  });

  it('after its undo closed the proxy, the next action on that address starts a new one', async () => {
    const proxy = new MemoryFaultProxy();
    const ctx = faultsCtx({ proxy });
    const a = args(latency, { listen: 18090, upstream: 8080, latency: '5ms' });
    await latency.run(a, ctx);
    await ctx.undoAll();
    await latency.run(a, ctx);
    expect(proxy.handles.map((h) => h.closed)).toEqual([true, false]);
    expect(proxy.handles[1]!.toxics?.latencyMs).toBe(5);
  });

  it('seed makes the refused connections the same whatever the run\'s random; without it the run\'s random decides', async () => {
    const refusals = async (raw: Record<string, unknown>, runSeed: number) => {
      const proxy = new MemoryFaultProxy();
      await loss.run(args(loss, { listen: 0, upstream: 8080, loss: '50%', ...raw }), faultsCtx({ proxy }, { seed: runSeed }));
      return Array.from({ length: 24 }, () => proxy.handles[0]!.connect()).join(',');
    };
    expect(await refusals({ seed: 7 }, 1)).toBe(await refusals({ seed: 7 }, 2));
    expect(await refusals({}, 1)).toBe(await refusals({}, 1));
    expect(await refusals({}, 1)).not.toBe(await refusals({}, 2));
    expect(await refusals({ seed: 7 }, 1)).toMatch(/refused/);
    expect(await refusals({ seed: 7 }, 1)).toMatch(/forwarded/);
  });

  it('startProxiesFor starts proxies for network actions only', async () => {
    const proxy = new MemoryFaultProxy();
    const ctx = faultsCtx({ proxy });
    const started = await startProxiesFor([{ type: 'custom.thing', args: { listen: 18083, upstream: 8080 } }, { type: 'network.proxy', args: { listen: 18084, upstream: 8080 } }], ctx.ports, ctx.random);
    expect(started).toEqual(['127.0.0.1:18084 → 127.0.0.1:8080']);
    expect(proxy.handles.map((h) => h.port)).toEqual([18084]);
  });
});
