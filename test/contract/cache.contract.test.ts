import { systemClock } from '../../src/cli/base-command.js';
import { createRedisCache } from '../../plugins/redis/src/adapter.js';
import type { Clock } from '../../src/ports/clock.js';
import { InstrumentedCache } from '../fakes/instrumented-cache.js';
import { MemoryCache } from '../fakes/memory-cache.js';
import { cutProxy } from '../helpers/cut-proxy.js';
import { deadPort, kit, servers, uniquePrefix } from '../helpers/servers.js';
import { cacheContract } from './suites/cache.js';
import { expiringContract } from './suites/cache-expire.js';

cacheContract(
  'redis (real redis-server)',
  async () => ({ cache: await createRedisCache({ url: servers().redis[0]!.url, timeoutMs: 2000 }, kit), prefix: uniquePrefix('contract') }),
  {
    unreachable: async () => createRedisCache({ url: `redis://127.0.0.1:${await deadPort()}/0`, timeoutMs: 1000 }, kit),
    cutting: async () => {
      const real = new URL(servers().redis[0]!.url);
      const proxy = await cutProxy({ host: real.hostname, port: Number(real.port) });
      const cache = await createRedisCache({ url: `redis://127.0.0.1:${proxy.port}${real.pathname}`, timeoutMs: 2000 }, kit);
      const check = await createRedisCache({ url: servers().redis[0]!.url, timeoutMs: 2000 }, kit);
      return {
        cache,
        check,
        prefix: uniquePrefix('cut'),
        // ~190 bytes per SET of the suite's entries: past the first pipeline of 1,000, inside the second
        arm: () => proxy.arm(250_000),
        close: async () => {
          await Promise.allSettled([cache.close(), check.close()]);
          await proxy.close();
        },
      };
    },
  },
);

// The wrapper's clock: the real one (nothing is armed with latency, so it never sleeps here).
const wallClock: Clock = systemClock;

cacheContract('memory fake', async () => ({ cache: new MemoryCache(), prefix: uniquePrefix('fake') }), {
  cutting: async () => {
    const store = new MemoryCache();
    const cache = new InstrumentedCache(store, wallClock);
    return { cache, check: store, prefix: uniquePrefix('fake-cut'), arm: () => (cache.cutAfterEntries = 1400), close: async () => undefined };
  },
});

// The wrapper core tests put around the fake must not change its semantics.
cacheContract('memory fake inside InstrumentedCache (no faults armed)', async () => ({ cache: new InstrumentedCache(new MemoryCache(), wallClock), prefix: uniquePrefix('wrapped') }));

// The ExpiringCache capability (`cache invalidate --expire`): the Redis adapter and the fake.
expiringContract('redis (real redis-server, EXPIRE … LT)', async () => ({ cache: await createRedisCache({ url: servers().redis[0]!.url, timeoutMs: 2000 }, kit), prefix: uniquePrefix('expire') }));
expiringContract('memory fake', async () => ({ cache: new MemoryCache(), prefix: uniquePrefix('expire-fake') }));
