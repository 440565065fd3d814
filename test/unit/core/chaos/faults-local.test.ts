import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../../../src/core/chaos/actions/common.js';
import { httpProbe, prometheusProbe } from '../../../../src/core/chaos/actions/http.js';
import { networkActions, startProxiesFor } from '../../../../src/core/chaos/actions/network.js';
import { processProbe, processRun, processSignal } from '../../../../src/core/chaos/actions/process.js';
import { defaultRegistry } from '../../../../src/core/chaos/actions/index.js';
import { MemoryHttp } from '../../../fakes/memory-http.js';
import { MemoryMetrics } from '../../../fakes/memory-metrics.js';
import { MemoryProcess } from '../../../fakes/memory-process.js';
import { MemoryFaultProxy } from '../../../fakes/memory-proxy.js';
import { inputError } from '../../../helpers/errors.js';
import { args, faultsCtx } from './faults-ctx.js';

const rejects = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as Error & { exitCode: number; field?: string });

describe('defaultRegistry', () => {
  it('registers every fault and probe once, under the names the chaostoolkit mapping uses', () => {
    const r = defaultRegistry();
    expect(r.actionTypes()).toEqual(expect.arrayContaining(['kubernetes.pod-kill', 'kubernetes.scale', 'kubernetes.node-drain', 'aws.ec2-stop', 'aws.ec2-terminate', 'aws.asg-terminate', 'aws.asg-suspend', 'aws.fis-experiment', 'process.signal', 'process.run', 'load.flash-crowd', 'load.retry-storm', 'network.latency', 'network.proxy']));
    expect(r.probeTypes()).toEqual(['aws.alarm-state', 'http.request', 'process.run', 'prometheus.query']);
  });
});

describe('process.signal', () => {
  it('signals by pid or pid file; SIGSTOP is undone with SIGCONT', async () => {
    const p = new MemoryProcess();
    const pid = p.spawn();
    p.files.set('/run/api.pid', `${pid}\n`);
    const ctx = faultsCtx({ process: p });
    expect((await processSignal.plan(args(processSignal, { pidFile: '/run/api.pid', signal: 'SIGSTOP' }), ctx)).undo).toBe(`send SIGCONT to pid ${pid}`);
    await processSignal.run(args(processSignal, { pidFile: '/run/api.pid', signal: 'SIGSTOP' }), ctx);
    expect(p.processes.get(pid)?.stopped).toBe(true);
    expect(ctx.injections[0]?.manualUndo).toBe(`kill -CONT ${pid}`);
    await ctx.undoAll();
    expect(p.processes.get(pid)?.stopped).toBe(false);
    await processSignal.run(args(processSignal, { pid }), faultsCtx({ process: p }));
    expect(p.signals.at(-1)).toEqual({ pid, signal: 'SIGTERM' });
  });
  it('never by name; exactly one of pid and pidFile; a dead pid is exit 2', async () => {
    expect(inputError(() => args(processSignal, { name: 'nginx' })).message).toMatch(/unknown field "name"/);
    expect(inputError(() => args(processSignal, { pid: 5, pidFile: '/x' })).field).toBe('pid');
    expect(inputError(() => args(processSignal, { pid: 1 })).field).toBe('pid');
    const err = await rejects(processSignal.run(args(processSignal, { pid: 4242 }), faultsCtx({ process: new MemoryProcess() })));
    expect(err.exitCode).toBe(2);
    expect(err.field).toBe('pid');
  });
});

describe('process.run (action and probe; the chaostoolkit process provider)', () => {
  it('splits a string of arguments like a shell, passes the timeout, and reports status and output', async () => {
    const p = new MemoryProcess((file, argv) => ({ exitCode: file === 'curl' ? 0 : 1, stdout: argv.join('|') }));
    const ctx = faultsCtx({ process: p });
    const out = await processProbe.run(args(processProbe, { path: 'curl', arguments: `-s "http://x/a b" 'c d' e\\ f`, timeout: 3 }), ctx);
    expect(out).toMatchObject({ status: 0, stdout: '-s|http://x/a b|c d|e f', timedOut: false });
    expect(p.runs[0]?.timeoutMs).toBe(3000);
    await processRun.run(args(processRun, { path: 'curl', arguments: ['-s', 1] }), ctx);
    expect(p.runs[1]).toMatchObject({ args: ['-s', '1'], timeoutMs: 30_000 });
    expect(splitArgs('a "b')).toBeNull();
    expect((await rejects(processRun.run(args(processRun, { path: 'x', arguments: 'a "b' }), ctx))).field).toBe('arguments');
  });
});

describe('http.request probe (the chaostoolkit http provider)', () => {
  const http = () =>
    new MemoryHttp((req) => {
      if (req.path === '/health') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}', delayMs: 40 };
      if (req.path === '/echo') return { status: 201, body: `${req.method} ${req.url} ${String(req.body ?? '')}` };
      return { status: 503, body: 'down' };
    });
  it('returns status, parsed JSON body and latency', async () => {
    const out = await httpProbe.run(args(httpProbe, { url: 'http://svc.test/health' }), faultsCtx({ http: http() }));
    expect(out).toMatchObject({ status: 200, body: { ok: true }, latencyMs: 40 });
  });
  it('expected_status and maxLatency fail the probe (exit 1) with what was seen', async () => {
    const err = await rejects(httpProbe.run(args(httpProbe, { url: 'http://svc.test/down', expected_status: 200 }), faultsCtx({ http: http() })));
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/answered 503, expected 200/);
    const slow = await rejects(httpProbe.run(args(httpProbe, { url: 'http://svc.test/health', maxLatency: '10ms' }), faultsCtx({ http: http() })));
    expect(slow.message).toMatch(/took 40ms/);
  });
  it('arguments are query parameters on GET and a JSON body otherwise', async () => {
    const h = http();
    const get = (await httpProbe.run(args(httpProbe, { url: 'http://svc.test/echo', arguments: { q: 'a b' } }), faultsCtx({ http: h }))) as { body: string };
    expect(get.body).toBe('GET http://svc.test/echo?q=a+b ');
    const post = (await httpProbe.run(args(httpProbe, { url: 'http://svc.test/echo', method: 'post', arguments: { n: 1 }, timeout: [1, 2] }), faultsCtx({ http: h }))) as { body: string };
    expect(post.body).toBe('POST http://svc.test/echo {"n":1}');
    expect(h.requests.at(-1)?.headers['content-type']).toBe('application/json');
    expect(inputError(() => args(httpProbe, { url: 'ftp://x' })).field).toBe('url');
  });
});

