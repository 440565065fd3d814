// Boundaries of the M/M/c sizing that docs/capacity-planning.md promises and
// the golden-value tests did not pin (found by mutation testing,
// docs/testing.md#mutation-testing): goals met exactly, goals no number of
// servers meets, the server limits, the occupancy rounding, and what an
// unstable queue reports (no queue length, no response time).
import { describe, expect, it } from 'vitest';
import { erlangCFromB, MAX_SERVERS, mmc, solveServers } from '../../../../src/core/capacity/erlang.js';
import { expectInputError } from '../error-contract.js';

const base = { arrivalRate: 100 / 1800, serviceTime: 180 };

describe('the measures the docs print', () => {
  it('queue length Lq = λ·W and response time W + Ts, for the ErlangC example (14 agents)', () => {
    const m = mmc({ ...base, servers: 14, targetWait: 20 });
    // W = 7.836 s (the package's ASA); Lq = (100/1800)·7.836 = 0.4353; R = 7.836 + 180
    expect(m.averageQueueLength as number).toBeCloseTo((100 / 1800) * (m.averageWait as number), 12);
    expect(Number((m.averageQueueLength as number).toPrecision(4))).toBe(0.4353);
    expect(m.averageResponseTime as number).toBeCloseTo(187.836, 3);
    expect(m.targetWait).toBe(20);
    expect(m.servers).toBe(14);
  });

  it('load exactly equal to the servers is unstable: P(wait) 1, no wait, queue or response time', () => {
    const m = mmc({ arrivalRate: 2, serviceTime: 1, servers: 2 });
    expect(m).toMatchObject({ stable: false, probabilityOfWait: 1, averageWait: null, averageQueueLength: null, averageResponseTime: null, serviceLevel: 0, occupancy: 1 });
    // Erlang C is exactly 1 at A = c (the formula alone rounds to 0.9999999999999998 here)
    expect(erlangCFromB(1, 1, 0.3)).toBe(1);
    // above the servers the formula goes negative; the answer is still 1
    expect(erlangCFromB(5, 20, 0.1)).toBe(1);
  });

  it('the server count starts at 1 and stops at MAX_SERVERS', () => {
    expect(mmc({ arrivalRate: 0.5, serviceTime: 1, servers: 1 }).stable).toBe(true);
    expectInputError(() => mmc({ arrivalRate: 1, serviceTime: 1, servers: MAX_SERVERS + 1 }), '--servers', ['10,000,000']);
    expectInputError(() => mmc({ arrivalRate: 1, serviceTime: 1, servers: 0 }), '--servers', ['10,000,000', 'got 0']);
  });
});

describe('sizing at its boundaries', () => {
  it('a service level met exactly at c servers is met by c (not c + 1)', () => {
    const sl = mmc({ ...base, servers: 14, targetWait: 20 }).serviceLevel;
    expect(solveServers({ ...base, targetServiceLevel: sl, targetWait: 20 }).servers).toBe(14);
  });

  it('a max wait met exactly at c servers is met by c', () => {
    const w = mmc({ ...base, servers: 14 }).averageWait as number;
    const r = solveServers({ ...base, maxWait: w });
    expect(r.servers).toBe(14);
    expect(r.serversFor.maxWait).toBe(14);
  });

  it('an occupancy goal divides without rounding up a hair: 2.1 Erlangs at 70 % is 3 servers, not 4', () => {
    // 2.1 / 0.7 = 3.0000000000000004 in floating point
    const r = solveServers({ arrivalRate: 2.1, serviceTime: 1, maxOccupancy: 0.7 });
    expect(r.servers).toBe(3);
    expect(r.serversFor.maxOccupancy).toBe(3);
    expect(r.binding).toEqual(['stability', 'max-occupancy']);
  });

  it('both queue goals binding at once are both named', () => {
    const sl = mmc({ ...base, servers: 14, targetWait: 20 }).serviceLevel;
    const w = mmc({ ...base, servers: 14, targetWait: 20 }).averageWait as number;
    expect(solveServers({ ...base, targetServiceLevel: sl, targetWait: 20, maxWait: w }).binding).toEqual(['service-level', 'max-wait']);
  });

  it('an occupancy goal needing more than MAX_SERVERS is refused before any scan (the load alone would fit)', () => {
    expectInputError(() => solveServers({ arrivalRate: 9_000_000, serviceTime: 1, maxOccupancy: 0.5 }), '--arrival-rate', ['9.00000e+6 Erlangs', '10,000,000']);
  });

  it('goals no number of servers up to the limit meets name the goal that failed', () => {
    // 990 Erlangs: P(wait) stays far above 1e-9 (and the wait above 1e-300 s) up to 1,000 servers
    const wait = expectInputError(() => solveServers({ arrivalRate: 990, serviceTime: 1, maxWait: 1e-300 }, 1000), '--max-wait', ['no number of servers up to 1,000 meets the goals']);
    expect(wait.suggestions).toEqual(['relax the goal']);
    expectInputError(() => solveServers({ arrivalRate: 990, serviceTime: 1, targetServiceLevel: 0.999_999_999 }, 1000), '--target-service-level');
    // the same goals are met with room to spare
    expect(solveServers({ arrivalRate: 990, serviceTime: 1, targetServiceLevel: 0.999_999_999 }).servers).toBeGreaterThan(1000);
  });

  it('the limit itself can be sized for; one more cannot', () => {
    // stability needs ⌊999.5⌋ + 1 = 1,000 servers
    expect(solveServers({ arrivalRate: 999.5, serviceTime: 1, maxOccupancy: 1 }, 1000).servers).toBe(1000);
    expectInputError(() => solveServers({ arrivalRate: 1000, serviceTime: 1, maxOccupancy: 1 }, 1000), '--arrival-rate', ['more than 1,000 servers']);
  });
});

