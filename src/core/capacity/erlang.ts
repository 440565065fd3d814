/**
 * M/M/c queueing (Erlang C). Poisson arrivals at rate λ, exponential service
 * times with mean Ts, c identical servers, an unbounded FIFO queue.
 *
 *   offered load        A = λ · Ts                         (Erlangs)
 *   occupancy           ρ = A / c
 *   Erlang B            B(0) = 1,  B(k) = A·B(k−1) / (k + A·B(k−1))
 *   Erlang C            C = c·B(c) / (c − A·(1 − B(c)))    = P(wait > 0)
 *   average wait (ASA)  W = C · Ts / (c − A)
 *   service level       SL(t) = 1 − C · e^(−(c − A)·t / Ts) = P(wait ≤ t)
 *
 * The Erlang B recursion is the standard numerically stable way to evaluate
 * Erlang C: every step is a ratio in (0, 1], so nothing overflows or
 * underflows, and it needs no factorials or powers of A. It is O(c), which is
 * 100,000 steps for 100,000 servers (well under a millisecond). Sources:
 * Erlang (1917); Kleinrock, "Queueing Systems" vol. 1 (1975) §3.5; the
 * recursion as in e.g. Jagerman (1974), "Some properties of the Erlang loss
 * function". The service-level formula is the one contact-centre planning and
 * the CRAN ErlangC package use.
 *
 * Pure: no I/O.
 */
import { InputError } from '../errors.js';

export interface MmcInput {
  /** Arrivals per second. */
  arrivalRate: number;
  /** Mean service time, seconds. */
  serviceTime: number;
  servers: number;
  /** For the service level: the wait to answer within, seconds. Default 0 (SL = 1 − C). */
  targetWait?: number;
}

export interface MmcResult {
  /** A = λ·Ts, in Erlangs. */
  offeredLoad: number;
  servers: number;
  /** True when A < c (the queue does not grow without bound). */
  stable: boolean;
  /** Erlang C: the probability that an arrival waits at all. 1 when unstable. */
  probabilityOfWait: number;
  /** Mean wait in the queue (ASA), seconds; null when unstable (infinite). */
  averageWait: number | null;
  /** P(wait ≤ targetWait); 0 when unstable. */
  serviceLevel: number;
  /** Wait the service level is for, seconds. */
  targetWait: number;
  /** ρ = A / c (above 1 when unstable). */
  occupancy: number;
  /** Mean time in the system (wait + service), seconds; null when unstable. */
  averageResponseTime: number | null;
  /** Mean number waiting in the queue (Lq = λ·W); null when unstable. */
  averageQueueLength: number | null;
}

/** The largest number of servers we evaluate (the recursion is O(c)). */
export const MAX_SERVERS = 10_000_000;

function positive(v: number, field: string, example: string): void {
  if (!(Number.isFinite(v) && v > 0)) throw new InputError(`${field}: expected a positive number, got ${v}`, { field, suggestions: [`e.g. ${example}`] });
}

function serversOk(c: number, field = '--servers'): void {
  if (!(Number.isInteger(c) && c >= 1 && c <= MAX_SERVERS)) {
    throw new InputError(`${field}: expected a whole number of servers from 1 to ${MAX_SERVERS.toLocaleString('en')}, got ${c}`, { field, suggestions: ['e.g. --servers 14'] });
  }
}

/** Erlang B, the blocking probability of M/M/c/c, by the stable recursion. */
export function erlangB(servers: number, load: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (load * b) / (k + load * b);
  return b;
}

/** Erlang C from Erlang B: P(wait > 0) of M/M/c. 1 when the load is at or above the servers. */
export function erlangCFromB(servers: number, load: number, b: number): number {
  if (load >= servers) return 1;
  const c = (servers * b) / (servers - load * (1 - b));
  // c·B ≤ c − A(1 − B) ⇔ A ≤ c when B ≤ 1: C ≤ 1 in exact arithmetic; clamp rounding.
  return Math.min(1, Math.max(0, c));
}

