import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { pct, renderPairs, sig } from '../../src/cli/style.js';
import { mmc, solveServers, type MmcResult, type StaffingResult } from '../../src/core/capacity/erlang.js';
import { InputError } from '../../src/core/errors.js';
import { humanDuration, parseDuration, parseFraction, parseRate } from '../../src/core/units.js';

export interface CapacityQueueResult extends MmcResult {
  /** Arrivals per second. */
  arrivalRate: number;
  /** Seconds. */
  serviceTime: number;
  /** 'evaluate' with --servers; 'size' when solving for the fewest servers. */
  mode: 'evaluate' | 'size';
  /** Sizing only: the goals that need exactly this many servers. */
  binding: StaffingResult['binding'] | null;
  /** Sizing only: the fewest servers each goal needs on its own. */
  serversFor: StaffingResult['serversFor'] | null;
}

export default class CapacityQueue extends ReliaCommand<typeof CapacityQueue> {
  static override summary = 'M/M/c (Erlang C) queueing: P(wait), average wait, service level and occupancy, or the fewest servers that meet your goals.';
  static override description =
    'With --servers it evaluates the queue; with --target-service-level (and --target-wait), --max-wait and/or --max-occupancy instead it solves for the fewest servers. Exact and stable up to 10,000,000 servers (Erlang B recursion, no factorials). Exit 0; 1 when the queue is unstable (load ≥ servers); 2 bad input. Formulas: docs/capacity.md#queue.';
  static override examples = [
    '<%= config.bin %> capacity queue --arrival-rate 100/30m --service-time 180s --servers 14 --target-wait 20s',
    '<%= config.bin %> capacity queue --arrival-rate 100/30m --service-time 180s --target-service-level 80% --target-wait 20s',
    '<%= config.bin %> capacity queue --arrival-rate 40000/s --service-time 50ms --max-wait 5ms --max-occupancy 85% --json',
  ];
  static override flags = {
    'arrival-rate': Flags.string({ charAliases: ['r'], deprecateAliases: true, description: 'λ: arrivals, e.g. 100/30m, 7500/s.', required: true }),
    'service-time': Flags.string({ charAliases: ['s'], deprecateAliases: true, description: 'Mean service time (exponential), e.g. 180s, 50ms.', required: true }),
    servers: Flags.integer({ charAliases: ['c'], deprecateAliases: true, description: 'Servers (agents, workers, connections) to evaluate.', min: 1 }),
    'target-wait': Flags.string({ description: 'The service level is P(wait ≤ this), e.g. 20s (default 0: answered at once).' }),
    'target-service-level': Flags.string({ description: 'Size for at least this service level, e.g. 80%.' }),
    'max-wait': Flags.string({ description: 'Size for an average wait (ASA) of at most this, e.g. 10s.' }),
    'max-occupancy': Flags.string({ description: 'Size for an occupancy of at most this, e.g. 85%.' }),
  };

  async run(): Promise<CapacityQueueResult> {
    const f = this.flags;
    const arrivalRate = parseRate(f['arrival-rate'], '--arrival-rate');
    const serviceTime = parseDuration(f['service-time'], '--service-time');
    const targetWait = f['target-wait'] === undefined ? 0 : parseDuration(f['target-wait'], '--target-wait', { allowZero: true });
    const goals = {
      ...(f['target-service-level'] !== undefined ? { targetServiceLevel: parseFraction(f['target-service-level'], '--target-service-level') } : {}),
      ...(f['max-wait'] !== undefined ? { maxWait: parseDuration(f['max-wait'], '--max-wait') } : {}),
      ...(f['max-occupancy'] !== undefined ? { maxOccupancy: parseFraction(f['max-occupancy'], '--max-occupancy') } : {}),
    };
    if (f.servers !== undefined && Object.keys(goals).length > 0) {
      throw new InputError('--servers evaluates a queue; --target-service-level, --max-wait and --max-occupancy size one: give one or the other', { field: '--servers', suggestions: ['drop --servers to solve for the fewest servers'] });
    }
    let r: MmcResult & Partial<Pick<StaffingResult, 'binding' | 'serversFor'>>;
    if (f.servers !== undefined) r = mmc({ arrivalRate, serviceTime, servers: f.servers, targetWait });
    else r = solveServers({ arrivalRate, serviceTime, targetWait, ...goals });
    const result: CapacityQueueResult = { ...r, arrivalRate, serviceTime, mode: f.servers === undefined ? 'size' : 'evaluate', binding: r.binding ?? null, serversFor: r.serversFor ?? null };
    if (!this.jsonEnabled()) this.log(this.render(result));
    if (!result.stable) {
      const message = `unstable: the offered load (${sig(result.offeredLoad, 6)} Erlangs) is at or above the ${result.servers} servers, so the queue grows without bound`;
      const fixes = [`use at least ${Math.floor(result.offeredLoad) + 1} servers`, '--target-service-level 80% --target-wait 20s (solve for the fewest servers)'];
      if (!this.jsonEnabled()) this.logToStderr(`${this.style.red(message)}\n${fixes.map((s) => `Try this: ${s}`).join('\n')}`);
      this.checkFailed(message, fixes);
    }
    return result;
  }

  private render(r: CapacityQueueResult): string {
    const secs = (s: number | null) => (s === null ? '∞ (unstable)' : s > 0 && s < 1 ? `${sig(s * 1000, 4)} ms` : `${sig(s, 4)} s${s >= 60 ? ` (${humanDuration(s)})` : ''}`);
    const pairs: Array<[string, string]> = [
      ['arrival rate', `${sig(r.arrivalRate, 6)}/s`],
      ['service time', secs(r.serviceTime)],
      ['offered load', `${sig(r.offeredLoad, 6)} Erlangs`],
      ['servers', `${r.servers}${r.mode === 'size' ? ` (fewest meeting ${r.binding?.join(', ')})` : ''}`],
      ['P(wait)', r.stable ? pct(r.probabilityOfWait) : this.style.red('1 (unstable)')],
      ['average wait', secs(r.averageWait)],
      [`service level`, `${pct(r.serviceLevel)} answered within ${secs(r.targetWait)}`],
      ['occupancy', r.stable ? pct(r.occupancy) : this.style.red(pct(r.occupancy))],
      ['queue length', r.averageQueueLength === null ? '∞' : sig(r.averageQueueLength, 4)],
    ];
    if (r.serversFor) {
      const s = r.serversFor;
      const each = [`stability ${s.stability}`, s.serviceLevel !== null ? `service level ${s.serviceLevel}` : '', s.maxWait !== null ? `max wait ${s.maxWait}` : '', s.maxOccupancy !== null ? `max occupancy ${s.maxOccupancy}` : ''].filter(Boolean);
      pairs.push(['each goal alone', each.join(' · ')]);
    }
    return `${renderPairs(pairs, this.style)}\n${this.style.dim('M/M/c, Erlang C via the Erlang B recursion (docs/capacity.md#queue)')}`;
  }
}
