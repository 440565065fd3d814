import { createRedisCache } from '../../plugins/redis/src/adapter.js';
import { MemoryCache } from '../fakes/memory-cache.js';
import { deadPort, kit, servers, uniquePrefix } from '../helpers/servers.js';
import { cacheContract } from './suites/cache.js';

cacheContract(
  'redis (real redis-server)',
  async () => ({ cache: await createRedisCache({ url: servers().redis[0]!.url, timeoutMs: 2000 }, kit), prefix: uniquePrefix('contract') }),
  { unreachable: async () => createRedisCache({ url: `redis://127.0.0.1:${await deadPort()}/0`, timeoutMs: 1000 }, kit) },
);

cacheContract('memory fake', async () => ({ cache: new MemoryCache(), prefix: uniquePrefix('fake') }));
