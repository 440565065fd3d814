/**
 * The TCP fault proxy on node:net. Every decision (refuse, hold, when to
 * write which bytes, when to reset) comes from the pure `decisions` it is
 * handed (src/core/chaos/toxics.ts); this module only moves bytes: one queue
 * per direction per connection, written in order at the scheduled times, with
 * backpressure (the source pauses while more than QUEUE_HIGH bytes wait).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { PluginKit } from '../../../src/ports/providers.js';
import type { FaultProxyPort, PipeScheduler, ProxyHandle, ProxyStartOptions, ProxyStats, Toxics } from '../../../src/ports/proxy.js';

const QUEUE_HIGH = 1024 * 1024;

interface Pending {
  at: number;
  data: Buffer;
  reset: boolean;
}

/** One direction: source → sink, through the schedule. */
class Pipe {
  private readonly queue: Pending[] = [];
  private queued = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ended = false;
  private closed = false;
  readonly scheduler: PipeScheduler;

  constructor(
    private readonly proxy: LocalProxy,
    private readonly source: Socket,
    private readonly sink: Socket,
    private readonly direction: 'up' | 'down',
    private readonly onReset: () => void,
  ) {
    this.scheduler = proxy.options.decisions.pipe(direction);
    source.on('data', (chunk: Buffer) => this.push(chunk));
    source.on('end', () => {
      this.ended = true;
      this.flush();
    });
  }

  private push(chunk: Buffer): void {
    if (this.closed) return;
    const toxics = this.proxy.toxics;
    const slice = this.proxy.options.decisions.sliceSize(toxics);
    for (let offset = 0; offset < chunk.length; offset += slice) {
      const part = chunk.subarray(offset, Math.min(chunk.length, offset + slice));
      const plan = this.scheduler.schedule(performance.now(), part.length, toxics, this.proxy.options.random);
      this.queue.push({ at: plan.at, data: part.subarray(0, plan.bytes), reset: plan.resetAfter });
      this.queued += plan.bytes;
      if (plan.resetAfter) {
        // Nothing after the reset point is ever forwarded.
        this.source.pause();
        this.closed = true;
        break;
      }
    }
    if (this.queued > QUEUE_HIGH) this.source.pause();
    this.flush();
  }

  private flush(): void {
    if (this.timer !== undefined) return;
    const now = performance.now();
    while (this.queue.length > 0 && (this.queue[0] as Pending).at <= now) {
      const item = this.queue.shift() as Pending;
      this.queued -= item.data.length;
      if (item.data.length > 0 && !this.sink.destroyed) {
        if (this.direction === 'up') this.proxy.counters.bytesUp += item.data.length;
        else this.proxy.counters.bytesDown += item.data.length;
        // A reset goes out once the bytes before it are written.
        if (item.reset) this.sink.write(item.data, () => this.onReset());
        else this.sink.write(item.data);
      } else if (item.reset) this.onReset();
      if (item.reset) return;
    }
    if (this.queued <= QUEUE_HIGH && !this.closed && this.source.isPaused()) this.source.resume();
    if (this.queue.length > 0) {
      const wait = Math.max(0, (this.queue[0] as Pending).at - now);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, Math.ceil(wait));
    } else if (this.ended && !this.sink.destroyed) {
      this.sink.end();
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.closed = true;
  }
}

export class LocalProxy implements ProxyHandle {
  readonly host: string;
  port = 0;
  toxics: Toxics | null;
  readonly counters: ProxyStats = { connections: 0, refused: 0, resets: 0, bytesUp: 0, bytesDown: 0 };
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closing: Promise<void> | undefined;

  constructor(
    readonly server: Server,
    readonly options: ProxyStartOptions,
  ) {
    this.host = options.listenHost;
    this.toxics = options.toxics;
    server.on('connection', (client) => this.accept(client));
  }

  set(toxics: Toxics | null): void {
    this.toxics = toxics;
  }

  stats(): ProxyStats {
    return { ...this.counters };
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
      this.server.close(() => resolve());
    });
    return this.closing;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(client: Socket): void {
    this.counters.connections++;
    this.track(client);
    const decision = this.options.decisions.connection(this.toxics, this.options.random);
    if (decision.kind === 'refuse') {
      this.counters.refused++;
      client.resetAndDestroy();
      return;
    }
    if (decision.kind === 'timeout') {
      client.on('data', () => undefined); // read and drop: nothing is forwarded
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        client.destroy();
      }, decision.afterMs);
      this.timers.add(timer);
      return;
    }
    client.pause();
    const upstream = connect({ host: this.options.upstreamHost, port: this.options.upstreamPort, allowHalfOpen: true });
    this.track(upstream);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    let pipes: Pipe[] = [];
    const teardown = (reset: boolean): void => {
      for (const p of pipes) p.stop();
      pipes = [];
      if (reset) {
        this.counters.resets++;
        if (!client.destroyed) client.resetAndDestroy();
      } else client.destroy();
      upstream.destroy();
    };
    upstream.once('connect', () => {
      pipes = [new Pipe(this, client, upstream, 'up', () => teardown(true)), new Pipe(this, upstream, client, 'down', () => teardown(true))];
      client.resume();
    });
    // The upstream refused or failed: the client sees a reset, as it would without the proxy in between.
    upstream.once('error', () => teardown(true));
    client.once('close', () => teardown(false));
    upstream.once('close', () => {
      // Let the down pipe deliver what it still holds before the client closes.
      if (pipes.length === 0 && !client.destroyed) client.destroy();
    });
  }
}

export class LocalFaultProxy implements FaultProxyPort {
  readonly kind = 'local';
  private readonly started = new Set<LocalProxy>();

  constructor(private readonly kit: PluginKit) {}

  async close(): Promise<void> {
    await Promise.all([...this.started].map((p) => p.close()));
    this.started.clear();
  }

  start(options: ProxyStartOptions): Promise<ProxyHandle> {
    return new Promise((resolve, reject) => {
      const server = createServer({ allowHalfOpen: true });
      const proxy = new LocalProxy(server, options);
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          new this.kit.errors.InputError(`cannot listen on ${options.listenHost}:${options.listenPort}: ${err.code ?? err.message}`, {
            field: 'listen',
            suggestions: err.code === 'EADDRINUSE' ? ['pick a free port, or 0 for any free port'] : ['listen on a local address such as 127.0.0.1'],
            cause: err,
          }),
        );
      });
      server.listen(options.listenPort, options.listenHost, () => {
        proxy.port = (server.address() as { port: number }).port;
        this.started.add(proxy);
        resolve(proxy);
      });
    });
  }
}

export function createFaultProxy(kit: PluginKit): FaultProxyPort {
  return new LocalFaultProxy(kit);
}
