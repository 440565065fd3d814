/**
 * A loopback TCP proxy that loses the connection part-way: once armed with a
 * byte budget, it forwards that many more client→server bytes, then destroys
 * both sides. It makes a real partial failure (a pipeline cut in the middle)
 * against a real server, for the contract suites.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface CutProxy {
  /** host:port to connect to instead of the server. */
  port: number;
  /** Forward `bytes` more client bytes, then cut every connection. */
  arm(bytes: number): void;
  close(): Promise<void>;
}

export async function cutProxy(target: { host: string; port: number }): Promise<CutProxy> {
  let budget = Infinity;
  const sockets = new Set<Socket>();
  const cutAll = () => {
    for (const s of sockets) s.destroy();
  };
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (chunk.length <= budget) {
        budget -= chunk.length;
        upstream.write(chunk);
        return;
      }
      const part = chunk.subarray(0, Math.max(0, budget));
      budget = 0;
      upstream.write(part, () => cutAll());
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        (s === client ? upstream : client).destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    arm: (bytes) => {
      budget = bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