describe('sizing input is checked before any work', () => {
  const cases: Array<[string, () => unknown, string, string[]]> = [
    ['arrival rate 0', () => solveServers({ arrivalRate: 0, serviceTime: 1, maxWait: 1 }), '--arrival-rate', ['--arrival-rate: expected a positive number, got 0']],
    ['service time NaN', () => solveServers({ arrivalRate: 1, serviceTime: Number.NaN, maxWait: 1 }), '--service-time', ['--service-time', 'NaN']],
    ['service level 0', () => solveServers({ arrivalRate: 1, serviceTime: 1, targetServiceLevel: 0 }), '--target-service-level', ['got 0']],
    ['occupancy 1.5', () => solveServers({ arrivalRate: 1, serviceTime: 1, maxOccupancy: 1.5 }), '--max-occupancy', ['at most 1, got 1.5']],
    ['max wait 0', () => solveServers({ arrivalRate: 1, serviceTime: 1, maxWait: 0 }), '--max-wait', ['got 0']],
    // a negative target wait is refused even when the load alone could not be sized
    ['target wait -2', () => solveServers({ arrivalRate: 1e8, serviceTime: 1, maxOccupancy: 0.9, targetWait: -2 }), '--target-wait', ['got -2']],
    ['target wait NaN', () => solveServers({ arrivalRate: 1e8, serviceTime: 1, maxOccupancy: 0.9, targetWait: Number.NaN }), '--target-wait', ['got NaN']],
    ['no goal', () => solveServers({ arrivalRate: 1, serviceTime: 1 }), '--servers', ['no goal to size for']],
    ['mmc target wait -1', () => mmc({ arrivalRate: 1, serviceTime: 1, servers: 2, targetWait: -1 }), '--target-wait', ['got -1']],
  ];
  it.each(cases)('%s', (_name, f, field, mentions) => {
    const e = expectInputError(f, field, mentions);
    // every fix is an example of the flag that was wrong (or of the goals to give)
    expect(e.suggestions.join(' ')).toContain(field === '--servers' ? '--max-wait 10s' : field);
  });

  it('no goal: the suggestions show each way to give one', () => {
    const e = expectInputError(() => solveServers({ arrivalRate: 1, serviceTime: 1 }), '--servers');
    expect(e.suggestions).toEqual(['--servers 14', '--target-service-level 80% --target-wait 20s', '--max-wait 10s', '--max-occupancy 85%']);
  });

  it('mmc rates and times: the fix is an example of the flag', () => {
    expect(expectInputError(() => mmc({ arrivalRate: -1, serviceTime: 1, servers: 1 }), '--arrival-rate').suggestions).toEqual(['e.g. --arrival-rate 100/30m']);
    expect(expectInputError(() => mmc({ arrivalRate: 1, serviceTime: 0, servers: 1 }), '--service-time').suggestions).toEqual(['e.g. --service-time 180s']);
    expect(expectInputError(() => mmc({ arrivalRate: 1, serviceTime: 1, servers: 2.5 }), '--servers').suggestions).toEqual(['e.g. --servers 14']);
  });
});
