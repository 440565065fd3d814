/**
 * plugins/redis's ioredis adapter against a scripted RESP server on loopback
 * (node:net; a command decoder written here, from the protocol): what a
 * refused password, a missing one, a closed port, a bad database number and
 * error replies become (exit 3 naming the server, never the password), and
 * the EXPIRE path for servers before and after Redis 7 (`LT`). A real Redis
 * is the contract suite's (test/contract/suites/cache.ts); it cannot refuse
 * a command on demand or claim to be version 6.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache, RedisCache } from '../../../plugins/redis/src/adapter.js';
import providers from '../../../plugins/redis/src/hooks/providers.js';
import { makeKit } from '../../../src/cli/providers.js';
import { DependencyError, InputError } from '../../../src/core/errors.js';

const kit = makeKit('test');

/** RESP2 replies. */
const ok = '+OK\r\n';
const err = (text: string) => `-${text}\r\n`;
const int = (n: number) => `:${n}\r\n`;
const bulk = (s: string | null) => (s === null ? '$-1\r\n' : `$${Buffer.byteLength(s)}\r\n${s}\r\n`);

/** Decode the client's commands (arrays of bulk strings) from a growing buffer; returns the rest. */
function decode(buf: Buffer, out: string[][]): Buffer {
  let p = 0;
  for (;;) {
    const start = p;
    const head = buf.indexOf('\r\n', p);
    if (head < 0 || buf[p] !== 0x2a) return buf.subarray(start);
    const n = Number(buf.subarray(p + 1, head).toString());
    p = head + 2;
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const lenEnd = buf.indexOf('\r\n', p);
      if (lenEnd < 0) return buf.subarray(start);
      const len = Number(buf.subarray(p + 1, lenEnd).toString());
      if (buf.length < lenEnd + 2 + len + 2) return buf.subarray(start);
      args.push(buf.subarray(lenEnd + 2, lenEnd + 2 + len).toString());
      p = lenEnd + 2 + len + 2;
    }
    out.push(args);
  }
}

type Script = (cmd: string[]) => string;
let script: Script = () => ok;
const commands: string[][] = [];
let server: Server;
let port: number;
const sockets = new Set<Socket>();

