/**
 * The Redis copier (plugins/redis/src/copy.ts) without a server: its two
 * RawConnections are replaced by a scripted stand-in that decodes the RESP
 * commands the copier sends (with a decoder written here from the protocol),
 * answers them from a small keyspace model and delivers the replies to the
 * copier's readers in 7-byte pieces. What it pins here is what a real server
 * cannot be made to do on demand: the exact command sequence of each path
 * (transaction, PTTLs learnt from INFO, MSETNX then SET NX fallback) and every
 * error reply. The semantics against real Redis are the copy contract's
 * (test/contract/suites/cache-copy.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expiresIn, RedisCopier } from '../../../plugins/redis/src/copy.js';
import type { RawConnection, ReplyReader } from '../../../plugins/redis/src/resp.js';

type Reply = { ok: string } | { err: string } | { int: number } | { bulk: Buffer | null } | { array: Reply[] | null };

function encode(r: Reply): Buffer {
  if ('ok' in r) return Buffer.from(`+${r.ok}\r\n`);
  if ('err' in r) return Buffer.from(`-${r.err}\r\n`);
  if ('int' in r) return Buffer.from(`:${r.int}\r\n`);
  if ('bulk' in r) return r.bulk === null ? Buffer.from('$-1\r\n') : Buffer.concat([Buffer.from(`$${r.bulk.length}\r\n`), r.bulk, Buffer.from('\r\n')]);
  return r.array === null ? Buffer.from('*-1\r\n') : Buffer.concat([Buffer.from(`*${r.array.length}\r\n`), ...r.array.map(encode)]);
}

/** Split a pipeline of RESP arrays of bulk strings into commands. */
function decodeCommands(b: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  let p = 0;
  const line = () => {
    const e = b.indexOf('\r\n', p);
    const text = b.subarray(p, e).toString('latin1');
    p = e + 2;
    return text;
  };
  while (p < b.length) {
    const head = line();
    expect(head[0]).toBe('*');
    const args: Buffer[] = [];
    for (let n = Number(head.slice(1)); n > 0; n--) {
      const len = Number(line().slice(1));
      args.push(b.subarray(p, p + len));
      p += len + 2;
    }
    out.push(args);
  }
  return out;
}

interface Entry {
  value: Buffer;
  pttl: number;
}

/** A scripted RawConnection: a keyspace, a log of commands, and replies overridable per command name. */
class Scripted {
  readonly data = new Map<string, Entry>();
  readonly log: string[] = [];
  /** Answer instead of the model (e.g. an error reply) when set for a command name. */
  override: Record<string, (args: Buffer[]) => Reply | undefined> = {};
  private queue: Reply[] | null = null;
  private aborted = false;

  async open(): Promise<void> {}

  async request(bytes: Buffer, reader: ReplyReader): Promise<void> {
    const replies = decodeCommands(bytes).map((args) => this.exec(args));
    const stream = Buffer.concat(replies.map(encode));
    let pos = 0;
    for (let end = Math.min(7, stream.length); !reader.done; end = Math.min(end + 7, stream.length)) {
      pos += reader.read(stream, pos, end);
      if (end === stream.length && !reader.done) throw new Error(`reader not done after the whole reply stream: ${stream.toString('latin1')}`);
    }
    expect(pos).toBe(stream.length);
  }

  private exec(args: Buffer[]): Reply {
    const name = args[0]!.toString().toUpperCase();
    const rest = args.slice(1);
    this.log.push(name === 'SET' ? `SET ${rest.slice(2).map(String).join(' ')}`.trim() : name);
    if (name === 'MULTI') {
      this.queue = [];
      this.aborted = false;
      return { ok: 'OK' };
    }
    if (name === 'EXEC') {
      const done = this.queue;
      this.queue = null;
      if (this.aborted) return { err: 'EXECABORT Transaction discarded because of previous errors.' };
      return this.override.EXEC?.(rest) ?? { array: done };
    }
    const refused = this.override[name]?.(rest);
    if (this.queue) {
      // an overridden answer inside MULTI is a refusal at queueing time (as LOADING, NOAUTH or OOM are): EXEC then aborts
      if (refused) {
        this.aborted = true;
        return refused;
      }
      this.queue.push(this.model(name, rest));
      return { ok: 'QUEUED' };
    }
    return refused ?? this.model(name, rest);
  }

