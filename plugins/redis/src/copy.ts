/**
 * Copy mode between two Redis servers (the `copierFrom` capability of
 * RedisCache; `CacheCopier` in src/ports/cache.ts).
 * Values never become JavaScript objects: each batch's keys are encoded
 * once, the source's reply is scanned in place, and the target's command is
 * assembled by copying the encoded key and value bytes.
 *
 * Per batch of n keys:
 *  - source, one transaction: `MULTI`, `INFO keyspace`, `MGET k1…kn`
 *    [, `PTTL k1` … `PTTL kn`], `EXEC`. The INFO says whether the database
 *    holds any key with a TTL (`expires=`) at that very instant; when it holds
 *    none, no TTL needs reading: every value read has none. Otherwise the
 *    PTTLs ride in the same transaction from then on (values and TTLs of one
 *    instant). When the INFO reveals TTLs the previous batch did not predict,
 *    the batch's PTTLs are read right after (a key gone by then, -2, is
 *    reported missing rather than written without its TTL). With a TTL from
 *    the engine (`--ttl`) only `MGET` is sent.
 *  - target: no TTL to set → `MSETNX k1 v1 …` (skip-existing) or `MSET`
 *    (overwrite), one command for the batch; `MSETNX` is all-or-nothing, so
 *    when it answers 0 (some key exists) the batch is written again key by
 *    key with `SET k v NX`, which says which keys were present. Keys with a
 *    TTL → `SET k v [NX] PX ms` (source TTL, ms) or `EX s` (the engine's),
 *    pipelined. After a batch that met present keys, batches go key by key
 *    until one meets none.
 *
 * Only string values are copied: MGET answers nil for other types, which the
 * engine reports as `missing-in-source`.
 */
import type { CacheCopier, CopyOptions, CopyOutcomeCodes } from '../../../src/ports/cache.js';
import { ArrayReply, encodeCommand, type RawConnection, RespError, Sequence, SimpleReplies } from './resp.js';

/** Outcome codes per key, held to the port's CopyOutcomeCodes (the engine spells the same); `missing` is 0, a fresh Uint8Array's value. */
const CODES: CopyOutcomeCodes = { missing: 0, written: 1, present: 2 };
const WRITTEN = CODES.written;
const PRESENT = CODES.present;

const MULTI_INFO = Buffer.concat([encodeCommand(['MULTI']), encodeCommand(['INFO', 'keyspace'])]);
const EXEC = encodeCommand(['EXEC']);

/** Write the decimal digits of a non-negative integer; returns the new offset. */
function digits(b: Buffer, at: number, n: number): number {
  if (n < 10) {
    b[at] = 48 + n;
    return at + 1;
  }
  if (n < 100) {
    b[at] = 48 + Math.floor(n / 10);
    b[at + 1] = 48 + (n % 10);
    return at + 2;
  }
  if (n < 1000) {
    b[at] = 48 + Math.floor(n / 100);
    b[at + 1] = 48 + (Math.floor(n / 10) % 10);
    b[at + 2] = 48 + (n % 10);
    return at + 3;
  }
  return at + b.write(String(n), at, 'latin1');
}

/** `c<n>\r\n` */
function header(b: Buffer, at: number, c: number, n: number): number {
  b[at] = c;
  at = digits(b, at + 1, n);
  b[at] = 13;
  b[at + 1] = 10;
  return at + 2;
}

/** The keys of a batch, each encoded as a bulk string (`$len\r\nkey\r\n`), back to back. */
class EncodedKeys {
  readonly bytes: Buffer;
  /** Key j is bytes[off[j], off[j+1]). */
  readonly off: Int32Array;

  constructor(keys: readonly string[]) {
    const n = keys.length;
    let size = 0;
    for (let j = 0; j < n; j++) size += 3 * (keys[j] as string).length + 16; // UTF-8 takes at most 3 bytes per UTF-16 unit
    const b = Buffer.allocUnsafe(size);
    const off = new Int32Array(n + 1);
    let at = 0;
    for (let j = 0; j < n; j++) {
      off[j] = at;
      const key = keys[j] as string;
      const len = key.length;
      // ASCII keys (the usual case) are written char by char: a native Buffer.write per key costs more than the key
      let ascii = true;
      for (let i = 0; i < len; i++) {
        if (key.charCodeAt(i) > 0x7f) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        at = header(b, at, 36, len);
        for (let i = 0; i < len; i++) b[at + i] = key.charCodeAt(i);
        at += len;
      } else {
        const bytes = Buffer.byteLength(key, 'utf8');
        at = header(b, at, 36, bytes);
        at += b.write(key, at, bytes, 'utf8');
      }
      b[at] = 13;
      b[at + 1] = 10;
      at += 2;
    }
    off[n] = at;
    this.bytes = b.subarray(0, at);
    this.off = off;
  }

