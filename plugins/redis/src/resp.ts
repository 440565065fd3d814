/**
 * A minimal RESP2 connection for bulk work (copy mode), next to ioredis:
 * requests are pre-encoded buffers, and each reply is scanned in place by a
 * `ReplyReader` that records offsets into the receive buffer instead of
 * creating one object per value. Socket reads go straight into the free tail
 * of that buffer (`onread`), so a reply is never concatenated or copied on
 * its way in; values are later copied once, into the next command.
 *
 * Pipelined: readers complete in request order. No reconnects: a socket
 * error, the server closing, or no byte for `idleTimeoutMs` while replies are
 * pending fails every pending request.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawEndpoint {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** Connect timeout, ms. */
  connectTimeoutMs: number;
  /** Fail pending requests after this long without a byte from the server, ms. */
  idleTimeoutMs: number;
}

/**
 * Consumes one logical request's replies (it may span several RESP replies,
 * e.g. MULTI … EXEC or a pipeline of SETs). `read` is called with the
 * receive buffer and the unscanned bytes [start, end); it returns how many
 * bytes it consumed (whole replies or elements only), and sets `done` once it
 * has everything. A reader keeps its progress between calls, so a large reply
 * arriving in pieces is scanned once. Its first `read` starts at its first
 * reply (the origin); offsets it keeps are relative to that origin, and
 * `rebase(buf, origin)` says where the origin is when the connection moved
 * the bytes of an unfinished request to a new buffer.
 */
export interface ReplyReader {
  done: boolean;
  read(buf: Buffer, start: number, end: number): number;
  rebase(buf: Buffer, origin: number): void;
}

export class RespError extends Error {
  override readonly name = 'RespError';
}

interface Pending {
  reader: ReplyReader;
  resolve: () => void;
  reject: (e: Error) => void;
}

const MIN_FREE = 64 * 1024;
const INITIAL = 1 << 20;
const CR = 13;

/** Index of the CR ending the line that starts at p, or -1 when the line (with its LF) is not all in [p, end). */
export function lineEnd(b: Buffer, p: number, end: number): number {
  for (let i = p; i + 1 < end; i++) if (b[i] === CR) return i;
  return -1;
}

/** The integer written in b[p, e). */
export function intAt(b: Buffer, p: number, e: number): number {
  let neg = false;
  if (b[p] === 45) {
    neg = true;
    p++;
  }
  let n = 0;
  for (; p < e; p++) n = n * 10 + ((b[p] as number) - 48);
  return neg ? -n : n;
}

/**
 * Where the reply element at p ends (a scalar: simple string, error, integer
 * or bulk string), or -1 when incomplete. Arrays are not scalars.
 */
export function scalarEnd(b: Buffer, p: number, end: number): number {
  const e = lineEnd(b, p, end);
  if (e < 0) return -1;
  if (b[p] !== 36) return e + 2; // + - :
  const len = intAt(b, p + 1, e);
  if (len < 0) return e + 2; // $-1: nil
  const stop = e + 2 + len + 2;
  return stop <= end ? stop : -1;
}

export class RawConnection {
  private socket: Socket | undefined;
  private buf: Buffer = Buffer.allocUnsafe(INITIAL);
  /** Start of the bytes of the oldest unfinished request (kept until it finishes: its reader points into them). */
  private rpos = 0;
  /** Bytes before this were scanned by a reader. */
  private spos = 0;
  /** End of the received bytes. */
  private wpos = 0;
  private readonly pending: Pending[] = [];
  private head = 0;
  private failure: Error | undefined;
  private opening: Promise<void> | undefined;

  constructor(
    private readonly endpoint: RawEndpoint,
    /** Turns a transport or protocol failure into the caller's error (e.g. a DependencyError naming the server). */
    private readonly wrap: (what: string, error: unknown) => Error,
  ) {}

  /** Connect, authenticate and select the database (once). */
  open(): Promise<void> {
    this.opening ??= this.connect();
    return this.opening;
  }

