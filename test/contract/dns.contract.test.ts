import { MemoryDns } from '../fakes/memory-dns.js';
import { HookedDns } from '../fakes/hooked-dns.js';
import { dnsContract } from './suites/dns.js';

let n = 0;
dnsContract('memory fake', async () => {
  const dns = new MemoryDns({ pendingPolls: 2 });
  return { dns, zone: dns.addZone(`contract-${++n}.example.com`), healthCheck: async () => dns.addHealthCheck() };
}, {
  unreachable: async () => {
    const dns = new MemoryDns();
    dns.unreachable = true;
    return dns;
  },
});

// The wrapper the failover tests put around the fake must not change its answers.
dnsContract('memory fake inside HookedDns (no hooks set)', async () => {
  const dns = new MemoryDns({ pendingPolls: 2 });
  return { dns: new HookedDns(dns), zone: dns.addZone(`hooked-${++n}.example.com`), healthCheck: async () => dns.addHealthCheck() };
}, {
  unreachable: async () => {
    const dns = new MemoryDns();
    dns.unreachable = true;
    return new HookedDns(dns);
  },
});