  get count(): number {
    return this.off.length - 1;
  }

  length(j: number): number {
    return (this.off[j + 1] as number) - (this.off[j] as number);
  }

  copy(j: number, to: Buffer, at: number): number {
    return this.bytes.copy(to, at, this.off[j], this.off[j + 1]);
  }
}

/** What one source read found for each key: the value (an element of `values`) and its TTL in ms (-1 none, -2 gone). */
interface SourceBatch {
  values: ArrayReply;
  ttlMs: Float64Array | null;
}

export class RedisCopier implements CacheCopier {
  /** The source's database holds keys with a TTL (learnt from INFO keyspace; read TTLs with the values). */
  private sourceVolatile = false;
  /** The last batch wrote every key: try the one-command MSETNX. */
  private allNew = true;

  constructor(
    private readonly source: RawConnection,
    private readonly target: RawConnection,
    private readonly sourceDb: number,
    private readonly fail: (what: string, error: unknown) => Error,
    private readonly failTarget: (what: string, error: unknown) => Error,
  ) {}

  async copy(keys: readonly string[], options: CopyOptions): Promise<Uint8Array> {
    const n = keys.length;
    const out = new Uint8Array(n);
    if (n === 0) return out;
    await Promise.all([this.source.open(), this.target.open()]);
    const enc = new EncodedKeys(keys);
    const read = await this.read(enc, options.ttlSeconds === undefined);
    // which keys go to the target, and with which TTL
    const ttlSeconds = options.ttlSeconds;
    const ttl = read.ttlMs;
    const send: number[] = [];
    let withTtl = ttlSeconds !== undefined;
    for (let j = 0; j < n; j++) {
      if (read.values.isNil(j)) continue;
      if (read.values.isError(j)) throw this.fail('MGET failed on', new RespError(read.values.text(j)));
      const t = ttl ? (ttl[j] as number) : -1;
      if (t === -2) continue; // expired between the value and its TTL: writing it would resurrect it without one
      if (t >= 0) withTtl = true;
      send.push(j);
    }
    if (send.length === 0) return out;
    if (!withTtl && (options.overwrite || this.allNew)) {
      const ok = await this.writeAll(enc, read, send, options.overwrite);
      if (ok) {
        for (const j of send) out[j] = WRITTEN;
        return out;
      }
    }
    const written = await this.writeEach(enc, read, send, options);
    let present = 0;
    for (let i = 0; i < send.length; i++) {
      const j = send[i] as number;
      if (written[i]) out[j] = WRITTEN;
      else {
        out[j] = PRESENT;
        present++;
      }
    }
    if (!options.overwrite) this.allNew = present === 0;
    return out;
  }

  /** Values (and, when needed, TTLs) of one batch from the source. */
  private async read(enc: EncodedKeys, wantTtl: boolean): Promise<SourceBatch> {
    const n = enc.count;
    const mgetHead = Buffer.allocUnsafe(32);
    let h = header(mgetHead, 0, 42, n + 1);
    h += mgetHead.write('$4\r\nMGET\r\n', h, 'latin1');
    const mget = Buffer.concat([mgetHead.subarray(0, h), enc.bytes]);
    if (!wantTtl) {
      const values = new ArrayReply();
      await this.source.request(mget, values);
      if (values.error) throw this.fail('MGET failed on', new RespError(values.error));
      return { values, ttlMs: null };
    }
    const inline = this.sourceVolatile;
    const parts: Buffer[] = [MULTI_INFO, mget];
    if (inline) parts.push(this.pttls(enc));
    parts.push(EXEC);
    const queued = new SimpleReplies(inline ? 3 + n : 3);
    const exec = new ArrayReply();
    await this.source.request(Buffer.concat(parts), new Sequence([queued, exec]));
    if (queued.error) throw this.fail('MULTI/MGET failed on', new RespError(queued.error));
    if (exec.error) throw this.fail('MULTI/MGET failed on', new RespError(exec.error));
    // EXEC: [INFO keyspace, [values…], PTTL…]
    const values = exec.sub[1];
    if (exec.n !== (inline ? 2 + n : 2) || !values || values.n !== n) throw this.fail('MULTI/MGET failed on', new RespError(`unexpected EXEC reply of ${exec.n} elements`));
    const volatileNow = expiresIn(exec.text(0), this.sourceDb) > 0;
    let ttlMs: Float64Array | null = null;
    if (inline) {
      ttlMs = new Float64Array(n);
      for (let j = 0; j < n; j++) ttlMs[j] = exec.int(2 + j);
    } else if (volatileNow) {
      // TTLs appeared since the last batch: read them now (after the values; -2 = gone meanwhile)
      const r = new SimpleReplies(n);
      await this.source.request(this.pttls(enc), r);
      if (r.error) throw this.fail('PTTL failed on', new RespError(r.error));
      ttlMs = r.ints;
    }
    this.sourceVolatile = volatileNow;
    return { values, ttlMs };
  }