  private model(name: string, a: Buffer[]): Reply {
    const key = (i: number) => a[i]!.toString();
    switch (name) {
      case 'INFO': {
        const expires = [...this.data.values()].filter((e) => e.pttl >= 0).length;
        return { bulk: Buffer.from(`# Keyspace\r\n${this.data.size ? `db0:keys=${this.data.size},expires=${expires},avg_ttl=0\r\n` : ''}`) };
      }
      case 'MGET':
        return { array: a.map((_, i) => ({ bulk: this.data.get(key(i))?.value ?? null })) };
      case 'PTTL':
        return { int: this.data.get(key(0))?.pttl ?? -2 };
      case 'MSET':
      case 'MSETNX': {
        if (name === 'MSETNX' && a.some((_, i) => i % 2 === 0 && this.data.has(key(i)))) return { int: 0 };
        for (let i = 0; i < a.length; i += 2) this.data.set(key(i), { value: Buffer.from(a[i + 1]!), pttl: -1 });
        return name === 'MSET' ? { ok: 'OK' } : { int: 1 };
      }
      case 'SET': {
        const opts = a.slice(2).map((x) => x.toString().toUpperCase());
        if (opts.includes('NX') && this.data.has(key(0))) return { bulk: null };
        const px = opts.indexOf('PX');
        const ex = opts.indexOf('EX');
        const pttl = px >= 0 ? Number(opts[px + 1]) : ex >= 0 ? Number(opts[ex + 1]) * 1000 : -1;
        this.data.set(key(0), { value: Buffer.from(a[1]!), pttl });
        return { ok: 'OK' };
      }
      default:
        return { err: `ERR unknown command '${name}'` };
    }
  }
}

function copier(source = new Scripted(), target = new Scripted()) {
  const fail = (side: string) => (what: string, e: unknown) => new Error(`${side}: ${what} ${(e as Error).message}`);
  const c = new RedisCopier(source as unknown as RawConnection, target as unknown as RawConnection, 0, fail('source'), fail('target'));
  return { c, source, target };
}

const put = (s: Scripted, key: string, value: string, pttl = -1) => s.data.set(key, { value: Buffer.from(value), pttl });
const value = (s: Scripted, key: string) => s.data.get(key)?.value.toString();

describe('RedisCopier: command sequences', () => {
  it('a source without TTLs: one transaction (MULTI INFO MGET EXEC), then one MSETNX for the batch', async () => {
    const { c, source, target } = copier();
    put(source, 'a', 'A');
    put(source, 'b', 'B\r\n$1\r\n');
    expect(Array.from(await c.copy(['a', 'b', 'missing'], { overwrite: false }))).toEqual([1, 1, 0]);
    expect(source.log).toEqual(['MULTI', 'INFO', 'MGET', 'EXEC']);
    expect(target.log).toEqual(['MSETNX']);
    expect([value(target, 'a'), value(target, 'b'), value(target, 'missing')]).toEqual(['A', 'B\r\n$1\r\n', undefined]);
  });

  it('overwrite uses MSET; an empty batch sends nothing', async () => {
    const { c, source, target } = copier();
    put(source, 'a', 'new');
    put(target, 'a', 'old');
    expect(Array.from(await c.copy(['a'], { overwrite: true }))).toEqual([1]);
    expect(target.log).toEqual(['MSET']);
    expect(value(target, 'a')).toBe('new');
    expect(Array.from(await c.copy([], { overwrite: true }))).toEqual([]);
    expect(source.log).toHaveLength(4);
  });

  it('MSETNX meeting a present key falls back to SET NX per key, and stays key by key until a batch meets none', async () => {
    const { c, source, target } = copier();
    for (const k of ['a', 'b', 'c', 'd', 'e']) put(source, k, k.toUpperCase());
    put(target, 'b', 'old');
    expect(Array.from(await c.copy(['a', 'b'], { overwrite: false }))).toEqual([1, 2]);
    expect(target.log).toEqual(['MSETNX', 'SET NX', 'SET NX']);
    expect(value(target, 'b')).toBe('old');
    target.log.length = 0;
    expect(Array.from(await c.copy(['c', 'd'], { overwrite: false }))).toEqual([1, 1]);
    expect(target.log).toEqual(['SET NX', 'SET NX']);
    target.log.length = 0;
    expect(Array.from(await c.copy(['e'], { overwrite: false }))).toEqual([1]);
    expect(target.log).toEqual(['MSETNX']);
  });

  it('TTLs: INFO reveals them, PTTLs are read after the values, then ride in the transaction; SET … PX keeps them', async () => {
    const { c, source, target } = copier();
    put(source, 'a', 'A', 90_000);
    put(source, 'b', 'B');
    expect(Array.from(await c.copy(['a', 'b'], { overwrite: false }))).toEqual([1, 1]);
    expect(source.log).toEqual(['MULTI', 'INFO', 'MGET', 'EXEC', 'PTTL', 'PTTL']);
    expect(target.log).toEqual(['SET NX PX 90000', 'SET NX']);
    expect(target.data.get('a')!.pttl).toBe(90_000);
    source.log.length = 0;
    put(source, 'c', 'C', 5);
    expect(Array.from(await c.copy(['c'], { overwrite: true }))).toEqual([1]);
    expect(source.log).toEqual(['MULTI', 'INFO', 'MGET', 'PTTL', 'EXEC']);
    expect(target.log.at(-1)).toBe('SET PX 5');
  });

  it('a key that expired between its value and its TTL (-2) is missing, never written without a TTL', async () => {
    const { c, source, target } = copier();
    put(source, 'a', 'A', 10);
    source.override.PTTL = () => ({ int: -2 });
    expect(Array.from(await c.copy(['a'], { overwrite: false }))).toEqual([0]);
    expect(target.log).toEqual([]);
  });

  it('ttlSeconds: only MGET is read, and SET … EX sets the given TTL (at least 1 s)', async () => {
    const { c, source, target } = copier();
    put(source, 'a', 'A', 5000);
    put(source, 'b', 'B');
    expect(Array.from(await c.copy(['a', 'b'], { overwrite: false, ttlSeconds: [30, 0.2] }))).toEqual([1, 1]);
    expect(source.log).toEqual(['MGET']);
    expect(target.log).toEqual(['SET NX EX 30', 'SET NX EX 1']);
  });
});