export function erlangC(servers: number, load: number): number {
  return erlangCFromB(servers, load, erlangB(servers, load));
}

function measures(offeredLoad: number, servers: number, serviceTime: number, arrivalRate: number, targetWait: number, pw: number): MmcResult {
  const stable = offeredLoad < servers;
  const gap = servers - offeredLoad;
  const averageWait = stable ? (pw * serviceTime) / gap : null;
  return {
    offeredLoad,
    servers,
    stable,
    probabilityOfWait: stable ? pw : 1,
    averageWait,
    serviceLevel: stable ? Math.min(1, Math.max(0, 1 - pw * Math.exp((-gap * targetWait) / serviceTime))) : 0,
    targetWait,
    occupancy: offeredLoad / servers,
    averageResponseTime: averageWait === null ? null : averageWait + serviceTime,
    averageQueueLength: averageWait === null ? null : arrivalRate * averageWait,
  };
}

/** Every M/M/c measure for c servers. */
export function mmc(input: MmcInput): MmcResult {
  positive(input.arrivalRate, '--arrival-rate', '--arrival-rate 100/30m');
  positive(input.serviceTime, '--service-time', '--service-time 180s');
  serversOk(input.servers);
  const targetWait = input.targetWait ?? 0;
  if (!(Number.isFinite(targetWait) && targetWait >= 0)) throw new InputError(`--target-wait: expected zero or a positive duration, got ${targetWait}`, { field: '--target-wait', suggestions: ['e.g. --target-wait 20s'] });
  const load = input.arrivalRate * input.serviceTime;
  return measures(load, input.servers, input.serviceTime, input.arrivalRate, targetWait, erlangC(input.servers, load));
}

export interface StaffingGoal {
  arrivalRate: number;
  serviceTime: number;
  /** P(wait ≤ targetWait) must be at least this (a fraction). */
  targetServiceLevel?: number;
  /** Seconds; default 0 (then the service level is 1 − P(wait)). */
  targetWait?: number;
  /** The average wait (ASA) must be at most this, seconds. */
  maxWait?: number;
  /** Occupancy A/c must be at most this (a fraction). */
  maxOccupancy?: number;
}

export interface StaffingResult extends MmcResult {
  /** Which goal needed the most servers (the binding one). */
  binding: Array<'stability' | 'service-level' | 'max-wait' | 'max-occupancy'>;
  /** Per goal, the fewest servers that meet it alone. */
  serversFor: { stability: number; serviceLevel: number | null; maxWait: number | null; maxOccupancy: number | null };
}

/**
 * The fewest servers meeting every goal given. Each measure is monotone in c
 * (P(wait), the average wait and occupancy fall, the service level rises as
 * servers are added), so one upward scan finds each goal's minimum; the scan
 * carries Erlang B along (B(c) from B(c − 1) in O(1)), so the whole search is
 * O(answer). `limit` (default MAX_SERVERS) is the most servers it will size
 * for; tests pass a small one to reach "no number of servers meets the goals"
 * without a 10-million-step scan.
 */
