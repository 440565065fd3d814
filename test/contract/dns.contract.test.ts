import { MemoryDns } from '../fakes/memory-dns.js';
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