describe('RedisCopier: error replies name the side and the command', () => {
  it('source: MULTI/MGET, MGET, PTTL and EXEC errors', async () => {
    let { c, source } = copier();
    put(source, 'a', 'A');
    source.override.MGET = () => ({ err: 'LOADING Redis is loading the dataset in memory' });
    await expect(c.copy(['a'], { overwrite: false })).rejects.toThrow(/^source: MULTI\/MGET failed on LOADING/);
    await expect(c.copy(['a'], { overwrite: false, ttlSeconds: [1] })).rejects.toThrow(/^source: MGET failed on LOADING/);
    ({ c, source } = copier());
    put(source, 'a', 'A', 1000);
    source.override.PTTL = () => ({ err: 'ERR oops' });
    await expect(c.copy(['a'], { overwrite: false })).rejects.toThrow(/^source: PTTL failed on ERR oops/);
    ({ c, source } = copier());
    put(source, 'a', 'A');
    source.override.EXEC = () => ({ err: 'EXECABORT Transaction discarded' });
    await expect(c.copy(['a'], { overwrite: false })).rejects.toThrow(/^source: MULTI\/MGET failed on EXECABORT/);
    source.override.EXEC = () => ({ array: [{ bulk: Buffer.from('') }] });
    await expect(c.copy(['a'], { overwrite: false })).rejects.toThrow(/unexpected EXEC reply of 1 elements/);
  });

  it('target: MSETNX, MSET and SET errors', async () => {
    const { c, source, target } = copier();
    put(source, 'a', 'A');
    target.override.MSETNX = () => ({ err: 'OOM command not allowed when used memory > maxmemory' });
    await expect(c.copy(['a'], { overwrite: false })).rejects.toThrow(/^target: MSETNX failed on OOM/);
    target.override.MSET = () => ({ err: 'READONLY You can\'t write against a read only replica.' });
    await expect(c.copy(['a'], { overwrite: true })).rejects.toThrow(/^target: MSET failed on READONLY/);
    target.override.SET = () => ({ err: 'NOAUTH Authentication required.' });
    await expect(c.copy(['a'], { overwrite: false, ttlSeconds: [5] })).rejects.toThrow(/^target: SET failed on NOAUTH/);
  });
});

describe('expiresIn (INFO keyspace)', () => {
  it('reads expires= of the asked database only', () => {
    const info = '# Keyspace\r\ndb0:keys=10,expires=3,avg_ttl=100\r\ndb12:keys=5,expires=0,avg_ttl=0\r\ndb1:keys=2,expires=7,avg_ttl=9\r\n';
    expect(expiresIn(info, 0)).toBe(3);
    expect(expiresIn(info, 1)).toBe(7);
    expect(expiresIn(info, 12)).toBe(0);
    expect(expiresIn(info, 2)).toBe(0);
    expect(expiresIn('# Keyspace\r\n', 0)).toBe(0);
  });

  it('property: for any databases listed in any order, each answers its own count', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ db: fc.integer({ min: 0, max: 15 }), keys: fc.nat(1e6), expires: fc.nat(1e6) }), { selector: (r) => r.db, maxLength: 16 }), (dbs) => {
        const info = `# Keyspace\r\n${dbs.map((d) => `db${d.db}:keys=${d.keys},expires=${d.expires},avg_ttl=0\r\n`).join('')}`;
        for (let db = 0; db < 16; db++) expect(expiresIn(info, db)).toBe(dbs.find((d) => d.db === db)?.expires ?? 0);
      }),
    );
  });
});
