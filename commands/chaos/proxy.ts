import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { runStandaloneProxy, type ProxyRunResult } from '../../src/cli/chaos/proxy.js';
import { renderPairs } from '../../src/cli/style.js';

export type ChaosProxyResult = ProxyRunResult;

export default class ChaosProxy extends ReliaCommand<typeof ChaosProxy> {
  static override summary = 'Run the TCP fault proxy on its own: latency, jitter, loss, bandwidth, resets and timeouts between a client and a service.';
  static override description =
    'The toxiproxy model, in user space (no netem needed). Point clients at --listen; the proxy forwards to --upstream with the faults given. Runs until SIGINT/SIGTERM (exit 130/143 after closing every connection) or for --duration (exit 0, figures printed). Loss refuses that share of new connections; --seed makes loss and jitter reproducible. Exit 2 on bad flags or a port in use. See docs/chaos-faults.md.';
  static override examples = [
    '<%= config.bin %> chaos proxy --listen 18080 --upstream 127.0.0.1:8080 --latency 300ms --jitter 50ms',
    '<%= config.bin %> chaos proxy --listen 127.0.0.1:16379 --upstream 127.0.0.1:6379 --loss 1% --seed 7',
    '<%= config.bin %> chaos proxy --listen 18080 --upstream 127.0.0.1:8080 --bandwidth 1MB/s --reset-after 64KB --duration 5m --json',
  ];
  static override flags = {
    listen: Flags.string({ description: 'Where to listen: PORT or HOST:PORT (loopback by default; 0 picks a free port).', required: true }),
    upstream: Flags.string({ description: 'The service: HOST:PORT.', required: true }),
    latency: Flags.string({ description: 'Added to every chunk each way, e.g. 300ms.' }),
    jitter: Flags.string({ description: 'Uniform ± around the latency, e.g. 50ms.' }),
    loss: Flags.string({ description: 'Share of new connections refused, e.g. 1%.' }),
    bandwidth: Flags.string({ description: 'Per direction per connection, e.g. 1MB/s, 512KB/s, 8Mbps.' }),
    'reset-after': Flags.string({ description: 'Cut each connection after this many bytes downstream, e.g. 65536 or 64KB.' }),
    timeout: Flags.string({ description: 'Hold new connections this long without forwarding, then close them, e.g. 5s.' }),
    seed: Flags.integer({ description: 'Seed for loss and jitter (reproducible runs).' }),
    duration: Flags.string({ description: 'Stop after this long and print the figures (default: until SIGINT/SIGTERM).' }),
  };

  async run(): Promise<ChaosProxyResult> {
    const result = await runStandaloneProxy(this.flags, {
      registry: await this.providers(),
      clock: this.clock,
      signal: this.lifecycle.signal,
      random: Math.random,
      started: (line) => process.stderr.write(`${line}\n`),
      defer: (name, fn) => void this.lifecycle.defer(name, fn),
    });
    if (!this.jsonEnabled()) {
      const s = result.stats;
      this.log(
        renderPairs(
          [
            ['proxy', `${result.listen} → ${result.upstream}`],
            ['faults', result.toxics],
            ['ran', `${Math.round(result.ranMs / 1000)} s`],
            ['connections', `${s.connections} (${s.refused} refused, ${s.resets} reset)`],
            ['bytes', `${s.bytesUp} up, ${s.bytesDown} down`],
          ],
          this.style,
        ),
      );
    }
    return result;
  }
}