export function solveServers(goal: StaffingGoal, limit: number = MAX_SERVERS): StaffingResult {
  positive(goal.arrivalRate, '--arrival-rate', '--arrival-rate 100/30m');
  positive(goal.serviceTime, '--service-time', '--service-time 180s');
  const targetWait = goal.targetWait ?? 0;
  if (!(Number.isFinite(targetWait) && targetWait >= 0)) throw new InputError(`--target-wait: expected zero or a positive duration, got ${targetWait}`, { field: '--target-wait', suggestions: ['e.g. --target-wait 20s'] });
  const { targetServiceLevel: sl, maxWait, maxOccupancy } = goal;
  if (sl === undefined && maxWait === undefined && maxOccupancy === undefined) {
    throw new InputError('no goal to size for: give --servers, or at least one of --target-service-level, --max-wait, --max-occupancy', {
      field: '--servers',
      suggestions: ['--servers 14', '--target-service-level 80% --target-wait 20s', '--max-wait 10s', '--max-occupancy 85%'],
    });
  }
  if (sl !== undefined && !(sl > 0 && sl < 1)) throw new InputError(`--target-service-level: expected a fraction above 0 and below 1 (e.g. 80%), got ${sl}`, { field: '--target-service-level', suggestions: ['e.g. --target-service-level 80%'] });
  if (maxWait !== undefined && !(maxWait > 0 && Number.isFinite(maxWait))) throw new InputError(`--max-wait: expected a positive duration, got ${maxWait}`, { field: '--max-wait', suggestions: ['e.g. --max-wait 10s'] });
  if (maxOccupancy !== undefined && !(maxOccupancy > 0 && maxOccupancy <= 1)) throw new InputError(`--max-occupancy: expected a fraction above 0 and at most 1, got ${maxOccupancy}`, { field: '--max-occupancy', suggestions: ['e.g. --max-occupancy 85%'] });

  const load = goal.arrivalRate * goal.serviceTime;
  const stability = Math.floor(load) + 1; // the fewest c with A < c
  const forOccupancy = maxOccupancy === undefined ? null : Math.max(1, Math.ceil(load / maxOccupancy - 1e-12));
  const lowest = Math.max(stability, forOccupancy ?? 1);
  if (lowest > limit) {
    throw new InputError(`the offered load is ${load.toPrecision(6)} Erlangs: sizing needs more than ${limit.toLocaleString('en')} servers`, {
      field: '--arrival-rate',
      suggestions: ['size per shard or per region, with a share of the traffic'],
    });
  }
  let forSl: number | null = sl === undefined ? null : -1;
  let forWait: number | null = maxWait === undefined ? null : -1;
  let b = 1;
  let c = 0;
  let pw = 1;
  while (
    (forSl === -1 ||
      forWait === -1 ||
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the steps past the goals found only carry Erlang B along, which nothing reads after the loop
      c < lowest) &&
    c < limit
  ) {
    c++;
    b = (load * b) / (c + load * b);
    // Stryker disable next-line ConditionalExpression: equivalent, below stability c ≤ A, so C = 1 and the service level is 0 and the wait unknown: no goal is met there
    if (c < stability) continue;
    pw = erlangCFromB(c, load, b);
    const m = measures(load, c, goal.serviceTime, goal.arrivalRate, targetWait, pw);
    if (
      forSl === -1 &&
      // Stryker disable next-line ConditionalExpression: equivalent, forSl is -1 only when sl is given (this test narrows the type)
      sl !== undefined &&
      m.serviceLevel >= sl
    )
      forSl = c;
    if (
      forWait === -1 &&
      // Stryker disable next-line ConditionalExpression: equivalent, forWait is -1 only when maxWait is given (this test narrows the type)
      maxWait !== undefined &&
      // Stryker disable next-line ConditionalExpression: equivalent, c ≥ stability > A here, so the average wait is known (this test narrows the type)
      m.averageWait !== null &&
      m.averageWait <= maxWait
    )
      forWait = c;
  }
  if (forSl === -1 || forWait === -1) {
    throw new InputError(`no number of servers up to ${limit.toLocaleString('en')} meets the goals`, { field: forSl === -1 ? '--target-service-level' : '--max-wait', suggestions: ['relax the goal'] });
  }
  const serversFor = { stability, serviceLevel: forSl, maxWait: forWait, maxOccupancy: forOccupancy };
  const servers = Math.max(stability, forSl ?? 0, forWait ?? 0, forOccupancy ?? 0);
  const binding: StaffingResult['binding'] = [];
  if (servers === stability) binding.push('stability');
  if (forSl === servers) binding.push('service-level');
  if (forWait === servers) binding.push('max-wait');
  if (forOccupancy === servers) binding.push('max-occupancy');
  return { ...mmc({ arrivalRate: goal.arrivalRate, serviceTime: goal.serviceTime, servers, targetWait }), binding, serversFor };
}