/** The usual answers to the connection setup (ready check, PING), then `more`. */
const server7 =
  (more: Script, version = '7.0.15'): Script =>
  (cmd) => {
    const name = cmd[0]?.toUpperCase();
    if (name === 'INFO') return bulk(`# Server\r\nredis_version:${version}\r\nloading:0\r\n`);
    if (name === 'PING') return '+PONG\r\n';
    if (name === 'QUIT') return ok;
    return more(cmd);
  };

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const got: string[][] = [];
      pending = decode(Buffer.concat([pending, chunk]), got);
      for (const cmd of got) {
        commands.push(cmd);
        socket.write(script(cmd));
        if (cmd[0]?.toUpperCase() === 'QUIT') socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const settings = (extra: { password?: string; username?: string; db?: number } = {}) => ({
  url: `redis://127.0.0.1:${port}/${extra.db ?? 0}`,
  timeoutMs: 2000,
  ...(extra.password !== undefined ? { password: extra.password } : {}),
  ...(extra.username !== undefined ? { username: extra.username } : {}),
});

describe('connecting', () => {
  it('a refused password: exit 3 "authentication failed", naming the server and where the password comes from, never the password', async () => {
    script = (cmd) => (cmd[0]?.toUpperCase() === 'AUTH' ? err('WRONGPASS invalid username-password pair or user is disabled.') : server7(() => ok)(cmd));
    const e = (await createRedisCache(settings({ password: 's3cret-pw', username: 'relia' }), kit).catch((x: unknown) => x)) as DependencyError;
    expect(e).toBeInstanceOf(DependencyError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`authentication failed at Redis redis://127.0.0.1:${port}/0: WRONGPASS invalid username-password pair or user is disabled.`);
    expect(e.message).not.toContain('s3cret-pw');
    expect(e.suggestions[0]).toMatch(/RELIA_REDIS_PASSWORD/);
    expect(commands.some((c) => c[0] === 'auth' && c[1] === 'relia' && c[2] === 's3cret-pw')).toBe(true);
  });

  it('a server that wants a password and got none: authentication failed too', async () => {
    script = (cmd) => (['INFO', 'PING'].includes(cmd[0]?.toUpperCase() ?? '') ? err('NOAUTH Authentication required.') : ok);
    await expect(createRedisCache(settings(), kit)).rejects.toThrow(/^authentication failed at Redis .*NOAUTH Authentication required\./);
  });

  // Regression: the message said "Connection is closed." (ioredis's rejection of the command), hiding the cause
  // that ioredis emits as an 'error' event; it now names the cause.
  it('nothing listening: exit 3 "cannot connect to Redis at …: ECONNREFUSED", the cause and not "Connection is closed."', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = (await createRedisCache({ url: `redis://127.0.0.1:${deadPort}`, timeoutMs: 2000 }, kit).catch((x: unknown) => x)) as DependencyError;
    expect(e).toBeInstanceOf(DependencyError);
    expect(e.message).toBe(`cannot connect to Redis at redis://127.0.0.1:${deadPort}: ECONNREFUSED`);
    expect(e.suggestions).toEqual([`check the server is up: redis-cli -u redis://127.0.0.1:${deadPort} ping`]);
  });

  it('a database that is not a number: exit 2 naming redis.url, before any connection', () => {
    const e = (() => {
      try {
        new RedisCache({ url: `redis://127.0.0.1:${port}/cache`, timeoutMs: 1000 }, kit);
      } catch (x) {
        return x as InputError;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(InputError);
    expect(e?.field).toBe('redis.url');
    expect(e?.message).toBe(`redis URL redis://127.0.0.1:${port}/cache: the database must be a number, e.g. redis://host:6379/0`);
  });

  it('the database of the URL is selected; the hook registers redis for the cache port', async () => {
    commands.length = 0;
    script = server7(() => ok);
    const regs = await providers({ kit });
    expect(regs.map((r) => `${r.port}/${r.scheme}`)).toEqual(['cache/redis']);
    const cache = (await regs[0]!.create(settings({ db: 5 }) as never, kit)) as RedisCache;
    expect(cache.kind).toBe('redis');
    expect(commands).toContainEqual(['select', '5']);
    await cache.close();
  });
});

describe('error replies to commands: exit 3 naming the command and the server', () => {
  it('SET refused (OOM), TTL refused, UNLINK refused, MGET refused', async () => {
    const refuse = (name: string) => server7((cmd) => (cmd[0]?.toUpperCase() === name ? err('OOM command not allowed when used memory > \'maxmemory\'.') : cmd[0]?.toUpperCase() === 'TTL' ? int(-1) : ok));
    script = refuse('SET');
    const cache = await createRedisCache(settings(), kit);
    try {
      await expect(cache.setMany([{ key: 'a', value: Buffer.from('1'), ttlSeconds: 0.2 }])).rejects.toThrow(new RegExp(`^SET failed on Redis at redis://127\\.0\\.0\\.1:${port}/0: OOM command not allowed`));
      // a fractional TTL is sent as at least 1 s
      expect(commands).toContainEqual(['set', 'a', '1', 'EX', '1']);
      script = refuse('TTL');
      await expect(cache.ttlMany(['a'])).rejects.toThrow(/^TTL failed on Redis/);
      script = refuse('UNLINK');
      await expect(cache.deleteMany(['a', 'b'])).rejects.toThrow(/^UNLINK failed on Redis/);
      expect(await cache.deleteMany([])).toBe(0);
      script = refuse('MGET');
      await expect(cache.getMany(['a'])).rejects.toThrow(/^MGET failed on Redis/);
      script = refuse('EXISTS');
      await expect(cache.existsMany(['a'])).rejects.toThrow(/^EXISTS failed on Redis/);
    } finally {
      await cache.close();
    }
  });
});

describe('expireMany: EXPIRE … LT on Redis 7, plain EXPIRE before', () => {
  it('Redis 7: LT, then the existing keys counted with EXISTS (LT answers 0 for both missing and shorter)', async () => {
    commands.length = 0;
    script = server7((cmd) => {
      const name = cmd[0]?.toUpperCase();
      if (name === 'EXPIRE') return int(cmd[1] === 'missing' ? 0 : 1);
      if (name === 'EXISTS') return int(cmd.slice(1).filter((k) => k !== 'missing').length);
      return ok;
    });
    const cache = await createRedisCache(settings(), kit);
    try {
      expect(await cache.expireMany(['a', 'b', 'missing'], 59.6)).toBe(2);
      expect(commands.filter((c) => c[0] === 'expire')).toEqual([
        ['expire', 'a', '60', 'LT'],
        ['expire', 'b', '60', 'LT'],
        ['expire', 'missing', '60', 'LT'],
      ]);
      expect(commands).toContainEqual(['exists', 'a', 'b', 'missing']);
    } finally {
      await cache.close();
    }
  });

  it('Redis 6: EXPIRE without LT, the existing keys counted from its answers', async () => {
    commands.length = 0;
    script = server7((cmd) => (cmd[0]?.toUpperCase() === 'EXPIRE' ? int(cmd[1] === 'missing' ? 0 : 1) : ok), '6.2.14');
    const cache = await createRedisCache(settings(), kit);
    try {
      expect(await cache.expireMany(['a', 'missing'], 0.2)).toBe(1);
      expect(commands.filter((c) => c[0] === 'expire')).toEqual([
        ['expire', 'a', '1'],
        ['expire', 'missing', '1'],
      ]);
      expect(commands.some((c) => c[0] === 'exists')).toBe(false);
      script = server7((cmd) => (cmd[0]?.toUpperCase() === 'EXPIRE' ? err('ERR something broke') : ok), '6.2.14');
      await expect(cache.expireMany(['a'], 10)).rejects.toThrow(/^EXPIRE failed on Redis .*ERR something broke/);
    } finally {
      await cache.close();
    }
  });
});
