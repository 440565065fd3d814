/**
 * The FaultProxyPort contract: the handle's lifecycle and bookkeeping, run
 * against plugins/local and the in-memory fake. What only sockets can show
 * (bytes delayed, refused, reset) is in test/contract/proxy.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ReliaError } from '../../../src/core/errors.js';
import { parseToxics, toxicDecisions } from '../../../src/core/chaos/toxics.js';
import type { FaultProxyPort, ProxyStartOptions } from '../../../src/ports/proxy.js';

export interface ProxyFixture {
  port: FaultProxyPort;
  upstream: { host: string; port: number };
}

export function proxyOptions(f: ProxyFixture, extra: Partial<ProxyStartOptions> = {}): ProxyStartOptions {
  return { listenHost: '127.0.0.1', listenPort: 0, upstreamHost: f.upstream.host, upstreamPort: f.upstream.port, toxics: null, random: () => 0.5, decisions: toxicDecisions, ...extra };
}

export function proxyContract(name: string, make: () => Promise<ProxyFixture>) {
  describe(`FaultProxyPort contract: ${name}`, () => {
    it('listens on a free port when asked for 0, on the host asked for', async () => {
      const f = await make();
      const a = await f.port.start(proxyOptions(f));
      const b = await f.port.start(proxyOptions(f));
      expect(a.host).toBe('127.0.0.1');
      expect(a.port).toBeGreaterThan(0);
      expect(b.port).not.toBe(a.port);
      await a.close();
      await b.close();
    });

    it('a port in use is exit 2 naming the listen field', async () => {
      const f = await make();
      const a = await f.port.start(proxyOptions(f));
      const err = await f.port.start(proxyOptions(f, { listenPort: a.port })).then(() => null, (e: unknown) => e);
      expect(ReliaError.is(err)).toBe(true);
      expect((err as ReliaError).exitCode).toBe(2);
      expect((err as ReliaError).field).toBe('listen');
      await a.close();
    });

    it('starts with zero stats; set() takes toxics or null; close is idempotent and frees the port', async () => {
      const f = await make();
      const h = await f.port.start(proxyOptions(f, { toxics: parseToxics({ latency: '10ms' }) }));
      expect(h.stats()).toEqual({ connections: 0, refused: 0, resets: 0, bytesUp: 0, bytesDown: 0 });
      h.set(parseToxics({ loss: '50%' }));
      h.set(null);
      await h.close();
      await h.close();
      const again = await f.port.start(proxyOptions(f, { listenPort: h.port }));
      expect(again.port).toBe(h.port);
      await again.close();
    });

    it("the port's close() closes every proxy it started, so their addresses are free again", async () => {
      const f = await make();
      const a = await f.port.start(proxyOptions(f));
      const b = await f.port.start(proxyOptions(f));
      await f.port.close();
      await f.port.close();
      for (const h of [a, b]) {
        const again = await f.port.start(proxyOptions(f, { listenPort: h.port }));
        await again.close();
      }
    });
  });
}
