/**
 * In-memory FaultProxyPort for core tests: no sockets. Each handle records
 * every toxics change and can replay connections through the same pure
 * decisions the real proxy uses (`connect()`), so stats mean the same thing.
 * It passes the shared part of the proxy contract suite.
 */
import { InputError } from '../../src/core/errors.js';
import type { FaultProxyPort, ProxyHandle, ProxyStartOptions, ProxyStats, Toxics } from '../../src/ports/proxy.js';

export class MemoryProxyHandle implements ProxyHandle {
  readonly host: string;
  readonly port: number;
  /** Every toxics value set, starting with the one it was started with. */
  readonly history: Array<Toxics | null>;
  closed = false;
  private readonly counters: ProxyStats = { connections: 0, refused: 0, resets: 0, bytesUp: 0, bytesDown: 0 };

  constructor(
    private readonly owner: MemoryFaultProxy,
    private readonly options: ProxyStartOptions,
    port: number,
  ) {
    this.host = options.listenHost;
    this.port = port;
    this.history = [options.toxics];
  }

  get toxics(): Toxics | null {
    return this.history[this.history.length - 1] ?? null;
  }

  set(toxics: Toxics | null): void {
    this.history.push(toxics);
  }

  /** One client connection with `bytes` each way: what the real proxy would decide. */
  connect(bytes = 0): 'forwarded' | 'refused' | 'timeout' | 'reset' {
    if (this.closed) throw new Error(`connect ECONNREFUSED ${this.host}:${this.port}`);
    this.counters.connections++;
    const d = this.options.decisions.connection(this.toxics, this.options.random);
    if (d.kind === 'refuse') {
      this.counters.refused++;
      return 'refused';
    }
    if (d.kind === 'timeout') return 'timeout';
    this.counters.bytesUp += bytes;
    const down = this.options.decisions.pipe('down').schedule(0, bytes, this.toxics, this.options.random);
    this.counters.bytesDown += down.bytes;
    if (down.resetAfter) {
      this.counters.resets++;
      return 'reset';
    }
    return 'forwarded';
  }

  stats(): ProxyStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.owner.release(this.host, this.port);
  }
}

export class MemoryFaultProxy implements FaultProxyPort {
  readonly kind = 'memory-proxy';
  readonly handles: MemoryProxyHandle[] = [];
  private readonly used = new Set<string>();
  private nextPort = 41_000;

  async start(options: ProxyStartOptions): Promise<MemoryProxyHandle> {
    const port = options.listenPort === 0 ? this.nextPort++ : options.listenPort;
    const key = `${options.listenHost}:${port}`;
    if (this.used.has(key)) throw new InputError(`cannot listen on ${key}: EADDRINUSE`, { field: 'listen', suggestions: ['pick a free port, or 0 for any free port'] });
    this.used.add(key);
    const handle = new MemoryProxyHandle(this, options, port);
    this.handles.push(handle);
    return handle;
  }

  async close(): Promise<void> {
    for (const h of this.handles) await h.close();
  }

  release(host: string, port: number): void {
    this.used.delete(`${host}:${port}`);
  }
}