  /** `PTTL k` for every key. */
  private pttls(enc: EncodedKeys): Buffer {
    const n = enc.count;
    const b = Buffer.allocUnsafe(enc.bytes.length + 16 * n);
    let at = 0;
    for (let j = 0; j < n; j++) {
      at += b.write('*2\r\n$4\r\nPTTL\r\n', at, 'latin1');
      at += enc.copy(j, b, at);
    }
    return b.subarray(0, at);
  }

  /** One MSETNX (or MSET) for the batch; false when MSETNX found a key present (nothing was written). */
  private async writeAll(enc: EncodedKeys, read: SourceBatch, send: readonly number[], overwrite: boolean): Promise<boolean> {
    let size = 32;
    for (const j of send) size += enc.length(j) + read.values.encodedLength(j);
    const b = Buffer.allocUnsafe(size);
    let at = header(b, 0, 42, 2 * send.length + 1);
    at += b.write(overwrite ? '$4\r\nMSET\r\n' : '$6\r\nMSETNX\r\n', at, 'latin1');
    for (const j of send) {
      at += enc.copy(j, b, at);
      at += read.values.copyEncoded(j, b, at);
    }
    const r = new SimpleReplies(1);
    await this.target.request(b.subarray(0, at), r);
    if (r.error) throw this.failTarget(overwrite ? 'MSET failed on' : 'MSETNX failed on', new RespError(r.error));
    return overwrite || r.ints[0] === 1;
  }

  /** `SET k v [NX] [PX ms|EX s]` per key, pipelined; per key whether it was written. */
  private async writeEach(enc: EncodedKeys, read: SourceBatch, send: readonly number[], options: CopyOptions): Promise<Uint8Array> {
    const nx = !options.overwrite;
    let size = 0;
    for (const j of send) size += enc.length(j) + read.values.encodedLength(j) + 64;
    const b = Buffer.allocUnsafe(size);
    let at = 0;
    for (const j of send) {
      let unit = '';
      let amount = 0;
      if (options.ttlSeconds !== undefined) {
        unit = 'EX';
        amount = Math.max(1, Math.round(options.ttlSeconds[j] as number));
      } else if (read.ttlMs && (read.ttlMs[j] as number) >= 0) {
        unit = 'PX';
        amount = Math.max(1, read.ttlMs[j] as number);
      }
      at = header(b, at, 42, 3 + (nx ? 1 : 0) + (unit ? 2 : 0));
      at += b.write('$3\r\nSET\r\n', at, 'latin1');
      at += enc.copy(j, b, at);
      at += read.values.copyEncoded(j, b, at);
      if (nx) at += b.write('$2\r\nNX\r\n', at, 'latin1');
      if (unit) {
        at += b.write(`$2\r\n${unit}\r\n`, at, 'latin1');
        const text = String(amount);
        at = header(b, at, 36, text.length);
        at += b.write(text, at, 'latin1');
        b[at] = 13;
        b[at + 1] = 10;
        at += 2;
      }
    }
    const r = new SimpleReplies(send.length);
    await this.target.request(b.subarray(0, at), r);
    if (r.error) throw this.failTarget('SET failed on', new RespError(r.error));
    return r.kinds; // 1 = OK (written), 0 = nil (NX: present)
  }
}

/** `expires=` of `db<N>` in an `INFO keyspace` reply (0 when the database has no line: it is empty). */
export function expiresIn(info: string, db: number): number {
  const m = new RegExp(`^db${db}:[^\\r\\n]*\\bexpires=(\\d+)`, 'm').exec(info);
  return m ? Number(m[1]) : 0;
}