describe('prometheus.query probe', () => {
  it('one value checked against its bounds; no data fails closed (exit 3); many series is exit 2', async () => {
    const t = 1_700_000_000; // the FakeClock's start, in seconds
    const metrics = MemoryMetrics.fromPoints([
      { labels: { __name__: 'error_ratio' }, points: [[t - 30, 0.02]] },
      { labels: { __name__: 'up', a: '1' }, points: [[t - 30, 1]] },
      { labels: { __name__: 'up', a: '2' }, points: [[t - 30, 1]] },
    ]);
    const ctx = faultsCtx({ metrics });
    expect(await prometheusProbe.run(args(prometheusProbe, { query: 'error_ratio', max: 0.01 }), ctx)).toEqual({ value: 0.02, within: false });
    expect(await prometheusProbe.run(args(prometheusProbe, { query: 'error_ratio', min: 0, max: 0.05 }), ctx)).toEqual({ value: 0.02, within: true });
    expect((await rejects(prometheusProbe.run(args(prometheusProbe, { query: 'absent_metric' }), ctx))).exitCode).toBe(3);
    expect((await rejects(prometheusProbe.run(args(prometheusProbe, { query: 'up' }), ctx))).field).toBe('query');
    expect(inputError(() => args(prometheusProbe, { query: 'x', min: 2, max: 1 })).field).toBe('min');
  });
});

describe('network actions (fault proxy)', () => {
  const latency = networkActions.find((a) => a.type === 'network.latency')!;
  it('starts the proxy once, sets the toxics, and the undo clears them and then stops the proxy', async () => {
    const proxy = new MemoryFaultProxy();
    const ctx = faultsCtx({ proxy });
    const out = await latency.run(args(latency, { listen: 18080, upstream: '127.0.0.1:8080', latency: '300ms', jitter: '50ms' }), ctx);
    expect(out).toMatchObject({ proxy: '127.0.0.1:18080', upstream: '127.0.0.1:8080', toxics: 'latency 300ms ±50ms' });
    const loss = networkActions.find((a) => a.type === 'network.loss')!;
    await loss.run(args(loss, { listen: '127.0.0.1:18080', upstream: '127.0.0.1:8080', loss: '1%' }), ctx);
    expect(proxy.handles).toHaveLength(1);
    const h = proxy.handles[0]!;
    expect(h.toxics?.loss).toBe(0.01);
    expect(ctx.injections.map((i) => i.description)).toEqual(['fault proxy listening on 127.0.0.1:18080 → 127.0.0.1:8080', 'latency 300ms ±50ms on proxy 127.0.0.1:18080 → 127.0.0.1:8080', 'loss 1% on proxy 127.0.0.1:18080 → 127.0.0.1:8080']);
    await ctx.undoAll();
    expect(h.history.at(-1)).toBeNull();
    expect(h.closed).toBe(true);
  });
  it('with duration it removes its toxics itself on the virtual clock', async () => {
    const proxy = new MemoryFaultProxy();
    const ctx = faultsCtx({ proxy });
    await latency.run(args(latency, { listen: 0, upstream: 8080, latency: 200, duration: '30s' }), ctx);
    expect(ctx.clock.sleeps).toEqual([30_000]);
    expect(proxy.handles[0]!.toxics).toBeNull();
  });
  it('bad toxics and a missing main field are exit 2 at validation, naming the field', () => {
    expect(inputError(() => args(latency, { listen: 1, upstream: 2 })).field).toBe('latency');
    expect(inputError(() => args(latency, { listen: 1, upstream: 2, latency: 'soon' })).field).toBe('latency');
    expect(inputError(() => args(latency, { listen: 1, upstream: 'nohost:xx', latency: '1ms' })).field).toBe('upstream');
  });
  it('startProxiesFor starts each network.* proxy once in pass-through; the action then reuses it and registers no proxy undo', async () => {
    const proxy = new MemoryFaultProxy();
    const ctx = faultsCtx({ proxy });
    const started = await startProxiesFor(
      [
        { type: 'http.request', args: { url: 'http://x.test' } },
        { type: 'network.latency', args: { listen: 18081, upstream: 8080, latency: '5ms' } },
        { type: 'network.loss', args: { listen: 18081, upstream: 8080, loss: '5%' } },
        { type: 'network.latency', args: { listen: 'bad' } },
      ],
      ctx.ports,
      ctx.random,
    );
    expect(started).toEqual(['127.0.0.1:18081 → 127.0.0.1:8080']);
    expect(proxy.handles[0]!.toxics).toBeNull();
    await latency.run(args(latency, { listen: 18081, upstream: 8080, latency: '5ms' }), ctx);
    expect(proxy.handles).toHaveLength(1);
    expect(ctx.injections.map((i) => i.description)).toEqual(['latency 5ms on proxy 127.0.0.1:18081 → 127.0.0.1:8080']);
    await proxy.close();
    expect(proxy.handles[0]!.closed).toBe(true);
  });
});
