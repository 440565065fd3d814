/** The HttpClient contract, run against the undici adapter (real origin) and the in-memory fake. */
import { describe, expect, it } from 'vitest';
import { ReliaError } from '../../../src/core/errors.js';
import type { HttpClient } from '../../../src/ports/http.js';

export interface HttpFixture {
  client: HttpClient;
  /** Base URL of an origin that serves GET/HEAD /items/<key> with JSON containing the key. */
  origin: string;
  /** A URL on which nothing listens. */
  refused: string;
  /** A URL whose server accepts the connection and then closes it without answering. */
  reset: string;
  /** A URL that answers slower than `slowMs`. */
  slow: { url: string; slowerThanMs: number };
}

export function httpContract(name: string, make: () => Promise<HttpFixture>) {
  describe(`HttpClient contract: ${name}`, () => {
    it('GET returns status, lower-cased headers, the body and a duration', async () => {
      const { client, origin } = await make();
      const res = await client.request({ method: 'GET', url: `${origin}/items/abc%2F1` });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/json/);
      expect(Object.keys(res.headers).every((k) => k === k.toLowerCase())).toBe(true);
      expect(JSON.parse(res.body!.toString()).key).toBe('abc/1');
      expect(res.durationMs).toBeGreaterThanOrEqual(0);
      await client.close();
    });

    it('HEAD returns no body', async () => {
      const { client, origin } = await make();
      const res = await client.request({ method: 'HEAD', url: `${origin}/items/x` });
      expect(res.status).toBe(200);
      expect(res.body === undefined || res.body.length === 0).toBe(true);
      await client.close();
    });

    it('HTTP errors are responses, not exceptions', async () => {
      const { client, origin } = await make();
      const res = await client.request({ method: 'GET', url: `${origin}/nothing-here/at-all`, headers: { 'X-Relia-Test': '1' } });
      expect(res.status).toBe(404);
      await client.close();
    });

    it('a refused connection is a DependencyError (exit 3) naming the URL', async () => {
      const { client, refused } = await make();
      const err = await client.request({ method: 'GET', url: `${refused}/items/x` }).then(() => null, (e: unknown) => e);
      expect(ReliaError.is(err)).toBe(true);
      expect((err as ReliaError).exitCode).toBe(3);
      expect((err as ReliaError).message).toContain(`${refused}/items/x`);
      await client.close();
    });

    it('a connection closed without an answer is a DependencyError (exit 3) naming the URL, not a response', async () => {
      const { client, reset } = await make();
      const err = await client.request({ method: 'GET', url: `${reset}/items/x` }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(ReliaError.is(err), String(err)).toBe(true);
      expect((err as ReliaError).exitCode).toBe(3);
      expect((err as ReliaError).message).toContain(`${reset}/items/x`);
      await client.close();
    });

    it('GET of an error status still returns its body as a Buffer; HEAD of it never reads one', async () => {
      const { client, origin } = await make();
      const res = await client.request({ method: 'GET', url: `${origin}/nothing-here/at-all` });
      expect(Buffer.isBuffer(res.body)).toBe(true);
      const head = await client.request({ method: 'HEAD', url: `${origin}/nothing-here/at-all` });
      expect(head.status).toBe(404);
      expect(head.body === undefined || head.body.length === 0).toBe(true);
      await client.close();
    });

    it('a timeout is a DependencyError that says so', async () => {
      const { client, slow } = await make();
      const err = await client.request({ method: 'GET', url: slow.url, timeoutMs: slow.slowerThanMs }).then(() => null, (e: unknown) => e);
      expect((err as ReliaError).exitCode).toBe(3);
      expect((err as ReliaError).message).toMatch(/timed out/);
      await client.close();
    });

    it('an aborted signal rejects with its reason', async () => {
      const { client, origin } = await make();
      const ac = new AbortController();
      ac.abort(new Error('cancelled by test'));
      await expect(client.request({ method: 'GET', url: `${origin}/items/x`, signal: ac.signal })).rejects.toThrow('cancelled by test');
      await client.close();
    });
  });
}
