import { createRedisCache } from '../../plugins/redis/src/adapter.js';
import { MemoryCache } from '../fakes/memory-cache.js';
import { kit, servers, uniquePrefix } from '../helpers/servers.js';
import { copierContract } from './suites/cache-copy.js';

/** Database 7 on both servers: no other suite writes there, so whether the source holds TTL keys is this suite's doing. */
const at = (url: string) => `${url.replace(/\/\d*$/, '')}/7`;

copierContract('redis → redis (two real redis-servers, raw RESP copier)', async () => {
  const [a, b] = servers().redis;
  const source = await createRedisCache({ url: at(a!.url), timeoutMs: 2000 }, kit);
  const target = await createRedisCache({ url: at((b ?? a)!.url), timeoutMs: 2000 }, kit);
  return {
    source,
    target,
    foreign: new MemoryCache(),
    prefix: uniquePrefix('copy'),
    close: async () => {
      await Promise.allSettled([source.close(), target.close()]);
    },
  };
});

copierContract('memory fake → memory fake', async () => {
  // the cache of another kind is a real one: the Redis adapter
  const foreign = await createRedisCache({ url: at(servers().redis[0]!.url), timeoutMs: 2000 }, kit);
  return {
    source: new MemoryCache(),
    target: new MemoryCache(),
    foreign,
    prefix: uniquePrefix('copy-fake'),
    close: () => foreign.close(),
  };
});