  private async connect(): Promise<void> {
    const ep = this.endpoint;
    const socket = await new Promise<Socket>((resolve, reject) => {
      // plain TCP reads straight into the receive buffer; TLS hands chunks, copied in once
      const s: Socket = ep.tls
        ? tlsConnect({ host: ep.host, port: ep.port, ...(isIP(ep.host) ? {} : { servername: ep.host }) })
        : netConnect({ host: ep.host, port: ep.port, noDelay: true, onread: { buffer: () => this.readBuffer(MIN_FREE), callback: (n: number) => this.onRead(n) } });
      if (ep.tls) {
        s.on('data', (chunk: Buffer) => {
          chunk.copy(this.readBuffer(chunk.length));
          this.onRead(chunk.length);
        });
      }
      const timer = setTimeout(() => s.destroy(Object.assign(new Error(`connect timed out after ${ep.connectTimeoutMs} ms`), { code: 'ETIMEDOUT' })), ep.connectTimeoutMs);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        reject(this.wrap('cannot connect to', e));
      };
      s.once('error', fail);
      s.once(ep.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.off('error', fail);
        resolve(s);
      });
    });
    if (ep.tls) socket.setNoDelay(true);
    socket.setTimeout(ep.idleTimeoutMs, () => {
      if (this.head < this.pending.length) socket.destroy(Object.assign(new Error(`no reply for ${ep.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
    socket.on('error', (e) => this.fail(this.wrap('connection failed to', e)));
    socket.on('close', () => this.fail(this.wrap('connection closed by', new Error('the server closed the connection'))));
    this.socket = socket;
    const setup: Buffer[] = [];
    if (ep.password !== undefined) setup.push(encodeCommand(ep.username ? ['AUTH', ep.username, ep.password] : ['AUTH', ep.password]));
    if (ep.db !== 0) setup.push(encodeCommand(['SELECT', String(ep.db)]));
    if (setup.length > 0) {
      const r = new SimpleReplies(setup.length);
      await this.request(Buffer.concat(setup), r);
      // like ioredis: a password for a server that has none is not an error
      const unneeded = ep.password !== undefined && r.kinds[0] === 2 && /without any password configured|no password is set/i.test(r.errors[0] ?? '');
      const failed = r.errors.find((e, i) => e !== undefined && !(unneeded && i === 0));
      if (failed !== undefined) {
        socket.destroy();
        throw this.wrap('cannot connect to', new RespError(failed));
      }
    }
  }

  /** Send one pre-encoded request; resolves when `reader` has consumed all its replies. */
  request(bytes: Buffer, reader: ReplyReader): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('RawConnection: not open'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ reader, resolve, reject });
      socket.write(bytes);
    });
  }

  /** The buffer the next read fills: the free tail of the receive buffer, at least `need` bytes (a new one when it runs low). */
  private readBuffer(need: number): Buffer {
    if (this.buf.length - this.wpos < need) {
      const keep = this.wpos - this.rpos;
      // always a new buffer: finished readers may still point into the old one
      const next = Buffer.allocUnsafe(Math.max(INITIAL, 2 * keep + need));
      this.buf.copy(next, 0, this.rpos, this.wpos);
      this.buf = next;
      this.spos -= this.rpos;
      this.wpos = keep;
      this.rpos = 0;
      this.pending[this.head]?.reader.rebase(next, 0);
    }
    return this.buf.subarray(this.wpos);
  }

  private onRead(n: number): boolean {
    this.wpos += n;
    try {
      while (this.head < this.pending.length && this.spos < this.wpos) {
        const p = this.pending[this.head] as Pending;
        this.spos += p.reader.read(this.buf, this.spos, this.wpos);
        if (!p.reader.done) break;
        this.head++;
        this.rpos = this.spos;
        p.resolve();
      }
      if (this.head === this.pending.length && this.spos < this.wpos) throw new RespError('a reply nobody asked for');
      if (this.head > 1024) {
        this.pending.splice(0, this.head);
        this.head = 0;
      }
    } catch (e) {
      this.fail(this.wrap('protocol error from', e));
      this.socket?.destroy();
    }
    return true;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const waiting = this.pending.splice(this.head);
    this.pending.length = 0;
    this.head = 0;
    for (const p of waiting) p.reject(this.failure);
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.failure ??= new Error('connection closed');
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.end();
      setTimeout(() => s.destroy(), 1000).unref();
    });
  }
}

/** Encode a command of string arguments (setup and small commands; bulk paths write their own bytes). */
export function encodeCommand(args: readonly string[]): Buffer {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return Buffer.from(s);
}

/** `count` scalar replies; keeps the first error. `kinds[i]`: 1 for +OK/:1-style success, 0 for nil, `ints` for integer replies. */
export class SimpleReplies implements ReplyReader {
  done = false;
  /** The first error reply. */
  error: string | undefined;
  /** Every error reply, by index. */
  readonly errors: Array<string | undefined> = [];
  /** Per reply: 1 simple string or non-nil bulk, 0 nil, 2 error, 3 integer (value in `ints`). */
  readonly kinds: Uint8Array;
  readonly ints: Float64Array;
  private i = 0;

  constructor(readonly count: number) {
    this.kinds = new Uint8Array(count);
    this.ints = new Float64Array(count);
    this.done = count === 0;
  }

  read(b: Buffer, start: number, end: number): number {
    let p = start;
    while (this.i < this.count) {
      const e = scalarEnd(b, p, end);
      if (e < 0) break;
      const t = b[p];
      if (t === 45) {
        this.kinds[this.i] = 2;
        const text = b.toString('utf8', p + 1, e - 2);
        this.error ??= text;
        this.errors[this.i] = text;
      } else if (t === 58) {
        this.kinds[this.i] = 3;
        this.ints[this.i] = intAt(b, p + 1, e - 2);
      } else if (t === 36 && b[p + 1] === 45) this.kinds[this.i] = 0;
      else if (t === 36 || t === 43) this.kinds[this.i] = 1;
      else throw new RespError(`unexpected reply type ${String.fromCharCode(t ?? 0)}`);
      this.i++;
      p = e;
    }
    this.done = this.i === this.count;
    return p - start;
  }

  rebase(): void {}
}

/**
 * One array reply (MGET, EXEC, …) recorded as offsets: element j is the
 * encoded bytes buf[origin+off[j], origin+off[j+1]). Elements that are arrays
 * themselves (an MGET inside an EXEC) are read the same way into `sub[j]`.
 */
export class ArrayReply implements ReplyReader {
  done = false;
  /** `-ERR …` when the reply was an error instead of an array, or a nil array (an aborted transaction). */
  error: string | undefined;
  buf: Buffer = Buffer.alloc(0);
  origin = 0;
  /** Element offsets relative to `origin`; n+1 of them once the header was read. */
  off: Int32Array = new Int32Array(0);
  n = -1;
  /** Nested arrays, by element index. */
  readonly sub: Array<ArrayReply | undefined> = [];
  private i = 0;
  private child: ArrayReply | undefined;

  read(b: Buffer, start: number, end: number): number {
    let p = start;
    if (this.n < 0) {
      const e = lineEnd(b, p, end);
      if (e < 0) return 0;
      this.buf = b;
      this.origin = start;
      if (b[p] === 45) {
        this.error = b.toString('utf8', p + 1, e);
        return this.finish(e + 2 - start);
      }
      if (b[p] !== 42) throw new RespError(`expected an array, got ${JSON.stringify(String.fromCharCode(b[p] ?? 0))}`);
      const n = intAt(b, p + 1, e);
      if (n < 0) {
        this.error = 'nil reply (the transaction was aborted)';
        return this.finish(e + 2 - start);
      }
      this.n = n;
      this.off = new Int32Array(n + 1);
      p = e + 2;
      this.off[0] = p - start;
    }
    const origin = this.origin;
    while (this.i < this.n && p < end) {
      if (this.child || b[p] === 42) {
        const child = (this.child ??= new ArrayReply());
        p += child.read(b, p, end);
        if (!child.done) break;
        this.child = undefined;
        this.sub[this.i] = child;
      } else {
        const e = scalarEnd(b, p, end);
        if (e < 0) break;
        p = e;
      }
      this.i++;
      this.off[this.i] = p - origin;
    }
    this.done = this.i === this.n;
    return p - start;
  }

  private finish(consumed: number): number {
    this.n = 0;
    this.off = new Int32Array(1);
    this.done = true;
    return consumed;
  }

  rebase(b: Buffer, origin: number): void {
    this.buf = b;
    this.origin = origin;
    for (let j = 0; j < this.sub.length; j++) this.sub[j]?.rebase(b, origin + (this.off[j] as number));
    this.child?.rebase(b, origin + (this.off[this.i] as number));
  }

  /** Element j is a nil bulk (`$-1`). */
  isNil(j: number): boolean {
    const at = this.origin + (this.off[j] as number);
    return this.buf[at] === 36 && this.buf[at + 1] === 45;
  }

  /** Element j is an error reply. */
  isError(j: number): boolean {
    return this.buf[this.origin + (this.off[j] as number)] === 45;
  }

  /** Integer element j. */
  int(j: number): number {
    const at = this.origin + (this.off[j] as number);
    return intAt(this.buf, at + 1, this.origin + (this.off[j + 1] as number) - 2);
  }

  /** Text of element j (bulk, simple string or error). */
  text(j: number): string {
    const at = this.origin + (this.off[j] as number);
    const stop = this.origin + (this.off[j + 1] as number) - 2;
    if (this.buf[at] !== 36) return this.buf.toString('utf8', at + 1, stop);
    const e = lineEnd(this.buf, at, stop + 2);
    return e + 2 > stop ? '' : this.buf.toString('utf8', e + 2, stop);
  }

  /** Every element as text (bulk strings: a SCAN's keys). */
  texts(): string[] {
    const out = new Array<string>(this.n);
    const b = this.buf;
    for (let j = 0; j < this.n; j++) {
      const at = this.origin + (this.off[j] as number);
      const stop = this.origin + (this.off[j + 1] as number) - 2;
      let e = at + 1;
      while (b[e] !== CR) e++;
      out[j] = b.toString('utf8', b[at] === 36 ? e + 2 : at + 1, stop);
    }
    return out;
  }

  /** Copy the encoded bytes of element j into `to` at `at`; returns the bytes copied. */
  copyEncoded(j: number, to: Buffer, at: number): number {
    return this.buf.copy(to, at, this.origin + (this.off[j] as number), this.origin + (this.off[j + 1] as number));
  }

  /** Length of the encoded bytes of element j. */
  encodedLength(j: number): number {
    return (this.off[j + 1] as number) - (this.off[j] as number);
  }
}

/** Several readers in sequence, as one (e.g. the +OK/+QUEUED replies before an EXEC, then the EXEC). */
export class Sequence implements ReplyReader {
  done = false;
  private k = 0;
  /** Bytes consumed by the finished parts (where part k began, relative to the origin). */
  private before = 0;
  /** Bytes consumed by part k so far. */
  private current = 0;

  constructor(private readonly parts: readonly ReplyReader[]) {
    this.done = parts.length === 0;
  }

  read(b: Buffer, start: number, end: number): number {
    let p = start;
    while (this.k < this.parts.length) {
      const r = this.parts[this.k] as ReplyReader;
      const used = r.read(b, p, end);
      p += used;
      this.current += used;
      if (!r.done) break;
      this.k++;
      this.before += this.current;
      this.current = 0;
    }
    this.done = this.k === this.parts.length;
    return p - start;
  }

  rebase(b: Buffer, origin: number): void {
    this.parts[this.k]?.rebase(b, origin + this.before);
  }
}
